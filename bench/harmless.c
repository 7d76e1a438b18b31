/* harmless.c: see harmless.h.  Each entry names the check (Linux 6.x
 * source) that refuses its arguments before anything changes; the measuring
 * child compares the unconfined result with the errno written here. */
#define _GNU_SOURCE
#include "harmless.h"

#include "probe.h" /* PROBE_IMPOSSIBLE_PATH: one definition of "a path that cannot exist" */

#include <string.h>

#define P0 0x1u
#define P1 0x2u

const struct harmless_form harmless_forms[] = {
	/* Side-effect free: they read the caller's own state. */
	{ "getpid", { 0 }, 0, "0", "reads the caller's pid" },
	{ "getppid", { 0 }, 0, "0", "reads the parent's pid" },
	{ "gettid", { 0 }, 0, "0", "reads the caller's tid" },
	{ "getuid", { 0 }, 0, "0", "reads the caller's uid" },
	{ "geteuid", { 0 }, 0, "0", "reads the caller's euid" },
	{ "getgid", { 0 }, 0, "0", "reads the caller's gid" },
	{ "getegid", { 0 }, 0, "0", "reads the caller's egid" },
	{ "getpgrp", { 0 }, 0, "0", "reads the caller's process group" },
	{ "gettimeofday", { 0, 0 }, 0, "0", "both pointers NULL: nothing is read or written" },
	{ "times", { 0 }, 0, "0", "NULL buffer: returns the clock ticks only" },
	{ "sched_yield", { 0 }, 0, "0", "yields the CPU; the measuring child is alone at its SCHED_FIFO priority" },
	{ "poll", { 0, 0, 0 }, 0, "0", "no descriptors and a timeout of 0: returns at once" },
	{ "sigaltstack", { 0, 0 }, 0, "0", "both pointers NULL: neither reads nor sets the stack" },
	{ "getcpu", { 0, 0, 0 }, 0, "0", "NULL pointers: nothing is written" },
	{ "brk", { 0 }, 0, "0", "brk(0) is below the heap's start: returns the current break unchanged" },
	{ "personality", { 0xffffffff }, 0, "0", "0xffffffff queries the persona without setting it" },
	/* A file descriptor of -1: fdget() fails first, EBADF. */
	{ "read", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget_pos() fails" },
	{ "write", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget_pos() fails" },
	{ "close", { -1 }, 0, "EBADF", "fd -1: no file to close" },
	{ "pread64", { -1, 0, 0, 0 }, 0, "EBADF", "fd -1: fdget() fails (pos 0 passes the pos < 0 check)" },
	{ "pwrite64", { -1, 0, 0, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "readv", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget_pos() fails before the iovec is read" },
	{ "writev", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget_pos() fails before the iovec is read" },
	{ "fstat", { -1, 0 }, 0, "EBADF", "fd -1: fdget_raw() fails" },
	{ "fstatfs", { -1, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "lseek", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget_pos() fails" },
	{ "fcntl", { -1, 1 /* F_GETFD */, 0 }, 0, "EBADF", "fd -1: fdget_raw() fails" },
	{ "ioctl", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "dup", { -1 }, 0, "EBADF", "fd -1: no file to duplicate" },
	{ "dup2", { -1, -1 }, 0, "EBADF", "oldfd == newfd: returns EBADF when oldfd is not open" },
	{ "dup3", { -1, -1, 0 }, 0, "EINVAL", "oldfd == newfd is refused first" },
	{ "getdents64", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget_pos() fails" },
	{ "getdents", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget_pos() fails" },
	{ "fsync", { -1 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "fdatasync", { -1 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "ftruncate", { -1, 0 }, 0, "EBADF", "fd -1: fdget() fails (length 0 passes the length check)" },
	{ "fallocate", { -1, 0, 0, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "fadvise64", { -1, 0, 0, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "flock",
	  { -1, 0 },
	  0,
	  "EINVAL",
	  "operation 0 is no LOCK_ operation: refused before the descriptor is looked up" },
	{ "fchmod", { -1, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "fchown", { -1, -1, -1 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "fchdir", { -1 }, 0, "EBADF", "fd -1: fdget_raw() fails" },
	{ "setns", { -1, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "sendfile", { -1, -1, 0, 0 }, 0, "EBADF", "in_fd -1: fdget() fails" },
	{ "epoll_wait", { -1, 0, 1, 0 }, 0, "EBADF", "maxevents 1 passes; fd -1: fdget() fails" },
	{ "epoll_pwait", { -1, 0, 1, 0, 0, 8 }, 0, "EBADF", "maxevents 1 passes; fd -1: fdget() fails" },
	{ "epoll_ctl", { -1, 2 /* EPOLL_CTL_DEL */, -1, 0 }, 0, "EBADF", "DEL copies no event; epfd -1: fdget() fails" },
	/* Sockets: the descriptor is looked up first (sockfd_lookup_light). */
	{ "connect", { -1, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "bind", { -1, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "listen", { -1, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "accept", { -1, 0, 0 }, 0, "EBADF", "fd -1: fdget() fails" },
	{ "accept4", { -1, 0, 0, 0 }, 0, "EBADF", "flags 0 pass; fd -1: fdget() fails" },
	{ "getsockname", { -1, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "getpeername", { -1, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "sendto", { -1, 0, 0, 0, 0, 0 }, 0, "EBADF", "an empty buffer; fd -1: sockfd_lookup_light() fails" },
	{ "recvfrom", { -1, 0, 0, 0, 0, 0 }, 0, "EBADF", "an empty buffer; fd -1: sockfd_lookup_light() fails" },
	{ "sendmsg", { -1, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails before the msghdr is read" },
	{ "recvmsg", { -1, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails before the msghdr is read" },
	{ "sendmmsg", { -1, 0, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "recvmmsg", { -1, 0, 0, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "shutdown", { -1, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	{ "setsockopt", { -1, 0, 0, 0, 0 }, 0, "EBADF", "optlen 0 passes; fd -1: fdget() fails" },
	{ "getsockopt", { -1, 0, 0, 0, 0 }, 0, "EBADF", "fd -1: sockfd_lookup_light() fails" },
	/* AF_INET6 (10), so that a rule on the address family is walked; a type
	 * with flag bits other than SOCK_CLOEXEC|SOCK_NONBLOCK is refused before
	 * any socket is made. */
	{ "socket", { 10, -1, 0 }, 0, "EINVAL", "type -1: invalid flag bits in __sys_socket_create()" },
	{ "socketpair", { 1, -1, 0, 0 }, 0, "EINVAL", "type -1: invalid flag bits in __sys_socketpair()" },
	/* Invalid flags, lengths, identifiers: refused by the first check. */
	{ "mmap",
	  { 0, 0, 0, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0 },
	  0,
	  "EINVAL",
	  "length 0: do_mmap() refuses it" },
	{ "munmap", { 0, 0 }, 0, "EINVAL", "length 0: do_vmi_munmap() refuses an empty range" },
	{ "mprotect", { 1, 0, 0 }, 0, "EINVAL", "start 1 is not page aligned" },
	{ "madvise", { 1, 0, 0 }, 0, "EINVAL", "start 1 is not page aligned" },
	{ "mremap", { 1, 0, 0, 0, 0 }, 0, "EINVAL", "old address 1 is not page aligned" },
	{ "msync", { 1, 0, 0 }, 0, "EINVAL", "start 1 is not page aligned" },
	{ "rt_sigprocmask", { 0, 0, 0, 0 }, 0, "EINVAL", "sigsetsize 0 is not sizeof(sigset_t)" },
	{ "rt_sigaction", { 0, 0, 0, 8 }, 0, "EINVAL", "signal 0: do_sigaction() refuses it" },
	{ "futex",
	  { 1, 128 /* FUTEX_WAIT_PRIVATE */, 0, 0, 0, 0 },
	  0,
	  "EINVAL",
	  "address 1 is not 4-byte aligned: get_futex_key() refuses it before waiting" },
	{ "clock_gettime", { 99, 0 }, 0, "EINVAL", "no clock 99" },
	{ "timer_gettime", { 0x7fffffff, 0 }, 0, "EINVAL", "no such timer" },
	{ "timerfd_create", { 99, 0 }, 0, "EINVAL", "no clock 99" },
	{ "nanosleep", { 0, 0 }, 0, "EFAULT", "the request is NULL: nothing to sleep" },
	{ "select", { -1, 0, 0, 0, 0 }, 0, "EINVAL", "n -1: core_sys_select() refuses it" },
	{ "pselect6", { -1, 0, 0, 0, 0, 0 }, 0, "EINVAL", "n -1: core_sys_select() refuses it" },
	{ "pipe2", { 0, 1 }, 0, "EINVAL", "flag 1 is not a pipe2 flag" },
	{ "eventfd2", { 0, 2 }, 0, "EINVAL", "flag 2 is not an eventfd flag" },
	{ "epoll_create1", { 1 }, 0, "EINVAL", "flag 1 is not EPOLL_CLOEXEC" },
	{ "inotify_init1", { 1 }, 0, "EINVAL", "flag 1 is not IN_CLOEXEC or IN_NONBLOCK" },
	{ "memfd_create", { 0, 0x20 }, 0, "EINVAL", "flag 0x20 is no MFD_ flag: refused before the name is read" },
	{ "getrandom", { 0, 0, 0x100 }, 0, "EINVAL", "flag 0x100 is no GRND_ flag" },
	{ "sched_getaffinity", { 0, 0, 0 }, 0, "EINVAL", "length 0 is shorter than the CPU mask" },
	{ "sched_getparam", { -1, 0 }, 0, "EINVAL", "pid -1 and a NULL param" },
	{ "sched_getscheduler", { -1 }, 0, "EINVAL", "pid -1" },
	{ "getpriority", { 99, 0 }, 0, "EINVAL", "which 99 is no PRIO_ value" },
	{ "getgroups", { -1, 0 }, 0, "EINVAL", "size -1" },
	{ "getitimer", { 99, 0 }, 0, "EINVAL", "no timer 99" },
	{ "getrlimit", { 99, 0 }, 0, "EINVAL", "resource 99 >= RLIM_NLIMITS" },
	{ "prlimit64", { 0, 99, 0, 0 }, 0, "EINVAL", "resource 99 >= RLIM_NLIMITS" },
	{ "getrusage", { 99, 0 }, 0, "EINVAL", "who 99 is no RUSAGE_ value" },
	{ "getcwd", { 0, 0 }, 0, "ERANGE", "size 0 is shorter than the path" },
	{ "uname", { 0 }, 0, "EFAULT", "NULL buffer: copy_to_user() fails, nothing changes" },
	{ "sysinfo", { 0 }, 0, "EFAULT", "NULL buffer: copy_to_user() fails" },
	{ "capget", { 0, 0 }, 0, "EFAULT", "NULL header: its version cannot be read" },
	{ "set_robust_list", { 0, 0 }, 0, "EINVAL", "length 0 is not sizeof(struct robust_list_head)" },
	{ "rseq", { 0, 0, 2, 0 }, 0, "EINVAL", "flag 2 is no RSEQ_ flag" },
	{ "arch_prctl", { 0x7fffffff, 0 }, 0, "EINVAL", "no such arch_prctl code" },
	{ "prctl", { 0x7fffffff, 0, 0, 0, 0 }, 0, "EINVAL", "no such prctl option" },
	{ "kill",
	  { 0x7fffffff, 0 },
	  0,
	  "ESRCH",
	  "pid 0x7fffffff is above PID_MAX_LIMIT: no such process; signal 0 sends nothing" },
	{ "tgkill", { -1, -1, 0 }, 0, "EINVAL", "tgid and pid -1" },
	{ "tkill", { -1, 0 }, 0, "EINVAL", "pid -1" },
	{ "getsid", { 0x7fffffff }, 0, "ESRCH", "no such process" },
	{ "getpgid", { 0x7fffffff }, 0, "ESRCH", "no such process" },
	{ "setpgid", { 0, -1 }, 0, "EINVAL", "pgid -1" },
	{ "setuid", { -1 }, 0, "EINVAL", "uid -1 is INVALID_UID" },
	{ "setgid", { -1 }, 0, "EINVAL", "gid -1 is INVALID_GID" },
	{ "wait4", { -1, 0, 0x100000, 0 }, 0, "EINVAL", "option 0x100000 is no wait4 option" },
	{ "clone",
	  { 0x800 /* CLONE_SIGHAND */, 0, 0, 0, 0 },
	  0,
	  "EINVAL",
	  "CLONE_SIGHAND without CLONE_VM: refused at the top of copy_process(), no task is made" },
	{ "clone3", { 0, 0 }, 0, "EINVAL", "size 0 is below CLONE_ARGS_SIZE_VER0" },
	{ "bpf", { 0x7fffffff, 0, 0 }, 0, "EINVAL", "no such bpf command" },
	{ "openat2", { -100, 0, 0, 0 }, P1, "EINVAL", "size 0 is below OPEN_HOW_SIZE_VER0" },
	/* Paths below /dev/null: the lookup fails with ENOTDIR, nothing is made. */
	{ "open", { 0, 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "openat", { -100 /* AT_FDCWD */, 0, 0 }, P1, "ENOTDIR", "path below /dev/null" },
	{ "stat", { 0, 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "lstat", { 0, 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "newfstatat", { -100, 0, 0, 0 }, P1, "ENOTDIR", "path below /dev/null" },
	{ "statx", { -100, 0, 0, 0x7ff /* STATX_BASIC_STATS */, 0 }, P1, "ENOTDIR", "path below /dev/null" },
	{ "statfs", { 0, 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "access", { 0, 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "faccessat", { -100, 0, 0 }, P1, "ENOTDIR", "path below /dev/null" },
	{ "faccessat2", { -100, 0, 0, 0 }, P1, "ENOTDIR", "path below /dev/null" },
	{ "readlink", { 0, 0, 1 }, P0, "ENOTDIR", "path below /dev/null (the buffer is never written)" },
	{ "readlinkat", { -100, 0, 0, 1 }, P1, "ENOTDIR", "path below /dev/null" },
	{ "chdir", { 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "execve",
	  { 0, 0, 0 },
	  P0,
	  "ENOTDIR",
	  "path below /dev/null: do_open_execat() fails before the point of no return" },
	{ "mkdir", { 0, 0 }, P0, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "mkdirat", { -100, 0, 0 }, P1, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "mknod", { 0, 0, 0 }, P0, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "rmdir", { 0 }, P0, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "unlink", { 0 }, P0, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "unlinkat", { -100, 0, 0 }, P1, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "rename", { 0, 0 }, P0 | P1, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "link", { 0, 0 }, P0 | P1, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "symlink", { 0, 0 }, P0 | P1, "ENOTDIR", "the parent /dev/null is not a directory" },
	{ "truncate", { 0, 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "chmod", { 0, 0 }, P0, "ENOTDIR", "path below /dev/null" },
	{ "chown", { 0, -1, -1 }, P0, "ENOTDIR", "path below /dev/null" },
	{ NULL, { 0 }, 0, NULL, NULL },
};

const struct harmless_form *harmless_form(const char *name)
{
	for (const struct harmless_form *f = harmless_forms; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

void harmless_args(const struct harmless_form *f, long args[6])
{
	for (int i = 0; i < 6; i++)
		args[i] = f->path_args & (1u << i) ? (long)PROBE_IMPOSSIBLE_PATH : f->args[i];
}

int harmless_errno(const struct harmless_form *f)
{
	if (strcmp(f->unconfined, "0") == 0)
		return 0;
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n && strcmp(n, f->unconfined) == 0)
			return e;
	}
	return -1;
}
