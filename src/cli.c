/* cli: global options and command dispatch. */
#include "lakthan/cli.h"
#include <stdio.h>
#include <string.h>

int cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("lakthan %s\n", LAKTHAN_VERSION);
		return 0;
	}
	fprintf(stderr, "lakthan: usage: lakthan [--data DIR] COMMAND [OPTIONS] [ARGS]\n");
	return 2;
}
