/* sclint: what a profile author needs to know about a Docker/OCI profile.
 *
 * The profile is read, resolved and built with the suite's own loader
 * (lib/profile*.c), so "no effect" and "never matches" mean what they mean
 * to runc and dockerd.  Each finding has a class, a severity and the JSON
 * path it is about:
 *   error    the profile will not do what it says (refused by the loader
 *            or libseccomp, a rule that can never match, two identical
 *            rules with different actions)
 *   warning  it works, but something in it is dead, surprising or weaker
 *            than Docker's default
 *   note     true and harmless, shown for completeness (a name absent on
 *            only some of the architectures a portable profile covers)
 * Exit status: 1 with any error, 0 otherwise, 64 bad usage.
 */
#define _GNU_SOURCE
#include "caps.h"
#include "policy.h"
#include "profile.h"
#include "surface.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum severity { SEV_ERROR, SEV_WARNING, SEV_NOTE };
static const char *const severity_names[] = { "error", "warning", "note" };

static const char *file_name;
static const char *engine; /* engine_name() of the engine modelled */
static bool as_json, show_notes, wide;

#define COLUMNS 80

/* A human line: as it is with --wide; otherwise cut at spaces into lines of
 * at most 80 columns, the continuations indented (a word longer than a
 * line is cut where the line ends). */
