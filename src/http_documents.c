/*
 * http_documents: upload (multipart, streamed into the blob store), metadata,
 * the original file, its text, metadata edits, versions (supersede),
 * withdrawal and purge.
 *
 * An upload keeps every file part in its own blob writer (a temp file) until
 * the whole body has arrived and parsed; only then are the blobs committed
 * and the documents recorded. So a client that disconnects, or a body that
 * turns out malformed, leaves nothing: the writers are aborted in
 * http_upload_free(), which the completion callback always runs.
 */
#include "lakthan/http.h"
#include "lakthan/audit.h"
#include "lakthan/db.h"
#include "lakthan/links.h"
#include "lakthan/names.h"
#include "lakthan/plan.h"
#include "lakthan/search.h"
#include "lakthan/versions.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define UPLOAD_MAX_TARGETS 32   /* measure and question fields of one upload */

struct upload_part {
	struct blob_writer *w;
	char *filename;              /* as the client sent it */
};

struct http_upload {
	struct MHD_PostProcessor *pp;
	struct upload_part parts[HTTP_MAX_FILES];
	size_t nparts;
	int in_file;                 /* the last data was of a file part */
	uint64_t total;
	struct buf year, title, description, supersedes;
	char last_key[32];
	char tkind[UPLOAD_MAX_TARGETS];           /* 'm' measure, 'q' question fields */
	char tval[UPLOAD_MAX_TARGETS][64];        /* their values as sent */
	size_t ntargets;
};

/* Post processor callback: file parts into blob writers, fields into bufs. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding,
			       const char *data, uint64_t off, size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	struct http_req *rq = cls;
	struct http_upload *u = rq->upload;
	char err[LK_ERRLEN];
	if (rq->err_status)
		return MHD_NO;
	u->total += size;
	if (u->total > http_ingest_opts()->max_file && u->total > 0) {
		http_fail(rq, 413, "too_large", "a file is larger than the limit");
		return MHD_NO;
	}
	if (strcmp(key, "file") == 0) {
		struct upload_part *cur = u->nparts ? &u->parts[u->nparts - 1] : NULL;
		int fresh = off == 0 && (!cur || !u->in_file || blob_writer_size(cur->w) > 0 ||
					 strcmp(cur->filename, filename ? filename : "") != 0);
		if (fresh) {
			if (u->nparts == HTTP_MAX_FILES) {
				http_fail(rq, 413, "too_many_files", "at most %d files in one upload", HTTP_MAX_FILES);
				return MHD_NO;
			}
			cur = &u->parts[u->nparts];
			if (blob_writer_begin(&http_datadir()->blobs, &cur->w, err) != 0) {
				http_fail(rq, 503, "storage", "cannot store the upload: %s", err);
				return MHD_NO;
			}
			cur->filename = lk_strdup(filename ? filename : "");
			u->nparts++;
		}
		u->in_file = 1;
		if (size && blob_writer_write(cur->w, data, size, err) != 0) {
			http_fail(rq, 507, "storage_full", "cannot store the upload: %s", err);
			return MHD_NO;
		}
		return MHD_YES;
	}
	u->in_file = 0;
	struct buf *b = strcmp(key, "year") == 0 ? &u->year : strcmp(key, "title") == 0 ? &u->title
		      : strcmp(key, "description") == 0 ? &u->description
		      : strcmp(key, "supersedes") == 0 ? &u->supersedes : NULL;
	if (!b && (strcmp(key, "measure") == 0 || strcmp(key, "question") == 0)) {
		/* a value may come in pieces: off 0 starts the next one */
		if (off == 0) {
			if (u->ntargets == UPLOAD_MAX_TARGETS) {
				http_fail(rq, 400, "too_many_links", "at most %d measure and question fields", UPLOAD_MAX_TARGETS);
				return MHD_NO;
			}
			u->tkind[u->ntargets++] = key[0];
		}
		char *v = u->tval[u->ntargets - 1];
		size_t have = strlen(v);
		if (have + size >= sizeof u->tval[0]) {
			http_fail(rq, 400, "bad_field", "a %s field is longer than %zu bytes", key, sizeof u->tval[0] - 1);
			return MHD_NO;
		}
		memcpy(v + have, data, size);
		v[have + size] = '\0';
		return MHD_YES;
	}
	if (!b)
		return MHD_YES;   /* unknown fields are ignored */
	if (off == 0)
		buf_release(b);
	if (buf_append(b, data, size) != 0) {
		http_fail(rq, 413, "too_large", "the field %s is longer than %d bytes", key, HTTP_MAX_FIELD);
		return MHD_NO;
	}
	return MHD_YES;
}

