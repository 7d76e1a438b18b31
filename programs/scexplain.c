/* scexplain: which rule of a profile decides one syscall, and with what.
 *
 * The answer has two halves that must agree.  The action comes from the
 * filter itself: the profile is loaded exactly as the probes load it
 * (policy_load: resolution for the architecture, capabilities and kernel,
 * runc's construction, libseccomp's BPF) and that BPF is run on the call's
 * struct seccomp_data (bpf_eval).  The rule is found in the resolved profile
 * by runc's matching (conditions ANDed; several on one argument ORed), and
 * is named only when its action is the one the filter returned.  When the
 * two halves disagree, scexplain says so and exits 3 rather than guess.
 */
#define _GNU_SOURCE
#include "bpf_eval.h"
#include "caps.h"
#include "policy.h"
#include "policy_names.h"
#include "profile.h"

#include <errno.h>
#include <json-c/json.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define EXIT_UNDECIDED 3
#define EXIT_PROFILE 2
#define EXIT_USAGE 64

static void usage(FILE *f)
{
	fprintf(f, "usage: scexplain [OPTIONS] [--] PROFILE SYSCALL [ARG...]\n"
		   "Which rule of PROFILE decides SYSCALL(ARG...) after includes/excludes are\n"
		   "resolved, and the action the compiled filter returns for it.\n");
	policy_print_bundled_names(f, "  PROFILE          a Docker/OCI profile file, or", "                   ", NULL,
				   79);
	fprintf(f, "  ARG              up to six argument values (decimal, 0x hex, or negative)\n"
		   "  --arch A         the call's ABI: x86_64, i386, x32, aarch64, arm, ... or\n"
		   "                   SCMP_ARCH_* (default: this host's).  A compat ABI of the\n"
		   "                   host (i386 on x86_64) is resolved as the host's daemon\n"
		   "                   would; any other as if the daemon ran on A.\n"
		   "  --caps SET       capability set for includes/excludes (default docker-default)\n"
		   "  --kernel X.Y     kernel version for minKernel (default: the running kernel)\n"
		   "  --engine E       docker-20.10 or docker-26: whose reading and resolution\n"
		   "                   is modelled (default: the installed dockerd's, else\n"
		   "                   docker-26; SECCOMP_SUITE_ENGINE)\n"
		   "  --bpf            also print the compiled filter (libseccomp's PFC) and its\n"
		   "                   instruction count\n"
		   "  --json           one JSON object instead of the text\n"
		   "Exit status: 0 explained; 2 the profile could not be loaded; 3 the filter's\n"
		   "result matches no rule (reported, not guessed); 64 usage.\n");
}

/* The daemon's architecture for a call of ABI `call` on this host: the
 * host's own when `call` is one of its compat ABIs. */
static uint32_t daemon_arch_for(uint32_t call)
{
	uint32_t host = host_scmp_arch();

	if (call == host)
		return host;
	if (host == SCMP_ARCH_X86_64 && (call == SCMP_ARCH_X86 || call == SCMP_ARCH_X32))
		return host;
	if (host == SCMP_ARCH_AARCH64 && call == SCMP_ARCH_ARM)
		return host;
	return call;
}

static bool is_32bit(uint32_t arch)
{
	return !(arch & __AUDIT_ARCH_64BIT) || arch == SCMP_ARCH_X32;
}

static const char *op_name(enum scmp_compare op)
{
	switch (op) {
	case SCMP_CMP_NE: return "SCMP_CMP_NE";
	case SCMP_CMP_LT: return "SCMP_CMP_LT";
	case SCMP_CMP_LE: return "SCMP_CMP_LE";
	case SCMP_CMP_EQ: return "SCMP_CMP_EQ";
	case SCMP_CMP_GE: return "SCMP_CMP_GE";
	case SCMP_CMP_GT: return "SCMP_CMP_GT";
	case SCMP_CMP_MASKED_EQ: return "SCMP_CMP_MASKED_EQ";
	default: return "?";
	}
}

/* runc: the conditions of a rule are ANDed, unless two test the same
 * argument; then each is a rule of its own and any one suffices. */
