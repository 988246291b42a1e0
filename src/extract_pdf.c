/*
 * extract_pdf: the text layer of a PDF, page by page, pages separated by
 * '\f' (as pdftotext does).
 *
 * The glyphs are taken in content-stream order (poppler's raw order, what
 * `pdftotext -raw` prints) through the C++ shim extract_pdf_raw.cc, not in
 * poppler-glib's reading order by position: LibreOffice and other producers
 * write a Thai syllable's consonant, vowel and tone marks together in the
 * stream, and position sorting moves a shifted mark onto another line or
 * drops it (ทั่วไป losing its mai ek at a line end). On LibreOffice PDFs
 * this takes the share of source phrases found after thai_normalize from
 * about 91 % to 99.7 % (docs/PERFORMANCE.md). The text is otherwise
 * what poppler gives, stray spaces included; thai_normalize.c repairs those
 * later.
 */
#include "lakthan/extract.h"
#include "lakthan/extract_pdf_raw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A size for a reason: "64 MiB", or "1000 bytes" below a MiB. */
#define SIZE_ARGS(n) ((n) >= ((size_t)1 << 20) ? (n) >> 20 : (n)), \
		     ((n) >= ((size_t)1 << 20) ? "MiB" : "bytes")

/* 1 when s has anything but whitespace. */
static int has_text(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n\f\v", *s))
			return 1;
	return 0;
}

/*
 * Extract every page. A missing file is told apart from a damaged one before
 * poppler sees it, since poppler-cpp reports both as "no document".
 */
enum extract_status extract_pdf(const char *path, const struct extract_limits *lim,
				struct buf *out, char *reason, size_t reasonlen)
{
	enum extract_status st = EXTRACT_FAILED;
	struct pdf_raw *doc = NULL;
	size_t start = out->len;
	int any = 0, locked = 0;

	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(reason, reasonlen, "cannot open file");
		return EXTRACT_FAILED;
	}
	fclose(f);
	doc = pdf_raw_open(path, &locked);
	if (!doc) {
		if (locked)
			snprintf(reason, reasonlen, "encrypted PDF (password required)");
		else
			snprintf(reason, reasonlen, "damaged PDF: not a readable PDF document");
		return EXTRACT_FAILED;
	}
	int pages = pdf_raw_pages(doc);
	if (pages <= 0) {
		snprintf(reason, reasonlen, "damaged PDF: no pages");
		goto out;
	}
	for (int i = 0; i < pages; i++) {
		size_t n = 0;
		char *text = pdf_raw_page_text(doc, i, &n);
		int full = (i && buf_putc(out, '\f')) ||
			   (text && buf_append(out, text, n));
		if (text && has_text(text))
			any = 1;
		free(text);
		if (full) {
			snprintf(reason, reasonlen, "text larger than %zu %s", SIZE_ARGS(lim->max_text));
			goto out;
		}
	}
	if (!any) {
		/* page breaks alone are no text: leave out as it was */
		out->len = start;
		if (out->data)
			out->data[start] = 0;
		snprintf(reason, reasonlen, "PDF has no text layer (scanned?)");
		st = EXTRACT_NEEDS_OCR;
		goto out;
	}
	st = EXTRACT_OK;
out:
	pdf_raw_close(doc);
	return st;
}
