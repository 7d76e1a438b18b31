/* profile_paths.h: what a compiled profile costs each syscall number of the
 * host ABI, before anything is timed.
 *
 * For one (arch, nr) the filter's argument checks split it into paths; each
 * path is found with a concrete argument vector that takes it (a witness),
 * and lib/bpf_eval runs the filter on that vector, so every instruction count
 * reported is bpf_eval's (explain's) count on a real input, never an
 * estimate.  Argument words are followed symbolically through the loads,
 * ANDs and compares libseccomp emits; a path whose constraints no candidate
 * value meets is not reported.
 *
 * Three layouts of the same profile: as compiled by the suite's loader
 * (libseccomp's default layout, what runc and scrun load), libseccomp's
 * binary tree (SCMP_FLTATR_CTL_OPTIMIZE 2), and what runc really installs:
 * its ENOSYS stub (libcontainer/seccomp/patchbpf) prepended to the default
 * layout.
 */
#ifndef SECCOMP_SUITE_PROFILE_PATHS_H
#define SECCOMP_SUITE_PROFILE_PATHS_H

#include "policy.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

/* Paths explored per syscall number before giving up (truncated). */
#define PATHS_MAX_PER_CALL 20000

struct call_paths {
	unsigned n_paths;	       /* witnessed paths */
	bool truncated;		       /* more than PATHS_MAX_PER_CALL */
	bool approximate;	       /* an instruction outside the followed set: zero arguments only */
	bool reads_args;	       /* some path loads an argument or the instruction pointer */
	bool allowed;		       /* some path returns ALLOW or LOG */
	bool denied;		       /* some path returns anything else */
	unsigned allow_min, allow_max; /* instructions run on the shortest / longest allowing path */
	unsigned all_min, all_max;     /* over every path */
	unsigned deny_min;	       /* the shortest denying path */
	uint32_t deny_ret;	       /* and its return */
	uint64_t allow_min_args[6], allow_max_args[6]; /* the witnesses */
};

/* Every path of prog for (audit_arch, nr).  0, or -1 with err set (a
 * malformed program, or a witness bpf_eval does not run as followed). */
int paths_of_call(const struct sock_fprog *prog, uint32_t audit_arch, int nr, struct call_paths *out, char *err,
		  size_t err_size);

/* The profile's binary-tree layout: resolved and built exactly as
 * policy_load builds it, with SCMP_FLTATR_CTL_OPTIMIZE 2 set before export.
 * resolved gets the resolved profile (the OCI config dockerd hands runc);
 * release it with profile_free.  0, or -1 with err set. */
int tree_program(const char *name_or_file, const struct policy_opts *opts, struct sock_fprog *out,
		 struct profile *resolved, char *err, size_t err_size);

struct runc_stub {
	bool present; /* runc adds no stub when the default allows, logs
					 * or traces, or defaultErrnoRet is ENOSYS */
	char absent_why[160];
	unsigned insns;		   /* the stub's own instructions */
	int host_max_nr;	   /* highest number the profile names on the host ABI */
	unsigned arch_checks;	   /* architectures the stub compares (one jeq each) */
	unsigned native_extra_max; /* instructions runc may add before the host's jeq
					 * (its order is Go map order: we place the host first) */
};

/* prog with runc's ENOSYS stub in front (a copy of prog when runc adds
 * none), for the resolved profile.  0, or -1 with err set. */
int runc_program(const struct profile *resolved, const struct sock_fprog *prog, struct sock_fprog *out,
		 struct runc_stub *stub, char *err, size_t err_size);

/* A one-paragraph statement of how the stub is modelled (for the results). */
extern const char runc_stub_model[];

#endif
