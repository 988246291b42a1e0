/*
 * datadir: one lakthan archive on disk — the directory holding lakthan.db
 * (SQLite, WAL) and blobs/ (the blob store). Created on first use.
 */
#ifndef LAKTHAN_DATADIR_H
#define LAKTHAN_DATADIR_H
#include <sqlite3.h>
#include "lakthan/blobstore.h"

struct datadir {
	char *path;              /* owned */
	sqlite3 *db;
	struct blobstore blobs;
};

/* Where the archive is: flag if given, else $LAKTHAN_DATA, else ./lakthan-data. */
const char *datadir_resolve(const char *flag);

/* Open (creating) the archive at path; the schema is brought up to date. */
int datadir_open(struct datadir *dd, const char *path, char *err);
void datadir_close(struct datadir *dd);

#endif
