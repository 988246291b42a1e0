/*
 * fuzz_search_query: any bytes as what a person types into the search box
 * (GET /api/search?q=, `lakthan search`), through search_query_parse().
 *
 * The first byte picks the index kind (grams, words, plain); the rest, up to
 * a NUL, is the query. Checks, beyond no crash, leak or UB:
 *  - the parser either fails with a message or gives a query;
 *  - a query's filters are terminated strings, its type one that
 *    search_type_mime() knows;
 *  - its FTS5 expressions (match and words) run without an error against an
 *    in-memory FTS5 table tokenized as the archive's is (the `thai`
 *    tokenizer and lakthan_bm25/lakthan_snippet registered by
 *    fts_thai_register): user text must never become FTS5 syntax;
 *  - on the thai tables, the snippet made outside FTS5 from lakthan_hits()
 *    (what search.c shows) is lakthan_snippet()'s, for every matching row.
 */
#include "lakthan/fts_thai.h"
#include "lakthan/search.h"
#include "lakthan/util.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;

static void setup(void)
{
	char err[LK_ERRLEN];
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || fts_thai_register(db, err) != 0) {
		fprintf(stderr, "fuzz_search_query: setup: %s\n", err);
		abort();
	}
	static const char *const tok[] = {"thai grams", "thai", "unicode61"};
	for (int k = 0; k < 3; k++) {
		char *sql = lk_asprintf(
			"CREATE VIRTUAL TABLE t%d USING fts5(title, filename, description, body,"
			" tokenize = '%s');"
			"INSERT INTO t%d VALUES ('แผนการป้องกันการทุจริต', 'plan-2567.pdf', 'ITA i19',"
			" 'แผนการป้องกันการทุจริตประจำปีงบประมาณ พ.ศ. ๒๕๖๗ การเปิดเผยข้อมูล NEAR AND OR');"
			"INSERT INTO t%d VALUES ('คู่มือการยืมพัสดุ', 'คู่มือ.docx', '', 'คู่มือการยืมพัสดุ o39 e12 ปี');",
			k, tok[k], k, k);
		char *msg = NULL;
		if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
			fprintf(stderr, "fuzz_search_query: setup: %s\n", msg);
			abort();
		}
		free(sql);
	}
}

/* Run expr as the search does; any SQLite error is a finding. */
static void run(int k, const char *expr, const char *query)
{
	static const char *const sqlf[] = {
		"SELECT rowid, lakthan_bm25(t%d, 4.0, 3.0, 2.0, 1.0) FROM t%d WHERE t%d MATCH ?1 ORDER BY 2",
		"SELECT rowid, lakthan_snippet(t%d, char(2), char(3), '…', 16) FROM t%d WHERE t%d MATCH ?1",
	};
	for (int s = 0; s < 2; s++) {
		char *sql = lk_asprintf(sqlf[s], k, k, k);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "fuzz_search_query: prepare: %s\n", sqlite3_errmsg(db));
			abort();
		}
		free(sql);
		sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "fuzz_search_query: kind %d: query '%s' gave the expression '%s', which fails: %s\n",
				k, query, expr, sqlite3_errmsg(db));
			abort();
		}
		sqlite3_finalize(st);
	}
}

/* On a thai index, the snippet search.c makes from lakthan_hits() and the
 * column's text (fts_thai_snippet) must be lakthan_snippet()'s. */
static void same_snippets(int k, const char *expr, const char *query)
{
	static struct fts_thai *tok;
	char err[LK_ERRLEN];
	if (!tok && fts_thai_new(0, &tok, err) != 0)
		abort();
	char *sql = lk_asprintf("SELECT lakthan_snippet(t%d, char(2), char(3), '…', 16), lakthan_hits(t%d),"
				" title, filename, description, body FROM t%d WHERE t%d MATCH ?1", k, k, k, k);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	free(sql);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct fts_thai_hit *h = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1) / (int)sizeof *h;
		struct fts_thai_window w;
		const char *inside = (const char *)sqlite3_column_text(st, 0);
		if (fts_thai_snippet_window(h, n, 16, &w) != 0) {
			if (inside && inside[0]) {
				fprintf(stderr, "fuzz_search_query: '%s': no window outside, '%s' inside\n", query, inside);
				abort();
			}
			continue;
		}
		const char *text = (const char *)sqlite3_column_text(st, 2 + w.col);
		char *outside = fts_thai_snippet(tok, text ? text : "", text ? strlen(text) : 0, &w, "\x02", "\x03", "…");
		if (!outside || !inside || strcmp(outside, inside) != 0) {
			fprintf(stderr, "fuzz_search_query: '%s' (%s): outside '%s', inside '%s'\n", query, expr,
				outside ? outside : "(null)", inside ? inside : "(null)");
			abort();
		}
		free(outside);
	}
	sqlite3_finalize(st);
}

static void terminated(const char *what, const char *s, size_t n)
{
	if (!memchr(s, 0, n)) {
		fprintf(stderr, "fuzz_search_query: %s is not terminated\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		setup();
	if (size < 1)
		return 0;
	int k = data[0] % 3;
	static const enum search_index_kind kinds[] = {SEARCH_INDEX_THAI_GRAMS, SEARCH_INDEX_THAI,
						       SEARCH_INDEX_PLAIN};
	char *q = lk_strndup((const char *)data + 1, size - 1);
	struct search_query qr;
	char err[LK_ERRLEN];
	err[0] = 0;
	if (search_query_parse(q, kinds[k], &qr, err) != 0) {
		if (!err[0] || !memchr(err, 0, sizeof err)) {
			fprintf(stderr, "fuzz_search_query: failed without a message\n");
			abort();
		}
		free(q);
		return 0;
	}
	terminated("type", qr.type, sizeof qr.type);
	terminated("question", qr.question, sizeof qr.question);
	terminated("measure", qr.measure, sizeof qr.measure);
	if (qr.type[0] && !search_type_mime(qr.type)) {
		fprintf(stderr, "fuzz_search_query: unknown type '%s' accepted\n", qr.type);
		abort();
	}
	if (!qr.match && qr.words) {
		fprintf(stderr, "fuzz_search_query: words without match\n");
		abort();
	}
	if (!qr.match && !qr.year && !qr.type[0] && !qr.question[0] && !qr.measure[0]) {
		fprintf(stderr, "fuzz_search_query: a query with nothing to look for\n");
		abort();
	}
	if (qr.match)
		run(k, qr.match, q);
	if (qr.words)
		run(k, qr.words, q);
	if (qr.match && k < 2)
		same_snippets(k, qr.match, q);
	search_query_release(&qr);
	free(q);
	return 0;
}
