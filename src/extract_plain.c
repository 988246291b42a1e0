/*
 * extract_plain: the text of a plain-text file, converted to UTF-8 from
 * whatever textenc detects (UTF-8, UTF-16, TIS-620 / windows-874).
 */
#include "lakthan/extract.h"
#include "lakthan/textenc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


enum extract_status extract_plain(const char *path, const struct extract_limits *lim,
				  struct buf *out, char *reason, size_t reasonlen)
{
	size_t max = lim->max_text > SIZE_MAX / 4 ? SIZE_MAX : lim->max_text * 4;
	struct buf in;
	buf_init(&in, max);
	enum extract_status st = extract_read_file(path, max, &in, lim->max_text, reason, reasonlen);
	if (st != EXTRACT_OK)
		goto out;
	if (in.len && textenc_to_utf8(in.data, in.len, out, reason, reasonlen) < 0)
		st = EXTRACT_FAILED;
out:
	buf_release(&in);
	return st;
}
