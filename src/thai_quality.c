/*
 * thai_quality: decide whether extracted text can be trusted (lesson 1 of
 * ANCHORS.md). It counts the signatures of the known ways Thai extraction
 * fails — private-use glyphs of legacy fonts, sara am split by a lost
 * nikhahit, OCR text layers with a space after nearly every letter, marks with
 * no base letter — and compares them with thresholds chosen so that all 2,000
 * documents of the clean corpus pass (docs/PERFORMANCE.md has the
 * figures). A rule that needs Thai text applies only when there is enough of it.
 */
#include "lakthan/thai.h"
#include "lakthan/util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Below this many Thai letters (or Thai words) the Thai rules do not apply. */
#define MIN_THAI 20
#define MIN_WORDS 20

/* Thai combining marks (mai han-akat, upper and lower vowels, tones, signs). */
static int is_mark(uint32_t c)
{
	return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) ||
	       (c >= 0x0E47 && c <= 0x0E4E);
}

/* Thai consonants ก..ฮ. */
static int is_cons(uint32_t c)
{
	return c >= 0x0E01 && c <= 0x0E2E;
}

/* Letters that make a run a Thai word: consonants and vowels that are not
 * marks (ฯ and ๆ are signs, the digits are digits). */
static int is_letter(uint32_t c)
{
	return (c >= 0x0E01 && c <= 0x0E45 && c != 0x0E2F && !is_mark(c));
}

/* The private-use areas: the BMP one (legacy Thai fonts use U+F700–U+F71F
 * and nearby) and planes 15 and 16. */
static int is_pua(uint32_t c)
{
	return (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000;
}

/* Word separators for the one-letter-word count. */
static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v' || c == 0xA0 || c == 0x200B || c == 0x3000;
}

/* Whether the measured counts pass a threshold; the reason is written into q. */
static void judge(struct thai_quality *q, size_t sara_am)
{
	q->reliable = 1;
	q->reason[0] = 0;
	/* legacy fonts: Thai glyphs as private-use code points; a few PUA
	 * bullets or icons in otherwise good text are allowed */
	if (q->pua >= 5 && q->pua * 100 >= 2 * (q->thai + q->pua)) {
		snprintf(q->reason, sizeof q->reason, "%zu%% private-use characters",
			 q->pua * 100 / (q->thai + q->pua));
		q->reliable = 0;
		return;
	}
	/* OCR text layers: a space after nearly every letter */
	if (q->words >= MIN_WORDS && q->one_char_words * 100 >= 30 * q->words) {
		snprintf(q->reason, sizeof q->reason, "%zu%% of Thai words are one letter",
			 q->one_char_words * 100 / q->words);
		q->reliable = 0;
		return;
	}
	/* sara am drawn without its nikhahit: "ค าน า" */
	if (q->thai >= MIN_THAI && q->split_sara_am >= 3 &&
	    q->split_sara_am * 100 >= 20 * (q->split_sara_am + sara_am)) {
		snprintf(q->reason, sizeof q->reason, "%zu of %zu sara am split (\"ค าน า\")",
			 q->split_sara_am, q->split_sara_am + sara_am);
		q->reliable = 0;
		return;
	}
	/* marks with no base letter: glyphs reordered or split off */
	if (q->thai >= MIN_THAI && q->orphan_marks >= 5 &&
	    q->orphan_marks * 100 >= 2 * q->thai) {
		snprintf(q->reason, sizeof q->reason, "%zu Thai marks with no base letter",
			 q->orphan_marks);
		q->reliable = 0;
	}
}

void thai_quality_check(const char *in, size_t n, struct thai_quality *q)
{
	const unsigned char *s = (const unsigned char *)in;
	uint32_t p1 = 0, p2 = 0, p3 = 0;  /* the previous three code points */
	size_t i = 0, len, sara_am = 0;
	size_t run_letters = 0;           /* Thai letters in the current run */
	int run_other = 0;                /* the run has anything besides them and marks */

	memset(q, 0, sizeof *q);
	while (i <= n) {
		/* one extra blank past the end closes the last run */
		uint32_t c = ' ';
		len = 1;
		if (i < n)
			c = lk_utf8_next(s + i, n - i, &len);
		if (i < n) {
			q->chars++;
			if (c >= 0x0E00 && c <= 0x0E7F)
				q->thai++;
			if (is_pua(c))
				q->pua++;
			if (c == 0x0E33)
				sara_am++;
			/* consonant + space + sara aa, or with the nikhahit
			 * separated from its sara aa by a space */
			if (c == 0x0E32 && p1 == ' ' &&
			    (is_cons(p2) || (p2 == 0x0E4D && is_cons(p3))))
				q->split_sara_am++;
			if (is_mark(c) && !is_letter(p1) && !is_mark(p1))
				q->orphan_marks++;
		}
		if (is_space(c)) {
			if (run_letters) {
				q->words++;
				if (run_letters == 1 && !run_other)
					q->one_char_words++;
			}
			run_letters = 0;
			run_other = 0;
		} else if (is_letter(c)) {
			run_letters++;
		} else if (!is_mark(c)) {
			run_other = 1;
		}
		p3 = p2; p2 = p1; p1 = c;
		i += len;
	}
	judge(q, sara_am);
}
