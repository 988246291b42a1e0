/*
 * bundle_export: the yearly bundle (a ZIP that is a BagIt bag) as a pull
 * stream. bundle_export_begin() reads the database once and builds the small
 * files in memory; bundle_export_next() then hands out the ZIP piece by piece
 * — one generated file, or up to 256 KiB of a document — so the same code
 * feeds a file (bundle_export_file) and an HTTP response callback without a
 * thread. See include/lakthan/bundle.h for the layout and the guarantees.
 */
#include "lakthan/bundle.h"
#include "lakthan/audit.h"
#include "lakthan/buf.h"
#include "lakthan/coverage.h"
#include "lakthan/cli.h"
#include "lakthan/db.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

enum entry_kind { E_MEM, E_DOC, E_LATE };

/* One document of the bundle (sorted by id). */
struct doc {
	long long id;
	char sha256[65];
	uint64_t size;
	char *mime;
	char *file;       /* "<id>-<safe name>" under data/files/ */
	char *title;
	int purged;       /* its bytes were purged: metadata only, no file */
};

/* One ZIP entry, in output order. */
struct entry {
	char *name;       /* relative to the bag root */
	enum entry_kind kind;
	struct buf data;  /* E_MEM, and E_LATE once generated */
	size_t doc;       /* E_DOC: index into docs */
	int deflate;
	int payload;      /* under data/ */
	char sha256[65];
	char sha512[129];
	uint64_t size;
};

struct bundle_export {
	const struct blobstore *bs;
	int year;
	char root[32];                 /* "ita-2567/" */
	time_t mtime;
	struct doc *docs;
	size_t ndocs;
	struct entry *ents;
	size_t nents;
	size_t cur;                    /* entry being written */
	int in_entry;                  /* E_DOC: header written, bytes going */
	int fd;
	uint64_t got;                  /* bytes of the current document so far */
	EVP_MD_CTX *h256, *h512;
	struct archive *a;
	struct buf out;                /* what libarchive wrote during this step */
	unsigned char *chunk;
	uint64_t total;
	int done;
	char err[LK_ERRLEN];           /* a failure is sticky */
};

/* ---- small helpers ------------------------------------------------------- */

/* Lower-case hex of n bytes of md into hex (2n+1 bytes). */
static void to_hex(const unsigned char *md, unsigned n, char *hex)
{
	static const char d[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		hex[2 * i] = d[md[i] >> 4];
		hex[2 * i + 1] = d[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

/* SHA-256 and SHA-512 of an in-memory file into e. */
static void digest_mem(struct entry *e)
{
	unsigned char md[64];
	unsigned int n = 0;
	EVP_Digest(e->data.data ? e->data.data : "", e->data.len, md, &n, EVP_sha256(), NULL);
	to_hex(md, n, e->sha256);
	EVP_Digest(e->data.data ? e->data.data : "", e->data.len, md, &n, EVP_sha512(), NULL);
	to_hex(md, n, e->sha512);
	e->size = e->data.len;
}

/* Append s with &<>"' escaped for HTML text and attribute values. */
static void html_esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

/* Append a relative URL of a path: every byte but unreserved ASCII and '/'
 * percent-encoded, so '#', '%', spaces and Thai all survive file:// links. */
static void url_esc(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p)) {
			buf_putc(b, (char)*p);
		} else {
			char h[4];
			snprintf(h, sizeof h, "%%%02X", *p);
			buf_puts(b, h);
		}
	}
}

/* Append one CSV field, always quoted; a leading = + - @ gets a ' so that a
 * spreadsheet shows it as text instead of running it as a formula. */
static void csv_field(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_putc(b, ',');
	buf_putc(b, '"');
	if (s && s[0] && strchr("=+-@", s[0]))
		buf_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* A column as a C string ("" for NULL). */
static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

/* A column as a JSON string, or null for NULL. */
static json_t *col_json(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
		return json_integer(sqlite3_column_int64(st, i));
	return json_string(col(st, i));
}

/* 1 for a type that is already compressed: deflating it again only costs time. */
static int stored_type(const char *mime)
{
	static const char *const pre[] = {
		"image/", "video/", "audio/", "application/pdf", "application/zip", "application/gzip",
		"application/x-7z", "application/x-rar", "application/x-xz", "application/x-bzip2",
		"application/vnd.openxmlformats", "application/vnd.oasis.opendocument", "application/epub",
	};
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
		if (strncmp(mime, pre[i], strlen(pre[i])) == 0)
			return strcmp(mime, "image/svg+xml") != 0 && strcmp(mime, "image/bmp") != 0 &&
			       strcmp(mime, "image/tiff") != 0;
	return 0;
}

/* 1 when cp is a Thai mark that belongs to the consonant before it. */
static int thai_mark(uint32_t cp)
{
	return cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E);
}

