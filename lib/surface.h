/* surface.h: the whole decision surface of a seccomp filter.
 *
 * For every ABI the host's kernel runs and every syscall number from 0 to
 * SURFACE_NR_COUNT - 1 (x32: the same numbers with __X32_SYSCALL_BIT), what
 * the filter does with the call, and where that depends on the arguments,
 * every path the program takes on them with one argument vector on each.
 *
 * Two sources that must agree (scsurface compares them, never hides a
 * difference):
 *   static  the BPF program itself, followed path by path in user space
 *           (bpf_explore, bpf_eval): what the filter returns;
 *   live    every call really made in a child under the filter and, stacked
 *           on it, a filter returning SECCOMP_RET_USER_NOTIF for everything,
 *           supervised by the parent, which answers each notification with
 *           an error: the kernel's precedence lets whatever the profile
 *           denies win, and whatever it lets through is answered without
 *           being run.  No syscall body runs, whatever the number or the
 *           arguments.  ALLOW, LOG and TRACE all look the same from there
 *           ("passes the filter"); so do KILL_THREAD and KILL_PROCESS
 *           ("killed"): the static source tells them apart.
 */
#ifndef SECCOMP_SUITE_SURFACE_H
#define SECCOMP_SUITE_SURFACE_H

#include "bpf_eval.h"
#include "policy.h"
#include "profile.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Numbers 0 .. SURFACE_NR_COUNT - 1 on every ABI: above the highest any
 * kernel assigns (x86_64: 470 in 6.18; x32's own 512-547), so the numbers
 * no kernel has assigned yet are part of the surface too. */
#define SURFACE_NR_COUNT 1024
#define SURFACE_X32_BIT 0x40000000u

struct surface_abi {
	const char *name;     /* "x86_64", "i386", "x32": the probes' ABI names */
	uint32_t scmp_arch;   /* SCMP_ARCH_*: syscall names, the profile's architectures */
	uint32_t audit_arch;  /* seccomp_data.arch the kernel hands the filter */
	uint32_t nr_base;     /* SURFACE_X32_BIT for x32, else 0 */
	bool args32;	      /* the kernel hands the filter 32-bit arguments */
	const char *live_how; /* how this program makes such a call; NULL: it cannot */
};

/* The ABIs of this host's kernel, its own first (x86_64: x86_64, i386,
 * x32; aarch64: aarch64, arm).  n set to their number. */
const struct surface_abi *surface_host_abis(size_t *n);
/* By the names above, or any name arch_from_any_name knows. */
const struct surface_abi *surface_abi_by_name(const char *name);

/* Calls the kernel makes without consulting any seccomp filter
 * (kernel/seccomp.c, seccomp_uprobe_exception): the live source never makes
 * them, on any kernel. */
struct surface_exempt {
	const char *abi;
	uint32_t nr;
	const char *name;
	struct kernel_version added;  /* the syscall */
	struct kernel_version exempt; /* the exemption, in mainline */
	const char *note;
};
const struct surface_exempt *surface_exempt_of(const struct surface_abi *abi, uint32_t nr);
/* Does the exemption hold on kernel k?  1 yes, 0 no, -1 it may (a stable
 * series that got it as a backport: see the note). */
int surface_exempt_holds(const struct surface_exempt *x, struct kernel_version k);

/* What the live source saw for one call. */
enum surface_live_kind {
	LIVE_NONE = 0, /* not made (live source off, or this ABI cannot be called) */
	LIVE_PASSES,   /* the supervisor received it: the profile's filter let it through */
	LIVE_ERRNO,    /* returned -err without reaching the supervisor */
	LIVE_TRAP,     /* SIGSYS with si_code SYS_SECCOMP, data in si_errno */
	LIVE_KILL,     /* the child died of SIGSYS at the call */
	LIVE_EXEMPT,   /* not made: the kernel would run it without asking the filter */
	LIVE_ERROR,    /* could not tell: reason */
};

struct surface_live {
	enum surface_live_kind kind;
	int err;  /* LIVE_ERRNO */
	int data; /* LIVE_TRAP */
	char reason[160];
};

/* One path of the program for a number: the comparisons it makes on the
 * arguments, an argument vector that follows them, and what it returns. */
struct surface_cond {
	unsigned n_tests;
	struct bpf_test *tests;
	uint64_t args[6];
	uint64_t ip;
	uint32_t ret;
	struct surface_live live;
};

/* A rule the compiled program does not implement (surface_check_*). */
struct surface_finding {
	char rule[40];	  /* "syscalls[3]" of the resolved profile */
	char syscall[64]; /* the rule's name being checked */
	const char *abi;
	uint32_t nr;
	uint64_t args[6];
	uint32_t expected; /* what the profile means: SCMP_ACT_* / SECCOMP_RET_* */
	uint32_t actual;   /* what the compiled program returns */
	char why[200];
};

struct surface_point {
	const struct surface_abi *abi;
	uint32_t nr;	  /* as the call makes it: x32 with SURFACE_X32_BIT */
	char *name;	  /* libseccomp's name on this ABI, or NULL */
	uint32_t ret;	  /* the filter's return for all-zero arguments */
	unsigned n_conds; /* > 1: the paths when the return depends on the arguments */
	struct surface_cond *conds;
	unsigned unsolved;		     /* branches for which no argument vector was found */
	const struct surface_exempt *exempt; /* exempt on the kernel surveyed (holds != 0) */
	struct surface_live live;	     /* unconditional numbers: the one call (all-zero arguments) */
	unsigned n_findings;
	struct surface_finding *findings;
	char *error; /* the static source could not follow this number */
};

struct surface {
	char profile[256]; /* as the user named it */
	char file[4096];   /* the profile file; "" unconfined or a saved surface */
	char saved[4096];  /* the saved surface it was read from, if any */
	char caps[1024];
	char kernel[128]; /* uname -r of the host surveyed */
	struct kernel_version kver;
	char backend[32]; /* "native" */
	bool unconfined;  /* no filter at all */
	bool inherit; /* live: under this process's own filters (in a container); no profile loaded, capabilities kept */
	bool have_static, have_live;
	char live_note[512]; /* why some or all of the live source did not run */
	unsigned n_progs;    /* the filters, oldest first (the kernel runs newest first) */
	struct sock_fprog *progs;
	size_t n_points;
	struct surface_point *points;
};

/* The filter's action names, as the JSON says them: allow, log, trace,
 * errno, trap, notify, kill_thread, kill_process; and exempt. */
const char *surface_action_name(uint32_t ret);
/* The kernel's choice among stacked filters: the lower ACTION_ONLY wins;
 * on a tie the newer filter's return (with its data). */
uint32_t surface_combine(uint32_t newer, uint32_t older);
/* What the filters return for one seccomp_data (no filter: ALLOW).  0 or -1. */
int surface_eval(const struct surface *s, const struct seccomp_data *d, uint32_t *ret, char *err, size_t err_size);

/* An empty surface for a loaded policy: the profile's name, file, caps, the
 * kernel, and a copy of its program (none when unconfined). */
int surface_init(struct surface *s, const struct policy *pol, char *err, size_t err_size);
void surface_free(struct surface *s);

/* The static source for the given ABIs (all numbers).  0, or -1 with err
 * (individual numbers the program cannot be followed on get point->error). */
int surface_static(struct surface *s, const struct surface_abi *const *abis, size_t n_abis, char *err, size_t err_size);

/* Keep the points (names, exemptions) but drop what the static source
 * found: for --source live, whose calls then use all-zero arguments. */
void surface_forget_static(struct surface *s);

/* The live source for every point whose ABI this program can call; the
 * policy is the one the surface was made from.  0 (per-call problems are
 * LIVE_ERROR with a reason), or -1 with err when it cannot run at all
 * (then s->live_note says why). */
int surface_live(struct surface *s, const struct policy *pol, int timeout_ms, char *err, size_t err_size);

/* Does a live result agree with the static return?  (ALLOW, LOG, TRACE:
 * passes; ERRNO: the same errno; TRAP: the same data; KILL_*: killed.) */
bool surface_live_agrees(uint32_t ret, const struct surface_live *l);
/* The live result's name: passes, errno, trap, killed, exempt, error. */
const char *surface_live_name(enum surface_live_kind k);

/* Number of disagreements between the sources (0 when one is missing). */
unsigned surface_disagreements(const struct surface *s);

/* "arg0.hi == 0x0 && arg0.lo != 0x1" */
void surface_cond_text(const struct surface_abi *abi, const struct bpf_test *tests, unsigned n, char *buf, size_t size);

/* JSON Lines: one object per point (abi, nr). */
void surface_write_json(FILE *f, const struct surface *s);
/* The human table: runs of equal action grouped, conditions under their number. */
void surface_write_table(FILE *f, const struct surface *s, bool verbose);
/* A saved surface (JSON Lines written by surface_write_json).  0, or -1
 * with "FILE:LINE: REASON" in err. */
int surface_read_json(const char *file, struct surface *s, char *err, size_t err_size);

/* Every (abi, nr, condition) whose action differs between a and b, as
 * JSON Lines (json) or a grouped table.  Returns the number of differences. */
unsigned surface_diff(FILE *f, const struct surface *a, const struct surface *b, bool json);

/* The profile-meaning check ("miscompiled"): for each rule of the resolved
 * profile, on every architecture of the filter (native_arch, the one the
 * filter starts with, and the profile's), the compiled program is run on
 * argument vectors that satisfy and that violate each condition, and
 * compared with what the profile means: its rules that name the call and
 * match the arguments (surface_rule_matches), else the default action.
 * Vectors two matching rules give different actions are skipped (the
 * profile itself is ambiguous there).  fn gets every finding (the first
 * failing vector per rule, name and architecture); returns their number,
 * or -1 with err.  sclint's `miscompiled` class calls
 * surface_check_profile. */
typedef void (*surface_finding_fn)(void *data, const struct surface_finding *f);
int surface_check_program(const struct profile *resolved, uint32_t native_arch, const struct sock_fprog *prog,
			  surface_finding_fn fn, void *data, char *err, size_t err_size);
/* The same from a profile name or file, loaded as the probes load it;
 * prog: the program to check (a runtime's filter read back), or NULL for
 * the one the suite compiles from the profile. */
int surface_check_profile(const char *name_or_file, const struct policy_opts *opts, const struct sock_fprog *prog,
			  surface_finding_fn fn, void *data, char *err, size_t err_size);

/* The filters process pid really has, read back with
 * ptrace(PTRACE_SECCOMP_GET_FILTER) into s->progs (oldest first; none:
 * s->unconfined).  0, or -1 with a reason in err that says when the
 * kernel or the caller cannot do it. */
#include <sys/types.h>
int surface_read_pid(pid_t pid, struct surface *s, char *err, size_t err_size);
/* runc's matching of one rule: its conditions ANDed, unless two test the
 * same argument, then ORed (each becomes a rule of its own). */
bool surface_rule_matches(const struct profile_rule *r, const uint64_t *args);
/* "SCMP_ACT_ERRNO(1)" */

#endif
