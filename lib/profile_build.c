/* profile_build.c: a resolved profile into a libseccomp filter, as runc
 * builds it (libcontainer/seccomp/seccomp_linux.go):
 *   - ERRNO and TRACE return errnoRet, or EPERM when none is given;
 *     SCMP_ACT_KILL is KILL_THREAD;
 *   - a rule whose action equals the default action is dropped (libseccomp
 *     would refuse it);
 *   - a name libseccomp does not know is skipped, not an error, so one
 *     profile serves old and new libseccomp alike;
 *   - the conditions of a rule are ANDed in one libseccomp rule, unless two
 *     of them test the same argument: then each condition becomes a rule of
 *     its own (ORed), runc's "old behaviour" for such profiles.
 *
 * libseccomp 2.5 walks every rule added so far on each addition (its
 * transaction commit copies the new rules into a shadow by walking the whole
 * rule list), so adding n rules costs n^2: 100k rules took a minute of CPU.
 * Rules are not merged or reordered here to avoid that: libseccomp 2.5.4's
 * filter depends on the order and repetition of additions (adding a rule a
 * second time can change what the filter returns), and the filter must be
 * runc's.  Instead the libseccomp rules are counted first, and more than
 * PROFILE_MAX_FILTER_RULES are refused before libseccomp sees any.
 */
#define _GNU_SOURCE
#include "policy.h"
#include "profile.h"

#include <errno.h>
#include <linux/bpf_common.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t scmp_action(enum profile_action action, bool has_errno, unsigned errno_ret, int errno_override)
{
	unsigned code = has_errno ? errno_ret : EPERM;

	switch (action) {
	case ACTION_KILL:
	case ACTION_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case ACTION_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case ACTION_TRAP: return SCMP_ACT_TRAP;
	case ACTION_ERRNO: return SCMP_ACT_ERRNO(errno_override >= 0 ? (unsigned)errno_override : code);
	case ACTION_TRACE: return SCMP_ACT_TRACE(code);
	case ACTION_ALLOW: return SCMP_ACT_ALLOW;
	case ACTION_LOG: return SCMP_ACT_LOG;
	case ACTION_NOTIFY: return SCMP_ACT_NOTIFY;
	case ACTION_NONE: break;
	}
	return SCMP_ACT_KILL_PROCESS;
}

uint32_t profile_scmp_action(enum profile_action action, bool has_errno_ret, unsigned errno_ret)
{
	return scmp_action(action, has_errno_ret, errno_ret, -1);
}

static void warn(const struct build_opts *opts, const struct profile_rule *r, size_t i, const char *why)
{
	if (opts && opts->warn)
		opts->warn(opts->warn_data, r, i, why);
}

/* Is nr a real syscall on at least one architecture of the filter?
 * libseccomp resolves names absent from an ABI to negative pseudo numbers. */
static bool exists_on_some_arch(scmp_filter_ctx ctx, const char *name)
{
	static const uint32_t candidates[] = {
		SCMP_ARCH_X86,	       SCMP_ARCH_X86_64, SCMP_ARCH_X32,	      SCMP_ARCH_ARM,	 SCMP_ARCH_AARCH64,
		SCMP_ARCH_MIPS,	       SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL,	 SCMP_ARCH_MIPSEL64,
		SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC,	 SCMP_ARCH_PPC64,     SCMP_ARCH_PPC64LE, SCMP_ARCH_S390,
		SCMP_ARCH_S390X,       SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64,  SCMP_ARCH_RISCV64,
	};
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (seccomp_arch_exist(ctx, candidates[i]) != 0)
			continue;
		if (seccomp_syscall_resolve_name_arch(candidates[i], name) >= 0)
			return true;
	}
	return false;
}

#define MAX_CONDS (6 * 8)

/* One libseccomp rule: a syscall, an action and conditions ANDed (a
 * slice of a profile rule's args: all of them, or one when runc splits). */
struct scmp_rule {
	int nr;
	uint32_t action;
	const struct profile_rule *rule;
	size_t name_index;
	const struct profile_cond *conds;
	unsigned n_conds;
};

/* The libseccomp rules of a filter, in the order runc adds them. */
struct rule_list {
	struct scmp_rule *rules;
	size_t n, cap;
};

