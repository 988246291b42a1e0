/* cli_search: `lakthan search` — full-text search from the command line. */
#include "lakthan/cli.h"
#include "lakthan/datadir.h"
#include "lakthan/buf.h"
#include "lakthan/search.h"
#include "lakthan/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: lakthan search [--json] [--year Y] [--question Q] [--measure M]\n"
	"                      [--type T] [--limit N] [--offset N] QUERY...\n"
	"\n"
	"Search the documents' titles, file names, descriptions and text, in Thai\n"
	"or any other language; the best matches first.\n"
	"\n"
	"QUERY: words (all must match), \"a phrase\", -word to exclude, OR between\n"
	"words, word* for a prefix, and the filters year:2567, type:pdf,\n"
	"question:i19, measure:1.2. Thai digits and ASCII digits are the same.\n"
	"--json prints the object of GET /api/search:\n"
	"{\"total\":n,\"total_exact\":bool,\"results\":[{id,title,filename,mime,year,score,snippet,measures,questions}]}\n"
	"--limit defaults to 20 (at most 100).\n";

/* A whole number in [lo, hi] from s, or -1. */
static int parse_int(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	return (int)v;
}

/* Print one result for a person: id, title, file, then the snippet with the
 * HTML turned back into text and the matches in [brackets]. */
static void print_result(json_t *r)
{
	json_t *year = json_object_get(r, "year");
	printf("%lld  %s  (%s", (long long)json_integer_value(json_object_get(r, "id")),
	       json_string_value(json_object_get(r, "title")), json_string_value(json_object_get(r, "filename")));
	if (json_is_integer(year))
		printf(", %lld", (long long)json_integer_value(year));
	printf(")\n    ");
	static const struct { const char *from, *to; } un[] = {
		{"<mark>", "["}, {"</mark>", "]"}, {"&amp;", "&"}, {"&lt;", "<"},
		{"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {NULL, NULL},
	};
	for (const char *p = json_string_value(json_object_get(r, "snippet")); p && *p;) {
		int done = 0;
		for (int i = 0; un[i].from && !done; i++) {
			size_t n = strlen(un[i].from);
			if (strncmp(p, un[i].from, n) == 0) {
				fputs(un[i].to, stdout);
				p += n;
				done = 1;
			}
		}
		if (!done)
			putchar(*p++);
	}
	putchar('\n');
}

int cli_search(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct search_request rq;
	int json = 0;
	char err[LK_ERRLEN];
	struct buf q;
	memset(&rq, 0, sizeof rq);
	rq.limit = 20;
	buf_init(&q, 0);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			buf_release(&q);
			return EXIT_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--year") == 0 || strcmp(a, "--question") == 0 || strcmp(a, "--measure") == 0 ||
			   strcmp(a, "--type") == 0 || strcmp(a, "--limit") == 0 || strcmp(a, "--offset") == 0) {
			if (!v) {
				cli_error("search", "%s needs a value (see lakthan search --help)", a);
				buf_release(&q);
				return EXIT_USAGE;
			}
			i++;
			if (strcmp(a, "--year") == 0) {
				rq.year = lk_parse_year(v, err);
				if (rq.year < 0) {
					cli_error("search", "--year: %s", err);
					buf_release(&q);
					return EXIT_USAGE;
				}
			} else if (strcmp(a, "--question") == 0) {
				rq.question = v;
			} else if (strcmp(a, "--measure") == 0) {
				rq.measure = v;
			} else if (strcmp(a, "--type") == 0) {
				rq.type = v;
			} else if (strcmp(a, "--limit") == 0 && (rq.limit = parse_int(v, 1, SEARCH_MAX_LIMIT)) < 0) {
				cli_error("search", "--limit must be a number from 1 to %d", SEARCH_MAX_LIMIT);
				buf_release(&q);
				return EXIT_USAGE;
			} else if (strcmp(a, "--offset") == 0 && (rq.offset = parse_int(v, 0, 1000000000)) < 0) {
				cli_error("search", "--offset must be a number from 0");
				buf_release(&q);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++) {
				if (q.len)
					buf_putc(&q, ' ');
				buf_puts(&q, argv[i]);
			}
		} else if (a[0] == '-' && a[1] == '-') {
			cli_error("search", "unknown option %s (see lakthan search --help)", a);
			buf_release(&q);
			return EXIT_USAGE;
		} else {
			if (q.len)
				buf_putc(&q, ' ');
			buf_puts(&q, a);
		}
	}
	rq.q = q.data ? q.data : "";
	if (!*rq.q && !rq.year && !rq.type && !rq.question && !rq.measure) {
		cli_error("search", "what to look for? (see lakthan search --help)");
		buf_release(&q);
		return EXIT_USAGE;
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		buf_release(&q);
		return EXIT_FAILED;
	}
	json_t *out = NULL;
	enum search_status st = search_run(dd.db, &rq, &out, err);
	datadir_close(&dd);
	buf_release(&q);
	if (st != SEARCH_OK) {
		cli_error("search", "%s", err);
		return st == SEARCH_BAD_QUERY ? EXIT_USAGE : EXIT_FAILED;
	}
	if (json) {
		char *s = json_dumps(out, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
	} else {
		json_t *res = json_object_get(out, "results");
		size_t i;
		json_t *r;
		/* past the counting cap, or answered by the word stage alone, the
		 * total is a lower bound: say so rather than claim an exact count */
		printf("%lld%s found\n", (long long)json_integer_value(json_object_get(out, "total")),
		       json_is_false(json_object_get(out, "total_exact")) ? "+" : "");
		json_array_foreach(res, i, r)
			print_result(r);
	}
	json_decref(out);
	return EXIT_OK;
}
