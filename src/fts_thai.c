/*
 * fts_thai: the "thai" FTS5 tokenizer — normalise, split into words and
 * (optionally) cluster grams, report offsets into the original text. Shaped
 * like SQLite's ext/fts5/fts5_tokenize.c, on the v1 tokenizer API that
 * SQLite 3.40 has. See include/lakthan/fts_thai.h.
 */
#include "lakthan/fts_thai.h"
#include "lakthan/buf.h"
#include "lakthan/thai.h"
#include "lakthan/thaiseg.h"
#include "lakthan/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <unicode/uchar.h>


/* Tokens longer than this (a URL, a base64 blob) are cut at a code point
 * boundary: nobody types them whole, and the index stays small. */
#define MAX_TOKEN 120

struct fts_thai {
	int opts;
	struct thaiseg *seg;
	struct buf norm;
	char tok[MAX_TOKEN + 2];   /* a gram: the mark, <= MAX_TOKEN bytes, NUL */
	size_t *cstart;     /* cluster starts of the current Thai run */
	size_t ccap;
};

int fts_thai_new(int opts, struct fts_thai **out, char *err)
{
	struct fts_thai *t = lk_calloc(1, sizeof *t);
	t->opts = opts;
	buf_init(&t->norm, 0);
	if (thaiseg_new(&t->seg, err) != 0) {
		free(t);
		*out = NULL;
		return -1;
	}
	*out = t;
	return 0;
}

void fts_thai_free(struct fts_thai *t)
{
	if (!t)
		return;
	thaiseg_free(t->seg);
	buf_release(&t->norm);
	free(t->cstart);
	free(t);
}

/* State of one tokenize call. */
struct run {
	struct fts_thai *t;
	const char *p;       /* normalised text */
	size_t len;
	const size_t *map;   /* normalised byte → original byte, len + 1 entries */
	int grams;
	fts_thai_token_fn fn;
	void *ctx;
};

size_t fts_thai_gram(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = 0;
	out[k++] = FTS_THAI_GRAM_MARK[0];
	for (size_t i = 0; i < n;) {
		if (i + 2 < n && u[i] == 0xE0 && (u[i + 1] == 0xB8 || u[i + 1] == 0xB9) && (u[i + 2] & 0xC0) == 0x80) {
			unsigned c = 0x0E00 | ((unsigned)(u[i + 1] & 1) << 6) | (u[i + 2] & 0x3F);
			if (c >= 0x0E01 && c <= 0x0E4E) {
				out[k++] = (char)(0x21 + (c - 0x0E01));
				i += 3;
				continue;
			}
		}
		out[k++] = s[i++];
	}
	out[k] = 0;
	return k;
}

/* Emit normalised bytes [s, e) as one token, or, gram set, as the gram of
 * those bytes (fts_thai_gram). A word is passed straight from the normalised
 * text: FTS5 copies what it keeps. */
static int emit(struct run *r, int colocated, int gram, size_t s, size_t e)
{
	size_t n = e - s;
	const char *tok = r->p + s;
	if (n > MAX_TOKEN) {
		n = MAX_TOKEN;
		while (n > 0 && ((unsigned char)r->p[s + n] & 0xC0) == 0x80)
			n--;
	}
	if (gram) {
		n = fts_thai_gram(r->p + s, n, r->t->tok);
		tok = r->t->tok;
	}
	size_t os = r->map[s], oe = r->map[e];
	/* a repair that reorders marks may map the end before the start */
	if (oe <= os)
		oe = os + 1;
	return r->fn(r->ctx, colocated, tok, (int)n, (int)os, (int)oe);
}

/* The code point at s[0..n) and its length: ASCII and Thai, nearly all of
 * the text, decoded here; the rest by thaiseg_decode(). */
static inline unsigned next_cp(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (u[0] == 0xE0 && n >= 3 && (u[1] == 0xB8 || u[1] == 0xB9) && (u[2] & 0xC0) == 0x80) {
		*len = 3;
		return 0x0E00 | ((unsigned)(u[1] & 1) << 6) | (u[2] & 0x3F);
	}
	return thaiseg_decode(s, n, len);
}

/*
 * The grams inside the word [s, e) (FTS_THAI_WORDGRAMS), colocated with it:
 * every pair of adjacent clusters when the word has three or more. A word of
 * one or two clusters is its own gram (the parser looks for the word too),
 * and a pair across two words is what the phrase of words finds, so these
 * are the grams that find a string inside a compound the dictionary kept
 * whole (งบประมาณ in ปีงบประมาณ) at a third of the tokens of grams over
 * whole runs.
 */
