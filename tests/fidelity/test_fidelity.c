/* test_fidelity: the pieces of dockerd's reading the suite models, one
 * behaviour a test, each stated from moby's, Go's or runc's code (the
 * differential test, tests/fidelity.test.sh, checks the same against that
 * code itself on random profiles):
 *   - Go's encoding/json: folded keys, merged duplicates, null;
 *   - setupSeccomp: minKernel "", rules that do not apply are not read;
 *   - the engines' capability sets;
 *   - libseccomp 2.5.4's gaps: names it does not know are skipped as runc
 *     skips them, and listed for lint.
 */
#define _GNU_SOURCE
#include "caps.h"
#include "policy.h"
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kselftest_harness.h"

/* The harness compares through __typeof__: enum constants against enum
 * fields, as tests/test_profile.c does. */
#pragma GCC diagnostic ignored "-Wsign-compare"

static int parse(const char *json, enum profile_engine engine, struct profile *p, struct profile_error *err)
{
	return profile_parse_string_engine(json, "test.json", engine, p, err);
}

/* Resolved for amd64, kernel 6.1, the given capabilities. */
static int resolve(const char *json, enum profile_engine engine, uint64_t caps, struct profile *out,
		   struct profile_error *err)
{
	struct profile p;
	struct resolve_ctx ctx = { .arch = SCMP_ARCH_X86_64, .caps = caps, .kernel = { 6, 1 } };
	int rc = parse(json, engine, &p, err);

	memset(out, 0, sizeof(*out));
	if (rc == 0)
		rc = profile_resolve(&p, &ctx, out, err);
	profile_free(&p);
	return rc;
}

static bool names_hold(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			if (strcmp(p->rules[i].names[j], name) == 0)
				return true;
	return false;
}

TEST(go_matches_keys_by_unicode_case_folding)
{
	struct profile p;
	struct profile_error err;

	/* U+017F (ſ) folds to s, U+212A (Kelvin sign) to k. */
	ASSERT_EQ(0, parse("{\"DEFAULTACTION\": \"SCMP_ACT_ALLOW\", \"\xc5\xbfyscalls\": [{\"names\": [\"mount\"],"
			   " \"action\": \"SCMP_ACT_ERRNO\", \"excludes\": {\"min\xe2\x84\xaa"
			   "ernel\": \"5.4\"}}]}",
			   ENGINE_DOCKER_20_10, &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(1u, p.n_rules);
	EXPECT_EQ(ACTION_ALLOW, p.default_action);
	EXPECT_TRUE(p.rules[0].excludes.has_min_kernel);
	EXPECT_EQ(5u, p.rules[0].excludes.min_kernel.major);
	profile_free(&p);
}

TEST(go_merges_a_duplicated_object_into_the_first)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(0, parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\"],"
			   " \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]},"
			   " \"includes\": {\"arches\": [\"amd64\"]}}]}",
			   ENGINE_DOCKER_20_10, &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ(1u, p.rules[0].includes.n_caps);
	EXPECT_EQ(1u, p.rules[0].includes.n_arches);
	profile_free(&p);
}

TEST(go_decodes_a_duplicated_array_into_the_elements_already_there)
{
	struct profile p;
	struct profile_error err;

	/* The second "syscalls" decodes {"action": TRAP} into rule 0 (keeping
	 * its names and errnoRet) and cuts the list to one rule. */
	ASSERT_EQ(
		0,
		parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\"],"
		      " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}, {\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_KILL\"}],"
		      " \"syscalls\": [{\"action\": \"SCMP_ACT_TRAP\"}]}",
		      ENGINE_DOCKER_20_10, &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	ASSERT_EQ(1u, p.n_rules);
	EXPECT_EQ(ACTION_TRAP, p.rules[0].action);
	EXPECT_STREQ("mount", p.rules[0].names[0]);
	EXPECT_TRUE(p.rules[0].has_errno_ret);
	profile_free(&p);
}

TEST(go_null_after_a_string_keeps_it_and_after_a_pointer_drops_it)
{
	struct profile p;
	struct profile_error err;

	ASSERT_EQ(
		0,
		parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultAction\": null, \"syscalls\": [{\"names\": [\"mount\"],"
		      " \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 3, \"errnoRet\": null}]}",
		      ENGINE_DOCKER_20_10, &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_FALSE(p.disabled);
	EXPECT_EQ(ACTION_ERRNO, p.default_action);
	EXPECT_FALSE(p.rules[0].has_errno_ret);
	profile_free(&p);
}

TEST(go_refuses_minus_zero_for_a_uint)
{
	struct profile p;
	struct profile_error err;

	EXPECT_EQ(-1, parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\"],"
			    " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": -0}]}",
			    ENGINE_DOCKER_20_10, &p, &err));
	EXPECT_STREQ("syscalls[0].errnoRet", err.path);
	profile_free(&p);
}

