/* probe.h: what one probe program declares.
 *
 * A probe is a table entry plus one function that performs its syscall once
 * through syscall(2).  Everything else (the child process, the filter, the
 * verdict, the JSON line) lives in programs/probe_main.c.
 *
 *   #ifdef __NR_mount
 *   static long mount_run(void)
 *   {
 *           return syscall(__NR_mount, ...);
 *   }
 *   PROBE(mount, .nr = __NR_mount, .run = mount_run, .unconfined = "ENOTDIR");
 *   PROBE(cachestat, .nr = __NR_cachestat, .run = cachestat_run, .unconfined = "EBADF",
 *         .since = "6.5");
 *   #else
 *   PROBE_ABSENT(mount);
 *   #endif
 *
 * Variants of one syscall live in the same file and each builds into its own
 * program, build/<abi>/probes/<syscall>.<variant>:
 *
 *   PROBE_VARIANT(clone, newns, .nr = __NR_clone, .run = clone_newns_run, ...);
 */
#ifndef SECCOMP_SUITE_PROBE_H
#define SECCOMP_SUITE_PROBE_H

#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A successful call does not return: it ends the process (exit_group).  The
 * probe passes PROBE_EXIT_STATUS as the status so that the runner can tell
 * "the call ran" from any other exit. */
#define PROBE_EXITS 0x1u
#define PROBE_EXIT_STATUS 93

#define PROBE_ABSENT_NR (-1L)

struct probe {
	const char *syscall; /* kernel name: "clone" */
	const char *variant; /* NULL, or "newns" for clone.newns */
	long nr;	     /* __NR_<syscall> of the ABI built for, or PROBE_ABSENT_NR */
	/* Optional set-up run in the child before the filter is loaded (setsid
	 * before vhangup).  Returns 0, or -1 with errno set: the probe then
	 * reports that it could not run and exits non-zero. */
	int (*prepare)(void);
	/* Performs the syscall exactly once with syscall(2) and returns its
	 * result; errno holds the error when it returns -1.  Between the
	 * filter load and this call nothing else may enter the kernel. */
	long (*run)(void);
	/* Comma-separated errno names the kernel gives when the call runs
	 * unconfined as root ("EINVAL", "ENOTDIR,ENOENT"); "0" for success.
	 * Written from the kernel's argument checks, never from a recording.
	 * These are the answers of every kernel from `since` on.  An answer
	 * that only a kernel built without some option gives carries that
	 * option after a colon: "EINVAL,ENOSYS:CONFIG_KEYS" (ENOSYS where the
	 * kernel lacks CONFIG_KEYS); several options, any of which removes the
	 * call, are joined by '/': "ENOSYS:CONFIG_NUMA/CONFIG_MIGRATION".
	 * ENOSYS is judged by these rules (lib/expect.c, expect_judge):
	 *   - a plain "ENOSYS" is the kernel's answer everywhere (a removed
	 *     call whose table entry is sys_ni_syscall: create_module);
	 *   - "ENOSYS:CONFIG_X" is accepted as the config-dependent answer;
	 *   - otherwise ENOSYS is accepted only from a kernel older than
	 *     `since`, and there it is the only answer accepted.
	 * So a probe whose syscall every supported kernel has, built with
	 * every option, never passes with ENOSYS. */
	const char *unconfined;
	/* The kernel release that added the syscall on the ABI built for
	 * ("6.5" for cachestat), from the kernel's syscall tables and
	 * man-pages' syscalls(2), never from a host.  NULL where the syscall
	 * is older than 4.19, the oldest kernel the suite supports; older
	 * releases are given where the sets speak of them: socket and connect
	 * on i386 are "4.3" (before it, only socketcall(2) reached them). */
	const char *since;
	unsigned flags; /* PROBE_EXITS */
};

#define PROBE_SECTION __attribute__((used, section("probe_table"), aligned(sizeof(void *))))

/* One program: <syscall>. */
#define PROBE(name, ...) \
	static const struct probe probe_entry_##name PROBE_SECTION = { .syscall = #name, .variant = NULL, __VA_ARGS__ }

/* One program: <syscall>.<variant>. */
#define PROBE_VARIANT(name, var, ...)                                                            \
	static const struct probe probe_entry_##name##_##var PROBE_SECTION = { .syscall = #name, \
									       .variant = #var,  \
									       __VA_ARGS__ }

/* The ABI built for has no such syscall: the program reports "absent". */
#define PROBE_ABSENT(name) PROBE(name, .nr = PROBE_ABSENT_NR, .run = NULL, .unconfined = NULL)
#define PROBE_VARIANT_ABSENT(name, var) PROBE_VARIANT(name, var, .nr = PROBE_ABSENT_NR, .run = NULL, .unconfined = NULL)

/* A path that cannot exist on any Linux host: a component below the
 * character device /dev/null fails path lookup with ENOTDIR (ENOENT where
 * /dev/null itself is missing). */
#define PROBE_IMPOSSIBLE_PATH "/dev/null/seccomp-suite-probe"

#endif
