/*
 * audit: append to and verify the hash-chained audit log.
 *
 * The canonical serialisation of a record is the compact JSON array
 *   [seq, at, actor, action, object, detail, prev]
 * as jansson writes it (strings escaped one way only, UTF-8 kept), with
 * detail as the stored canonical text of the JSON object. A JSON array of
 * strings and one integer is unambiguous: no choice of field contents can make
 * two different records serialise alike. hash = hex SHA-256 of that text.
 */
#include "lakthan/audit.h"
#include "lakthan/db.h"
#include "lakthan/util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int audit_verify(sqlite3 *db, struct audit_check *out, char *err)
{
	sqlite3_stmt *st = NULL;
	char prev[65], hash[65];
	long long want = 1;
	memset(out, 0, sizeof out[0]);
	snprintf(prev, sizeof prev, "%s", zero_hash);
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
	return 0;
}
