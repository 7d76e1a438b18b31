/* fuzz_lint: sclint on the input, as `run.sh lint FILE` runs it (text or
 * --json, with or without --notes: chosen by the input's hash).  sclint.c
 * is compiled with main renamed sclint_main. */
#include "fuzz_common.h"

#include "policy.h"

int sclint_main(int argc, char **argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	uint64_t h = fuzz_hash(data, size);
	int fd = fuzz_input_file(data, size, path, sizeof(path));
	char *argv[6];
	int argc = 0;

	if (fd < 0)
		return 0;
	argv[argc++] = "sclint";
	if (h & 1)
		argv[argc++] = "--json";
	if (h & 2)
		argv[argc++] = "--notes";
	argv[argc++] = "--";
	argv[argc++] = path;
	argv[argc] = NULL;
	sclint_main(argc, argv);
	close(fd);
	return 0;
}