static void print_line(const char *text)
{
	const char *p = text;
	int width = COLUMNS;
	const char *indent = "";

	if (wide) {
		puts(text);
		return;
	}
	for (;;) {
		size_t len = strlen(p), cut;
		if (len <= (size_t)width) {
			printf("%s%s\n", indent, p);
			return;
		}
		cut = (size_t)width;
		while (cut > 0 && p[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = (size_t)width;
		printf("%s%.*s\n", indent, (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		if (!*p)
			return;
		indent = "    ";
		width = COLUMNS - 4;
	}
}
static unsigned counts[3];

__attribute__((format(printf, 5, 6))) static void finding(enum severity sev, const char *class, const char *path,
							  const char *syscall, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	counts[sev]++;
	if (sev == SEV_NOTE && !show_notes)
		return;
	if (as_json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "file", json_object_new_string(file_name));
		json_object_object_add(o, "severity", json_object_new_string(severity_names[sev]));
		json_object_object_add(o, "class", json_object_new_string(class));
		json_object_object_add(o, "path", json_object_new_string(path));
		json_object_object_add(o, "syscall", syscall ? json_object_new_string(syscall) : NULL);
		json_object_object_add(o, "message", json_object_new_string(msg));
		json_object_object_add(o, "engine", json_object_new_string(engine));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		char line[4096];
		snprintf(line, sizeof(line), "%s: %s%s%s: [%s] %s", file_name, path, *path ? ": " : "",
			 severity_names[sev], class, msg);
		print_line(line);
	}
}

/* The architectures whose calls a kernel of `arch` also accepts. */
static const struct {
	uint32_t arch;
	uint32_t subs[2];
} compat_abis[] = {
	{ SCMP_ARCH_X86_64, { SCMP_ARCH_X86, SCMP_ARCH_X32 } },
	{ SCMP_ARCH_AARCH64, { SCMP_ARCH_ARM, 0 } },
	{ SCMP_ARCH_MIPS64, { SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32 } },
	{ SCMP_ARCH_MIPSEL64, { SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32 } },
	{ SCMP_ARCH_PPC64, { SCMP_ARCH_PPC, 0 } },
	{ SCMP_ARCH_S390X, { SCMP_ARCH_S390, 0 } },
	{ SCMP_ARCH_PARISC64, { SCMP_ARCH_PARISC, 0 } },
};

/* One filter the profile can become: the daemon's architecture and the
 * architectures its filter holds. */
struct context {
	uint32_t daemon;
	uint32_t arches[8];
	size_t n_arches;
};

static void add_arch(struct context *c, uint32_t a)
{
	for (size_t i = 0; i < c->n_arches; i++)
		if (c->arches[i] == a)
			return;
	if (c->n_arches < N_ELEMS(c->arches))
		c->arches[c->n_arches++] = a;
}

static size_t contexts_of(const struct profile *p, struct context *out, size_t max)
{
	size_t n = 0;

	if (p->n_arch_map) {
		for (size_t i = 0; i < p->n_arch_map && n < max; i++, n++) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].daemon = p->arch_map[i].arch;
			add_arch(&out[n], p->arch_map[i].arch);
			for (size_t j = 0; j < p->arch_map[i].n_subs; j++)
				add_arch(&out[n], p->arch_map[i].subs[j]);
		}
		return n;
	}
	memset(&out[0], 0, sizeof(out[0]));
	out[0].daemon = host_scmp_arch();
	/* libseccomp always keeps the native architecture in the filter. */
	add_arch(&out[0], seccomp_arch_native());
	for (size_t i = 0; i < p->n_arches; i++)
		add_arch(&out[0], p->arches[i]);
	return 1;
}

static bool has_arch(const struct context *c, uint32_t a)
{
	for (size_t i = 0; i < c->n_arches; i++)
		if (c->arches[i] == a)
			return true;
	return false;
}

static bool has_string(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Can the rule apply in this context (some capability set and kernel)? */
static bool arch_applies(const struct profile_rule *r, const struct context *c)
{
	const char *d = docker_arch_name(c->daemon);
	d = d ? d : "";
	if (r->excludes.n_arches && has_string(r->excludes.arches, r->excludes.n_arches, d))
		return false;
	if (r->includes.n_arches && !has_string(r->includes.arches, r->includes.n_arches, d))
		return false;
	return true;
}

static void check_architectures(const struct profile *p)
{
	uint32_t host = host_scmp_arch();

	if (!p->n_arches && !p->n_arch_map) {
		for (size_t i = 0; i < N_ELEMS(compat_abis); i++)
			if (compat_abis[i].arch == host && compat_abis[i].subs[0])
				finding(SEV_WARNING, "missing-compat-arch", "architectures", NULL,
					"none listed: the filter holds only the loader's native architecture (%s here); calls of its compat ABIs (%s%s%s: a 32-bit program, or int $0x80 from a 64-bit one) meet no rule and get libseccomp's bad-architecture action (KILL_THREAD in runc and this suite), so such programs die at their first syscall; a loader whose bad-architecture action is ALLOW would let them bypass every rule",
					scmp_arch_name(host), scmp_arch_name(compat_abis[i].subs[0]),
					compat_abis[i].subs[1] ? ", " : "",
					compat_abis[i].subs[1] ? scmp_arch_name(compat_abis[i].subs[1]) : "");
		return;
	}
	for (size_t i = 0; i < N_ELEMS(compat_abis); i++) {
		char path[64], missing[128] = "";
		bool listed = false, in_map = false;
		size_t map_index = 0;
		struct context c = { 0 };

		for (size_t j = 0; j < p->n_arches; j++) {
			if (p->arches[j] == compat_abis[i].arch)
				listed = true;
			add_arch(&c, p->arches[j]);
		}
		for (size_t j = 0; j < p->n_arch_map; j++)
			if (p->arch_map[j].arch == compat_abis[i].arch) {
				in_map = true;
				map_index = j;
				for (size_t k = 0; k < p->arch_map[j].n_subs; k++)
					add_arch(&c, p->arch_map[j].subs[k]);
			}
		if (!listed && !in_map)
			continue;
		for (size_t k = 0; k < 2 && compat_abis[i].subs[k]; k++)
			if (!has_arch(&c, compat_abis[i].subs[k]))
				snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
					 missing[0] ? ", " : "", scmp_arch_name(compat_abis[i].subs[k]));
		if (!missing[0])
			continue;
		if (in_map)
			snprintf(path, sizeof(path), "archMap[%zu].subArchitectures", map_index);
		else
			snprintf(path, sizeof(path), "architectures");
		finding(SEV_WARNING, "missing-compat-arch", path, NULL,
			"%s without its compat sub-architectures %s: their calls (a 32-bit program, or int $0x80 from a 64-bit one) meet no rule and get libseccomp's bad-architecture action (KILL_THREAD in runc and this suite), so such programs die at their first syscall; a loader whose bad-architecture action is ALLOW would let them bypass every rule",
			scmp_arch_name(compat_abis[i].arch), missing);
	}
}

static bool same_filter(const struct profile_filter *a, const struct profile_filter *b)
{
	if (a->n_caps != b->n_caps || a->n_arches != b->n_arches || a->min_kernel.major != b->min_kernel.major ||
	    a->min_kernel.minor != b->min_kernel.minor)
		return false;
	for (size_t i = 0; i < a->n_caps; i++)
		if (!has_string(b->caps, b->n_caps, a->caps[i]))
			return false;
	for (size_t i = 0; i < a->n_arches; i++)
		if (!has_string(b->arches, b->n_arches, a->arches[i]))
			return false;
	return true;
}

static bool same_cond(const struct profile_cond *a, const struct profile_cond *b)
{
	return a->index == b->index && a->op == b->op && a->value == b->value &&
	       (a->op != SCMP_CMP_MASKED_EQ || a->value_two == b->value_two);
}

static bool same_args(const struct profile_rule *a, const struct profile_rule *b)
{
	if (a->n_args != b->n_args)
		return false;
	for (size_t i = 0; i < a->n_args; i++) {
		bool found = false;
		for (size_t j = 0; j < b->n_args; j++)
			found = found || same_cond(&a->args[i], &b->args[j]);
		if (!found)
			return false;
	}
	return true;
}

static const char *op_name(enum scmp_compare op)
{
	static const char *const names[] = { [SCMP_CMP_NE] = "SCMP_CMP_NE",
					     [SCMP_CMP_LT] = "SCMP_CMP_LT",
					     [SCMP_CMP_LE] = "SCMP_CMP_LE",
					     [SCMP_CMP_EQ] = "SCMP_CMP_EQ",
					     [SCMP_CMP_GE] = "SCMP_CMP_GE",
					     [SCMP_CMP_GT] = "SCMP_CMP_GT",
					     [SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ" };
	return (unsigned)op < N_ELEMS(names) && names[op] ? names[op] : "?";
}

/* Why a condition alone can never hold, or NULL. */
static const char *impossible(const struct profile_cond *c, char *buf, size_t size)
{
	if (c->op == SCMP_CMP_MASKED_EQ && (c->value_two & ~c->value)) {
		snprintf(
			buf, size,
			"SCMP_CMP_MASKED_EQ tests (arg & value) == valueTwo, and valueTwo 0x%llx has bits (0x%llx) outside the mask value 0x%llx",
			(unsigned long long)c->value_two, (unsigned long long)(c->value_two & ~c->value),
			(unsigned long long)c->value);
		return buf;
	}
	if (c->op == SCMP_CMP_LT && c->value == 0)
		return "SCMP_CMP_LT 0: arguments are unsigned, none is below 0";
	if (c->op == SCMP_CMP_GT && c->value == UINT64_MAX)
		return "SCMP_CMP_GT 18446744073709551615: no 64-bit value is above it";
	return NULL;
}

/* Can both hold at once?  Exact for the ordered comparisons and for two
 * masks; NULL-like "unknown" (returns true) otherwise. */
static bool jointly_possible(const struct profile_cond *a, const struct profile_cond *b)
{
	if (a->op == SCMP_CMP_MASKED_EQ && b->op == SCMP_CMP_MASKED_EQ)
		return !((a->value_two ^ b->value_two) & a->value & b->value);
	if (a->op == SCMP_CMP_MASKED_EQ || b->op == SCMP_CMP_MASKED_EQ) {
		const struct profile_cond *m = a->op == SCMP_CMP_MASKED_EQ ? a : b, *o = m == a ? b : a;
		if (o->op != SCMP_CMP_EQ)
			return true;
		return profile_cond_holds(m, o->value);
	}
	/* Interval endpoints are among these values, so one of them
	 * satisfies both conditions if any value does. */
	uint64_t candidates[] = { 0,	    UINT64_MAX,	  a->value,    a->value - 1, a->value + 1,
				  b->value, b->value - 1, b->value + 1 };
	for (size_t i = 0; i < N_ELEMS(candidates); i++)
		if (profile_cond_holds(a, candidates[i]) && profile_cond_holds(b, candidates[i]))
			return true;
	return false;
}

/* The syscall a finding about the whole rule names: its first, if any (a
 * rule may name none: dockerd accepts it, and it adds nothing). */
static const char *first_name(const struct profile_rule *r)
{
	return r->n_names ? r->names[0] : NULL;
}

static void check_conditions(const struct profile_rule *r)
{
	char path[128], why[256];
	bool split = false;

	for (size_t i = 0; i < r->n_args; i++)
		for (size_t j = i + 1; j < r->n_args; j++)
			split = split || r->args[i].index == r->args[j].index;
	for (size_t i = 0; i < r->n_args; i++) {
		const char *w = impossible(&r->args[i], why, sizeof(why));
		if (!w)
			continue;
		snprintf(path, sizeof(path), "%s.args[%zu]", r->path, i);
		finding(SEV_ERROR, "never-matches", path, first_name(r), "%s; %s", w,
			split || r->n_args == 1 ? "this condition can never match, so its part of the rule is dead"
						: "the conditions are ANDed, so the whole rule can never match");
	}
	/* Each later condition on an argument, against the first one on it. */
	for (size_t j = 1; j < r->n_args; j++)
		for (size_t i = 0; i < j; i++) {
			const struct profile_cond *a = &r->args[i], *b = &r->args[j];
			if (a->index != b->index)
				continue;
			snprintf(path, sizeof(path), "%s.args[%zu]", r->path, j);
			if (same_cond(a, b))
				finding(SEV_WARNING, "duplicate-condition", path, first_name(r),
					"repeats args[%zu] (arg%u %s 0x%llx): no effect", i, a->index, op_name(a->op),
					(unsigned long long)a->value);
			else if (!jointly_possible(a, b))
				finding(SEV_WARNING, "contradictory-conditions", path, first_name(r),
					"arg%u %s 0x%llx contradicts args[%zu] (arg%u %s 0x%llx): ANDed they could never match; runc (and this suite) OR conditions on one argument, each becoming a rule of its own, so the rule matches when either holds",
					b->index, op_name(b->op), (unsigned long long)b->value, i, a->index,
					op_name(a->op), (unsigned long long)a->value);
			else
				finding(SEV_WARNING, "same-arg-conditions", path, first_name(r),
					"a second condition on arg%u (see args[%zu]): runc (and this suite) OR conditions on one argument, so the rule matches when either holds, not both",
					b->index, i);
			break;
		}
}

static void check_rules(const struct profile *p)
{
	uint32_t def = profile_scmp_action(p->default_action, p->has_default_errno_ret, p->default_errno_ret);
	char path[128];

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		uint32_t act = profile_scmp_action(r->action, r->has_errno_ret, r->errno_ret);

		if (act == def) {
			snprintf(path, sizeof(path), "%s.action", r->path);
			finding(SEV_WARNING, "no-effect", path, first_name(r),
				"%s%s equals the default action: runc drops the rule, it changes nothing",
				action_name(r->action), r->has_errno_ret ? " with its errnoRet" : "");
		} else if (!r->n_names) {
			finding(SEV_WARNING, "no-effect", r->path, NULL,
				"names no syscall (neither \"names\" nor \"name\"): the rule changes nothing");
		}
		check_conditions(r);
		for (size_t j = 0; j < r->n_names; j++) {
			const char *name = r->names[j];
			snprintf(path, sizeof(path), "%s.names[%zu]", r->path, j);
			for (size_t k = 0; k < j; k++)
				if (strcmp(r->names[k], name) == 0) {
					finding(SEV_WARNING, "duplicate-name", path, name,
						"\"%s\" is already names[%zu] of this rule", name, k);
					break;
				}
			/* An earlier rule for the same name that always applies together
			 * with this one and tests the same arguments. */
			for (size_t e = 0; e < i; e++) {
				const struct profile_rule *q = &p->rules[e];
				if (!has_string(q->names, q->n_names, name) || !same_args(q, r) ||
				    !same_filter(&q->includes, &r->includes) ||
				    !same_filter(&q->excludes, &r->excludes))
					continue;
				uint32_t qa = profile_scmp_action(q->action, q->has_errno_ret, q->errno_ret);
				if (qa == act)
					finding(SEV_WARNING, "duplicate-name", path, name,
						"\"%s\" is already in %s with the same conditions and action: no effect",
						name, q->path);
				else
					finding(SEV_ERROR, "duplicate-name", path, name,
						"\"%s\" is also in %s with the same conditions but action %s: they contradict each other, and libseccomp silently keeps one (run.sh explain shows which)",
						name, q->path, action_name(q->action));
				break;
			}
		}
	}
}

static bool is_allow_action(enum profile_action a)
{
	return a == ACTION_ALLOW || a == ACTION_LOG;
}

static bool filter_empty(const struct profile_filter *f)
{
	return !f->n_caps && !f->n_arches && !f->has_min_kernel;
}

/* Does rule u apply wherever rule r does (caps, arches, kernel)?  Exact for
 * a u without includes or excludes and for equal ones; otherwise "no". */
static bool applies_wherever(const struct profile_rule *u, const struct profile_rule *r)
{
	return (filter_empty(&u->includes) && filter_empty(&u->excludes)) ||
	       (same_filter(&u->includes, &r->includes) && same_filter(&u->excludes, &r->excludes));
}

/* A rule of p that names `name` with no conditions, applies wherever r
 * does, and is not dropped for equalling the default action; NULL if none. */
static const struct profile_rule *unconditional_rule(const struct profile *p, const char *name,
						     const struct profile_rule *r, uint32_t def)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *u = &p->rules[i];
		if (u == r || u->n_args || !has_string(u->names, u->n_names, name) ||
		    profile_scmp_action(u->action, u->has_errno_ret, u->errno_ret) == def || !applies_wherever(u, r))
			continue;
		return u;
	}
	return NULL;
}

