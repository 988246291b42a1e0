/*
 * plan: a fiscal year's ITA plan (issues, rows, findings, measures, results,
 * outcomes, questions), the embedded question catalog, the parser of the
 * measures report (src/plan_import.c) and plan editing (src/plan_edit.c).
 *
 * The model is in schema/003-plan.sql. A measure's code is
 * "<issue number>.<position>"; measures are keyed by (issue, position) so a
 * corrected report updates them in place and their links stay.
 *
 * Which catalog year a plan uses: a plan for fiscal year Y answers the ITA
 * assessment of the year before (the seed report of 2567 analyses ITA 2566),
 * so question codes are looked up in the catalog of Y-1 first, then of Y.
 *
 * Errors follow util.h: -1 with one sentence in err (LK_ERRLEN bytes).
 * plan_measure_id, plan_question_id and the editing functions return the
 * kind (enum lk_fail) instead, as their comments say.
 */
#ifndef LAKTHAN_PLAN_H
#define LAKTHAN_PLAN_H
#include <stddef.h>
#include <sqlite3.h>
#include <jansson.h>

/* ---- question references as reports write them ---- */

enum {
	PLAN_QREF_LETTER_LOST = 1, /* "๑๖": the i/e/o letter is missing */
	PLAN_QREF_ZERO_AS_O = 2,   /* "๐๓๙": a Thai zero typed for the letter o */
};

struct plan_qref {
	char code[16];   /* "e12"; for a lost letter only the digits, "16" */
	char letter;     /* 'i', 'e', 'o', or 0 when lost */
	int number;
	int flags;       /* PLAN_QREF_* */
};

/*
 * Read one question token (e๑๒, I19, ๑๖, ๐๓๙, o 39 is not one token):
 * Thai digits are ASCII digits, case is folded; a leading 0 before two more
 * digits is the letter o. Returns 0, or -1 when tok[0..n) is not a question
 * reference.
 */
int plan_parse_qtoken(const char *tok, size_t n, struct plan_qref *out);

/*
 * The question references written inside a sentence after "อ้างอิง"
 * ("(อ้างอิงจาก ๐๓๙ - ๐๔๑)", "อ้างอิง i19, i20"): ranges are expanded
 * (o39, o40, o41). Stores at most max into out; returns how many were found.
 */
size_t plan_refs_in_text(const char *text, struct plan_qref *out, size_t max);

/* ---- cells of the report: HTML fragments ---- */

/* The items of one cell: paragraphs (<p>) and the "- " bullets inside them,
 * bullet marks removed and white space folded. */
struct plan_items {
	char **v;
	size_t n;
	char *lead;   /* a wholly bold first line that is not a bullet (the
	               * results cell's status "ดำเนินการแล้วเสร็จ"), or NULL */
};

/* Split a cell (HTML fragment, UTF-8) into items with libxml2's HTML parser.
 * split_codes: also start a new item at a question code after two spaces
 * (the questions cell written without <p>). */
void plan_cell_items(const char *cell, size_t n, int split_codes, struct plan_items *out);
void plan_items_release(struct plan_items *it);

/* All the text of a cell, white space folded (the issue cell); caller frees. */
char *plan_cell_text(const char *cell, size_t n);

/* ---- the catalog (schema/ita-questions.tsv, embedded) ---- */

struct plan_catalog_entry {
	int year;
	char code[16];
	char instrument[16];
	char indicator[256];
	char text[1024];
	char source[512];
};

/* The catalog entry of (year, code); 0 found, -1 not there. */
int plan_catalog_find(int year, const char *code, struct plan_catalog_entry *out);

/* The entry a plan of plan_year uses for code: catalog year plan_year-1,
 * then plan_year. 0 found, -1 not there. */
int plan_catalog_for_plan(int plan_year, const char *code, struct plan_catalog_entry *out);

/* ---- import ---- */

struct plan_warning {
	int line;
	char *msg;
};

struct plan_import_result {
	int year;
	int issues;
	int measures;
	int changes;                 /* database rows written: 0 = nothing changed */
	char **questions;            /* the codes the plan cites, sorted */
	size_t nquestions;
	struct plan_warning *warnings;
	size_t nwarnings;
};

