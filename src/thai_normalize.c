/*
 * thai_normalize: the normalised form of Thai text that documents and queries
 * share (see include/lakthan/thai.h), with an exact byte map back to the input.
 *
 * The input is processed in chunks that end at a point no rule looks across
 * (an ASCII character that is not a space followed by an ASCII character), so
 * memory is bounded by the chunk size and no rule ever sees half a context.
 * Each chunk goes through three steps on an array of code points that carries
 * the input offset of every code point:
 *   1. decode UTF-8 and map single code points (digits, case, zero-width,
 *      space kinds);
 *   2. the Thai repairs of PDF extraction artefacts, each a local rewrite
 *      that keeps the offsets of what it keeps;
 *   3. NFC through ICU, only over the segments the quick check says need it.
 * Finally every output byte gets the offset of the code point it came from.
 */
#include "lakthan/thai.h"
#include "lakthan/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* Aim for chunks of about this many input bytes. */
#define CHUNK_BYTES (64 * 1024)

/*
 * Spaces that came from U+00A0, other Unicode spaces or U+200B are written as
 * ASCII spaces but are never removed by a repair: only an ASCII space, the
 * kind pdftotext inserts, counts as a possible artefact. Inside the pipeline
 * they carry this private value (outside the Unicode range).
 */
#define HARD_SPACE 0x110020u

/* Scratch arrays reused across the chunks of one call. */
struct work {
	uint32_t *cp;     /* code points of the chunk */
	size_t *off;      /* input offset of each */
	size_t n, cap;
	uint32_t *cp2;    /* NFC output */
	size_t *off2;
	size_t cap2;
	UChar *u16;       /* the chunk in UTF-16, for ICU */
	size_t *uoff;     /* code point index of each UTF-16 unit */
	size_t ucap;
	char *bytes;      /* the chunk's output in UTF-8 */
	size_t bcap;
	size_t *map;      /* the whole call's output map */
	size_t maplen, mapcap;
};

/* Thai consonants ก..ฮ. */
static int is_cons(uint32_t c)
{
	return c >= 0x0E01 && c <= 0x0E2E;
}

/* Thai combining marks: mai han-akat, the upper and lower vowels, phinthu,
 * maitaikhu, the tone marks, thanthakhat, nikhahit, yamakkan. */
static int is_mark(uint32_t c)
{
	return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) ||
	       (c >= 0x0E47 && c <= 0x0E4E);
}

/* Mai ek, mai tho, mai tri, mai chattawa. */
static int is_tone(uint32_t c)
{
	return c >= 0x0E48 && c <= 0x0E4B;
}

/* The vowels written before the consonant: เ แ โ ใ ไ. */
static int is_leading(uint32_t c)
{
	return c >= 0x0E40 && c <= 0x0E44;
}

/* Any Thai letter, vowel, mark, digit or sign. */
static int is_thai(uint32_t c)
{
	return c >= 0x0E01 && c <= 0x0E5B;
}

/* Letters a syllable may start with: consonants and leading vowels. */
static int is_initial(uint32_t c)
{
	return is_cons(c) || is_leading(c);
}

/* Characters that can never start a word: the marks and sara a, aa, am, lakkhangyao. */
static int is_noninitial(uint32_t c)
{
	return is_mark(c) || c == 0x0E30 || c == 0x0E32 || c == 0x0E33 || c == 0x0E45;
}

/* The code point at i, or 0 outside the array (0 matches no class above). */
static uint32_t at(const struct work *w, size_t i, long d)
{
	long j = (long)i + d;
	if (j < 0 || (size_t)j >= w->n)
		return 0;
	return w->cp[j];
}

/* Grow the per-chunk arrays to hold n code points. */
static void work_reserve(struct work *w, size_t n)
{
	if (n <= w->cap)
		return;
	w->cap = n;
	w->cp = lk_realloc(w->cp, n * sizeof *w->cp);
	w->off = lk_realloc(w->off, n * sizeof *w->off);
}

/*
 * The single-code-point rules: Thai digits to ASCII, case folding, dropped
 * zero-width characters (returns 0), spaces. ASCII and Thai, nearly all of the
 * text, never reach ICU.
 */
