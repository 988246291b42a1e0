/* Unit tests for auth.c: the kind of failure each account change returns
 * (http_users.c answers with the status of the kind, never of the
 * wording), and that a refused change changes nothing. */
#include "unit.h"
#include "lakthan/auth.h"
#include "lakthan/db.h"
#include "lakthan/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh database in a new temp folder (the audit head is written beside
 * it); *dir gets the folder, for rm_dir(). */
static sqlite3 *fresh_db_in_dir(char **dir)
{
	*dir = lk_strdup("/tmp/lakthan-unit-auth.XXXXXX");
	assert_non_null(mkdtemp(*dir));
	char *path = lk_asprintf("%s/lakthan.db", *dir), err[LK_ERRLEN];
	sqlite3 *db;
	assert_int_equal(db_open(path, &db, err), 0);
	free(path);
	return db;
}

/* Remove the folder of fresh_db_in_dir() (closed) and what SQLite and the
 * audit head wrote there; frees dir. */
static void rm_dir(char *dir)
{
	static const char *const names[] = {"lakthan.db", "lakthan.db-wal", "lakthan.db-shm", "audit-head",
					    "audit-head.lock", NULL};
	for (int i = 0; names[i]; i++) {
		char *p = lk_asprintf("%s/%s", dir, names[i]);
		unlink(p);
		free(p);
	}
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static void account_failure_kinds(void **state)
{
	(void)state;
	char *dir, err[LK_ERRLEN], token[65];
	long long n;
	sqlite3 *db = fresh_db_in_dir(&dir);
	assert_int_equal(auth_user_add(db, "root", ROLE_ADMIN, "password-root", "test", err), 0);
	assert_int_equal(auth_user_add(db, "somchai", ROLE_STAFF, "password-somchai", "test", err), 0);

	/* bad input: a name, a role, a password */
	assert_int_equal(auth_user_add(db, "no spaces", ROLE_STAFF, "password-x", "test", err), LK_BAD_INPUT);
	assert_int_equal(auth_user_add(db, "x", ROLE_NONE, "password-x", "test", err), LK_BAD_INPUT);
	assert_int_equal(auth_user_add(db, "x", ROLE_STAFF, "short", "test", err), LK_BAD_INPUT);
	assert_int_equal(auth_user_set_password(db, "somchai", "short", "test", err), LK_BAD_INPUT);
	assert_int_equal(auth_user_set_role(db, "somchai", ROLE_NONE, "test", err), LK_BAD_INPUT);
	/* the same name twice */
	assert_int_equal(auth_user_add(db, "somchai", ROLE_ADMIN, "password-other", "test", err), LK_CONFLICT);
	assert_int_equal(auth_count_role(db, ROLE_ADMIN), 1);
	/* no such user, for every change */
	assert_int_equal(auth_user_set_role(db, "nobody", ROLE_STAFF, "test", err), LK_NOT_FOUND);
	assert_int_equal(auth_user_set_disabled(db, "nobody", 1, "test", err), LK_NOT_FOUND);
	assert_int_equal(auth_user_set_password(db, "nobody", "password-x", "test", err), LK_NOT_FOUND);
	assert_int_equal(auth_tokens_revoke(db, "nobody", "test", &n, err), LK_NOT_FOUND);
	assert_int_equal(auth_token_new(db, "nobody", "test", token, err), LK_NOT_FOUND);
	/* the last admin can be neither demoted nor disabled */
	assert_int_equal(auth_user_set_role(db, "root", ROLE_STAFF, "test", err), LK_CONFLICT);
	assert_int_equal(auth_user_set_disabled(db, "root", 1, "test", err), LK_CONFLICT);
	assert_int_equal(auth_count_role(db, ROLE_ADMIN), 1);
	/* ... until there is another */
	assert_int_equal(auth_user_set_role(db, "somchai", ROLE_ADMIN, "test", err), 0);
	assert_int_equal(auth_user_set_role(db, "root", ROLE_STAFF, "test", err), 0);
	/* the database failing is internal, however good the input: a
	 * statement inside the transaction, then the transaction itself */
	assert_int_equal(db_exec(db, "CREATE TEMP TRIGGER fail BEFORE INSERT ON account"
				 " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END", err), 0);
	assert_int_equal(auth_user_add(db, "new", ROLE_STAFF, "password-new", "test", err), LK_INTERNAL);
	assert_int_equal(db_exec(db, "PRAGMA query_only = 1", err), 0);
	assert_int_equal(auth_token_new(db, "somchai", "test", token, err), LK_INTERNAL);
	assert_int_equal(auth_user_set_role(db, "root", ROLE_ASSESSOR, "test", err), LK_INTERNAL);
	sqlite3_close(db);
	rm_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(account_failure_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
