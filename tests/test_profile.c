/* test_profile.c: unit tests of the profile loader (lib/profile*.c, caps.c).
 *
 * Every expectation is computed by hand from the reference it cites:
 * moby 20.10's profiles/seccomp (Seccomp, Filter, KernelVersion, setupSeccomp),
 * Go's encoding/json, runc's libcontainer/seccomp (getAction, matchCall) and
 * the kernel's seccomp(2).  Filters are judged by what they do: each is
 * loaded in a forked child that makes one harmless syscall.
 *
 * Run from the top of the repository: fixtures are read from tests/profiles/.
 */
#define _GNU_SOURCE
#include "kselftest_harness.h"

#include "caps.h"
#include "policy.h"
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* EXPECT_EQ(5, p.n_rules): the harness compares the literal (int) with the
 * field (size_t, unsigned) as written, as the kernel's selftests do. */
#pragma GCC diagnostic ignored "-Wsign-compare"

#define FIXTURES "tests/profiles/"

/* errnos no kernel path gives the calls below: seeing one proves the filter
 * answered. */
#define RULE_ERRNO 4001
#define DEFAULT_ERRNO 4002

/* getpgid(pid) only reads.  pid_max is at most 2^22, so this pid cannot
 * exist: unfiltered, the kernel answers ESRCH. */
#define NO_PID 200000000UL
/* getpriority(which, who) with a `which` other than PRIO_PROCESS, PRIO_PGRP
 * or PRIO_USER: the kernel answers EINVAL before looking at who. */
#define BAD_WHICH 1000000UL

static bool has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

static int parse_inline(const char *json, struct profile *p, struct profile_error *err)
{
	return profile_parse_string(json, "inline.json", p, err);
}

/* For the bad-input tests: parse, keep the error, free the profile. */
static int parse_error(const char *json, struct profile_error *err)
{
	struct profile p;
	int rc = parse_inline(json, &p, err);

	profile_free(&p);
	return rc;
}

static struct kernel_version running_kernel(void)
{
	struct kernel_version k = { 0, 0 };
	struct utsname u;

	if (uname(&u) == 0)
		kernel_version_parse(u.release, &k);
	return k;
}

/* The rule that came from "syscalls[i]" of the file, or NULL. */
static const struct profile_rule *rule_from(const struct profile *p, const char *path)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (strcmp(p->rules[i].path, path) == 0)
			return &p->rules[i];
	return NULL;
}

static bool rule_names(const struct profile_rule *r, const char *name)
{
	for (size_t i = 0; r && i < r->n_names; i++)
		if (strcmp(r->names[i], name) == 0)
			return true;
	return false;
}

/* "syscalls[0] syscalls[1] ..." of the rules a resolution kept. */
static void rule_paths(const struct profile *p, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_rules && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s", i ? " " : "", p->rules[i].path);
}

static int resolve_inline(const char *json, const struct resolve_ctx *ctx, struct profile *out,
			  struct profile_error *err)
{
	struct profile parsed;
	int rc = parse_inline(json, &parsed, err);

	if (rc == 0)
		rc = profile_resolve(&parsed, ctx, out, err);
	else
		memset(out, 0, sizeof(*out));
	profile_free(&parsed);
	return rc;
}

/* For what dockerd or runc refuse only in a rule that applies: the parse
 * accepts the text (the problem kept in the rule), resolving it for an
 * x86_64 host with every capability and kernel 6.1 refuses it with err
 * set.  0: parsed and refused; 1: parse refused; 2: resolve accepted. */
static int resolve_error(const char *json, struct profile_error *err)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .caps = ~UINT64_C(0), .kernel = { 6, 1 } };
	struct profile parsed, resolved;
	int rc;

	if (parse_inline(json, &parsed, err)) {
		profile_free(&parsed);
		return 1;
	}
	rc = profile_resolve(&parsed, &ctx, &resolved, err) == -1 ? 0 : 2;
	profile_free(&resolved);
	profile_free(&parsed);
	return rc;
}

/* Resolved for this host (its architecture and kernel) and caps, then built. */
static int compile_profile(const struct profile *parsed, uint64_t caps, const struct build_opts *opts,
			   scmp_filter_ctx *out, struct profile_error *err)
{
	struct resolve_ctx ctx = { .arch = host_scmp_arch(), .caps = caps, .kernel = running_kernel() };
	struct profile resolved;
	int rc = profile_resolve(parsed, &ctx, &resolved, err);

	*out = NULL;
	if (rc == 0)
		rc = profile_build(&resolved, opts, out, err);
	profile_free(&resolved);
	return rc;
}

static int compile_json(const char *json, const struct build_opts *opts, scmp_filter_ctx *out,
			struct profile_error *err)
{
	struct profile parsed;
	int rc = parse_inline(json, &parsed, err);

	*out = NULL;
	if (rc == 0)
		rc = compile_profile(&parsed, caps_all(), opts, out, err);
	profile_free(&parsed);
	return rc;
}

/* ---- running a filter ------------------------------------------------ */

/* What happened to a child that loaded a filter and made one syscall. */
struct outcome {
	bool loaded; /* seccomp(2) took the filter */
	int load_errno;
	bool returned; /* the syscall came back */
	long ret;
	int err;      /* errno after it */
	int traps;    /* SIGSYS handler runs */
	long trap_nr; /* si_syscall the handler saw */
	bool exited;
	int exit_code;
	bool signaled;
	int sig;
};

/* Written by the child, read by the parent: no syscall is needed to report,
 * so a filter that denies write() cannot hide the result. */
struct shared_outcome {
	volatile int loaded, load_errno, returned, err, traps;
	volatile long ret, trap_nr;
};

static struct shared_outcome *shared;

static void on_sigsys(int sig, siginfo_t *info, void *uc)
{
	shared->traps++;
	shared->trap_nr = info->si_syscall;
}

/* Fork; in the child load filter (none when NULL) and make the syscall
 * nr(a0, a1); report what happened.  0, or -1 when the child could not be
 * run at all.  Judging the outcome is the caller's job. */
static int run_filtered(scmp_filter_ctx filter, long nr, unsigned long a0, unsigned long a1, struct outcome *o)
{
	struct sock_fprog prog = { 0, NULL };
	int status;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (filter && filter_export(filter, &prog))
		return -1;
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		free(prog.filter);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		struct sigaction sa;
		long ret;

		/* KILL_PROCESS dumps core; core_pattern may point at the cwd. */
		setrlimit(RLIMIT_CORE, &no_core);
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigsys;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSYS, &sa, NULL);
		if (filter) {
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
			    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
				shared->load_errno = errno;
				_exit(100);
			}
		}
		shared->loaded = 1;
		errno = 0;
		ret = syscall(nr, a0, a1, 0, 0, 0, 0);
		shared->err = errno;
		shared->ret = ret;
		shared->returned = 1;
		_exit(0);
	}
	free(prog.filter);
	if (pid < 0) {
		munmap(shared, sizeof(*shared));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	o->loaded = shared->loaded;
	o->load_errno = shared->load_errno;
	o->returned = shared->returned;
	o->ret = shared->ret;
	o->err = shared->err;
	o->traps = shared->traps;
	o->trap_nr = shared->trap_nr;
	o->exited = WIFEXITED(status);
	o->exit_code = o->exited ? WEXITSTATUS(status) : -1;
	o->signaled = WIFSIGNALED(status);
	o->sig = o->signaled ? WTERMSIG(status) : 0;
	munmap(shared, sizeof(*shared));
	return 0;
}

struct warnings {
	int count;
	char name[64];
	char rule[32];
	size_t name_index;
};

static void count_warning(void *data, const struct profile_rule *rule, size_t name_index, const char *why)
{
	struct warnings *w = data;

	w->count++;
	snprintf(w->name, sizeof(w->name), "%s", rule->names[name_index]);
	snprintf(w->rule, sizeof(w->rule), "%s", rule->path);
	w->name_index = name_index;
}

/* ======================================================================
 * 1. Parsing: every field reads back
 * ====================================================================== */

FIXTURE(every_field)
{
	struct profile p;
};

FIXTURE_SETUP(every_field)
{
	struct profile_error err;

	ASSERT_EQ(0, profile_parse(FIXTURES "every-field.json", &self->p, &err))
	TH_LOG("%s: %s: %s", err.file, err.path, err.reason);
	ASSERT_EQ(5, self->p.n_rules);
}

FIXTURE_TEARDOWN(every_field)
{
	profile_free(&self->p);
}

TEST_F(every_field, reads_default_action_and_default_errno_ret)
{
	EXPECT_FALSE(self->p.disabled);
	EXPECT_EQ(ACTION_ERRNO, self->p.default_action);
	EXPECT_TRUE(self->p.has_default_errno_ret);
	EXPECT_EQ(38, self->p.default_errno_ret);
}

TEST_F(every_field, reads_arch_map_with_sub_architectures)
{
	EXPECT_EQ(0, self->p.n_arches);
	ASSERT_EQ(2, self->p.n_arch_map);
	EXPECT_EQ(SCMP_ARCH_X86_64, self->p.arch_map[0].arch);
	ASSERT_EQ(2, self->p.arch_map[0].n_subs);
	EXPECT_EQ(SCMP_ARCH_X86, self->p.arch_map[0].subs[0]);
	EXPECT_EQ(SCMP_ARCH_X32, self->p.arch_map[0].subs[1]);
	EXPECT_EQ(SCMP_ARCH_AARCH64, self->p.arch_map[1].arch);
	ASSERT_EQ(1, self->p.arch_map[1].n_subs);
	EXPECT_EQ(SCMP_ARCH_ARM, self->p.arch_map[1].subs[0]);
}

TEST_F(every_field, reads_flags)
{
	/* linux/seccomp.h: TSYNC 1, LOG 2, SPEC_ALLOW 4, WAIT_KILLABLE_RECV 32. */
	EXPECT_EQ(1u | 2u | 4u | 32u, self->p.flags);
}

TEST_F(every_field, reads_listener_path)
{
	ASSERT_TRUE(self->p.listener_path != NULL);
	EXPECT_STREQ("/run/seccomp-agent.sock", self->p.listener_path);
}

TEST_F(every_field, reads_names_list)
{
	const struct profile_rule *r = &self->p.rules[0];

	ASSERT_EQ(3, r->n_names);
	EXPECT_STREQ("getppid", r->names[0]);
	EXPECT_STREQ("getpgid", r->names[1]);
	EXPECT_STREQ("getsid", r->names[2]);
	EXPECT_EQ(ACTION_ALLOW, r->action);
	EXPECT_FALSE(r->has_errno_ret);
	EXPECT_EQ(0, r->n_args);
}

TEST_F(every_field, folds_the_older_name_into_names)
{
	const struct profile_rule *r = &self->p.rules[1];

	ASSERT_EQ(1, r->n_names);
	EXPECT_STREQ("ptrace", r->names[0]);
}

TEST_F(every_field, reads_action_and_errno_ret_per_rule)
{
	EXPECT_EQ(ACTION_ERRNO, self->p.rules[2].action);
	EXPECT_TRUE(self->p.rules[2].has_errno_ret);
	EXPECT_EQ(22, self->p.rules[2].errno_ret);
	EXPECT_EQ(ACTION_TRAP, self->p.rules[3].action);
	EXPECT_FALSE(self->p.rules[3].has_errno_ret);
	/* "errnoRet": 0 is present (a *uint in moby), not absent. */
	EXPECT_EQ(ACTION_KILL_PROCESS, self->p.rules[4].action);
	EXPECT_TRUE(self->p.rules[4].has_errno_ret);
	EXPECT_EQ(0, self->p.rules[4].errno_ret);
}

TEST_F(every_field, reads_all_seven_ops_with_index_and_value)
{
	const struct profile_rule *r = &self->p.rules[2];

	ASSERT_EQ(8, r->n_args);
	EXPECT_EQ(0, r->args[0].index);
	EXPECT_EQ(SCMP_CMP_EQ, r->args[0].op);
	EXPECT_EQ(1, r->args[0].value);
	EXPECT_EQ(1, r->args[1].index);
	EXPECT_EQ(SCMP_CMP_NE, r->args[1].op);
	EXPECT_EQ(2, r->args[1].value);
	EXPECT_EQ(2, r->args[2].index);
	EXPECT_EQ(SCMP_CMP_LT, r->args[2].op);
	EXPECT_EQ(3, r->args[2].value);
	EXPECT_EQ(3, r->args[3].index);
	EXPECT_EQ(SCMP_CMP_LE, r->args[3].op);
	EXPECT_EQ(4, r->args[3].value);
	EXPECT_EQ(4, r->args[4].index);
	EXPECT_EQ(SCMP_CMP_GE, r->args[4].op);
	EXPECT_EQ(5, r->args[4].value);
	EXPECT_EQ(5, r->args[5].index);
	EXPECT_EQ(SCMP_CMP_GT, r->args[5].op);
	EXPECT_EQ(SCMP_CMP_MASKED_EQ, r->args[6].op);
}

