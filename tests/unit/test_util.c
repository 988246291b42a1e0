/* Unit tests for util.c and buf.c. */
#include "unit.h"
#include "lakthan/util.h"
#include "lakthan/buf.h"
#include <string.h>

static void year_accepts_be_and_thai_digits(void **state)
{
	(void)state;
	char err[LK_ERRLEN];
	assert_int_equal(lk_parse_year("2567", err), 2567);
	assert_int_equal(lk_parse_year(" ๒๕๖๗ ", err), 2567);
}

static void year_refuses_ce_with_hint(void **state)
{
	(void)state;
	char err[LK_ERRLEN] = "";
	assert_int_equal(lk_parse_year("2024", err), -1);
	assert_non_null(strstr(err, "2567"));
	assert_int_equal(lk_parse_year("25678", err), -1);
	assert_int_equal(lk_parse_year("", err), -1);
	assert_int_equal(lk_parse_year("abcd", err), -1);
	assert_int_equal(lk_parse_year("1000", err), -1);
}

static void utf8_validation(void **state)
{
	(void)state;
	assert_true(lk_utf8_valid("ทุจริต abc", strlen("ทุจริต abc")));
	assert_false(lk_utf8_valid("\xC0\xAF", 2));        /* overlong '/' */
	assert_false(lk_utf8_valid("\xED\xA0\x80", 3));    /* surrogate */
	assert_false(lk_utf8_valid("\xE0\xB8", 2));        /* truncated */
	assert_false(lk_utf8_valid("\xA1\xA2", 2));        /* TIS-620 bytes */
}

static void buf_cap_is_hard(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_release(&b);
	buf_init(&b, 0);
	assert_int_equal(buf_put_utf8(&b, 0x0E33), 0);
	assert_string_equal(b.data, "ำ");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(year_accepts_be_and_thai_digits),
		cmocka_unit_test(year_refuses_ce_with_hint),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(buf_cap_is_hard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
