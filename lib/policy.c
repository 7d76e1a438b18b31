/* policy.c: from a profile name or file to the BPF programs a probe or
 * scrun loads. */
#define _GNU_SOURCE
#include "policy.h"

#include "caps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SUITE_PROFILES_DIR
#define SUITE_PROFILES_DIR "profiles"
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

unsigned policy_compile_cpu_seconds = POLICY_COMPILE_CPU_SECONDS;

const char *const policy_bundled_names[] = {
	"docker-default", "docker-26-default", "unconfined", "restrictive", "no-network", NULL,
};

uint32_t host_scmp_arch(void)
{
	struct utsname u;
	uint32_t arch;

	if (uname(&u) == 0) {
		arch = arch_from_any_name(u.machine);
		if (arch)
			return arch;
		if (strncmp(u.machine, "arm", 3) == 0)
			return SCMP_ARCH_ARM;
	}
	return seccomp_arch_native();
}

/* filter_export, with the length of a filter too long to keep in *insns
 * (0 when the export itself failed). */
static int export_counted(scmp_filter_ctx ctx, struct sock_fprog *out, size_t *insns)
{
	int fd = memfd_create("seccomp-suite-bpf", MFD_CLOEXEC);
	struct stat st;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	*insns = 0;
	if (fd < 0)
		return -1;
	/* More than BPF_MAXINSNS the kernel refuses; never cut it to a prefix. */
	if (seccomp_export_bpf(ctx, fd) == 0 && fstat(fd, &st) == 0 && st.st_size > 0 &&
	    st.st_size % (off_t)sizeof(struct sock_filter) == 0) {
		*insns = (size_t)st.st_size / sizeof(struct sock_filter);
		if (*insns <= BPF_MAXINSNS) {
			out->filter = malloc((size_t)st.st_size);
			if (out->filter && pread(fd, out->filter, (size_t)st.st_size, 0) == st.st_size) {
				out->len = (unsigned short)*insns;
				rc = 0;
			} else {
				free(out->filter);
				out->filter = NULL;
				*insns = 0;
			}
		}
	}
	close(fd);
	return rc;
}

int filter_export(scmp_filter_ctx ctx, struct sock_fprog *out)
{
	size_t insns;
	return export_counted(ctx, out, &insns);
}

/* What the compiling child hands back, followed by the BPF program. */
struct compile_reply {
	int status;			/* 0: insns instructions follow; 1: perr; 2: too long; 3: no export */
	size_t insns;
	struct profile_error perr;
};

