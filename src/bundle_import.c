/*
 * bundle_import: `lakthan import-bundle` — verify a yearly bundle as a BagIt
 * bag, then restore it into an empty archive.
 *
 * Two passes over the ZIP, both streaming: the first hashes every entry
 * (SHA-256 and SHA-512) and keeps only the small tag and metadata files in
 * memory, so the bag is checked completely before anything is written; the
 * second streams the document files into the blob store. Rows are written in
 * one transaction after every blob is durable (the blob store's rule); if
 * anything fails, the blobs this import created are removed again. A purged
 * document has no file in the bag and comes back as its row alone.
 */
#include "lakthan/bundle.h"
#include "lakthan/audit.h"
#include "lakthan/buf.h"
#include "lakthan/db.h"
#include "lakthan/ingest.h"
#include "lakthan/plan.h"
#include "lakthan/util.h"
#include "lakthan/versions.h"

#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>
#include <strings.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SMALL_MAX (256u << 20)   /* cap of one tag or metadata file held in memory */

/* What pass 1 learned about one entry. */
struct item {
	char *rel;          /* path below the bag root */
	char sha256[65];
	char sha512[129];
	uint64_t size;
	int checked;        /* listed by a manifest */
};

struct bag {
	char root[64];      /* "ita-2567/" */
	struct item *v;
	size_t n;
	struct buf bagit, info, man256, man512, tag256, plan, docs, audit;
};

static void bag_release(struct bag *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].rel);
	free(b->v);
	struct buf *bufs[] = {&b->bagit, &b->info, &b->man256, &b->man512, &b->tag256, &b->plan, &b->docs, &b->audit};
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		buf_release(bufs[i]);
}

/* Lower-case hex of a digest. */
static void hexify(const unsigned char *md, unsigned n, char *out)
{
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The buffer that keeps rel in memory, or NULL for a file only hashed. */
static struct buf *keep_for(struct bag *b, const char *rel)
{
	static const struct { const char *name; size_t off; } keep[] = {
		{"bagit.txt", offsetof(struct bag, bagit)},
		{"bag-info.txt", offsetof(struct bag, info)},
		{"manifest-sha256.txt", offsetof(struct bag, man256)},
		{"manifest-sha512.txt", offsetof(struct bag, man512)},
		{"tagmanifest-sha256.txt", offsetof(struct bag, tag256)},
		{"data/plan.json", offsetof(struct bag, plan)},
		{"data/documents.json", offsetof(struct bag, docs)},
		{"data/audit.jsonl", offsetof(struct bag, audit)},
	};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (strcmp(rel, keep[i].name) == 0)
			return (struct buf *)((char *)b + keep[i].off);
	return NULL;
}

/* Why an entry name is unacceptable, or NULL. */
static const char *bad_name(const char *name)
{
	if (!*name || name[0] == '/' || strchr(name, '\\'))
		return "an absolute name or a backslash";
	if (!lk_utf8_valid(name, strlen(name)))
		return "a name that is not UTF-8";
	for (const char *p = name; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return "a '.' or '..' segment";
		p += n + (e ? 1 : 0);
	}
	return NULL;
}

/* Open the ZIP for reading. */
static struct archive *open_zip(const char *path, char *err)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	archive_read_set_options(a, "hdrcharset=UTF-8");
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		lk_errf(err, "%s: %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* The path of an entry as UTF-8, whatever the locale. */
static const char *entry_name(struct archive_entry *ae)
{
	const char *n = archive_entry_pathname_utf8(ae);
	return n ? n : archive_entry_pathname(ae);
}

/* Pass 1: hash every entry, keep the small files. */
static int pass_hash(const char *path, struct bag *b, char *err)
{
	struct archive *a = open_zip(path, err);
	if (!a)
		return -1;
	struct archive_entry *ae;
	unsigned char *blk = lk_malloc(256 * 1024);
	int rc = -1, r;
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		const char *name = entry_name(ae);
		if (!name) {
			lk_errf(err, "an entry without a name");
			goto out;
		}
		if (archive_entry_filetype(ae) == AE_IFDIR)
			continue;
		const char *why = bad_name(name);
		if (why || archive_entry_filetype(ae) != AE_IFREG) {
			lk_errf(err, "%s: refused (%s)", name, why ? why : "not a regular file");
			goto out;
		}
		const char *slash = strchr(name, '/');
		if (!slash || (size_t)(slash - name + 1) >= sizeof b->root) {
			lk_errf(err, "%s: not inside the bag's folder (ita-<year>/)", name);
			goto out;
		}
		if (!b->root[0])
			snprintf(b->root, sizeof b->root, "%.*s", (int)(slash - name + 1), name);
		else if (strncmp(name, b->root, strlen(b->root)) != 0) {
			lk_errf(err, "%s: outside the bag's folder %s", name, b->root);
			goto out;
		}
		const char *rel = name + strlen(b->root);
		for (size_t i = 0; i < b->n; i++)
			if (strcmp(b->v[i].rel, rel) == 0) {
				lk_errf(err, "%s: appears twice in the bundle", name);
				goto out;
			}
		b->v = lk_realloc(b->v, (b->n + 1) * sizeof *b->v);
		struct item *it = &b->v[b->n++];
		memset(it, 0, sizeof *it);
		it->rel = lk_strdup(rel);
		struct buf *keep = keep_for(b, rel);
		EVP_MD_CTX *h2 = EVP_MD_CTX_new(), *h5 = EVP_MD_CTX_new();
		EVP_DigestInit_ex(h2, EVP_sha256(), NULL);
		EVP_DigestInit_ex(h5, EVP_sha512(), NULL);
		la_ssize_t n;
		int bad = 0;
		while ((n = archive_read_data(a, blk, 256 * 1024)) > 0) {
			EVP_DigestUpdate(h2, blk, (size_t)n);
			EVP_DigestUpdate(h5, blk, (size_t)n);
			it->size += (uint64_t)n;
			if (keep && !bad && (it->size > SMALL_MAX || buf_append(keep, blk, (size_t)n) != 0))
				bad = 1;
		}
		unsigned char md[64];
		unsigned len;
		EVP_DigestFinal_ex(h2, md, &len);
		hexify(md, len, it->sha256);
		EVP_DigestFinal_ex(h5, md, &len);
		hexify(md, len, it->sha512);
		EVP_MD_CTX_free(h2);
		EVP_MD_CTX_free(h5);
		if (n < 0) {
			lk_errf(err, "%s: cannot be read: %s", name, archive_error_string(a));
			goto out;
		}
		if (bad) {
			lk_errf(err, "%s: larger than %u MiB", name, SMALL_MAX >> 20);
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		lk_errf(err, "%s: %s", path, archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	free(blk);
	archive_read_free(a);
	return rc;
}

/* The item named rel, or NULL. */
static struct item *find_item(struct bag *b, const char *rel)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i].rel, rel) == 0)
			return &b->v[i];
	return NULL;
}

