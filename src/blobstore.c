/* blobstore: content-addressed, crash-safe storage of file bytes. */
#include "lakthan/blobstore.h"
#include "lakthan/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_CHUNK (1 << 20)
/* writes at least this big are hashed by a helper thread, from a copy, while
 * the caller's thread goes on writing and reading */
#define OVERLAP_MIN (256 << 10)
#define HASH_SLOTS 4
#define HASH_SLOT (1 << 20)
/* hand every finished WRITEBACK_WINDOW to the disk at once (sync_file_range),
 * so the final fsync waits only for the tail instead of the whole blob */
#define WRITEBACK_WINDOW (8 << 20)
/* writes smaller than this are gathered before they are hashed and written */
#define COALESCE (1 << 20)

/* The helper thread: hashes slots in order; the writer fills them. */
struct hasher {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	EVP_MD_CTX *md;
	char *slot[HASH_SLOTS];
	size_t len[HASH_SLOTS];
	unsigned long posted, hashed;   /* slots handed over / slots hashed */
	int quit, failed;
};

struct blob_writer {
	struct blobstore *bs;
	EVP_MD_CTX *md;
	char *tmp_path;
	int fd;
	uint64_t size;
	uint64_t kicked;      /* bytes already handed to writeback */
	int failed;
	struct hasher *h;     /* started on the first large write */
	char *pending;        /* small writes gathered here (COALESCE bytes) */
	size_t npending;
};

static void *hasher_main(void *arg)
{
	struct hasher *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->hashed == h->posted && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->hashed == h->posted)
			break;   /* quit and nothing left */
		unsigned i = (unsigned)(h->hashed % HASH_SLOTS);
		pthread_mutex_unlock(&h->mu);
		int ok = EVP_DigestUpdate(h->md, h->slot[i], h->len[i]) == 1;
		pthread_mutex_lock(&h->mu);
		h->failed |= !ok;
		h->hashed++;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* Start the hasher; NULL when it cannot (the caller then hashes inline). */
static struct hasher *hasher_start(EVP_MD_CTX *md)
{
	struct hasher *h = lk_calloc(1, sizeof *h);
	h->md = md;
	for (int i = 0; i < HASH_SLOTS; i++)
		h->slot[i] = lk_malloc(HASH_SLOT);
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	if (pthread_create(&h->th, NULL, hasher_main, h) == 0)
		return h;
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	for (int i = 0; i < HASH_SLOTS; i++)
		free(h->slot[i]);
	free(h);
	return NULL;
}

/* Copy p into free slots and hand them to the hasher (waits only when all
 * slots are still queued). */
static void hasher_feed(struct hasher *h, const char *p, size_t n)
{
	while (n > 0) {
		size_t k = n < HASH_SLOT ? n : HASH_SLOT;
		pthread_mutex_lock(&h->mu);
		while (h->posted - h->hashed == HASH_SLOTS)
			pthread_cond_wait(&h->cv, &h->mu);
		unsigned i = (unsigned)(h->posted % HASH_SLOTS);
		pthread_mutex_unlock(&h->mu);
		memcpy(h->slot[i], p, k);   /* the slot is ours until posted */
		h->len[i] = k;
		pthread_mutex_lock(&h->mu);
		h->posted++;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		p += k;
		n -= k;
	}
}

/* Wait for everything posted to be hashed, stop the thread; 0 when the hash is good. */
static int hasher_stop(struct hasher *h)
{
	if (!h)
		return 0;
	pthread_mutex_lock(&h->mu);
	h->quit = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->th, NULL);
	int failed = h->failed;
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	for (int i = 0; i < HASH_SLOTS; i++)
		free(h->slot[i]);
	free(h);
	return failed ? -1 : 0;
}

/* fsync a directory so that a rename or create inside it is durable. */
static int fsync_dir(const char *dir, char *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return lk_errf(err, "cannot open %s: %s", dir, strerror(errno));
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	if (rc != 0)
		return lk_errf(err, "cannot sync %s: %s", dir, strerror(e));
	return 0;
}

/* mkdir that accepts an existing directory; syncs the parent when it creates. */
static int ensure_dir(const char *dir, const char *parent, char *err)
{
	if (mkdir(dir, 0750) == 0)
		return parent ? fsync_dir(parent, err) : 0;
	if (errno == EEXIST)
		return 0;
	return lk_errf(err, "cannot create %s: %s", dir, strerror(errno));
}

int blobstore_open(struct blobstore *bs, const char *root, char *err)
{
	memset(bs, 0, sizeof *bs);
	const char *fault = getenv("LAKTHAN_TEST_ENOSPC_AFTER");
	if (fault && *fault)
		bs->fault_enospc_at = strtoull(fault, NULL, 10) + 1;
	if (ensure_dir(root, NULL, err) != 0)
		return -1;
	char *tmp = lk_asprintf("%s/tmp", root);
	int rc = ensure_dir(tmp, root, err);
	if (rc == 0) {
		/* temp files here are blobs a crash interrupted: never referenced */
		DIR *d = opendir(tmp);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *p = lk_asprintf("%s/%s", tmp, de->d_name);
			unlink(p);
			free(p);
		}
		if (d)
			closedir(d);
	}
	free(tmp);
	if (rc != 0)
		return -1;
	bs->root = lk_strdup(root);
	return 0;
}

