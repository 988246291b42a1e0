/*
 * cli: the command line (see CONTRACT.md). cli_main() parses the global
 * options and dispatches to one cli_<command>() per file (cli_ingest.c,
 * cli_verify.c). Exit status: 0 ok, 1 the work ran but something failed,
 * 2 bad usage or bad input. Errors are one line on stderr:
 * "lakthan: <what>: <why>".
 */
#ifndef LAKTHAN_CLI_H
#define LAKTHAN_CLI_H

#define LAKTHAN_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* What every command gets: the archive directory as resolved. */
struct cli_ctx {
	const char *data;
};

int cli_main(int argc, char **argv);

/* Print "lakthan: what: why" on stderr. */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 1 when argv holds -h or --help before any "--". */
int cli_wants_help(int argc, char **argv);

/* The commands; argv[0] is the command name. */
int cli_ingest(const struct cli_ctx *ctx, int argc, char **argv);
int cli_verify(const struct cli_ctx *ctx, int argc, char **argv);
int cli_search(const struct cli_ctx *ctx, int argc, char **argv);
int cli_import_plan(const struct cli_ctx *ctx, int argc, char **argv);
int cli_link(const struct cli_ctx *ctx, int argc, char **argv);
int cli_coverage(const struct cli_ctx *ctx, int argc, char **argv);
int cli_suggest(const struct cli_ctx *ctx, int argc, char **argv);
int cli_plan(const struct cli_ctx *ctx, int argc, char **argv);
int cli_user(const struct cli_ctx *ctx, int argc, char **argv);
int cli_serve(const struct cli_ctx *ctx, int argc, char **argv);
int cli_export(const struct cli_ctx *ctx, int argc, char **argv);
int cli_import_bundle(const struct cli_ctx *ctx, int argc, char **argv);
int cli_purge(const struct cli_ctx *ctx, int argc, char **argv);

#endif