static uint32_t map_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c >= 0x0E00 && c <= 0x0E7F)
		return (c >= 0x0E50 && c <= 0x0E59) ? '0' + (c - 0x0E50) : c;
	switch (c) {
	case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
		return 0;
	case 0x200B:
		return HARD_SPACE;
	default:
		break;
	}
	if (u_charType((UChar32)c) == U_SPACE_SEPARATOR)
		return HARD_SPACE;
	return (uint32_t)u_foldCase((UChar32)c, U_FOLD_CASE_DEFAULT);
}

/* Step 1: decode in[0..n) (at input offset base) into w->cp/w->off. */
static void decode_chunk(struct work *w, const char *in, size_t n, size_t base)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, len;
	work_reserve(w, n + 1);
	w->n = 0;
	while (i < n) {
		uint32_t c = map_cp(lk_utf8_next(s + i, n - i, &len));
		if (c) {
			w->cp[w->n] = c;
			w->off[w->n] = base + i;
			w->n++;
		}
		i += len;
	}
}

/*
 * Repair 1, split sara am: nikhahit + sara aa, with or without one space
 * between, and consonant + space + sara aa (the nikhahit half of the glyph lost
 * by the PDF font) become U+0E33. A Thai word never starts with sara aa, so a
 * space before it after a consonant is never a real word break.
 */
static void repair_sara_am(struct work *w)
{
	size_t i, o = 0;
	for (i = 0; i < w->n; i++) {
		uint32_t c = w->cp[i];
		if (c == 0x0E4D && at(w, i, 1) == 0x0E32) {
			w->cp[o] = 0x0E33; w->off[o++] = w->off[i];
			i += 1;
		} else if (c == 0x0E4D && at(w, i, 1) == ' ' && at(w, i, 2) == 0x0E32) {
			w->cp[o] = 0x0E33; w->off[o++] = w->off[i];
			i += 2;
		} else if (c == ' ' && at(w, i, 1) == 0x0E32 && o > 0 && is_cons(w->cp[o - 1])) {
			w->cp[o] = 0x0E33; w->off[o++] = w->off[i];
			i += 1;
		} else {
			w->cp[o] = c; w->off[o++] = w->off[i];
		}
	}
	w->n = o;
}

/*
 * The end of a gap that a repair may remove, starting at index i: ASCII spaces
 * and at most one line break (LF or CR LF), the kinds pdftotext writes when
 * it sees a zero-width mark as a gap or as a glyph on another line. Returns i
 * when there is no gap at i.
 */
static size_t gap_end(const struct work *w, size_t i)
{
	int breaks = 0;
	while (i < w->n) {
		uint32_t c = w->cp[i];
		if (c == ' ') {
			i++;
		} else if (!breaks && c == '\n') {
			breaks = 1; i++;
		} else if (!breaks && c == '\r' && at(w, i, 1) == '\n') {
			breaks = 1; i += 2;
		} else {
			break;
		}
	}
	return i;
}

/*
 * Repair 2: a gap between a Thai character and one that can never start a
 * word (a combining mark, sara a, aa, am) is not a word break but what
 * pdftotext makes of zero-width marks ("ขึน ้", "หน้ า", "มัน\n่").
 */
static void repair_space_before_mark(struct work *w)
{
	size_t i, o = 0;
	for (i = 0; i < w->n; i++) {
		size_t e = gap_end(w, i);
		if (e > i && e < w->n && o > 0 && is_thai(w->cp[o - 1]) &&
		    is_noninitial(w->cp[e])) {
			i = e - 1;
			continue;
		}
		w->cp[o] = w->cp[i]; w->off[o++] = w->off[i];
	}
	w->n = o;
}

/*
 * Repair 3, the tone mark moved after the final consonant: "ั C tone" is
 * never Thai (a consonant after mai han-akat closes the syllable and cannot
 * carry a tone of its own), so it is always "ั tone C" written out of order
 * (ครัง้ → ครั้ง). After sara ue or sara uee the same order can be real
 * (a typo such as รึ่ว is kept), so it is repaired only with the signature of
 * PDF extraction: the tone followed by a space, a line break or the end of
 * the text. The gap pdftotext adds after the displaced tone goes too. The moved tone takes
 * the offset of the consonant, so the map stays non-decreasing.
 */
