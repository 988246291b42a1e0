/*
 * plan_import: read an integrity-measures report (the tab-separated text
 * export of docs/examples/ita-measures-report-2567-khokhinhae.txt) and write
 * the year's plan in one transaction.
 *
 * The report is a table exported page by page: the header repeats on every
 * page, a row with an empty issue cell continues the issue before it, cells
 * hold HTML fragments (<p>, <b>, <a>) read with libxml2's HTML parser, items
 * are paragraphs or "- " bullets, digits are Thai, and question codes come
 * damaged (letter lost, ๐ typed for o). What can be resolved against the
 * catalog is; everything else becomes a warning with its line number.
 */
#include "lakthan/db.h"
#include "lakthan/plan.h"
#include "lakthan/audit.h"
#include "lakthan/buf.h"
#include "lakthan/thai.h"
#include "lakthan/util.h"

#include <errno.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define REPORT_CELLS 6
#define MAX_REFS 64
/* Dice similarity of wordings above which a lost letter is restored. */
#define WORDING_MATCH 0.6
/* Positions past which realign_measures() parks the measures a corrected
 * report no longer lists, until drop_measures() removes them. */
#define PARKED 100000

/* Normalised copy of s[0..n) (Thai digits → ASCII, NFC, case folded). */
static char *norm(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b, 0);
	thai_normalize(s, n, &b, NULL);
	buf_putc(&b, 0);
	return buf_detach(&b, NULL);
}

int plan_parse_qtoken(const char *tok, size_t n, struct plan_qref *out)
{
	char *s = norm(tok, n);
	const char *p = s;
	int ok = 0;
	memset(out, 0, sizeof *out);
	while (*p == ' ')
		p++;
	size_t len = strlen(p);
	while (len && p[len - 1] == ' ')
		len--;
	if (len >= 2 && (p[0] == 'i' || p[0] == 'e' || p[0] == 'o')) {
		out->letter = p[0];
		p++;
		len--;
	}
	if (len >= 1 && len <= 3 && strspn(p, "0123456789") >= len) {
		int v = 0;
		for (size_t i = 0; i < len; i++)
			v = v * 10 + (p[i] - '0');
		if (!out->letter && len == 3 && p[0] == '0') {
			/* "๐๓๙": no question number has a leading zero, so the
			 * zero is the letter o typed on a Thai keyboard */
			out->letter = 'o';
			out->flags |= PLAN_QREF_ZERO_AS_O;
		} else if (!out->letter) {
			out->flags |= PLAN_QREF_LETTER_LOST;
		}
		if (v >= 1 && v <= 200) {
			out->number = v;
			if (out->letter)
				snprintf(out->code, sizeof out->code, "%c%d", out->letter, v);
			else
				snprintf(out->code, sizeof out->code, "%d", v);
			ok = 1;
		}
	}
	free(s);
	return ok ? 0 : -1;
}

/* The length of the token of ASCII letters and digits at p. */
static size_t token_len(const char *p)
{
	size_t k = 0;
	while ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= '0' && p[k] <= '9'))
		k++;
	return k;
}

/* Skip spaces and the words that sit between references ("จาก", ":"). */
static const char *skip_filler(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == ':')
			p++;
		else if (strncmp(p, "จาก", strlen("จาก")) == 0)
			p += strlen("จาก");
		else if (strncmp(p, "ข้อ", strlen("ข้อ")) == 0)
			p += strlen("ข้อ");
		else
			return p;
	}
}

size_t plan_refs_in_text(const char *text, struct plan_qref *out, size_t max)
{
	char *s = norm(text, strlen(text));
	size_t found = 0;
	const char *p = s;
	while ((p = strstr(p, "อ้างอิง")) != NULL) {
		p = skip_filler(p + strlen("อ้างอิง"));
		for (;;) {
			size_t k = token_len(p);
			struct plan_qref r;
			if (!k || plan_parse_qtoken(p, k, &r) != 0)
				break;
			p = skip_filler(p + k);
			if (*p == '-' || strncmp(p, "–", strlen("–")) == 0 || strncmp(p, "ถึง", strlen("ถึง")) == 0) {
				p += *p == '-' ? 1 : (strncmp(p, "–", strlen("–")) == 0 ? strlen("–") : strlen("ถึง"));
				p = skip_filler(p);
				size_t k2 = token_len(p);
				struct plan_qref to;
				if (k2 && plan_parse_qtoken(p, k2, &to) == 0 && to.number >= r.number && to.number - r.number < 50) {
					char letter = r.letter ? r.letter : to.letter;
					for (int v = r.number; v <= to.number && found < max; v++) {
						struct plan_qref e = r;
						e.letter = letter;
						e.number = v;
						if (letter) {
							e.flags &= ~PLAN_QREF_LETTER_LOST;
							snprintf(e.code, sizeof e.code, "%c%d", letter, v);
						} else {
							snprintf(e.code, sizeof e.code, "%d", v);
						}
						out[found++] = e;
					}
					p = skip_filler(p + k2);
				} else if (found < max) {
					out[found++] = r;
				}
			} else if (found < max) {
				out[found++] = r;
			}
			if (*p == ',' || *p == '/') {
				p = skip_filler(p + 1);
			} else if (strncmp(p, "และ", strlen("และ")) == 0) {
				p = skip_filler(p + strlen("และ"));
			} else {
				break;
			}
		}
	}
	free(s);
	return found;
}

/* ---- cells ---- */

/* Fold white space runs into one space, trim, and drop a leading bullet
 * ("- ", "• "). Returns a new string, or NULL when nothing is left. */
static char *clean_item(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b, 0);
	int space = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* U+00A0 counts as white space here too */
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			space = 1;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && b.len)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, (char)c);
	}
	if (!b.len) {
		buf_release(&b);
		return NULL;
	}
	buf_putc(&b, 0);
	char *t = buf_detach(&b, NULL);
	const char *p = t;
	if (strncmp(p, "- ", 2) == 0 || strcmp(p, "-") == 0)
		p += 1;
	else if (strncmp(p, "•", strlen("•")) == 0)
		p += strlen("•");
	while (*p == ' ')
		p++;
	if (!*p) {
		free(t);
		return NULL;
	}
	char *r = lk_strdup(p);
	free(t);
	return r;
}

