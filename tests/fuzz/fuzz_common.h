/* fuzz_common.h: what the libFuzzer targets of tests/fuzz/ share.
 *
 * Every target reads its input the way the suite reads a profile: from a
 * file (a memfd, so profile_parse's reader runs too), never from a string
 * handed over, and judges nothing but the absence of crashes, leaks,
 * undefined behaviour (the sanitizers) and hangs (libFuzzer's -timeout).
 */
#ifndef SECCOMP_SUITE_FUZZ_COMMON_H
#define SECCOMP_SUITE_FUZZ_COMMON_H

#define _GNU_SOURCE
#include "policy.h"

#include <stdbool.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The input as a file: "/proc/self/fd/N" in path; the fd (close it), or -1. */
static inline int fuzz_input_file(const uint8_t *data, size_t size, char *path, size_t path_size)
{
	int fd = memfd_create("fuzz-profile", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}

/* FNV-1a of the input: the same input always picks the same choices. */
static inline uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	return h;
}

/* The tools print findings and answers: to /dev/null, libFuzzer's own
 * report goes to stderr. */
static inline void fuzz_silence_stdout(void)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
}

/* Every target's set-up: libseccomp's hang (policy_compile) costs a second,
 * not five; the tools' own output (silence) goes to /dev/null. */
static inline void fuzz_init(bool silence)
{
	if (silence)
		fuzz_silence_stdout();
	policy_compile_cpu_seconds = 1;
}

#endif