/* Check every line of a manifest ("<hex>  <path>") against the entries. */
static int check_manifest(struct bag *b, const char *mname, struct buf *m, size_t hexlen, int payload, char *err)
{
	char *s = m->data ? m->data : "";
	int lineno = 0;
	while (*s) {
		char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *line = lk_strndup(s, n);
		lineno++;
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		s += n + (nl ? 1 : 0) + (nl && s[n] == '\r');
		if (!n) {
			free(line);
			continue;
		}
		char *sp = strchr(line, ' ');
		if (!sp || (size_t)(sp - line) != hexlen) {
			lk_errf(err, "%s line %d: not \"<checksum>  <path>\"", mname, lineno);
			free(line);
			return -1;
		}
		*sp = '\0';
		char *p = sp + 1;
		while (*p == ' ' || *p == '*')
			p++;
		struct item *it = find_item(b, p);
		if (!it) {
			lk_errf(err, "%s lists %s, which the bundle lacks", mname, p);
			free(line);
			return -1;
		}
		if (strcasecmp(line, hexlen == 64 ? it->sha256 : it->sha512) != 0) {
			lk_errf(err, "%s: its checksum does not match %s: the file was changed or damaged", p, mname);
			free(line);
			return -1;
		}
		if (payload)
			it->checked = 1;
		free(line);
	}
	return 0;
}

