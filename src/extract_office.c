/*
 * extract_office: the text of DOCX, XLSX, PPTX, ODT, ODS and ODP files.
 *
 * The ZIP is read with libarchive and each wanted part is streamed straight
 * into libxml2's reader (xmlReaderForIO), so neither a whole part nor a DOM
 * ever sits in memory: a 100 MB worksheet costs a few buffers. The read
 * callback counts the uncompressed bytes and the compressed bytes consumed,
 * and stops a part that grows past lim->max_entry or past lim->max_ratio
 * times its compressed size, whatever the ZIP headers claim (zip bombs lie).
 * Entity expansion and DTD loading stay off (no XML_PARSE_NOENT or
 * XML_PARSE_DTDLOAD), and the network is never touched (XML_PARSE_NONET).
 *
 * Parts are parsed in archive order, each into its own text buffer, and
 * joined in document order at the end (slides and sheets by number).
 * Separators: paragraphs end with '\n', table cells are separated by '\t',
 * rows end with '\n', slides and sheets are separated by '\f'.
 */
#include "lakthan/extract.h"
#include "lakthan/util.h"

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_NONE, K_DOCX, K_XLSX, K_PPTX, K_ODT, K_ODS, K_ODP };

/* Small parts are not checked for ratio: a 4 MiB XML part cannot hurt
 * whatever its ratio, and real spreadsheets compress very well. */
#define RATIO_FLOOR ((size_t)4 << 20)
/* Column index cap (Excel's last column is XFD = 16384). */
#define MAX_COLS 16384u
/* A repeated ODS cell or row with content is written at most this often:
 * enough for real sheets, no amplification from one attribute. */
#define MAX_REPEAT 1000u
/* text:s c="..." is capped: layout, not content. */
#define MAX_SPACES 1024u

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_S "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_S_STRICT "http://purl.oclc.org/ooxml/spreadsheetml/main"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_A_STRICT "http://purl.oclc.org/ooxml/drawingml/main"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_PRES "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

/* Separators waiting to be written, weakest first: a stronger one replaces a
 * weaker one (the end of a cell and then of its row give one '\n'). */
enum { SEP_NONE, SEP_SPACE, SEP_TAB, SEP_NL };
static const char sep_char[] = {0, ' ', '\t', '\n'};

/* A text buffer with a pending separator, written only before more text, so
 * that no output starts or ends with separators. */
struct sink {
	struct buf b;
	int pending;
};

/* One part's text, kept until all parts are read and can be ordered. */
struct part {
	int group;            /* DOCX: body, notes, headers, footers */
	unsigned long num;    /* slide or sheet number */
	struct buf text;
};

/* Shared strings of a workbook: NUL-separated strings and their offsets. */
struct sst {
	struct buf strs;
	size_t *off;
	size_t n, cap;
};

struct office {
	enum kind kind;
	const struct extract_limits *lim;
	char *reason;
	size_t reasonlen;
	int capped;            /* a text buffer reached lim->max_text */
	int encrypted;         /* ODF manifest names encryption data */

	struct part *parts;
	size_t nparts, partcap;
	size_t total;          /* text bytes in all parts */

	/* parse state of the current part */
	struct sink part;      /* the part's text */
	struct sink *cur;      /* where text goes now (part, or a cell) */
	int skip;              /* depth inside an element whose text is dropped */
	int in_t;              /* depth inside a text-bearing element */
	int in_run;            /* DOCX: inside w:r (w:tab there is a tab) */
	int cells;             /* depth inside table cells */
	unsigned long pages;   /* ODP pages / ODS sheets seen */

	/* spreadsheets: the row being built and the cell being read */
	struct sink row, cell;
	long last_col;         /* column of the last non-empty cell in row */
	unsigned long col;     /* column of the current cell */
	unsigned long col_rep, row_rep;
	char ctype[16];        /* XLSX cell type attribute */
	int in_v, in_is;        /* XLSX: inside <v>, inside <is> */
	struct sst sst;
};

/* The text written to reason when a text buffer is full. */
static void reason_cap(struct office *o)
{
	snprintf(o->reason, o->reasonlen, "text larger than %zu %s", EXTRACT_SIZE_ARGS(o->lim->max_text));
}

static void sink_init(struct office *o, struct sink *s)
{
	buf_init(&s->b, o->lim->max_text);
	s->pending = SEP_NONE;
}

static void sink_reset(struct sink *s)
{
	s->b.len = 0;
	if (s->b.data)
		s->b.data[0] = 0;
	s->pending = SEP_NONE;
}

static void sink_sep(struct sink *s, int sep)
{
	if (sep > s->pending)
		s->pending = sep;
}

