/*
 * http: the daemon, per-thread databases, routing, authentication, security
 * headers, the access log, the extraction workers and clean shutdown.
 */
#include "lakthan/http.h"
#include "lakthan/db.h"
#include "lakthan/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Every route of the service; the first whose method and pattern match wins. */
static const struct http_route routes[] = {
	{"GET", "/healthz", PERM_PUBLIC, 0, http_healthz},
	{"POST", "/api/session", PERM_PUBLIC, 1, http_session_login},
	{"GET", "/api/session", PERM_READ, 0, http_session_get},
	{"DELETE", "/api/session", PERM_READ, 0, http_session_logout},
	{"GET", "/api/years", PERM_READ, 0, http_years},
	{"GET", "/api/search", PERM_READ, 0, http_search},
	{"POST", "/api/documents", PERM_WRITE, 2, http_document_upload},
	{"GET", "/api/documents/{id}", PERM_READ, 0, http_document_get},
	{"PATCH", "/api/documents/{id}", PERM_WRITE, 1, http_document_patch},
	{"DELETE", "/api/documents/{id}", PERM_WRITE, 1, http_document_withdraw},
	{"GET", "/api/documents/{id}/file", PERM_READ, 0, http_document_file},
	{"GET", "/api/documents/{id}/text", PERM_READ, 0, http_document_text},
	{"GET", "/api/documents/{id}/audit", PERM_REVIEW, 0, http_document_audit},
	{"POST", "/api/documents/{id}/purge", PERM_ADMIN, 1, http_document_purge},
	{"GET", "/api/export", PERM_EXPORT, 0, http_export},
	{"GET", "/api/documents/{id}/links", PERM_READ, 0, http_links_get},
	{"POST", "/api/documents/{id}/links", PERM_WRITE, 1, http_links_add},
	{"DELETE", "/api/documents/{id}/links", PERM_WRITE, 1, http_links_remove},
	{"PATCH", "/api/documents/{id}/links", PERM_REVIEW, 1, http_links_review},
	{"GET", "/api/documents/{id}/suggestions", PERM_READ, 0, http_suggestions},
	{"GET", "/api/plan", PERM_READ, 0, http_plan_get},
	{"GET", "/api/questions", PERM_READ, 0, http_questions},
	{"GET", "/api/questions/{name}", PERM_READ, 0, http_question_get},
	{"GET", "/api/coverage", PERM_READ, 0, http_coverage},
	{"POST", "/api/plan/years", PERM_ADMIN, 1, http_plan_year_add},
	{"POST", "/api/plan/issues", PERM_ADMIN, 1, http_plan_issue_add},
	{"PATCH", "/api/plan/issues/{id}", PERM_ADMIN, 1, http_plan_issue_patch},
	{"POST", "/api/plan/measures", PERM_ADMIN, 1, http_plan_measure_add},
	{"PATCH", "/api/plan/measures/{name}", PERM_ADMIN, 1, http_plan_measure_patch},
	{"DELETE", "/api/plan/measures/{name}", PERM_ADMIN, 1, http_plan_measure_delete},
	{"PUT", "/api/plan/measures/{name}/questions", PERM_ADMIN, 1, http_plan_measure_questions},
	{"GET", "/api/users", PERM_ADMIN, 0, http_users_list},
	{"POST", "/api/users", PERM_ADMIN, 1, http_users_add},
	{"PATCH", "/api/users/{name}", PERM_ADMIN, 1, http_users_patch},
	{"POST", "/api/users/{name}/password", PERM_ADMIN, 1, http_users_password},
	{"POST", "/api/users/{name}/tokens", PERM_ADMIN, 1, http_users_token},
	{"DELETE", "/api/users/{name}/tokens", PERM_ADMIN, 1, http_users_revoke},
	{"GET", "/", PERM_PUBLIC, 0, http_static_index},
	{"GET", "/assets/*", PERM_PUBLIC, 0, http_static_asset},
};

#define MAX_URL 2048

