/* cli: global options and command dispatch. */
#include "lakthan/cli.h"
#include "lakthan/datadir.h"
#include "lakthan/extract.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: lakthan [--data DIR] COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"commands:\n"
	"  ingest [--year Y] [--title T] [--json] PATH...   add files, folders or ZIPs\n"
	"  verify [--json]                                   check files, database and text\n"
	"  search [--json] [--year Y] [--limit N] QUERY      full-text search, Thai first\n"
	"  import-plan [--year Y] [--json] FILE              read a year's measures report\n"
	"  link ID (--measure M | --question Q)... [--remove] link a document to the plan\n"
	"  coverage [--year Y] [--json]                      which measures have evidence\n"
	"  suggest ID [--json]                               measures that fit a document\n"
	"  plan show|add-issue|add-measure|... [--year Y]    see and edit a year's plan\n"
	"  user add NAME --role ROLE | user token NAME       accounts (password on stdin)\n"
	"  serve [--listen ADDR:PORT] [--max-upload-mb N]    run the HTTP service\n"
	"  export --year Y -o FILE.zip                       the year's bundle (a BagIt ZIP)\n"
	"  import-bundle FILE.zip                            verify a bundle, restore it here\n"
	"  purge ID --reason TEXT                            remove a withdrawn document's bytes\n"
	"\n"
	"--data defaults to $LAKTHAN_DATA, else ./lakthan-data (created on first use).\n"
	"Every command has --help. lakthan --version prints the version.\n";

struct command {
	const char *name;
	int (*run)(const struct cli_ctx *, int, char **);
};

static const struct command commands[] = {
	{"ingest", cli_ingest},
	{"verify", cli_verify},
	{"search", cli_search},
	{"import-plan", cli_import_plan},
	{"link", cli_link},
	{"coverage", cli_coverage},
	{"suggest", cli_suggest},
	{"plan", cli_plan},
	{"user", cli_user},
	{"serve", cli_serve},
	{"export", cli_export},
	{"import-bundle", cli_import_bundle},
	{"purge", cli_purge},
	{NULL, NULL},
};

void cli_error(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "lakthan: %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

int cli_main(int argc, char **argv)
{
	struct cli_ctx ctx = {NULL};
	int i = 1;
	/* the extractor child: internal, not a user command */
	if (argc > 1 && strcmp(argv[1], "__extract") == 0)
		return extract_child_main(argc, argv);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("lakthan %s\n", LAKTHAN_VERSION);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--data") == 0) {
			if (i + 1 >= argc) {
				cli_error("--data", "needs a directory");
				return EXIT_USAGE;
			}
			ctx.data = argv[++i];
		} else if (strncmp(argv[i], "--data=", 7) == 0) {
			ctx.data = argv[i] + 7;
		} else {
			cli_error(argv[i], "unknown option (see lakthan --help)");
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	ctx.data = datadir_resolve(ctx.data);
	/* commands that extract text fork their extractor zygote now, while the
	 * process is small and has no threads, database or sockets open */
	if (strcmp(argv[i], "ingest") == 0 || strcmp(argv[i], "serve") == 0)
		extract_zygote_start();
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(argv[i], c->name) == 0)
			return c->run(&ctx, argc - i, argv + i);
	cli_error(argv[i], "unknown command (see lakthan --help)");
	return EXIT_USAGE;
}
