/*
 * Unit tests for the in-process extractors (extract.c, extract_plain.c,
 * extract_html.c, extract_pdf.c, extract_office.c) on the fixtures that
 * tools/make-fixtures.sh makes with LibreOffice, iconv, qpdf and python.
 * The MIME types passed are the ones libmagic (file 5.44) gives each fixture.
 */
#include "unit.h"
#include "lakthan/extract.h"
#include "lakthan/thai.h"
#include "lakthan/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define M_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define M_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define M_PPTX "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#define M_ODT "application/vnd.oasis.opendocument.text"
#define M_ODS "application/vnd.oasis.opendocument.spreadsheet"
#define M_ODP "application/vnd.oasis.opendocument.presentation"

/* The whole file in a NUL-terminated buffer. */
static void slurp(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	buf_init(b, 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		assert_int_equal(buf_append(b, chunk, n), 0);
	fclose(f);
	if (!b->data)
		assert_int_equal(buf_append(b, "", 0), 0);
}

/* Extract with the default limits (or lim) into out; returns the status. */
static enum extract_status run(const char *mime, const char *path,
			       const struct extract_limits *lim, struct buf *out,
			       char *reason, size_t reasonlen)
{
	struct extract_limits def;
	extract_limits_default(&def);
	buf_init(out, 0);
	enum extract_status st = extract_file(mime, path, lim ? lim : &def, out, reason, reasonlen);
	if (!out->data)
		assert_int_equal(buf_append(out, "", 0), 0);
	return st;
}

/* Extract a fixture that must succeed. */
static void ok(const char *mime, const char *path, struct buf *out)
{
	char reason[256] = "";
	enum extract_status st = run(mime, path, NULL, out, reason, sizeof reason);
	if (st != EXTRACT_OK)
		fail_msg("%s: status %d (%s)", path, (int)st, reason);
}

/* Extract a fixture that must fail with status want and a reason containing
 * needle. */
static void refused(const char *mime, const char *path, const struct extract_limits *lim,
		    enum extract_status want, const char *needle)
{
	char reason[256] = "";
	struct buf out;
	enum extract_status st = run(mime, path, lim, &out, reason, sizeof reason);
	if (st != want || !strstr(reason, needle))
		fail_msg("%s: status %d reason \"%s\", wanted %d \"%s\"", path, (int)st, reason,
			 (int)want, needle);
	buf_release(&out);
}

static void has(const struct buf *text, const char *needle)
{
	if (!strstr(text->data, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, text->data);
}

/* Every line of thai-source.txt appears, whole, in text. */
static void has_source_lines(const struct buf *text)
{
	struct buf src;
	slurp(FIXTURE("thai-source.txt"), &src);
	for (char *line = strtok(src.data, "\n"); line; line = strtok(NULL, "\n"))
		has(text, line);
	buf_release(&src);
}

/* s without ASCII whitespace (PDF text has stray spaces and line breaks). */
static char *squeeze(const char *s)
{
	char *r = lk_strdup(s), *w = r;
	for (; *s; s++)
		if (!strchr(" \t\r\n\f", *s))
			*w++ = *s;
	*w = 0;
	return r;
}

static size_t count(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void limits_default(void **state)
{
	(void)state;
	struct extract_limits lim;
	extract_limits_default(&lim);
	assert_int_equal(lim.max_text, 64u << 20);
	assert_int_equal(lim.max_entry, 256u << 20);
	assert_int_equal(lim.max_ratio, 200);
	assert_int_equal(lim.cpu_seconds, 60);
	assert_int_equal(lim.wall_seconds, 120);
	assert_int_equal(lim.max_memory, 1u << 30);
}

/* ------------------------------------------------------------ plain text */

static void plain_encodings_roundtrip(void **state)
{
	(void)state;
	static const char *files[] = {
		FIXTURE("thai-source.txt"), FIXTURE("thai-utf8-bom.txt"), FIXTURE("thai-tis620.txt"),
		FIXTURE("thai-utf16le.txt"), FIXTURE("thai-utf16be.txt"),
	};
	struct buf src, out;
	slurp(FIXTURE("thai-source.txt"), &src);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		ok("text/plain", files[i], &out);
		assert_int_equal(out.len, src.len);
		assert_memory_equal(out.data, src.data, src.len);
		buf_release(&out);
	}
	buf_release(&src);
}

static void empty_file_is_ok_and_empty(void **state)
{
	(void)state;
	struct buf out;
	ok("inode/x-empty", FIXTURE("empty.txt"), &out);   /* what libmagic says */
	assert_int_equal(out.len, 0);
	buf_release(&out);
	ok("text/plain", FIXTURE("empty.txt"), &out);
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

static void plain_text_cap(void **state)
{
	(void)state;
	struct extract_limits lim;
	extract_limits_default(&lim);
	lim.max_text = 100;      /* and so 400 input bytes */
	refused("text/plain", FIXTURE("thai-source.txt"), &lim, EXTRACT_FAILED, "larger");
	/* binary data called text */
	refused("text/plain", FIXTURE("image.png"), NULL, EXTRACT_FAILED, "encoding");
}

/* ------------------------------------------------------------------ HTML */

static void html_utf8(void **state)
{
	(void)state;
	struct buf out;
	ok("text/html", FIXTURE("thai.html"), &out);
	has_source_lines(&out);
	/* the title is the first line, once */
	assert_memory_equal(out.data, "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๗\n"
				      "ประกาศองค์การบริหารส่วนตำบล\n",
			    strlen("มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๗\n"
				   "ประกาศองค์การบริหารส่วนตำบล\n"));
	has(&out, "ประเด็น\tคะแนน\nการป้องกันการทุจริต\t72.5\n");
	has(&out, "\nคำสั่งแต่งตั้ง\nรายงานผล\nไตรมาส ๒\n");
	/* inline elements keep their spaces; &nbsp; is U+00A0, &amp; is & */
	has(&out, "ดู ตัวชี้วัด ITA และ\u00A0E-Service & อื่น ๆ");
	static const char *hidden[] = {"SCRIPT_TEXT", "ห้ามแสดง", "STYLE_TEXT", "NOSCRIPT_TEXT",
				       "TEMPLATE_TEXT", "font-family", "<"};
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
		if (strstr(out.data, hidden[i]))
			fail_msg("\"%s\" leaked into the text", hidden[i]);
	assert_int_not_equal(out.data[out.len - 1], '\n');
	buf_release(&out);
}

static void html_tis620_with_and_without_meta(void **state)
{
	(void)state;
	struct buf want, out;
	ok("text/html", FIXTURE("thai.html"), &want);
	ok("text/html", FIXTURE("thai-tis620.html"), &out);
	assert_string_equal(out.data, want.data);
	buf_release(&out);
	ok("text/html", FIXTURE("thai-tis620-nometa.html"), &out);
	assert_string_equal(out.data, want.data);
	buf_release(&out);
	buf_release(&want);
}

/* Write a temporary file; the caller unlinks it. */
static void temp_file(char *path, const char *content)
{
	strcpy(path, "/tmp/lakthan-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

static void html_wrong_label_and_pre(void **state)
{
	(void)state;
	char path[64];
	struct buf out;
	/* says UTF-8, is TIS-620 ("ทุจริต"): the label is wrong, detection wins */
	temp_file(path, "<html><head><meta charset=\"utf-8\"></head><body><p>"
			"\xb7\xd8\xa8\xc3\xd4\xb5 \xa1\xd2\xc3\xbb\xe9\xcd\xa7\xa1\xd1\xb9</p>"
			"<pre>a  b\n  c</pre><p>  x \n\n y  </p></body></html>");
	ok("text/html", path, &out);
	assert_string_equal(out.data, "ทุจริต การป้องกัน\na  b\n  c\nx y");
	buf_release(&out);
	unlink(path);
}

/* ------------------------------------------------------------------- PDF */

static void pdf_text_and_pages(void **state)
{
	(void)state;
	struct buf out;
	ok("application/pdf", FIXTURE("thai-multipage.pdf"), &out);
	/* four pages: the title and paragraph 1, then paragraphs 2, 3 and 4 */
	assert_int_equal(count(out.data, '\f'), 3);
	char *page[4], *p = out.data;
	for (int i = 0; i < 4; i++) {
		char *ff = strchr(p, '\f');
		if (ff)
			*ff = 0;
		page[i] = squeeze(p);
		p = ff ? ff + 1 : p + strlen(p);
	}
	/* compared without spaces: PDF text puts stray spaces before Thai marks
	 * (thai normalisation removes those later) */
	assert_non_null(strstr(page[0], "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"));
	assert_non_null(strstr(page[0], "(ITA)มาวิเคราะห์"));
	assert_non_null(strstr(page[1], "ประเด็นที่๑การป้องกันการทุจริต"));
	assert_non_null(strstr(page[1], "เจ้าหน้าที่อย่างน้อยปีละ๒"));
	assert_non_null(strstr(page[2], "ประเด็นที่๒การให้บริการประชาชน"));
	assert_non_null(strstr(page[2], "E-Service"));
	assert_non_null(strstr(page[2], "น้ำประปา"));
	assert_non_null(strstr(page[3], "การฟื้นฟูแหล่งน้ำสาธารณะได้ดำเนินการ"));
	assert_null(strstr(page[0], "การฟื้นฟู"));
	for (int i = 0; i < 4; i++)
		free(page[i]);
	buf_release(&out);
}

/*
 * Cross-check with pdftotext (poppler-utils, saved by make-fixtures.sh).
 * Both read the same text layer, pdftotext in reading order by position and
 * extract_pdf in content-stream order, so a tone mark can sit at another
 * place (pdftotext puts the mai ek of ทั่วไป at the start of the next line):
 * the comparison ignores tone marks (U+0E48-U+0E4B) and whitespace, then
 * checks that no tone mark was lost.
 */
static void pdf_matches_pdftotext(void **state)
{
	(void)state;
	struct buf ours, theirs;
	ok("application/pdf", FIXTURE("thai-multipage.pdf"), &ours);
	slurp(FIXTURE("thai-multipage.pdftotext.txt"), &theirs);
	char *a = squeeze(ours.data), *b = squeeze(theirs.data);
	size_t ta = 0, tb = 0;
	char *s[2] = {a, b};
	size_t *t[2] = {&ta, &tb};
	for (int k = 0; k < 2; k++) {
		char *w = s[k];
		for (char *q = s[k]; *q; q++) {
			/* U+0E48..U+0E4B are E0 B9 88..8B */
			if ((unsigned char)q[0] == 0xE0 && (unsigned char)q[1] == 0xB9 &&
			    (unsigned char)q[2] >= 0x88 && (unsigned char)q[2] <= 0x8B) {
				(*t[k])++;
				q += 2;
				continue;
			}
			*w++ = *q;
		}
		*w = 0;
	}
	assert_string_equal(a, b);
	assert_int_equal(ta, tb);
	free(a);
	free(b);
	buf_release(&ours);
	buf_release(&theirs);
}

/* thai_normalize of s, with line and page breaks deleted when join is set
 * (in PDF text they are layout: Thai wraps inside a word, with no space). */
static char *normalized(const char *s, int join)
{
	struct buf n = BUF_INIT;
	assert_int_equal(thai_normalize(s, strlen(s), &n, NULL), 0);
	if (!n.data)
		assert_int_equal(buf_append(&n, "", 0), 0);
	if (join) {
		char *w = n.data;
		for (char *q = n.data; *q; q++)
			if (*q != '\n' && *q != '\f')
				*w++ = *q;
		*w = 0;
	}
	return n.data;
}

/*
 * What the PDF quality benchmark measures, on the fixture: every
 * space-delimited phrase of the normalised source is found verbatim in the
 * normalised text of the 4-page PDF. Reading order by position lost the mai
 * ek of ทั่วไป, which LibreOffice put at the start of the next line; content
 * stream order keeps it on its syllable.
 */
static void pdf_normalized_has_source_phrases(void **state)
{
	(void)state;
	struct buf out, src;
	ok("application/pdf", FIXTURE("thai-multipage.pdf"), &out);
	slurp(FIXTURE("thai-source.txt"), &src);
	char *text = normalized(out.data, 1), *nsrc = normalized(src.data, 0);
	size_t phrases = 0;
	for (char *p = strtok(nsrc, " \n"); p; p = strtok(NULL, " \n")) {
		if (!strstr(text, p))
			fail_msg("phrase \"%s\" missing from the normalised PDF text:\n%s", p, text);
		phrases++;
	}
	assert_int_equal(phrases, 32); /* the source's 32 space-delimited phrases */
	assert_non_null(strstr(text, "คำร้องทั่วไป"));
	assert_non_null(strstr(text, "ทั้งตัวชี้วัด"));
	assert_non_null(strstr(text, "การฟื้นฟูแหล่งน้ำสาธารณะ"));
	free(text);
	free(nsrc);
	buf_release(&src);
	buf_release(&out);
}

static void pdf_single_page(void **state)
{
	(void)state;
	struct buf out;
	ok("application/pdf", FIXTURE("thai.pdf"), &out);
	char *s = squeeze(out.data);
	assert_non_null(strstr(s, "หัวกระดาษ:เอกสารหลักฐานประกอบการประเมิน"));
	assert_non_null(strstr(s, "การป้องกันการทุจริต72.5"));
	free(s);
	buf_release(&out);
}

static void pdf_failures(void **state)
{
	(void)state;
	refused("application/pdf", FIXTURE("encrypted.pdf"), NULL, EXTRACT_FAILED,
		"encrypted PDF (password required)");
	refused("application/pdf", FIXTURE("truncated.pdf"), NULL, EXTRACT_FAILED, "PDF");
	refused("application/pdf", FIXTURE("random.pdf"), NULL, EXTRACT_FAILED, "PDF");
	refused("application/pdf", FIXTURE("scanned.pdf"), NULL, EXTRACT_NEEDS_OCR,
		"PDF has no text layer");
	struct extract_limits lim;
	extract_limits_default(&lim);
	lim.max_text = 1000;
	refused("application/pdf", FIXTURE("thai-multipage.pdf"), &lim, EXTRACT_FAILED,
		"text larger than");
}

/* ------------------------------------------------------- text documents */

static void docx_text(void **state)
{
	(void)state;
	struct buf out;
	ok(M_DOCX, FIXTURE("thai.docx"), &out);
	has_source_lines(&out);
	assert_memory_equal(out.data, "มาตรการส่งเสริมคุณธรรม", strlen("มาตรการส่งเสริมคุณธรรม"));
	has(&out, "\nคะแนนเฉลี่ย\t๘๕.๕๐\nครั้งที่ ๒\n");      /* w:tab, w:br */
	has(&out, "\nรหัส   ITA-2567\n");                       /* preserved spaces */
	has(&out, "\nประเด็น\tคะแนน\nการป้องกันการทุจริต\t72.5\n");   /* table */
	has(&out, "เชิงอรรถ: ข้อมูลจากระบบ ITAS ปี ๒๕๖๗");     /* footnotes.xml */
	has(&out, "หัวกระดาษ: เอกสารหลักฐานประกอบการประเมิน");   /* header1.xml */
	buf_release(&out);
}

static void odt_text(void **state)
{
	(void)state;
	struct buf out;
	ok(M_ODT, FIXTURE("thai.odt"), &out);
	has_source_lines(&out);
	has(&out, "\nคะแนนเฉลี่ย\t๘๕.๕๐\nครั้งที่ ๒\n");      /* text:tab, text:line-break */
	has(&out, "\nรหัส   ITA-2567\n");                       /* text:s */
	has(&out, "\nประเด็น\tคะแนน\nการป้องกันการทุจริต\t72.5\n");
	has(&out, "ที่มา: แบบวัด ITA\nเชิงอรรถ: ข้อมูลจากระบบ ITAS ปี ๒๕๖๗");
	/* the footnote's citation mark is not text */
	assert_null(strstr(out.data, "ITA1"));
	buf_release(&out);
}

static void docx_reported_as_zip_is_sniffed(void **state)
{
	(void)state;
	struct buf want, out;
	ok(M_DOCX, FIXTURE("thai.docx"), &want);
	/* libmagic calls thai-thumbnail.docx application/zip */
	ok("application/zip", FIXTURE("thai-thumbnail.docx"), &out);
	assert_string_equal(out.data, want.data);
	buf_release(&out);
	ok("application/octet-stream", FIXTURE("thai-thumbnail.docx"), &out);
	assert_string_equal(out.data, want.data);
	buf_release(&out);
	ok("application/zip", FIXTURE("thai.odt"), &out);
	has_source_lines(&out);
	buf_release(&out);
	buf_release(&want);
}

/* -------------------------------------------------- sheets and slides */

static const char sheets_text[] =
	"ประเด็น\tมาตรการ\tคะแนน\n"
	"1\tการป้องกันการทุจริต\t72.5\n"
	"2\tการให้บริการประชาชนผ่าน E-Service\t88\n"
	"3\t\tดำเนินการแล้ว\n"
	"หมายเหตุ\tดำเนินการแล้ว"
	"\f"
	"ปีงบประมาณ ๒๕๖๗\tฟื้นฟูแหล่งน้ำ\n"
	"ครั้งที่\t2";

static void xlsx_cells_in_order(void **state)
{
	(void)state;
	struct buf out;
	ok(M_XLSX, FIXTURE("thai.xlsx"), &out);
	assert_string_equal(out.data, sheets_text);
	buf_release(&out);
}

static void ods_cells_in_order(void **state)
{
	(void)state;
	struct buf out;
	ok(M_ODS, FIXTURE("thai.ods"), &out);
	assert_string_equal(out.data, sheets_text);
	buf_release(&out);
}

static void xlsx_bad_shared_string_index(void **state)
{
	(void)state;
	struct buf out;
	/* the header row's indexes are 10^23, -1 and 4096: dropped, no crash */
	ok(M_XLSX, FIXTURE("badindex.xlsx"), &out);
	assert_null(strstr(out.data, "มาตรการ\t"));
	has(&out, "1\tการป้องกันการทุจริต\t72.5\n");
	buf_release(&out);
}

static const char slides_text[] =
	"มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
	"\f"
	"องค์การบริหารส่วนตำบลโคกหินแฮ่ได้นำผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
	"ของหน่วยงานภาครัฐ (ITA) มาวิเคราะห์ เพื่อกำหนดมาตรการปรับปรุงในประเด็นที่มีคะแนนต่ำกว่า"
	"ร้อยละ ๘๕ ทั้งตัวชี้วัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายในและภายนอก\n"
	"ประเด็นที่ ๑ การป้องกันการทุจริต หน่วยงานจะจัดอบรมเจ้าหน้าที่อย่างน้อยปีละ ๒ ครั้ง "
	"เรื่องการป้องกันผลประโยชน์ทับซ้อน และเผยแพร่คำสั่งแต่งตั้งคณะทำงานบนเว็บไซต์ของหน่วยงาน"
	"\f"
	"ประเด็นที่ ๓ การฟื้นฟูแหล่งน้ำสาธารณะ ได้ดำเนินการขุดลอกคลองและฟื้นฟูสภาพแวดล้อมร่วมกับ"
	"ชุมชน พร้อมรายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส";

static void pptx_slides(void **state)
{
	(void)state;
	struct buf out;
	ok(M_PPTX, FIXTURE("thai.pptx"), &out);
	assert_string_equal(out.data, slides_text);
	buf_release(&out);
}

static void odp_slides(void **state)
{
	(void)state;
	struct buf out;
	ok(M_ODP, FIXTURE("thai.odp"), &out);
	assert_string_equal(out.data, slides_text);
	buf_release(&out);
}

/* ------------------------------------------------------ hostile archives */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void zip_bomb_is_stopped(void **state)
{
	(void)state;
	struct extract_limits lim;
	extract_limits_default(&lim);
	lim.max_entry = 1 << 20;
	double t0 = now();
	/* 64 MiB of spaces in 65 KB: stopped at 1 MiB */
	refused(M_DOCX, FIXTURE("bomb.docx"), &lim, EXTRACT_FAILED,
		"ZIP entry word/document.xml expands beyond the 1 MiB limit");
	/* the same with headers claiming 1000 bytes: the cap holds while reading */
	refused(M_DOCX, FIXTURE("bomb-lying.docx"), &lim, EXTRACT_FAILED, "1 MiB limit");
	/* default limits: the ratio (about 1000:1) stops it */
	refused(M_DOCX, FIXTURE("bomb.docx"), NULL, EXTRACT_FAILED, "zip bomb");
	refused(M_DOCX, FIXTURE("bomb-lying.docx"), NULL, EXTRACT_FAILED, "zip bomb");
	double dt = now() - t0;
	if (dt > 5.0)
		fail_msg("zip bombs took %.2f s", dt);
}

static void office_text_cap(void **state)
{
	(void)state;
	struct extract_limits lim;
	extract_limits_default(&lim);
	lim.max_text = 1000;
	refused(M_DOCX, FIXTURE("thai.docx"), &lim, EXTRACT_FAILED, "text larger than");
	refused(M_ODT, FIXTURE("thai.odt"), &lim, EXTRACT_FAILED, "text larger than");
	refused(M_PPTX, FIXTURE("thai.pptx"), &lim, EXTRACT_FAILED, "text larger than");
	lim.max_text = 100;
	refused(M_XLSX, FIXTURE("thai.xlsx"), &lim, EXTRACT_FAILED, "text larger than");
	refused(M_ODS, FIXTURE("thai.ods"), &lim, EXTRACT_FAILED, "text larger than");
}

static void not_office_archives(void **state)
{
	(void)state;
	refused("application/zip", FIXTURE("traversal.zip"), NULL, EXTRACT_UNSUPPORTED,
		"not an office document");
	refused("application/zip", FIXTURE("longname.zip"), NULL, EXTRACT_UNSUPPORTED,
		"not an office document");
	/* a DOCX type on bytes that are no ZIP, and a ZIP without the main part */
	refused(M_DOCX, FIXTURE("random.pdf"), NULL, EXTRACT_FAILED, "not a valid ZIP");
	refused(M_DOCX, FIXTURE("traversal.zip"), NULL, EXTRACT_FAILED, "word/document.xml missing");
	refused(M_DOCX, FIXTURE("truncated.pdf"), NULL, EXTRACT_FAILED, "ZIP");
}

/* --------------------------------------------------------------- dispatch */

static void dispatch_by_type(void **state)
{
	(void)state;
	refused("image/png", FIXTURE("image.png"), NULL, EXTRACT_NEEDS_OCR, "image: needs OCR");
	refused("image/jpeg", FIXTURE("image.png"), NULL, EXTRACT_NEEDS_OCR, "image: needs OCR");
	refused("application/msword", FIXTURE("random.pdf"), NULL, EXTRACT_UNSUPPORTED, "Word");
	refused("application/vnd.ms-excel", FIXTURE("random.pdf"), NULL, EXTRACT_UNSUPPORTED,
		"Excel");
	refused("application/x-executable", FIXTURE("random.pdf"), NULL, EXTRACT_UNSUPPORTED,
		"application/x-executable");
	/* octet-stream that is no ZIP stays unsupported */
	refused("application/octet-stream", FIXTURE("random.pdf"), NULL, EXTRACT_UNSUPPORTED,
		"no text extractor");
	/* text/xml and other text types are read as plain text */
	struct buf out;
	ok("text/xml", FIXTURE("thai-tis620.txt"), &out);
	has_source_lines(&out);
	buf_release(&out);
	/* a "; charset=" suffix (libmagic's MAGIC_MIME) is tolerated */
	ok("text/html; charset=utf-8", FIXTURE("thai.html"), &out);
	has_source_lines(&out);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limits_default),
		cmocka_unit_test(plain_encodings_roundtrip),
		cmocka_unit_test(empty_file_is_ok_and_empty),
		cmocka_unit_test(plain_text_cap),
		cmocka_unit_test(html_utf8),
		cmocka_unit_test(html_tis620_with_and_without_meta),
		cmocka_unit_test(html_wrong_label_and_pre),
		cmocka_unit_test(pdf_text_and_pages),
		cmocka_unit_test(pdf_matches_pdftotext),
		cmocka_unit_test(pdf_normalized_has_source_phrases),
		cmocka_unit_test(pdf_single_page),
		cmocka_unit_test(pdf_failures),
		cmocka_unit_test(docx_text),
		cmocka_unit_test(odt_text),
		cmocka_unit_test(docx_reported_as_zip_is_sniffed),
		cmocka_unit_test(xlsx_cells_in_order),
		cmocka_unit_test(ods_cells_in_order),
		cmocka_unit_test(xlsx_bad_shared_string_index),
		cmocka_unit_test(pptx_slides),
		cmocka_unit_test(odp_slides),
		cmocka_unit_test(zip_bomb_is_stopped),
		cmocka_unit_test(office_text_cap),
		cmocka_unit_test(not_office_archives),
		cmocka_unit_test(dispatch_by_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
