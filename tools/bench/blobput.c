/*
 * blobput: a benchmark driver over lakthan's real blob store (linked from
 * build/rel: liblakthan.a, or blobstore.o util.o detect.o when the archive
 * cannot be built yet). It times only the library call, not process start.
 *
 *   blobput put ROOT FILE         blobstore_open(ROOT) + blobstore_put_fd(FILE)
 *   blobput hash FILE             blobstore_hash_file(FILE)
 *   blobput putdir ROOT DIR       blobstore_put_fd() of every regular file
 *                                 under DIR, in name order (the blob-store
 *                                 share of `lakthan ingest DIR`)
 *   blobput putdir-detect ROOT DIR  the same plus detect_mime() on each
 *                                 stored blob, as ingest does
 *   blobput extractdir LAKTHAN DIR  for every file under DIR: detect_mime(),
 *                                 extract_sandboxed() with LAKTHAN as the
 *                                 child binary, and thai_quality_check() on
 *                                 the text: the extraction share of ingest
 *                                 (only when built against the whole
 *                                 liblakthan.a: -DWITH_EXTRACT)
 *   blobput dbinsert DB DIR       for every file under DIR: extract its text
 *                                 in-process (not timed), then time only what
 *                                 ingest does in SQLite: one transaction with
 *                                 the document row and its text (FTS5 "thai"
 *                                 index triggers included), into a fresh DB
 *   blobput dbinsert-nofts DB DIR the same with the search triggers dropped:
 *                                 what the full-text index costs
 *   blobput extractdir-fork DIR   the same, but the child is a bare fork()
 *                                 running extract_file() with the same
 *                                 rlimits, no execv() of the binary: what the
 *                                 re-exec costs per file (a prototype, no
 *                                 wall-clock watchdog)
 *
 * Prints one line: "<mode> files=<n> bytes=<n> seconds=<s> MBps=<MB/s> [sha256]"
 * (MB = 10^6 bytes, like dd).
 */
#include "lakthan/blobstore.h"
#include "lakthan/detect.h"
#include "lakthan/util.h"
#ifdef WITH_EXTRACT
#include "lakthan/db.h"
#include "lakthan/extract.h"
#include "lakthan/thai.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#ifdef WITH_EXTRACT
#include <sys/resource.h>
#include <sys/wait.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

#ifdef WITH_EXTRACT
/* fork, limit, extract_file() in the child, text back over a pipe */
static void extract_forked(const char *mime, const char *path, const struct extract_limits *lim,
			   struct extract_result *x)
{
	int p[2];
	memset(x, 0, sizeof *x);
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(x->status, sizeof x->status, "failed: pipe");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		setpgid(0, 0);
		struct rlimit rl = {lim->cpu_seconds, lim->cpu_seconds};
		setrlimit(RLIMIT_CPU, &rl);
		rl.rlim_cur = rl.rlim_max = 0;
		setrlimit(RLIMIT_CORE, &rl);
		setrlimit(RLIMIT_FSIZE, &rl);
		rl.rlim_cur = rl.rlim_max = lim->max_memory;
		setrlimit(RLIMIT_AS, &rl);
		struct buf out;
		char reason[128];
		buf_init(&out, lim->max_text);
		enum extract_status st = extract_file(mime, path, lim, &out, reason, sizeof reason);
		const char *c = out.data;
		size_t n = out.len;
		while (n > 0) {
			ssize_t k = write(p[1], c, n);
			if (k <= 0)
				_exit(EXTRACT_FAILED);
			c += k;
			n -= (size_t)k;
		}
		_exit((int)st);
	}
	close(p[1]);
	struct buf in;
	buf_init(&in, lim->max_text);
	char chunk[65536];
	ssize_t k;
	while ((k = read(p[0], chunk, sizeof chunk)) > 0)
		buf_append(&in, chunk, (size_t)k);
	close(p[0]);
	int status = 0;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == EXTRACT_OK;
	snprintf(x->status, sizeof x->status, ok ? (in.len ? "ok" : "empty") : "failed");
	if (ok) {
		buf_append(&in, "", 0);
		x->text = buf_detach(&in, &x->len);
	}
	buf_release(&in);
}
#endif

