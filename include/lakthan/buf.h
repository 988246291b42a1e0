/*
 * buf: a growable byte buffer with a hard size cap (after curl's dynbuf).
 *
 * Invariant: data is NUL-terminated whenever data != NULL, and len never
 * exceeds max. An append that would pass max appends nothing and returns -1,
 * so a hostile input cannot grow a buffer without bound.
 */
#ifndef LAKTHAN_BUF_H
#define LAKTHAN_BUF_H
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;   /* 0 means no cap */
};

#define BUF_INIT {0, 0, 0, 0}

void buf_init(struct buf *b, size_t max);
/* Free the storage and reset to empty (max is kept). */
void buf_release(struct buf *b);
/* Append n bytes; -1 (nothing appended) when the cap would be passed. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
/* Append a Unicode code point as UTF-8. */
int buf_put_utf8(struct buf *b, unsigned cp);
/* Take ownership of the data (NUL-terminated, maybe NULL when empty). */
char *buf_detach(struct buf *b, size_t *len);

#endif
