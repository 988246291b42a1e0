/* Unit tests for fts_thai.c: tokens, offsets into the original text,
 * colocated grams, query mode, and the tokenizer inside SQLite's FTS5. */
#include "unit.h"
#include "lakthan/db.h"
#include "lakthan/fts_thai.h"
#include "lakthan/util.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Tokens as "tok@start-end" (grams as "~tok", colocated with a leading
 * '+'), joined with spaces. */
struct dump {
	char s[4096];
	const char *text;
};

/* A gram token (fts_thai_gram) back in UTF-8, for readable expectations. */
static const char *ungram(const char *tok, int ntok)
{
	static char out[512];
	size_t k = 0;
	for (int i = 1; i < ntok && k + 4 < sizeof out; i++) {
		unsigned char c = (unsigned char)tok[i];
		if (c >= 0x21 && c <= 0x6E) {
			unsigned cp = 0x0E01 + (c - 0x21);
			out[k++] = (char)(0xE0 | (cp >> 12));
			out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[k++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[k++] = (char)c;
		}
	}
	out[k] = 0;
	return out;
}

/* The gram token of a Thai string, as search_query.c asks for it. */
static const char *gram_of(const char *thai)
{
	static char out[512];
	fts_thai_gram(thai, strlen(thai), out);
	return out;
}

static int dump_cb(void *ctx, int colocated, const char *tok, int ntok, int start, int end)
{
	struct dump *d = ctx;
	char one[256];
	int gram = ntok > 0 && tok[0] == FTS_THAI_GRAM_MARK[0];
	const char *shown = gram ? ungram(tok, ntok) : tok;
	snprintf(one, sizeof one, "%s%s%s%.*s@%d-%d", d->s[0] ? " " : "", colocated ? "+" : "", gram ? "~" : "",
		 gram ? (int)strlen(shown) : ntok, shown, start, end);
	strncat(d->s, one, sizeof d->s - strlen(d->s) - 1);
	return 0;
}

static const char *tokens(int opts, int flags, const char *text)
{
	static struct dump d;
	struct fts_thai *t;
	char err[LK_ERRLEN];
	assert_int_equal(fts_thai_new(opts, &t, err), 0);
	d.s[0] = 0;
	assert_int_equal(fts_thai_tokenize(t, flags, text, strlen(text), dump_cb, &d), 0);
	fts_thai_free(t);
	return d.s;
}

static void words_and_offsets(void **state)
{
	(void)state;
	assert_string_equal(tokens(0, 0, "การทุจริต i19 E-Service"),
			    "การ@0-9 ทุจริต@9-27 i19@28-31 e@32-33 service@34-41");
}

static void offsets_point_into_the_original(void **state)
{
	(void)state;
	/* Thai digits become ASCII but keep their 3-byte span; NBSP and a
	 * zero-width space are separators */
	assert_string_equal(tokens(0, 0, "ปี ๒๕๖๗"), "ปี@0-6 2567@7-19");
	assert_string_equal(tokens(0, 0, "ปี\xC2\xA0" "2567"), "ปี@0-6 2567@8-12");
	/* decomposed sara am (nikhahit + sara aa) is composed: ทำ */
	assert_string_equal(tokens(0, 0, "ท\xE0\xB9\x8D\xE0\xB8\xB2"), "ทำ@0-9");
	/* upper case folds */
	assert_string_equal(tokens(0, 0, "ITA"), "ita@0-3");
}

static void grams_are_colocated_with_their_word(void **state)
{
	(void)state;
	assert_string_equal(tokens(FTS_THAI_GRAMS, 0, "ทุจริต"),
			    "ทุจริต@0-18 +~ทุจ@0-9 +~จริ@6-15 +~ริต@9-18");
	/* one cluster alone is its own gram */
	assert_string_equal(tokens(FTS_THAI_GRAMS, 0, "ปี"), "ปี@0-6 +~ปี@0-6");
	/* queries never get grams from text, only asked-for ones */
	assert_string_equal(tokens(FTS_THAI_GRAMS, FTS_THAI_QUERY, "ทุจริต"), "ทุจริต@0-18");
	assert_string_equal(tokens(FTS_THAI_GRAMS, FTS_THAI_QUERY, gram_of("ทุจ")), "~ทุจ@0-4");
	/* a gram is one byte per Thai letter; anything else stays as it is */
	assert_string_equal(gram_of("ทุจ"), FTS_THAI_GRAM_MARK "7X(");
	assert_string_equal(gram_of("ปีx"), FTS_THAI_GRAM_MARK ";Ux");
}

static void wordgrams_stay_inside_words(void **state)
{
	(void)state;
	/* pairs of clusters inside each word of three clusters or more, none
	 * across the two words, none for a word of one or two clusters */
	assert_string_equal(tokens(FTS_THAI_WORDGRAMS, 0, "การทุจริต ปี"),
			    "การ@0-9 +~กา@0-6 +~าร@3-9 ทุจริต@9-27 +~ทุจ@9-18 +~จริ@15-24 +~ริต@18-27 ปี@28-34");
}

static void clean_text_keeps_exact_offsets(void **state)
{
	(void)state;
	/* text that needs no repair (quotes, NBSP, Thai digits, capitals)
	 * takes normalisation's fast path: offsets must still be exact */
	assert_string_equal(tokens(0, 0, "\xE2\x80\x9C" "ITA\xE2\x80\x9D ๒๕๖๗\xC2\xA0ปี"),
			    "ita@3-6 2567@10-22 ปี@24-30");
	/* the same words around a PDF artefact still get repaired */
	assert_string_equal(tokens(0, 0, "ITA ป้ องกัน ๒๕๖๗"), "ita@0-3 ป้องกัน@4-26 2567@27-39");
}

static void garbage_does_not_crash(void **state)
{
	(void)state;
	assert_string_equal(tokens(FTS_THAI_GRAMS, 0, ""), "");
	assert_string_equal(tokens(FTS_THAI_GRAMS, 0, "\xFF\xFE\xE0\xB8"), "");
	/* an orphan mark and a long run */
	tokens(FTS_THAI_GRAMS, 0, "\xE0\xB9\x88\xE0\xB9\x88ก");
	char big[3000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	const char *got = tokens(0, 0, big);
	if (!strstr(got, "@0-2999"))
		fail_msg("%s", got);
}

/* The tokenizer in FTS5: substrings of Thai words are found. */
static void fts5_finds_thai_words_inside_runs(void **state)
{
	(void)state;
	char err[LK_ERRLEN], path[] = "/tmp/lakthan-fts-XXXXXX";
	sqlite3 *db = unit_db_open(path);
	assert_int_equal(db_exec(db,
				 "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='thai grams');"
				 "INSERT INTO t VALUES ('แผนการป้องกันการทุจริตประจำปีงบประมาณ พ.ศ. ๒๕๖๗');"
				 "INSERT INTO t VALUES ('คู่มือการยืมพัสดุ');",
				 err), 0);
	static const struct { const char *q; int n; } cases[] = {
		{"ทุจริต", 1},
		{"\"2567\"", 1},
		{"\"การ ยืม\"", 1},
		{"NEAR(\"\x01งบ\" \"\x01ปร\", 4)", 1}, /* grams_in() below */
		{"\"\x01ปี\"*", 1},
		{"ยืม", 1},
		{"ประมาณ", 0},  /* a word only, not inside ปีงบประมาณ: grams find that */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		sqlite3_stmt *st;
		assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM t WHERE t MATCH ?", err), 0);
		sqlite3_bind_text(st, 1, grams_in(cases[i].q), -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) != cases[i].n)
			fail_msg("%s: %d rows, wanted %d", cases[i].q, sqlite3_column_int(st, 0), cases[i].n);
		sqlite3_finalize(st);
	}
	unit_db_close(db, path);
}

/* The document-count estimate of lakthan_bm25: exact below the cap, the
 * density of the walked rowids beyond it, never outside [counted, rows]. */
static void df_estimate_is_bounded(void **state)
{
	(void)state;
	assert_true(fts_thai_df_estimate(100000, 7, 90000) == 7.0);
	assert_true(fts_thai_df_estimate(100000, FTS_THAI_DF_CAP - 1, 99000) == FTS_THAI_DF_CAP - 1);
	/* the cap reached at rowid 2,000 of 100,000: half the rows */
	assert_true(fts_thai_df_estimate(100000, FTS_THAI_DF_CAP, 2 * FTS_THAI_DF_CAP) == 50000.0);
	/* every row matches */
	assert_true(fts_thai_df_estimate(100000, FTS_THAI_DF_CAP, FTS_THAI_DF_CAP) == 100000.0);
	/* rowids past the row count (deleted rows): never below what was counted */
	assert_true(fts_thai_df_estimate(1500, FTS_THAI_DF_CAP, 900000) == FTS_THAI_DF_CAP);
	assert_true(fts_thai_df_estimate(500, FTS_THAI_DF_CAP, FTS_THAI_DF_CAP) == 500.0);
}

/* Scores of query q on table t by rank function fn (weights 2, 1) as
 * "rowid:score" with 4 decimals, best first. */
static const char *scores(sqlite3 *db, const char *fn, const char *q)
{
	static char out[4096];
	char err[LK_ERRLEN];
	sqlite3_stmt *st;
	char *sql = lk_asprintf("SELECT rowid, %s(t, 2.0, 1.0) AS s FROM t WHERE t MATCH ?1 ORDER BY s, rowid LIMIT 20", fn);
	assert_int_equal(db_prepare(db, &st, sql, err), 0);
	free(sql);
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	out[0] = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char one[64];
		snprintf(one, sizeof one, "%s%lld:%.4f", out[0] ? " " : "", (long long)sqlite3_column_int64(st, 0),
			 sqlite3_column_double(st, 1));
		strncat(out, one, sizeof out - strlen(out) - 1);
	}
	sqlite3_finalize(st);
	return out;
}

