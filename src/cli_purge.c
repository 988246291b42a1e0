/* cli_purge: `lakthan purge` — remove the bytes of a withdrawn document. */
#include "lakthan/cli.h"
#include "lakthan/versions.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: lakthan purge ID --reason TEXT\n"
	"\n"
	"Remove the stored file, the text and the index entry of document ID, which\n"
	"must be withdrawn already. The document's row stays, marked purged with the\n"
	"reason, and so does every audit record about it; the purge is audited too.\n"
	"Whoever runs the command line on the archive is its administrator.\n"
	"\n"
	"Exit status: 0 purged, 1 the archive could not be changed, 2 bad usage or a\n"
	"document that cannot be purged (none, not withdrawn, purged already).\n";

int cli_purge(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"reason", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	char err[LK_ERRLEN];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default:
			cli_error("purge", "unknown or incomplete option %s (see lakthan purge --help)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("purge", "give one document id (see lakthan purge --help)");
		return EXIT_USAGE;
	}
	char *end;
	long long id = strtoll(argv[optind], &end, 10);
	if (!*argv[optind] || *end || id <= 0) {
		cli_error("purge", "'%s' is not a document id", argv[optind]);
		return EXIT_USAGE;
	}
	if (!reason || !*reason || !lk_utf8_valid(reason, strlen(reason))) {
		cli_error("purge", "--reason TEXT is required: why the bytes are removed is part of the record");
		return EXIT_USAGE;
	}
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	struct passwd *pw = getpwuid(getuid());
	char *who = lk_asprintf("cli:%s", pw ? pw->pw_name : "unknown");
	int kept = 0, rc;
	enum versions_result vr = versions_purge(&dd, id, who, reason, &kept, err);
	if (vr == VERSIONS_OK) {
		printf("purged    %6lld\n", id);
		if (kept)
			cli_error("purge", "document %lld: %s", id, err);
		rc = EXIT_OK;
	} else {
		cli_error("purge", "%s", err);
		rc = vr == VERSIONS_DB ? EXIT_FAILED : EXIT_USAGE;
	}
	free(who);
	datadir_close(&dd);
	return rc;
}
