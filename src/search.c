/*
 * search: run a parsed query on the index, rank with BM25 and the column
 * weights stored with the table (title > filename > description > body;
 * lakthan_bm25, src/fts_thai.c), and build the contract's JSON with
 * HTML-safe snippets made from the ranking query's match positions
 * (lakthan_hits, fts_thai_snippet: src/fts_thai.c).
 */
#include "lakthan/search.h"
#include "lakthan/buf.h"
#include "lakthan/fts_thai.h"
#include "lakthan/plan.h"
#include "lakthan/thaiseg.h"
#include "lakthan/util.h"
#include "lakthan/versions.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FTS5 snippet markers: control bytes that escaping then turns into tags. */
#define MARK_OPEN '\x02'
#define MARK_CLOSE '\x03'
/* Tokens of context in a snippet (at most FTS_THAI_SNIPPET_MAX). */
#define SNIPPET_TOKENS 24
/* Bytes of text shown for a document listed by filters alone. */
#define LEAD_BYTES 240

/* 1 when c is a combining mark a cut must not separate from its base. */
static int is_combining(unsigned c)
{
	if (thaiseg_is_mark(c))
		return 1;
	return (c >= 0x0300 && c <= 0x036F) || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F);
}

size_t search_cut_cluster(const char *text, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t i = max;
	/* back to the start of a code point, then before any marks */
	while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
		i--;
	while (i > 0) {
		size_t l;
		unsigned c = thaiseg_decode(text + i, len - i, &l);
		if (!is_combining(c))
			break;
		i--;
		while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
			i--;
	}
	return i;
}

char *search_snippet_html(const char *raw, char open, char close)
{
	struct buf b;
	buf_init(&b, 0);
	int space = 0;
	for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
		unsigned char c = *p;
		if (c == (unsigned char)open) {
			/* a space folded before the match stays outside the mark */
			if (space && b.len)
				buf_putc(&b, ' ');
			space = 0;
			buf_puts(&b, "<mark>");
			continue;
		}
		if (c == (unsigned char)close) {
			buf_puts(&b, "</mark>");
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = 1;
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			continue;
		if (space && b.len)
			buf_putc(&b, ' ');
		space = 0;
		switch (c) {
		case '&': buf_puts(&b, "&amp;"); break;
		case '<': buf_puts(&b, "&lt;"); break;
		case '>': buf_puts(&b, "&gt;"); break;
		case '"': buf_puts(&b, "&quot;"); break;
		case '\'': buf_puts(&b, "&#39;"); break;
		default: buf_putc(&b, (char)c);
		}
	}
	if (!b.data)
		return lk_strdup("");
	return buf_detach(&b, NULL);
}

/* The filters every query shares, on document d. */
#define FILTERS \
	" d.withdrawn_at IS NULL" \
	" AND (?2 IS NULL OR d.year = ?2)" \
	" AND (?3 IS NULL OR d.mime LIKE ?3)" \
	" AND (?4 IS NULL OR d.id IN (" SQL_MEASURE_DOCS "))" \
	" AND (?5 IS NULL OR d.id IN (" SQL_QUESTION_DOCS "))"

/* The plan's links (schema/003-plan.sql): the documents linked to measure
 * ?4 ("1.2", of year ?2 when given), and those supporting question ?5 —
 * linked to it, or to a measure whose plan row cites it (CONTRACT.md). A
 * link an assessor rejected supports nothing. */
#define SQL_MEASURE_DOCS \
	"SELECT l.document_id FROM document_link l JOIN measure m ON m.id = l.measure_id" \
	" JOIN plan_issue pi ON pi.id = m.issue_id WHERE l.state <> 'rejected'" \
	" AND pi.number || '.' || m.position = ?4 AND (?2 IS NULL OR pi.year = ?2)"
#define SQL_QUESTION_DOCS \
	"SELECT l.document_id FROM document_link l JOIN question q ON q.id = l.question_id" \
	" WHERE l.state <> 'rejected' AND q.code = ?5 AND (?2 IS NULL OR q.year = ?2)" \
	" UNION SELECT l.document_id FROM document_link l JOIN measure m ON m.id = l.measure_id" \
	" JOIN row_question rq ON rq.row_id = m.row_id JOIN question q ON q.id = rq.question_id" \
	" WHERE l.state <> 'rejected' AND q.code = ?5 AND (?2 IS NULL OR q.year = ?2)"