/* The service's shared state. */
static struct {
	char *data;                    /* archive directory */
	char *dbpath;
	struct blobstore blobs;        /* shared: the store keeps only its root */
	struct ingest_opts iopts;
	struct http_config cfg;
	pthread_mutex_t lock;          /* guards conns, queue, inflight */
	sqlite3 **conns;               /* every per-thread connection, closed at exit */
	size_t nconns;
	long long *queue;              /* document ids awaiting extraction */
	size_t nqueue, aqueue;
	pthread_cond_t queue_cond;
	int stopping;
	long inflight;                 /* requests between first call and completion */
} srv = {.lock = PTHREAD_MUTEX_INITIALIZER, .queue_cond = PTHREAD_COND_INITIALIZER};

static __thread sqlite3 *tls_db;
static __thread struct datadir tls_dd;

sqlite3 *http_db(void)
{
	if (tls_db)
		return tls_db;
	char err[LK_ERRLEN];
	sqlite3 *db;
	if (db_open(srv.dbpath, &db, err) != 0) {
		fprintf(stderr, "lakthan: serve: cannot open the database: %s\n", err);
		return NULL;
	}
	pthread_mutex_lock(&srv.lock);
	srv.conns = lk_realloc(srv.conns, (srv.nconns + 1) * sizeof *srv.conns);
	srv.conns[srv.nconns++] = db;
	pthread_mutex_unlock(&srv.lock);
	tls_db = db;
	return db;
}

struct datadir *http_datadir(void)
{
	if (!http_db())
		return NULL;
	tls_dd.path = srv.data;
	tls_dd.db = tls_db;
	tls_dd.blobs = srv.blobs;
	return &tls_dd;
}

const struct ingest_opts *http_ingest_opts(void)
{
	return &srv.iopts;
}

void http_extract_enqueue(long long id)
{
	pthread_mutex_lock(&srv.lock);
	if (srv.nqueue == srv.aqueue) {
		srv.aqueue = srv.aqueue ? srv.aqueue * 2 : 64;
		srv.queue = lk_realloc(srv.queue, srv.aqueue * sizeof *srv.queue);
	}
	srv.queue[srv.nqueue++] = id;
	pthread_cond_signal(&srv.queue_cond);
	pthread_mutex_unlock(&srv.lock);
}

/* Extraction worker: take pending documents off the queue until stopped.
 * A document left pending by a stop is picked up again at the next start. */
static void *extract_worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&srv.lock);
		while (!srv.stopping && srv.nqueue == 0)
			pthread_cond_wait(&srv.queue_cond, &srv.lock);
		if (srv.stopping) {
			pthread_mutex_unlock(&srv.lock);
			break;
		}
		long long id = srv.queue[0];
		memmove(srv.queue, srv.queue + 1, (srv.nqueue - 1) * sizeof *srv.queue);
		srv.nqueue--;
		pthread_mutex_unlock(&srv.lock);
		char err[LK_ERRLEN];
		struct datadir *dd = http_datadir();
		if (dd && ingest_extract_pending(dd, &srv.iopts, id, err) != 0)
			fprintf(stderr, "lakthan: serve: text of document %lld: %s\n", id, err);
	}
	return NULL;
}

/* Headers every response carries; a file download sets its own CSP (and,
 * for a PDF or image framed by the document page, X-Frame-Options) first. */
static void security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (!MHD_get_response_header(r, "X-Frame-Options"))
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (!MHD_get_response_header(r, "Content-Security-Policy"))
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
					" frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	if (!MHD_get_response_header(r, "Cache-Control"))
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

