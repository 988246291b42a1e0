/*
 * extract_pdf: the text layer of a PDF through poppler-glib, page by page,
 * pages separated by '\f' (as pdftotext does). The text is what poppler
 * gives, Thai marks and stray spaces included; thai.c repairs those later.
 */
#include "lakthan/extract.h"

#include <poppler.h>
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
 * poppler's GError messages can be long and carry the file name; keep the
 * first line, short.
 */
static void short_message(const char *msg, char *dst, size_t len)
{
	size_t n = strcspn(msg ? msg : "", "\n");
	if (n > 120)
		n = 120;
	snprintf(dst, len, "%.*s", (int)n, msg ? msg : "unknown error");
}

enum extract_status extract_pdf(const char *path, const struct extract_limits *lim,
				struct buf *out, char *reason, size_t reasonlen)
{
	enum extract_status st = EXTRACT_FAILED;
	GError *err = NULL;
	PopplerDocument *doc = NULL;
	char *uri = NULL, msg[128];
	size_t start = out->len;
	int any = 0;

	/* poppler wants a file:// URI, which needs an absolute path */
	char *abs = realpath(path, NULL);
	if (!abs) {
		snprintf(reason, reasonlen, "cannot open file");
		return EXTRACT_FAILED;
	}
	uri = g_filename_to_uri(abs, NULL, &err);
	free(abs);
	if (!uri) {
		short_message(err ? err->message : NULL, msg, sizeof msg);
		snprintf(reason, reasonlen, "cannot open file: %s", msg);
		goto out;
	}
	doc = poppler_document_new_from_file(uri, NULL, &err);
	if (!doc) {
		if (err && g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
			snprintf(reason, reasonlen, "encrypted PDF (password required)");
		} else {
			short_message(err ? err->message : NULL, msg, sizeof msg);
			snprintf(reason, reasonlen, "damaged PDF: %s", msg);
		}
		goto out;
	}
	int pages = poppler_document_get_n_pages(doc);
	if (pages <= 0) {
		snprintf(reason, reasonlen, "damaged PDF: no pages");
		goto out;
	}
	for (int i = 0; i < pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *text = page ? poppler_page_get_text(page) : NULL;
		int full = (i && buf_putc(out, '\f')) ||
			   (text && buf_puts(out, text));
		if (text && has_text(text))
			any = 1;
		g_free(text);
		if (page)
			g_object_unref(page);
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
	if (doc)
		g_object_unref(doc);
	if (err)
		g_error_free(err);
	g_free(uri);
	return st;
}
