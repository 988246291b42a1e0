/* names: clean, NFC, UTF-8 file names. */
#include "lakthan/names.h"
#include "lakthan/buf.h"
#include "lakthan/textenc.h"
#include "lakthan/util.h"

#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

char *names_nfc(const char *s)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
	int32_t n16 = 0;
	e = U_ZERO_ERROR;
	u_strFromUTF8(NULL, 0, &n16, s, -1, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return lk_strdup(s);
	UChar *src = lk_malloc(((size_t)n16 + 1) * sizeof(UChar));
	UChar *dst = lk_malloc(((size_t)n16 * 3 + 1) * sizeof(UChar));
	char *out = NULL;
	e = U_ZERO_ERROR;
	u_strFromUTF8(src, n16 + 1, NULL, s, -1, &e);
	int32_t nd = U_SUCCESS(e) ? unorm2_normalize(nfc, src, n16, dst, n16 * 3 + 1, &e) : 0;
	if (U_SUCCESS(e)) {
		int32_t n8 = 0;
		UErrorCode e2 = U_ZERO_ERROR;
		u_strToUTF8(NULL, 0, &n8, dst, nd, &e2);
		out = lk_malloc((size_t)n8 + 1);
		e2 = U_ZERO_ERROR;
		u_strToUTF8(out, n8 + 1, NULL, dst, nd, &e2);
		if (U_FAILURE(e2)) {
			free(out);
			out = NULL;
		}
	}
	free(src);
	free(dst);
	return out ? out : lk_strdup(s);
}

/* Replace each byte of an invalid UTF-8 sequence by U+FFFD. */
static void append_lossy_utf8(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xC0)
			len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (c < 0x80 || (i + len <= n && lk_utf8_valid(s + i, len))) {
			buf_append(b, s + i, len);
			i += len;
		} else {
			buf_put_utf8(b, 0xFFFD);
			i++;
		}
	}
}

char *names_clean_basename(const char *path)
{
	size_t plen = strlen(path);
	while (plen > 1 && path[plen - 1] == '/')
		plen--;
	const char *base = path;
	for (size_t i = 0; i < plen; i++)
		if (path[i] == '/')
			base = path + i + 1;
	size_t n = (size_t)(path + plen - base);
	struct buf b;
	buf_init(&b, 0);
	if (lk_utf8_valid(base, n)) {
		buf_append(&b, base, n);
	} else {
		char reason[128];
		if (textenc_convert("WINDOWS-874", base, n, &b, reason, sizeof reason) != 0) {
			buf_release(&b);
			buf_init(&b, 0);
			append_lossy_utf8(&b, base, n);
		}
	}
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7F)
			b.data[i] = '_';
	if (b.len == 0 || strcmp(b.data, ".") == 0 || strcmp(b.data, "..") == 0) {
		buf_release(&b);
		buf_puts(&b, "unnamed");
	}
	char *raw = buf_detach(&b, NULL);
	char *nfc = names_nfc(raw);
	free(raw);
	return nfc;
}

char *names_stem(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return lk_strdup(name);
	return lk_strndup(name, (size_t)(dot - name));
}
