/*
 * ingest: put files into the archive.
 *
 * For every file: stream its bytes into the blob store (hashing as it goes),
 * tell its type from the bytes, extract its text in a sandboxed child, check
 * the text's quality, and commit one document row — after the blob is
 * durable, in one transaction with the text. Same bytes twice give one
 * document; the second is reported as a duplicate of the first.
 *
 * A path may be a file, a directory (walked recursively, in name order,
 * symbolic links inside it not followed) or a ZIP of files (entries streamed
 * straight into the blob store, never written under their own names, with
 * caps on count, size and expansion). One bad file never stops the batch.
 */
#ifndef LAKTHAN_INGEST_H
#define LAKTHAN_INGEST_H
#include <stdint.h>
#include "lakthan/datadir.h"
#include "lakthan/extract.h"
#include "lakthan/util.h"

struct ingest_opts {
	int year;                  /* fiscal year (B.E.), 0 = none */
	const char *title;         /* NULL: from the file name */
	const char *description;   /* NULL: empty */
	const char *uploaded_by;   /* who, as stored with the document */
	const char *self_exe;      /* the lakthan binary, for the extractor child */
	struct extract_limits limits;
	uint64_t max_file;         /* bytes of one file (default 2 GiB) */
	unsigned max_zip_entries;  /* files in one ZIP (default 10,000) */
	uint64_t max_zip_total;    /* bytes unpacked from one ZIP (default 8 GiB) */
	unsigned max_zip_ratio;    /* unpacked / ZIP size, checked past 64 MiB (default 1000) */
	int defer_text;            /* 1: store text_status "pending", extract later
				    * with ingest_extract_pending() (the HTTP service) */
	long long supersedes;      /* a document added supersedes this one, in the same
				    * transaction (versions.h); 0 = none. A duplicate is
				    * left to the caller (versions_supersede_tx). */
};

void ingest_opts_default(struct ingest_opts *o);

enum ingest_outcome { INGEST_ADDED, INGEST_DUPLICATE, INGEST_REJECTED };

/* What happened to one file; valid only during the report callback. */
struct ingest_item {
	const char *path;          /* as the user would name it; "x.zip!/dir/f.pdf" inside a ZIP */
	const char *filename;      /* the clean name stored (NULL when rejected early) */
	enum ingest_outcome outcome;
	long long id;              /* the document (the existing one for a duplicate) */
	char sha256[65];
	char mime[128];
	uint64_t size;
	char text_status[160];
	long long text_chars;
	char error[LK_ERRLEN];     /* why it was rejected */
};

typedef void (*ingest_report_fn)(const struct ingest_item *item, void *arg);

/* Ingest everything under path; fn is called once per file. Returns the
 * number of rejected files. */
int ingest_path(struct datadir *dd, const char *path, const struct ingest_opts *o,
		ingest_report_fn fn, void *arg);

/*
 * Ingest one blob that is already durable in dd's blob store (hex, size),
 * e.g. an upload streamed through blob_writer_*: look for a document with the
 * same bytes, type it, extract its text (or defer that, o->defer_text) and
 * record it, with an "upload" audit record, as ingest_path() does for a file.
 * filename must already be clean (names_clean_basename()); item->path and
 * item->filename point at it. Returns 0, or -1 when the item was rejected
 * (item->error says why).
 */
int ingest_blob(struct datadir *dd, const struct ingest_opts *o, const char *filename,
		const char *hex, uint64_t size, struct ingest_item *item);

/*
 * Extract the text of document id whose text_status is "pending" and record
 * it (text, text_status, text_chars) in one transaction. Does nothing when the
 * document is no longer pending. -1 with err on a database failure.
 */
int ingest_extract_pending(struct datadir *dd, const struct ingest_opts *o, long long id, char *err);

/* The name of an outcome: "added", "duplicate", "rejected". */
const char *ingest_outcome_name(enum ingest_outcome outcome);

#endif
