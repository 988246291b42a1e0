/*
 * fuzz_extract: the in-process extractors for HTML and office documents
 * (what the sandboxed extractor child runs on an uploaded file), on a
 * temporary file, with small limits.
 *
 * The first byte picks what the rest is:
 *   0  an HTML page: extract_html();
 *   1  a whole file of unknown type: extract_office("application/octet-stream"),
 *      which sniffs the ZIP for [Content_Types].xml / mimetype;
 *   2  the word/document.xml of a DOCX;
 *   3  an XLSX: xl/sharedStrings.xml up to the first NUL, then
 *      xl/worksheets/sheet1.xml;
 *   4  the ppt/slides/slide1.xml of a PPTX;
 *   5, 6, 7  the content.xml of an ODT, ODS, ODP.
 * For 2-7 the target wraps the bytes in a valid ZIP (libarchive), so that the
 * fuzzer works on the XML the extractors walk rather than on ZIP checksums.
 *
 * Checks, beyond no crash, leak, hang or UB: EXTRACT_OK leaves UTF-8 text
 * within the cap; any other status has a reason.
 */
#include "lakthan/buf.h"
#include "lakthan/extract.h"
#include "lakthan/util.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_extract: %s\n", what);
	abort();
}

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

static void put(struct archive *a, const char *name, const void *p, size_t n)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	if (archive_write_header(a, e) != ARCHIVE_OK || (n && archive_write_data(a, p, n) != (la_ssize_t)n))
		fail(archive_error_string(a));
	archive_entry_free(e);
}

/* A ZIP holding the parts of kind k, with body as its main part, into z. */
static size_t make_zip(int k, const char *body, size_t n, char *z, size_t zmax)
{
	static const char ct[] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
	static const char *const odf[] = {"application/vnd.oasis.opendocument.text",
					  "application/vnd.oasis.opendocument.spreadsheet",
					  "application/vnd.oasis.opendocument.presentation"};
	struct archive *a = archive_write_new();
	size_t used = 0;
	/* deflated entries (libarchive's zip writer takes the option only before
	 * it is opened); the ODF mimetype entry is deflated too, which readers
	 * accept */
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_set_format_option(a, "zip", "compression", "deflate") != ARCHIVE_OK ||
	    archive_write_open_memory(a, z, zmax, &used) != ARCHIVE_OK)
		fail(archive_error_string(a));
	if (k >= 5) {
		/* ODF: the mimetype entry first */
		put(a, "mimetype", odf[k - 5], strlen(odf[k - 5]));
		put(a, "content.xml", body, n);
	} else {
		put(a, "[Content_Types].xml", ct, sizeof ct - 1);
		if (k == 2) {
			put(a, "word/document.xml", body, n);
		} else if (k == 3) {
			const char *nul = memchr(body, 0, n);
			size_t sl = nul ? (size_t)(nul - body) : n;
			put(a, "xl/sharedStrings.xml", body, sl);
			put(a, "xl/worksheets/sheet1.xml", nul ? nul + 1 : "", nul ? n - sl - 1 : 0);
		} else {
			put(a, "ppt/slides/slide1.xml", body, n);
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		fail(archive_error_string(a));
	archive_write_free(a);
	return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const mimes[] = {
		"text/html",
		"application/octet-stream",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/vnd.oasis.opendocument.text",
		"application/vnd.oasis.opendocument.spreadsheet",
		"application/vnd.oasis.opendocument.presentation",
	};
	if (!path[0]) {
		snprintf(path, sizeof path, "/tmp/lakthan-fuzz-extract-%ld", (long)getpid());
		atexit(cleanup);
	}
	if (size < 1)
		return 0;
	int k = data[0] % 8;
	const char *body = (const char *)data + 1;
	size_t n = size - 1;
	char *file = (char *)body;
	size_t flen = n;
	char *zip = NULL;
	if (k >= 2) {
		size_t zmax = n + 4096 + n / 8;
		zip = lk_malloc(zmax);
		flen = make_zip(k, body, n, zip, zmax);
		file = zip;
	}
	FILE *f = fopen(path, "wb");
	if (!f || (flen && fwrite(file, 1, flen, f) != flen) || fclose(f) != 0)
		fail("cannot write the temporary file");
	free(zip);

	struct extract_limits lim;
	extract_limits_default(&lim);
	lim.max_text = 256 * 1024;
	lim.max_entry = 1024 * 1024;
	lim.max_ratio = 200;
	struct buf out;
	buf_init(&out, lim.max_text);
	char reason[256];
	reason[0] = 0;
	enum extract_status st = k == 0 ? extract_html(path, &lim, &out, reason, sizeof reason)
					: extract_office(mimes[k], path, &lim, &out, reason, sizeof reason);
	if (st == EXTRACT_OK) {
		if (out.len > lim.max_text)
			fail("text past the cap");
		if (out.len && !lk_utf8_valid(out.data, out.len))
			fail("text is not UTF-8");
	} else if (!reason[0] || !memchr(reason, 0, sizeof reason)) {
		fail("failed without a reason");
	}
	buf_release(&out);
	return 0;
}