static void repair_tone_order(struct work *w)
{
	size_t i, o = 0;
	for (i = 0; i < w->n; i++) {
		uint32_t c = w->cp[i], c1 = at(w, i, 1), c2 = at(w, i, 2), c3 = at(w, i, 3);
		size_t e;
		int pdf_end = c3 == 0 || c3 == ' ' || c3 == '\n' || c3 == '\r';
		if ((c == 0x0E31 || ((c == 0x0E36 || c == 0x0E37) && pdf_end)) &&
		    is_cons(c1) && is_tone(c2)) {
			w->cp[o] = c; w->off[o++] = w->off[i];
			w->cp[o] = c2; w->off[o++] = w->off[i + 1];
			w->cp[o] = c1; w->off[o++] = w->off[i + 1];
			i += 2;
			e = gap_end(w, i + 1);
			if (e > i + 1 && is_thai(at(w, e, 0)))
				i = e - 1;
			continue;
		}
		w->cp[o] = c; w->off[o++] = w->off[i];
	}
	w->n = o;
}

/*
 * Whether the Thai text ending with c (after p1, p2, p3, nearest first; 0
 * where there is none) is a syllable that cannot end a word, so an ASCII space after it is a PDF
 * artefact:
 *  - mai han-akat or sara uee, with or without a tone: a final must follow;
 *  - maitaikhu, except in the word ก็: it shortens a vowel before a final;
 *  - a tone on a bare consonant with no leading vowel (ป้ อง, ด้ วย): a
 *    consonant with only a tone is not a syllable, whereas ให้, ใกล้, แม่ end
 *    words;
 *  - a leading vowel: it is always followed by its consonant.
 */
static int needs_more_cp(uint32_t c, uint32_t p1, uint32_t p2, uint32_t p3)
{
	if (c == 0x0E31 || c == 0x0E37)
		return 1;
	if (is_tone(c) && (p1 == 0x0E31 || p1 == 0x0E37))
		return 1;
	if (c == 0x0E47)
		return is_cons(p1) && (p1 != 0x0E01 || is_leading(p2));
	if (is_tone(c) && is_cons(p1))
		return !is_leading(p2) && !(is_cons(p2) && is_leading(p3));
	return is_leading(c);
}

/* needs_more_cp() on the repaired output ending at w->cp[e]. */
static int needs_more(const struct work *w, size_t e)
{
	return needs_more_cp(w->cp[e], at(w, e, -1), at(w, e, -2), at(w, e, -3));
}

/*
 * Repair 4: drop an ASCII space after a syllable that cannot end a word
 * ("ฟื้ นฟู", "เป็ น", "ป้ องกัน") when a Thai letter follows. A line break
 * there is kept: clean text has lines cut off mid-word (truncated titles),
 * and joining them would make a word that was never written. The context
 * before the space is read from the output written so far (indices < o).
 */
static void repair_space_after_mark(struct work *w)
{
	size_t i, o = 0;
	for (i = 0; i < w->n; i++) {
		if (w->cp[i] == ' ' && o > 0 && is_initial(at(w, i, 1)) &&
		    needs_more(w, o - 1))
			continue;
		w->cp[o] = w->cp[i]; w->off[o++] = w->off[i];
	}
	w->n = o;
}

/* Grow the NFC arrays to hold n code points. */
static void work_reserve2(struct work *w, size_t n)
{
	if (n <= w->cap2)
		return;
	w->cap2 = n;
	w->cp2 = lk_realloc(w->cp2, n * sizeof *w->cp2);
	w->off2 = lk_realloc(w->off2, n * sizeof *w->off2);
}

/* Append code point c with offset off to the NFC output. */
static void push2(struct work *w, size_t *o, uint32_t c, size_t off)
{
	work_reserve2(w, *o + 1 > w->cap2 ? 2 * w->cap2 + 16 : 0);
	w->cp2[*o] = c;
	w->off2[*o] = off;
	(*o)++;
}

/* Copy UTF-16 units u16[a..b) (all of them whole code points) to the output,
 * each code point keeping its own offset. */
static void copy_span(struct work *w, size_t *o, size_t a, size_t b)
{
	size_t k;
	for (k = a; k < b; k++) {
		size_t ci = w->uoff[k];
		if (U16_IS_TRAIL(w->u16[k]))
			continue;
		push2(w, o, w->cp[ci], w->off[ci]);
	}
}