/* Append text, first writing the pending separator if text came before. */
static void sink_write(struct office *o, struct sink *s, const char *t, size_t n)
{
	if (!n || o->capped)
		return;
	/* nothing between a page break and the next page's text */
	if (s->pending && s->b.len && s->b.data[s->b.len - 1] != '\f' &&
	    buf_putc(&s->b, sep_char[s->pending]))
		goto cap;
	s->pending = SEP_NONE;
	if (buf_append(&s->b, t, n))
		goto cap;
	return;
cap:
	o->capped = 1;
}

/* Append text as is, dropping any pending separator ('\f' between pages). */
static void sink_raw(struct office *o, struct sink *s, const char *t, size_t n)
{
	s->pending = SEP_NONE;
	if (!o->capped && buf_append(&s->b, t, n))
		o->capped = 1;
}

/* Append count copies of c (tabs before a cell, spaces of text:s). */
static void sink_repeat(struct office *o, struct sink *s, char c, unsigned long count)
{
	char chunk[64];
	memset(chunk, c, sizeof chunk);
	while (count && !o->capped) {
		size_t n = count < sizeof chunk ? count : sizeof chunk;
		sink_write(o, s, chunk, n);
		count -= n;
	}
}

/* 1 when the element is ns:local for one of two namespace URIs. */
static int is2(const xmlChar *ns, const xmlChar *local, const char *ns1, const char *ns2,
	       const char *name)
{
	if (!ns || strcmp((const char *)local, name))
		return 0;
	return !strcmp((const char *)ns, ns1) || (ns2 && !strcmp((const char *)ns, ns2));
}

static int is(const xmlChar *ns, const xmlChar *local, const char *ns1, const char *name)
{
	return is2(ns, local, ns1, NULL, name);
}

/* An unsigned attribute (namespaced or not), def when absent or malformed,
 * capped at max. */
static unsigned long attr_ulong(xmlTextReaderPtr r, const char *name, const char *ns,
				unsigned long def, unsigned long max)
{
	xmlChar *v = ns ? xmlTextReaderGetAttributeNs(r, BAD_CAST name, BAD_CAST ns)
			: xmlTextReaderGetAttribute(r, BAD_CAST name);
	unsigned long n = def;
	if (v) {
		char *end;
		const char *s = (const char *)v;
		if (*s >= '0' && *s <= '9') {
			n = strtoul(s, &end, 10);
			if (*end)
				n = def;
		}
		xmlFree(v);
	}
	return n > max ? max : n;
}

/* ------------------------------------------------------------------ DOCX */

static void docx_start(struct office *o, xmlTextReaderPtr r, const xmlChar *ns, const xmlChar *l)
{
	(void)r;
	/* mc:Fallback repeats the mc:Choice content (text boxes) for old readers */
	if (is(ns, l, NS_MC, "Fallback")) {
		o->skip = 1;
		return;
	}
	if (!ns || (strcmp((const char *)ns, NS_W) && strcmp((const char *)ns, NS_W_STRICT)))
		return;
	const char *n = (const char *)l;
	if (!strcmp(n, "t"))
		o->in_t++;
	else if (!strcmp(n, "r"))
		o->in_run++;
	else if (!strcmp(n, "tc"))
		o->cells++;
	else if (o->in_run && !strcmp(n, "tab"))
		sink_write(o, o->cur, "\t", 1);
	else if (o->in_run && (!strcmp(n, "br") || !strcmp(n, "cr")))
		sink_write(o, o->cur, "\n", 1);
	else if (o->in_run && !strcmp(n, "noBreakHyphen"))
		sink_write(o, o->cur, "-", 1);
}

static void docx_end(struct office *o, const xmlChar *ns, const xmlChar *l)
{
	if (!ns || (strcmp((const char *)ns, NS_W) && strcmp((const char *)ns, NS_W_STRICT)))
		return;
	const char *n = (const char *)l;
	if (!strcmp(n, "t") && o->in_t)
		o->in_t--;
	else if (!strcmp(n, "r") && o->in_run)
		o->in_run--;
	else if (!strcmp(n, "p"))
		sink_sep(o->cur, o->cells ? SEP_SPACE : SEP_NL);
	else if (!strcmp(n, "tc")) {
		if (o->cells)
			o->cells--;
		sink_sep(o->cur, SEP_TAB);
	} else if (!strcmp(n, "tr"))
		sink_sep(o->cur, SEP_NL);
}

/* ------------------------------------------------------------------ PPTX */

static void pptx_start(struct office *o, xmlTextReaderPtr r, const xmlChar *ns, const xmlChar *l)
{
	(void)r;
	if (is(ns, l, NS_MC, "Fallback")) {
		o->skip = 1;
		return;
	}
	if (is2(ns, l, NS_A, NS_A_STRICT, "t"))
		o->in_t++;
	else if (is2(ns, l, NS_A, NS_A_STRICT, "tc"))
		o->cells++;
	else if (is2(ns, l, NS_A, NS_A_STRICT, "br"))
		sink_write(o, o->cur, "\n", 1);
}

