/*
 * http_links: a document's evidence links over HTTP — list, add, remove,
 * an assessor's review — and the measures suggested for it.
 *
 * Each change is one transaction: links_set()/links_review() append their
 * audit record inside it, with the account's name as the actor. The target
 * is checked first (links_check) so an unknown measure or question is a 422
 * that names it, never a 500.
 */
#include "lakthan/http.h"
#include "lakthan/links.h"
#include "lakthan/plan.h"
#include "lakthan/search.h"
#include "lakthan/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A year given as a JSON number or string (v may be NULL: *year untouched).
 * 0, or -1 with err. */
static int json_year(json_t *v, int *year, char *err)
{
	char tmp[32];
	if (!v)
		return 0;
	if (json_is_integer(v))
		snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(tmp, sizeof tmp, "%.30s", json_string_value(v));
	else
		return lk_errf(err, "a year is a number such as 2567");
	int y = lk_parse_year(tmp, err);
	if (y < 0)
		return -1;
	*year = y;
	return 0;
}

/* What a links request is about, parsed from its JSON body and ?year. */
struct link_req {
	json_t *body;
	struct link_target t;
	char code[16];
	int doc_year;
	int year;           /* the plan the link goes into */
};

/*
 * Parse the body {"measure":"1.2"} or {"question":"i19"} (optional "year",
 * also ?year=), check that the document and the target exist. 0 to go on, or
 * -1 after answering (*ans). extra: further keys the body may have (NULL-
 * terminated), e.g. state and comment for a review.
 */
static int link_req_parse(struct http_req *rq, struct link_req *lr, const char *const *extra, enum MHD_Result *ans)
{
	char err[LK_ERRLEN];
	sqlite3 *db = http_db();
	memset(lr, 0, sizeof *lr);
	lr->body = http_body_object(rq, ans);
	if (!lr->body)
		return -1;
	const char *k;
	json_t *v;
	json_object_foreach(lr->body, k, v) {
		int known = strcmp(k, "measure") == 0 || strcmp(k, "question") == 0 || strcmp(k, "year") == 0;
		for (int i = 0; extra && extra[i]; i++)
			known |= strcmp(k, extra[i]) == 0;
		if (!known) {
			*ans = http_error(rq, 400, "bad_field", "unknown field '%.64s'", k);
			return -1;
		}
	}
	json_t *m = json_object_get(lr->body, "measure"), *q = json_object_get(lr->body, "question");
	if (!!m == !!q || !json_is_string(m ? m : q)) {
		*ans = http_error(rq, 400, "bad_target", "give exactly one of \"measure\" (e.g. \"1.2\") or \"question\" (e.g. \"i19\"), as a string");
		return -1;
	}
	if (m) {
		int is, pos;
		if (plan_parse_measure_code(json_string_value(m), &is, &pos, err) != 0) {
			*ans = http_error(rq, 400, "bad_measure", "measure: %s", err);
			return -1;
		}
		snprintf(lr->code, sizeof lr->code, "%d.%d", is, pos);
		lr->t.kind = LINK_MEASURE;
	} else {
		if (search_question_code(json_string_value(q), lr->code, err) != 0) {
			*ans = http_error(rq, 400, "bad_question", "question: %s", err);
			return -1;
		}
		lr->t.kind = LINK_QUESTION;
	}
	lr->t.code = lr->code;
	const char *ya = http_arg(rq, "year");
	json_t *yv = json_object_get(lr->body, "year");
	json_t *tmp = NULL;
	if (!yv && ya && *ya)
		yv = tmp = json_string(ya);
	int yrc = json_year(yv, &lr->year, err);
	json_decref(tmp);
	if (yrc != 0) {
		*ans = http_error(rq, 400, "bad_year", "year: %s", err);
		return -1;
	}
	if (links_document_year(db, rq->id, &lr->doc_year, err) != 0) {
		*ans = http_error(rq, 404, "not_found", "%s", err);
		return -1;
	}
	if (!lr->year)
		lr->year = links_default_year(db, lr->doc_year);
	if (!lr->year || !plan_year_exists(db, lr->year)) {
		*ans = http_error(rq, 404, "no_plan", "there is no plan%s to link into (an admin imports one first)",
				  lr->year ? " for that year" : "");
		return -1;
	}
	if (links_check(db, lr->year, &lr->t, err) != 0) {
		*ans = http_error(rq, 422, lr->t.kind == LINK_MEASURE ? "unknown_measure" : "unknown_question", "%s", err);
		return -1;
	}
	return 0;
}

/* The answer to a change: the document's links after it. */
static enum MHD_Result answer(struct http_req *rq, unsigned status, struct link_req *lr, const char *result)
{
	char err[LK_ERRLEN];
	json_t *links = links_of_document(http_db(), rq->id, err);
	if (!links)
		return http_error(rq, 500, "internal", "%s", err);
	json_t *o = json_pack("{s:I, s:i, s:s, s:s, s:o}", "document", (json_int_t)rq->id, "year", lr->year,
			      lr->t.kind == LINK_MEASURE ? "measure" : "question", lr->code, "result", result, "links", links);
	if (strcmp(result, "added") == 0 && lr->doc_year != lr->year) {
		char w[256];
		snprintf(w, sizeof w, "the document is %s%.0d: it backs the %d plan's coverage only once its year is %d",
			 lr->doc_year ? "of " : "of no year", lr->doc_year, lr->year, lr->year);
		json_object_set_new(o, "warning", json_string(w));
	}
	json_decref(lr->body);
	return http_json(rq, status, o);
}