/* shadowed: libseccomp (2.5.4) keeps one unconditional rule per syscall and
 * drops every rule with conditions for that syscall, whichever was added
 * first (lib/profile_build.c adds them in the profile's order; the filter
 * then has no argument test for the syscall at all: run.sh explain --bpf
 * shows it).  A rule with conditions beside an unconditional rule for the
 * same syscall that applies wherever it does is never taken. */
static void check_shadowed(const struct profile *p)
{
	uint32_t def = profile_scmp_action(p->default_action, p->has_default_errno_ret, p->default_errno_ret);
	char path[128];

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		uint32_t act = profile_scmp_action(r->action, r->has_errno_ret, r->errno_ret);

		if (!r->n_args || act == def)
			continue;
		for (size_t j = 0; j < r->n_names; j++) {
			const struct profile_rule *u = unconditional_rule(p, r->names[j], r, def);
			if (!u || seccomp_syscall_resolve_name(r->names[j]) == __NR_SCMP_ERROR)
				continue;
			uint32_t uact = profile_scmp_action(u->action, u->has_errno_ret, u->errno_ret);
			snprintf(path, sizeof(path), "%s.names[%zu]", r->path, j);
			if (uact != act)
				finding(SEV_ERROR, "shadowed", path, r->names[j],
					"never taken: %s gives \"%s\" %s for any arguments, and libseccomp keeps only the unconditional rule of a syscall (whichever comes first), so the filter never tests %s's arguments and this rule's %s never happens (run.sh explain PROFILE %s ARGS shows the filter's answer)",
					u->path, r->names[j], action_name(u->action), r->names[j],
					action_name(r->action), r->names[j]);
			else
				finding(SEV_WARNING, "shadowed", path, r->names[j],
					"no effect: %s already gives \"%s\" the same action for any arguments, and libseccomp drops the conditional rule",
					u->path, r->names[j]);
		}
	}
}