static void pptx_end(struct office *o, const xmlChar *ns, const xmlChar *l)
{
	if (is2(ns, l, NS_A, NS_A_STRICT, "t") && o->in_t)
		o->in_t--;
	else if (is2(ns, l, NS_A, NS_A_STRICT, "p"))
		sink_sep(o->cur, o->cells ? SEP_SPACE : SEP_NL);
	else if (is2(ns, l, NS_A, NS_A_STRICT, "tc")) {
		if (o->cells)
			o->cells--;
		sink_sep(o->cur, SEP_TAB);
	} else if (is2(ns, l, NS_A, NS_A_STRICT, "tr"))
		sink_sep(o->cur, SEP_NL);
}

/* ------------------------------------------------------------ spreadsheets */

/* Write the finished cell into the row at column o->col, repeated rep
 * times, with tabs for the empty columns before it. */
static void cell_done(struct office *o, const char *t, size_t n, unsigned long rep)
{
	if (n) {
		if (rep > MAX_REPEAT)
			rep = MAX_REPEAT;
		for (unsigned long k = 0; k < rep && !o->capped; k++) {
			long c = (long)(o->col + k);
			unsigned long tabs = o->last_col < 0 ? (unsigned long)c
							     : (unsigned long)(c - o->last_col);
			sink_repeat(o, &o->row, '\t', tabs);
			sink_write(o, &o->row, t, n);
			o->last_col = c;
		}
	}
}

/* Write the finished row (if it has text) as a line of the sheet. */
static void row_done(struct office *o, unsigned long rep)
{
	if (o->row.b.len) {
		if (rep > MAX_REPEAT)
			rep = MAX_REPEAT;
		for (unsigned long k = 0; k < rep && !o->capped; k++) {
			sink_sep(&o->part, SEP_NL);
			sink_write(o, &o->part, o->row.b.data, o->row.b.len);
		}
	}
	sink_reset(&o->row);
	o->last_col = -1;
	o->col = 0;
}

/* The column index of an A1-style reference ("C7" → 2), or -1. */
static long xlsx_col(const char *ref)
{
	unsigned long c = 0;
	int letters = 0;
	for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
		c = c * 26 + (unsigned long)(*ref - 'A' + 1);
		if (++letters > 3)
			return -1;
	}
	if (!letters || c > MAX_COLS)
		return -1;
	return (long)c - 1;
}

static void sst_start(struct office *o, xmlTextReaderPtr r, const xmlChar *ns, const xmlChar *l)
{
	(void)r;
	/* rPh holds phonetic readings (Japanese), not the string itself */
	if (is2(ns, l, NS_S, NS_S_STRICT, "rPh"))
		o->skip = 1;
	else if (is2(ns, l, NS_S, NS_S_STRICT, "t"))
		o->in_t++;
	else if (is2(ns, l, NS_S, NS_S_STRICT, "si")) {
		sink_reset(&o->cell);
		o->cur = &o->cell;
	}
}

static void sst_end(struct office *o, const xmlChar *ns, const xmlChar *l)
{
	struct sst *s = &o->sst;
	if (is2(ns, l, NS_S, NS_S_STRICT, "t") && o->in_t) {
		o->in_t--;
	} else if (is2(ns, l, NS_S, NS_S_STRICT, "si")) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			s->off = lk_realloc(s->off, s->cap * sizeof *s->off);
		}
		s->off[s->n++] = s->strs.len;
		/* the NUL keeps strings apart; buf keeps data NUL-terminated */
		if (buf_append(&s->strs, o->cell.b.data ? o->cell.b.data : "", o->cell.b.len + 1))
			o->capped = 1;
	}
}

static void sheet_start(struct office *o, xmlTextReaderPtr r, const xmlChar *ns, const xmlChar *l)
{
	if (!ns || (strcmp((const char *)ns, NS_S) && strcmp((const char *)ns, NS_S_STRICT)))
		return;
	const char *n = (const char *)l;
	if (!strcmp(n, "row")) {
		sink_reset(&o->row);
		o->last_col = -1;
		o->col = 0;
	} else if (!strcmp(n, "c")) {
		xmlChar *ref = xmlTextReaderGetAttribute(r, BAD_CAST "r");
		xmlChar *t = xmlTextReaderGetAttribute(r, BAD_CAST "t");
		long c = ref ? xlsx_col((const char *)ref) : -1;
		/* a cell without (or with a bad) reference follows the previous one */
		if (c >= 0 && c > o->last_col)
			o->col = (unsigned long)c;
		else
			o->col = (unsigned long)(o->last_col + 1);
		snprintf(o->ctype, sizeof o->ctype, "%s", t ? (const char *)t : "n");
		xmlFree(ref);
		xmlFree(t);
		sink_reset(&o->cell);
		o->cur = &o->cell;
	} else if (!strcmp(n, "v")) {
		o->in_v = 1;
	} else if (!strcmp(n, "is")) {
		o->in_is = 1;
	} else if (!strcmp(n, "rPh")) {
		o->skip = 1;
	} else if (!strcmp(n, "t") && o->in_is) {
		o->in_t++;
	}
}

