/* verify: recompute what the archive promises and report every difference. */
#include "lakthan/verify.h"
#include "lakthan/audit.h"
#include "lakthan/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vctx {
	struct datadir *dd;
	verify_report_fn fn;
	void *arg;
	struct verify_summary *sum;
	sqlite3_stmt *has_row;
};

static void problem(struct vctx *v, const char *kind, long long doc, const char *hex, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void problem(struct vctx *v, const char *kind, long long doc, const char *hex, const char *fmt, ...)
{
	struct verify_problem p;
	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.document = doc;
	snprintf(p.sha256, sizeof p.sha256, "%s", hex ? hex : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p.message, sizeof p.message, fmt, ap);
	va_end(ap);
	v->sum->problems++;
	if (v->fn)
		v->fn(&p, v->arg);
}

/* blobstore_each callback: a blob with no document row is an orphan. */
static int check_orphan(const char *hex, void *arg)
{
	struct vctx *v = arg;
	v->sum->blobs++;
	sqlite3_reset(v->has_row);
	sqlite3_bind_text(v->has_row, 1, hex, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(v->has_row) != SQLITE_ROW)
		problem(v, "orphan_blob", 0, hex, "blob %s belongs to no document (left by an interrupted ingest or purge?)", hex);
	return 0;
}

int verify_archive(struct datadir *dd, verify_report_fn fn, void *arg,
		   struct verify_summary *sum, char *err)
{
	struct vctx v = {dd, fn, arg, sum, NULL};
	sqlite3_stmt *st = NULL;
	memset(sum, 0, sizeof *sum);
	int rc = -1;

	/* a read transaction: one consistent snapshot while we hash */
	if (db_exec(dd->db, "BEGIN", err) != 0)
		return -1;
	if (db_prepare(dd->db, &st, "PRAGMA integrity_check", err) != 0)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(st, 0);
		if (msg && strcmp(msg, "ok") != 0)
			problem(&v, "database", 0, NULL, "database integrity: %s", msg);
	}
	sqlite3_finalize(st);
	st = NULL;

	if (db_prepare(dd->db, &st,
		       "SELECT d.id, d.sha256, d.size, d.text_status, t.document_id IS NOT NULL, d.purged_at IS NOT NULL"
		       " FROM document d LEFT JOIN document_text t ON t.document_id = d.id ORDER BY d.id", err) != 0)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *hex = (const char *)sqlite3_column_text(st, 1);
		long long size = sqlite3_column_int64(st, 2);
		const char *ts = (const char *)sqlite3_column_text(st, 3);
		int has_text = sqlite3_column_int(st, 4);
		sum->documents++;
		/* a purged document has, by design, neither its file nor its text */
		if (sqlite3_column_int(st, 5))
			continue;
		char *path = blobstore_path(&dd->blobs, hex);
		char got[65], msg[LK_ERRLEN];
		uint64_t got_size;
		if (blobstore_hash_file(path, got, &got_size, msg) != 0)
			problem(&v, "missing_blob", id, hex, "document %lld: its file cannot be read: %s", id, msg);
		else if (strcmp(got, hex) != 0 || (long long)got_size != size)
			problem(&v, "corrupt_blob", id, hex, "document %lld: stored file changed (SHA-256 now %s, %llu bytes)", id, got, (unsigned long long)got_size);
		else
			sum->bytes += size;
		free(path);
		if ((strcmp(ts, "ok") == 0 || strcmp(ts, "unreliable") == 0) && !has_text)
			problem(&v, "missing_text", id, hex, "document %lld: text_status is %s but no text is stored", id, ts);
	}
	sqlite3_finalize(st);
	st = NULL;

	/* the audit chain: the first record whose hash or link does not hold */
	struct audit_check ac;
	char amsg[LK_ERRLEN];
	if (audit_verify(dd->db, &ac, amsg) != 0)
		problem(&v, "audit_chain", 0, NULL, "cannot read the audit log: %s", amsg);
	else if (ac.broken_seq)
		problem(&v, "audit_chain", 0, NULL, "audit log broken at record %lld: %s", ac.broken_seq, ac.why);

	if (db_prepare(dd->db, &v.has_row, "SELECT 1 FROM document WHERE sha256 = ? AND purged_at IS NULL", err) != 0)
		goto out;
	char msg[LK_ERRLEN];
	if (blobstore_each(&dd->blobs, check_orphan, &v, msg) < 0)
		problem(&v, "blobstore", 0, NULL, "cannot list the blob store: %s", msg);
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(v.has_row);
	db_exec(dd->db, "COMMIT", NULL);
	return rc;
}
