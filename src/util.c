/* util: allocation, errors, time, UTF-8 validation and year parsing. */
#include "lakthan/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void oom(void)
{
	fputs("lakthan: out of memory\n", stderr);
	abort();
}

void *lk_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *lk_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *lk_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *lk_strdup(const char *s)
{
	return lk_strndup(s, strlen(s));
}

char *lk_strndup(const char *s, size_t n)
{
	char *p = lk_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *lk_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

int lk_errf(char *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, 512, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void lk_now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int lk_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		int len;
		unsigned cp, min;
		if ((c & 0xE0) == 0xC0) {
			len = 2; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return 0;
		}
		if (end - p < len)
			return 0;
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += len;
	}
	return 1;
}

/*
 * Decode one UTF-8 sequence at s[0..n): the code point, or U+FFFD for an
 * invalid, overlong, surrogate or truncated sequence (consuming one byte, so
 * that what follows is decoded again from the next byte).
 */
uint32_t lk_utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char b = s[0];
	uint32_t c;
	size_t k, need;
	*len = 1;
	if (b < 0x80)
		return b;
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1; c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2; c = b & 0x0F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3; c = b & 0x07;
	} else {
		return 0xFFFD;
	}
	if (need >= n)
		return 0xFFFD;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0xFFFD;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if ((need == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (need == 3 && (c < 0x10000 || c > 0x10FFFF)))
		return 0xFFFD;
	*len = need + 1;
	return c;
}

int lk_parse_year(const char *s, char *err)
{
	/* accept ASCII and Thai digits (U+0E50..U+0E59 = E0 B9 90..99) */
	int year = 0, digits = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p == ' ')
		p++;
	while (*p) {
		if (*p >= '0' && *p <= '9') {
			year = year * 10 + (*p - '0');
			p++;
		} else if (p[0] == 0xE0 && p[1] == 0xB9 && p[2] >= 0x90 && p[2] <= 0x99) {
			year = year * 10 + (p[2] - 0x90);
			p += 3;
		} else {
			break;
		}
		if (++digits > 4)
			break;
	}
	while (*p == ' ')
		p++;
	if (digits != 4 || *p)
		return lk_errf(err, "'%s' is not a year: give the fiscal year in the Buddhist Era, e.g. 2567", s);
	if (year >= 1900 && year < 2300)
		return lk_errf(err, "%d looks like a year of the Common Era: lakthan counts fiscal years in the Buddhist Era (did you mean %d?)", year, year + 543);
	if (year < 2400 || year > 2800)
		return lk_errf(err, "%d is out of range: give the fiscal year in the Buddhist Era, e.g. 2567", year);
	return year;
}