/* The measure codes and the question codes a document's links support. */
static const char sql_doc_measures[] =
	"SELECT DISTINCT pi.number || '.' || m.position FROM document_link l JOIN measure m ON m.id = l.measure_id"
	" JOIN plan_issue pi ON pi.id = m.issue_id WHERE l.document_id = ?1 AND l.state <> 'rejected'"
	" ORDER BY pi.number, m.position";
static const char sql_doc_questions[] =
	"SELECT code FROM (SELECT q.code AS code FROM document_link l JOIN question q ON q.id = l.question_id"
	" WHERE l.document_id = ?1 AND l.state <> 'rejected'"
	" UNION SELECT q.code FROM document_link l JOIN measure m ON m.id = l.measure_id"
	" JOIN row_question rq ON rq.row_id = m.row_id JOIN question q ON q.id = rq.question_id"
	" WHERE l.document_id = ?1 AND l.state <> 'rejected')"
	" ORDER BY substr(code, 1, 1), CAST(substr(code, 2) AS INTEGER)";

/* The codes sql (one text column, ?1 = document id) gives, as a JSON array. */
static json_t *codes_of(sqlite3 *db, const char *sql, sqlite3_int64 id)
{
	json_t *a = json_array();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	return a;
}

/*
 * Ranking is bounded (docs/SEARCH.md, "Speed"): on SQLite 3.40 FTS5 scores
 * every row it returns, and a common Thai word matches tens of thousands of
 * documents of a large archive. So the page is ranked among the newest
 * RANK_CANDIDATES matching documents (rowid order is what FTS5 walks without
 * scoring), and the total is counted exactly up to TOTAL_CAP, reported as
 * TOTAL_CAP with "total_exact": false beyond it.
 */
#define RANK_CANDIDATES 400
#define TOTAL_CAP 1000

/* ?6: candidates, ?7 limit, ?8 offset. The window count is taken before the
 * page's LIMIT: how many candidates there were. */
static const char sql_match[] =
	"SELECT id, title, filename, mime, year, score, count(*) OVER (), hits, min(id) OVER () FROM ("
	"SELECT d.id AS id, d.title AS title, d.filename AS filename, d.mime AS mime, d.year AS year,"
	" -search_fts.rank AS score, lakthan_hits(search_fts) AS hits"
	" FROM search_fts JOIN document d ON d.id = search_fts.rowid"
	" WHERE search_fts MATCH ?1 AND" FILTERS
	" ORDER BY search_fts.rowid DESC LIMIT ?6)"
	" ORDER BY score DESC, id LIMIT ?7 OFFSET ?8";

/* The matches below rowid ?7 (the oldest candidate), up to ?6, no ranking:
 * the count goes on where the candidates' walk stopped. */
static const char sql_count[] =
	"SELECT count(*) FROM (SELECT 1 FROM search_fts JOIN document d ON d.id = search_fts.rowid"
	" WHERE search_fts MATCH ?1 AND search_fts.rowid < ?7 AND" FILTERS " LIMIT ?6)";

static const char sql_filters[] =
	"SELECT d.id, d.title, d.filename, d.mime, d.year, 0.0"
	" FROM document d WHERE ?1 IS NULL AND" FILTERS
	" ORDER BY d.id DESC";

/* The text of column ?2 of document ?1 as the index read it (snippets). */
static const char sql_column[] =
	"SELECT CASE ?2 WHEN 0 THEN title WHEN 1 THEN filename WHEN 2 THEN description ELSE body END"
	" FROM search_source WHERE id = ?1";

static const char sql_lead[] =
	"SELECT substr(text, 1, ?2) FROM document_text WHERE document_id = ?1";

/* The HTML-safe form of a raw snippet (or, when lead, of the start of a
 * text cut at a cluster). */
