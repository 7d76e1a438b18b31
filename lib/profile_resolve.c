/* profile_resolve.c: what dockerd does with a profile before runc sees it.
 *
 * Two parts, both moby's code restated for the engine modelled (profile.h,
 * enum profile_engine):
 *   - profile_resolve(): setupSeccomp() of moby's
 *     profiles/seccomp/seccomp_linux.go.  The rule loop checks excludes
 *     (arches, caps, minKernel) and then includes in that order; a rule's
 *     includes.caps needs every capability, its excludes.caps any one.
 *     Capabilities compare as the exact strings dockerd puts in the
 *     bounding set ("CAP_SYS_ADMIN").  A minKernel that was given, even
 *     "" (version 0.0), is compared.  Rules that do not apply are dropped
 *     unread (20.10 does not even check "name" with "names" in them); of
 *     the rules that do, anything runc refuses (profile_rule.problem)
 *     refuses the profile, since `docker run` then fails.
 *   - profile_go_decode(): Go's encoding/json decoding of the text into
 *     moby's types (below).
 * The engine itself: engine_default().
 */
#define _GNU_SOURCE
#include "caps.h"
#include "policy.h"
#include "profile.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	enum profile_engine engine;
	const char *name;
} engine_names[] = {
	{ ENGINE_DOCKER_20_10, "docker-20.10" },
	{ ENGINE_DOCKER_26, "docker-26" },
};

const char *engine_name(enum profile_engine engine)
{
	for (size_t i = 0; i < sizeof(engine_names) / sizeof(engine_names[0]); i++)
		if (engine_names[i].engine == engine)
			return engine_names[i].name;
	return NULL;
}

enum profile_engine engine_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(engine_names) / sizeof(engine_names[0]); i++)
		if (strcmp(engine_names[i].name, name) == 0)
			return engine_names[i].engine;
	return ENGINE_DEFAULT;
}

/* The engine of the dockerd in PATH: "Docker version 20.10.24+dfsg1, ...".
 * moby 23 moved its profile type onto the OCI one (defaultErrnoRet, flags
 * and listenerPath read and passed on): 23 and later read as 26 does. */
static enum profile_engine installed_dockerd(void)
{
	const char *path = getenv("PATH");
	char buf[256], *copy, *dir, *save = NULL;
	bool found = false;
	unsigned major = 0;
	FILE *f;

	if (!path || !(copy = strdup(path)))
		return ENGINE_DEFAULT;
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, sizeof(buf), "%s/dockerd", *dir ? dir : ".");
		found = access(buf, X_OK) == 0;
	}
	free(copy);
	if (!found)
		return ENGINE_DEFAULT;
	/* Running dockerd costs tens of ms: its answer is kept (suite_cache)
	 * for this very file, as git's index knows a file unchanged. */
	struct stat st;
	char key[512], *line = NULL;
	size_t len = 0;
	int key_len = stat(buf, &st) != 0
			      ? -1
			      : snprintf(key, sizeof(key),
					 "dockerd %s dev %ju ino %ju size %jd mtime %jd.%09ld ctime %jd.%09ld", buf,
					 (uintmax_t)st.st_dev, (uintmax_t)st.st_ino, (intmax_t)st.st_size,
					 (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (intmax_t)st.st_ctim.tv_sec,
					 st.st_ctim.tv_nsec);
	if (key_len > 0 && key_len < (int)sizeof(key) &&
	    suite_cache_get("dockerd", key, (size_t)key_len, (void **)&line, &len) == 0 && len < sizeof(buf)) {
		memcpy(buf, line, len);
		buf[len] = '\0';
		free(line);
	} else {
		free(line);
		if (!(f = popen("dockerd --version 2>/dev/null", "re")))
			return ENGINE_DEFAULT;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		if (pclose(f) == 0 && buf[0] && key_len > 0 && key_len < (int)sizeof(key))
			suite_cache_put("dockerd", key, (size_t)key_len, buf, strlen(buf));
	}
	if (sscanf(buf, "Docker version %u.", &major) != 1)
		major = 0;
	if (major == 0)
		return ENGINE_DEFAULT;
	return major < 23 ? ENGINE_DOCKER_20_10 : ENGINE_DOCKER_26;
}

enum profile_engine engine_default(void)
{
	static enum profile_engine cached = ENGINE_DEFAULT;
	const char *env = getenv("SECCOMP_SUITE_ENGINE");

	if (env && *env && engine_from_name(env) != ENGINE_DEFAULT)
		return engine_from_name(env);
	if (cached == ENGINE_DEFAULT) {
		cached = installed_dockerd();
		if (cached == ENGINE_DEFAULT)
			cached = ENGINE_DOCKER_26;
	}
	return cached;
}

enum profile_engine engine_or_default(enum profile_engine engine)
{
	return engine == ENGINE_DEFAULT ? engine_default() : engine;
}

