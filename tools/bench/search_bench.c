/*
 * search_bench: the driver behind tools/bench/relevance and
 * tools/bench/search-speed. It loads ../shared/corpus (or a larger corpus
 * generated from it) into a lakthan database whose index uses a chosen
 * tokenizer, then measures relevance on a judged query set, query latency,
 * indexing throughput and tokenizer throughput. Everything runs in-process
 * through the same functions `lakthan search` uses.
 *
 *   search_bench load DB KIND CORPUSDIR [COPIES]
 *   search_bench relevance DB KIND QUERIES.tsv [-v]
 *   search_bench speed DB QUERIES.tsv ROUNDS [-v]
 *   search_bench tokenize CORPUSDIR
 *   search_bench rank DB bm25|lakthan_bm25
 *   search_bench show DB QUERY   (the JSON search_run() gives, limit 10)
 *   search_bench optimize DB     (merge the index into one segment)
 *
 * KIND: unicode61, trigram, thai (words only), thaigrams (words plus
 * colocated cluster grams over whole Thai runs) or thaiwgrams (words plus
 * the grams inside words of three or more clusters).
 */
#include "lakthan/db.h"
#include "lakthan/fts_thai.h"
#include "lakthan/search.h"
#include "lakthan/thaiseg.h"
#include "lakthan/util.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <unicode/ubrk.h>

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole file at path, NUL-terminated; *n its length. NULL on error. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = lk_malloc((size_t)len + 1);
	*n = fread(s, 1, (size_t)len, f);
	s[*n] = 0;
	fclose(f);
	return s;
}

/* The tokenizer clause and search kind of a KIND name; -1 if unknown. */
static int kind_of(const char *name, const char **tokenize, enum search_index_kind *kind)
{
	static const struct { const char *name, *tok; enum search_index_kind kind; } k[] = {
		{"unicode61", "unicode61", SEARCH_INDEX_PLAIN},
		{"trigram", "trigram", SEARCH_INDEX_PLAIN},
		{"thai", "thai", SEARCH_INDEX_THAI},
		{"thaigrams", "thai grams", SEARCH_INDEX_THAI_GRAMS},
		{"thaiwgrams", "thai wordgrams", SEARCH_INDEX_THAI_GRAMS},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		if (strcmp(name, k[i].name) == 0) {
			*tokenize = k[i].tok;
			*kind = k[i].kind;
			return 0;
		}
	return -1;
}

/* Manifest titles by document name (linear list: 2,000 rows). */
struct doc {
	char name[64];
	char *title;
};

static struct doc *read_manifest(const char *corpus, size_t *ndocs)
{
	char *path = lk_asprintf("%s/../manifest.tsv", corpus);
	size_t n;
	char *s = slurp(path, &n);
	free(path);
	struct doc *d = NULL;
	size_t nd = 0, cap = 0;
	if (!s)
		return NULL;
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "id\t", 3) == 0)
			continue;
		char *f[9];
		int k = 0;
		char *p = line;
		for (; k < 9 && p; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		if (k < 9)
			continue;
		if (nd == cap) {
			cap = cap ? cap * 2 : 256;
			d = lk_realloc(d, cap * sizeof *d);
		}
		snprintf(d[nd].name, sizeof d[nd].name, "%s", f[0]);
		d[nd].title = lk_strdup(f[8]);
		nd++;
	}
	free(s);
	*ndocs = nd;
	return d;
}

/* Rotate the paragraphs of text by r lines: a different document with the
 * same vocabulary, for the generated corpus of the speed benchmark. */
static char *rotate_lines(const char *text, size_t n, size_t r)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	if (lines < 2 || r % (lines + 1) == 0)
		return lk_strndup(text, n);
	size_t cut = 0, seen = 0, want = r % (lines + 1);
	for (size_t i = 0; i < n; i++)
		if (text[i] == '\n' && ++seen == want) {
			cut = i + 1;
			break;
		}
	char *out = lk_malloc(n + 2);
	memcpy(out, text + cut, n - cut);
	out[n - cut] = '\n';
	memcpy(out + n - cut + 1, text, cut);
	out[n + 1] = 0;
	return out;
}