/*
 * Import a measures report (the format of docs/examples/): year 0 takes the
 * year from the report's title ("ประจำปีงบประมาณ พ.ศ.๒๕๖๗"). All or nothing,
 * in one transaction; a malformed file gives "line N: ..." in err. A measure
 * that has evidence and is missing from the new report is refused unless
 * force (its links are then removed). An import that changes anything
 * appends one audit record ("plan.import", object "plan:YEAR": the file's
 * SHA-256, the counts, the rows written and the measures removed with their
 * links) in the same transaction; an identical re-import writes nothing.
 * The caller releases *res with plan_import_result_release() whatever the
 * result: a failed import may still hold the warnings read before it
 * failed (found by fuzzing), and releasing an empty result is harmless.
 */
int plan_import_buffer(sqlite3 *db, const char *data, size_t n, int year, int force, const char *actor,
		       struct plan_import_result *res, char *err);
int plan_import_file(sqlite3 *db, const char *path, int year, int force, const char *actor,
		     struct plan_import_result *res, char *err);
void plan_import_result_release(struct plan_import_result *res);

/* ---- queries ---- */

/* Parse a measure code "1.2" (Thai digits allowed): 0 with issue and pos. */
int plan_parse_measure_code(const char *code, int *issue, int *pos, char *err);

/* The id of measure code in year's plan; with a clear err, LK_BAD_INPUT
 * (not a measure code), LK_NO_PLAN (year has no plan), LK_NOT_FOUND (the
 * plan has no such measure) or LK_INTERNAL. */
int plan_measure_id(sqlite3 *db, int year, const char *code, sqlite3_int64 *id, char *err);

/* The id of question code in year's plan, adding it from the catalog when
 * the plan does not cite it yet; LK_UNKNOWN_QUESTION with err when neither
 * knows it, LK_INTERNAL when the database fails. */
int plan_question_id(sqlite3 *db, int year, const char *code, sqlite3_int64 *id, char *err);

/* The newest year that has a plan, or 0. */
int plan_latest_year(sqlite3 *db);

/* 1 when year has a plan (at least one issue). */
int plan_year_exists(sqlite3 *db, int year);

/* The plan object of GET /api/plan: {"year":Y,"issues":[{number,title,rows:
 * [{questions:[{code,text}],findings,measures:[{code,text}],status,results,
 * outcomes,unresolved}]}]}; NULL with err on a database error. */
json_t *plan_json(sqlite3 *db, int year, char *err);

/* ---- editing (src/plan_edit.c): each runs in its own transaction and
 * appends its audit record there (actor: who did it, "cli:<user>" or the
 * account name; object "plan:YEAR").
 *
 * Each returns 0, or with err: LK_BAD_INPUT (an empty or non-UTF-8 text,
 * a malformed measure or question code), LK_NOT_FOUND (no such issue or
 * measure), LK_NO_PLAN (the year, or `from`, has no plan), LK_CONFLICT
 * (the issue or the `to` plan exists already, the measure has evidence
 * links), LK_UNKNOWN_QUESTION (a code the catalog lacks) or LK_INTERNAL
 * (the database or the audit record failed). ---- */

int plan_issue_add(sqlite3 *db, int year, int number, const char *title, const char *actor, char *err);
int plan_issue_rename(sqlite3 *db, int year, int number, const char *title, const char *actor, char *err);
/* Append a measure to the issue's last row (a new row when it has none);
 * the new code into code_out[16]. */
int plan_measure_add(sqlite3 *db, int year, int issue, const char *text, char code_out[16], const char *actor,
		     char *err);
int plan_measure_edit(sqlite3 *db, int year, const char *code, const char *text, const char *actor, char *err);
/* Refused while the measure has links, unless force (the links go too);
 * *links_removed gets how many. */
int plan_measure_delete(sqlite3 *db, int year, const char *code, int force, int *links_removed, const char *actor,
			char *err);
/* Replace the questions cited by the row of measure code. */
int plan_measure_set_questions(sqlite3 *db, int year, const char *code, char **codes, size_t n, const char *actor,
			       char *err);
/* Start year `to` from the plan of `from`: issues, rows, texts, measures and
 * questions copied, no links (lesson 18). Refused when `to` has a plan. */
int plan_copy_year(sqlite3 *db, int from, int to, const char *actor, char *err);

#endif
