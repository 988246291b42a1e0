/* Unit tests for the plan: question references as reports write them,
 * cells with HTML fragments and bullets, the catalog, evidence dates, and
 * the import of small reports into a fresh database. */
#include "unit.h"
#include "lakthan/db.h"
#include "lakthan/evidence.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"

#include <string.h>
#include <unistd.h>

static void qtoken_plain_and_thai_digits(void **state)
{
	(void)state;
	struct plan_qref r;
	assert_int_equal(plan_parse_qtoken("e๑๒", strlen("e๑๒"), &r), 0);
	assert_string_equal(r.code, "e12");
	assert_int_equal(r.flags, 0);
	assert_int_equal(plan_parse_qtoken("I19", 3, &r), 0);
	assert_string_equal(r.code, "i19");
	assert_int_equal(plan_parse_qtoken("i๒๙", strlen("i๒๙"), &r), 0);
	assert_string_equal(r.code, "i29");
	assert_int_equal(r.number, 29);
}

static void qtoken_odd_forms(void **state)
{
	(void)state;
	struct plan_qref r;
	/* the letter lost: digits only, flagged, never given a letter */
	assert_int_equal(plan_parse_qtoken("๑๖", strlen("๑๖"), &r), 0);
	assert_string_equal(r.code, "16");
	assert_int_equal(r.letter, 0);
	assert_true(r.flags & PLAN_QREF_LETTER_LOST);
	/* a Thai zero typed for o */
	assert_int_equal(plan_parse_qtoken("๐๓๙", strlen("๐๓๙"), &r), 0);
	assert_string_equal(r.code, "o39");
	assert_true(r.flags & PLAN_QREF_ZERO_AS_O);
	/* not references */
	assert_int_equal(plan_parse_qtoken("๒๕๖๗", strlen("๒๕๖๗"), &r), -1);
	assert_int_equal(plan_parse_qtoken("x12", 3, &r), -1);
	assert_int_equal(plan_parse_qtoken("e", 1, &r), -1);
	assert_int_equal(plan_parse_qtoken("ประเด็น", strlen("ประเด็น"), &r), -1);
	assert_int_equal(plan_parse_qtoken("i0", 2, &r), -1);
}

static void refs_in_text_ranges(void **state)
{
	(void)state;
	struct plan_qref r[16];
	size_t n = plan_refs_in_text("- การขับเคลื่อนมาตรการ (อ้างอิงจาก ๐๓๙ - ๐๔๑) ให้บุคลากร", r, 16);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].code, "o39");
	assert_string_equal(r[1].code, "o40");
	assert_string_equal(r[2].code, "o41");
	n = plan_refs_in_text("ทำตามแผน อ้างอิง i19, i20 และ e12 แล้ว", r, 16);
	assert_int_equal(n, 3);
	assert_string_equal(r[2].code, "e12");
	/* no อ้างอิง, no references, however many numbers */
	assert_int_equal(plan_refs_in_text("ประจำปี ๒๕๖๗ จำนวน 12 ครั้ง", r, 16), 0);
	/* a range is capped by max */
	assert_int_equal(plan_refs_in_text("อ้างอิง o1 - o40", r, 16), 16);
}

static void cell_paragraphs_and_bullets(void **state)
{
	(void)state;
	struct plan_items it;
	const char *c1 = "<p>- ปรับปรุงคู่มือ</p> <p>- กำหนดแผน <a href=\"x\">ลิงก์</a></p>";
	plan_cell_items(c1, strlen(c1), 0, &it);
	assert_int_equal(it.n, 2);
	assert_string_equal(it.v[0], "ปรับปรุงคู่มือ");
	assert_string_equal(it.v[1], "กำหนดแผน ลิงก์");
	assert_null(it.lead);
	plan_items_release(&it);
	/* bullets in one run of text, two spaces apart; " - " inside stays */
	const char *c2 = "- กำหนดขั้นตอน  - ประชาสัมพันธ์คู่มือ (การยืม - คืน)  - เผยแพร่ผล";
	plan_cell_items(c2, strlen(c2), 0, &it);
	assert_int_equal(it.n, 3);
	assert_string_equal(it.v[1], "ประชาสัมพันธ์คู่มือ (การยืม - คืน)");
	plan_items_release(&it);
	/* an empty cell has no items */
	plan_cell_items("", 0, 0, &it);
	assert_int_equal(it.n, 0);
	plan_items_release(&it);
}

