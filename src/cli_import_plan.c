/* cli_import_plan: `lakthan import-plan` — read a year's measures report. */
#include "lakthan/cli.h"
#include "lakthan/datadir.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"

#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: lakthan import-plan [--year Y] [--json] [--force] FILE\n"
	"\n"
	"Read a year's integrity-measures report (the tab-separated text export of\n"
	"docs/examples/ita-measures-report-2567-khokhinhae.txt) and create or update\n"
	"that year's issues, findings, measures, results, outcomes and ITA questions.\n"
	"Importing the same file again changes nothing; a corrected file updates the\n"
	"plan in place and keeps every evidence link. A malformed file imports\n"
	"nothing and names the line. Question codes the catalog cannot resolve are\n"
	"warnings with their line numbers, on stderr.\n"
	"\n"
	"--year    the fiscal year (B.E.); default: the year in the report's title\n"
	"--force   remove the links of measures the new report no longer has\n"
	"--json    {\"year\":Y,\"issues\":n,\"measures\":n,\"questions\":[...],\n"
	"           \"changes\":n,\"warnings\":[{\"line\":n,\"message\":..}]}\n";

int cli_import_plan(const struct cli_ctx *ctx, int argc, char **argv)
{
	int json = 0, force = 0, year = 0;
	const char *file = NULL;
	char err[LK_ERRLEN];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--force") == 0) {
			force = 1;
		} else if (strcmp(a, "--year") == 0) {
			if (i + 1 >= argc) {
				cli_error("import-plan", "--year needs a value");
				return EXIT_USAGE;
			}
			if ((year = lk_parse_year(argv[++i], err)) < 0) {
				cli_error("import-plan", "--year: %s", err);
				return EXIT_USAGE;
			}
		} else if (a[0] == '-' && a[1]) {
			cli_error("import-plan", "unknown option %s (see lakthan import-plan --help)", a);
			return EXIT_USAGE;
		} else if (file) {
			cli_error("import-plan", "one report at a time (got %s and %s)", file, a);
			return EXIT_USAGE;
		} else {
			file = a;
		}
	}
	if (!file) {
		cli_error("import-plan", "which report? (see lakthan import-plan --help)");
		return EXIT_USAGE;
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	struct plan_import_result res;
	struct passwd *pw = getpwuid(getuid());
	char who[128];   /* the audit actor: cli:<login> */
	snprintf(who, sizeof who, "cli:%s", pw ? pw->pw_name : "unknown");
	int rc = plan_import_file(dd.db, file, year, force, who, &res, err);
	datadir_close(&dd);
	if (rc != 0) {
		cli_error(file, "%s; nothing was imported", err);
		plan_import_result_release(&res);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < res.nwarnings; i++)
		fprintf(stderr, "lakthan: %s: line %d: warning: %s\n", file, res.warnings[i].line, res.warnings[i].msg);
	if (json) {
		json_t *q = json_array(), *w = json_array();
		for (size_t i = 0; i < res.nquestions; i++)
			json_array_append_new(q, json_string(res.questions[i]));
		for (size_t i = 0; i < res.nwarnings; i++)
			json_array_append_new(w, json_pack("{s:i, s:s}", "line", res.warnings[i].line, "message", res.warnings[i].msg));
		json_t *o = json_pack("{s:i, s:i, s:i, s:o, s:i, s:o}", "year", res.year, "issues", res.issues,
				      "measures", res.measures, "questions", q, "changes", res.changes, "warnings", w);
		char *s = json_dumps(o, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		printf("plan %d: %d issues, %d measures, %zu questions (", res.year, res.issues, res.measures, res.nquestions);
		for (size_t i = 0; i < res.nquestions; i++)
			printf("%s%s", i ? " " : "", res.questions[i]);
		printf(")%s; %zu warnings\n", res.changes ? "" : ", unchanged", res.nwarnings);
	}
	plan_import_result_release(&res);
	return EXIT_OK;
}
