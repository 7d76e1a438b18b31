/* surface_check.c: does the compiled filter do what the profile says?
 *
 * libseccomp compiles a profile's rules into one BPF program for all its
 * architectures, and has been caught getting it wrong: Debian 12's 2.5.4,
 * given architectures x86_64, x86 and x32, a rule `socket` ERRNO(1) when
 * arg0 != 1 and a rule `socketcall` ERRNO(1), emits a program that lets
 * socket(40, ...) through on x86_64 (and x32); without x32, or without the
 * socketcall rule, it is denied.  No PFC listing shows it (libseccomp's
 * PFC is right); only running the BPF does.  So each rule is run: every
 * condition satisfied and violated, on every architecture of the filter,
 * and the program's answer compared with the profile's meaning.
 */
#define _GNU_SOURCE
#include "surface.h"

#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>

bool surface_rule_matches(const struct profile_rule *r, const uint64_t *args)
{
	unsigned per_arg[6] = { 0 };
	bool split = false, all = true, any = false;

	for (size_t i = 0; i < r->n_args; i++)
		if (r->args[i].index < 6 && ++per_arg[r->args[i].index] > 1)
			split = true;
	for (size_t i = 0; i < r->n_args; i++) {
		bool h = r->args[i].index < 6 && profile_cond_holds(&r->args[i], args[r->args[i].index]);
		all = all && h;
		any = any || h;
	}
	return split ? any : all;
}

static bool names(const struct profile_rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_names; i++)
		if (strcmp(r->names[i], name) == 0)
			return true;
	return false;
}

static bool is_32bit(uint32_t arch)
{
	return !(arch & __AUDIT_ARCH_64BIT) || arch == SCMP_ARCH_X32;
}

/* struct seccomp_data.arch of a libseccomp architecture. */
static uint32_t audit_of(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : arch;
}

static const char *abi_name(uint32_t arch)
{
	size_t n;
	const struct surface_abi *h = surface_host_abis(&n);
	for (size_t i = 0; i < n; i++)
		if (h[i].scmp_arch == arch)
			return h[i].name;
	return scmp_arch_name(arch) ? scmp_arch_name(arch) : "?";
}

/* Values around a condition's constants: some satisfy it, some do not. */
static unsigned values_of(const struct profile_cond *c, uint64_t *v)
{
	unsigned n = 0;
	uint64_t k = c->value, k2 = c->value_two;

	v[n++] = k;
	v[n++] = k + 1;
	v[n++] = k - 1;
	v[n++] = ~k;
	v[n++] = k ^ (1ull << 32);
	v[n++] = 0;
	v[n++] = UINT64_MAX;
	if (c->op == SCMP_CMP_MASKED_EQ) {
		v[n++] = k2;
		v[n++] = k2 ^ (k & -k); /* one bit of the mask flipped */
		v[n++] = k2 | ~k;
		v[n++] = (k2 ^ (k & -k)) | ~k;
	}
	return n;
}

/* A value satisfying c (the first of values_of that does), or 0. */
static uint64_t satisfying(const struct profile_cond *c, bool narrow)
{
	uint64_t v[16];
	unsigned n = values_of(c, v);
	for (unsigned i = 0; i < n; i++) {
		uint64_t x = narrow ? (uint32_t)v[i] : v[i];
		if (profile_cond_holds(c, x))
			return x;
	}
	return 0;
}

/* What the profile means for (name, args): 0 with *out set, or -1 when two
 * matching rules disagree. */
static int meaning(const struct profile *p, const char *name, const uint64_t *args, uint32_t *out,
		   const struct profile_rule **by)
{
	uint32_t def = profile_scmp_action(p->default_action, p->has_default_errno_ret, p->default_errno_ret);
	bool found = false;

	*out = def;
	*by = NULL;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		uint32_t act = profile_scmp_action(r->action, r->has_errno_ret, r->errno_ret);
		if (act == def || !names(r, name) || !surface_rule_matches(r, args))
			continue;
		if (found && act != *out)
			return -1;
		found = true;
		*out = act;
		if (!*by)
			*by = r;
	}
	return 0;
}

static void describe_rule(const struct profile_rule *r, char *buf, size_t size)
{
	size_t at = (size_t)snprintf(buf, size, "%s", r->path);
	for (size_t i = 0; i < r->n_args && at < size; i++) {
		const struct profile_cond *c = &r->args[i];
		at += (size_t)snprintf(buf + at, size - at, "%sarg%u %s 0x%llx", i ? ", " : " (", c->index,
				       compare_op_name(c->op) ? compare_op_name(c->op) : "?",
				       (unsigned long long)c->value);
		if (c->op == SCMP_CMP_MASKED_EQ && at < size)
			at += (size_t)snprintf(buf + at, size - at, " == 0x%llx", (unsigned long long)c->value_two);
	}
	if (r->n_args && at < size)
		snprintf(buf + at, size - at, ")");
}