static char *snippet_html(const char *raw, size_t n, int lead)
{
	/* substr() counts characters: cut the lead at a cluster too */
	char *cut = lk_strndup(raw, !lead || n < LEAD_BYTES ? n : search_cut_cluster(raw, n, n - 1));
	char *html = search_snippet_html(cut, MARK_OPEN, MARK_CLOSE);
	free(cut);
	return html;
}

/* The start of document id's text, HTML-safe, for a listing by filters;
 * the caller frees it. */
static char *lead_of(sqlite3 *db, sqlite3_int64 id)
{
	sqlite3_stmt *st = NULL;
	char *html = NULL;
	if (sqlite3_prepare_v2(db, sql_lead, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, LEAD_BYTES);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			html = snippet_html((const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0), 1);
	}
	sqlite3_finalize(st);
	return html ? html : lk_strdup("");
}

/* A page row's matches (lakthan_hits) and its id. */
struct page_hits {
	sqlite3_int64 id;
	struct fts_thai_hit *hits;
	int n;
};

/* The id (column 0) and the hits blob (column col) of the row at st into p. */
static void page_hits_take(struct page_hits *p, sqlite3_stmt *st, int col)
{
	int bytes = sqlite3_column_bytes(st, col);
	const void *blob = sqlite3_column_blob(st, col);
	p->id = sqlite3_column_int64(st, 0);
	p->n = blob ? bytes / (int)sizeof *p->hits : 0;
	p->hits = p->n ? lk_malloc((size_t)p->n * sizeof *p->hits) : NULL;
	if (p->n)
		memcpy(p->hits, blob, (size_t)p->n * sizeof *p->hits);
}

/*
 * Set "snippet" of the page's results from the matches their ranking query
 * returned (ph, in the order of results): the window is chosen from the
 * match positions and only its column is read and tokenized, as
 * lakthan_snippet() does inside FTS5 — without walking the expression a
 * second time over the page's rowids, which for a phrase of common words
 * cost as much as finding the candidates (docs/SEARCH.md, "Speed, third
 * round"). -1 on a database or tokenizer error.
 */
