/* Unit tests for search_query.c: what people type → safe FTS5 expressions. */
#include "unit.h"
#include "lakthan/search.h"
#include "lakthan/util.h"
#include <string.h>

static void words_become_string_literals(void **state)
{
	(void)state;
	struct search_query q;
	char err[LK_ERRLEN];
	assert_int_equal(search_query_parse("i19 E-Service", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_string_equal(q.match, "((\"i19\") AND (\"e-service\"))");
	search_query_release(&q);
	/* a Thai word: its words OR the NEAR of its cluster grams */
	assert_int_equal(search_query_parse("ทุจริต", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_string_equal(q.match, grams_in("((\"ทุจริต\" OR NEAR(\"\x01ทุจ\" \"\x01ริต\", 4)))"));
	search_query_release(&q);
	/* one cluster: a gram prefix */
	assert_int_equal(search_query_parse("ปี", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_string_equal(q.match, grams_in("((\"ปี\" OR \"\x01ปี\"*))"));
	search_query_release(&q);
	/* Thai digits are ASCII digits */
	assert_int_equal(search_query_parse("๒๕๖๗", SEARCH_INDEX_PLAIN, &q, err), 0);
	assert_string_equal(q.match, "((\"2567\"))");
	search_query_release(&q);
}

static void phrases_or_not_prefix(void **state)
{
	(void)state;
	struct search_query q;
	char err[LK_ERRLEN];
	assert_int_equal(search_query_parse("\"a b\" OR c -d e*", SEARCH_INDEX_PLAIN, &q, err), 0);
	assert_string_equal(q.match, "((\"a b\") OR (\"c\") AND (\"e\"*)) NOT (\"d\")");
	assert_int_equal(q.terms, 3);
	search_query_release(&q);
	/* a Latin word of 3+ letters is also a prefix (SME finds SMEs);
	 * codes with digits and quoted phrases stay exact */
	assert_int_equal(search_query_parse("SME i19 \"OTOP\"", SEARCH_INDEX_PLAIN, &q, err), 0);
	assert_string_equal(q.match, "((\"sme\"*) AND (\"i19\") AND (\"otop\"))");
	search_query_release(&q);
	/* a quote inside a word is doubled, never ends the literal */
	assert_int_equal(search_query_parse("a\"b", SEARCH_INDEX_PLAIN, &q, err), 0);
	assert_non_null(q.match);
	search_query_release(&q);
}

static void filters(void **state)
{
	(void)state;
	struct search_query q;
	char err[LK_ERRLEN];
	assert_int_equal(search_query_parse("year:๒๕๖๗ type:PDF question:I19 measure:1.2 ทุจริต", SEARCH_INDEX_THAI, &q, err), 0);
	assert_int_equal(q.year, 2567);
	assert_string_equal(q.type, "pdf");
	assert_string_equal(q.question, "i19");
	assert_string_equal(q.measure, "1.2");
	assert_string_equal(q.match, "((\"ทุจริต\"))");
	search_query_release(&q);
	/* filters alone are a search */
	assert_int_equal(search_query_parse("year:2567", SEARCH_INDEX_THAI, &q, err), 0);
	assert_null(q.match);
	search_query_release(&q);
	assert_int_equal(search_query_parse("year:2024 x", SEARCH_INDEX_THAI, &q, err), -1);
	assert_non_null(strstr(err, "2567"));
	assert_int_equal(search_query_parse("type:exe x", SEARCH_INDEX_THAI, &q, err), -1);
	assert_int_equal(search_query_parse("question:x9 x", SEARCH_INDEX_THAI, &q, err), -1);
	assert_int_equal(search_query_parse("measure:abc x", SEARCH_INDEX_THAI, &q, err), -1);
	char code[16];
	assert_int_equal(search_question_code(" i ๑๙ ", code, err), 0);
	assert_string_equal(code, "i19");
}

static void words_stage_expression(void **state)
{
	(void)state;
	struct search_query q;
	char err[LK_ERRLEN];
	/* the first stage: the words exactly, no grams */
	assert_int_equal(search_query_parse("ทุจริต i19", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_string_equal(q.words, "((\"ทุจริต\") AND (\"i19\"))");
	assert_null(strchr(q.words, '\x01'));
	search_query_release(&q);
	/* an exclusion keeps its grams: no stage shows what the query excludes */
	assert_int_equal(search_query_parse("แผน -ทุจริต", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_string_equal(q.words, grams_in("((\"แผน\")) NOT (\"ทุจริต\" OR NEAR(\"\x01ทุจ\" \"\x01ริต\", 4))"));
	search_query_release(&q);
	/* two clusters: only the gram finds งบ inside งบประมาณ, and it is one
	 * token: no words stage */
	assert_int_equal(search_query_parse("งบ ทุจริต", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_null(q.words);
	search_query_release(&q);
	/* one cluster: the word first, the gram prefix only if needed */
	assert_int_equal(search_query_parse("ปี", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_string_equal(q.words, "((\"ปี\"))");
	assert_string_equal(q.match, grams_in("((\"ปี\" OR \"\x01ปี\"*))"));
	search_query_release(&q);
	/* no gram branch, nothing to stage */
	assert_int_equal(search_query_parse("i19 service", SEARCH_INDEX_THAI_GRAMS, &q, err), 0);
	assert_null(q.words);
	search_query_release(&q);
	assert_int_equal(search_query_parse("ทุจริต", SEARCH_INDEX_THAI, &q, err), 0);
	assert_null(q.words);
	search_query_release(&q);
}

static void bad_queries_give_a_clear_error_or_a_query(void **state)
{
	(void)state;
	struct search_query q;
	char err[LK_ERRLEN];
	static const char *const fine[] = {
		"\"ทุจริต", "NEAR(", "AND (", "^", "a:b", "ทุจริต)", "*", "OR", "\"\"", "a -", "NEAR(a b, 3)",
		"col:x", "{a b}", "a + b", NULL,
	};
	for (int i = 0; fine[i]; i++) {
		err[0] = 0;
		int rc = search_query_parse(fine[i], SEARCH_INDEX_THAI_GRAMS, &q, err);
		if (rc == 0)
			search_query_release(&q);
		else if (!err[0])
			fail_msg("%s: failed without a message", fine[i]);
	}
	static const char *const bad[] = {"", "   ", "\xFF\xFE", "-ทุจริต", "^ : (", NULL};
	for (int i = 0; bad[i]; i++) {
		err[0] = 0;
		if (search_query_parse(bad[i], SEARCH_INDEX_THAI_GRAMS, &q, err) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(err[0] != 0);
	}
	char big[10 * 1024 + 1];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(search_query_parse(big, SEARCH_INDEX_THAI_GRAMS, &q, err), -1);
	assert_non_null(strstr(err, "too long"));
}

/* Regression (tools/fuzz/fuzz_search_query): a bad filter after a word made
 * the parser fail without freeing the word (LeakSanitizer, under make test). */
static void failing_filter_after_words_frees_them(void **state)
{
	(void)state;
	struct search_query q;
	char err[LK_ERRLEN];
	static const char *const bad[] = {
		"x02\xe0\xb8\x87\xe0\xb8\x9a\xda\x8d:2567 type:p\x1a" "f",  /* the fuzzer's input */
		"งบ ปี type:nosuch",
		"a b c year:20x",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		for (int k = SEARCH_INDEX_THAI_GRAMS; k <= SEARCH_INDEX_PLAIN; k++) {
			err[0] = 0;
			assert_int_equal(search_query_parse(bad[i], (enum search_index_kind)k, &q, err), -1);
			assert_true(err[0] != 0);
		}
	}
	/* the term limit, reached with words already stored */
	char many[SEARCH_MAX_TERMS * 3 + 8];
	size_t k = 0;
	for (int i = 0; i <= SEARCH_MAX_TERMS; i++) {
		many[k++] = 'a';
		many[k++] = ' ';
	}
	many[k] = 0;
	assert_int_equal(search_query_parse(many, SEARCH_INDEX_THAI_GRAMS, &q, err), -1);
	assert_non_null(strstr(err, "too many"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_become_string_literals),
		cmocka_unit_test(phrases_or_not_prefix),
		cmocka_unit_test(filters),
		cmocka_unit_test(words_stage_expression),
		cmocka_unit_test(bad_queries_give_a_clear_error_or_a_query),
		cmocka_unit_test(failing_filter_after_words_frees_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
