/* Unit tests for thai_normalize.c and thai_quality.c. */
#include "unit.h"
#include "lakthan/thai.h"
#include "lakthan/buf.h"
#include "lakthan/util.h"
#include <stdlib.h>
#include <string.h>

/* Normalise s (n bytes) and return the result as a new string; the map,
 * when wanted, is checked against the invariants thai.h promises. */
static char *norm_n(const char *s, size_t n, size_t **map_out)
{
	struct buf b;
	size_t *map = NULL, i;
	int valid = lk_utf8_valid(s, n);
	buf_init(&b, 0);
	assert_int_equal(thai_normalize(s, n, &b, &map), 0);
	assert_non_null(map);
	for (i = 0; i < b.len; i++) {
		assert_true(map[i] < n);
		/* every entry points at the first byte of an input character */
		if (valid)
			assert_true(((unsigned char)s[map[i]] & 0xC0) != 0x80);
		if (i > 0)
			assert_true(map[i] >= map[i - 1]);
	}
	assert_int_equal(map[b.len], n);
	assert_true(lk_utf8_valid(b.data ? b.data : "", b.len));
	if (map_out)
		*map_out = map;
	else
		free(map);
	if (!b.data)
		return lk_strdup("");
	return buf_detach(&b, NULL);
}

/* Normalise a NUL-terminated string. */
static char *norm(const char *s)
{
	return norm_n(s, strlen(s), NULL);
}

/* Assert that normalising in gives want. */
static void check(const char *in, const char *want)
{
	char *got = norm(in);
	assert_string_equal(got, want);
	free(got);
}

static void nfc_composes_and_orders(void **state)
{
	(void)state;
	check("e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9");    /* e + U+0301 → é */
	/* tone before sara u: NFC puts sara u (ccc 103) before the tone (107) */
	check("ป\xE0\xB9\x88\xE0\xB8\xB8", "ป\xE0\xB8\xB8\xE0\xB9\x88");
	check("กําไร สําคัญ", "กำไร สำคัญ");                /* U+0E4D U+0E32 → U+0E33 */
}

static void thai_digits_become_ascii(void **state)
{
	(void)state;
	size_t *map;
	char *s = norm_n("พ.ศ. ๒๕๖๗", strlen("พ.ศ. ๒๕๖๗"), &map);
	size_t at = strlen("พ.ศ. ");
	assert_string_equal(s, "พ.ศ. 2567");
	/* each ASCII digit maps to the start of its Thai digit (3 bytes each) */
	assert_int_equal(map[at + 0], at + 0);
	assert_int_equal(map[at + 1], at + 3);
	assert_int_equal(map[at + 2], at + 6);
	assert_int_equal(map[at + 3], at + 9);
	assert_int_equal(map[at + 4], at + 12);
	free(map);
	free(s);
	check("มาตรา ๓ และ ๑๐", "มาตรา 3 และ 10");
}

static void case_is_folded(void **state)
{
	(void)state;
	check("ITA OIT ทุจริต", "ita oit ทุจริต");
	check("ÄÖÜ ΣΑΣ", "äöü σασ");
}

static void zero_width_and_spaces(void **state)
{
	(void)state;
	/* ZWNJ, ZWJ, word joiner, BOM, soft hyphen dropped */
	check("ก\xE2\x80\x8C" "ข\xE2\x80\x8D" "ค\xE2\x81\xA0" "ง\xEF\xBB\xBF" "จ\xC2\xAD" "ฉ",
	      "กขคงจฉ");
	/* U+200B, the Thai word break, becomes a space */
	check("\xE2\x80\x8Bการประชุม\xE2\x80\x8Bครม.", " การประชุม ครม.");
	/* NBSP, ideographic space, thin space → ASCII space */
	check("ก\xC2\xA0ข\xE3\x80\x80ค\xE2\x80\x89ง", "ก ข ค ง");
	/* a space that came from NBSP is a real space, never a PDF artefact */
	check("ฟื้\xC2\xA0นฟู", "ฟื้ นฟู");
}

static void split_sara_am_is_joined(void **state)
{
	(void)state;
	check("ค าน า", "คำนำ");
	check("การด าเนินงาน", "การดำเนินงาน");
	check("กํ าไร", "กำไร");          /* nikhahit, space, sara aa */
	check("ท าธุรกิจ", "ทำธุรกิจ");
}