/* Add (remove 0) or remove the link in one transaction; -1 with err. */
static int change(struct http_req *rq, struct link_req *lr, int remove, enum link_result *res, char *err)
{
	sqlite3 *db = http_db();
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	if (links_set(db, rq->id, lr->year, &lr->t, remove, rq->who.name, res, err) != 0 ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		if (!*err)
			lk_errf(err, "database: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* GET /api/documents/{id}/links → {"document":id,"links":[...]} with each
 * link's state, who linked it and the review. */
enum MHD_Result http_links_get(struct http_req *rq)
{
	char err[LK_ERRLEN];
	int y;
	if (links_document_year(http_db(), rq->id, &y, err) != 0)
		return http_error(rq, 404, "not_found", "%s", err);
	json_t *a = links_of_document(http_db(), rq->id, err);
	if (!a)
		return http_error(rq, 500, "internal", "%s", err);
	return http_json(rq, 200, json_pack("{s:I, s:o}", "document", (json_int_t)rq->id, "links", a));
}

/* POST /api/documents/{id}/links {"measure"|"question", "year"?} → 201. */
enum MHD_Result http_links_add(struct http_req *rq)
{
	struct link_req lr;
	enum MHD_Result ans;
	char err[LK_ERRLEN] = "";
	if (link_req_parse(rq, &lr, NULL, &ans) != 0) {
		json_decref(lr.body);
		return ans;
	}
	enum link_result res;
	if (change(rq, &lr, 0, &res, err) != 0) {
		json_decref(lr.body);
		return http_error(rq, 500, "internal", "%s", err);
	}
	return answer(rq, 201, &lr, res == LINK_ADDED ? "added" : "existed");
}

/* DELETE /api/documents/{id}/links with the same body → 200, or 404 when
 * the document is not linked to it. */
enum MHD_Result http_links_remove(struct http_req *rq)
{
	struct link_req lr;
	enum MHD_Result ans;
	char err[LK_ERRLEN] = "";
	if (link_req_parse(rq, &lr, NULL, &ans) != 0) {
		json_decref(lr.body);
		return ans;
	}
	enum link_result res;
	if (change(rq, &lr, 1, &res, err) != 0) {
		json_decref(lr.body);
		return http_error(rq, 500, "internal", "%s", err);
	}
	if (res == LINK_ABSENT) {
		json_decref(lr.body);
		return http_error(rq, 404, "not_linked", "document %lld is not linked to %s %s", rq->id,
				  lr.t.kind == LINK_MEASURE ? "measure" : "question", lr.code);
	}
	return answer(rq, 200, &lr, "removed");
}

/* PATCH /api/documents/{id}/links {"measure"|"question", "state":
 * "accepted"|"rejected", "comment"} → 200: an assessor's review. */
enum MHD_Result http_links_review(struct http_req *rq)
{
	static const char *const extra[] = {"state", "comment", NULL};
	struct link_req lr;
	enum MHD_Result ans;
	char err[LK_ERRLEN] = "";
	if (link_req_parse(rq, &lr, extra, &ans) != 0) {
		json_decref(lr.body);
		return ans;
	}
	const char *state = json_string_value(json_object_get(lr.body, "state"));
	json_t *c = json_object_get(lr.body, "comment");
	if (!state || (strcmp(state, "accepted") != 0 && strcmp(state, "rejected") != 0)) {
		json_decref(lr.body);
		return http_error(rq, 400, "bad_state", "state must be \"accepted\" or \"rejected\"");
	}
	if ((c && !json_is_string(c)) || (c && strlen(json_string_value(c)) > HTTP_MAX_FIELD)) {
		json_decref(lr.body);
		return http_error(rq, 400, "bad_comment", "comment must be a string of at most %d bytes", HTTP_MAX_FIELD);
	}
	sqlite3 *db = http_db();
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : lk_errf(err, "database: %s", sqlite3_errmsg(db));
	if (rc == 0)
		rc = links_review(db, rq->id, lr.year, &lr.t, state, c ? json_string_value(c) : "", rq->who.name, err);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = lk_errf(err, "database: %s", sqlite3_errmsg(db));
	if (rc != 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		json_decref(lr.body);
		if (strncmp(err, "database", 8) == 0)
			return http_error(rq, 500, "internal", "%s", err);
		return http_error(rq, 404, "not_linked", "%s", err);
	}
	return answer(rq, 200, &lr, state);
}

/* GET /api/documents/{id}/suggestions?year=&limit= → the object of
 * `lakthan suggest --json`. */
enum MHD_Result http_suggestions(struct http_req *rq)
{
	char err[LK_ERRLEN];
	sqlite3 *db = http_db();
	int dy, year = 0;
	if (links_document_year(db, rq->id, &dy, err) != 0)
		return http_error(rq, 404, "not_found", "%s", err);
	const char *y = http_arg(rq, "year"), *l = http_arg(rq, "limit");
	if (y && *y && (year = lk_parse_year(y, err)) < 0)
		return http_error(rq, 400, "bad_year", "year: %s", err);
	long limit = 10;
	if (l && *l) {
		char *end;
		limit = strtol(l, &end, 10);
		if (*end || limit < 1 || limit > 100)
			return http_error(rq, 400, "bad_limit", "limit must be a number from 1 to 100");
	}
	if (year ? !plan_year_exists(db, year) : !links_default_year(db, dy))
		return http_error(rq, 404, "no_plan", "there is no plan%s to suggest measures from", year ? " for that year" : "");
	json_t *o = suggest_json(db, rq->id, year, (int)limit, err);
	if (!o)
		return http_error(rq, 500, "internal", "%s", err);
	return http_json(rq, 200, o);
}
