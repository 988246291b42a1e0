/*
 * http: `lakthan serve` — the JSON API of CONTRACT.md on libmicrohttpd.
 *
 * Threads: libmicrohttpd's internal thread pool (epoll) answers requests;
 * each thread opens its own SQLite connection on first use (http_db()), all
 * closed after the daemon stops. A small pool of extraction workers takes
 * uploaded documents whose text_status is "pending" (and, at start, those a
 * previous run left pending) off the request threads.
 *
 * One request, one struct http_req: allocated on the handler's first call,
 * freed only in the completion callback, which also aborts an unfinished
 * upload and writes the access log line. Routing is the table in http.c:
 * {method, path pattern, permission, handler}; authentication, roles
 * (auth_role_may), CSRF and body limits are checked there, once, before any
 * handler runs. Handlers (http_documents.c, http_search.c, http_session.c)
 * answer through http_json()/http_error()/http_respond().
 */
#ifndef LAKTHAN_HTTP_H
#define LAKTHAN_HTTP_H
#include <stdint.h>
#include <sqlite3.h>
#include <jansson.h>
#include <microhttpd.h>
#include "lakthan/auth.h"
#include "lakthan/buf.h"
#include "lakthan/datadir.h"
#include "lakthan/ingest.h"
#include "lakthan/util.h"

struct http_config {
	char addr[64];          /* IPv4 address to listen on */
	unsigned port;
	uint64_t max_upload;    /* bytes of one request body (multipart) */
	unsigned threads;       /* request threads */
	unsigned extractors;    /* extraction workers */
};

/* Run the service on the archive at data until SIGINT or SIGTERM. */
int http_serve(const char *data, const struct http_config *cfg, char *err);

/* --- for the handlers ------------------------------------------------ */

#define HTTP_MAX_JSON (64 * 1024)   /* bytes of a JSON request body */
#define HTTP_MAX_FILES 100          /* file parts of one upload */
#define HTTP_MAX_FIELD 8192         /* bytes of one non-file form field */
#define HTTP_NAME_MAX 128           /* bytes of a {name} path segment */

struct http_upload;   /* multipart state (http_documents.c) */

struct http_req {
	struct MHD_Connection *conn;
	const char *method;
	char *path;                   /* owned copy of the request path */
	const struct http_route *route;
	long long id;                 /* the {id} of the path, 0 when none */
	char name[HTTP_NAME_MAX];     /* the {name} segment of the path, "" when none */
	struct auth_principal who;    /* who asks (role ROLE_NONE: nobody) */
	char cookie[65];              /* the session cookie value, if any */
	struct buf body;              /* a JSON body, capped at HTTP_MAX_JSON */
	struct http_upload *upload;   /* a multipart upload in progress */
	unsigned err_status;          /* an error chosen while reading the body: */
	char err_code[40];            /* sent once the body is drained */
	char err_msg[LK_ERRLEN];
	unsigned status;              /* for the access log */
	uint64_t bytes;
	double start;
	int queued;
};

typedef enum MHD_Result (*http_handler)(struct http_req *rq);

struct http_route {
	const char *method;
	const char *pattern;          /* "/api/documents/{id}/file": {id} is a positive integer */
	enum auth_perm perm;
	int body;                     /* 0 none, 1 JSON, 2 multipart */
	http_handler fn;
};

/* The calling thread's database connection (opened on first use), or NULL
 * when it cannot be opened. */
sqlite3 *http_db(void);

/* The archive as the calling thread sees it (its own connection). */
struct datadir *http_datadir(void);

/* Ingest options of the service (defer_text set). */
const struct ingest_opts *http_ingest_opts(void);

/* Queue document id for text extraction. */
void http_extract_enqueue(long long id);

/* Send obj (stolen) as JSON with status. */
enum MHD_Result http_json(struct http_req *rq, unsigned status, json_t *obj);