static bool has_string(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Is cap (a string from the profile) in the capability set?  Only the
 * canonical "CAP_X" spelling matches, as in dockerd's string comparison. */
static bool cap_in_set(const char *cap, uint64_t caps)
{
	int n = cap_from_name(cap);
	return n >= 0 && strcmp(cap_name(n), cap) == 0 && (caps & (UINT64_C(1) << n));
}

static bool kernel_at_least(struct kernel_version have, struct kernel_version want)
{
	return kernel_version_cmp(have, want) >= 0;
}

/* dockerd's include/exclude loop for one rule. */
static bool rule_applies(const struct profile_rule *r, const struct resolve_ctx *ctx)
{
	const char *arch = docker_arch_name(ctx->arch);
	arch = arch ? arch : "";

	if (r->excludes.n_arches && has_string(r->excludes.arches, r->excludes.n_arches, arch))
		return false;
	for (size_t i = 0; i < r->excludes.n_caps; i++)
		if (cap_in_set(r->excludes.caps[i], ctx->caps))
			return false;
	if (r->excludes.has_min_kernel && kernel_at_least(ctx->kernel, r->excludes.min_kernel))
		return false;
	if (r->includes.n_arches && !has_string(r->includes.arches, r->includes.n_arches, arch))
		return false;
	for (size_t i = 0; i < r->includes.n_caps; i++)
		if (!cap_in_set(r->includes.caps[i], ctx->caps))
			return false;
	if (r->includes.has_min_kernel && !kernel_at_least(ctx->kernel, r->includes.min_kernel))
		return false;
	return true;
}

static char **copy_strings(char **v, size_t n)
{
	char **out = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; out && i < n; i++)
		out[i] = strdup(v[i]);
	return out;
}

static void copy_rule(struct profile_rule *dst, const struct profile_rule *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->names = copy_strings(src->names, src->n_names);
	dst->n_names = src->n_names;
	dst->action = src->action;
	dst->has_errno_ret = src->has_errno_ret;
	dst->errno_ret = src->errno_ret;
	dst->errno_ret_value = src->errno_ret_value;
	dst->n_args = src->n_args;
	dst->args = calloc(src->n_args + 1, sizeof(*dst->args));
	if (src->n_args && dst->args)
		memcpy(dst->args, src->args, src->n_args * sizeof(*dst->args));
	dst->comment = src->comment ? strdup(src->comment) : NULL;
	memcpy(dst->path, src->path, sizeof(dst->path));
}

static int refuse(struct profile_error *err, const char *path, const char *reason, const char *who)
{
	snprintf(err->path, sizeof(err->path), "%s", path);
	snprintf(err->reason, sizeof(err->reason), "%s (%s)", reason, who);
	return -1;
}

/* The first problem of a rule that applies that runc reaches (profile.h,
 * struct profile_rule): runc 1.1's specconv converts the action of every
 * rule and the operators once per name; its matchCall then refuses an
 * empty name, skips a name whose action is the default's (compared as
 * libseccomp actions: KILL is KILL_THREAD, errnoRet as an int16) or that
 * libseccomp cannot resolve, and only then checks argument indexes. */
static const struct profile_problem *runc_refuses(const struct profile *p, const struct profile_rule *r)
{
	uint32_t def = profile_scmp_action(p->default_action, p->has_default_errno_ret, p->default_errno_ret);
	uint32_t act = profile_scmp_action(r->action, r->has_errno_ret, r->errno_ret);

	if (r->problem[PROBLEM_RULE].reason)
		return &r->problem[PROBLEM_RULE];
	if (r->n_names && r->problem[PROBLEM_NAMED].reason)
		return &r->problem[PROBLEM_NAMED];
	if (!r->problem[PROBLEM_REACHED].reason || act == def)
		return NULL;
	for (size_t i = 0; i < r->n_names; i++)
		if (seccomp_syscall_resolve_name(r->names[i]) != __NR_SCMP_ERROR)
			return &r->problem[PROBLEM_REACHED];
	return NULL;
}

#define NAME_AND_NAMES "both \"name\" and \"names\" are given: use one"
#define RUNC_REFUSES "dockerd passes it on and runc refuses it: docker run fails"

int profile_resolve(const struct profile *in, const struct resolve_ctx *ctx, struct profile *out,
		    struct profile_error *err)
{
	enum profile_engine engine = engine_or_default(in->engine);

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", in->file ? in->file : "");
	out->file = in->file ? strdup(in->file) : NULL;
	out->engine = in->engine;
	out->disabled = in->disabled;
	out->default_action = in->default_action;
	out->has_default_errno_ret = in->has_default_errno_ret;
	out->default_errno_ret = in->default_errno_ret;
	out->default_errno_ret_value = in->default_errno_ret_value;
	/* Only moby 26's profile type has these (20.10 never read them). */
	out->flags = in->flags;
	out->listener_path = in->listener_path ? strdup(in->listener_path) : NULL;
	out->listener_metadata = in->listener_metadata ? strdup(in->listener_metadata) : NULL;
	out->flag_names = copy_strings(in->flag_names, in->n_flag_names);
	out->n_flag_names = in->n_flag_names;
	if (in->disabled)
		return 0;

