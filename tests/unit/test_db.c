/* Unit tests for db.c and names.c: migrations, schema version, file names. */
#include "unit.h"
#include "lakthan/db.h"
#include "lakthan/names.h"
#include "lakthan/util.h"

#include <string.h>
#include <unistd.h>

static void migrations_apply_and_record_version(void **state)
{
	(void)state;
	char path[] = "/tmp/lakthan-db-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	sqlite3 *db;
	char err[LK_ERRLEN];
	assert_int_equal(db_open(path, &db, err), 0);
	assert_true(db_schema_latest() >= 1);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	/* the document table exists with its constraints */
	assert_int_equal(db_exec(db, "INSERT INTO document (sha256,size,mime,filename,title,uploaded_by,uploaded_at,text_status)"
				 " VALUES ('short',1,'x','f','t','u','now','ok')", err), -1);
	/* reopening applies nothing twice */
	sqlite3_close(db);
	assert_int_equal(db_open(path, &db, err), 0);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	assert_int_equal(db_exec(db, "PRAGMA user_version = 9999", err), 0);
	sqlite3_close(db);
	assert_int_equal(db_open(path, &db, err), -1);
	assert_non_null(strstr(err, "newer"));
	char *wal = lk_asprintf("%s-wal", path), *shm = lk_asprintf("%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
}

static void names_are_clean_utf8_nfc(void **state)
{
	(void)state;
	char *n = names_clean_basename("/a/b/รายงาน.pdf");
	assert_string_equal(n, "รายงาน.pdf");
	free(n);
	/* TIS-620 bytes of "รายงาน" read as Thai */
	n = names_clean_basename("dir/\xc3\xd2\xc2\xa7\xd2\xb9.txt");
	assert_string_equal(n, "รายงาน.txt");
	free(n);
	/* bytes valid in no encoding we know become U+FFFD; control chars '_' */
	n = names_clean_basename("x\xff\x01y");
	assert_string_equal(n, "x\xEF\xBF\xBD_y");
	free(n);
	/* decomposed e + combining acute → precomposed é */
	n = names_clean_basename("caf\x65\xcc\x81.txt");
	assert_string_equal(n, "caf\xc3\xa9.txt");
	free(n);
	n = names_clean_basename("/");
	assert_string_equal(n, "unnamed");
	free(n);
	n = names_stem("รายงาน.ฉบับจริง.pdf");
	assert_string_equal(n, "รายงาน.ฉบับจริง");
	free(n);
	n = names_stem(".hidden");
	assert_string_equal(n, ".hidden");
	free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrations_apply_and_record_version),
		cmocka_unit_test(names_are_clean_utf8_nfc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
