/*
 * textenc: detect the encoding of plain text (UTF-8, UTF-16 with or without
 * BOM, TIS-620 / windows-874) and convert it to UTF-8 with glibc's iconv.
 */
#include "lakthan/textenc.h"
#include "lakthan/util.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A size for a reason: "64 MiB", or "1000 bytes" below a MiB. */
#define SIZE_ARGS(n) ((n) >= ((size_t)1 << 20) ? (n) >> 20 : (n)), \
		     ((n) >= ((size_t)1 << 20) ? "MiB" : "bytes")

/*
 * windows-874 (a superset of TIS-620 that adds the euro sign, ellipsis and
 * smart quotes in 0x80-0x9F) is what Thai Windows machines write even when a
 * page says "tis-620", so it is the one name we convert from.
 */
#define CP874 "WINDOWS-874"

/* 1 when the byte has a character in windows-874 (glibc's table). */
static int cp874_defined(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c == 0x80 || c == 0x85 || (c >= 0x91 && c <= 0x97))
		return 1;
	if (c >= 0xA0 && c <= 0xDA)
		return 1;
	return c >= 0xDF && c <= 0xFB;
}

/*
 * 1 when in[0..n) reads as Thai in windows-874: every high byte is defined,
 * at least 80% of the high bytes are Thai letters, marks or digits
 * (0xA1-0xFB), and at least 30% are consonants (0xA1-0xCE). The consonant
 * share is what keeps Latin-1 text (accented letters sit in 0xC0-0xFF) out:
 * in Thai prose about half of all characters are consonants.
 */
static int plausible_thai(const unsigned char *in, size_t n)
{
	size_t high = 0, thai = 0, cons = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = in[i];
		if (c == 0)
			return 0;
		if (c < 0x80)
			continue;
		if (!cp874_defined(c))
			return 0;
		high++;
		if (c >= 0xA1 && c <= 0xFB)
			thai++;
		if (c >= 0xA1 && c <= 0xCE)
			cons++;
	}
	return high && thai * 10 >= high * 8 && cons * 10 >= high * 3;
}

/*
 * UTF-16 without a BOM: the high byte of nearly every code unit is 0x00
 * (ASCII) or 0x0E (the Thai block). Returns "UTF-16LE", "UTF-16BE" or NULL.
 */
static const char *guess_utf16(const unsigned char *in, size_t n)
{
	if (n < 4 || n % 2)
		return NULL;
	size_t units = n / 2, le = 0, be = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		if ((in[i + 1] == 0x00 || in[i + 1] == 0x0E) && in[i] != 0)
			le++;
		if ((in[i] == 0x00 || in[i] == 0x0E) && in[i + 1] != 0)
			be++;
	}
	if (le * 10 >= units * 9 && be * 10 < units * 5)
		return "UTF-16LE";
	if (be * 10 >= units * 9 && le * 10 < units * 5)
		return "UTF-16BE";
	return NULL;
}

const char *textenc_detect(const char *in, size_t n)
{
	const unsigned char *u = (const unsigned char *)in;
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return lk_utf8_valid(in + 3, n - 3) ? "UTF-8" : NULL;
	if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE)
		return "UTF-16LE";
	if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF)
		return "UTF-16BE";
	/* before the UTF-8 check: ASCII in UTF-16 is "valid UTF-8" full of NULs */
	const char *u16 = guess_utf16(u, n);
	if (u16)
		return u16;
	if (lk_utf8_valid(in, n))
		return memchr(in, 0, n) ? NULL : "UTF-8";
	if (plausible_thai(u, n))
		return CP874;
	return NULL;
}

/* Write the "output too large" reason; the cap is the caller's max_text. */
static int cap_reached(const struct buf *out, char *reason, size_t reasonlen)
{
	snprintf(reason, reasonlen, "text larger than %zu %s", SIZE_ARGS(out->max));
	return -1;
}

int textenc_convert(const char *from, const char *in, size_t n, struct buf *out,
		    char *reason, size_t reasonlen)
{
	int rc = -1;
	/* UTF-8 needs no iconv: validate and copy, dropping a BOM */
	if (!strcasecmp(from, "UTF-8") || !strcasecmp(from, "UTF8")) {
		if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) {
			in += 3;
			n -= 3;
		}
		if (!lk_utf8_valid(in, n)) {
			snprintf(reason, reasonlen, "invalid UTF-8 text");
			return -1;
		}
		return buf_append(out, in, n) ? cap_reached(out, reason, reasonlen) : 0;
	}
	/* a BOM is a signature, not text: iconv would keep it as U+FEFF */
	if ((!strcasecmp(from, "UTF-16LE") && n >= 2 && !memcmp(in, "\xFF\xFE", 2)) ||
	    (!strcasecmp(from, "UTF-16BE") && n >= 2 && !memcmp(in, "\xFE\xFF", 2))) {
		in += 2;
		n -= 2;
	}
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1) {
		snprintf(reason, reasonlen, "unknown text encoding %.40s", from);
		return -1;
	}
	char chunk[8192];
	char *ip = (char *)in;
	size_t ileft = n;
	for (;;) {
		char *op = chunk;
		size_t oleft = sizeof chunk;
		/* the encodings we read are stateless: no final flush is needed */
		size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
		int e = errno;
		if (buf_append(out, chunk, sizeof chunk - oleft)) {
			cap_reached(out, reason, reasonlen);
			goto out;
		}
		if (r != (size_t)-1)
			break;
		if (e == E2BIG)
			continue;
		if (e == EINVAL)
			snprintf(reason, reasonlen, "truncated %.40s text at byte %zu", from, n - ileft);
		else
			snprintf(reason, reasonlen, "invalid %.40s text at byte %zu", from, n - ileft);
		goto out;
	}
	rc = 0;
out:
	iconv_close(cd);
	return rc;
}

int textenc_to_utf8(const char *in, size_t n, struct buf *out, char *reason, size_t reasonlen)
{
	const char *enc = textenc_detect(in, n);
	if (!enc) {
		snprintf(reason, reasonlen,
			 "unknown text encoding (not UTF-8, UTF-16 or Thai TIS-620)");
		return -1;
	}
	return textenc_convert(enc, in, n, out, reason, reasonlen);
}
