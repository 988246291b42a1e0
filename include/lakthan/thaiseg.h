/*
 * thaiseg: splitting normalised Thai text into the units search indexes.
 *
 * Two granularities (lesson 8 of ANCHORS.md):
 *  - words, from ICU's dictionary word BreakIterator (locale "th"), with the
 *    field's word list merged in: adjacent ICU words whose concatenation is a
 *    listed word (ผลประโยชน์ทับซ้อน, อบต, งบประมาณ, ...) become one word, the
 *    same way in documents and queries;
 *  - clusters: one spacing Thai character with the combining marks after it
 *    (a grapheme cluster for Thai), the sub-unit that never depends on how a
 *    dictionary happened to split the surrounding text.
 *
 * Input is always text that went through thai_normalize() first.
 * A struct thaiseg is not thread-safe: one per tokenizer instance.
 */
#ifndef LAKTHAN_THAISEG_H
#define LAKTHAN_THAISEG_H
#include <stddef.h>

struct thaiseg;

/* One word: bytes [start, end) of the run given to thaiseg_words(). */
struct thaiseg_word {
	size_t start, end;
};

/* A new segmenter; -1 with a message in err when ICU cannot give one. */
int thaiseg_new(struct thaiseg **out, char *err);
void thaiseg_free(struct thaiseg *s);

/*
 * Split the Thai run run[0..n) (only code points for which thaiseg_is_thai()
 * is true) into words. Returns the number of words, stored in an array owned
 * by s and valid until the next call (*words), or -1 when ICU fails.
 */
int thaiseg_words(struct thaiseg *s, const char *run, size_t n, const struct thaiseg_word **words);

/* 1 when code point c belongs inside a Thai word (letters, vowels, marks). */
int thaiseg_is_thai(unsigned c);

/* 1 when c is a Thai combining mark (it never starts a cluster). */
int thaiseg_is_mark(unsigned c);

/* The length in bytes of the cluster starting at s[0..n) (at least 1 when n > 0). */
size_t thaiseg_cluster_len(const char *s, size_t n);

/*
 * How many bytes at the end of the Thai run run[0..n) are an abbreviation
 * that the text continues with a '.' (พ of พ.ศ., อบต of อบต.): the caller
 * splits it off before segmenting, since a dictionary segmenter otherwise
 * glues the letter to the word before (งบประมาณพ.ศ. → ...ประมา|ณพ). 0 if none.
 */
size_t thaiseg_abbrev_tail(const char *run, size_t n);

/* Decode one UTF-8 code point from s[0..n); *len gets its byte length
 * (1 for an invalid byte, which decodes as U+FFFD). */
unsigned thaiseg_decode(const char *s, size_t n, size_t *len);

/* 1 when the built-in field word list is in bsearch order (for tests). */
int thaiseg_field_words_sorted(void);

#endif