/* The calls i386 programs also reach through socketcall(2): its first
 * argument says which, the others point to memory the filter cannot read. */
static const char *const socketcall_calls[] = {
	"socket",     "bind",	 "connect", "listen",  "accept",   "getsockname", "getpeername",
	"socketpair", "send",	 "recv",    "sendto",  "recvfrom", "shutdown",	  "setsockopt",
	"getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg",
};

/* An unconditional socketcall rule of the filter of context c, whatever
 * the capabilities and kernel: +1 it allows (ALLOW, LOG), -1 another
 * action, 0 none.  Being unconditional, it replaces every socketcall rule
 * libseccomp derives from the rules on the calls socketcall multiplexes. */
static int socketcall_rule(const struct profile *p, const struct context *c, uint32_t def, const char **by)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *u = &p->rules[i];
		if (!has_string(u->names, u->n_names, "socketcall") || u->n_args || !arch_applies(u, c) ||
		    u->includes.n_caps || u->includes.has_min_kernel || u->excludes.n_caps ||
		    u->excludes.has_min_kernel || profile_scmp_action(u->action, u->has_errno_ret, u->errno_ret) == def)
			continue;
		*by = u->path;
		return is_allow_action(u->action) ? 1 : -1;
	}
	return 0;
}

/* socketcall-bypass: an argument rule on socket, connect, ... where the
 * filter holds x86 (i386).  A 32-bit program makes the same call through
 * socketcall(2), whose first argument names the call and whose second
 * points to the call's arguments, in memory the filter cannot read.  What
 * libseccomp (2.5.4) builds for x86, seen in run.sh explain --bpf: each such
 * rule also becomes a socketcall rule, its condition on arg0 replaced by
 * "a0 == SYS_<CALL>" and its conditions on arg1-5 kept, tested on
 * socketcall's own registers (set as the caller likes); an unconditional
 * socketcall rule replaces those derived rules.  So the conditions hold a
 * 32-bit program back only when socketcall is denied outright, or when the
 * rule denies on arg0 alone (then socketcall(SYS_<CALL>) is denied for any
 * arguments). */
