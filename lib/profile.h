/* profile.h: Docker and OCI seccomp profiles, read, resolved and compiled.
 *
 * Three steps, each usable alone so that tests, lint and the runtime
 * backends can stop at the one they need:
 *
 *   profile_parse()    JSON file -> struct profile, decoded as Go's
 *                      encoding/json decodes it into the engine's moby types
 *                      (types checked, every error names the file, the JSON
 *                      path, the reason; what only runc refuses is kept as
 *                      the rule's problem until the rule is known to apply)
 *   profile_resolve()  includes/excludes and archMap applied the way dockerd
 *                      does for one architecture, capability set and kernel
 *   profile_build()    resolved profile -> libseccomp filter, the way runc
 *                      builds it (unknown names skipped with a warning, rules
 *                      equal to the default action dropped, several
 *                      conditions on one argument split into separate rules)
 */
#ifndef SECCOMP_SUITE_PROFILE_H
#define SECCOMP_SUITE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <seccomp.h>

#define PROFILE_PATH_MAX 96
#define PROFILE_REASON_MAX 320

/* Limits: a profile beyond any of them is refused, with the limit named,
 * before anything is compiled, so that no file (nor an endless stream such
 * as /dev/zero) can make a command hang or grow without bound.  Docker's
 * own profiles are far below them (moby's default: 28 rules, 415 names,
 * 30 KiB).  A filter can never be longer than the kernel's 4096 BPF
 * instructions (BPF_MAXINSNS) anyway. */
#define PROFILE_MAX_BYTES (64u << 20) /* the file: 64 MiB */
#define PROFILE_MAX_CONTAINERS 65536  /* JSON objects and arrays in the file */
#define PROFILE_MAX_VALUES (1u << 20) /* JSON values of any kind in the file */
#define PROFILE_MAX_RULES 4096	      /* entries of "syscalls" */
#define PROFILE_MAX_NAMES 16384	      /* syscall names, all rules together */
#define PROFILE_MAX_FILTER_RULES 4096 /* libseccomp rules of one filter (one a name) */
/* How long reading a FIFO waits for a writer to open it. */
#define PROFILE_FIFO_WAIT_MS 2000

/* The one reason given for a profile with neither defaultAction nor
 * syscalls, which dockerd would run with no filter at all. */
#define PROFILE_DISABLED_REASON \
	"neither defaultAction nor syscalls: Docker would run this profile unconfined; use --profile unconfined to mean no filter"

struct profile_error {
	char file[512];
	char path[PROFILE_PATH_MAX]; /* JSON path: "syscalls[3].args[0].op"; "" for the whole file */
	char reason[PROFILE_REASON_MAX];
	int line, column; /* of malformed JSON; 0 otherwise */
};

/* "FILE:LINE:COL: REASON" for malformed JSON, "FILE: PATH: REASON" otherwise. */
void profile_error_format(const struct profile_error *err, char *buf, size_t size);

enum profile_action {
	ACTION_NONE = 0, /* field absent */
	ACTION_KILL,	 /* SCMP_ACT_KILL: same as KILL_THREAD */
	ACTION_KILL_THREAD,
	ACTION_KILL_PROCESS,
	ACTION_TRAP,
	ACTION_ERRNO,
	ACTION_TRACE,
	ACTION_ALLOW,
	ACTION_LOG,
	ACTION_NOTIFY,
};

/* "SCMP_ACT_ERRNO" <-> ACTION_ERRNO; NULL / ACTION_NONE when unknown. */
const char *action_name(enum profile_action action);
enum profile_action action_from_name(const char *name);

struct kernel_version {
	unsigned major, minor; /* 4.8 -> {4, 8}; {0, 0}: none */
};

/* The Docker engine whose reading and resolution of a profile the suite
 * models (docs/design.md, "Engines"):
 *   docker-20.10  moby 20.10.24 (Debian 12's docker.io): no defaultErrnoRet,
 *                 flags, listenerPath in its profile type (never read);
 *                 "name" with "names" refused only in a rule that applies;
 *                 capabilities up to CAP_AUDIT_READ
 *   docker-26     moby 26.1.5 (Debian 13's docker.io): the OCI fields are
 *                 passed on; "name" with "names" refused in any rule;
 *                 capabilities up to CAP_CHECKPOINT_RESTORE, as far as the
 *                 kernel and the daemon's own set have them
 * ENGINE_DEFAULT: engine_default(). */
