/*
 * links: add, remove and review the links of documents to the plan. Every
 * change appends its audit record inside the caller's transaction, so the
 * record exists exactly when the change does.
 */
#include "lakthan/links.h"
#include "lakthan/audit.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"

#include <stdio.h>
#include <string.h>

int links_document_year(sqlite3 *db, sqlite3_int64 doc, int *year, char *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT year, withdrawn_at FROM document WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, doc);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*year = sqlite3_column_int(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	if (rc != 0)
		return lk_errf(err, "there is no document %lld", (long long)doc);
	return 0;
}

/* The measure or question id of t in year's plan (a question is added
 * from the catalog when the plan does not cite it). */
static int target_id(sqlite3 *db, int year, const struct link_target *t, sqlite3_int64 *id, char *err)
{
	if (t->kind == LINK_MEASURE)
		return plan_measure_id(db, year, t->code, id, err);
	return plan_question_id(db, year, t->code, id, err);
}

/* The audit record of a link change: object "document:ID", detail names
 * the target, the plan's year and, for a review, the state and comment. */
static int audit_link(sqlite3 *db, const char *who, const char *action, sqlite3_int64 doc, int year,
		      const struct link_target *t, const char *state, const char *comment, char *err)
{
	char object[48];
	snprintf(object, sizeof object, "document:%lld", (long long)doc);
	json_t *d = json_pack("{s:s, s:i}", t->kind == LINK_MEASURE ? "measure" : "question", t->code, "year", year);
	if (state) {
		json_object_set_new(d, "state", json_string(state));
		json_t *c = json_string(comment);
		json_object_set_new(d, "comment", c ? c : json_string(""));
	}
	int rc = audit_append_json(db, who, action, object, d, err);
	json_decref(d);
	return rc;
}

int links_set(sqlite3 *db, sqlite3_int64 doc, int year, const struct link_target *t, int remove,
	      const char *who, enum link_result *result, char *err)
{
	int dy;
	sqlite3_int64 tid;
	if (links_document_year(db, doc, &dy, err) != 0 || target_id(db, year, t, &tid, err) != 0)
		return -1;
	const char *col = t->kind == LINK_MEASURE ? "measure_id" : "question_id";
	char sql[256];
	if (remove)
		snprintf(sql, sizeof sql, "DELETE FROM document_link WHERE document_id = ?1 AND %s = ?2", col);
	else
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO document_link(document_id, %s, linked_by, linked_at)"
					  " VALUES (?1, ?2, ?3, ?4)", col);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	char now[32];
	lk_now_iso(now);
	sqlite3_bind_int64(st, 1, doc);
	sqlite3_bind_int64(st, 2, tid);
	if (!remove) {
		sqlite3_bind_text(st, 3, who, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	int changed = sqlite3_changes(db) > 0;
	*result = remove ? (changed ? LINK_REMOVED : LINK_ABSENT) : (changed ? LINK_ADDED : LINK_EXISTED);
	if (!changed)
		return 0;   /* nothing happened, nothing to record */
	return audit_link(db, who, remove ? "unlink" : "link", doc, year, t, NULL, NULL, err);
}

int links_review(sqlite3 *db, sqlite3_int64 doc, int year, const struct link_target *t, const char *state,
		 const char *comment, const char *who, char *err)
{
	int dy;
	sqlite3_int64 tid;
	if (strcmp(state, "accepted") != 0 && strcmp(state, "rejected") != 0 && strcmp(state, "linked") != 0)
		return lk_errf(err, "a review is accepted or rejected, not %s", state);
	if (links_document_year(db, doc, &dy, err) != 0 || target_id(db, year, t, &tid, err) != 0)
		return -1;
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE document_link SET state = ?3, comment = ?4, reviewed_by = ?5, reviewed_at = ?6"
				  " WHERE document_id = ?1 AND %s = ?2", t->kind == LINK_MEASURE ? "measure_id" : "question_id");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	char now[32];
	lk_now_iso(now);
	sqlite3_bind_int64(st, 1, doc);
	sqlite3_bind_int64(st, 2, tid);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, comment ? comment : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	if (sqlite3_changes(db) == 0)
		return lk_errf(err, "document %lld is not linked to %s %s", (long long)doc,
			       t->kind == LINK_MEASURE ? "measure" : "question", t->code);
	return audit_link(db, who, "link.review", doc, year, t, state, comment ? comment : "", err);
}

json_t *links_of_document(sqlite3 *db, sqlite3_int64 doc, char *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
		"SELECT CASE WHEN l.measure_id IS NOT NULL THEN 'measure' ELSE 'question' END,"
		" coalesce(i.number || '.' || m.position, q.code), coalesce(i.year, q.year),"
		" l.state, l.linked_by, l.linked_at, l.reviewed_by, l.comment"
		" FROM document_link l LEFT JOIN measure m ON m.id = l.measure_id"
		" LEFT JOIN plan_issue i ON i.id = m.issue_id LEFT JOIN question q ON q.id = l.question_id"
		" WHERE l.document_id = ?1 ORDER BY l.id", -1, &st, NULL) != SQLITE_OK) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_int64(st, 1, doc);
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, (const char *)sqlite3_column_text(st, 0), json_string((const char *)sqlite3_column_text(st, 1)));
		json_object_set_new(o, "year", json_integer(sqlite3_column_int(st, 2)));
		json_object_set_new(o, "state", json_string((const char *)sqlite3_column_text(st, 3)));
		json_object_set_new(o, "linked_by", json_string((const char *)sqlite3_column_text(st, 4)));
		json_object_set_new(o, "linked_at", json_string((const char *)sqlite3_column_text(st, 5)));
		json_object_set_new(o, "reviewed_by", sqlite3_column_type(st, 6) == SQLITE_NULL ? json_null()
						       : json_string((const char *)sqlite3_column_text(st, 6)));
		json_object_set_new(o, "comment", json_string((const char *)sqlite3_column_text(st, 7)));
		json_array_append_new(a, o);
	}
	sqlite3_finalize(st);
	return a;
}

int links_default_year(sqlite3 *db, int doc_year)
{
	return doc_year && plan_year_exists(db, doc_year) ? doc_year : plan_latest_year(db);
}

int links_check(sqlite3 *db, int year, const struct link_target *t, char *err)
{
	sqlite3_int64 id;
	if (t->kind == LINK_MEASURE)
		return plan_measure_id(db, year, t->code, &id, err);
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM question WHERE year = ?1 AND code = ?2", -1, &st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_text(st, 2, t->code, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	struct plan_catalog_entry ce;
	if (found || plan_catalog_for_plan(year, t->code, &ce) == 0)
		return 0;
	return lk_errf(err, "question %s is neither in the %d plan nor in the ITA catalog", t->code, year);
}

int links_add_all(sqlite3 *db, sqlite3_int64 doc, int year, const struct link_target *t, size_t n, const char *who,
		  char *err)
{
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	for (size_t i = 0; i < n; i++) {
		enum link_result r;
		if (links_set(db, doc, year, &t[i], 0, who, &r, err) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}