static void check_socketcall_bypass(const struct profile *p)
{
	uint32_t def = profile_scmp_action(p->default_action, p->has_default_errno_ret, p->default_errno_ret);
	struct context ctx[16];
	size_t n_ctx = contexts_of(p, ctx, N_ELEMS(ctx));
	char path[128], sys[32];

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		bool later_args = false;
		if (!r->n_args || profile_scmp_action(r->action, r->has_errno_ret, r->errno_ret) == def)
			continue;
		for (size_t k = 0; k < r->n_args; k++)
			later_args = later_args || r->args[k].index > 0;
		for (size_t j = 0; j < r->n_names; j++) {
			bool multiplexed = false;
			for (size_t k = 0; k < N_ELEMS(socketcall_calls); k++)
				multiplexed = multiplexed || strcmp(r->names[j], socketcall_calls[k]) == 0;
			/* An unconditional rule for the call: shadowed, not bypassed. */
			if (!multiplexed || unconditional_rule(p, r->names[j], r, def))
				continue;
			size_t n = 0;
			for (const char *q = r->names[j]; *q && n + 1 < sizeof(sys); q++)
				sys[n++] = (char)(*q >= 'a' && *q <= 'z' ? *q - 'a' + 'A' : *q);
			sys[n] = '\0';
			for (size_t c = 0; c < n_ctx; c++) {
				const char *by = NULL;
				int sc;
				if (!has_arch(&ctx[c], SCMP_ARCH_X86) || !arch_applies(r, &ctx[c]))
					continue;
				sc = socketcall_rule(p, &ctx[c], def, &by);
				snprintf(path, sizeof(path), "%s.names[%zu]", r->path, j);
				if (sc > 0)
					finding(SEV_WARNING, "socketcall-bypass", path, r->names[j],
						"an argument rule on \"%s\", but the filter holds x86 (i386) and %s allows socketcall for any arguments: a 32-bit program makes the same call as socketcall(SYS_%s, args), whose arguments are in memory the filter cannot read, so these conditions do not hold it back; deny socketcall (i386 has had the direct calls since Linux 4.3, where this rule applies)",
						r->names[j], by, sys);
				else if (sc == 0 && later_args &&
					 (is_allow_action(r->action) || is_allow_action(p->default_action)))
					finding(SEV_WARNING, "socketcall-bypass", path, r->names[j],
						"an argument rule on \"%s\": on x86 (i386) libseccomp also makes it a rule on socketcall(SYS_%s, args), testing its conditions on arg1-5 against socketcall's own registers, which a 32-bit caller sets as it likes (the call's real arguments are in memory the filter cannot read): these conditions do not hold it back there; deny socketcall outright (i386 has had the direct calls since Linux 4.3, where this rule applies)",
						r->names[j], sys);
				else if (sc == 0 && !later_args && is_allow_action(r->action))
					finding(SEV_WARNING, "socketcall-bypass", path, r->names[j],
						"an argument rule on \"%s\": on x86 (i386) libseccomp also makes it a rule on socketcall(SYS_%s, args) with its condition on arg0 replaced by the call number, since socketcall's arguments are in memory the filter cannot read: a 32-bit program gets %s for any arguments through socketcall; deny socketcall outright (i386 has had the direct calls since Linux 4.3, where this rule applies)",
						r->names[j], sys, action_name(r->action));
				else
					continue;
				break;
			}
		}
	}
}

/* What profile_parse reads and keeps for resolution to refuse (dockerd or
 * runc refuse it when the rule, or the archMap entry, applies): invalid
 * wherever it is, since the profile says something no engine runs. */
static void check_problems(const struct profile *p)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		if (r->name_and_names)
			finding(SEV_ERROR, "invalid", r->path, first_name(r),
				"both \"name\" and \"names\" are given: use one (dockerd refuses the profile%s)",
				engine_or_default(p->engine) == ENGINE_DOCKER_20_10 ? " when the rule applies" : "");
		for (size_t k = 0; k < N_ELEMS(r->problem); k++)
			if (r->problem[k].reason)
				finding(SEV_ERROR, "invalid", r->problem[k].path, first_name(r),
					"%s (dockerd passes it on and runc refuses it when the rule applies: docker run fails)",
					r->problem[k].reason);
	}
	for (size_t i = 0; i < p->n_arch_map; i++)
		if (p->arch_map[i].problem.reason)
			finding(SEV_ERROR, "invalid", p->arch_map[i].problem.path, NULL,
				"%s (refused on a daemon of %s)", p->arch_map[i].problem.reason,
				scmp_arch_name(p->arch_map[i].arch) ? scmp_arch_name(p->arch_map[i].arch)
								    : "that architecture");
	if (p->n_arches && p->n_arch_map)
		finding(SEV_ERROR, "invalid", "", NULL,
			"both \"architectures\" and \"archMap\" are given: use one (dockerd refuses the profile)");
}