	if (in->n_arches && in->n_arch_map)
		return refuse(err, "", "both \"architectures\" and \"archMap\" are given: use one",
			      "dockerd refuses the profile");
	/* moby 26 looks at every rule's "name" before filtering. */
	for (size_t i = 0; engine == ENGINE_DOCKER_26 && i < in->n_rules; i++)
		if (in->rules[i].name_and_names)
			return refuse(err, in->rules[i].path, NAME_AND_NAMES, "dockerd refuses the profile");
	/* Either the list as written, or the archMap entry of the daemon's own
	 * architecture followed by its sub-architectures; none means
	 * libseccomp's native architecture only. */
	if (in->n_arches) {
		out->arches = calloc(in->n_arches + 1, sizeof(uint32_t));
		if (out->arches)
			memcpy(out->arches, in->arches, in->n_arches * sizeof(uint32_t));
		out->n_arches = in->n_arches;
	} else {
		for (size_t i = 0; i < in->n_arch_map; i++) {
			const struct profile_arch_map *m = &in->arch_map[i];
			if (m->arch != ctx->arch)
				continue;
			if (m->problem.reason)
				return refuse(err, m->problem.path, m->problem.reason, RUNC_REFUSES);
			out->arches = calloc(m->n_subs + 2, sizeof(uint32_t));
			if (!out->arches)
				break;
			out->arches[0] = m->arch;
			memcpy(out->arches + 1, m->subs, m->n_subs * sizeof(uint32_t));
			out->n_arches = m->n_subs + 1;
			break;
		}
	}

	out->rules = calloc(in->n_rules + 1, sizeof(*out->rules));
	if (!out->rules)
		return refuse(err, "", "out of memory", "resolving");
	for (size_t i = 0; i < in->n_rules; i++) {
		const struct profile_rule *r = &in->rules[i];
		if (!rule_applies(r, ctx))
			continue;
		if (r->name_and_names)
			return refuse(err, r->path, NAME_AND_NAMES, "dockerd refuses the profile");
		const struct profile_problem *pr = runc_refuses(in, r);
		if (pr)
			return refuse(err, pr->path, pr->reason, RUNC_REFUSES);
		copy_rule(&out->rules[out->n_rules++], r);
	}
	return 0;
}

/* What the engine's runc refuses in the object dockerd hands it, before
 * any libseccomp call (profile_build then refuses what libseccomp
 * refuses): the runc each engine's Debian release ships, 1.1.5 with
 * docker-20.10 and 1.1.15 with docker-26.
 *   - flags: "seccomp flags are not yet supported by runc" (runc 1.1's
 *     specconv): moby 26 passes them on, so under docker-26 a profile with
 *     flags is refused; moby 20.10 never reads them;
 *   - architectures runc's table lacks: 1.1.5 has no riscv64, both lack
 *     parisc (and libseccomp 2.5 has no loongarch64, which 1.1.15 knows);
 *   - SCMP_ACT_NOTIFY on write: runc writes the listener's fd with it. */
int profile_runc_refuses(const struct profile *p, struct profile_error *err)
{
	enum profile_engine engine = engine_or_default(p->engine);
	const char *runc = engine == ENGINE_DOCKER_20_10 ? "runc 1.1.5, with docker-20.10"
							 : "runc 1.1.15, with docker-26";

	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", p->file ? p->file : "");
	if (p->disabled)
		return 0;
	if (p->n_flag_names || p->flags)
		return refuse(err, "flags", "seccomp flags are not yet supported by runc", runc);
	for (size_t i = 0; i < p->n_arches; i++) {
		uint32_t a = p->arches[i];
		if (a == SCMP_ARCH_PARISC || a == SCMP_ARCH_PARISC64 ||
		    (engine == ENGINE_DOCKER_20_10 && a == SCMP_ARCH_RISCV64)) {
			char reason[PROFILE_REASON_MAX];
			snprintf(reason, sizeof(reason), "%s is not a valid arch for seccomp", scmp_arch_name(a));
			return refuse(err, "architectures", reason, runc);
		}
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		for (size_t j = 0; r->action == ACTION_NOTIFY && j < r->n_names; j++)
			if (strcmp(r->names[j], "write") == 0)
				return refuse(err, r->path, "SCMP_ACT_NOTIFY cannot be used for the write syscall",
					      runc);
	}
	return 0;
}

/* Everything in a profile the linked libseccomp cannot express (runc
 * builds its filters with the same library: Debian 12's 2.5.4 for runc
 * 1.1.5).  Each finding goes to fn with its JSON path. */