int surface_check_program(const struct profile *resolved, uint32_t native_arch, const struct sock_fprog *prog,
			  surface_finding_fn fn, void *data, char *err, size_t err_size)
{
	uint32_t arches[32];
	size_t n_arches = 0;
	int found = 0;

	arches[n_arches++] = native_arch;
	for (size_t i = 0; i < resolved->n_arches && n_arches < 32; i++) {
		bool dup = false;
		for (size_t j = 0; j < n_arches; j++)
			dup = dup || arches[j] == resolved->arches[i];
		if (!dup)
			arches[n_arches++] = resolved->arches[i];
	}
	uint32_t def = profile_scmp_action(resolved->default_action, resolved->has_default_errno_ret,
					   resolved->default_errno_ret);
	for (size_t ri = 0; ri < resolved->n_rules; ri++) {
		const struct profile_rule *r = &resolved->rules[ri];
		if (profile_scmp_action(r->action, r->has_errno_ret, r->errno_ret) == def)
			continue; /* runc drops it: it cannot be miscompiled */
		for (size_t ni = 0; ni < r->n_names; ni++) {
			for (size_t ai = 0; ai < n_arches; ai++) {
				uint32_t arch = arches[ai];
				bool narrow = is_32bit(arch);
				int nr = seccomp_syscall_resolve_name_arch(arch, r->names[ni]);
				uint64_t base[6] = { 0 }, vals[16];
				bool set[6] = { false };

				if (nr < 0)
					continue; /* not a call on this ABI */
				for (size_t c = 0; c < r->n_args; c++) {
					unsigned idx = r->args[c].index;
					if (idx < 6 && !set[idx]) {
						base[idx] = satisfying(&r->args[c], narrow);
						set[idx] = true;
					}
				}
				/* The zero vector, the base (every condition
				 * satisfied where it can be), then each
				 * condition's values in turn. */
				bool reported = false;
				for (size_t c = 0; c <= r->n_args && !reported; c++) {
					unsigned nv = c == 0 ? 2 : values_of(&r->args[c - 1], vals);
					for (unsigned v = 0; v < nv && !reported; v++) {
						uint64_t args[6];
						uint32_t expected;
						const struct profile_rule *by;
						struct seccomp_data d = { 0 };
						struct bpf_eval_result res;

						if (c == 0)
							memcpy(args, v ? base : (uint64_t[6]){ 0 }, sizeof(args));
						else {
							memcpy(args, base, sizeof(args));
							if (r->args[c - 1].index < 6)
								args[r->args[c - 1].index] = vals[v];
						}
						for (unsigned k = 0; k < 6 && narrow; k++)
							args[k] = (uint32_t)args[k];
						if (meaning(resolved, r->names[ni], args, &expected, &by))
							continue;
						d.nr = nr;
						d.arch = audit_of(arch);
						memcpy(d.args, args, sizeof(d.args));
						if (bpf_eval(prog, &d, &res, err, err_size))
							return -1;
						if (res.ret == expected)
							continue;
						struct surface_finding f;
						char rule[256], e[64];
						memset(&f, 0, sizeof(f));
						snprintf(f.rule, sizeof(f.rule), "%s", r->path);
						snprintf(f.syscall, sizeof(f.syscall), "%s", r->names[ni]);
						f.abi = abi_name(arch);
						f.nr = (uint32_t)nr;
						memcpy(f.args, args, sizeof(f.args));
						f.expected = expected;
						f.actual = res.ret;
						bpf_describe_ret(expected, e, sizeof(e));
						if (by) {
							describe_rule(by, rule, sizeof(rule));
							snprintf(f.why, sizeof(f.why),
								 "%s matches: the profile means %s", rule, e);
						} else {
							snprintf(
								f.why, sizeof(f.why),
								"no rule for %s matches: the profile's defaultAction %s",
								r->names[ni], e);
						}
						fn(data, &f);
						found++;
						reported = true; /* the first per rule, name and ABI */
					}
				}
			}
		}
	}
	return found;
}

int surface_check_profile(const char *name_or_file, const struct policy_opts *opts, const struct sock_fprog *prog,
			  surface_finding_fn fn, void *data, char *err, size_t err_size)
{
	struct policy pol, again;
	struct profile resolved;
	int n;

	if (policy_load(name_or_file, opts, &pol, err, err_size))
		return -1;
	if (pol.unconfined) {
		policy_free(&pol);
		return 0;
	}
	if (policy_resolve(name_or_file, opts, &again, &resolved, err, err_size)) {
		policy_free(&pol);
		return -1;
	}
	n = surface_check_program(&resolved, pol.arch, prog ? prog : &pol.prog, fn, data, err, err_size);
	profile_free(&resolved);
	policy_free(&pol);
	return n;
}
