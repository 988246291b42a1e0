/*
 * http_plan: a year's plan, its ITA questions and coverage over HTTP, and
 * plan editing for admins (docs/API.md lists the routes).
 *
 * Reads take ?year=Y and default to the newest plan. Edits call the
 * plan_* functions of plan_edit.c, each one transaction with its audit
 * record, the account's name as the actor; their error messages become the
 * contract's error object with a status chosen from the kind of failure
 * they return (enum lk_fail), never from the message's wording.
 */
#include "lakthan/http.h"
#include "lakthan/coverage.h"
#include "lakthan/plan.h"
#include "lakthan/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The year of ?year= (or a body's "year" when body is not NULL), else the
 * newest plan. 0, or -1 after answering (*ans): a bad year, or no plan. */
static int plan_year(struct http_req *rq, json_t *body, int *year, enum MHD_Result *ans)
{
	char err[LK_ERRLEN], tmp[32];
	sqlite3 *db = http_db();
	const char *y = http_arg(rq, "year");
	json_t *v = body ? json_object_get(body, "year") : NULL;
	if (json_is_integer(v)) {
		snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
		y = tmp;
	} else if (json_is_string(v)) {
		y = json_string_value(v);
	} else if (v) {
		*ans = http_error(rq, 400, "bad_year", "year: a year is a number such as 2567");
		return -1;
	}
	if (y && *y) {
		if ((*year = lk_parse_year(y, err)) < 0) {
			*ans = http_error(rq, 400, "bad_year", "year: %s", err);
			return -1;
		}
	} else {
		*year = plan_latest_year(db);
	}
	if (!*year || !plan_year_exists(db, *year)) {
		*ans = http_error(rq, 404, "no_plan", "there is no plan%s%.0d (an admin imports one with lakthan import-plan)",
				  *year ? " for " : "", *year);
		return -1;
	}
	return 0;
}

/* GET /api/plan?year=Y → plan_json(): issues → rows → findings, measures,
 * results, outcomes and their questions. */
enum MHD_Result http_plan_get(struct http_req *rq)
{
	int year;
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	if (plan_year(rq, NULL, &year, &ans) != 0)
		return ans;
	json_t *p = plan_json(http_db(), year, err);
	return p ? http_json(rq, 200, p) : http_error(rq, 500, "internal", "%s", err);
}

/* The documents that support question qid in year under the coverage rule
 * (linked to it, or to a measure whose row cites it; not rejected, not
 * withdrawn), with how: "question" or the measure's code. */
#define SUPPORT_SQL \
	" FROM document d JOIN document_link l ON l.document_id = d.id" \
	" LEFT JOIN measure m ON m.id = l.measure_id LEFT JOIN plan_issue i ON i.id = m.issue_id" \
	" WHERE d.year = ?1 AND d.withdrawn_at IS NULL AND l.state <> 'rejected'" \
	" AND (l.question_id = q.id OR l.measure_id IN (SELECT m2.id FROM measure m2" \
	"  JOIN row_question rq ON rq.row_id = m2.row_id WHERE rq.question_id = q.id))"

/* GET /api/questions?year=Y → {"year":Y,"questions":[{code,text,instrument,
 * indicator,source,evidence_count}]}, in code order (i7 before i15). */
enum MHD_Result http_questions(struct http_req *rq)
{
	int year;
	enum MHD_Result ans;
	sqlite3 *db = http_db();
	if (plan_year(rq, NULL, &year, &ans) != 0)
		return ans;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT q.code, q.text, q.instrument, q.indicator, q.source,"
			       " (SELECT count(DISTINCT d.id)" SUPPORT_SQL ")"
			       " FROM question q WHERE q.year = ?1"
			       " ORDER BY substr(q.code, 1, 1), CAST(substr(q.code, 2) AS INTEGER)", -1, &st, NULL) != SQLITE_OK)
		return http_error(rq, 500, "internal", "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, year);
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = json_object();
		static const char *const names[] = {"code", "text", "instrument", "indicator", "source"};
		for (int i = 0; i < 5; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			json_object_set_new(o, names[i], json_string(v ? v : ""));
		}
		json_object_set_new(o, "evidence_count", json_integer(sqlite3_column_int64(st, 5)));
		json_array_append_new(a, o);
	}
	sqlite3_finalize(st);
	return http_json(rq, 200, json_pack("{s:i, s:o}", "year", year, "questions", a));
}