enum MHD_Result http_respond(struct http_req *rq, unsigned status, struct MHD_Response *r, uint64_t bytes)
{
	if (!r)
		return MHD_NO;
	security_headers(r);
	rq->status = status;
	rq->bytes = bytes;
	rq->queued = 1;
	enum MHD_Result ret = MHD_queue_response(rq->conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result http_json(struct http_req *rq, unsigned status, json_t *obj)
{
	char *s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!s)
		s = lk_strdup("{}");
	size_t n = strlen(s);
	struct MHD_Response *r = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	return http_respond(rq, status, r, n);
}

/* The error object, from a message in a buffer. */
static enum MHD_Result send_error(struct http_req *rq, unsigned status, const char *code, const char *msg)
{
	json_t *o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	if (!o)   /* a message that is not UTF-8 (a name the client sent) */
		o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", "invalid request");
	return http_json(rq, status, o);
}

enum MHD_Result http_error(struct http_req *rq, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[LK_ERRLEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return send_error(rq, status, code, msg);
}

void http_fail(struct http_req *rq, unsigned status, const char *code, const char *fmt, ...)
{
	if (rq->err_status)
		return;   /* the first error is the one the client hears about */
	rq->err_status = status;
	snprintf(rq->err_code, sizeof rq->err_code, "%s", code);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rq->err_msg, sizeof rq->err_msg, fmt, ap);
	va_end(ap);
}

json_t *http_body_object(struct http_req *rq, enum MHD_Result *answered)
{
	json_error_t je;
	json_t *o = rq->body.len ? json_loadb(rq->body.data, rq->body.len, 0, &je) : NULL;
	if (!o || !json_is_object(o)) {
		json_decref(o);
		*answered = http_error(rq, 400, "bad_json", "the request body must be a JSON object");
		return NULL;
	}
	return o;
}

int http_only_keys(struct http_req *rq, json_t *body, const char *const *allowed, enum MHD_Result *answered)
{
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v) {
		int ok = 0;
		for (int i = 0; allowed[i]; i++)
			ok |= strcmp(k, allowed[i]) == 0;
		if (!ok) {
			*answered = http_error(rq, 400, "bad_field", "unknown field '%.64s'", k);
			return -1;
		}
	}
	return 0;
}