/*
 * Step 3, NFC. Nearly all text is already in NFC: the quick check over the
 * chunk says so and nothing is copied. Otherwise each segment between
 * normalisation boundaries that fails the check is normalised on its own, and
 * its output takes the offset of the segment's first code point: composing
 * "e" + U+0301 yields one code point that comes from where "e" was.
 */
static void nfc_chunk(struct work *w, const UNormalizer2 *nfc)
{
	size_t i, u = 0, o = 0, pos, len;
	UErrorCode err = U_ZERO_ERROR;
	UChar seg[64];

	if (w->n == 0)
		return;
	if (2 * w->n > w->ucap) {
		w->ucap = 2 * w->n;
		w->u16 = lk_realloc(w->u16, w->ucap * sizeof *w->u16);
		w->uoff = lk_realloc(w->uoff, w->ucap * sizeof *w->uoff);
	}
	for (i = 0; i < w->n; i++) {
		uint32_t c = w->cp[i] == HARD_SPACE ? ' ' : w->cp[i];
		if (c < 0x10000) {
			w->u16[u] = (UChar)c; w->uoff[u++] = i;
		} else {
			w->u16[u] = U16_LEAD(c); w->uoff[u++] = i;
			w->u16[u] = U16_TRAIL(c); w->uoff[u++] = i;
		}
	}
	len = u;
	pos = (size_t)unorm2_spanQuickCheckYes(nfc, w->u16, (int32_t)len, &err);
	if (U_FAILURE(err) || pos >= len)
		return;

	work_reserve2(w, w->n + 16);
	copy_span(w, &o, 0, pos);
	while (pos < len) {
		size_t end = pos, k;
		UChar32 c;
		int32_t m;
		/* the segment: one code point, then up to the next boundary */
		U16_NEXT(w->u16, end, len, c);
		while (end < len) {
			size_t nx = end;
			U16_NEXT(w->u16, nx, len, c);
			if (unorm2_hasBoundaryBefore(nfc, c))
				break;
			end = nx;
		}
		err = U_ZERO_ERROR;
		m = unorm2_normalize(nfc, w->u16 + pos, (int32_t)(end - pos), seg,
				     (int32_t)(sizeof seg / sizeof seg[0]), &err);
		if (U_FAILURE(err)) {
			/* a segment too long for seg[] (hundreds of marks): keep it */
			copy_span(w, &o, pos, end);
		} else {
			size_t first = w->off[w->uoff[pos]];
			for (k = 0; k < (size_t)m;) {
				U16_NEXT(seg, k, (size_t)m, c);
				push2(w, &o, (uint32_t)c, first);
			}
		}
		pos = end;
		if (pos < len) {
			err = U_ZERO_ERROR;
			size_t yes = (size_t)unorm2_spanQuickCheckYes(nfc, w->u16 + pos,
								    (int32_t)(len - pos), &err);
			if (U_FAILURE(err))
				yes = 0;
			copy_span(w, &o, pos, pos + yes);
			pos += yes;
		}
	}
	/* swap the NFC output in as the chunk */
	{
		uint32_t *tc = w->cp; size_t *to = w->off; size_t tcap = w->cap;
		w->cp = w->cp2; w->off = w->off2; w->cap = w->cap2;
		w->cp2 = tc; w->off2 = to; w->cap2 = tcap;
		w->n = o;
	}
}

/* Encode the chunk as UTF-8 and append it to out, and its offsets to the map. */
static int emit_chunk(struct work *w, struct buf *out, int want_map)
{
	size_t i, b = 0;
	if (4 * w->n > w->bcap) {
		w->bcap = 4 * w->n;
		w->bytes = lk_realloc(w->bytes, w->bcap);
	}
	if (want_map && w->maplen + 4 * w->n + 1 > w->mapcap) {
		w->mapcap = 2 * (w->maplen + 4 * w->n + 1);
		w->map = lk_realloc(w->map, w->mapcap * sizeof *w->map);
	}
	for (i = 0; i < w->n; i++) {
		uint32_t c = w->cp[i] == HARD_SPACE ? ' ' : w->cp[i];
		size_t k, len;
		char *u = w->bytes + b;
		if (c < 0x80) {
			u[0] = (char)c; len = 1;
		} else if (c < 0x800) {
			u[0] = (char)(0xC0 | (c >> 6)); u[1] = (char)(0x80 | (c & 0x3F)); len = 2;
		} else if (c < 0x10000) {
			u[0] = (char)(0xE0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F)); len = 3;
		} else {
			u[0] = (char)(0xF0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F));
			len = 4;
		}
		if (want_map)
			for (k = 0; k < len; k++)
				w->map[w->maplen++] = w->off[i];
		b += len;
	}
	return buf_append(out, w->bytes, b);
}

