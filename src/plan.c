/*
 * plan: the question catalog embedded from schema/ita-questions.tsv, the
 * lookups of measures and questions by code, and the plan as JSON.
 */
#include "lakthan/plan.h"
#include "lakthan/buf.h"
#include "lakthan/embedded.h"
#include "lakthan/thai.h"
#include "lakthan/util.h"

#include <stdio.h>
#include <string.h>

#define CATALOG "schema/ita-questions.tsv"

/* Copy field [s, e) into dst of size n, truncated. */
static void field(char *dst, size_t n, const char *s, const char *e)
{
	size_t len = (size_t)(e - s);
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = 0;
}

int plan_catalog_find(int year, const char *code, struct plan_catalog_entry *out)
{
	const struct embedded_file *f = embedded_find(CATALOG);
	if (!f)
		return -1;
	const char *p = (const char *)f->data, *end = p + f->len;
	/* a linear scan: the catalog has a few hundred lines at most, and the
	 * embedded bytes never change, so there is nothing to cache or lock */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (*p != '#' && strncmp(p, "year\t", 5) != 0) {
			const char *f0[6];
			const char *fe[6];
			int k = 0;
			const char *s = p;
			for (const char *q = p; q <= le && k < 6; q++) {
				if (q == le || *q == '\t') {
					f0[k] = s;
					fe[k++] = q;
					s = q + 1;
				}
			}
			if (k >= 5 && atoi(f0[0]) == year && (size_t)(fe[1] - f0[1]) == strlen(code) &&
			    memcmp(f0[1], code, strlen(code)) == 0) {
				memset(out, 0, sizeof *out);
				out->year = year;
				field(out->code, sizeof out->code, f0[1], fe[1]);
				field(out->instrument, sizeof out->instrument, f0[2], fe[2]);
				field(out->indicator, sizeof out->indicator, f0[3], fe[3]);
				field(out->text, sizeof out->text, f0[4], fe[4]);
				if (k >= 6)
					field(out->source, sizeof out->source, f0[5], fe[5]);
				/* name the catalog year: the same code means different
				 * questions in different years */
				char *src = out->source[0] ? lk_asprintf("ITA %d catalog: %s", year, out->source)
							   : lk_asprintf("ITA %d catalog", year);
				field(out->source, sizeof out->source, src, src + strlen(src));
				free(src);
				return 0;
			}
		}
		p = le + 1;
	}
	return -1;
}

int plan_catalog_for_plan(int plan_year, const char *code, struct plan_catalog_entry *out)
{
	if (plan_catalog_find(plan_year - 1, code, out) == 0)
		return 0;
	return plan_catalog_find(plan_year, code, out);
}

int plan_parse_measure_code(const char *code, int *issue, int *pos, char *err)
{
	struct buf b;
	buf_init(&b, 0);
	thai_normalize(code, strlen(code), &b, NULL);
	buf_putc(&b, 0);
	int a = 0, c = 0, used = 0;
	int ok = sscanf(b.data, " %d.%d %n", &a, &c, &used) == 2 && b.data[used] == 0 && a >= 1 && c >= 1 && a < 1000 && c < 1000;
	buf_release(&b);
	if (!ok)
		return lk_errf(err, "%s is not a measure code (issue.number, e.g. 1.2)", code);
	*issue = a;
	*pos = c;
	return 0;
}

int plan_year_exists(sqlite3 *db, int year)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM plan_issue WHERE year = ?1 LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(st, 1, year);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