/* The text of the current XLSX cell from its type and collected value. */
static void sheet_cell(struct office *o)
{
	const char *v = o->cell.b.data ? o->cell.b.data : "";
	size_t n = o->cell.b.len;
	if (!strcmp(o->ctype, "s")) {
		/* a shared-string index: digits only, and inside the table */
		char *end;
		if (!n || v[0] < '0' || v[0] > '9')
			return;
		errno = 0;
		unsigned long long i = strtoull(v, &end, 10);
		if (*end || errno || i >= o->sst.n)
			return;
		const char *s = o->sst.strs.data + o->sst.off[i];
		cell_done(o, s, strlen(s), 1);
	} else if (!strcmp(o->ctype, "b")) {
		if (n)
			cell_done(o, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5, 1);
	} else {
		cell_done(o, v, n, 1);
	}
}

static void sheet_end(struct office *o, const xmlChar *ns, const xmlChar *l)
{
	if (!ns || (strcmp((const char *)ns, NS_S) && strcmp((const char *)ns, NS_S_STRICT)))
		return;
	const char *n = (const char *)l;
	if (!strcmp(n, "c")) {
		o->cur = &o->part;
		sheet_cell(o);
		o->in_v = o->in_is = 0;
	} else if (!strcmp(n, "row")) {
		row_done(o, 1);
	} else if (!strcmp(n, "v")) {
		o->in_v = 0;
	} else if (!strcmp(n, "is")) {
		o->in_is = 0;
	} else if (!strcmp(n, "t") && o->in_t) {
		o->in_t--;
	}
}

/* ------------------------------------------------------------------- ODF */

static void odf_start(struct office *o, xmlTextReaderPtr r, const xmlChar *ns, const xmlChar *l)
{
	if (!ns)
		return;
	const char *n = (const char *)l, *u = (const char *)ns;
	if (!strcmp(u, NS_TEXT)) {
		if (!strcmp(n, "p") || !strcmp(n, "h")) {
			o->in_t++;
		} else if (!strcmp(n, "note-citation") || !strcmp(n, "tracked-changes")) {
			o->skip = 1;
		} else if (!strcmp(n, "note")) {
			/* a footnote body sits inside its paragraph: set it apart */
			sink_sep(o->cur, SEP_NL);
		} else if (o->in_t && !strcmp(n, "s")) {
			sink_repeat(o, o->cur, ' ', attr_ulong(r, "c", NS_TEXT, 1, MAX_SPACES));
		} else if (o->in_t && !strcmp(n, "tab")) {
			sink_write(o, o->cur, "\t", 1);
		} else if (o->in_t && !strcmp(n, "line-break")) {
			sink_write(o, o->cur, "\n", 1);
		}
	} else if (!strcmp(u, NS_TABLE)) {
		int cell = !strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell");
		if (o->kind == K_ODS && !strcmp(n, "table") && !o->cells) {
			if (o->pages++)
				sink_raw(o, &o->part, "\f", 1);
		} else if (o->kind == K_ODS && !strcmp(n, "table-row") && !o->cells) {
			sink_reset(&o->row);
			o->last_col = -1;
			o->col = 0;
			o->row_rep = attr_ulong(r, "number-rows-repeated", NS_TABLE, 1, ULONG_MAX);
		} else if (o->kind == K_ODS && cell && !o->cells) {
			o->col_rep = attr_ulong(r, "number-columns-repeated", NS_TABLE, 1, MAX_COLS);
			sink_reset(&o->cell);
			o->cur = &o->cell;
			o->cells++;
		} else if (cell) {
			o->cells++;
		}
	} else if (!strcmp(u, NS_DRAW)) {
		if (o->kind == K_ODP && !strcmp(n, "page") && o->pages++)
			sink_raw(o, o->cur, "\f", 1);
	} else if (!strcmp(u, NS_OFFICE)) {
		if (!strcmp(n, "annotation") || !strcmp(n, "forms"))
			o->skip = 1;
	} else if (!strcmp(u, NS_PRES)) {
		if (!strcmp(n, "notes"))
			o->skip = 1;
	} else if (!strcmp(u, NS_SVG)) {
		if (!strcmp(n, "title") || !strcmp(n, "desc"))
			o->skip = 1;
	}
}

