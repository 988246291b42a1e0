/*
 * http_static: the web UI — GET / (web/index.html) and GET /assets/<name>
 * (web/<name>), from the files embedded at build time, or from a folder
 * given with `lakthan serve --web-dir DIR` while developing. Each answer
 * carries its Content-Type and an ETag (FNV-1a of the bytes), and
 * "Cache-Control: no-cache", so a browser revalidates and gets 304 when
 * nothing changed. Names are restricted to [A-Za-z0-9._-] segments joined
 * by '/', so no request can leave web/.
 */
#include "lakthan/http.h"
#include "lakthan/embedded.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATIC_MAX (8 * 1024 * 1024)   /* bytes of one file read from --web-dir */

static char *web_dir;   /* set once before the daemon starts; NULL: embedded */

void http_static_set_dir(const char *dir)
{
	free(web_dir);
	web_dir = dir ? lk_strdup(dir) : NULL;
}

/* The Content-Type for a file name, by its extension. */
static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".json", "application/json; charset=utf-8"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(name, '.');
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* 1 when name is one or more [A-Za-z0-9._-] segments joined by '/', none
 * starting with a dot. */
static int name_ok(const char *name)
{
	if (!*name || strlen(name) > 200)
		return 0;
	int seg_start = 1;
	for (const char *p = name; *p; p++) {
		if (*p == '/') {
			if (seg_start)
				return 0;
			seg_start = 1;
			continue;
		}
		if (seg_start && *p == '.')
			return 0;
		seg_start = 0;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return 0;
	}
	return !seg_start;
}

/* The bytes of web/<name> from --web-dir into *out (malloc'd); -1 when
 * absent or unreadable. */
static int read_dir_file(const char *name, unsigned char **out, size_t *len)
{
	char *path = lk_asprintf("%s/%s", web_dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	struct stat sb;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > STATIC_MAX) {
		close(fd);
		return -1;
	}
	unsigned char *b = lk_malloc((size_t)sb.st_size + 1);
	size_t n = 0;
	while (n < (size_t)sb.st_size) {
		ssize_t r = read(fd, b + n, (size_t)sb.st_size - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*out = b;
	*len = n;
	return 0;
}

/* Answer with the file web/<name>, 304 when the client has this version,
 * 404 when there is no such file. */
static enum MHD_Result send_file(struct http_req *rq, const char *name)
{
	if (!name_ok(name))
		return http_error(rq, 404, "not_found", "no such resource: %s", rq->path);
	const unsigned char *data;
	unsigned char *owned = NULL;
	size_t len;
	if (web_dir) {
		if (read_dir_file(name, &owned, &len) != 0)
			return http_error(rq, 404, "not_found", "no such resource: %s", rq->path);
		data = owned;
	} else {
		char *full = lk_asprintf("web/%s", name);
		const struct embedded_file *f = embedded_find(full);
		free(full);
		if (!f)
			return http_error(rq, 404, "not_found", "no such resource: %s", rq->path);
		data = f->data;
		len = f->len;
	}
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ data[i]) * 1099511628211ULL;
	char etag[24];
	snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)h);
	const char *inm = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "If-None-Match");
	struct MHD_Response *r;
	unsigned status = 200;
	if (inm && strstr(inm, etag)) {
		status = 304;
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		len = 0;
	} else if (owned) {
		r = MHD_create_response_from_buffer(len, owned, MHD_RESPMEM_MUST_FREE);
		owned = NULL;
	} else {
		r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
	}
	free(owned);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", content_type(name));
	MHD_add_response_header(r, "ETag", etag);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	return http_respond(rq, status, r, len);
}

/* GET / → the web UI's page. */
enum MHD_Result http_static_index(struct http_req *rq)
{
	return send_file(rq, "index.html");
}

/* GET /assets/<name> → web/<name>. */
enum MHD_Result http_static_asset(struct http_req *rq)
{
	return send_file(rq, rq->path + strlen("/assets/"));
}