/* Append an item (owned from now on by it). */
static void items_push(struct plan_items *it, char *s)
{
	it->v = lk_realloc(it->v, (it->n + 1) * sizeof *it->v);
	it->v[it->n++] = s;
}

/* 1 when s starts (after spaces) with a "- " bullet. */
static int starts_bullet(const char *s)
{
	while (*s == ' ')
		s++;
	return s[0] == '-' && (s[1] == ' ' || s[1] == 0);
}

/* 1 when s starts with a question token followed by a space. */
static int starts_code(const char *s)
{
	size_t k = strcspn(s, " \t");
	struct plan_qref r;
	return k > 0 && s[k] && plan_parse_qtoken(s, k, &r) == 0;
}

/* Split one paragraph's text into items at two or more spaces followed by a
 * bullet (or a question code when split_codes); push them. */
static void split_para(const char *s, size_t n, int split_codes, struct plan_items *it)
{
	size_t start = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != ' ' || s[i + 1] != ' ')
			continue;
		size_t j = i;
		while (j < n && s[j] == ' ')
			j++;
		char *rest = lk_strndup(s + j, n - j);
		int cut = starts_bullet(rest) || (split_codes && starts_code(rest));
		free(rest);
		if (cut) {
			char *item = clean_item(s + start, i - start);
			if (item)
				items_push(it, item);
			start = j;
		}
		i = j - 1;
	}
	char *item = clean_item(s + start, n - start);
	if (item)
		items_push(it, item);
}

/* The walk over a cell's parse tree: text gathers into a paragraph, block
 * elements end it; a <b> that opens a paragraph is remembered. */
struct walk {
	struct buf para;
	long bold_end;      /* bytes of para that a leading <b> covered, or -1 */
	int split_codes;
	int first;          /* no item pushed yet */
	struct plan_items *out;
};

/* 1 when b holds only white space. */
static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* End the paragraph gathered so far: a leading bold part that stands alone
 * becomes the cell's lead (the status), the rest splits into items. */
static void flush(struct walk *w)
{
	const char *s = w->para.data;
	size_t n = w->para.len;
	if (n && !blank(s, n)) {
		size_t from = 0;
		if (w->bold_end > 0) {
			size_t be = (size_t)w->bold_end;
			char *rest = lk_strndup(s + be, n - be);
			int separate = blank(rest, strlen(rest)) || starts_bullet(rest);
			free(rest);
			if (separate) {
				char *lead = clean_item(s, be);
				if (lead && w->first && !w->out->lead && !starts_bullet(s))
					w->out->lead = lead;
				else if (lead)
					items_push(w->out, lead);
				from = be;
			}
		}
		split_para(s + from, n - from, w->split_codes, w->out);
		w->first = 0;
	}
	w->para.len = 0;
	w->bold_end = -1;
}

/* 1 for elements that end a paragraph (a new line in the report). */
static int is_block(const char *name)
{
	static const char *const blocks[] = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "h1", "h2", "h3", NULL};
	for (int i = 0; blocks[i]; i++)
		if (strcmp(name, blocks[i]) == 0)
			return 1;
	return 0;
}

/* Gather the text of node and its siblings, depth first. */
static void walk(struct walk *w, xmlNode *node)
{
	for (xmlNode *c = node; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content)
				buf_puts(&w->para, (const char *)c->content);
		} else if (c->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)c->name;
			int block = is_block(name);
			if (block)
				flush(w);
			int bold = (strcmp(name, "b") == 0 || strcmp(name, "strong") == 0) &&
				   blank(w->para.data ? w->para.data : "", w->para.len);
			walk(w, c->children);
			if (bold && w->bold_end < 0)
				w->bold_end = (long)w->para.len;
			if (block)
				flush(w);
		}
	}
}

/* Parse a fragment with libxml2's forgiving HTML parser (no network, no
 * error output): the document, or NULL when there is nothing to parse. */
