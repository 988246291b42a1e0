/* cli_ingest: `lakthan ingest` — files, folders and ZIPs into the archive. */
#include "lakthan/cli.h"
#include "lakthan/ingest.h"
#include "lakthan/links.h"
#include "lakthan/plan.h"
#include "lakthan/search.h"
#include "lakthan/versions.h"

#include <getopt.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
	"usage: lakthan ingest [--year Y] [--measure M]... [--question Q]... [--title T]\n"
	"                      [--description D] [--supersedes ID] [--json] PATH...\n"
	"\n"
	"Add files to the archive. A PATH may be a file, a folder (read recursively;\n"
	"symbolic links inside it are not followed) or a .zip of files.\n"
	"Each file is stored once (by SHA-256), typed from its bytes, and its text\n"
	"extracted in a sandboxed child process.\n"
	"\n"
	"  --year Y         fiscal year in the Buddhist Era (e.g. 2567)\n"
	"  --title T        title for the documents (default: the file name)\n"
	"  --description D  description for the documents\n"
	"  --measure M      link every added or duplicate document to measure M (1.2)\n"
	"  --question Q     ... and to ITA question Q (i19); both repeatable. They must\n"
	"                   exist in the plan of --year (else the newest plan), checked\n"
	"                   before anything is ingested\n"
	"  --supersedes ID  the file (one file only) is a new version of document ID,\n"
	"                   which stays, marked superseded\n"
	"  --json           one JSON object per file on stdout\n"
	"\n"
	"Exit status: 0 all added or duplicate, 1 some file rejected, 2 bad usage.\n";

struct progress {
	int json;
	int tty;
	long files, added, duplicate, rejected;
	/* links to make for each document added or found duplicate */
	sqlite3 *db;
	const struct link_target *targets;
	size_t ntargets;
	int link_year;
	const char *who;
	long link_failed;
	long long supersedes;    /* --supersedes: for a duplicate, set here */
	int supersede_refused;   /* ... and refused */
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
	char err[LK_ERRLEN];
	if (it->outcome != INGEST_REJECTED && p->ntargets &&
	    links_add_all(p->db, it->id, p->link_year, p->targets, p->ntargets, p->who, err) != 0) {
		cli_error(it->path, "document %lld stored, but not linked: %s", it->id, err);
		p->link_failed++;
	}
	/* bytes the archive holds already: that document becomes the new version */
	if (it->outcome == INGEST_DUPLICATE && p->supersedes) {
		if (versions_supersede_tx(p->db, it->id, p->supersedes, p->who, err) != VERSIONS_OK) {
			cli_error(it->path, "document %lld (same bytes) cannot supersede %lld: %s", it->id, p->supersedes, err);
			p->supersede_refused++;
		}
	}
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
		{"measure", required_argument, NULL, 'm'},
		{"question", required_argument, NULL, 'q'},
		{"supersedes", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct ingest_opts o;
	ingest_opts_default(&o);
	struct progress p = {0};
	char err[LK_ERRLEN];
	int c;
	struct link_target *targets = lk_calloc((size_t)argc, sizeof *targets);
	char (*codes)[16] = lk_calloc((size_t)argc, sizeof *codes);
	size_t nt = 0;
	int rc = EXIT_USAGE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'y':
			o.year = lk_parse_year(optarg, err);
			if (o.year < 0) {
				cli_error("--year", "%s", err);
				goto out;
			}
			break;
		case 't': o.title = optarg; break;
		case 'd': o.description = optarg; break;
		case 'j': p.json = 1; break;
		case 'm': {
			int is, pos;
			if (plan_parse_measure_code(optarg, &is, &pos, err) != 0) {
				cli_error("--measure", "%s", err);
				goto out;
			}
			snprintf(codes[nt], sizeof codes[nt], "%d.%d", is, pos);
			targets[nt].kind = LINK_MEASURE;
			targets[nt].code = codes[nt];
			nt++;
			break;
		}
		case 'q':
			if (search_question_code(optarg, codes[nt], err) != 0) {
				cli_error("--question", "%s", err);
				goto out;
			}
			targets[nt].kind = LINK_QUESTION;
			targets[nt].code = codes[nt];
			nt++;
			break;
		case 's': {
			char *end;
			o.supersedes = strtoll(optarg, &end, 10);
			if (!*optarg || *end || o.supersedes <= 0) {
				cli_error("--supersedes", "'%s' is not a document id", optarg);
				goto out;
			}
			break;
		}
		case 'h': fputs(help, stdout); rc = EXIT_OK; goto out;
		default:
			cli_error("ingest", "unknown or incomplete option %s (see lakthan ingest --help)", argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		cli_error("ingest", "no files given (see lakthan ingest --help)");
		goto out;
	}
	if (o.supersedes) {
		struct stat sb;
		if (argc - optind != 1 || stat(argv[optind], &sb) != 0 || !S_ISREG(sb.st_mode)) {
			cli_error("--supersedes", "a new version is one file: give exactly one file, not a folder");
			goto out;
		}
	}
	struct passwd *pw = getpwuid(getuid());
	char *who = lk_asprintf("cli:%s", pw ? pw->pw_name : "unknown");
	o.uploaded_by = who;
	p.tty = isatty(2);

	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		free(who);
		rc = EXIT_FAILED;
		goto out;
	}
	if (o.supersedes) {
		enum versions_result vr = versions_check(dd.db, 0, o.supersedes, err);
		if (vr != VERSIONS_OK) {
			cli_error("--supersedes", "%s; nothing was ingested", err);
			goto close;
		}
		p.db = dd.db;
		p.who = who;
		p.supersedes = o.supersedes;
	}
	/* every measure and question must exist before a single file goes in */
	if (nt) {
		p.link_year = links_default_year(dd.db, o.year);
		if (!p.link_year) {
			cli_error("ingest", "--measure/--question: there is no plan in this archive yet (import one with lakthan import-plan); nothing was ingested");
			goto close;
		}
		for (size_t k = 0; k < nt; k++)
			if (links_check(dd.db, p.link_year, &targets[k], err) != 0) {
				cli_error("ingest", "%s; nothing was ingested", err);
				goto close;
			}
		p.db = dd.db;
		p.targets = targets;
		p.ntargets = nt;
		p.who = who;
	}
	for (int i = optind; i < argc; i++)
		ingest_path(&dd, argv[i], &o, on_item, &p);
	if (p.tty)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "ingest: %ld files: %ld added, %ld duplicate, %ld rejected\n",
		p.files, p.added, p.duplicate, p.rejected);
	rc = p.supersede_refused ? EXIT_USAGE : p.rejected || p.link_failed ? EXIT_FAILED : EXIT_OK;
close:
	datadir_close(&dd);
	free(who);
out:
	free(targets);
	free(codes);
	return rc;
}