static int usage(void)
{
	fprintf(stderr, "usage: blobput put ROOT FILE | hash FILE | putdir ROOT DIR | putdir-detect ROOT DIR"
#ifdef WITH_EXTRACT
			" | extractdir LAKTHAN DIR | extractdir-fork DIR | dbinsert[-nofts] DB DIR"
#endif
			"\n");
	return 2;
}

int main(int argc, char **argv)
{
	char err[LK_ERRLEN], hex[65] = "";
	uint64_t size = 0, total = 0;
	long files = 0;
	int existed = 0;
	double t0, t1;

	if (argc == 3 && strcmp(argv[1], "hash") == 0) {
		t0 = now();
		if (blobstore_hash_file(argv[2], hex, &size, err) != 0) {
			fprintf(stderr, "blobput: %s\n", err);
			return 1;
		}
		t1 = now();
		total = size;
		files = 1;
	} else if (argc == 4 && strcmp(argv[1], "put") == 0) {
		struct blobstore bs;
		t0 = now();
		if (blobstore_open(&bs, argv[2], err) != 0) {
			fprintf(stderr, "blobput: %s\n", err);
			return 1;
		}
		int fd = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "blobput: %s: %s\n", argv[3], strerror(errno));
			return 1;
		}
		if (blobstore_put_fd(&bs, fd, 0, hex, &size, &existed, err) != 0) {
			fprintf(stderr, "blobput: %s\n", err);
			return 1;
		}
		t1 = now();
		close(fd);
		blobstore_close(&bs);
		total = size;
		files = 1;
	} else if (argc == 4 && (strcmp(argv[1], "putdir") == 0 || strcmp(argv[1], "putdir-detect") == 0)) {
		int detect = strcmp(argv[1], "putdir-detect") == 0;
		struct blobstore bs;
		t0 = now();
		if (blobstore_open(&bs, argv[2], err) != 0) {
			fprintf(stderr, "blobput: %s\n", err);
			return 1;
		}
		char *const roots[] = {argv[3], NULL};
		FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_COMFOLLOW, by_name);
		FTSENT *e;
		while (fts && (e = fts_read(fts))) {
			if (e->fts_info != FTS_F)
				continue;
			int fd = open(e->fts_path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || blobstore_put_fd(&bs, fd, 0, hex, &size, &existed, err) != 0) {
				fprintf(stderr, "blobput: %s: %s\n", e->fts_path, fd < 0 ? strerror(errno) : err);
				return 1;
			}
			close(fd);
			if (detect) {
				char mime[128];
				char *blob = blobstore_path(&bs, hex);
				if (detect_mime(blob, mime, sizeof mime, err) != 0) {
					fprintf(stderr, "blobput: %s: %s\n", blob, err);
					return 1;
				}
				free(blob);
			}
			total += size;
			files++;
		}
		if (fts)
			fts_close(fts);
		t1 = now();
		blobstore_close(&bs);
		hex[0] = 0;