/* Send the contract's error object {"error":{"code","message"}}. */
enum MHD_Result http_error(struct http_req *rq, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Send a prepared response (security headers added here; r destroyed). */
enum MHD_Result http_respond(struct http_req *rq, unsigned status, struct MHD_Response *r, uint64_t bytes);

/* Choose an error while the body is still arriving: the rest of the body
 * is read and dropped, then the error is sent. */
void http_fail(struct http_req *rq, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The parsed JSON body (an object), or NULL after answering 400 itself
 * (*answered = the MHD result to return). */
json_t *http_body_object(struct http_req *rq, enum MHD_Result *answered);

/* Refuse a body holding a key outside allowed (NULL-terminated): 0, or -1
 * after answering 400 bad_field into *answered. */
int http_only_keys(struct http_req *rq, json_t *body, const char *const *allowed, enum MHD_Result *answered);

/* A query-string argument, or NULL. */
const char *http_arg(struct http_req *rq, const char *name);

/* Handlers. */
enum MHD_Result http_healthz(struct http_req *rq);
enum MHD_Result http_session_login(struct http_req *rq);
enum MHD_Result http_session_logout(struct http_req *rq);
enum MHD_Result http_session_get(struct http_req *rq);
enum MHD_Result http_years(struct http_req *rq);
enum MHD_Result http_search(struct http_req *rq);
enum MHD_Result http_document_upload(struct http_req *rq);
enum MHD_Result http_document_get(struct http_req *rq);
enum MHD_Result http_document_file(struct http_req *rq);
enum MHD_Result http_document_text(struct http_req *rq);
enum MHD_Result http_document_patch(struct http_req *rq);
enum MHD_Result http_document_withdraw(struct http_req *rq);
enum MHD_Result http_document_audit(struct http_req *rq);
enum MHD_Result http_document_purge(struct http_req *rq);
/* The yearly bundle, streamed (http_export.c). */
enum MHD_Result http_export(struct http_req *rq);

/* The web UI (http_static.c): GET / and GET /assets/<name>, embedded or,
 * after http_static_set_dir() (before http_serve), from that folder. */
enum MHD_Result http_static_index(struct http_req *rq);
enum MHD_Result http_static_asset(struct http_req *rq);
void http_static_set_dir(const char *dir);

/* Links and suggestions (http_links.c). */
enum MHD_Result http_links_get(struct http_req *rq);
enum MHD_Result http_links_add(struct http_req *rq);
enum MHD_Result http_links_remove(struct http_req *rq);
enum MHD_Result http_links_review(struct http_req *rq);
enum MHD_Result http_suggestions(struct http_req *rq);

/* The plan, questions and coverage; plan editing for admins (http_plan.c). */
enum MHD_Result http_plan_get(struct http_req *rq);
enum MHD_Result http_questions(struct http_req *rq);
enum MHD_Result http_question_get(struct http_req *rq);
enum MHD_Result http_coverage(struct http_req *rq);
enum MHD_Result http_plan_year_add(struct http_req *rq);
enum MHD_Result http_plan_issue_add(struct http_req *rq);
enum MHD_Result http_plan_issue_patch(struct http_req *rq);
enum MHD_Result http_plan_measure_add(struct http_req *rq);
enum MHD_Result http_plan_measure_patch(struct http_req *rq);
enum MHD_Result http_plan_measure_delete(struct http_req *rq);
enum MHD_Result http_plan_measure_questions(struct http_req *rq);

/* Accounts, for admins (http_users.c). */
enum MHD_Result http_users_list(struct http_req *rq);
enum MHD_Result http_users_add(struct http_req *rq);
enum MHD_Result http_users_patch(struct http_req *rq);
enum MHD_Result http_users_password(struct http_req *rq);
enum MHD_Result http_users_token(struct http_req *rq);
enum MHD_Result http_users_revoke(struct http_req *rq);

/* Multipart upload plumbing (http_documents.c), called by http.c. */
int http_upload_begin(struct http_req *rq);            /* 0, or -1 after choosing a 400 */
int http_upload_data(struct http_req *rq, const char *data, size_t size);
void http_upload_free(struct http_req *rq);

/* 1 when the (ip, name) pair may try to log in now; record a failure. */
int http_login_allowed(const char *ip, const char *name);
void http_login_failed(const char *ip, const char *name);

#endif
