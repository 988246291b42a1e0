/* cli_verify: `lakthan verify` — check the whole archive. */
#include "lakthan/cli.h"
#include "lakthan/verify.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: lakthan verify [--json]\n"
	"\n"
	"Check every stored file against its SHA-256 and size, look for files that\n"
	"belong to no document, run the database's integrity check, and check that\n"
	"every document with text has it stored. Lists each problem; exit 1 if any.\n";

struct vout {
	int json;
	json_t *problems;
};

static void on_problem(const struct verify_problem *p, void *arg)
{
	struct vout *v = arg;
	if (!v->json) {
		printf("problem: %s: %s\n", p->kind, p->message);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(p->kind));
	json_object_set_new(o, "document", p->document ? json_integer(p->document) : json_null());
	json_object_set_new(o, "sha256", p->sha256[0] ? json_string(p->sha256) : json_null());
	json_object_set_new(o, "message", json_string(p->message));
	json_array_append_new(v->problems, o);
}

int cli_verify(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct vout v = {0, NULL};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			v.json = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return EXIT_OK;
		} else {
			cli_error("verify", "unexpected argument %s (see lakthan verify --help)", argv[i]);
			return EXIT_USAGE;
		}
	}
	char err[LK_ERRLEN];
	struct datadir dd;
	if (datadir_open(&dd, ctx->data, err) != 0) {
		cli_error(ctx->data, "%s", err);
		return EXIT_FAILED;
	}
	v.problems = json_array();
	struct verify_summary sum;
	int rc = verify_archive(&dd, on_problem, &v, &sum, err);
	datadir_close(&dd);
	if (rc != 0) {
		cli_error("verify", "%s", err);
		json_decref(v.problems);
		return EXIT_FAILED;
	}
	if (v.json) {
		json_t *o = json_pack("{s:b, s:I, s:I, s:I, s:O}", "ok", sum.problems == 0,
				      "documents", (json_int_t)sum.documents, "blobs", (json_int_t)sum.blobs,
				      "bytes", (json_int_t)sum.bytes, "problems", v.problems);
		char *s = json_dumps(o, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		printf("%s: %lld documents, %lld files (%lld bytes) checked, %lld problems\n",
		       sum.problems ? "FAILED" : "ok", sum.documents, sum.blobs, sum.bytes, sum.problems);
	}
	json_decref(v.problems);
	return sum.problems ? EXIT_FAILED : EXIT_OK;
}
