/*
 * fuzz_plan: any bytes as a measures report (the format of docs/examples/),
 * through plan_import_buffer() — what `lakthan import-plan` and
 * POST /api/plan/import run on an uploaded file — and through the parse
 * helpers it uses on cells and sentences (plan_cell_items, plan_cell_text,
 * plan_refs_in_text, plan_parse_qtoken).
 *
 * The import writes into a real archive database (db_open: migrations,
 * tokenizer, audit) in a temporary directory made once per process; the plan
 * tables are emptied after each input so that every input starts from an
 * archive without a plan. The audit-head file hook is replaced by SQLite's
 * plain auto-checkpoint and synchronous is off: durability is not what is
 * tested, and an fsync per input would leave nothing for the parser.
 *
 * Checks, beyond no crash, leak, hang or UB: failure always has a message;
 * success gives a year and at least one issue with counts that agree.
 */
#include "lakthan/db.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static char dir[] = "/tmp/lakthan-fuzz-plan-XXXXXX";

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	if (db)
		sqlite3_close(db);
	db = NULL;
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	char err[LK_ERRLEN];
	if (!mkdtemp(dir)) {
		perror("fuzz_plan: mkdtemp");
		abort();
	}
	atexit(cleanup);
	char *path = lk_asprintf("%s/lakthan.db", dir);
	if (db_open(path, &db, err) != 0) {
		fprintf(stderr, "fuzz_plan: db_open: %s\n", err);
		abort();
	}
	free(path);
	sqlite3_wal_autocheckpoint(db, 1000);   /* replaces the audit-head hook */
	if (db_exec(db, "PRAGMA synchronous=OFF", err) != 0) {
		fprintf(stderr, "fuzz_plan: %s\n", err);
		abort();
	}
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_plan: %s\n", what);
	abort();
}

static void parse_helpers(const char *s, size_t n)
{
	char *z = lk_strndup(s, n);   /* the text up to a NUL, as the callers pass it */
	struct plan_qref refs[64];
	size_t got = plan_refs_in_text(z, refs, 64);
	if (got > 64)
		fail("plan_refs_in_text stored more than max");
	for (size_t i = 0; i < got; i++)
		if (!memchr(refs[i].code, 0, sizeof refs[i].code))
			fail("unterminated question code");
	struct plan_qref one;
	size_t tl = n < 24 ? n : 24;
	if (plan_parse_qtoken(s, tl, &one) == 0 && !memchr(one.code, 0, sizeof one.code))
		fail("plan_parse_qtoken: unterminated code");
	for (int split = 0; split < 2; split++) {
		struct plan_items it;
		plan_cell_items(s, n, split, &it);
		for (size_t i = 0; i < it.n; i++)
			if (!it.v[i])
				fail("plan_cell_items: a NULL item");
		plan_items_release(&it);
	}
	free(plan_cell_text(s, n));
	free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		setup();
	const char *s = (const char *)data;
	parse_helpers(s, size);

	struct plan_import_result res;
	char err[LK_ERRLEN];
	err[0] = 0;
	int rc = plan_import_buffer(db, size ? s : "", size, 0, 1, "fuzz", &res, err);
	if (rc != 0) {
		if (!err[0] || !memchr(err, 0, sizeof err))
			fail("plan_import_buffer failed without a message");
		/* a failed import may still hold the warnings of the lines read
		 * before the error: the caller releases it either way, as
		 * cli_import_plan.c does */
		plan_import_result_release(&res);
	} else {
		if (res.year < 2400 || res.year > 2800)
			fail("imported with an implausible year");
		if (res.issues < 1 || res.measures < 0)
			fail("imported without an issue");
		for (size_t i = 0; i < res.nquestions; i++)
			if (!res.questions[i])
				fail("a NULL question code");
		for (size_t i = 0; i < res.nwarnings; i++)
			if (!res.warnings[i].msg)
				fail("a NULL warning");
		plan_import_result_release(&res);
	}
	/* every input starts from an archive without a plan */
	if (db_exec(db, "DELETE FROM row_question; DELETE FROM document_link; DELETE FROM plan_text;"
			" DELETE FROM measure; DELETE FROM question; DELETE FROM plan_row; DELETE FROM plan_issue;",
		    err) != 0) {
		fprintf(stderr, "fuzz_plan: reset: %s\n", err);
		abort();
	}
	return 0;
}
