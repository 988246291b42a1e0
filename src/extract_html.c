/*
 * extract_html: the visible text of an HTML page.
 *
 * The bytes are first converted to UTF-8 ourselves: a BOM wins, then the
 * charset the page declares (<meta charset> or http-equiv), then what textenc
 * detects — old Thai pages are TIS-620 without any declaration, and libxml2
 * would read those as Latin-1. libxml2 then parses the UTF-8 with the page's
 * own declaration ignored (HTML_PARSE_IGNORE_ENC), and we walk the tree:
 * the title first, then the body's text with whitespace collapsed as a
 * browser would, a newline after block elements and a tab between cells.
 */
#include "lakthan/extract.h"
#include "lakthan/textenc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/HTMLparser.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>


/*
 * The charset declared in a <meta> of the first 4 KiB (where HTML requires
 * it), copied into name; 0 when there is none.
 */
static int declared_charset(const char *s, size_t n, char *name, size_t namelen)
{
	if (n > 4096)
		n = 4096;
	const char *end = s + n;
	for (const char *p = s; p + 5 < end; p++) {
		if (strncasecmp(p, "<meta", 5))
			continue;
		const char *gt = memchr(p, '>', (size_t)(end - p));
		if (!gt)
			return 0;
		/* <meta charset="x"> and <meta ... content="text/html; charset=x"> */
		for (const char *q = p; q + 7 < gt; q++) {
			if (strncasecmp(q, "charset", 7))
				continue;
			q += 7;
			while (q < gt && (*q == ' ' || *q == '=' || *q == '"' || *q == '\''))
				q++;
			size_t k = 0;
			while (q < gt && k + 1 < namelen &&
			       (isalnum((unsigned char)*q) || *q == '-' || *q == '_' || *q == '.' ||
				*q == ':'))
				name[k++] = *q++;
			name[k] = 0;
			if (k)
				return 1;
		}
		p = gt;
	}
	return 0;
}

/*
 * The iconv name for a declared charset. The Thai labels all mean
 * windows-874 in practice (WHATWG maps them so too), and Latin-1 labels mean
 * windows-1252.
 */
static const char *iconv_name(const char *label)
{
	static const char *thai[] = {"tis-620", "tis620", "iso-8859-11", "iso8859-11",
				     "windows-874", "x-windows-874", "cp874", "dos-874"};
	static const char *latin1[] = {"iso-8859-1", "iso8859-1", "latin1", "l1",
				       "us-ascii", "ascii"};
	for (size_t i = 0; i < sizeof thai / sizeof thai[0]; i++)
		if (!strcasecmp(label, thai[i]))
			return "WINDOWS-874";
	for (size_t i = 0; i < sizeof latin1 / sizeof latin1[0]; i++)
		if (!strcasecmp(label, latin1[i]))
			return "WINDOWS-1252";
	if (!strcasecmp(label, "utf8"))
		return "UTF-8";
	return label;
}

/* The page converted to UTF-8 in u8, by BOM, declaration or detection. */
static enum extract_status to_utf8(const struct buf *in, struct buf *u8,
				   char *reason, size_t reasonlen)
{
	const unsigned char *d = (const unsigned char *)in->data;
	char label[48];
	int bom = in->len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF) ||
				  (in->len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF));
	if (!bom && declared_charset(in->data, in->len, label, sizeof label)) {
		size_t mark = u8->len;
		if (textenc_convert(iconv_name(label), in->data, in->len, u8, reason, reasonlen) == 0)
			return EXTRACT_OK;
		/* a wrong label (often "utf-8" on a TIS-620 page): detect instead */
		u8->len = mark;
		if (u8->data)
			u8->data[mark] = 0;
	}
	if (textenc_to_utf8(in->data, in->len, u8, reason, reasonlen) < 0)
		return EXTRACT_FAILED;
	return EXTRACT_OK;
}

/* The text writer: collapses whitespace runs, keeps lines free of leading
 * spaces and avoids blank lines. */
struct hw {
	struct buf *out;
	int space;        /* whitespace seen since the last text */
	int bol;          /* at the beginning of a line (or after a tab) */
	int pre;          /* depth inside <pre>: whitespace kept */
	int capped;
};

static void hw_put(struct hw *w, const char *s, size_t n)
{
	if (!w->capped && buf_append(w->out, s, n))
		w->capped = 1;
}

static void hw_text(struct hw *w, const char *s)
{
	while (*s && !w->capped) {
		if (w->pre) {
			size_t n = strcspn(s, "\r");
			hw_put(w, s, n);
			s += n;
			if (*s)
				s++;
			w->bol = 0;
			continue;
		}
		size_t ws = strspn(s, " \t\n\r\f");
		if (ws) {
			w->space = 1;
			s += ws;
			continue;
		}
		size_t n = strcspn(s, " \t\n\r\f");
		if (w->space && !w->bol)
			hw_put(w, " ", 1);
		hw_put(w, s, n);
		s += n;
		w->space = w->bol = 0;
	}
}

static void hw_newline(struct hw *w)
{
	if (w->out->len && w->out->data[w->out->len - 1] != '\n')
		hw_put(w, "\n", 1);
	w->bol = 1;
	w->space = 0;
}

