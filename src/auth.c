/* auth: accounts, roles, tokens and sessions. */
#include "lakthan/auth.h"
#include "lakthan/audit.h"
#include "lakthan/db.h"
#include "lakthan/util.h"

#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static const char *const role_names[] = {"", "assessor", "staff", "archivist", "admin"};

enum auth_role auth_role_parse(const char *s)
{
	for (int r = ROLE_ASSESSOR; r <= ROLE_ADMIN; r++)
		if (s && strcmp(s, role_names[r]) == 0)
			return (enum auth_role)r;
	return ROLE_NONE;
}

const char *auth_role_name(enum auth_role r)
{
	return r >= ROLE_ASSESSOR && r <= ROLE_ADMIN ? role_names[r] : "";
}

int auth_role_may(enum auth_role role, enum auth_perm perm)
{
	switch (perm) {
	case PERM_PUBLIC:
		return 1;
	case PERM_READ:
	case PERM_REVIEW:
		return role != ROLE_NONE;
	case PERM_WRITE:
		return role == ROLE_STAFF || role == ROLE_ADMIN;
	case PERM_EXPORT:
		return role == ROLE_ARCHIVIST || role == ROLE_ADMIN;
	case PERM_ADMIN:
		return role == ROLE_ADMIN;
	}
	return 0;
}

int auth_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > AUTH_NAME_MAX)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '@' || *p == '-'))
			return 0;
	return 1;
}

int auth_random_hex(char out[65])
{
	unsigned char b[32];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

int auth_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;
	for (size_t i = 0; i < na; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i % (nb ? nb : 1)];
	return d == 0;
}

/* yescrypt hash of password into *out, a new string (crypt(3) format).
 * 0, LK_BAD_INPUT (too short or too long) or LK_INTERNAL. */
static int hash_password(const char *password, char **out, char *err)
{
	/* every password that gets stored passes here, so the policy lives here */
	size_t n = strlen(password);
	*out = NULL;
	if (n < AUTH_PASSWORD_MIN)
		return lk_errc(err, LK_BAD_INPUT, "password too short: at least %d characters", AUTH_PASSWORD_MIN);
	if (n > AUTH_PASSWORD_MAX)
		return lk_errc(err, LK_BAD_INPUT, "password too long: at most %d bytes", AUTH_PASSWORD_MAX);
	char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
	if (!salt)
		return lk_errc(err, LK_INTERNAL, "cannot make a password salt: %s", strerror(errno));
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *h = crypt_r(password, salt, &cd);
	free(salt);
	if (!h || h[0] == '*')
		return lk_errc(err, LK_INTERNAL, "cannot hash the password");
	*out = lk_strdup(h);
	return 0;
}

/* 1 when password matches the stored crypt(3) hash. */
static int password_ok(const char *password, const char *stored)
{
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *h = crypt_r(password, stored, &cd);
	return h && h[0] != '*' && auth_equal(h, stored);
}