TEST_F(every_field, reads_masked_eq_value_two)
{
	const struct profile_rule *r = &self->p.rules[2];

	ASSERT_EQ(8, r->n_args);
	EXPECT_EQ(0, r->args[6].index);
	EXPECT_EQ(0xff000000ULL, r->args[6].value);
	EXPECT_EQ(0x01000000ULL, r->args[6].value_two);
}

TEST_F(every_field, reads_values_above_int64_max_exactly)
{
	const struct profile_rule *r = &self->p.rules[2];

	ASSERT_EQ(8, r->n_args);
	EXPECT_EQ(UINT64_MAX, r->args[5].value);	 /* 18446744073709551615 */
	EXPECT_EQ(UINT64_C(1) << 63, r->args[7].value);	 /* 9223372036854775808 */
	EXPECT_EQ(UINT64_MAX - 1, r->args[7].value_two); /* 18446744073709551614 */
}

TEST_F(every_field, reads_comment)
{
	ASSERT_TRUE(self->p.rules[0].comment != NULL);
	EXPECT_STREQ("three names, no errnoRet", self->p.rules[0].comment);
}

TEST_F(every_field, reads_includes)
{
	const struct profile_filter *f = &self->p.rules[3].includes;

	ASSERT_EQ(2, f->n_caps);
	EXPECT_STREQ("CAP_SYS_ADMIN", f->caps[0]);
	EXPECT_STREQ("CAP_SYS_BOOT", f->caps[1]);
	ASSERT_EQ(2, f->n_arches);
	EXPECT_STREQ("amd64", f->arches[0]);
	EXPECT_STREQ("arm64", f->arches[1]);
	EXPECT_EQ(5, f->min_kernel.major);
	EXPECT_EQ(10, f->min_kernel.minor);
	EXPECT_EQ(4, self->p.rules[1].includes.min_kernel.major);
	EXPECT_EQ(8, self->p.rules[1].includes.min_kernel.minor);
}

TEST_F(every_field, reads_excludes)
{
	const struct profile_filter *f = &self->p.rules[3].excludes;

	ASSERT_EQ(1, f->n_caps);
	EXPECT_STREQ("CAP_SYS_MODULE", f->caps[0]);
	ASSERT_EQ(3, f->n_arches);
	EXPECT_STREQ("s390x", f->arches[0]);
	EXPECT_STREQ("ppc64le", f->arches[1]);
	EXPECT_STREQ("x86", f->arches[2]);
	EXPECT_EQ(6, f->min_kernel.major);
	EXPECT_EQ(2, f->min_kernel.minor);
}

TEST_F(every_field, records_each_rule_json_path)
{
	EXPECT_STREQ("syscalls[0]", self->p.rules[0].path);
	EXPECT_STREQ("syscalls[4]", self->p.rules[4].path);
}

TEST(parse_reads_every_default_action_name)
{
	static const struct {
		const char *name;
		enum profile_action action;
	} cases[] = {
		{ "SCMP_ACT_KILL", ACTION_KILL },
		{ "SCMP_ACT_KILL_THREAD", ACTION_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", ACTION_KILL_PROCESS },
		{ "SCMP_ACT_TRAP", ACTION_TRAP },
		{ "SCMP_ACT_ERRNO", ACTION_ERRNO },
		{ "SCMP_ACT_TRACE", ACTION_TRACE },
		{ "SCMP_ACT_ALLOW", ACTION_ALLOW },
		{ "SCMP_ACT_LOG", ACTION_LOG },
		/* SCMP_ACT_NOTIFY is refused as a default: its own test below. */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct profile p;
		struct profile_error err;
		char json[128];

		snprintf(json, sizeof(json), "{\"defaultAction\": \"%s\"}", cases[i].name);
		EXPECT_EQ(0, parse_inline(json, &p, &err)) TH_LOG("%s: %s", cases[i].name, err.reason);
		EXPECT_EQ(cases[i].action, p.default_action) TH_LOG("%s", cases[i].name);
		EXPECT_FALSE(p.disabled) TH_LOG("%s", cases[i].name);
		EXPECT_FALSE(p.has_default_errno_ret);
		profile_free(&p);
	}
}

TEST(parse_reads_every_rule_action_name)
{
	static const struct {
		const char *name;
		enum profile_action action;
	} cases[] = {
		{ "SCMP_ACT_KILL", ACTION_KILL },
		{ "SCMP_ACT_KILL_THREAD", ACTION_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", ACTION_KILL_PROCESS },
		{ "SCMP_ACT_TRAP", ACTION_TRAP },
		{ "SCMP_ACT_ERRNO", ACTION_ERRNO },
		{ "SCMP_ACT_TRACE", ACTION_TRACE },
		{ "SCMP_ACT_ALLOW", ACTION_ALLOW },
		{ "SCMP_ACT_LOG", ACTION_LOG },
		/* SCMP_ACT_NOTIFY is refused as a default: its own test below. */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct profile p;
		struct profile_error err;
		char json[192];

		snprintf(
			json, sizeof(json),
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"%s\"}]}",
			cases[i].name);
		ASSERT_EQ(0, parse_inline(json, &p, &err)) TH_LOG("%s: %s", cases[i].name, err.reason);
		ASSERT_EQ(1, p.n_rules);
		EXPECT_EQ(cases[i].action, p.rules[0].action) TH_LOG("%s", cases[i].name);
		profile_free(&p);
	}
}

TEST(action_names_round_trip)
{
	EXPECT_STREQ("SCMP_ACT_KILL_PROCESS", action_name(ACTION_KILL_PROCESS));
	EXPECT_STREQ("SCMP_ACT_ERRNO", action_name(ACTION_ERRNO));
	EXPECT_EQ(ACTION_LOG, action_from_name("SCMP_ACT_LOG"));
	/* Names are case-sensitive, as runc's string switch. */
	EXPECT_EQ(ACTION_NONE, action_from_name("scmp_act_log"));
	EXPECT_TRUE(action_name(ACTION_NONE) == NULL);
}

TEST(parse_reads_architectures_list)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0,
		  parse_inline("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
			       " \"architectures\": [\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\", \"SCMP_ARCH_RISCV64\"]}",
			       &p, &err))
	TH_LOG("%s", err.reason);
	ASSERT_EQ(3, p.n_arches);
	EXPECT_EQ(SCMP_ARCH_AARCH64, p.arches[0]);
	EXPECT_EQ(SCMP_ARCH_ARM, p.arches[1]);
	EXPECT_EQ(SCMP_ARCH_RISCV64, p.arches[2]);
	EXPECT_EQ(0, p.n_arch_map);
	profile_free(&p);
}

TEST(parse_reads_bare_oci_seccomp_object)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, profile_parse(FIXTURES "oci-seccomp.json", &p, &err)) TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ(ACTION_KILL_PROCESS, p.default_action);
	EXPECT_TRUE(p.has_default_errno_ret);
	EXPECT_EQ(1, p.default_errno_ret);
	ASSERT_EQ(2, p.n_arches);
	EXPECT_EQ(SCMP_ARCH_X86_64, p.arches[0]);
	EXPECT_EQ(SCMP_ARCH_X86, p.arches[1]);
	EXPECT_EQ(2u, p.flags);
	ASSERT_EQ(2, p.n_rules);
	EXPECT_EQ(3, p.rules[0].n_names);
	EXPECT_STREQ("exit_group", p.rules[0].names[2]);
	ASSERT_EQ(1, p.rules[1].n_args);
	EXPECT_EQ(1, p.rules[1].args[0].index);
	EXPECT_EQ(9, p.rules[1].args[0].value);
	EXPECT_EQ(SCMP_CMP_EQ, p.rules[1].args[0].op);
	profile_free(&p);
}

TEST(parse_reads_oci_config_json_linux_seccomp)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, profile_parse(FIXTURES "oci-config.json", &p, &err)) TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_FALSE(p.disabled);
	EXPECT_EQ(ACTION_ERRNO, p.default_action);
	EXPECT_EQ(1, p.default_errno_ret);
	ASSERT_EQ(2, p.n_arches);
	EXPECT_EQ(SCMP_ARCH_AARCH64, p.arches[0]);
	EXPECT_EQ(SCMP_ARCH_ARM, p.arches[1]);
	ASSERT_TRUE(p.listener_path != NULL);
	EXPECT_STREQ("/run/agent.sock", p.listener_path);
	ASSERT_EQ(2, p.n_rules);
	EXPECT_STREQ("getppid", p.rules[0].names[0]);
	EXPECT_EQ(ACTION_NOTIFY, p.rules[1].action);
	EXPECT_STREQ("linux.seccomp.syscalls[1]", p.rules[1].path);
	profile_free(&p);
}

TEST(resolve_reports_oci_config_errors_under_linux_seccomp)
{
	struct profile_error err;

	EXPECT_EQ(0,
		  resolve_error(
			  "{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\","
			  " \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_NOPE\"}]}}}",
			  &err));
	EXPECT_STREQ("linux.seccomp.syscalls[0].action", err.path);
	EXPECT_TRUE(has(err.reason, "SCMP_ACT_NOPE")) TH_LOG("%s", err.reason);
}

TEST(parse_matches_keys_case_insensitively_as_go)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0,
		  parse_inline(
			  "{\"DefaultAction\": \"SCMP_ACT_ERRNO\", \"DEFAULTERRNORET\": 5,"
			  " \"ARCHITECTURES\": [\"SCMP_ARCH_X86\"],"
			  " \"Syscalls\": [{\"NAMES\": [\"getppid\"], \"Action\": \"SCMP_ACT_TRAP\", \"ErrnoRet\": 7,"
			  " \"ARGS\": [{\"Index\": 2, \"VALUE\": 9, \"valuetwo\": 3, \"OP\": \"SCMP_CMP_MASKED_EQ\"}],"
			  " \"Includes\": {\"CAPS\": [\"CAP_KILL\"], \"MinKernel\": \"5.1\"}}]}",
			  &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ(ACTION_ERRNO, p.default_action);
	EXPECT_EQ(5, p.default_errno_ret);
	ASSERT_EQ(1, p.n_arches);
	EXPECT_EQ(SCMP_ARCH_X86, p.arches[0]);
	ASSERT_EQ(1, p.n_rules);
	ASSERT_EQ(1, p.rules[0].n_names);
	EXPECT_EQ(ACTION_TRAP, p.rules[0].action);
	EXPECT_EQ(7, p.rules[0].errno_ret);
	ASSERT_EQ(1, p.rules[0].n_args);
	EXPECT_EQ(2, p.rules[0].args[0].index);
	EXPECT_EQ(9, p.rules[0].args[0].value);
	EXPECT_EQ(3, p.rules[0].args[0].value_two);
	EXPECT_EQ(SCMP_CMP_MASKED_EQ, p.rules[0].args[0].op);
	EXPECT_EQ(1, p.rules[0].includes.n_caps);
	EXPECT_EQ(5, p.rules[0].includes.min_kernel.major);
	EXPECT_EQ(1, p.rules[0].includes.min_kernel.minor);
	profile_free(&p);
}

/* encoding/json decodes the object's keys in order; each key, exact or
 * case-folded, sets its field, so the last of them wins. */
TEST(parse_last_of_keys_folding_to_one_field_wins_as_go)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0,
		  parse_inline("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"DEFAULTACTION\": \"SCMP_ACT_KILL_PROCESS\"}",
			       &p, &err))
	TH_LOG("%s", err.reason);
	EXPECT_EQ(ACTION_KILL_PROCESS, p.default_action);
	profile_free(&p);
	ASSERT_EQ(0,
		  parse_inline("{\"DEFAULTACTION\": \"SCMP_ACT_KILL_PROCESS\", \"defaultAction\": \"SCMP_ACT_ALLOW\"}",
			       &p, &err))
	TH_LOG("%s", err.reason);
	EXPECT_EQ(ACTION_ALLOW, p.default_action);
	profile_free(&p);
}

TEST(parse_last_of_duplicate_keys_wins_as_go)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0,
		  parse_inline("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultAction\": \"SCMP_ACT_KILL_PROCESS\"}",
			       &p, &err))
	TH_LOG("%s", err.reason);
	EXPECT_EQ(ACTION_KILL_PROCESS, p.default_action);
	profile_free(&p);
}

TEST(parse_ignores_unknown_keys)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0,
		  parse_inline(
			  "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"future\": {\"x\": [1, 2.5, null]},"
			  " \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", \"priority\": -3,"
			  " \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\", \"extra\": true}],"
			  " \"includes\": {\"osVersion\": \"x\"}}]}",
			  &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(1, p.n_rules);
	EXPECT_EQ(ACTION_ERRNO, p.rules[0].action);
	EXPECT_EQ(1, p.rules[0].n_args);
	profile_free(&p);
}