static htmlDocPtr parse_fragment(const char *cell, size_t n)
{
	if (!n || n > 1 << 20)
		return NULL;
	return htmlReadMemory(cell, (int)n, NULL, "UTF-8",
			      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

void plan_cell_items(const char *cell, size_t n, int split_codes, struct plan_items *out)
{
	memset(out, 0, sizeof *out);
	htmlDocPtr doc = parse_fragment(cell, n);
	if (!doc)
		return;
	struct walk w = {.bold_end = -1, .split_codes = split_codes, .first = 1, .out = out};
	buf_init(&w.para, 0);
	walk(&w, xmlDocGetRootElement(doc));
	flush(&w);
	buf_release(&w.para);
	xmlFreeDoc(doc);
}

void plan_items_release(struct plan_items *it)
{
	for (size_t i = 0; i < it->n; i++)
		free(it->v[i]);
	free(it->v);
	free(it->lead);
	memset(it, 0, sizeof *it);
}

char *plan_cell_text(const char *cell, size_t n)
{
	htmlDocPtr doc = parse_fragment(cell, n);
	if (!doc)
		return lk_strdup("");
	xmlChar *t = xmlNodeGetContent(xmlDocGetRootElement(doc));
	char *r = t ? clean_item((const char *)t, strlen((const char *)t)) : NULL;
	xmlFree(t);
	xmlFreeDoc(doc);
	/* clean_item drops a leading "- ", which an issue title never has */
	return r ? r : lk_strdup("");
}

/* ---- the report in memory ---- */

struct qcite {
	struct plan_qref ref;
	char *raw;    /* as written, for messages */
	char *text;   /* the report's wording of the question, may be "" */
	int line;
};

struct row {
	int line;
	char *status;
	struct plan_items findings, measures, results, outcomes;
	struct qcite *q;
	size_t nq;
	struct buf unresolved;
};

struct issue {
	int number;
	char *title;
	int line;
	struct row *rows;
	size_t nrows;
};

struct report {
	int year;
	struct issue *issues;
	size_t nissues;
	struct plan_import_result *res;
	json_t *removed;     /* [{measure, text, links}] deleted by this import, for the audit */
};

/* Record a warning for line of the report; the import goes on. */
static void warn(struct plan_import_result *res, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(struct plan_import_result *res, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = NULL;
	if (vasprintf(&m, fmt, ap) < 0)
		abort();
	va_end(ap);
	res->warnings = lk_realloc(res->warnings, (res->nwarnings + 1) * sizeof *res->warnings);
	res->warnings[res->nwarnings].line = line;
	res->warnings[res->nwarnings++].msg = m;
}

/* Free everything parse_report() built. */
static void report_release(struct report *r)
{
	for (size_t i = 0; i < r->nissues; i++) {
		struct issue *is = &r->issues[i];
		for (size_t j = 0; j < is->nrows; j++) {
			struct row *rw = &is->rows[j];
			free(rw->status);
			plan_items_release(&rw->findings);
			plan_items_release(&rw->measures);
			plan_items_release(&rw->results);
			plan_items_release(&rw->outcomes);
			for (size_t k = 0; k < rw->nq; k++) {
				free(rw->q[k].raw);
				free(rw->q[k].text);
			}
			free(rw->q);
			buf_release(&rw->unresolved);
		}
		free(is->rows);
		free(is->title);
	}
	free(r->issues);
}

/* Add a question citation to a row, once per code. */
static void row_cite(struct row *rw, const struct plan_qref *ref, const char *raw, const char *text, int line)
{
	for (size_t k = 0; k < rw->nq; k++)
		if (strcmp(rw->q[k].ref.code, ref->code) == 0)
			return;
	rw->q = lk_realloc(rw->q, (rw->nq + 1) * sizeof *rw->q);
	rw->q[rw->nq].ref = *ref;
	rw->q[rw->nq].raw = lk_strdup(raw);
	rw->q[rw->nq].text = lk_strdup(text);
	rw->q[rw->nq++].line = line;
}

/* Split a line into tab-separated cells (pointers into line, lengths). */
static size_t split_cells(const char *line, size_t n, const char **cell, size_t *len, size_t max)
{
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || line[i] == '\t') {
			if (k < max) {
				cell[k] = line + start;
				len[k] = i - start;
			}
			k++;
			start = i + 1;
		}
	}
	return k;
}

/* The fiscal year named in a title line ("ประจำปีงบประมาณ พ.ศ.๒๕๖๗"), or 0. */
static int year_in_line(const char *line, size_t n)
{
	char *s = norm(line, n);
	int year = 0;
	const char *p = strstr(s, "ประจำปี");
	if (p) {
		p += strlen("ประจำปี");
		for (int skipped = 0; *p && skipped < 60 && !(*p >= '0' && *p <= '9'); skipped++)
			p++;
		if (strspn(p, "0123456789") == 4) {
			int v = atoi(p);
			if (v >= 2400 && v <= 2800)
				year = v;
		}
	}
	free(s);
	return year;
}

/* The issue number and title of an issue cell "(๑) กระบวนการ...": 0 and the
 * number, or -1 when it has none. */
static int issue_number(const char *text, int *number, const char **title)
{
	char *s = norm(text, strlen(text));
	int v = 0, used = 0, ok = -1;
	if (sscanf(s, "(%d)%n", &v, &used) == 1 && used > 0)
		ok = 0;
	else if (sscanf(s, "ประเด็นที่ %d%n", &v, &used) == 1 && used > 0)
		ok = 0;
	else if (sscanf(s, "%d.%n", &v, &used) == 1 && used > 0)
		ok = 0;
	free(s);
	if (ok == 0 && v >= 1 && v < 1000) {
		*number = v;
		/* the same prefix in the original: skip to the same closing mark */
		const char *p = text;
		if (*p == '(') {
			const char *c = strchr(p, ')');
			p = c ? c + 1 : p;
		} else {
			const char *c = strchr(p, '.');
			const char *sp = strstr(p, "ที่");
			if (sp && (!c || sp < c)) {
				p = sp + strlen("ที่");
				while (*p == ' ')
					p++;
				while (*p && *p != ' ')
					p++;
			} else {
				p = c ? c + 1 : p;
			}
		}
		while (*p == ' ')
			p++;
		*title = p;
		return 0;
	}
	return -1;
}

/* Parse the questions cell of a row into citations. */
static void parse_questions(struct report *r, struct row *rw, const char *cell, size_t n, int line)
{
	struct plan_items it;
	plan_cell_items(cell, n, 1, &it);
	for (size_t i = 0; i < it.n + (it.lead ? 1 : 0); i++) {
		const char *s = i < it.n ? it.v[i] : it.lead;
		size_t k = strcspn(s, " ");
		struct plan_qref ref;
		if (plan_parse_qtoken(s, k, &ref) == 0) {
			const char *text = s + k;
			while (*text == ' ')
				text++;
			char *raw = lk_strndup(s, k);
			row_cite(rw, &ref, raw, text, line);
			free(raw);
		} else {
			warn(r->res, line, "no question code at the start of \"%.60s\"; kept as unresolved", s);
			if (rw->unresolved.len)
				buf_puts(&rw->unresolved, "; ");
			buf_puts(&rw->unresolved, s);
		}
	}
	plan_items_release(&it);
}

/* Read the whole report into r; -1 with "line N: ..." in err. */
static int parse_report(const char *data, size_t n, struct report *r, char *err)
{
	size_t lineno = 0, pos = 0;
	int header_cells = 0, title_year = 0;
	struct issue *cur = NULL;
	while (pos < n) {
		size_t end = pos;
		while (end < n && data[end] != '\n')
			end++;
		size_t len = end - pos;
		const char *line = data + pos;
		if (len && line[len - 1] == '\r')
			len--;
		lineno++;
		pos = end + 1;
		const char *cell[REPORT_CELLS + 8];
		size_t clen[REPORT_CELLS + 8];
		if (!memchr(line, '\t', len)) {
			if (!header_cells && !title_year)
				title_year = year_in_line(line, len);
			continue;
		}
		size_t k = split_cells(line, len, cell, clen, REPORT_CELLS + 8);
		char *first = plan_cell_text(cell[0], clen[0]);
		char *second = k > 1 ? plan_cell_text(cell[1], clen[1]) : lk_strdup("");
		int is_header = strcmp(first, "ประเด็น") == 0;
		int is_sub = !*first && strstr(second, "ข้อคำถาม") != NULL;
		free(first);
		free(second);
		if (is_header) {
			if (k != REPORT_CELLS)
				return lk_errf(err, "line %zu: the table header has %zu cells, expected %d (ประเด็น, ข้อคำถาม ITA, ข้อค้นพบ, มาตรการ, ผลการดำเนินงาน, ผลลัพธ์)", lineno, k, REPORT_CELLS);
			header_cells = (int)k;
			continue;
		}
		if (!header_cells)
			return lk_errf(err, "line %zu: a table row before the table's header (a line starting with ประเด็น)", lineno);
		if (is_sub)
			continue;
		if (k != (size_t)header_cells)
			return lk_errf(err, "line %zu: the row has %zu cells where the table has %d (a cell is missing or a tab too many)", lineno, k, header_cells);
		int empty = 1;
		for (size_t c = 0; c < k; c++)
			if (!blank(cell[c], clen[c]))
				empty = 0;
		if (empty)
			continue;
		char *ititle = plan_cell_text(cell[0], clen[0]);
		if (*ititle) {
			int num;
			const char *title;
			if (issue_number(ititle, &num, &title) != 0) {
				num = r->nissues ? r->issues[r->nissues - 1].number + 1 : 1;
				title = ititle;
				warn(r->res, (int)lineno, "the issue \"%.60s\" has no number such as (๑); numbered %d", ititle, num);
			}
			if (cur && cur->number == num) {
				/* the same issue repeated on the next page: a continuation */
			} else {
				for (size_t i = 0; i < r->nissues; i++)
					if (r->issues[i].number == num) {
						free(ititle);
						return lk_errf(err, "line %zu: issue (%d) appears twice (first at line %d)", lineno, num, r->issues[i].line);
					}
				r->issues = lk_realloc(r->issues, (r->nissues + 1) * sizeof *r->issues);
				cur = &r->issues[r->nissues++];
				memset(cur, 0, sizeof *cur);
				cur->number = num;
				cur->title = lk_strdup(title);
				cur->line = (int)lineno;
			}
		} else if (!cur) {
			free(ititle);
			return lk_errf(err, "line %zu: a row with an empty issue cell and no issue before it", lineno);
		}
		free(ititle);
		cur->rows = lk_realloc(cur->rows, (cur->nrows + 1) * sizeof *cur->rows);
		struct row *rw = &cur->rows[cur->nrows++];
		memset(rw, 0, sizeof *rw);
		rw->line = (int)lineno;
		buf_init(&rw->unresolved, 0);
		parse_questions(r, rw, cell[1], clen[1], (int)lineno);
		plan_cell_items(cell[2], clen[2], 0, &rw->findings);
		plan_cell_items(cell[3], clen[3], 0, &rw->measures);
		plan_cell_items(cell[4], clen[4], 0, &rw->results);
		plan_cell_items(cell[5], clen[5], 0, &rw->outcomes);
		rw->status = rw->results.lead ? lk_strdup(rw->results.lead) : lk_strdup("");
		/* a measure that cites questions itself ("อ้างอิงจาก ๐๓๙ - ๐๔๑") */
		for (size_t m = 0; m < rw->measures.n; m++) {
			struct plan_qref refs[MAX_REFS];
			size_t nr = plan_refs_in_text(rw->measures.v[m], refs, MAX_REFS);
			for (size_t q = 0; q < nr; q++) {
				char raw[24];
				if (refs[q].flags & PLAN_QREF_ZERO_AS_O)
					snprintf(raw, sizeof raw, "0%d", refs[q].number);
				else
					snprintf(raw, sizeof raw, "%.15s", refs[q].code);
				row_cite(rw, &refs[q], raw, "", (int)lineno);
			}
		}
		if (rw->measures.lead) {
			/* a wholly bold first measure is still a measure */
			items_push(&rw->measures, rw->measures.lead);
			rw->measures.lead = NULL;
		}
		if (!rw->measures.n)
			warn(r->res, (int)lineno, "a row of issue (%d) without measures", cur->number);
		/* a page-break continuation with no questions of its own answers
		 * the questions of the row it continues */
		if (!rw->nq && !rw->unresolved.len && cur->nrows > 1) {
			struct row *prev = &cur->rows[cur->nrows - 2];
			for (size_t q = 0; q < prev->nq; q++)
				row_cite(rw, &prev->q[q].ref, prev->q[q].raw, prev->q[q].text, prev->q[q].line);
		}
	}
	if (!header_cells)
		return lk_errf(err, "no measures table found: no line starting with the header cell ประเด็น and tab-separated cells (is this the text export of a measures report?)");
	if (!r->nissues)
		return lk_errf(err, "the table has a header but no issues (line %zu is the last)", lineno);
	if (!r->year)
		r->year = title_year;
	else if (title_year && title_year != r->year)
		return lk_errf(err, "the report's title says fiscal year %d but --year %d was given", title_year, r->year);
	if (!r->year)
		return lk_errf(err, "the report does not say its fiscal year (ประจำปีงบประมาณ พ.ศ. ...): give --year");
	return 0;
}

/* ---- resolving question codes ---- */

/* Sorted code-point bigrams of s without spaces (normalised). */
static size_t bigrams(const char *s, unsigned long long **out)
{
	char *t = norm(s, strlen(s));
	unsigned *cp = lk_malloc((strlen(t) + 1) * sizeof *cp);
	size_t ncp = 0;
	for (size_t i = 0, l; t[i]; i += l) {
		uint32_t c = lk_utf8_next((const unsigned char *)t + i, strlen(t + i), &l);
		if (c != ' ')
			cp[ncp++] = c;
	}
	size_t nb = ncp > 1 ? ncp - 1 : 0;
	unsigned long long *b = lk_malloc((nb + 1) * sizeof *b);
	for (size_t i = 0; i < nb; i++)
		b[i] = ((unsigned long long)cp[i] << 32) | cp[i + 1];
	/* insertion sort: question wordings are short */
	for (size_t i = 1; i < nb; i++)
		for (size_t j = i; j > 0 && b[j - 1] > b[j]; j--) {
			unsigned long long x = b[j];
			b[j] = b[j - 1];
			b[j - 1] = x;
		}
	free(cp);
	free(t);
	*out = b;
	return nb;
}

/* Dice coefficient of the wordings a and b (0..1). */
static double wording_similarity(const char *a, const char *b)
{
	unsigned long long *x, *y;
	size_t nx = bigrams(a, &x), ny = bigrams(b, &y), i = 0, j = 0, common = 0;
	while (i < nx && j < ny) {
		if (x[i] == y[j]) {
			common++;
			i++;
			j++;
		} else if (x[i] < y[j]) {
			i++;
		} else {
			j++;
		}
	}
	free(x);
	free(y);
	return nx + ny ? 2.0 * (double)common / (double)(nx + ny) : 0.0;
}

/* A citation resolved to a code and the wording to store. */
struct resolved {
	char code[16];
	struct plan_catalog_entry cat;
	int from_catalog;
};

/* Resolve one citation against the catalog: 0 with *out, or -1 when it
 * cannot be (a warning says why). */
static int resolve(struct report *r, const struct qcite *c, struct resolved *out)
{
	memset(out, 0, sizeof *out);
	if (c->ref.letter) {
		snprintf(out->code, sizeof out->code, "%s", c->ref.code);
		if (plan_catalog_for_plan(r->year, c->ref.code, &out->cat) == 0) {
			out->from_catalog = 1;
			if (c->ref.flags & PLAN_QREF_ZERO_AS_O)
				warn(r->res, c->line, "%s read as %s (a Thai zero typed for the letter o; %s is in the ITA %d catalog)",
				     c->raw, c->ref.code, c->ref.code, out->cat.year);
		} else {
			warn(r->res, c->line, "question %s is not in the ITA catalog of %d or %d; kept with the report's wording",
			     c->ref.code, r->year - 1, r->year);
			snprintf(out->cat.text, sizeof out->cat.text, "%s", c->text);
			snprintf(out->cat.source, sizeof out->cat.source, "the imported report");
		}
		return 0;
	}
	/* the letter is lost: only a catalog question with the same wording
	 * may restore it */
	static const char letters[] = "ieo";
	struct plan_catalog_entry cand, best;
	int matches = 0;
	struct buf names;
	buf_init(&names, 0);
	for (int i = 0; letters[i]; i++) {
		char code[16];
		snprintf(code, sizeof code, "%c%d", letters[i], c->ref.number);
		if (plan_catalog_for_plan(r->year, code, &cand) != 0)
			continue;
		if (names.len)
			buf_puts(&names, ", ");
		buf_puts(&names, code);
		buf_puts(&names, " \"");
		buf_puts(&names, cand.text);
		buf_puts(&names, "\"");
		if (*c->text && wording_similarity(c->text, cand.text) >= WORDING_MATCH) {
			matches++;
			best = cand;
		}
	}
	int rc = -1;
	if (matches == 1) {
		out->cat = best;
		out->from_catalog = 1;
		snprintf(out->code, sizeof out->code, "%s", best.code);
		warn(r->res, c->line, "question %s has lost its letter; its wording matches %s of the ITA %d catalog", c->raw, best.code, best.year);
		rc = 0;
	} else {
		warn(r->res, c->line, "question %s has lost its letter (i, e or o?) and its wording matches %s catalog question; not linked (set it with lakthan plan questions)%s%s",
		     c->raw, matches ? "more than one" : "no", names.len ? ". Candidates: " : "", names.len ? names.data : "");
	}
	buf_release(&names);
	return rc;
}

/* ---- writing ---- */

/* Write the texts of one kind of a row, keyed by position; drop the rest. */
static int write_texts(sqlite3 *db, sqlite3_int64 row, const char *kind, const struct plan_items *it, char *err)
{
	for (size_t i = 0; i < it->n; i++)
		if (db_run(db, "INSERT INTO plan_text(row_id, kind, position, text) VALUES (?1, ?2, ?3, ?4)"
			     " ON CONFLICT(row_id, kind, position) DO UPDATE SET text = excluded.text WHERE text <> excluded.text",
			 NULL, err, "ltit", row, kind, (int)i + 1, it->v[i]) < 0)
			return -1;
	return db_run(db, "DELETE FROM plan_text WHERE row_id = ?1 AND kind = ?2 AND position > ?3", NULL, err, "lti",
		    row, kind, (int)it->n) < 0 ? -1 : 0;
}

/* Delete measures of issue_id past position keep (all of them with keep 0),
 * refusing those with links unless force; each one deleted goes into
 * removed (code, text, links removed) for the import's audit record. */
static int drop_measures(sqlite3 *db, sqlite3_int64 issue_id, int number, int keep, int force, json_t *removed,
			 char *err)
{
	sqlite3_int64 pos = 0;
	int has = db_run(db, "SELECT m.position FROM measure m JOIN document_link l ON l.measure_id = m.id"
			   " WHERE m.issue_id = ?1 AND m.position > ?2 ORDER BY m.position LIMIT 1",
		       &pos, err, "li", issue_id, keep);
	if (has < 0)
		return -1;
	if (has && !force)
		return lk_errf(err, "measure %d.%lld%s has evidence linked to it and is not in the new report: unlink its documents, or import with --force to remove the links",
			       number, (long long)(pos > PARKED ? pos - PARKED : pos), pos > PARKED ? " (its code before this import)" : "");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT m.position, m.text, (SELECT count(*) FROM document_link l WHERE l.measure_id = m.id)"
			       " FROM measure m WHERE m.issue_id = ?1 AND m.position > ?2 ORDER BY m.position", -1, &st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, issue_id);
	sqlite3_bind_int(st, 2, keep);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long p = sqlite3_column_int64(st, 0);
		char code[32];
		snprintf(code, sizeof code, "%d.%lld", number, p > PARKED ? p - PARKED : p);
		json_array_append_new(removed, json_pack("{s:s, s:s, s:I}", "measure", code, "text",
							 (const char *)sqlite3_column_text(st, 1),
							 "links", (json_int_t)sqlite3_column_int64(st, 2)));
	}
	sqlite3_finalize(st);
	if (db_run(db, "DELETE FROM document_link WHERE measure_id IN (SELECT id FROM measure WHERE issue_id = ?1 AND position > ?2)",
		 NULL, err, "li", issue_id, keep) < 0)
		return -1;
	return db_run(db, "DELETE FROM measure WHERE issue_id = ?1 AND position > ?2", NULL, err, "li", issue_id, keep) < 0 ? -1 : 0;
}


