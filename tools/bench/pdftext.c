/*
 * pdftext: lakthan's own PDF text pipeline as a command, for the benchmarks
 * in tools/bench (pdf-quality). It runs the library's extract_pdf() and
 * thai_normalize() from build/rel/liblakthan.a, so the figures are those of
 * the code that ingest runs, not of pdftotext.
 *
 *   pdftext FILE.pdf        extract_pdf() text to stdout (pages split by '\f')
 *   pdftext -n FILE.pdf     thai_normalize() of that text to stdout
 *
 * One process per file, like `pdftotext FILE OUT`, so that timing the two
 * commands over the same files compares like with like. Exit status 1 with
 * the extractor's reason on stderr when the file gives no text.
 */
#include "lakthan/extract.h"
#include "lakthan/thai.h"
#include "lakthan/buf.h"

#include <stdio.h>
#include <string.h>

/* Extract (and with -n normalise) one PDF to stdout. */
int main(int argc, char **argv)
{
	int norm = argc == 3 && strcmp(argv[1], "-n") == 0;
	const char *path = argv[argc - 1];
	struct extract_limits lim;
	struct buf text = BUF_INIT, out = BUF_INIT;
	char reason[256] = "";
	int rc = 0;

	if (argc != 2 && !norm) {
		fprintf(stderr, "usage: pdftext [-n] FILE.pdf\n");
		return 2;
	}
	extract_limits_default(&lim);
	buf_init(&text, lim.max_text);
	enum extract_status st = extract_pdf(path, &lim, &text, reason, sizeof reason);
	if (st != EXTRACT_OK) {
		fprintf(stderr, "%s: %s\n", path, reason);
		rc = 1;
	} else if (norm) {
		if (thai_normalize(text.data ? text.data : "", text.len, &out, NULL) < 0) {
			fprintf(stderr, "%s: normalised text too large\n", path);
			rc = 1;
		} else {
			fwrite(out.data ? out.data : "", 1, out.len, stdout);
		}
	} else {
		fwrite(text.data ? text.data : "", 1, text.len, stdout);
	}
	buf_release(&text);
	buf_release(&out);
	return rc;
}