static void cell_bold_status(void **state)
{
	(void)state;
	struct plan_items it;
	const char *c1 = "<p><b>ดำเนินการแล้วเสร็จ</b></p> <p>- คู่มือ</p>";
	plan_cell_items(c1, strlen(c1), 0, &it);
	assert_non_null(it.lead);
	assert_string_equal(it.lead, "ดำเนินการแล้วเสร็จ");
	assert_int_equal(it.n, 1);
	assert_string_equal(it.v[0], "คู่มือ");
	plan_items_release(&it);
	/* without <p>: the bold status, then bullets two spaces apart */
	const char *c2 = "<b>ดำเนินการแล้วเสร็จ</b>  - คู่มือ  - เว็บไซต์";
	plan_cell_items(c2, strlen(c2), 0, &it);
	assert_non_null(it.lead);
	assert_string_equal(it.lead, "ดำเนินการแล้วเสร็จ");
	assert_int_equal(it.n, 2);
	plan_items_release(&it);
	/* a bold code that starts a question is not a status */
	const char *c3 = "<p><b>๑๖</b> หน่วยงานมีช่องทาง</p>";
	plan_cell_items(c3, strlen(c3), 1, &it);
	assert_null(it.lead);
	assert_int_equal(it.n, 1);
	assert_string_equal(it.v[0], "๑๖ หน่วยงานมีช่องทาง");
	plan_items_release(&it);
}

static void cell_questions_split_at_codes(void **state)
{
	(void)state;
	struct plan_items it;
	const char *c = "e๑๑ การปฏิบัติ ดีขึ้น มากน้อยเพียงใด  e๑๒ วิธีการขั้นตอน สะดวก";
	plan_cell_items(c, strlen(c), 1, &it);
	assert_int_equal(it.n, 2);
	assert_string_equal(it.v[1], "e๑๒ วิธีการขั้นตอน สะดวก");
	plan_items_release(&it);
	char *t = plan_cell_text("<b>(๑) กระบวนการ  ปฏิบัติงาน</b>", strlen("<b>(๑) กระบวนการ  ปฏิบัติงาน</b>"));
	assert_string_equal(t, "(๑) กระบวนการ ปฏิบัติงาน");
	free(t);
}

static void catalog_lookup(void **state)
{
	(void)state;
	struct plan_catalog_entry e;
	assert_int_equal(plan_catalog_find(2566, "i19", &e), 0);
	assert_string_equal(e.instrument, "IIT");
	assert_non_null(strstr(e.text, "ทรัพย์สินของราชการ"));
	assert_int_equal(plan_catalog_find(2566, "i99", &e), -1);
	/* a 2567 plan answers the 2566 assessment */
	assert_int_equal(plan_catalog_for_plan(2567, "e12", &e), 0);
	assert_int_equal(e.year, 2566);
	assert_int_equal(plan_catalog_for_plan(2567, "o1", &e), 0);
}

static void evidence_dates(void **state)
{
	(void)state;
	struct evidence_date d;
	const char *t1 = "บันทึกข้อความ ลงวันที่ ๑ มีนาคม ๒๕๖๗ เรื่อง";
	assert_int_equal(evidence_date_find(t1, strlen(t1), &d), 0);
	assert_string_equal(d.iso, "2024-03-01");
	assert_int_equal(d.fiscal_year, 2567);
	const char *t2 = "ประชุมเมื่อ 15 ต.ค. 66";
	assert_int_equal(evidence_date_find(t2, strlen(t2), &d), 0);
	assert_int_equal(d.year_be, 2566);
	assert_int_equal(d.fiscal_year, 2567);
	const char *t3 = "วันที่ 30 กันยายน พ.ศ. 2567";
	assert_int_equal(evidence_date_find(t3, strlen(t3), &d), 0);
	assert_int_equal(d.fiscal_year, 2567);
	const char *t4 = "ไม่มีวันที่ 31 กุมภาพันธ์ 2567 หรือ 2024";
	assert_int_equal(evidence_date_find(t4, strlen(t4), &d), -1);
}