static int page_snippets(sqlite3 *db, json_t *results, const struct page_hits *ph, size_t n)
{
	struct fts_thai *tok = NULL;
	sqlite3_stmt *st = NULL;
	char err[LK_ERRLEN];
	int rc = 0;
	if (n == 0)
		return 0;
	if (fts_thai_new(0, &tok, err) != 0 || sqlite3_prepare_v2(db, sql_column, -1, &st, NULL) != SQLITE_OK) {
		fts_thai_free(tok);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct fts_thai_window w;
		if (fts_thai_snippet_window(ph[i].hits, ph[i].n, SNIPPET_TOKENS, &w) != 0)
			continue;
		sqlite3_bind_int64(st, 1, ph[i].id);
		sqlite3_bind_int(st, 2, w.col);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(st, 0);
			size_t len = (size_t)sqlite3_column_bytes(st, 0);
			char *raw = fts_thai_snippet(tok, text ? text : "", text ? len : 0, &w, (char[]){MARK_OPEN, 0},
						     (char[]){MARK_CLOSE, 0}, "…");
			if (!raw) {
				rc = -1;
			} else {
				char *html = snippet_html(raw, strlen(raw), 0);
				json_object_set_new(json_array_get(results, i), "snippet", json_string(html));
				free(html);
				free(raw);
			}
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	fts_thai_free(tok);
	return rc;
}

/* Merge the request's options into the parsed query; -1 on a bad value. */
static int apply_options(const struct search_request *rq, struct search_query *qr, char *err)
{
	if (rq->year)
		qr->year = rq->year;
	if (rq->type) {
		if (!search_type_mime(rq->type))
			return lk_errf(err, "type %s is not a known type (pdf, docx, xlsx, pptx, odt, ods, odp, html, txt, image, zip)", rq->type);
		snprintf(qr->type, sizeof qr->type, "%s", rq->type);
	}
	if (rq->question && search_question_code(rq->question, qr->question, err) != 0)
		return -1;
	if (rq->measure) {
		int issue, pos;
		if (plan_parse_measure_code(rq->measure, &issue, &pos, err) != 0)
			return -1;
		snprintf(qr->measure, sizeof qr->measure, "%d.%d", issue, pos);
	}
	return 0;
}

/* Bind the filters of qr (?2..?5, FILTERS) on st. */
static void bind_filters(sqlite3_stmt *st, const struct search_query *qr)
{
	if (qr->year)
		sqlite3_bind_int(st, 2, qr->year);
	if (qr->type[0])
		sqlite3_bind_text(st, 3, search_type_mime(qr->type), -1, SQLITE_STATIC);
	if (qr->measure[0])
		sqlite3_bind_text(st, 4, qr->measure, -1, SQLITE_STATIC);
	if (qr->question[0])
		sqlite3_bind_text(st, 5, qr->question, -1, SQLITE_STATIC);
}

/* The result object of the row at st (id, title, filename, mime, year,
 * score); its snippet is "" for a match (page_snippets() sets it), the
 * start of the text in a filter listing (lead). */
static json_t *result_of(sqlite3 *db, sqlite3_stmt *st, int lead)
{
	sqlite3_int64 id = sqlite3_column_int64(st, 0);
	json_t *r = json_object();
	json_object_set_new(r, "id", json_integer(id));
	json_object_set_new(r, "title", json_string((const char *)sqlite3_column_text(st, 1)));
	json_object_set_new(r, "filename", json_string((const char *)sqlite3_column_text(st, 2)));
	json_object_set_new(r, "mime", json_string((const char *)sqlite3_column_text(st, 3)));
	json_object_set_new(r, "year", sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null()
								     : json_integer(sqlite3_column_int(st, 4)));
	json_object_set_new(r, "score", json_real(sqlite3_column_double(st, 5)));
	char *snip = lead ? lead_of(db, id) : lk_strdup("");
	json_object_set_new(r, "snippet", json_string(snip));
	free(snip);
	json_object_set_new(r, "measures", codes_of(db, sql_doc_measures, id));
	json_object_set_new(r, "questions", codes_of(db, sql_doc_questions, id));
	/* an old version stays findable; the newer one is named so it can be shown */
	long long newer = versions_superseded_by(db, id);
	json_object_set_new(r, "superseded_by", newer ? json_integer(newer) : json_null());
	return r;
}

/*
 * One stage of a search: the page of the FTS5 expression expr, ranked among
 * its newest candidates, into the new array *results; its matches counted
 * up to TOTAL_CAP into *total (*exact 0 when there were more). -1 on a
 * database error.
 */
static int run_match(sqlite3 *db, const struct search_query *qr, const char *expr, const struct search_request *rq,
		     json_t **results, long long *total, int *exact)
{
	sqlite3_stmt *st = NULL;
	int rc;
	/* a deep page ranks among more candidates, so that it exists */
	long long cand = (long long)rq->offset + rq->limit > RANK_CANDIDATES ? (long long)rq->offset + rq->limit
									 : RANK_CANDIDATES;
	long long ncand = -1, oldest = 0;
	/* the page's matches, for its snippets: on a thai index only, since
	 * the snippet tokenizer must be the one that indexed (the benchmark's
	 * unicode61 and trigram indexes get no snippets) */
	int snippets = rq->kind == SEARCH_INDEX_THAI || rq->kind == SEARCH_INDEX_THAI_GRAMS;
	struct page_hits *ph = lk_calloc((size_t)rq->limit, sizeof *ph);
	size_t nph = 0;
	*results = json_array();
	*total = 0;
	*exact = 1;
	if (sqlite3_prepare_v2(db, sql_match, -1, &st, NULL) != SQLITE_OK) {
		free(ph);
		return -1;
	}
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	bind_filters(st, qr);
	sqlite3_bind_int64(st, 6, cand);
	sqlite3_bind_int(st, 7, rq->limit);
	sqlite3_bind_int(st, 8, rq->offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ncand = sqlite3_column_int64(st, 6);
		oldest = sqlite3_column_int64(st, 8);
		json_array_append_new(*results, result_of(db, st, 0));
		if (snippets && nph < (size_t)rq->limit)
			page_hits_take(&ph[nph++], st, 7);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = page_snippets(db, *results, ph, nph);
	else
		rc = -1;
	for (size_t i = 0; i < nph; i++)
		free(ph[i].hits);
	free(ph);
	if (rc != 0)
		return -1;
	if ((ncand >= 0 && ncand < cand) || (ncand < 0 && rq->offset == 0)) {
		/* every match was a candidate (none at all when the first page
		 * is empty): that is the total */
		*total = ncand < 0 ? 0 : ncand;
		return 0;
	}
	/* more matches than candidates, or an empty page past the first
	 * (the candidates are not known): count on from the oldest candidate,
	 * or from the start, bounded */
	if (ncand < 0) {
		ncand = 0;
		oldest = INT64_MAX;
	}
	if (ncand > TOTAL_CAP) {
		/* a page past the cap */
		*total = TOTAL_CAP;
		*exact = 0;
		return 0;
	}
	if (sqlite3_prepare_v2(db, sql_count, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	bind_filters(st, qr);
	sqlite3_bind_int64(st, 6, TOTAL_CAP + 1 - ncand);
	sqlite3_bind_int64(st, 7, oldest);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*total = ncand + sqlite3_column_int64(st, 0);
		if (*total > TOTAL_CAP) {
			*total = TOTAL_CAP;
			*exact = 0;
		}
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A listing by filters alone, newest first, counted exactly (no FTS5). */
static int run_filters(sqlite3 *db, const struct search_query *qr, const struct search_request *rq, json_t **results,
		       long long *total)
{
	sqlite3_stmt *st = NULL;
	int rc;
	*results = json_array();
	*total = 0;
	if (sqlite3_prepare_v2(db, sql_filters, -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_filters(st, qr);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		++*total;
		if (*total <= rq->offset || *total > (long long)rq->offset + rq->limit)
			continue;
		json_array_append_new(*results, result_of(db, st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

enum search_status search_run(sqlite3 *db, const struct search_request *rq, json_t **out, char *err)
{
	struct search_query qr;
	json_t *results = NULL;
	enum search_status status = SEARCH_FAILED;
	long long total = 0;
	int exact = 1, rc;
	*out = NULL;
	if (search_query_parse(rq->q ? rq->q : "", rq->kind, &qr, err) != 0) {
		/* options alone (--year) may still make a search */
		int blank = !rq->q || rq->q[strspn(rq->q, " \t\r\n")] == 0;
		if (!blank || !(rq->year || rq->type || rq->question || rq->measure))
			return SEARCH_BAD_QUERY;
		memset(&qr, 0, sizeof qr);
	}
	if (apply_options(rq, &qr, err) != 0) {
		status = SEARCH_BAD_QUERY;
		goto out;
	}
	if (!qr.match) {
		rc = run_filters(db, &qr, rq, &results, &total);
	} else if (qr.words) {
		/*
		 * Two stages: the words as segmented are selective and cheap to
		 * match; the gram NEAR() of common letter pairs is what costs. The
		 * grams run only when the words do not fill the page. A page
		 * from the words counts only what they match: the total is then
		 * "at least", since the grams could find more.
		 */
		rc = run_match(db, &qr, qr.words, rq, &results, &total, &exact);
		if (rc == 0 && total < (long long)rq->offset + rq->limit) {
			json_decref(results);
			results = NULL;
			rc = run_match(db, &qr, qr.match, rq, &results, &total, &exact);
		} else {
			exact = 0;
		}
	} else {
		rc = run_match(db, &qr, qr.match, rq, &results, &total, &exact);
	}
	if (rc != 0) {
		/* FTS5 refusing an expression would be a parser bug: never show
		 * its syntax message, which means nothing to the user */
		lk_errf(err, "the search failed in the database (%s)", sqlite3_errstr(sqlite3_extended_errcode(db)));
		goto out;
	}
	*out = json_pack("{s:I, s:b, s:O}", "total", (json_int_t)total, "total_exact", exact, "results", results);
	status = SEARCH_OK;
out:
	json_decref(results);
	search_query_release(&qr);
	return status;
}
