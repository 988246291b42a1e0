/*
 * extract: default limits and the dispatch from a libmagic MIME type to the
 * in-process extractor for that format (extract_plain.c, extract_html.c,
 * extract_pdf.c, extract_office.c).
 */
#include "lakthan/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void extract_limits_default(struct extract_limits *lim)
{
	lim->max_text = (size_t)64 << 20;
	lim->max_entry = (size_t)256 << 20;
	lim->max_ratio = 200;
	lim->cpu_seconds = 60;
	lim->wall_seconds = 120;
	lim->max_memory = (size_t)1 << 30;
}

/* 1 when mime (possibly followed by "; charset=...") is exactly type. */
static int mime_is(const char *mime, const char *type)
{
	size_t n = strlen(type);
	return !strncasecmp(mime, type, n) && (mime[n] == 0 || mime[n] == ';' || mime[n] == ' ');
}

static int mime_prefix(const char *mime, const char *prefix)
{
	return !strncasecmp(mime, prefix, strlen(prefix));
}

/* 1 when the file starts with a ZIP local header ("PK\3\4"). */
static int looks_like_zip(const char *path)
{
	char sig[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, sig, sizeof sig);
	close(fd);
	return n == 4 && !memcmp(sig, "PK\3\4", 4);
}

/* Formats we recognise but do not read: the reason names them. */
static const struct {
	const char *mime;
	const char *what;
} legacy[] = {
	{"application/msword", "legacy Word document (.doc)"},
	{"application/vnd.ms-excel", "legacy Excel workbook (.xls)"},
	{"application/vnd.ms-powerpoint", "legacy PowerPoint presentation (.ppt)"},
	{"application/vnd.ms-office", "legacy Microsoft Office file"},
	{"application/cdfv2", "legacy Microsoft Office (OLE) file"},
	{"application/x-ole-storage", "legacy Microsoft Office (OLE) file"},
	{"text/rtf", "RTF document"},
	{"application/rtf", "RTF document"},
};

enum extract_status extract_file(const char *mime, const char *path,
				 const struct extract_limits *lim,
				 struct buf *out, char *reason, size_t reasonlen)
{
	out->max = lim->max_text;
	if (reasonlen)
		reason[0] = 0;

	/* libmagic's name for a zero-length file */
	if (mime_is(mime, "inode/x-empty") || mime_is(mime, "application/x-empty"))
		return EXTRACT_OK;
	for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
		if (mime_is(mime, legacy[i].mime)) {
			snprintf(reason, reasonlen, "%s is not supported", legacy[i].what);
			return EXTRACT_UNSUPPORTED;
		}
	}
	if (mime_is(mime, "text/html") || mime_is(mime, "application/xhtml+xml"))
		return extract_html(path, lim, out, reason, reasonlen);
	if (mime_prefix(mime, "text/"))
		return extract_plain(path, lim, out, reason, reasonlen);
	if (mime_is(mime, "application/pdf"))
		return extract_pdf(path, lim, out, reason, reasonlen);
	if (mime_prefix(mime, "application/vnd.openxmlformats-officedocument.") ||
	    mime_prefix(mime, "application/vnd.oasis.opendocument.") ||
	    mime_prefix(mime, "application/vnd.ms-word.") ||
	    mime_prefix(mime, "application/vnd.ms-excel.") ||
	    mime_prefix(mime, "application/vnd.ms-powerpoint.") ||
	    mime_is(mime, "application/zip") || mime_is(mime, "application/x-zip-compressed"))
		return extract_office(mime, path, lim, out, reason, reasonlen);
	/* some producers' DOCX get no better name than this: look inside */
	if (mime_is(mime, "application/octet-stream") && looks_like_zip(path))
		return extract_office("application/octet-stream", path, lim, out, reason, reasonlen);
	if (mime_prefix(mime, "image/")) {
		snprintf(reason, reasonlen, "image: needs OCR");
		return EXTRACT_NEEDS_OCR;
	}
	if (mime_is(mime, "application/encrypted")) {
		snprintf(reason, reasonlen, "encrypted document (password required)");
		return EXTRACT_FAILED;
	}
	snprintf(reason, reasonlen, "no text extractor for %.100s", mime);
	return EXTRACT_UNSUPPORTED;
}

/*
 * Read path into b, refusing files over max bytes. Every encoding we read
 * gives at least one UTF-8 byte per two input bytes (ASCII in UTF-16), so the
 * caller's max of 4 x max_text refuses only files whose text cannot fit.
 */
enum extract_status extract_read_file(const char *path, size_t max, struct buf *b,
				 size_t max_text, char *reason, size_t reasonlen)
{
	enum extract_status st = EXTRACT_FAILED;
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(reason, reasonlen, "cannot open file: %s", strerror(errno));
		return EXTRACT_FAILED;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(reason, reasonlen, "not a regular file");
		goto out;
	}
	if ((uintmax_t)sb.st_size > max)
		goto toobig;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		if (buf_append(b, chunk, (size_t)n))
			goto toobig;      /* the file grew while we read it */
	if (n < 0) {
		snprintf(reason, reasonlen, "read error: %s", strerror(errno));
		goto out;
	}
	st = EXTRACT_OK;
	goto out;
toobig:
	snprintf(reason, reasonlen, "text larger than %zu %s", EXTRACT_SIZE_ARGS(max_text));
out:
	close(fd);
	return st;
}
