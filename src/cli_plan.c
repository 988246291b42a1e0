/* cli_plan: `lakthan plan` — see and edit a year's plan by hand. */
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
	"usage: lakthan plan [--year Y] SUBCOMMAND ...\n"
	"\n"
	"  show [--json]                    the plan: issues, rows, questions, measures\n"
	"  add-issue NUMBER TITLE           a new issue (ประเด็น)\n"
	"  rename-issue NUMBER TITLE\n"
	"  add-measure ISSUE TEXT           appended to the issue; prints its code\n"
	"  edit-measure CODE TEXT           new wording; the code and links stay\n"
	"  delete-measure CODE [--force]    refused while documents are linked to it,\n"
	"                                   unless --force (the links are removed)\n"
	"  questions CODE [Q...]            the ITA questions the measure's row cites\n"
	"  new-year --from Y0               start the --year plan from Y0's: issues,\n"
	"                                   findings, measures, questions; no links\n"
	"\n"
	"--year defaults to the newest plan (new-year needs it: the year to start).\n";

/* Print the plan for a person. */
static void print_plan(json_t *p)
{
	size_t i, j, k;
	json_t *is, *row, *x;
	printf("Plan %lld\n", (long long)json_integer_value(json_object_get(p, "year")));
	json_array_foreach(json_object_get(p, "issues"), i, is) {
		printf("\n(%lld) %s\n", (long long)json_integer_value(json_object_get(is, "number")),
		       json_string_value(json_object_get(is, "title")));
		json_array_foreach(json_object_get(is, "rows"), j, row) {
			printf("  questions:");
			json_array_foreach(json_object_get(row, "questions"), k, x)
				printf(" %s", json_string_value(json_object_get(x, "code")));
			const char *u = json_string_value(json_object_get(row, "unresolved"));
			if (u && *u)
				printf("  (unresolved: %s)", u);
			putchar('\n');
			json_array_foreach(json_object_get(row, "measures"), k, x)
				printf("  %-5s %s\n", json_string_value(json_object_get(x, "code")),
				       json_string_value(json_object_get(x, "text")));
		}
	}
}

