/*
 * fts_thai: the "thai" FTS5 tokenizer (FTS5 v1 API: SQLite 3.40).
 *
 * Text is normalised with thai_normalize() (documents and queries alike),
 * then:
 *  - Thai runs are split into words by thaiseg (ICU dictionary + the field
 *    word list); each word is one token at its own position;
 *  - with the "grams" argument, each pair of adjacent Thai clusters in a run
 *    is also indexed as a gram token (fts_thai_gram(): FTS_THAI_GRAM_MARK +
 *    the two clusters, one byte per Thai letter), colocated (FTS5_TOKEN_COLOCATED) with the word that holds its
 *    first cluster; a run of one cluster gives a one-cluster gram. Grams find
 *    a Thai string whatever the dictionary made of its context (ปีงบประมาณ
 *    whole vs งบ|ประมาณ, names no dictionary has, 1-2 letter queries) via
 *    NEAR() of grams, while words give phrase queries and ranking;
 *  - other letters and digits: maximal runs of alphanumerics (i19, e,
 *    service, 2567), case-folded by normalisation.
 * Offsets of every token point into the original, unnormalised text.
 *
 * In query mode (FTS5_TOKENIZE_QUERY) no grams are produced from text; a
 * query string that starts with FTS_THAI_GRAM_MARK is passed through as
 * one gram token, which is how search_query.c asks for grams.
 */
#ifndef LAKTHAN_FTS_THAI_H
#define LAKTHAN_FTS_THAI_H
#include <stddef.h>
#include <sqlite3.h>

#define FTS_THAI_GRAM_MARK "\x01"

/*
 * The gram token of the Thai text s[0..n) into out (room for n + 2 bytes):
 * FTS_THAI_GRAM_MARK, then each Thai code point U+0E01..U+0E4E as one
 * printable ASCII byte (0x21 + its offset), anything else as it is. A gram
 * of two clusters is 3-5 bytes instead of 7-13 in UTF-8: the index hashes,
 * compares and stores a third of the bytes (docs/SEARCH.md). Returns the
 * length; out is NUL-terminated.
 */
size_t fts_thai_gram(const char *s, size_t n, char *out);

/* Options of a tokenizer instance. */
enum {
	FTS_THAI_GRAMS = 1,   /* index cluster bigrams colocated with words */
	FTS_THAI_QUERY = 2,   /* tokenize a query string (no grams from text) */
	FTS_THAI_NOWORDS = 4, /* bench only: skip segmentation, emit Thai runs whole */
	FTS_THAI_WORDGRAMS = 8, /* cluster bigrams only inside words of 3+ clusters */
};

struct fts_thai;

/* Called for each token: colocated is 1 for a token at the previous
 * token's position; [start, end) are byte offsets into the input. Return
 * non-zero to stop (the value is returned by fts_thai_tokenize). */
typedef int (*fts_thai_token_fn)(void *ctx, int colocated, const char *tok, int ntok, int start, int end);

/* A tokenizer instance with FTS_THAI_GRAMS or not; -1 with err on failure. */
int fts_thai_new(int opts, struct fts_thai **out, char *err);
void fts_thai_free(struct fts_thai *t);

/* Tokenize text[0..n); flags may add FTS_THAI_QUERY. 0, or what fn returned,
 * or -1 when segmentation fails. */
int fts_thai_tokenize(struct fts_thai *t, int flags, const char *text, size_t n, fts_thai_token_fn fn, void *ctx);

/* Register on db the "thai" tokenizer (args: none, or "grams") and three
 * FTS5 functions:
 *  - lakthan_bm25(tbl, column weights...): bm25() with each phrase's
 *    document count walked up to FTS_THAI_DF_CAP documents, then estimated;
 *  - lakthan_snippet(tbl, open, close, ellipsis, ntokens): a snippet of
 *    ntokens (1-64) tokens around the best window of matches, chosen from
 *    the match positions; the column is tokenized only up to its end;
 *  - lakthan_hits(tbl): the row's matches (below). */
int fts_thai_register(sqlite3 *db, char *err);

/* Documents a phrase's count is walked to before it is estimated: past
 * 200 documents the density estimate is within a few per cent (Poisson),
 * which moves an IDF by hundredths, while the walk of a phrase of common
 * words to 1,000 documents of a large archive was most of a query's time
 * (docs/SEARCH.md, "Speed, third round"). */
#define FTS_THAI_DF_CAP 200

/* A phrase's document count for BM25: counted (exact below the cap), or,
 * when the walk stopped at FTS_THAI_DF_CAP documents at rowid last_rowid,
 * the same density over all nrow rows (rowids from 1), within
 * [counted, nrow]. */
double fts_thai_df_estimate(sqlite3_int64 nrow, sqlite3_int64 counted, sqlite3_int64 last_rowid);

/*
 * Snippets outside FTS5. lakthan_hits(tbl) returns the row's matches as a
 * blob of struct fts_thai_hit (native layout: for this process only, never
 * stored), so that search.c can take them from the ranking query and make
 * the page's snippets without walking the expression a second time. Both
 * lakthan_snippet() and fts_thai_snippet() choose the window with
 * fts_thai_snippet_window() and render it the same way.
 */
struct fts_thai_hit {
	int phrase;  /* phrase number in the expression */
	int col;     /* column */
	int off;     /* token position in the column */
	int len;     /* tokens in the phrase */
};

#define FTS_THAI_SNIPPET_MAX 64

/* The window of a snippet: ntok tokens from lo in column col; mark[k] is 1
 * for a token of a match. head is 1 when the window is the column's start. */
struct fts_thai_window {
	int col, lo, ntok, head;
	unsigned char mark[FTS_THAI_SNIPPET_MAX];
};

/* The best window of ntok (1..FTS_THAI_SNIPPET_MAX) tokens for the hits
 * h[0..n) (in FTS5's order: by column, then position): the one with the
 * most distinct phrases, then the most hits, a column start scoring a
 * bonus; the hits centred. -1 when n is 0 or ntok out of range. */
int fts_thai_snippet_window(const struct fts_thai_hit *h, int n, int ntok, struct fts_thai_window *w);

/* The snippet of window w over text[0..n) (the column's text), tokenized
 * by t as FTS5 tokenizes it for snippets (no grams), with open/close around
 * matches and ellipsis at a cut end. Returns a string the caller frees, or
 * NULL when tokenizing failed. */
char *fts_thai_snippet(struct fts_thai *t, const char *text, size_t n, const struct fts_thai_window *w, const char *open,
		       const char *close, const char *ellipsis);

#endif