static int word_grams(struct run *r, size_t s, size_t e)
{
	size_t a = s, b = a + thaiseg_cluster_len(r->p + a, e - a);
	if (b >= e)
		return 0;
	size_t c = b + thaiseg_cluster_len(r->p + b, e - b);
	if (c >= e)
		return 0;
	int rc = 0;
	while (rc == 0 && b < e) {
		rc = emit(r, 1, 1, a, c);
		a = b;
		b = c;
		if (c < e)
			c += thaiseg_cluster_len(r->p + c, e - c);
	}
	return rc;
}

/* The words of Thai run [s, e), each followed by the grams that start in it. */
static int thai_words(struct run *r, size_t s, size_t e)
{
	struct fts_thai *t = r->t;
	const struct thaiseg_word *w;
	size_t nc = 0, ci = 0;
	int rc = 0;
	if (r->grams == FTS_THAI_GRAMS) {
		for (size_t i = s; i < e; i += thaiseg_cluster_len(r->p + i, e - i)) {
			if (nc + 2 > t->ccap) {
				t->ccap = t->ccap ? t->ccap * 2 : 256;
				t->cstart = lk_realloc(t->cstart, t->ccap * sizeof *t->cstart);
			}
			t->cstart[nc++] = i;
		}
		t->cstart[nc] = e;
	}
	int nw = thaiseg_words(t->seg, r->p + s, e - s, &w);
	if (nw < 0)
		return -1;
	for (int k = 0; k < nw && rc == 0; k++) {
		size_t ws = s + w[k].start, we = s + w[k].end;
		rc = emit(r, 0, 0, ws, we);
		if (rc == 0 && r->grams == FTS_THAI_WORDGRAMS)
			rc = word_grams(r, ws, we);
		/* the grams whose first cluster is in this word, at its position */
		while (rc == 0 && ci < nc && t->cstart[ci] < we) {
			if (nc == 1)
				rc = emit(r, 1, 1, t->cstart[0], e);
			else if (ci + 1 < nc)
				rc = emit(r, 1, 1, t->cstart[ci], t->cstart[ci + 2]);
			ci++;
		}
	}
	return rc;
}

/* A Thai run [s, e): split a dotted abbreviation off its end, then words. */
static int thai_run(struct run *r, size_t s, size_t e)
{
	size_t tail = 0;
	if (e < r->len && r->p[e] == '.')
		tail = thaiseg_abbrev_tail(r->p + s, e - s);
	int rc = thai_words(r, s, e - tail);
	if (rc == 0 && tail)
		rc = thai_words(r, e - tail, e);
	return rc;
}

/* 1 when c is a letter, digit or mark of a script other than Thai. */
static int is_other_alnum(unsigned c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c >= 0x0E00 && c <= 0x0E7F)
		return 0;
	if (c == 0xFFFD)
		return 0;
	int8_t ct = u_charType((UChar32)c);
	return u_isalnum((UChar32)c) || ct == U_NON_SPACING_MARK || ct == U_COMBINING_SPACING_MARK;
}

int fts_thai_tokenize(struct fts_thai *t, int flags, const char *text, size_t n, fts_thai_token_fn fn, void *ctx)
{
	size_t *map = NULL;
	int rc = 0;
	/* a gram asked for by search_query.c: already normalised, one token */
	if ((flags & FTS_THAI_QUERY) && n > 1 && text[0] == FTS_THAI_GRAM_MARK[0]) {
		if (n > MAX_TOKEN)
			return 0;
		return fn(ctx, 0, text, (int)n, 0, (int)n);
	}
	t->norm.len = 0;
	if (thai_normalize(text, n, &t->norm, &map) != 0) {
		free(map);
		return -1;
	}
	struct run r = {t, t->norm.data ? t->norm.data : "", t->norm.len, map, 0, fn, ctx};
	if (!(flags & FTS_THAI_QUERY))
		r.grams = t->opts & (FTS_THAI_GRAMS | FTS_THAI_WORDGRAMS);
	size_t i = 0;
	while (i < r.len && rc == 0) {
		size_t l;
		unsigned c = next_cp(r.p + i, r.len - i, &l);
		size_t j = i + l;
		if (thaiseg_is_thai(c)) {
			while (j < r.len) {
				unsigned d = next_cp(r.p + j, r.len - j, &l);
				if (!thaiseg_is_thai(d))
					break;
				j += l;
			}
			if (t->opts & FTS_THAI_NOWORDS)
				rc = emit(&r, 0, 0, i, j);
			else
				rc = thai_run(&r, i, j);
		} else if (is_other_alnum(c)) {
			while (j < r.len) {
				unsigned d = next_cp(r.p + j, r.len - j, &l);
				if (!is_other_alnum(d))
					break;
				j += l;
			}
			rc = emit(&r, 0, 0, i, j);
		}
		i = j;
	}
	free(map);
	return rc;
}