size_t profile_libseccomp_gaps(const struct profile *p, profile_gap_fn fn, void *data)
{
	const struct scmp_version *v = seccomp_version();
	unsigned api = seccomp_api_get();
	char lib[48], path[PROFILE_PATH_MAX + 32], why[PROFILE_REASON_MAX];
	scmp_filter_ctx probe = seccomp_init(SCMP_ACT_ALLOW);
	size_t n = 0;

	snprintf(lib, sizeof(lib), "libseccomp %u.%u.%u", v->major, v->minor, v->micro);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		for (size_t j = 0; j < r->n_names; j++) {
			if (!r->names[j][0] || seccomp_syscall_resolve_name(r->names[j]) != __NR_SCMP_ERROR)
				continue;
			snprintf(path, sizeof(path), "%s.names[%zu]", r->path, j);
			snprintf(why, sizeof(why),
				 "\"%s\" is unknown to %s: skipped, as runc skips it, so the rule does nothing for it",
				 r->names[j], lib);
			fn(data, "unknown-name", path, r->names[j], why);
			n++;
		}
		/* API levels: 3 for LOG and KILL_PROCESS, 6 for NOTIFY's listener. */
		if (((r->action == ACTION_LOG || r->action == ACTION_KILL_PROCESS) && api < 3) ||
		    (r->action == ACTION_NOTIFY && api < 6)) {
			snprintf(path, sizeof(path), "%s.action", r->path);
			snprintf(why, sizeof(why), "%s at API level %u cannot load %s", lib, api,
				 action_name(r->action));
			fn(data, "libseccomp-action", path, r->n_names ? r->names[0] : NULL, why);
			n++;
		}
	}
	/* Architectures: the list as written, and every archMap entry. */
	for (size_t i = 0; probe && i < p->n_arches + p->n_arch_map; i++) {
		bool mapped = i >= p->n_arches;
		const struct profile_arch_map *m = mapped ? &p->arch_map[i - p->n_arches] : NULL;
		size_t n_archs = mapped ? m->n_subs + 1 : 1;
		for (size_t k = 0; k < n_archs; k++) {
			uint32_t a = !mapped ? p->arches[i] : k == 0 ? m->arch : m->subs[k - 1];
			int rc = a && a != seccomp_arch_native() ? seccomp_arch_add(probe, a) : 0;
			if (rc == 0 && a && a != seccomp_arch_native())
				seccomp_arch_remove(probe, a);
			if (rc == 0 || rc == -EEXIST || rc == -EDOM)
				continue; /* EDOM: another byte order, not a gap of the library */
			if (!mapped)
				snprintf(path, sizeof(path), "architectures[%zu]", i);
			else if (k == 0)
				snprintf(path, sizeof(path), "archMap[%zu].architecture", i - p->n_arches);
			else
				snprintf(path, sizeof(path), "archMap[%zu].subArchitectures[%zu]", i - p->n_arches,
					 k - 1);
			snprintf(why, sizeof(why), "%s cannot build a filter for %s", lib,
				 scmp_arch_name(a) ? scmp_arch_name(a) : "this architecture");
			fn(data, "libseccomp-arch", path, NULL, why);
			n++;
		}
	}
	if (probe)
		seccomp_release(probe);
	/* libseccomp 2.6 added the attribute for this flag (SCMP_FLTATR_CTL_WAITKILL). */
	if ((p->flags & (1u << 5)) && (v->major < 2 || (v->major == 2 && v->minor < 6))) {
		snprintf(why, sizeof(why), "%s has no attribute for SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", lib);
		fn(data, "libseccomp-flag", "flags", NULL, why);
		n++;
	}
	return n;
}

/* ---- Go's encoding/json, as dockerd decodes a profile -----------------
 *
 * moby's LoadProfile is json.Unmarshal into its Seccomp type.  What that
 * means for a profile's text, and what json-c alone would get wrong:
 *   - a key matches a field by its exact name or, failing that, by Unicode
 *     simple case folding: "SYSCALLS", "ſyscalls" (U+017F) and "minKernel"
 *     with the Kelvin sign (U+212A) are the fields; other keys are skipped
 *     whatever they hold;
 *   - a key given twice decodes twice into the same value: a second object
 *     merges into the first (a later "includes" adds fields to the earlier
 *     one), a second array decodes its elements into the elements already
 *     there (reusing the slice's backing array, even past its length);
 *   - null sets a pointer or a list to nil and leaves anything else (a
 *     string, a struct, a []string element) as it was;
 *   - any value of the wrong type fails the whole profile, even in a rule
 *     that never applies; minKernel goes through moby's UnmarshalJSON
 *     ("" leaves the version as it was: 0.0 for a new one).
 * The result is written back as JSON in which every key is a field's own
 * name, given once, never null: the parser below (profile.c) then reads
 * fields one by one.  The text is parsed by json-c twice: once as written
 * (for syntax errors, with their line and column), once with every key
 * made unique by a "N:" prefix, so that duplicates survive json-c. */

enum go_kind { GO_STRING, GO_UINT, GO_SLICE, GO_PTR, GO_STRUCT, GO_KERNEL };

struct go_field;
struct go_type {
	enum go_kind kind;
	const struct go_type *elem;    /* GO_SLICE, GO_PTR */
	const struct go_field *fields; /* GO_STRUCT, ends with a NULL name */
};
struct go_field {
	const char *name;
	const struct go_type *type;
};

static const struct go_type go_string = { GO_STRING, NULL, NULL };
static const struct go_type go_uint = { GO_UINT, NULL, NULL };
static const struct go_type go_strings = { GO_SLICE, &go_string, NULL };
static const struct go_type go_uint_ptr = { GO_PTR, &go_uint, NULL };
static const struct go_type go_kernel = { GO_KERNEL, NULL, NULL };
static const struct go_type go_kernel_ptr = { GO_PTR, &go_kernel, NULL };