static void odf_end(struct office *o, const xmlChar *ns, const xmlChar *l)
{
	if (!ns)
		return;
	const char *n = (const char *)l, *u = (const char *)ns;
	if (!strcmp(u, NS_TEXT)) {
		if ((!strcmp(n, "p") || !strcmp(n, "h")) && o->in_t) {
			o->in_t--;
			sink_sep(o->cur, o->cells ? SEP_SPACE : SEP_NL);
		}
	} else if (!strcmp(u, NS_TABLE)) {
		int cell = !strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell");
		if (cell && o->cells)
			o->cells--;
		if (o->kind == K_ODS && cell && !o->cells) {
			o->cur = &o->part;
			cell_done(o, o->cell.b.data, o->cell.b.len, o->col_rep);
			o->col += o->col_rep;
		} else if (o->kind == K_ODS && !strcmp(n, "table-row") && !o->cells) {
			row_done(o, o->row_rep);
		} else if (cell) {
			sink_sep(o->cur, SEP_TAB);
		} else if (!strcmp(n, "table-row")) {
			sink_sep(o->cur, SEP_NL);
		}
	}
}

/* ODF text outside elements is formatting; inside text:p a newline or tab
 * character counts as a space (ODF 1.3 §6.1.2). */
static void odf_text(struct office *o, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '\n' && s[j] != '\r' && s[j] != '\t')
			j++;
		sink_write(o, o->cur, s + i, j - i);
		if (j < n)
			sink_write(o, o->cur, " ", 1);
		i = j + 1;
	}
}

/* manifest.xml: note whether any file of the package is encrypted. */
static void manifest_start(struct office *o, xmlTextReaderPtr r, const xmlChar *ns,
			   const xmlChar *l)
{
	(void)r;
	if (is(ns, l, NS_MANIFEST, "encryption-data"))
		o->encrypted = 1;
}

/* --------------------------------------------------------- parts and ZIP */

/* What to do with one ZIP entry. */
struct handler {
	void (*start)(struct office *, xmlTextReaderPtr, const xmlChar *, const xmlChar *);
	void (*end)(struct office *, const xmlChar *, const xmlChar *);
	int keeps_text;        /* the part's text is kept (not sst, manifest) */
};

static const struct handler h_docx = {docx_start, docx_end, 1};
static const struct handler h_pptx = {pptx_start, pptx_end, 1};
static const struct handler h_sst = {sst_start, sst_end, 0};
static const struct handler h_sheet = {sheet_start, sheet_end, 1};
static const struct handler h_odf = {odf_start, odf_end, 1};
static const struct handler h_manifest = {manifest_start, NULL, 0};

/* 1 when name is prefix + decimal number + suffix; the number in *num. */
static int numbered(const char *name, const char *prefix, const char *suffix,
		    unsigned long *num)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), nl = strlen(name);
	if (nl <= pl + sl || strncmp(name, prefix, pl) || strcmp(name + nl - sl, suffix))
		return 0;
	unsigned long v = 0;
	for (size_t i = pl; i < nl - sl; i++) {
		if (name[i] < '0' || name[i] > '9' || v > ULONG_MAX / 10 - 1)
			return 0;
		v = v * 10 + (unsigned long)(name[i] - '0');
	}
	*num = v;
	return 1;
}

/*
 * The handler for entry name in this pass (XLSX reads its shared strings in
 * pass 0 and its sheets in pass 1, since Excel stores the strings after the
 * sheets), or NULL to skip it. Sets *group and *num for ordering.
 */
static const struct handler *want(const struct office *o, int pass, const char *name,
				  int *group, unsigned long *num)
{
	*group = 0;
	*num = 0;
	switch (o->kind) {
	case K_DOCX:
		if (!strcmp(name, "word/document.xml"))
			*group = 0;
		else if (!strcmp(name, "word/footnotes.xml"))
			*group = 1;
		else if (!strcmp(name, "word/endnotes.xml"))
			*group = 2;
		else if (numbered(name, "word/header", ".xml", num))
			*group = 3;
		else if (numbered(name, "word/footer", ".xml", num))
			*group = 4;
		else
			return NULL;
		return &h_docx;
	case K_XLSX:
		if (pass == 0)
			return !strcmp(name, "xl/sharedStrings.xml") ? &h_sst : NULL;
		return numbered(name, "xl/worksheets/sheet", ".xml", num) ? &h_sheet : NULL;
	case K_PPTX:
		return numbered(name, "ppt/slides/slide", ".xml", num) ? &h_pptx : NULL;
	case K_ODT:
	case K_ODS:
	case K_ODP:
		if (!strcmp(name, "content.xml"))
			return &h_odf;
		return !strcmp(name, "META-INF/manifest.xml") ? &h_manifest : NULL;
	case K_NONE:
		break;
	}
	return NULL;
}

/* The ZIP entry being parsed, as libxml2's input. */
struct zin {
	struct archive *a;
	const struct extract_limits *lim;
	size_t total;          /* uncompressed bytes handed out */
	int64_t start;         /* archive bytes consumed before the entry */
	int bomb;              /* stopped: 1 size cap, 2 ratio cap */
	int error;             /* libarchive could not read the data */
};

