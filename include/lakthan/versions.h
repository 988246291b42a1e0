/*
 * versions: a document that supersedes another, and purging a withdrawn one.
 *
 * Documents are never overwritten (schema/005-versions.sql). A new version is
 * a new document whose `supersedes` names the one it replaces; the old one
 * stays, searchable, and reads as superseded. A document may be superseded by
 * one document only, may not supersede itself, and the chain may not loop.
 *
 * Purging is the only way bytes leave the archive: an admin, and only for a
 * withdrawn document. The text, the index entry and (after the commit) the
 * blob go; the row stays with purged_at / purged_by / purged_reason, and so
 * does every audit record about it.
 *
 * Results: VERSIONS_OK (0), or why not — the caller maps that to an HTTP
 * status or an exit code; err always says it in words.
 */
#ifndef LAKTHAN_VERSIONS_H
#define LAKTHAN_VERSIONS_H
#include <sqlite3.h>
#include "lakthan/datadir.h"
#include "lakthan/util.h"

enum versions_result {
	VERSIONS_OK = 0,
	VERSIONS_NOT_FOUND,      /* the document (or the one to supersede) does not exist */
	VERSIONS_INVALID,        /* itself, a cycle, or the target already superseded */
	VERSIONS_CONFLICT,       /* purge: not withdrawn, or purged already */
	VERSIONS_DB,             /* the database (or the blob store) failed */
};

/*
 * Whether document id (0: one not yet inserted) may supersede target; no
 * change. id itself must exist when non-zero.
 */
enum versions_result versions_check(sqlite3 *db, long long id, long long target, char *err);

/*
 * Make id supersede target and append the "supersede" audit record by actor.
 * Must run inside the caller's write transaction (BEGIN IMMEDIATE), which it
 * neither commits nor rolls back.
 */
enum versions_result versions_supersede(sqlite3 *db, long long id, long long target, const char *actor,
					char *err);

/* The same in a transaction of its own. */
enum versions_result versions_supersede_tx(sqlite3 *db, long long id, long long target, const char *actor,
					   char *err);

/* The document that supersedes id, or 0 when none (or on a database error). */
long long versions_superseded_by(sqlite3 *db, long long id);

/*
 * Purge withdrawn document id: in one transaction drop its text and index
 * entry, set purged_at / purged_by / purged_reason and append the "purge"
 * audit record; after the commit remove its blob unless another document
 * names the same SHA-256. A crash after the commit leaves an orphan blob,
 * which verify reports. VERSIONS_CONFLICT when it is not withdrawn or is
 * purged already. *blob_kept (may be NULL) is 1 when the blob stayed because
 * another document shares it or removing it failed (err then says why, and
 * the result is still VERSIONS_OK: the purge itself is committed).
 */
enum versions_result versions_purge(struct datadir *dd, long long id, const char *actor, const char *reason,
				    int *blob_kept, char *err);

#endif