static void hw_tab(struct hw *w)
{
	hw_put(w, "\t", 1);
	w->bol = 1;
	w->space = 0;
}

static int name_in(const xmlChar *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp((const char *)name, *list))
			return 1;
	return 0;
}

/* Elements whose content is not page text (the title is taken separately). */
static const char *const skipped[] = {"head", "script", "style", "noscript", "template",
				      "title", NULL};
/* Elements that end a line (libxml2's HTML parser gives lowercase names). */
static const char *const blocks[] = {
	"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
	"ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article",
	"header", "footer", "nav", "aside", "main", "form", "hr", "address",
	"figure", "figcaption", "caption", "fieldset", "legend", "details", "summary",
	"thead", "tbody", "tfoot", "body", "center", "option", "textarea", NULL};

/* 1 when a td/th comes before this cell in its row. */
static int prev_cell(xmlNodePtr n)
{
	for (n = n->prev; n; n = n->prev)
		if (n->type == XML_ELEMENT_NODE && (!strcmp((const char *)n->name, "td") ||
						    !strcmp((const char *)n->name, "th")))
			return 1;
	return 0;
}

static void enter(struct hw *w, xmlNodePtr n)
{
	if (name_in(n->name, blocks))
		hw_newline(w);
	else if ((!strcmp((const char *)n->name, "td") || !strcmp((const char *)n->name, "th")) &&
		 prev_cell(n))
		hw_tab(w);
	if (!strcmp((const char *)n->name, "pre"))
		w->pre++;
}

static void leave(struct hw *w, xmlNodePtr n)
{
	if (!strcmp((const char *)n->name, "pre") && w->pre)
		w->pre--;
	if (name_in(n->name, blocks))
		hw_newline(w);
}

/* Walk the tree without recursion (hostile pages nest deeply). */
static void walk(struct hw *w, xmlNodePtr root)
{
	xmlNodePtr n = root->children;
	while (n && !w->capped) {
		if (n->type == XML_ELEMENT_NODE && !name_in(n->name, skipped)) {
			enter(w, n);
			if (n->children) {
				n = n->children;
				continue;
			}
			leave(w, n);
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
			   n->content) {
			hw_text(w, (const char *)n->content);
		}
		while (!n->next) {
			n = n->parent;
			if (!n || n == root)
				return;
			if (n->type == XML_ELEMENT_NODE)
				leave(w, n);
		}
		n = n->next;
	}
}

/* The <title> inside <head>, or NULL. */
static xmlNodePtr find_title(htmlDocPtr doc)
{
	xmlNodePtr html = xmlDocGetRootElement(doc);
	for (xmlNodePtr h = html ? html->children : NULL; h; h = h->next) {
		if (h->type != XML_ELEMENT_NODE || strcmp((const char *)h->name, "head"))
			continue;
		for (xmlNodePtr t = h->children; t; t = t->next)
			if (t->type == XML_ELEMENT_NODE && !strcmp((const char *)t->name, "title"))
				return t;
	}
	return NULL;
}

enum extract_status extract_html(const char *path, const struct extract_limits *lim,
				 struct buf *out, char *reason, size_t reasonlen)
{
	size_t max = lim->max_text > SIZE_MAX / 4 ? SIZE_MAX : lim->max_text * 4;
	struct buf in, u8;
	htmlDocPtr doc = NULL;
	buf_init(&in, max);
	/* TIS-620 to UTF-8 triples the size at most */
	buf_init(&u8, max > SIZE_MAX / 3 ? SIZE_MAX : max * 3);
	enum extract_status st = extract_read_file(path, max, &in, lim->max_text, reason, reasonlen);
	if (st != EXTRACT_OK || !in.len)
		goto out;
	if ((st = to_utf8(&in, &u8, reason, reasonlen)) != EXTRACT_OK)
		goto out;
	buf_release(&in);
	if (u8.len > INT_MAX) {
		snprintf(reason, reasonlen, "HTML page too large");
		st = EXTRACT_FAILED;
		goto out;
	}
	xmlInitParser();
	doc = htmlReadMemory(u8.data ? u8.data : "", (int)u8.len, NULL, "UTF-8",
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC);
	if (!doc) {
		/* recover mode parses nearly anything; this is an empty page */
		st = EXTRACT_OK;
		goto out;
	}
	struct hw w = {out, 0, 1, 0, 0};
	xmlNodePtr title = find_title(doc);
	if (title) {
		walk(&w, title);
		hw_newline(&w);
	}
	walk(&w, (xmlNodePtr)doc);
	/* no trailing newline: the text ends where the page's text ends */
	if (out->len && out->data[out->len - 1] == '\n')
		out->data[--out->len] = 0;
	if (w.capped) {
		snprintf(reason, reasonlen, "text larger than %zu %s", EXTRACT_SIZE_ARGS(lim->max_text));
		st = EXTRACT_FAILED;
	}
out:
	if (doc)
		xmlFreeDoc(doc);
	buf_release(&in);
	buf_release(&u8);
	return st;
}
