/*
 * bundle: the yearly bundle of CONTRACT.md — a ZIP that is also a BagIt 1.0
 * bag (RFC 8493) — written by `lakthan export` and GET /api/export from the
 * same code (src/bundle_export.c), and restored by `lakthan import-bundle`
 * (src/bundle_import.c).
 *
 * Layout inside the ZIP, in this fixed order:
 *   ita-<Y>/bagit.txt, bag-info.txt,
 *   ita-<Y>/data/README.html, index.html, plan.json, documents.json,
 *                documents.csv, audit.jsonl, files/<id>-<name> (by id),
 *   ita-<Y>/manifest-sha256.txt, manifest-sha512.txt, tagmanifest-sha256.txt
 * The manifests come last because they need the digests of what was just
 * streamed: SHA-512 (and a check of the stored SHA-256) is computed while each
 * document's bytes go out, so every blob is read exactly once.
 *
 * Determinism: every entry has the same timestamp (the time of the newest
 * audit record that is not itself an export), names and order are fixed, and
 * the generated files depend only on the database, so the same archive state
 * gives a byte-identical ZIP (ZIP's DOS time is local time: same TZ too).
 *
 * Memory: the generated small files and the list of documents are held in
 * memory (they grow with the number of documents, not their bytes); file
 * bytes pass through a 256 KiB buffer. So memory stays flat whatever the
 * bundle's size.
 *
 * Errors follow util.h: -1 with one sentence in err.
 */
#ifndef LAKTHAN_BUNDLE_H
#define LAKTHAN_BUNDLE_H
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "lakthan/blobstore.h"
#include "lakthan/datadir.h"

/* The version of the documents.json / documents.csv / audit.jsonl format. */
#define BUNDLE_FORMAT 1

/* Longest name, in bytes, of a file under data/files/ (id prefix included):
 * 255 is the limit of ext4, NTFS and APFS; shorter keeps whole paths under
 * Windows' 260 characters when unpacked into a short folder. */
#define BUNDLE_NAME_MAX 200

struct bundle_opts {
	int year;                    /* fiscal year, B.E. */
	const char *organization;    /* Source-Organization, NULL/"" to leave out */
	const char *agent;           /* who exports, for the audit record ("cli:x") */
};

struct bundle_export;  /* one export in progress; opaque */

/*
 * Collect everything the bundle needs (one read transaction) and check that
 * each document's blob is there with its size, so a missing file is an error
 * before any byte is produced. A year with neither a plan nor documents is an
 * error (*usage set to 1, the caller's exit 2).
 */
int bundle_export_begin(sqlite3 *db, const struct blobstore *bs, const struct bundle_opts *o,
			struct bundle_export **out, int *usage, char *err);

/*
 * The next piece of the ZIP: *p and *n point into x's buffer, valid until
 * the next call. Returns 1 with a piece (possibly *n == 0), 0 when the ZIP is
 * complete, -1 on error (a blob that cannot be read, or whose bytes no longer
 * match its SHA-256: err names the document).
 */
int bundle_export_next(struct bundle_export *x, const void **p, size_t *n, char *err);

/* Bytes produced so far, and the number of documents in the bundle. */
uint64_t bundle_export_bytes(const struct bundle_export *x);
long long bundle_export_documents(const struct bundle_export *x);

void bundle_export_free(struct bundle_export *x);

/*
 * Write the bundle to path: a temporary file next to it, fsynced, renamed
 * over path, directory fsynced. On any failure nothing is left under path
 * (nor the temp file). The export is recorded in the audit log (action
 * "export", object "year:<Y>", with the ZIP's size and SHA-256).
 * Test hook: LAKTHAN_TEST_EXPORT_ENOSPC_AFTER=N fails writes past N bytes
 * with ENOSPC, as a full disk would.
 */
int bundle_export_file(sqlite3 *db, const struct blobstore *bs, const struct bundle_opts *o, const char *path,
		       int *usage, char *err);

/*
 * The name of a document's file in the bundle: "<id>-<filename>" made safe
 * for Windows, macOS and Linux without losing Thai: <>:"/\|?* and control
 * characters become '_', invalid UTF-8 bytes '_', trailing dots and spaces
 * go, and the name is cut to max bytes at a character boundary (never
 * between a Thai consonant and its marks), keeping a short extension.
 * The caller frees the result.
 */
char *bundle_safe_name(long long id, const char *filename, size_t max);

/* What import-bundle did. */
struct bundle_import_result {
	int year;
	long long documents;
	long long links;
	long long audit_records;
	int issues;
	int measures;
};

/*
 * Verify the bag in the ZIP at path (every manifest and tag-manifest line,
 * completeness, Payload-Oxum, safe names) and, only when it holds, restore it
 * into dd, which must hold no plan and no documents: the plan, the documents
 * with their ids and blobs (a purged document, whose file the bag does not
 * hold, as its row alone: purge fields kept, no text, no index entry), the
 * links, and the audit records about the documents (kept as "imported"
 * records whose detail holds the original). Text is extracted again from the
 * restored files. A document that is not purged and whose file the bag lacks
 * is refused. err names the first file (or document) that fails; *usage is 1
 * for a bundle that is not acceptable (exit 2).
 */
int bundle_import(struct datadir *dd, const char *path, const char *agent, struct bundle_import_result *res,
		  int *usage, char *err);

#endif
