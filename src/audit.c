/*
 * audit: append to and verify the hash-chained audit log.
 *
 * The canonical serialisation of a record is the compact JSON array
 *   [seq, at, actor, action, object, detail, prev]
 * as jansson writes it (strings escaped one way only, UTF-8 kept), with
 * detail as the stored canonical text of the JSON object. A JSON array of
 * strings and one integer is unambiguous: no choice of field contents can make
 * two different records serialise alike. hash = hex SHA-256 of that text.
 *
 * The chain head: after every commit that wrote audit records, the last
 * record's seq and hash go to the file `audit-head` next to the database
 * (written to a temp file, fsynced, renamed, directory fsynced; serialised
 * between processes by flock on `audit-head.lock`). The chain alone cannot
 * show that its last records were deleted; the head, kept outside the
 * database, can (docs/ARCHITECTURE.md, "Audit").
 */
#include "lakthan/audit.h"
#include "lakthan/db.h"
#include "lakthan/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static const char zero_hash[] = "0000000000000000000000000000000000000000000000000000000000000000";

void audit_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char md[32];
	unsigned int len = 0;
	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
}

/* The hash of one record, from its stored fields. */
static void record_hash(long long seq, const char *at, const char *actor, const char *action,
			const char *object, const char *detail, const char *prev, char hex[65])
{
	json_t *a = json_pack("[I,s,s,s,s,s,s]", (json_int_t)seq, at, actor, action, object, detail, prev);
	char *s = a ? json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	/* json_pack fails only on invalid UTF-8, which the database never hands
	 * back for text we stored; hash the empty string so the mismatch shows */
	audit_sha256_hex(s ? s : "", s ? strlen(s) : 0, hex);
	free(s);
	json_decref(a);
}