/* The canonical combining class of a Thai code point (Unicode: phinthu 9,
 * sara u and uu 103, the tone marks 107, every other one 0). */
static int thai_ccc(uint32_t c)
{
	if (c == 0x0E38 || c == 0x0E39)
		return 103;
	if (c == 0x0E3A)
		return 9;
	return is_tone(c) ? 107 : 0;
}

/* What fast_chunk() does with a code point outside ASCII and Thai. */
enum { FAST_BAIL, FAST_SPACE, FAST_DROP, FAST_COPY };

/* The single-code-point rules of map_cp() for the non-Thai characters common
 * in extracted Thai text, all NFC with combining class 0; FAST_BAIL for the
 * rest, which go through the pipeline. */
static int fast_other(uint32_t c)
{
	if (c == 0x00A0 || c == 0x200B)
		return FAST_SPACE;
	if (c == 0x00AD || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF)
		return FAST_DROP;
	if ((c >= 0x0080 && c <= 0x009F) || c == 0x00B7 || (c >= 0x2010 && c <= 0x2027))
		return FAST_COPY;
	return FAST_BAIL;
}

/*
 * The fast path for text that is already normalised, nearly all extracted
 * text: a chunk of ASCII, assigned Thai (U+0E01..U+0E3A, U+0E3F..U+0E5B)
 * and the characters fast_other() knows, with no nikhahit, no combining mark in canonical
 * misorder, and none of the contexts a repair rewrites. Such a chunk is its
 * own NFC and every repair leaves it unchanged, so the pipeline reduces to
 * lower-casing ASCII and turning Thai digits into ASCII, with an exact map;
 * checking that is one pass over the bytes instead of four passes over code
 * points plus a UTF-16 copy for ICU. The checks are conservative: a chunk
 * that merely might need a repair goes through the full pipeline.
 * Returns 1 when the chunk was appended, 0 when it needs the pipeline
 * (nothing appended), -1 when out's cap is reached.
 */