enum profile_engine {
	ENGINE_DEFAULT = 0,
	ENGINE_DOCKER_20_10,
	ENGINE_DOCKER_26,
};

/* "docker-20.10" <-> ENGINE_DOCKER_20_10; NULL / ENGINE_DEFAULT when unknown. */
const char *engine_name(enum profile_engine engine);
enum profile_engine engine_from_name(const char *name);
/* SECCOMP_SUITE_ENGINE when set, else the engine of the dockerd in PATH
 * (`dockerd --version`: 20.x -> docker-20.10, 23 and later -> docker-26),
 * else docker-26.  Computed once. */
enum profile_engine engine_default(void);
/* engine, or engine_default() for ENGINE_DEFAULT. */
enum profile_engine engine_or_default(enum profile_engine engine);

/* "6.18.44-foo" -> {6, 18}, as dockerd reads uname's release. 0 or -1. */
int kernel_version_parse(const char *release, struct kernel_version *out);
/* <0, 0, >0 as a is older than, the same as, newer than b (major.minor). */
int kernel_version_cmp(struct kernel_version a, struct kernel_version b);

struct profile_cond {
	unsigned index;	      /* 0..5; 6: above 5 (the rule's problem) */
	uint64_t index_value; /* as written: what dockerd passes on */
	enum scmp_compare op; /* SCMP_CMP_NE .. SCMP_CMP_MASKED_EQ; 0: see op_text */
	uint64_t value, value_two;
	/* An operator runc refuses, as written (cut to fit), so that a rule
	 * without names, which runc never converts, is passed on as it is. */
	char op_text[48];
};

/* Does argument value v satisfy c, as the kernel filter compares it?
 * (SCMP_CMP_MASKED_EQ: (v & value) == valueTwo.) */
bool profile_cond_holds(const struct profile_cond *c, uint64_t v);

/* includes / excludes of one rule (Docker format only). */
struct profile_filter {
	char **caps; /* "CAP_SYS_ADMIN" */
	size_t n_caps;
	char **arches; /* Docker names: "amd64", "x86", "arm64" */
	size_t n_arches;
	struct kernel_version min_kernel;
	/* minKernel given (moby's non-nil *KernelVersion): "" is {0, 0}, a
	 * version every kernel reaches. */
	bool has_min_kernel;
};

struct profile_rule {
	char **names; /* "name" is folded into names */
	size_t n_names;
	enum profile_action action; /* ACTION_NONE: see problem */
	bool has_errno_ret;
	unsigned errno_ret;	  /* errno_ret_value & 0xffff: runc's int16 */
	uint64_t errno_ret_value; /* as written: what dockerd passes on */
	struct profile_cond *args;
	size_t n_args;
	struct profile_filter includes, excludes;
	char *comment;
	char path[32]; /* "syscalls[12]", for messages */
	/* Both "name" and "names": dockerd refuses the profile (20.10 only
	 * when the rule applies, 26 always). */
	bool name_and_names;
	/* What dockerd passes on without looking and runc refuses: it matters
	 * only if the rule applies, and then only as far as runc reads the
	 * rule (runc 1.1 specconv.SetupSeccomp and matchCall), the first
	 * problem of each kind (reason NULL: none):
	 *   PROBLEM_RULE     the rule itself: an unknown or missing action, an
	 *                    empty name, a null argument (moby 20.10 fails on it)
	 *   PROBLEM_NAMED    an unknown or missing operator: runc converts the
	 *                    arguments once per name, so never in a rule
	 *                    without names
	 *   PROBLEM_REACHED  an argument index above 5: refused only for a name
	 *                    libseccomp resolves, in a rule whose action is not
	 *                    the default's (runc skips those rules first) */
	struct profile_problem {
		char *reason;
		char path[PROFILE_PATH_MAX];
	} problem[3];
};

