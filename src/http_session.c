/* http_session: log in, log out, who am I — and the login rate limit. */
#include "lakthan/http.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * Failed logins per (client address, user name): LOGIN_MAX_FAILURES within
 * LOGIN_WINDOW seconds block that pair until the window ends. Keyed by the
 * pair, not the address alone, so one guesser cannot lock out an office
 * behind one NAT address, nor the name alone, so nobody can lock a user out
 * from elsewhere. A fixed table: a flood of names evicts old slots, never
 * grows memory.
 */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_WINDOW 300
#define LOGIN_SLOTS 4096

static struct {
	uint64_t key;
	time_t start;
	int failures;
} slots[LOGIN_SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a of "ip\nname". */
static uint64_t pair_key(const char *ip, const char *name)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '\n') * 1099511628211ULL;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h | 1;
}

int http_login_allowed(const char *ip, const char *name)
{
	uint64_t k = pair_key(ip, name);
	time_t now = time(NULL);
	pthread_mutex_lock(&slots_lock);
	int ok = 1;
	size_t i = k % LOGIN_SLOTS;
	if (slots[i].key == k && now - slots[i].start < LOGIN_WINDOW && slots[i].failures >= LOGIN_MAX_FAILURES)
		ok = 0;
	pthread_mutex_unlock(&slots_lock);
	return ok;
}

void http_login_failed(const char *ip, const char *name)
{
	uint64_t k = pair_key(ip, name);
	time_t now = time(NULL);
	pthread_mutex_lock(&slots_lock);
	size_t i = k % LOGIN_SLOTS;
	if (slots[i].key != k || now - slots[i].start >= LOGIN_WINDOW) {
		slots[i].key = k;
		slots[i].start = now;
		slots[i].failures = 0;
	}
	slots[i].failures++;
	pthread_mutex_unlock(&slots_lock);
}

/* The client's address as text into out. */
static void client_ip(struct http_req *rq, char out[64])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, 64, "?");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out, 64);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out, 64);
}

/* POST /api/session {"username","password"} → 200 {user, role, csrf} and
 * the session cookie; 401 on a wrong pair, 429 after too many. */
enum MHD_Result http_session_login(struct http_req *rq)
{
	enum MHD_Result ans;
	json_t *o = http_body_object(rq, &ans);
	if (!o)
		return ans;
	const char *name = json_string_value(json_object_get(o, "username"));
	const char *pw = json_string_value(json_object_get(o, "password"));
	if (!name || !pw || !*name || strlen(name) > AUTH_NAME_MAX || strlen(pw) > AUTH_PASSWORD_MAX) {
		json_decref(o);
		return http_error(rq, 400, "bad_request", "username and password are required strings");
	}
	char ip[64];
	client_ip(rq, ip);
	if (!http_login_allowed(ip, name)) {
		json_decref(o);
		struct MHD_Response *r;
		json_t *e = json_pack("{s:{s:s, s:s}}", "error", "code", "too_many_attempts", "message",
				      "too many failed logins: try again in a few minutes");
		char *s = json_dumps(e, JSON_COMPACT);
		json_decref(e);
		size_t n = strlen(s);
		r = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
		MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
		MHD_add_response_header(r, "Retry-After", "300");
		return http_respond(rq, 429, r, n);
	}
	sqlite3 *db = http_db();
	char token[65], err[LK_ERRLEN];
	struct auth_principal who;
	enum auth_login_status st = db ? auth_login(db, name, pw, token, &who, err) : AUTH_LOGIN_ERROR;
	if (st == AUTH_LOGIN_BAD)
		http_login_failed(ip, name);
	json_decref(o);
	if (st == AUTH_LOGIN_BAD)
		return http_error(rq, 401, "bad_credentials", "wrong user name or password");
	if (st != AUTH_LOGIN_OK)
		return http_error(rq, 500, "internal", "cannot log in now");
	rq->who = who;
	json_t *res = json_pack("{s:s, s:s, s:s}", "user", who.name, "role", auth_role_name(who.role), "csrf", who.csrf);
	char *s = json_dumps(res, JSON_COMPACT);
	json_decref(res);
	size_t n = strlen(s);
	struct MHD_Response *r = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
	char cookie[160];
	snprintf(cookie, sizeof cookie, "lakthan_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
		 token, AUTH_SESSION_SECONDS);
	MHD_add_response_header(r, "Set-Cookie", cookie);
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	return http_respond(rq, 200, r, n);
}

/* GET /api/session → who is logged in (and the CSRF token of the session). */
enum MHD_Result http_session_get(struct http_req *rq)
{
	json_t *o = json_pack("{s:s, s:s}", "user", rq->who.name, "role", auth_role_name(rq->who.role));
	if (rq->who.via_cookie)
		json_object_set_new(o, "csrf", json_string(rq->who.csrf));
	return http_json(rq, 200, o);
}

/* DELETE /api/session → the session ends; the cookie is cleared. */
enum MHD_Result http_session_logout(struct http_req *rq)
{
	char err[LK_ERRLEN];
	if (rq->who.via_cookie && auth_logout(http_db(), rq->cookie, err) != 0)
		return http_error(rq, 500, "internal", "cannot log out now");
	char *s = lk_strdup("{\"ok\":true}");
	size_t n = strlen(s);
	struct MHD_Response *r = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Set-Cookie", "lakthan_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	return http_respond(rq, 200, r, n);
}
