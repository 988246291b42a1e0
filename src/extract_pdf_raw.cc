/*
 * extract_pdf_raw: a small C-callable shim over poppler's C++ API, for
 * extract_pdf.c, which stays the only caller.
 *
 * Why C++: Thai text needs the glyphs in content-stream order (poppler's
 * TextOutputDev with rawOrder, what `pdftotext -raw` prints). Reading order
 * by position (poppler-glib's poppler_page_get_text(), pdftotext's default)
 * moves Thai marks onto other lines or drops them when their glyph is
 * shifted, and a dropped mark cannot be restored afterwards; poppler-glib
 * has no raw-order call, poppler-cpp has page::text(rect, raw_order_layout).
 *
 * No C++ exception ever leaves this file: every entry point catches and
 * reports failure the C way.
 */
/* cpp/ because poppler-glib's include directory, also on the path, has
 * headers of the same names */
#include <cpp/poppler-document.h>
#include <cpp/poppler-global.h>
#include <cpp/poppler-page.h>

#include <cstdlib>
#include <cstring>
#include <memory>

extern "C" {
#include "lakthan/extract_pdf_raw.h"
}

/*
 * poppler writes syntax errors of damaged files to stderr by default; the
 * caller reports one short reason instead, so the messages are dropped.
 */
static void quiet(const std::string &, void *)
{
}

/* The document as poppler-cpp holds it; opaque to C. */
struct pdf_raw {
	std::unique_ptr<poppler::document> doc;
};

/*
 * Open the PDF at path. Returns NULL when it cannot be opened or parsed;
 * *locked is 1 when the document needs a user password, which is how
 * poppler-cpp reports an encrypted file it could not decrypt.
 */
extern "C" struct pdf_raw *pdf_raw_open(const char *path, int *locked)
{
	*locked = 0;
	try {
		poppler::set_debug_error_function(quiet, nullptr);
		std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
		if (!doc)
			return nullptr;
		if (doc->is_locked()) {
			*locked = 1;
			return nullptr;
		}
		pdf_raw *d = new pdf_raw;
		d->doc = std::move(doc);
		return d;
	} catch (...) {
		return nullptr;
	}
}

/* Number of pages; 0 or less for a document without any. */
extern "C" int pdf_raw_pages(struct pdf_raw *d)
{
	try {
		return d->doc->pages();
	} catch (...) {
		return 0;
	}
}

/*
 * The text of page i (from 0) in content-stream order, as malloc'ed UTF-8 of
 * *len bytes plus a NUL; NULL (and *len 0) when the page cannot be read or
 * memory runs out. The rectangle is far larger than any page so that no
 * text is cut by a crop box that does not start at the origin: that is what
 * pdftotext -raw does too, and the empty default rectangle of
 * page::text() would use the crop box. In raw order poppler ends the text
 * with its own page break '\f', which is dropped: the caller separates pages.
 */
extern "C" char *pdf_raw_page_text(struct pdf_raw *d, int i, size_t *len)
{
	*len = 0;
	try {
		std::unique_ptr<poppler::page> page(d->doc->create_page(i));
		if (!page)
			return nullptr;
		const poppler::rectf everything(-1e6, -1e6, 2e6, 2e6);
		poppler::byte_array utf8 =
			page->text(everything, poppler::page::raw_order_layout).to_utf8();
		size_t n = utf8.size();
		if (n && utf8[n - 1] == '\f')
			n--;
		char *s = static_cast<char *>(std::malloc(n + 1));
		if (!s)
			return nullptr;
		if (n)
			std::memcpy(s, utf8.data(), n);
		s[n] = 0;
		*len = n;
		return s;
	} catch (...) {
		return nullptr;
	}
}

/* Close the document; NULL is allowed. */
extern "C" void pdf_raw_close(struct pdf_raw *d)
{
	delete d;
}
