/*
 * plan_edit: change a year's plan by hand, for agencies whose report comes
 * in another shape — issues, measures, the questions a row cites, and a new
 * year started from the last one. Each change is one transaction, and its
 * audit record (action "plan.*", object "plan:YEAR") is appended inside it.
 */
#include "lakthan/db.h"
#include "lakthan/plan.h"
#include "lakthan/audit.h"
#include "lakthan/search.h"
#include "lakthan/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* When rc, the checks made so far, is 0: start a write transaction now, so
 * a concurrent writer waits here, not mid-way. Returns rc, or LK_INTERNAL. */
static int begin(sqlite3 *db, int rc, char *err)
{
	if (rc == 0 && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return lk_errc(err, LK_INTERNAL, "database: %s", sqlite3_errmsg(db));
	return rc;
}

/* Commit when rc is 0, else roll back; returns rc (LK_INTERNAL when the
 * commit fails). */
static int end(sqlite3 *db, int rc, char *err)
{
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	if (rc == 0)
		rc = lk_errc(err, LK_INTERNAL, "database: %s", sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* db_run()'s result with its -1, the database failing, as LK_INTERNAL. */
static int db_rc(int rc)
{
	return rc < 0 ? LK_INTERNAL : rc;
}

/* Append the audit record of a plan change when rc is 0 (still inside the
 * transaction); d is stolen. Returns rc, or LK_INTERNAL when the record
 * cannot be written, which rolls the change back with it. */
static int audit_plan(sqlite3 *db, int rc, const char *actor, const char *action, int year, json_t *d, char *err)
{
	char object[32];
	snprintf(object, sizeof object, "plan:%d", year);
	if (rc == 0 && audit_append_json(db, actor, action, object, d, err) != 0)
		rc = LK_INTERNAL;
	json_decref(d);
	return rc;
}

/* A title must say something: 0, or LK_BAD_INPUT. */
static int check_text(const char *what, const char *s, char *err)
{
	if (!s || !s[strspn(s, " \t\r\n")])
		return lk_errf(err, "the %s is empty", what);
	if (!lk_utf8_valid(s, strlen(s)))
		return lk_errf(err, "the %s is not UTF-8 text", what);
	return 0;
}

int plan_issue_add(sqlite3 *db, int year, int number, const char *title, const char *actor, char *err)
{
	int rc = begin(db, check_text("title", title, err), err);
	if (rc != 0)
		return rc;
	rc = db_rc(db_run(db, "SELECT 1 FROM plan_issue WHERE year = ?1 AND number = ?2", NULL, err, "ii", year, number));
	if (rc == 1)
		rc = lk_errc(err, LK_CONFLICT, "issue %d already exists in the %d plan (rename it with plan rename-issue)", number, year);
	else if (rc == 0)
		rc = db_rc(db_run(db, "INSERT INTO plan_issue(year, number, title) VALUES (?1, ?2, ?3)", NULL, err, "iit", year, number, title));
	rc = audit_plan(db, rc, actor, "plan.issue.add", year, json_pack("{s:i, s:s}", "issue", number, "title", title), err);
	return end(db, rc, err);
}

int plan_issue_rename(sqlite3 *db, int year, int number, const char *title, const char *actor, char *err)
{
	int rc = begin(db, check_text("title", title, err), err);
	if (rc != 0)
		return rc;
	rc = db_rc(db_run(db, "UPDATE plan_issue SET title = ?3 WHERE year = ?1 AND number = ?2", NULL, err, "iit", year, number, title));
	if (rc == 0 && sqlite3_changes(db) == 0)
		rc = lk_errc(err, LK_NOT_FOUND, "issue %d does not exist in the %d plan", number, year);
	rc = audit_plan(db, rc, actor, "plan.issue.rename", year,
			json_pack("{s:i, s:s}", "issue", number, "title", title), err);
	return end(db, rc, err);
}

int plan_measure_add(sqlite3 *db, int year, int issue, const char *text, char code_out[16], const char *actor,
		     char *err)
{
	sqlite3_int64 iid, rid = 0, pos = 0;
	int rc = begin(db, check_text("measure", text, err), err);
	if (rc != 0)
		return rc;
	rc = db_rc(db_run(db, "SELECT id FROM plan_issue WHERE year = ?1 AND number = ?2", &iid, err, "ii", year, issue));
	if (rc == 0)
		rc = lk_errc(err, LK_NOT_FOUND, "issue %d does not exist in the %d plan (add it with plan add-issue)", issue, year);
	if (rc == 1)
		rc = db_rc(db_run(db, "SELECT id FROM plan_row WHERE issue_id = ?1 ORDER BY position DESC LIMIT 1", &rid, err, "l", iid));
	if (rc == 0)
		rc = db_rc(db_run(db, "INSERT INTO plan_row(issue_id, position) VALUES (?1, 1) RETURNING id", &rid, err, "l", iid));
	if (rc == 1)
		rc = db_rc(db_run(db, "SELECT coalesce(max(position), 0) + 1 FROM measure WHERE issue_id = ?1", &pos, err, "l", iid));
	if (rc == 1)
		rc = db_rc(db_run(db, "INSERT INTO measure(issue_id, position, row_id, text) VALUES (?1, ?2, ?3, ?4)", NULL, err,
				  "lllt", iid, pos, rid, text));
	if (rc == 0) {
		snprintf(code_out, 16, "%d.%lld", issue, (long long)pos);
		rc = audit_plan(db, rc, actor, "plan.measure.add", year, json_pack("{s:s, s:s}", "measure", code_out, "text", text), err);
	}
	return end(db, rc, err);
}

int plan_measure_edit(sqlite3 *db, int year, const char *code, const char *text, const char *actor, char *err)
{
	sqlite3_int64 id;
	int rc = check_text("measure", text, err);
	if (rc == 0)
		rc = plan_measure_id(db, year, code, &id, err);
	rc = begin(db, rc, err);
	if (rc != 0)
		return rc;
	rc = db_rc(db_run(db, "UPDATE measure SET text = ?2 WHERE id = ?1", NULL, err, "lt", id, text));
	rc = audit_plan(db, rc, actor, "plan.measure.edit", year, json_pack("{s:s, s:s}", "measure", code, "text", text), err);
	return end(db, rc, err);
}

int plan_measure_delete(sqlite3 *db, int year, const char *code, int force, int *links_removed, const char *actor,
			char *err)
{
	sqlite3_int64 id, n = 0;
	*links_removed = 0;
	int rc = begin(db, plan_measure_id(db, year, code, &id, err), err);
	if (rc != 0)
		return rc;
	rc = db_rc(db_run(db, "SELECT count(*) FROM document_link WHERE measure_id = ?1", &n, err, "l", id));
	if (rc == 1 && n > 0 && !force)
		rc = lk_errc(err, LK_CONFLICT, "measure %s has %lld evidence link%s: unlink the documents first, or delete with --force (the links go too)",
			     code, (long long)n, n == 1 ? "" : "s");
	if (rc == 1)
		rc = db_rc(db_run(db, "DELETE FROM document_link WHERE measure_id = ?1", NULL, err, "l", id));
	if (rc == 0)
		rc = db_rc(db_run(db, "DELETE FROM measure WHERE id = ?1", NULL, err, "l", id));
	if (rc == 0) {
		*links_removed = (int)n;
		rc = audit_plan(db, rc, actor, "plan.measure.delete", year,
				json_pack("{s:s, s:b, s:I}", "measure", code, "force", force, "links_removed", (json_int_t)n), err);
	}
	return end(db, rc, err);
}

int plan_measure_set_questions(sqlite3 *db, int year, const char *code, char **codes, size_t n, const char *actor,
			       char *err)
{
	sqlite3_int64 id, rid;
	char q[16];
	for (size_t i = 0; i < n; i++)
		if (search_question_code(codes[i], q, err) != 0)
			return LK_BAD_INPUT;
	int rc = begin(db, plan_measure_id(db, year, code, &id, err), err);
	if (rc != 0)
		return rc;
	rc = db_rc(db_run(db, "SELECT row_id FROM measure WHERE id = ?1", &rid, err, "l", id));
	if (rc == 1)
		rc = db_rc(db_run(db, "DELETE FROM row_question WHERE row_id = ?1", NULL, err, "l", rid));
	for (size_t i = 0; i < n && rc == 0; i++) {
		sqlite3_int64 qid;
		search_question_code(codes[i], q, err);
		rc = plan_question_id(db, year, q, &qid, err);
		if (rc == 0)
			rc = db_rc(db_run(db, "INSERT OR IGNORE INTO row_question(row_id, question_id) VALUES (?1, ?2)", NULL, err, "ll",
					  rid, qid));
	}
	if (rc == 0) {
		json_t *qs = json_array();
		for (size_t i = 0; i < n; i++) {
			search_question_code(codes[i], q, err);
			json_array_append_new(qs, json_string(q));
		}
		rc = audit_plan(db, rc, actor, "plan.questions", year, json_pack("{s:s, s:o}", "measure", code, "questions", qs), err);
	}
	return end(db, rc, err);
}

int plan_copy_year(sqlite3 *db, int from, int to, const char *actor, char *err)
{
	if (!plan_year_exists(db, from))
		return lk_errc(err, LK_NO_PLAN, "there is no plan for %d to start from", from);
	if (plan_year_exists(db, to))
		return lk_errc(err, LK_CONFLICT, "the %d plan exists already", to);
	int rc = begin(db, 0, err);
	if (rc != 0)
		return rc;
	/* ids differ between years; (number, position) pairs map old to new */
	static const char *const sql[] = {
		"INSERT INTO plan_issue(year, number, title) SELECT ?2, number, title FROM plan_issue WHERE year = ?1",
		"INSERT INTO plan_row(issue_id, position, status, unresolved)"
		" SELECT ni.id, r.position, '', r.unresolved FROM plan_row r JOIN plan_issue oi ON oi.id = r.issue_id"
		" JOIN plan_issue ni ON ni.year = ?2 AND ni.number = oi.number WHERE oi.year = ?1",
		"INSERT INTO plan_text(row_id, kind, position, text)"
		" SELECT nr.id, t.kind, t.position, t.text FROM plan_text t JOIN plan_row r ON r.id = t.row_id"
		" JOIN plan_issue oi ON oi.id = r.issue_id JOIN plan_issue ni ON ni.year = ?2 AND ni.number = oi.number"
		" JOIN plan_row nr ON nr.issue_id = ni.id AND nr.position = r.position"
		" WHERE oi.year = ?1 AND t.kind = 'finding'",
		"INSERT INTO measure(issue_id, position, row_id, text)"
		" SELECT ni.id, m.position, nr.id, m.text FROM measure m JOIN plan_row r ON r.id = m.row_id"
		" JOIN plan_issue oi ON oi.id = m.issue_id JOIN plan_issue ni ON ni.year = ?2 AND ni.number = oi.number"
		" JOIN plan_row nr ON nr.issue_id = ni.id AND nr.position = r.position WHERE oi.year = ?1",
		"INSERT INTO question(year, code, instrument, indicator, text, source)"
		" SELECT ?2, code, instrument, indicator, text, source FROM question WHERE year = ?1",
		"INSERT INTO row_question(row_id, question_id)"
		" SELECT nr.id, nq.id FROM row_question rq JOIN plan_row r ON r.id = rq.row_id"
		" JOIN question q ON q.id = rq.question_id JOIN plan_issue oi ON oi.id = r.issue_id"
		" JOIN plan_issue ni ON ni.year = ?2 AND ni.number = oi.number"
		" JOIN plan_row nr ON nr.issue_id = ni.id AND nr.position = r.position"
		" JOIN question nq ON nq.year = ?2 AND nq.code = q.code WHERE oi.year = ?1",
		NULL,
	};
	for (int i = 0; sql[i] && rc == 0; i++)
		rc = db_rc(db_run(db, sql[i], NULL, err, "ii", from, to));
	rc = audit_plan(db, rc, actor, "plan.new-year", to, json_pack("{s:i}", "from", from), err);
	return end(db, rc, err);
}
