/*
 * thaiseg: Thai words (ICU dictionary BreakIterator plus the field's word
 * list) and Thai clusters, over text already normalised by thai_normalize().
 * See include/lakthan/thaiseg.h.
 */
#include "lakthan/thaiseg.h"
#include "lakthan/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uclean.h>
#include <unicode/utypes.h>

/*
 * The field's words: terms of the ITA and of Thai public administration that
 * ICU 72's dictionary splits (checked one by one with ICU on this machine),
 * so that a query typed alone and the same words inside a document come out
 * as the same token. Abbreviations are listed without their dots, since '.'
 * is a separator. Kept sorted by bytes (bsearch); a unit test checks order.
 */
static const char *const field_words[] = {
	"กปท",
	"กพ",
	"การจัดซื้อจัดจ้าง",
	"การมีส่วนร่วม",
	"ขัดกันแห่งผลประโยชน์",
	"คตง",
	"ความโปร่งใส",
	"งบประมาณ",
	"จัดซื้อจัดจ้าง",
	"ทต",
	"ทม",
	"ทุจริต",
	"ปปช",
	"ปปท",
	"ประพฤติมิชอบ",
	"ผลประโยชน์ทับซ้อน",
	"มาตรการ",
	"ศูนย์ราชการสะดวก",
	"สตง",
	"องค์การบริหารส่วนจังหวัด",
	"องค์การบริหารส่วนตำบล",
	"อบจ",
	"อบต",
	"อปท",
};

/* The longest field word in bytes (a word has at most 32 code points). */
#define MAX_FIELD_BYTES 96

/* The index of a U+0E00..U+0E7F code point from its UTF-8 bytes: its low
 * 7 bits. */
static unsigned thai_index(const char *p)
{
	return ((unsigned)(p[1] & 1) << 6) | ((unsigned char)p[2] & 0x3F);
}

/* The longest run of ICU words that one field word may merge. */
#define MAX_MERGE 6

struct thaiseg {
	UBreakIterator *bi;
	UChar *u16;
	size_t u16cap;
	struct thaiseg_word *w;
	size_t wcap;
	/* field_index(): field words with first code point U+0E00 + c are
	 * field_words[flo[c] .. fhi[c]) */
	unsigned char flo[128], fhi[128];
	size_t flen[sizeof field_words / sizeof *field_words];
};

/* Where the field words starting with each Thai code point are in the sorted
 * list (they are adjacent), and their lengths, so that the merge loop
 * compares a word with only those few. */
static void field_index(struct thaiseg *s)
{
	size_t nf = sizeof field_words / sizeof *field_words;
	for (size_t i = nf; i-- > 0;) {
		unsigned c = thai_index(field_words[i]);
		s->flen[i] = strlen(field_words[i]);
		if (!s->fhi[c])
			s->fhi[c] = (unsigned char)(i + 1);
		s->flo[c] = (unsigned char)i;
	}
}

int thaiseg_is_mark(unsigned c)
{
	return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E);
}

int thaiseg_is_thai(unsigned c)
{
	/* ฯ (0E2F), ๆ (0E46), ฿ and the punctuation signs separate words */
	if (c == 0x0E2F || c == 0x0E46)
		return 0;
	return (c >= 0x0E01 && c <= 0x0E3A) || (c >= 0x0E40 && c <= 0x0E4E);
}

unsigned thaiseg_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	size_t need;
	if (c < 0x80) {
		*len = 1;
		return c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		c &= 0x07;
	} else {
		*len = 1;
		return 0xFFFD;
	}
	if (n < need) {
		*len = 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	*len = need;
	return c;
}

size_t thaiseg_cluster_len(const char *s, size_t n)
{
	size_t len, i;
	if (n == 0)
		return 0;
	thaiseg_decode(s, n, &len);
	i = len;
	while (i < n) {
		unsigned c = thaiseg_decode(s + i, n - i, &len);
		if (!thaiseg_is_mark(c))
			break;
		i += len;
	}
	return i;
}

/* Thai abbreviations written with dots, without them (longest first). */
static const char *const abbrevs[] = {
	"อบต", "อบจ", "อปท", "ปปช", "ปปท", "สตง", "กปท", "ครม", "สสส", "รมว", NULL,
};

size_t thaiseg_abbrev_tail(const char *run, size_t n)
{
	for (const char *const *a = abbrevs; *a; a++) {
		size_t k = strlen(*a);
		if (n > k && memcmp(run + n - k, *a, k) == 0)
			return k;
	}
	/* a single consonant before the dot: พ of พ.ศ., จ of จ.ว. */
	if (n > 3) {
		size_t len;
		unsigned c = thaiseg_decode(run + n - 3, 3, &len);
		unsigned before = thaiseg_decode(run + n - 6, 3, &len);
		if (c >= 0x0E01 && c <= 0x0E2E && !thaiseg_is_mark(before) && before != 0x0E40 &&
		    before != 0x0E41 && before != 0x0E42 && before != 0x0E43 && before != 0x0E44)
			return 3;
	}
	return 0;
}