TEST(parse_treats_null_as_absent)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0,
		  parse_inline(
			  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": null,"
			  " \"architectures\": null, \"archMap\": null, \"flags\": null, \"listenerPath\": null,"
			  " \"syscalls\": [{\"name\": null, \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\","
			  " \"errnoRet\": null, \"args\": null, \"comment\": null, \"includes\": null,"
			  " \"excludes\": {\"caps\": null, \"arches\": null, \"minKernel\": null}}]}",
			  &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_FALSE(p.has_default_errno_ret);
	EXPECT_EQ(0, p.n_arches);
	EXPECT_EQ(0, p.n_arch_map);
	EXPECT_EQ(0, p.flags);
	EXPECT_TRUE(p.listener_path == NULL);
	ASSERT_EQ(1, p.n_rules);
	EXPECT_EQ(1, p.rules[0].n_names);
	EXPECT_FALSE(p.rules[0].has_errno_ret);
	EXPECT_EQ(0, p.rules[0].n_args);
	EXPECT_EQ(0, p.rules[0].excludes.n_caps);
	EXPECT_EQ(0, p.rules[0].excludes.min_kernel.major);
	profile_free(&p);
}

TEST(parse_accepts_errno_ret_4095)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, parse_inline("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4095}]}",
				  &p, &err))
	TH_LOG("%s", err.reason);
	EXPECT_EQ(4095, p.rules[0].errno_ret);
	profile_free(&p);
}

TEST(kernel_version_parse_reads_major_and_minor_as_dockerd)
{
	struct kernel_version k;

	ASSERT_EQ(0, kernel_version_parse("6.18.44-fc-v769", &k));
	EXPECT_EQ(6, k.major);
	EXPECT_EQ(18, k.minor);
	ASSERT_EQ(0, kernel_version_parse("3.12-1-amd64", &k));
	EXPECT_EQ(3, k.major);
	EXPECT_EQ(12, k.minor);
	EXPECT_EQ(-1, kernel_version_parse("6", &k));
	EXPECT_EQ(-1, kernel_version_parse("linux", &k));
}

/* ======================================================================
 * 2. Bad input: the file, the JSON path, the reason
 * ====================================================================== */

TEST(parse_rejects_malformed_json_with_line_and_column)
{
	struct profile p;
	struct profile_error err;

	/* Line 4 is `    { "names": ["getppid"], "action": "SCMP_ACT_ALLOW", }`:
	 * the '}' after the trailing comma is column 57. */
	EXPECT_EQ(-1, profile_parse(FIXTURES "malformed-trailing-comma.json", &p, &err));
	EXPECT_STREQ(FIXTURES "malformed-trailing-comma.json", err.file);
	EXPECT_EQ(4, err.line);
	EXPECT_EQ(57, err.column);
	EXPECT_STREQ("", err.path);
	EXPECT_NE(0, strlen(err.reason));
	profile_free(&p);
}

TEST(parse_reports_unexpected_end_of_file_position)
{
	struct profile_error err;

	/* 35 characters and a newline: the input ends at line 2, column 1. */
	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n", &err));
	EXPECT_EQ(2, err.line);
	EXPECT_EQ(1, err.column);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(parse_rejects_trailing_garbage_with_its_position)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n\n  x\n", &err));
	EXPECT_EQ(3, err.line);
	EXPECT_EQ(3, err.column);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(parse_rejects_second_top_level_value)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\"} {}", &err));
	EXPECT_EQ(1, err.line);
	EXPECT_EQ(37, err.column);
}

TEST(parse_rejects_empty_file)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("", &err));
	EXPECT_STREQ("inline.json", err.file);
	EXPECT_STREQ("", err.path);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(parse_rejects_whitespace_only_file)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error(" \n\t\r\n  ", &err));
	EXPECT_STREQ("", err.path);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(parse_rejects_top_level_array)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("[{\"defaultAction\": \"SCMP_ACT_ALLOW\"}]", &err));
	EXPECT_STREQ("", err.path);
	EXPECT_EQ(0, err.line);
	EXPECT_TRUE(has(err.reason, "array")) TH_LOG("%s", err.reason);
}

/* Go's decoder refuses these; json-c's "strict" mode lets them through. */
TEST(parse_rejects_single_quoted_key)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{'defaultAction': \"SCMP_ACT_ALLOW\"}", &err));
	EXPECT_EQ(1, err.line);
	EXPECT_EQ(2, err.column);
}

TEST(parse_rejects_raw_control_character_in_string)
{
	struct profile_error err;

	/* A literal tab in an (ignored) string: column 50 of line 1. */
	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"comment\": \"a\tb\"}", &err));
	EXPECT_EQ(1, err.line);
	EXPECT_EQ(50, err.column);
}

TEST(parse_rejects_unknown_default_action)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_NOPE\"}", &err));
	EXPECT_STREQ("defaultAction", err.path);
	EXPECT_EQ(0, err.line);
	EXPECT_TRUE(has(err.reason, "SCMP_ACT_NOPE")) TH_LOG("%s", err.reason);
}

TEST(resolve_rejects_unknown_rule_action)
{
	struct profile_error err;

	EXPECT_EQ(0, resolve_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
				   "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\"},"
				   "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_DENY\"}]}",
				   &err));
	EXPECT_STREQ("syscalls[1].action", err.path);
	EXPECT_TRUE(has(err.reason, "SCMP_ACT_DENY")) TH_LOG("%s", err.reason);
}

TEST(resolve_rejects_rule_without_action)
{
	struct profile_error err;

	EXPECT_EQ(0,
		  resolve_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"]}]}",
				&err));
	EXPECT_STREQ("syscalls[0].action", err.path);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(resolve_rejects_unknown_op)
{
	struct profile_error err;

	EXPECT_EQ(
		0,
		resolve_error(
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
			" \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
			" {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_LIKE\"}]}]}",
			&err));
	EXPECT_STREQ("syscalls[0].args[1].op", err.path);
	EXPECT_TRUE(has(err.reason, "SCMP_CMP_LIKE")) TH_LOG("%s", err.reason);
}

TEST(resolve_rejects_missing_op)
{
	struct profile_error err;

	EXPECT_EQ(0, resolve_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				   " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1}]}]}",
				   &err));
	EXPECT_STREQ("syscalls[0].args[0].op", err.path);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(resolve_rejects_arg_index_6)
{
	struct profile_error err;

	EXPECT_EQ(
		0,
		resolve_error(
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
			" \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			&err));
	EXPECT_STREQ("syscalls[0].args[0].index", err.path);
	EXPECT_TRUE(has(err.reason, "6")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_negative_errno_ret)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": -1}]}",
				  &err));
	EXPECT_STREQ("syscalls[0].errnoRet", err.path);
	EXPECT_TRUE(has(err.reason, "-1")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_fractional_errno_ret)
{
	struct profile_error err;

	/* Go will not put 1.0 in a uint either. */
	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1.0}]}",
				  &err));
	EXPECT_STREQ("syscalls[0].errnoRet", err.path);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(parse_rejects_fractional_default_errno_ret)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5}", &err));
	EXPECT_STREQ("defaultErrnoRet", err.path);
}

static void write_file(const char *path, const char *text);

/* dockerd passes any uint on; runc hands libseccomp its low 16 bits, and
 * libseccomp refuses an errno above 4095: read, then refused when the
 * filter is built. */
TEST(policy_load_refuses_errno_ret_above_4095)
{
	static const char json[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				   " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5000}]}";
	char dir[] = "/tmp/test_profile.XXXXXX", path[64], err[1024];
	struct profile p;
	struct profile_error perr;
	struct policy pol;

	ASSERT_EQ(0, parse_inline(json, &p, &perr)) TH_LOG("%s: %s", perr.path, perr.reason);
	ASSERT_EQ(1, p.n_rules);
	EXPECT_EQ(UINT64_C(5000), p.rules[0].errno_ret_value);
	EXPECT_EQ(5000, p.rules[0].errno_ret);
	profile_free(&p);

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.json", dir);
	write_file(path, json);
	err[0] = '\0';
	EXPECT_EQ(-1, policy_load(path, NULL, &pol, err, sizeof(err)));
	EXPECT_TRUE(has(err, path)) TH_LOG("%s", err);
	EXPECT_TRUE(has(err, "syscalls[0]")) TH_LOG("%s", err);
	EXPECT_TRUE(has(err, "getppid")) TH_LOG("%s", err);
	unlink(path);
	rmdir(dir);
}

TEST(parse_rejects_negative_arg_value)
{
	struct profile_error err;

	EXPECT_EQ(
		-1,
		parse_error(
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
			" \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			&err));
	EXPECT_STREQ("syscalls[0].args[0].value", err.path);
}

/* A uint64 cannot hold 2^64: Go fails ("overflows uint64"); a loader that
 * clamps it to 2^64-1 filters on a value nobody wrote. */
TEST(parse_rejects_value_above_uint64_max)
{
	struct profile_error err;

	EXPECT_EQ(-1,
		  parse_error(
			  "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
			  " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 18446744073709551616,"
			  " \"op\": \"SCMP_CMP_EQ\"}]}]}",
			  &err));
	/* Refused where the number starts, before json-c could clamp it. */
	EXPECT_EQ(1, err.line);
	EXPECT_EQ(132, err.column);
}

TEST(resolve_rejects_both_name_and_names)
{
	struct profile_error err;

	EXPECT_EQ(0, resolve_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				   " \"action\": \"SCMP_ACT_ERRNO\"}, {\"name\": \"getpid\", \"names\": [\"getppid\"],"
				   " \"action\": \"SCMP_ACT_ERRNO\"}]}",
				   &err));
	EXPECT_STREQ("syscalls[1]", err.path);
	EXPECT_TRUE(has(err.reason, "name")) TH_LOG("%s", err.reason);
}

TEST(resolve_rejects_both_architectures_and_arch_map)
{
	struct profile_error err;

	EXPECT_EQ(0,
		  resolve_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
				" \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": []}]}",
				&err));
	/* The conflict is the top-level object's. */
	EXPECT_STREQ("", err.path);
	EXPECT_TRUE(has(err.reason, "archMap")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_names_as_string)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": \"getppid\","
				  " \"action\": \"SCMP_ACT_ERRNO\"}]}",
				  &err));
	EXPECT_STREQ("syscalls[0].names", err.path);
	EXPECT_TRUE(has(err.reason, "array")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_number_in_names)
{
	struct profile_error err;

	EXPECT_EQ(-1,
		  parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\", 110],"
			      " \"action\": \"SCMP_ACT_ERRNO\"}]}",
			      &err));
	EXPECT_STREQ("syscalls[0].names[1]", err.path);
	EXPECT_TRUE(has(err.reason, "string")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_args_as_object)
{
	struct profile_error err;

	EXPECT_EQ(
		-1,
		parse_error(
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
			" \"action\": \"SCMP_ACT_ERRNO\", \"args\": {\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}}]}",
			&err));
	EXPECT_STREQ("syscalls[0].args", err.path);
	EXPECT_TRUE(has(err.reason, "array")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_caps_as_string)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"caps\": \"CAP_SYS_ADMIN\"}}]}",
				  &err));
	EXPECT_STREQ("syscalls[0].includes.caps", err.path);
	EXPECT_TRUE(has(err.reason, "array")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_syscalls_as_object)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}", &err));
	EXPECT_STREQ("syscalls", err.path);
}

TEST(parse_rejects_unknown_architecture)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\","
				  " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_VAX\"]}",
				  &err));
	EXPECT_STREQ("architectures[1]", err.path);
	EXPECT_TRUE(has(err.reason, "SCMP_ARCH_VAX")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_docker_arch_name_in_architectures)
{
	struct profile_error err;

	/* "amd64" is for includes/excludes; architectures take SCMP_ARCH_*. */
	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"amd64\"]}", &err));
	EXPECT_STREQ("architectures[0]", err.path);
}

/* Read only for the entry of the daemon's own architecture (x86_64 here). */
TEST(resolve_rejects_unknown_sub_architecture)
{
	struct profile_error err;

	EXPECT_EQ(
		0,
		resolve_error(
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": ["
			"{\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]},"
			"{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_I386\"]}]}",
			&err));
	EXPECT_STREQ("archMap[1].subArchitectures[1]", err.path);
	EXPECT_TRUE(has(err.reason, "SCMP_ARCH_I386")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_unknown_flag)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\","
				  " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_FAST\"]}",
				  &err));
	EXPECT_STREQ("flags[1]", err.path);
	EXPECT_TRUE(has(err.reason, "SECCOMP_FILTER_FLAG_FAST")) TH_LOG("%s", err.reason);
}

static int parse_min_kernel(const char *version, struct profile_error *err)
{
	char json[256];

	snprintf(json, sizeof(json),
		 "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
		 " \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"minKernel\": \"%s\"}}]}",
		 version);
	return parse_error(json, err);
}

TEST(parse_rejects_min_kernel_without_minor)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_min_kernel("4", &err));
	EXPECT_STREQ("syscalls[0].includes.minKernel", err.path);
	EXPECT_TRUE(has(err.reason, "\"4\"")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_min_kernel_with_letters)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_min_kernel("4.x", &err));
	EXPECT_STREQ("syscalls[0].includes.minKernel", err.path);
	EXPECT_TRUE(has(err.reason, "4.x")) TH_LOG("%s", err.reason);
}

TEST(parse_rejects_min_kernel_0_0)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_min_kernel("0.0", &err));
	EXPECT_STREQ("syscalls[0].includes.minKernel", err.path);
}