/* ---- the FTS5 side ---- */

/* xCreate: arguments are "grams" or nothing. */
static int tok_create(void *pCtx, const char **azArg, int nArg, Fts5Tokenizer **ppOut)
{
	(void)pCtx;
	int opts = 0;
	char err[LK_ERRLEN];
	for (int i = 0; i < nArg; i++) {
		if (strcmp(azArg[i], "grams") == 0)
			opts |= FTS_THAI_GRAMS;
		else if (strcmp(azArg[i], "wordgrams") == 0)
			opts |= FTS_THAI_WORDGRAMS;
		else if (strcmp(azArg[i], "nowords") == 0)
			opts |= FTS_THAI_NOWORDS;
		else
			return SQLITE_ERROR;
	}
	struct fts_thai *t;
	if (fts_thai_new(opts, &t, err) != 0)
		return SQLITE_ERROR;
	*ppOut = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
	fts_thai_free((struct fts_thai *)p);
}

/* The FTS5 callback and its context, behind fts_thai_token_fn. */
struct xtok {
	void *pCtx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

static int xtok_cb(void *ctx, int colocated, const char *tok, int ntok, int start, int end)
{
	struct xtok *x = ctx;
	return x->xToken(x->pCtx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok, ntok, start, end);
}

/* xTokenize: snippets and highlights (AUX) ignore colocated tokens, so
 * they are spared the grams. */
static int tok_tokenize(Fts5Tokenizer *p, void *pCtx, int flags, const char *pText, int nText,
			int (*xToken)(void *, int, const char *, int, int, int))
{
	struct fts_thai *t = (struct fts_thai *)p;
	struct xtok x = {pCtx, xToken};
	int saved = t->opts;
	int f = (flags & FTS5_TOKENIZE_QUERY) ? FTS_THAI_QUERY : 0;
	if (flags & FTS5_TOKENIZE_AUX)
		t->opts &= ~(FTS_THAI_GRAMS | FTS_THAI_WORDGRAMS);
	int rc = fts_thai_tokenize(t, f, pText ? pText : "", nText > 0 ? (size_t)nText : 0, xtok_cb, &x);
	t->opts = saved;
	if (rc < 0)
		return SQLITE_ERROR;
	return rc;
}

/*
 * lakthan_bm25(w_title, w_filename, ...): BM25 as FTS5's built-in bm25()
 * computes it (k1 1.2, b 0.75, the same column weights), except for each
 * phrase's document count. bm25() counts it with xQueryPhrase over the whole
 * index on the first row it scores, however few rows are ranked: for a
 * phrase of common words or grams at 100,000 documents that walk is most of
 * a query's time (docs/SEARCH.md, "Speed"). Here the walk stops after
 * FTS_THAI_DF_CAP documents and the count is estimated from how far into the
 * rowids they reached (fts_thai_df_estimate()). Below the cap the count is
 * exact and the score identical to bm25()'s.
 */
struct rank_data {
	int nphrase;
	double avgdl;
	double *idf;
	double *freq;
};

/* The document-count walk of one phrase. */
struct df_walk {
	const Fts5ExtensionApi *api;
	sqlite3_int64 n;
	sqlite3_int64 last;
};

static int df_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	struct df_walk *w = ctx;
	(void)api;
	w->last = w->api->xRowid(fts);
	return ++w->n >= FTS_THAI_DF_CAP ? SQLITE_DONE : SQLITE_OK;
}

double fts_thai_df_estimate(sqlite3_int64 nrow, sqlite3_int64 counted, sqlite3_int64 last_rowid)
{
	if (counted < FTS_THAI_DF_CAP || last_rowid <= 0)
		return (double)counted;
	/* rowids ascend from 1: counted matches in the first last_rowid
	 * rowids, the same density over all nrow rows */
	double est = (double)counted * (double)nrow / (double)last_rowid;
	if (est < (double)counted)
		est = (double)counted;
	return est > (double)nrow ? (double)nrow : est;
}

