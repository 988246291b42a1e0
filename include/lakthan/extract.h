/*
 * extract: turn a stored file into UTF-8 text.
 *
 * Two layers:
 *  - extract_file() runs an extractor in the calling process. It is what the
 *    sandboxed child runs, and what unit tests call directly. It must never
 *    trust the file: every extractor caps what it reads and what it writes
 *    (limits below) and reports a reason instead of crashing.
 *  - extract_sandboxed() (extract_sandbox.c) runs extract_file() in a child
 *    process (this binary re-executed as `lakthan __extract MIME PATH`) with
 *    CPU, memory, wall-clock and output-size limits, so a hostile file can
 *    kill only the child.
 *
 * The text is kept as the producer gave it (after conversion to UTF-8);
 * Thai repairs happen in normalisation (thai.h), never here.
 */
#ifndef LAKTHAN_EXTRACT_H
#define LAKTHAN_EXTRACT_H
#include <stddef.h>
#include <sys/types.h>
#include "lakthan/buf.h"

enum extract_status {
	EXTRACT_OK = 0,          /* text in out (may be empty) */
	EXTRACT_UNSUPPORTED = 3, /* no extractor for this type */
	EXTRACT_NEEDS_OCR = 4,   /* an image, or a PDF without a text layer */
	EXTRACT_FAILED = 5,      /* broken, encrypted, too big...: reason says why */
};

struct extract_limits {
	size_t max_text;         /* bytes of text produced (default 64 MiB) */
	size_t max_entry;        /* bytes of one uncompressed ZIP entry (default 256 MiB) */
	unsigned max_ratio;      /* uncompressed/compressed ratio of a ZIP entry (default 200) */
	unsigned cpu_seconds;    /* child CPU limit (default 60) */
	unsigned wall_seconds;   /* child wall-clock limit (default 120) */
	size_t max_memory;       /* child address space (default 1 GiB) */
};

/* Fill in the defaults above. */
void extract_limits_default(struct extract_limits *lim);

/*
 * Extract the text of the file at path, whose type libmagic said is mime.
 * Appends UTF-8 text to out (created by the caller with buf_init; its cap is
 * set to lim->max_text by this function). On EXTRACT_UNSUPPORTED,
 * EXTRACT_NEEDS_OCR or EXTRACT_FAILED writes a short English reason
 * (e.g. "encrypted PDF", "not a valid ZIP archive") into reason.
 * Pages of a PDF and slides of a presentation are separated by '\f'.
 */
enum extract_status extract_file(const char *mime, const char *path,
				 const struct extract_limits *lim,
				 struct buf *out, char *reason, size_t reasonlen);

/* A size for a reason: "64 MiB", or "1000 bytes" below a MiB (two printf args). */
#define EXTRACT_SIZE_ARGS(n) ((n) >= ((size_t)1 << 20) ? (n) >> 20 : (n)), \
			     ((n) >= ((size_t)1 << 20) ? "MiB" : "bytes")

/*
 * Read the regular file at path into b, refusing files over max bytes with
 * the reason "text larger than <max_text>" (for the plain and HTML readers).
 */
enum extract_status extract_read_file(const char *path, size_t max, struct buf *b,
				      size_t max_text, char *reason, size_t reasonlen);

/* The per-format extractors extract_file() dispatches to (one file each). */
enum extract_status extract_plain(const char *path, const struct extract_limits *lim,
				  struct buf *out, char *reason, size_t reasonlen);
enum extract_status extract_html(const char *path, const struct extract_limits *lim,
				 struct buf *out, char *reason, size_t reasonlen);
enum extract_status extract_pdf(const char *path, const struct extract_limits *lim,
				struct buf *out, char *reason, size_t reasonlen);
/* DOCX, XLSX, PPTX, ODT, ODS, ODP: kind is chosen from mime. */
enum extract_status extract_office(const char *mime, const char *path,
				   const struct extract_limits *lim,
				   struct buf *out, char *reason, size_t reasonlen);

/*
 * Result of a sandboxed extraction. status is the text_status stored for the
 * document: "ok", "empty", "unsupported", "needs_ocr", "timeout",
 * "failed: <reason>". text is NUL-terminated (never NULL when status is "ok").
 */
struct extract_result {
	char status[160];
	char *text;
	size_t len;
};

/*
 * Run extract_file() in a child process: self_exe is the lakthan binary
 * (normally "/proc/self/exe"). Never fails as a whole: every outcome,
 * including a crash or a kill of the child, is a status. The caller frees
 * result->text.
 */
void extract_sandboxed(const char *self_exe, const char *mime, const char *path,
		       const struct extract_limits *lim, struct extract_result *result);

/* Code points in s[0..n) (UTF-8): what text_chars counts. */
size_t extract_count_chars(const char *s, size_t n);

/*
 * The extractor child's side, shared by the two ways of starting it:
 * extract_child_setup() puts the child in its own process group, moves the
 * pipes onto stdout/stderr and sets the limits; extract_child_run() then
 * extracts and returns the exit code (an enum extract_status).
 */
void extract_child_setup(const struct extract_limits *lim, int out_fd, int err_fd);
int extract_child_run(const char *mime, const char *path, const struct extract_limits *lim);

/*
 * The zygote (extract_zygote.c): a small process forked before the caller
 * starts threads or opens the database, which forks one extractor child per
 * request. A fork costs about a millisecond, where re-executing lakthan costs
 * its whole dynamic loading; each child still gets its own process, limits
 * and process group. Without a zygote, extract_sandboxed() re-executes.
 *
 * extract_zygote_start(): start it (idempotent); -1 when it cannot.
 * extract_zygote_spawn(): have it start a child writing to out_fd/err_fd;
 *   fills the child's pid (its process group) and a descriptor on which
 *   extract_zygote_wait() later reads the child's wait status. -1 when no
 *   zygote runs or it is gone and nothing was sent (the caller then
 *   re-executes); -2 when the request went out but no child started.
 */
int extract_zygote_start(void);
int extract_zygote_spawn(const char *mime, const char *path, const struct extract_limits *lim,
			 int out_fd, int err_fd, pid_t *pid, int *status_fd);
int extract_zygote_wait(int status_fd, int *status);

/* The child's entry point: `lakthan __extract MIME PATH TEXTCAP ENTRYCAP RATIO`. Returns its exit code. */
int extract_child_main(int argc, char **argv);

#endif