/* load: the corpus (COPIES times, rotated) into a fresh database. */
static int cmd_load(const char *dbpath, const char *kindname, const char *corpus, int copies)
{
	const char *tokenize;
	enum search_index_kind kind;
	char err[LK_ERRLEN];
	sqlite3 *db;
	if (kind_of(kindname, &tokenize, &kind) != 0) {
		fprintf(stderr, "search_bench: unknown kind %s\n", kindname);
		return 2;
	}
	remove(dbpath);
	if (db_open(dbpath, &db, err) != 0) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	/* a benchmark database may lose everything on a crash */
	db_exec(db, "PRAGMA synchronous=OFF", err);
	/* the archive's own options (schema/006-search-grams.sql: no prefix
	 * index) unless the environment asks for others: LK_BENCH_PREFIX (e.g.
	 * "3", the prefix index of 002) and LK_BENCH_RANK (the rank function) */
	const char *prefix = getenv("LK_BENCH_PREFIX");
	const char *rankfn = getenv("LK_BENCH_RANK");
	if (!prefix)
		prefix = "";
	if (!rankfn)
		rankfn = "lakthan_bm25";
	char *prefix_opt = prefix[0] ? lk_asprintf(", prefix='%s'", prefix) : lk_strdup("");
	char *sql = lk_asprintf("DROP TABLE search_fts;"
				"CREATE VIRTUAL TABLE search_fts USING fts5(title, filename, description, body,"
				" content='search_source', content_rowid='id', tokenize='%s'%s);"
				"INSERT INTO search_fts(search_fts, rank) VALUES ('rank', '%s(2.0, 1.5, 1.25, 1.0)');",
				tokenize, prefix_opt, rankfn);
	free(prefix_opt);
	if (db_exec(db, sql, err) != 0) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	free(sql);
	/* LK_BENCH_SQL: more statements after the table exists (FTS5 options
	 * such as automerge, for comparisons) */
	const char *extra = getenv("LK_BENCH_SQL");
	if (extra && db_exec(db, extra, err) != 0) {
		fprintf(stderr, "search_bench: LK_BENCH_SQL: %s\n", err);
		return 1;
	}
	size_t nd;
	struct doc *docs = read_manifest(corpus, &nd);
	if (!docs) {
		fprintf(stderr, "search_bench: cannot read the manifest beside %s\n", corpus);
		return 1;
	}
	sqlite3_stmt *sd, *st;
	db_prepare(db, &sd,
		   "INSERT INTO document (sha256, size, mime, filename, title, year, uploaded_by, uploaded_at, text_status, text_chars)"
		   " VALUES (printf('%064x', ?1), ?2, 'text/plain', ?3, ?4, ?5, 'bench', '2026-01-01T00:00:00Z', 'ok', ?2)", err);
	db_prepare(db, &st, "INSERT INTO document_text (document_id, text) VALUES (?1, ?2)", err);
	double t0 = now();
	unsigned long long bytes = 0;
	long long id = 0;
	db_exec(db, "BEGIN", err);
	for (int c = 0; c < copies; c++) {
		for (size_t i = 0; i < nd; i++) {
			char *path = lk_asprintf("%s/%s.txt", corpus, docs[i].name);
			size_t n;
			char *text = slurp(path, &n);
			free(path);
			if (!text)
				continue;
			char *body = c ? rotate_lines(text, n, (size_t)c * 7 + i) : text;
			size_t blen = strlen(body);
			char *fname = c ? lk_asprintf("%s-%d.txt", docs[i].name, c) : lk_asprintf("%s.txt", docs[i].name);
			id++;
			sqlite3_bind_int64(sd, 1, id);
			sqlite3_bind_int64(sd, 2, (sqlite3_int64)blen);
			sqlite3_bind_text(sd, 3, fname, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(sd, 4, docs[i].title, -1, SQLITE_STATIC);
			sqlite3_bind_int(sd, 5, 2563 + (int)(i % 6));
			if (sqlite3_step(sd) != SQLITE_DONE) {
				fprintf(stderr, "search_bench: %s\n", sqlite3_errmsg(db));
				return 1;
			}
			sqlite3_reset(sd);
			sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(db));
			sqlite3_bind_text(st, 2, body, (int)blen, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE) {
				fprintf(stderr, "search_bench: %s\n", sqlite3_errmsg(db));
				return 1;
			}
			sqlite3_reset(st);
			bytes += blen + strlen(docs[i].title) + strlen(fname);
			free(fname);
			if (body != text)
				free(body);
			free(text);
			if (id % 500 == 0) {
				db_exec(db, "COMMIT", err);
				db_exec(db, "BEGIN", err);
			}
		}
	}
	db_exec(db, "COMMIT", err);
	double t1 = now();
	/* merged into one segment for the query benchmark, unless
	 * LK_BENCH_NOOPT asks for the segments as indexing left them (as an
	 * archive has them: lakthan never optimizes) */
	if (!getenv("LK_BENCH_NOOPT"))
		db_exec(db, "INSERT INTO search_fts(search_fts) VALUES ('optimize')", err);
	sqlite3_finalize(sd);
	sqlite3_finalize(st);
	sqlite3_stmt *sz;
	long long idx = 0;
	if (db_prepare(db, &sz, "SELECT sum(length(block)) FROM search_fts_data", err) == 0) {
		if (sqlite3_step(sz) == SQLITE_ROW)
			idx = sqlite3_column_int64(sz, 0);
		sqlite3_finalize(sz);
	}
	printf("load\t%s\tdocs %lld\ttext %.1f MB\t%.2f s\t%.2f MB/s\tindex %.1f MB\tindex/text %.2f\n", kindname, id,
	       (double)bytes / 1e6, t1 - t0, (double)bytes / 1e6 / (t1 - t0), (double)idx / 1e6,
	       (double)idx / (double)bytes);
	sqlite3_close(db);
	return 0;
}

