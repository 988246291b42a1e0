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

static int dump_cb(void *ctx, int colocated, const char *tok, int ntok, int start, int end)
{
	struct dump *d = ctx;
	char one[256];
	int gram = ntok > 0 && tok[0] == FTS_THAI_GRAM_MARK[0];
	snprintf(one, sizeof one, "%s%s%s%.*s@%d-%d", d->s[0] ? " " : "", colocated ? "+" : "", gram ? "~" : "",
		 ntok - gram, tok + gram, start, end);
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
	assert_string_equal(tokens(FTS_THAI_GRAMS, FTS_THAI_QUERY, FTS_THAI_GRAM_MARK "ทุจ"), "~ทุจ@0-10");
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
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	sqlite3 *db;
	assert_int_equal(db_open(path, &db, err), 0);
	assert_int_equal(db_exec(db,
				 "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='thai grams');"
				 "INSERT INTO t VALUES ('แผนการป้องกันการทุจริตประจำปีงบประมาณ พ.ศ. ๒๕๖๗');"
				 "INSERT INTO t VALUES ('คู่มือการยืมพัสดุ');",
				 err), 0);
	static const struct { const char *q; int n; } cases[] = {
		{"ทุจริต", 1},
		{"\"2567\"", 1},
		{"\"การ ยืม\"", 1},
		{"NEAR(\"\x01งบ\" \"\x01ปร\", 4)", 1},
		{"\"\x01ปี\"*", 1},
		{"ยืม", 1},
		{"ประมาณ", 0},  /* a word only, not inside ปีงบประมาณ: grams find that */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		sqlite3_stmt *st;
		assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM t WHERE t MATCH ?", err), 0);
		sqlite3_bind_text(st, 1, cases[i].q, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) != cases[i].n)
			fail_msg("%s: %d rows, wanted %d", cases[i].q, sqlite3_column_int(st, 0), cases[i].n);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	char *p = lk_asprintf("rm -f %s %s-wal %s-shm", path, path, path);
	assert_int_equal(system(p), 0);
	free(p);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
