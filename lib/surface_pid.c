/* surface_pid.c: the filters a running process really has, read back with
 * ptrace(PTRACE_SECCOMP_GET_FILTER) (Linux 4.4; the kernel needs
 * CONFIG_SECCOMP_FILTER and CONFIG_CHECKPOINT_RESTORE; the caller needs
 * CAP_SYS_ADMIN and no seccomp filter of its own).  For a container, that
 * is the filter the runtime installed, its own additions included (runc's
 * ENOSYS stub), not the profile it was given. */
#define _GNU_SOURCE
#include "surface.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif
#define MAX_FILTERS 64

static const char *why_not(int e)
{
	switch (e) {
	case EIO:
	case EINVAL:
		return "this kernel has no PTRACE_SECCOMP_GET_FILTER (built without CONFIG_CHECKPOINT_RESTORE or CONFIG_SECCOMP_FILTER): the runtime's filter cannot be read back";
	case EACCES:
		return "refused (EACCES): the reader needs CAP_SYS_ADMIN and must not run under a seccomp filter itself";
	case EMEDIUMTYPE: return "the filter is not classic BPF (EMEDIUMTYPE)";
	default: return strerror(e);
	}
}

int surface_read_pid(pid_t pid, struct surface *s, char *err, size_t err_size)
{
	struct sock_fprog progs[MAX_FILTERS];
	unsigned n = 0;
	int status, rc = -1;

	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		snprintf(err, err_size, "pid %d: ptrace(PTRACE_SEIZE): %s", (int)pid, strerror(errno));
		return -1;
	}
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0 || waitpid(pid, &status, __WALL) < 0) {
		snprintf(err, err_size, "pid %d: cannot stop it for reading: %s", (int)pid, strerror(errno));
		ptrace(PTRACE_DETACH, pid, 0, 0);
		return -1;
	}
	for (;;) {
		long len = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)(long)n, NULL);
		if (len < 0 && errno == ENOENT)
			break; /* no filter with that index: all read */
		if (len < 0) {
			snprintf(err, err_size, "pid %d: ptrace(PTRACE_SECCOMP_GET_FILTER, %u): %s", (int)pid, n,
				 why_not(errno));
			goto out;
		}
		if (n == MAX_FILTERS) {
			snprintf(err, err_size, "pid %d: more than %d stacked filters", (int)pid, MAX_FILTERS);
			goto out;
		}
		progs[n].len = (unsigned short)len;
		progs[n].filter = calloc((size_t)len + 1, sizeof(struct sock_filter));
		if (!progs[n].filter) {
			snprintf(err, err_size, "out of memory");
			goto out;
		}
		n++;
		if (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)(long)(n - 1), progs[n - 1].filter) != len) {
			snprintf(err, err_size, "pid %d: filter %u changed while read", (int)pid, n - 1);
			goto out;
		}
	}
	/* Index 0 is the newest; the surface keeps them oldest first. */
	s->progs = calloc(n + 1, sizeof(*s->progs));
	if (!s->progs) {
		snprintf(err, err_size, "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		s->progs[i] = progs[n - 1 - i];
	s->n_progs = n;
	s->unconfined = n == 0;
	n = 0;
	rc = 0;
out:
	for (unsigned i = 0; i < n; i++)
		free(progs[i].filter);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return rc;
}