/* Name of the document with this id ("thaigov-034509"), into out. */
static void doc_name(sqlite3 *db, long long id, char *out, size_t n)
{
	sqlite3_stmt *st;
	out[0] = 0;
	if (sqlite3_prepare_v2(db, "SELECT filename FROM document WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
		char *dot = strstr(out, ".txt");
		if (dot)
			*dot = 0;
	}
	sqlite3_finalize(st);
}

/* The page size searches run with: 20, as `lakthan search` and GET
 * /api/search give by default (the two stages depend on it: the grams run
 * when the words do not fill the page), unless LK_BENCH_LIMIT says
 * otherwise. Relevance reads the first 10 of the page. */
static int bench_page(void)
{
	const char *v = getenv("LK_BENCH_LIMIT");
	int page = v ? atoi(v) : 20;
	return page >= 10 && page <= SEARCH_MAX_LIMIT ? page : 20;
}

/* relevance: recall@5, MRR and nDCG@10 over the judged queries. */
static int cmd_relevance(const char *dbpath, const char *kindname, const char *queries, int verbose)
{
	const char *tokenize;
	enum search_index_kind kind;
	char err[LK_ERRLEN];
	sqlite3 *db;
	if (kind_of(kindname, &tokenize, &kind) != 0 || db_open(dbpath, &db, err) != 0) {
		fprintf(stderr, "search_bench: cannot open %s as %s\n", dbpath, kindname);
		return 1;
	}
	size_t n;
	char *s = slurp(queries, &n);
	if (!s) {
		fprintf(stderr, "search_bench: cannot read %s\n", queries);
		return 1;
	}
	double sum_r5 = 0, sum_rr = 0, sum_ndcg = 0;
	int nq = 0, errors = 0;
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || !strchr(line, '\t'))
			continue;
		char *q = line, *rel = strchr(line, '\t');
		*rel++ = 0;
		char *tab = strchr(rel, '\t');
		if (tab)
			*tab = 0;
		char *relv[64];
		int nrel = 0;
		for (char *sv = NULL, *r = strtok_r(rel, ",", &sv); r && nrel < 64; r = strtok_r(NULL, ",", &sv))
			relv[nrel++] = r;
		struct search_request rq = {q, 0, NULL, NULL, NULL, bench_page(), 0, kind};
		json_t *out = NULL;
		int got5 = 0;
		double rr = 0, dcg = 0, idcg = 0;
		if (search_run(db, &rq, &out, err) != SEARCH_OK) {
			errors++;
			if (verbose)
				printf("  error\t%s\t%s\n", q, err);
		} else {
			json_t *res = json_object_get(out, "results");
			for (size_t i = 0; i < json_array_size(res) && i < 10; i++) {
				char name[64];
				doc_name(db, json_integer_value(json_object_get(json_array_get(res, i), "id")), name, sizeof name);
				int hit = 0;
				for (int k = 0; k < nrel; k++)
					hit |= strcmp(name, relv[k]) == 0;
				if (hit) {
					if (i < 5)
						got5++;
					if (rr == 0)
						rr = 1.0 / (double)(i + 1);
					dcg += 1.0 / log2((double)i + 2);
				}
			}
			json_decref(out);
		}
		for (int k = 0; k < nrel && k < 10; k++)
			idcg += 1.0 / log2((double)k + 2);
		double r5 = (double)got5 / (double)(nrel < 5 ? nrel : 5);
		if (verbose)
			printf("  %.2f\t%.2f\t%.2f\t%s\n", r5, rr, idcg > 0 ? dcg / idcg : 0, q);
		sum_r5 += r5;
		sum_rr += rr;
		sum_ndcg += idcg > 0 ? dcg / idcg : 0;
		nq++;
	}
	printf("relevance\t%s\tqueries %d\trecall@5 %.3f\tMRR %.3f\tnDCG@10 %.3f\terrors %d\n", kindname, nq,
	       sum_r5 / nq, sum_rr / nq, sum_ndcg / nq, errors);
	free(s);
	sqlite3_close(db);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* speed: every query (first column of the file) ROUNDS times, limit 10
 * with snippets, in-process; p50, p99 and max latency; with -v the median
 * and worst round of each query, its total and whether that is exact. */
