/* versions: supersede and purge (see versions.h and schema/005-versions.sql). */
#include "lakthan/versions.h"
#include "lakthan/audit.h"
#include "lakthan/blobstore.h"
#include "lakthan/db.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One integer of a one-row query with one id parameter: 1 found (*out set,
 * 0 for NULL), 0 no row, -1 database error. */
static int one_int(sqlite3 *db, const char *sql, long long id, long long *out, char *err)
{
	sqlite3_stmt *st;
	if (db_prepare(db, &st, sql, err) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int s = sqlite3_step(st), rc = 0;
	if (s == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 1;
	} else if (s != SQLITE_DONE) {
		rc = lk_errf(err, "database: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return rc;
}

enum versions_result versions_check(sqlite3 *db, long long id, long long target, char *err)
{
	long long v;
	int r;
	if (id && target == id) {
		lk_errf(err, "document %lld cannot supersede itself", id);
		return VERSIONS_INVALID;
	}
	if ((r = one_int(db, "SELECT coalesce(supersedes, 0) FROM document WHERE id = ?", target, &v, err)) <= 0) {
		if (r == 0)
			lk_errf(err, "there is no document %lld to supersede", target);
		return r < 0 ? VERSIONS_DB : VERSIONS_NOT_FOUND;
	}
	if ((r = one_int(db, "SELECT id FROM document WHERE supersedes = ?", target, &v, err)) < 0)
		return VERSIONS_DB;
	if (r == 1 && v != id) {
		lk_errf(err, "document %lld is already superseded by document %lld", target, v);
		return VERSIONS_CONFLICT;
	}
	/* walk what target supersedes, and what that supersedes ...: meeting id
	 * there would close a loop. The chain is short and loop-free (every
	 * link was checked like this one); the cap only guards a hand-edited db. */
	long long t = target;
	for (int steps = 0; id && t && steps < 1000000; steps++) {
		if ((r = one_int(db, "SELECT coalesce(supersedes, 0) FROM document WHERE id = ?", t, &v, err)) < 0)
			return VERSIONS_DB;
		t = r ? v : 0;
		if (t == id) {
			lk_errf(err, "document %lld supersedes document %lld already (directly or through newer versions): "
				"that would be a cycle", target, id);
			return VERSIONS_INVALID;
		}
	}
	return VERSIONS_OK;
}

enum versions_result versions_supersede(sqlite3 *db, long long id, long long target, const char *actor,
					char *err)
{
	long long cur;
	int r = one_int(db, "SELECT coalesce(supersedes, 0) FROM document WHERE id = ?", id, &cur, err);
	if (r <= 0) {
		if (r == 0)
			lk_errf(err, "no document %lld", id);
		return r < 0 ? VERSIONS_DB : VERSIONS_NOT_FOUND;
	}
	if (cur == target)
		return VERSIONS_OK;   /* said again: nothing changes, nothing to audit */
	if (cur) {
		/* the link is part of the record: it is never rewritten */
		lk_errf(err, "document %lld already supersedes document %lld", id, cur);
		return VERSIONS_CONFLICT;
	}
	enum versions_result vr = versions_check(db, id, target, err);
	if (vr != VERSIONS_OK)
		return vr;
	sqlite3_stmt *st;
	if (db_prepare(db, &st, "UPDATE document SET supersedes = ? WHERE id = ?", err) != 0)
		return VERSIONS_DB;
	sqlite3_bind_int64(st, 1, target);
	sqlite3_bind_int64(st, 2, id);
	int s = sqlite3_step(st);
	sqlite3_finalize(st);
	if (s != SQLITE_DONE) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		return VERSIONS_DB;
	}
	char object[48];
	snprintf(object, sizeof object, "document:%lld", id);
	json_t *detail = json_pack("{s:I}", "supersedes", (json_int_t)target);
	int arc = audit_append_json(db, actor, "supersede", object, detail, err);
	json_decref(detail);
	return arc == 0 ? VERSIONS_OK : VERSIONS_DB;
}

enum versions_result versions_supersede_tx(sqlite3 *db, long long id, long long target, const char *actor,
					   char *err)
{
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		return VERSIONS_DB;
	enum versions_result vr = versions_supersede(db, id, target, actor, err);
	if (vr == VERSIONS_OK && db_exec(db, "COMMIT", err) != 0)
		vr = VERSIONS_DB;
	if (vr != VERSIONS_OK)
		db_exec(db, "ROLLBACK", NULL);
	return vr;
}

long long versions_superseded_by(sqlite3 *db, long long id)
{
	long long v = 0;
	char err[LK_ERRLEN];
	if (one_int(db, "SELECT id FROM document WHERE supersedes = ?", id, &v, err) != 1)
		return 0;
	return v;
}

enum versions_result versions_purge(struct datadir *dd, long long id, const char *actor, const char *reason,
				    int *blob_kept, char *err)
{
	sqlite3 *db = dd->db;
	sqlite3_stmt *st = NULL;
	enum versions_result vr = VERSIONS_DB;
	char hex[65] = "", now[32], object[48];
	if (blob_kept)
		*blob_kept = 0;
	lk_now_iso(now);
	snprintf(object, sizeof object, "document:%lld", id);
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		return VERSIONS_DB;
	if (db_prepare(db, &st, "SELECT sha256, withdrawn_at IS NOT NULL, purged_at IS NOT NULL FROM document WHERE id = ?",
		       err) != 0)
		goto rollback;
	sqlite3_bind_int64(st, 1, id);
	int s = sqlite3_step(st);
	if (s != SQLITE_ROW) {
		if (s == SQLITE_DONE) {
			lk_errf(err, "no document %lld", id);
			vr = VERSIONS_NOT_FOUND;
		} else {
			lk_errf(err, "database: %s", sqlite3_errmsg(db));
		}
		goto rollback;
	}
	snprintf(hex, sizeof hex, "%s", (const char *)sqlite3_column_text(st, 0));
	int withdrawn = sqlite3_column_int(st, 1), purged = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	st = NULL;
	if (purged || !withdrawn) {
		lk_errf(err, purged ? "document %lld is purged already"
				    : "document %lld is not withdrawn: withdraw it first (with a reason), then purge", id);
		vr = VERSIONS_CONFLICT;
		goto rollback;
	}
	/* the text goes (its trigger re-indexes the row with an empty body),
	 * then the index entry with exactly the values indexed now, then the
	 * row is marked: search_source leaves purged rows out from here on */
	if (db_prepare(db, &st, "DELETE FROM document_text WHERE document_id = ?", err) != 0)
		goto rollback;
	sqlite3_bind_int64(st, 1, id);
	s = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (s != SQLITE_DONE)
		goto dberr;
	if (db_prepare(db, &st, "INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)"
		       " SELECT 'delete', id, title, filename, description, '' FROM document WHERE id = ?", err) != 0)
		goto rollback;
	sqlite3_bind_int64(st, 1, id);
	s = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (s != SQLITE_DONE)
		goto dberr;
	if (db_prepare(db, &st, "UPDATE document SET purged_at = ?, purged_by = ?, purged_reason = ? WHERE id = ?", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, id);
	s = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (s != SQLITE_DONE)
		goto dberr;
	json_t *detail = json_pack("{s:s, s:s}", "reason", reason, "sha256", hex);
	int arc = audit_append_json(db, actor, "purge", object, detail, err);
	json_decref(detail);
	if (arc != 0 || db_exec(db, "COMMIT", err) != 0)
		goto rollback;

	/* committed: now the bytes. Documents are unique by SHA-256, so another
	 * (unpurged) row naming the blob is not expected, but it would need it. */
	long long others = 0;
	if (one_int(db, "SELECT count(*) FROM document WHERE sha256 = (SELECT sha256 FROM document WHERE id = ?1)"
		    " AND id <> ?1 AND purged_at IS NULL", id, &others, err) < 0 || others) {
		if (blob_kept)
			*blob_kept = 1;
		if (others)
			lk_errf(err, "its file is kept: %lld other document(s) have the same bytes", others);
		return VERSIONS_OK;
	}
	char *path = blobstore_path(&dd->blobs, hex);
	if (unlink(path) != 0 && errno != ENOENT) {
		lk_errf(err, "purged, but its file %s could not be removed (verify reports it as an orphan): %s", path,
			strerror(errno));
		if (blob_kept)
			*blob_kept = 1;
	}
	free(path);
	return VERSIONS_OK;
dberr:
	lk_errf(err, "database: %s", sqlite3_errmsg(db));
rollback:
	sqlite3_finalize(st);
	db_exec(db, "ROLLBACK", NULL);
	return vr;
}
