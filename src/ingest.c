/* ingest: files, directory trees and ZIPs into the archive. */
#include "lakthan/ingest.h"
#include "lakthan/versions.h"
#include "lakthan/audit.h"
#include "lakthan/evidence.h"
#include "lakthan/db.h"
#include "lakthan/detect.h"
#include "lakthan/names.h"
#include "lakthan/thai.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ingest_opts_default(struct ingest_opts *o)
{
	memset(o, 0, sizeof *o);
	o->uploaded_by = "cli";
	o->self_exe = "/proc/self/exe";
	extract_limits_default(&o->limits);
	/* operators (and tests) may shorten the extractor's wall clock */
	const char *t = getenv("LAKTHAN_EXTRACT_TIMEOUT");
	if (t && atoi(t) > 0)
		o->limits.wall_seconds = (unsigned)atoi(t);
	o->max_file = 2ULL << 30;
	o->max_zip_entries = 10000;
	o->max_zip_total = 8ULL << 30;
	o->max_zip_ratio = 1000;
}

const char *ingest_outcome_name(enum ingest_outcome outcome)
{
	switch (outcome) {
	case INGEST_ADDED: return "added";
	case INGEST_DUPLICATE: return "duplicate";
	default: return "rejected";
	}
}

struct run {
	struct datadir *dd;
	const struct ingest_opts *o;
	ingest_report_fn fn;
	void *arg;
	int rejected;
};

static void report(struct run *r, struct ingest_item *it)
{
	if (it->outcome == INGEST_REJECTED)
		r->rejected++;
	if (r->fn)
		r->fn(it, r->arg);
}

static void reject(struct run *r, struct ingest_item *it, const char *fmt, const char *why)
{
	it->outcome = INGEST_REJECTED;
	snprintf(it->error, sizeof it->error, fmt, why);
	report(r, it);
}

/* The id of the document with these bytes, or 0. */
static long long find_by_sha(sqlite3 *db, const char *hex)
{
	sqlite3_stmt *st;
	long long id = 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM document WHERE sha256 = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}


/* The date the text says it is about (the first Thai date in it) into
 * document.evidence_date, unless one was entered already; nothing when the
 * text names no date. Inside the caller's transaction. */
