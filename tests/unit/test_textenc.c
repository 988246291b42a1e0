/* Unit tests for textenc.c: detection and conversion to UTF-8. */
#include "unit.h"
#include "lakthan/textenc.h"
#include "lakthan/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file in a buffer (fixtures are small). */
static void slurp(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	buf_init(b, 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		assert_int_equal(buf_append(b, chunk, n), 0);
	fclose(f);
}

/* Convert a fixture and compare it byte for byte with thai-source.txt. */
static void roundtrip(const char *fixture, const char *want_enc)
{
	struct buf src, in, out;
	char reason[256] = "";
	slurp(FIXTURE("thai-source.txt"), &src);
	slurp(fixture, &in);
	assert_string_equal(textenc_detect(in.data, in.len), want_enc);
	buf_init(&out, 0);
	assert_int_equal(textenc_to_utf8(in.data, in.len, &out, reason, sizeof reason), 0);
	assert_int_equal(out.len, src.len);
	assert_memory_equal(out.data, src.data, src.len);
	buf_release(&src);
	buf_release(&in);
	buf_release(&out);
}

static void tis620_roundtrips(void **state)
{
	(void)state;
	roundtrip(FIXTURE("thai-tis620.txt"), "WINDOWS-874");
}

static void utf16_with_bom_roundtrips(void **state)
{
	(void)state;
	roundtrip(FIXTURE("thai-utf16le.txt"), "UTF-16LE");
	roundtrip(FIXTURE("thai-utf16be.txt"), "UTF-16BE");
}

static void utf8_bom_is_dropped(void **state)
{
	(void)state;
	roundtrip(FIXTURE("thai-utf8-bom.txt"), "UTF-8");
	roundtrip(FIXTURE("thai-source.txt"), "UTF-8");
}

static void utf16_without_bom_is_recognised(void **state)
{
	(void)state;
	/* "ITA ทุจริต" in UTF-16LE and UTF-16BE, no BOM */
	static const char le[] = "I\0T\0A\0 \0\x17\x0E\x38\x0E\x08\x0E\x23\x0E\x34\x0E\x15\x0E";
	static const char be[] = "\0I\0T\0A\0 \x0E\x17\x0E\x38\x0E\x08\x0E\x23\x0E\x34\x0E\x15";
	char reason[256];
	struct buf out;
	assert_string_equal(textenc_detect(le, sizeof le - 1), "UTF-16LE");
	assert_string_equal(textenc_detect(be, sizeof be - 1), "UTF-16BE");
	buf_init(&out, 0);
	assert_int_equal(textenc_to_utf8(le, sizeof le - 1, &out, reason, sizeof reason), 0);
	assert_string_equal(out.data, "ITA ทุจริต");
	buf_release(&out);
}

static void windows874_extras(void **state)
{
	(void)state;
	/* smart quotes (0x93 0x94) and ellipsis (0x85) exist only in windows-874 */
	static const char in[] = "\x93\xa1\xd2\xc3\xbb\xe9\xcd\xa7\xa1\xd1\xb9\xa1\xd2\xc3"
				 "\xb7\xd8\xa8\xc3\xd4\xb5\x94\x85";
	char reason[256];
	struct buf out;
	assert_string_equal(textenc_detect(in, strlen(in)), "WINDOWS-874");
	buf_init(&out, 0);
	assert_int_equal(textenc_to_utf8(in, strlen(in), &out, reason, sizeof reason), 0);
	assert_string_equal(out.data, "\u201Cการป้องกันการทุจริต\u201D\u2026");
	buf_release(&out);
}

static void refuses_what_is_not_thai(void **state)
{
	(void)state;
	char reason[256] = "";
	struct buf out;
	/* Latin-1 French: high bytes in 0xE0-0xEF but no Thai consonants */
	static const char latin1[] = "caf\xe9 cr\xe8me \xe0 la fran\xe7" "aise, d\xe9j\xe0 vu";
	assert_null(textenc_detect(latin1, strlen(latin1)));
	/* 0xFC is not a windows-874 character */
	assert_null(textenc_detect("\xb7\xd8\xa8\xc3\xd4\xb5\xfc", 7));
	/* binary: NUL bytes in otherwise ASCII data */
	assert_null(textenc_detect("abc\0def\0\0\0gh", 12));
	assert_string_equal(textenc_detect("", 0), "UTF-8");
	buf_init(&out, 0);
	assert_int_equal(textenc_to_utf8(latin1, strlen(latin1), &out, reason, sizeof reason), -1);
	assert_non_null(strstr(reason, "encoding"));
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

static void convert_errors_have_reasons(void **state)
{
	(void)state;
	char reason[256] = "";
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(textenc_convert("NO-SUCH-CHARSET", "abc", 3, &out, reason, sizeof reason), -1);
	assert_non_null(strstr(reason, "NO-SUCH-CHARSET"));
	/* a lone high surrogate in UTF-16LE */
	assert_int_equal(textenc_convert("UTF-16LE", "a\0\x00\xD8" "b\0", 6, &out, reason,
					 sizeof reason), -1);
	assert_non_null(strstr(reason, "invalid"));
	buf_release(&out);
	/* an odd byte count: the last code unit is cut */
	assert_int_equal(textenc_convert("UTF-16LE", "a\0b", 3, &out, reason, sizeof reason), -1);
	assert_non_null(strstr(reason, "truncated"));
	buf_release(&out);
	assert_int_equal(textenc_convert("UTF-8", "\xe0\xb8", 2, &out, reason, sizeof reason), -1);
	buf_release(&out);
}

static void output_cap_is_enforced(void **state)
{
	(void)state;
	struct buf in, out;
	char reason[256] = "";
	slurp(FIXTURE("thai-tis620.txt"), &in);
	/* 767 TIS-620 bytes become 2205 UTF-8 bytes: a 1000-byte cap refuses */
	buf_init(&out, 1000);
	assert_int_equal(textenc_to_utf8(in.data, in.len, &out, reason, sizeof reason), -1);
	assert_non_null(strstr(reason, "larger"));
	assert_true(out.len <= 1000);
	buf_release(&out);
	buf_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tis620_roundtrips),
		cmocka_unit_test(utf16_with_bom_roundtrips),
		cmocka_unit_test(utf8_bom_is_dropped),
		cmocka_unit_test(utf16_without_bom_is_recognised),
		cmocka_unit_test(windows874_extras),
		cmocka_unit_test(refuses_what_is_not_thai),
		cmocka_unit_test(convert_errors_have_reasons),
		cmocka_unit_test(output_cap_is_enforced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