/* moby's Filter (both engines) and Architecture. */
static const struct go_field go_filter_fields[] = {
	{ "caps", &go_strings },
	{ "arches", &go_strings },
	{ "minKernel", &go_kernel_ptr },
	{ NULL, NULL },
};
static const struct go_type go_filter = { GO_STRUCT, NULL, go_filter_fields };
static const struct go_type go_filter_ptr = { GO_PTR, &go_filter, NULL };
static const struct go_field go_arch_fields[] = {
	{ "architecture", &go_string },
	{ "subArchitectures", &go_strings },
	{ NULL, NULL },
};
static const struct go_type go_arch = { GO_STRUCT, NULL, go_arch_fields };
static const struct go_type go_archs = { GO_SLICE, &go_arch, NULL };

/* runtime-spec's LinuxSeccompArg; moby 20.10 holds []*LinuxSeccompArg,
 * runtime-spec's LinuxSyscall (moby 26, OCI) []LinuxSeccompArg. */
static const struct go_field go_arg_fields[] = {
	{ "index", &go_uint }, { "value", &go_uint }, { "valueTwo", &go_uint }, { "op", &go_string }, { NULL, NULL },
};
static const struct go_type go_arg = { GO_STRUCT, NULL, go_arg_fields };
static const struct go_type go_arg_ptr = { GO_PTR, &go_arg, NULL };
static const struct go_type go_args_ptrs = { GO_SLICE, &go_arg_ptr, NULL };
static const struct go_type go_args = { GO_SLICE, &go_arg, NULL };

/* moby 20.10.24 profiles/seccomp/seccomp.go: Seccomp and Syscall. */
static const struct go_field go_syscall_20_fields[] = {
	{ "name", &go_string },	      { "names", &go_strings },	  { "action", &go_string },
	{ "errnoRet", &go_uint_ptr }, { "args", &go_args_ptrs },  { "comment", &go_string },
	{ "includes", &go_filter },   { "excludes", &go_filter }, { NULL, NULL },
};
static const struct go_type go_syscall_20 = { GO_STRUCT, NULL, go_syscall_20_fields };
static const struct go_type go_syscall_20_ptr = { GO_PTR, &go_syscall_20, NULL };
static const struct go_type go_syscalls_20 = { GO_SLICE, &go_syscall_20_ptr, NULL };
static const struct go_field go_seccomp_20_fields[] = {
	{ "defaultAction", &go_string },
	{ "architectures", &go_strings },
	{ "archMap", &go_archs },
	{ "syscalls", &go_syscalls_20 },
	{ NULL, NULL },
};
static const struct go_type go_seccomp_20 = { GO_STRUCT, NULL, go_seccomp_20_fields };

/* moby 26.1.5: Seccomp embeds specs.LinuxSeccomp (its syscalls shadowed),
 * Syscall embeds specs.LinuxSyscall, includes/excludes are *Filter. */
static const struct go_field go_syscall_26_fields[] = {
	{ "names", &go_strings },	{ "action", &go_string },	{ "errnoRet", &go_uint_ptr },
	{ "args", &go_args },		{ "name", &go_string },		{ "comment", &go_string },
	{ "includes", &go_filter_ptr }, { "excludes", &go_filter_ptr }, { NULL, NULL },
};
static const struct go_type go_syscall_26 = { GO_STRUCT, NULL, go_syscall_26_fields };
static const struct go_type go_syscall_26_ptr = { GO_PTR, &go_syscall_26, NULL };
static const struct go_type go_syscalls_26 = { GO_SLICE, &go_syscall_26_ptr, NULL };
static const struct go_field go_seccomp_26_fields[] = {
	{ "defaultAction", &go_string }, { "defaultErrnoRet", &go_uint_ptr }, { "architectures", &go_strings },
	{ "flags", &go_strings },	 { "listenerPath", &go_string },      { "listenerMetadata", &go_string },
	{ "archMap", &go_archs },	 { "syscalls", &go_syscalls_26 },     { NULL, NULL },
};
static const struct go_type go_seccomp_26 = { GO_STRUCT, NULL, go_seccomp_26_fields };

/* runtime-spec's Spec as runc reads config.json: linux.seccomp only. */
static const struct go_field go_oci_syscall_fields[] = {
	{ "names", &go_strings }, { "action", &go_string }, { "errnoRet", &go_uint_ptr },
	{ "args", &go_args },	  { NULL, NULL },
};
static const struct go_type go_oci_syscall = { GO_STRUCT, NULL, go_oci_syscall_fields };
static const struct go_type go_oci_syscalls = { GO_SLICE, &go_oci_syscall, NULL };
static const struct go_field go_oci_seccomp_fields[] = {
	{ "defaultAction", &go_string },  { "defaultErrnoRet", &go_uint_ptr },
	{ "architectures", &go_strings }, { "flags", &go_strings },
	{ "listenerPath", &go_string },	  { "listenerMetadata", &go_string },
	{ "syscalls", &go_oci_syscalls }, { NULL, NULL },
};
static const struct go_type go_oci_seccomp = { GO_STRUCT, NULL, go_oci_seccomp_fields };
static const struct go_type go_oci_seccomp_ptr = { GO_PTR, &go_oci_seccomp, NULL };
static const struct go_field go_oci_linux_fields[] = { { "seccomp", &go_oci_seccomp_ptr }, { NULL, NULL } };
static const struct go_type go_oci_linux = { GO_STRUCT, NULL, go_oci_linux_fields };
static const struct go_type go_oci_linux_ptr = { GO_PTR, &go_oci_linux, NULL };
static const struct go_field go_oci_spec_fields[] = { { "linux", &go_oci_linux_ptr }, { NULL, NULL } };
static const struct go_type go_oci_spec = { GO_STRUCT, NULL, go_oci_spec_fields };

