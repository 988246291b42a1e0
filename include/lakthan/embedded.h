/*
 * embedded: files compiled into the binary by tools/embed (schema migrations
 * under "schema/", web assets under "web/"). The array ends with a NULL name.
 * Each data array is followed by a NUL byte not counted in len, so text files
 * can be used as C strings.
 */
#ifndef LAKTHAN_EMBEDDED_H
#define LAKTHAN_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *name;          /* path relative to the project root */
	const unsigned char *data;
	size_t len;
};

extern const struct embedded_file embedded_files[];

/* The embedded file with this exact name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
