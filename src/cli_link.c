/* cli_link: `lakthan link` — tie a document to measures and questions. */
#include "lakthan/cli.h"
#include "lakthan/datadir.h"
#include "lakthan/links.h"
#include "lakthan/plan.h"
#include "lakthan/search.h"
#include "lakthan/util.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: lakthan link ID (--measure M | --question Q)... [--remove]\n"
	"                    [--year Y] [--accept | --reject] [--comment C]\n"
	"\n"
	"Link document ID to measures (1.2) and ITA questions (i19) of a year's\n"
	"plan, or with --remove unlink it. --accept / --reject record an assessor's\n"
	"review of existing links, with --comment. All or nothing: an unknown\n"
	"measure or question changes nothing.\n"
	"\n"
	"--year   the plan to link into; default: the document's year when it has a\n"
	"         plan, else the newest plan. Linking a document of another year is\n"
	"         allowed, with a warning: it counts for coverage of its own year only.\n";

/* A whole positive number, or -1. */
static long long parse_id(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	return (*s && !*end && v > 0) ? v : -1;
}

int cli_link(const struct cli_ctx *ctx, int argc, char **argv)
{
	char err[LK_ERRLEN];
	long long doc = -1;
	int year = 0, remove = 0;
	const char *review = NULL, *comment = "";
	struct link_target *t = lk_calloc((size_t)argc, sizeof *t);
	char (*codes)[16] = lk_calloc((size_t)argc, sizeof *codes);
	size_t nt = 0;
	int rc = EXIT_USAGE;
	struct datadir dd = {0};
	int opened = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			rc = EXIT_OK;
			goto out;
		} else if (strcmp(a, "--remove") == 0) {
			remove = 1;
		} else if (strcmp(a, "--accept") == 0 || strcmp(a, "--reject") == 0) {
			review = a[2] == 'a' ? "accepted" : "rejected";
		} else if (strcmp(a, "--measure") == 0 || strcmp(a, "--question") == 0 ||
			   strcmp(a, "--year") == 0 || strcmp(a, "--comment") == 0) {
			if (!v) {
				cli_error("link", "%s needs a value (see lakthan link --help)", a);
				goto out;
			}
			i++;
			if (strcmp(a, "--year") == 0) {
				if ((year = lk_parse_year(v, err)) < 0) {
					cli_error("link", "--year: %s", err);
					goto out;
				}
			} else if (strcmp(a, "--comment") == 0) {
				comment = v;
			} else if (strcmp(a, "--measure") == 0) {
				int is, pos;
				if (plan_parse_measure_code(v, &is, &pos, err) != 0) {
					cli_error("link", "--measure %s", err);
					goto out;
				}
				snprintf(codes[nt], 16, "%d.%d", is, pos);
				t[nt].kind = LINK_MEASURE;
				t[nt].code = codes[nt];
				nt++;
			} else {
				if (search_question_code(v, codes[nt], err) != 0) {
					cli_error("link", "--%s", err);
					goto out;
				}
				t[nt].kind = LINK_QUESTION;
				t[nt].code = codes[nt];
				nt++;
			}
		} else if (a[0] == '-' && a[1]) {
			cli_error("link", "unknown option %s (see lakthan link --help)", a);
			goto out;
		} else if (doc > 0) {
			cli_error("link", "one document at a time (got %lld and %s)", doc, a);
			goto out;
		} else if ((doc = parse_id(a)) < 0) {
			cli_error("link", "%s is not a document id (a positive number)", a);
			goto out;
		}
	}
	if (doc < 0 || !nt) {
		cli_error("link", "give a document id and at least one --measure or --question (see lakthan link --help)");
		goto out;
	}
	if (review && remove) {
		cli_error("link", "--remove and --%s do not go together", review[0] == 'a' ? "accept" : "reject");
		goto out;
	}
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		rc = EXIT_FAILED;
		goto out;
	}
	opened = 1;
	int doc_year;
	if (links_document_year(dd.db, doc, &doc_year, err) != 0) {
		cli_error("link", "%s", err);
		goto out;
	}
	if (!year)
		year = doc_year && plan_year_exists(dd.db, doc_year) ? doc_year : plan_latest_year(dd.db);
	if (!year) {
		cli_error("link", "there is no plan in this archive yet (import one with lakthan import-plan)");
		goto out;
	}
	struct passwd *pw = getpwuid(getuid());
	char *who = lk_asprintf("cli:%s", pw ? pw->pw_name : "unknown");
	enum link_result *res = lk_calloc(nt, sizeof *res);
	int failed = sqlite3_exec(dd.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK;
	if (failed)
		snprintf(err, sizeof err, "database: %s", sqlite3_errmsg(dd.db));
	for (size_t k = 0; k < nt && !failed; k++) {
		if (review)
			failed = links_review(dd.db, doc, year, &t[k], review, comment, who, err) != 0;
		else
			failed = links_set(dd.db, doc, year, &t[k], remove, who, &res[k], err) != 0;
	}
	if (failed) {
		sqlite3_exec(dd.db, "ROLLBACK", NULL, NULL, NULL);
		cli_error("link", "document %lld: %s; nothing was changed", doc, err);
	} else if (sqlite3_exec(dd.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		cli_error("link", "database: %s", sqlite3_errmsg(dd.db));
		sqlite3_exec(dd.db, "ROLLBACK", NULL, NULL, NULL);
		rc = EXIT_FAILED;
	} else {
		static const char *const said[] = {"linked to", "already linked to", "unlinked from", "was not linked to"};
		for (size_t k = 0; k < nt; k++)
			printf("document %lld %s %s %s of the %d plan\n", doc, review ? review : said[res[k]],
			       t[k].kind == LINK_MEASURE ? "measure" : "question", t[k].code, year);
		if (!remove && !review && doc_year != year)
			fprintf(stderr, "lakthan: link: warning: document %lld is %s%.0d, linked into the %d plan: it backs %d coverage only once its year is %d\n",
				doc, doc_year ? "of " : "of no year", doc_year, year, year, year);
		rc = EXIT_OK;
	}
	if (failed && rc == EXIT_USAGE && strncmp(err, "database", 8) == 0)
		rc = EXIT_FAILED;
	free(res);
	free(who);
out:
	if (opened)
		datadir_close(&dd);
	free(t);
	free(codes);
	return rc;
}
