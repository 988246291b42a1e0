/*
 * blobput-proto: a stand-alone prototype of src/blobstore.c's put and hash
 * paths with the changes proposed in docs/PERFORMANCE.md, to measure them
 * before anyone touches src/. Same on-disk protocol as the real store:
 * mkostemp in ROOT/tmp, stream + SHA-256 (libcrypto EVP), fsync, mkdir the
 * two fan-out levels (fsyncing parents), rename, fsync the directory.
 *
 *   blobput-proto put ROOT FILE [-m MODE] [-c CHUNK_KIB] [-w WINDOW_MIB]
 *     MODE serial    what src/blobstore.c does today: read, hash, write, one
 *                    chunk at a time, one thread; fsync at the end
 *          sfr       serial + sync_file_range(SYNC_FILE_RANGE_WRITE) on each
 *                    finished WINDOW, so writeback starts during the copy
 *                    instead of all at the final fsync
 *          pipe      a hasher thread: chunk i is hashed while the caller's
 *                    thread write()s chunk i and read()s chunk i+1 (a ring of
 *                    4 chunks; the hasher only reads the buffer)
 *          pipe-sfr  pipe + sfr
 *          pair      a hasher thread hashes the caller's chunk while the
 *                    caller write()s it; the call returns when both are
 *                    done (no read-ahead): what blob_writer_write() can do
 *                    without changing its API
 *          pair-sfr  pair + sfr  (the proposal for src/blobstore.c)
 *   blobput-proto hash FILE [-m serial|pipe] [-c CHUNK_KIB]
 *     serial: blobstore_hash_file() today (read, hash, read, ...)
 *     pipe:   read() in the caller's thread overlapped with hashing
 *
 * Prints the same line format as blobput.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RING 4

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "blobput-proto: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void xfsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		die(dir);
	close(fd);
}

static void ensure_dir(const char *dir, const char *parent)
{
	if (mkdir(dir, 0750) == 0) {
		if (parent)
			xfsync_dir(parent);
	} else if (errno != EEXIST) {
		die(dir);
	}
}

static ssize_t read_full(int fd, char *p, size_t n)
{
	for (;;) {
		ssize_t k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		return k;
	}
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die("write");
		p += k;
		n -= (size_t)k;
	}
}

/* --- the hasher thread: hashes ring slots in order, never writes them --- */
struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *buf[RING];
	size_t len[RING];
	unsigned long produced, hashed;   /* chunks read / chunks hashed */
	int eof;
	EVP_MD_CTX *md;
};