int cli_plan(const struct cli_ctx *ctx, int argc, char **argv)
{
	char err[LK_ERRLEN];
	int year = 0, from = 0, json = 0, force = 0;
	char **args = lk_calloc((size_t)argc + 1, sizeof *args);
	int nargs = 0, rc = EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			free(args);
			return EXIT_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--force") == 0) {
			force = 1;
		} else if (strcmp(a, "--year") == 0 || strcmp(a, "--from") == 0) {
			int v;
			if (i + 1 >= argc || (v = lk_parse_year(argv[i + 1], err)) < 0) {
				cli_error("plan", "%s: %s", a, i + 1 >= argc ? "needs a year" : err);
				free(args);
				return EXIT_USAGE;
			}
			i++;
			*(a[2] == 'y' ? &year : &from) = v;
		} else if (strcmp(a, "--") == 0) {
			while (++i < argc)
				args[nargs++] = argv[i];
		} else if (a[0] == '-' && a[1] == '-') {
			cli_error("plan", "unknown option %s (see lakthan plan --help)", a);
			free(args);
			return EXIT_USAGE;
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (!nargs) {
		cli_error("plan", "which subcommand? (see lakthan plan --help)");
		free(args);
		return EXIT_USAGE;
	}
	const char *sub = args[0];
	static const struct { const char *name; int min, max; } subs[] = {
		{"show", 1, 1}, {"add-issue", 3, 3}, {"rename-issue", 3, 3}, {"add-measure", 3, 3},
		{"edit-measure", 3, 3}, {"delete-measure", 2, 2}, {"questions", 2, 1000}, {"new-year", 1, 1},
		{NULL, 0, 0},
	};
	int known = 0;
	for (int s = 0; subs[s].name; s++)
		if (strcmp(sub, subs[s].name) == 0) {
			known = 1;
			if (nargs < subs[s].min || nargs > subs[s].max) {
				cli_error("plan", "%s: wrong number of arguments (see lakthan plan --help)", sub);
				free(args);
				return EXIT_USAGE;
			}
		}
	if (!known) {
		cli_error("plan", "unknown subcommand %s (see lakthan plan --help)", sub);
		free(args);
		return EXIT_USAGE;
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		free(args);
		return EXIT_FAILED;
	}
	if (!year && strcmp(sub, "new-year") != 0)
		year = plan_latest_year(dd.db);
	if (!year) {
		cli_error("plan", "%s: give --year (there is no plan to default to)", sub);
		goto out;
	}
	int number = 0, ok = -1;
	struct passwd *pw = getpwuid(getuid());
	char who[128];   /* the audit actor of CONTRACT's CLI: cli:<login> */
	snprintf(who, sizeof who, "cli:%s", pw ? pw->pw_name : "unknown");
	if (strcmp(sub, "add-issue") == 0 || strcmp(sub, "rename-issue") == 0 || strcmp(sub, "add-measure") == 0) {
		char *end;
		long v = strtol(args[1], &end, 10);
		if (!*args[1] || *end || v < 1 || v > 999) {
			cli_error("plan", "%s: %s is not an issue number", sub, args[1]);
			goto out;
		}
		number = (int)v;
	}
	if (strcmp(sub, "show") == 0) {
		if (!plan_year_exists(dd.db, year)) {
			cli_error("plan", "there is no plan for %d", year);
			goto out;
		}
		json_t *p = plan_json(dd.db, year, err);
		if (!p) {
			cli_error("plan", "%s", err);
			rc = EXIT_FAILED;
			goto out;
		}
		if (json) {
			char *s = json_dumps(p, JSON_COMPACT);
			printf("%s\n", s);
			free(s);
		} else {
			print_plan(p);
		}
		json_decref(p);
		rc = EXIT_OK;
		goto out;
	} else if (strcmp(sub, "add-issue") == 0) {
		if ((ok = plan_issue_add(dd.db, year, number, args[2], who, err)) == 0)
			printf("issue %d added to the %d plan\n", number, year);
	} else if (strcmp(sub, "rename-issue") == 0) {
		if ((ok = plan_issue_rename(dd.db, year, number, args[2], who, err)) == 0)
			printf("issue %d of the %d plan renamed\n", number, year);
	} else if (strcmp(sub, "add-measure") == 0) {
		char code[16];
		if ((ok = plan_measure_add(dd.db, year, number, args[2], code, who, err)) == 0)
			printf("measure %s added to the %d plan\n", code, year);
	} else if (strcmp(sub, "edit-measure") == 0) {
		if ((ok = plan_measure_edit(dd.db, year, args[1], args[2], who, err)) == 0)
			printf("measure %s of the %d plan changed\n", args[1], year);
	} else if (strcmp(sub, "delete-measure") == 0) {
		int removed;
		if ((ok = plan_measure_delete(dd.db, year, args[1], force, &removed, who, err)) == 0)
			printf("measure %s deleted from the %d plan (%d link%s removed)\n", args[1], year, removed, removed == 1 ? "" : "s");
	} else if (strcmp(sub, "questions") == 0) {
		if ((ok = plan_measure_set_questions(dd.db, year, args[1], args + 2, (size_t)nargs - 2, who, err)) == 0)
			printf("the row of measure %s cites %d question%s\n", args[1], nargs - 2, nargs == 3 ? "" : "s");
	} else if (strcmp(sub, "new-year") == 0) {
		if (!from) {
			cli_error("plan", "new-year: give --from YEAR");
			goto out;
		}
		if ((ok = plan_copy_year(dd.db, from, year, who, err)) == 0)
			printf("the %d plan starts from the %d plan (no links carried over)\n", year, from);
	}
	if (ok != 0)
		cli_error("plan", "%s: %s", sub, err);
	rc = ok == 0 ? EXIT_OK : ok == LK_INTERNAL ? EXIT_FAILED : EXIT_USAGE;
out:
	datadir_close(&dd);
	free(args);
	return rc;
}
