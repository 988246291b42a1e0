/*
 * verify: check that the archive is what it claims to be — every document's
 * blob present with the right SHA-256 and size, no blob without a document,
 * the database's own integrity_check, every "ok" document with its text, and
 * the audit log's hash chain (audit.h).
 */
#ifndef LAKTHAN_VERIFY_H
#define LAKTHAN_VERIFY_H
#include "lakthan/datadir.h"
#include "lakthan/util.h"

struct verify_problem {
	const char *kind;          /* "missing_blob", "corrupt_blob", "orphan_blob", "database", "missing_text", "audit_chain" */
	long long document;        /* 0 when not about one document */
	char sha256[65];           /* "" when not about one blob */
	char message[LK_ERRLEN];
};

struct verify_summary {
	long long documents;
	long long blobs;
	long long bytes;
	long long problems;
};

typedef void (*verify_report_fn)(const struct verify_problem *p, void *arg);

/* Run every check, reporting each problem through fn. -1 only when the
 * checks themselves could not run (err says why). */
int verify_archive(struct datadir *dd, verify_report_fn fn, void *arg,
		   struct verify_summary *sum, char *err);

#endif