/* The bag checks of RFC 8493: declaration, manifests, completeness, oxum. */
static int verify_bag(struct bag *b, char *err)
{
	if (!find_item(b, "bagit.txt") || !strstr(b->bagit.data ? b->bagit.data : "", "BagIt-Version:"))
		return lk_errf(err, "not a BagIt bag: %sbagit.txt is missing or has no BagIt-Version", b->root);
	if (!find_item(b, "manifest-sha256.txt"))
		return lk_errf(err, "the bag has no manifest-sha256.txt");
	if (check_manifest(b, "manifest-sha256.txt", &b->man256, 64, 1, err) != 0)
		return -1;
	if (find_item(b, "manifest-sha512.txt") && check_manifest(b, "manifest-sha512.txt", &b->man512, 128, 1, err) != 0)
		return -1;
	if (find_item(b, "tagmanifest-sha256.txt") && check_manifest(b, "tagmanifest-sha256.txt", &b->tag256, 64, 0, err) != 0)
		return -1;
	uint64_t octets = 0, streams = 0;
	for (size_t i = 0; i < b->n; i++)
		if (strncmp(b->v[i].rel, "data/", 5) == 0) {
			if (!b->v[i].checked)
				return lk_errf(err, "%s is not listed in manifest-sha256.txt", b->v[i].rel);
			octets += b->v[i].size;
			streams++;
		}
	const char *ox = strstr(b->info.data ? b->info.data : "", "Payload-Oxum:");
	if (ox) {
		unsigned long long o = 0, s = 0;
		if (sscanf(ox + 13, " %llu.%llu", &o, &s) != 2 || o != octets || s != streams)
			return lk_errf(err, "bag-info.txt: Payload-Oxum says %llu bytes in %llu files, the bag holds %llu in %llu",
				       o, s, (unsigned long long)octets, (unsigned long long)streams);
	}
	if (!b->plan.data || !b->docs.data)
		return lk_errf(err, "the bag has no data/plan.json or data/documents.json: not a lakthan bundle");
	return 0;
}

/* A JSON string member, or "" when it is absent or not a string. */
static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Whether a record of documents.json is of a purged document: its row and
 * audit are in the bag, its file (and so its text) is not. */
static int is_purged(json_t *d)
{
	return jstr(d, "purged_at")[0] != '\0';
}

/* Bind a JSON value that may be null. */
static void bind_opt(sqlite3_stmt *st, int i, json_t *v)
{
	if (json_is_string(v))
		sqlite3_bind_text(st, i, json_string_value(v), -1, SQLITE_TRANSIENT);
	else if (json_is_integer(v))
		sqlite3_bind_int64(st, i, json_integer_value(v));
	else
		sqlite3_bind_null(st, i);
}

/* Run st once (bound by the caller) and reset it; -1 with err on failure. */
static int step_done(sqlite3 *db, sqlite3_stmt *st, char *err)
{
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (s != SQLITE_DONE && s != SQLITE_ROW)
		return lk_errf(err, "database: %s", sqlite3_errmsg(db));
	return 0;
}

/* The id of question code of year, created (with the catalog's wording when
 * it has the code, else text) when absent. */
static int question_id(sqlite3 *db, int year, const char *code, const char *text, sqlite3_int64 *id, char *err)
{
	sqlite3_stmt *st;
	if (db_prepare(db, &st, "SELECT id FROM question WHERE year = ? AND code = ?", err) != 0)
		return -1;
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (found)
		return 0;
	struct plan_catalog_entry c;
	int have = plan_catalog_for_plan(year, code, &c) == 0;
	if (db_prepare(db, &st, "INSERT INTO question (year, code, instrument, indicator, text, source) VALUES (?, ?, ?, ?, ?, ?)", err) != 0)
		return -1;
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, have ? c.instrument : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, have ? c.indicator : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, text ? text : have ? c.text : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, have ? c.source : "the imported bundle", -1, SQLITE_TRANSIENT);
	int s = sqlite3_step(st);
	sqlite3_finalize(st);
	if (s != SQLITE_DONE)
		return lk_errf(err, "question %s: %s", code, sqlite3_errmsg(db));
	*id = sqlite3_last_insert_rowid(db);
	return 0;
}

/* Insert the texts of one kind of a plan row. */
static int put_texts(sqlite3 *db, sqlite3_stmt *st, sqlite3_int64 row, const char *kind, json_t *arr, char *err)
{
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t) {
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)i + 1);
		sqlite3_bind_text(st, 4, json_string_value(t) ? json_string_value(t) : "", -1, SQLITE_TRANSIENT);
		if (step_done(db, st, err) != 0)
			return -1;
	}
	return 0;
}

