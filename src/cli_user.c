/* cli_user: `lakthan user add|token|list` — accounts from the command line. */
#include "lakthan/cli.h"
#include "lakthan/auth.h"
#include "lakthan/datadir.h"
#include "lakthan/util.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: lakthan user add NAME --role ROLE   (password: one line on stdin)\n"
	"       lakthan user token NAME             (prints a new API token, shown once)\n"
	"       lakthan user list                   (NAME ROLE per line)\n"
	"\n"
	"ROLE is admin, staff, assessor or archivist. Passwords are stored as\n"
	"yescrypt hashes and tokens only as their SHA-256.\n";

/* Read one line from stdin into buf (without its newline); -1 when none. */
static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	size_t len = strlen(buf);
	/* a line that filled the buffer without its newline is too long */
	if (len == n - 1 && buf[len - 1] != '\n')
		return -1;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

/* `user add NAME --role ROLE` */
static int user_add(struct datadir *dd, int argc, char **argv)
{
	const char *name = NULL, *role = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strncmp(argv[i], "--role=", 7) == 0)
			role = argv[i] + 7;
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else {
			cli_error("user add", "unexpected argument %s (see lakthan user --help)", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!name || !role) {
		cli_error("user add", "needs NAME and --role ROLE (see lakthan user --help)");
		return EXIT_USAGE;
	}
	enum auth_role r = auth_role_parse(role);
	if (r == ROLE_NONE) {
		cli_error("user add", "unknown role '%s': use admin, staff, assessor or archivist", role);
		return EXIT_USAGE;
	}
	char pw[AUTH_PASSWORD_MAX + 2], err[LK_ERRLEN];
	if (read_password(pw, sizeof pw) != 0) {
		cli_error("user add", "expected the password as one line on stdin (at most %d bytes)", AUTH_PASSWORD_MAX);
		return EXIT_USAGE;
	}
	int rc = auth_user_add(dd->db, name, r, pw, "cli", err);
	memset(pw, 0, sizeof pw);
	if (rc != 0) {
		cli_error("user add", "%s", err);
		return EXIT_USAGE;
	}
	printf("user %s added (%s)\n", name, auth_role_name(r));
	return EXIT_OK;
}

int cli_user(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "add") != 0 && strcmp(sub, "token") != 0 && strcmp(sub, "list") != 0) {
		cli_error("user", "unknown subcommand %s (see lakthan user --help)", sub);
		return EXIT_USAGE;
	}
	if (strcmp(sub, "token") == 0 && argc != 3) {
		cli_error("user token", "needs exactly one NAME");
		return EXIT_USAGE;
	}
	char err[LK_ERRLEN];
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	int rc = EXIT_OK;
	if (strcmp(sub, "add") == 0) {
		rc = user_add(&dd, argc, argv);
	} else if (strcmp(sub, "token") == 0) {
		char token[65];
		if (auth_token_new(dd.db, argv[2], "cli", token, err) != 0) {
			cli_error("user token", "%s", err);
			rc = EXIT_USAGE;
		} else {
			printf("%s\n", token);
		}
	} else {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(dd.db, "SELECT name, role FROM account WHERE disabled_at IS NULL ORDER BY name", -1, &st, NULL) == SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW)
				printf("%s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
			sqlite3_finalize(st);
		} else {
			cli_error("user list", "%s", sqlite3_errmsg(dd.db));
			rc = EXIT_FAILED;
		}
	}
	datadir_close(&dd);
	return rc;
}
