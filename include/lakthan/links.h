/*
 * links: a document backs a measure, or supports an ITA question directly.
 * Each link records who made it and when, and has its own state: "linked"
 * by staff, then "accepted" or "rejected" by an assessor with a comment
 * (lesson 15 of ANCHORS.md). A rejected link stays, visible, but backs
 * nothing.
 *
 * Errors follow util.h. links_set() and links_review() run inside the
 * caller's write transaction (BEGIN IMMEDIATE) and append the audit record
 * of each change there ("link", "unlink", "link.review"; who is the actor).
 */
#ifndef LAKTHAN_LINKS_H
#define LAKTHAN_LINKS_H
#include <sqlite3.h>
#include <jansson.h>

enum link_kind { LINK_MEASURE, LINK_QUESTION };

/* What a link points at, resolved in the plan of a year. */
struct link_target {
	enum link_kind kind;
	const char *code;      /* "1.2" or "i19" (normalised by the caller) */
};

enum link_result {
	LINK_ADDED = 0,
	LINK_EXISTED = 1,      /* nothing to do */
	LINK_REMOVED = 2,
	LINK_ABSENT = 3,       /* --remove of a link that is not there */
};

/* The document's year (0 when it has none); -1 with err when there is no
 * such document. */
int links_document_year(sqlite3 *db, sqlite3_int64 doc, int *year, char *err);

/* Add (remove=0) or remove the link of doc to target in year's plan;
 * *result says what happened. -1 with err: no such document, measure or
 * question. */
int links_set(sqlite3 *db, sqlite3_int64 doc, int year, const struct link_target *t, int remove,
	      const char *who, enum link_result *result, char *err);

/* An assessor's review: state "accepted" or "rejected", with a comment. */
int links_review(sqlite3 *db, sqlite3_int64 doc, int year, const struct link_target *t, const char *state,
		 const char *comment, const char *who, char *err);

/* The plan a document of doc_year links into when the caller names none:
 * doc_year when it has a plan, else the newest plan; 0 when there is none. */
int links_default_year(sqlite3 *db, int doc_year);

/* Check, without writing, that t exists in year's plan (a question also
 * when the ITA catalog has it): a negative enum lk_fail with a clear err
 * when it does not (LK_NO_PLAN, LK_NOT_FOUND, LK_UNKNOWN_QUESTION, as
 * plan_measure_id() and plan_question_id() say). */
int links_check(sqlite3 *db, int year, const struct link_target *t, char *err);

/* Link doc to each of t[0..n) in one transaction of its own (existing
 * links stay as they are). */
int links_add_all(sqlite3 *db, sqlite3_int64 doc, int year, const struct link_target *t, size_t n, const char *who,
		  char *err);

/* The links of a document: [{"measure":"1.2"|"question":"i19","year":Y,
 * "state":..,"linked_by":..,"linked_at":..,"reviewed_by":..,"comment":..}]. */
json_t *links_of_document(sqlite3 *db, sqlite3_int64 doc, char *err);

#endif