enum { PROBLEM_RULE, PROBLEM_NAMED, PROBLEM_REACHED };

struct profile_arch_map {
	uint32_t arch; /* SCMP_ARCH_*; 0: a name unknown here (never selected) */
	uint32_t *subs;
	size_t n_subs;
	struct profile_problem problem; /* an unknown sub-architecture: fatal if selected */
};

struct profile {
	char *file;
	enum profile_engine engine; /* whose types it was decoded into */
	/* Neither defaultAction nor syscalls (dockerd: seccomp disabled).
	 * profile_parse refuses such a profile (PROFILE_DISABLED_REASON) and
	 * sets this so that a caller can tell why; nothing builds it. */
	bool disabled;
	enum profile_action default_action;
	bool has_default_errno_ret;
	unsigned default_errno_ret; /* default_errno_ret_value & 0xffff */
	uint64_t default_errno_ret_value;
	uint32_t *arches; /* SCMP_ARCH_* from "architectures" */
	size_t n_arches;
	struct profile_arch_map *arch_map;
	size_t n_arch_map;
	unsigned flags; /* SECCOMP_FILTER_FLAG_* named in "flags" */
	char *listener_path;
	char *listener_metadata;
	char **flag_names; /* "flags" as written, passed on as written */
	size_t n_flag_names;
	struct profile_rule *rules;
	size_t n_rules;
};

/* Reads a Docker profile, a bare OCI linux.seccomp object, or an OCI
 * config.json holding one under linux.seccomp (decoded as runc decodes
 * config.json).  0, or -1 with err set.  profile_parse reads as docker-26
 * (the engine whose types hold every field); profile_parse_engine as the
 * engine given (ENGINE_DEFAULT: engine_default()).  The file is read once,
 * whole, into memory: a regular file, or a pipe or device such as
 * /dev/stdin or <(...); a FIFO that no writer opens within
 * PROFILE_FIFO_WAIT_MS is refused, as is anything beyond the limits above. */
/* Sets err's path and reason (printf); returns -1, for `return ...`. */
__attribute__((format(printf, 3, 4))) int profile_error_set(struct profile_error *err, const char *path,
							    const char *fmt, ...);
/* "a string", "an object", "null", ... as an error message names a JSON
 * value's type (profile.c and the Go decoding in profile_resolve.c). */
struct json_object;
const char *json_type_word(struct json_object *v);
int profile_parse(const char *file, struct profile *out, struct profile_error *err);
int profile_parse_engine(const char *file, enum profile_engine engine, struct profile *out, struct profile_error *err);
/* The same from a string; file is only used in messages. */
int profile_parse_string(const char *json, const char *file, struct profile *out, struct profile_error *err);
int profile_parse_string_engine(const char *json, const char *file, enum profile_engine engine, struct profile *out,
				struct profile_error *err);

/* Go's encoding/json decoding of a profile's text into the engine's moby
 * types (Seccomp, Syscall, Filter, KernelVersion; runtime-spec's Spec for
 * an OCI config.json), written back out as JSON with one key per field
 * (its Go name), no nulls and no duplicates: later duplicate keys merged
 * into the earlier value as Go merges them, null after a value kept or
 * dropped as Go keeps or drops it, keys matched with Unicode case folding.
 * text must already be valid JSON.  A json-c object, or NULL with err's
 * path and reason set (a value of the wrong type, a bad minKernel). */
struct json_object;
struct json_object *profile_go_decode(const char *text, enum profile_engine engine, struct profile_error *err);
void profile_free(struct profile *p);

/* SCMP_CMP_EQ -> "SCMP_CMP_EQ", SECCOMP_FILTER_FLAG_LOG ->
 * "SECCOMP_FILTER_FLAG_LOG": the profile spellings; NULL when unknown. */
const char *compare_op_name(enum scmp_compare op);
const char *filter_flag_name(unsigned flag);

/* A resolved profile as the OCI runtime spec's linux.seccomp object, the
 * object dockerd hands runc: defaultAction, defaultErrnoRet, architectures,
 * flags, listenerPath, syscalls (names, action, errnoRet, args).
 * errno_override >= 0: every ERRNO action and the default's errno return it
 * instead (the sentinel copy).  A json-c object (json_object_put it). */
