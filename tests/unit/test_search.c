/* Unit tests for search.c on a real archive database: ranking by field,
 * snippets, filters, the index kept in step with the documents, and bad
 * queries that never leak an SQL error. */
#include "unit.h"
#include "lakthan/db.h"
#include "lakthan/search.h"
#include "lakthan/util.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char path[64];

/* Add a document with its text (or none when text is NULL). */
static void add(sqlite3 *db, int id, const char *title, const char *filename, const char *mime, int year, const char *text)
{
	char err[LK_ERRLEN];
	sqlite3_stmt *st;
	assert_int_equal(db_prepare(db, &st,
				    "INSERT INTO document (id, sha256, size, mime, filename, title, year, uploaded_by, uploaded_at, text_status)"
				    " VALUES (?1, printf('%064d', ?1), 1, ?2, ?3, ?4, ?5, 'test', '2026-01-01T00:00:00Z', 'ok')", err), 0);
	sqlite3_bind_int(st, 1, id);
	sqlite3_bind_text(st, 2, mime, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, filename, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, title, -1, SQLITE_STATIC);
	if (year)
		sqlite3_bind_int(st, 5, year);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	if (!text)
		return;
	assert_int_equal(db_prepare(db, &st, "INSERT INTO document_text (document_id, text) VALUES (?, ?)", err), 0);
	sqlite3_bind_int(st, 1, id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static int setup(void **state)
{
	char err[LK_ERRLEN];
	sqlite3 *db;
	snprintf(path, sizeof path, "/tmp/lakthan-search-XXXXXX");
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	if (db_open(path, &db, err) != 0)
		return -1;
	add(db, 1, "รายงานประจำปี", "report.pdf", "application/pdf", 2566,
	    "ข้อความทั่วไปเกี่ยวกับการป้องกันการทุจริตในหน่วยงาน <script>alert(1)</script> & อื่น ๆ");
	add(db, 2, "แผนป้องกันการทุจริต ปีงบประมาณ ๒๕๖๗", "plan.docx",
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 2567, "มาตรการและแผนงาน");
	add(db, 3, "คู่มือการยืมพัสดุ", "manual.txt", "text/plain", 2567, "คู่มือ การยืม และการคืนพัสดุ ของ อบต.โคกหินแฮ่");
	add(db, 4, "ไม่มีข้อความ", "scan.png", "image/png", 2567, NULL);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	sqlite3_close(*state);
	char *p = lk_asprintf("rm -f %s %s-wal %s-shm", path, path, path);
	int rc = system(p);
	free(p);
	return rc;
}

/* Run q and return the ids in order as "2,1" (static buffer). */
static const char *ids(sqlite3 *db, const char *q, int year, const char *type)
{
	static char out[LK_ERRLEN + 16];
	char err[LK_ERRLEN];
	json_t *o;
	struct search_request rq = {q, year, NULL, NULL, type, 10, 0, SEARCH_INDEX_THAI_GRAMS};
	enum search_status st = search_run(db, &rq, &o, err);
	if (st != SEARCH_OK) {
		snprintf(out, sizeof out, "error: %s", err);
		return out;
	}
	out[0] = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(o, "results"), i, r) {
		char one[32];
		snprintf(one, sizeof one, "%s%lld", i ? "," : "", (long long)json_integer_value(json_object_get(r, "id")));
		strncat(out, one, sizeof out - strlen(out) - 1);
	}
	assert_int_equal(json_integer_value(json_object_get(o, "total")), json_array_size(json_object_get(o, "results")));
	json_decref(o);
	return out;
}

static void title_ranks_above_body(void **state)
{
	sqlite3 *db = *state;
	/* ทุจริต inside a run, in the title of 2 and the body of 1 */
	assert_string_equal(ids(db, "ทุจริต", 0, NULL), "2,1");
	assert_string_equal(ids(db, "2567", 0, NULL), "2");
	assert_string_equal(ids(db, "๒๕๖๗", 0, NULL), "2");
	assert_string_equal(ids(db, "คู่มือ การยืม", 0, NULL), "3");
	/* a place name no dictionary has, and a two-letter query */
	assert_string_equal(ids(db, "โคกหินแฮ่", 0, NULL), "3");
	assert_string_equal(ids(db, "งบ", 0, NULL), "2");
	assert_string_equal(ids(db, "manual", 0, NULL), "3");
}

static void filters_by_year_and_type(void **state)
{
	sqlite3 *db = *state;
	assert_string_equal(ids(db, "ทุจริต", 2566, NULL), "1");
	assert_string_equal(ids(db, "ทุจริต year:2567", 0, NULL), "2");
	assert_string_equal(ids(db, "ทุจริต type:pdf", 0, NULL), "1");
	assert_string_equal(ids(db, "", 0, "image"), "4");
	assert_string_equal(ids(db, "type:docx", 0, NULL), "2");
	assert_string_equal(ids(db, "ทุจริต -มาตรการ", 0, NULL), "1");
	char err[LK_ERRLEN];
	json_t *o;
	struct search_request rq = {"question:i19 ทุจริต", 0, NULL, NULL, NULL, 10, 0, SEARCH_INDEX_THAI_GRAMS};
	/* the plan's links answer question: (none here, so nothing is found) */
	assert_int_equal(search_run(db, &rq, &o, err), SEARCH_OK);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 0);
	json_decref(o);
}