static int cmd_speed(const char *dbpath, const char *queries, int rounds, int verbose)
{
	char err[LK_ERRLEN];
	sqlite3 *db;
	if (db_open(dbpath, &db, err) != 0) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	size_t n;
	char *s = slurp(queries, &n);
	if (!s)
		return 1;
	char *qv[1024];
	int nq = 0;
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line && nq < 1024; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (tab)
			*tab = 0;
		qv[nq++] = line;
	}
	int page = bench_page();
	double *lat = lk_malloc(sizeof *lat * (size_t)(nq * rounds));
	double *per = lk_malloc(sizeof *per * (size_t)(nq * rounds));
	long long *qtotal = lk_calloc((size_t)nq, sizeof *qtotal);
	int *qexact = lk_calloc((size_t)nq, sizeof *qexact);
	int nl = 0;
	long long hits = 0;
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < nq; i++) {
			struct search_request rq = {qv[i], 0, NULL, NULL, NULL, page, 0, SEARCH_INDEX_THAI_GRAMS};
			json_t *out = NULL;
			double t0 = now();
			if (search_run(db, &rq, &out, err) == SEARCH_OK) {
				qtotal[i] = json_integer_value(json_object_get(out, "total"));
				qexact[i] = json_is_true(json_object_get(out, "total_exact"));
				hits += qtotal[i];
				json_decref(out);
			}
			lat[nl] = (now() - t0) * 1000.0;
			per[i * rounds + r] = lat[nl++];
		}
	for (int i = 0; verbose && i < nq; i++) {
		qsort(per + i * rounds, (size_t)rounds, sizeof *per, cmp_double);
		printf("  %8.2f ms median\t%8.2f ms worst\ttotal %lld%s\t%s\n", per[i * rounds + rounds / 2],
		       per[i * rounds + rounds - 1], qtotal[i], qexact[i] ? "" : "+", qv[i]);
	}
	free(per);
	free(qtotal);
	free(qexact);
	qsort(lat, (size_t)nl, sizeof *lat, cmp_double);
	printf("speed\tlimit %d\tqueries %d x %d\tp50 %.2f ms\tp90 %.2f ms\tp99 %.2f ms\tmax %.2f ms\tmean hits %.0f\n", page, nq, rounds,
	       lat[nl / 2], lat[nl * 9 / 10], lat[nl * 99 / 100], lat[nl - 1], (double)hits / nl);
	free(lat);
	free(s);
	sqlite3_close(db);
	return 0;
}