char *bundle_safe_name(long long id, const char *filename, size_t max)
{
	struct buf b = BUF_INIT;
	char pre[32];
	snprintf(pre, sizeof pre, "%lld-", id);
	const unsigned char *s = (const unsigned char *)(filename ? filename : "");
	size_t n = strlen((const char *)s);
	/* clean: characters Windows refuses, control characters, bad UTF-8 */
	for (size_t i = 0; i < n;) {
		size_t len;
		uint32_t cp = lk_utf8_next(s + i, n - i, &len);
		if (cp == 0xFFFD && !(len == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
			buf_putc(&b, '_');
		else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp < 0x80 && strchr("<>:\"/\\|?*", (int)cp)))
			buf_putc(&b, '_');
		else
			buf_append(&b, s + i, len);
		i += len;
	}
	size_t len;
	char *name = buf_detach(&b, &len);
	if (!name)
		name = lk_strdup("");
	/* Windows drops trailing dots and spaces; leading spaces confuse people */
	while (len && (name[len - 1] == '.' || name[len - 1] == ' '))
		name[--len] = '\0';
	size_t lead = strspn(name, " ");
	memmove(name, name + lead, len - lead + 1);
	len -= lead;
	if (!len) {
		free(name);
		name = lk_strdup("file");
		len = 4;
	}
	size_t room = max > strlen(pre) + 8 ? max - strlen(pre) : 8;
	if (len > room) {
		/* keep an extension of up to 16 bytes, cut the stem */
		const char *dot = strrchr(name, '.');
		size_t ext = (dot && dot != name && strlen(dot) <= 16) ? strlen(dot) : 0;
		size_t cut = room - ext;
		while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
			cut--;
		/* never leave a Thai mark without its consonant */
		while (cut > 0) {
			size_t l;
			uint32_t cp = lk_utf8_next((const unsigned char *)name + cut, len - cut, &l);
			if (!thai_mark(cp))
				break;
			do
				cut--;
			while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80);
		}
		while (cut > 0 && (name[cut - 1] == '.' || name[cut - 1] == ' '))
			cut--;
		memmove(name + cut, name + len - ext, ext + 1);
		len = cut + ext;
	}
	char *r = lk_asprintf("%s%s", pre, name);
	free(name);
	return r;
}

/* ---- collecting ---------------------------------------------------------- */

static const char sql_docs[] =
	"SELECT id, sha256, size, mime, filename, title, description, year, evidence_date, uploaded_by,"
	" uploaded_at, text_status, text_chars, withdrawn_at, withdrawn_reason,"
	" supersedes, purged_at, purged_by, purged_reason FROM document d"
	" WHERE d.year = ?1 OR d.id IN (SELECT l.document_id FROM document_link l"
	"  LEFT JOIN measure m ON m.id = l.measure_id LEFT JOIN plan_issue i ON i.id = m.issue_id"
	"  LEFT JOIN question q ON q.id = l.question_id WHERE i.year = ?1 OR q.year = ?1)"
	" ORDER BY id";

static const char sql_links[] =
	"SELECT CASE WHEN l.measure_id IS NOT NULL THEN 'measure' ELSE 'question' END,"
	" CASE WHEN l.measure_id IS NOT NULL THEN i.number || '.' || m.position ELSE q.code END,"
	" l.state, l.linked_by, l.linked_at, l.reviewed_by, l.reviewed_at, l.comment"
	" FROM document_link l LEFT JOIN measure m ON m.id = l.measure_id"
	" LEFT JOIN plan_issue i ON i.id = m.issue_id LEFT JOIN question q ON q.id = l.question_id"
	" WHERE l.document_id = ?1 AND (i.year = ?2 OR q.year = ?2)"
	" ORDER BY 1, i.number, m.position, substr(q.code, 1, 1), CAST(substr(q.code, 2) AS INTEGER)";

/* Add an entry; the caller fills data or doc. */
static struct entry *add_entry(struct bundle_export *x, const char *name, enum entry_kind kind, int deflate)
{
	x->ents = lk_realloc(x->ents, (x->nents + 1) * sizeof *x->ents);
	struct entry *e = &x->ents[x->nents++];
	memset(e, 0, sizeof *e);
	e->name = lk_strdup(name);
	e->kind = kind;
	e->deflate = deflate;
	e->payload = strncmp(name, "data/", 5) == 0;
	return e;
}

/* Take a finished in-memory file as an entry. */
static void add_mem(struct bundle_export *x, const char *name, struct buf *b)
{
	struct entry *e = add_entry(x, name, E_MEM, 1);
	e->data = *b;
	memset(b, 0, sizeof *b);
	digest_mem(e);
}