/* A Go value of one of the types above. */
struct go_value {
	const struct go_type *type;
	char *s;		   /* GO_STRING ("" when NULL) */
	uint64_t u;		   /* GO_UINT */
	struct go_value *ptr;	   /* GO_PTR: NULL is nil */
	struct go_value **backing; /* GO_SLICE: cap slots, NULL a zero value */
	size_t len, cap;
	bool non_nil;		  /* GO_SLICE: [] rather than nil */
	struct go_value **fields; /* GO_STRUCT: one per field */
	unsigned kernel, major;	  /* GO_KERNEL */
};

static struct go_value *go_new(const struct go_type *type)
{
	struct go_value *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->type = type;
	if (type->kind == GO_STRUCT) {
		size_t n = 0;
		while (type->fields[n].name)
			n++;
		v->fields = calloc(n + 1, sizeof(*v->fields));
		for (size_t i = 0; v->fields && i < n; i++)
			if (!(v->fields[i] = go_new(type->fields[i].type)))
				return NULL; /* out of memory: the whole decode fails */
		if (!v->fields)
			return NULL;
	}
	return v;
}

static void go_free(struct go_value *v)
{
	if (!v)
		return;
	free(v->s);
	go_free(v->ptr);
	for (size_t i = 0; i < v->cap; i++)
		go_free(v->backing[i]);
	free(v->backing);
	if (v->fields)
		for (size_t i = 0; v->type->fields[i].name; i++)
			go_free(v->fields[i]);
	free(v->fields);
	free(v);
}

/* The key as written: after the "N:" prefix that made it unique. */
static const char *go_key(const char *k)
{
	const char *colon = strchr(k, ':');
	return colon ? colon + 1 : k;
}

/* One UTF-8 sequence at *p: its code point, *p moved past it. */
static uint32_t go_next_rune(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t r;
	int n;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		r = s[0] & 0x1f;
		n = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		r = s[0] & 0x0f;
		n = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		r = s[0] & 0x07;
		n = 3;
	} else {
		*p = s + 1;
		return 0xfffd;
	}
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return 0xfffd;
		}
		r = (r << 6) | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return r;
}

/* encoding/json's key matching for an ASCII field name: each rune of the
 * key folds to the field's letter.  The only non-ASCII runes whose simple
 * case fold reaches an ASCII letter are U+017F (s) and U+212A (k). */
static bool go_fold_equal(const char *field, const char *key)
{
	const unsigned char *k = (const unsigned char *)key;

	for (const char *f = field; *f; f++) {
		if (!*k)
			return false;
		uint32_t r = go_next_rune(&k);
		int c = tolower((unsigned char)*f);
		if (r < 0x80 ? tolower((int)r) != c : !((r == 0x17f && c == 's') || (r == 0x212a && c == 'k')))
			return false;
	}
	return *k == '\0';
}

static int go_field_index(const struct go_type *t, const char *key)
{
	for (int i = 0; t->fields[i].name; i++)
		if (strcmp(t->fields[i].name, key) == 0)
			return i;
	for (int i = 0; t->fields[i].name; i++)
		if (go_fold_equal(t->fields[i].name, key))
			return i;
	return -1;
}

/* moby's KernelVersion.UnmarshalJSON. */
static int go_decode_kernel(struct go_value *v, struct json_object *j, const char *path, struct profile_error *err)
{
	const char *s, *dot;
	char *end;
	unsigned long k, m;

	if (!json_object_is_type(j, json_type_string))
		return profile_error_set(err, path,
					 "invalid kernel version: expected a string \"<kernel>.<major>\", found %s",
					 json_type_word(j));
	s = json_object_get_string(j);
	if (!*s)
		return 0;
	dot = strchr(s, '.');
	if (!dot || strchr(dot + 1, '.'))
		return profile_error_set(
			err, path, "invalid kernel version \"%s\", expected \"<kernel>.<major>\" such as \"4.8\"", s);
	/* strconv.ParseUint(part, 10, 8): decimal digits only, at most 255. */
	for (const char *c = s; *c; c++)
		if (c != dot && !isdigit((unsigned char)*c))
			return profile_error_set(
				err, path,
				"invalid kernel version \"%s\", expected \"<kernel>.<major>\" such as \"4.8\"", s);
	if (dot == s || !dot[1])
		return profile_error_set(
			err, path, "invalid kernel version \"%s\", expected \"<kernel>.<major>\" such as \"4.8\"", s);
	k = strtoul(s, &end, 10);
	m = strtoul(dot + 1, &end, 10);
	if (k > 255 || m > 255 || end - dot > 4 || dot - s > 3)
		return profile_error_set(err, path, "invalid kernel version \"%s\": each part is at most 255", s);
	if (k == 0 && m == 0)
		return profile_error_set(err, path, "invalid kernel version \"%s\": version cannot be 0.0", s);
	v->kernel = (unsigned)k;
	v->major = (unsigned)m;
	return 0;
}

