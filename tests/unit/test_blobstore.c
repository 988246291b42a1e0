/* Unit tests for blobstore.c: content addressing, de-duplication, crash safety. */
#include "unit.h"
#include "lakthan/blobstore.h"
#include "lakthan/util.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static char root[64];

static int setup(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/lakthan-unit-XXXXXX";
	if (!mkdtemp(tmpl))
		return -1;
	snprintf(root, sizeof root, "%s/blobs", tmpl);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = lk_asprintf("rm -rf '%.*s'", (int)(strlen(root) - 6), root);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void write_and_commit(struct blobstore *bs, const char *s, char hex[65], int *existed)
{
	char err[LK_ERRLEN];
	struct blob_writer *w;
	uint64_t size;
	assert_int_equal(blob_writer_begin(bs, &w, err), 0);
	assert_int_equal(blob_writer_write(w, s, strlen(s), err), 0);
	assert_int_equal(blob_writer_commit(w, hex, &size, existed, err), 0);
	assert_int_equal(size, strlen(s));
}

static void stores_under_its_sha256(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN], hex[65];
	int existed = -1;
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	write_and_commit(&bs, "abc", hex, &existed);
	assert_string_equal(hex, ABC_SHA256);
	assert_int_equal(existed, 0);
	char *path = blobstore_path(&bs, hex);
	char *want = lk_asprintf("%s/ba/78/%s", root, ABC_SHA256);
	assert_string_equal(path, want);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 3);
	/* hashing the stored file gives the same name back */
	char again[65];
	uint64_t size;
	assert_int_equal(blobstore_hash_file(path, again, &size, err), 0);
	assert_string_equal(again, ABC_SHA256);
	free(path);
	free(want);
	blobstore_close(&bs);
}

static void same_bytes_twice_is_one_blob(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN], h1[65], h2[65];
	int e1, e2;
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	write_and_commit(&bs, "same bytes", h1, &e1);
	write_and_commit(&bs, "same bytes", h2, &e2);
	assert_string_equal(h1, h2);
	assert_int_equal(e2, 1);
	char *tmp = lk_asprintf("%s/tmp", root);
	assert_int_equal(count_files(tmp), 0);   /* the second temp file is gone */
	free(tmp);
	blobstore_close(&bs);
}

static void abort_leaves_nothing(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN];
	struct blob_writer *w;
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	assert_int_equal(blob_writer_begin(&bs, &w, err), 0);
	assert_int_equal(blob_writer_write(w, "partial", 7, err), 0);
	char *tmp = lk_asprintf("%s/tmp", root);
	assert_int_equal(count_files(tmp), 1);
	blob_writer_abort(w);
	assert_int_equal(count_files(tmp), 0);
	free(tmp);
	blobstore_close(&bs);
}

static void stale_temp_files_removed_on_open(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN];
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	blobstore_close(&bs);
	char *stale = lk_asprintf("%s/tmp/blob-crashed", root);
	FILE *f = fopen(stale, "w");
	assert_non_null(f);
	fputs("half a file", f);
	fclose(f);
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	assert_int_equal(access(stale, F_OK), -1);
	free(stale);
	blobstore_close(&bs);
}

static void disk_full_fails_cleanly(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN], hex[65];
	struct blob_writer *w;
	uint64_t size;
	int existed;
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	bs.fault_enospc_at = 5;
	assert_int_equal(blob_writer_begin(&bs, &w, err), 0);
	/* small writes are gathered: the disk's refusal shows at the latest
	 * when commit writes them out, and nothing is left behind */
	int wrc = blob_writer_write(w, "0123456789", 10, err);
	if (wrc == 0)
		assert_int_equal(blob_writer_commit(w, hex, &size, &existed, err), -1);
	else
		blob_writer_abort(w);
	assert_non_null(strstr(err, "No space left"));
	char *tmp = lk_asprintf("%s/tmp", root);
	assert_int_equal(count_files(tmp), 0);
	/* the same past the helper thread's threshold: it is stopped, not leaked */
	bs.fault_enospc_at = (2u << 20) + 1;
	char *big = lk_calloc(1, 3u << 20);
	assert_int_equal(blob_writer_begin(&bs, &w, err), 0);
	assert_int_equal(blob_writer_write(w, big, 1u << 20, err), 0);
	assert_int_equal(blob_writer_write(w, big, 2u << 20, err), -1);
	blob_writer_abort(w);
	assert_int_equal(count_files(tmp), 0);
	free(big);
	free(tmp);
	blobstore_close(&bs);
}

