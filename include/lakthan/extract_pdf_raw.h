/*
 * extract_pdf_raw: the part of the PDF extractor written against poppler's
 * C++ API (src/extract_pdf_raw.cc), callable from C. Only extract_pdf.c uses
 * it. It gives each page's text in content-stream order, which keeps Thai
 * marks on their syllables (see extract_pdf_raw.cc for why).
 */
#ifndef LAKTHAN_EXTRACT_PDF_RAW_H
#define LAKTHAN_EXTRACT_PDF_RAW_H
#include <stddef.h>

struct pdf_raw;

/* Open a PDF; NULL on failure, with *locked = 1 when a password is needed. */
struct pdf_raw *pdf_raw_open(const char *path, int *locked);
/* Number of pages (0 or less: none). */
int pdf_raw_pages(struct pdf_raw *d);
/* Page i's text as malloc'ed NUL-terminated UTF-8 of *len bytes; NULL on failure. */
char *pdf_raw_page_text(struct pdf_raw *d, int i, size_t *len);
/* Free the document; NULL is allowed. */
void pdf_raw_close(struct pdf_raw *d);

#endif
