/*
 * search_query: turn what a person types into a safe FTS5 expression plus
 * filters (see include/lakthan/search.h). User text only ever reaches FTS5
 * inside string literals; the operators in the output are written here.
 */
#include "lakthan/search.h"
#include "lakthan/buf.h"
#include "lakthan/fts_thai.h"
#include "lakthan/thai.h"
#include "lakthan/thaiseg.h"
#include "lakthan/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One item of the query as typed. */
struct item {
	char *text;     /* raw text of the word or phrase */
	int phrase;     /* it was in quotes */
	int negate;     /* -word */
	int prefix;     /* word* */
	int or_before;  /* OR was typed between it and the item before */
};

static const struct {
	const char *name;
	const char *like;
} types[] = {
	{"pdf", "application/pdf"},
	{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.%"},
	{"word", "application/%word%"},
	{"doc", "application/msword"},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.%"},
	{"excel", "application/%excel%"},
	{"xls", "application/vnd.ms-excel"},
	{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.%"},
	{"odt", "application/vnd.oasis.opendocument.text"},
	{"ods", "application/vnd.oasis.opendocument.spreadsheet"},
	{"odp", "application/vnd.oasis.opendocument.presentation"},
	{"html", "text/html"},
	{"txt", "text/plain"},
	{"text", "text/plain"},
	{"image", "image/%"},
	{"zip", "application/zip"},
	{NULL, NULL},
};

const char *search_type_mime(const char *type)
{
	for (int i = 0; types[i].name; i++)
		if (strcasecmp(type, types[i].name) == 0)
			return types[i].like;
	return NULL;
}

/* Bytes of a space at s (ASCII whitespace, U+00A0, U+200B, U+3000), or 0. */
static size_t space_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		return 1;
	if (p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x8B)
		return 3;
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* The normalised form of s (NUL-terminated, the caller frees). */
static char *normalized(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b, 0);
	thai_normalize(s, n, &b, NULL);
	if (!b.data)
		return lk_strdup("");
	return buf_detach(&b, NULL);
}

int search_question_code(const char *in, char out[16], char *err)
{
	char *s = normalized(in, strlen(in));
	size_t k = 0;
	int ok = 1;
	for (const char *p = s; *p && ok; p++) {
		if (*p == ' ')
			continue;
		if (k >= 15)
			ok = 0;
		else
			out[k++] = *p;
	}
	out[k] = 0;
	if (k < 2 || k > 4 || (out[0] != 'i' && out[0] != 'e' && out[0] != 'o'))
		ok = 0;
	for (size_t i = 1; ok && i < k; i++)
		if (out[i] < '0' || out[i] > '9')
			ok = 0;
	if (!ok)
		lk_errf(err, "question:%s is not an ITA question code (i1..i30, e1..e15, o1..o40: a letter i, e or o and a number)", in);
	free(s);
	return ok ? 0 : -1;
}

/* A measure code "<issue>.<n>" into out[16]; -1 with err otherwise. */
static int measure_code(const char *in, char out[16], char *err)
{
	char *s = normalized(in, strlen(in));
	int a, b, n = 0;
	int ok = sscanf(s, "%d.%d%n", &a, &b, &n) == 2 && s[n] == 0 && a > 0 && b > 0 && a < 1000 && b < 1000;
	if (ok)
		snprintf(out, 16, "%d.%d", a, b);
	else
		lk_errf(err, "measure:%s is not a measure code (issue.number, e.g. 1.2)", in);
	free(s);
	return ok ? 0 : -1;
}

/* key:value filters; 1 when it was one (applied or -1 on a bad value), 0 when
 * the word is not a filter. */
static int filter(const char *w, struct search_query *qr, char *err)
{
	const char *colon = strchr(w, ':');
	if (!colon || colon == w)
		return 0;
	size_t k = (size_t)(colon - w);
	const char *v = colon + 1;
	static const char *const keys[] = {"year", "type", "question", "measure", NULL};
	int which = -1;
	for (int i = 0; keys[i]; i++)
		if (strlen(keys[i]) == k && strncasecmp(w, keys[i], k) == 0)
			which = i;
	if (which < 0)
		return 0;
	if (!*v)
		return lk_errf(err, "%s: needs a value, e.g. %s", keys[which],
			       (const char *[]){"year:2567", "type:pdf", "question:i19", "measure:1.2"}[which]);
	switch (which) {
	case 0: {
		int y = lk_parse_year(v, err);
		if (y < 0)
			return -1;
		qr->year = y;
		break;
	}
	case 1:
		if (!search_type_mime(v))
			return lk_errf(err, "type:%s is not a known type (pdf, docx, xlsx, pptx, odt, ods, odp, html, txt, image, zip)", v);
		snprintf(qr->type, sizeof qr->type, "%s", v);
		for (char *p = qr->type; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		break;
	case 2:
		if (search_question_code(v, qr->question, err) != 0)
			return -1;
		break;
	case 3:
		if (measure_code(v, qr->measure, err) != 0)
			return -1;
		break;
	}
	return 1;
}

/* Append s as an FTS5 string literal: quotes doubled. */
static void put_string(struct buf *b, const char *prefix, const char *s, size_t n)
{
	buf_putc(b, '"');
	if (prefix)
		buf_puts(b, prefix);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

/* The gram of s[0..n) (fts_thai_gram) as an FTS5 string into b. */
static void put_gram(struct buf *b, const char *s, size_t n)
{
	char g[SEARCH_MAX_QUERY + 2];
	if (n > SEARCH_MAX_QUERY)
		n = SEARCH_MAX_QUERY;
	put_string(b, NULL, g, fts_thai_gram(s, n, g));
}

/* Token counter for the query tokenizer. */
static int count_cb(void *ctx, int colocated, const char *tok, int ntok, int start, int end)
{
	(void)tok, (void)ntok, (void)start, (void)end;
	if (!colocated)
		(*(int *)ctx)++;
	return 0;
}

/*
 * The grams part of a Thai term: NEAR() of cluster pairs covering every
 * cluster of each Thai run (every other pair, plus the last), and the term's
 * Latin letters and digits as strings, within a window wide enough for the document to
 * have split the same letters into more words. Returns the number of Thai
 * clusters of the term (at least 1), or 0 if nothing was written.
 */
static int put_grams(struct buf *b, const char *s, size_t n, int nwords)
{
	struct buf g;
	int items = 0, clusters = 0;
	size_t starts[SEARCH_MAX_QUERY + 1];
	buf_init(&g, 0);
	for (size_t i = 0; i < n;) {
		size_t l;
		unsigned c = thaiseg_decode(s + i, n - i, &l);
		size_t j = i + l;
		if (!thaiseg_is_thai(c)) {
			if (isalnum((int)c) && c < 0x80) {
				/* ITA of ITAภาษี: the term's Latin and digits stay in */
				while (j < n && isalnum((unsigned char)s[j]))
					j++;
				if (items++)
					buf_putc(&g, ' ');
				put_string(&g, NULL, s + i, j - i);
			}
			i = j;
			continue;
		}
		while (j < n && thaiseg_is_thai(thaiseg_decode(s + j, n - j, &l)))
			j += l;
		size_t nc = 0;
		for (size_t k = i; k < j && nc < SEARCH_MAX_QUERY; k += thaiseg_cluster_len(s + k, j - k))
			starts[nc++] = k;
		starts[nc] = j;
		clusters += (int)nc;
		if (nc == 1) {
			/* one cluster (ปี): every gram that starts with it */
			if (items++)
				buf_putc(&g, ' ');
			put_gram(&g, s + i, j - i);
			buf_putc(&g, '*');
		}
		for (size_t k = 0; k + 1 < nc; k += 2) {
			if (items++)
				buf_putc(&g, ' ');
			put_gram(&g, s + starts[k], starts[k + 2] - starts[k]);
		}
		if (nc > 2 && nc % 2 == 1) {
			/* an odd count leaves the last cluster: the pair that ends the run */
			buf_putc(&g, ' ');
			put_gram(&g, s + starts[nc - 2], j - starts[nc - 2]);
			items++;
		}
		i = j;
	}
	if (items == 0) {
		buf_release(&g);
		return 0;
	}
	if (items == 1) {
		buf_puts(b, g.data);
	} else {
		char tail[32];
		snprintf(tail, sizeof tail, ", %d)", 2 * nwords + 2);
		buf_puts(b, "NEAR(");
		buf_puts(b, g.data);
		buf_puts(b, tail);
	}
	buf_release(&g);
	return clusters > 0 ? clusters : 1;
}

/* 1 when s[0..n) holds a Thai letter. */
static int has_thai(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l;
		if (thaiseg_is_thai(thaiseg_decode(s + i, n - i, &l)))
			return 1;
		i += l;
	}
	return 0;
}

/*
 * 1 when s[0..n) is one Latin word of three letters or more (SME, OTOP,
 * service): it is also looked for as a prefix, so that SME finds SMEs and
 * register finds registration, as a substring index would. Numbers and codes
 * with digits (2567, i19) stay exact.
 */
static int latin_word(const char *s, size_t n)
{
	if (n < 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return 1;
}

/* The expression of one item into b; 0 when it has no searchable token.
 * kind SEARCH_INDEX_THAI gives the first-stage form of a positive term (see
 * build()); *short_term is set for a Thai term of two clusters. */
static int put_item(struct buf *b, struct fts_thai *tok, const struct item *it, enum search_index_kind kind,
		    int *short_term)
{
	char *s = normalized(it->text, strlen(it->text));
	size_t n = strlen(s);
	int nwords = 0;
	fts_thai_tokenize(tok, FTS_THAI_QUERY, s, n, count_cb, &nwords);
	if (nwords == 0) {
		free(s);
		return 0;
	}
	int grams = kind == SEARCH_INDEX_THAI_GRAMS && has_thai(s, n);
	buf_putc(b, '(');
	put_string(b, NULL, s, n);
	/* The words stage looks for the words exactly. Making the last word a
	 * prefix there (เกษตรกร finding เกษตรกรรม) was tried: it merged the
	 * doclists of every word that starts with it on each query, and on
	 * queries judged by reading it found รถไฟฟ้า (the metro) for รถไฟ as
	 * often as it helped (docs/SEARCH.md, "third round"). */
	if (it->prefix || (!it->phrase && latin_word(s, n)))
		buf_putc(b, '*');
	if (grams) {
		buf_puts(b, " OR ");
		/* a term of two clusters (งบ) has no words stage: its gram is one
		 * exact token, as cheap as the word, and finds it inside
		 * compounds; one cluster (ปี) has, because its grams are a prefix
		 * that merges every gram starting with it */
		if (put_grams(b, s, n, nwords) == 2 && !it->negate)
			*short_term = 1;
	}
	buf_putc(b, ')');
	free(s);
	return 1;
}

/* Split q into items and filters. */
static int lex(const char *q, struct item *items, int *nitems, struct search_query *qr, char *err)
{
	const char *p = q;
	int n = 0, or_pending = 0, not_pending = 0;
	while (*p) {
		size_t sp = space_len(p);
		if (sp) {
			p += sp;
			continue;
		}
		struct item it = {NULL, 0, 0, 0, 0};
		if (*p == '-' && p[1] && !space_len(p + 1)) {
			it.negate = 1;
			p++;
		}
		const char *start;
		size_t len;
		if (*p == '"') {
			start = ++p;
			while (*p && *p != '"')
				p++;
			len = (size_t)(p - start);
			if (*p == '"')
				p++;
			it.phrase = 1;
		} else {
			start = p;
			while (*p && !space_len(p))
				p++;
			len = (size_t)(p - start);
		}
		if (!it.phrase && len == 2 && memcmp(start, "OR", 2) == 0) {
			or_pending = n > 0;
			continue;
		}
		if (!it.phrase && len == 3 && memcmp(start, "AND", 3) == 0)
			continue;
		if (!it.phrase && len == 3 && memcmp(start, "NOT", 3) == 0) {
			not_pending = 1;
			continue;
		}
		char *w = lk_strndup(start, len);
		if (!it.phrase && !it.negate) {
			int f = filter(w, qr, err);
			if (f != 0) {
				free(w);
				if (f < 0)
					return -1;
				continue;
			}
		}
		while (!it.phrase && len > 0 && w[len - 1] == '*') {
			w[--len] = 0;
			it.prefix = 1;
		}
		if (len == 0) {
			free(w);
			continue;
		}
		if (n >= SEARCH_MAX_TERMS) {
			free(w);
			return lk_errf(err, "too many words in the query (at most %d)", SEARCH_MAX_TERMS);
		}
		it.text = w;
		it.negate |= not_pending;
		it.or_before = or_pending && !it.negate;
		or_pending = not_pending = 0;
		items[n++] = it;
		/* kept current so that the caller frees the items stored so far
		 * when a later filter or the term limit makes lex fail (they
		 * leaked: found by tools/fuzz/fuzz_search_query) */
		*nitems = n;
	}
	*nitems = n;
	return 0;
}

/*
 * The expression of items[0..n) (positives joined by AND/OR, then NOT
 * exclusions) into *expr, the count of positive terms into *terms. words:
 * leave the gram branches out of the positive terms (the first stage of
 * search.c); exclusions keep them, so that a stage never shows a document the
 * full query would exclude. *short_term is set when a positive Thai term has
 * two clusters: its word alone is not enough (งบ is mostly inside
 * งบประมาณ), and its gram is a single token, no dearer than the word.
 */
static void build(struct item *items, int n, struct fts_thai *tok, enum search_index_kind kind, int words,
		  char **expr, int *terms, int *short_term)
{
	struct buf pos, neg;
	buf_init(&pos, 0);
	buf_init(&neg, 0);
	*expr = NULL;
	*terms = 0;
	for (int i = 0; i < n; i++) {
		struct buf *b = items[i].negate ? &neg : &pos;
		size_t mark = b->len;
		if (items[i].negate)
			buf_puts(b, " NOT ");
		else if (b->len)
			buf_puts(b, items[i].or_before ? " OR " : " AND ");
		enum search_index_kind k = words && !items[i].negate ? SEARCH_INDEX_THAI : kind;
		if (!put_item(b, tok, &items[i], k, short_term)) {
			b->len = mark;
			if (b->data)
				b->data[mark] = 0;
			continue;
		}
		if (!items[i].negate)
			(*terms)++;
	}
	if (*terms) {
		struct buf m;
		buf_init(&m, 0);
		buf_putc(&m, '(');
		buf_puts(&m, pos.data);
		buf_putc(&m, ')');
		if (neg.len)
			buf_puts(&m, neg.data);
		*expr = buf_detach(&m, NULL);
	} else if (neg.len) {
		*terms = -1;
	}
	buf_release(&pos);
	buf_release(&neg);
}

int search_query_parse(const char *q, enum search_index_kind kind, struct search_query *out, char *err)
{
	struct item items[SEARCH_MAX_TERMS];
	int nitems = 0, rc = -1;
	struct fts_thai *tok = NULL;
	memset(out, 0, sizeof *out);
	size_t len = strlen(q);
	if (!lk_utf8_valid(q, len))
		return lk_errf(err, "the query is not valid UTF-8 text");
	if (len > SEARCH_MAX_QUERY)
		return lk_errf(err, "the query is too long (%zu bytes; at most %d)", len, SEARCH_MAX_QUERY);
	if (fts_thai_new(0, &tok, err) != 0)
		return -1;
	if (lex(q, items, &nitems, out, err) != 0)
		goto out;
	int terms, short_term = 0;
	build(items, nitems, tok, kind, 0, &out->match, &terms, &short_term);
	out->terms = terms > 0 ? terms : 0;
	if (terms < 0)
		lk_errf(err, "the query only excludes words: add a word to look for");
	else if (!terms && !out->year && !out->type[0] && !out->question[0] && !out->measure[0])
		lk_errf(err, "the query has nothing to look for: type a word, a \"phrase\" or a filter such as year:2567");
	else
		rc = 0;
	if (rc == 0 && out->match && kind == SEARCH_INDEX_THAI_GRAMS) {
		int wterms, ignored = 0;
		build(items, nitems, tok, kind, 1, &out->words, &wterms, &ignored);
		/* no gram branch was left out, or a term needs its grams */
		if (short_term || (out->words && strcmp(out->words, out->match) == 0)) {
			free(out->words);
			out->words = NULL;
		}
	}
out:
	for (int i = 0; i < nitems; i++)
		free(items[i].text);
	fts_thai_free(tok);
	if (rc != 0)
		search_query_release(out);
	return rc;
}

void search_query_release(struct search_query *qr)
{
	free(qr->match);
	free(qr->words);
	qr->match = NULL;
	qr->words = NULL;
}