/* 0, or -1: out of memory or over the limit. */
static int rule_list_add(struct rule_list *list, const struct scmp_rule *r)
{
	if (list->n == PROFILE_MAX_FILTER_RULES)
		return -1;
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct scmp_rule *p = realloc(list->rules, cap * sizeof(*p));
		if (!p)
			return -1;
		list->rules = p;
		list->cap = cap;
	}
	list->rules[list->n++] = *r;
	return 0;
}

/* The libseccomp rules one name of a profile rule gives. */
static int collect(struct rule_list *list, const struct profile_rule *r, size_t name_index, int nr, uint32_t action,
		   struct profile_error *err)
{
	unsigned per_arg[6] = { 0 };
	bool split = false;
	struct scmp_rule sr = { .nr = nr, .action = action, .rule = r, .name_index = name_index, .conds = r->args };
	int rc = 0;

	if (r->n_args > MAX_CONDS) {
		snprintf(err->path, sizeof(err->path), "%s.args", r->path);
		snprintf(err->reason, sizeof(err->reason), "%zu conditions: more than this loader accepts (%d)",
			 r->n_args, MAX_CONDS);
		return -1;
	}
	for (size_t i = 0; i < r->n_args; i++)
		if (++per_arg[r->args[i].index] > 1)
			split = true;
	if (!split) {
		sr.n_conds = (unsigned)r->n_args;
		rc = rule_list_add(list, &sr);
	} else {
		sr.n_conds = 1;
		for (size_t i = 0; i < r->n_args && rc >= 0; i++) {
			sr.conds = &r->args[i];
			rc = rule_list_add(list, &sr);
		}
	}
	if (rc < 0) {
		snprintf(err->path, sizeof(err->path), "%s.names[%zu]", r->path, name_index);
		if (list->n == PROFILE_MAX_FILTER_RULES)
			snprintf(
				err->reason, sizeof(err->reason),
				"more than %d libseccomp rules (one per name, and per condition where runc splits them) in one filter, the most a profile may give: compiling costs the square of their number, and the kernel takes at most %d BPF instructions anyway",
				PROFILE_MAX_FILTER_RULES, BPF_MAXINSNS);
		else
			snprintf(err->reason, sizeof(err->reason), "out of memory");
		return -1;
	}
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct scmp_rule *sr, struct profile_error *err)
{
	struct scmp_arg_cmp conds[MAX_CONDS];
	int rc;

	for (unsigned i = 0; i < sr->n_conds; i++) {
		const struct profile_cond *c = &sr->conds[i];
		conds[i].arg = c->index;
		conds[i].op = c->op;
		conds[i].datum_a = c->value;
		conds[i].datum_b = c->op == SCMP_CMP_MASKED_EQ ? c->value_two : 0;
	}
	rc = seccomp_rule_add_array(ctx, sr->action, sr->nr, sr->n_conds, sr->n_conds ? conds : NULL);
	if (rc < 0) {
		snprintf(err->path, sizeof(err->path), "%s.names[%zu]", sr->rule->path, sr->name_index);
		snprintf(err->reason, sizeof(err->reason), "libseccomp refused the rule for \"%s\": %s",
			 sr->rule->names[sr->name_index], strerror(-rc));
		return -1;
	}
	return 0;
}