int thaiseg_new(struct thaiseg **out, char *err)
{
	static int cleanup_registered;
	UErrorCode status = U_ZERO_ERROR;
	struct thaiseg *s = lk_calloc(1, sizeof *s);
	/* ICU keeps its dictionaries cached for the process; free them at exit
	 * so that leak checkers see only real leaks */
	if (!cleanup_registered) {
		cleanup_registered = 1;
		atexit(u_cleanup);
	}
	field_index(s);
	s->bi = ubrk_open(UBRK_WORD, "th", NULL, 0, &status);
	if (U_FAILURE(status)) {
		free(s);
		*out = NULL;
		return lk_errf(err, "ICU word break iterator for Thai: %s", u_errorName(status));
	}
	*out = s;
	return 0;
}

void thaiseg_free(struct thaiseg *s)
{
	if (!s)
		return;
	ubrk_close(s->bi);
	free(s->u16);
	free(s->w);
	free(s);
}

/* Order of field words: by bytes, shorter first on a common prefix. */
static int cmp_word(const char *a, size_t na, const char *b)
{
	size_t nb = strlen(b);
	int c = memcmp(a, b, na < nb ? na : nb);
	if (c)
		return c;
	return na < nb ? -1 : na > nb;
}

/*
 * The last ICU word j (i <= j, at most MAX_MERGE further) such that words
 * i..j of run together spell a field word, longest first; i when none does.
 * Only the few field words that start with word i's first letter are
 * compared (field_index()), and only when they start with all of word i.
 */
static size_t field_merge(const struct thaiseg *s, const char *run, size_t i, size_t nw)
{
	const char *w0 = run + s->w[i].start;
	size_t n0 = s->w[i].end - s->w[i].start, best = i;
	if (n0 < 3)
		return i;
	unsigned c = thai_index(w0);
	for (size_t k = s->flo[c]; k < s->fhi[c]; k++) {
		size_t fl = s->flen[k];
		if (fl <= n0 || memcmp(field_words[k], w0, n0) != 0)
			continue;
		for (size_t j = i + 1; j < nw && j <= i + MAX_MERGE; j++) {
			size_t span = s->w[j].end - s->w[i].start;
			if (span > fl)
				break;
			if (span == fl && j > best && memcmp(w0, field_words[k], fl) == 0)
				best = j;
		}
	}
	return best;
}

/* Append a word to s->w at index i, growing the array. */
static void put_word(struct thaiseg *s, size_t i, size_t start, size_t end)
{
	if (i >= s->wcap) {
		s->wcap = s->wcap ? s->wcap * 2 : 64;
		s->w = lk_realloc(s->w, s->wcap * sizeof *s->w);
	}
	s->w[i].start = start;
	s->w[i].end = end;
}

int thaiseg_words(struct thaiseg *s, const char *run, size_t n, const struct thaiseg_word **words)
{
	/* every code point of a Thai run is in U+0E00..U+0E7F: 3 bytes in
	 * UTF-8, one unit in UTF-16, so offsets convert by a factor of 3 */
	size_t nu = n / 3, nw = 0;
	UErrorCode status = U_ZERO_ERROR;
	if (nu + 1 > s->u16cap) {
		s->u16cap = nu + 64;
		s->u16 = lk_realloc(s->u16, s->u16cap * sizeof *s->u16);
	}
	for (size_t i = 0; i < nu; i++) {
		const unsigned char *p = (const unsigned char *)run + 3 * i;
		s->u16[i] = (UChar)(((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
	}
	ubrk_setText(s->bi, s->u16, (int32_t)nu, &status);
	if (U_FAILURE(status))
		return -1;
	int32_t prev = ubrk_first(s->bi);
	for (int32_t b = ubrk_next(s->bi); b != UBRK_DONE; b = ubrk_next(s->bi)) {
		put_word(s, nw++, 3 * (size_t)prev, 3 * (size_t)b);
		prev = b;
	}
	/* merge runs of ICU words that spell a field word, longest first */
	size_t out = 0;
	for (size_t i = 0; i < nw;) {
		size_t j = field_merge(s, run, i, nw);
		s->w[out].start = s->w[i].start;
		s->w[out].end = s->w[j].end;
		out++;
		i = j + 1;
	}
	*words = s->w;
	return (int)out;
}

/* The unit test's check that bsearch over field_words is valid and that
 * no word is longer than MAX_FIELD_BYTES. */
int thaiseg_field_words_sorted(void)
{
	size_t n = sizeof field_words / sizeof *field_words;
	for (size_t i = 0; i < n; i++)
		if (strlen(field_words[i]) > MAX_FIELD_BYTES)
			return 0;
	for (size_t i = 1; i < n; i++)
		if (cmp_word(field_words[i - 1], strlen(field_words[i - 1]), field_words[i]) >= 0)
			return 0;
	return 1;
}
