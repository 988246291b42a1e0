/*
 * cli: the command line (see CONTRACT.md). cli_main() parses the global
 * options, opens the data directory when the command needs it and dispatches
 * to one cli_<command>() per file. Exit status: 0 ok, 1 the work ran but
 * something failed, 2 bad usage or bad input.
 */
#ifndef LAKTHAN_CLI_H
#define LAKTHAN_CLI_H

#define LAKTHAN_VERSION "0.1.0"

int cli_main(int argc, char **argv);

#endif