static const char header[] =
	"ประจำปีงบประมาณ พ.ศ.๒๕๖๗\n"
	"ประเด็น\tการนำผลการวิเคราะห์ไปสู่การปฏิบัติ\t\tมาตรการ\tผลการดำเนินงาน\tผลลัพธ์\n"
	"\tข้อคำถาม ITA\tข้อค้นพบ\t\t\t\n";

static void import_small_report(void **state)
{
	(void)state;
	char path[] = "/tmp/lakthan-plan-XXXXXX";
	sqlite3 *db = unit_db_open(path);
	char err[LK_ERRLEN];
	char *rep = lk_asprintf("%s"
		"<b>(๑) เรื่องหนึ่ง</b>\t<p>i๑๙ ข้อ</p>\t<p>- พบ</p>\t<p>- ม หนึ่ง</p> <p>- ม สอง</p>\t<p><b>ดำเนินการแล้วเสร็จ</b></p>\t<p>- ผล</p>\n"
		"\t\t\t- ม สาม (อ้างอิงจาก ๐๓๙ - ๐๔๐)\t- ผล\tผลลัพธ์\n"
		"(๒) เรื่องสอง\tx๑๒ ไม่ใช่รหัส  i๙๙ ไม่อยู่ในแคตตาล็อก\t\t- ม\t\t\n", header);
	struct plan_import_result res;
	assert_int_equal(plan_import_buffer(db, rep, strlen(rep), 0, 0, "test", &res, err), 0);
	assert_int_equal(res.year, 2567);
	assert_int_equal(res.issues, 2);
	assert_int_equal(res.measures, 4);
	assert_int_equal(res.nquestions, 4);   /* i19, i99 (from the report), o39, o40 */
	assert_true(res.nwarnings >= 3);
	int saw_line5 = 0;
	for (size_t i = 0; i < res.nwarnings; i++)
		saw_line5 |= res.warnings[i].line == 6 && strstr(res.warnings[i].msg, "i99") != NULL;
	assert_true(saw_line5);
	assert_true(res.changes > 0);
	plan_import_result_release(&res);
	/* the same again changes nothing */
	assert_int_equal(plan_import_buffer(db, rep, strlen(rep), 0, 0, "test", &res, err), 0);
	assert_int_equal(res.changes, 0);
	plan_import_result_release(&res);
	sqlite3_int64 id;
	assert_int_equal(plan_measure_id(db, 2567, "1.3", &id, err), 0);
	assert_int_equal(plan_measure_id(db, 2567, "1.4", &id, err), LK_NOT_FOUND);
	assert_non_null(strstr(err, "does not exist"));
	assert_int_equal(plan_measure_id(db, 2566, "1.3", &id, err), LK_NO_PLAN);
	assert_int_equal(plan_measure_id(db, 2567, "1", &id, err), LK_BAD_INPUT);
	free(rep);
	unit_db_close(db, path);
}