struct json_object;
struct json_object *profile_to_oci(const struct profile *resolved, int errno_override);

/* SCMP_ARCH_X86_64 <-> "SCMP_ARCH_X86_64"; 0 / NULL when unknown. */
uint32_t scmp_arch_from_name(const char *name);
const char *scmp_arch_name(uint32_t arch);
/* Docker's short names (runtime.GOARCH mapped as dockerd maps it):
 * SCMP_ARCH_X86_64 <-> "amd64", SCMP_ARCH_X86 <-> "x86", SCMP_ARCH_X32 <-> "x32",
 * SCMP_ARCH_AARCH64 <-> "arm64", SCMP_ARCH_ARM <-> "arm", ... */
const char *docker_arch_name(uint32_t arch);
/* Any name for an architecture: SCMP_ARCH_X86_64, x86_64 (either case),
 * Docker's amd64, uname's i686 or aarch64, Debian's armhf.  0 if none. */
uint32_t arch_from_any_name(const char *name);

struct resolve_ctx {
	uint32_t arch; /* SCMP_ARCH_* the container runs as */
	uint64_t caps; /* bit n set: capability n (see caps.h) */
	struct kernel_version kernel;
};

/* dockerd's setupSeccomp: out gets the rules that apply, without
 * includes/excludes, and arches from "architectures" or from the archMap
 * entry of ctx->arch with its subArchitectures.  0, or -1 with err set. */
int profile_resolve(const struct profile *in, const struct resolve_ctx *ctx, struct profile *out,
		    struct profile_error *err);

/* What the engine's runc (1.1.5 with docker-20.10, 1.1.15 with docker-26)
 * refuses in a resolved profile before libseccomp sees it: flags, an
 * architecture not in its table, SCMP_ACT_NOTIFY on write.  `docker run`
 * fails on these although dockerd accepted the profile.  0, or -1 with
 * err set. */
int profile_runc_refuses(const struct profile *resolved, struct profile_error *err);

/* Everything in a profile (parsed or resolved) that the linked libseccomp
 * cannot express, one call of fn per finding: its class, JSON path
 * ("syscalls[3].names[1]"), the syscall name (or NULL) and why:
 *   unknown-name       a name it does not know: runc, linked with the same
 *                      library, skips it, so the rule does nothing for it
 *   libseccomp-action  an action its API level cannot load
 *   libseccomp-arch    an architecture it cannot build a filter for
 *   libseccomp-flag    a flag it has no attribute for
 * Returns the number of findings.  For `lint` (sclint.c). */
typedef void (*profile_gap_fn)(void *data, const char *class, const char *path, const char *name, const char *why);
size_t profile_libseccomp_gaps(const struct profile *p, profile_gap_fn fn, void *data);

/* A warning while building: a name unknown to libseccomp or to every
 * architecture of the filter, skipped as runc skips it. */
typedef void (*profile_warn_fn)(void *data, const struct profile_rule *rule, size_t name_index, const char *why);

struct build_opts {
	/* >= 0: every ERRNO action (rules and default) returns this errno
	 * instead of its own.  The verdict code uses a sentinel here to prove
	 * that an errno came from the filter and not from the kernel. */
	int errno_override;
	/* The architecture the runtime itself runs as (the kernel's: runc on
	 * an x86_64 host is an x86_64 program); 0: this program's own. */
	uint32_t runtime_arch;
	profile_warn_fn warn;
	void *warn_data;
};

/* The libseccomp action runc gives an action: ERRNO and TRACE return
 * errno_ret, or EPERM without one; SCMP_ACT_KILL is KILL_THREAD. */
uint32_t profile_scmp_action(enum profile_action action, bool has_errno_ret, unsigned errno_ret);

/* runc's filter construction.  *out is a new libseccomp context (release
 * with seccomp_release).  0, or -1 with err set. */
int profile_build(const struct profile *resolved, const struct build_opts *opts, scmp_filter_ctx *out,
		  struct profile_error *err);

#endif
