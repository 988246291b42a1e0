/*
 * thai: Thai text normalisation and the quality check of extracted text.
 *
 * Normalisation is what documents and queries both go through before indexing
 * and matching, so that the same words compare equal however the producer
 * wrote them. It never touches the stored original text.
 */
#ifndef LAKTHAN_THAI_H
#define LAKTHAN_THAI_H
#include <stddef.h>
#include "lakthan/buf.h"

/*
 * Append the normalised form of in[0..n) (UTF-8) to out:
 *  - Unicode NFC;
 *  - Thai digits ๐–๙ → ASCII 0–9;
 *  - case folding;
 *  - zero-width characters (U+200C, U+200D, U+2060, U+FEFF) and soft hyphen
 *    dropped; U+200B (a Thai word break) becomes a space;
 *  - U+00A0 and other Unicode spaces → ASCII space;
 *  - decomposed sara am (U+0E4D U+0E32, also with a space between, and
 *    nikhahit + space + sara aa as PDF extraction writes it) → U+0E33;
 *  - stray spaces before Thai combining marks removed, and spaces that PDF
 *    extraction puts after a mark in the middle of a word;
 *  - a tone mark moved back over mai han-akat when PDF extraction put it after
 *    the final consonant (ครัง้ → ครั้ง).
 * Invalid UTF-8 is replaced with U+FFFD. -1 only when out's cap is reached.
 *
 * If map is not NULL, it receives for every byte of the output the offset of
 * the input byte it came from (so that token offsets can point into the
 * original); the caller frees *map. (*map)[i] belongs to the i-th byte this
 * call appended; one more entry after the last holds n, so a token of output
 * bytes [s, e) spans input bytes [(*map)[s], (*map)[e]). The map never
 * decreases: a composed or repaired character maps to the start of the input
 * it was made from (a tone moved back over mai han-akat maps to its consonant).
 */
int thai_normalize(const char *in, size_t n, struct buf *out, size_t **map);

/* Quality of extracted text (lesson 1 of ANCHORS.md). */
struct thai_quality {
	size_t chars;          /* code points */
	size_t thai;           /* Thai code points (U+0E00..U+0E7F) */
	size_t pua;            /* private-use code points */
	size_t split_sara_am;  /* consonant + space + sara aa, or consonant +
	                          nikhahit + space + sara aa (nikhahit directly
	                          before sara aa is a decomposed ำ, not counted) */
	size_t orphan_marks;   /* Thai marks with no base letter before them */
	size_t words;          /* space-separated runs containing Thai */
	size_t one_char_words; /* of those, runs of a single Thai letter */
	int reliable;          /* 0 when any threshold below is passed */
	char reason[128];      /* why not reliable, e.g. "32% private-use characters" */
};

/* Measure in[0..n) (UTF-8) and decide whether it is reliable text. */
void thai_quality_check(const char *in, size_t n, struct thai_quality *q);

#endif