int audit_append_json(sqlite3 *db, const char *actor, const char *action, const char *object,
		      json_t *detail, char *err)
{
	sqlite3_stmt *st = NULL;
	char prev[65], hash[65], now[32];
	long long seq = 1;
	int rc = -1;
	char *canon = NULL;

	if (detail && !json_is_object(detail))
		return lk_errf(err, "audit detail must be a JSON object");
	canon = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : lk_strdup("{}");
	if (!canon)
		return lk_errf(err, "audit detail cannot be serialised");
	if (!actor || !*actor)
		actor = "system";
	snprintf(prev, sizeof prev, "%s", zero_hash);
	if (db_prepare(db, &st, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", err) != 0)
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	st = NULL;
	lk_now_iso(now);
	record_hash(seq, now, actor, action, object, canon, prev, hash);
	if (db_prepare(db, &st, "INSERT INTO audit (seq, at, actor, action, object, detail, prev, hash)"
		       " VALUES (?,?,?,?,?,?,?,?)", err) != 0)
		goto out;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, object, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, canon, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		lk_errf(err, "audit: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	free(canon);
	return rc;
}

int audit_append(sqlite3 *db, const char *actor, const char *action, const char *object,
		 const char *detail_json, char *err)
{
	json_t *d = NULL;
	if (detail_json) {
		json_error_t je;
		d = json_loads(detail_json, 0, &je);
		if (!d)
			return lk_errf(err, "audit detail is not JSON: %s", je.text);
	}
	int rc = audit_append_json(db, actor, action, object, d, err);
	json_decref(d);
	return rc;
}

int audit_record(sqlite3 *db, const char *actor, const char *action, const char *object,
		 json_t *detail, char *err)
{
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	if (audit_append_json(db, actor, action, object, detail, err) != 0 ||
	    db_exec(db, "COMMIT", err) != 0) {
		db_exec(db, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

/* One object's history for people (a document page shows who saw and changed
 * it): read by the audit_object index, newest first, so a long-lived
 * document's page does not scan the whole log. */
json_t *audit_of_object(sqlite3 *db, const char *object, int limit, char *err)
{
	sqlite3_stmt *st = NULL;
	if (db_prepare(db, &st, "SELECT seq, at, actor, action, detail FROM audit WHERE object = ?1"
		       " ORDER BY seq DESC LIMIT ?2", err) != 0)
		return NULL;
	sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit);
	json_t *a = json_array();
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 4);
		json_t *detail = d ? json_loads(d, 0, NULL) : NULL;
		if (!json_is_object(detail)) {
			json_decref(detail);
			detail = json_object();
		}
		const char *at = (const char *)sqlite3_column_text(st, 1), *actor = (const char *)sqlite3_column_text(st, 2),
			   *action = (const char *)sqlite3_column_text(st, 3);
		json_t *o = json_pack("{s:I, s:s?, s:s?, s:s?, s:o}", "seq", (json_int_t)sqlite3_column_int64(st, 0),
				      "at", at, "actor", actor, "action", action, "detail", detail);
		if (o)
			json_array_append_new(a, o);
	}
	if (step != SQLITE_DONE) {
		lk_errf(err, "reading the audit log: %s", sqlite3_errmsg(db));
		json_decref(a);
		a = NULL;
	}
	sqlite3_finalize(st);
	return a;
}

static char *head_file(sqlite3 *db, const char *name);
static int head_read(const char *path, long long *seq, char hash[65]);
static void head_check(long long hseq, const char *hhash, int hstate, sqlite3 *db, struct audit_check *out);

int audit_verify(sqlite3 *db, struct audit_check *out, char *err)
{
	sqlite3_stmt *st = NULL;
	char prev[65], hash[65];
	long long want = 1;
	memset(out, 0, sizeof out[0]);
	snprintf(prev, sizeof prev, "%s", zero_hash);
	long long hseq = 0;
	char hhash[65] = "";
	char *hpath = head_file(db, "audit-head");
	int hstate = hpath ? head_read(hpath, &hseq, hhash) : 2;   /* 2: no file to keep */
	free(hpath);
	if (db_prepare(db, &st, "SELECT seq, at, actor, action, object, detail, prev, hash"
		       " FROM audit ORDER BY seq", err) != 0)
		return -1;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		const char *f[7];
		for (int i = 0; i < 7; i++) {
			f[i] = (const char *)sqlite3_column_text(st, i + 1);
			if (!f[i])
				f[i] = "";
		}
		out->records++;
		if (seq != want) {
			out->broken_seq = seq;
			snprintf(out->why, sizeof out->why, "record %lld follows record %lld: %lld record(s) missing",
				 seq, want - 1, seq - want);
			break;
		}
		if (strcmp(f[5], prev) != 0) {
			out->broken_seq = seq;
			snprintf(out->why, sizeof out->why, "record %lld does not point at the hash of record %lld",
				 seq, seq - 1);
			break;
		}
		record_hash(seq, f[0], f[1], f[2], f[3], f[4], f[5], hash);
		if (strcmp(hash, f[6]) != 0) {
			out->broken_seq = seq;
			snprintf(out->why, sizeof out->why, "record %lld (%s %s) was changed after it was written",
				 seq, f[2], f[3]);
			break;
		}
		snprintf(prev, sizeof prev, "%s", f[6]);
		want++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		lk_errf(err, "reading the audit log: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (hstate != 2)
		head_check(hseq, hhash, hstate, db, out);
	return 0;
}

/* ---- the chain head, kept outside the database ---- */

/* dir/name for the database of db, or NULL for a database without a file
 * (":memory:", a temporary one). Caller frees. */
static char *head_file(sqlite3 *db, const char *name)
{
	const char *f = sqlite3_db_filename(db, "main");
	if (!f || !*f)
		return NULL;
	char *copy = lk_strdup(f);
	char *p = lk_asprintf("%s/%s", dirname(copy), name);
	free(copy);
	return p;
}

/* Read "SEQ HASH\n" from path: 1 read, 0 no file, -1 unreadable or garbled. */
static int head_read(const char *path, long long *seq, char hash[65])
{
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	char line[160];
	int rc = -1;
	if (fgets(line, sizeof line, f) && sscanf(line, "%lld %64s", seq, hash) == 2 && strlen(hash) == 64 && *seq > 0)
		rc = 1;
	fclose(f);
	return rc;
}

/* The newest seq this process wrote to a head file, per file: a commit that
 * added no audit record then costs one indexed lookup and no file I/O. */
static struct {
	pthread_mutex_t lock;
	char *path[8];
	long long seq[8];
} written = {.lock = PTHREAD_MUTEX_INITIALIZER};

static long long written_get(const char *path)
{
	long long v = 0;
	pthread_mutex_lock(&written.lock);
	for (int i = 0; i < 8 && written.path[i]; i++)
		if (strcmp(written.path[i], path) == 0)
			v = written.seq[i];
	pthread_mutex_unlock(&written.lock);
	return v;
}

static void written_set(const char *path, long long seq)
{
	pthread_mutex_lock(&written.lock);
	int i = 0;
	while (i < 8 && written.path[i] && strcmp(written.path[i], path) != 0)
		i++;
	if (i == 8) {   /* a process that opened many archives: forget the oldest */
		free(written.path[0]);
		memmove(written.path, written.path + 1, 7 * sizeof written.path[0]);
		memmove(written.seq, written.seq + 1, 7 * sizeof written.seq[0]);
		i = 7;
		written.path[i] = NULL;
	}
	if (!written.path[i])
		written.path[i] = lk_strdup(path);
	if (seq > written.seq[i])
		written.seq[i] = seq;
	pthread_mutex_unlock(&written.lock);
}

/* Replace the head file with (seq, hash) unless it already holds seq or a
 * later record: under the lock file, so processes and threads committing
 * at once never move the head backwards. */
static int head_write(sqlite3 *db, long long seq, const char *hash)
{
	char *path = head_file(db, "audit-head"), *lockp = head_file(db, "audit-head.lock");
	char *tmp = path ? lk_asprintf("%s.tmp", path) : NULL;
	int rc = -1, lfd = -1;
	if (!path || !lockp || seq <= written_get(path)) {
		rc = 0;
		goto out;
	}
	lfd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0 || flock(lfd, LOCK_EX) != 0)
		goto out;
	long long cur = 0;
	char curhash[65];
	if (head_read(path, &cur, curhash) == 1 && cur >= seq) {
		written_set(path, cur);
		rc = 0;
		goto out;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	char line[128];
	int n = snprintf(line, sizeof line, "%lld %s\n", seq, hash);
	int bad = write(fd, line, (size_t)n) != n || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad || rename(tmp, path) != 0)
		goto out;
	char *copy = lk_strdup(path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	written_set(path, seq);
	rc = 0;
out:
	if (lfd >= 0)
		close(lfd);   /* releases the flock */
	free(path);
	free(lockp);
	free(tmp);
	return rc;
}

/*
 * SQLite calls this after every commit in WAL mode: the commit is durable,
 * so the head may move to the last record now. It replaces SQLite's own
 * auto-checkpoint hook, so it checkpoints the same way (1000 pages).
 */
static int after_commit(void *arg, sqlite3 *db, const char *zdb, int frames)
{
	(void)arg;
	if (strcmp(zdb, "main") == 0) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW) {
				const char *h = (const char *)sqlite3_column_text(st, 1);
				if (h && head_write(db, sqlite3_column_int64(st, 0), h) != 0)
					fprintf(stderr, "lakthan: audit: cannot write audit-head: %s\n", strerror(errno));
			}
			sqlite3_finalize(st);
		}
	}
	if (frames >= 1000)
		sqlite3_wal_checkpoint_v2(db, zdb, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

void audit_head_attach(sqlite3 *db)
{
	sqlite3_wal_hook(db, after_commit, NULL);
}

/* Compare the chain with the head file (read before the chain, so a commit
 * in between can only make the chain longer than the head, never shorter). */
static void head_check(long long hseq, const char *hhash, int hstate, sqlite3 *db, struct audit_check *out)
{
	if (out->broken_seq)
		return;
	if (hstate < 0) {
		out->broken_seq = out->records ? out->records : 1;
		snprintf(out->why, sizeof out->why, "the chain head file audit-head is unreadable");
		return;
	}
	if (hstate == 0) {
		if (out->records) {
			out->broken_seq = out->records;
			snprintf(out->why, sizeof out->why, "the chain head file audit-head is missing, so the end of the log cannot be checked");
		}
		return;
	}
	if (hseq > out->records) {
		out->broken_seq = out->records + 1;
		snprintf(out->why, sizeof out->why, "record %lld, which audit-head says was written, is missing: the log was cut after record %lld",
			 out->records + 1, out->records);
		return;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT hash FROM audit WHERE seq = ?1", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, hseq);
	if (sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), hhash) != 0) {
		out->broken_seq = hseq;
		snprintf(out->why, sizeof out->why, "record %lld is not the one audit-head recorded: the log was rewritten from there", hseq);
	}
	sqlite3_finalize(st);
}