/* Already reported by check_problems: the same refusal, met again when
 * the profile is resolved, is not a second finding. */
static bool is_problem_path(const struct profile *p, const char *path)
{
	if (!*path)
		return p->n_arches && p->n_arch_map;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		if (r->name_and_names && strcmp(r->path, path) == 0)
			return true;
		for (size_t k = 0; k < N_ELEMS(r->problem); k++)
			if (r->problem[k].reason && strcmp(r->problem[k].path, path) == 0)
				return true;
	}
	for (size_t i = 0; i < p->n_arch_map; i++)
		if (p->arch_map[i].problem.reason && strcmp(p->arch_map[i].problem.path, path) == 0)
			return true;
	return false;
}

static void on_gap(void *d, const char *class, const char *path, const char *name, const char *why)
{
	(void)d;
	finding(SEV_WARNING, class, path, name, "%s", why);
}

static void check_absent_names(const struct profile *p)
{
	struct context ctx[16];
	size_t n_ctx = contexts_of(p, ctx, N_ELEMS(ctx));
	char path[128], where[512];

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		for (size_t j = 0; j < r->n_names; j++) {
			size_t applies = 0, absent = 0;
			if (seccomp_syscall_resolve_name(r->names[j]) == __NR_SCMP_ERROR)
				continue;
			where[0] = '\0';
			for (size_t c = 0; c < n_ctx; c++) {
				bool exists = false;
				if (!arch_applies(r, &ctx[c]))
					continue;
				applies++;
				for (size_t a = 0; a < ctx[c].n_arches; a++)
					exists = exists ||
						 seccomp_syscall_resolve_name_arch(ctx[c].arches[a], r->names[j]) >= 0;
				if (!exists) {
					absent++;
					snprintf(where + strlen(where), sizeof(where) - strlen(where), "%s%s",
						 where[0] ? ", " : "", scmp_arch_name(ctx[c].daemon));
				}
			}
			if (!absent)
				continue;
			snprintf(path, sizeof(path), "%s.names[%zu]", r->path, j);
			if (absent == applies)
				finding(SEV_WARNING, "absent-name", path, r->names[j],
					"\"%s\" is not a syscall on any architecture of the filter (%s): no effect",
					r->names[j], where);
			else
				finding(SEV_NOTE, "absent-name", path, r->names[j],
					"\"%s\" is not a syscall on the filter of %s: no effect there", r->names[j],
					where);
		}
	}
}

/* Unconditional ALLOW (or LOG) rules of a resolved profile. */
static bool allows_unconditionally(const struct profile *r, const char *name, const char **path)
{
	for (size_t i = 0; i < r->n_rules; i++) {
		const struct profile_rule *q = &r->rules[i];
		if ((q->action == ACTION_ALLOW || q->action == ACTION_LOG) && !q->n_args &&
		    has_string(q->names, q->n_names, name)) {
			if (path)
				*path = q->path;
			return true;
		}
	}
	return false;
}

static bool names_anywhere(const struct profile *r, const char *name, bool with_args_only, enum profile_action act)
{
	for (size_t i = 0; i < r->n_rules; i++) {
		const struct profile_rule *q = &r->rules[i];
		if (has_string(q->names, q->n_names, name) && (!with_args_only || q->n_args) &&
		    (act == ACTION_NONE || q->action == act))
			return true;
	}
	return false;
}

static bool denies_unconditionally(const struct profile *r, const char *name)
{
	for (size_t i = 0; i < r->n_rules; i++) {
		const struct profile_rule *q = &r->rules[i];
		if (q->action != ACTION_ALLOW && q->action != ACTION_LOG && !q->n_args &&
		    has_string(q->names, q->n_names, name))
			return true;
	}
	return false;
}

static bool is_allow(enum profile_action a)
{
	return a == ACTION_ALLOW || a == ACTION_LOG;
}