int http_upload_begin(struct http_req *rq)
{
	struct http_upload *u = lk_calloc(1, sizeof *u);
	buf_init(&u->year, 32);
	buf_init(&u->title, HTTP_MAX_FIELD);
	buf_init(&u->description, HTTP_MAX_FIELD);
	buf_init(&u->supersedes, 32);
	rq->upload = u;
	const char *ct = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Content-Type");
	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
		http_fail(rq, 400, "bad_multipart", "an upload must be multipart/form-data with file parts");
		return -1;
	}
	u->pp = MHD_create_post_processor(rq->conn, 64 * 1024, on_part, rq);
	if (!u->pp) {
		http_fail(rq, 400, "bad_multipart", "cannot read the multipart body (no boundary?)");
		return -1;
	}
	return 0;
}

int http_upload_data(struct http_req *rq, const char *data, size_t size)
{
	struct http_upload *u = rq->upload;
	if (!u || !u->pp || rq->err_status)
		return -1;
	if (MHD_post_process(u->pp, data, size) != MHD_YES) {
		http_fail(rq, 400, "bad_multipart", "the multipart body is malformed");
		return -1;
	}
	return 0;
}

void http_upload_free(struct http_req *rq)
{
	struct http_upload *u = rq->upload;
	if (!u)
		return;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	for (size_t i = 0; i < u->nparts; i++) {
		if (u->parts[i].w)
			blob_writer_abort(u->parts[i].w);
		free(u->parts[i].filename);
	}
	buf_release(&u->year);
	buf_release(&u->title);
	buf_release(&u->description);
	buf_release(&u->supersedes);
	free(u);
	rq->upload = NULL;
}

/* Valid UTF-8 text of a form field, or NULL when absent. */
static const char *field(struct buf *b)
{
	return b->len ? b->data : NULL;
}

/* A document id as the client sent it: a positive integer, else 0. */
static long long parse_id(const char *s)
{
	char *end;
	errno = 0;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	return (!s || !*s || *end || errno || v <= 0) ? 0 : v;
}

/* The answer to a refused supersede or purge. */
static enum MHD_Result versions_error(struct http_req *rq, enum versions_result vr, const char *err)
{
	switch (vr) {
	case VERSIONS_NOT_FOUND: return http_error(rq, 422, "unknown_document", "%s", err);
	case VERSIONS_INVALID: return http_error(rq, 422, "bad_supersedes", "%s", err);
	case VERSIONS_CONFLICT: return http_error(rq, 409, "conflict", "%s", err);
	default: return http_error(rq, 500, "internal", "%s", err);
	}
}

/* POST /api/documents: multipart with file parts (and year, title,
 * description, measure and question, repeatable) → 201
 * {"documents":[...],"rejected":[...]}; each stored or duplicate document
 * is linked to every measure and question given. */
