/* cli_serve: `lakthan serve` — options, then the HTTP service (http.h). */
#include "lakthan/cli.h"
#include "lakthan/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: lakthan serve [--listen ADDR:PORT] [--max-upload-mb N] [--web-dir DIR]\n"
	"\n"
	"Run the HTTP service (default 127.0.0.1:8080; uploads up to 2048 MiB).\n"
	"Stops cleanly on SIGINT or SIGTERM: requests in progress finish first.\n"
	"One access log line per request goes to stderr.\n"
	"The web UI is built in; --web-dir DIR serves it from DIR (the project's\n"
	"web/ folder) instead, for working on it without rebuilding.\n";

int cli_serve(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct http_config cfg;
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.addr, sizeof cfg.addr, "127.0.0.1");
	cfg.port = 8080;
	cfg.max_upload = 2048ULL << 20;
	cfg.threads = 4;
	cfg.extractors = 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--listen") == 0 && v) {
			i++;
			const char *colon = strrchr(v, ':');
			char *end;
			long port = colon ? strtol(colon + 1, &end, 10) : -1;
			if (!colon || colon == v || (size_t)(colon - v) >= sizeof cfg.addr || *end || port < 1 || port > 65535) {
				cli_error("serve", "--listen wants ADDR:PORT, e.g. 127.0.0.1:8080");
				return EXIT_USAGE;
			}
			snprintf(cfg.addr, sizeof cfg.addr, "%.*s", (int)(colon - v), v);
			cfg.port = (unsigned)port;
		} else if (strcmp(a, "--max-upload-mb") == 0 && v) {
			i++;
			char *end;
			long long n = strtoll(v, &end, 10);
			if (*end || n < 1 || n > 1024 * 1024) {
				cli_error("serve", "--max-upload-mb wants a number of MiB from 1");
				return EXIT_USAGE;
			}
			cfg.max_upload = (uint64_t)n << 20;
		} else if (strcmp(a, "--web-dir") == 0 && v) {
			i++;
			char *index = lk_asprintf("%s/index.html", v);
			FILE *f = fopen(index, "r");
			free(index);
			if (!f) {
				cli_error("serve", "--web-dir %s: no index.html there", v);
				return EXIT_USAGE;
			}
			fclose(f);
			http_static_set_dir(v);
		} else {
			cli_error("serve", "unexpected argument %s (see lakthan serve --help)", a);
			return EXIT_USAGE;
		}
	}
	char err[LK_ERRLEN];
	if (http_serve(ctx->data, &cfg, err) != 0) {
		cli_error("serve", "%s", err);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