static void rank_data_free(void *p)
{
	struct rank_data *d = p;
	if (d) {
		sqlite3_free(d->idf);
		sqlite3_free(d);
	}
}

static int rank_data_get(const Fts5ExtensionApi *api, Fts5Context *fts, struct rank_data **out)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	int rc = SQLITE_OK;
	if (d) {
		*out = d;
		return SQLITE_OK;
	}
	sqlite3_int64 nrow = 0, ntok = 0;
	d = sqlite3_malloc(sizeof *d);
	if (!d)
		return SQLITE_NOMEM;
	d->nphrase = api->xPhraseCount(fts);
	d->idf = sqlite3_malloc64(sizeof(double) * 2 * (sqlite3_uint64)(d->nphrase > 0 ? d->nphrase : 1));
	if (!d->idf) {
		sqlite3_free(d);
		return SQLITE_NOMEM;
	}
	d->freq = d->idf + d->nphrase;
	rc = api->xRowCount(fts, &nrow);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &ntok);
	d->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
	for (int i = 0; rc == SQLITE_OK && i < d->nphrase; i++) {
		struct df_walk w = {api, 0, 0};
		rc = api->xQueryPhrase(fts, i, &w, df_cb);
		double n = fts_thai_df_estimate(nrow, w.n, w.last);
		double idf = log(((double)nrow - n + 0.5) / (n + 0.5));
		d->idf[i] = idf > 0.0 ? idf : 1e-6;
	}
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, d, rank_data_free);
	else
		rank_data_free(d);
	if (rc == SQLITE_OK)
		*out = d;
	return rc;
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const double k1 = 1.2, b = 0.75;
	struct rank_data *d = NULL;
	int rc = rank_data_get(api, fts, &d), ninst = 0, ntok = 0;
	if (rc == SQLITE_OK) {
		memset(d->freq, 0, sizeof(double) * (size_t)d->nphrase);
		rc = api->xInstCount(fts, &ninst);
	}
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;
		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == SQLITE_OK && ip >= 0 && ip < d->nphrase)
			d->freq[ip] += nval > ic ? sqlite3_value_double(val[ic]) : 1.0;
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &ntok);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0.0, norm = k1 * (1 - b + b * (double)ntok / d->avgdl);
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] * (d->freq[i] * (k1 + 1.0)) / (d->freq[i] + norm);
	sqlite3_result_double(ctx, -1.0 * score);
}

/*
 * Snippets: lakthan_snippet(tbl, open, close, ellipsis, ntokens) is
 * snippet() without tokenizing the whole document. FTS5's snippet()
 * tokenizes every column of the row to the end to score windows, which for
 * a long document is most of a search's time (docs/SEARCH.md, "Speed").
 * Here the window is chosen from the match positions alone (xInst; see
 * fts_thai_snippet_window()), and the column is tokenized only up to the
 * window's end. search.c does the same outside FTS5 from lakthan_hits()
 * (fts_thai_snippet()), so a page needs no second walk of the expression.
 */