TEST(docker_20_10_never_reads_the_oci_fields)
{
	struct profile p;
	struct profile_error err;
	const char *json = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
			   " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"listenerPath\": \"/run/a.sock\"}";

	ASSERT_EQ(0, parse(json, ENGINE_DOCKER_20_10, &p, &err)) TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_FALSE(p.has_default_errno_ret);
	EXPECT_EQ(0u, p.n_flag_names);
	EXPECT_TRUE(p.listener_path == NULL);
	profile_free(&p);
	ASSERT_EQ(0, parse(json, ENGINE_DOCKER_26, &p, &err)) TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ(38u, p.default_errno_ret);
	EXPECT_EQ(1u, p.n_flag_names);
	EXPECT_STREQ("/run/a.sock", p.listener_path);
	profile_free(&p);
	/* ... nor their types: 20.10 skips what it has no field for. */
	EXPECT_EQ(0, parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": 7}", ENGINE_DOCKER_20_10, &p, &err));
	profile_free(&p);
	EXPECT_EQ(-1, parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": 7}", ENGINE_DOCKER_26, &p, &err));
	profile_free(&p);
}

TEST(min_kernel_empty_is_reached_by_every_kernel)
{
	struct profile r;
	struct profile_error err;

	ASSERT_EQ(
		0,
		resolve("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\"],"
			" \"action\": \"SCMP_ACT_ERRNO\", \"excludes\": {\"minKernel\": \"\"}},"
			" {\"names\": [\"umount2\"], \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"minKernel\": \"\"}}]}",
			ENGINE_DOCKER_20_10, caps_docker_default(), &r, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_FALSE(names_hold(&r, "mount"));
	EXPECT_TRUE(names_hold(&r, "umount2"));
	profile_free(&r);
}

TEST(errno_ret_is_passed_on_whatever_the_action)
{
	struct profile r;
	struct profile_error err;

	ASSERT_EQ(0, resolve("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
			     " \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 5000}]}",
			     ENGINE_DOCKER_20_10, caps_docker_default(), &r, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_TRUE(r.rules[0].has_errno_ret);
	EXPECT_EQ(UINT64_C(5000), r.rules[0].errno_ret_value);
	profile_free(&r);
}

TEST(a_rule_that_does_not_apply_is_not_read)
{
	struct profile r;
	struct profile_error err;
	const char *json =
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"name\": \"mount\", \"names\": [\"umount2\"], \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"arches\": [\"arm64\"]}},"
		"{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_NOPE\"}],"
		" \"excludes\": {\"caps\": [\"CAP_CHOWN\"]}}]}";

	/* Under docker-default (CAP_CHOWN) neither rule applies. */
	EXPECT_EQ(0, resolve(json, ENGINE_DOCKER_20_10, caps_docker_default(), &r, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	profile_free(&r);
	/* Without CAP_CHOWN the second applies: runc refuses its operator. */
	EXPECT_EQ(-1, resolve(json, ENGINE_DOCKER_20_10, 0, &r, &err));
	EXPECT_STREQ("syscalls[1].args[0].op", err.path);
	profile_free(&r);
	/* moby 26 refuses "name" with "names" in any rule. */
	EXPECT_EQ(-1, resolve(json, ENGINE_DOCKER_26, caps_docker_default(), &r, &err));
	EXPECT_STREQ("syscalls[0]", err.path);
	profile_free(&r);
}

TEST(docker_20_10_knows_capabilities_up_to_audit_read)
{
	uint64_t set;
	char err[256];

	ASSERT_EQ(0, caps_parse_engine("all", ENGINE_DOCKER_20_10, NULL, &set, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(38, __builtin_popcountll(set));
	EXPECT_EQ(-1, caps_parse_engine("docker-default,BPF", ENGINE_DOCKER_20_10, NULL, &set, err, sizeof(err)));
	EXPECT_EQ(-1, caps_parse_engine("docker-default,-PERFMON", ENGINE_DOCKER_20_10, NULL, &set, err, sizeof(err)));
}

TEST(docker_26_gives_what_the_kernel_has)
{
	struct kernel_version k57 = { 5, 7 }, k59 = { 5, 9 };
	uint64_t set;
	char err[256];

	ASSERT_EQ(0, caps_parse_engine("all", ENGINE_DOCKER_26, &k57, &set, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(UINT64_C(0), set & (UINT64_C(1) << cap_from_name("CAP_BPF")));
	EXPECT_EQ(-1, caps_parse_engine("docker-default,BPF", ENGINE_DOCKER_26, &k57, &set, err, sizeof(err)));
	if (prctl(PR_CAPBSET_READ, cap_from_name("CAP_CHECKPOINT_RESTORE"), 0, 0, 0) != 1)
		SKIP(return, "this process's bounding set lacks CAP_CHECKPOINT_RESTORE");
	ASSERT_EQ(0, caps_parse_engine("docker-default,CHECKPOINT_RESTORE", ENGINE_DOCKER_26, &k59, &set, err,
				       sizeof(err)))
	TH_LOG("%s", err);
}

struct gaps {
	char paths[32][PROFILE_PATH_MAX + 32];
	size_t n;
};

static void on_gap(void *data, const char *class, const char *path, const char *name, const char *why)
{
	struct gaps *g = data;
	(void)class, (void)name, (void)why;
	if (g->n < 32)
		snprintf(g->paths[g->n++], sizeof(g->paths[0]), "%s", path);
}

/* The names the issue lists as newer than Debian 12's libseccomp 2.5.4,
 * after futex_requeue (456), the newest it knows. */
#define NEWER_NAMES                                                                                           \
	"\"statmount\", \"listmount\", \"lsm_get_self_attr\", \"lsm_set_self_attr\", \"lsm_list_modules\","   \
	" \"mseal\", \"setxattrat\", \"getxattrat\", \"listxattrat\", \"removexattrat\", \"open_tree_attr\"," \
	" \"file_getattr\", \"file_setattr\", \"uretprobe\""

TEST(lint_lists_every_name_libseccomp_does_not_know)
{
	struct profile p;
	struct profile_error err;
	struct gaps g = { .n = 0 };

	/* The names counted here are the ones Debian 12's 2.5.4 does not know. */
	if (seccomp_version()->major > 2 || seccomp_version()->minor >= 6)
		SKIP(return, "libseccomp %u.%u knows more names than 2.5", seccomp_version()->major,
			   seccomp_version()->minor);

	ASSERT_EQ(
		0,
		parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"futex_requeue\", " NEWER_NAMES
		      "], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		      ENGINE_DOCKER_26, &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ((size_t)14, profile_libseccomp_gaps(&p, on_gap, &g));
	EXPECT_STREQ("syscalls[0].names[2]", g.paths[0]);
	EXPECT_STREQ("syscalls[0].names[15]", g.paths[13]);
	profile_free(&p);
}

TEST(lint_lists_architectures_and_flags_libseccomp_cannot_build)
{
	struct profile p;
	struct profile_error err;
	struct gaps g = { .n = 0 };

	if (seccomp_version()->major > 2 || seccomp_version()->minor >= 6)
		SKIP(return, "libseccomp %u.%u knows loongarch64 and WAIT_KILLABLE_RECV", seccomp_version()->major,
			   seccomp_version()->minor);
	ASSERT_EQ(
		0,
		parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_LOONGARCH64\"],"
		      " \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}",
		      ENGINE_DOCKER_26, &p, &err))
	TH_LOG("%s: %s", err.path, err.reason);
	EXPECT_EQ((size_t)2, profile_libseccomp_gaps(&p, on_gap, &g));
	EXPECT_STREQ("architectures[1]", g.paths[0]);
	EXPECT_STREQ("flags", g.paths[1]);
	profile_free(&p);
}

TEST(names_libseccomp_does_not_know_are_skipped_as_runc_skips_them)
{
	/* The names counted here are the ones Debian 12's 2.5.4 does not know. */
	if (seccomp_version()->major > 2 || seccomp_version()->minor >= 6)
		SKIP(return, "libseccomp %u.%u knows more names than 2.5", seccomp_version()->major,
			   seccomp_version()->minor);
	char with[] = "/tmp/test_fidelity_with.XXXXXX", without[] = "/tmp/test_fidelity_without.XXXXXX";
	int fd_with = mkstemp(with), fd_without = mkstemp(without);
	struct policy_opts opts = { .engine = "docker-26", .caps = "docker-default", .prog_name = "test_fidelity" };
	struct policy a, b;
	char err[1024];

	ASSERT_TRUE(fd_with >= 0 && fd_without >= 0);
	dprintf(fd_with, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\", " NEWER_NAMES
			 "], \"action\": \"SCMP_ACT_ERRNO\"}]}");
	dprintf(fd_without, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\"],"
			    " \"action\": \"SCMP_ACT_ERRNO\"}]}");
	close(fd_with);
	close(fd_without);
	ASSERT_EQ(0, policy_load(with, &opts, &a, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, policy_load(without, &opts, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(b.prog.len, a.prog.len);
	EXPECT_EQ(0, memcmp(a.prog.filter, b.prog.filter, a.prog.len * sizeof(*a.prog.filter)));
	policy_free(&a);
	policy_free(&b);
	unlink(with);
	unlink(without);
}

TEST_HARNESS_MAIN