static void compile_child(const struct profile *resolved, const struct build_opts *bopts, int fd)
{
	struct compile_reply reply = { 0 };
	struct sock_fprog prog = { 0 };
	scmp_filter_ctx filter;

	if (profile_build(resolved, bopts, &filter, &reply.perr)) {
		reply.status = 1;
	} else {
		if (export_counted(filter, &prog, &reply.insns))
			reply.status = reply.insns > BPF_MAXINSNS ? 2 : 3;
		seccomp_release(filter);
	}
	if (write(fd, &reply, sizeof(reply)) == (ssize_t)sizeof(reply) && reply.status == 0 &&
	    write(fd, prog.filter, reply.insns * sizeof(*prog.filter)) == (ssize_t)(reply.insns * sizeof(*prog.filter)))
		_exit(0);
	_exit(reply.status == 0 ? 1 : 0);
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int policy_compile(const struct profile *resolved, const struct build_opts *bopts, struct sock_fprog *out,
		   struct profile_error *err)
{
	unsigned cpu = policy_compile_cpu_seconds ? policy_compile_cpu_seconds : 1;
	struct compile_reply reply;
	int fds[2], status = 0;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", resolved->file ? resolved->file : "");
	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(err->reason, sizeof(err->reason), "cannot compile the filter: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err->reason, sizeof(err->reason), "cannot compile the filter: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		/* RLIMIT_CPU ends a libseccomp that never returns (SIGXCPU,
		 * then SIGKILL); no core file is left behind. */
		struct rlimit cpu_limit = { cpu, cpu + 1 }, no_core = { 0, 0 };
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		setrlimit(RLIMIT_CORE, &no_core);
		setrlimit(RLIMIT_CPU, &cpu_limit);
		compile_child(resolved, bopts, fds[1]);
	}
	close(fds[1]);
	int rc = read_full(fds[0], &reply, sizeof(reply));
	if (rc == 0 && reply.status == 0) {
		if (reply.insns == 0 || reply.insns > BPF_MAXINSNS ||
		    !(out->filter = malloc(reply.insns * sizeof(*out->filter))) ||
		    read_full(fds[0], out->filter, reply.insns * sizeof(*out->filter))) {
			free(out->filter);
			out->filter = NULL;
			rc = -1;
		} else {
			out->len = (unsigned short)reply.insns;
		}
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && reply.status == 0)
		return 0;
	if (rc == 0 && reply.status == 1) {
		memcpy(err->path, reply.perr.path, sizeof(err->path));
		memcpy(err->reason, reply.perr.reason, sizeof(err->reason));
		err->path[sizeof(err->path) - 1] = err->reason[sizeof(err->reason) - 1] = '\0';
	} else if (rc == 0 && reply.status == 2) {
		snprintf(err->reason, sizeof(err->reason),
			 "the filter has %zu BPF instructions, more than the kernel's %d (BPF_MAXINSNS): the kernel would refuse it",
			 reply.insns, BPF_MAXINSNS);
	} else if (rc == 0) {
		snprintf(err->reason, sizeof(err->reason), "libseccomp could not export the filter as BPF");
	} else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)) {
		snprintf(err->reason, sizeof(err->reason),
			 "libseccomp did not finish building the filter within %u s of CPU time (libseccomp 2.5.4 loops forever on some rules with conditions on two arguments): refused",
			 cpu);
	} else if (WIFSIGNALED(status)) {
		snprintf(err->reason, sizeof(err->reason), "libseccomp crashed building the filter (%s): refused",
			 strsignal(WTERMSIG(status)));
	} else {
		snprintf(err->reason, sizeof(err->reason),
			 "the filter could not be compiled (the compiling process exited %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	return -1;
}

bool policy_may_return_errno(const struct policy *p, int e)
{
	if (!p->can_errno)
		return false;
	if (p->errnos_overflow)
		return true;
	for (unsigned i = 0; i < p->n_errnos; i++)
		if (p->errnos[i] == e)
			return true;
	return false;
}

static void note_action(struct policy *p, enum profile_action a, bool has_errno, unsigned e)
{
	switch (a) {
	case ACTION_ERRNO:
		p->can_errno = true;
		e = has_errno ? e : EPERM;
		for (unsigned i = 0; i < p->n_errnos; i++)
			if ((unsigned)p->errnos[i] == e)
				return;
		if (p->n_errnos < sizeof(p->errnos) / sizeof(p->errnos[0]))
			p->errnos[p->n_errnos++] = (int)e;
		else
			p->errnos_overflow = true;
		break;
	case ACTION_TRACE: p->can_trace = true; break;
	case ACTION_NOTIFY: p->can_notify = true; break;
	default: break;
	}
}

struct warn_state {
	const struct policy_opts *opts;
	const char *file;
};

static void on_warning(void *data, const struct profile_rule *r, size_t i, const char *why)
{
	struct warn_state *w = data;
	if (w->opts->verbose_warnings)
		fprintf(stderr, "%s: warning: %s: %s.names[%zu]: \"%s\" %s\n",
			w->opts->prog_name ? w->opts->prog_name : "seccomp-suite", w->file, r->path, i,
			r->names[i], why);
}

/* A bundled name is the bundled profile, whatever the current directory
 * holds (a test's folder may have a file named like its profile); any
 * other argument is a file: a path, or a name that exists here.  Only the
 * bundled name `unconfined` means no filter. */
static int locate(const char *arg, struct policy *out, char *err, size_t err_size)
{
	struct stat st;
	const char *dir = getenv("SECCOMP_SUITE_PROFILES");
	bool bundled = false;

	snprintf(out->name, sizeof(out->name), "%s", arg);
	for (const char *const *n = policy_bundled_names; *n; n++)
		bundled = bundled || strcmp(arg, *n) == 0;
	if (strcmp(arg, "unconfined") == 0) {
		out->unconfined = true;
		return 0;
	}
	if (!bundled && (strchr(arg, '/') || stat(arg, &st) == 0)) {
		snprintf(out->file, sizeof(out->file), "%s", arg);
		return 0;
	}
	if (strcmp(arg, "docker-default") == 0) {
		/* A guest or container without Debian's package points here. */
		const char *path = getenv("SECCOMP_SUITE_DOCKER_DEFAULT");
		snprintf(out->file, sizeof(out->file), "%s", path && *path ? path : DOCKER_DEFAULT_PROFILE);
		if (stat(out->file, &st) != 0) {
			snprintf(err, err_size,
				 "docker-default: %s: %s (it comes from Debian's golang-github-docker-docker-dev: apt-get install golang-github-docker-docker-dev)",
				 out->file, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (strcmp(arg, "docker-26-default") == 0) {
		const char *path = getenv("SECCOMP_SUITE_DOCKER_26_DEFAULT");
		snprintf(out->file, sizeof(out->file), "%s", path && *path ? path : DOCKER_26_DEFAULT_PROFILE);
		if (stat(out->file, &st) != 0) {
			snprintf(err, err_size,
				 "docker-26-default: %s: %s (it comes from Debian 13's golang-github-docker-docker-dev: make moby26, or set SECCOMP_SUITE_DOCKER_26_DEFAULT)",
				 out->file, strerror(errno));
			return -1;
		}
		return 0;
	}
	for (const char *const *n = policy_bundled_names; *n; n++) {
		if (strcmp(arg, *n) != 0)
			continue;
		snprintf(out->file, sizeof(out->file), "%s/%s.json", dir && *dir ? dir : SUITE_PROFILES_DIR, arg);
		if (stat(out->file, &st) != 0) {
			snprintf(err, err_size, "%s: %s: %s (set SECCOMP_SUITE_PROFILES to the suite's profiles/ folder)",
				 arg, out->file, strerror(errno));
			return -1;
		}
		return 0;
	}
	snprintf(err, err_size, "%s: no such file, and not a bundled profile (docker-default, docker-26-default, unconfined, restrictive, no-network)",
		 arg);
	return -1;
}

/* policy_resolve, handing the profile as read to *keep (NULL: freed). */
static int resolve(const char *arg, const struct policy_opts *opts, struct policy *out,
		   struct profile *keep, struct profile *resolved, char *err, size_t err_size)
{
	struct policy_opts defaults = { 0 };
	struct profile parsed;
	struct profile_error perr;
	struct resolve_ctx ctx;
	struct utsname u;

	memset(out, 0, sizeof(*out));
	memset(resolved, 0, sizeof(*resolved));
	if (keep)
		memset(keep, 0, sizeof(*keep));
	opts = opts ? opts : &defaults;
	out->engine = opts->engine ? engine_from_name(opts->engine) : engine_default();
	if (out->engine == ENGINE_DEFAULT) {
		snprintf(err, err_size, "engine '%s': expected docker-20.10 or docker-26", opts->engine);
		return -1;
	}
	out->arch = opts->arch ? opts->arch : host_scmp_arch();
	if (opts->kernel) {
		if (kernel_version_parse(opts->kernel, &out->kernel)) {
			snprintf(err, err_size, "kernel version '%s': expected MAJOR.MINOR such as 6.1", opts->kernel);
			return -1;
		}
	} else if (uname(&u) != 0 || kernel_version_parse(u.release, &out->kernel)) {
		snprintf(err, err_size, "cannot read the running kernel's version from uname(2)");
		return -1;
	}
	if (caps_parse_engine(opts->caps ? opts->caps : "docker-default", out->engine,
			      opts->kernel ? &out->kernel : NULL, &out->caps, err, err_size))
		return -1;
	if (locate(arg, out, err, err_size))
		return -1;
	if (out->unconfined)
		return 0;

	/* A profile with neither defaultAction nor syscalls, which dockerd
	 * would run unconfined, is refused here with the rest
	 * (PROFILE_DISABLED_REASON): only the name `unconfined` is no filter. */
	if (profile_parse_engine(out->file, out->engine, &parsed, &perr)) {
		profile_error_format(&perr, err, err_size);
		profile_free(&parsed);
		return -1;
	}
	ctx.arch = out->arch;
	ctx.caps = out->caps;
	ctx.kernel = out->kernel;
	if (profile_resolve(&parsed, &ctx, resolved, &perr)) {
		profile_error_format(&perr, err, err_size);
		profile_free(&parsed);
		profile_free(resolved);
		return -1;
	}
	if (keep)
		*keep = parsed;
	else
		profile_free(&parsed);
	return 0;
}

int policy_resolve(const char *arg, const struct policy_opts *opts, struct policy *out,
		   struct profile *resolved, char *err, size_t err_size)
{
	return resolve(arg, opts, out, NULL, resolved, err, err_size);
}

int policy_load_keep(const char *arg, const struct policy_opts *opts, struct policy *out,
		     struct profile *parsed, struct profile *resolved, char *err, size_t err_size)
{
	struct policy_opts defaults = { 0 };
	struct build_opts bopts = { 0 };
	struct profile_error perr;
	struct warn_state warns;

	opts = opts ? opts : &defaults;
	if (resolve(arg, opts, out, parsed, resolved, err, err_size))
		return -1;
	if (out->unconfined)
		return 0;
	if (profile_runc_refuses(resolved, &perr)) {
		profile_error_format(&perr, err, err_size);
		if (parsed)
			profile_free(parsed);
		profile_free(resolved);
		return -1;
	}

	note_action(out, resolved->default_action, resolved->has_default_errno_ret, resolved->default_errno_ret);
	for (size_t i = 0; i < resolved->n_rules; i++)
		note_action(out, resolved->rules[i].action, resolved->rules[i].has_errno_ret,
			    resolved->rules[i].errno_ret);

	warns.opts = opts;
	warns.file = out->file;
	bopts.runtime_arch = out->arch;
	bopts.warn = on_warning;
	bopts.warn_data = &warns;
	for (int pass = 0; pass < 2; pass++) {
		bopts.errno_override = pass ? SENTINEL_ERRNO : -1;
		if (policy_compile(resolved, &bopts, pass ? &out->sentinel : &out->prog, &perr)) {
			profile_error_format(&perr, err, err_size);
			policy_free(out);
			if (parsed)
				profile_free(parsed);
			profile_free(resolved);
			return -1;
		}
		bopts.warn = NULL;	/* the second pass would repeat every warning */
	}

	if (resolved->flags & SECCOMP_FILTER_FLAG_LOG)
		out->load_flags |= SECCOMP_FILTER_FLAG_LOG;
	if (resolved->flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW)
		out->load_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (out->can_notify) {
		out->load_flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (resolved->flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
			out->load_flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	return 0;
}

int policy_load(const char *arg, const struct policy_opts *opts, struct policy *out, char *err,
		size_t err_size)
{
	struct profile resolved;

	if (policy_load_keep(arg, opts, out, NULL, &resolved, err, err_size))
		return -1;
	profile_free(&resolved);
	return 0;
}

void policy_free(struct policy *p)
{
	free(p->prog.filter);
	free(p->sentinel.filter);
	memset(p, 0, sizeof(*p));
}