enum MHD_Result http_document_upload(struct http_req *rq)
{
	struct http_upload *u = rq->upload;
	char err[LK_ERRLEN];
	enum MHD_Result ret;
	/* flush the last part; a body cut short or malformed fails here */
	enum MHD_Result fin = MHD_destroy_post_processor(u->pp);
	u->pp = NULL;
	if (rq->err_status)
		return http_error(rq, rq->err_status, rq->err_code, "%s", rq->err_msg);
	if (fin != MHD_YES)
		return http_error(rq, 400, "bad_multipart", "the multipart body is malformed or incomplete");
	if (u->nparts == 0)
		return http_error(rq, 400, "no_file", "no file part: send each file as a part named \"file\"");
	struct ingest_opts o = *http_ingest_opts();
	o.uploaded_by = rq->who.name;
	const char *y = field(&u->year);
	if (y) {
		o.year = lk_parse_year(y, err);
		if (o.year < 0)
			return http_error(rq, 400, "bad_year", "year: %s", err);
	}
	o.title = field(&u->title);
	o.description = field(&u->description);
	if ((o.title && !lk_utf8_valid(o.title, strlen(o.title))) ||
	    (o.description && !lk_utf8_valid(o.description, strlen(o.description))))
		return http_error(rq, 400, "bad_text", "title and description must be UTF-8");
	if (o.title && !*o.title)
		o.title = NULL;
	/* supersedes: one new version of one document, checked before anything
	 * is stored; ingest re-checks it in the insert's transaction */
	const char *sup = field(&u->supersedes);
	if (sup) {
		o.supersedes = parse_id(sup);
		if (!o.supersedes)
			return http_error(rq, 400, "bad_supersedes", "supersedes must be a document id (a positive integer)");
		if (u->nparts != 1)
			return http_error(rq, 400, "bad_supersedes", "supersedes names the document one file replaces: send one file part");
		enum versions_result vr = versions_check(http_db(), 0, o.supersedes, err);
		if (vr != VERSIONS_OK)
			return versions_error(rq, vr, err);
	}
	/* measure and question fields: every one must exist in the plan before
	 * anything is stored, so a typo never leaves an unlinked upload */
	struct link_target targets[UPLOAD_MAX_TARGETS];
	char codes[UPLOAD_MAX_TARGETS][16];
	int lyear = 0;
	sqlite3 *db = http_db();
	if (u->ntargets) {
		lyear = links_default_year(db, o.year);
		if (!lyear)
			return http_error(rq, 422, "no_plan", "there is no plan to link the upload to (an admin imports one first)");
	}
	for (size_t k = 0; k < u->ntargets; k++) {
		int is, pos;
		if (u->tkind[k] == 'm') {
			if (plan_parse_measure_code(u->tval[k], &is, &pos, err) != 0)
				return http_error(rq, 400, "bad_measure", "measure: %s", err);
			snprintf(codes[k], sizeof codes[k], "%d.%d", is, pos);
		} else if (search_question_code(u->tval[k], codes[k], err) != 0) {
			return http_error(rq, 400, "bad_question", "question: %s", err);
		}
		targets[k].kind = u->tkind[k] == 'm' ? LINK_MEASURE : LINK_QUESTION;
		targets[k].code = codes[k];
		if (links_check(db, lyear, &targets[k], err) != 0)
			return http_error(rq, 422, u->tkind[k] == 'm' ? "unknown_measure" : "unknown_question", "%s", err);
	}
	json_t *docs = json_array(), *rejected = json_array();
	struct datadir *dd = http_datadir();
	for (size_t i = 0; i < u->nparts; i++) {
		struct upload_part *p = &u->parts[i];
		const char *given = p->filename;
		char hex[65];
		uint64_t size;
		int existed;
		const char *why = NULL;
		if (!*given || !lk_utf8_valid(given, strlen(given)))
			why = "the file part has no file name, or one that is not UTF-8";
		else if (blob_writer_size(p->w) == 0)
			why = "empty file (0 bytes): nothing to keep as evidence";
		if (why) {
			blob_writer_abort(p->w);
			p->w = NULL;
			json_array_append_new(rejected, json_pack("{s:s?, s:s}", "filename",
				lk_utf8_valid(given, strlen(given)) ? given : NULL, "error", why));
			continue;
		}
		int crc = blob_writer_commit(p->w, hex, &size, &existed, err);
		p->w = NULL;
		if (crc != 0) {
			json_array_append_new(rejected, json_pack("{s:s, s:s}", "filename", given, "error", err));
			continue;
		}
		char *clean = names_clean_basename(given);
		struct ingest_item it;
		ingest_blob(dd, &o, clean, hex, size, &it);
		if (it.outcome == INGEST_REJECTED) {
			json_array_append_new(rejected, json_pack("{s:s, s:s}", "filename", clean, "error", it.error));
		} else {
			if (it.outcome == INGEST_ADDED && strcmp(it.text_status, "pending") == 0)
				http_extract_enqueue(it.id);
			/* bytes the archive holds already: that document becomes the new version */
			if (it.outcome == INGEST_DUPLICATE && o.supersedes) {
				enum versions_result vr = versions_supersede_tx(db, it.id, o.supersedes, rq->who.name, err);
				if (vr != VERSIONS_OK) {
					free(clean);
					json_decref(docs);
					json_decref(rejected);
					return versions_error(rq, vr, err);
				}
			}
			if (u->ntargets && links_add_all(db, it.id, lyear, targets, u->ntargets, rq->who.name, err) != 0)
				fprintf(stderr, "lakthan: serve: links of document %lld: %s\n", it.id, err);
			char *stem = names_stem(clean);
			json_array_append_new(docs, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s}",
				"id", (json_int_t)it.id, "sha256", it.sha256, "size", (json_int_t)it.size,
				"mime", it.mime, "filename", clean, "title", o.title ? o.title : stem,
				"status", ingest_outcome_name(it.outcome), "text_status", it.text_status));
			free(stem);
		}
		free(clean);
	}
	if (json_array_size(docs) == 0) {
		json_t *e = json_pack("{s:{s:s, s:s}, s:o}", "error", "code", "rejected", "message",
				      "no file could be stored", "rejected", rejected);
		json_decref(docs);
		return http_json(rq, 422, e);
	}
	ret = http_json(rq, 201, json_pack("{s:o, s:o}", "documents", docs, "rejected", rejected));
	return ret;
}