const char *http_arg(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* 1 when pattern matches path; the {id} segment goes to *id, {name} to
 * name, a trailing *
 * any non-empty rest. */
static int route_match(const char *pattern, const char *path, long long *id, char name[HTTP_NAME_MAX])
{
	*id = 0;
	name[0] = '\0';
	while (*pattern && *path) {
		/* {name}: one non-empty segment (a measure or question code, an
		 * account), already percent-decoded */
		if (strncmp(pattern, "{name}", 6) == 0) {
			size_t n = strcspn(path, "/");
			if (!n || n >= HTTP_NAME_MAX)
				return 0;
			memcpy(name, path, n);
			name[n] = '\0';
			path += n;
			pattern += 6;
			continue;
		}
		if (strcmp(pattern, "*") == 0)
			return 1;   /* a trailing * matches the (non-empty) rest */
		if (strncmp(pattern, "{id}", 4) == 0) {
			long long v = 0;
			int digits = 0;
			while (*path >= '0' && *path <= '9' && digits < 15) {
				v = v * 10 + (*path++ - '0');
				digits++;
			}
			if (!digits || v <= 0 || (*path && *path != '/'))
				return 0;
			*id = v;
			pattern += 4;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return !*pattern && !*path;
}

/* Why a path is refused before routing, or NULL when it is fine. */
static const char *bad_path(const char *path)
{
	if (path[0] != '/')
		return "the path must start with /";
	if (strstr(path, "%00"))
		return "the path holds an encoded NUL byte";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return "the path holds a control character or a backslash";
	if (strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../"))
		return "the path holds an empty, '.' or '..' segment";
	size_t n = strlen(path);
	if ((n >= 2 && strcmp(path + n - 2, "/.") == 0) || (n >= 3 && strcmp(path + n - 3, "/..") == 0))
		return "the path holds a '.' or '..' segment";
	return NULL;
}

/*
 * Percent-decode a URI in place, except %00: decoding it would cut the C
 * string and make "/api/documents/1%00.html" read as "/api/documents/1".
 * Left encoded, bad_path() refuses it.
 */
static size_t unescape(void *cls, struct MHD_Connection *c, char *uri)
{
	(void)cls;
	(void)c;
	char *w = uri;
	for (const char *r = uri; *r;) {
		if (r[0] == '%' && r[1] && r[2] && strncmp(r, "%00", 3) != 0) {
			char hex[3] = {r[1], r[2], 0};
			char *end;
			long v = strtol(hex, &end, 16);
			if (*end == '\0' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
				*w++ = (char)v;
				r += 3;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - uri);
}

/* Who is asking: bearer token, else session cookie. 0 when nobody (or a
 * credential that does not work). */
static int authenticate(struct http_req *rq, sqlite3 *db)
{
	const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Authorization");
	if (h) {
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return 0;
		h += 7;
		while (*h == ' ')
			h++;
		return auth_bearer_lookup(db, h, &rq->who);
	}
	const char *c = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "lakthan_session");
	if (!c || strlen(c) != 64)
		return 0;
	snprintf(rq->cookie, sizeof rq->cookie, "%s", c);
	return auth_session_lookup(db, c, &rq->who);
}

/* Declared length of the body, or -1 when unknown (chunked) or none. */
static long long content_length(struct http_req *rq)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Content-Length");
	if (!v)
		return -1;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	return (errno || *end || n < 0) ? -1 : n;
}

/* Everything decided before the body: route, credentials, role, CSRF, size.
 * Returns 0 to go on, or an HTTP status already chosen with http_fail(). */
static unsigned admit(struct http_req *rq)
{
	const char *why = bad_path(rq->path);
	if (strlen(rq->path) > MAX_URL) {
		http_fail(rq, 414, "uri_too_long", "the path is longer than %d bytes", MAX_URL);
		return 414;
	}
	if (why) {
		http_fail(rq, 400, "bad_path", "%s", why);
		return 400;
	}
	int path_known = 0;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		long long id;
		char name[HTTP_NAME_MAX];
		if (!route_match(routes[i].pattern, rq->path, &id, name))
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, rq->method) == 0) {
			rq->route = &routes[i];
			rq->id = id;
			snprintf(rq->name, sizeof rq->name, "%s", name);
			break;
		}
	}
	if (!rq->route) {
		if (path_known)
			http_fail(rq, 405, "method_not_allowed", "%s is not allowed on %s", rq->method, rq->path);
		else
			http_fail(rq, 404, "not_found", "no such resource: %s", rq->path);
		return rq->err_status;
	}
	if (rq->route->perm != PERM_PUBLIC) {
		sqlite3 *db = http_db();
		if (!db) {
			http_fail(rq, 503, "unavailable", "the archive cannot be opened");
			return 503;
		}
		if (!authenticate(rq, db)) {
			http_fail(rq, 401, "unauthenticated", "log in (POST /api/session) or send Authorization: Bearer <token>");
			return 401;
		}
		if (!auth_role_may(rq->who.role, rq->route->perm)) {
			http_fail(rq, 403, "forbidden", "the role %s may not do this", auth_role_name(rq->who.role));
			return 403;
		}
		if (rq->who.via_cookie && strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
			const char *t = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
			if (!t || !auth_equal(t, rq->who.csrf)) {
				http_fail(rq, 403, "csrf", "a change made with a session cookie needs the X-CSRF-Token header");
				return 403;
			}
		}
	}
	long long len = content_length(rq);
	if (rq->route->body == 2) {
		if (len >= 0 && (uint64_t)len > srv.cfg.max_upload) {
			http_fail(rq, 413, "too_large", "the upload is larger than the limit of %llu MiB",
				  (unsigned long long)(srv.cfg.max_upload >> 20));
			return 413;
		}
		if (http_upload_begin(rq) != 0)
			return rq->err_status;
	} else if (rq->route->body == 1 && len > HTTP_MAX_JSON) {
		http_fail(rq, 413, "too_large", "a JSON body may be at most %d bytes", HTTP_MAX_JSON);
		return 413;
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *data, size_t *size, void **req_cls)
{
	(void)cls;
	(void)version;
	struct http_req *rq = *req_cls;
	if (!rq) {
		rq = lk_calloc(1, sizeof *rq);
		rq->conn = conn;
		rq->method = method;
		rq->path = lk_strdup(url);
		rq->start = now_ms();
		buf_init(&rq->body, HTTP_MAX_JSON);
		*req_cls = rq;
		pthread_mutex_lock(&srv.lock);
		srv.inflight++;
		pthread_mutex_unlock(&srv.lock);
		/* an error with a body on its way is answered now, so a refused
		 * 1 GB upload is never read; everything else is answered on a
		 * later call, which keeps the connection alive (0.9.75) */
		if (admit(rq) != 0 && content_length(rq) > 0)
			return send_error(rq, rq->err_status, rq->err_code, rq->err_msg);
		return MHD_YES;
	}
	if (rq->queued)
		return MHD_YES;
	if (*size) {
		if (!rq->err_status && rq->route) {
			if (rq->route->body == 2)
				http_upload_data(rq, data, *size);
			else if (rq->route->body == 1 && buf_append(&rq->body, data, *size) != 0)
				http_fail(rq, 413, "too_large", "a JSON body may be at most %d bytes", HTTP_MAX_JSON);
		}
		*size = 0;
		return MHD_YES;
	}
	if (rq->err_status)
		return send_error(rq, rq->err_status, rq->err_code, rq->err_msg);
	return rq->route->fn(rq);
}

/* The end of a request, however it ended: log it, free it, drop an
 * unfinished upload so a client that went away leaves nothing behind. */
static void completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	struct http_req *rq = *req_cls;
	if (!rq)
		return;
	char now[32];
	lk_now_iso(now);
	fprintf(stderr, "%s %s %s %u %llu %.1fms %s%s\n", now, rq->method, rq->path, rq->queued ? rq->status : 0,
		(unsigned long long)rq->bytes, now_ms() - rq->start, rq->who.name[0] ? rq->who.name : "-",
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	http_upload_free(rq);
	buf_release(&rq->body);
	free(rq->path);
	free(rq);
	*req_cls = NULL;
	pthread_mutex_lock(&srv.lock);
	srv.inflight--;
	pthread_mutex_unlock(&srv.lock);
}

/* Queue every document a previous run left without its text. */
static void resume_pending(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM document WHERE text_status = 'pending' ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		http_extract_enqueue(sqlite3_column_int64(st, 0));
		n++;
	}
	sqlite3_finalize(st);
	if (n)
		fprintf(stderr, "lakthan: serve: %d document(s) still waiting for text extraction: resumed\n", n);
}

int http_serve(const char *data, const struct http_config *cfg, char *err)
{
	struct datadir dd;
	struct MHD_Daemon *d = NULL;
	pthread_t *workers = NULL;
	unsigned nworkers = 0;
	int rc = -1;
	if (datadir_open(&dd, data, err) != 0)
		return -1;
	srv.data = dd.path;
	srv.dbpath = lk_asprintf("%s/lakthan.db", dd.path);
	srv.blobs = dd.blobs;
	srv.cfg = *cfg;
	ingest_opts_default(&srv.iopts);
	srv.iopts.defer_text = 1;

	/* epoll lifts select's 1024 limit; let the process use the fds it may */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* SIGINT/SIGTERM are taken by sigwait() below; every thread started
	 * from here on inherits the mask */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	resume_pending(dd.db);
	workers = lk_calloc(cfg->extractors, sizeof *workers);
	for (; nworkers < cfg->extractors; nworkers++)
		if (pthread_create(&workers[nworkers], NULL, extract_worker, NULL) != 0)
			break;

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->addr, &sa.sin_addr) != 1) {
		lk_errf(err, "cannot listen on %s: not an IPv4 address", cfg->addr);
		goto out;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
			     (uint16_t)cfg->port, NULL, NULL, handle, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4096,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
			     MHD_OPTION_END);
	if (!d) {
		lk_errf(err, "cannot listen on %s:%u: %s", cfg->addr, cfg->port, strerror(errno));
		goto out;
	}
	printf("lakthan: serving %s on http://%s:%u/\n", dd.path, cfg->addr, cfg->port);
	fflush(stdout);
	int sig = 0;
	sigwait(&sigs, &sig);
	fprintf(stderr, "lakthan: serve: %s: finishing requests in progress\n", strsignal(sig));
	/* stop accepting, let requests in flight finish (at most 30 s), then stop */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 300; i++) {
		pthread_mutex_lock(&srv.lock);
		long busy = srv.inflight;
		pthread_mutex_unlock(&srv.lock);
		if (!busy)
			break;
		usleep(100 * 1000);
	}
	rc = 0;
out:
	if (d)
		MHD_stop_daemon(d);
	pthread_mutex_lock(&srv.lock);
	srv.stopping = 1;
	pthread_cond_broadcast(&srv.queue_cond);
	pthread_mutex_unlock(&srv.lock);
	for (unsigned i = 0; i < nworkers; i++)
		pthread_join(workers[i], NULL);
	free(workers);
	for (size_t i = 0; i < srv.nconns; i++)
		sqlite3_close(srv.conns[i]);
	free(srv.conns);
	free(srv.queue);
	free(srv.dbpath);
	datadir_close(&dd);
	if (rc == 0)
		fprintf(stderr, "lakthan: serve: stopped\n");
	return rc;
}
