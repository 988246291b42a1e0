/* cli_export: `lakthan export --year Y -o FILE.zip` — the yearly bundle. */
#include "lakthan/bundle.h"
#include "lakthan/cli.h"
#include "lakthan/datadir.h"
#include "lakthan/util.h"

#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: lakthan export --year Y -o FILE.zip [--organization NAME] [--json]\n"
	"\n"
	"Write the year's bundle: a ZIP that is a BagIt 1.0 bag (ita-Y/bagit.txt,\n"
	"bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,\n"
	"tagmanifest-sha256.txt, data/index.html, README.html, plan.json,\n"
	"documents.json, documents.csv, audit.jsonl, files/<id>-<name>).\n"
	"The file appears under FILE.zip only when it is complete. The same archive\n"
	"state gives a byte-identical ZIP.\n"
	"\n"
	"--year           the fiscal year (B.E.)\n"
	"-o, --output     where to write the ZIP\n"
	"--organization   Source-Organization in bag-info.txt (default\n"
	"                 $LAKTHAN_ORGANIZATION; left out when neither is set)\n"
	"--json           print {\"path\",\"year\",\"documents\",\"bytes\"} on stdout\n";

int cli_export(const struct cli_ctx *ctx, int argc, char **argv)
{
	int year = 0, json = 0;
	const char *outp = NULL, *org = getenv("LAKTHAN_ORGANIZATION");
	char err[LK_ERRLEN];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--year") == 0 && i + 1 < argc) {
			if ((year = lk_parse_year(argv[++i], err)) < 0) {
				cli_error("export", "--year: %s", err);
				return EXIT_USAGE;
			}
		} else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
			outp = argv[++i];
		} else if (strcmp(argv[i], "--organization") == 0 && i + 1 < argc) {
			org = argv[++i];
		} else {
			cli_error("export", "unexpected argument %s (see lakthan export --help)", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!year || !outp || !*outp) {
		cli_error("export", "needs --year Y and -o FILE.zip (see lakthan export --help)");
		return EXIT_USAGE;
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	struct passwd *pw = getpwuid(getuid());
	char *who = lk_asprintf("cli:%s", pw ? pw->pw_name : "unknown");
	struct bundle_opts o = {year, org, who};
	int usage = 0;
	int rc = bundle_export_file(dd.db, &dd.blobs, &o, outp, &usage, err);
	free(who);
	datadir_close(&dd);
	if (rc != 0) {
		cli_error("export", "%s", err);
		return usage ? EXIT_USAGE : EXIT_FAILED;
	}
	if (json) {
		FILE *f = fopen(outp, "rb");
		long size = -1;
		if (f && fseek(f, 0, SEEK_END) == 0)
			size = ftell(f);
		if (f)
			fclose(f);
		json_t *j = json_pack("{s:s, s:i, s:I}", "path", outp, "year", year, "bytes", (json_int_t)size);
		char *s = json_dumps(j, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
		json_decref(j);
	}
	return EXIT_OK;
}