static void *hasher(void *arg)
{
	struct pipe *p = arg;
	for (unsigned long h = 0;; h++) {
		pthread_mutex_lock(&p->mu);
		while (p->produced <= h && !p->eof)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->produced <= h) {   /* eof and all hashed */
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		pthread_mutex_unlock(&p->mu);
		EVP_DigestUpdate(p->md, p->buf[h % RING], p->len[h % RING]);
		pthread_mutex_lock(&p->mu);
		p->hashed = h + 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

/* Stream in -> out (out < 0: hash only), hashing; returns bytes. */
static uint64_t stream(int in, int out, EVP_MD_CTX *md, int piped, int pair, int sfr, size_t chunk, uint64_t window)
{
	uint64_t total = 0, kicked = 0;
	if (!piped) {
		char *buf = malloc(chunk);
		for (;;) {
			ssize_t n = read_full(in, buf, chunk);
			if (n < 0)
				die("read");
			if (n == 0)
				break;
			EVP_DigestUpdate(md, buf, (size_t)n);
			if (out >= 0)
				write_all(out, buf, (size_t)n);
			total += (uint64_t)n;
			if (sfr && total - kicked >= window) {
				sync_file_range(out, (off64_t)kicked, (off64_t)(total - kicked), SYNC_FILE_RANGE_WRITE);
				kicked = total;
			}
		}
		free(buf);
		return total;
	}
	struct pipe p;
	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	p.md = md;
	for (int i = 0; i < RING; i++)
		p.buf[i] = malloc(chunk);
	pthread_t th;
	pthread_create(&th, NULL, hasher, &p);
	for (unsigned long i = 0;; i++) {
		unsigned s = (unsigned)(i % RING);
		pthread_mutex_lock(&p.mu);
		while (i >= RING && p.hashed < i - RING + 1)   /* slot still being hashed */
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		ssize_t n = read_full(in, p.buf[s], chunk);
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		p.len[s] = (size_t)n;
		pthread_mutex_lock(&p.mu);
		p.produced = i + 1;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (out >= 0)
			write_all(out, p.buf[s], (size_t)n);   /* concurrently with its hashing */
		if (pair) {
			/* blob_writer_write() semantics: return only when the caller's
			 * buffer is hashed and written, so the caller may reuse it */
			pthread_mutex_lock(&p.mu);
			while (p.hashed < i + 1)
				pthread_cond_wait(&p.cv, &p.mu);
			pthread_mutex_unlock(&p.mu);
		}
		total += (uint64_t)n;
		if (sfr && total - kicked >= window) {
			sync_file_range(out, (off64_t)kicked, (off64_t)(total - kicked), SYNC_FILE_RANGE_WRITE);
			kicked = total;
		}
	}
	pthread_mutex_lock(&p.mu);
	p.eof = 1;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	pthread_join(th, NULL);
	for (int i = 0; i < RING; i++)
		free(p.buf[i]);
	return total;
}

static void finish_hex(EVP_MD_CTX *md, char hex[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dn = 0;
	EVP_DigestFinal_ex(md, d, &dn);
	for (unsigned i = 0; i < dn; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		goto usage;
	const char *cmd = argv[1];
	int is_put = strcmp(cmd, "put") == 0;
	if (!is_put && strcmp(cmd, "hash") != 0)
		goto usage;
	int first_opt = is_put ? 4 : 3;
	if (argc < first_opt)
		goto usage;
	const char *root = is_put ? argv[2] : NULL;
	const char *file = is_put ? argv[3] : argv[2];
	const char *mode = "serial";
	size_t chunk = 1 << 20;
	uint64_t window = 8ULL << 20;
	for (int i = first_opt; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-m") == 0)
			mode = argv[i + 1];
		else if (strcmp(argv[i], "-c") == 0)
			chunk = (size_t)strtoul(argv[i + 1], NULL, 10) << 10;
		else if (strcmp(argv[i], "-w") == 0)
			window = strtoull(argv[i + 1], NULL, 10) << 20;
		else
			goto usage;
	}
	int pair = strncmp(mode, "pair", 4) == 0;
	int piped = pair || strncmp(mode, "pipe", 4) == 0;
	int sfr = strstr(mode, "sfr") != NULL;
	if (!is_put && sfr)
		goto usage;

	char hex[65] = "", label[96];
	double t0 = now();
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	int in = open(file, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die(file);
	posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
	uint64_t total;
	if (!is_put) {
		total = stream(in, -1, md, piped, pair, 0, chunk, window);
		finish_hex(md, hex);
	} else {
		char *tmpdir, *tmp, *d1, *d2, *fin;
		ensure_dir(root, NULL);
		if (asprintf(&tmpdir, "%s/tmp", root) < 0)
			die("asprintf");
		ensure_dir(tmpdir, root);
		if (asprintf(&tmp, "%s/blob-XXXXXX", tmpdir) < 0)
			die("asprintf");
		int out = mkostemp(tmp, O_CLOEXEC);
		if (out < 0)
			die(tmp);
		total = stream(in, out, md, piped, pair, sfr, chunk, window);
		finish_hex(md, hex);
		if (fsync(out) != 0)
			die("fsync");
		close(out);
		if (asprintf(&d1, "%s/%.2s", root, hex) < 0 || asprintf(&d2, "%s/%.2s", d1, hex + 2) < 0 ||
		    asprintf(&fin, "%s/%s", d2, hex) < 0)
			die("asprintf");
		ensure_dir(d1, root);
		ensure_dir(d2, d1);
		if (rename(tmp, fin) != 0)
			die("rename");
		xfsync_dir(d2);
		free(tmpdir), free(tmp), free(d1), free(d2), free(fin);
	}
	close(in);
	EVP_MD_CTX_free(md);
	double s = now() - t0;
	snprintf(label, sizeof label, "%s[%s,c=%zuK%s]", cmd, mode, chunk >> 10, sfr ? ",w=" : "");
	if (sfr)
		snprintf(label + strlen(label) - 1, sizeof label - strlen(label) + 1, "%lluM]", (unsigned long long)(window >> 20));
	printf("%s files=1 bytes=%llu seconds=%.4f MBps=%.1f %s\n", label, (unsigned long long)total, s,
	       s > 0 ? (double)total / 1e6 / s : 0.0, hex);
	return 0;
usage:
	fprintf(stderr, "usage: blobput-proto put ROOT FILE [-m serial|sfr|pipe|pipe-sfr|pair|pair-sfr] [-c KiB] [-w MiB]\n"
			"       blobput-proto hash FILE [-m serial|pipe] [-c KiB]\n");
	return 2;
}