/*
 * Keep each measure's id with its text when a corrected report inserts or
 * removes a bullet: a new measure whose text equals an old one of the same
 * issue takes that old measure (and its links), the others take the old
 * measure at their position (a corrected wording). Measures then move to
 * their new positions; those no new measure took are parked past PARKED for
 * drop_measures(). Nothing is written when every measure keeps its position.
 */
static int realign_measures(sqlite3 *db, sqlite3_int64 iid, const struct issue *is, char *err)
{
	size_t n = 0;
	for (size_t j = 0; j < is->nrows; j++)
		n += is->rows[j].measures.n;
	const char **newt = lk_calloc(n + 1, sizeof *newt);
	n = 0;
	for (size_t j = 0; j < is->nrows; j++)
		for (size_t m = 0; m < is->rows[j].measures.n; m++)
			newt[n++] = is->rows[j].measures.v[m];
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id, position, text FROM measure WHERE issue_id = ?1 ORDER BY position", -1, &st, NULL) != SQLITE_OK) {
		free(newt);
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	}
	sqlite3_bind_int64(st, 1, iid);
	sqlite3_int64 *oid = NULL;
	int *opos = NULL;
	char **otext = NULL;
	size_t no = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		oid = lk_realloc(oid, (no + 1) * sizeof *oid);
		opos = lk_realloc(opos, (no + 1) * sizeof *opos);
		otext = lk_realloc(otext, (no + 1) * sizeof *otext);
		oid[no] = sqlite3_column_int64(st, 0);
		opos[no] = sqlite3_column_int(st, 1);
		otext[no++] = lk_strdup((const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	long *take = lk_calloc(n + 1, sizeof *take);   /* index into old + 1, 0: none */
	int *used = lk_calloc(no + 1, sizeof *used);
	/* same text: the same measure, wherever it moved */
	for (size_t k = 0; k < n; k++) {
		long best = 0;
		for (size_t o = 0; o < no; o++)
			if (!used[o] && strcmp(otext[o], newt[k]) == 0 && (!best || opos[o] == (int)k + 1))
				best = (long)o + 1;
		if (best) {
			take[k] = best;
			used[best - 1] = 1;
		}
	}
	/* a changed text: the measure that was at its position */
	for (size_t k = 0; k < n; k++)
		for (size_t o = 0; o < no && !take[k]; o++)
			if (!used[o] && opos[o] == (int)k + 1) {
				take[k] = (long)o + 1;
				used[o] = 1;
			}
	int moved = 0;
	for (size_t k = 0; k < n; k++)
		if (take[k] && opos[take[k] - 1] != (int)k + 1)
			moved = 1;
	int rc = 0;
	if (moved) {
		rc = db_run(db, "UPDATE measure SET position = position + ?2 WHERE issue_id = ?1", NULL, err, "li", iid, PARKED) < 0 ? -1 : 0;
		for (size_t k = 0; k < n && rc == 0; k++)
			if (take[k])
				rc = db_run(db, "UPDATE measure SET position = ?2 WHERE id = ?1", NULL, err, "li", oid[take[k] - 1], (int)k + 1) < 0 ? -1 : 0;
	}
	for (size_t o = 0; o < no; o++)
		free(otext[o]);
	free(otext);
	free(oid);
	free(opos);
	free(take);
	free(used);
	free(newt);
	return rc;
}

/* Delete rows of issue_id past position keep with what hangs on them. */
static int drop_rows(sqlite3 *db, sqlite3_int64 issue_id, int keep, char *err)
{
	static const char *const sql[] = {
		"DELETE FROM plan_text WHERE row_id IN (SELECT id FROM plan_row WHERE issue_id = ?1 AND position > ?2)",
		"DELETE FROM row_question WHERE row_id IN (SELECT id FROM plan_row WHERE issue_id = ?1 AND position > ?2)",
		"DELETE FROM plan_row WHERE issue_id = ?1 AND position > ?2",
		NULL,
	};
	for (int i = 0; sql[i]; i++)
		if (db_run(db, sql[i], NULL, err, "li", issue_id, keep) < 0)
			return -1;
	return 0;
}

/* Question codes in catalog order: by letter, then by number (i7 < i19). */
static int cmp_code(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	if (x[0] != y[0])
		return (unsigned char)x[0] - (unsigned char)y[0];
	return atoi(x + 1) - atoi(y + 1);
}

/* Write the parsed report r into the database (inside the caller's
 * transaction). */
static int write_report(sqlite3 *db, struct report *r, int force, char *err)
{
	struct plan_import_result *res = r->res;
	for (size_t i = 0; i < r->nissues; i++) {
		struct issue *is = &r->issues[i];
		sqlite3_int64 iid;
		if (db_run(db, "INSERT INTO plan_issue(year, number, title) VALUES (?1, ?2, ?3)"
			     " ON CONFLICT(year, number) DO UPDATE SET title = excluded.title WHERE title <> excluded.title",
			 NULL, err, "iit", r->year, is->number, is->title) < 0 ||
		    db_run(db, "SELECT id FROM plan_issue WHERE year = ?1 AND number = ?2", &iid, err, "ii", r->year, is->number) < 0)
			return -1;
		int mpos = 0;
		if (realign_measures(db, iid, is, err) != 0)
			return -1;
		for (size_t j = 0; j < is->nrows; j++) {
			struct row *rw = &is->rows[j];
			sqlite3_int64 rid;
			/* resolve first: what cannot be resolved is part of the row */
			struct resolved *rv = lk_calloc(rw->nq + 1, sizeof *rv);
			int *ok = lk_calloc(rw->nq + 1, sizeof *ok);
			for (size_t q = 0; q < rw->nq; q++) {
				ok[q] = resolve(r, &rw->q[q], &rv[q]) == 0;
				if (!ok[q]) {
					if (rw->unresolved.len)
						buf_puts(&rw->unresolved, "; ");
					buf_puts(&rw->unresolved, rw->q[q].raw);
					if (*rw->q[q].text) {
						buf_puts(&rw->unresolved, " ");
						buf_puts(&rw->unresolved, rw->q[q].text);
					}
				}
			}
			struct buf keep;
			buf_init(&keep, 0);
			buf_puts(&keep, ",");
			const char *unres = rw->unresolved.len ? rw->unresolved.data : "";
			if (db_run(db, "INSERT INTO plan_row(issue_id, position, status, unresolved) VALUES (?1, ?2, ?3, ?4)"
				     " ON CONFLICT(issue_id, position) DO UPDATE SET status = excluded.status, unresolved = excluded.unresolved"
				     " WHERE status <> excluded.status OR unresolved <> excluded.unresolved",
				 NULL, err, "litt", iid, (int)j + 1, rw->status, unres) < 0 ||
			    db_run(db, "SELECT id FROM plan_row WHERE issue_id = ?1 AND position = ?2", &rid, err, "li", iid, (int)j + 1) < 0)
				goto fail;
			if (write_texts(db, rid, "finding", &rw->findings, err) ||
			    write_texts(db, rid, "result", &rw->results, err) ||
			    write_texts(db, rid, "outcome", &rw->outcomes, err))
				goto fail;
			for (size_t q = 0; q < rw->nq; q++) {
				if (!ok[q])
					continue;
				sqlite3_int64 qid;
				if (db_run(db, "INSERT INTO question(year, code, instrument, indicator, text, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
					     " ON CONFLICT(year, code) DO UPDATE SET instrument = excluded.instrument, indicator = excluded.indicator,"
					     " text = excluded.text, source = excluded.source"
					     " WHERE (text <> excluded.text OR source <> excluded.source OR indicator <> excluded.indicator"
					     " OR instrument <> excluded.instrument) AND (?7 OR text = '')",
					 NULL, err, "ittttti", r->year, rv[q].code, rv[q].cat.instrument, rv[q].cat.indicator, rv[q].cat.text,
					 rv[q].cat.source, rv[q].from_catalog) < 0)
					goto fail;
				if (db_run(db, "SELECT id FROM question WHERE year = ?1 AND code = ?2", &qid, err, "it", r->year, rv[q].code) < 0 ||
				    db_run(db, "INSERT OR IGNORE INTO row_question(row_id, question_id) VALUES (?1, ?2)", NULL, err, "ll", rid, qid) < 0)
					goto fail;
				char tmp[32];
				snprintf(tmp, sizeof tmp, "%lld,", (long long)qid);
				buf_puts(&keep, tmp);
				int seen = 0;
				for (size_t s = 0; s < res->nquestions; s++)
					if (strcmp(res->questions[s], rv[q].code) == 0)
						seen = 1;
				if (!seen) {
					res->questions = lk_realloc(res->questions, (res->nquestions + 1) * sizeof *res->questions);
					res->questions[res->nquestions++] = lk_strdup(rv[q].code);
				}
			}
			if (db_run(db, "DELETE FROM row_question WHERE row_id = ?1 AND instr(?2, ',' || question_id || ',') = 0",
				 NULL, err, "lt", rid, keep.data) < 0)
				goto fail;
			buf_release(&keep);
			free(rv);
			free(ok);
			for (size_t m = 0; m < rw->measures.n; m++) {
				mpos++;
				if (db_run(db, "INSERT INTO measure(issue_id, position, row_id, text) VALUES (?1, ?2, ?3, ?4)"
					     " ON CONFLICT(issue_id, position) DO UPDATE SET row_id = excluded.row_id, text = excluded.text"
					     " WHERE row_id <> excluded.row_id OR text <> excluded.text",
					 NULL, err, "lilt", iid, mpos, rid, rw->measures.v[m]) < 0)
					return -1;
				res->measures++;
			}
			continue;
		fail:
			buf_release(&keep);
			free(rv);
			free(ok);
			return -1;
		}
		if (drop_measures(db, iid, is->number, mpos, force, r->removed, err) || drop_rows(db, iid, (int)is->nrows, err))
			return -1;
		res->issues++;
	}
	/* issues the new report no longer has */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id, number FROM plan_issue WHERE year = ?1 ORDER BY number", -1, &st, NULL) != SQLITE_OK)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, r->year);
	sqlite3_int64 gone[256];
	int gone_num[256], ngone = 0;
	while (sqlite3_step(st) == SQLITE_ROW && ngone < 256) {
		int num = sqlite3_column_int(st, 1), present = 0;
		for (size_t i = 0; i < r->nissues; i++)
			if (r->issues[i].number == num)
				present = 1;
		if (!present) {
			gone[ngone] = sqlite3_column_int64(st, 0);
			gone_num[ngone++] = num;
		}
	}
	sqlite3_finalize(st);
	for (int g = 0; g < ngone; g++) {
		if (drop_measures(db, gone[g], gone_num[g], 0, force, r->removed, err) || drop_rows(db, gone[g], 0, err) ||
		    db_run(db, "DELETE FROM plan_issue WHERE id = ?1", NULL, err, "l", gone[g]) < 0)
			return -1;
	}
	/* questions nothing cites or links any more */
	if (db_run(db, "DELETE FROM question WHERE year = ?1 AND id NOT IN (SELECT question_id FROM row_question)"
		     " AND id NOT IN (SELECT question_id FROM document_link WHERE question_id IS NOT NULL)",
		 NULL, err, "i", r->year) < 0)
		return -1;
	/* a report that cites no question leaves res->questions NULL, and qsort's
	 * base must not be NULL even for 0 elements (UBSan, tools/fuzz/fuzz_plan) */
	if (res->nquestions)
		qsort(res->questions, res->nquestions, sizeof *res->questions, cmp_code);
	return 0;
}

/* The import's audit record: what was read (the file's digest), what it
 * holds, how many rows it wrote and what it deleted. */
static int audit_import(sqlite3 *db, const char *actor, const struct report *r, const char *sha, int force, char *err)
{
	const struct plan_import_result *res = r->res;
	char object[32];
	snprintf(object, sizeof object, "plan:%d", res->year);
	json_t *q = json_array();
	for (size_t i = 0; i < res->nquestions; i++)
		json_array_append_new(q, json_string(res->questions[i]));
	json_t *d = json_pack("{s:i, s:s, s:i, s:i, s:o, s:i, s:i, s:b, s:O}", "year", res->year, "sha256", sha,
			      "issues", res->issues, "measures", res->measures, "questions", q, "changes", res->changes,
			      "warnings", (int)res->nwarnings, "force", force, "removed", r->removed);
	int rc = audit_append_json(db, actor, "plan.import", object, d, err);
	json_decref(d);
	return rc;
}

int plan_import_buffer(sqlite3 *db, const char *data, size_t n, int year, int force, const char *actor,
		       struct plan_import_result *res, char *err)
{
	memset(res, 0, sizeof *res);
	char sha[65];
	audit_sha256_hex(data, n, sha);   /* of the bytes as given, BOM and all */
	/* a UTF-8 byte order mark is not part of the first line */
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	size_t i = 0;
	while (i < n && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	if (i == n)
		return lk_errf(err, "the file is empty");
	if (n >= 5 && memcmp(data, "%PDF-", 5) == 0)
		return lk_errf(err, "this is a PDF; import-plan reads the report's text export (tab-separated cells, as docs/examples/ita-measures-report-2567-khokhinhae.txt)");
	/* binary or a legacy encoding: name the first line that is not UTF-8 */
	size_t line = 1, start = 0;
	for (size_t k = 0; k <= n; k++) {
		if (k == n || data[k] == '\n') {
			if (!lk_utf8_valid(data + start, k - start) || memchr(data + start, 0, k - start))
				return lk_errf(err, "line %zu: not UTF-8 text (a binary file, or a legacy Thai encoding: save the report as UTF-8 text)", line);
			line++;
			start = k + 1;
		}
	}
	struct report r;
	memset(&r, 0, sizeof r);
	r.year = year;
	r.res = res;
	r.removed = json_array();
	int rc = parse_report(data, n, &r, err);
	if (rc == 0) {
		res->year = r.year;
		int before = sqlite3_total_changes(db);
		char e2[LK_ERRLEN];
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
			rc = lk_errf(err, "database: %s", sqlite3_errmsg(db));
		} else if (write_report(db, &r, force, err) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			rc = -1;
		} else {
			res->changes = sqlite3_total_changes(db) - before;
			/* an identical re-import wrote nothing and records nothing */
			if (res->changes && audit_import(db, actor, &r, sha, force, err) != 0) {
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
				rc = -1;
			} else if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
				rc = lk_errf(e2, "database: %s", sqlite3_errmsg(db));
				snprintf(err, LK_ERRLEN, "%s", e2);
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			}
		}
	}
	report_release(&r);
	json_decref(r.removed);
	if (rc != 0) {
		res->issues = res->measures = 0;
		return -1;
	}
	return 0;
}

int plan_import_file(sqlite3 *db, const char *path, int year, int force, const char *actor,
		     struct plan_import_result *res, char *err)
{
	memset(res, 0, sizeof *res);
	FILE *f = fopen(path, "rb");
	if (!f)
		return lk_errf(err, "cannot open it: %s", strerror(errno));
	struct buf b;
	buf_init(&b, 64u << 20);
	char chunk[65536];
	size_t got;
	int too_big = 0;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, got) != 0) {
			too_big = 1;
			break;
		}
	int rerr = ferror(f);
	fclose(f);
	if (too_big || rerr) {
		buf_release(&b);
		return lk_errf(err, too_big ? "larger than 64 MiB: not a measures report" : "cannot read it");
	}
	int rc = plan_import_buffer(db, b.data ? b.data : "", b.len, year, force, actor, res, err);
	buf_release(&b);
	return rc;
}

void plan_import_result_release(struct plan_import_result *res)
{
	for (size_t i = 0; i < res->nquestions; i++)
		free(res->questions[i]);
	free(res->questions);
	for (size_t i = 0; i < res->nwarnings; i++)
		free(res->warnings[i].msg);
	free(res->warnings);
	memset(res, 0, sizeof *res);
}
