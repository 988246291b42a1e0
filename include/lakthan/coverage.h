/*
 * coverage: which measures and questions of a year's plan are backed by
 * evidence — the object of `lakthan coverage --json` and GET /api/coverage.
 *
 * The rule (COVERAGE_RULE, shown wherever coverage is): a measure is backed
 * in year Y when at least one document of year Y, not withdrawn, is linked
 * to it and no assessor rejected that link; a question is backed when such
 * a document is linked to it, or to a measure whose plan row cites it.
 */
#ifndef LAKTHAN_COVERAGE_H
#define LAKTHAN_COVERAGE_H
#include <sqlite3.h>
#include <jansson.h>

#define COVERAGE_RULE \
	"a measure is backed in year Y when at least one document of year Y is linked to it " \
	"and no assessor rejected that link; a question is backed when such a document is " \
	"linked to it or to a measure whose plan row cites it"

/*
 * {"year":Y,"rule":..,"measures_total":n,"measures_backed":n,
 *  "questions_total":n,"questions_backed":n,
 *  "issues":[{number,title,measures_total,measures_backed,
 *             measures:[{code,text,backed,documents:[{id,title}]}]}],
 *  "questions":[{code,text,backed,documents:[{id,title}]}]}
 * NULL with err on a database error.
 */
json_t *coverage_json(sqlite3 *db, int year, char *err);

/* Whole percent of part in total, rounded down so that 100 only shows when
 * nothing is missing. */
int coverage_percent(long long part, long long total);

#endif