int plan_latest_year(sqlite3 *db)
{
	sqlite3_stmt *st;
	int year = 0;
	if (sqlite3_prepare_v2(db, "SELECT max(year) FROM plan_issue", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		year = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return year;
}

int plan_measure_id(sqlite3 *db, int year, const char *code, sqlite3_int64 *id, char *err)
{
	int issue, pos;
	if (plan_parse_measure_code(code, &issue, &pos, err) != 0)
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT m.id FROM measure m JOIN plan_issue i ON i.id = m.issue_id"
				   " WHERE i.year = ?1 AND i.number = ?2 AND m.position = ?3", -1, &st, NULL) != SQLITE_OK)
		return lk_errc(err, LK_INTERNAL, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_int(st, 2, issue);
	sqlite3_bind_int(st, 3, pos);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	if (rc != 0) {
		if (!plan_year_exists(db, year))
			return lk_errc(err, LK_NO_PLAN, "measure %d.%d: there is no plan for %d (import one with lakthan import-plan)", issue, pos, year);
		return lk_errc(err, LK_NOT_FOUND, "measure %d.%d does not exist in the %d plan (see lakthan plan show --year %d)", issue, pos, year, year);
	}
	return 0;
}

int plan_question_id(sqlite3 *db, int year, const char *code, sqlite3_int64 *id, char *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id FROM question WHERE year = ?1 AND code = ?2", -1, &st, NULL) != SQLITE_OK)
		return lk_errc(err, LK_INTERNAL, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return 0;
	struct plan_catalog_entry c;
	if (plan_catalog_for_plan(year, code, &c) != 0)
		return lk_errc(err, LK_UNKNOWN_QUESTION, "question %s is neither in the %d plan nor in the ITA catalog of %d or %d", code, year, year - 1, year);
	if (sqlite3_prepare_v2(db, "INSERT INTO question(year, code, instrument, indicator, text, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       -1, &st, NULL) != SQLITE_OK)
		return lk_errc(err, LK_INTERNAL, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c.instrument, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c.indicator, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c.text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c.source, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (rc != 0)
		return lk_errc(err, LK_INTERNAL, "database: %s", sqlite3_errmsg(db));
	*id = sqlite3_last_insert_rowid(db);
	return 0;
}

/* The texts of one kind of a row as a JSON array of strings. */
static json_t *texts(sqlite3 *db, sqlite3_int64 row, const char *kind)
{
	json_t *a = json_array();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT text FROM plan_text WHERE row_id = ?1 AND kind = ?2 ORDER BY position", -1, &st, NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_int64(st, 1, row);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	return a;
}

json_t *plan_json(sqlite3 *db, int year, char *err)
{
	sqlite3_stmt *is = NULL, *rs = NULL, *ms = NULL, *qs = NULL;
	json_t *issues = json_array();
	if (sqlite3_prepare_v2(db, "SELECT id, number, title FROM plan_issue WHERE year = ?1 ORDER BY number", -1, &is, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, status, unresolved FROM plan_row WHERE issue_id = ?1 ORDER BY position", -1, &rs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT position, text FROM measure WHERE row_id = ?1 ORDER BY position", -1, &ms, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT q.code, q.text FROM row_question rq JOIN question q ON q.id = rq.question_id"
				   " WHERE rq.row_id = ?1 ORDER BY substr(q.code, 1, 1), CAST(substr(q.code, 2) AS INTEGER)", -1, &qs, NULL) != SQLITE_OK) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		sqlite3_finalize(is);
		sqlite3_finalize(rs);
		sqlite3_finalize(ms);
		sqlite3_finalize(qs);
		json_decref(issues);
		return NULL;
	}
	sqlite3_bind_int(is, 1, year);
	while (sqlite3_step(is) == SQLITE_ROW) {
		int number = sqlite3_column_int(is, 1);
		json_t *rows = json_array();
		sqlite3_reset(rs);
		sqlite3_bind_int64(rs, 1, sqlite3_column_int64(is, 0));
		while (sqlite3_step(rs) == SQLITE_ROW) {
			sqlite3_int64 rid = sqlite3_column_int64(rs, 0);
			json_t *qa = json_array(), *ma = json_array();
			sqlite3_reset(qs);
			sqlite3_bind_int64(qs, 1, rid);
			while (sqlite3_step(qs) == SQLITE_ROW)
				json_array_append_new(qa, json_pack("{s:s, s:s}", "code", sqlite3_column_text(qs, 0),
								    "text", sqlite3_column_text(qs, 1)));
			sqlite3_reset(ms);
			sqlite3_bind_int64(ms, 1, rid);
			while (sqlite3_step(ms) == SQLITE_ROW) {
				char code[32];
				snprintf(code, sizeof code, "%d.%d", number, sqlite3_column_int(ms, 0));
				json_array_append_new(ma, json_pack("{s:s, s:s}", "code", code, "text", sqlite3_column_text(ms, 1)));
			}
			json_array_append_new(rows, json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:s}",
				"questions", qa, "findings", texts(db, rid, "finding"), "measures", ma,
				"status", sqlite3_column_text(rs, 1), "results", texts(db, rid, "result"),
				"outcomes", texts(db, rid, "outcome"), "unresolved", sqlite3_column_text(rs, 2)));
		}
		json_array_append_new(issues, json_pack("{s:i, s:s, s:o}", "number", number,
							"title", sqlite3_column_text(is, 2), "rows", rows));
	}
	sqlite3_finalize(is);
	sqlite3_finalize(rs);
	sqlite3_finalize(ms);
	sqlite3_finalize(qs);
	return json_pack("{s:i, s:o}", "year", year, "issues", issues);
}