static void space_before_mark_removed(void **state)
{
	(void)state;
	check("ก ่อน", "ก่อน");
	check("หน้ าที่", "หน้าที่");
	check("ประช\nาชน", "ประชาชน");     /* a line break before a sara aa */
	check("มัน\n่ คง", "มั่นคง");       /* a tone on the next line, then out of order */
	/* a mark after a non-Thai character is left alone */
	check("a ่", "a ่");
}

static void tone_moved_back_over_mai_han_akat(void **state)
{
	(void)state;
	check("ครัง้", "ครั้ง");
	check("ทัง้ ที่", "ทั้งที่");
	check("นัน้ ", "นั้น ");
	check("ซึง่ เป็น", "ซึ่งเป็น");    /* sara ue: only with a space after */
	check("ขึน ้ ไป", "ขึ้นไป");
	/* correct text is never reordered */
	check("ติด้วย", "ติด้วย");
	check("ครั้ง", "ครั้ง");
	check("รึว่า", "รึว่า");           /* sara ue + C + tone + letter: kept */
	check("มีด้าม", "มีด้าม");
}

static void space_after_mark_mid_word(void **state)
{
	(void)state;
	check("ฟื้ นฟู", "ฟื้นฟู");
	check("เป็ นการ", "เป็นการ");
	check("ป้ องกัน", "ป้องกัน");
	check("ด้ วย", "ด้วย");
	check("แ ละ", "และ");
	check("เก็ บ", "เก็บ");
	/* real word breaks after a finished syllable stay */
	check("ก็ ได้", "ก็ ได้");
	check("ให้ ประชาชน", "ให้ ประชาชน");
	check("ที่ ประชุม", "ที่ ประชุม");
	check("แม่ น้ำ", "แม่ น้ำ");
	check("ใกล้ บ้าน", "ใกล้ บ้าน");
	check("ศาสตร์ วัฒนธรรม", "ศาสตร์ วัฒนธรรม");
	check("ชาติ ประวัติ", "ชาติ ประวัติ");
	/* two spaces are not a PDF gap */
	check("ฟื้  นฟู", "ฟื้  นฟู");
}

static void clean_thai_round_trips(void **state)
{
	(void)state;
	static const char *clean[] = {
		"การป้องกันการทุจริต", "ครั้ง", "น้ำ", "ที่", "ติด้วย", "ก็ได้",
		"มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "ผลประโยชน์ทับซ้อน",
		"ปีงบประมาณ 2567", "ทั่วไป ซึ่ง ขึ้น เพื่อน", "โคกหินแฮ่",
		"องค์การบริหารส่วนตำบล\n", "ไม่ ใช่", "เปลี่ยนแปลง",
	};
	size_t i;
	for (i = 0; i < sizeof clean / sizeof clean[0]; i++)
		check(clean[i], clean[i]);
}

static void offset_map_points_into_the_original(void **state)
{
	(void)state;
	size_t *map;
	const char *in = "ฟื้ นฟู";       /* ฟ ื ้ space น ฟ ู: 3 bytes each */
	char *s = norm_n(in, strlen(in), &map);
	assert_string_equal(s, "ฟื้นฟู");
	assert_int_equal(map[0], 0);      /* ฟ */
	assert_int_equal(map[3], 3);      /* ื */
	assert_int_equal(map[6], 6);      /* ้ */
	assert_int_equal(map[9], 10);     /* น, after the dropped space */
	assert_int_equal(map[11], 10);
	assert_int_equal(map[12], 13);    /* ฟ */
	assert_int_equal(map[18], 19);    /* the end */
	free(map);
	free(s);

	/* a composed character maps to where its first part was */
	s = norm_n("xe\xCC\x81y", 5, &map);
	assert_string_equal(s, "x\xC3\xA9y");
	assert_int_equal(map[1], 1);
	assert_int_equal(map[2], 1);
	assert_int_equal(map[3], 4);
	free(map);
	free(s);

	/* the moved tone maps to its consonant */
	in = "ครัง้";
	s = norm_n(in, strlen(in), &map);
	assert_string_equal(s, "ครั้ง");
	assert_int_equal(map[9], 9);      /* ้ now before ง: ง's offset */
	assert_int_equal(map[12], 9);     /* ง */
	free(map);
	free(s);
}

