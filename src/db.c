/* db: open the archive's SQLite database and bring its schema up to date. */
#include "lakthan/db.h"
#include "lakthan/audit.h"
#include "lakthan/embedded.h"
#include "lakthan/fts_thai.h"
#include "lakthan/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "schema/012-foo.sql" → 12; -1 when the name is not a migration. */
static int migration_number(const char *name)
{
	if (strncmp(name, "schema/", 7) != 0)
		return -1;
	const char *p = name + 7;
	int n = 0, digits = 0;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (*p++ - '0');
		digits++;
	}
	if (digits != 3 || *p != '-' || !strstr(p, ".sql"))
		return -1;
	return n;
}

int db_schema_latest(void)
{
	int latest = 0;
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		int n = migration_number(f->name);
		if (n > latest)
			latest = n;
	}
	return latest;
}

int db_exec(sqlite3 *db, const char *sql, char *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		lk_errf(err, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql, char *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	return 0;
}

int db_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Apply every embedded migration newer than the database, in order. */
static int migrate(sqlite3 *db, char *err)
{
	int have = db_schema_version(db);
	int latest = db_schema_latest();
	if (have < 0)
		return lk_errf(err, "cannot read the schema version: %s", sqlite3_errmsg(db));
	if (have > latest)
		return lk_errf(err, "this archive has schema version %d, newer than this lakthan knows (%d): upgrade lakthan to open it", have, latest);
	for (int want = have + 1; want <= latest; want++) {
		const struct embedded_file *m = NULL;
		for (const struct embedded_file *f = embedded_files; f->name; f++)
			if (migration_number(f->name) == want)
				m = f;
		if (!m)
			return lk_errf(err, "schema migration %03d is missing from this build", want);
		char msg[LK_ERRLEN];
		char *pragma = lk_asprintf("PRAGMA user_version = %d", want);
		int rc = db_exec(db, "BEGIN IMMEDIATE", msg);
		/* another process may have applied it while this one waited for
		 * the write lock */
		if (rc == 0 && db_schema_version(db) >= want) {
			free(pragma);
			if (db_exec(db, "COMMIT", msg) != 0)
				return lk_errf(err, "applying %s: %s", m->name, msg);
			continue;
		}
		/* an archive in use, not a new one: say why opening it takes long
		 * (006 rebuilds the search index: minutes for 100,000 documents) */
		if (rc == 0 && have > 0)
			fprintf(stderr, "lakthan: upgrading the archive from schema %d to %d (%s), once\n", want - 1, want,
				m->name);
		if (rc == 0)
			rc = db_exec(db, (const char *)m->data, msg);
		if (rc == 0)
			rc = db_exec(db, pragma, msg);
		free(pragma);
		if (rc == 0)
			rc = db_exec(db, "COMMIT", msg);
		if (rc != 0) {
			db_exec(db, "ROLLBACK", NULL);
			return lk_errf(err, "applying %s: %s", m->name, msg);
		}
	}
	return 0;
}

int db_open(const char *path, sqlite3 **out, char *err)
{
	sqlite3 *db = NULL;
	*out = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		lk_errf(err, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	/* journal_mode=WAL fails on a file that is not a database: say so plainly */
	char msg[LK_ERRLEN];
	if (db_exec(db, "PRAGMA journal_mode=WAL", msg) != 0) {
		lk_errf(err, "%s is not a lakthan database: %s", path, msg);
		goto fail;
	}
	if (db_exec(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL", err) != 0)
		goto fail;
	/* the search index's tokenizer: every connection, and the migration
	 * that creates the index, needs it */
	if (fts_thai_register(db, err) != 0)
		goto fail;
	if (migrate(db, err) != 0)
		goto fail;
	/* the audit chain's head goes outside the database after each commit */
	audit_head_attach(db);
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return -1;
}

int db_run(sqlite3 *db, const char *sql, sqlite3_int64 *out, char *err, const char *fmt, ...)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	va_list ap;
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 'i')
			sqlite3_bind_int(st, i + 1, va_arg(ap, int));
		else if (fmt[i] == 'l')
			sqlite3_bind_int64(st, i + 1, va_arg(ap, sqlite3_int64));
		else
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out)
		*out = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