/* The document of id, or NULL. */
static struct doc *find_doc(struct bundle_export *x, long long id)
{
	size_t lo = 0, hi = x->ndocs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x->docs[mid].id == id)
			return &x->docs[mid];
		if (x->docs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Read the documents and their links: documents.json and documents.csv. */
static int collect_documents(struct bundle_export *x, sqlite3 *db, struct buf *json, struct buf *csv, char *err)
{
	sqlite3_stmt *st = NULL, *ls = NULL;
	int rc = -1;
	json_t *arr = json_array();
	if (db_prepare(db, &st, sql_docs, err) != 0 || db_prepare(db, &ls, sql_links, err) != 0)
		goto out;
	buf_puts(csv, "\xEF\xBB\xBF");
	const char *const cols[] = {"id", "file", "filename", "title", "description", "mime", "size", "sha256",
				    "year", "evidence_date", "uploaded_by", "uploaded_at", "text_status",
				    "withdrawn_at", "withdrawn_reason", "measures", "questions"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		csv_field(csv, cols[i], i == 0);
	buf_puts(csv, "\r\n");
	sqlite3_bind_int(st, 1, x->year);
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		x->docs = lk_realloc(x->docs, (x->ndocs + 1) * sizeof *x->docs);
		struct doc *d = &x->docs[x->ndocs++];
		d->id = sqlite3_column_int64(st, 0);
		snprintf(d->sha256, sizeof d->sha256, "%s", col(st, 1));
		d->size = (uint64_t)sqlite3_column_int64(st, 2);
		d->mime = lk_strdup(col(st, 3));
		d->file = bundle_safe_name(d->id, col(st, 4), BUNDLE_NAME_MAX);
		d->title = lk_strdup(col(st, 5));
		d->purged = sqlite3_column_type(st, 16) != SQLITE_NULL;
		json_t *links = json_array();
		struct buf ms = BUF_INIT, qs = BUF_INIT;
		sqlite3_reset(ls);
		sqlite3_bind_int64(ls, 1, d->id);
		sqlite3_bind_int(ls, 2, x->year);
		while (sqlite3_step(ls) == SQLITE_ROW) {
			int is_m = strcmp(col(ls, 0), "measure") == 0;
			json_t *l = json_object();
			json_object_set_new(l, col(ls, 0), json_string(col(ls, 1)));
			json_object_set_new(l, "state", json_string(col(ls, 2)));
			json_object_set_new(l, "linked_by", json_string(col(ls, 3)));
			json_object_set_new(l, "linked_at", json_string(col(ls, 4)));
			json_object_set_new(l, "reviewed_by", col_json(ls, 5));
			json_object_set_new(l, "reviewed_at", col_json(ls, 6));
			json_object_set_new(l, "comment", json_string(col(ls, 7)));
			json_array_append_new(links, l);
			struct buf *t = is_m ? &ms : &qs;
			if (t->len)
				buf_puts(t, "; ");
			buf_puts(t, col(ls, 1));
		}
		char *path = d->purged ? lk_strdup("") : lk_asprintf("files/%s", d->file);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(d->id));
		json_object_set_new(o, "path", d->purged ? json_null() : json_string(path));
		json_object_set_new(o, "filename", json_string(col(st, 4)));
		json_object_set_new(o, "title", json_string(col(st, 5)));
		json_object_set_new(o, "description", json_string(col(st, 6)));
		json_object_set_new(o, "mime", json_string(d->mime));
		json_object_set_new(o, "size", json_integer((json_int_t)d->size));
		json_object_set_new(o, "sha256", json_string(d->sha256));
		json_object_set_new(o, "year", col_json(st, 7));
		json_object_set_new(o, "evidence_date", col_json(st, 8));
		json_object_set_new(o, "uploaded_by", json_string(col(st, 9)));
		json_object_set_new(o, "uploaded_at", json_string(col(st, 10)));
		json_object_set_new(o, "text_status", json_string(col(st, 11)));
		json_object_set_new(o, "text_chars", json_integer(sqlite3_column_int64(st, 12)));
		json_object_set_new(o, "withdrawn_at", col_json(st, 13));
		json_object_set_new(o, "withdrawn_reason", col_json(st, 14));
		json_object_set_new(o, "supersedes", col_json(st, 15));
		json_object_set_new(o, "purged_at", col_json(st, 16));
		json_object_set_new(o, "purged_by", col_json(st, 17));
		json_object_set_new(o, "purged_reason", col_json(st, 18));
		json_object_set_new(o, "links", links);
		json_array_append_new(arr, o);

		char idb[24], sz[24];
		snprintf(idb, sizeof idb, "%lld", d->id);
		snprintf(sz, sizeof sz, "%llu", (unsigned long long)d->size);
		const char *vals[] = {idb, path, col(st, 4), col(st, 5), col(st, 6), d->mime, sz, d->sha256,
				      col(st, 7), col(st, 8), col(st, 9), col(st, 10), col(st, 11), col(st, 13),
				      col(st, 14), ms.data ? ms.data : "", qs.data ? qs.data : ""};
		for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
			csv_field(csv, vals[i], i == 0);
		buf_puts(csv, "\r\n");
		free(path);
		buf_release(&ms);
		buf_release(&qs);
	}
	if (s != SQLITE_DONE) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto out;
	}
	json_t *top = json_pack("{s:s, s:i, s:i, s:o}", "format", "lakthan-bundle-documents", "version", BUNDLE_FORMAT,
				"year", x->year, "documents", arr);
	arr = NULL;
	char *s2 = json_dumps(top, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(top);
	buf_puts(json, s2);
	buf_putc(json, '\n');
	free(s2);
	rc = 0;
out:
	json_decref(arr);
	sqlite3_finalize(st);
	sqlite3_finalize(ls);
	return rc;
}

/*
 * audit.jsonl: the records whose object is one of the bundle's documents, in
 * chain order. A record that an import brought in ("imported") is written
 * as the original it holds, so a restored archive exports the same history.
 */
static int collect_audit(struct bundle_export *x, sqlite3 *db, struct buf *b, long long *count, char *err)
{
	sqlite3_stmt *st;
	*count = 0;
	if (db_prepare(db, &st, "SELECT seq, at, actor, action, object, detail, prev, hash FROM audit"
		       " WHERE object GLOB 'document:[0-9]*' ORDER BY seq", err) != 0)
		return -1;
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = strtoll(col(st, 4) + 9, NULL, 10);
		if (!find_doc(x, id))
			continue;
		json_t *detail = json_loads(col(st, 5), 0, NULL), *rec;
		if (strcmp(col(st, 3), "imported") == 0 && json_is_object(json_object_get(detail, "original"))) {
			json_t *o = json_object_get(detail, "original");
			rec = json_object();
			const char *const keys[] = {"seq", "at", "actor", "action", "object", "detail", "prev", "hash"};
			for (size_t i = 0; i < 8; i++) {
				json_t *v = json_object_get(o, keys[i]);
				json_object_set(rec, keys[i], v ? v : json_null());
			}
		} else {
			rec = json_pack("{s:I, s:s, s:s, s:s, s:s, s:O, s:s, s:s}", "seq", (json_int_t)sqlite3_column_int64(st, 0),
					"at", col(st, 1), "actor", col(st, 2), "action", col(st, 3), "object", col(st, 4),
					"detail", detail ? detail : json_object(), "prev", col(st, 6), "hash", col(st, 7));
		}
		json_decref(detail);
		char *line = rec ? json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(rec);
		if (line) {
			buf_puts(b, line);
			buf_putc(b, '\n');
			(*count)++;
		}
		free(line);
	}
	sqlite3_finalize(st);
	if (s != SQLITE_DONE)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	return 0;
}