/* The plan of plan.json into the tables (the archive holds no plan yet). */
static int restore_plan(sqlite3 *db, json_t *plan, int year, struct bundle_import_result *res, char *err)
{
	sqlite3_stmt *is = NULL, *rs = NULL, *ts = NULL, *ms = NULL, *qs = NULL;
	int rc = -1;
	if (db_prepare(db, &is, "INSERT INTO plan_issue (year, number, title) VALUES (?, ?, ?)", err) ||
	    db_prepare(db, &rs, "INSERT INTO plan_row (issue_id, position, status, unresolved) VALUES (?, ?, ?, ?)", err) ||
	    db_prepare(db, &ts, "INSERT INTO plan_text (row_id, kind, position, text) VALUES (?, ?, ?, ?)", err) ||
	    db_prepare(db, &ms, "INSERT INTO measure (issue_id, position, row_id, text) VALUES (?, ?, ?, ?)", err) ||
	    db_prepare(db, &qs, "INSERT OR IGNORE INTO row_question (row_id, question_id) VALUES (?, ?)", err))
		goto out;
	size_t i, j, k;
	json_t *iss, *row, *m;
	json_array_foreach(json_object_get(plan, "issues"), i, iss) {
		int number = (int)json_integer_value(json_object_get(iss, "number"));
		sqlite3_bind_int(is, 1, year);
		sqlite3_bind_int(is, 2, number);
		sqlite3_bind_text(is, 3, jstr(iss, "title"), -1, SQLITE_TRANSIENT);
		if (step_done(db, is, err) != 0)
			goto out;
		sqlite3_int64 iid = sqlite3_last_insert_rowid(db);
		res->issues++;
		json_array_foreach(json_object_get(iss, "rows"), j, row) {
			sqlite3_bind_int64(rs, 1, iid);
			sqlite3_bind_int(rs, 2, (int)j + 1);
			sqlite3_bind_text(rs, 3, jstr(row, "status"), -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(rs, 4, jstr(row, "unresolved"), -1, SQLITE_TRANSIENT);
			if (step_done(db, rs, err) != 0)
				goto out;
			sqlite3_int64 rid = sqlite3_last_insert_rowid(db);
			if (put_texts(db, ts, rid, "finding", json_object_get(row, "findings"), err) ||
			    put_texts(db, ts, rid, "result", json_object_get(row, "results"), err) ||
			    put_texts(db, ts, rid, "outcome", json_object_get(row, "outcomes"), err))
				goto out;
			json_array_foreach(json_object_get(row, "measures"), k, m) {
				int mi, mp;
				if (plan_parse_measure_code(jstr(m, "code"), &mi, &mp, err) != 0 || mi != number) {
					lk_errf(err, "data/plan.json: measure %s is not a measure of issue %d", jstr(m, "code"), number);
					goto out;
				}
				sqlite3_bind_int64(ms, 1, iid);
				sqlite3_bind_int(ms, 2, mp);
				sqlite3_bind_int64(ms, 3, rid);
				sqlite3_bind_text(ms, 4, jstr(m, "text"), -1, SQLITE_TRANSIENT);
				if (step_done(db, ms, err) != 0)
					goto out;
				res->measures++;
			}
			json_array_foreach(json_object_get(row, "questions"), k, m) {
				sqlite3_int64 qid;
				if (question_id(db, year, jstr(m, "code"), jstr(m, "text"), &qid, err) != 0)
					goto out;
				sqlite3_bind_int64(qs, 1, rid);
				sqlite3_bind_int64(qs, 2, qid);
				if (step_done(db, qs, err) != 0)
					goto out;
			}
		}
	}
	rc = 0;
out:
	sqlite3_finalize(is);
	sqlite3_finalize(rs);
	sqlite3_finalize(ts);
	sqlite3_finalize(ms);
	sqlite3_finalize(qs);
	return rc;
}

/* The documents, their links and the audit history into the tables.
 * A purged document gets its row as the source archive has it (its text
 * status included, the text being gone) and no index entry (the index
 * triggers leave purged rows alone: schema/007-search-purged.sql). The text
 * of the others is extracted afterwards. */
static int restore_rows(sqlite3 *db, json_t *docs, const char *audit, size_t alen, int year, const char *src,
			struct bundle_import_result *res, char *err)
{
	sqlite3_stmt *ds = NULL, *ls = NULL, *us = NULL;
	int rc = -1;
	if (db_prepare(db, &ds, "INSERT INTO document (id, sha256, size, mime, filename, title, description, year,"
		       " evidence_date, uploaded_by, uploaded_at, source_path, text_status, text_chars, withdrawn_at,"
		       " withdrawn_reason, purged_at, purged_by, purged_reason)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err) ||
	    db_prepare(db, &ls, "INSERT INTO document_link (document_id, measure_id, question_id, state, linked_by,"
		       " linked_at, reviewed_by, reviewed_at, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", err) ||
	    db_prepare(db, &us, "UPDATE document SET supersedes = ? WHERE id = ?", err))
		goto out;
	size_t i, j;
	json_t *d, *l;
	json_array_foreach(json_object_get(docs, "documents"), i, d) {
		long long id = (long long)json_integer_value(json_object_get(d, "id"));
		int purged = is_purged(d);
		char *sp = purged ? lk_strdup(src) : lk_asprintf("%s!/%s", src, jstr(d, "path"));
		sqlite3_bind_int64(ds, 1, id);
		sqlite3_bind_text(ds, 2, jstr(d, "sha256"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ds, 3, json_integer_value(json_object_get(d, "size")));
		sqlite3_bind_text(ds, 4, jstr(d, "mime"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ds, 5, jstr(d, "filename"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ds, 6, jstr(d, "title"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ds, 7, jstr(d, "description"), -1, SQLITE_TRANSIENT);
		bind_opt(ds, 8, json_object_get(d, "year"));
		bind_opt(ds, 9, json_object_get(d, "evidence_date"));
		sqlite3_bind_text(ds, 10, jstr(d, "uploaded_by"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ds, 11, jstr(d, "uploaded_at"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ds, 12, sp, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ds, 13, purged ? jstr(d, "text_status") : "pending", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ds, 14, purged ? json_integer_value(json_object_get(d, "text_chars")) : 0);
		bind_opt(ds, 15, json_object_get(d, "withdrawn_at"));
		bind_opt(ds, 16, json_object_get(d, "withdrawn_reason"));
		bind_opt(ds, 17, json_object_get(d, "purged_at"));
		bind_opt(ds, 18, json_object_get(d, "purged_by"));
		bind_opt(ds, 19, json_object_get(d, "purged_reason"));
		free(sp);
		if (step_done(db, ds, err) != 0) {
			lk_errf(err, "document %lld: %s", id, sqlite3_errmsg(db));
			goto out;
		}
		res->documents++;
		json_array_foreach(json_object_get(d, "links"), j, l) {
			sqlite3_int64 mid = 0, qid = 0;
			const char *mc = json_string_value(json_object_get(l, "measure"));
			const char *qc = json_string_value(json_object_get(l, "question"));
			if (mc && plan_measure_id(db, year, mc, &mid, err) != 0)
				goto out;
			if (!mc && (!qc || question_id(db, year, qc, NULL, &qid, err) != 0)) {
				if (!qc)
					lk_errf(err, "document %lld: a link without a measure or a question", id);
				goto out;
			}
			sqlite3_bind_int64(ls, 1, id);
			if (mc)
				sqlite3_bind_int64(ls, 2, mid);
			else
				sqlite3_bind_int64(ls, 3, qid);
			sqlite3_bind_text(ls, 4, jstr(l, "state"), -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ls, 5, jstr(l, "linked_by"), -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ls, 6, jstr(l, "linked_at"), -1, SQLITE_TRANSIENT);
			bind_opt(ls, 7, json_object_get(l, "reviewed_by"));
			bind_opt(ls, 8, json_object_get(l, "reviewed_at"));
			sqlite3_bind_text(ls, 9, jstr(l, "comment"), -1, SQLITE_TRANSIENT);
			if (step_done(db, ls, err) != 0)
				goto out;
			res->links++;
		}
	}
	/* versions once every row is in: one may name a document after it, or
	 * one of another year that is not in the bag (that link cannot be kept) */
	json_array_foreach(json_object_get(docs, "documents"), i, d) {
		if (!json_is_integer(json_object_get(d, "supersedes")))
			continue;
		long long id = (long long)json_integer_value(json_object_get(d, "id"));
		long long target = (long long)json_integer_value(json_object_get(d, "supersedes"));
		char why[LK_ERRLEN];
		enum versions_result vr = versions_check(db, id, target, why);
		if (vr == VERSIONS_NOT_FOUND) {
			fprintf(stderr, "lakthan: import-bundle: document %lld supersedes document %lld, which is not"
				" in the bundle: that link is not kept\n", id, target);
			continue;
		}
		if (vr != VERSIONS_OK) {
			lk_errf(err, "data/documents.json: document %lld: %s", id, why);
			goto out;
		}
		sqlite3_bind_int64(us, 1, target);
		sqlite3_bind_int64(us, 2, id);
		if (step_done(db, us, err) != 0)
			goto out;
	}
	/* the history: each record kept whole as the detail of an "imported" one */
	for (size_t off = 0; off < alen;) {
		const char *nl = memchr(audit + off, '\n', alen - off);
		size_t n = nl ? (size_t)(nl - (audit + off)) : alen - off;
		if (n) {
			json_error_t je;
			json_t *rec = json_loadb(audit + off, n, 0, &je);
			if (!json_is_object(rec) || !json_is_string(json_object_get(rec, "object"))) {
				json_decref(rec);
				lk_errf(err, "data/audit.jsonl: a line that is not an audit record");
				goto out;
			}
			json_t *det = json_pack("{s:O}", "original", rec);
			int r = audit_append_json(db, "import", "imported", jstr(rec, "object"), det, err);
			json_decref(det);
			json_decref(rec);
			if (r != 0)
				goto out;
			res->audit_records++;
		}
		off += n + 1;
	}
	rc = 0;
out:
	sqlite3_finalize(ds);
	sqlite3_finalize(ls);
	sqlite3_finalize(us);
	return rc;
}

/* Pass 2: the files under data/files/ into the blob store; each must be the
 * blob documents.json names for it. created[] collects new blobs. */
static int pass_blobs(struct datadir *dd, const char *path, struct bag *b, json_t *docs, char ***created,
		      size_t *ncreated, char *err)
{
	struct archive *a = open_zip(path, err);
	if (!a)
		return -1;
	struct archive_entry *ae;
	unsigned char *blk = lk_malloc(256 * 1024);
	int rc = -1, r;
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		const char *name = entry_name(ae);
		/* a bag zipped again with plain `zip -r` has directory entries,
		 * which the first pass skips too */
		if (!name || archive_entry_filetype(ae) == AE_IFDIR || strncmp(name, b->root, strlen(b->root)) != 0)
			continue;
		const char *rel = name + strlen(b->root);
		if (strncmp(rel, "data/files/", 11) != 0)
			continue;
		json_t *d = NULL, *x;
		size_t i;
		json_array_foreach(json_object_get(docs, "documents"), i, x)
			if (strcmp(jstr(x, "path"), rel + 5) == 0)
				d = x;
		if (!d) {
			lk_errf(err, "%s is in no record of data/documents.json", rel);
			goto out;
		}
		struct blob_writer *w;
		if (blob_writer_begin(&dd->blobs, &w, err) != 0)
			goto out;
		la_ssize_t n;
		while ((n = archive_read_data(a, blk, 256 * 1024)) > 0)
			if (blob_writer_write(w, blk, (size_t)n, err) != 0) {
				blob_writer_abort(w);
				goto out;
			}
		if (n < 0) {
			blob_writer_abort(w);
			lk_errf(err, "%s: cannot be read: %s", rel, archive_error_string(a));
			goto out;
		}
		char hex[65];
		uint64_t size;
		int existed;
		if (blob_writer_commit(w, hex, &size, &existed, err) != 0)
			goto out;
		if (!existed) {
			*created = lk_realloc(*created, (*ncreated + 1) * sizeof **created);
			(*created)[(*ncreated)++] = lk_strdup(hex);
		}
		if (strcmp(hex, jstr(d, "sha256")) != 0) {
			lk_errf(err, "%s: its SHA-256 is not the one data/documents.json records", rel);
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		lk_errf(err, "%s: %s", path, archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	free(blk);
	archive_read_free(a);
	return rc;
}

int bundle_import(struct datadir *dd, const char *path, const char *agent, struct bundle_import_result *res,
		  int *usage, char *err)
{
	struct bag b;
	json_t *plan = NULL, *docs = NULL;
	char **created = NULL;
	size_t ncreated = 0;
	int rc = -1, in_tx = 0;
	sqlite3 *db = dd->db;
	memset(&b, 0, sizeof b);
	memset(res, 0, sizeof *res);
	*usage = 0;
	sqlite3_stmt *st;
	long long have = 0;
	if (db_prepare(db, &st, "SELECT (SELECT count(*) FROM document) + (SELECT count(*) FROM plan_issue)", err) != 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		have = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (have) {
		*usage = 1;
		return lk_errf(err, "this archive already holds documents or a plan; import-bundle restores into an empty archive only");
	}
	if (pass_hash(path, &b, err) != 0 || verify_bag(&b, err) != 0)
		goto out;
	json_error_t je;
	plan = json_loadb(b.plan.data, b.plan.len, 0, &je);
	docs = json_loadb(b.docs.data, b.docs.len, 0, &je);
	if (!json_is_object(plan) || !json_is_object(docs) || !json_is_array(json_object_get(docs, "documents"))) {
		*usage = 1;
		lk_errf(err, "data/plan.json or data/documents.json is not the JSON lakthan writes");
		goto out;
	}
	if (json_integer_value(json_object_get(docs, "version")) > BUNDLE_FORMAT) {
		*usage = 1;
		lk_errf(err, "the bundle has format version %lld; this lakthan reads up to %d",
			(long long)json_integer_value(json_object_get(docs, "version")), BUNDLE_FORMAT);
		goto out;
	}
	res->year = (int)json_integer_value(json_object_get(plan, "year"));
	if (res->year < 2400 || res->year > 2800) {
		*usage = 1;
		lk_errf(err, "data/plan.json: no fiscal year");
		goto out;
	}
	/* every document that is not purged must have its file in the bag: no
	 * row without a blob; a purged one must have none */
	size_t di;
	json_t *dj;
	json_array_foreach(json_object_get(docs, "documents"), di, dj) {
		if (is_purged(dj)) {
			json_t *pj = json_object_get(dj, "path");
			if (!pj || json_is_null(pj))
				continue;
			lk_errf(err, "data/documents.json: document %lld is purged but has a file",
				(long long)json_integer_value(json_object_get(dj, "id")));
			goto out;
		}
		char *rel = lk_asprintf("data/%s", jstr(dj, "path"));
		int there = strncmp(jstr(dj, "path"), "files/", 6) == 0 && find_item(&b, rel);
		if (!there)
			lk_errf(err, "data/documents.json names %s for document %lld, which the bag lacks", rel,
				(long long)json_integer_value(json_object_get(dj, "id")));
		free(rel);
		if (!there)
			goto out;
	}
	if (pass_blobs(dd, path, &b, docs, &created, &ncreated, err) != 0)
		goto out;
	if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
		goto out;
	in_tx = 1;
	if (restore_plan(db, plan, res->year, res, err) != 0 ||
	    restore_rows(db, docs, b.audit.data ? b.audit.data : "", b.audit.len, res->year, path, res, err) != 0)
		goto out;
	json_t *det = json_pack("{s:s, s:i, s:I, s:I, s:I}", "file", path, "year", res->year, "documents",
				(json_int_t)res->documents, "links", (json_int_t)res->links, "audit_records",
				(json_int_t)res->audit_records);
	char object[80];
	snprintf(object, sizeof object, "bundle:ita-%d", res->year);
	int ar = audit_append_json(db, agent ? agent : "cli", "bundle.import", object, det, err);
	json_decref(det);
	if (ar != 0 || db_exec(db, "COMMIT", err) != 0)
		goto out;
	in_tx = 0;
	/* the text is not in the bag: extract it again from the restored files */
	struct ingest_opts io;
	ingest_opts_default(&io);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(docs, "documents"), i, d) {
		char xerr[LK_ERRLEN];
		long long id = (long long)json_integer_value(json_object_get(d, "id"));
		if (is_purged(d))
			continue;
		if (ingest_extract_pending(dd, &io, id, xerr) != 0)
			fprintf(stderr, "lakthan: import-bundle: text of document %lld: %s\n", id, xerr);
	}
	rc = 0;
out:
	if (in_tx)
		db_exec(db, "ROLLBACK", NULL);
	for (size_t k = 0; k < ncreated; k++) {
		/* on failure, the blobs this import created go again */
		if (rc != 0) {
			char *p = blobstore_path(&dd->blobs, created[k]);
			unlink(p);
			free(p);
		}
		free(created[k]);
	}
	json_decref(plan);
	json_decref(docs);
	bag_release(&b);
	free(created);
	return rc;
}
