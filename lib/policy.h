/* policy.h: a profile made ready to load: resolved for this host, compiled
 * to BPF twice (as written, and with a sentinel errno that proves which
 * errnos come from the filter), with what the filter can do. */
#ifndef SECCOMP_SUITE_POLICY_H
#define SECCOMP_SUITE_POLICY_H

#include "profile.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* CPU time libseccomp gets to build one filter (the largest a profile may
 * give takes about a second): policy_compile_cpu_seconds, process-wide,
 * POLICY_COMPILE_CPU_SECONDS unless a program (a test, a fuzzer) sets it. */
#define POLICY_COMPILE_CPU_SECONDS 5
extern unsigned policy_compile_cpu_seconds;

/* An errno no kernel path returns, below MAX_ERRNO (4095). */
#define SENTINEL_ERRNO 4000

#define DOCKER_DEFAULT_PROFILE "/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json"

/* docker-26-default: moby 26.1.5's default profile, from Debian 13's
 * golang-github-docker-docker-dev, unpacked by tests/fidelity/fetch-moby26.sh
 * (make moby26) under SUITE_MOBY26_DIR. */
#ifndef SUITE_MOBY26_DIR
#define SUITE_MOBY26_DIR "build/fidelity/moby26"
#endif
#define DOCKER_26_DEFAULT_PROFILE \
	SUITE_MOBY26_DIR "/root/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json"

struct policy {
	char name[256];			       /* as the user gave it: "docker-default", "my.json" */
	char file[4096];		       /* the file read; "" for unconfined */
	bool unconfined;		       /* no filter at all (Docker's seccomp=unconfined) */
	uint64_t caps;			       /* capability set: resolution and the process's own */
	enum profile_engine engine;	       /* whose reading and resolution was modelled */
	uint32_t arch;			       /* SCMP_ARCH_* includes/excludes were resolved for */
	struct kernel_version kernel;	       /* the kernel they were resolved for */
	struct sock_fprog prog;		       /* the filter as the profile says */
	struct sock_fprog sentinel;	       /* the same with every ERRNO returning SENTINEL_ERRNO */
	unsigned load_flags;		       /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
	bool can_errno, can_trace, can_notify; /* what the verdict code must watch for */
	int errnos[32];			       /* the errnos its ERRNO actions return */
	unsigned n_errnos;		       /* (more than 32 distinct: errnos_overflow) */
	bool errnos_overflow;
};

struct policy_opts {
	const char *caps;      /* caps_parse() spec; NULL: docker-default */
	uint32_t arch;	       /* 0: the running kernel's architecture */
	const char *kernel;    /* "5.10"; NULL: the running kernel */
	const char *engine;    /* "docker-20.10", "docker-26"; NULL: engine_default(),
				 * docker-26 for podman-default and containerd-default */
	bool verbose_warnings; /* print every skipped name, not a count */
	const char *prog_name; /* prefix for warnings on stderr */
	bool cache;	       /* reuse the BPF this program compiled before (suite_cache) */
};

/* Bundled names: unconfined, docker-default, docker-26-default, podman-default,
 * containerd-default, restrictive, no-network. */
extern const char *const policy_bundled_names[];

/* name_or_file: a bundled name (always the bundled profile, whatever the
 * current directory holds), else a file.  Only the name `unconfined` is no
 * filter: a file with neither defaultAction nor syscalls is refused.
 * 0, or -1 with a one-line message ("FILE: PATH: REASON") in err. */
int policy_load(const char *name_or_file, const struct policy_opts *opts, struct policy *out, char *err,
		size_t err_size);
/* policy_load, also handing over the profile as read (*parsed, unless NULL)
 * and as resolved (*resolved), so that a tool explaining the filter reads
 * the file once (a pipe can be read only once).  Release both with
 * profile_free (they are empty for unconfined). */
int policy_load_keep(const char *name_or_file, const struct policy_opts *opts, struct policy *out,
		     struct profile *parsed, struct profile *resolved, char *err, size_t err_size);
/* runc's construction of a resolved profile (profile_build), exported as
 * BPF (out->filter malloc'd).  A filter longer than the kernel's
 * BPF_MAXINSNS (4096) instructions is refused, as the kernel would refuse
 * it.  libseccomp runs in a child process limited to
 * policy_compile_cpu_seconds of CPU:
 * libseccomp 2.5.4 loops forever on some rule sets (a rule testing
 * arg0 > 2 and arg1 > 1, then one testing arg0 > 2 and arg1 == 1), and
 * such a profile is refused instead of hanging the command.  0, or -1 with
 * err set (file, JSON path where known, reason). */
int policy_compile(const struct profile *resolved, const struct build_opts *bopts, struct sock_fprog *out,
		   struct profile_error *err);
void policy_free(struct policy *p);

/* policy_load's first half, for tools that hand the profile to another
 * loader (the runtime backends): the file located, caps/arch/kernel set in
 * out, and the profile resolved as dockerd resolves it (nothing compiled).
 * out->unconfined: there is no profile, resolved is empty.  0, or -1 with
 * a one-line message in err.  Release resolved with profile_free. */
int policy_resolve(const char *name_or_file, const struct policy_opts *opts, struct policy *out,
		   struct profile *resolved, char *err, size_t err_size);

/* Does the filter's ERRNO action return e?  (true when unsure) */
bool policy_may_return_errno(const struct policy *p, int e);

/* The architecture of the running kernel as Docker names its own. */
uint32_t host_scmp_arch(void);

/* Export a libseccomp filter as a BPF program (malloc'd filter). */
int filter_export(scmp_filter_ctx ctx, struct sock_fprog *out);

/* Everything profile_build reads, written to f (profile_build.c, beside
 * what it describes): with the program's identity, the key under which
 * suite_cache keeps a compiled filter.  0, or -1 on a write error. */
int profile_build_key(const struct profile *resolved, const struct build_opts *bopts, FILE *f);

/* A cache of what is slow to derive and cheap to key exactly (docs/design.md,
 * Fail closed): a filter compiled before (policy_opts.cache), the installed
 * dockerd's version.  Under $SECCOMP_SUITE_CACHE, else
 * $XDG_CACHE_HOME/seccomp-suite, else $HOME/.cache/seccomp-suite;
 * SECCOMP_SUITE_CACHE=off turns it off.  An entry holds its whole key and
 * is used only when the key matches byte for byte and its checksum holds;
 * the folder and every entry must be the user's own and writable by no one
 * else, or the cache is not used.  Entries are written whole and renamed
 * into place; the oldest go beyond SUITE_CACHE_MAX_ENTRIES.
 * suite_cache_get: 0 and *data (malloc'd, *len bytes), or -1 (a miss). */
#define SUITE_CACHE_MAX_ENTRIES 512
int suite_cache_get(const char *kind, const void *key, size_t key_len, void **data, size_t *len);
void suite_cache_put(const char *kind, const void *key, size_t key_len, const void *data, size_t len);

#endif