static void invalid_utf8_becomes_replacement(void **state)
{
	(void)state;
	check("a\xFF" "b", "a\xEF\xBF\xBD" "b");
	check("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");            /* overlong */
	check("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
	check("ก\xE0\xB8", "ก\xEF\xBF\xBD\xEF\xBF\xBD");          /* truncated */
	check("\xA1\xA2", "\xEF\xBF\xBD\xEF\xBF\xBD");            /* TIS-620 bytes */
}

/* Regression (tools/fuzz/fuzz_thai): the fast path for clean text decoded
 * 3-byte overlong forms and surrogates as code points, so an overlong U+0095
 * was copied out as invalid UTF-8, an overlong no-break space became a space
 * and an overlong soft hyphen vanished. All are U+FFFD per byte. */
static void overlong_3_byte_forms_become_replacement(void **state)
{
	(void)state;
	const char *fffd3 = "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD";
	check("\xE0\x82\x95", fffd3);   /* the fuzzer's finding: overlong U+0095 */
	check("\xE0\x82\xA0", fffd3);   /* overlong U+00A0 */
	check("\xE0\x82\xAD", fffd3);   /* overlong U+00AD */
	check("\xE0\x82\xB7", fffd3);   /* overlong U+00B7 */
	check("\xED\xA0\x80", fffd3);   /* surrogate */
	/* inside clean Thai text, which takes the fast path */
	char *got = norm("\xE0\xB8\x81\xE0\x82\x95\xE0\xB8\x82");
	assert_string_equal(got, "\xE0\xB8\x81\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xE0\xB8\x82");
	free(got);
}

static void empty_input(void **state)
{
	(void)state;
	struct buf b;
	size_t *map = NULL;
	buf_init(&b, 0);
	assert_int_equal(thai_normalize("", 0, &b, &map), 0);
	assert_int_equal(b.len, 0);
	assert_non_null(map);
	assert_int_equal(map[0], 0);
	free(map);
	assert_int_equal(thai_normalize("", 0, &b, NULL), 0);
	buf_release(&b);
}

static void cap_is_reported(void **state)
{
	(void)state;
	struct buf b;
	size_t *map = (size_t *)&b;
	buf_init(&b, 8);
	assert_int_equal(thai_normalize("การป้องกันการทุจริต", strlen("การป้องกันการทุจริต"),
					&b, &map), -1);
	assert_null(map);
	buf_release(&b);
}

/* Long input goes through several chunks; each copy of the piece must come
 * out the same wherever the chunk boundaries fall. */
static void long_input_is_chunked_consistently(void **state)
{
	(void)state;
	struct buf in, want;
	char *got;
	int i;
	buf_init(&in, 0);
	buf_init(&want, 0);
	for (i = 0; i < 20000; i++) {
		buf_puts(&in, "ฟื้ นฟู ครัง้ ค าน า ๒๕๖๗ ITA\n");
		buf_puts(&want, "ฟื้นฟู ครั้งคำนำ 2567 ita\n");
	}
	got = norm_n(in.data, in.len, NULL);
	assert_int_equal(strlen(got), want.len);
	assert_string_equal(got, want.data);
	free(got);
	/* Thai with no ASCII at all is one chunk */
	buf_release(&in);
	buf_release(&want);
	for (i = 0; i < 30000; i++) {
		buf_puts(&in, "ทัง้");
		buf_puts(&want, "ทั้ง");
	}
	got = norm_n(in.data, in.len, NULL);
	assert_string_equal(got, want.data);
	free(got);
	buf_release(&in);
	buf_release(&want);
}

/* Repeat s n times into a new string. */
static char *repeat(const char *s, int n)
{
	struct buf b;
	buf_init(&b, 0);
	while (n-- > 0)
		buf_puts(&b, s);
	return buf_detach(&b, NULL);
}

static void quality_passes_clean_text(void **state)
{
	(void)state;
	struct thai_quality q;
	char *s = repeat("องค์การบริหารส่วนตำบลจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
			 "เพื่อป้องกันการทุจริต ก็ได้ดำเนินการ ณ ที่ว่าการอำเภอ ๆ ", 10);
	thai_quality_check(s, strlen(s), &q);
	assert_int_equal(q.reliable, 1);
	assert_string_equal(q.reason, "");
	assert_int_equal(q.pua, 0);
	assert_int_equal(q.split_sara_am, 0);
	assert_int_equal(q.orphan_marks, 0);
	assert_true(q.words >= 50);
	assert_true(q.thai > 500);
	free(s);

	/* English only, and short Thai: judged only on what applies */
	thai_quality_check("Integrity and Transparency Assessment", 37, &q);
	assert_int_equal(q.reliable, 1);
	assert_int_equal(q.thai, 0);
	thai_quality_check("ค าน า", strlen("ค าน า"), &q);
	assert_int_equal(q.split_sara_am, 2);
	assert_int_equal(q.reliable, 1);
	thai_quality_check("", 0, &q);
	assert_int_equal(q.reliable, 1);
	assert_int_equal(q.chars, 0);
}

static void quality_flags_ocr_spacing(void **state)
{
	(void)state;
	struct thai_quality q;
	char *s = repeat("ก า ร ป้ อ ง กั น ก า ร ทุ จ ริ ต ", 5);
	thai_quality_check(s, strlen(s), &q);
	assert_int_equal(q.reliable, 0);
	assert_true(q.one_char_words * 10 > q.words * 9);
	assert_non_null(strstr(q.reason, "one letter"));
	free(s);
}

static void quality_flags_private_use(void **state)
{
	(void)state;
	struct thai_quality q;
	/* legacy font: tone marks as U+F70A, U+F70B */
	char *s = repeat("การป\xEF\x9C\x8Bองกันการทุจริต ที\xEF\x9C\x8A ", 10);
	thai_quality_check(s, strlen(s), &q);
	assert_int_equal(q.pua, 20);
	assert_int_equal(q.reliable, 0);
	assert_non_null(strstr(q.reason, "private-use"));
	free(s);
	/* a PDF that is all PUA glyphs has no Thai at all, and still fails */
	s = repeat("\xEF\x9C\x80\xEF\x9C\x81\xEF\x9C\x82 ", 10);
	thai_quality_check(s, strlen(s), &q);
	assert_int_equal(q.reliable, 0);
	free(s);
}

static void quality_flags_split_sara_am(void **state)
{
	(void)state;
	struct thai_quality q;
	char *s = repeat("การด าเนินงานของส านักงานปลัดกระทรวง ท าให้ประชาชน ", 5);
	thai_quality_check(s, strlen(s), &q);
	assert_int_equal(q.split_sara_am, 15);
	assert_int_equal(q.reliable, 0);
	assert_non_null(strstr(q.reason, "sara am"));
	free(s);
}

static void quality_flags_orphan_marks(void **state)
{
	(void)state;
	struct thai_quality q;
	/* marks split onto lines of their own, as a monospace PDF gives them */
	char *s = repeat("ท่องเท\n่ยวทางประวัติศาสตร\n์ วัฒนธรรมไทยของจังหว\nัด ", 10);
	thai_quality_check(s, strlen(s), &q);
	assert_int_equal(q.orphan_marks, 30);
	assert_int_equal(q.reliable, 0);
	assert_non_null(strstr(q.reason, "no base letter"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfc_composes_and_orders),
		cmocka_unit_test(thai_digits_become_ascii),
		cmocka_unit_test(case_is_folded),
		cmocka_unit_test(zero_width_and_spaces),
		cmocka_unit_test(split_sara_am_is_joined),
		cmocka_unit_test(space_before_mark_removed),
		cmocka_unit_test(tone_moved_back_over_mai_han_akat),
		cmocka_unit_test(space_after_mark_mid_word),
		cmocka_unit_test(clean_thai_round_trips),
		cmocka_unit_test(offset_map_points_into_the_original),
		cmocka_unit_test(invalid_utf8_becomes_replacement),
		cmocka_unit_test(overlong_3_byte_forms_become_replacement),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(cap_is_reported),
		cmocka_unit_test(long_input_is_chunked_consistently),
		cmocka_unit_test(quality_passes_clean_text),
		cmocka_unit_test(quality_flags_ocr_spacing),
		cmocka_unit_test(quality_flags_private_use),
		cmocka_unit_test(quality_flags_split_sara_am),
		cmocka_unit_test(quality_flags_orphan_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