/* Append the documents of a coverage item as links into files/. */
static void html_docs(struct bundle_export *x, struct buf *b, json_t *docs)
{
	size_t i;
	json_t *d;
	if (!json_array_size(docs)) {
		buf_puts(b, "<p class=\"none\">✗ ยังไม่มีหลักฐาน</p>\n");
		return;
	}
	buf_puts(b, "<ul>\n");
	json_array_foreach(docs, i, d) {
		struct doc *dc = find_doc(x, (long long)json_integer_value(json_object_get(d, "id")));
		buf_puts(b, "<li>");
		if (dc && dc->purged)
			dc = NULL;   /* no file to link to */
		if (dc) {
			buf_puts(b, "<a href=\"files/");
			url_esc(b, dc->file);
			buf_puts(b, "\">");
		}
		char idb[32];
		snprintf(idb, sizeof idb, "[%lld] ", (long long)json_integer_value(json_object_get(d, "id")));
		buf_puts(b, idb);
		html_esc(b, json_string_value(json_object_get(d, "title")));
		if (dc)
			buf_puts(b, "</a>");
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
}

static const char css[] =
	"<style>\n"
	"body{font-family:'Sarabun','Noto Sans Thai','Tahoma',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}\n"
	"h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1.05em;margin-bottom:.2em}\n"
	".m{margin:.6em 0 .6em 1em}.code{font-weight:bold;margin-right:.5em}.none{color:#b00020;margin:.2em 0 .2em 1.5em}\n"
	".ok{color:#1b5e20}.bad{color:#b00020}ul{margin:.2em 0}table{border-collapse:collapse;width:100%;font-size:.9em}\n"
	"td,th{border:1px solid #ccc;padding:.2em .4em;text-align:left;vertical-align:top}td.h{font-family:monospace;font-size:.8em;word-break:break-all}\n"
	"</style>\n";

/* data/index.html: the plan, issue by issue, each measure with its evidence
 * as relative links (measures without evidence marked), then the questions,
 * then every document. Inline CSS, no script: it opens from file://. */
static int build_index(struct bundle_export *x, sqlite3 *db, struct buf *b, char *err)
{
	json_t *c = coverage_json(db, x->year, err);
	if (!c)
		return -1;
	char t[256];
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n");
	snprintf(t, sizeof t, "<title>หลักฐานตามแผนส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. %d</title>\n", x->year);
	buf_puts(b, t);
	buf_puts(b, css);
	buf_puts(b, "</head>\n<body>\n");
	snprintf(t, sizeof t, "<h1>หลักฐานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA) ปีงบประมาณ พ.ศ. %d</h1>\n", x->year);
	buf_puts(b, t);
	long long mt = json_integer_value(json_object_get(c, "measures_total"));
	long long mb = json_integer_value(json_object_get(c, "measures_backed"));
	long long qt = json_integer_value(json_object_get(c, "questions_total"));
	long long qb = json_integer_value(json_object_get(c, "questions_backed"));
	snprintf(t, sizeof t, "<p>มาตรการที่มีหลักฐาน %lld จาก %lld (%d%%) · ข้อคำถามที่มีหลักฐาน %lld จาก %lld (%d%%) · เอกสาร %zu ไฟล์</p>\n",
		 mb, mt, coverage_percent(mb, mt), qb, qt, coverage_percent(qb, qt), x->ndocs);
	buf_puts(b, t);
	buf_puts(b, "<p>เกณฑ์: มาตรการถือว่ามีหลักฐานเมื่อมีเอกสารของปีงบประมาณนี้ที่ยังไม่ถูกถอน เชื่อมโยงกับมาตรการนั้น"
		    " และผู้ประเมินไม่ได้ปฏิเสธการเชื่อมโยง ข้อคำถามถือว่ามีหลักฐานเมื่อมีเอกสารดังกล่าวเชื่อมโยงกับข้อคำถาม"
		    " หรือกับมาตรการที่อ้างถึงข้อคำถามนั้น (" COVERAGE_RULE ")</p>\n");
	buf_puts(b, "<p>วิธีอ่าน: เปิดไฟล์นี้จากโฟลเดอร์ที่แตกออกมาแล้ว ลิงก์ของเอกสารชี้ไปยังไฟล์ในโฟลเดอร์ files/"
		    " ดูคำอธิบายโครงสร้างทั้งหมดได้ที่ <a href=\"README.html\">README.html</a></p>\n");
	size_t i, j;
	json_t *is, *m;
	buf_puts(b, "<h2>แผนและมาตรการ</h2>\n");
	if (!json_array_size(json_object_get(c, "issues")))
		buf_puts(b, "<p>ไม่มีแผนของปีนี้ในคลัง</p>\n");
	json_array_foreach(json_object_get(c, "issues"), i, is) {
		snprintf(t, sizeof t, "<h3>ประเด็นที่ %lld ", (long long)json_integer_value(json_object_get(is, "number")));
		buf_puts(b, t);
		html_esc(b, json_string_value(json_object_get(is, "title")));
		buf_puts(b, "</h3>\n");
		json_array_foreach(json_object_get(is, "measures"), j, m) {
			int backed = json_is_true(json_object_get(m, "backed"));
			buf_puts(b, "<div class=\"m\"><span class=\"code\">");
			buf_puts(b, backed ? "<span class=\"ok\">✓</span> " : "<span class=\"bad\">✗</span> ");
			html_esc(b, json_string_value(json_object_get(m, "code")));
			buf_puts(b, "</span>");
			html_esc(b, json_string_value(json_object_get(m, "text")));
			buf_puts(b, "\n");
			html_docs(x, b, json_object_get(m, "documents"));
			buf_puts(b, "</div>\n");
		}
	}
	buf_puts(b, "<h2>ข้อคำถาม ITA</h2>\n");
	json_array_foreach(json_object_get(c, "questions"), i, m) {
		int backed = json_is_true(json_object_get(m, "backed"));
		buf_puts(b, "<div class=\"m\"><span class=\"code\">");
		buf_puts(b, backed ? "<span class=\"ok\">✓</span> " : "<span class=\"bad\">✗</span> ");
		html_esc(b, json_string_value(json_object_get(m, "code")));
		buf_puts(b, "</span>");
		html_esc(b, json_string_value(json_object_get(m, "text")));
		buf_puts(b, "\n");
		html_docs(x, b, json_object_get(m, "documents"));
		buf_puts(b, "</div>\n");
	}
	buf_puts(b, "<h2>เอกสารทั้งหมด</h2>\n<table>\n<tr><th>รหัส</th><th>ไฟล์</th><th>ขนาด (ไบต์)</th><th>SHA-256</th></tr>\n");
	for (i = 0; i < x->ndocs; i++) {
		struct doc *d = &x->docs[i];
		if (d->purged) {
			/* the row stays in the record; its file is not in the bag */
			snprintf(t, sizeof t, "<tr><td>%lld</td><td>", d->id);
			buf_puts(b, t);
			html_esc(b, d->title);
			buf_puts(b, "<br>(ลบไฟล์แล้ว — purged)");
		} else {
			snprintf(t, sizeof t, "<tr><td>%lld</td><td><a href=\"files/", d->id);
			buf_puts(b, t);
			url_esc(b, d->file);
			buf_puts(b, "\">");
			html_esc(b, d->title);
			buf_puts(b, "</a><br>");
			html_esc(b, d->file);
		}
		snprintf(t, sizeof t, "</td><td>%llu</td><td class=\"h\">%s</td></tr>\n", (unsigned long long)d->size, d->sha256);
		buf_puts(b, t);
	}
	buf_puts(b, "</table>\n</body>\n</html>\n");
	json_decref(c);
	return 0;
}

/* data/README.html: the layout explained in Thai, for a reader without lakthan. */
static void build_readme(struct bundle_export *x, struct buf *b)
{
	char t[512];
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n<title>คำอธิบายชุดหลักฐาน</title>\n");
	buf_puts(b, css);
	buf_puts(b, "</head>\n<body>\n");
	snprintf(t, sizeof t, "<h1>ชุดหลักฐาน ITA ปีงบประมาณ พ.ศ. %d</h1>\n", x->year);
	buf_puts(b, t);
	buf_puts(b,
		"<p>ชุดนี้เป็นไฟล์ ZIP ที่จัดเป็นถุง BagIt 1.0 (RFC 8493) สร้างโดยโปรแกรม lakthan"
		" อ่านและตรวจสอบได้ด้วยเครื่องมือมาตรฐานโดยไม่ต้องมีโปรแกรม lakthan</p>\n"
		"<h2>โครงสร้าง</h2>\n<table>\n"
		"<tr><td>bagit.txt</td><td>ประกาศว่าเป็นถุง BagIt รุ่น 1.0 และใช้รหัสอักขระ UTF-8</td></tr>\n"
		"<tr><td>bag-info.txt</td><td>หน่วยงาน ปีงบประมาณ วันที่จัดทำ จำนวนและขนาดไฟล์ (Payload-Oxum)"
		" และค่าแฮชล่าสุดของบันทึกการตรวจสอบ (audit chain)</td></tr>\n"
		"<tr><td>manifest-sha256.txt, manifest-sha512.txt</td><td>ค่า SHA-256 และ SHA-512 ของทุกไฟล์ใต้ data/</td></tr>\n"
		"<tr><td>tagmanifest-sha256.txt</td><td>ค่า SHA-256 ของไฟล์กำกับ (bagit.txt, bag-info.txt และ manifest)</td></tr>\n"
		"<tr><td>data/index.html</td><td>หน้าสรุป: แผนแยกตามประเด็น มาตรการแต่ละข้อพร้อมเอกสารหลักฐาน"
		" มาตรการที่ยังไม่มีหลักฐานมีเครื่องหมาย ✗ ตามด้วยข้อคำถาม ITA และหลักฐาน</td></tr>\n"
		"<tr><td>data/plan.json</td><td>แผนของปีในรูป JSON (ประเด็น ข้อค้นพบ มาตรการ ผลการดำเนินการ ข้อคำถาม)</td></tr>\n"
		"<tr><td>data/documents.json</td><td>ข้อมูลของเอกสารทุกฉบับ (ชื่อไฟล์เดิม ชื่อเรื่อง ขนาด SHA-256"
		" ผู้นำเข้า วันที่ และการเชื่อมโยงกับมาตรการหรือข้อคำถาม)</td></tr>\n"
		"<tr><td>data/documents.csv</td><td>ข้อมูลเดียวกันเป็นตาราง เปิดด้วย Excel ได้ (UTF-8 มี BOM)"
		" ช่องที่ขึ้นต้นด้วย = + - @ มีเครื่องหมาย ' นำหน้าเพื่อไม่ให้ถูกตีความเป็นสูตร</td></tr>\n"
		"<tr><td>data/audit.jsonl</td><td>บันทึกการตรวจสอบที่เกี่ยวกับเอกสารเหล่านี้ หนึ่งบรรทัดต่อหนึ่งรายการ"
		" แต่ละรายการมีค่าแฮชของรายการก่อนหน้า (prev) และของตัวเอง (hash)</td></tr>\n"
		"<tr><td>data/files/</td><td>ไฟล์ต้นฉบับ ชื่อ &lt;รหัส&gt;-&lt;ชื่อไฟล์เดิม&gt; แต่ละไฟล์มีครั้งเดียว"
		" แม้จะเป็นหลักฐานของหลายมาตรการ อักขระที่ Windows ไม่รับถูกแทนด้วย _</td></tr>\n"
		"</table>\n"
		"<h2>การตรวจสอบความถูกต้อง</h2>\n"
		"<p>แตกไฟล์ ZIP แล้วเข้าไปในโฟลเดอร์ของถุง (โฟลเดอร์ที่มี bagit.txt) จากนั้นสั่ง</p>\n"
		"<pre>sha256sum -c manifest-sha256.txt\nsha512sum -c manifest-sha512.txt\nsha256sum -c tagmanifest-sha256.txt</pre>\n"
		"<p>ทุกบรรทัดต้องขึ้นว่า OK หากมีไฟล์ใดถูกแก้ไข จะขึ้นว่า FAILED พร้อมชื่อไฟล์"
		" หรือใช้เครื่องมือ BagIt ทั่วไป เช่น bagit-python (<code>bagit.py --validate</code>)</p>\n"
		"<p>คืนข้อมูลเข้าสู่คลัง lakthan ใหม่ได้ด้วย <code>lakthan import-bundle ไฟล์.zip</code></p>\n"
		"</body>\n</html>\n");
}

/* bagit.txt and bag-info.txt: counts from what is known before streaming
 * (sizes come from the database, checked against the files as they go). */
static void build_bag_files(struct bundle_export *x, sqlite3 *db, const struct bundle_opts *o, long long naudit)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
	add_mem(x, "bagit.txt", &b);

	char head[200] = "0 0000000000000000000000000000000000000000000000000000000000000000", date[16] = "";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT seq, at, hash FROM audit WHERE action <> 'export' ORDER BY seq DESC LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(head, sizeof head, "%lld %s", (long long)sqlite3_column_int64(st, 0), col(st, 2));
			struct tm tm;
			memset(&tm, 0, sizeof tm);
			if (strptime(col(st, 1), "%Y-%m-%dT%H:%M:%S", &tm)) {
				x->mtime = timegm(&tm);
				snprintf(date, sizeof date, "%.10s", col(st, 1));
			}
		}
		sqlite3_finalize(st);
	}
	if (!date[0]) {
		char now[32];
		lk_now_iso(now);
		snprintf(date, sizeof date, "%.10s", now);
	}
	uint64_t octets = 0, streams = 0;
	for (size_t i = 0; i < x->nents; i++)
		if (x->ents[i].payload) {
			octets += x->ents[i].kind == E_DOC ? x->docs[x->ents[i].doc].size : x->ents[i].size;
			streams++;
		}
	char t[1024];
	if (o->organization && *o->organization) {
		buf_puts(&b, "Source-Organization: ");
		for (const char *p = o->organization; *p; p++)
			buf_putc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
		buf_putc(&b, '\n');
	}
	snprintf(t, sizeof t,
		 "External-Identifier: lakthan-ita-%d\n"
		 "External-Description: หลักฐานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA) ปีงบประมาณ พ.ศ. %d\n"
		 "Bagging-Date: %s\n"
		 "Payload-Oxum: %llu.%llu\n"
		 "Bag-Group-Identifier: lakthan-ita-%d\n"
		 "Bag-Count: 1 of 1\n"
		 "Bag-Software-Agent: lakthan %s\n"
		 "Lakthan-Bundle-Format: %d\n"
		 "Lakthan-Fiscal-Year: %d\n"
		 "Lakthan-Documents: %zu\n"
		 "Lakthan-Audit-Records: %lld\n"
		 "Lakthan-Audit-Head: %s\n",
		 x->year, x->year, date, (unsigned long long)octets, (unsigned long long)streams, x->year,
		 LAKTHAN_VERSION, BUNDLE_FORMAT, x->year, x->ndocs, naudit, head);
	buf_puts(&b, t);
	add_mem(x, "bag-info.txt", &b);
}

