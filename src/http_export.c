/*
 * http_export: GET /api/export?year=Y — the yearly bundle streamed as it is
 * made (bundle_export_next() pulled by libmicrohttpd's content reader), so
 * the service never holds the ZIP in memory or on disk. The stream state is
 * freed by the response's free callback, which libmicrohttpd runs however
 * the connection ends: finished, or cut by a client that went away.
 */
#include "lakthan/http.h"
#include "lakthan/audit.h"
#include "lakthan/bundle.h"
#include "lakthan/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct export_stream {
	struct bundle_export *x;
	const char *p;      /* the piece being sent */
	size_t n, off;
	int done;
	int year;
};

/* Content reader: copy out of the current piece, pulling the next when it
 * is used up. An error mid-stream ends the response unfinished, so the
 * client can tell that the ZIP is incomplete. */
static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct export_stream *s = cls;
	while (s->off == s->n) {
		if (s->done)
			return MHD_CONTENT_READER_END_OF_STREAM;
		const void *p;
		size_t n;
		char err[LK_ERRLEN];
		int r = bundle_export_next(s->x, &p, &n, err);
		if (r < 0) {
			fprintf(stderr, "lakthan: serve: export %d stopped: %s\n", s->year, err);
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		s->done = r == 0;
		s->p = p;
		s->n = n;
		s->off = 0;
	}
	size_t k = s->n - s->off < max ? s->n - s->off : max;
	memcpy(out, s->p + s->off, k);
	s->off += k;
	return (ssize_t)k;
}

/* The response is gone (sent, or the client left): drop the stream. */
static void stream_free(void *cls)
{
	struct export_stream *s = cls;
	bundle_export_free(s->x);
	free(s);
}

/* GET /api/export?year=Y → application/zip (archivist, admin). */
enum MHD_Result http_export(struct http_req *rq)
{
	char err[LK_ERRLEN];
	const char *ys = http_arg(rq, "year");
	if (!ys)
		return http_error(rq, 400, "bad_year", "year=Y (the fiscal year, B.E.) is required");
	int year = lk_parse_year(ys, err);
	if (year < 0)
		return http_error(rq, 400, "bad_year", "%s", err);
	struct datadir *dd = http_datadir();
	if (!dd)
		return http_error(rq, 503, "unavailable", "the archive cannot be opened");
	struct bundle_opts o = {year, getenv("LAKTHAN_ORGANIZATION"), rq->who.name};
	struct bundle_export *x;
	int usage = 0;
	if (bundle_export_begin(dd->db, &dd->blobs, &o, &x, &usage, err) != 0) {
		if (usage)
			return http_error(rq, 404, "not_found", "%s", err);
		return http_error(rq, 500, "missing_file", "%s", err);
	}
	char object[32];
	snprintf(object, sizeof object, "year:%d", year);
	json_t *d = json_pack("{s:i, s:I, s:s}", "year", year, "documents", (json_int_t)bundle_export_documents(x),
			      "via", "http");
	int ar = audit_record(dd->db, rq->who.name, "export", object, d, err);
	json_decref(d);
	if (ar != 0) {
		bundle_export_free(x);
		return http_error(rq, 503, "unavailable", "cannot record the export in the audit log");
	}
	struct export_stream *s = lk_calloc(1, sizeof *s);
	s->x = x;
	s->year = year;
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, reader, s, stream_free);
	if (!r) {
		stream_free(s);
		return MHD_NO;
	}
	char cd[96];
	snprintf(cd, sizeof cd, "attachment; filename=\"ita-%d.zip\"", year);
	MHD_add_response_header(r, "Content-Type", "application/zip");
	MHD_add_response_header(r, "Content-Disposition", cd);
	return http_respond(rq, 200, r, 0);
}
