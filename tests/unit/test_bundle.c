/* Unit tests for the bundle: safe names, and the streaming export against
 * a fresh archive (pieces, determinism, empty years, a missing blob). */
#include "unit.h"
#include "lakthan/bundle.h"
#include "lakthan/datadir.h"
#include "lakthan/ingest.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* bundle_safe_name() as a string compared with want, freed here. */
static void expect_name(long long id, const char *in, size_t max, const char *want)
{
	char *s = bundle_safe_name(id, in, max);
	assert_string_equal(s, want);
	free(s);
}

static void safe_names_keep_thai(void **state)
{
	(void)state;
	expect_name(7, "รายงานผลการดำเนินงาน ๒๕๖๗.pdf", 200, "7-รายงานผลการดำเนินงาน ๒๕๖๗.pdf");
	expect_name(1, "a<b>c:d\"e/f\\g|h?i*j.txt", 200, "1-a_b_c_d_e_f_g_h_i_j.txt");
	expect_name(2, "tab\there\x01.txt", 200, "2-tab_here_.txt");
	expect_name(3, "ชื่อ. . ", 200, "3-ชื่อ");
	expect_name(4, "", 200, "4-file");
	expect_name(5, "...", 200, "5-file");
	expect_name(6, "bad\xff\xfe.txt", 200, "6-bad__.txt");
}

static void safe_names_cut_at_characters(void **state)
{
	(void)state;
	/* 60 Thai characters of 3 bytes: 180 bytes, cut to fit 64 with ".pdf" */
	char in[512] = "";
	for (int i = 0; i < 30; i++)
		strcat(in, "ที่");   /* consonant + two marks: never split */
	strcat(in, ".pdf");
	char *s = bundle_safe_name(12, in, 64);
	assert_true(strlen(s) <= 64);
	assert_true(lk_utf8_valid(s, strlen(s)));
	assert_int_equal(strncmp(s, "12-", 3), 0);
	assert_string_equal(s + strlen(s) - 4, ".pdf");
	/* the stem is whole clusters of ที่ */
	size_t stem = strlen(s) - 3 - 4;
	assert_int_equal(stem % strlen("ที่"), 0);
	free(s);
	/* ASCII: exactly max bytes */
	char a[300];
	memset(a, 'x', 299);
	a[299] = '\0';
	s = bundle_safe_name(1, a, 100);
	assert_int_equal(strlen(s), 100);
	free(s);
}

/* Ingest reports are not needed here. */
static void quiet(const struct ingest_item *item, void *arg)
{
	(void)item;
	(void)arg;
}

/* A fresh archive in a temp folder with the example plan. */
static char *fresh(struct datadir *dd)
{
	char *dir = lk_strdup("/tmp/lakthan-unit-bundle.XXXXXX");
	assert_non_null(mkdtemp(dir));
	char err[LK_ERRLEN];
	assert_int_equal(datadir_open(dd, dir, err), 0);
	struct plan_import_result r;
	assert_int_equal(plan_import_file(dd->db, "docs/examples/ita-measures-report-2567-khokhinhae.txt", 0, 0, "test", &r, err), 0);
	plan_import_result_release(&r);
	return dir;
}

/* Everything the stream yields, concatenated; *n its length. */
static char *drain(struct datadir *dd, int year, size_t *n, int *rc, char *err)
{
	struct bundle_opts o = {year, "องค์การบริหารส่วนตำบลทดสอบ", "test"};
	struct bundle_export *x;
	int usage;
	char *all = NULL;
	*n = 0;
	*rc = bundle_export_begin(dd->db, &dd->blobs, &o, &x, &usage, err);
	if (*rc != 0)
		return NULL;
	for (;;) {
		const void *p;
		size_t k;
		int r = bundle_export_next(x, &p, &k, err);
		if (r < 0) {
			*rc = -1;
			break;
		}
		all = lk_realloc(all, *n + k + 1);
		memcpy(all + *n, p, k);
		*n += k;
		if (r == 0)
			break;
	}
	bundle_export_free(x);
	return all;
}

static void cleanup(struct datadir *dd, char *dir)
{
	datadir_close(dd);
	char *cmd = lk_asprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

static void export_stream_is_deterministic(void **state)
{
	(void)state;
	struct datadir dd;
	char *dir = fresh(&dd), err[LK_ERRLEN];
	struct ingest_opts io;
	ingest_opts_default(&io);
	io.year = 2567;
	io.uploaded_by = "test";
	io.defer_text = 1;
	assert_int_equal(ingest_path(&dd, FIXTURE("thai.pdf"), &io, quiet, NULL), 0);
	size_t n1, n2;
	int rc;
	char *a = drain(&dd, 2567, &n1, &rc, err);
	assert_int_equal(rc, 0);
	char *b = drain(&dd, 2567, &n2, &rc, err);
	assert_int_equal(rc, 0);
	assert_true(n1 > 1000 && n1 == n2);
	assert_memory_equal(a, b, n1);
	assert_memory_equal(a, "PK\x03\x04", 4);
	assert_memory_equal(a + n1 - 22, "PK\x05\x06", 4);   /* end of central directory, no padding */
	/* names are raw UTF-8 in the headers (the files themselves are deflated) */
	assert_non_null(memmem(a, n1, "ita-2567/data/files/1-thai.pdf", strlen("ita-2567/data/files/1-thai.pdf")));
	assert_non_null(memmem(a, n1, "ita-2567/tagmanifest-sha256.txt", strlen("ita-2567/tagmanifest-sha256.txt")));
	free(a);
	free(b);
	/* a year with a plan and no documents is a bundle; a year with nothing is not */
	assert_int_equal(plan_copy_year(dd.db, 2567, 2568, "test", err), 0);
	a = drain(&dd, 2568, &n1, &rc, err);
	assert_int_equal(rc, 0);
	free(a);
	a = drain(&dd, 2590, &n1, &rc, err);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "neither a plan nor any document"));
	free(a);
	cleanup(&dd, dir);
}

static void export_names_a_missing_blob(void **state)
{
	(void)state;
	struct datadir dd;
	char *dir = fresh(&dd), err[LK_ERRLEN] = "";
	struct ingest_opts io;
	ingest_opts_default(&io);
	io.year = 2567;
	io.uploaded_by = "test";
	io.defer_text = 1;
	assert_int_equal(ingest_path(&dd, FIXTURE("image.png"), &io, quiet, NULL), 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(dd.db, "SELECT sha256 FROM document", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *p = blobstore_path(&dd.blobs, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(unlink(p), 0);
	free(p);
	size_t n;
	int rc;
	char *a = drain(&dd, 2567, &n, &rc, err);
	assert_int_equal(rc, -1);
	assert_null(a);
	assert_non_null(strstr(err, "document 1 (1-image.png)"));
	cleanup(&dd, dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safe_names_keep_thai),
		cmocka_unit_test(safe_names_cut_at_characters),
		cmocka_unit_test(export_stream_is_deterministic),
		cmocka_unit_test(export_names_a_missing_blob),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
