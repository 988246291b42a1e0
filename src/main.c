/* main: hand the command line to the CLI dispatcher. */
#include "lakthan/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
