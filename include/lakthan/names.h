/*
 * names: file names as lakthan keeps them — valid UTF-8 in NFC, no control
 * characters, no directory part.
 */
#ifndef LAKTHAN_NAMES_H
#define LAKTHAN_NAMES_H
#include <stddef.h>

/*
 * The last component of path, as a clean UTF-8 NFC string (caller frees).
 * Bytes that are not UTF-8 are read as windows-874 when every byte is valid
 * there (Thai names from Windows ZIP tools), and otherwise replaced by U+FFFD.
 * Control characters become '_'. Never returns NULL or an empty string.
 */
char *names_clean_basename(const char *path);

/* s converted to NFC (caller frees); s itself when conversion fails. */
char *names_nfc(const char *s);

/* The name without its last extension ("รายงาน.pdf" → "รายงาน"); caller frees. */
char *names_stem(const char *name);

#endif