static bool rule_matches(const struct profile_rule *r, const uint64_t *args)
{
	unsigned per_arg[6] = { 0 };
	bool split = false, all = true, any = false;

	for (size_t i = 0; i < r->n_args; i++)
		if (++per_arg[r->args[i].index] > 1)
			split = true;
	for (size_t i = 0; i < r->n_args; i++) {
		bool h = profile_cond_holds(&r->args[i], args[r->args[i].index]);
		all = all && h;
		any = any || h;
	}
	return split ? any : all;
}

static bool names_syscall(const struct profile_rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_names; i++)
		if (strcmp(r->names[i], name) == 0)
			return true;
	return false;
}

/* "syscalls[12]" -> 12 (also "linux.seccomp.syscalls[12]"). */
static long rule_index(const struct profile_rule *r)
{
	const char *b = strrchr(r->path, '[');
	return b ? strtol(b + 1, NULL, 10) : -1;
}

static const char *verdict_of_action(uint32_t action)
{
	switch (action) {
	case SCMP_ACT_ALLOW:
	case SCMP_ACT_LOG: return "allowed";
	case SCMP_ACT_KILL_PROCESS:
	case SCMP_ACT_KILL_THREAD: return "killed";
	case SCMP_ACT_TRAP: return "trapped";
	case SCMP_ACT_NOTIFY: return "notified";
	}
	if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		return "errno";
	if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRACE)
		return "traced";
	return "error";
}

static struct json_object *rule_json(const struct profile_rule *r)
{
	struct json_object *o = json_object_new_object(), *names = json_object_new_array(),
			   *args = json_object_new_array();

	json_object_object_add(o, "index", json_object_new_int64(rule_index(r)));
	json_object_object_add(o, "path", json_object_new_string(r->path));
	for (size_t i = 0; i < r->n_names; i++)
		json_object_array_add(names, json_object_new_string(r->names[i]));
	json_object_object_add(o, "names", names);
	for (size_t i = 0; i < r->n_args; i++) {
		struct json_object *a = json_object_new_object();
		json_object_object_add(a, "index", json_object_new_int(r->args[i].index));
		json_object_object_add(a, "value", json_object_new_uint64(r->args[i].value));
		if (r->args[i].op == SCMP_CMP_MASKED_EQ)
			json_object_object_add(a, "valueTwo", json_object_new_uint64(r->args[i].value_two));
		json_object_object_add(a, "op", json_object_new_string(op_name(r->args[i].op)));
		json_object_array_add(args, a);
	}
	json_object_object_add(o, "args", args);
	json_object_object_add(o, "action", json_object_new_string(action_name(r->action)));
	json_object_object_add(o, "errnoRet", r->has_errno_ret ? json_object_new_int((int)r->errno_ret) : NULL);
	return o;
}

static void print_rule(const char *label, const struct profile_rule *r)
{
	printf("%-9s %s: names [", label, r->path);
	for (size_t i = 0; i < r->n_names && i < 6; i++)
		printf("%s%s", i ? ", " : "", r->names[i]);
	if (r->n_names > 6)
		printf(", ... %zu names in all", r->n_names);
	printf("]");
	if (r->n_args) {
		printf(", args [");
		for (size_t i = 0; i < r->n_args; i++) {
			const struct profile_cond *c = &r->args[i];
			printf("%sarg%u %s 0x%llx", i ? ", " : "", c->index, op_name(c->op),
			       (unsigned long long)c->value);
			if (c->op == SCMP_CMP_MASKED_EQ)
				printf(" == 0x%llx", (unsigned long long)c->value_two);
		}
		printf("]");
	}
	printf(", action %s", action_name(r->action));
	if (r->has_errno_ret)
		printf(" errnoRet %u", r->errno_ret);
	printf("\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (*s == '-') {
		long long v = strtoll(s, &end, 0);
		*out = (uint64_t)v;
	} else {
		*out = strtoull(s, &end, 0);
	}
	return (errno || !*s || *end) ? -1 : 0;
}