static int count_tok(void *ctx, int colocated, const char *tok, int ntok, int start, int end)
{
	(void)colocated, (void)tok, (void)ntok, (void)start, (void)end;
	(*(long long *)ctx)++;
	return 0;
}

/* tokenize: the "thai" tokenizer (words, and words + grams) against ICU's
 * BreakIterator alone over the same bytes, in MB/s. */
static int cmd_tokenize(const char *corpus)
{
	DIR *d = opendir(corpus);
	if (!d)
		return 1;
	char **texts = NULL;
	size_t *lens = NULL, nt = 0, cap = 0;
	unsigned long long bytes = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".txt"))
			continue;
		char *p = lk_asprintf("%s/%s", corpus, e->d_name);
		size_t n;
		char *t = slurp(p, &n);
		free(p);
		if (!t)
			continue;
		if (nt == cap) {
			cap = cap ? cap * 2 : 1024;
			texts = lk_realloc(texts, cap * sizeof *texts);
			lens = lk_realloc(lens, cap * sizeof *lens);
		}
		texts[nt] = t;
		lens[nt++] = n;
		bytes += n;
	}
	closedir(d);
	/* raw ICU: UTF-8 → UTF-16, then every word boundary */
	UErrorCode status = U_ZERO_ERROR;
	UBreakIterator *bi = ubrk_open(UBRK_WORD, "th", NULL, 0, &status);
	UChar *u = NULL;
	size_t ucap = 0;
	long long nb = 0;
	double t0 = now();
	for (size_t i = 0; i < nt; i++) {
		if (lens[i] + 1 > ucap) {
			ucap = lens[i] + 1;
			u = lk_realloc(u, ucap * sizeof *u);
		}
		int32_t ulen = 0;
		status = U_ZERO_ERROR;
		u_strFromUTF8(u, (int32_t)ucap, &ulen, texts[i], (int32_t)lens[i], &status);
		ubrk_setText(bi, u, ulen, &status);
		for (int32_t b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi))
			nb++;
	}
	double t_icu = now() - t0;
	ubrk_close(bi);
	free(u);
	double mbs_icu = (double)bytes / 1e6 / t_icu;
	printf("tokenize\tICU BreakIterator alone\t%.1f MB\t%.2f s\t%.1f MB/s\t%lld boundaries\n", (double)bytes / 1e6,
	       t_icu, mbs_icu, nb);
	int modes[] = {0, FTS_THAI_GRAMS, FTS_THAI_WORDGRAMS};
	const char *names[] = {"thai (words)", "thai grams", "thai wordgrams"};
	for (int m = 0; m < 3; m++) {
		struct fts_thai *t;
		char err[LK_ERRLEN];
		long long ntok = 0;
		fts_thai_new(modes[m], &t, err);
		t0 = now();
		for (size_t i = 0; i < nt; i++)
			fts_thai_tokenize(t, 0, texts[i], lens[i], count_tok, &ntok);
		double dt = now() - t0;
		fts_thai_free(t);
		printf("tokenize\t%s\t%.2f s\t%.1f MB/s\t%lld tokens\tratio to ICU %.2f\n", names[m], dt,
		       (double)bytes / 1e6 / dt, ntok, (double)bytes / 1e6 / dt / mbs_icu);
	}
	for (size_t i = 0; i < nt; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	return 0;
}

