/* unit.h: what every cmocka unit test includes. */
#ifndef LAKTHAN_UNIT_H
#define LAKTHAN_UNIT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Committed test files live here; tests run from the project root. */
#define FIXTURE(name) "tests/fixtures/" name

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lakthan/db.h"
#include "lakthan/fts_thai.h"
#include "lakthan/util.h"

/* A new archive database (db_open: migrations, the tokenizer and its
 * functions) at a fresh path made from the mkstemp template path. */
static inline sqlite3 *unit_db_open(char *path)
{
	char err[LK_ERRLEN];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	sqlite3 *db;
	assert_int_equal(db_open(path, &db, err), 0);
	return db;
}

/* Close db and remove its files (the database, its WAL and shared memory). */
static inline void unit_db_close(sqlite3 *db, const char *path)
{
	sqlite3_close(db);
	char *p = lk_asprintf("rm -f %s %s-wal %s-shm", path, path, path);
	assert_int_equal(system(p), 0);
	free(p);
}

/*
 * q with every gram written readably — FTS_THAI_GRAM_MARK followed by Thai
 * letters, "\x01ปี" — turned into the gram token the index holds
 * (fts_thai_gram(): one byte per Thai letter). Returns one of four static
 * buffers, so a test may hold a few at once.
 */
static inline const char *grams_in(const char *q)
{
	static char bufs[4][1024];
	static int next;
	char *out = bufs[next++ % 4];
	size_t k = 0, n = strlen(q);
	for (size_t i = 0; i < n && k + 8 < 1024;) {
		if (q[i] != FTS_THAI_GRAM_MARK[0]) {
			out[k++] = q[i++];
			continue;
		}
		size_t j = i + 1;
		while (j + 3 <= n && (unsigned char)q[j] == 0xE0 && ((unsigned char)q[j + 1] == 0xB8 || (unsigned char)q[j + 1] == 0xB9))
			j += 3;
		k += fts_thai_gram(q + i + 1, j - i - 1, out + k);
		i = j;
	}
	out[k] = 0;
	return out;
}

#endif