static int fast_chunk(struct work *w, const char *in, size_t n, size_t base, struct buf *out, int want_map)
{
	const unsigned char *s = (const unsigned char *)in;
	uint32_t p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0;
	size_t i = 0, b = 0;
	if (n > w->bcap) {
		w->bcap = n;
		w->bytes = lk_realloc(w->bytes, w->bcap);
	}
	if (want_map && w->maplen + n + 1 > w->mapcap) {
		w->mapcap = 2 * (w->maplen + n + 1);
		w->map = lk_realloc(w->map, w->mapcap * sizeof *w->map);
	}
	size_t *m = want_map ? w->map + w->maplen : NULL;
	while (i < n) {
		uint32_t c = s[i];
		if (c == 0)
			return 0;  /* the pipeline drops NUL */
		if (c < 0x80) {
			w->bytes[b] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
			if (m)
				m[b] = base + i;
			b++;
			i++;
		} else {
			size_t len = 0;
			if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
				c = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
				len = 2;
			} else if (c >= 0xE0 && c <= 0xEF && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
				   (s[i + 2] & 0xC0) == 0x80) {
				c = ((c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
				len = 3;
				/* an overlong form (E0 82 95 for U+0095) or a surrogate is
				 * invalid UTF-8: the pipeline turns it into U+FFFD, where
				 * this path copied it verbatim, made it a space or dropped
				 * it (tools/fuzz/fuzz_thai) */
				if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
					return 0;
			} else {
				return 0;
			}
			if (c < 0x0E01 || c > 0x0E5B) {
				/* the few other characters extracted text is full of:
				 * spaces, dropped zero-width characters, and
				 * punctuation that maps to itself */
				int k = fast_other(c);
				if (k == FAST_BAIL)
					return 0;
				if (k == FAST_SPACE) {
					w->bytes[b] = ' ';
					if (m)
						m[b] = base + i;
					b++;
					c = HARD_SPACE;
				} else if (k == FAST_COPY) {
					memcpy(w->bytes + b, s + i, len);
					for (size_t k2 = 0; m && k2 < len; k2++)
						m[b + k2] = base + i;
					b += len;
				}
				i += len;
				if (k != FAST_DROP) {
					p5 = p4; p4 = p3; p3 = p2; p2 = p1; p1 = c;
				}
				continue;
			}
			if ((c >= 0x0E3B && c <= 0x0E3E) || c == 0x0E4D || len != 3)
				return 0;
			/* a gap before a non-initial (repairs 1 and 2) */
			if ((p1 == ' ' || p1 == '\n' || p1 == '\r') && is_noninitial(c))
				return 0;
			/* a tone after the final consonant (repair 3) */
			if (is_tone(c) && is_cons(p1) && (p2 == 0x0E31 || p2 == 0x0E36 || p2 == 0x0E37))
				return 0;
			/* a space after a syllable that cannot end a word (repair 4) */
			if (p1 == ' ' && is_initial(c) && needs_more_cp(p2, p3, p4, p5))
				return 0;
			/* marks out of canonical order (NFC would reorder them) */
			if (thai_ccc(c) && p1 >= 0x0E00 && p1 <= 0x0E7F && thai_ccc(p1) > thai_ccc(c))
				return 0;
			if (c >= 0x0E50 && c <= 0x0E59) {
				w->bytes[b] = (char)('0' + (c - 0x0E50));
				if (m)
					m[b] = base + i;
				b++;
			} else {
				memcpy(w->bytes + b, s + i, 3);
				if (m)
					m[b] = m[b + 1] = m[b + 2] = base + i;
				b += 3;
			}
			i += 3;
		}
		p5 = p4; p4 = p3; p3 = p2; p2 = p1; p1 = c;
	}
	if (want_map)
		w->maplen += b;
	return buf_append(out, w->bytes, b) < 0 ? -1 : 1;
}

/*
 * Where the chunk starting at `from` should end: the first point at or after
 * from + CHUNK_BYTES between an ASCII non-space byte and an ASCII byte. Every
 * rule's context is Thai letters and spaces, and ASCII is an NFC boundary, so
 * nothing spans such a point. Text with no such point is one chunk.
 */
static size_t chunk_end(const char *in, size_t n, size_t from)
{
	size_t i = from + CHUNK_BYTES;
	if (i >= n || from + CHUNK_BYTES < from)
		return n;
	for (; i < n; i++) {
		unsigned char a = (unsigned char)in[i - 1], b = (unsigned char)in[i];
		if (a < 0x80 && a != ' ' && b < 0x80)
			return i;
	}
	return n;
}

int thai_normalize(const char *in, size_t n, struct buf *out, size_t **map)
{
	struct work w;
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	size_t from = 0;
	int rc = 0;

	memset(&w, 0, sizeof w);
	if (map)
		*map = NULL;
	if (U_FAILURE(err))
		nfc = NULL;
	while (from < n) {
		size_t to = chunk_end(in, n, from);
		int fast = fast_chunk(&w, in + from, to - from, from, out, map != NULL);
		if (fast != 0) {
			if (fast < 0) {
				rc = -1;
				break;
			}
			from = to;
			continue;
		}
		decode_chunk(&w, in + from, to - from, from);
		repair_sara_am(&w);
		repair_space_before_mark(&w);
		repair_tone_order(&w);
		repair_space_after_mark(&w);
		if (nfc)
			nfc_chunk(&w, nfc);
		if (emit_chunk(&w, out, map != NULL) < 0) {
			rc = -1;
			break;
		}
		from = to;
	}
	if (map && rc == 0) {
		/* one more entry past the end: the input length, where a token
		 * ending at the end of the output ends in the input */
		if (w.maplen + 1 > w.mapcap)
			w.map = lk_realloc(w.map, (w.maplen + 1) * sizeof *w.map);
		w.map[w.maplen] = n;
		*map = w.map;
		w.map = NULL;
	}
	free(w.cp); free(w.off); free(w.cp2); free(w.off2);
	free(w.u16); free(w.uoff); free(w.bytes); free(w.map);
	return rc;
}
