/*
 * detect: what a file is, from its bytes (libmagic), never from its name.
 * Thread-safe: the magic cookie is shared behind a mutex.
 */
#ifndef LAKTHAN_DETECT_H
#define LAKTHAN_DETECT_H
#include <stddef.h>

/* The MIME type of the file at path ("application/pdf"...) into mime. */
int detect_mime(const char *path, char *mime, size_t mimelen, char *err);

/*
 * 1 when the file at path, of type mime, is a ZIP of files to unpack, and 0
 * when it is a single document (DOCX, XLSX, ODT..., which are ZIPs too: some
 * producers' files are reported as application/zip, so the entries decide).
 */
int detect_is_zip_container(const char *path, const char *mime);

#endif