static void check_against_docker(const struct profile *p)
{
	struct profile docker, dres, lres;
	struct profile_error perr;
	struct resolve_ctx ctx = { .arch = host_scmp_arch(), .caps = caps_docker_default() };
	struct utsname u;
	char path[128];

	if (uname(&u) != 0 || kernel_version_parse(u.release, &ctx.kernel))
		return;
	if (profile_parse(DOCKER_DEFAULT_PROFILE, &docker, &perr)) {
		finding(SEV_NOTE, "denied-by-docker", "", NULL,
			"not checked: Docker's default profile %s cannot be read (apt-get install golang-github-docker-docker-dev)",
			DOCKER_DEFAULT_PROFILE);
		profile_free(&docker);
		return;
	}
	memset(&dres, 0, sizeof(dres));
	memset(&lres, 0, sizeof(lres));
	if (profile_resolve(&docker, &ctx, &dres, &perr) || profile_resolve(p, &ctx, &lres, &perr)) {
		/* A failed resolution leaves what it had copied to be freed. */
		profile_free(&docker);
		profile_free(&dres);
		profile_free(&lres);
		return;
	}
	/* Only what Docker's default denies outright: a call it allows only
	 * with some arguments (clone, personality, socket) is left alone when
	 * the profile restricts it too. */
	if (is_allow(lres.default_action) && !is_allow(dres.default_action)) {
		char list[4096] = "";
		unsigned n = 0;
		for (int nr = 0; nr < 1024; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(ctx.arch, nr);
			if (!name)
				continue;
			if (!allows_unconditionally(&dres, name, NULL) &&
			    !names_anywhere(&dres, name, true, ACTION_ALLOW) && !denies_unconditionally(&lres, name)) {
				n++;
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? ", " : "",
					 name);
			}
			free(name);
		}
		if (n)
			finding(SEV_WARNING, "denied-by-docker", "defaultAction", NULL,
				"%s lets through %u syscalls of %s that Docker's default profile denies (with Docker's default capabilities, this kernel): %s",
				action_name(lres.default_action), n, scmp_arch_name(ctx.arch), list);
	} else if (!is_allow(lres.default_action)) {
		for (size_t i = 0; i < lres.n_rules; i++) {
			const struct profile_rule *r = &lres.rules[i];
			if (!is_allow(r->action))
				continue;
			for (size_t j = 0; j < r->n_names; j++) {
				const char *name = r->names[j];
				if (seccomp_syscall_resolve_name_arch(ctx.arch, name) < 0 ||
				    allows_unconditionally(&dres, name, NULL))
					continue;
				bool docker_conditional = names_anywhere(&dres, name, true, ACTION_ALLOW);
				if (docker_conditional && r->n_args)
					continue;
				snprintf(path, sizeof(path), "%s.names[%zu]", r->path, j);
				finding(SEV_WARNING, "denied-by-docker", path, name,
					docker_conditional
						? "\"%s\" is allowed for any arguments; Docker's default allows it only for some (with Docker's default capabilities, this kernel)"
						: "\"%s\" is allowed; Docker's default profile denies it (with Docker's default capabilities, this kernel)",
					name);
			}
		}
	}
	profile_free(&docker);
	profile_free(&dres);
	profile_free(&lres);
}

static void check_default_allow(const struct profile *p)
{
	size_t denies = 0;

	if (!is_allow(p->default_action))
		return;
	for (size_t i = 0; i < p->n_rules; i++)
		denies += !is_allow(p->rules[i].action);
	if (denies)
		finding(SEV_WARNING, "default-allow", "defaultAction", NULL,
			"%s with %zu deny rules: a deny list; every syscall it does not name, including those of kernels newer than the profile, is allowed. Docker's own profile allows a list and denies the rest",
			action_name(p->default_action), denies);
}

/* Build the filter the way the suite and runc would, for every context:
 * what libseccomp refuses is an error. */
/* miscompiled: the compiled filter does not do what a rule means (lib/
 * surface_check.c: each rule's conditions met and violated, on every ABI
 * of the filter), such as libseccomp 2.5.4 dropping an x86_64 socket rule
 * when x86 and x32 share the filter with a socketcall rule. */
static void on_miscompiled(void *data, const struct surface_finding *f)
{
	(void)data;
	finding(SEV_ERROR, "miscompiled", f->rule, f->syscall,
		"on %s (nr %u), args (0x%llx, 0x%llx, 0x%llx, ...), the compiled filter returns 0x%08x where the profile means 0x%08x: %s",
		f->abi, f->nr, (unsigned long long)f->args[0], (unsigned long long)f->args[1],
		(unsigned long long)f->args[2], f->actual, f->expected, f->why);
}

static void check_miscompiled(const char *file, const char *engine_name_)
{
	struct policy_opts opts = { .engine = engine_name_, .prog_name = "sclint" };
	char err[2048];

	/* A profile the loader refuses has its findings already (build). */
	if (surface_check_profile(file, &opts, NULL, on_miscompiled, NULL, err, sizeof(err)) < 0)
		return;
}