/* lakthan_bm25 scores like bm25() while phrases match fewer documents than
 * the cap, keeps the title weight, and past the cap still ranks the rare
 * phrase's documents first. */
static void rank_function_matches_bm25(void **state)
{
	(void)state;
	char err[LK_ERRLEN], path[] = "/tmp/lakthan-fts-XXXXXX";
	sqlite3 *db = unit_db_open(path);
	assert_int_equal(db_exec(db,
				 "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='thai grams');"
				 "INSERT INTO t VALUES ('แผนป้องกันการทุจริต', 'มาตรการ');"
				 "INSERT INTO t VALUES ('รายงาน', 'การป้องกันการทุจริต ของหน่วยงาน ทุจริต');"
				 "INSERT INTO t VALUES ('คู่มือการยืมพัสดุ', 'การยืม และการคืน');",
				 err), 0);
	static const char *const q[] = {"ทุจริต", "การ", "ทุจริต OR ยืม", "\"การ ยืม\"", "NEAR(\"\x01ทุ\" \"\x01ริต\", 4)"};
	for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
		char want[4096];
		snprintf(want, sizeof want, "%s", scores(db, "bm25", grams_in(q[i])));
		assert_string_equal(scores(db, "lakthan_bm25", grams_in(q[i])), want);
	}
	/* the title weighs most: the title hit first */
	assert_true(strncmp(scores(db, "lakthan_bm25", "ทุจริต"), "1:", 2) == 0);
	/* past the cap: a common word in every row, a rare one in two */
	assert_int_equal(db_exec(db, "BEGIN", err), 0);
	for (int i = 0; i < FTS_THAI_DF_CAP + 200; i++)
		assert_int_equal(db_exec(db, "INSERT INTO t VALUES ('ประกาศ', 'ประกาศ ข่าว')", err), 0);
	assert_int_equal(db_exec(db, "INSERT INTO t(rowid, title, body) VALUES (5000, 'ประกาศ', 'ข่าว โคกหินแฮ่');"
				     "INSERT INTO t(rowid, title, body) VALUES (5001, 'ประกาศ', 'ข่าว ข่าว ข่าว ข่าว');"
				     "COMMIT", err), 0);
	const char *got = scores(db, "lakthan_bm25", "ข่าว OR โคกหินแฮ่");
	if (strncmp(got, "5000:", 5) != 0)
		fail_msg("the rare word's document is not first: %s", got);
	/* the common word's weight is the estimate's: near zero, as bm25's */
	char b[4096];
	snprintf(b, sizeof b, "%s", scores(db, "bm25", "ข่าว OR โคกหินแฮ่"));
	if (strncmp(b, "5000:", 5) != 0)
		fail_msg("bm25 disagrees: %s", b);
	unit_db_close(db, path);
}