static int go_decode(struct go_value *v, struct json_object *j, const char *path, struct profile_error *err);

/* decodeState.array: elements decode into the slots already there, the
 * backing array grows by half (at least to 4) keeping only the first len,
 * and an empty array makes a new empty slice. */
static int go_decode_slice(struct go_value *v, struct json_object *j, const char *path, struct profile_error *err)
{
	size_t n = json_object_array_length(j), i;
	char sub[PROFILE_PATH_MAX];

	for (i = 0; i < n; i++) {
		if (i >= v->cap) {
			size_t cap = v->cap + v->cap / 2;
			struct go_value **b;
			if (cap < 4)
				cap = 4;
			b = calloc(cap, sizeof(*b));
			if (!b)
				return profile_error_set(err, path, "out of memory");
			for (size_t k = 0; k < v->cap; k++) {
				if (k < v->len)
					b[k] = v->backing[k];
				else
					go_free(v->backing[k]);
			}
			free(v->backing);
			v->backing = b;
			v->cap = cap;
		}
		if (i >= v->len)
			v->len = i + 1;
		if (!v->backing[i] && !(v->backing[i] = go_new(v->type->elem)))
			return profile_error_set(err, path, "out of memory");
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (go_decode(v->backing[i], json_object_array_get_idx(j, i), sub, err))
			return -1;
	}
	v->non_nil = true;
	if (i < v->len)
		v->len = i;
	if (i == 0) {
		for (size_t k = 0; k < v->cap; k++)
			go_free(v->backing[k]);
		free(v->backing);
		v->backing = NULL;
		v->len = v->cap = 0;
	}
	return 0;
}

static int go_decode(struct go_value *v, struct json_object *j, const char *path, struct profile_error *err)
{
	const struct go_type *t = v->type;
	char sub[PROFILE_PATH_MAX];

	if (json_object_is_type(j, json_type_null)) {
		if (t->kind == GO_PTR) {
			go_free(v->ptr);
			v->ptr = NULL;
		} else if (t->kind == GO_SLICE) {
			for (size_t k = 0; k < v->cap; k++)
				go_free(v->backing[k]);
			free(v->backing);
			v->backing = NULL;
			v->len = v->cap = 0;
			v->non_nil = false;
		}
		return 0;
	}
	switch (t->kind) {
	case GO_STRING:
		if (!json_object_is_type(j, json_type_string))
			return profile_error_set(err, path, "expected a string, found %s", json_type_word(j));
		free(v->s);
		v->s = strdup(json_object_get_string(j));
		return v->s ? 0 : profile_error_set(err, path, "out of memory");
	case GO_UINT:
		if (!json_object_is_type(j, json_type_int))
			return profile_error_set(err, path, "expected a non-negative integer, found %s",
						 json_type_word(j));
		if (json_object_get_int64(j) < 0)
			return profile_error_set(err, path, "expected a non-negative integer, found %lld",
						 (long long)json_object_get_int64(j));
		v->u = json_object_get_uint64(j);
		return 0;
	case GO_KERNEL: return go_decode_kernel(v, j, path, err);
	case GO_PTR:
		if (!v->ptr && !(v->ptr = go_new(t->elem)))
			return profile_error_set(err, path, "out of memory");
		return go_decode(v->ptr, j, path, err);
	case GO_SLICE:
		if (!json_object_is_type(j, json_type_array))
			return profile_error_set(err, path, "expected an array, found %s", json_type_word(j));
		return go_decode_slice(v, j, path, err);
	case GO_STRUCT:
		if (!json_object_is_type(j, json_type_object))
			return profile_error_set(err, path, "expected an object, found %s", json_type_word(j));
		json_object_object_foreach (j, key, val) {
			int f = go_field_index(t, go_key(key));
			if (f < 0)
				continue;
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", t->fields[f].name);
			if (go_decode(v->fields[f], val, sub, err))
				return -1;
		}
		return 0;
	}
	return 0;
}

/* The decoded value as JSON: NULL for what a struct field leaves out (nil,
 * ""), so that a field is present exactly when Go's would be non-zero.
 * An allocation that fails sets *oom (and gives NULL, whatever it built
 * freed): NULL alone is never taken for "out of memory". */
static struct json_object *go_to_json(const struct go_value *v, bool in_struct, bool *oom)
{
	struct json_object *o = NULL;
	char buf[16];

