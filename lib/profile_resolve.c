/* profile_resolve.c: includes/excludes and archMap, as dockerd applies them.
 *
 * Mirrors setupSeccomp() in moby's profiles/seccomp/seccomp_linux.go: the
 * rule loop checks excludes (arches, caps, minKernel) and then includes in
 * that order; a rule's includes.caps needs every capability, its
 * excludes.caps any one.  Capabilities compare as the exact strings dockerd
 * puts in the bounding set ("CAP_SYS_ADMIN").
 */
#define _GNU_SOURCE
#include "caps.h"
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return have.major > want.major || (have.major == want.major && have.minor >= want.minor);
}

static bool min_kernel_set(struct kernel_version v)
{
	return v.major || v.minor;
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
	if (min_kernel_set(r->excludes.min_kernel) && kernel_at_least(ctx->kernel, r->excludes.min_kernel))
		return false;
	if (r->includes.n_arches && !has_string(r->includes.arches, r->includes.n_arches, arch))
		return false;
	for (size_t i = 0; i < r->includes.n_caps; i++)
		if (!cap_in_set(r->includes.caps[i], ctx->caps))
			return false;
	if (min_kernel_set(r->includes.min_kernel) && !kernel_at_least(ctx->kernel, r->includes.min_kernel))
		return false;
	return true;
}

static char **copy_strings(char **v, size_t n)
{
	char **out = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
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
	dst->n_args = src->n_args;
	dst->args = calloc(src->n_args + 1, sizeof(*dst->args));
	if (src->n_args)
		memcpy(dst->args, src->args, src->n_args * sizeof(*dst->args));
	dst->comment = src->comment ? strdup(src->comment) : NULL;
	memcpy(dst->path, src->path, sizeof(dst->path));
}

int profile_resolve(const struct profile *in, const struct resolve_ctx *ctx,
		    struct profile *out, struct profile_error *err)
{
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", in->file ? in->file : "");
	out->file = in->file ? strdup(in->file) : NULL;
	out->disabled = in->disabled;
	out->default_action = in->default_action;
	out->has_default_errno_ret = in->has_default_errno_ret;
	out->default_errno_ret = in->default_errno_ret;
	out->flags = in->flags;
	out->listener_path = in->listener_path ? strdup(in->listener_path) : NULL;
	if (in->disabled)
		return 0;

	if (in->n_arches && in->n_arch_map) {
		snprintf(err->reason, sizeof(err->reason),
			 "both \"architectures\" and \"archMap\" are given: use one (dockerd refuses the profile)");
		return -1;
	}
	/* Either the list as written, or the archMap entry of the daemon's own
	 * architecture followed by its sub-architectures; none means
	 * libseccomp's native architecture only. */
	if (in->n_arches) {
		out->arches = calloc(in->n_arches + 1, sizeof(uint32_t));
		memcpy(out->arches, in->arches, in->n_arches * sizeof(uint32_t));
		out->n_arches = in->n_arches;
	} else {
		for (size_t i = 0; i < in->n_arch_map; i++) {
			const struct profile_arch_map *m = &in->arch_map[i];
			if (m->arch != ctx->arch)
				continue;
			out->arches = calloc(m->n_subs + 2, sizeof(uint32_t));
			out->arches[0] = m->arch;
			memcpy(out->arches + 1, m->subs, m->n_subs * sizeof(uint32_t));
			out->n_arches = m->n_subs + 1;
			break;
		}
	}

	out->rules = calloc(in->n_rules + 1, sizeof(*out->rules));
	for (size_t i = 0; i < in->n_rules; i++)
		if (rule_applies(&in->rules[i], ctx))
			copy_rule(&out->rules[out->n_rules++], &in->rules[i]);
	return 0;
}