int profile_build(const struct profile *p, const struct build_opts *opts, scmp_filter_ctx *out,
		  struct profile_error *err)
{
	int errno_override = opts ? opts->errno_override : -1;
	uint32_t def, def_real;
	scmp_filter_ctx ctx;
	int rc;

	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", p->file ? p->file : "");
	*out = NULL;
	if (p->disabled) {
		snprintf(err->reason, sizeof(err->reason), "the profile disables seccomp: there is no filter to build");
		return -1;
	}
	def_real = scmp_action(p->default_action, p->has_default_errno_ret, p->default_errno_ret, -1);
	def = scmp_action(p->default_action, p->has_default_errno_ret, p->default_errno_ret, errno_override);
	ctx = seccomp_init(def);
	if (!ctx) {
		snprintf(err->path, sizeof(err->path), "defaultAction");
		snprintf(err->reason, sizeof(err->reason), "libseccomp refused the default action %s",
			 action_name(p->default_action));
		return -1;
	}
	/* The suite sets no_new_privs itself, as runc does. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);

	/* runc's context starts with runc's own architecture.  An i386 build
	 * of the suite on an x86_64 kernel must start with x86_64 too, not
	 * i386, or a profile that lists no sub-architectures would let i386
	 * calls through here while Docker kills them as a bad architecture. */
	if (opts && opts->runtime_arch && opts->runtime_arch != seccomp_arch_native()) {
		rc = seccomp_arch_add(ctx, opts->runtime_arch);
		if (rc == 0 || rc == -EEXIST)
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (rc < 0) {
			snprintf(err->reason, sizeof(err->reason), "libseccomp cannot start the filter as %s: %s",
				 scmp_arch_name(opts->runtime_arch), strerror(-rc));
			seccomp_release(ctx);
			return -1;
		}
	}

	for (size_t i = 0; i < p->n_arches; i++) {
		rc = seccomp_arch_add(ctx, p->arches[i]);
		if (rc < 0 && rc != -EEXIST) {
			snprintf(err->path, sizeof(err->path), "architectures[%zu]", i);
			snprintf(err->reason, sizeof(err->reason), "libseccomp cannot add %s: %s",
				 scmp_arch_name(p->arches[i]), strerror(-rc));
			seccomp_release(ctx);
			return -1;
		}
	}

	struct rule_list list = { 0 };
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		uint32_t real = scmp_action(r->action, r->has_errno_ret, r->errno_ret, -1);
		uint32_t action = scmp_action(r->action, r->has_errno_ret, r->errno_ret, errno_override);

		/* runc drops a rule equal to the default action; under an
		 * errno override a rule can also become equal to the default,
		 * and is then dropped for the same reason. */
		if (real == def_real || action == def)
			continue;
		for (size_t j = 0; j < r->n_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);
			if (nr == __NR_SCMP_ERROR) {
				warn(opts, r, j, "unknown to this libseccomp, skipped");
				continue;
			}
			if (!exists_on_some_arch(ctx, r->names[j]))
				warn(opts, r, j, "not a syscall on any architecture of the filter, no effect");
			if (collect(&list, r, j, nr, action, err))
				goto fail;
		}
	}
	/* Only now, all of it known to be within the limit, libseccomp. */
	for (size_t i = 0; i < list.n; i++)
		if (add_rule(ctx, &list.rules[i], err))
			goto fail;
	free(list.rules);
	*out = ctx;
	return 0;
fail:
	free(list.rules);
	seccomp_release(ctx);
	return -1;
}

/* What profile_build above reads, in order, each string with its length:
 * a field read there and missing here would let the cache hand back a
 * filter compiled from other input. */
int profile_build_key(const struct profile *p, const struct build_opts *opts, FILE *f)
{
	const struct scmp_version *v = seccomp_version();

	fprintf(f, "libseccomp %u.%u.%u native %u runtime %u override %d\n", v->major, v->minor, v->micro,
		seccomp_arch_native(), opts ? opts->runtime_arch : 0, opts ? opts->errno_override : -1);
	fprintf(f, "disabled %d default %d %d %u\narches %zu", p->disabled, (int)p->default_action,
		p->has_default_errno_ret, p->default_errno_ret, p->n_arches);
	for (size_t i = 0; i < p->n_arches; i++)
		fprintf(f, " %u", p->arches[i]);
	fprintf(f, "\nrules %zu\n", p->n_rules);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		fprintf(f, "rule %d %d %u names %zu", (int)r->action, r->has_errno_ret, r->errno_ret, r->n_names);
		for (size_t j = 0; j < r->n_names; j++)
			fprintf(f, " %zu:%s", strlen(r->names[j]), r->names[j]);
		fprintf(f, " args %zu", r->n_args);
		for (size_t j = 0; j < r->n_args; j++)
			fprintf(f, " %u %d %llu %llu", r->args[j].index, (int)r->args[j].op,
				(unsigned long long)r->args[j].value, (unsigned long long)r->args[j].value_two);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
