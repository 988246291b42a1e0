/*
 * auth: accounts, roles, API tokens and cookie sessions (tables in schema 004).
 *
 * Passwords are hashed with yescrypt (libcrypt: crypt_gensalt_ra("$y$") and
 * crypt_r). API tokens and session values are 256 random bits from
 * getrandom(2), handed to the client once as 64 hex digits; only their
 * SHA-256 is stored, so a copy of the database logs nobody in. Sessions
 * expire (AUTH_SESSION_SECONDS) and carry a CSRF token that cookie-
 * authenticated changes must echo.
 *
 * What each role may do is decided in one place, auth_role_may(): the HTTP
 * routing table names a permission per route, never a role.
 * Changes to accounts append audit records in the same transaction.
 *
 * The account functions below (auth_user_add, auth_token_new and the
 * account management) return 0, or with err the kind of failure (util.h's
 * enum lk_fail): LK_BAD_INPUT (an invalid name or role, a password too
 * short or too long), LK_NOT_FOUND (no such account), LK_CONFLICT (the
 * name is taken, or the change would leave no enabled admin) or
 * LK_INTERNAL (the database, the audit record or the kernel failed).
 */
#ifndef LAKTHAN_AUTH_H
#define LAKTHAN_AUTH_H
#include <sqlite3.h>
#include <jansson.h>

#define AUTH_SESSION_SECONDS (8 * 3600)
#define AUTH_NAME_MAX 64
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 1024

enum auth_role { ROLE_NONE = 0, ROLE_ASSESSOR, ROLE_STAFF, ROLE_ARCHIVIST, ROLE_ADMIN };

/* What a request needs; see auth_role_may() for who has it. */
enum auth_perm {
	PERM_PUBLIC = 0,   /* no account needed */
	PERM_READ,         /* read, search, download, coverage: every role */
	PERM_REVIEW,       /* accept or reject links: every role */
	PERM_WRITE,        /* upload, edit metadata, link, withdraw: staff, admin */
	PERM_EXPORT,       /* the yearly bundle: archivist, admin */
	PERM_ADMIN,        /* users and the plan: admin */
};

/* Parse "admin", "staff", "assessor", "archivist"; ROLE_NONE otherwise. */
enum auth_role auth_role_parse(const char *s);
const char *auth_role_name(enum auth_role r);

/* 1 when role may do what perm names. The only place roles are compared. */
int auth_role_may(enum auth_role role, enum auth_perm perm);

/* Who made a request. */
struct auth_principal {
	long long id;
	char name[AUTH_NAME_MAX + 1];
	enum auth_role role;
	int via_cookie;        /* 1: session cookie (CSRF applies), 0: bearer token */
	char csrf[65];         /* the session's CSRF token (cookie only) */
};

/* 1 when name is a valid account name: 1..64 bytes of [A-Za-z0-9._@-]. */
int auth_name_valid(const char *name);

/* Create an account (actor: who did it, for the audit log). LK_CONFLICT
 * when the name is taken; LK_BAD_INPUT when it is invalid, or the password
 * too short or too long. */
int auth_user_add(sqlite3 *db, const char *name, enum auth_role role, const char *password,
		  const char *actor, char *err);

/* Number of accounts with role (enabled ones). */
long long auth_count_role(sqlite3 *db, enum auth_role role);

/* A new API token for name into token (65 bytes), shown once;
 * LK_NOT_FOUND when name is unknown or disabled. */
int auth_token_new(sqlite3 *db, const char *name, const char *actor, char token[65], char *err);

enum auth_login_status { AUTH_LOGIN_OK = 0, AUTH_LOGIN_BAD = 1, AUTH_LOGIN_ERROR = 2 };

/* Check name/password; on success start a session: its value into token
 * (65 bytes), its CSRF token and the account into *who. */
enum auth_login_status auth_login(sqlite3 *db, const char *name, const char *password,
				  char token[65], struct auth_principal *who, char *err);

/* End the session whose cookie value is token (nothing when unknown). */
int auth_logout(sqlite3 *db, const char *token, char *err);

/* Look a session cookie value or a bearer token up: 1 found (who filled),
 * 0 unknown, expired or revoked. */
int auth_session_lookup(sqlite3 *db, const char *token, struct auth_principal *who);
int auth_bearer_lookup(sqlite3 *db, const char *token, struct auth_principal *who);

/* ---- account management (admin); each is one transaction with its audit
 * record (user.role, user.disable, user.enable, user.password, user.revoke).
 * LK_NOT_FOUND for an unknown name; a change that would leave no enabled
 * admin is refused with LK_CONFLICT. ---- */

int auth_user_set_role(sqlite3 *db, const char *name, enum auth_role role, const char *actor, char *err);
/* Disable (the account's sessions end; its tokens stop working) or enable. */
int auth_user_set_disabled(sqlite3 *db, const char *name, int disabled, const char *actor, char *err);
/* A new password; the account's sessions end. */
int auth_user_set_password(sqlite3 *db, const char *name, const char *password, const char *actor, char *err);
/* Revoke every API token of name and end its sessions; *revoked = tokens revoked. */
int auth_tokens_revoke(sqlite3 *db, const char *name, const char *actor, long long *revoked, char *err);
/* [{name, role, created_at, disabled, tokens}] by name; NULL with err. */
json_t *auth_user_list(sqlite3 *db, char *err);

/* 256 random bits as 64 hex digits into out (65 bytes); -1 when the kernel
 * gives no randomness. */
int auth_random_hex(char out[65]);

/* Compare two NUL-terminated strings in time independent of their contents. */
int auth_equal(const char *a, const char *b);

#endif