void blobstore_close(struct blobstore *bs)
{
	free(bs->root);
	bs->root = NULL;
}

char *blobstore_path(const struct blobstore *bs, const char *hex)
{
	return lk_asprintf("%s/%.2s/%.2s/%s", bs->root, hex, hex + 2, hex);
}

int blob_writer_begin(struct blobstore *bs, struct blob_writer **out, char *err)
{
	struct blob_writer *w = lk_calloc(1, sizeof *w);
	w->bs = bs;
	w->tmp_path = lk_asprintf("%s/tmp/blob-XXXXXX", bs->root);
	w->fd = mkostemp(w->tmp_path, O_CLOEXEC);
	if (w->fd < 0) {
		lk_errf(err, "cannot create a temporary file in %s/tmp: %s", bs->root, strerror(errno));
		free(w->tmp_path);
		free(w);
		return -1;
	}
	w->md = EVP_MD_CTX_new();
	if (!w->md || EVP_DigestInit_ex(w->md, EVP_sha256(), NULL) != 1) {
		lk_errf(err, "cannot start SHA-256");
		blob_writer_abort(w);
		return -1;
	}
	*out = w;
	return 0;
}

/* Hash and write n bytes now (no gathering). */
static int write_through(struct blob_writer *w, const void *p, size_t n, char *err)
{
	if (n >= OVERLAP_MIN && !w->h)
		w->h = hasher_start(w->md);
	if (w->h) {
		hasher_feed(w->h, p, n);   /* hashed on the helper while we write */
	} else if (EVP_DigestUpdate(w->md, p, n) != 1) {
		w->failed = 1;
		return lk_errf(err, "SHA-256 failed");
	}
	const char *c = p;
	size_t left = n;
	while (left > 0) {
		if (w->bs->fault_enospc_at && w->size + left >= w->bs->fault_enospc_at) {
			w->failed = 1;
			return lk_errf(err, "cannot write to the archive: %s", strerror(ENOSPC));
		}
		ssize_t k = write(w->fd, c, left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->failed = 1;
			return lk_errf(err, "cannot write to the archive: %s", k < 0 ? strerror(errno) : "short write");
		}
		c += k;
		left -= (size_t)k;
		w->size += (uint64_t)k;
	}
	/* start writeback of what is complete; the fsync in commit stays the
	 * durability point (this neither waits nor flushes metadata) */
	if (w->size - w->kicked >= WRITEBACK_WINDOW) {
		sync_file_range(w->fd, (off_t)w->kicked, (off_t)(w->size - w->kicked), SYNC_FILE_RANGE_WRITE);
		w->kicked = w->size;
	}
	return 0;
}

/* Write out what small writes gathered. */
static int flush_pending(struct blob_writer *w, char *err)
{
	if (!w->npending)
		return 0;
	size_t n = w->npending;
	w->npending = 0;
	return write_through(w, w->pending, n, err);
}

int blob_writer_write(struct blob_writer *w, const void *p, size_t n, char *err)
{
	if (w->failed)
		return lk_errf(err, "write after a failed write");
	/* an HTTP upload arrives in pieces of 16 KiB or less: gathered into
	 * COALESCE bytes they get one write() each and reach the hashing thread,
	 * which only takes pieces of at least OVERLAP_MIN */
	if (n >= COALESCE && !w->npending)
		return write_through(w, p, n, err);
	const char *c = p;
	while (n > 0) {
		if (!w->pending)
			w->pending = lk_malloc(COALESCE);
		size_t k = COALESCE - w->npending < n ? COALESCE - w->npending : n;
		memcpy(w->pending + w->npending, c, k);
		w->npending += k;
		c += k;
		n -= k;
		if (w->npending == COALESCE && flush_pending(w, err) != 0)
			return -1;
	}
	return 0;
}

uint64_t blob_writer_size(const struct blob_writer *w)
{
	return w->size + w->npending;
}

void blob_writer_abort(struct blob_writer *w)
{
	if (!w)
		return;
	hasher_stop(w->h);
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp_path)
		unlink(w->tmp_path);
	EVP_MD_CTX_free(w->md);
	free(w->pending);
	free(w->tmp_path);
	free(w);
}

static void to_hex(const unsigned char *d, unsigned n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = 0;
}