/* GET /api/questions/{code}?year=Y → the question (code normalised: I19,
 * i๑๙, " i 19 " are i19), the measures whose rows cite it and its evidence
 * documents. A question the plan does not cite but the ITA catalog has is
 * answered from the catalog with "in_plan":false. */
enum MHD_Result http_question_get(struct http_req *rq)
{
	int year;
	enum MHD_Result ans;
	char err[LK_ERRLEN], code[16];
	sqlite3 *db = http_db();
	if (search_question_code(rq->name, code, err) != 0)
		return http_error(rq, 400, "bad_question", "%s", err);
	if (plan_year(rq, NULL, &year, &ans) != 0)
		return ans;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id, text, instrument, indicator, source FROM question WHERE year = ?1 AND code = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return http_error(rq, 500, "internal", "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		struct plan_catalog_entry ce;
		if (plan_catalog_for_plan(year, code, &ce) != 0)
			return http_error(rq, 404, "unknown_question", "question %s is neither in the %d plan nor in the ITA catalog", code, year);
		return http_json(rq, 200, json_pack("{s:s, s:i, s:b, s:s, s:s, s:s, s:s, s:[], s:[], s:i}", "code", code,
			"year", year, "in_plan", 0, "text", ce.text, "instrument", ce.instrument, "indicator", ce.indicator,
			"source", ce.source, "measures", "documents", "evidence_count", 0));
	}
	sqlite3_int64 qid = sqlite3_column_int64(st, 0);
	json_t *o = json_pack("{s:s, s:i, s:b}", "code", code, "year", year, "in_plan", 1);
	static const char *const names[] = {"text", "instrument", "indicator", "source"};
	for (int i = 0; i < 4; i++) {
		const char *v = (const char *)sqlite3_column_text(st, i + 1);
		json_object_set_new(o, names[i], json_string(v ? v : ""));
	}
	sqlite3_finalize(st);
	json_t *ms = json_array(), *docs = json_array();
	if (sqlite3_prepare_v2(db, "SELECT i.number || '.' || m.position, m.text FROM measure m"
			       " JOIN plan_issue i ON i.id = m.issue_id JOIN row_question rq ON rq.row_id = m.row_id"
			       " WHERE rq.question_id = ?1 ORDER BY i.number, m.position", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, qid);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(ms, json_pack("{s:s, s:s}", "code", (const char *)sqlite3_column_text(st, 0),
							    "text", (const char *)sqlite3_column_text(st, 1)));
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(db, "SELECT d.id, d.title, group_concat(DISTINCT coalesce(i.number || '.' || m.position, 'question')),"
			       " d.mime, d.filename"
			       " FROM question q, document d JOIN document_link l ON l.document_id = d.id"
			       " LEFT JOIN measure m ON m.id = l.measure_id LEFT JOIN plan_issue i ON i.id = m.issue_id"
			       " WHERE q.id = ?2 AND d.year = ?1 AND d.withdrawn_at IS NULL AND l.state <> 'rejected'"
			       " AND (l.question_id = q.id OR l.measure_id IN (SELECT m2.id FROM measure m2"
			       "  JOIN row_question rq ON rq.row_id = m2.row_id WHERE rq.question_id = q.id))"
			       " GROUP BY d.id ORDER BY d.id", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, year);
		sqlite3_bind_int64(st, 2, qid);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(docs, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
							      "title", (const char *)sqlite3_column_text(st, 1),
							      "via", (const char *)sqlite3_column_text(st, 2),
							      "mime", (const char *)sqlite3_column_text(st, 3),
							      "filename", (const char *)sqlite3_column_text(st, 4)));
		sqlite3_finalize(st);
	}
	json_object_set_new(o, "evidence_count", json_integer((json_int_t)json_array_size(docs)));
	json_object_set_new(o, "measures", ms);
	json_object_set_new(o, "documents", docs);
	return http_json(rq, 200, o);
}

/* GET /api/coverage?year=Y → coverage_json(), the contract's object. */
enum MHD_Result http_coverage(struct http_req *rq)
{
	int year;
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	if (plan_year(rq, NULL, &year, &ans) != 0)
		return ans;
	json_t *c = coverage_json(http_db(), year, err);
	return c ? http_json(rq, 200, c) : http_error(rq, 500, "internal", "%s", err);
}

/* ---- editing (admin) ---- */

/* The answer to a plan_* failure rc (enum lk_fail) with its message err:
 * what the admin got wrong is 4xx, only the database failing is 500. */
