/*
 * suggest: rank a year's measures for a document, so that staff confirm a
 * link instead of hunting for it (`lakthan suggest`, GET
 * /api/documents/{id}/suggestions).
 *
 * Each measure's words (and, with half the weight, the results and outcomes
 * of its plan row) become one FTS5 OR-query run against the document's row
 * of the search index: BM25 over the archive's statistics decides how much
 * each shared word counts, so words every document has count little. The
 * score is divided by the square root of the query's word count so long
 * measures do not win by length alone. docs/SEARCH.md ("Link suggestions")
 * has the measured accuracy.
 */
#ifndef LAKTHAN_SUGGEST_H
#define LAKTHAN_SUGGEST_H
#include <sqlite3.h>
#include <jansson.h>

/*
 * {"document":id,"year":Y,"evidence_date":"2024-03-01"|null,
 *  "proposed_year":Y|null,
 *  "suggestions":[{"code":"1.2","text":..,"score":s,"linked":bool}]}
 * best first, at most limit, only measures sharing a word with the
 * document. year 0: the document's year when it has a plan, else the newest
 * plan. NULL with err (no such document, no plan, database error).
 */
json_t *suggest_json(sqlite3 *db, sqlite3_int64 doc, int year, int limit, char *err);

#endif
