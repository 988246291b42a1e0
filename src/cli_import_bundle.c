/* cli_import_bundle: `lakthan import-bundle FILE.zip` — verify a yearly
 * bundle and restore it into an empty archive. */
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
	"usage: lakthan import-bundle [--json] FILE.zip\n"
	"\n"
	"Verify a bundle written by lakthan export (every checksum of its BagIt\n"
	"manifests, its completeness and Payload-Oxum) and, only when it holds,\n"
	"restore it into this archive, which must hold no plan and no documents:\n"
	"the plan, the documents with their ids, files and metadata, the links, and\n"
	"the audit records about the documents (kept as imported history). The\n"
	"text of each document is extracted again. A bag that fails names the file.\n"
	"\n"
	"--json   print {\"year\",\"issues\",\"measures\",\"documents\",\"links\",\"audit_records\"}\n";

int cli_import_bundle(const struct cli_ctx *ctx, int argc, char **argv)
{
	const char *zip = NULL;
	int json = 0;
	char err[LK_ERRLEN];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (argv[i][0] == '-' || zip) {
			cli_error("import-bundle", "unexpected argument %s (see lakthan import-bundle --help)", argv[i]);
			return EXIT_USAGE;
		} else {
			zip = argv[i];
		}
	}
	if (!zip) {
		cli_error("import-bundle", "needs a FILE.zip (see lakthan import-bundle --help)");
		return EXIT_USAGE;
	}
	if (access(zip, R_OK) != 0) {
		cli_error(zip, "cannot be read");
		return EXIT_USAGE;
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	struct passwd *pw = getpwuid(getuid());
	char *who = lk_asprintf("cli:%s", pw ? pw->pw_name : "unknown");
	struct bundle_import_result r;
	int usage = 0;
	int rc = bundle_import(&dd, zip, who, &r, &usage, err);
	free(who);
	datadir_close(&dd);
	if (rc != 0) {
		cli_error(zip, "%s", err);
		return usage ? EXIT_USAGE : EXIT_FAILED;
	}
	if (json) {
		json_t *j = json_pack("{s:i, s:i, s:i, s:I, s:I, s:I}", "year", r.year, "issues", r.issues, "measures",
				      r.measures, "documents", (json_int_t)r.documents, "links", (json_int_t)r.links,
				      "audit_records", (json_int_t)r.audit_records);
		char *s = json_dumps(j, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		printf("bundle %d restored: %d issues, %d measures, %lld documents, %lld links, %lld audit records\n",
		       r.year, r.issues, r.measures, r.documents, r.links, r.audit_records);
	}
	return EXIT_OK;
}