int fts_thai_snippet_window(const struct fts_thai_hit *h, int n, int ntok, struct fts_thai_window *w)
{
	if (n <= 0 || ntok < 1 || ntok > FTS_THAI_SNIPPET_MAX)
		return -1;
	int nphrase = 0;
	for (int i = 0; i < n; i++) {
		if (h[i].phrase < 0)
			return -1;
		if (h[i].phrase >= nphrase)
			nphrase = h[i].phrase + 1;
	}
	int *seen = lk_calloc((size_t)nphrase, sizeof *seen);
	/* the best window: a sliding window over the hits, which FTS5 lists
	 * by column, then position */
	int best = 0, best_score = -1, distinct = 0;
	for (int i = 0, j = 0; i < n; i++) {
		if (j < i)
			j = i;
		while (j < n && h[j].col == h[i].col && h[j].off < h[i].off + ntok)
			if (seen[h[j++].phrase]++ == 0)
				distinct++;
		int score = distinct * 1000 + (j - i);
		if (score > best_score) {
			best_score = score;
			best = i;
		}
		if (j > i && --seen[h[i].phrase] == 0)
			distinct--;
	}
	/* a window at the start of a column (a title, the opening of a text)
	 * scores a bonus, as snippet()'s window at a sentence start does */
	int head_col = -1;
	for (int s0 = 0; s0 < n;) {
		int m = 0, d = 0, k = s0;
		memset(seen, 0, sizeof(int) * (size_t)nphrase);
		for (; k < n && h[k].col == h[s0].col && h[k].off < ntok; k++, m++)
			if (seen[h[k].phrase]++ == 0)
				d++;
		if (m && d * 1000 + m + 120 > best_score) {
			best_score = d * 1000 + m + 120;
			best = s0;
			head_col = h[s0].col;
		}
		while (k < n && h[k].col == h[s0].col)
			k++;
		s0 = k;
	}
	free(seen);
	int col = h[best].col, first = h[best].off, last = first;
	for (int i = best; i < n && h[i].col == col && h[i].off < first + ntok; i++)
		if (h[i].off + h[i].len - 1 > last)
			last = h[i].off + h[i].len - 1;
	if (last >= first + ntok)
		last = first + ntok - 1;
	/* centre the hits in the window, as snippet() does */
	int lo = head_col >= 0 ? 0 : first - (ntok - (last - first + 1)) / 2;
	if (lo < 0)
		lo = 0;
	w->col = col;
	w->lo = lo;
	w->ntok = ntok;
	w->head = head_col >= 0;
	memset(w->mark, 0, sizeof w->mark);
	for (int i = 0; i < n; i++)
		if (h[i].col == col)
			for (int t = h[i].off; t < h[i].off + h[i].len; t++)
				if (t >= lo && t < lo + ntok)
					w->mark[t - lo] = 1;
	return 0;
}

/* The byte ranges of a window's tokens, gathered while tokenizing. */
struct snip_walk {
	int lo, hi;          /* window: token positions [lo, hi) */
	int pos;             /* position of the current token */
	int start[FTS_THAI_SNIPPET_MAX], end[FTS_THAI_SNIPPET_MAX]; /* -1 if none */
	int more;            /* a token follows the window */
};

static void snip_walk_init(struct snip_walk *sw, const struct fts_thai_window *w)
{
	sw->lo = w->lo;
	sw->hi = w->lo + w->ntok;
	sw->pos = 0;
	sw->more = 0;
	for (int k = 0; k < w->ntok; k++)
		sw->start[k] = sw->end[k] = -1;
}

static int snip_cb(void *ctx, int tflags, const char *tok, int ntok, int s, int e)
{
	struct snip_walk *w = ctx;
	(void)tok, (void)ntok;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	int p = w->pos++;
	if (p >= w->hi) {
		w->more = 1;
		return SQLITE_DONE;
	}
	if (p >= w->lo) {
		w->start[p - w->lo] = s;
		w->end[p - w->lo] = e;
	}
	return SQLITE_OK;
}

/* The snippet text: the window's tokens and what lies between them. */
static void snip_render(struct buf *b, const char *text, const struct snip_walk *sw, const struct fts_thai_window *w,
			const char *open, const char *close, const char *ellipsis)
{
	if (w->lo > 0)
		buf_puts(b, ellipsis);
	int prev = w->lo == 0 ? 0 : -1, open_mark = 0;
	for (int k = 0; k < w->ntok && text; k++) {
		if (sw->start[k] < 0)
			break;
		if (prev >= 0 && sw->start[k] > prev)
			buf_append(b, text + prev, (size_t)(sw->start[k] - prev));
		if (w->mark[k] && !open_mark) {
			buf_puts(b, open);
			open_mark = 1;
		}
		buf_append(b, text + sw->start[k], (size_t)(sw->end[k] - sw->start[k]));
		if (open_mark && (k + 1 >= w->ntok || !w->mark[k + 1] || sw->start[k + 1] < 0)) {
			buf_puts(b, close);
			open_mark = 0;
		}
		prev = sw->end[k];
	}
	if (sw->more)
		buf_puts(b, ellipsis);
}

/* The row's matches (xInst), as struct fts_thai_hit; *out is NULL when
 * there are none. */
static int row_hits(const Fts5ExtensionApi *api, Fts5Context *fts, struct fts_thai_hit **out, int *n)
{
	int ninst = 0, rc = api->xInstCount(fts, &ninst);
	*out = NULL;
	*n = 0;
	if (rc != SQLITE_OK || ninst == 0)
		return rc;
	struct fts_thai_hit *h = sqlite3_malloc64(sizeof *h * (sqlite3_uint64)ninst);
	if (!h)
		return SQLITE_NOMEM;
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		rc = api->xInst(fts, i, &h[i].phrase, &h[i].col, &h[i].off);
		if (rc == SQLITE_OK)
			h[i].len = api->xPhraseSize(fts, h[i].phrase);
	}
	if (rc != SQLITE_OK) {
		sqlite3_free(h);
		return rc;
	}
	*out = h;
	*n = ninst;
	return SQLITE_OK;
}