#ifdef WITH_EXTRACT
	} else if ((argc == 4 && strcmp(argv[1], "extractdir") == 0) ||
		   (argc == 3 && strcmp(argv[1], "extractdir-fork") == 0)) {
		int forked = argc == 3;
		struct extract_limits lim;
		extract_limits_default(&lim);
		long ok = 0, unreliable = 0;
		t0 = now();
		char *const roots[] = {argv[forked ? 2 : 3], NULL};
		FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_COMFOLLOW, by_name);
		FTSENT *e;
		while (fts && (e = fts_read(fts))) {
			if (e->fts_info != FTS_F)
				continue;
			char mime[128];
			if (detect_mime(e->fts_path, mime, sizeof mime, err) != 0) {
				fprintf(stderr, "blobput: %s: %s\n", e->fts_path, err);
				return 1;
			}
			struct extract_result x;
			if (forked)
				extract_forked(mime, e->fts_path, &lim, &x);
			else
				extract_sandboxed(argv[2], mime, e->fts_path, &lim, &x);
			if (x.text) {
				struct thai_quality q;
				memset(&q, 0, sizeof q);
				(void)extract_count_chars(x.text, x.len);
				thai_quality_check(x.text, x.len, &q);
				unreliable += !q.reliable;
			}
			ok += strcmp(x.status, "ok") == 0;
			free(x.text);
			total += (uint64_t)e->fts_statp->st_size;
			files++;
		}
		if (fts)
			fts_close(fts);
		t1 = now();
		snprintf(hex, sizeof hex, "ok=%ld unreliable=%ld", ok, unreliable);
	} else if (argc == 4 && (strcmp(argv[1], "dbinsert") == 0 || strcmp(argv[1], "dbinsert-nofts") == 0)) {
		sqlite3 *db;
		if (db_open(argv[2], &db, err) != 0) {
			fprintf(stderr, "blobput: %s\n", err);
			return 1;
		}
		if (strcmp(argv[1], "dbinsert-nofts") == 0 &&
		    db_exec(db, "DROP TRIGGER search_document_ai; DROP TRIGGER search_text_ai", err) != 0) {
			fprintf(stderr, "blobput: %s\n", err);
			return 1;
		}
		struct extract_limits lim;
		extract_limits_default(&lim);
		double in_db = 0;
		char *const roots[] = {argv[3], NULL};
		FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_COMFOLLOW, by_name);
		FTSENT *e;
		while (fts && (e = fts_read(fts))) {
			if (e->fts_info != FTS_F)
				continue;
			char mime[128], reason[128], sha[65];
			struct buf text;
			buf_init(&text, lim.max_text);
			if (detect_mime(e->fts_path, mime, sizeof mime, err) != 0 ||
			    extract_file(mime, e->fts_path, &lim, &text, reason, sizeof reason) != EXTRACT_OK) {
				fprintf(stderr, "blobput: %s: cannot extract\n", e->fts_path);
				return 1;
			}
			snprintf(sha, sizeof sha, "%064ld", files + 1);
			double a = now();
			sqlite3_stmt *st;
			int rc = db_exec(db, "BEGIN IMMEDIATE", err);
			rc |= db_prepare(db, &st, "INSERT INTO document (sha256, size, mime, filename, title, description,"
					 " uploaded_by, uploaded_at, source_path, text_status, text_chars)"
					 " VALUES (?,?,?,?,?,'','bench','2026-01-01T00:00:00Z',?,'ok',?)", err);
			if (rc == 0) {
				sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
				sqlite3_bind_int64(st, 2, (sqlite3_int64)e->fts_statp->st_size);
				sqlite3_bind_text(st, 3, mime, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 4, e->fts_name, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 5, e->fts_name, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 6, e->fts_path, -1, SQLITE_STATIC);
				sqlite3_bind_int64(st, 7, (sqlite3_int64)extract_count_chars(text.data, text.len));
				rc |= sqlite3_step(st) != SQLITE_DONE;
				sqlite3_finalize(st);
				long long id = sqlite3_last_insert_rowid(db);
				rc |= db_prepare(db, &st, "INSERT INTO document_text (document_id, text, quality) VALUES (?,?,'')", err);
				if (rc == 0) {
					sqlite3_bind_int64(st, 1, id);
					sqlite3_bind_text(st, 2, text.data ? text.data : "", (int)text.len, SQLITE_STATIC);
					rc |= sqlite3_step(st) != SQLITE_DONE;
					sqlite3_finalize(st);
				}
				rc |= db_exec(db, "COMMIT", err);
			}
			in_db += now() - a;
			if (rc != 0) {
				fprintf(stderr, "blobput: %s: %s\n", e->fts_path, sqlite3_errmsg(db));
				return 1;
			}
			buf_release(&text);
			total += (uint64_t)e->fts_statp->st_size;
			files++;
		}
		if (fts)
			fts_close(fts);
		sqlite3_close(db);
		t0 = 0;
		t1 = in_db;
#endif
	} else {
		return usage();
	}
	double s = t1 - t0;
	printf("%s files=%ld bytes=%llu seconds=%.4f MBps=%.1f %s\n", argv[1], files,
	       (unsigned long long)total, s, s > 0 ? (double)total / 1e6 / s : 0.0, hex);
	return 0;
}