/* The document's metadata as the contract's object, or NULL when there is
 * no such document. */
static json_t *document_json(sqlite3 *db, long long id)
{
	sqlite3_stmt *st;
	json_t *o = NULL;
	if (sqlite3_prepare_v2(db, "SELECT id, title, description, filename, mime, size, sha256, year, uploaded_by,"
			       " uploaded_at, text_status, text_chars, withdrawn_at, withdrawn_reason, evidence_date,"
			       " supersedes, (SELECT s.id FROM document s WHERE s.supersedes = document.id),"
			       " purged_at, purged_by, purged_reason"
			       " FROM document WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		o = json_object();
		static const char *const names[] = {"id", "title", "description", "filename", "mime", "size", "sha256",
			"year", "uploaded_by", "uploaded_at", "text_status", "text_chars", "withdrawn_at", "withdrawn_reason",
			"evidence_date", "supersedes", "superseded_by", "purged_at", "purged_by", "purged_reason"};
		for (int i = 0; i < 20; i++) {
			int t = sqlite3_column_type(st, i);
			json_t *v = t == SQLITE_NULL ? json_null()
				  : t == SQLITE_INTEGER ? json_integer(sqlite3_column_int64(st, i))
				  : json_string((const char *)sqlite3_column_text(st, i));
			json_object_set_new(o, names[i], v ? v : json_null());
		}
	}
	sqlite3_finalize(st);
	if (!o)
		return NULL;
	/* the links of the plan module (schema 003), read straight from its tables */
	json_t *measures = json_array(), *questions = json_array();
	if (sqlite3_prepare_v2(db, "SELECT i.number || '.' || m.position FROM document_link l"
			       " JOIN measure m ON m.id = l.measure_id JOIN plan_issue i ON i.id = m.issue_id"
			       " WHERE l.document_id = ? ORDER BY i.number, m.position", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(measures, json_string((const char *)sqlite3_column_text(st, 0)));
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(db, "SELECT q.code FROM document_link l JOIN question q ON q.id = l.question_id"
			       " WHERE l.document_id = ? ORDER BY q.code", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(questions, json_string((const char *)sqlite3_column_text(st, 0)));
		sqlite3_finalize(st);
	}
	json_object_set_new(o, "measures", measures);
	json_object_set_new(o, "questions", questions);
	return o;
}

/* Record that rq's user read document id (action: view, download). */
static int audit_read(struct http_req *rq, const char *action)
{
	char object[48], err[LK_ERRLEN];
	snprintf(object, sizeof object, "document:%lld", rq->id);
	if (audit_record(http_db(), rq->who.name, action, object, NULL, err) != 0) {
		fprintf(stderr, "lakthan: serve: audit: %s\n", err);
		return -1;
	}
	return 0;
}

/* GET /api/documents/{id} → its metadata; the view is audited. */
enum MHD_Result http_document_get(struct http_req *rq)
{
	json_t *o = document_json(http_db(), rq->id);
	if (!o)
		return http_error(rq, 404, "not_found", "no document %lld", rq->id);
	if (audit_read(rq, "view") != 0) {
		json_decref(o);
		return http_error(rq, 503, "unavailable", "cannot record the view in the audit log");
	}
	return http_json(rq, 200, o);
}

/* 1 when a browser may show this type inline without running anything. */
static int inline_safe(const char *mime)
{
	static const char *const safe[] = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"};
	for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
		if (strcmp(mime, safe[i]) == 0)
			return 1;
	return 0;
}

/* 1 when the document page may frame this type (?inline=1): PDFs and
 * raster images only; text, HTML, SVG and the rest are never framed. */
static int frameable(const char *mime)
{
	return strcmp(mime, "text/plain") != 0 && inline_safe(mime);
}

/* Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name. */
static char *disposition(const char *kind, const char *name)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, kind);
	buf_puts(&b, "; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		buf_putc(&b, (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' || *p == ';') ? '_' : (char)*p);
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p)) {
			buf_putc(&b, (char)*p);
		} else {
			char h[4];
			snprintf(h, sizeof h, "%%%02X", *p);
			buf_puts(&b, h);
		}
	}
	size_t n;
	return buf_detach(&b, &n);
}