/* libxml2's read callback: the next uncompressed bytes, within the caps. */
static int zin_read(void *ctx, char *buffer, int len)
{
	struct zin *z = ctx;
	if (z->bomb || z->error)
		return -1;
	la_ssize_t n = archive_read_data(z->a, buffer, (size_t)len);
	if (n < 0) {
		z->error = 1;
		return -1;
	}
	z->total += (size_t)n;
	if (z->total > z->lim->max_entry) {
		z->bomb = 1;
		return -1;
	}
	if (z->total > RATIO_FLOOR) {
		/* compressed bytes read so far (read-ahead makes this generous) */
		int64_t c = archive_filter_bytes(z->a, -1) - z->start;
		if (c < 1)
			c = 1;
		if (z->total / (uint64_t)c > z->lim->max_ratio) {
			z->bomb = 2;
			return -1;
		}
	}
	return (int)n;
}

static int zin_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* libxml2 errors are expected on hostile input; the reason says enough. */
static void xml_silent(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/* Reset the per-part parse state. */
static void part_begin(struct office *o)
{
	sink_reset(&o->part);
	sink_reset(&o->row);
	sink_reset(&o->cell);
	o->cur = &o->part;
	o->skip = o->in_t = o->in_run = o->cells = 0;
	o->in_v = o->in_is = 0;
	o->pages = 0;
	o->last_col = -1;
	o->col = 0;
	o->col_rep = o->row_rep = 1;
}

/* Keep the part's text for joining (moves the buffer out of o->part). */
static void part_keep(struct office *o, int group, unsigned long num)
{
	if (o->nparts == o->partcap) {
		o->partcap = o->partcap ? o->partcap * 2 : 8;
		o->parts = lk_realloc(o->parts, o->partcap * sizeof *o->parts);
	}
	struct part *p = &o->parts[o->nparts++];
	p->group = group;
	p->num = num;
	p->text = o->part.b;
	o->total += p->text.len;
	buf_init(&o->part.b, o->lim->max_text);
}

/* Why reading entry name stopped: a cap, the archive, or the XML. */
static void entry_failure(struct office *o, struct archive *a, const char *name,
			  const struct zin *z)
{
	if (z->bomb == 1)
		snprintf(o->reason, o->reasonlen,
			 "ZIP entry %.200s expands beyond the %zu %s limit (zip bomb?)",
			 name, EXTRACT_SIZE_ARGS(o->lim->max_entry));
	else if (z->bomb == 2)
		snprintf(o->reason, o->reasonlen,
			 "ZIP entry %.200s expands beyond the limit of %u times its "
			 "compressed size (zip bomb?)", name, o->lim->max_ratio);
	else if (z->error)
		snprintf(o->reason, o->reasonlen, "damaged ZIP entry %.200s: %.100s", name,
			 archive_error_string(a) ? archive_error_string(a) : "read error");
	else
		snprintf(o->reason, o->reasonlen, "malformed XML in %.200s", name);
}

/* Parse the current entry of a with handler h. */
static enum extract_status parse_entry(struct office *o, struct archive *a, const char *name,
				       const struct handler *h)
{
	struct zin z = {a, o->lim, 0, archive_filter_bytes(a, -1), 0, 0};
	enum extract_status st = EXTRACT_FAILED;
	xmlTextReaderPtr r = xmlReaderForIO(zin_read, zin_close, &z, name, NULL,
					    XML_PARSE_NONET | XML_PARSE_NOERROR |
					    XML_PARSE_NOWARNING);
	if (!r) {
		/* the reader reads ahead on creation: a cap may already be hit */
		entry_failure(o, a, name, &z);
		return EXTRACT_FAILED;
	}
	xmlTextReaderSetStructuredErrorHandler(r, xml_silent, NULL);
	part_begin(o);
	int ret;
	while ((ret = xmlTextReaderRead(r)) == 1 && !o->capped) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			int empty = xmlTextReaderIsEmptyElement(r);
			if (o->skip) {
				o->skip += !empty;
				continue;
			}
			h->start(o, r, xmlTextReaderConstNamespaceUri(r),
				 xmlTextReaderConstLocalName(r));
			if (empty) {
				/* an empty skipped element ends here too */
				if (o->skip)
					o->skip = 0;
				else if (h->end)
					h->end(o, xmlTextReaderConstNamespaceUri(r),
					       xmlTextReaderConstLocalName(r));
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (o->skip) {
				o->skip--;
				continue;
			}
			if (h->end)
				h->end(o, xmlTextReaderConstNamespaceUri(r),
				       xmlTextReaderConstLocalName(r));
		} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
			   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
			   type == XML_READER_TYPE_WHITESPACE) {
			if (o->skip)
				continue;
			int take = o->in_t || (o->kind == K_XLSX && o->in_v);
			const char *s = (const char *)xmlTextReaderConstValue(r);
			if (!take || !s)
				continue;
			if (o->kind >= K_ODT)
				odf_text(o, s, strlen(s));
			else
				sink_write(o, o->cur, s, strlen(s));
		}
	}
	if (o->capped) {
		reason_cap(o);
		goto out;
	}
	if (ret < 0) {
		entry_failure(o, a, name, &z);
		goto out;
	}
	st = EXTRACT_OK;
