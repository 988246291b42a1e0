/* http_search: GET /healthz, /api/years and /api/search. */
#include "lakthan/http.h"
#include "lakthan/search.h"

#include <stdlib.h>
#include <string.h>

/* GET /healthz → {"ok":true}, without authentication. */
enum MHD_Result http_healthz(struct http_req *rq)
{
	static const char body[] = "{\"ok\":true}";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	return http_respond(rq, 200, r, sizeof body - 1);
}

/* GET /api/years → {"years":[2567,...]}: years with a plan or documents. */
enum MHD_Result http_years(struct http_req *rq)
{
	sqlite3 *db = http_db();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT year FROM document WHERE year IS NOT NULL AND withdrawn_at IS NULL"
			       " UNION SELECT year FROM plan_issue ORDER BY 1 DESC", -1, &st, NULL) != SQLITE_OK)
		return http_error(rq, 500, "internal", "database: %s", sqlite3_errmsg(db));
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_integer(sqlite3_column_int(st, 0)));
	sqlite3_finalize(st);
	return http_json(rq, 200, json_pack("{s:o}", "years", a));
}

/* An integer query argument in [lo, hi], def when absent, -1 when bad. */
static long long int_arg(struct http_req *rq, const char *name, long long lo, long long hi, long long def)
{
	const char *v = http_arg(rq, name);
	if (!v || !*v)
		return def;
	char *end;
	long long n = strtoll(v, &end, 10);
	return (*end || n < lo || n > hi) ? -1 : n;
}

/* GET /api/search?q=&year=&question=&measure=&mime=&limit=&offset= → the
 * object of `lakthan search --json`. */
enum MHD_Result http_search(struct http_req *rq)
{
	struct search_request sr;
	char err[LK_ERRLEN];
	memset(&sr, 0, sizeof sr);
	sr.kind = SEARCH_INDEX_THAI_GRAMS;
	sr.q = http_arg(rq, "q");
	if (!sr.q)
		sr.q = "";
	const char *y = http_arg(rq, "year");
	if (y && *y) {
		sr.year = lk_parse_year(y, err);
		if (sr.year < 0)
			return http_error(rq, 400, "bad_year", "year: %s", err);
	}
	const char *q = http_arg(rq, "question"), *m = http_arg(rq, "measure");
	sr.question = q && *q ? q : NULL;
	sr.measure = m && *m ? m : NULL;
	const char *t = http_arg(rq, "mime");
	if (!t || !*t)
		t = http_arg(rq, "type");
	if (t && *t) {
		if (!search_type_mime(t))
			return http_error(rq, 400, "bad_type", "unknown type '%.64s': use pdf, docx, xlsx, pptx, odt, ods, odp, html, txt, image or zip", t);
		sr.type = t;
	}
	long long limit = int_arg(rq, "limit", 1, SEARCH_MAX_LIMIT, 20);
	long long offset = int_arg(rq, "offset", 0, 1000000000, 0);
	if (limit < 0)
		return http_error(rq, 400, "bad_limit", "limit must be a number from 1 to %d", SEARCH_MAX_LIMIT);
	if (offset < 0)
		return http_error(rq, 400, "bad_offset", "offset must be a number from 0");
	sr.limit = (int)limit;
	sr.offset = (int)offset;
	if (!*sr.q && !sr.year && !sr.type && !sr.question && !sr.measure)
		return http_error(rq, 400, "bad_query", "what to look for? give q or a filter");
	json_t *out = NULL;
	enum search_status s = search_run(http_db(), &sr, &out, err);
	if (s == SEARCH_BAD_QUERY)
		return http_error(rq, 400, "bad_query", "%s", err);
	if (s != SEARCH_OK)
		return http_error(rq, 500, "internal", "search failed: %s", err);
	return http_json(rq, 200, out);
}