/* rank: set the index's rank function (bm25 or lakthan_bm25) with the
 * archive's column weights, on an existing database. */
static int cmd_rank(const char *dbpath, const char *fn)
{
	char err[LK_ERRLEN];
	sqlite3 *db;
	if (db_open(dbpath, &db, err) != 0) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	char *sql = lk_asprintf("INSERT INTO search_fts(search_fts, rank) VALUES ('rank', '%s(2.0, 1.5, 1.25, 1.0)')", fn);
	int rc = db_exec(db, sql, err);
	free(sql);
	if (rc != 0)
		fprintf(stderr, "search_bench: %s\n", err);
	sqlite3_close(db);
	return rc != 0;
}

/* show: the result object of one query, as `lakthan search --json` has it. */
static int cmd_show(const char *dbpath, const char *q)
{
	char err[LK_ERRLEN];
	sqlite3 *db;
	json_t *out = NULL;
	if (db_open(dbpath, &db, err) != 0) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	struct search_request rq = {q, 0, NULL, NULL, NULL, 10, 0, SEARCH_INDEX_THAI_GRAMS};
	int rc = search_run(db, &rq, &out, err) == SEARCH_OK;
	if (rc) {
		char *s = json_dumps(out, JSON_INDENT(1));
		puts(s);
		free(s);
	} else {
		fprintf(stderr, "search_bench: %s\n", err);
	}
	json_decref(out);
	sqlite3_close(db);
	return !rc;
}

/* optimize: merge the index into one segment, timed. */
static int cmd_optimize(const char *dbpath)
{
	char err[LK_ERRLEN];
	sqlite3 *db;
	if (db_open(dbpath, &db, err) != 0) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	double t0 = now();
	int rc = db_exec(db, "INSERT INTO search_fts(search_fts) VALUES ('optimize')", err);
	if (rc != 0)
		fprintf(stderr, "search_bench: %s\n", err);
	else
		printf("optimize\t%.2f s\n", now() - t0);
	sqlite3_close(db);
	return rc != 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "optimize") == 0)
		return cmd_optimize(argv[2]);
	if (argc == 4 && strcmp(argv[1], "show") == 0)
		return cmd_show(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "rank") == 0)
		return cmd_rank(argv[2], argv[3]);
	if (argc >= 5 && strcmp(argv[1], "load") == 0)
		return cmd_load(argv[2], argv[3], argv[4], argc > 5 ? atoi(argv[5]) : 1);
	if (argc >= 5 && strcmp(argv[1], "relevance") == 0)
		return cmd_relevance(argv[2], argv[3], argv[4], argc > 5 && strcmp(argv[5], "-v") == 0);
	if (argc >= 5 && strcmp(argv[1], "speed") == 0)
		return cmd_speed(argv[2], argv[3], atoi(argv[4]), argc > 5 && strcmp(argv[5], "-v") == 0);
	if (argc >= 3 && strcmp(argv[1], "tokenize") == 0)
		return cmd_tokenize(argv[2]);
	fprintf(stderr, "usage: search_bench load|relevance|speed|tokenize ... (see the header of tools/bench/search_bench.c)\n");
	return 2;
}
