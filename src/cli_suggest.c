/* cli_suggest: `lakthan suggest` — the measures a document most likely backs. */
#include "lakthan/cli.h"
#include "lakthan/datadir.h"
#include "lakthan/suggest.h"
#include "lakthan/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: lakthan suggest [--year Y] [--limit N] [--json] ID\n"
	"\n"
	"Rank the measures of a year's plan by how well document ID's text matches\n"
	"each measure and the results and outcomes of its plan row; best first.\n"
	"Also shows the date the text is about, and the fiscal year it proposes.\n"
	"Confirm a suggestion with lakthan link ID --measure CODE.\n"
	"\n"
	"--year   default: the document's year when it has a plan, else the newest\n"
	"--limit  default 5 (at most 100)\n"
	"--json   {\"document\":id,\"year\":Y,\"evidence_date\":..,\"proposed_year\":..,\n"
	"          \"suggestions\":[{\"code\",\"text\",\"score\",\"linked\"}]}\n";

int cli_suggest(const struct cli_ctx *ctx, int argc, char **argv)
{
	char err[LK_ERRLEN];
	int json = 0, year = 0, limit = 5;
	long long doc = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--year") == 0 && i + 1 < argc) {
			if ((year = lk_parse_year(argv[++i], err)) < 0) {
				cli_error("suggest", "--year: %s", err);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--limit") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 1 || v > 100) {
				cli_error("suggest", "--limit must be a number from 1 to 100");
				return EXIT_USAGE;
			}
			limit = (int)v;
		} else if (a[0] == '-') {
			cli_error("suggest", "unknown or incomplete option %s (see lakthan suggest --help)", a);
			return EXIT_USAGE;
		} else {
			char *end;
			doc = strtoll(a, &end, 10);
			if (*end || doc < 1) {
				cli_error("suggest", "%s is not a document id (a positive number)", a);
				return EXIT_USAGE;
			}
		}
	}
	if (doc < 1) {
		cli_error("suggest", "which document? (see lakthan suggest --help)");
		return EXIT_USAGE;
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	json_t *s = suggest_json(dd.db, doc, year, limit, err);
	datadir_close(&dd);
	if (!s) {
		cli_error("suggest", "document %lld: %s", doc, err);
		return strncmp(err, "database", 8) == 0 ? EXIT_FAILED : EXIT_USAGE;
	}
	if (json) {
		char *t = json_dumps(s, JSON_COMPACT);
		printf("%s\n", t);
		free(t);
	} else {
		json_t *ed = json_object_get(s, "evidence_date");
		printf("document %lld, %lld plan", doc, (long long)json_integer_value(json_object_get(s, "year")));
		if (json_is_string(ed))
			printf("; its text is dated %s (fiscal year %lld)", json_string_value(ed),
			       (long long)json_integer_value(json_object_get(s, "proposed_year")));
		putchar('\n');
		size_t i;
		json_t *x;
		json_t *a = json_object_get(s, "suggestions");
		if (!json_array_size(a))
			printf("  no measure shares a word with this document\n");
		json_array_foreach(a, i, x)
			printf("  %-5s %8.3g%s  %s\n", json_string_value(json_object_get(x, "code")),
			       json_real_value(json_object_get(x, "score")),
			       json_is_true(json_object_get(x, "linked")) ? " (linked)" : "",
			       json_string_value(json_object_get(x, "text")));
	}
	json_decref(s);
	return EXIT_OK;
}