out:
	xmlFreeTextReader(r);
	return st;
}

/* The entry's name as UTF-8, or NULL. */
static const char *entry_name(struct archive_entry *e)
{
	const char *n = archive_entry_pathname_utf8(e);
	return n ? n : archive_entry_pathname(e);
}

/* Open path as a ZIP archive; NULL with a reason when it is not one. */
static struct archive *zip_open(const char *path, char *reason, size_t reasonlen)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		snprintf(reason, reasonlen, "not a valid ZIP archive (%.200s)",
			 archive_error_string(a) ? archive_error_string(a) : "unreadable");
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* One pass over the archive, parsing the entries this pass wants. */
static enum extract_status walk(struct office *o, const char *path, int pass)
{
	enum extract_status st = EXTRACT_FAILED, deferred = EXTRACT_OK;
	struct archive_entry *e;
	struct archive *a = zip_open(path, o->reason, o->reasonlen);
	if (!a)
		return EXTRACT_FAILED;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = entry_name(e);
		int group;
		unsigned long num;
		const struct handler *h = name ? want(o, pass, name, &group, &num) : NULL;
		if (!h)
			continue;
		if (archive_entry_is_data_encrypted(e)) {
			snprintf(o->reason, o->reasonlen, "encrypted document (password required)");
			goto out;
		}
		/* headers can lie, so this is only the early answer */
		if (archive_entry_size_is_set(e) &&
		    (uint64_t)archive_entry_size(e) > (uint64_t)o->lim->max_entry) {
			snprintf(o->reason, o->reasonlen,
				 "ZIP entry %.200s expands beyond the %zu %s limit (zip bomb?)",
				 name, EXTRACT_SIZE_ARGS(o->lim->max_entry));
			goto out;
		}
		enum extract_status pst = parse_entry(o, a, name, h);
		if (pst != EXTRACT_OK) {
			/* an encrypted ODF content.xml is noise to the parser; the
			 * manifest (stored after it) tells why, so read on */
			if (o->kind >= K_ODT && !strncmp(o->reason, "malformed XML", 13)) {
				deferred = pst;
				continue;
			}
			goto out;
		}
		if (h->keeps_text) {
			part_keep(o, group, num);
			if (o->total > o->lim->max_text) {
				reason_cap(o);
				goto out;
			}
		}
	}
	if (r != ARCHIVE_EOF) {
		snprintf(o->reason, o->reasonlen, "damaged ZIP archive (%.200s)",
			 archive_error_string(a) ? archive_error_string(a) : "unreadable");
		goto out;
	}
	if (o->encrypted) {
		snprintf(o->reason, o->reasonlen, "encrypted document (password required)");
		goto out;
	}
	st = deferred;
out:
	archive_read_free(a);
	return st;
}

/* Read a small entry (at most max bytes) fully into b; -1 when too big. */
static int read_small(struct archive *a, struct buf *b, size_t max)
{
	char chunk[4096];
	la_ssize_t n;
	buf_init(b, max);
	while ((n = archive_read_data(a, chunk, sizeof chunk)) > 0)
		if (buf_append(b, chunk, (size_t)n))
			return -1;
	return n < 0 ? -1 : 0;
}

/*
 * The kind of a ZIP that libmagic did not recognise: the ODF "mimetype"
 * entry, else the main part's content type in [Content_Types].xml.
 */
static enum kind sniff(const char *path, char *reason, size_t reasonlen)
{
	static const struct {
		const char *needle;
		enum kind kind;
	} types[] = {
		{"application/vnd.oasis.opendocument.text", K_ODT},
		{"application/vnd.oasis.opendocument.spreadsheet", K_ODS},
		{"application/vnd.oasis.opendocument.presentation", K_ODP},
		{"wordprocessingml.document.main+xml", K_DOCX},
		{"wordprocessingml.template.main+xml", K_DOCX},
		{"ms-word.document.macroEnabled.main+xml", K_DOCX},
		{"spreadsheetml.sheet.main+xml", K_XLSX},
		{"spreadsheetml.template.main+xml", K_XLSX},
		{"ms-excel.sheet.macroEnabled.main+xml", K_XLSX},
		{"presentationml.presentation.main+xml", K_PPTX},
		{"presentationml.slideshow.main+xml", K_PPTX},
		{"presentationml.template.main+xml", K_PPTX},
		{"ms-powerpoint.presentation.macroEnabled.main+xml", K_PPTX},
	};
	enum kind kind = K_NONE;
	struct archive_entry *e;
	struct archive *a = zip_open(path, reason, reasonlen);
	if (!a)
		return K_NONE;
	int r;
	while (kind == K_NONE &&
	       ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *name = entry_name(e);
		if (!name || (strcmp(name, "mimetype") && strcmp(name, "[Content_Types].xml")))
			continue;
		struct buf b;
		if (read_small(a, &b, (size_t)1 << 20) == 0 && b.len) {
			for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
				size_t tl = strlen(types[i].needle);
				/* the mimetype entry must be exactly the type (no -template
				 * confusion); content types are searched for */
				if (!strcmp(name, "mimetype") ? (b.len == tl && !memcmp(b.data, types[i].needle, tl))
							      : memmem(b.data, b.len, types[i].needle, tl) != NULL) {
					kind = types[i].kind;
					break;
				}
			}
		}
		buf_release(&b);
	}
	archive_read_free(a);
	if (kind == K_NONE)
		snprintf(reason, reasonlen, "ZIP archive that is not an office document");
	return kind;
}