static enum MHD_Result edit_error(struct http_req *rq, int rc, const char *err)
{
	switch (rc) {
	case LK_INTERNAL:
		return http_error(rq, 500, "internal", "%s", err);
	case LK_CONFLICT:
		return http_error(rq, 409, "conflict", "%s", err);
	case LK_NOT_FOUND:
	case LK_NO_PLAN:   /* only in a race: plan_year() answered a missing plan first */
		return http_error(rq, 404, "not_found", "%s", err);
	case LK_UNKNOWN_QUESTION:
		return http_error(rq, 422, "unknown_question", "%s", err);
	default:
		return http_error(rq, 400, "bad_request", "%s", err);
	}
}

/* A string field of body, or NULL (after answering 400) when missing or
 * not a string. */
static const char *str_field(struct http_req *rq, json_t *body, const char *key, enum MHD_Result *ans)
{
	const char *s = json_string_value(json_object_get(body, key));
	if (!s)
		*ans = http_error(rq, 400, "bad_field", "\"%s\" must be a string", key);
	return s;
}

/* An issue number field of body (1..999), or 0 after answering 400. */
static int issue_field(struct http_req *rq, json_t *body, const char *key, enum MHD_Result *ans)
{
	json_t *v = json_object_get(body, key);
	json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
	if (n < 1 || n > 999) {
		*ans = http_error(rq, 400, "bad_field", "\"%s\" must be an issue number from 1 to 999", key);
		return 0;
	}
	return (int)n;
}

/* POST /api/plan/years {"year":Y,"from":Y0} → 201 the new plan: Y starts
 * from Y0's issues, findings, measures and questions, without links. */
enum MHD_Result http_plan_year_add(struct http_req *rq)
{
	static const char *const keys[] = {"year", "from", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN], tmp[32];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	int year = -1, from = -1, rc;
	json_t *y = json_object_get(b, "year"), *f = json_object_get(b, "from");
	if (http_only_keys(rq, b, keys, &ans) != 0)
		goto out;
	snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(y));
	if (!json_is_integer(y) || (year = lk_parse_year(tmp, err)) < 0) {
		ans = http_error(rq, 400, "bad_year", "year: %s", json_is_integer(y) ? err : "a year is a number such as 2568");
		goto out;
	}
	snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(f));
	if (!json_is_integer(f) || (from = lk_parse_year(tmp, err)) < 0) {
		ans = http_error(rq, 400, "bad_year", "from: %s", json_is_integer(f) ? err : "the year to start from, such as 2567");
		goto out;
	}
	rc = plan_copy_year(http_db(), from, year, rq->who.name, err);
	if (rc != 0) {
		/* here the missing plan is the one to start from: the contract's no_plan */
		ans = rc == LK_NO_PLAN ? http_error(rq, 404, "no_plan", "%s", err) : edit_error(rq, rc, err);
		goto out;
	}
	json_t *p = plan_json(http_db(), year, err);
	ans = p ? http_json(rq, 201, p) : http_error(rq, 500, "internal", "%s", err);
out:
	json_decref(b);
	return ans;
}

/* POST /api/plan/issues {"year","number","title"} → 201 the issue. The year
 * may be new: this is how a plan is started by hand. */
enum MHD_Result http_plan_issue_add(struct http_req *rq)
{
	static const char *const keys[] = {"year", "number", "title", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN], tmp[32];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	json_t *y = json_object_get(b, "year");
	int year = -1, number, rc;
	const char *title;
	if (http_only_keys(rq, b, keys, &ans) != 0 || !(number = issue_field(rq, b, "number", &ans)) ||
	    !(title = str_field(rq, b, "title", &ans)))
		goto out;
	snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(y));
	if (!json_is_integer(y) || (year = lk_parse_year(tmp, err)) < 0) {
		ans = http_error(rq, 400, "bad_year", "year: %s", json_is_integer(y) ? err : "a year is a number such as 2567");
		goto out;
	}
	rc = plan_issue_add(http_db(), year, number, title, rq->who.name, err);
	if (rc != 0)
		ans = edit_error(rq, rc, err);
	else
		ans = http_json(rq, 201, json_pack("{s:i, s:i, s:s}", "year", year, "number", number, "title", title));
out:
	json_decref(b);
	return ans;
}