static int set_evidence_date(sqlite3 *db, long long id, const char *text, size_t len, char *err)
{
	struct evidence_date ed;
	if (evidence_date_find(text, len, &ed) != 0)
		return 0;
	sqlite3_stmt *st;
	if (db_prepare(db, &st, "UPDATE document SET evidence_date = ? WHERE id = ? AND evidence_date IS NULL", err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, ed.iso, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : lk_errf(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* Insert the document and its text in one transaction; the id into it->id. */
static int insert_document(struct run *r, struct ingest_item *it, const char *text, size_t text_len,
			   const char *quality, char *err)
{
	sqlite3 *db = r->dd->db;
	const struct ingest_opts *o = r->o;
	sqlite3_stmt *st = NULL;
	char now[32];
	lk_now_iso(now);
	char *stem = o->title ? NULL : names_stem(it->filename);
	int rc = -1;

	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		goto out;
	/* a concurrent ingest may have added the same bytes since we looked */
	long long existing = find_by_sha(db, it->sha256);
	if (existing) {
		it->id = existing;
		it->outcome = INGEST_DUPLICATE;
		db_exec(db, "ROLLBACK", NULL);
		rc = 0;
		goto out;
	}
	if (db_prepare(db, &st,
		       "INSERT INTO document (sha256, size, mime, filename, title, description, year,"
		       " uploaded_by, uploaded_at, source_path, text_status, text_chars)"
		       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, it->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)it->size);
	sqlite3_bind_text(st, 3, it->mime, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, it->filename, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->title ? o->title : stem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, o->description ? o->description : "", -1, SQLITE_STATIC);
	if (o->year)
		sqlite3_bind_int(st, 7, o->year);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_text(st, 8, o->uploaded_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, it->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, it->text_status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, it->text_chars);
	if (sqlite3_step(st) != SQLITE_DONE) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	it->id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;
	/* the audit record commits with the row, or neither does */
	char object[64];
	snprintf(object, sizeof object, "document:%lld", it->id);
	json_t *detail = json_pack("{s:s, s:s, s:I, s:s, s:s}", "sha256", it->sha256,
				   "filename", it->filename, "size", (json_int_t)it->size,
				   "mime", it->mime, "title", o->title ? o->title : stem);
	if (detail && o->year)
		json_object_set_new(detail, "year", json_integer(o->year));
	int arc = audit_append_json(db, o->uploaded_by, "upload", object, detail, err);
	json_decref(detail);
	if (arc != 0)
		goto rollback;
	/* the new version and its link commit together, or neither does */
	if (o->supersedes && versions_supersede(db, it->id, o->supersedes, o->uploaded_by, err) != VERSIONS_OK)
		goto rollback;
	if (text) {
		if (db_prepare(db, &st, "INSERT INTO document_text (document_id, text, quality) VALUES (?,?,?)", err) != 0)
			goto rollback;
		sqlite3_bind_int64(st, 1, it->id);
		sqlite3_bind_text(st, 2, text, (int)text_len, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, quality ? quality : "", -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			lk_errf(err, "database: %s", sqlite3_errmsg(db));
			goto rollback;
		}
		if (set_evidence_date(db, it->id, text, text_len, err) != 0)
			goto rollback;
	}
	if (db_exec(db, "COMMIT", err) != 0)
		goto rollback;
	it->outcome = INGEST_ADDED;
	rc = 0;
	goto out;
rollback:
	db_exec(db, "ROLLBACK", NULL);
out:
	sqlite3_finalize(st);
	free(stem);
	return rc;
}

/* The blob is durable: look it up, type it, extract it, record it. */
static void ingest_committed(struct run *r, struct ingest_item *it)
{
	char err[LK_ERRLEN];
	long long existing = find_by_sha(r->dd->db, it->sha256);
	if (existing) {
		it->id = existing;
		it->outcome = INGEST_DUPLICATE;
		/* report what the archive already holds for those bytes */
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(r->dd->db, "SELECT mime, text_status, text_chars FROM document WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, existing);
			if (sqlite3_step(st) == SQLITE_ROW) {
				snprintf(it->mime, sizeof it->mime, "%s", (const char *)sqlite3_column_text(st, 0));
				snprintf(it->text_status, sizeof it->text_status, "%s", (const char *)sqlite3_column_text(st, 1));
				it->text_chars = sqlite3_column_int64(st, 2);
			}
			sqlite3_finalize(st);
		}
		report(r, it);
		return;
	}
	char *blob = blobstore_path(&r->dd->blobs, it->sha256);
	/* a file from disk was typed before it was copied; ZIP entries are typed here */
	if (!it->mime[0] && detect_mime(blob, it->mime, sizeof it->mime, err) != 0) {
		free(blob);
		reject(r, it, "%s", err);
		return;
	}
	if (r->o->defer_text) {
		free(blob);
		snprintf(it->text_status, sizeof it->text_status, "pending");
		if (insert_document(r, it, NULL, 0, NULL, err) != 0)
			reject(r, it, "%s", err);
		else
			report(r, it);
		return;
	}
	struct extract_result x;
	extract_sandboxed(r->o->self_exe, it->mime, blob, &r->o->limits, &x);
	free(blob);
	snprintf(it->text_status, sizeof it->text_status, "%s", x.status);
	struct thai_quality q;
	memset(&q, 0, sizeof q);
	q.reliable = 1;
	if (x.text) {
		it->text_chars = (long long)extract_count_chars(x.text, x.len);
		thai_quality_check(x.text, x.len, &q);
		if (!q.reliable)
			snprintf(it->text_status, sizeof it->text_status, "unreliable");
	}
	int rc = insert_document(r, it, x.text, x.len, q.reliable ? NULL : q.reason, err);
	free(x.text);
	if (rc != 0)
		reject(r, it, "%s", err);
	else
		report(r, it);
}

/* Stream fd into a blob and ingest it, within the size cap. */
static void ingest_fd(struct run *r, struct ingest_item *it, int fd)
{
	char err[LK_ERRLEN];
	int existed;
	if (blobstore_put_fd(&r->dd->blobs, fd, r->o->max_file, it->sha256, &it->size, &existed, err) != 0) {
		reject(r, it, "%s", err);
		return;
	}
	ingest_committed(r, it);
}

/* 1 when a ZIP entry name could escape a directory if someone unpacked it. */
static int unsafe_entry_name(const char *name)
{
	if (name[0] == '/' || name[0] == '\\' || (name[0] && name[1] == ':'))
		return 1;
	const char *p = name;
	while (*p) {
		size_t n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* Unpack a ZIP entry by entry into the blob store. */
static void ingest_zip(struct run *r, const char *path, uint64_t zip_size)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	struct ingest_item it;
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		memset(&it, 0, sizeof it);
		it.path = path;
		reject(r, &it, "not a readable ZIP archive: %s", archive_error_string(a));
		archive_read_free(a);
		return;
	}
	unsigned entries = 0;
	uint64_t total = 0;
	char *chunk = lk_malloc(1 << 20);
	for (;;) {
		struct archive_entry *e;
		int hrc = archive_read_next_header(a, &e);
		if (hrc == ARCHIVE_EOF)
			break;
		memset(&it, 0, sizeof it);
		if (hrc != ARCHIVE_OK && hrc != ARCHIVE_WARN) {
			it.path = path;
			reject(r, &it, "damaged ZIP archive, stopped reading it: %s", archive_error_string(a));
			break;
		}
		const char *name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		if (!name)
			name = "";
		char *display = lk_asprintf("%s!/%s", path, name);
		it.path = display;
		mode_t type = archive_entry_filetype(e);
		if (type == AE_IFDIR) {
			free(display);
			continue;
		}
		if (++entries > r->o->max_zip_entries) {
			char why[64];
			snprintf(why, sizeof why, "%u", r->o->max_zip_entries);
			reject(r, &it, "ZIP holds more than %s files: the rest was not read", why);
			free(display);
			break;
		}
		if (unsafe_entry_name(name)) {
			reject(r, &it, "unsafe name in ZIP (absolute or with '..'): %s", name);
			free(display);
			continue;
		}
		if (type != AE_IFREG || archive_entry_hardlink(e)) {
			reject(r, &it, "%s", "ZIP entry is a link or special file: not followed");
			free(display);
			continue;
		}
		char *clean = names_clean_basename(name);
		it.filename = clean;
		char err[LK_ERRLEN];
		struct blob_writer *w = NULL;
		int rc = blob_writer_begin(&r->dd->blobs, &w, err);
		while (rc == 0) {
			la_ssize_t n = archive_read_data(a, chunk, 1 << 20);
			if (n == 0)
				break;
			if (n < 0) {
				rc = lk_errf(err, "cannot unpack: %s", archive_error_string(a));
				break;
			}
			total += (uint64_t)n;
			if (blob_writer_size(w) + (uint64_t)n > r->o->max_file)
				rc = lk_errf(err, "file larger than the limit of %llu MiB", (unsigned long long)(r->o->max_file >> 20));
			else if (total > r->o->max_zip_total)
				rc = lk_errf(err, "ZIP unpacks to more than %llu MiB", (unsigned long long)(r->o->max_zip_total >> 20));
			else if (total > (64ULL << 20) && total / (zip_size ? zip_size : 1) > r->o->max_zip_ratio)
				rc = lk_errf(err, "ZIP expands more than %u times its size (a zip bomb?)", r->o->max_zip_ratio);
			else
				rc = blob_writer_write(w, chunk, (size_t)n, err);
		}
		if (rc == 0 && blob_writer_size(w) == 0)
			rc = lk_errf(err, "empty file (0 bytes): nothing to keep as evidence");
		int existed;
		if (rc != 0) {
			blob_writer_abort(w);
			reject(r, &it, "%s", err);
		} else if (blob_writer_commit(w, it.sha256, &it.size, &existed, err) != 0) {
			reject(r, &it, "%s", err);
		} else {
			ingest_committed(r, &it);
		}
		free(clean);
		free(display);
		/* past the total or ratio cap nothing more of this ZIP is worth reading */
		if (total > r->o->max_zip_total || (total > (64ULL << 20) && total / (zip_size ? zip_size : 1) > r->o->max_zip_ratio))
			break;
	}
	free(chunk);
	archive_read_free(a);
}

/* One regular file (or a ZIP to unpack) named path. */
static void ingest_file(struct run *r, const char *path)
{
	struct ingest_item it;
	memset(&it, 0, sizeof it);
	it.path = path;
	/* O_NONBLOCK: opening a FIFO must not hang the batch */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		reject(r, &it, "%s", strerror(errno));
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		reject(r, &it, "%s", "not a regular file");
		return;
	}
	if (st.st_size == 0) {
		close(fd);
		reject(r, &it, "%s", "empty file (0 bytes): nothing to keep as evidence");
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	char err[LK_ERRLEN];
	if (detect_mime(path, it.mime, sizeof it.mime, err) == 0 && detect_is_zip_container(path, it.mime)) {
		close(fd);
		ingest_zip(r, path, (uint64_t)st.st_size);
		return;
	}
	char *clean = names_clean_basename(path);
	it.filename = clean;
	ingest_fd(r, &it, fd);
	close(fd);
	free(clean);
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

int ingest_path(struct datadir *dd, const char *path, const struct ingest_opts *o,
		ingest_report_fn fn, void *arg)
{
	struct run r = {dd, o, fn, arg, 0};
	struct ingest_item it;
	struct stat st;
	memset(&it, 0, sizeof it);
	it.path = path;
	if (stat(path, &st) != 0) {
		reject(&r, &it, "%s", strerror(errno));
		return r.rejected;
	}
	if (!S_ISDIR(st.st_mode)) {
		ingest_file(&r, path);
		return r.rejected;
	}
	char *const roots[] = {(char *)path, NULL};
	/* physical walk: links inside the tree are reported, never followed,
	 * so a link loop or a link out of the folder cannot hurt */
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_COMFOLLOW, by_name);
	if (!fts) {
		reject(&r, &it, "%s", strerror(errno));
		return r.rejected;
	}
	FTSENT *e;
	while ((e = fts_read(fts))) {
		memset(&it, 0, sizeof it);
		it.path = e->fts_path;
		switch (e->fts_info) {
		case FTS_F:
			ingest_file(&r, e->fts_path);
			break;
		case FTS_SL:
		case FTS_SLNONE:
			reject(&r, &it, "%s", "symbolic link inside a folder: not followed");
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			reject(&r, &it, "%s", strerror(e->fts_errno));
			break;
		case FTS_DC:
			reject(&r, &it, "%s", "directory cycle: not followed");
			break;
		case FTS_DEFAULT:
			reject(&r, &it, "%s", "not a regular file");
			break;
		default:
			break;   /* directories (pre and post order), dot entries */
		}
	}
	fts_close(fts);
	return r.rejected;
}

int ingest_blob(struct datadir *dd, const struct ingest_opts *o, const char *filename,
		const char *hex, uint64_t size, struct ingest_item *item)
{
	struct run r = {dd, o, NULL, NULL, 0};
	memset(item, 0, sizeof *item);
	item->path = filename;
	item->filename = filename;
	snprintf(item->sha256, sizeof item->sha256, "%s", hex);
	item->size = size;
	ingest_committed(&r, item);
	return r.rejected ? -1 : 0;
}

int ingest_extract_pending(struct datadir *dd, const struct ingest_opts *o, long long id, char *err)
{
	sqlite3 *db = dd->db;
	sqlite3_stmt *st = NULL;
	char hex[65] = "", mime[128] = "";
	int rc = -1;
	if (db_prepare(db, &st, "SELECT sha256, mime FROM document WHERE id = ? AND text_status = 'pending'", err) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(hex, sizeof hex, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(mime, sizeof mime, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!hex[0])
		return 0;
	char *blob = blobstore_path(&dd->blobs, hex);
	struct extract_result x;
	extract_sandboxed(o->self_exe, mime, blob, &o->limits, &x);
	free(blob);
	struct thai_quality q;
	memset(&q, 0, sizeof q);
	q.reliable = 1;
	long long chars = 0;
	if (x.text) {
		chars = (long long)extract_count_chars(x.text, x.len);
		thai_quality_check(x.text, x.len, &q);
		if (!q.reliable)
			snprintf(x.status, sizeof x.status, "unreliable");
	}
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		goto out;
	if (x.text) {
		if (db_prepare(db, &st, "INSERT INTO document_text (document_id, text, quality)"
			       " SELECT id, ?, ? FROM document WHERE id = ? AND text_status = 'pending'", err) != 0)
			goto rollback;
		sqlite3_bind_text(st, 1, x.text, (int)x.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, q.reliable ? "" : q.reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			lk_errf(err, "database: %s", sqlite3_errmsg(db));
			goto rollback;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (x.text && set_evidence_date(db, id, x.text, x.len, err) != 0)
		goto rollback;
	if (db_prepare(db, &st, "UPDATE document SET text_status = ?, text_chars = ?"
		       " WHERE id = ? AND text_status = 'pending'", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, x.status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, chars);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	if (db_exec(db, "COMMIT", err) != 0)
		goto rollback;
	rc = 0;
	goto out;
rollback:
	db_exec(db, "ROLLBACK", NULL);
out:
	sqlite3_finalize(st);
	free(x.text);
	return rc;
}