/* The kind named by a libmagic MIME type, K_NONE for generic ZIP types. */
static enum kind kind_of(const char *mime)
{
	static const struct {
		const char *prefix;
		enum kind kind;
	} map[] = {
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.", K_DOCX},
		{"application/vnd.openxmlformats-officedocument.spreadsheetml.", K_XLSX},
		{"application/vnd.openxmlformats-officedocument.presentationml.", K_PPTX},
		{"application/vnd.ms-word.document.macroenabled", K_DOCX},
		{"application/vnd.ms-excel.sheet.macroenabled", K_XLSX},
		{"application/vnd.ms-powerpoint.presentation.macroenabled", K_PPTX},
		{"application/vnd.oasis.opendocument.text", K_ODT},
		{"application/vnd.oasis.opendocument.spreadsheet", K_ODS},
		{"application/vnd.oasis.opendocument.presentation", K_ODP},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strncasecmp(mime, map[i].prefix, strlen(map[i].prefix)))
			return map[i].kind;
	return K_NONE;
}

static int part_cmp(const void *x, const void *y)
{
	const struct part *a = x, *b = y;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->num < b->num ? -1 : a->num > b->num;
}

enum extract_status extract_office(const char *mime, const char *path,
				   const struct extract_limits *lim,
				   struct buf *out, char *reason, size_t reasonlen)
{
	enum extract_status st = EXTRACT_FAILED;
	struct office o;
	memset(&o, 0, sizeof o);
	o.lim = lim;
	o.reason = reason;
	o.reasonlen = reasonlen;
	o.kind = kind_of(mime);
	if (o.kind == K_NONE &&
	    (!strcmp(mime, "application/zip") || !strcmp(mime, "application/x-zip-compressed") ||
	     !strcmp(mime, "application/octet-stream"))) {
		o.kind = sniff(path, reason, reasonlen);
		if (o.kind == K_NONE)
			return EXTRACT_UNSUPPORTED;
	} else if (o.kind == K_NONE) {
		snprintf(reason, reasonlen, "no office extractor for %.100s", mime);
		return EXTRACT_UNSUPPORTED;
	}
	xmlInitParser();
	sink_init(&o, &o.part);
	sink_init(&o, &o.row);
	sink_init(&o, &o.cell);
	buf_init(&o.sst.strs, lim->max_entry);

	if (o.kind == K_XLSX && (st = walk(&o, path, 0)) != EXTRACT_OK)
		goto out;
	if ((st = walk(&o, path, 1)) != EXTRACT_OK)
		goto out;
	st = EXTRACT_FAILED;
	if (!o.nparts) {
		static const char *main_part[] = {
			[K_DOCX] = "word/document.xml", [K_XLSX] = "xl/worksheets/sheet1.xml",
			[K_PPTX] = "ppt/slides/slide1.xml", [K_ODT] = "content.xml",
			[K_ODS] = "content.xml", [K_ODP] = "content.xml",
		};
		/* a presentation without slides is empty, not broken */
		if (o.kind != K_PPTX) {
			snprintf(reason, reasonlen, "not an office document (%s missing)",
				 main_part[o.kind]);
			goto out;
		}
	}
	qsort(o.parts, o.nparts, sizeof *o.parts, part_cmp);
	char sep = (o.kind == K_XLSX || o.kind == K_PPTX) ? '\f' : '\n';
	for (size_t i = 0; i < o.nparts; i++) {
		struct buf *t = &o.parts[i].text;
		/* DOCX notes and headers are often empty: no blank lines for them */
		if (sep == '\n' && !t->len)
			continue;
		if ((i && (sep == '\f' || out->len) && buf_putc(out, sep)) ||
		    buf_append(out, t->data ? t->data : "", t->len)) {
			reason_cap(&o);
			goto out;
		}
	}
	st = EXTRACT_OK;
out:
	for (size_t i = 0; i < o.nparts; i++)
		buf_release(&o.parts[i].text);
	free(o.parts);
	buf_release(&o.part.b);
	buf_release(&o.row.b);
	buf_release(&o.cell.b);
	buf_release(&o.sst.strs);
	free(o.sst.off);
	return st;
}