static void import_refuses_malformed(void **state)
{
	(void)state;
	char path[] = "/tmp/lakthan-plan-XXXXXX";
	sqlite3 *db = unit_db_open(path);
	char err[LK_ERRLEN];
	struct plan_import_result res;
	assert_int_equal(plan_import_buffer(db, "", 0, 2567, 0, "test", &res, err), -1);
	assert_non_null(strstr(err, "empty"));
	assert_int_equal(plan_import_buffer(db, "%PDF-1.4\n", 9, 2567, 0, "test", &res, err), -1);
	assert_non_null(strstr(err, "PDF"));
	assert_int_equal(plan_import_buffer(db, "ok\n\xff\xfe\n", 6, 2567, 0, "test", &res, err), -1);
	assert_non_null(strstr(err, "line 2"));
	char *rep = lk_asprintf("%s(๑) หนึ่ง\ti๑๙\tพบ\t- ม\n", header);
	assert_int_equal(plan_import_buffer(db, rep, strlen(rep), 0, 0, "test", &res, err), -1);
	assert_non_null(strstr(err, "line 4"));
	free(rep);
	rep = lk_asprintf("%s\t\t\t- ม\t\t\n", header);
	assert_int_equal(plan_import_buffer(db, rep, strlen(rep), 0, 0, "test", &res, err), -1);
	assert_non_null(strstr(err, "no issue before it"));
	free(rep);
	/* the title's year and --year disagree */
	rep = lk_asprintf("%s(๑) หนึ่ง\ti๑๙\tพบ\t- ม\t\t\n", header);
	assert_int_equal(plan_import_buffer(db, rep, strlen(rep), 2566, 0, "test", &res, err), -1);
	assert_non_null(strstr(err, "2567"));
	free(rep);
	/* nothing was written by any of them */
	assert_int_equal(plan_latest_year(db), 0);
	unit_db_close(db, path);
}

/* Regression (tools/fuzz/fuzz_plan): a report that cites no question made
 * write_report() call qsort() with a NULL array (UBSan: nonnull argument). */
static void import_without_questions(void **state)
{
	(void)state;
	char path[] = "/tmp/lakthan-plan-XXXXXX";
	sqlite3 *db = unit_db_open(path);
	char err[LK_ERRLEN];
	struct plan_import_result res;
	/* the fuzzer's seed: the title and the table header, no row */
	int rc = plan_import_buffer(db, header, strlen(header), 0, 0, "test", &res, err);
	if (rc == 0) {
		assert_int_equal(res.nquestions, 0);
		plan_import_result_release(&res);
	} else {
		assert_true(err[0] != 0);
	}
	/* an issue whose questions cell has no code */
	char *rep = lk_asprintf("%s(๑) เรื่องหนึ่ง\tไม่มีรหัส\t\t- ม หนึ่ง\t\t\n", header);
	assert_int_equal(plan_import_buffer(db, rep, strlen(rep), 0, 0, "test", &res, err), 0);
	assert_int_equal(res.issues, 1);
	assert_int_equal(res.nquestions, 0);
	plan_import_result_release(&res);
	free(rep);
	unit_db_close(db, path);
}

/* How many rows sql counts. */
static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_int64 n = -1;
	char err[LK_ERRLEN];
	assert_int_equal(db_run(db, sql, &n, err, ""), 1);
	return n;
}

/* Plan editing returns the kind of each failure (http_plan.c answers with
 * the status of the kind, never of the wording), and a refused edit
 * changes nothing. */