TEST(parse_rejects_min_kernel_with_three_parts)
{
	struct profile_error err;

	/* moby: strings.SplitN(ver, ".", 3) must give exactly two parts. */
	EXPECT_EQ(-1, parse_min_kernel("4.8.1", &err));
	EXPECT_STREQ("syscalls[0].includes.minKernel", err.path);
}

TEST(parse_rejects_min_kernel_part_above_255)
{
	struct profile_error err;

	/* moby: strconv.ParseUint(part, 10, 8). */
	EXPECT_EQ(-1, parse_min_kernel("4.256", &err));
	EXPECT_STREQ("syscalls[0].includes.minKernel", err.path);
}

TEST(parse_rejects_min_kernel_in_excludes)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"excludes\": {\"minKernel\": \"5\"}}]}",
				  &err));
	EXPECT_STREQ("syscalls[0].excludes.minKernel", err.path);
}

TEST(parse_accepts_empty_min_kernel_as_none)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, parse_inline("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"minKernel\": \"\"}}]}",
				  &p, &err))
	TH_LOG("%s", err.reason);
	EXPECT_EQ(0, p.rules[0].includes.min_kernel.major);
	EXPECT_EQ(0, p.rules[0].includes.min_kernel.minor);
	profile_free(&p);
}

TEST(parse_rejects_syscalls_without_default_action)
{
	struct profile_error err;

	EXPECT_EQ(-1,
		  parse_error("{\"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", &err));
	EXPECT_STREQ("defaultAction", err.path);
	EXPECT_NE(0, strlen(err.reason));
}

TEST(parse_missing_file_fails_naming_the_file)
{
	struct profile p;
	struct profile_error err;

	EXPECT_EQ(-1, profile_parse(FIXTURES "no-such-profile.json", &p, &err));
	EXPECT_STREQ(FIXTURES "no-such-profile.json", err.file);
	EXPECT_STREQ("", err.path);
	EXPECT_TRUE(has(err.reason, strerror(ENOENT))) TH_LOG("%s", err.reason);
	profile_free(&p);
}

TEST(error_format_gives_file_path_and_reason)
{
	struct profile p;
	struct profile_error err;
	char want[1024], got[1024];

	struct profile resolved;
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64 };

	ASSERT_EQ(0, profile_parse_string("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"],"
					  " \"action\": \"SCMP_ACT_NOPE\"}]}",
					  "my.json", &p, &err));
	ASSERT_EQ(-1, profile_resolve(&p, &ctx, &resolved, &err));
	profile_free(&resolved);
	ASSERT_NE(0, strlen(err.reason));
	profile_error_format(&err, got, sizeof(got));
	snprintf(want, sizeof(want), "my.json: syscalls[0].action: %s", err.reason);
	EXPECT_STREQ(want, got);
	profile_free(&p);
}

TEST(error_format_gives_file_line_and_column)
{
	struct profile p;
	struct profile_error err;
	char want[1024], got[1024];

	ASSERT_EQ(-1, profile_parse(FIXTURES "malformed-trailing-comma.json", &p, &err));
	ASSERT_NE(0, strlen(err.reason));
	profile_error_format(&err, got, sizeof(got));
	snprintf(want, sizeof(want), FIXTURES "malformed-trailing-comma.json:4:57: %s", err.reason);
	EXPECT_STREQ(want, got);
	profile_free(&p);
}

/* ======================================================================
 * 3. Disabled: dockerd runs these without seccomp; the suite refuses them
 *    (issue 14: only the bundled name `unconfined` means no filter)
 * ====================================================================== */

static void expect_refused_as_disabled(struct __test_metadata *_metadata, const char *json, const char *path)
{
	struct profile p;
	struct profile_error err;

	EXPECT_EQ(-1, parse_inline(json, &p, &err)) TH_LOG("%s", json);
	EXPECT_TRUE(p.disabled) TH_LOG("%s", json);
	EXPECT_STREQ(PROFILE_DISABLED_REASON, err.reason);
	EXPECT_STREQ(path, err.path);
	profile_free(&p);
}

TEST(parse_refuses_empty_object_as_disabled)
{
	expect_refused_as_disabled(_metadata, "{}", "");
}

TEST(parse_refuses_empty_syscalls_without_default_action_as_disabled)
{
	expect_refused_as_disabled(_metadata, "{\"syscalls\": []}", "");
}

TEST(parse_refuses_empty_default_action_without_syscalls_as_disabled)
{
	expect_refused_as_disabled(_metadata, "{\"defaultAction\": \"\", \"architectures\": [\"SCMP_ARCH_X86_64\"]}",
				   "");
}

TEST(parse_refuses_null_default_action_and_syscalls_as_disabled)
{
	expect_refused_as_disabled(_metadata, "{\"defaultAction\": null, \"syscalls\": null}", "");
}

TEST(parse_refuses_empty_oci_seccomp_object_under_its_path)
{
	expect_refused_as_disabled(_metadata, "{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {}}}",
				   "linux.seccomp");
}

TEST(parse_default_action_without_syscalls_is_enabled)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, parse_inline("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": []}", &p, &err));
	EXPECT_FALSE(p.disabled);
	profile_free(&p);
}

TEST(build_refuses_a_disabled_profile)
{
	struct profile p = { .disabled = true };
	struct profile_error err;
	scmp_filter_ctx f = NULL;

	EXPECT_EQ(-1, profile_build(&p, NULL, &f, &err));
	EXPECT_TRUE(f == NULL);
	EXPECT_NE(0, strlen(err.reason));
}

/* A profile file written to a fresh temporary folder. */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Whatever a file says, policy_load either refuses it or compiles a
 * filter: it never runs unconfined on a file's say-so.  Among these,
 * dockerd enforces ERRNO for the first (Go keeps the first value of a
 * field a later null leaves alone). */
TEST(policy_load_never_makes_a_file_unconfined)
{
	static const char *const files[] = {
		"{}",
		"{\"syscalls\": []}",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultAction\": null}",
		"{\"\xc5\xbfyscalls\": []}", /* U+017F, which Go folds to 's' */
		"{\"defaultAction\": \"\"}",
		"{\"linux\": {\"seccomp\": {}}}",
		"{\"linux\": {\"seccomp\": {\"defaultAction\": null}}}",
	};
	char dir[] = "/tmp/test_profile.XXXXXX", path[64], err[1024];

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.json", dir);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct policy pol;
		write_file(path, files[i]);
		err[0] = '\0';
		if (policy_load(path, NULL, &pol, err, sizeof(err)) == 0) {
			EXPECT_FALSE(pol.unconfined) TH_LOG("%s", files[i]);
			EXPECT_NE(0, pol.prog.len) TH_LOG("%s", files[i]);
			policy_free(&pol);
		} else {
			EXPECT_TRUE(has(err, path)) TH_LOG("%s: %s", files[i], err);
		}
	}
	unlink(path);
	rmdir(dir);
}

TEST(policy_load_refuses_disabled_file_naming_it)
{
	char dir[] = "/tmp/test_profile.XXXXXX", path[64], err[1024];
	struct policy pol;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/empty.json", dir);
	write_file(path, "{}\n");
	EXPECT_EQ(-1, policy_load(path, NULL, &pol, err, sizeof(err)));
	EXPECT_TRUE(has(err, path)) TH_LOG("%s", err);
	EXPECT_TRUE(has(err, "Docker would run this profile unconfined; use --profile unconfined to mean no filter"))
	TH_LOG("%s", err);
	unlink(path);
	rmdir(dir);
}

TEST(policy_resolve_refuses_disabled_file)
{
	char dir[] = "/tmp/test_profile.XXXXXX", path[64], err[1024];
	struct policy pol;
	struct profile resolved;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/empty.json", dir);
	write_file(path, "{\"syscalls\": null}");
	EXPECT_EQ(-1, policy_resolve(path, NULL, &pol, &resolved, err, sizeof(err)));
	EXPECT_FALSE(pol.unconfined);
	EXPECT_TRUE(has(err, PROFILE_DISABLED_REASON)) TH_LOG("%s", err);
	unlink(path);
	rmdir(dir);
}

TEST(policy_load_unconfined_name_alone_means_no_filter)
{
	struct policy pol;
	char err[1024];

	ASSERT_EQ(0, policy_load("unconfined", NULL, &pol, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(pol.unconfined);
	EXPECT_EQ(0, pol.prog.len);
	policy_free(&pol);
}

/* SHAPE 5: a bundled name is the bundled profile even when the current
 * folder holds a file of that name (the kselftest runner runs each set
 * from a folder holding a wrapper named like the set). */
TEST(policy_load_prefers_bundled_names_over_files_in_cwd)
{
	char dir[] = "/tmp/test_profile.XXXXXX", cwd[4096], err[1024];
	static const char *const names[] = { "docker-default", "restrictive", "no-network", "unconfined" };

	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chdir(dir));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct policy pol;
		/* A file Docker would run unconfined: loading it would fail. */
		write_file(names[i], "{}");
		if (i == 0 && access(DOCKER_DEFAULT_PROFILE, R_OK) != 0)
			continue;
		EXPECT_EQ(0, policy_load(names[i], NULL, &pol, err, sizeof(err))) TH_LOG("%s: %s", names[i], err);
		EXPECT_TRUE(strcmp(pol.file, names[i]) != 0) TH_LOG("%s read %s", names[i], pol.file);
		if (i < 3)
			EXPECT_NE(0, pol.prog.len) TH_LOG("%s", names[i]);
		policy_free(&pol);
		unlink(names[i]);
	}
	unlink(names[0]);
	EXPECT_EQ(0, chdir(cwd));
	rmdir(dir);
}