/* lakthan_snippet: the best window from the match positions alone, marks
 * around whole phrases, ellipses where text is cut, the start of a short
 * column whole (as snippet() gives it). */
static void snippet_function_windows_and_marks(void **state)
{
	(void)state;
	char err[LK_ERRLEN], path[] = "/tmp/lakthan-fts-XXXXXX";
	sqlite3 *db = unit_db_open(path);
	assert_int_equal(db_exec(db,
				 "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='thai grams');"
				 "INSERT INTO t VALUES ('รายงาน', 'a b c d e f g h i j k l m n o p q r s t u v w x y z "
				 "การป้องกันการทุจริต ในหน่วยงาน end');"
				 "INSERT INTO t VALUES ('“คู่มือการยืม” พัสดุ', 'ไม่มี');",
				 err), 0);
	static const struct { const char *q, *want; } cases[] = {
		/* late in the body: cut on both sides, the hit centred */
		{"ทุจริต", "…ป้องกันการ[ทุจริต] ในหน่วยงาน…"},
		/* a phrase is one mark; a short title is shown from its start */
		{"\"การ ยืม\"", "“คู่มือ[การยืม]” พัสดุ"},
		{"\"a b\"", "[a b] c d e f…"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		sqlite3_stmt *st;
		assert_int_equal(db_prepare(db, &st, "SELECT lakthan_snippet(t, '[', ']', '…', 6) FROM t WHERE t MATCH ?", err), 0);
		sqlite3_bind_text(st, 1, cases[i].q, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		const char *got = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got %s, wanted %s", cases[i].q, got, cases[i].want);
		sqlite3_finalize(st);
	}
	/* bad arguments are an SQL error, not a crash */
	sqlite3_stmt *st;
	assert_int_equal(db_prepare(db, &st, "SELECT lakthan_snippet(t, '[', ']', '…', 0) FROM t WHERE t MATCH 'end'", err), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
	sqlite3_finalize(st);
	unit_db_close(db, path);
}

/* fts_thai_snippet() from lakthan_hits() and the column's text gives what
 * lakthan_snippet() gives inside FTS5, for every row and kind of query:
 * search.c relies on it to make a page's snippets without a second walk. */
static void snippet_outside_fts5_is_the_same(void **state)
{
	(void)state;
	char err[LK_ERRLEN], path[] = "/tmp/lakthan-fts-XXXXXX";
	struct fts_thai *tok;
	sqlite3 *db = unit_db_open(path);
	assert_int_equal(fts_thai_new(0, &tok, err), 0);
	assert_int_equal(db_exec(db,
				 "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='thai grams');"
				 "INSERT INTO t VALUES ('รายงาน', 'a b c d e f g h i j k l m n o p q r s t u v w x y z "
				 "การป้องกันการทุจริต ในหน่วยงาน end ทุจริต อีกครั้ง ๒๕๖๗');"
				 "INSERT INTO t VALUES ('“คู่มือการยืม” พัสดุ', 'ไม่มี การยืม & <b> ปีงบประมาณ 2567');"
				 "INSERT INTO t VALUES ('แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ', "
				 "'ยาว ' || replace(hex(zeroblob(300)), '00', 'คำ ') || 'โคกหินแฮ่ ปลายข้อความ');",
				 err), 0);
	static const char *const q[] = {"ทุจริต", "\"การ ยืม\"", "ทุจริต OR ยืม", "2567", "การ*", "NEAR(\"\x01งบ\" \"\x01ปร\", 4)",
					"\"\x01ปี\"*", "NEAR(\"\x01โค\" \"\x01กหิ\" \"\x01นแฮ่\", 6)", "ปลาย OR ยาว", "end"};
	int compared = 0;
	for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
		for (int ntok = 1; ntok <= 24; ntok += 23) {
			sqlite3_stmt *st;
			assert_int_equal(db_prepare(db, &st, "SELECT lakthan_snippet(t, '[', ']', '…', ?2), lakthan_hits(t), title, body"
							     " FROM t WHERE t MATCH ?1", err), 0);
			sqlite3_bind_text(st, 1, grams_in(q[i]), -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(st, 2, ntok);
			while (sqlite3_step(st) == SQLITE_ROW) {
				const struct fts_thai_hit *h = sqlite3_column_blob(st, 1);
				int n = sqlite3_column_bytes(st, 1) / (int)sizeof *h;
				struct fts_thai_window w;
				assert_int_equal(fts_thai_snippet_window(h, n, ntok, &w), 0);
				const char *text = (const char *)sqlite3_column_text(st, 2 + w.col);
				char *got = fts_thai_snippet(tok, text, strlen(text), &w, "[", "]", "…");
				assert_non_null(got);
				if (strcmp(got, (const char *)sqlite3_column_text(st, 0)) != 0)
					fail_msg("%s (%d tokens): outside %s, inside %s", q[i], ntok, got, sqlite3_column_text(st, 0));
				free(got);
				compared++;
			}
			sqlite3_finalize(st);
		}
	}
	assert_true(compared >= 20);
	/* no hits, or a window out of range: refused, not guessed */
	struct fts_thai_hit one = {0, 0, 0, 1};
	struct fts_thai_window w;
	assert_int_equal(fts_thai_snippet_window(&one, 0, 6, &w), -1);
	assert_int_equal(fts_thai_snippet_window(&one, 1, FTS_THAI_SNIPPET_MAX + 1, &w), -1);
	fts_thai_free(tok);
	unit_db_close(db, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_and_offsets),
		cmocka_unit_test(offsets_point_into_the_original),
		cmocka_unit_test(grams_are_colocated_with_their_word),
		cmocka_unit_test(wordgrams_stay_inside_words),
		cmocka_unit_test(clean_text_keeps_exact_offsets),
		cmocka_unit_test(garbage_does_not_crash),
		cmocka_unit_test(fts5_finds_thai_words_inside_runs),
		cmocka_unit_test(df_estimate_is_bounded),
		cmocka_unit_test(rank_function_matches_bm25),
		cmocka_unit_test(snippet_function_windows_and_marks),
		cmocka_unit_test(snippet_outside_fts5_is_the_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