static void snippets_are_escaped_and_marked(void **state)
{
	sqlite3 *db = *state;
	char err[LK_ERRLEN];
	json_t *o;
	struct search_request rq = {"alert", 0, NULL, NULL, NULL, 10, 0, SEARCH_INDEX_THAI_GRAMS};
	assert_int_equal(search_run(db, &rq, &o, err), SEARCH_OK);
	const char *s = json_string_value(json_object_get(json_array_get(json_object_get(o, "results"), 0), "snippet"));
	assert_non_null(strstr(s, "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp;"));
	json_decref(o);
	char *h = search_snippet_html("a\x02<b>\x03 \n\t c", '\x02', '\x03');
	assert_string_equal(h, "a<mark>&lt;b&gt;</mark> c");
	free(h);
	h = search_snippet_html("x  \x02y\x03", '\x02', '\x03');
	assert_string_equal(h, "x <mark>y</mark>");
	free(h);
}

static void cuts_never_split_a_cluster(void **state)
{
	(void)state;
	const char *s = "ที่นี่";  /* ท ี ่ น ี ่ : 18 bytes */
	for (size_t max = 0; max <= 18; max++) {
		size_t n = search_cut_cluster(s, strlen(s), max);
		assert_true(n == 0 || n == 9 || n == 18);
		assert_true(n <= max);
	}
}

static void index_follows_changes(void **state)
{
	sqlite3 *db = *state;
	char err[LK_ERRLEN];
	assert_int_equal(db_exec(db, "UPDATE document SET title = 'ประกาศเจตนารมณ์' WHERE id = 3", err), 0);
	assert_string_equal(ids(db, "เจตนารมณ์", 0, NULL), "3");
	assert_string_equal(ids(db, "manual", 0, NULL), "3");
	assert_string_equal(ids(db, "พัสดุ", 0, NULL), "3");
	assert_int_equal(db_exec(db, "UPDATE document_text SET text = 'ข้อความใหม่' WHERE document_id = 3", err), 0);
	assert_string_equal(ids(db, "พัสดุ", 0, NULL), "");
	assert_string_equal(ids(db, "ข้อความใหม่", 0, NULL), "3");
	/* withdrawn documents are not found */
	assert_int_equal(db_exec(db, "UPDATE document SET withdrawn_at = '2026-01-02T00:00:00Z' WHERE id = 3", err), 0);
	assert_string_equal(ids(db, "ข้อความใหม่", 0, NULL), "");
	assert_int_equal(db_exec(db, "DELETE FROM document_text WHERE document_id = 3; DELETE FROM document WHERE id = 3", err), 0);
	assert_string_equal(ids(db, "เจตนารมณ์", 0, NULL), "");
	/* the index agrees with its content */
	assert_int_equal(db_exec(db, "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)", err), 0);
}

static void bad_queries_never_leak_sql(void **state)
{
	sqlite3 *db = *state;
	static const char *const qs[] = {
		"\"ทุจริต", "NEAR(", "AND (", "^", ":", "   ", "\xFF", "ทุจริต OR", "OR OR", "-", "\"\"\"", "*ทุจ*",
		"NEAR(\"a\" \"b\", 0)", "a AND", "(((", ")", "title:x", "{title}: x", "\x01gram", NULL,
	};
	char err[LK_ERRLEN];
	for (int i = 0; qs[i]; i++) {
		json_t *o = NULL;
		struct search_request rq = {qs[i], 0, NULL, NULL, NULL, 10, 0, SEARCH_INDEX_THAI_GRAMS};
		err[0] = 0;
		enum search_status st = search_run(db, &rq, &o, err);
		if (st == SEARCH_FAILED)
			fail_msg("%s: %s", qs[i], err);
		if (st == SEARCH_BAD_QUERY && (!err[0] || strstr(err, "fts5") || strstr(err, "syntax")))
			fail_msg("%s: unclear error '%s'", qs[i], err);
		json_decref(o);
	}
}

