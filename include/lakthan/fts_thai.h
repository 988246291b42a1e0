/*
 * fts_thai: the "thai" FTS5 tokenizer (FTS5 v1 API: SQLite 3.40).
 *
 * Text is normalised with thai_normalize() (documents and queries alike),
 * then:
 *  - Thai runs are split into words by thaiseg (ICU dictionary + the field
 *    word list); each word is one token at its own position;
 *  - with the "grams" argument, each pair of adjacent Thai clusters in a run
 *    is also indexed as a gram token (FTS_THAI_GRAM_MARK + the two clusters'
 *    bytes), colocated (FTS5_TOKEN_COLOCATED) with the word that holds its
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

/* Register on db the "thai" tokenizer (args: none, or "grams") and two
 * FTS5 functions:
 *  - lakthan_bm25(tbl, column weights...): bm25() with each phrase's
 *    document count walked up to FTS_THAI_DF_CAP documents, then estimated;
 *  - lakthan_snippet(tbl, open, close, ellipsis, ntokens): a snippet of
 *    ntokens (1-64) tokens around the best window of matches, chosen from
 *    the match positions; the column is tokenized only up to its end. */
int fts_thai_register(sqlite3 *db, char *err);

/* Documents a phrase's count is walked to before it is estimated. */
#define FTS_THAI_DF_CAP 1000

/* A phrase's document count for BM25: counted (exact below the cap), or,
 * when the walk stopped at FTS_THAI_DF_CAP documents at rowid last_rowid,
 * the same density over all nrow rows (rowids from 1), within
 * [counted, nrow]. */
double fts_thai_df_estimate(sqlite3_int64 nrow, sqlite3_int64 counted, sqlite3_int64 last_rowid);

#endif
