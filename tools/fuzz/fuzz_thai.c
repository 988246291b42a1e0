/*
 * fuzz_thai: any bytes through thai_normalize() (with its offset map) and
 * thai_quality_check(): what every extracted text and every query goes
 * through.
 *
 * Checks on thai_normalize, beyond no crash, leak or UB:
 *  - it succeeds on a buffer without a cap, and its output is UTF-8 (invalid
 *    input becomes U+FFFD);
 *  - the map has one entry per appended byte plus a final entry equal to n,
 *    never decreases, and every entry lies within [0, n];
 *  - with a small cap it either succeeds or returns -1, never passing the cap.
 * Checks on thai_quality_check: the counts are consistent with each other
 * and the reason is a terminated string, empty exactly when reliable.
 */
#include "lakthan/buf.h"
#include "lakthan/thai.h"
#include "lakthan/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, size_t i, size_t a, size_t b)
{
	fprintf(stderr, "thai_normalize: %s at %zu (%zu, %zu)\n", what, i, a, b);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct buf out;
	buf_init(&out, 0);
	buf_puts(&out, "ab");   /* the map covers only what this call appends */
	size_t *map = NULL;
	if (thai_normalize(in, size, &out, &map) != 0)
		fail("failed without a cap", 0, 0, 0);
	if (!map)
		fail("no map", 0, 0, 0);
	size_t added = out.len - 2;
	if (memcmp(out.data, "ab", 2))
		fail("changed what was in the buffer", 0, 0, 0);
	if (!lk_utf8_valid(out.data, out.len))
		fail("output is not UTF-8", 0, out.len, 0);
	/* the allocation must hold added + 1 entries: ASan reads past it otherwise */
	if (map[added] != size)
		fail("last map entry is not n", added, map[added], size);
	for (size_t i = 0; i <= added; i++) {
		if (map[i] > size)
			fail("map entry past n", i, map[i], size);
		if (i && map[i] < map[i - 1])
			fail("map decreases", i, map[i - 1], map[i]);
	}
	free(map);
	buf_release(&out);

	/* without a map, and against a cap smaller than the output */
	struct buf small;
	buf_init(&small, size / 2 + 1);
	int rc = thai_normalize(in, size, &small, NULL);
	if (small.len > small.max)
		fail("passed the cap", 0, small.len, small.max);
	if (rc == 0 && small.len != added)
		fail("different length without a map", 0, small.len, added);
	buf_release(&small);

	struct thai_quality q;
	memset(&q, 0xA5, sizeof q);
	thai_quality_check(in, size, &q);
	if (q.thai > q.chars || q.pua > q.chars || q.one_char_words > q.words || q.chars > size ||
	    q.orphan_marks > q.thai || q.split_sara_am > q.chars || !memchr(q.reason, 0, sizeof q.reason) ||
	    (q.reliable != 0 && q.reliable != 1) || (q.reliable ? q.reason[0] != 0 : q.reason[0] == 0)) {
		fprintf(stderr, "thai_quality_check: inconsistent counts chars=%zu thai=%zu pua=%zu words=%zu one=%zu orphan=%zu sara_am=%zu reliable=%d reason=%.128s\n",
			q.chars, q.thai, q.pua, q.words, q.one_char_words, q.orphan_marks, q.split_sara_am, q.reliable,
			q.reason);
		abort();
	}
	return 0;
}
