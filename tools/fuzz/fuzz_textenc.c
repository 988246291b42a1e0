/*
 * fuzz_textenc: any bytes through textenc_detect() and textenc_to_utf8()
 * (what extract_plain runs on an uploaded text file).
 *
 * Checks: no crash, leak or UB; the detected name is one of the four the
 * header promises; conversion succeeds only for bytes that were detected, and
 * what it appends is well-formed UTF-8 within the buffer's cap.
 */
#include "lakthan/buf.h"
#include "lakthan/textenc.h"
#include "lakthan/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *enc = textenc_detect(in, size);
	if (enc && strcmp(enc, "UTF-8") && strcmp(enc, "UTF-16LE") && strcmp(enc, "UTF-16BE") &&
	    strcmp(enc, "WINDOWS-874")) {
		fprintf(stderr, "textenc_detect: unexpected name %s\n", enc);
		abort();
	}
	/* a small cap, so that the "text larger than" path is reached too */
	struct buf out;
	buf_init(&out, 1024 + size);
	buf_puts(&out, "x");   /* appending: what was there stays */
	char reason[128];
	reason[0] = 0;
	int rc = textenc_to_utf8(in, size, &out, reason, sizeof reason);
	if (rc == 0) {
		if (!enc) {
			fprintf(stderr, "textenc_to_utf8 converted bytes textenc_detect refused\n");
			abort();
		}
		if (out.len < 1 || out.data[0] != 'x' || !lk_utf8_valid(out.data, out.len)) {
			fprintf(stderr, "textenc_to_utf8 (%s): output is not UTF-8\n", enc);
			abort();
		}
	} else if (!reason[0] || !memchr(reason, 0, sizeof reason)) {
		fprintf(stderr, "textenc_to_utf8 failed without a reason\n");
		abort();
	}
	if (out.max && out.len > out.max) {
		fprintf(stderr, "textenc_to_utf8 passed the cap\n");
		abort();
	}
	buf_release(&out);
	return 0;
}
