/*
 * audit: the append-only, hash-chained audit log (table `audit`, schema 004).
 *
 * Every change (upload, edit, withdrawal, account change ...) and every view
 * or download appends one record: seq, at, actor, action, object, detail (a
 * JSON object), prev and hash. hash = SHA-256 of the canonical serialisation
 * of the record with prev (see audit.c), and prev is the previous record's
 * hash, so any edited, removed or reordered record breaks the chain at that
 * record. audit_verify() recomputes the chain and names the first break.
 *
 * audit_append() must run inside the caller's write transaction (BEGIN
 * IMMEDIATE) that makes the change, so the record exists exactly when the
 * change does, and concurrent writers cannot fork the chain.
 *
 * The chain head (seq and hash of the last record) is also kept outside the
 * database, in the file `audit-head` next to it, rewritten after each commit
 * (audit_head_attach), so that deleting the last records — which leaves a
 * chain that is sound as far as it goes — is detected by audit_verify().
 */
#ifndef LAKTHAN_AUDIT_H
#define LAKTHAN_AUDIT_H
#include <sqlite3.h>
#include <jansson.h>

/*
 * Append one record. detail_json is a JSON object as text (NULL: {}); it is
 * stored in canonical form (sorted keys, compact). -1 with err when detail is
 * not a JSON object or the database refuses.
 */
int audit_append(sqlite3 *db, const char *actor, const char *action, const char *object,
		 const char *detail_json, char *err);

/* The same with detail as a jansson object (borrowed, may be NULL). */
int audit_append_json(sqlite3 *db, const char *actor, const char *action, const char *object,
		      json_t *detail, char *err);

/*
 * Append one record in a transaction of its own: for reads (views and
 * downloads), which change nothing else.
 */
int audit_record(sqlite3 *db, const char *actor, const char *action, const char *object,
		 json_t *detail, char *err);

/*
 * The records whose object is object (e.g. "document:7"), newest first, at
 * most limit of them: a JSON array of {seq, at, actor, action, detail} with
 * detail parsed back into an object. NULL with err when the database fails.
 */
json_t *audit_of_object(sqlite3 *db, const char *object, int limit, char *err);

/* What audit_verify() found. */
struct audit_check {
	long long records;     /* records read */
	long long broken_seq;  /* first broken record (0: the chain is sound) */
	char why[256];         /* what is wrong with it */
};

/* Recompute the whole chain and compare its end with audit-head (a chain
 * shorter than the head, or a different record at the head's seq, is
 * broken; a longer one is a commit whose head write a crash cut). -1 only when it cannot be read (err says why);
 * a broken chain is 0 with out->broken_seq set. */
int audit_verify(sqlite3 *db, struct audit_check *out, char *err);

/* Keep the head file of db's archive up to date after every commit
 * (a WAL hook; db_open() attaches it to every connection). */
void audit_head_attach(sqlite3 *db);

/* Hex SHA-256 of p[0..n) into hex (65 bytes). */
void audit_sha256_hex(const void *p, size_t n, char hex[65]);

#endif