static int collect(const char *hex, void *arg)
{
	int *n = arg;
	assert_int_equal(strlen(hex), 64);
	(*n)++;
	return 0;
}

static void each_lists_every_blob(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN], hex[65];
	int existed, n = 0;
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	write_and_commit(&bs, "one", hex, &existed);
	write_and_commit(&bs, "two", hex, &existed);
	write_and_commit(&bs, "three", hex, &existed);
	assert_int_equal(blobstore_each(&bs, collect, &n, err), 0);
	assert_int_equal(n, 3);
	blobstore_close(&bs);
}

static void put_fd_streams_a_file(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN], hex[65];
	uint64_t size;
	int existed;
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	int fd = open(FIXTURE("thai-source.txt"), O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(blobstore_put_fd(&bs, fd, 0, hex, &size, &existed, err), 0);
	close(fd);
	char direct[65];
	uint64_t dsize;
	assert_int_equal(blobstore_hash_file(FIXTURE("thai-source.txt"), direct, &dsize, err), 0);
	assert_string_equal(hex, direct);
	assert_int_equal(size, dsize);
	/* over the cap: refused, nothing stored */
	fd = open(FIXTURE("thai-source.txt"), O_RDONLY);
	assert_int_equal(blobstore_put_fd(&bs, fd, 100, hex, &size, &existed, err), -1);
	assert_non_null(strstr(err, "larger than"));
	close(fd);
	assert_int_equal(blobstore_hash_file("/nonexistent/file", direct, &dsize, err), -1);
	assert_non_null(strstr(err, "No such file"));
	blobstore_close(&bs);
}

/* Large writes are hashed by a helper thread from copies: the digest must
 * still be the digest of the bytes, in order, whatever the write sizes. */
static void large_writes_hash_correctly(void **state)
{
	(void)state;
	struct blobstore bs;
	char err[LK_ERRLEN], hex[65], want[65];
	struct blob_writer *w;
	uint64_t size;
	int existed;
	size_t n = (9u << 20) + 12345;
	unsigned char *data = lk_malloc(n);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {   /* xorshift: not compressible, reproducible */
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		data[i] = (unsigned char)x;
	}
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dn;
	EVP_Digest(data, n, d, &dn, EVP_sha256(), NULL);
	for (unsigned i = 0; i < dn; i++)
		snprintf(want + 2 * i, 3, "%02x", d[i]);
	assert_int_equal(blobstore_open(&bs, root, err), 0);
	assert_int_equal(blob_writer_begin(&bs, &w, err), 0);
	/* uneven pieces: small, exactly a slot, over a slot, the rest */
	size_t pieces[] = {100, 1u << 20, (3u << 20) + 7, 300000};
	size_t off = 0;
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(blob_writer_write(w, data + off, pieces[i], err), 0);
		off += pieces[i];
	}
	assert_int_equal(blob_writer_write(w, data + off, n - off, err), 0);
	assert_int_equal(blob_writer_commit(w, hex, &size, &existed, err), 0);
	assert_string_equal(hex, want);
	assert_int_equal(size, n);
	/* the same bytes as an HTTP upload delivers them: small uneven pieces,
	 * gathered by the writer, then one piece larger than its gathering buffer */
	assert_int_equal(blob_writer_begin(&bs, &w, err), 0);
	off = 0;
	for (size_t piece = 1; off + piece < (6u << 20); piece = piece % 16384 + 4099) {
		assert_int_equal(blob_writer_write(w, data + off, piece, err), 0);
		off += piece;
		assert_int_equal(blob_writer_size(w), off);
	}
	assert_int_equal(blob_writer_write(w, data + off, n - off, err), 0);
	assert_int_equal(blob_writer_commit(w, hex, &size, &existed, err), 0);
	assert_string_equal(hex, want);
	assert_int_equal(existed, 1);
	free(data);
	blobstore_close(&bs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(stores_under_its_sha256, setup, teardown),
		cmocka_unit_test_setup_teardown(same_bytes_twice_is_one_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_temp_files_removed_on_open, setup, teardown),
		cmocka_unit_test_setup_teardown(disk_full_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(each_lists_every_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(put_fd_streams_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(large_writes_hash_correctly, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
