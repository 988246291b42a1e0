/* suggest: rank the measures of a year's plan for one document. */
#include "lakthan/suggest.h"
#include "lakthan/buf.h"
#include "lakthan/evidence.h"
#include "lakthan/fts_thai.h"
#include "lakthan/links.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERMS 64
/* Weight of the row's results and outcomes against the measure's words. */
#define ROW_WEIGHT 0.5

/* Words that every plan sentence has: they would only add noise. */
static const char *const stop[] = {
	"การ", "และ", "ที่", "ให้", "ใน", "ของ", "หรือ", "เพื่อ", "มี", "ได้", "ความ", "เป็น", "ไว้",
	"โดย", "ผ่าน", "แก่", "ด้วย", "ต่อ", "จาก", "กับ", "ไป", "มา", "ๆ", "ดังกล่าว", "รวมถึง",
	"อย่าง", "แต่ละ", "ทาง", "ตาม", "ซึ่ง", "นั้น", "นี้", "ทั้ง", "จะ", "ไม่", "ยัง", NULL,
};

/* Square root by Newton's method: the library links without libm. */
static double root(double x)
{
	if (x <= 0)
		return 0;
	double r = x > 1 ? x : 1;
	for (int i = 0; i < 40; i++)
		r = 0.5 * (r + x / r);
	return r;
}

struct terms {
	struct buf expr;
	int n;
	char *seen[MAX_TERMS];
};

/* Tokenizer callback: add each new word as an FTS5 string literal. */
static int on_token(void *ctx, int colocated, const char *tok, int ntok, int start, int end)
{
	struct terms *t = ctx;
	(void)start;
	(void)end;
	if (colocated || ntok <= 0 || t->n >= MAX_TERMS)
		return 0;
	char *w = lk_strndup(tok, (size_t)ntok);
	int skip = strlen(w) < 2;
	for (int i = 0; stop[i] && !skip; i++)
		skip = strcmp(w, stop[i]) == 0;
	for (int i = 0; i < t->n && !skip; i++)
		skip = strcmp(w, t->seen[i]) == 0;
	if (skip) {
		free(w);
		return 0;
	}
	if (t->expr.len)
		buf_puts(&t->expr, " OR ");
	buf_putc(&t->expr, '"');
	for (const char *p = w; *p; p++) {
		if (*p == '"')
			buf_putc(&t->expr, '"');
		buf_putc(&t->expr, *p);
	}
	buf_putc(&t->expr, '"');
	t->seen[t->n++] = w;
	return 0;
}

/* Free the words and the expression of t. */
static void terms_release(struct terms *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->seen[i]);
	buf_release(&t->expr);
}

/* BM25 of the words of text against document doc, per word; 0 when none
 * matches. */
static double score_text(sqlite3_stmt *st, struct fts_thai *tok, const char *text, sqlite3_int64 doc)
{
	struct terms t;
	memset(&t, 0, sizeof t);
	buf_init(&t.expr, 0);
	fts_thai_tokenize(tok, FTS_THAI_QUERY, text, strlen(text), on_token, &t);
	double s = 0;
	if (t.n) {
		buf_putc(&t.expr, 0);
		sqlite3_bind_text(st, 1, t.expr.data, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, doc);
		if (sqlite3_step(st) == SQLITE_ROW)
			s = sqlite3_column_double(st, 0) / root((double)t.n);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	terms_release(&t);
	return s;
}

struct cand {
	char code[32];
	char *text;
	double score;
	int linked;
};

/* Best score first; ties in plan order, so the output is stable. */
static int by_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->code, y->code);
}

json_t *suggest_json(sqlite3 *db, sqlite3_int64 doc, int year, int limit, char *err)
{
	int dy;
	if (links_document_year(db, doc, &dy, err) != 0)
		return NULL;
	if (!year)
		year = dy && plan_year_exists(db, dy) ? dy : plan_latest_year(db);
	if (!year || !plan_year_exists(db, year)) {
		lk_errf(err, "there is no plan%s to suggest measures from (import one with lakthan import-plan)", year ? " for that year" : "");
		return NULL;
	}
	struct fts_thai *tok;
	if (fts_thai_new(0, &tok, err) != 0)
		return NULL;
	sqlite3_stmt *ms = NULL, *fs = NULL, *rs = NULL, *ts = NULL;
	json_t *out = NULL;
	struct cand *c = NULL;
	size_t nc = 0;
	if (sqlite3_prepare_v2(db,
		"SELECT i.number, m.position, m.text, m.row_id,"
		" EXISTS (SELECT 1 FROM document_link l WHERE l.document_id = ?2 AND l.measure_id = m.id)"
		" FROM measure m JOIN plan_issue i ON i.id = m.issue_id WHERE i.year = ?1 ORDER BY i.number, m.position",
		-1, &ms, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT -rank FROM search_fts WHERE search_fts MATCH ?1 AND rowid = ?2", -1, &fs, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT group_concat(text, ' ') FROM plan_text WHERE row_id = ?1 AND kind IN ('result', 'outcome')",
			       -1, &rs, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT text FROM document_text WHERE document_id = ?1", -1, &ts, NULL)) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_bind_int(ms, 1, year);
	sqlite3_bind_int64(ms, 2, doc);
	while (sqlite3_step(ms) == SQLITE_ROW) {
		c = lk_realloc(c, (nc + 1) * sizeof *c);
		struct cand *k = &c[nc++];
		snprintf(k->code, sizeof k->code, "%d.%d", sqlite3_column_int(ms, 0), sqlite3_column_int(ms, 1));
		k->text = lk_strdup((const char *)sqlite3_column_text(ms, 2));
		k->linked = sqlite3_column_int(ms, 4);
		k->score = score_text(fs, tok, k->text, doc);
		sqlite3_bind_int64(rs, 1, sqlite3_column_int64(ms, 3));
		if (sqlite3_step(rs) == SQLITE_ROW && sqlite3_column_text(rs, 0))
			k->score += ROW_WEIGHT * score_text(fs, tok, (const char *)sqlite3_column_text(rs, 0), doc);
		sqlite3_reset(rs);
	}
	qsort(c, nc, sizeof *c, by_score);
	json_t *a = json_array();
	for (size_t i = 0; i < nc && (int)json_array_size(a) < limit; i++)
		if (c[i].score > 0)
			json_array_append_new(a, json_pack("{s:s, s:s, s:f, s:b}", "code", c[i].code, "text", c[i].text,
							   "score", (double)(long long)(c[i].score * 1000 + 0.5) / 1000, "linked", c[i].linked));
	struct evidence_date ed;
	int have_date = -1;
	sqlite3_bind_int64(ts, 1, doc);
	if (sqlite3_step(ts) == SQLITE_ROW && sqlite3_column_text(ts, 0))
		have_date = evidence_date_find((const char *)sqlite3_column_text(ts, 0), (size_t)sqlite3_column_bytes(ts, 0), &ed);
	out = json_pack("{s:I, s:i, s:o, s:o, s:o}", "document", (json_int_t)doc, "year", year,
			"evidence_date", have_date == 0 ? json_string(ed.iso) : json_null(),
			"proposed_year", have_date == 0 ? json_integer(ed.fiscal_year) : json_null(), "suggestions", a);
done:
	for (size_t i = 0; i < nc; i++)
		free(c[i].text);
	free(c);
	sqlite3_finalize(ms);
	sqlite3_finalize(fs);
	sqlite3_finalize(rs);
	sqlite3_finalize(ts);
	fts_thai_free(tok);
	return out;
}