TEST(policy_load_reads_a_file_in_cwd_by_name_or_path)
{
	char dir[] = "/tmp/test_profile.XXXXXX", cwd[4096], err[1024];
	struct policy pol;

	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chdir(dir));
	write_file("mine", "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
	EXPECT_EQ(0, policy_load("mine", NULL, &pol, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("mine", pol.file);
	policy_free(&pol);
	/* A path is a file even when named like a bundled profile. */
	write_file("restrictive", "{\"defaultAction\": \"SCMP_ACT_LOG\"}");
	EXPECT_EQ(0, policy_load("./restrictive", NULL, &pol, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("./restrictive", pol.file);
	policy_free(&pol);
	unlink("mine");
	unlink("restrictive");
	EXPECT_EQ(0, chdir(cwd));
	rmdir(dir);
}

/* ======================================================================
 * 3b. Reading and limits (issue 14): whatever the file, a bounded answer
 * ====================================================================== */

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static const char small_profile[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";

TEST(parse_reads_a_pipe_once_whole)
{
	int fds[2];
	char path[64];
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ((ssize_t)strlen(small_profile), write(fds[1], small_profile, strlen(small_profile)));
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	EXPECT_EQ(0, profile_parse(path, &p, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(1, p.n_rules);
	profile_free(&p);
	close(fds[0]);
}

/* A slow writer: the reader waits for it, as for any pipe. */
TEST(parse_waits_for_a_pipe_writer_that_is_slow)
{
	int fds[2];
	char path[64];
	struct profile p;
	struct profile_error err;
	pid_t pid;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(fds[0]);
		usleep(300 * 1000);
		_exit(write(fds[1], small_profile, strlen(small_profile)) < 0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	EXPECT_EQ(0, profile_parse(path, &p, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(1, p.n_rules);
	profile_free(&p);
	close(fds[0]);
	waitpid(pid, NULL, 0);
}

TEST(parse_refuses_a_fifo_nobody_writes_within_the_wait)
{
	char dir[] = "/tmp/test_profile.XXXXXX", path[64];
	struct profile p;
	struct profile_error err;
	struct timespec t0;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ASSERT_EQ(0, mkfifo(path, 0600));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, profile_parse(path, &p, &err));
	EXPECT_TRUE(has(err.reason, "a FIFO with no writer")) TH_LOG("%s", err.reason);
	EXPECT_GE(ms_since(&t0), PROFILE_FIFO_WAIT_MS - 100);
	EXPECT_LT(ms_since(&t0), PROFILE_FIFO_WAIT_MS + 5000);
	profile_free(&p);
	unlink(path);
	rmdir(dir);
}

TEST(parse_reads_a_fifo_whose_writer_opens_it_late)
{
	char dir[] = "/tmp/test_profile.XXXXXX", path[64];
	struct profile p;
	struct profile_error err;
	pid_t pid;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ASSERT_EQ(0, mkfifo(path, 0600));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(300 * 1000);
		int fd = open(path, O_WRONLY);
		_exit(fd < 0 || write(fd, small_profile, strlen(small_profile)) < 0);
	}
	EXPECT_EQ(0, profile_parse(path, &p, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(1, p.n_rules);
	profile_free(&p);
	waitpid(pid, NULL, 0);
	unlink(path);
	rmdir(dir);
}

TEST(parse_refuses_dev_zero_at_the_first_nul)
{
	struct profile p;
	struct profile_error err;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, profile_parse("/dev/zero", &p, &err));
	EXPECT_TRUE(has(err.reason, "NUL byte")) TH_LOG("%s", err.reason);
	EXPECT_LT(ms_since(&t0), 2000);
	profile_free(&p);
}

TEST(parse_refuses_a_directory)
{
	struct profile p;
	struct profile_error err;

	EXPECT_EQ(-1, profile_parse("/", &p, &err));
	EXPECT_TRUE(has(err.reason, "a directory")) TH_LOG("%s", err.reason);
	profile_free(&p);
}

/* An endless stream of valid JSON whitespace: refused at 64 MiB, having
 * held little more than that. */
TEST(parse_refuses_an_endless_stream_beyond_64_mib_with_bounded_memory)
{
	int fds[2];
	char path[64];
	struct profile p;
	struct profile_error err;
	struct rusage ru;
	pid_t pid;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char spaces[65536];
		close(fds[0]);
		memset(spaces, ' ', sizeof(spaces));
		while (write(fds[1], spaces, sizeof(spaces)) > 0)
			;
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	EXPECT_EQ(-1, profile_parse(path, &p, &err));
	EXPECT_TRUE(has(err.reason, "larger than 64 MiB")) TH_LOG("%s", err.reason);
	profile_free(&p);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	ASSERT_EQ(0, getrusage(RUSAGE_SELF, &ru));
	EXPECT_LT(ru.ru_maxrss, 512 * 1024) TH_LOG("max RSS %ld KiB", ru.ru_maxrss);
}

TEST(parse_refuses_a_file_over_64_mib_without_reading_it)
{
	char dir[] = "/tmp/test_profile.XXXXXX", path[64];
	struct profile p;
	struct profile_error err;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.json", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, (off_t)PROFILE_MAX_BYTES + 1)); /* sparse */
	close(fd);
	EXPECT_EQ(-1, profile_parse(path, &p, &err));
	EXPECT_TRUE(has(err.reason, "larger than 64 MiB (67108864 bytes)")) TH_LOG("%s", err.reason);
	profile_free(&p);
	unlink(path);
	rmdir(dir);
}

/* A profile of n rules, each naming `names_per_rule` times "getpid" and
 * testing arg0 == its index when with_args. */
static char *many_rules(size_t n, size_t names_per_rule, bool with_args)
{
	size_t size = 64 + n * (64 + names_per_rule * 10 + 64);
	char *buf = malloc(size), *p = buf;

	if (!buf)
		return NULL;
	p += sprintf(p, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [");
	for (size_t i = 0; i < n; i++) {
		p += sprintf(p, "%s{\"action\": \"SCMP_ACT_ALLOW\", \"names\": [", i ? "," : "");
		for (size_t j = 0; j < names_per_rule; j++)
			p += sprintf(p, "%s\"getpid\"", j ? "," : "");
		p += sprintf(p, "]");
		if (with_args)
			p += sprintf(p, ", \"args\": [{\"index\": 0, \"value\": %zu, \"op\": \"SCMP_CMP_EQ\"}]", i);
		p += sprintf(p, "}");
	}
	sprintf(p, "]}");
	return buf;
}

TEST(parse_accepts_4096_rules_and_refuses_4097)
{
	struct profile p;
	struct profile_error err;
	char *json = many_rules(PROFILE_MAX_RULES, 1, false);

	ASSERT_NE(NULL, json);
	EXPECT_EQ(0, parse_inline(json, &p, &err)) TH_LOG("%s", err.reason);
	profile_free(&p);
	free(json);
	json = many_rules(PROFILE_MAX_RULES + 1, 1, false);
	ASSERT_NE(NULL, json);
	EXPECT_EQ(-1, parse_inline(json, &p, &err));
	EXPECT_STREQ("syscalls", err.path);
	EXPECT_TRUE(has(err.reason, "4097 rules: more than 4096")) TH_LOG("%s", err.reason);
	profile_free(&p);
	free(json);
}

TEST(parse_refuses_more_than_16384_names_at_the_rule_crossing_it)
{
	struct profile p;
	struct profile_error err;
	/* 4 rules of 4096 names: 16384; a fifth rule crosses the limit. */
	char *json = many_rules(5, 4096, false);

	ASSERT_NE(NULL, json);
	EXPECT_EQ(-1, parse_inline(json, &p, &err));
	EXPECT_STREQ("syscalls[4].names", err.path);
	EXPECT_TRUE(has(err.reason, "more than 16384 syscall names")) TH_LOG("%s", err.reason);
	profile_free(&p);
	free(json);
}

TEST(parse_refuses_more_than_65536_objects_and_arrays_before_json_c)
{
	size_t n = PROFILE_MAX_CONTAINERS + 1;
	char *json = malloc(n * 3 + 16), *p = json;
	struct profile_error err;

	ASSERT_NE(NULL, json);
	p += sprintf(p, "{\"x\":[");
	for (size_t i = 1; i < n; i++)
		p += sprintf(p, "%s[]", i > 1 ? "," : "");
	sprintf(p, "]}");
	EXPECT_EQ(-1, parse_error(json, &err));
	EXPECT_TRUE(has(err.reason, "more than 65536 objects and arrays")) TH_LOG("%s", err.reason);
	EXPECT_FALSE(has(err.reason, "malformed")) TH_LOG("%s", err.reason);
	EXPECT_EQ(1, err.line);
	free(json);
}

TEST(parse_refuses_more_than_2_20_values_before_json_c)
{
	size_t n = PROFILE_MAX_VALUES; /* with the object and the array: above */
	char *json = malloc(n * 2 + 16), *p = json;
	struct profile_error err;

	ASSERT_NE(NULL, json);
	p += sprintf(p, "{\"x\":[");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s1", i ? "," : "");
	sprintf(p, "]}");
	EXPECT_EQ(-1, parse_error(json, &err));
	EXPECT_TRUE(has(err.reason, "more than 1048576 values")) TH_LOG("%s", err.reason);
	free(json);
}

TEST(parse_says_a_top_level_null_is_not_an_object)
{
	struct profile_error err;

	EXPECT_EQ(-1, parse_error(" null\n", &err));
	EXPECT_STREQ("expected a JSON object, found null", err.reason);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#endif

#ifndef UNDER_ASAN
/* Parse json in a child whose address space may grow by extra_kib: 0
 * parsed, 1 refused "out of memory", 2 refused for another reason, 3
 * refused with no reason, -1 killed (*sig the signal). */
static int parse_with_memory(const char *json, long pages, long extra_kib, int *sig)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct rlimit as;
		struct profile p;
		struct profile_error err;
		as.rlim_cur = as.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)extra_kib << 10);
		setrlimit(RLIMIT_AS, &as);
		if (parse_inline(json, &p, &err) == 0)
			_exit(0);
		_exit(!err.reason[0] ? 3 : strcmp(err.reason, "out of memory") == 0 ? 1 : 2);
	}
	*sig = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status)) {
		*sig = WIFSIGNALED(status) ? WTERMSIG(status) : -1;
		return -1;
	}
	return WEXITSTATUS(status);
}
#endif

/* Every allocation is checked: with too little memory the parser refuses,
 * saying so, at whatever allocation fails first; it never crashes.  The
 * limits: coarse steps (json-c runs out), then 16 KiB steps just below the
 * least that suffices (the loader's own copies, made last, run out). */
TEST(parse_refuses_without_crashing_when_memory_runs_out)
{
#ifdef UNDER_ASAN
	SKIP(return, "RLIMIT_AS and AddressSanitizer's shadow memory do not mix");
#else
	char *json = many_rules(PROFILE_MAX_RULES, 3, true);
	long pages = 0, resident, low = 0, high = 256 * 1024;
	FILE *f = fopen("/proc/self/statm", "r");
	int out_of_memory = 0, sig, rc;

	ASSERT_NE(NULL, json);
	ASSERT_NE(NULL, f);
	ASSERT_EQ(2, fscanf(f, "%ld %ld", &pages, &resident));
	fclose(f);
	ASSERT_EQ(0, parse_with_memory(json, pages, high, &sig)) TH_LOG("256 MiB more do not suffice");
	/* The least extra memory (to 16 KiB) with which the parse succeeds. */
	while (high - low > 16) {
		long mid = (low + high) / 2;
		rc = parse_with_memory(json, pages, mid, &sig);
		ASSERT_NE(-1, rc) TH_LOG("%ld KiB more: killed by signal %d", mid, sig);
		if (rc == 0)
			high = mid;
		else
			low = mid;
	}
	for (long kib = 1024; kib < high; kib += kib < high - 1024 ? 2048 : 16) {
		rc = parse_with_memory(json, pages, kib, &sig);
		ASSERT_NE(-1, rc) TH_LOG("%ld KiB more: killed by signal %d", kib, sig);
		EXPECT_NE(3, rc) TH_LOG("%ld KiB more: refused without a reason", kib);
		out_of_memory += rc == 1;
	}
	EXPECT_LT(10, out_of_memory);
	free(json);
#endif
}

/* The error paths that leaked (found with LeakSanitizer: make sanitize). */
TEST(parse_error_paths_free_what_they_read)
{
	static const char *const bad[] = {
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\", 3]}",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", 3]}",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", 3]}]}",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", 3], \"action\": \"SCMP_ACT_ALLOW\"}]}",
	};
	struct profile p;
	struct profile_error err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, parse_inline(bad[i], &p, &err)) TH_LOG("%s", bad[i]);
		EXPECT_TRUE(has(err.reason, "expected a string, found a number")) TH_LOG("%s", err.reason);
		profile_free(&p);
	}
}

TEST(parse_name_beside_empty_names_reads_the_name)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0,
		  parse_inline(
			  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"name\": \"read\", \"names\": [], "
			  "\"action\": \"SCMP_ACT_ALLOW\"}]}",
			  &p, &err))
	TH_LOG("%s", err.reason);
	ASSERT_EQ(1, p.rules[0].n_names);
	EXPECT_STREQ("read", p.rules[0].names[0]);
	profile_free(&p);
}

TEST(build_accepts_4096_libseccomp_rules_and_refuses_4097_before_libseccomp)
{
	struct profile p;
	struct profile_error err;
	scmp_filter_ctx f;
	char *json = many_rules(PROFILE_MAX_FILTER_RULES / 2, 2, false);

	ASSERT_NE(NULL, json);
	ASSERT_EQ(0, parse_inline(json, &p, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(0, profile_build(&p, NULL, &f, &err)) TH_LOG("%s", err.reason);
	seccomp_release(f);
	profile_free(&p);
	free(json);
	json = many_rules(PROFILE_MAX_FILTER_RULES / 2 + 1, 2, false);
	ASSERT_NE(NULL, json);
	ASSERT_EQ(0, parse_inline(json, &p, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(-1, profile_build(&p, NULL, &f, &err));
	EXPECT_STREQ("syscalls[2048].names[0]", err.path);
	EXPECT_TRUE(has(err.reason, "more than 4096 libseccomp rules")) TH_LOG("%s", err.reason);
	profile_free(&p);
	free(json);
}

TEST(compile_refuses_a_filter_over_bpf_maxinsns_with_its_length)
{
	struct profile p;
	struct profile_error err;
	struct sock_fprog prog;
	char *json = many_rules(PROFILE_MAX_FILTER_RULES, 1, true);

	ASSERT_NE(NULL, json);
	ASSERT_EQ(0, parse_inline(json, &p, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(-1, policy_compile(&p, NULL, &prog, &err));
	EXPECT_TRUE(prog.filter == NULL);
	EXPECT_TRUE(has(err.reason, "BPF instructions, more than the kernel's 4096 (BPF_MAXINSNS)"))
	TH_LOG("%s", err.reason);
	EXPECT_STREQ("inline.json", err.file);
	profile_free(&p);
	free(json);
}

TEST(compile_gives_the_same_program_as_an_in_process_build)
{
	struct profile p;
	struct profile_error err;
	struct sock_fprog prog, direct;
	scmp_filter_ctx f;

	ASSERT_EQ(0, parse_inline(small_profile, &p, &err));
	ASSERT_EQ(0, policy_compile(&p, NULL, &prog, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, profile_build(&p, NULL, &f, &err));
	ASSERT_EQ(0, filter_export(f, &direct));
	ASSERT_EQ(direct.len, prog.len);
	EXPECT_EQ(0, memcmp(direct.filter, prog.filter, prog.len * sizeof(*prog.filter)));
	seccomp_release(f);
	free(prog.filter);
	free(direct.filter);
	profile_free(&p);
}

/* libseccomp 2.5.4 never returns from adding the second rule (found by
 * fuzzing, issue 14): compiling is refused within its CPU limit. */
TEST(compile_refuses_what_libseccomp_cannot_finish)
{
	static const char hang[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		"{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_GT\"}, {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_GT\"}]},"
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		"{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_GT\"}, {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	struct build_opts opts = { .errno_override = -1 };
	struct profile p;
	struct profile_error err;
	struct sock_fprog prog;
	struct timespec t0;

	ASSERT_EQ(0, parse_inline(hang, &p, &err));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	policy_compile_cpu_seconds = 1;
	EXPECT_EQ(-1, policy_compile(&p, &opts, &prog, &err));
	policy_compile_cpu_seconds = POLICY_COMPILE_CPU_SECONDS;
	EXPECT_TRUE(has(err.reason, "did not finish building the filter within 1 s of CPU time"))
	TH_LOG("%s", err.reason);
	EXPECT_LT(ms_since(&t0), 60 * 1000);
	profile_free(&p);
}

/* ======================================================================
 * 4. Resolution, as dockerd's setupSeccomp
 * ====================================================================== */

#define CAP(n) (UINT64_C(1) << (n))

static const char includes_two_caps[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
					"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\"},"
					"{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\","
					" \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_SYS_BOOT\"]}}]}";

TEST(resolve_includes_caps_needs_every_cap)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;

	ctx.caps = CAP(CAP_SYS_ADMIN);
	ASSERT_EQ(0, resolve_inline(includes_two_caps, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(1, r.n_rules);
	EXPECT_TRUE(rule_from(&r, "syscalls[1]") == NULL);
	profile_free(&r);

	ctx.caps = CAP(CAP_SYS_ADMIN) | CAP(CAP_SYS_BOOT);
	ASSERT_EQ(0, resolve_inline(includes_two_caps, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(2, r.n_rules);
	EXPECT_TRUE(rule_names(rule_from(&r, "syscalls[1]"), "mount"));
	profile_free(&r);
}

static const char excludes_two_caps[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
					"{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\","
					" \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_SYS_BOOT\"]}}]}";

TEST(resolve_excludes_caps_needs_any_cap)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;

	ctx.caps = CAP(CAP_SYS_BOOT);
	ASSERT_EQ(0, resolve_inline(excludes_two_caps, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(0, r.n_rules);
	profile_free(&r);

	ctx.caps = CAP(CAP_CHOWN) | CAP(CAP_KILL);
	ASSERT_EQ(0, resolve_inline(excludes_two_caps, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(1, r.n_rules);
	profile_free(&r);
}

TEST(resolve_compares_caps_as_dockerd_strings)
{
	/* dockerd looks the string up in the bounding set, which holds
	 * "CAP_SYS_ADMIN": "cap_sys_admin" and "SYS_ADMIN" never match. */
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .caps = caps_all(), .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;

	ASSERT_EQ(
		0,
		resolve_inline(
			"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			"{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"cap_sys_admin\"]}},"
			"{\"names\": [\"b\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"SYS_ADMIN\"]}},"
			"{\"names\": [\"c\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"cap_sys_admin\"]}},"
			"{\"names\": [\"d\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_NOT_YET\"]}}]}",
			&ctx, &r, &err))
	TH_LOG("%s", err.reason);
	ASSERT_EQ(1, r.n_rules);
	EXPECT_STREQ("syscalls[2]", r.rules[0].path);
	profile_free(&r);
}

static const char by_arch[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	"{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]}},"
	"{\"names\": [\"b\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"x86\", \"arm\"]}},"
	"{\"names\": [\"c\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"arm64\"]}},"
	"{\"names\": [\"d\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"amd64\", \"s390x\"]}},"
	"{\"names\": [\"e\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"AMD64\", \"x86_64\"]}}]}";

TEST(resolve_includes_and_excludes_arches_by_docker_name)
{
	struct resolve_ctx ctx = { .caps = 0, .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;
	char paths[256];

	ctx.arch = SCMP_ARCH_X86_64; /* dockerd on amd64 */
	ASSERT_EQ(0, resolve_inline(by_arch, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	rule_paths(&r, paths, sizeof(paths));
	EXPECT_STREQ("syscalls[0]", paths);
	profile_free(&r);

	ctx.arch = SCMP_ARCH_X86; /* dockerd on 386 calls it "x86" */
	ASSERT_EQ(0, resolve_inline(by_arch, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	rule_paths(&r, paths, sizeof(paths));
	EXPECT_STREQ("syscalls[1] syscalls[3]", paths);
	profile_free(&r);

	ctx.arch = SCMP_ARCH_AARCH64;
	ASSERT_EQ(0, resolve_inline(by_arch, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	rule_paths(&r, paths, sizeof(paths));
	EXPECT_STREQ("syscalls[2] syscalls[3]", paths);
	profile_free(&r);

	ctx.arch = SCMP_ARCH_S390X;
	ASSERT_EQ(0, resolve_inline(by_arch, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	rule_paths(&r, paths, sizeof(paths));
	EXPECT_STREQ("", paths);
	profile_free(&r);
}

TEST(docker_arch_names_follow_dockerd)
{
	EXPECT_STREQ("amd64", docker_arch_name(SCMP_ARCH_X86_64));
	EXPECT_STREQ("x86", docker_arch_name(SCMP_ARCH_X86));
	EXPECT_STREQ("arm64", docker_arch_name(SCMP_ARCH_AARCH64));
	EXPECT_STREQ("arm", docker_arch_name(SCMP_ARCH_ARM));
	EXPECT_STREQ("mipsel", docker_arch_name(SCMP_ARCH_MIPSEL));
	EXPECT_STREQ("mips3l64n32", docker_arch_name(SCMP_ARCH_MIPSEL64N32));
	EXPECT_STREQ("ppc64le", docker_arch_name(SCMP_ARCH_PPC64LE));
	EXPECT_STREQ("s390x", docker_arch_name(SCMP_ARCH_S390X));
}

static int resolve_min_kernel(const char *filter, const char *version, unsigned major, unsigned minor,
			      struct profile *r, struct profile_error *err)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .caps = 0, .kernel = { major, minor } };
	char json[256];

	snprintf(json, sizeof(json),
		 "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"ptrace\"],"
		 " \"action\": \"SCMP_ACT_ALLOW\", \"%s\": {\"minKernel\": \"%s\"}}]}",
		 filter, version);
	return resolve_inline(json, &ctx, r, err);
}

TEST(resolve_includes_min_kernel_compares_numerically)
{
	static const struct {
		const char *min;
		unsigned major, minor;
		size_t rules;
	} cases[] = {
		{ "4.8", 4, 7, 0 }, { "4.8", 4, 8, 1 },	 { "4.8", 4, 10, 1 }, /* 10 > 8, though "4.10" < "4.8" as strings */
		{ "4.8", 5, 0, 1 }, { "4.8", 3, 19, 0 }, { "4.10", 4, 9, 0 }, { "4.10", 4, 10, 1 }, { "4.10", 5, 0, 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct profile r;
		struct profile_error err;

		ASSERT_EQ(0, resolve_min_kernel("includes", cases[i].min, cases[i].major, cases[i].minor, &r, &err))
		TH_LOG("%s", err.reason);
		EXPECT_EQ(cases[i].rules, r.n_rules)
		TH_LOG("includes minKernel %s on kernel %u.%u", cases[i].min, cases[i].major, cases[i].minor);
		profile_free(&r);
	}
}

TEST(resolve_excludes_min_kernel_drops_rule_from_that_kernel_on)
{
	static const struct {
		unsigned major, minor;
		size_t rules;
	} cases[] = {
		{ 5, 3, 1 }, { 5, 4, 0 }, { 5, 10, 0 }, { 6, 1, 0 }, { 4, 19, 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct profile r;
		struct profile_error err;

		ASSERT_EQ(0, resolve_min_kernel("excludes", "5.4", cases[i].major, cases[i].minor, &r, &err))
		TH_LOG("%s", err.reason);
		EXPECT_EQ(cases[i].rules, r.n_rules)
		TH_LOG("excludes minKernel 5.4 on kernel %u.%u", cases[i].major, cases[i].minor);
		profile_free(&r);
	}
}

static const char arch_map[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": ["
	"{\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]},"
	"{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]},"
	"{\"architecture\": \"SCMP_ARCH_S390X\", \"subArchitectures\": []}]}";

TEST(resolve_arch_map_picks_entry_and_sub_architectures)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .caps = 0, .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;

	ASSERT_EQ(0, resolve_inline(arch_map, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(3, r.n_arches);
	EXPECT_EQ(SCMP_ARCH_X86_64, r.arches[0]);
	EXPECT_EQ(SCMP_ARCH_X86, r.arches[1]);
	EXPECT_EQ(SCMP_ARCH_X32, r.arches[2]);
	EXPECT_EQ(0, r.n_arch_map);
	profile_free(&r);

	ctx.arch = SCMP_ARCH_AARCH64;
	ASSERT_EQ(0, resolve_inline(arch_map, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(2, r.n_arches);
	EXPECT_EQ(SCMP_ARCH_AARCH64, r.arches[0]);
	EXPECT_EQ(SCMP_ARCH_ARM, r.arches[1]);
	profile_free(&r);

	ctx.arch = SCMP_ARCH_S390X;
	ASSERT_EQ(0, resolve_inline(arch_map, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(1, r.n_arches);
	EXPECT_EQ(SCMP_ARCH_S390X, r.arches[0]);
	profile_free(&r);
}

TEST(resolve_arch_map_without_entry_gives_no_arches)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_PPC64LE, .caps = 0, .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;

	ASSERT_EQ(0, resolve_inline(arch_map, &ctx, &r, &err)) TH_LOG("%s", err.reason);
	EXPECT_EQ(0, r.n_arches);
	profile_free(&r);
}

TEST(resolve_copies_architectures_list_whatever_the_arch)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .caps = 0, .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;

	ASSERT_EQ(0, resolve_inline("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
				    " \"architectures\": [\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"]}",
				    &ctx, &r, &err))
	TH_LOG("%s", err.reason);
	ASSERT_EQ(2, r.n_arches);
	EXPECT_EQ(SCMP_ARCH_AARCH64, r.arches[0]);
	EXPECT_EQ(SCMP_ARCH_ARM, r.arches[1]);
	profile_free(&r);
}

TEST(resolve_keeps_rule_contents_and_order)
{
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .caps = 0, .kernel = { 6, 18 } };
	struct profile r;
	struct profile_error err;

	ASSERT_EQ(
		0,
		resolve_inline(
			"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
			" \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"syscalls\": ["
			"{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
			"{\"names\": [\"kill\", \"tkill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 3,"
			" \"comment\": \"no SIGKILL\","
			" \"args\": [{\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"},"
			" {\"index\": 0, \"value\": 255, \"valueTwo\": 7, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
			"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_LOG\"}]}",
			&ctx, &r, &err))
	TH_LOG("%s", err.reason);
	EXPECT_EQ(ACTION_ERRNO, r.default_action);
	EXPECT_TRUE(r.has_default_errno_ret);
	EXPECT_EQ(38, r.default_errno_ret);
	EXPECT_EQ(2u, r.flags);
	ASSERT_EQ(2, r.n_rules);
	EXPECT_STREQ("syscalls[1]", r.rules[0].path);
	ASSERT_EQ(2, r.rules[0].n_names);
	EXPECT_STREQ("tkill", r.rules[0].names[1]);
	EXPECT_EQ(ACTION_ERRNO, r.rules[0].action);
	EXPECT_TRUE(r.rules[0].has_errno_ret);
	EXPECT_EQ(3, r.rules[0].errno_ret);
	ASSERT_EQ(2, r.rules[0].n_args);
	EXPECT_EQ(1, r.rules[0].args[0].index);
	EXPECT_EQ(9, r.rules[0].args[0].value);
	EXPECT_EQ(SCMP_CMP_MASKED_EQ, r.rules[0].args[1].op);
	EXPECT_EQ(255, r.rules[0].args[1].value);
	EXPECT_EQ(7, r.rules[0].args[1].value_two);
	EXPECT_STREQ("syscalls[2]", r.rules[1].path);
	EXPECT_EQ(ACTION_LOG, r.rules[1].action);
	profile_free(&r);
}

/* ---- Docker's own default.json (moby 20.10.24, Debian's copy) -------- */

FIXTURE(docker_default)
{
	struct profile p;
};

FIXTURE_SETUP(docker_default)
{
	struct profile_error err;

	ASSERT_EQ(0, access(DOCKER_DEFAULT_PROFILE, R_OK))
	TH_LOG("%s: apt-get install golang-github-docker-docker-dev", DOCKER_DEFAULT_PROFILE);
	ASSERT_EQ(0, profile_parse(DOCKER_DEFAULT_PROFILE, &self->p, &err))
	TH_LOG("%s: %s: %s", err.file, err.path, err.reason);
}

FIXTURE_TEARDOWN(docker_default)
{
	profile_free(&self->p);
}

static int resolve_docker(const struct profile *p, uint32_t arch, uint64_t caps, unsigned major, unsigned minor,
			  struct profile *r)
{
	struct resolve_ctx ctx = { .arch = arch, .caps = caps, .kernel = { major, minor } };
	struct profile_error err;

	return profile_resolve(p, &ctx, r, &err);
}

TEST_F(docker_default, parses_28_rules_and_seven_arch_map_entries)
{
	EXPECT_EQ(ACTION_ERRNO, self->p.default_action);
	EXPECT_FALSE(self->p.has_default_errno_ret);
	EXPECT_EQ(28, self->p.n_rules);
	EXPECT_EQ(7, self->p.n_arch_map);
	EXPECT_EQ(0, self->p.n_arches);
}

/* Rules kept on amd64, docker-default caps, kernel 6.18, by index in the
 * file: 0 (the big ALLOW list), 1 (ptrace, minKernel 4.8), 2-6 (personality),
 * 9 (arch_prctl, amd64/x32), 10 (modify_ldt, amd64/x32/x86), 14 (clone with
 * the namespace mask, excludes CAP_SYS_ADMIN and s390), 16 (clone3 ENOSYS,
 * excludes CAP_SYS_ADMIN and mips), 19 (chroot, CAP_SYS_CHROOT). */
TEST_F(docker_default, amd64_default_caps_kernel_6_18_keeps_expected_rules)
{
	struct profile r;
	char paths[512];

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps_docker_default(), 6, 18, &r));
	rule_paths(&r, paths, sizeof(paths));
	EXPECT_STREQ("syscalls[0] syscalls[1] syscalls[2] syscalls[3] syscalls[4] syscalls[5] syscalls[6]"
		     " syscalls[9] syscalls[10] syscalls[14] syscalls[16] syscalls[19]",
		     paths);
	ASSERT_EQ(3, r.n_arches);
	EXPECT_EQ(SCMP_ARCH_X86_64, r.arches[0]);
	EXPECT_EQ(SCMP_ARCH_X86, r.arches[1]);
	EXPECT_EQ(SCMP_ARCH_X32, r.arches[2]);
	profile_free(&r);
}

TEST_F(docker_default, amd64_default_caps_allows_ptrace_from_4_8)
{
	struct profile r;
	const struct profile_rule *ptrace;

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps_docker_default(), 6, 18, &r));
	ptrace = rule_from(&r, "syscalls[1]");
	EXPECT_TRUE(rule_names(ptrace, "ptrace"));
	ASSERT_TRUE(ptrace != NULL);
	EXPECT_EQ(ACTION_ALLOW, ptrace->action);
	profile_free(&r);
}

TEST_F(docker_default, amd64_default_caps_has_no_sys_admin_block)
{
	struct profile r;

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps_docker_default(), 6, 18, &r));
	for (size_t i = 0; i < r.n_rules; i++) {
		EXPECT_FALSE(rule_names(&r.rules[i], "mount")) TH_LOG("%s", r.rules[i].path);
		EXPECT_FALSE(rule_names(&r.rules[i], "unshare")) TH_LOG("%s", r.rules[i].path);
		EXPECT_FALSE(rule_names(&r.rules[i], "bpf")) TH_LOG("%s", r.rules[i].path);
	}
	profile_free(&r);
}

TEST_F(docker_default, amd64_default_caps_allows_clone_only_without_namespace_flags)
{
	struct profile r;
	const struct profile_rule *clone;

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps_docker_default(), 6, 18, &r));
	clone = rule_from(&r, "syscalls[14]");
	ASSERT_TRUE(clone != NULL);
	EXPECT_TRUE(rule_names(clone, "clone"));
	EXPECT_EQ(ACTION_ALLOW, clone->action);
	ASSERT_EQ(1, clone->n_args);
	EXPECT_EQ(0, clone->args[0].index);
	EXPECT_EQ(SCMP_CMP_MASKED_EQ, clone->args[0].op);
	/* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET = 0x7E020000 */
	EXPECT_EQ(2114060288, clone->args[0].value);
	EXPECT_EQ(0, clone->args[0].value_two);
	/* The s390 variant (arg 1) is not for amd64. */
	EXPECT_TRUE(rule_from(&r, "syscalls[15]") == NULL);
	profile_free(&r);
}

TEST_F(docker_default, amd64_default_caps_answers_clone3_with_enosys)
{
	struct profile r;
	const struct profile_rule *clone3;

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps_docker_default(), 6, 18, &r));
	clone3 = rule_from(&r, "syscalls[16]");
	ASSERT_TRUE(clone3 != NULL);
	EXPECT_TRUE(rule_names(clone3, "clone3"));
	EXPECT_EQ(ACTION_ERRNO, clone3->action);
	EXPECT_TRUE(clone3->has_errno_ret);
	EXPECT_EQ(ENOSYS, clone3->errno_ret);
	/* The mips variant answers 89 (mips ENOSYS): not on amd64. */
	EXPECT_TRUE(rule_from(&r, "syscalls[17]") == NULL);
	profile_free(&r);
}

TEST_F(docker_default, amd64_default_caps_allows_chroot_but_not_reboot)
{
	struct profile r;
	bool chroot = false, reboot = false;

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps_docker_default(), 6, 18, &r));
	for (size_t i = 0; i < r.n_rules; i++) {
		chroot |= rule_names(&r.rules[i], "chroot");
		reboot |= rule_names(&r.rules[i], "reboot");
	}
	EXPECT_TRUE(chroot);
	EXPECT_FALSE(reboot);
	profile_free(&r);
}

TEST_F(docker_default, kernel_4_7_has_no_ptrace)
{
	struct profile r;
	char paths[512];

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps_docker_default(), 4, 7, &r));
	for (size_t i = 0; i < r.n_rules; i++) {
		EXPECT_FALSE(rule_names(&r.rules[i], "ptrace")) TH_LOG("%s", r.rules[i].path);
	}
	rule_paths(&r, paths, sizeof(paths));
	EXPECT_STREQ("syscalls[0] syscalls[2] syscalls[3] syscalls[4] syscalls[5] syscalls[6]"
		     " syscalls[9] syscalls[10] syscalls[14] syscalls[16] syscalls[19]",
		     paths);
	profile_free(&r);
}

TEST_F(docker_default, cap_sys_admin_swaps_clone_mask_for_admin_block)
{
	struct profile r;
	uint64_t caps;
	char err[256], paths[512];

	ASSERT_EQ(0, caps_parse("docker-default,CAP_SYS_ADMIN", &caps, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_X86_64, caps, 6, 18, &r));
	rule_paths(&r, paths, sizeof(paths));
	/* 13 (the CAP_SYS_ADMIN block) in; 14 and 16 (excludes CAP_SYS_ADMIN) out. */
	EXPECT_STREQ("syscalls[0] syscalls[1] syscalls[2] syscalls[3] syscalls[4] syscalls[5] syscalls[6]"
		     " syscalls[9] syscalls[10] syscalls[13] syscalls[19]",
		     paths);
	EXPECT_TRUE(rule_names(rule_from(&r, "syscalls[13]"), "mount"));
	EXPECT_TRUE(rule_names(rule_from(&r, "syscalls[13]"), "clone3"));
	profile_free(&r);
}

TEST_F(docker_default, arm64_gets_arm_block_and_arm_sub_architecture)
{
	struct profile r;
	char paths[512];

	ASSERT_EQ(0, resolve_docker(&self->p, SCMP_ARCH_AARCH64, caps_docker_default(), 6, 18, &r));
	rule_paths(&r, paths, sizeof(paths));
	EXPECT_STREQ("syscalls[0] syscalls[1] syscalls[2] syscalls[3] syscalls[4] syscalls[5] syscalls[6]"
		     " syscalls[8] syscalls[14] syscalls[16] syscalls[19]",
		     paths);
	ASSERT_EQ(2, r.n_arches);
	EXPECT_EQ(SCMP_ARCH_AARCH64, r.arches[0]);
	EXPECT_EQ(SCMP_ARCH_ARM, r.arches[1]);
	profile_free(&r);
}

/* ======================================================================
 * 5. Capability sets
 * ====================================================================== */

/* moby's oci/caps/defaults.go, by kernel number. */
static const uint64_t moby_default_caps = CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) | CAP(CAP_FSETID) | CAP(CAP_FOWNER) |
					  CAP(CAP_MKNOD) | CAP(CAP_NET_RAW) | CAP(CAP_SETGID) | CAP(CAP_SETUID) |
					  CAP(CAP_SETFCAP) | CAP(CAP_SETPCAP) | CAP(CAP_NET_BIND_SERVICE) |
					  CAP(CAP_SYS_CHROOT) | CAP(CAP_KILL) | CAP(CAP_AUDIT_WRITE);

TEST(caps_docker_default_is_the_14_moby_caps)
{
	char names[512];

	EXPECT_EQ(14, __builtin_popcountll(caps_docker_default()));
	EXPECT_EQ(moby_default_caps, caps_docker_default());
	caps_format(caps_docker_default(), names, sizeof(names));
	EXPECT_STREQ("CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,"
		     "CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,"
		     "CAP_SETFCAP",
		     names);
}

TEST(caps_parse_docker_default)
{
	uint64_t caps = 0;
	char err[256];

	ASSERT_EQ(0, caps_parse("docker-default", &caps, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(moby_default_caps, caps);
}

TEST(caps_parse_all_is_every_capability_to_checkpoint_restore)
{
	uint64_t caps = 0;
	char err[256];

	/* CAP_CHECKPOINT_RESTORE (40) is the last capability of Linux 6.x. */
	ASSERT_EQ(0, caps_parse("all", &caps, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ((UINT64_C(1) << 41) - 1, caps);
	EXPECT_EQ(40, cap_last());
}

TEST(caps_parse_none_is_empty)
{
	uint64_t caps = 1;
	char err[256];

	ASSERT_EQ(0, caps_parse("none", &caps, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, caps);
}

TEST(caps_parse_adds_like_cap_add)
{
	uint64_t caps = 0;
	char err[256];

	ASSERT_EQ(0, caps_parse("docker-default,SYS_ADMIN", &caps, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(moby_default_caps | CAP(CAP_SYS_ADMIN), caps);
}

TEST(caps_parse_removes_like_cap_drop)
{
	uint64_t caps = 0;
	char err[256];

	ASSERT_EQ(0, caps_parse("docker-default,-CAP_CHOWN", &caps, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(moby_default_caps & ~CAP(CAP_CHOWN), caps);
	EXPECT_EQ(13, __builtin_popcountll(caps));
}

TEST(caps_parse_accepts_lowercase_name)
{
	uint64_t caps = 0;
	char err[256];

	ASSERT_EQ(0, caps_parse("cap_sys_admin", &caps, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(CAP(CAP_SYS_ADMIN), caps);
}

TEST(caps_parse_rejects_unknown_capability)
{
	uint64_t caps = 0;
	char err[256] = "";

	EXPECT_EQ(-1, caps_parse("docker-default,CAP_NOPE", &caps, err, sizeof(err)));
	EXPECT_TRUE(has(err, "CAP_NOPE")) TH_LOG("%s", err);
}

TEST(caps_parse_rejects_empty_spec)
{
	uint64_t caps = 0;
	char err[256] = "";

	EXPECT_EQ(-1, caps_parse("", &caps, err, sizeof(err)));
	EXPECT_NE(0, strlen(err));
}

TEST(cap_names_and_numbers_match_the_kernel)
{
	EXPECT_EQ(CAP_SYS_ADMIN, cap_from_name("CAP_SYS_ADMIN"));
	EXPECT_EQ(CAP_SYS_ADMIN, cap_from_name("sys_admin"));
	EXPECT_EQ(40, cap_from_name("CAP_CHECKPOINT_RESTORE"));
	EXPECT_EQ(CAP_BPF, cap_from_name("BPF"));
	EXPECT_STREQ("CAP_AUDIT_WRITE", cap_name(CAP_AUDIT_WRITE));
	EXPECT_EQ(-1, cap_from_name("CAP_"));
	EXPECT_EQ(-1, cap_from_name("CAP_NOPE"));
	EXPECT_TRUE(cap_name(64) == NULL);
}

/* ======================================================================
 * 6. Build: what the filters do
 * ====================================================================== */

TEST(baseline_calls_are_answered_by_the_kernel)
{
	struct outcome o;

	/* Unconfined, the probe calls below give the kernel's own answers. */
	ASSERT_EQ(0, run_filtered(NULL, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(ESRCH, o.err);
	ASSERT_EQ(0, run_filtered(NULL, SYS_getpriority, BAD_WHICH, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(EINVAL, o.err);
	ASSERT_EQ(0, run_filtered(NULL, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(getpid(), o.ret);
}

TEST(build_errno_with_errno_ret_returns_it)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4001}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_TRUE(o.loaded);
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(RULE_ERRNO, o.err);
	seccomp_release(f);
}

TEST(build_errno_without_errno_ret_returns_eperm)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\"}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(EPERM, o.err);
	seccomp_release(f);
}

TEST(build_applies_rule_to_every_name)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(
		0,
		compile_json(
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\", \"getpgid\"],"
			" \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4001}]}",
			NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	/* A name not listed still gets the default. */
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, BAD_WHICH, 0, &o));
	EXPECT_EQ(EINVAL, o.err);
	seccomp_release(f);
}

/* A default ERRNO filter must still let the child exit. */
#define ALLOW_EXIT "{\"names\": [\"exit_group\", \"exit\"], \"action\": \"SCMP_ACT_ALLOW\"}"

TEST(build_default_errno_ret_applies_to_default_action)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4002,"
				  " \"syscalls\": [" ALLOW_EXIT "]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(DEFAULT_ERRNO, o.err);
	EXPECT_TRUE(o.exited);
	seccomp_release(f);
}

TEST(build_default_errno_without_ret_is_eperm)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [" ALLOW_EXIT "]}", NULL, &f,
				  &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(EPERM, o.err);
	seccomp_release(f);
}

TEST(build_kill_process_kills_with_sigsys)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_KILL_PROCESS\"}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_TRUE(o.loaded);
	EXPECT_FALSE(o.returned);
	EXPECT_TRUE(o.signaled);
	EXPECT_EQ(SIGSYS, o.sig);
	EXPECT_EQ(0, o.traps);
	seccomp_release(f);
}

TEST(build_kill_kills_the_thread_with_sigsys)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* SCMP_ACT_KILL is KILL_THREAD; the child has one thread. */
	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_KILL\"}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_FALSE(o.returned);
	EXPECT_TRUE(o.signaled);
	EXPECT_EQ(SIGSYS, o.sig);
	seccomp_release(f);
}

TEST(build_trap_delivers_sigsys_to_handler)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getppid\"],"
				  " \"action\": \"SCMP_ACT_TRAP\"}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(1, o.traps);
	EXPECT_EQ(SYS_getppid, o.trap_nr);
	EXPECT_TRUE(o.returned);
	EXPECT_TRUE(o.exited);
	EXPECT_EQ(0, o.exit_code);
	seccomp_release(f);
}

TEST(build_log_allows)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* Under an ERRNO default, only a LOG rule lets getppid through. */
	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [" ALLOW_EXIT ","
				  " {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_LOG\"}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(getpid(), o.ret);
	EXPECT_EQ(0, o.err);
	seccomp_release(f);
}

TEST(build_drops_rule_equal_to_default_action)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* libseccomp refuses a rule whose action is the default (-EACCES);
	 * runc skips it silently. */
	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
				  "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\"},"
				  "{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4001}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(getpid(), o.ret);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	seccomp_release(f);
}

TEST(build_drops_errno_rule_equal_to_default_errno)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* ERRNO with errnoRet 1 is ERRNO(EPERM), the default's action; errnoRet 2
	 * is another action and stays. */
	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [" ALLOW_EXIT ","
				  "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
				  "{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 2}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(EPERM, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(ENOENT, o.err);
	seccomp_release(f);
}

TEST(build_treats_kill_as_kill_thread_when_dropping)
{
	scmp_filter_ctx f;
	struct profile_error err;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_KILL_THREAD\", \"syscalls\": ["
				  "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_KILL\"}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	seccomp_release(f);
}

/* runc's matchCall: "empty string is not a valid syscall" fails the
 * container, it is not an unknown name to skip. */
TEST(build_rejects_empty_syscall_name_as_runc)
{
	scmp_filter_ctx f;
	struct profile_error err;

	EXPECT_EQ(-1,
		  compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"\", \"getppid\"],"
			       " \"action\": \"SCMP_ACT_ERRNO\"}]}",
			       NULL, &f, &err));
	EXPECT_STREQ("syscalls[0].names[0]", err.path);
	if (f)
		seccomp_release(f);
}

/* runc's InitSeccomp: "SCMP_ACT_NOTIFY cannot be used as default action". */
TEST(build_rejects_notify_default_action_as_runc)
{
	scmp_filter_ctx f;
	struct profile_error err;

	EXPECT_EQ(-1,
		  compile_json("{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"syscalls\": [{\"names\": [\"exit_group\"],"
			       " \"action\": \"SCMP_ACT_ALLOW\"}]}",
			       NULL, &f, &err));
	EXPECT_STREQ("defaultAction", err.path);
	if (f)
		seccomp_release(f);
}

TEST(build_skips_unknown_syscall_name_with_warning)
{
	struct warnings w = { 0 };
	struct build_opts opts = { .errno_override = -1, .warn = count_warning, .warn_data = &w };
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\":"
				  " [\"getppid\", \"no_such_syscall_xyz\", \"getpgid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4001}]}",
				  &opts, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ(1, w.count);
	EXPECT_STREQ("no_such_syscall_xyz", w.name);
	EXPECT_STREQ("syscalls[0]", w.rule);
	EXPECT_EQ(1, w.name_index);
	/* The names around it still get the rule. */
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	seccomp_release(f);
}

TEST(build_warns_for_name_absent_on_every_filter_arch)
{
	struct warnings w = { 0 };
	struct build_opts opts = { .errno_override = -1, .warn = count_warning, .warn_data = &w };
	scmp_filter_ctx f;
	struct profile_error err;

	if (host_scmp_arch() != SCMP_ARCH_X86_64)
		SKIP(return, "written for an x86_64 host");
	/* arm_fadvise64_64 exists on ARM only. */
	ASSERT_EQ(0,
		  compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
			       " \"syscalls\": [{\"names\": [\"arm_fadvise64_64\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
			       &opts, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ(1, w.count);
	EXPECT_STREQ("arm_fadvise64_64", w.name);
	seccomp_release(f);

	memset(&w, 0, sizeof(w));
	ASSERT_EQ(0,
		  compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\","
			       " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_ARM\"],"
			       " \"syscalls\": [{\"names\": [\"arm_fadvise64_64\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
			       &opts, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ(0, w.count);
	seccomp_release(f);
}

/* ---- argument conditions --------------------------------------------- */

/* getpgid ERRNO(RULE_ERRNO) when arg 0 OP value (valueTwo for MASKED_EQ). */
static int compile_cond(const char *op, uint64_t value, uint64_t value_two, scmp_filter_ctx *f,
			struct profile_error *err)
{
	char json[512];

	snprintf(json, sizeof(json),
		 "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getpgid\"],"
		 " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": %d, \"args\": [{\"index\": 0, \"op\": \"%s\","
		 " \"value\": %llu, \"valueTwo\": %llu}]}]}",
		 RULE_ERRNO, op, (unsigned long long)value, (unsigned long long)value_two);
	return compile_json(json, NULL, f, err);
}

TEST(build_cond_eq_matches_only_the_value)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_cond("SCMP_CMP_EQ", NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID + 1, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_cond_eq_compares_all_64_bits)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* The kernel reads a pid_t (the low 32 bits); the filter sees all 64. */
	ASSERT_EQ(0, compile_cond("SCMP_CMP_EQ", (UINT64_C(1) << 32) | NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, (1UL << 32) | NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_cond_ne_matches_every_other_value)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_cond("SCMP_CMP_NE", NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID + 1, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_cond_lt_matches_below_only)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_cond("SCMP_CMP_LT", NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID - 1, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_cond_le_matches_up_to_the_value)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_cond("SCMP_CMP_LE", NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID + 1, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_cond_ge_matches_from_the_value)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_cond("SCMP_CMP_GE", NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID - 1, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_cond_gt_matches_above_only)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_cond("SCMP_CMP_GT", NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID + 1, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_cond_gt_compares_all_64_bits)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* 2^32 + 1 > NO_PID as 64 bits; its low half (1, init) is not. */
	ASSERT_EQ(0, compile_cond("SCMP_CMP_GT", NO_PID, 0, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, (1UL << 32) | 1, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	seccomp_release(f);
}

TEST(build_cond_masked_eq_takes_mask_from_value_and_expected_from_value_two)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* (arg & 0xff00) == 0x1200 */
	ASSERT_EQ(0, compile_cond("SCMP_CMP_MASKED_EQ", 0xff00, 0x1200, &f, &err)) TH_LOG("%s", err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, 0x0B001234, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, 0x0B001334, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_conditions_on_different_args_are_anded)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0,
		  compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getpriority\"],"
			       " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4001, \"args\": ["
			       "{\"index\": 0, \"value\": 1000000, \"op\": \"SCMP_CMP_EQ\"},"
			       "{\"index\": 1, \"value\": 2000000, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			       NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, 1000000, 2000000, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, 1000000, 2000001, &o));
	EXPECT_EQ(EINVAL, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, 1000001, 2000000, &o));
	EXPECT_EQ(EINVAL, o.err);
	seccomp_release(f);
}

TEST(build_conditions_on_same_arg_are_split_and_ored)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* ANDed, arg0 == A && arg0 == B never holds; runc makes two rules. */
	ASSERT_EQ(0, compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getpgid\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4001, \"args\": ["
				  "{\"index\": 0, \"value\": 200000000, \"op\": \"SCMP_CMP_EQ\"},"
				  "{\"index\": 0, \"value\": 200000005, \"op\": \"SCMP_CMP_EQ\"}]}]}",
				  NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID + 5, 0, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID + 1, 0, &o));
	EXPECT_EQ(ESRCH, o.err);
	seccomp_release(f);
}

TEST(build_split_rule_ors_every_condition_even_on_other_args)
{
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	/* runc's old behaviour splits all conditions, not just the repeated
	 * ones: arg1 == 2000000 alone is enough. */
	ASSERT_EQ(0,
		  compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getpriority\"],"
			       " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4001, \"args\": ["
			       "{\"index\": 0, \"value\": 1000000, \"op\": \"SCMP_CMP_EQ\"},"
			       "{\"index\": 0, \"value\": 1000001, \"op\": \"SCMP_CMP_EQ\"},"
			       "{\"index\": 1, \"value\": 2000000, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			       NULL, &f, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, 1000002, 2000000, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, 1000001, 5, &o));
	EXPECT_EQ(RULE_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, 1000002, 2000001, &o));
	EXPECT_EQ(EINVAL, o.err);
	seccomp_release(f);
}

/* ---- errno override (the verdict code's sentinel) --------------------- */

static const char mixed_errnos[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 5, \"syscalls\": [" ALLOW_EXIT ","
	"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
	"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\"},"
	"{\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";

TEST(build_errno_override_replaces_rule_and_default_errnos)
{
	struct build_opts opts = { .errno_override = SENTINEL_ERRNO };
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json(mixed_errnos, &opts, &f, &err)) TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o)); /* errnoRet 38 */
	EXPECT_EQ(SENTINEL_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o)); /* EPERM */
	EXPECT_EQ(SENTINEL_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getsid, 0, 0, &o)); /* the default, 5 */
	EXPECT_EQ(SENTINEL_ERRNO, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpriority, BAD_WHICH, 0, &o)); /* allowed */
	EXPECT_EQ(EINVAL, o.err);
	seccomp_release(f);
}

TEST(build_without_override_keeps_each_errno)
{
	struct build_opts opts = { .errno_override = -1 };
	scmp_filter_ctx f;
	struct profile_error err;
	struct outcome o;

	ASSERT_EQ(0, compile_json(mixed_errnos, &opts, &f, &err)) TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, run_filtered(f, SYS_getppid, 0, 0, &o));
	EXPECT_EQ(ENOSYS, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getpgid, NO_PID, 0, &o));
	EXPECT_EQ(EPERM, o.err);
	ASSERT_EQ(0, run_filtered(f, SYS_getsid, 0, 0, &o));
	EXPECT_EQ(EIO, o.err);
	seccomp_release(f);
}

/* ---- Docker's default, loaded ---------------------------------------- */

FIXTURE(docker_default_filter)
{
	scmp_filter_ctx filter;
};

FIXTURE_SETUP(docker_default_filter)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, profile_parse(DOCKER_DEFAULT_PROFILE, &p, &err)) TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(0, compile_profile(&p, caps_docker_default(), NULL, &self->filter, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	profile_free(&p);
}

FIXTURE_TEARDOWN(docker_default_filter)
{
	if (self->filter)
		seccomp_release(self->filter);
}

TEST_F(docker_default_filter, allows_getppid)
{
	struct outcome o;

	ASSERT_EQ(0, run_filtered(self->filter, SYS_getppid, 0, 0, &o));
	EXPECT_TRUE(o.loaded);
	EXPECT_EQ(getpid(), o.ret);
}

TEST_F(docker_default_filter, denies_reboot_with_eperm)
{
	struct outcome o;

	/* Bad magic: unconfined, root gets EINVAL (EPERM without CAP_SYS_BOOT,
	 * which would prove nothing about the filter). */
	ASSERT_EQ(0, run_filtered(NULL, SYS_reboot, 0, 0, &o));
	if (o.err == EPERM)
		SKIP(return, "unconfined reboot already gives EPERM: run as root");
	ASSERT_EQ(EINVAL, o.err);
	ASSERT_EQ(0, run_filtered(self->filter, SYS_reboot, 0, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(EPERM, o.err);
}

TEST_F(docker_default_filter, answers_clone3_with_enosys)
{
	struct outcome o;

	/* clone3(NULL, 0): the kernel refuses a size below CLONE_ARGS_SIZE_VER0
	 * with EINVAL before creating anything. */
	ASSERT_EQ(0, run_filtered(self->filter, SYS_clone3, 0, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(ENOSYS, o.err);
}

TEST_F(docker_default_filter, denies_clone_with_namespace_flag)
{
	struct outcome o;

	/* CLONE_NEWNS|CLONE_FS: the kernel refuses the pair with EINVAL. */
	ASSERT_EQ(0, run_filtered(NULL, SYS_clone, 0x00020000 | 0x00000200, 0, &o));
	ASSERT_EQ(EINVAL, o.err);
	ASSERT_EQ(0, run_filtered(self->filter, SYS_clone, 0x00020000 | 0x00000200, 0, &o));
	EXPECT_EQ(-1, o.ret);
	EXPECT_EQ(EPERM, o.err);
}

TEST_HARNESS_MAIN
