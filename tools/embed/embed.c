/*
 * embed: turn files into one C source of byte arrays, so the lakthan binary
 * carries its schema migrations and web assets without reading the disk.
 *
 *   embed FILE... > embedded.c
 *
 * Emits `const struct embedded_file embedded_files[]` (see
 * include/lakthan/embedded.h), sorted as given, ending with a {NULL} entry.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	printf("#include \"lakthan/embedded.h\"\n");
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		printf("static const unsigned char f%d[] = {", i);
		int c;
		long n = 0;
		while ((c = getc(f)) != EOF)
			printf("%s%d,", (n++ % 20) ? "" : "\n", c);
		printf("0};\n");
		fclose(f);
	}
	printf("const struct embedded_file embedded_files[] = {\n");
	for (int i = 1; i < argc; i++)
		printf("\t{\"%s\", f%d, sizeof f%d - 1},\n", argv[i], i, i);
	printf("\t{0, 0, 0}\n};\n");
	return 0;
}
