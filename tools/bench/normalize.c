/*
 * normalize: a small driver around lakthan's Thai normalisation for the
 * benchmarks in tools/bench (pdf-quality, corpus checks, throughput).
 *
 *   normalize < in.txt > out.txt     thai_normalize(stdin) to stdout
 *   normalize -q FILE...             one line of thai_quality_check per file
 *   normalize -t FILE...             normalisation throughput over the files
 */
#include "lakthan/thai.h"
#include "lakthan/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Read a whole stream into b; -1 on a read error. */
static int slurp(FILE *f, struct buf *b)
{
	char tmp[65536];
	size_t k;
	while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
		if (buf_append(b, tmp, k) < 0)
			return -1;
	return ferror(f) ? -1 : 0;
}

/* Read the file at path into b, reporting a failure on stderr. */
static int slurp_path(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	int rc;
	if (!f) {
		perror(path);
		return -1;
	}
	rc = slurp(f, b);
	fclose(f);
	if (rc < 0)
		fprintf(stderr, "%s: read error\n", path);
	return rc;
}

/* Print the quality figures of each file, tab-separated, one line each. */
static int quality(int argc, char **argv)
{
	int i;
	printf("file\treliable\tchars\tthai\tpua\tsplit_sara_am\torphan_marks\twords\tone_char_words\treason\n");
	for (i = 0; i < argc; i++) {
		struct buf b = BUF_INIT;
		struct thai_quality q;
		if (slurp_path(argv[i], &b) < 0)
			return 1;
		thai_quality_check(b.data ? b.data : "", b.len, &q);
		printf("%s\t%d\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%s\n", argv[i], q.reliable,
		       q.chars, q.thai, q.pua, q.split_sara_am, q.orphan_marks, q.words,
		       q.one_char_words, q.reason);
		buf_release(&b);
	}
	return 0;
}

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Load every file, then time thai_normalize over all of them (best of 3),
 * with and without the offset map. */
static int throughput(int argc, char **argv)
{
	struct buf *docs = calloc((size_t)argc, sizeof *docs);
	size_t total = 0;
	int i, round, with_map;
	if (!docs)
		return 1;
	for (i = 0; i < argc; i++) {
		buf_init(&docs[i], 0);
		if (slurp_path(argv[i], &docs[i]) < 0)
			return 1;
		total += docs[i].len;
	}
	for (with_map = 0; with_map < 2; with_map++) {
		double best = 1e30;
		for (round = 0; round < 3; round++) {
			double t0 = now(), t;
			for (i = 0; i < argc; i++) {
				struct buf out = BUF_INIT;
				size_t *map = NULL;
				thai_normalize(docs[i].data ? docs[i].data : "", docs[i].len, &out,
					       with_map ? &map : NULL);
				free(map);
				buf_release(&out);
			}
			t = now() - t0;
			if (t < best)
				best = t;
		}
		printf("%d files, %.1f MB, %s map: %.3f s, %.1f MB/s\n", argc, total / 1e6,
		       with_map ? "with" : "without", best, total / 1e6 / best);
	}
	for (i = 0; i < argc; i++)
		buf_release(&docs[i]);
	free(docs);
	return 0;
}

int main(int argc, char **argv)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	if (argc > 1 && strcmp(argv[1], "-q") == 0)
		return quality(argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "-t") == 0)
		return throughput(argc - 2, argv + 2);
	if (argc > 1) {
		fprintf(stderr, "usage: normalize < in > out | -q FILE... | -t FILE...\n");
		return 2;
	}
	if (slurp(stdin, &in) < 0 ||
	    thai_normalize(in.data ? in.data : "", in.len, &out, NULL) < 0) {
		fprintf(stderr, "normalize: cannot read or normalise the input\n");
		return 1;
	}
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	buf_release(&in);
	buf_release(&out);
	return 0;
}