static bool arch_in_filter(const struct profile *resolved, uint32_t arch)
{
	if (arch == seccomp_arch_native())
		return true;
	for (size_t i = 0; i < resolved->n_arches; i++)
		if (resolved->arches[i] == arch)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const char *caps = NULL, *kernel = NULL, *engine = NULL, *profile_arg = NULL, *syscall_name = NULL;
	bool bpf = false, json = false;
	uint32_t call_arch = 0;
	uint64_t args[6] = { 0 };
	unsigned n_args = 0;
	char err[2048];

	bool options = true;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options && strcmp(a, "--") == 0) {
			options = false;
		} else if (options && ((a[0] == '-' && a[1] == '-') || strcmp(a, "-h") == 0)) {
			if (strcmp(a, "--arch") == 0 && i + 1 < argc) {
				call_arch = arch_from_any_name(argv[++i]);
				if (!call_arch) {
					fprintf(stderr,
						"scexplain: unknown architecture '%s' (x86_64, i386, x32, aarch64, arm, or SCMP_ARCH_*)\n",
						argv[i]);
					return EXIT_USAGE;
				}
			} else if (strcmp(a, "--caps") == 0 && i + 1 < argc) {
				caps = argv[++i];
			} else if (strcmp(a, "--kernel") == 0 && i + 1 < argc) {
				kernel = argv[++i];
			} else if (strcmp(a, "--engine") == 0 && i + 1 < argc) {
				engine = argv[++i];
				if (engine_from_name(engine) == ENGINE_DEFAULT) {
					fprintf(stderr, "scexplain: unknown engine '%s' (docker-20.10 or docker-26)\n",
						engine);
					return EXIT_USAGE;
				}
			} else if (strcmp(a, "--bpf") == 0) {
				bpf = true;
			} else if (strcmp(a, "--json") == 0) {
				json = true;
			} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
				usage(stdout);
				return 0;
			} else {
				fprintf(stderr,
					"scexplain: unknown or incomplete option '%s' (a profile named like an option: scexplain [OPTIONS] -- PROFILE SYSCALL)\n",
					a);
				return EXIT_USAGE;
			}
		} else if (!profile_arg) {
			profile_arg = a;
		} else if (!syscall_name) {
			syscall_name = a;
		} else if (n_args < 6) {
			/* "-1" is an argument, not an option. */
			if (parse_u64(a, &args[n_args])) {
				fprintf(stderr,
					"scexplain: argument '%s' is not a number (decimal, 0x hex, or negative)\n", a);
				return EXIT_USAGE;
			}
			n_args++;
		} else {
			fprintf(stderr, "scexplain: a syscall has at most 6 arguments\n");
			return EXIT_USAGE;
		}
	}
	if (!profile_arg || !syscall_name) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!call_arch)
		call_arch = host_scmp_arch();
	/* The kernel hands a 32-bit task's arguments over zero-extended. */
	if (is_32bit(call_arch))
		for (unsigned i = 0; i < 6; i++)
			args[i] &= 0xffffffffu;

	/* The profile is read once (it may be a pipe): the filter, the
	 * profile as written and as resolved all come from that reading. */
	struct policy pol;
	struct profile parsed, resolved;
	struct policy_opts opts = { .caps = caps,
				    .arch = daemon_arch_for(call_arch),
				    .kernel = kernel,
				    .engine = engine,
				    .prog_name = "scexplain",
				    .cache = true };
	if (policy_load_keep(profile_arg, &opts, &pol, &parsed, &resolved, err, sizeof(err))) {
		fprintf(stderr, "scexplain: %s\n", err);
		return EXIT_PROFILE;
	}

	char capbuf[1024];
	caps_format(pol.caps, capbuf, sizeof(capbuf));
	int nr = seccomp_syscall_resolve_name_arch(call_arch, syscall_name);
	/* A negative number is libseccomp's pseudo-syscall for a call it
	 * multiplexes (socket through socketcall on x86); the kernel also has
	 * the call directly since Linux 4.3 (i386 socket is 359), which
	 * libseccomp's own table knows by number: the call a program makes. */
	if (nr < 0 && nr != __NR_SCMP_ERROR)
		for (int k = 0; k < 1024; k++) {
			char *name = seccomp_syscall_resolve_num_arch(call_arch, k);
			bool same = name && strcmp(name, syscall_name) == 0;
			free(name);
			if (same) {
				nr = k;
				break;
			}
		}
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "profile", json_object_new_string(pol.name));
	json_object_object_add(o, "file", pol.file[0] ? json_object_new_string(pol.file) : NULL);
	json_object_object_add(o, "arch", json_object_new_string(scmp_arch_name(call_arch)));
	json_object_object_add(o, "daemon_arch", json_object_new_string(docker_arch_name(pol.arch)));
	json_object_object_add(o, "engine", json_object_new_string(engine_name(engine_or_default(pol.engine))));
	json_object_object_add(o, "caps", json_object_new_string(capbuf));
	char kbuf[32];
	snprintf(kbuf, sizeof(kbuf), "%u.%u", pol.kernel.major, pol.kernel.minor);
	json_object_object_add(o, "kernel", json_object_new_string(kbuf));
	json_object_object_add(o, "syscall", json_object_new_string(syscall_name));
	json_object_object_add(o, "nr", nr >= 0 ? json_object_new_int(nr) : NULL);
	struct json_object *jargs = json_object_new_array();
	for (unsigned i = 0; i < n_args; i++)
		json_object_array_add(jargs, json_object_new_uint64(args[i]));
	json_object_object_add(o, "args", jargs);

	if (!json) {
		printf("%-9s %s%s%s%s\n", "profile", pol.name, pol.file[0] ? " (" : "", pol.file,
		       pol.file[0] ? ")" : "");
		printf("%-9s daemon arch %s, caps %s, kernel %s\n", "context", docker_arch_name(pol.arch),
		       caps ? caps : "docker-default", kbuf);
		printf("%-9s %s (dockerd's reading and resolution, its runc's filter)\n", "engine",
		       engine_name(engine_or_default(pol.engine)));
		printf("%-9s %s(", "call", syscall_name);
		for (unsigned i = 0; i < n_args; i++)
			printf("%s0x%llx", i ? ", " : "", (unsigned long long)args[i]);
		printf(") as %s", scmp_arch_name(call_arch));
		if (nr >= 0)
			printf(", nr %d\n", nr);
		else
			printf("\n");
	}

	int rc = 0;
	const char *decided_by;
	char action_buf[64] = "", reason[512] = "";
	const char *verdict;
	struct profile_error perr;
	bool have_resolved = false;

	if (nr == __NR_SCMP_ERROR) {
		fprintf(stderr, "scexplain: '%s' is not a syscall name libseccomp knows\n", syscall_name);
		json_object_put(o);
		profile_free(&parsed);
		profile_free(&resolved);
		policy_free(&pol);
		return EXIT_USAGE;
	}
	if (nr < 0) {
		decided_by = "absent";
		verdict = "absent";
		snprintf(reason, sizeof(reason), "%s has no %s syscall: no filter sees it (the probe reports absent)",
			 scmp_arch_name(call_arch), syscall_name);
	} else if (pol.unconfined) {
		decided_by = "unconfined";
		verdict = "allowed";
		snprintf(action_buf, sizeof(action_buf), "SCMP_ACT_ALLOW");
		snprintf(reason, sizeof(reason), "no filter: the profile is unconfined");
	} else {
		have_resolved = true;

		struct seccomp_data data = { 0 };
		struct bpf_eval_result res;
		data.nr = nr;
		data.arch = call_arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : call_arch;
		memcpy(data.args, args, sizeof(data.args));
		if (bpf_eval(&pol.prog, &data, &res, err, sizeof(err))) {
			fprintf(stderr, "scexplain: the compiled filter cannot be evaluated: %s\n", err);
			json_object_put(o);
			profile_free(&parsed);
			profile_free(&resolved);
			policy_free(&pol);
			return EXIT_UNDECIDED;
		}
		bpf_describe_ret(res.ret, action_buf, sizeof(action_buf));
		verdict = verdict_of_action(res.ret);
		json_object_object_add(o, "filter_ret", json_object_new_int64(res.ret));
		json_object_object_add(o, "instructions", json_object_new_int(pol.prog.len));
		json_object_object_add(o, "executed", json_object_new_int((int)res.executed));

		uint32_t def = profile_scmp_action(resolved.default_action, resolved.has_default_errno_ret,
						   resolved.default_errno_ret);
		const struct profile_rule *decider = NULL;
		struct json_object *also = json_object_new_array(), *no_effect = json_object_new_array();
		for (size_t i = 0; i < resolved.n_rules; i++) {
			const struct profile_rule *r = &resolved.rules[i];
			if (!names_syscall(r, syscall_name) || !rule_matches(r, args))
				continue;
			uint32_t act = profile_scmp_action(r->action, r->has_errno_ret, r->errno_ret);
			if (act == def)
				json_object_array_add(no_effect, rule_json(r));
			else if (!decider && act == res.ret)
				decider = r;
			else
				json_object_array_add(also, rule_json(r));
		}
		/* Rules naming the call that did not decide it, and why not. */
		for (size_t i = 0; !json && i < parsed.n_rules; i++) {
			const struct profile_rule *r = &parsed.rules[i];
			bool applies = false;
			if (!names_syscall(r, syscall_name))
				continue;
			for (size_t j = 0; j < resolved.n_rules; j++)
				applies = applies || strcmp(resolved.rules[j].path, r->path) == 0;
			if (!applies)
				printf("%-9s %s names %s but does not apply here (its includes/excludes)\n", "note",
				       r->path, syscall_name);
			else if (!rule_matches(r, args))
				printf("%-9s %s names %s but its conditions do not hold\n", "note", r->path,
				       syscall_name);
		}
		if (!arch_in_filter(&resolved, call_arch)) {
			decided_by = "bad-arch";
			snprintf(
				reason, sizeof(reason),
				"%s is not among the filter's architectures: libseccomp's bad-architecture action, before any rule",
				scmp_arch_name(call_arch));
		} else if (decider) {
			decided_by = "rule";
			json_object_object_add(o, "rule", rule_json(decider));
		} else if (res.ret == def) {
			decided_by = "default";
			snprintf(reason, sizeof(reason), "no rule that applies matches the call: defaultAction %s",
				 action_name(resolved.default_action));
		} else {
			decided_by = "unexplained";
			snprintf(reason, sizeof(reason),
				 "the filter returns %s, which neither a matching rule nor the default action gives",
				 action_buf);
			rc = EXIT_UNDECIDED;
		}
		json_object_object_add(o, "also_matched", also);
		json_object_object_add(o, "no_effect", no_effect);
		if (!json) {
			if (decider)
				print_rule("rule", decider);
			for (size_t i = 0; i < json_object_array_length(also); i++) {
				long idx = json_object_get_int64(
					json_object_object_get(json_object_array_get_idx(also, i), "index"));
				printf("%-9s syscalls[%ld] also matches, with another action: the filter did not take it\n",
				       "note", idx);
			}
			for (size_t i = 0; i < json_object_array_length(no_effect); i++) {
				long idx = json_object_get_int64(
					json_object_object_get(json_object_array_get_idx(no_effect, i), "index"));
				printf("%-9s syscalls[%ld] matches but has the default action: runc drops it\n", "note",
				       idx);
			}
		}
		if (!json && reason[0])
			printf("%-9s %s\n", "why", reason);
		if (!json)
			printf("%-9s the filter (%u instructions) returns %s after running %u of them\n", "filter",
			       pol.prog.len, action_buf, res.executed);
	}
	if (!json && (!strcmp(decided_by, "absent") || !strcmp(decided_by, "unconfined")))
		printf("%-9s %s\n", "why", reason);
	json_object_object_add(o, "decided_by", json_object_new_string(decided_by));
	json_object_object_add(o, "action", action_buf[0] ? json_object_new_string(action_buf) : NULL);
	json_object_object_add(o, "verdict", json_object_new_string(verdict));
	if (!strcmp(verdict, "errno")) {
		int e = (int)(json_object_get_int64(json_object_object_get(o, "filter_ret")) & SECCOMP_RET_DATA);
		json_object_object_add(o, "errno", json_object_new_int(e));
		json_object_object_add(o, "errno_name",
				       strerrorname_np(e) ? json_object_new_string(strerrorname_np(e)) : NULL);
	}
	json_object_object_add(o, "reason", reason[0] ? json_object_new_string(reason) : NULL);
	if (json) {
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		printf("%-9s %s (verdict %s)\n", "action", action_buf[0] ? action_buf : "-", verdict);
	}
	fflush(stdout);

	if (bpf && have_resolved) {
		scmp_filter_ctx filter;
		/* Built as policy_load built it, which already succeeded: the
		 * same input cannot make libseccomp loop here. */
		struct build_opts bopts = { .errno_override = -1, .runtime_arch = pol.arch };
		if (profile_build(&resolved, &bopts, &filter, &perr) == 0) {
			printf("# libseccomp PFC of the filter above: %u BPF instructions\n", pol.prog.len);
			fflush(stdout);
			seccomp_export_pfc(filter, STDOUT_FILENO);
			seccomp_release(filter);
		}
	}
	json_object_put(o);
	profile_free(&parsed);
	profile_free(&resolved);
	policy_free(&pol);
	return rc;
}
