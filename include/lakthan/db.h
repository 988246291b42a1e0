/*
 * db: the archive's SQLite database — opening, pragmas, migrations, and a few
 * statement helpers.
 *
 * Migrations are the embedded files schema/NNN-name.sql, applied in name
 * order, each in its own transaction that also sets PRAGMA user_version to
 * NNN. So user_version is the schema version; an archive whose version is
 * higher than the newest migration this binary knows was made by a newer
 * lakthan and is refused rather than misread.
 */
#ifndef LAKTHAN_DB_H
#define LAKTHAN_DB_H
#include <sqlite3.h>

/* Open (creating if needed) the database at path: WAL, foreign keys on,
 * synchronous=FULL, busy timeout; then apply pending migrations. */
int db_open(const char *path, sqlite3 **out, char *err);

/* The newest schema version embedded in this binary. */
int db_schema_latest(void);

/* The schema version recorded in db. */
int db_schema_version(sqlite3 *db);

/* Run SQL without results; -1 with SQLite's message in err. */
int db_exec(sqlite3 *db, const char *sql, char *err);

/* Prepare a statement; -1 with SQLite's message in err. */
int db_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql, char *err);

/*
 * Prepare, bind and step sql once: parameters come as a format, one letter
 * each ('i' int, 'l' int64, 't' text, copied). The first column of a result
 * row goes to *out when out is not NULL. Returns 1 for a row, 0 when done,
 * -1 with SQLite's message in err.
 */
int db_run(sqlite3 *db, const char *sql, sqlite3_int64 *out, char *err, const char *fmt, ...);

#endif
