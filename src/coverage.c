/* coverage: count what the evidence backs, per measure and per question. */
#include "lakthan/coverage.h"
#include "lakthan/util.h"

#include <stdio.h>

int coverage_percent(long long part, long long total)
{
	if (total <= 0)
		return 0;
	return (int)(part * 100 / total);
}

/* The documents of st (id, title) as [{id,title}]. */
static json_t *documents(sqlite3_stmt *st)
{
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
						   "title", (const char *)sqlite3_column_text(st, 1)));
	sqlite3_reset(st);
	return a;
}

static const char sql_measure_docs[] =
	"SELECT d.id, d.title FROM document_link l JOIN document d ON d.id = l.document_id"
	" WHERE l.measure_id = ?1 AND l.state <> 'rejected' AND d.year = ?2 AND d.withdrawn_at IS NULL"
	" ORDER BY d.id";

static const char sql_question_docs[] =
	"SELECT d.id, d.title FROM document d WHERE d.year = ?2 AND d.withdrawn_at IS NULL AND d.id IN ("
	" SELECT document_id FROM document_link WHERE question_id = ?1 AND state <> 'rejected'"
	" UNION SELECT l.document_id FROM document_link l JOIN measure m ON m.id = l.measure_id"
	" JOIN row_question rq ON rq.row_id = m.row_id WHERE rq.question_id = ?1 AND l.state <> 'rejected')"
	" ORDER BY d.id";

json_t *coverage_json(sqlite3 *db, int year, char *err)
{
	sqlite3_stmt *is = NULL, *ms = NULL, *md = NULL, *qs = NULL, *qd = NULL;
	json_t *out = NULL;
	if (sqlite3_prepare_v2(db, "SELECT id, number, title FROM plan_issue WHERE year = ?1 ORDER BY number", -1, &is, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT id, position, text FROM measure WHERE issue_id = ?1 ORDER BY position", -1, &ms, NULL) ||
	    sqlite3_prepare_v2(db, sql_measure_docs, -1, &md, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT id, code, text FROM question WHERE year = ?1"
				   " ORDER BY substr(code, 1, 1), CAST(substr(code, 2) AS INTEGER)", -1, &qs, NULL) ||
	    sqlite3_prepare_v2(db, sql_question_docs, -1, &qd, NULL)) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto done;
	}
	long long mt = 0, mb = 0, qt = 0, qb = 0;
	json_t *issues = json_array(), *questions = json_array();
	sqlite3_bind_int(is, 1, year);
	while (sqlite3_step(is) == SQLITE_ROW) {
		int number = sqlite3_column_int(is, 1);
		long long it = 0, ib = 0;
		json_t *ma = json_array();
		sqlite3_bind_int64(ms, 1, sqlite3_column_int64(is, 0));
		while (sqlite3_step(ms) == SQLITE_ROW) {
			char code[32];
			snprintf(code, sizeof code, "%d.%d", number, sqlite3_column_int(ms, 1));
			sqlite3_bind_int64(md, 1, sqlite3_column_int64(ms, 0));
			sqlite3_bind_int(md, 2, year);
			json_t *docs = documents(md);
			int backed = json_array_size(docs) > 0;
			it++;
			ib += backed;
			json_array_append_new(ma, json_pack("{s:s, s:s, s:b, s:o}", "code", code,
							    "text", (const char *)sqlite3_column_text(ms, 2),
							    "backed", backed, "documents", docs));
		}
		sqlite3_reset(ms);
		mt += it;
		mb += ib;
		json_array_append_new(issues, json_pack("{s:i, s:s, s:I, s:I, s:o}", "number", number,
							"title", (const char *)sqlite3_column_text(is, 2),
							"measures_total", (json_int_t)it, "measures_backed", (json_int_t)ib,
							"measures", ma));
	}
	sqlite3_bind_int(qs, 1, year);
	while (sqlite3_step(qs) == SQLITE_ROW) {
		sqlite3_bind_int64(qd, 1, sqlite3_column_int64(qs, 0));
		sqlite3_bind_int(qd, 2, year);
		json_t *docs = documents(qd);
		int backed = json_array_size(docs) > 0;
		qt++;
		qb += backed;
		json_array_append_new(questions, json_pack("{s:s, s:s, s:b, s:o}",
							   "code", (const char *)sqlite3_column_text(qs, 1),
							   "text", (const char *)sqlite3_column_text(qs, 2),
							   "backed", backed, "documents", docs));
	}
	out = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "year", year, "rule", COVERAGE_RULE,
			"measures_total", (json_int_t)mt, "measures_backed", (json_int_t)mb,
			"questions_total", (json_int_t)qt, "questions_backed", (json_int_t)qb,
			"issues", issues, "questions", questions);
done:
	sqlite3_finalize(is);
	sqlite3_finalize(ms);
	sqlite3_finalize(md);
	sqlite3_finalize(qs);
	sqlite3_finalize(qd);
	return out;
}