/* lakthan_hits(tbl): the row's matches as a blob of struct fts_thai_hit. */
static void hits_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	(void)nval, (void)val;
	struct fts_thai_hit *h;
	int n, rc = row_hits(api, fts, &h, &n);
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	else if (!h)
		sqlite3_result_zeroblob(ctx, 0);
	else
		sqlite3_result_blob(ctx, h, (int)(sizeof *h * (size_t)n), sqlite3_free);
}

static void snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	if (nval != 4) {
		sqlite3_result_error(ctx, "wrong number of arguments to function lakthan_snippet()", -1);
		return;
	}
	const char *open = (const char *)sqlite3_value_text(val[0]);
	const char *close = (const char *)sqlite3_value_text(val[1]);
	const char *ellipsis = (const char *)sqlite3_value_text(val[2]);
	int ntok = sqlite3_value_int(val[3]);
	if (!open || !close || !ellipsis || ntok < 1 || ntok > FTS_THAI_SNIPPET_MAX || api->xPhraseCount(fts) < 1) {
		sqlite3_result_error(ctx, "bad arguments to function lakthan_snippet()", -1);
		return;
	}
	struct fts_thai_hit *h;
	struct fts_thai_window w;
	int n, rc = row_hits(api, fts, &h, &n);
	if (rc != SQLITE_OK || !h) {
		if (rc == SQLITE_OK)
			sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		else
			sqlite3_result_error_code(ctx, rc);
		return;
	}
	fts_thai_snippet_window(h, n, ntok, &w);
	sqlite3_free(h);
	const char *text = NULL;
	int ntext = 0;
	struct snip_walk sw;
	snip_walk_init(&sw, &w);
	rc = api->xColumnText(fts, w.col, &text, &ntext);
	if (rc == SQLITE_OK && text) {
		rc = api->xTokenize(fts, text, ntext, &sw, snip_cb);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	struct buf b;
	buf_init(&b, 0);
	snip_render(&b, text, &sw, &w, open, close, ellipsis);
	if (b.data)
		sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
	else
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
	buf_release(&b);
}

/* fts_thai_tokenize's callback shape onto snip_cb. */
static int snip_direct_cb(void *ctx, int colocated, const char *tok, int ntok, int start, int end)
{
	return snip_cb(ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok, ntok, start, end);
}

char *fts_thai_snippet(struct fts_thai *t, const char *text, size_t n, const struct fts_thai_window *w, const char *open,
		       const char *close, const char *ellipsis)
{
	struct snip_walk sw;
	snip_walk_init(&sw, w);
	/* what FTS5 asks of the tokenizer for a snippet: words, no grams */
	int saved = t->opts;
	t->opts &= ~(FTS_THAI_GRAMS | FTS_THAI_WORDGRAMS);
	int rc = fts_thai_tokenize(t, 0, text, n, snip_direct_cb, &sw);
	t->opts = saved;
	if (rc != 0 && rc != SQLITE_DONE)
		return NULL;
	struct buf b;
	buf_init(&b, 0);
	snip_render(&b, text, &sw, w, open, close, ellipsis);
	if (!b.data)
		return lk_strdup("");
	return buf_detach(&b, NULL);
}

/* The fts5_api of db, as SQLite's documentation shows (SELECT fts5(?)). */
static fts5_api *fts5_api_from_db(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int fts_thai_register(sqlite3 *db, char *err)
{
	static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
	fts5_api *api = fts5_api_from_db(db);
	if (!api)
		return lk_errf(err, "this SQLite has no FTS5: cannot register the Thai tokenizer");
	if (api->xCreateTokenizer(api, "thai", NULL, &tok, NULL) != SQLITE_OK)
		return lk_errf(err, "cannot register the Thai tokenizer: %s", sqlite3_errmsg(db));
	if (api->xCreateFunction(api, "lakthan_bm25", NULL, rank_fn, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "lakthan_snippet", NULL, snippet_fn, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "lakthan_hits", NULL, hits_fn, NULL) != SQLITE_OK)
		return lk_errf(err, "cannot register the rank and snippet functions: %s", sqlite3_errmsg(db));
	return 0;
}