static void check_build(const struct profile *p)
{
	struct context ctx[16];
	size_t n_ctx = contexts_of(p, ctx, N_ELEMS(ctx));
	struct utsname u;
	struct kernel_version k = { 0 };

	if (uname(&u) == 0)
		kernel_version_parse(u.release, &k);
	for (size_t c = 0; c < n_ctx; c++) {
		struct resolve_ctx rc = { .arch = ctx[c].daemon, .caps = caps_all(), .kernel = k };
		/* libseccomp always holds the native architecture, and cannot mix
		 * it with another byte order: only this host's filter is built. */
		if (ctx[c].daemon != host_scmp_arch())
			continue;
		struct profile res;
		struct profile_error perr;
		struct build_opts bopts = { .errno_override = -1 };
		struct sock_fprog prog;

		if (profile_resolve(p, &rc, &res, &perr)) {
			if (!is_problem_path(p, perr.path))
				finding(SEV_ERROR, "build", perr.path, NULL, "for %s with every capability: %s",
					scmp_arch_name(ctx[c].daemon), perr.reason);
			profile_free(&res);
			return;
		}
		/* As every other command compiles it: a filter longer than the
		 * kernel takes, or one libseccomp cannot finish, is an error. */
		if (policy_compile(&res, &bopts, &prog, &perr)) {
			finding(SEV_ERROR, "build", perr.path, NULL, "for %s with every capability: %s",
				scmp_arch_name(ctx[c].daemon), perr.reason);
			profile_free(&res);
			return;
		}
		free(prog.filter);
		profile_free(&res);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: sclint [--json] [--notes] [--wide] [--engine docker-20.10|docker-26] [--] FILE|NAME\n"
		   "Checks a Docker or OCI seccomp profile (a file, or a bundled name such as\n"
		   "docker-default) and prints one finding a line,\n"
		   "FILE: JSON-PATH: SEVERITY: [CLASS] MESSAGE (or JSON Lines with --json,\n"
		   "each naming the engine modelled).  Lines fit 80 columns, the continuations\n"
		   "of a long finding indented; --wide prints each on one line.\n"
		   "Severities: error, warning, note (true but harmless; shown with --notes).\n"
		   "Classes: invalid, build, never-matches, no-effect, duplicate-name,\n"
		   "duplicate-condition, contradictory-conditions, same-arg-conditions,\n"
		   "unknown-name, libseccomp-action, libseccomp-arch, libseccomp-flag,\n"
		   "absent-name, missing-compat-arch, denied-by-docker, default-allow,\n"
		   "shadowed, socketcall-bypass.\n"
		   "--engine: whose reading and resolution is modelled (default: the\n"
		   "installed dockerd's, else docker-26; SECCOMP_SUITE_ENGINE).\n"
		   "Exit status: 1 when any finding is an error, 0 otherwise; 64 bad usage.\n");
}

int main(int argc, char **argv)
{
	const char *file = NULL;
	struct profile p;
	struct profile_error perr;
	bool options = true;
	enum profile_engine eng = ENGINE_DEFAULT;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options && strcmp(a, "--") == 0) {
			options = false;
		} else if (options && a[0] == '-' && a[1]) {
			if (strcmp(a, "--engine") == 0) {
				if (i + 1 >= argc || (eng = engine_from_name(argv[++i])) == ENGINE_DEFAULT) {
					fprintf(stderr, "sclint: --engine: expected docker-20.10 or docker-26\n");
					return 64;
				}
			} else if (strcmp(a, "--json") == 0) {
				as_json = true;
			} else if (strcmp(a, "--notes") == 0) {
				show_notes = true;
			} else if (strcmp(a, "--wide") == 0) {
				wide = true;
			} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
				usage(stdout);
				return 0;
			} else {
				fprintf(stderr,
					"sclint: unknown option '%s' (a file whose name starts with '-': sclint -- FILE)\n",
					a);
				return 64;
			}
		} else if (file) {
			fprintf(stderr, "sclint: one profile at a time\n");
			return 64;
		} else {
			file = a;
		}
	}
	if (!file) {
		usage(stderr);
		return 64;
	}
	eng = engine_or_default(eng);
	engine = engine_name(eng);
	/* A bundled name is the bundled profile's file (policy.c owns both),
	 * whatever the current directory holds, as for every other command. */
	static char bundled_file[sizeof(((struct policy *)0)->file)];
	file_name = file; /* findings name the profile as the user did */
	for (const char *const *n = policy_bundled_names; *n; n++) {
		struct policy pol;
		struct profile resolved;
		char err[2048];
		struct policy_opts opts = { .engine = engine, .prog_name = "sclint" };
		if (strcmp(file, *n) != 0)
			continue;
		if (policy_resolve(file, &opts, &pol, &resolved, err, sizeof(err))) {
			fprintf(stderr, "sclint: %s\n", err);
			return 1;
		}
		profile_free(&resolved);
		if (pol.unconfined) {
			printf("%s: the bundled name for no filter: nothing to check\n", file);
			return 0;
		}
		snprintf(bundled_file, sizeof(bundled_file), "%s", pol.file);
		file = bundled_file;
	}
	if (profile_parse_engine(file, eng, &p, &perr)) {
		if (perr.line)
			finding(SEV_ERROR, "invalid", "", NULL, "line %d, column %d: %s", perr.line, perr.column,
				perr.reason);
		else
			finding(SEV_ERROR, "invalid", perr.path, NULL, "%s", perr.reason);
		profile_free(&p);
	} else {
		check_build(&p);
		check_problems(&p);
		check_rules(&p);
		check_shadowed(&p);
		check_socketcall_bypass(&p);
		profile_libseccomp_gaps(&p, on_gap, NULL);
		check_absent_names(&p);
		check_architectures(&p);
		check_default_allow(&p);
		check_against_docker(&p);
		check_miscompiled(file, engine);
		profile_free(&p);
	}
	if (!as_json) {
		char line[4096];
		snprintf(line, sizeof(line),
			 "%s: engine %s modelled (dockerd's reading and resolution, its runc's filter)", file_name,
			 engine);
		print_line(line);
		snprintf(line, sizeof(line), "%s: %u errors, %u warnings, %u notes%s", file_name, counts[SEV_ERROR],
			 counts[SEV_WARNING], counts[SEV_NOTE],
			 counts[SEV_NOTE] && !show_notes ? " (shown with --notes)" : "");
		print_line(line);
	}
	return counts[SEV_ERROR] ? 1 : 0;
}