/* GET /api/documents/{id}/file → the original bytes; active types
 * (HTML, SVG, anything not known safe) only as an attachment. */
enum MHD_Result http_document_file(struct http_req *rq)
{
	sqlite3 *db = http_db();
	sqlite3_stmt *st;
	char hex[65] = "", mime[128] = "", *name = NULL;
	int purged = 0;
	if (sqlite3_prepare_v2(db, "SELECT sha256, mime, filename, purged_at IS NOT NULL FROM document WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return http_error(rq, 500, "internal", "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, rq->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(hex, sizeof hex, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(mime, sizeof mime, "%s", (const char *)sqlite3_column_text(st, 1));
		name = lk_strdup((const char *)sqlite3_column_text(st, 2));
		purged = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if (!name)
		return http_error(rq, 404, "not_found", "no document %lld", rq->id);
	if (purged) {
		free(name);
		return http_error(rq, 410, "purged", "the file of document %lld was purged by an admin (see its audit)", rq->id);
	}
	char *path = blobstore_path(&http_datadir()->blobs, hex);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		free(name);
		return http_error(rq, 500, "missing_file", "the stored file of document %lld cannot be read (run lakthan verify)", rq->id);
	}
	if (audit_read(rq, "download") != 0) {
		close(fd);
		free(name);
		return http_error(rq, 503, "unavailable", "cannot record the download in the audit log");
	}
	struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
	if (!r) {
		close(fd);
		free(name);
		return MHD_NO;
	}
	char *cd = disposition(inline_safe(mime) ? "inline" : "attachment", name);
	const char *il = http_arg(rq, "inline");
	int frame = il && strcmp(il, "1") == 0 && frameable(mime);
	MHD_add_response_header(r, "Content-Type", inline_safe(mime) ? mime : "application/octet-stream");
	MHD_add_response_header(r, "Content-Disposition", cd);
	if (frame) {
		/* the document page shows it in an iframe of our own origin; the
		 * sandbox keeps it from running script as that origin */
		MHD_add_response_header(r, "X-Frame-Options", "SAMEORIGIN");
		MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'; sandbox");
	} else {
		MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
	}
	free(cd);
	free(name);
	return http_respond(rq, 200, r, (uint64_t)sb.st_size);
}

/* GET /api/documents/{id}/audit → {"document","records":[...]}: the
 * audit records of this document, newest first (who viewed, downloaded,
 * edited, linked, reviewed or withdrew it), so an assessor can see its
 * history without the CLI. At most ?limit= (1..1000, default 200). */
enum MHD_Result http_document_audit(struct http_req *rq)
{
	char err[LK_ERRLEN], object[48];
	sqlite3 *db = http_db();
	const char *l = http_arg(rq, "limit");
	long limit = 200;
	if (l && *l) {
		char *end;
		limit = strtol(l, &end, 10);
		if (*end || limit < 1 || limit > 1000)
			return http_error(rq, 400, "bad_limit", "limit must be a number from 1 to 1000");
	}
	json_t *d = document_json(db, rq->id);
	if (!d)
		return http_error(rq, 404, "not_found", "no document %lld", rq->id);
	json_decref(d);
	snprintf(object, sizeof object, "document:%lld", rq->id);
	json_t *a = audit_of_object(db, object, (int)limit, err);
	if (!a)
		return http_error(rq, 500, "internal", "%s", err);
	return http_json(rq, 200, json_pack("{s:I, s:o}", "document", (json_int_t)rq->id, "records", a));
}

/* GET /api/documents/{id}/text → the extracted text as text/plain. */
enum MHD_Result http_document_text(struct http_req *rq)
{
	sqlite3 *db = http_db();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT d.text_status, t.text FROM document d LEFT JOIN document_text t"
			       " ON t.document_id = d.id WHERE d.id = ?", -1, &st, NULL) != SQLITE_OK)
		return http_error(rq, 500, "internal", "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, rq->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return http_error(rq, 404, "not_found", "no document %lld", rq->id);
	}
	if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
		char ts[160];
		snprintf(ts, sizeof ts, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		return http_error(rq, 404, "no_text", "document %lld has no text (text_status: %s)", rq->id, ts);
	}
	size_t n = (size_t)sqlite3_column_bytes(st, 1);
	char *text = lk_malloc(n + 1);
	memcpy(text, sqlite3_column_blob(st, 1), n);
	text[n] = '\0';
	sqlite3_finalize(st);
	if (audit_read(rq, "view") != 0) {
		free(text);
		return http_error(rq, 503, "unavailable", "cannot record the view in the audit log");
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	return http_respond(rq, 200, r, n);
}

/* Bind a JSON value (string, integer or null) as a statement parameter. */
static void bind_json(sqlite3_stmt *st, int i, json_t *v)
{
	if (json_is_integer(v))
		sqlite3_bind_int64(st, i, json_integer_value(v));
	else if (json_is_string(v))
		sqlite3_bind_text(st, i, json_string_value(v), -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* PATCH /api/documents/{id} {"title","description","year"} → the document;
 * audited with the values before and after. */
enum MHD_Result http_document_patch(struct http_req *rq)
{
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *o = http_body_object(rq, &ans);
	if (!o)
		return ans;
	const char *k;
	json_t *v;
	json_t *after = json_object();
	long long sup = 0;
	json_object_foreach(o, k, v) {
		if (strcmp(k, "supersedes") == 0) {
			sup = json_is_integer(v) && json_integer_value(v) > 0 ? (long long)json_integer_value(v) : 0;
			if (!sup) {
				json_decref(o);
				json_decref(after);
				return http_error(rq, 400, "bad_supersedes", "supersedes must be a document id (a positive integer)");
			}
		} else if (strcmp(k, "title") == 0 || strcmp(k, "description") == 0) {
			const char *s = json_string_value(v);
			size_t cap = strcmp(k, "title") == 0 ? 500 : HTTP_MAX_FIELD;
			if (!s || strlen(s) > cap || (strcmp(k, "title") == 0 && !*s)) {
				json_decref(o);
				json_decref(after);
				return http_error(rq, 400, "bad_field", "%s must be a %sstring of at most %zu bytes", k,
						  strcmp(k, "title") == 0 ? "non-empty " : "", cap);
			}
			json_object_set(after, k, v);
		} else if (strcmp(k, "year") == 0) {
			int y = 0;
			if (json_is_integer(v)) {
				char s[32];
				snprintf(s, sizeof s, "%lld", (long long)json_integer_value(v));
				y = lk_parse_year(s, err);
			} else if (json_is_string(v)) {
				y = lk_parse_year(json_string_value(v), err);
			} else if (!json_is_null(v)) {
				y = lk_errf(err, "a year is a number such as 2567");
			}
			if (y < 0) {
				json_decref(o);
				json_decref(after);
				return http_error(rq, 400, "bad_year", "year: %s", err);
			}
			json_object_set_new(after, k, y ? json_integer(y) : json_null());
		} else {
			json_decref(after);
			ans = http_error(rq, 400, "bad_field", "unknown field '%.64s': title, description, year and supersedes may be changed", k);
			json_decref(o);
			return ans;
		}
	}
	json_decref(o);
	if (json_object_size(after) == 0 && !sup) {
		json_decref(after);
		return http_error(rq, 400, "bad_request", "nothing to change: give title, description, year or supersedes");
	}
	sqlite3 *db = http_db();
	json_t *before = document_json(db, rq->id);
	if (!before) {
		json_decref(after);
		return http_error(rq, 404, "not_found", "no document %lld", rq->id);
	}
	if (!json_is_null(json_object_get(before, "withdrawn_at"))) {
		json_decref(before);
		json_decref(after);
		return http_error(rq, 409, "withdrawn", "document %lld is withdrawn", rq->id);
	}
	int ok = db_exec(db, "BEGIN IMMEDIATE", err) == 0;
	json_t *old = json_object();
	json_object_foreach(after, k, v) {
		json_object_set(old, k, json_object_get(before, k));
		sqlite3_stmt *st = NULL;
		char *sql = lk_asprintf("UPDATE document SET %s = ? WHERE id = ?",
					strcmp(k, "title") == 0 ? "title" : strcmp(k, "year") == 0 ? "year" : "description");
		if (ok && db_prepare(db, &st, sql, err) == 0) {
			bind_json(st, 1, v);
			sqlite3_bind_int64(st, 2, rq->id);
			ok = sqlite3_step(st) == SQLITE_DONE;
			if (!ok)
				lk_errf(err, "%s", sqlite3_errmsg(db));
		} else {
			ok = 0;
		}
		sqlite3_finalize(st);
		free(sql);
	}
	char object[48];
	snprintf(object, sizeof object, "document:%lld", rq->id);
	json_t *detail = json_pack("{s:o, s:O}", "before", old, "after", after);
	if (ok && json_object_size(after) && audit_append_json(db, rq->who.name, "edit", object, detail, err) != 0)
		ok = 0;
	json_decref(detail);
	/* the version link commits with the edits, or nothing does */
	enum versions_result vr = VERSIONS_OK;
	if (ok && sup && (vr = versions_supersede(db, rq->id, sup, rq->who.name, err)) != VERSIONS_OK)
		ok = 0;
	json_decref(after);
	json_decref(before);
	if (ok && db_exec(db, "COMMIT", err) != 0)
		ok = 0;
	if (!ok) {
		db_exec(db, "ROLLBACK", NULL);
		if (vr != VERSIONS_OK && vr != VERSIONS_DB)
			return versions_error(rq, vr, err);
		return http_error(rq, 500, "internal", "cannot change document %lld: %s", rq->id, err);
	}
	return http_json(rq, 200, document_json(db, rq->id));
}

/* DELETE /api/documents/{id} {"reason"} → withdrawn; the row, its bytes and
 * its audit stay. */
enum MHD_Result http_document_withdraw(struct http_req *rq)
{
	enum MHD_Result ans;
	char err[LK_ERRLEN], now[32], object[48];
	json_t *o = http_body_object(rq, &ans);
	if (!o)
		return ans;
	const char *reason = json_string_value(json_object_get(o, "reason"));
	if (!reason || !*reason || strlen(reason) > HTTP_MAX_FIELD) {
		json_decref(o);
		return http_error(rq, 400, "bad_field", "a withdrawal needs a reason (a non-empty string)");
	}
	sqlite3 *db = http_db();
	sqlite3_stmt *st = NULL;
	lk_now_iso(now);
	snprintf(object, sizeof object, "document:%lld", rq->id);
	int status = 500;
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		goto fail;
	if (db_prepare(db, &st, "UPDATE document SET withdrawn_at = ?, withdrawn_reason = ?"
		       " WHERE id = ? AND withdrawn_at IS NULL", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, rq->id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		lk_errf(err, "%s", sqlite3_errmsg(db));
		goto rollback;
	}
	if (sqlite3_changes(db) != 1) {
		json_t *d = document_json(db, rq->id);
		status = d ? 409 : 404;
		lk_errf(err, d ? "document %lld is withdrawn already" : "no document %lld", rq->id);
		json_decref(d);
		goto rollback;
	}
	json_t *detail = json_pack("{s:s}", "reason", reason);
	int arc = audit_append_json(db, rq->who.name, "withdraw", object, detail, err);
	json_decref(detail);
	if (arc != 0 || db_exec(db, "COMMIT", err) != 0)
		goto rollback;
	sqlite3_finalize(st);
	json_decref(o);
	return http_json(rq, 200, document_json(db, rq->id));
rollback:
	db_exec(db, "ROLLBACK", NULL);
fail:
	sqlite3_finalize(st);
	json_decref(o);
	return http_error(rq, (unsigned)status, status == 404 ? "not_found" : status == 409 ? "withdrawn" : "internal",
			  "%s", err);
}

/* POST /api/documents/{id}/purge {"reason"} (admins) → the document, its
 * file, text and index entry gone; only a withdrawn document (else 409). */
enum MHD_Result http_document_purge(struct http_req *rq)
{
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *o = http_body_object(rq, &ans);
	if (!o)
		return ans;
	const char *reason = json_string_value(json_object_get(o, "reason"));
	if (!reason || !*reason || strlen(reason) > HTTP_MAX_FIELD) {
		json_decref(o);
		return http_error(rq, 400, "bad_field", "a purge needs a reason (a non-empty string)");
	}
	int kept;
	enum versions_result vr = versions_purge(http_datadir(), rq->id, rq->who.name, reason, &kept, err);
	json_decref(o);
	if (vr == VERSIONS_NOT_FOUND)
		return http_error(rq, 404, "not_found", "%s", err);
	if (vr != VERSIONS_OK)
		return versions_error(rq, vr, err);
	if (kept)
		fprintf(stderr, "lakthan: serve: purge of document %lld: %s\n", rq->id, err);
	return http_json(rq, 200, document_json(http_db(), rq->id));
}
