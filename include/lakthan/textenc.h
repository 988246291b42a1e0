/*
 * textenc: detect the encoding of plain text and convert it to UTF-8.
 *
 * Handles UTF-8 (with or without BOM), UTF-16LE/BE with BOM, and the legacy
 * Thai encodings TIS-620 / windows-874 (told apart from UTF-8 by validity and
 * from Latin text by the share of bytes in the Thai range). Anything else that
 * is not UTF-8 is converted as windows-874 when that is plausible and refused
 * otherwise.
 */
#ifndef LAKTHAN_TEXTENC_H
#define LAKTHAN_TEXTENC_H
#include <stddef.h>
#include "lakthan/buf.h"

/* The encoding name detected for in[0..n) ("UTF-8", "UTF-16LE", "UTF-16BE",
 * "WINDOWS-874"), or NULL when the bytes are not text we can read. */
const char *textenc_detect(const char *in, size_t n);

/* Append in[0..n) converted to UTF-8 to out (BOM dropped). -1 with reason on
 * undecodable input or when out's cap is reached. */
int textenc_to_utf8(const char *in, size_t n, struct buf *out, char *reason, size_t reasonlen);

/* Convert from a named encoding (as iconv knows it) to UTF-8. */
int textenc_convert(const char *from, const char *in, size_t n, struct buf *out,
		    char *reason, size_t reasonlen);

#endif
