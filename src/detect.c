/* detect: libmagic on the bytes. */
#include "lakthan/detect.h"
#include "lakthan/util.h"

#include <archive.h>
#include <archive_entry.h>
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;

int detect_mime(const char *path, char *mime, size_t mimelen, char *err)
{
	int rc = 0;
	pthread_mutex_lock(&magic_lock);
	if (!cookie) {
		/* MAGIC_NO_CHECK_COMPRESS: a .gz is stored as a .gz, not looked into */
		cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
		if (!cookie || magic_load(cookie, NULL) != 0) {
			rc = lk_errf(err, "cannot load libmagic's database: %s", cookie ? magic_error(cookie) : "out of memory");
			if (cookie)
				magic_close(cookie);
			cookie = NULL;
			goto out;
		}
	}
	const char *m = magic_file(cookie, path);
	if (!m) {
		rc = lk_errf(err, "cannot tell the file type: %s", magic_error(cookie));
		goto out;
	}
	snprintf(mime, mimelen, "%s", m);
out:
	pthread_mutex_unlock(&magic_lock);
	return rc;
}

int detect_is_zip_container(const char *path, const char *mime)
{
	if (strcmp(mime, "application/zip") != 0)
		return 0;
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	int container = 1;
	if (archive_read_open_filename(a, path, 65536) == ARCHIVE_OK) {
		struct archive_entry *e;
		/* OOXML has [Content_Types].xml, ODF a first entry "mimetype" */
		for (int i = 0; i < 64 && archive_read_next_header(a, &e) == ARCHIVE_OK; i++) {
			const char *name = archive_entry_pathname(e);
			if (name && (strcmp(name, "[Content_Types].xml") == 0 || strcmp(name, "mimetype") == 0)) {
				container = 0;
				break;
			}
		}
	}
	archive_read_free(a);
	return container;
}