	switch (v->type->kind) {
	case GO_STRING:
		if (in_struct && !(v->s && *v->s))
			return NULL;
		o = json_object_new_string(v->s ? v->s : "");
		break;
	case GO_UINT: o = json_object_new_uint64(v->u); break;
	case GO_KERNEL:
		snprintf(buf, sizeof(buf), "%u.%u", v->kernel, v->major);
		o = json_object_new_string(buf);
		break;
	case GO_PTR: return v->ptr ? go_to_json(v->ptr, false, oom) : NULL;
	case GO_SLICE:
		if (!v->non_nil)
			return NULL;
		if (!(o = json_object_new_array()))
			break;
		for (size_t i = 0; i < v->len; i++) {
			struct json_object *e = v->backing[i] ? go_to_json(v->backing[i], false, oom) : NULL;
			if (*oom)
				goto fail;
			/* A zero element: "" for a string, {} for a struct. */
			if (!e && (!v->backing[i] || v->type->elem->kind != GO_PTR)) {
				enum go_kind k = v->type->elem->kind;
				if (k == GO_STRING || k == GO_STRUCT) {
					e = k == GO_STRING ? json_object_new_string("") : json_object_new_object();
					if (!e)
						goto fail;
				}
			}
			if (json_object_array_add(o, e)) {
				json_object_put(e);
				goto fail;
			}
		}
		return o;
	case GO_STRUCT:
		if (!(o = json_object_new_object()))
			break;
		for (size_t i = 0; v->type->fields[i].name; i++) {
			struct json_object *e = go_to_json(v->fields[i], true, oom);
			if (*oom)
				goto fail;
			if (e && json_object_object_add(o, v->type->fields[i].name, e)) {
				json_object_put(e);
				goto fail;
			}
		}
		return o;
	}
	if (!o)
		*oom = true;
	return o;
fail:
	*oom = true;
	json_object_put(o);
	return NULL;
}

/* The text with every object key made unique ("N:" after its opening
 * quote) and every -0 written -0.0 (json-c reads -0 as the integer 0; Go
 * refuses it as a uint).  The text is valid JSON: a string followed by
 * ':' is a key. */
static char *go_unique_keys(const char *text)
{
	size_t len = strlen(text), n_keys = 0, used = 0;
	char *out;
	unsigned long seq = 0;

	for (size_t i = 0; i < len; i++)
		if (text[i] == '"' || text[i] == '-')
			n_keys++;
	out = malloc(len + n_keys * 24 + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		if (text[i] == '"') {
			size_t j = i + 1, k;
			while (j < len && text[j] != '"')
				j += text[j] == '\\' ? 2 : 1;
			for (k = j + 1; k < len && strchr(" \t\r\n", text[k]); k++)
				;
			out[used++] = '"';
			if (k < len && text[k] == ':')
				used += (size_t)sprintf(out + used, "%lu:", seq++);
			memcpy(out + used, text + i + 1, j - i);
			used += j - i;
			i = j + 1;
		} else if (text[i] == '-' && text[i + 1] == '0' &&
			   !strchr(".eE0123456789", text[i + 2] ? text[i + 2] : 'x')) {
			memcpy(out + used, "-0.0", 4);
			used += 4;
			i += 2;
		} else {
			out[used++] = text[i++];
		}
	}
	out[used] = '\0';
	return out;
}

static struct json_object *go_member_raw(struct json_object *obj, const char *field)
{
	struct json_object *found = NULL;
	json_object_object_foreach (obj, k, v) {
		if (!json_object_is_type(v, json_type_null) &&
		    (strcmp(go_key(k), field) == 0 || go_fold_equal(field, go_key(k))))
			found = v;
	}
	return found;
}

struct json_object *profile_go_decode(const char *text, enum profile_engine engine, struct profile_error *err)
{
	char *unique = go_unique_keys(text);
	struct json_object *raw, *out = NULL;
	const struct go_type *type;
	struct go_value *v;

	if (!unique) {
		profile_error_set(err, "", "out of memory");
		return NULL;
	}
	raw = json_tokener_parse(unique);
	free(unique);
	if (!raw) {
		/* The text is valid JSON (the top-level null is profile.c's to
		 * refuse before this): json-c could not allocate what it read. */
		profile_error_set(err, "", "out of memory");
		return NULL;
	}
	if (!json_object_is_type(raw, json_type_object)) {
		/* Not an object: profile.c says so; nothing to decode. */
		return raw;
	}
	/* An OCI config.json (profile.c's rule): "linux" and no profile field. */
	if (go_member_raw(raw, "linux") && !go_member_raw(raw, "defaultAction") && !go_member_raw(raw, "syscalls"))
		type = &go_oci_spec;
	else
		type = engine_or_default(engine) == ENGINE_DOCKER_20_10 ? &go_seccomp_20 : &go_seccomp_26;
	v = go_new(type);
	if (!v)
		profile_error_set(err, "", "out of memory");
	else if (go_decode(v, raw, "", err) == 0) {
		bool oom = false;
		out = go_to_json(v, false, &oom);
		if (!out)
			profile_error_set(err, "", "out of memory");
	}
	go_free(v);
	json_object_put(raw);
	return out;
}
