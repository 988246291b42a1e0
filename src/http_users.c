/*
 * http_users: account management for admins — list, create, change role or
 * disable, reset a password, issue an API token, revoke every token.
 *
 * Each change is one auth_* call: one transaction with its audit record,
 * the admin's name as the actor. Passwords and tokens never appear in a
 * response except the new token, once.
 */
#include "lakthan/http.h"

#include <string.h>

/* The answer to an auth_* failure rc (enum lk_fail) with its message err:
 * only the database or the system failing is a 500. */
static enum MHD_Result user_error(struct http_req *rq, int rc, const char *err)
{
	switch (rc) {
	case LK_INTERNAL:
		return http_error(rq, 500, "internal", "%s", err);
	case LK_NOT_FOUND:
		return http_error(rq, 404, "not_found", "%s", err);
	case LK_CONFLICT:
		return http_error(rq, 409, "conflict", "%s", err);
	default:
		return http_error(rq, 400, "bad_request", "%s", err);
	}
}

/* GET /api/users → {"users":[{name,role,created_at,disabled,tokens}]}. */
enum MHD_Result http_users_list(struct http_req *rq)
{
	char err[LK_ERRLEN];
	json_t *a = auth_user_list(http_db(), err);
	return a ? http_json(rq, 200, json_pack("{s:o}", "users", a)) : http_error(rq, 500, "internal", "%s", err);
}

/* POST /api/users {"name","role","password"} → 201 {"name","role"}. */
enum MHD_Result http_users_add(struct http_req *rq)
{
	static const char *const keys[] = {"name", "role", "password", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	const char *name = json_string_value(json_object_get(b, "name"));
	const char *role = json_string_value(json_object_get(b, "role"));
	const char *pw = json_string_value(json_object_get(b, "password"));
	if (http_only_keys(rq, b, keys, &ans) != 0)
		goto out;
	if (!name || !role || !pw) {
		ans = http_error(rq, 400, "bad_field", "give \"name\", \"role\" (admin, staff, assessor, archivist) and \"password\" as strings");
		goto out;
	}
	enum auth_role r = auth_role_parse(role);
	int rc = auth_user_add(http_db(), name, r, pw, rq->who.name, err);
	if (rc != 0)
		ans = user_error(rq, rc, err);
	else
		ans = http_json(rq, 201, json_pack("{s:s, s:s}", "name", name, "role", auth_role_name(r)));
out:
	json_decref(b);
	return ans;
}

/* PATCH /api/users/{name} {"role"?, "disabled"?} → 200 the account. A
 * change that would leave no enabled admin is a 409. */
enum MHD_Result http_users_patch(struct http_req *rq)
{
	static const char *const keys[] = {"role", "disabled", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	json_t *role = json_object_get(b, "role"), *dis = json_object_get(b, "disabled");
	int rc = 0;
	if (http_only_keys(rq, b, keys, &ans) != 0)
		goto out;
	if ((!role && !dis) || (role && !json_is_string(role)) || (dis && !json_is_boolean(dis))) {
		ans = http_error(rq, 400, "bad_field", "give \"role\" (a string) and/or \"disabled\" (true or false)");
		goto out;
	}
	if (role)
		rc = auth_user_set_role(http_db(), rq->name, auth_role_parse(json_string_value(role)), rq->who.name, err);
	if (rc == 0 && dis)
		rc = auth_user_set_disabled(http_db(), rq->name, json_is_true(dis), rq->who.name, err);
	if (rc != 0) {
		ans = user_error(rq, rc, err);
		goto out;
	}
	json_t *all = auth_user_list(http_db(), err), *u, *found = NULL;
	size_t i;
	json_array_foreach(all, i, u)
		if (strcmp(json_string_value(json_object_get(u, "name")), rq->name) == 0)
			found = json_incref(u);
	json_decref(all);
	ans = found ? http_json(rq, 200, found) : http_error(rq, 500, "internal", "the account vanished");
out:
	json_decref(b);
	return ans;
}

/* POST /api/users/{name}/password {"password"} → 200; the account's
 * sessions end. */
enum MHD_Result http_users_password(struct http_req *rq)
{
	static const char *const keys[] = {"password", NULL};
	enum MHD_Result ans;
	char err[LK_ERRLEN];
	json_t *b = http_body_object(rq, &ans);
	if (!b)
		return ans;
	const char *pw = json_string_value(json_object_get(b, "password"));
	int rc;
	if (http_only_keys(rq, b, keys, &ans) != 0)
		goto out;
	if (!pw) {
		ans = http_error(rq, 400, "bad_field", "\"password\" must be a string");
		goto out;
	}
	rc = auth_user_set_password(http_db(), rq->name, pw, rq->who.name, err);
	if (rc != 0)
		ans = user_error(rq, rc, err);
	else
		ans = http_json(rq, 200, json_pack("{s:s, s:b}", "name", rq->name, "password_changed", 1));
out:
	json_decref(b);
	return ans;
}

/* POST /api/users/{name}/tokens → 201 {"name","token"}: shown this once. */
enum MHD_Result http_users_token(struct http_req *rq)
{
	char err[LK_ERRLEN], token[65];
	int rc = auth_token_new(http_db(), rq->name, rq->who.name, token, err);
	if (rc != 0)
		return user_error(rq, rc, err);
	return http_json(rq, 201, json_pack("{s:s, s:s}", "name", rq->name, "token", token));
}

/* DELETE /api/users/{name}/tokens → 200 {"revoked":n}: every API token of
 * the account stops working and its sessions end. */
enum MHD_Result http_users_revoke(struct http_req *rq)
{
	char err[LK_ERRLEN];
	long long n;
	int rc = auth_tokens_revoke(http_db(), rq->name, rq->who.name, &n, err);
	if (rc != 0)
		return user_error(rq, rc, err);
	return http_json(rq, 200, json_pack("{s:s, s:I}", "name", rq->name, "revoked", (json_int_t)n));
}
