/* main: set a UTF-8 character locale, then hand over to the CLI. */
#include "lakthan/cli.h"
#include <locale.h>

int main(int argc, char **argv)
{
	/* libarchive converts entry names through the locale: Thai names in a
	 * ZIP read as empty under "C", so use UTF-8 whatever the environment */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	return cli_main(argc, argv);
}