/* The manifests, once every payload digest is known. */
static void generate_late(struct bundle_export *x, struct entry *e)
{
	struct buf *b = &e->data;
	int tag = strcmp(e->name, "tagmanifest-sha256.txt") == 0;
	int sha512 = strcmp(e->name, "manifest-sha512.txt") == 0;
	for (size_t i = 0; i < x->nents; i++) {
		struct entry *f = &x->ents[i];
		if (tag ? (f->payload || f == e) : !f->payload)
			continue;
		if (tag && f->kind == E_LATE && f > e)
			continue;
		buf_puts(b, sha512 ? f->sha512 : f->sha256);
		buf_puts(b, "  ");
		buf_puts(b, f->name);
		buf_putc(b, '\n');
	}
	digest_mem(e);
}

/* ---- streaming ----------------------------------------------------------- */

/* libarchive's output: kept for the caller of bundle_export_next(). */
static la_ssize_t on_write(struct archive *a, void *cls, const void *p, size_t n)
{
	(void)a;
	struct bundle_export *x = cls;
	buf_append(&x->out, p, n);
	x->total += n;
	return (la_ssize_t)n;
}

int bundle_export_begin(sqlite3 *db, const struct blobstore *bs, const struct bundle_opts *o,
			struct bundle_export **out, int *usage, char *err)
{
	struct bundle_export *x = lk_calloc(1, sizeof *x);
	struct buf docs_json = BUF_INIT, csv = BUF_INIT, audit = BUF_INIT, index = BUF_INIT, readme = BUF_INIT;
	long long naudit = 0;
	*out = NULL;
	*usage = 0;
	x->bs = bs;
	x->year = o->year;
	x->fd = -1;
	x->mtime = 315532800;  /* 1980-01-01, ZIP's epoch, when there is no audit record */
	snprintf(x->root, sizeof x->root, "ita-%d/", o->year);
	if (db_exec(db, "BEGIN", err) != 0)
		goto fail;
	if (collect_documents(x, db, &docs_json, &csv, err) != 0 || collect_audit(x, db, &audit, &naudit, err) != 0)
		goto rollback;
	if (!x->ndocs && !plan_year_exists(db, o->year)) {
		*usage = 1;
		lk_errf(err, "there is neither a plan nor any document for %d", o->year);
		goto rollback;
	}
	json_t *plan = plan_json(db, o->year, err);
	if (!plan)
		goto rollback;
	char *ps = json_dumps(plan, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(plan);
	struct buf planb = BUF_INIT;
	buf_puts(&planb, ps);
	buf_putc(&planb, '\n');
	free(ps);
	if (build_index(x, db, &index, err) != 0) {
		buf_release(&planb);
		goto rollback;
	}
	build_readme(x, &readme);
	/* order: tag files known now, payload, then the manifests */
	add_mem(x, "data/README.html", &readme);
	add_mem(x, "data/index.html", &index);
	add_mem(x, "data/plan.json", &planb);
	add_mem(x, "data/documents.json", &docs_json);
	add_mem(x, "data/documents.csv", &csv);
	add_mem(x, "data/audit.jsonl", &audit);
	for (size_t i = 0; i < x->ndocs; i++) {
		if (x->docs[i].purged)
			continue;
		char *name = lk_asprintf("data/files/%s", x->docs[i].file);
		struct entry *e = add_entry(x, name, E_DOC, !stored_type(x->docs[i].mime));
		e->doc = i;
		e->size = x->docs[i].size;
		free(name);
	}
	/* bagit.txt and bag-info.txt go first in the ZIP: move them to the front */
	size_t payload_n = x->nents;
	build_bag_files(x, db, o, naudit);
	struct entry bagit = x->ents[payload_n], info = x->ents[payload_n + 1];
	memmove(x->ents + 2, x->ents, payload_n * sizeof *x->ents);
	x->ents[0] = bagit;
	x->ents[1] = info;
	add_entry(x, "manifest-sha256.txt", E_LATE, 1);
	add_entry(x, "manifest-sha512.txt", E_LATE, 1);
	add_entry(x, "tagmanifest-sha256.txt", E_LATE, 1);
	db_exec(db, "COMMIT", NULL);

	/* a missing or truncated file is found now, before any byte goes out */
	for (size_t i = 0; i < x->ndocs; i++) {
		if (x->docs[i].purged)
			continue;
		char *p = blobstore_path(bs, x->docs[i].sha256);
		struct stat sb;
		int bad = stat(p, &sb) != 0 || (uint64_t)sb.st_size != x->docs[i].size;
		free(p);
		if (bad) {
			lk_errf(err, "document %lld (%s): its stored file is missing or has the wrong size (run lakthan verify)",
				x->docs[i].id, x->docs[i].file);
			goto fail;
		}
	}
	x->a = archive_write_new();
	x->chunk = lk_malloc(CHUNK);
	if (archive_write_set_format_zip(x->a) != ARCHIVE_OK ||
	    archive_write_set_options(x->a, "hdrcharset=UTF-8") != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(x->a, 0) != ARCHIVE_OK ||
	    archive_write_open(x->a, x, NULL, on_write, NULL) != ARCHIVE_OK) {
		lk_errf(err, "zip writer: %s", archive_error_string(x->a));
		goto fail;
	}
	*out = x;
	return 0;
rollback:
	db_exec(db, "ROLLBACK", NULL);
fail:
	buf_release(&docs_json);
	buf_release(&csv);
	buf_release(&audit);
	buf_release(&index);
	buf_release(&readme);
	bundle_export_free(x);
	return -1;
}

/* Write the header of entry e. */
static int write_header(struct bundle_export *x, struct entry *e)
{
	struct archive_entry *ae = archive_entry_new();
	char *name = lk_asprintf("%s%s", x->root, e->name);
	archive_entry_set_pathname_utf8(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, (la_int64_t)e->size);
	archive_entry_set_mtime(ae, x->mtime, 0);
	int rc = 0;
	/* per entry: these two may be called between entries, the option may not */
	if ((e->deflate ? archive_write_zip_set_compression_deflate(x->a)
			: archive_write_zip_set_compression_store(x->a)) != ARCHIVE_OK ||
	    archive_write_header(x->a, ae) != ARCHIVE_OK)
		rc = lk_errf(x->err, "zip writer: %s: %s", name, archive_error_string(x->a));
	free(name);
	archive_entry_free(ae);
	return rc;
}

/* One step: a whole generated entry, or one chunk of a document. */
static int step(struct bundle_export *x)
{
	if (x->cur >= x->nents) {
		if (archive_write_close(x->a) != ARCHIVE_OK)
			return lk_errf(x->err, "zip writer: %s", archive_error_string(x->a));
		x->done = 1;
		return 0;
	}
	struct entry *e = &x->ents[x->cur];
	if (e->kind != E_DOC) {
		if (e->kind == E_LATE)
			generate_late(x, e);
		if (write_header(x, e) != 0)
			return -1;
		if (e->data.len && archive_write_data(x->a, e->data.data, e->data.len) != (la_ssize_t)e->data.len)
			return lk_errf(x->err, "zip writer: %s: %s", e->name, archive_error_string(x->a));
		archive_write_finish_entry(x->a);
		buf_release(&e->data);  /* the digests stay; the bytes are out */
		x->cur++;
		return 0;
	}
	struct doc *d = &x->docs[e->doc];
	if (!x->in_entry) {
		char *p = blobstore_path(x->bs, d->sha256);
		x->fd = open(p, O_RDONLY | O_CLOEXEC);
		free(p);
		if (x->fd < 0)
			return lk_errf(x->err, "document %lld (%s): cannot open its stored file: %s", d->id, d->file, strerror(errno));
		posix_fadvise(x->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		x->h256 = EVP_MD_CTX_new();
		x->h512 = EVP_MD_CTX_new();
		EVP_DigestInit_ex(x->h256, EVP_sha256(), NULL);
		EVP_DigestInit_ex(x->h512, EVP_sha512(), NULL);
		x->got = 0;
		x->in_entry = 1;
		return write_header(x, e);
	}
	ssize_t n = read(x->fd, x->chunk, CHUNK);
	if (n < 0)
		return lk_errf(x->err, "document %lld (%s): cannot read its stored file: %s", d->id, d->file, strerror(errno));
	if (n > 0) {
		x->got += (uint64_t)n;
		if (x->got > d->size)
			return lk_errf(x->err, "document %lld (%s): its stored file is longer than recorded (run lakthan verify)", d->id, d->file);
		EVP_DigestUpdate(x->h256, x->chunk, (size_t)n);
		EVP_DigestUpdate(x->h512, x->chunk, (size_t)n);
		if (archive_write_data(x->a, x->chunk, (size_t)n) != n)
			return lk_errf(x->err, "zip writer: %s: %s", e->name, archive_error_string(x->a));
		return 0;
	}
	unsigned char md[64];
	unsigned len;
	EVP_DigestFinal_ex(x->h256, md, &len);
	to_hex(md, len, e->sha256);
	EVP_DigestFinal_ex(x->h512, md, &len);
	to_hex(md, len, e->sha512);
	EVP_MD_CTX_free(x->h256);
	EVP_MD_CTX_free(x->h512);
	x->h256 = x->h512 = NULL;
	close(x->fd);
	x->fd = -1;
	x->in_entry = 0;
	if (x->got != d->size || strcmp(e->sha256, d->sha256) != 0)
		return lk_errf(x->err, "document %lld (%s): its stored file no longer matches its SHA-256 (run lakthan verify);"
			       " the export is stopped", d->id, d->file);
	archive_write_finish_entry(x->a);
	x->cur++;
	return 0;
}

int bundle_export_next(struct bundle_export *x, const void **p, size_t *n, char *err)
{
	x->out.len = 0;
	*p = NULL;
	*n = 0;
	if (x->err[0]) {
		snprintf(err, LK_ERRLEN, "%s", x->err);
		return -1;
	}
	while (!x->done && x->out.len == 0)
		if (step(x) != 0) {
			snprintf(err, LK_ERRLEN, "%s", x->err);
			return -1;
		}
	*p = x->out.data;
	*n = x->out.len;
	return x->out.len || !x->done ? 1 : 0;
}

uint64_t bundle_export_bytes(const struct bundle_export *x)
{
	return x->total;
}

long long bundle_export_documents(const struct bundle_export *x)
{
	return (long long)x->ndocs;
}

void bundle_export_free(struct bundle_export *x)
{
	if (!x)
		return;
	if (x->a)
		archive_write_free(x->a);  /* after an error: no close, nothing more is written */
	if (x->fd >= 0)
		close(x->fd);
	EVP_MD_CTX_free(x->h256);
	EVP_MD_CTX_free(x->h512);
	for (size_t i = 0; i < x->ndocs; i++) {
		free(x->docs[i].mime);
		free(x->docs[i].file);
		free(x->docs[i].title);
	}
	free(x->docs);
	for (size_t i = 0; i < x->nents; i++) {
		free(x->ents[i].name);
		buf_release(&x->ents[i].data);
	}
	free(x->ents);
	buf_release(&x->out);
	free(x->chunk);
	free(x);
}

/* ---- to a file ----------------------------------------------------------- */

/* Write all of p, as the disk-full test hook allows. */
static int write_all(int fd, const void *p, size_t n, uint64_t *written, uint64_t fault_at)
{
	const char *c = p;
	while (n) {
		size_t want = n;
		if (fault_at) {
			if (*written >= fault_at) {
				errno = ENOSPC;
				return -1;
			}
			if (want > fault_at - *written)
				want = (size_t)(fault_at - *written);
		}
		ssize_t w = write(fd, c, want);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
		*written += (uint64_t)w;
	}
	return 0;
}

int bundle_export_file(sqlite3 *db, const struct blobstore *bs, const struct bundle_opts *o, const char *path,
		       int *usage, char *err)
{
	struct bundle_export *x = NULL;
	char *dirc = lk_strdup(path), *tmp = NULL;
	const char *dir = dirname(dirc);
	int fd = -1, dfd = -1, rc = -1;
	uint64_t written = 0, fault_at = 0;
	const char *f = getenv("LAKTHAN_TEST_EXPORT_ENOSPC_AFTER");
	if (f && *f)
		fault_at = strtoull(f, NULL, 10);
	if (bundle_export_begin(db, bs, o, &x, usage, err) != 0)
		goto out;
	tmp = lk_asprintf("%s/.lakthan-export-XXXXXX", dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		lk_errf(err, "cannot create a file in %s: %s", dir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	fchmod(fd, 0644);
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	EVP_DigestInit_ex(h, EVP_sha256(), NULL);
	for (;;) {
		const void *p;
		size_t n;
		int r = bundle_export_next(x, &p, &n, err);
		if (r < 0)
			break;
		if (n && write_all(fd, p, n, &written, fault_at) != 0) {
			lk_errf(err, "cannot write %s: %s", path, strerror(errno));
			r = -1;
			break;
		}
		EVP_DigestUpdate(h, p, n);
		if (r == 0) {
			rc = 0;
			break;
		}
	}
	unsigned char md[32];
	unsigned mdlen;
	char hex[65];
	EVP_DigestFinal_ex(h, md, &mdlen);
	EVP_MD_CTX_free(h);
	to_hex(md, mdlen, hex);
	if (rc != 0)
		goto out;
	rc = -1;
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		lk_errf(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		lk_errf(err, "cannot rename the finished bundle to %s: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	json_t *d = json_pack("{s:i, s:I, s:s, s:I}", "year", o->year, "size", (json_int_t)written, "sha256", hex,
			      "documents", (json_int_t)x->ndocs);
	char object[32];
	snprintf(object, sizeof object, "year:%d", o->year);
	if (audit_record(db, o->agent ? o->agent : "cli", "export", object, d, err) != 0)
		fprintf(stderr, "lakthan: export: the bundle is written, but the audit record failed: %s\n", err);
	json_decref(d);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	bundle_export_free(x);
	free(dirc);
	return rc;
}
