/* policy.c: from a profile name or file to the BPF programs a probe or
 * scrun loads. */
#define _GNU_SOURCE
#include "policy.h"

#include "caps.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef SUITE_PROFILES_DIR
#define SUITE_PROFILES_DIR "profiles"
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

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

int filter_export(scmp_filter_ctx ctx, struct sock_fprog *out)
{
	int fd = memfd_create("seccomp-suite-bpf", MFD_CLOEXEC);
	struct stat st;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return -1;
	/* More than BPF_MAXINSNS the kernel refuses; never cut it to a prefix. */
	if (seccomp_export_bpf(ctx, fd) == 0 && fstat(fd, &st) == 0 && st.st_size > 0 &&
	    st.st_size % (off_t)sizeof(struct sock_filter) == 0 &&
	    st.st_size / (off_t)sizeof(struct sock_filter) <= BPF_MAXINSNS) {
		out->filter = malloc((size_t)st.st_size);
		if (out->filter && pread(fd, out->filter, (size_t)st.st_size, 0) == st.st_size) {
			out->len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
			rc = 0;
		}
	}
	close(fd);
	return rc;
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

/* A file if one exists by that name; else a bundled profile. */
static int locate(const char *arg, struct policy *out, char *err, size_t err_size)
{
	struct stat st;
	const char *dir = getenv("SECCOMP_SUITE_PROFILES");

	snprintf(out->name, sizeof(out->name), "%s", arg);
	if (strcmp(arg, "unconfined") == 0) {
		out->unconfined = true;
		return 0;
	}
	if (stat(arg, &st) == 0 || strchr(arg, '/')) {
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

int policy_resolve(const char *arg, const struct policy_opts *opts, struct policy *out,
		   struct profile *resolved, char *err, size_t err_size)
{
	struct policy_opts defaults = { 0 };
	struct profile parsed;
	struct profile_error perr;
	struct resolve_ctx ctx;
	struct utsname u;

	memset(out, 0, sizeof(*out));
	memset(resolved, 0, sizeof(*resolved));
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

	if (profile_parse_engine(out->file, out->engine, &parsed, &perr)) {
		profile_error_format(&perr, err, err_size);
		profile_free(&parsed);
		return -1;
	}
	if (parsed.disabled) {
		/* dockerd's reading of a profile with neither defaultAction nor
		 * syscalls.  Said out loud: nothing will be filtered. */
		fprintf(stderr, "%s: warning: %s: no defaultAction and no syscalls: Docker runs such a profile unconfined\n",
			opts->prog_name ? opts->prog_name : "seccomp-suite", out->file);
		out->unconfined = true;
		profile_free(&parsed);
		return 0;
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
	profile_free(&parsed);
	return 0;
}

int policy_load(const char *arg, const struct policy_opts *opts, struct policy *out, char *err,
		size_t err_size)
{
	struct policy_opts defaults = { 0 };
	struct profile resolved;
	struct profile_error perr;
	struct build_opts bopts;
	scmp_filter_ctx filter;
	struct warn_state warns;

	opts = opts ? opts : &defaults;
	if (policy_resolve(arg, opts, out, &resolved, err, err_size))
		return -1;
	if (out->unconfined)
		return 0;
	if (profile_runc_refuses(&resolved, &perr)) {
		profile_error_format(&perr, err, err_size);
		profile_free(&resolved);
		return -1;
	}

	note_action(out, resolved.default_action, resolved.has_default_errno_ret, resolved.default_errno_ret);
	for (size_t i = 0; i < resolved.n_rules; i++)
		note_action(out, resolved.rules[i].action, resolved.rules[i].has_errno_ret,
			    resolved.rules[i].errno_ret);

	warns.opts = opts;
	warns.file = out->file;
	bopts.runtime_arch = out->arch;
	bopts.warn = on_warning;
	bopts.warn_data = &warns;
	for (int pass = 0; pass < 2; pass++) {
		bopts.errno_override = pass ? SENTINEL_ERRNO : -1;
		if (profile_build(&resolved, &bopts, &filter, &perr)) {
			profile_error_format(&perr, err, err_size);
			profile_free(&resolved);
			return -1;
		}
		if (filter_export(filter, pass ? &out->sentinel : &out->prog)) {
			snprintf(err, err_size, "%s: libseccomp could not export the filter as BPF, or it is longer than the kernel's %d instructions",
				 out->file, BPF_MAXINSNS);
			seccomp_release(filter);
			profile_free(&resolved);
			return -1;
		}
		seccomp_release(filter);
		bopts.warn = NULL;	/* the second pass would repeat every warning */
	}

	if (resolved.flags & SECCOMP_FILTER_FLAG_LOG)
		out->load_flags |= SECCOMP_FILTER_FLAG_LOG;
	if (resolved.flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW)
		out->load_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (out->can_notify) {
		out->load_flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (resolved.flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
			out->load_flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	profile_free(&resolved);
	return 0;
}

void policy_free(struct policy *p)
{
	free(p->prog.filter);
	free(p->sentinel.filter);
	memset(p, 0, sizeof(*p));
}
