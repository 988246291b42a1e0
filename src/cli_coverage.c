/* cli_coverage: `lakthan coverage` — which measures have evidence, gaps first. */
#include "lakthan/cli.h"
#include "lakthan/coverage.h"
#include "lakthan/datadir.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: lakthan coverage [--year Y] [--json]\n"
	"\n"
	"Show which measures and ITA questions of a year's plan are backed by\n"
	"evidence: the measures without any first, then each issue with its\n"
	"measures (✓ backed, ✗ not) and documents, then the questions.\n"
	"Rule: " COVERAGE_RULE ".\n"
	"\n"
	"--year   default: the newest plan\n"
	"--json   the object of GET /api/coverage\n";

/* Print at most max bytes of s, cut between characters, with … when cut. */
static void print_cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max) {
		fputs(s, stdout);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	fwrite(s, 1, max, stdout);
	fputs("…", stdout);
}

/* The documents of one measure or question as " [id] title, ...". */
static void print_docs(json_t *docs)
{
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d) {
		printf("%s[%lld] ", i ? ", " : "      ← ", (long long)json_integer_value(json_object_get(d, "id")));
		print_cut(json_string_value(json_object_get(d, "title")), 60);
	}
	if (json_array_size(docs))
		putchar('\n');
}

/* The coverage for a person: rule, counts, gaps, then issue by issue. */
static void print_table(json_t *c)
{
	long long mt = json_integer_value(json_object_get(c, "measures_total"));
	long long mb = json_integer_value(json_object_get(c, "measures_backed"));
	long long qt = json_integer_value(json_object_get(c, "questions_total"));
	long long qb = json_integer_value(json_object_get(c, "questions_backed"));
	json_t *issues = json_object_get(c, "issues"), *is, *m;
	size_t i, j;
	printf("Coverage of the %lld plan\n", (long long)json_integer_value(json_object_get(c, "year")));
	printf("Rule: %s.\n\n", COVERAGE_RULE);
	printf("measures backed:  %lld of %lld (%d%%)\n", mb, mt, coverage_percent(mb, mt));
	printf("questions backed: %lld of %lld (%d%%)\n\n", qb, qt, coverage_percent(qb, qt));
	if (mb < mt) {
		printf("Measures without evidence (%lld):\n", mt - mb);
		json_array_foreach(issues, i, is)
			json_array_foreach(json_object_get(is, "measures"), j, m)
				if (!json_is_true(json_object_get(m, "backed"))) {
					printf("  ✗ %-5s ", json_string_value(json_object_get(m, "code")));
					print_cut(json_string_value(json_object_get(m, "text")), 240);
					putchar('\n');
				}
		putchar('\n');
	}
	json_array_foreach(issues, i, is) {
		printf("(%lld) ", (long long)json_integer_value(json_object_get(is, "number")));
		print_cut(json_string_value(json_object_get(is, "title")), 120);
		printf("  %lld/%lld\n", (long long)json_integer_value(json_object_get(is, "measures_backed")),
		       (long long)json_integer_value(json_object_get(is, "measures_total")));
		json_array_foreach(json_object_get(is, "measures"), j, m) {
			printf("  %s %-5s ", json_is_true(json_object_get(m, "backed")) ? "✓" : "✗",
			       json_string_value(json_object_get(m, "code")));
			print_cut(json_string_value(json_object_get(m, "text")), 120);
			putchar('\n');
			print_docs(json_object_get(m, "documents"));
		}
	}
	printf("\nQuestions:\n");
	json_array_foreach(json_object_get(c, "questions"), i, m) {
		printf("  %s %-4s ", json_is_true(json_object_get(m, "backed")) ? "✓" : "✗",
		       json_string_value(json_object_get(m, "code")));
		print_cut(json_string_value(json_object_get(m, "text")), 120);
		putchar('\n');
		print_docs(json_object_get(m, "documents"));
	}
}

int cli_coverage(const struct cli_ctx *ctx, int argc, char **argv)
{
	int json = 0, year = 0;
	char err[LK_ERRLEN];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--year") == 0 && i + 1 < argc) {
			if ((year = lk_parse_year(argv[++i], err)) < 0) {
				cli_error("coverage", "--year: %s", err);
				return EXIT_USAGE;
			}
		} else {
			cli_error("coverage", "unexpected argument %s (see lakthan coverage --help)", argv[i]);
			return EXIT_USAGE;
		}
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	if (!year)
		year = plan_latest_year(dd.db);
	if (!year || !plan_year_exists(dd.db, year)) {
		if (year)
			cli_error("coverage", "there is no plan for %d (import one with lakthan import-plan)", year);
		else
			cli_error("coverage", "there is no plan in this archive yet (import one with lakthan import-plan)");
		datadir_close(&dd);
		return EXIT_USAGE;
	}
	json_t *c = coverage_json(dd.db, year, err);
	datadir_close(&dd);
	if (!c) {
		cli_error("coverage", "%s", err);
		return EXIT_FAILED;
	}
	if (json) {
		char *s = json_dumps(c, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
	} else {
		print_table(c);
	}
	json_decref(c);
	return EXIT_OK;
}
