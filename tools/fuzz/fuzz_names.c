/*
 * fuzz_names: any bytes as a file name (an upload's filename, a ZIP entry's
 * name, a path given to ingest) through names_clean_basename(), and the
 * result through names_stem().
 *
 * Checks, beyond no crash, leak or UB: the result is never NULL or empty, is
 * valid UTF-8, has no '/', no control character and is neither "." nor "..";
 * cleaning it again changes nothing (it is already a clean NFC basename).
 */
#include "lakthan/names.h"
#include "lakthan/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *name)
{
	fprintf(stderr, "names_clean_basename: %s: '%s'\n", what, name ? name : "(null)");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = lk_strndup((const char *)data, size);   /* up to a NUL: a C string */
	char *name = names_clean_basename(path);
	if (!name || !name[0])
		fail("NULL or empty", name);
	size_t n = strlen(name);
	if (!lk_utf8_valid(name, n))
		fail("not UTF-8", name);
	if (strchr(name, '/'))
		fail("has a '/'", name);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
			fail("has a control character", name);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		fail("is a dot name", name);
	char *again = names_clean_basename(name);
	if (strcmp(again, name))
		fail("cleaning twice changes it", name);
	char *stem = names_stem(name);
	if (!stem || strlen(stem) > n)
		fail("names_stem", stem);
	free(stem);
	free(again);
	free(name);
	free(path);
	return 0;
}
