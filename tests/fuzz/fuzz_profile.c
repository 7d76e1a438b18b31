/* fuzz_profile: the loader, as every command uses it: profile_parse (from a
 * file), profile_resolve for several daemons (architecture, capabilities,
 * kernel), profile_build as written and with the sentinel errno, the BPF
 * export, and the OCI form backends hand to a runtime.
 *
 * libseccomp 2.5.4 loops forever on some rules testing two arguments (see
 * policy_compile): a filter holding any rule with conditions on two or
 * more arguments is therefore built through policy_compile (a child with a
 * CPU limit, as the commands build it), every other filter in this process
 * so that libFuzzer sees the coverage of profile_build.
 */
#include "fuzz_common.h"

#include "caps.h"
#include "policy.h"
#include "profile.h"

#include <json-c/json.h>
#include <string.h>

static bool conditions_on_two_args(const struct profile *p)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 1; j < p->rules[i].n_args; j++)
			if (p->rules[i].args[j].index != p->rules[i].args[0].index)
				return true;
	return false;
}

/* false: libseccomp did not finish (no use building this profile again). */
static bool build(const struct profile *resolved, uint32_t runtime_arch, int errno_override)
{
	struct build_opts opts = { .errno_override = errno_override, .runtime_arch = runtime_arch };
	struct profile_error err;
	struct sock_fprog prog;

	if (conditions_on_two_args(resolved)) {
		if (policy_compile(resolved, &opts, &prog, &err) == 0)
			free(prog.filter);
		/* A child that died of anything but its CPU limit: a crash of
		 * our code or libseccomp's, to be seen here. */
		else if (strstr(err.reason, "crashed") || strstr(err.reason, "compiling process exited"))
			abort();
		return !strstr(err.reason, "did not finish");
	}
	scmp_filter_ctx f;
	if (profile_build(resolved, &opts, &f, &err) == 0) {
		if (filter_export(f, &prog) == 0) {
			if (prog.len == 0 || prog.len > BPF_MAXINSNS)
				abort();
			free(prog.filter);
		}
		seccomp_release(f);
	} else if (!err.reason[0]) {
		abort(); /* every refusal says why */
	}
	return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(false);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		uint32_t arch;
		const char *caps;
		struct kernel_version kernel;
	} daemons[] = {
		{ SCMP_ARCH_X86_64, "docker-default", { 6, 18 } },
		{ SCMP_ARCH_AARCH64, "all", { 4, 4 } },
		{ SCMP_ARCH_X86, "none", { 5, 10 } },
	};
	char path[64], msg[1024];
	struct profile parsed;
	struct profile_error err;
	int fd = fuzz_input_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (profile_parse(path, &parsed, &err)) {
		profile_error_format(&err, msg, sizeof(msg));
		if (!err.reason[0])
			abort();
		profile_free(&parsed);
		close(fd);
		return 0;
	}
	for (size_t d = 0; d < sizeof(daemons) / sizeof(daemons[0]); d++) {
		struct resolve_ctx ctx = { .arch = daemons[d].arch, .kernel = daemons[d].kernel };
		struct profile resolved;
		char caps_err[256];

		if (caps_parse(daemons[d].caps, &ctx.caps, caps_err, sizeof(caps_err)))
			abort();
		if (profile_resolve(&parsed, &ctx, &resolved, &err) == 0) {
			json_object_put(profile_to_oci(&resolved, d == 0 ? SENTINEL_ERRNO : -1));
			if (!build(&resolved, daemons[d].arch, -1) ||
			    (d == 0 && !build(&resolved, daemons[d].arch, SENTINEL_ERRNO)))
				d = sizeof(daemons) / sizeof(daemons[0]); /* the hang: once is enough */
		}
		profile_free(&resolved);
	}
	profile_free(&parsed);
	close(fd);
	return 0;
}
