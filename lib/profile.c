/* profile.c: reading Docker and OCI seccomp profiles.
 *
 * Field semantics follow moby's profiles/seccomp (Seccomp, Syscall, Filter,
 * KernelVersion) decoded by Go's encoding/json: profile_go_decode()
 * (profile_resolve.c) first turns the text into what Go decodes (keys folded,
 * duplicates merged, nulls applied, types checked), so the readers below see
 * each field once under its own name.  What is wrong with the profile as a
 * whole fails it, with the file, the JSON path and why; what runc refuses
 * in one rule is kept as that rule's problem, fatal only if the rule applies.
 */
#define _GNU_SOURCE
#include "profile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const struct {
	enum profile_action action;
	const char *name;
} action_names[] = {
	{ ACTION_KILL, "SCMP_ACT_KILL" },
	{ ACTION_KILL_THREAD, "SCMP_ACT_KILL_THREAD" },
	{ ACTION_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS" },
	{ ACTION_TRAP, "SCMP_ACT_TRAP" },
	{ ACTION_ERRNO, "SCMP_ACT_ERRNO" },
	{ ACTION_TRACE, "SCMP_ACT_TRACE" },
	{ ACTION_ALLOW, "SCMP_ACT_ALLOW" },
	{ ACTION_LOG, "SCMP_ACT_LOG" },
	{ ACTION_NOTIFY, "SCMP_ACT_NOTIFY" },
};

static const struct {
	enum scmp_compare op;
	const char *name;
} op_names[] = {
	{ SCMP_CMP_NE, "SCMP_CMP_NE" },
	{ SCMP_CMP_LT, "SCMP_CMP_LT" },
	{ SCMP_CMP_LE, "SCMP_CMP_LE" },
	{ SCMP_CMP_EQ, "SCMP_CMP_EQ" },
	{ SCMP_CMP_GE, "SCMP_CMP_GE" },
	{ SCMP_CMP_GT, "SCMP_CMP_GT" },
	{ SCMP_CMP_MASKED_EQ, "SCMP_CMP_MASKED_EQ" },
};

/* SCMP_ARCH_* names as the OCI spec spells them, and the names dockerd
 * uses in includes/excludes "arches" (goToNative in moby's seccomp_linux.go,
 * plus the names newer moby profiles use for riscv64 and loongarch64). */
static const struct {
	uint32_t arch;
	const char *scmp;
	const char *docker;
} arch_names[] = {
	{ SCMP_ARCH_X86, "SCMP_ARCH_X86", "x86" },
	{ SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64", "amd64" },
	{ SCMP_ARCH_X32, "SCMP_ARCH_X32", "x32" },
	{ SCMP_ARCH_ARM, "SCMP_ARCH_ARM", "arm" },
	{ SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64", "arm64" },
	{ SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS", "mips" },
	{ SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64", "mips64" },
	{ SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32", "mips64n32" },
	{ SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL", "mipsel" },
	{ SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64", "mipsel64" },
	{ SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32", "mips3l64n32" },
	{ SCMP_ARCH_PPC, "SCMP_ARCH_PPC", "ppc" },
	{ SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64", "ppc64" },
	{ SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE", "ppc64le" },
	{ SCMP_ARCH_S390, "SCMP_ARCH_S390", "s390" },
	{ SCMP_ARCH_S390X, "SCMP_ARCH_S390X", "s390x" },
	{ SCMP_ARCH_PARISC, "SCMP_ARCH_PARISC", "parisc" },
	{ SCMP_ARCH_PARISC64, "SCMP_ARCH_PARISC64", "parisc64" },
	{ SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64", "riscv64" },
#ifdef SCMP_ARCH_LOONGARCH64
	{ SCMP_ARCH_LOONGARCH64, "SCMP_ARCH_LOONGARCH64", "loong64" },
#else
	/* libseccomp 2.5 predates loongarch64, but its tokens are the audit
	 * architectures: the name still parses (moby's v0.2.3 profile has an
	 * archMap entry for it), and only a filter for it fails to build. */
	{ AUDIT_ARCH_LOONGARCH64, "SCMP_ARCH_LOONGARCH64", "loong64" },
#endif
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{ SECCOMP_FILTER_FLAG_TSYNC, "SECCOMP_FILTER_FLAG_TSYNC" },
	{ SECCOMP_FILTER_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG" },
	{ SECCOMP_FILTER_FLAG_SPEC_ALLOW, "SECCOMP_FILTER_FLAG_SPEC_ALLOW" },
	{ 1u << 5, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" },
};

const char *action_name(enum profile_action action)
{
	for (size_t i = 0; i < N_ELEMS(action_names); i++)
		if (action_names[i].action == action)
			return action_names[i].name;
	return NULL;
}

enum profile_action action_from_name(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(action_names); i++)
		if (strcmp(action_names[i].name, name) == 0)
			return action_names[i].action;
	return ACTION_NONE;
}

const char *compare_op_name(enum scmp_compare op)
{
	for (size_t i = 0; i < N_ELEMS(op_names); i++)
		if (op_names[i].op == op)
			return op_names[i].name;
	return NULL;
}

const char *filter_flag_name(unsigned flag)
{
	for (size_t i = 0; i < N_ELEMS(flag_names); i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].name;
	return NULL;
}

uint32_t scmp_arch_from_name(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(arch_names); i++)
		if (strcmp(arch_names[i].scmp, name) == 0)
			return arch_names[i].arch;
	return 0;
}

const char *scmp_arch_name(uint32_t arch)
{
	for (size_t i = 0; i < N_ELEMS(arch_names); i++)
		if (arch_names[i].arch == arch)
			return arch_names[i].scmp;
	return NULL;
}

uint32_t arch_from_any_name(const char *name)
{
	/* uname -m and Debian's names that are neither libseccomp's nor Docker's. */
	static const struct {
		const char *name;
		uint32_t arch;
	} machines[] = {
		{ "x86_64", SCMP_ARCH_X86_64 }, { "i386", SCMP_ARCH_X86 },  { "i486", SCMP_ARCH_X86 },
		{ "i586", SCMP_ARCH_X86 },	{ "i686", SCMP_ARCH_X86 },  { "aarch64", SCMP_ARCH_AARCH64 },
		{ "armhf", SCMP_ARCH_ARM },	{ "armel", SCMP_ARCH_ARM }, { "armv7l", SCMP_ARCH_ARM },
	};

	for (size_t i = 0; i < N_ELEMS(arch_names); i++) {
		const char *suffix = arch_names[i].scmp + strlen("SCMP_ARCH_");
		if (strcasecmp(name, arch_names[i].scmp) == 0 || strcasecmp(name, suffix) == 0 ||
		    strcmp(name, arch_names[i].docker) == 0)
			return arch_names[i].arch;
	}
	for (size_t i = 0; i < N_ELEMS(machines); i++)
		if (strcmp(name, machines[i].name) == 0)
			return machines[i].arch;
	return 0;
}

const char *docker_arch_name(uint32_t arch)
{
	for (size_t i = 0; i < N_ELEMS(arch_names); i++)
		if (arch_names[i].arch == arch)
			return arch_names[i].docker;
	return NULL;
}

bool profile_cond_holds(const struct profile_cond *c, uint64_t v)
{
	switch (c->op) {
	case SCMP_CMP_NE: return v != c->value;
	case SCMP_CMP_LT: return v < c->value;
	case SCMP_CMP_LE: return v <= c->value;
	case SCMP_CMP_EQ: return v == c->value;
	case SCMP_CMP_GE: return v >= c->value;
	case SCMP_CMP_GT: return v > c->value;
	case SCMP_CMP_MASKED_EQ: return (v & c->value) == c->value_two;
	default: return false;
	}
}

int kernel_version_parse(const char *release, struct kernel_version *out)
{
	unsigned major, minor;
	/* dockerd: fmt.Sscanf(release, "%d.%d") -- "3.12-1-amd64" is 3.12. */
	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return -1;
	out->major = major;
	out->minor = minor;
	return 0;
}

int kernel_version_cmp(struct kernel_version a, struct kernel_version b)
{
	if (a.major != b.major)
		return a.major < b.major ? -1 : 1;
	if (a.minor != b.minor)
		return a.minor < b.minor ? -1 : 1;
	return 0;
}

void profile_error_format(const struct profile_error *err, char *buf, size_t size)
{
	if (err->line > 0)
		snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->column, err->reason);
	else if (err->path[0])
		snprintf(buf, size, "%s: %s: %s", err->file, err->path, err->reason);
	else
		snprintf(buf, size, "%s: %s", err->file, err->reason);
}

int profile_error_set(struct profile_error *err, const char *path, const char *fmt, ...)
{
	va_list ap;
	snprintf(err->path, sizeof(err->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct profile_error *err, const char *path)
{
	return profile_error_set(err, path, "out of memory");
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

const char *json_type_word(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a fractional number";
	case json_type_int: return "a number";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "something else";
}

/* Go's encoding/json assigns keys in the order they come, each to the
 * field it names exactly or, failing that, ignoring case: the last key
 * naming a field is the one that counts.  null leaves the field unset. */
static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *found = NULL;

	json_object_object_foreach (obj, k, v) {
		if (strcasecmp(k, key) == 0)
			found = v;
	}
	if (found && json_object_is_type(found, json_type_null))
		return NULL;
	return found;
}

static void join_path(char *buf, size_t size, const char *base, const char *key)
{
	snprintf(buf, size, "%s%s%s", base, *base ? "." : "", key);
}

static int get_string(struct json_object *obj, const char *key, const char *base, const char **out,
		      struct profile_error *err)
{
	char path[PROFILE_PATH_MAX];
	struct json_object *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	join_path(path, sizeof(path), base, key);
	if (!json_object_is_type(v, json_type_string))
		return profile_error_set(err, path, "expected a string, found %s", json_type_word(v));
	*out = json_object_get_string(v);
	return 0;
}

static int as_uint(struct json_object *v, const char *path, uint64_t max, uint64_t *out, struct profile_error *err)
{
	if (!json_object_is_type(v, json_type_int))
		return profile_error_set(err, path, "expected a non-negative integer, found %s", json_type_word(v));
	if (json_object_get_int64(v) < 0)
		return profile_error_set(err, path, "expected a non-negative integer, found %lld",
					 (long long)json_object_get_int64(v));
	*out = json_object_get_uint64(v);
	if (*out > max)
		return profile_error_set(err, path, "%llu is above the largest allowed value %llu",
					 (unsigned long long)*out, (unsigned long long)max);
	return 0;
}

static int get_uint(struct json_object *obj, const char *key, const char *base, uint64_t max, bool *present,
		    uint64_t *out, struct profile_error *err)
{
	char path[PROFILE_PATH_MAX];
	struct json_object *v = member(obj, key);

	*present = v != NULL;
	*out = 0;
	if (!v)
		return 0;
	join_path(path, sizeof(path), base, key);
	return as_uint(v, path, max, out, err);
}

static int get_array(struct json_object *obj, const char *key, const char *base, struct json_object **out,
		     struct profile_error *err)
{
	char path[PROFILE_PATH_MAX];
	struct json_object *v = member(obj, key);

	*out = v;
	if (!v)
		return 0;
	join_path(path, sizeof(path), base, key);
	if (!json_object_is_type(v, json_type_array))
		return profile_error_set(err, path, "expected an array, found %s", json_type_word(v));
	return 0;
}

/* An array of strings, copied.  *n is 0 and *out NULL when absent. */
static int get_strings(struct json_object *obj, const char *key, const char *base, char ***out, size_t *n,
		       struct profile_error *err)
{
	struct json_object *arr;
	char path[PROFILE_PATH_MAX];

	*out = NULL;
	*n = 0;
	if (get_array(obj, key, base, &arr, err))
		return -1;
	if (!arr)
		return 0;
	size_t len = json_object_array_length(arr);
	char **v = calloc(len + 1, sizeof(char *));
	if (!v)
		return oom(err, base);
	for (size_t i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		snprintf(path, sizeof(path), "%s%s%s[%zu]", base, *base ? "." : "", key, i);
		if (!json_object_is_type(e, json_type_string)) {
			free_strings(v, i);
			return profile_error_set(err, path, "expected a string, found %s", json_type_word(e));
		}
		if (!(v[i] = strdup(json_object_get_string(e)))) {
			free_strings(v, i);
			return oom(err, path);
		}
	}
	*out = v;
	*n = len;
	return 0;
}

static int expect_object(struct json_object *v, const char *path, struct profile_error *err)
{
	if (!json_object_is_type(v, json_type_object))
		return profile_error_set(err, path, "expected an object, found %s", json_type_word(v));
	return 0;
}

/* What runc refuses in a rule: kept, the first one of each kind. */
__attribute__((format(printf, 4, 5))) static void rule_problem(struct profile_rule *r, int kind, const char *path,
							       const char *fmt, ...)
{
	va_list ap;
	char reason[PROFILE_REASON_MAX];

	if (r->problem[kind].reason)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(r->problem[kind].path, sizeof(r->problem[kind].path), "%s", path);
	r->problem[kind].reason = strdup(reason);
}

#define ACTIONS_EXPECTED \
	"SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG or SCMP_ACT_NOTIFY"

/* A rule's action: dockerd passes any string on, runc refuses all but
 * the libseccomp names. */
static int parse_action(struct json_object *obj, const char *base, struct profile_rule *r, struct profile_error *err)
{
	const char *name;
	char path[PROFILE_PATH_MAX];

	r->action = ACTION_NONE;
	if (get_string(obj, "action", base, &name, err))
		return -1;
	join_path(path, sizeof(path), base, "action");
	if (!name || !*name)
		rule_problem(r, PROBLEM_RULE, path, "missing: every rule needs an action such as SCMP_ACT_ERRNO");
	else if ((r->action = action_from_name(name)) == ACTION_NONE)
		rule_problem(r, PROBLEM_RULE, path, "unknown action \"%s\" (expected " ACTIONS_EXPECTED ")", name);
	return 0;
}

/* profile_go_decode() checked minKernel as moby's KernelVersion.UnmarshalJSON
 * does and wrote it "K.M"; "" given is 0.0, reached by every kernel. */
static int parse_min_kernel(struct json_object *obj, const char *base, struct profile_filter *out,
			    struct profile_error *err)
{
	const char *s;
	char path[PROFILE_PATH_MAX];

	memset(&out->min_kernel, 0, sizeof(out->min_kernel));
	out->has_min_kernel = false;
	if (get_string(obj, "minKernel", base, &s, err))
		return -1;
	if (!s)
		return 0;
	if (sscanf(s, "%u.%u", &out->min_kernel.major, &out->min_kernel.minor) != 2) {
		join_path(path, sizeof(path), base, "minKernel");
		return profile_error_set(
			err, path, "invalid kernel version \"%s\", expected \"<kernel>.<major>\" such as \"4.8\"", s);
	}
	out->has_min_kernel = true;
	return 0;
}

static int parse_filter(struct json_object *rule, const char *key, const char *base, struct profile_filter *out,
			struct profile_error *err)
{
	char path[PROFILE_PATH_MAX];
	struct json_object *obj = member(rule, key);

	memset(out, 0, sizeof(*out));
	if (!obj)
		return 0;
	join_path(path, sizeof(path), base, key);
	if (expect_object(obj, path, err))
		return -1;
	if (get_strings(obj, "caps", path, &out->caps, &out->n_caps, err) ||
	    get_strings(obj, "arches", path, &out->arches, &out->n_arches, err) ||
	    parse_min_kernel(obj, path, out, err))
		return -1;
	return 0;
}

static int parse_arg(struct json_object *v, const char *path, struct profile_cond *out, struct profile_rule *r,
		     struct profile_error *err)
{
	uint64_t index;
	bool present;
	const char *op;
	char op_path[PROFILE_PATH_MAX];

	if (json_object_is_type(v, json_type_null)) {
		/* moby 20.10's []*LinuxSeccompArg: dereferenced once the rule applies. */
		rule_problem(r, PROBLEM_RULE, path, "null: dockerd fails on a null argument (nil pointer dereference)");
		return 0;
	}
	if (expect_object(v, path, err))
		return -1;
	if (get_uint(v, "index", path, UINT64_MAX, &present, &index, err) ||
	    get_uint(v, "value", path, UINT64_MAX, &present, &out->value, err) ||
	    get_uint(v, "valueTwo", path, UINT64_MAX, &present, &out->value_two, err) ||
	    get_string(v, "op", path, &op, err))
		return -1;
	out->index = index > 5 ? 6 : (unsigned)index;
	out->index_value = index;
	join_path(op_path, sizeof(op_path), path, "op");
	if (!op || !*op)
		rule_problem(
			r, PROBLEM_NAMED, op_path,
			"missing: expected SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GE, SCMP_CMP_GT or SCMP_CMP_MASKED_EQ");
	for (size_t i = 0; op && i < N_ELEMS(op_names); i++)
		if (strcmp(op, op_names[i].name) == 0)
			out->op = op_names[i].op;
	if (op && !out->op)
		snprintf(out->op_text, sizeof(out->op_text), "%s", op);
	if (op && *op && !out->op)
		rule_problem(
			r, PROBLEM_NAMED, op_path,
			"unknown operator \"%s\" (expected SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GE, SCMP_CMP_GT or SCMP_CMP_MASKED_EQ)",
			op);
	if (index > 5) {
		join_path(op_path, sizeof(op_path), path, "index");
		rule_problem(r, PROBLEM_REACHED, op_path,
			     "argument index %llu is above 5: a syscall has at most 6 arguments",
			     (unsigned long long)index);
	}
	return 0;
}

static int parse_rule(struct json_object *v, const char *path, struct profile_rule *out, struct profile_error *err)
{
	const char *name, *comment;
	char sub[PROFILE_PATH_MAX];
	struct json_object *args;
	uint64_t errno_ret;

	snprintf(out->path, sizeof(out->path), "%s", path);
	if (expect_object(v, path, err))
		return -1;
	if (get_string(v, "name", path, &name, err) || get_strings(v, "names", path, &out->names, &out->n_names, err))
		return -1;
	for (size_t i = 0; i < out->n_names; i++) {
		if (!out->names[i][0]) {
			snprintf(sub, sizeof(sub), "%s.names[%zu]", path, i);
			rule_problem(out, PROBLEM_RULE, sub, "empty string is not a valid syscall name");
		}
	}
	/* dockerd's refusal: profile_resolve() decides when it counts. */
	out->name_and_names = name && *name && out->n_names > 0;
	if (name && *name && out->n_names == 0) {
		/* "names": [] beside "name": an empty list to replace */
		free_strings(out->names, out->n_names);
		out->n_names = 0;
		if (!(out->names = calloc(2, sizeof(char *))) || !(out->names[0] = strdup(name)))
			return oom(err, path);
		out->n_names = 1;
	}
	if (parse_action(v, path, out, err))
		return -1;
	/* Any uint: dockerd passes it on whatever the action; runc gives
	 * libseccomp its low 16 bits (an int16), which refuses 4095 and up. */
	if (get_uint(v, "errnoRet", path, UINT64_MAX, &out->has_errno_ret, &errno_ret, err))
		return -1;
	out->errno_ret_value = errno_ret;
	out->errno_ret = (unsigned)(errno_ret & 0xffff);
	if (get_array(v, "args", path, &args, err))
		return -1;
	if (args) {
		if (!(out->args = calloc(json_object_array_length(args) + 1, sizeof(*out->args))))
			return oom(err, path);
		out->n_args = json_object_array_length(args);
		for (size_t i = 0; i < out->n_args; i++) {
			snprintf(sub, sizeof(sub), "%s.args[%zu]", path, i);
			if (parse_arg(json_object_array_get_idx(args, i), sub, &out->args[i], out, err))
				return -1;
		}
	}
	if (get_string(v, "comment", path, &comment, err))
		return -1;
	if (comment && !(out->comment = strdup(comment)))
		return oom(err, path);
	if (parse_filter(v, "includes", path, &out->includes, err) ||
	    parse_filter(v, "excludes", path, &out->excludes, err))
		return -1;
	return 0;
}

static int parse_arch_list(char **names, size_t n, const char *base, const char *key, uint32_t **out,
			   struct profile_error *err)
{
	char path[PROFILE_PATH_MAX];

	if (!(*out = calloc(n + 1, sizeof(uint32_t))))
		return oom(err, base);
	for (size_t i = 0; i < n; i++) {
		(*out)[i] = scmp_arch_from_name(names[i]);
		if ((*out)[i] == 0) {
			snprintf(path, sizeof(path), "%s%s%s[%zu]", base, *base ? "." : "", key, i);
			return profile_error_set(
				err, path, "unknown architecture \"%s\" (expected a name such as SCMP_ARCH_X86_64)",
				names[i]);
		}
	}
	return 0;
}

static int parse_arch_map(struct json_object *root, const char *base, struct profile *out, struct profile_error *err)
{
	struct json_object *arr;
	char path[PROFILE_PATH_MAX];

	if (get_array(root, "archMap", base, &arr, err))
		return -1;
	if (!arr)
		return 0;
	if (!(out->arch_map = calloc(json_object_array_length(arr) + 1, sizeof(*out->arch_map))))
		return oom(err, base);
	out->n_arch_map = json_object_array_length(arr);
	for (size_t i = 0; i < out->n_arch_map; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		struct profile_arch_map *m = &out->arch_map[i];
		const char *arch;
		char **subs;
		size_t n_subs;

		snprintf(path, sizeof(path), "%s%sarchMap[%zu]", base, *base ? "." : "", i);
		if (expect_object(e, path, err) || get_string(e, "architecture", path, &arch, err))
			return -1;
		/* dockerd compares the name with its own architecture's: an
		 * entry it does not know is never selected, never read. */
		m->arch = arch ? scmp_arch_from_name(arch) : 0;
		if (get_strings(e, "subArchitectures", path, &subs, &n_subs, err))
			return -1;
		struct profile_error sub_err;
		if (parse_arch_list(subs, n_subs, path, "subArchitectures", &m->subs, &sub_err)) {
			snprintf(m->problem.path, sizeof(m->problem.path), "%s", sub_err.path);
			m->problem.reason = strdup(sub_err.reason);
		}
		free_strings(subs, n_subs);
		m->n_subs = n_subs;
	}
	return 0;
}

static int parse_flags(struct json_object *root, const char *base, struct profile *out, struct profile_error *err)
{
	char **names;
	size_t n;
	char path[PROFILE_PATH_MAX];

	if (get_strings(root, "flags", base, &names, &n, err))
		return -1;
	out->flag_names = names;
	out->n_flag_names = n;
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < N_ELEMS(flag_names); j++)
			if (strcmp(names[i], flag_names[j].name) == 0)
				break;
		if (j == N_ELEMS(flag_names)) {
			snprintf(path, sizeof(path), "%s%sflags[%zu]", base, *base ? "." : "", i);
			profile_error_set(
				err, path,
				"unknown flag \"%s\" (expected SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW or SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)",
				names[i]);
			return -1;
		}
		out->flags |= flag_names[j].flag;
	}
	return 0;
}

static int parse_profile(struct json_object *root, const char *base, struct profile *out, struct profile_error *err)
{
	struct json_object *syscalls;
	char **arches;
	size_t n_arches;
	uint64_t errno_ret;
	const char *listener, *metadata, *def;
	char path[PROFILE_PATH_MAX];
	/* What runc refuses in the profile as a whole: fatal unless dockerd
	 * finds the profile disabled (then nothing reaches runc). */
	struct profile_error top, scratch;
	bool refused = false;

	memset(&top, 0, sizeof(top));
	if (get_string(root, "defaultAction", base, &def, err))
		return -1;
	if (def && *def) {
		out->default_action = action_from_name(def);
		join_path(path, sizeof(path), base, "defaultAction");
		if (out->default_action == ACTION_NONE)
			refused = profile_error_set(&top, path, "unknown action \"%s\" (expected " ACTIONS_EXPECTED ")",
						    def);
		else if (out->default_action == ACTION_NOTIFY)
			refused = profile_error_set(
				&top, path,
				"SCMP_ACT_NOTIFY cannot be the default action: every syscall would wait for a supervisor (runc refuses it)");
	}
	if (get_uint(root, "defaultErrnoRet", base, UINT64_MAX, &out->has_default_errno_ret, &errno_ret, err))
		return -1;
	out->default_errno_ret_value = errno_ret;
	out->default_errno_ret = (unsigned)(errno_ret & 0xffff);

	if (get_strings(root, "architectures", base, &arches, &n_arches, err))
		return -1;
	if (parse_arch_list(arches, n_arches, base, "architectures", &out->arches, refused ? &scratch : &top))
		refused = true;
	free_strings(arches, n_arches);
	out->n_arches = n_arches;
	if (parse_arch_map(root, base, out, err))
		return -1;
	if (parse_flags(root, base, out, refused ? &scratch : &top))
		refused = true;
	if (get_string(root, "listenerPath", base, &listener, err) ||
	    get_string(root, "listenerMetadata", base, &metadata, err))
		return -1;
	if ((listener && !(out->listener_path = strdup(listener))) ||
	    (metadata && !(out->listener_metadata = strdup(metadata))))
		return oom(err, base);

	if (get_array(root, "syscalls", base, &syscalls, err))
		return -1;
	if (syscalls) {
		size_t n = json_object_array_length(syscalls), names = 0;
		if (n > PROFILE_MAX_RULES) {
			join_path(path, sizeof(path), base, "syscalls");
			return profile_error_set(err, path, "%zu rules: more than %d, the most a profile may hold", n,
						 PROFILE_MAX_RULES);
		}
		if (!(out->rules = calloc(n + 1, sizeof(*out->rules))))
			return oom(err, base);
		out->n_rules = n;
		for (size_t i = 0; i < out->n_rules; i++) {
			snprintf(path, sizeof(path), "%s%ssyscalls[%zu]", base, *base ? "." : "", i);
			if (parse_rule(json_object_array_get_idx(syscalls, i), path, &out->rules[i], err))
				return -1;
			names += out->rules[i].n_names;
			if (names > PROFILE_MAX_NAMES) {
				join_path(path, sizeof(path), out->rules[i].path, "names");
				return profile_error_set(
					err, path, "more than %d syscall names in all, the most a profile may hold",
					PROFILE_MAX_NAMES);
			}
		}
	}
	if (!(def && *def) && out->n_rules == 0) {
		/* dockerd runs a profile with no default action and no syscalls
		 * without seccomp; the suite never does that on a file's say-so. */
		out->disabled = true;
		return profile_error_set(err, base, PROFILE_DISABLED_REASON);
	}
	if (refused)
		return profile_error_set(err, top.path, "%s", top.reason);
	if (out->default_action == ACTION_NONE) {
		join_path(path, sizeof(path), base, "defaultAction");
		return profile_error_set(err, path,
					 "missing: required when syscalls are listed (for example SCMP_ACT_ERRNO)");
	}
	return 0;
}

static void offset_to_line_col(const char *text, size_t offset, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* What Go's encoding/json refuses and json-c's strict mode lets through:
 * single quotes, raw control characters inside strings, bare words such as
 * NaN and Infinity, and integers above 2^64-1 (json-c clamps them, which
 * would put a value nobody wrote into the filter).  Found by one pass over
 * the text, with line and column.  The same pass counts objects, arrays
 * and values against the limits, before json-c builds anything: a small
 * file of "[[],[],..." would otherwise cost json-c far more memory than
 * its size. */
static int go_json_lexical_check(const char *text, struct profile_error *err)
{
	bool in_string = false;
	const char *why = NULL;
	char limit[128];
	size_t i, containers = 0, values = 0;

	for (i = 0; text[i]; i++) {
		unsigned char c = (unsigned char)text[i];
		if (in_string) {
			if (c == '\\' && text[i + 1])
				i++;
			else if (c == '"')
				in_string = false;
			else if (c < 0x20) {
				why = "a control character inside a string (write it as an escape such as \\n)";
				break;
			}
			continue;
		}
		/* A value starts here (a key counts too: it costs as much). */
		if (c == '{' || c == '[' || c == '"' || isalnum(c)) {
			if (++values > PROFILE_MAX_VALUES) {
				snprintf(
					limit, sizeof(limit),
					"more than %u values (strings, numbers, objects, arrays), the most a profile may hold",
					PROFILE_MAX_VALUES);
				why = limit;
				break;
			}
			if ((c == '{' || c == '[') && ++containers > PROFILE_MAX_CONTAINERS) {
				snprintf(limit, sizeof(limit),
					 "more than %d objects and arrays, the most a profile may hold",
					 PROFILE_MAX_CONTAINERS);
				why = limit;
				break;
			}
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '\'') {
			why = "single quotes: JSON strings and keys take double quotes";
			break;
		} else if (isalpha(c)) {
			size_t len = 0;
			while (isalnum((unsigned char)text[i + len]))
				len++;
			if (!((len == 4 && strncmp(text + i, "true", 4) == 0) ||
			      (len == 5 && strncmp(text + i, "false", 5) == 0) ||
			      (len == 4 && strncmp(text + i, "null", 4) == 0))) {
				why = "a bare word: only true, false and null are JSON literals";
				break;
			}
			i += len - 1;
		} else if (isdigit(c)) {
			size_t len = 0;
			while (isdigit((unsigned char)text[i + len]))
				len++;
			if (len > 20 || (len == 20 && strncmp(text + i, "18446744073709551615", 20) > 0)) {
				why = "an integer above 18446744073709551615 (2^64-1), the largest a profile can hold";
				break;
			}
			/* The rest of the number: fraction and exponent. */
			if (text[i + len] == '.')
				for (len++; isdigit((unsigned char)text[i + len]); len++)
					;
			if (text[i + len] == 'e' || text[i + len] == 'E') {
				len++;
				if (text[i + len] == '+' || text[i + len] == '-')
					len++;
				while (isdigit((unsigned char)text[i + len]))
					len++;
			}
			i += len - 1;
		}
	}
	if (!why)
		return 0;
	offset_to_line_col(text, i, &err->line, &err->column);
	return profile_error_set(err, "", "%s%s", why == limit ? "" : "malformed JSON: ", why);
}

int profile_parse_string(const char *json, const char *file, struct profile *out, struct profile_error *err)
{
	return profile_parse_string_engine(json, file, ENGINE_DOCKER_26, out, err);
}

int profile_parse_string_engine(const char *json, const char *file, enum profile_engine engine, struct profile *out,
				struct profile_error *err)
{
	struct json_tokener *tok;
	struct json_object *root, *linux_obj, *seccomp;
	size_t len = strlen(json), end;
	const char *base = "";
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", file);
	out->engine = engine_or_default(engine);
	if (!(out->file = strdup(file)))
		return oom(err, "");

	if (json[strspn(json, " \t\r\n")] == '\0')
		return profile_error_set(err, "", "empty file: expected a JSON object with defaultAction and syscalls");

	if (go_json_lexical_check(json, err))
		return -1;
	if (!(tok = json_tokener_new()))
		return oom(err, "");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root && jerr == json_tokener_success) {
		/* The literal null, or json-c could not allocate what it read. */
		if (strncmp(json + strspn(json, " \t\r\n"), "null", 4) == 0)
			return profile_error_set(err, "", "expected a JSON object, found null");
		return oom(err, "");
	}
	if (!root || jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			end = len;
		offset_to_line_col(json, end, &err->line, &err->column);
		json_object_put(root);
		return profile_error_set(err, "", "malformed JSON: %s",
					 jerr == json_tokener_continue ? "unexpected end of file"
								       : json_tokener_error_desc(jerr));
	}
	if (json[end + strspn(json + end, " \t\r\n")] != '\0') {
		end += strspn(json + end, " \t\r\n");
		offset_to_line_col(json, end, &err->line, &err->column);
		json_object_put(root);
		return profile_error_set(err, "", "malformed JSON: unexpected data after the top-level value");
	}
	/* The text is valid JSON: now what Go's decoder makes of it. */
	json_object_put(root);
	if (!(root = profile_go_decode(json, out->engine, err)))
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		rc = profile_error_set(err, "", "expected a JSON object, found %s", json_type_word(root));
		json_object_put(root);
		return rc;
	}
	/* An OCI config.json: the profile is its linux.seccomp object. */
	linux_obj = member(root, "linux");
	if (linux_obj && !member(root, "defaultAction") && !member(root, "syscalls")) {
		if (!json_object_is_type(linux_obj, json_type_object) || !(seccomp = member(linux_obj, "seccomp"))) {
			json_object_put(root);
			return profile_error_set(
				err, "linux.seccomp",
				"missing: an OCI config.json without a seccomp section has no profile to read");
		}
		if (expect_object(seccomp, "linux.seccomp", err)) {
			json_object_put(root);
			return -1;
		}
		base = "linux.seccomp";
		rc = parse_profile(seccomp, base, out, err);
	} else {
		rc = parse_profile(root, base, out, err);
	}
	json_object_put(root);
	return rc;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The whole file in memory, NUL-terminated, read once: a regular file, or
 * a pipe or device (/dev/stdin, <(...)).  Opened O_NONBLOCK so that a FIFO
 * nobody writes to cannot block the open; reading then tells the cases
 * apart: EAGAIN means a writer is there (read on, blocking), 0 means none
 * (wait PROFILE_FIFO_WAIT_MS for one, then refuse).  At most
 * PROFILE_MAX_BYTES are kept; a NUL byte (every byte of /dev/zero) ends
 * the read at once. */
static int read_whole(const char *file, char **text, struct profile_error *err)
{
	struct timespec t0;
	struct stat st;
	bool nonblocking = true;
	char *buf = NULL;
	size_t size, len = 0;
	int fd, rc = -1;

	*text = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return profile_error_set(err, "", "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		profile_error_set(err, "", "cannot read: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		profile_error_set(err, "", "a directory, not a profile");
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > (off_t)PROFILE_MAX_BYTES) {
		profile_error_set(err, "", "%lld bytes: larger than %u MiB (%u bytes), the most a profile may hold",
				  (long long)st.st_size, PROFILE_MAX_BYTES >> 20, PROFILE_MAX_BYTES);
		goto out;
	}
	/* Room for one byte more than the limit shows that a stream exceeds
	 * it; one more for the terminating NUL. */
	size = S_ISREG(st.st_mode) ? (size_t)st.st_size + 2 : 65536;
	if (!(buf = malloc(size))) {
		oom(err, "");
		goto out;
	}
	for (;;) {
		if (len + 1 == size) {
			size_t grown = size * 2 < PROFILE_MAX_BYTES + 2 ? size * 2 : PROFILE_MAX_BYTES + 2;
			char *p = realloc(buf, grown);
			if (!p) {
				oom(err, "");
				goto out;
			}
			buf = p;
			size = grown;
		}
		ssize_t n = read(fd, buf + len, size - len - 1);
		if (n > 0) {
			if (memchr(buf + len, '\0', (size_t)n)) {
				profile_error_set(err, "", "malformed JSON: the file holds a NUL byte");
				goto out;
			}
			len += (size_t)n;
			if (len > PROFILE_MAX_BYTES) {
				profile_error_set(err, "", "larger than %u MiB (%u bytes), the most a profile may hold",
						  PROFILE_MAX_BYTES >> 20, PROFILE_MAX_BYTES);
				goto out;
			}
		} else if (n == 0 && nonblocking && S_ISFIFO(st.st_mode) && len == 0) {
			/* A FIFO nobody has open for writing: wait a little for a
			 * writer, never forever. */
			long left = PROFILE_FIFO_WAIT_MS - ms_since(&t0);
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			if (left <= 0) {
				profile_error_set(err, "", "a FIFO with no writer: nothing to read after waiting %d ms",
						  PROFILE_FIFO_WAIT_MS);
				goto out;
			}
			if (poll(&pfd, 1, (int)left) > 0 && (pfd.revents & POLLHUP) && !(pfd.revents & POLLIN))
				break; /* a writer came and went without writing */
			continue;
		} else if (n == 0) {
			break;
		} else if (errno == EINTR) {
			continue;
		} else if (errno != EAGAIN || !nonblocking) {
			profile_error_set(err, "", "cannot read: %s", strerror(errno));
			goto out;
		}
		/* Data or EAGAIN: a writer exists; from here on wait for it as
		 * any reader would. */
		if (nonblocking) {
			int fl = fcntl(fd, F_GETFL);
			if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
				profile_error_set(err, "", "cannot read: %s", strerror(errno));
				goto out;
			}
			nonblocking = false;
		}
	}
	buf[len] = '\0';
	*text = buf;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

int profile_parse(const char *file, struct profile *out, struct profile_error *err)
{
	return profile_parse_engine(file, ENGINE_DOCKER_26, out, err);
}

int profile_parse_engine(const char *file, enum profile_engine engine, struct profile *out, struct profile_error *err)
{
	char *text;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", file);
	if (read_whole(file, &text, err))
		return -1;
	rc = profile_parse_string_engine(text, file, engine, out, err);
	free(text);
	return rc;
}

static void filter_free(struct profile_filter *f)
{
	free_strings(f->caps, f->n_caps);
	free_strings(f->arches, f->n_arches);
}

void profile_free(struct profile *p)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		struct profile_rule *r = &p->rules[i];
		free_strings(r->names, r->n_names);
		free(r->args);
		free(r->comment);
		for (size_t k = 0; k < N_ELEMS(r->problem); k++)
			free(r->problem[k].reason);
		filter_free(&r->includes);
		filter_free(&r->excludes);
	}
	free(p->rules);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		free(p->arch_map[i].subs);
		free(p->arch_map[i].problem.reason);
	}
	free(p->arch_map);
	free(p->arches);
	free(p->listener_path);
	free(p->listener_metadata);
	free_strings(p->flag_names, p->n_flag_names);
	free(p->file);
	memset(p, 0, sizeof(*p));
}
