/* Unit tests for thaiseg.c: clusters, words, the field word list. */
#include "unit.h"
#include "lakthan/thaiseg.h"
#include "lakthan/util.h"
#include <string.h>

/* The words of s joined with '|' into out. */
static void words(struct thaiseg *s, const char *text, char *out, size_t n)
{
	const struct thaiseg_word *w;
	int nw = thaiseg_words(s, text, strlen(text), &w);
	assert_true(nw > 0);
	out[0] = 0;
	for (int i = 0; i < nw; i++) {
		if (i)
			strncat(out, "|", n - strlen(out) - 1);
		strncat(out, text + w[i].start, w[i].end - w[i].start);
	}
}

static void field_words_are_sorted(void **state)
{
	(void)state;
	assert_true(thaiseg_field_words_sorted());
}

static void clusters_keep_marks_with_their_letter(void **state)
{
	(void)state;
	const char *s = "น้ำที่";
	assert_int_equal(thaiseg_cluster_len(s, strlen(s)), strlen("น้"));
	assert_int_equal(thaiseg_cluster_len("ที่", strlen("ที่")), strlen("ที่"));
	assert_int_equal(thaiseg_cluster_len("a", 1), 1);
	assert_int_equal(thaiseg_cluster_len("", 0), 0);
	assert_true(thaiseg_is_mark(0x0E48));
	assert_false(thaiseg_is_mark(0x0E32));
	assert_false(thaiseg_is_thai(0x0E46)); /* ๆ separates */
}

static void words_of_a_thai_run(void **state)
{
	(void)state;
	struct thaiseg *s;
	char err[LK_ERRLEN], out[512];
	assert_int_equal(thaiseg_new(&s, err), 0);
	words(s, "การป้องกันการทุจริต", out, sizeof out);
	assert_string_equal(out, "การ|ป้องกัน|การ|ทุจริต");
	/* the field list makes one word of what ICU splits */
	words(s, "ผลประโยชน์ทับซ้อน", out, sizeof out);
	assert_string_equal(out, "ผลประโยชน์ทับซ้อน");
	words(s, "งบประมาณ", out, sizeof out);
	assert_string_equal(out, "งบประมาณ");
	thaiseg_free(s);
}

static void dotted_abbreviations_are_split_off(void **state)
{
	(void)state;
	const char *s = "งบประมาณพ";
	assert_int_equal(thaiseg_abbrev_tail(s, strlen(s)), 3);
	s = "ของอบต";
	assert_int_equal(thaiseg_abbrev_tail(s, strlen(s)), strlen("อบต"));
	s = "เก";  /* a leading vowel and its consonant are no abbreviation */
	assert_int_equal(thaiseg_abbrev_tail(s, strlen(s)), 0);
}

static void decode_refuses_bad_bytes(void **state)
{
	(void)state;
	size_t l;
	assert_int_equal(thaiseg_decode("\xE0\xB8", 2, &l), 0xFFFD);
	assert_int_equal(l, 1);
	assert_int_equal(thaiseg_decode("\xE0\xB8\x81", 3, &l), 0x0E01);
	assert_int_equal(l, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field_words_are_sorted),
		cmocka_unit_test(clusters_keep_marks_with_their_letter),
		cmocka_unit_test(words_of_a_thai_run),
		cmocka_unit_test(dotted_abbreviations_are_split_off),
		cmocka_unit_test(decode_refuses_bad_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