static void edit_failure_kinds(void **state)
{
	(void)state;
	char path[] = "/tmp/lakthan-plan-XXXXXX";
	sqlite3 *db = unit_db_open(path);
	char err[LK_ERRLEN], code[16];
	int removed;
	assert_int_equal(plan_issue_add(db, 2567, 1, "หนึ่ง", "test", err), 0);
	assert_int_equal(plan_measure_add(db, 2567, 1, "มาตรการ", code, "test", err), 0);
	assert_string_equal(code, "1.1");

	/* bad input */
	assert_int_equal(plan_issue_add(db, 2567, 2, " \t", "test", err), LK_BAD_INPUT);
	assert_int_equal(plan_measure_edit(db, 2567, "x.1", "ข้อความ", "test", err), LK_BAD_INPUT);
	char *bad[] = {"i19", "q1"};
	assert_int_equal(plan_measure_set_questions(db, 2567, "1.1", bad, 2, "test", err), LK_BAD_INPUT);
	/* not found: an issue, a measure */
	assert_int_equal(plan_issue_rename(db, 2567, 9, "เก้า", "test", err), LK_NOT_FOUND);
	assert_int_equal(plan_measure_add(db, 2567, 9, "มาตรการ", code, "test", err), LK_NOT_FOUND);
	assert_int_equal(plan_measure_edit(db, 2567, "1.2", "ข้อความ", "test", err), LK_NOT_FOUND);
	assert_int_equal(plan_measure_delete(db, 2567, "2.1", 0, &removed, "test", err), LK_NOT_FOUND);
	/* no plan for the year */
	assert_int_equal(plan_measure_edit(db, 2566, "1.1", "ข้อความ", "test", err), LK_NO_PLAN);
	assert_int_equal(plan_copy_year(db, 2560, 2568, "test", err), LK_NO_PLAN);
	/* a question code of the right shape that no catalog has; i19 before
	 * it is rolled back with it */
	char *unknown[] = {"i19", "i99"};
	assert_int_equal(plan_measure_set_questions(db, 2567, "1.1", unknown, 2, "test", err), LK_UNKNOWN_QUESTION);
	assert_int_equal(count(db, "SELECT count(*) FROM row_question"), 0);
	/* conflicts: the same issue twice, a linked measure, a year twice */
	assert_int_equal(plan_issue_add(db, 2567, 1, "ซ้ำ", "test", err), LK_CONFLICT);
	assert_int_equal(count(db, "SELECT count(*) FROM plan_issue WHERE title = 'หนึ่ง'"), 1);
	sqlite3_int64 mid;
	assert_int_equal(plan_measure_id(db, 2567, "1.1", &mid, err), 0);
	assert_int_equal(db_exec(db, "INSERT INTO document (sha256, size, mime, filename, title, year, uploaded_by,"
				 " uploaded_at, text_status) VALUES (printf('%064d', 1), 1, 'text/plain', 'a.txt', 'a', 2567,"
				 " 'test', 'now', 'ok')", err), 0);
	assert_int_equal(db_run(db, "INSERT INTO document_link (document_id, measure_id, linked_by, linked_at)"
				" VALUES (last_insert_rowid(), ?1, 'test', 'now')", NULL, err, "l", mid), 0);
	assert_int_equal(plan_measure_delete(db, 2567, "1.1", 0, &removed, "test", err), LK_CONFLICT);
	assert_int_equal(count(db, "SELECT count(*) FROM measure"), 1);
	assert_int_equal(plan_copy_year(db, 2567, 2568, "test", err), 0);
	assert_int_equal(plan_copy_year(db, 2567, 2568, "test", err), LK_CONFLICT);
	/* the database failing is internal, however good the input: a
	 * statement inside the transaction, then the transaction itself */
	assert_int_equal(db_exec(db, "CREATE TEMP TRIGGER fail BEFORE INSERT ON plan_issue"
				 " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END", err), 0);
	assert_int_equal(plan_issue_add(db, 2567, 3, "สาม", "test", err), LK_INTERNAL);
	assert_int_equal(db_exec(db, "PRAGMA query_only = 1", err), 0);
	assert_int_equal(plan_measure_edit(db, 2567, "1.1", "ข้อความ", "test", err), LK_INTERNAL);
	unit_db_close(db, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qtoken_plain_and_thai_digits),
		cmocka_unit_test(qtoken_odd_forms),
		cmocka_unit_test(refs_in_text_ranges),
		cmocka_unit_test(cell_paragraphs_and_bullets),
		cmocka_unit_test(cell_bold_status),
		cmocka_unit_test(cell_questions_split_at_codes),
		cmocka_unit_test(catalog_lookup),
		cmocka_unit_test(evidence_dates),
		cmocka_unit_test(import_small_report),
		cmocka_unit_test(import_without_questions),
		cmocka_unit_test(import_refuses_malformed),
		cmocka_unit_test(edit_failure_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
