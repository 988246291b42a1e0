/*
 * blobstore: content-addressed storage of file bytes.
 *
 * A blob is stored under <root>/ab/cd/<sha256 hex> where "abcd" are the first
 * four hex digits. Bytes are streamed into a temporary file in <root>/tmp
 * while being hashed (OpenSSL EVP SHA-256), then fsynced, renamed to their
 * final name, and the directory fsynced. So a crash at any moment leaves
 * either a whole, correctly named blob or a temp file that the next open
 * removes — never a partial blob under a final name. Callers commit their
 * database row only after blob_writer_commit() returns.
 *
 * Identical bytes are stored once: committing bytes whose blob exists already
 * discards the temp file and reports existed = 1.
 */
#ifndef LAKTHAN_BLOBSTORE_H
#define LAKTHAN_BLOBSTORE_H
#include <stddef.h>
#include <stdint.h>

struct blobstore {
	char *root;                /* owned */
	uint64_t fault_enospc_at;  /* test hook: fail writes past this many bytes (0 = off) */
};

struct blob_writer;  /* one blob being written; opaque */

/* Open the store at root (creating root and root/tmp, removing stale temp files). */
int blobstore_open(struct blobstore *bs, const char *root, char *err);
void blobstore_close(struct blobstore *bs);

/* The final path of the blob named hex; the caller frees it. */
char *blobstore_path(const struct blobstore *bs, const char *hex);

/* Start a new blob. */
int blob_writer_begin(struct blobstore *bs, struct blob_writer **w, char *err);
/* Append bytes; on failure (e.g. disk full) the writer must still be aborted. */
int blob_writer_write(struct blob_writer *w, const void *p, size_t n, char *err);
/* Bytes written so far. */
uint64_t blob_writer_size(const struct blob_writer *w);
/*
 * Make the blob durable under its name: fills hex (65 bytes), *size and
 * *existed. Frees w whatever the outcome; on failure nothing is left behind.
 */
int blob_writer_commit(struct blob_writer *w, char hex[65], uint64_t *size, int *existed, char *err);
/* Forget the blob: remove the temp file and free w. */
void blob_writer_abort(struct blob_writer *w);

/* Stream everything readable from fd into a new blob and commit it; more
 * than max bytes (0 = no limit) fails with nothing stored. */
int blobstore_put_fd(struct blobstore *bs, int fd, uint64_t max, char hex[65], uint64_t *size,
		     int *existed, char *err);

/* Hash the file at path (hex 65 bytes, *size). */
int blobstore_hash_file(const char *path, char hex[65], uint64_t *size, char *err);

/* Call fn(hex, arg) for every stored blob (sorted by name within each
 * directory); stops early and returns fn's value when it is non-zero. */
int blobstore_each(const struct blobstore *bs, int (*fn)(const char *hex, void *arg), void *arg, char *err);

#endif
