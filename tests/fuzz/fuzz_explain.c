/* fuzz_explain: scexplain on the input as its profile, for a call the
 * input's hash picks (syscall, ABI, arguments, capabilities, kernel).
 * scexplain.c is compiled with main renamed scexplain_main. */
#include "fuzz_common.h"

#include "policy.h"

int scexplain_main(int argc, char **argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const calls[] = { "read",  "personality", "clone", "socket", "ioctl",
					     "mount", "getpid",	     "prctl", "clone3", "socketcall" };
	static const char *const arches[] = { "x86_64", "i386", "x32", "aarch64" };
	static const char *const caps[] = { "docker-default", "all", "none", "docker-default,CAP_SYS_ADMIN" };
	static const char *const kernels[] = { "6.18", "4.4", "5.10", "4.8" };
	char path[64], args[3][24];
	uint64_t h = fuzz_hash(data, size);
	int fd = fuzz_input_file(data, size, path, sizeof(path));
	char *argv[20];
	int argc = 0;

	if (fd < 0)
		return 0;
	argv[argc++] = "scexplain";
	if (h & 1)
		argv[argc++] = "--json";
	if (h & 2)
		argv[argc++] = "--bpf";
	argv[argc++] = "--arch";
	argv[argc++] = (char *)arches[(h >> 2) % 4];
	argv[argc++] = "--caps";
	argv[argc++] = (char *)caps[(h >> 4) % 4];
	argv[argc++] = "--kernel";
	argv[argc++] = (char *)kernels[(h >> 6) % 4];
	argv[argc++] = "--";
	argv[argc++] = path;
	argv[argc++] = (char *)calls[(h >> 8) % 10];
	/* Small values and the flag bits the bundled profiles test. */
	for (int i = 0; i < 3; i++) {
		uint64_t v = (h >> (16 + 16 * i)) & 0xffff;
		snprintf(args[i], sizeof(args[i]), "%llu", (unsigned long long)(i == 0 && (h & 0x8000) ? v << 16 : v));
		argv[argc++] = args[i];
	}
	argv[argc] = NULL;
	scexplain_main(argc, argv);
	close(fd);
	return 0;
}