int auth_user_add(sqlite3 *db, const char *name, enum auth_role role, const char *password,
		  const char *actor, char *err)
{
	if (!auth_name_valid(name))
		return lk_errf(err, "invalid user name '%s': use 1-%d letters, digits, '.', '_', '@' or '-'", name, AUTH_NAME_MAX);
	if (role == ROLE_NONE)
		return lk_errf(err, "unknown role: use admin, staff, assessor or archivist");
	char *hash;
	int rc = hash_password(password, &hash, err);
	if (rc != 0)
		return rc;
	sqlite3_stmt *st = NULL;
	char now[32], object[96];
	rc = LK_INTERNAL;   /* what a failure is, unless said otherwise */
	lk_now_iso(now);
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		goto out;
	if (db_prepare(db, &st, "INSERT INTO account (name, role, password_hash, created_at) VALUES (?,?,?,?)", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, auth_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_CONSTRAINT_UNIQUE) {
		rc = lk_errc(err, LK_CONFLICT, "user '%s' exists already", name);
		goto rollback;
	} else if (s != SQLITE_DONE) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	snprintf(object, sizeof object, "account:%s", name);
	json_t *d = json_pack("{s:s}", "role", auth_role_name(role));
	int arc = audit_append_json(db, actor, "user.add", object, d, err);
	json_decref(d);
	if (arc != 0 || db_exec(db, "COMMIT", err) != 0)
		goto rollback;
	rc = 0;
	goto out;
rollback:
	db_exec(db, "ROLLBACK", NULL);
out:
	sqlite3_finalize(st);
	free(hash);
	return rc;
}

long long auth_count_role(sqlite3 *db, enum auth_role role)
{
	sqlite3_stmt *st;
	long long n = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM account WHERE role = ? AND disabled_at IS NULL", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, auth_role_name(role), -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Fill who from an account row selected as (id, name, role, password_hash). */
static void principal_from(sqlite3_stmt *st, struct auth_principal *who)
{
	memset(who, 0, sizeof *who);
	who->id = sqlite3_column_int64(st, 0);
	snprintf(who->name, sizeof who->name, "%s", (const char *)sqlite3_column_text(st, 1));
	who->role = auth_role_parse((const char *)sqlite3_column_text(st, 2));
}

int auth_token_new(sqlite3 *db, const char *name, const char *actor, char token[65], char *err)
{
	sqlite3_stmt *st = NULL;
	char hash[65], now[32], object[96];
	int rc = LK_INTERNAL;   /* what a failure is, unless said otherwise */
	if (auth_random_hex(token) != 0)
		return lk_errc(err, LK_INTERNAL, "no randomness from the kernel: %s", strerror(errno));
	audit_sha256_hex(token, 64, hash);
	lk_now_iso(now);
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		return LK_INTERNAL;
	if (db_prepare(db, &st, "INSERT INTO api_token (account_id, token_hash, created_at)"
		       " SELECT id, ?, ? FROM account WHERE name = ? AND disabled_at IS NULL", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	if (sqlite3_changes(db) != 1) {
		rc = lk_errc(err, LK_NOT_FOUND, "no such user: %s", name);
		goto rollback;
	}
	snprintf(object, sizeof object, "account:%s", name);
	if (audit_append_json(db, actor, "user.token", object, NULL, err) != 0 || db_exec(db, "COMMIT", err) != 0)
		goto rollback;
	rc = 0;
	goto out;
rollback:
	db_exec(db, "ROLLBACK", NULL);
out:
	sqlite3_finalize(st);
	if (rc != 0)
		memset(token, 0, 65);
	return rc;
}

enum auth_login_status auth_login(sqlite3 *db, const char *name, const char *password,
				  char token[65], struct auth_principal *who, char *err)
{
	sqlite3_stmt *st = NULL;
	char *stored = NULL;
	enum auth_login_status rc = AUTH_LOGIN_ERROR;
	memset(who, 0, sizeof *who);
	if (db_prepare(db, &st, "SELECT id, name, role, password_hash FROM account"
		       " WHERE name = ? AND disabled_at IS NULL", err) != 0)
		return AUTH_LOGIN_ERROR;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		principal_from(st, who);
		stored = lk_strdup((const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	st = NULL;
	/* an unknown name costs the same hashing as a known one, so timing
	 * does not tell which names exist */
	static const char dummy[] = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7";
	int good = password_ok(password, stored ? stored : dummy) && stored;
	free(stored);
	if (!good) {
		memset(who, 0, sizeof *who);
		lk_errf(err, "wrong user name or password");
		return AUTH_LOGIN_BAD;
	}
	char hash[65], now[32];
	if (auth_random_hex(token) != 0 || auth_random_hex(who->csrf) != 0) {
		lk_errf(err, "no randomness from the kernel");
		return AUTH_LOGIN_ERROR;
	}
	audit_sha256_hex(token, 64, hash);
	lk_now_iso(now);
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		return AUTH_LOGIN_ERROR;
	/* expired sessions are of no use to anyone: sweep them here */
	if (db_prepare(db, &st, "DELETE FROM session WHERE expires_at <= ?", err) != 0)
		goto rollback;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (db_prepare(db, &st, "INSERT INTO session (token_hash, account_id, csrf, created_at, expires_at)"
		       " VALUES (?,?,?,?,?)", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, who->id);
	sqlite3_bind_text(st, 3, who->csrf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL) + AUTH_SESSION_SECONDS);
	if (sqlite3_step(st) != SQLITE_DONE) {
		lk_errf(err, "database: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	char object[96];
	snprintf(object, sizeof object, "account:%s", who->name);
	if (audit_append_json(db, who->name, "login", object, NULL, err) != 0 || db_exec(db, "COMMIT", err) != 0)
		goto rollback;
	who->via_cookie = 1;
	rc = AUTH_LOGIN_OK;
	goto out;
rollback:
	db_exec(db, "ROLLBACK", NULL);
out:
	sqlite3_finalize(st);
	if (rc != AUTH_LOGIN_OK)
		memset(token, 0, 65);
	return rc;
}

int auth_logout(sqlite3 *db, const char *token, char *err)
{
	sqlite3_stmt *st;
	char hash[65];
	audit_sha256_hex(token, strlen(token), hash);
	if (db_prepare(db, &st, "DELETE FROM session WHERE token_hash = ?", err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	sqlite3_finalize(st);
	if (s != SQLITE_DONE)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	return 0;
}

/* Run a lookup query bound to (hash[, now]) and fill who from its row. */
static int lookup(sqlite3 *db, const char *sql, const char *token, int with_time, struct auth_principal *who)
{
	sqlite3_stmt *st;
	char hash[65];
	int found = 0;
	if (strlen(token) != 64)
		return 0;
	audit_sha256_hex(token, 64, hash);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	if (with_time)
		sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) == SQLITE_ROW) {
		principal_from(st, who);
		if (with_time) {
			snprintf(who->csrf, sizeof who->csrf, "%s", (const char *)sqlite3_column_text(st, 3));
			who->via_cookie = 1;
		}
		found = who->role != ROLE_NONE;
	}
	sqlite3_finalize(st);
	return found;
}

int auth_session_lookup(sqlite3 *db, const char *token, struct auth_principal *who)
{
	return lookup(db, "SELECT a.id, a.name, a.role, s.csrf FROM session s JOIN account a ON a.id = s.account_id"
		      " WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled_at IS NULL", token, 1, who);
}

int auth_bearer_lookup(sqlite3 *db, const char *token, struct auth_principal *who)
{
	return lookup(db, "SELECT a.id, a.name, a.role FROM api_token t JOIN account a ON a.id = t.account_id"
		      " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled_at IS NULL", token, 0, who);
}

/* ---- account management (the admin's user endpoints) ---- */

/*
 * One change to account name in its own transaction: the statements of sql
 * (NULL-terminated; ?1 the account id, ?2 arg, ?3 the time now as ISO text)
 * run in order, then the audit record. guard_admin refuses a change that
 * would leave no enabled admin. *changes gets the rows the last statement
 * changed.
 */
static int account_change(sqlite3 *db, const char *name, const char *actor, const char *action, json_t *detail,
			  const char *const *sql, const char *arg, int guard_admin, long long *changes, char *err)
{
	sqlite3_stmt *st = NULL;
	char now[32], object[96];
	int rc = LK_INTERNAL;   /* what a failure is, unless said otherwise */
	long long id = 0;
	lk_now_iso(now);
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		return LK_INTERNAL;
	if (db_prepare(db, &st, "SELECT id, role = 'admin' AND disabled_at IS NULL FROM account WHERE name = ?", err) != 0)
		goto rollback;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = lk_errc(err, LK_NOT_FOUND, "no such user: %s", name);
		goto rollback;
	}
	id = sqlite3_column_int64(st, 0);
	int is_admin = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	st = NULL;
	if (guard_admin && is_admin && auth_count_role(db, ROLE_ADMIN) <= 1) {
		rc = lk_errc(err, LK_CONFLICT, "%s is the last admin: make another admin first", name);
		goto rollback;
	}
	for (int i = 0; sql[i]; i++) {
		if (db_prepare(db, &st, sql[i], err) != 0)
			goto rollback;
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			lk_errf(err, "database: %s", sqlite3_errmsg(db));
			goto rollback;
		}
		if (changes)
			*changes = sqlite3_changes(db);
		sqlite3_finalize(st);
		st = NULL;
	}
	snprintf(object, sizeof object, "account:%s", name);
	if (audit_append_json(db, actor, action, object, detail, err) != 0 || db_exec(db, "COMMIT", err) != 0)
		goto rollback;
	rc = 0;
	goto out;
rollback:
	db_exec(db, "ROLLBACK", NULL);
out:
	sqlite3_finalize(st);
	return rc;
}

int auth_user_set_role(sqlite3 *db, const char *name, enum auth_role role, const char *actor, char *err)
{
	if (role == ROLE_NONE)
		return lk_errf(err, "unknown role: use admin, staff, assessor or archivist");
	static const char *const sql[] = {"UPDATE account SET role = ?2 WHERE id = ?1", NULL};
	json_t *d = json_pack("{s:s}", "role", auth_role_name(role));
	int rc = account_change(db, name, actor, "user.role", d, sql, auth_role_name(role), role != ROLE_ADMIN, NULL, err);
	json_decref(d);
	return rc;
}

int auth_user_set_disabled(sqlite3 *db, const char *name, int disabled, const char *actor, char *err)
{
	static const char *const off[] = {"UPDATE account SET disabled_at = ?3 WHERE id = ?1 AND ?2 IS NOT NULL AND disabled_at IS NULL",
					  "DELETE FROM session WHERE account_id = ?1", NULL};
	static const char *const on[] = {"UPDATE account SET disabled_at = NULL WHERE id = ?1", NULL};
	return account_change(db, name, actor, disabled ? "user.disable" : "user.enable", NULL, disabled ? off : on, "",
			      disabled, NULL, err);
}

int auth_user_set_password(sqlite3 *db, const char *name, const char *password, const char *actor, char *err)
{
	char *hash;
	int rc = hash_password(password, &hash, err);
	if (rc != 0)
		return rc;
	/* a reset ends the sessions started with the old password */
	static const char *const sql[] = {"UPDATE account SET password_hash = ?2 WHERE id = ?1",
					  "DELETE FROM session WHERE account_id = ?1", NULL};
	rc = account_change(db, name, actor, "user.password", NULL, sql, hash, 0, NULL, err);
	free(hash);
	return rc;
}

int auth_tokens_revoke(sqlite3 *db, const char *name, const char *actor, long long *revoked, char *err)
{
	static const char *const sql[] = {"DELETE FROM session WHERE account_id = ?1 AND ?2 IS NOT NULL",
					  "UPDATE api_token SET revoked_at = ?3 WHERE account_id = ?1 AND revoked_at IS NULL", NULL};
	*revoked = 0;
	return account_change(db, name, actor, "user.revoke", NULL, sql, "", 0, revoked, err);
}

json_t *auth_user_list(sqlite3 *db, char *err)
{
	sqlite3_stmt *st;
	if (db_prepare(db, &st, "SELECT name, role, created_at, disabled_at IS NOT NULL,"
		       " (SELECT count(*) FROM api_token t WHERE t.account_id = a.id AND t.revoked_at IS NULL)"
		       " FROM account a ORDER BY name", err) != 0)
		return NULL;
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:I}", "name", (const char *)sqlite3_column_text(st, 0),
						   "role", (const char *)sqlite3_column_text(st, 1),
						   "created_at", (const char *)sqlite3_column_text(st, 2),
						   "disabled", sqlite3_column_int(st, 3), "tokens", (json_int_t)sqlite3_column_int64(st, 4)));
	sqlite3_finalize(st);
	return a;
}
