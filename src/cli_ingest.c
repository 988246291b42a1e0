/* cli_ingest: `lakthan ingest` — files, folders and ZIPs into the archive. */
#include "lakthan/cli.h"
#include "lakthan/ingest.h"

#include <getopt.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: lakthan ingest [--year Y] [--title T] [--description D] [--json] PATH...\n"
	"\n"
	"Add files to the archive. A PATH may be a file, a folder (read recursively;\n"
	"symbolic links inside it are not followed) or a .zip of files.\n"
	"Each file is stored once (by SHA-256), typed from its bytes, and its text\n"
	"extracted in a sandboxed child process.\n"
	"\n"
	"  --year Y         fiscal year in the Buddhist Era (e.g. 2567)\n"
	"  --title T        title for the documents (default: the file name)\n"
	"  --description D  description for the documents\n"
	"  --json           one JSON object per file on stdout\n"
	"\n"
	"Exit status: 0 all added or duplicate, 1 some file rejected, 2 bad usage.\n";

struct progress {
	int json;
	int tty;
	long files, added, duplicate, rejected;
};

static void print_json(const struct ingest_item *it)
{
	int ok = it->outcome != INGEST_REJECTED;
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(it->path));
	json_object_set_new(o, "id", ok ? json_integer(it->id) : json_null());
	json_object_set_new(o, "filename", it->filename ? json_string(it->filename) : json_null());
	json_object_set_new(o, "sha256", it->sha256[0] ? json_string(it->sha256) : json_null());
	json_object_set_new(o, "size", json_integer((json_int_t)it->size));
	json_object_set_new(o, "mime", it->mime[0] ? json_string(it->mime) : json_null());
	json_object_set_new(o, "status", json_string(ingest_outcome_name(it->outcome)));
	json_object_set_new(o, "text_status", ok ? json_string(it->text_status) : json_null());
	json_object_set_new(o, "text_chars", json_integer(it->text_chars));
	json_object_set_new(o, "error", ok ? json_null() : json_string(it->error));
	/* paths may hold bytes that are not UTF-8: jansson then refuses the string */
	if (!json_object_get(o, "path"))
		json_object_set_new(o, "path", json_string(it->filename ? it->filename : "(name not UTF-8)"));
	char *s = json_dumps(o, JSON_COMPACT);
	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(o);
}

static void on_item(const struct ingest_item *it, void *arg)
{
	struct progress *p = arg;
	p->files++;
	if (it->outcome == INGEST_ADDED)
		p->added++;
	else if (it->outcome == INGEST_DUPLICATE)
		p->duplicate++;
	else
		p->rejected++;
	if (p->tty)
		fputs("\r\033[K", stderr);
	if (p->json)
		print_json(it);
	else if (it->outcome == INGEST_REJECTED)
		cli_error(it->path, "%s", it->error);
	else
		printf("%-9s %6lld  %s  %s  text: %s (%lld chars)\n", ingest_outcome_name(it->outcome),
		       it->id, it->path, it->mime, it->text_status, it->text_chars);
	fflush(stdout);
	if (p->tty) {
		fprintf(stderr, "[%ld files: %ld added, %ld duplicate, %ld rejected] ", p->files, p->added, p->duplicate, p->rejected);
		fflush(stderr);
	}
}

int cli_ingest(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"year", required_argument, NULL, 'y'},
		{"title", required_argument, NULL, 't'},
		{"description", required_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct ingest_opts o;
	ingest_opts_default(&o);
	struct progress p = {0};
	char err[LK_ERRLEN];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'y':
			o.year = lk_parse_year(optarg, err);
			if (o.year < 0) {
				cli_error("--year", "%s", err);
				return EXIT_USAGE;
			}
			break;
		case 't': o.title = optarg; break;
		case 'd': o.description = optarg; break;
		case 'j': p.json = 1; break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default:
			cli_error("ingest", "unknown or incomplete option %s (see lakthan ingest --help)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_error("ingest", "no files given (see lakthan ingest --help)");
		return EXIT_USAGE;
	}
	struct passwd *pw = getpwuid(getuid());
	char *who = lk_asprintf("cli:%s", pw ? pw->pw_name : "unknown");
	o.uploaded_by = who;
	p.tty = isatty(2);

	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		free(who);
		return EXIT_FAILED;
	}
	for (int i = optind; i < argc; i++)
		ingest_path(&dd, argv[i], &o, on_item, &p);
	datadir_close(&dd);
	free(who);
	if (p.tty)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "ingest: %ld files: %ld added, %ld duplicate, %ld rejected\n",
		p.files, p.added, p.duplicate, p.rejected);
	return p.rejected ? EXIT_FAILED : EXIT_OK;
}
