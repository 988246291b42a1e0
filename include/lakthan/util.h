/*
 * util: the few helpers every module uses.
 *
 * Error convention (after redis' anet.c): a function that can fail takes a
 * caller-supplied `char *err` of at least LK_ERRLEN bytes, returns 0 on success
 * and -1 on failure (or an enum lk_fail, below, where the kind matters), and
 * on failure writes one human sentence into err (no trailing newline, no
 * "lakthan:" prefix; the CLI adds that).
 *
 * Allocation: lk_malloc and friends never return NULL; running out of memory
 * aborts, as git's xmalloc does. Callers free with free().
 */
#ifndef LAKTHAN_UTIL_H
#define LAKTHAN_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>

#define LK_ERRLEN 512

void *lk_malloc(size_t n);
void *lk_calloc(size_t nmemb, size_t size);
void *lk_realloc(void *p, size_t n);
char *lk_strdup(const char *s);
char *lk_strndup(const char *s, size_t n);

/* printf into a new string; the caller frees it. */
char *lk_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write a message into err (LK_ERRLEN bytes) and return -1. */
int lk_errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * What kind of failure, for functions whose callers must tell failures
 * apart (plan editing, accounts): they return one of these with the
 * sentence in err as usual, and callers choose an HTTP status or an exit
 * code from the kind, never from the wording. All are negative, so
 * `!= 0` and `< 0` still read "failed"; -1 stays the generic one.
 */
enum lk_fail {
	LK_BAD_INPUT = -1,        /* the input is wrong (what lk_errf returns) */
	LK_NOT_FOUND = -2,        /* what the input names does not exist */
	LK_CONFLICT = -3,         /* refused in the current state: a duplicate, evidence linked, the last admin */
	LK_INTERNAL = -4,         /* the database or the system failed, not the input */
	LK_NO_PLAN = -5,          /* the year has no plan */
	LK_UNKNOWN_QUESTION = -6, /* a question code neither the plan nor the ITA catalog knows */
};

/* lk_errf, returning code (an lk_fail) instead of -1. */
#define lk_errc(err, code, ...) (lk_errf((err), __VA_ARGS__), (code))

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" in out (at least 21 bytes). */
void lk_now_iso(char out[32]);

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int lk_utf8_valid(const char *s, size_t n);

/*
 * Decode one UTF-8 sequence at s[0..n) (n >= 1): the code point, with its
 * length in *len; U+FFFD for an invalid, overlong, surrogate or truncated
 * sequence, consuming one byte so decoding resumes at the next.
 */
uint32_t lk_utf8_next(const unsigned char *s, size_t n, size_t *len);

/*
 * Parse a fiscal year in the Buddhist Era ("2567", Thai digits allowed).
 * Returns the year, or -1 with a message in err: a CE year such as 2024 is
 * refused with a hint naming the BE year.
 */
int lk_parse_year(const char *s, char *err);

#endif