/* Run q with limit and offset: the result object (the caller decrefs). */
static json_t *run(sqlite3 *db, const char *q, int limit, int offset)
{
	char err[LK_ERRLEN];
	json_t *o = NULL;
	struct search_request rq = {q, 0, NULL, NULL, NULL, limit, offset, SEARCH_INDEX_THAI_GRAMS};
	if (search_run(db, &rq, &o, err) != SEARCH_OK)
		fail_msg("%s: %s", q, err);
	return o;
}

static void words_first_then_grams(void **state)
{
	sqlite3 *db = *state;
	/* the words fill a page of one: answered by them, the total a lower
	 * bound (the grams were not asked) */
	json_t *o = run(db, "ทุจริต", 1, 0);
	assert_int_equal(json_array_size(json_object_get(o, "results")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 2);
	assert_true(json_is_false(json_object_get(o, "total_exact")));
	json_decref(o);
	/* they do not fill a page of ten: the grams run, the total is exact */
	o = run(db, "ทุจริต", 10, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 2);
	assert_true(json_is_true(json_object_get(o, "total_exact")));
	json_decref(o);
	/* letters inside a word (ระจำปี of รายงานประจำปี): no word has them,
	 * so even a page of one falls back to the grams */
	o = run(db, "ระจำปี", 1, 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(o, "results"), 0), "id")), 1);
	assert_true(json_is_true(json_object_get(o, "total_exact")));
	const char *snip = json_string_value(json_object_get(json_array_get(json_object_get(o, "results"), 0), "snippet"));
	assert_non_null(snip);
	json_decref(o);
}

static void total_is_capped(void **state)
{
	sqlite3 *db = *state;
	char err[LK_ERRLEN];
	assert_int_equal(db_exec(db, "BEGIN", err), 0);
	for (int i = 0; i < 1100; i++) {
		char title[64];
		snprintf(title, sizeof title, "capword %d", i);
		add(db, 1000 + i, title, "cap.txt", "text/plain", 2567, i % 2 ? "capword again" : NULL);
	}
	assert_int_equal(db_exec(db, "COMMIT", err), 0);
	/* past the cap: 1,000 and not exact; the page is still there */
	json_t *o = run(db, "capword", 10, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 1000);
	assert_true(json_is_false(json_object_get(o, "total_exact")));
	assert_int_equal(json_array_size(json_object_get(o, "results")), 10);
	json_decref(o);
	/* a page past the ranked candidates still exists */
	o = run(db, "capword", 10, 600);
	assert_int_equal(json_array_size(json_object_get(o, "results")), 10);
	json_decref(o);
	/* under the cap: exact, past the 400 candidates (the count goes on
	 * below the oldest of them) */
	o = run(db, "capword year:2567 again", 100, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 550);
	assert_true(json_is_true(json_object_get(o, "total_exact")));
	json_decref(o);
	/* an empty page past the end still has the total */
	o = run(db, "capword year:2567 again", 10, 600);
	assert_int_equal(json_array_size(json_object_get(o, "results")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 550);
	assert_true(json_is_true(json_object_get(o, "total_exact")));
	json_decref(o);
	/* nothing at all: 0, exact */
	o = run(db, "capword nosuchword", 10, 0);
	assert_int_equal(json_array_size(json_object_get(o, "results")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 0);
	assert_true(json_is_true(json_object_get(o, "total_exact")));
	json_decref(o);
}

/* A one-cluster query (ปี) finds the word, and, when the word does not
 * fill the page, the cluster inside a compound (ปีงบประมาณ) through its
 * gram prefix ("\x01ปี"*). The archive's index (schema/006) has no prefix
 * index and is ranked by lakthan_bm25. */
static void one_cluster_finds_word_and_compound(void **state)
{
	sqlite3 *db = *state;
	char err[LK_ERRLEN];
	sqlite3_stmt *st;
	assert_int_equal(db_prepare(db, &st, "SELECT sql FROM sqlite_master WHERE name = 'search_fts'", err), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_null(strstr((const char *)sqlite3_column_text(st, 0), "prefix"));
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "'thai grams'"));
	sqlite3_finalize(st);
	assert_int_equal(db_prepare(db, &st, "SELECT v FROM search_fts_config WHERE k = 'rank'", err), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "lakthan_bm25("));
	sqlite3_finalize(st);
	/* the gram prefix alone: only document 2 has ปี before another cluster */
	assert_int_equal(db_prepare(db, &st, "SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH ?1", err), 0);
	sqlite3_bind_text(st, 1, grams_in("\"\x01ปี\"*"), -1, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "2");
	sqlite3_finalize(st);
	/* the whole query: the word ปี (document 1) or the cluster in a compound */
	const char *got = ids(db, "ปี", 0, NULL);
	if (strcmp(got, "2,1") != 0 && strcmp(got, "1,2") != 0)
		fail_msg("ปี found %s", got);
	/* a page the word fills is answered by the word alone */
	json_t *o = run(db, "ปี", 1, 0);
	assert_int_equal(json_array_size(json_object_get(o, "results")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(o, "results"), 0), "id")), 1);
	assert_true(json_is_false(json_object_get(o, "total_exact")));
	json_decref(o);
}