/* PATCH /api/plan/issues/{number}?year=Y {"title"} → 200. */
enum MHD_Result http_plan_issue_patch(struct http_req *rq)
{
	static const char *const keys[] = {"year", "title", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	int year, rc;
	const char *title;
	if (http_only_keys(rq, b, keys, &ans) != 0 || plan_year(rq, b, &year, &ans) != 0 || !(title = str_field(rq, b, "title", &ans)))
		goto out;
	rc = plan_issue_rename(http_db(), year, (int)rq->id, title, rq->who.name, err);
	if (rc != 0)
		ans = edit_error(rq, rc, err);
	else
		ans = http_json(rq, 200, json_pack("{s:i, s:I, s:s}", "year", year, "number", (json_int_t)rq->id, "title", title));
out:
	json_decref(b);
	return ans;
}

/* POST /api/plan/measures {"year","issue","text"} → 201 {"year","code","text"}:
 * appended to the issue's last row. */
enum MHD_Result http_plan_measure_add(struct http_req *rq)
{
	static const char *const keys[] = {"year", "issue", "text", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN], code[16];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	int year, issue, rc;
	const char *text;
	if (http_only_keys(rq, b, keys, &ans) != 0 || plan_year(rq, b, &year, &ans) != 0 ||
	    !(issue = issue_field(rq, b, "issue", &ans)) || !(text = str_field(rq, b, "text", &ans)))
		goto out;
	rc = plan_measure_add(http_db(), year, issue, text, code, rq->who.name, err);
	if (rc != 0)
		ans = edit_error(rq, rc, err);
	else
		ans = http_json(rq, 201, json_pack("{s:i, s:s, s:s}", "year", year, "code", code, "text", text));
out:
	json_decref(b);
	return ans;
}

/* PATCH /api/plan/measures/{code}?year=Y {"text"} → 200: new wording; the
 * code and the links stay. */
enum MHD_Result http_plan_measure_patch(struct http_req *rq)
{
	static const char *const keys[] = {"year", "text", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	int year, rc;
	const char *text;
	if (http_only_keys(rq, b, keys, &ans) != 0 || plan_year(rq, b, &year, &ans) != 0 || !(text = str_field(rq, b, "text", &ans)))
		goto out;
	rc = plan_measure_edit(http_db(), year, rq->name, text, rq->who.name, err);
	if (rc != 0)
		ans = edit_error(rq, rc, err);
	else
		ans = http_json(rq, 200, json_pack("{s:i, s:s, s:s}", "year", year, "code", rq->name, "text", text));
out:
	json_decref(b);
	return ans;
}

/* DELETE /api/plan/measures/{code}?year=Y[&force=1] → 200 {"links_removed"};
 * 409 while documents are linked to it and force is not given. */
enum MHD_Result http_plan_measure_delete(struct http_req *rq)
{
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	int year, removed;
	if (plan_year(rq, NULL, &year, &ans) != 0)
		return ans;
	const char *f = http_arg(rq, "force");
	int force = f && (strcmp(f, "1") == 0 || strcmp(f, "true") == 0);
	int rc = plan_measure_delete(http_db(), year, rq->name, force, &removed, rq->who.name, err);
	if (rc != 0)
		return edit_error(rq, rc, err);
	return http_json(rq, 200, json_pack("{s:i, s:s, s:i}", "year", year, "code", rq->name, "links_removed", removed));
}

/* PUT /api/plan/measures/{code}/questions?year=Y {"questions":["i19",...]}
 * → 200 the plan: the ITA questions the measure's row cites. */
enum MHD_Result http_plan_measure_questions(struct http_req *rq)
{
	static const char *const keys[] = {"year", "questions", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	int year, rc;
	char **codes = NULL;
	json_t *qs = json_object_get(b, "questions");
	if (http_only_keys(rq, b, keys, &ans) != 0 || plan_year(rq, b, &year, &ans) != 0)
		goto out;
	if (!json_is_array(qs) || json_array_size(qs) > 200) {
		ans = http_error(rq, 400, "bad_field", "\"questions\" must be an array of question codes (at most 200)");
		goto out;
	}
	size_t n = json_array_size(qs);
	codes = lk_calloc(n + 1, sizeof *codes);
	for (size_t i = 0; i < n; i++) {
		codes[i] = (char *)json_string_value(json_array_get(qs, i));
		if (!codes[i]) {
			ans = http_error(rq, 400, "bad_field", "\"questions\" must hold strings such as \"i19\"");
			goto out;
		}
	}
	rc = plan_measure_set_questions(http_db(), year, rq->name, codes, n, rq->who.name, err);
	if (rc != 0) {
		ans = edit_error(rq, rc, err);
		goto out;
	}
	json_t *p = plan_json(http_db(), year, err);
	ans = p ? http_json(rq, 200, p) : http_error(rq, 500, "internal", "%s", err);
out:
	free(codes);
	json_decref(b);
	return ans;
}