int blob_writer_commit(struct blob_writer *w, char hex[65], uint64_t *size, int *existed, char *err)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dn = 0;
	char *d1 = NULL, *d2 = NULL, *final = NULL;
	int rc = -1;

	if (w->failed) {
		lk_errf(err, "the blob was not written completely");
		goto out;
	}
	if (flush_pending(w, err) != 0)
		goto out;
	int hash_failed = hasher_stop(w->h);
	w->h = NULL;
	if (hash_failed || EVP_DigestFinal_ex(w->md, d, &dn) != 1 || dn != 32) {
		lk_errf(err, "SHA-256 failed");
		goto out;
	}
	to_hex(d, dn, hex);
	*size = w->size;
	/* the bytes must be on disk before the name points at them */
	if (fsync(w->fd) != 0) {
		lk_errf(err, "cannot sync the archive: %s", strerror(errno));
		goto out;
	}
	close(w->fd);
	w->fd = -1;
	d1 = lk_asprintf("%s/%.2s", w->bs->root, hex);
	d2 = lk_asprintf("%s/%.2s", d1, hex + 2);
	final = lk_asprintf("%s/%s", d2, hex);
	if (ensure_dir(d1, w->bs->root, err) != 0 || ensure_dir(d2, d1, err) != 0)
		goto out;
	struct stat st;
	if (stat(final, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == w->size) {
		*existed = 1;   /* same digest, same size: the same bytes */
		rc = 0;
		goto out;
	}
	*existed = 0;
	if (rename(w->tmp_path, final) != 0) {
		lk_errf(err, "cannot store the blob: %s", strerror(errno));
		goto out;
	}
	if (fsync_dir(d2, err) != 0)
		goto out;
	free(w->tmp_path);
	w->tmp_path = NULL;   /* renamed: nothing to unlink */
	rc = 0;
out:
	free(d1);
	free(d2);
	free(final);
	blob_writer_abort(w);
	return rc;
}

int blobstore_put_fd(struct blobstore *bs, int fd, uint64_t max, char hex[65], uint64_t *size,
		     int *existed, char *err)
{
	struct blob_writer *w;
	if (blob_writer_begin(bs, &w, err) != 0)
		return -1;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	char *chunk = lk_malloc(COPY_CHUNK);
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, chunk, COPY_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = lk_errf(err, "cannot read: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (max && w->size + (uint64_t)n > max) {
			rc = lk_errf(err, "file larger than the limit of %llu MiB", (unsigned long long)(max >> 20));
			break;
		}
		if (blob_writer_write(w, chunk, (size_t)n, err) != 0) {
			rc = -1;
			break;
		}
	}
	free(chunk);
	if (rc != 0) {
		blob_writer_abort(w);
		return -1;
	}
	return blob_writer_commit(w, hex, size, existed, err);
}

int blobstore_hash_file(const char *path, char hex[65], uint64_t *size, char *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lk_errf(err, "cannot open %s: %s", path, strerror(errno));
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *chunk = lk_malloc(COPY_CHUNK);
	int rc = (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1) ? 0 : lk_errf(err, "cannot start SHA-256");
	*size = 0;
	while (rc == 0) {
		ssize_t n = read(fd, chunk, COPY_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = lk_errf(err, "cannot read %s: %s", path, strerror(errno));
		if (n <= 0)
			break;
		EVP_DigestUpdate(md, chunk, (size_t)n);
		*size += (uint64_t)n;
	}
	if (rc == 0) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned dn = 0;
		EVP_DigestFinal_ex(md, d, &dn);
		to_hex(d, dn, hex);
	}
	free(chunk);
	EVP_MD_CTX_free(md);
	close(fd);
	return rc;
}

/* Names in dir that pass keep(), sorted; the caller frees each and the array. */
static int list_sorted(const char *dir, int (*keep)(const char *), char ***names, size_t *n, char *err)
{
	struct dirent **ents;
	int k = scandir(dir, &ents, NULL, alphasort);
	*names = NULL;
	*n = 0;
	if (k < 0)
		return lk_errf(err, "cannot list %s: %s", dir, strerror(errno));
	*names = lk_calloc((size_t)k + 1, sizeof(char *));
	for (int i = 0; i < k; i++) {
		if (keep(ents[i]->d_name))
			(*names)[(*n)++] = lk_strdup(ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static int is_hex_of(const char *s, size_t len)
{
	if (strlen(s) != len)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}
static int is_hex2(const char *s) { return is_hex_of(s, 2); }
static int is_hex64(const char *s) { return is_hex_of(s, 64); }

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int blobstore_each(const struct blobstore *bs, int (*fn)(const char *hex, void *arg), void *arg, char *err)
{
	char **l1, **l2, **l3;
	size_t n1, n2, n3;
	int stop = 0;
	if (list_sorted(bs->root, is_hex2, &l1, &n1, err) != 0)
		return -1;
	for (size_t i = 0; i < n1 && !stop; i++) {
		char *d1 = lk_asprintf("%s/%s", bs->root, l1[i]);
		if (list_sorted(d1, is_hex2, &l2, &n2, err) == 0) {
			for (size_t j = 0; j < n2 && !stop; j++) {
				char *d2 = lk_asprintf("%s/%s", d1, l2[j]);
				if (list_sorted(d2, is_hex64, &l3, &n3, err) == 0) {
					for (size_t k = 0; k < n3 && !stop; k++)
						stop = fn(l3[k], arg);
					free_names(l3, n3);
				}
				free(d2);
			}
			free_names(l2, n2);
		}
		free(d1);
	}
	free_names(l1, n1);
	return stop;
}