/* Schema 006 remakes the index of an older archive (002's, with its prefix
 * index and grams in UTF-8) and rebuilds it from the documents, leaving a
 * purged one out. The old table is emulated empty: whatever it held, the
 * rebuild must be what search finds afterwards. */
static void migration_006_rebuilds_an_old_index(void **state)
{
	(void)state;
	char err[LK_ERRLEN], p6[] = "/tmp/lakthan-m006-XXXXXX";
	sqlite3 *db = unit_db_open(p6);
	add(db, 1, "รายงานประจำปี", "report.pdf", "application/pdf", 2566, "การป้องกันการทุจริต");
	add(db, 2, "แผนงบประมาณ", "plan.docx", "application/pdf", 2567, "ทุจริต และ ปีงบประมาณ");
	add(db, 3, "ถูกลบ", "gone.txt", "text/plain", 2567, "ทุจริต");
	assert_int_equal(db_exec(db,
				 "UPDATE document SET withdrawn_at = '2026-01-02T00:00:00Z', purged_at = '2026-01-03T00:00:00Z' WHERE id = 3;"
				 "DROP TABLE search_fts;"
				 "CREATE VIRTUAL TABLE search_fts USING fts5(title, filename, description, body,"
				 " content = 'search_source', content_rowid = 'id', tokenize = 'thai grams', prefix = '3');"
				 "PRAGMA user_version = 5;",
				 err), 0);
	sqlite3_close(db);
	assert_int_equal(db_open(p6, &db, err), 0);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	sqlite3_stmt *st;
	assert_int_equal(db_prepare(db, &st, "SELECT sql FROM sqlite_master WHERE name = 'search_fts'", err), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_null(strstr((const char *)sqlite3_column_text(st, 0), "prefix"));
	sqlite3_finalize(st);
	assert_int_equal(db_prepare(db, &st, "SELECT v FROM search_fts_config WHERE k = 'rank'", err), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "lakthan_bm25("));
	sqlite3_finalize(st);
	/* words and grams are both back; the purged document is not */
	const char *got = ids(db, "ทุจริต", 0, NULL);
	if (strcmp(got, "1,2") != 0 && strcmp(got, "2,1") != 0)
		fail_msg("ทุจริต found %s", got);
	assert_string_equal(ids(db, "งบ", 0, NULL), "2");
	assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'ถูกลบ'", err), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	assert_int_equal(db_exec(db, "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)", err), 0);
	unit_db_close(db, p6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(title_ranks_above_body),
		cmocka_unit_test(filters_by_year_and_type),
		cmocka_unit_test(snippets_are_escaped_and_marked),
		cmocka_unit_test(cuts_never_split_a_cluster),
		cmocka_unit_test(index_follows_changes),
		cmocka_unit_test(bad_queries_never_leak_sql),
		cmocka_unit_test(words_first_then_grams),
		cmocka_unit_test(total_is_capped),
		cmocka_unit_test(one_cluster_finds_word_and_compound),
		cmocka_unit_test(migration_006_rebuilds_an_old_index),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
