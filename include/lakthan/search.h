/*
 * search: what a person types → a safe FTS5 query → ranked documents with
 * highlighted snippets (the object of `lakthan search --json` and
 * GET /api/search, CONTRACT.md).
 *
 * The parser (src/search_query.c) never passes user text to MATCH as syntax:
 * every word or phrase becomes an FTS5 string literal ("..." with quotes
 * doubled), so FTS5 operators typed by a user (NEAR(, AND (, ^, :, *) are
 * only text. Understood syntax: words, "quoted phrases", -word or
 * -"phrase" to exclude, OR between words, word* for a prefix, and the filters
 * year:2567, type:pdf, question:i19, measure:1.2.
 *
 * A Thai word becomes (the phrase of its words) OR NEAR(its cluster grams):
 * the first ranks documents that have the same words, the second finds the
 * string whatever the dictionary made of the document's context (see
 * fts_thai.h and docs/SEARCH.md).
 */
#ifndef LAKTHAN_SEARCH_H
#define LAKTHAN_SEARCH_H
#include <sqlite3.h>
#include <jansson.h>

/* Limits of a query, refused with a clear error beyond them. */
#define SEARCH_MAX_QUERY 1000   /* bytes */
#define SEARCH_MAX_TERMS 32
#define SEARCH_MAX_LIMIT 100
/* How the index was tokenized: decides which expression the parser builds. */
enum search_index_kind {
	SEARCH_INDEX_THAI_GRAMS,  /* "thai grams": words plus colocated grams */
	SEARCH_INDEX_THAI,        /* "thai": words only */
	SEARCH_INDEX_PLAIN,       /* unicode61, trigram: each term one string */
};

/* A parsed query. */
struct search_query {
	char *match;        /* FTS5 expression, or NULL when only filters were given */
	char *words;        /* match without the gram branches of its terms (the
			     * cheap first stage of search_run()), or NULL when
			     * there is none: not a grams index, no gram branch,
			     * or a Thai term of two clusters (งบ), whose one
			     * gram token finds it inside compounds as cheaply
			     * as its word */
	int year;           /* 0: any */
	char type[16];      /* "" or a type name of search_type_mime() */
	char question[16];  /* "" or a normalised ITA question code, e.g. "i19" */
	char measure[16];   /* "" or a measure code, e.g. "1.2" */
	int terms;          /* words and phrases looked for (not exclusions) */
};

/*
 * Parse q (UTF-8) into *out. -1 with a message in err when the query cannot
 * be understood (invalid UTF-8, too long, nothing to look for, only
 * exclusions, a bad filter value); the message is meant for the user.
 * The caller releases *out with search_query_release() on success.
 */
int search_query_parse(const char *q, enum search_index_kind kind, struct search_query *out, char *err);
void search_query_release(struct search_query *qr);

/* The SQL LIKE pattern of the MIME types of a type name (pdf, docx, word,
 * xlsx, excel, pptx, odt, ods, odp, html, txt, image, zip), or NULL. */
const char *search_type_mime(const char *type);

/* Normalise an ITA question code: "I19", "i๑๙", " i 19 " → "i19" into
 * out[16]; -1 with err when it is not one. */
int search_question_code(const char *in, char out[16], char *err);

/* A search request: the query text plus the filters given as options
 * (which win over the same filter written in the query). */
struct search_request {
	const char *q;
	int year;               /* 0: none */
	const char *question;   /* NULL: none */
	const char *measure;    /* NULL: none */
	const char *type;       /* NULL: none */
	int limit;              /* 1..SEARCH_MAX_LIMIT */
	int offset;             /* >= 0 */
	enum search_index_kind kind; /* SEARCH_INDEX_THAI_GRAMS for the archive;
				      * others only for the benchmarks (an
				      * index not made by the thai tokenizer
				      * gets no snippets) */
};

enum search_status {
	SEARCH_OK = 0,
	SEARCH_BAD_QUERY = 1,   /* the user's input: CLI exit 2, HTTP 400 */
	SEARCH_FAILED = 2,      /* the archive: CLI exit 1, HTTP 500 */
};

/*
 * Run a search on the archive's database and build the contract's object
 * {"total":n,"total_exact":b,"results":[{id,title,filename,mime,year,score,
 * snippet,measures,questions}]} into *out (the caller json_decref()s it).
 * total is exact up to 1,000 matches; total_exact is false past that (total
 * is then 1000) and when the words stage answered (total: at least that
 * many). The page is ranked among the newest 400 matches (docs/SEARCH.md).
 * Withdrawn documents are never returned. Snippets are HTML-escaped with the
 * matches in <mark>, cut only between grapheme clusters.
 */
enum search_status search_run(sqlite3 *db, const struct search_request *rq, json_t **out, char *err);

/*
 * Make a snippet safe for HTML: escape &<>"', turn the bytes open/close
 * (FTS5 snippet markers) into <mark> and </mark>, fold whitespace runs into
 * one space and drop other control characters. Returns a new string.
 */
char *search_snippet_html(const char *raw, char open, char close);

/* Cut text to at most max bytes at a grapheme cluster boundary (never
 * between a Thai letter and its vowel or tone marks): the new length. */
size_t search_cut_cluster(const char *text, size_t len, size_t max);

#endif
