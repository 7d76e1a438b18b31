/* test_expect: the cases format (lib/expect.c): conditions, first match,
 * judging.  Answers worked out by hand from the format's definition. */
#define _GNU_SOURCE
#include "caps.h"
#include "expect.h"
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

static struct expect_env env_for(const char *abi, const char *kernel, const char *caps)
{
	struct expect_env env = { .abi = abi,
				  .arch = strcmp(abi, "aarch64") ? "x86_64" : "aarch64",
				  .backend = "native" };
	char err[256];

	kernel_version_parse(kernel, &env.kernel);
	if (caps_parse(caps, &env.caps, err, sizeof(err)))
		abort();
	return env;
}

/* Writes text to a temporary .cases file, removing the previous one;
 * returns its path (static).  set_file(NULL) only removes. */
static const char *set_file(const char *text)
{
	static char path[64];
	int fd;

	if (path[0])
		unlink(path);
	path[0] = '\0';
	if (!text)
		return NULL;
	strcpy(path, "/tmp/test_expect_XXXXXX.cases");
	fd = mkstemps(path, 6);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

TEST(conditions)
{
	struct expect_env env = env_for("i386", "6.1.0-13-amd64", "docker-default,CAP_SYS_ADMIN");
	char unmet[256];

	EXPECT_EQ(1, expect_condition_holds("-", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(1, expect_condition_holds("abi=x86_64,i386", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(0, expect_condition_holds("abi=aarch64", &env, unmet, sizeof(unmet)));
	EXPECT_STREQ("abi=aarch64 (this ABI is i386)", unmet);
	EXPECT_EQ(1, expect_condition_holds("arch=x86_64", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(1, expect_condition_holds("kernel>=6.1", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(0, expect_condition_holds("kernel>=6.2", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(1, expect_condition_holds("kernel<6.12", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(0, expect_condition_holds("kernel<6.1", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(1, expect_condition_holds("caps+CAP_SYS_ADMIN", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(1, expect_condition_holds("caps-CAP_SYSLOG", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(0, expect_condition_holds("caps+CAP_SYS_ADMIN&kernel<5.3", &env, unmet, sizeof(unmet)));
	EXPECT_STREQ("kernel<5.3 (this kernel is 6.1)", unmet);
	EXPECT_EQ(1, expect_condition_holds("backend=native,docker", &env, unmet, sizeof(unmet)));
	/* A typo is an error even behind a term that fails first. */
	EXPECT_EQ(-1, expect_condition_holds("abi=aarch64&kernal>=5.1", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(-1, expect_condition_holds("caps+CAP_NOT_A_CAP", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(-1, expect_condition_holds("kernel>=six", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(-1, expect_condition_holds("abi=x86", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(-1, expect_condition_holds("backend=lxc", &env, unmet, sizeof(unmet)));
	EXPECT_EQ(-1, expect_condition_holds("abi=i386&", &env, unmet, sizeof(unmet)));
}

TEST(first_matching_line_wins_and_wildcards_come_last)
{
	struct expect_set set;
	char err[512], unmet[512];
	const struct expect_line *l;
	struct expect_env old = env_for("x86_64", "5.2", "docker-default,CAP_SYS_ADMIN");
	struct expect_env new = env_for("x86_64", "6.18", "docker-default,CAP_SYS_ADMIN");
	struct expect_env plain = env_for("x86_64", "6.18", "docker-default");

	ASSERT_EQ(0, expect_set_load(set_file("profile docker-default\ncaps docker-default\n"
					      "clone3 allowed ENOSYS caps+CAP_SYS_ADMIN&kernel<5.3 # added in 5.3\n"
					      "clone3 allowed - caps+CAP_SYS_ADMIN\n"
					      "clone3 errno ENOSYS -\n"
					      "* errno EPERM -\n"),
				     &set, err, sizeof(err)))
	TH_LOG("%s", err);
	l = expect_find(&set, "clone3", &old, unmet, sizeof(unmet));
	ASSERT_NE(NULL, l);
	EXPECT_STREQ("ENOSYS", l->errno_spec);
	EXPECT_STREQ("allowed", l->verdict);
	EXPECT_STREQ("added in 5.3", l->why);
	EXPECT_EQ(3, l->lineno);
	l = expect_find(&set, "clone3", &new, unmet, sizeof(unmet));
	ASSERT_NE(NULL, l);
	EXPECT_STREQ("-", l->errno_spec);
	l = expect_find(&set, "clone3", &plain, unmet, sizeof(unmet));
	ASSERT_NE(NULL, l);
	EXPECT_STREQ("errno", l->verdict);
	l = expect_find(&set, "mount", &plain, unmet, sizeof(unmet));
	ASSERT_NE(NULL, l);
	EXPECT_STREQ("*", l->probe);
	EXPECT_STREQ("docker-default", set.profile);
	expect_set_free(&set);
	set_file(NULL);
}

TEST(no_applicable_line_says_why)
{
	struct expect_set set;
	char err[512], unmet[512];
	struct expect_env env = env_for("x86_64", "6.18", "docker-default");

	ASSERT_EQ(0, expect_set_load(set_file("profile unconfined\ncaps all\nstime absent - abi=aarch64\n"), &set, err,
				     sizeof(err)));
	EXPECT_EQ(NULL, expect_find(&set, "stime", &env, unmet, sizeof(unmet)));
	EXPECT_STREQ("no line applies: abi=aarch64 (this ABI is x86_64)", unmet);
	EXPECT_TRUE(expect_mentions(&set, "stime"));
	EXPECT_EQ(NULL, expect_find(&set, "mount", &env, unmet, sizeof(unmet)));
	EXPECT_FALSE(expect_mentions(&set, "mount"));
	expect_set_free(&set);
	set_file(NULL);
}

TEST(bad_sets_name_file_and_line)
{
	struct expect_set set;
	char err[512];

	EXPECT_EQ(-1, expect_set_load(set_file("profile x\ncaps docker-default\nmount denied EPERM\n"), &set, err,
				      sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":3: 'denied' is not a verdict"));
	EXPECT_EQ(-1, expect_set_load(set_file("profile x\ncaps docker-default\nmount errno EPREM\n"), &set, err,
				      sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":3: 'EPREM'"));
	EXPECT_EQ(-1,
		  expect_set_load(set_file("profile x\ncaps docker-default\nmount errno -\n"), &set, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "an errno verdict needs the errno"));
	EXPECT_EQ(-1, expect_set_load(set_file("profile x\nmount errno EPERM\n"), &set, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "names no capability set"));
	EXPECT_EQ(-1, expect_set_load(set_file("profile x\ncaps CAP_NOPE\n"), &set, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":2: caps:"));
	EXPECT_EQ(-1,
		  expect_set_load(set_file("profile x\ncaps all\ninclude /nonexistent.inc\n"), &set, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "/nonexistent.inc: No such file"));
	set_file(NULL);
}

static struct expect_line line_of(const char *verdict, const char *errno_spec)
{
	struct expect_line l = { .file = "t.cases", .lineno = 1 };

	snprintf(l.probe, sizeof(l.probe), "mount");
	snprintf(l.verdict, sizeof(l.verdict), "%s", verdict);
	snprintf(l.errno_spec, sizeof(l.errno_spec), "%s", errno_spec);
	snprintf(l.condition, sizeof(l.condition), "-");
	return l;
}

static struct observation seen(const char *verdict, const char *errno_name, const char *by)
{
	struct observation o = { 0 };

	snprintf(o.verdict, sizeof(o.verdict), "%s", verdict);
	snprintf(o.errno_name, sizeof(o.errno_name), "%s", errno_name);
	snprintf(o.by, sizeof(o.by), "%s", by);
	return o;
}

TEST(judging)
{
	static const struct probe mount_probe = { .syscall = "mount", .unconfined = "ENOTDIR,ENOENT" };
	const struct expect_env env = env_for("x86_64", "6.18", "all");
	struct expect_line l;
	struct observation o;
	char why[512];

	l = line_of("errno", "EPERM");
	o = seen("errno", "EPERM", "filter");
	EXPECT_TRUE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
	/* The right errno from the kernel is not the filter's doing. */
	o = seen("errno", "EPERM", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
	o = seen("allowed", "ENOTDIR", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
	EXPECT_STREQ("expected errno EPERM by filter, observed allowed ENOTDIR by kernel", why);
	o = seen("errno", "ENOSYS", "filter");
	EXPECT_FALSE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));

	l = line_of("allowed", "-");
	o = seen("allowed", "ENOENT", "kernel");
	EXPECT_TRUE(expect_judge(&l, &o, &mount_probe, &env, why, sizeof(why)));
	o = seen("allowed", "EPERM", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, &mount_probe, &env, why, sizeof(why)));
	EXPECT_STREQ("expected allowed ENOTDIR|ENOENT by kernel, observed allowed EPERM by kernel", why);
	/* No documentation is no pass. */
	o = seen("allowed", "ENOENT", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));

	l = line_of("allowed", "0");
	o = seen("allowed", "", "kernel");
	EXPECT_TRUE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
	l = line_of("allowed", "EINVAL|EPERM");
	o = seen("allowed", "EPERM", "kernel");
	EXPECT_TRUE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
	l = line_of("allowed", "*");
	o = seen("allowed", "EXDEV", "kernel");
	EXPECT_TRUE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));

	/* error is never a pass, whatever was expected. */
	l = line_of("allowed", "*");
	o = seen("error", "", "");
	EXPECT_FALSE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
	/* A killed call returned nothing: "-" asserts no errno of it. */
	l = line_of("killed", "-");
	o = seen("killed", "", "filter");
	EXPECT_TRUE(expect_judge(&l, &o, &mount_probe, &env, why, sizeof(why)));
	o = seen("killed", "", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, &mount_probe, &env, why, sizeof(why)));
	l = line_of("absent", "-");
	o = seen("absent", "", "");
	EXPECT_TRUE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
	o = seen("errno", "EPERM", "filter");
	EXPECT_FALSE(expect_judge(&l, &o, NULL, &env, why, sizeof(why)));
}

/* "-" on a call newer than some kernels (.since): ENOSYS from a kernel
 * older than the call, and only there; from since on, the documented
 * answers.  cachestat arrived in 6.5 and documents EBADF. */
TEST(kernel_answer_follows_since)
{
	static const struct probe cachestat = { .syscall = "cachestat", .unconfined = "EBADF", .since = "6.5" };
	const struct expect_env k6_18 = env_for("x86_64", "6.18.44-foo", "all");
	const struct expect_env k6_5 = env_for("x86_64", "6.5.0", "all");
	const struct expect_env k6_1 = env_for("x86_64", "6.1.0-37-amd64", "all");
	struct expect_line l = line_of("allowed", "-");
	struct observation o;
	char why[512];

	o = seen("allowed", "ENOSYS", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, &cachestat, &k6_18, why, sizeof(why)));
	EXPECT_STREQ(
		"expected allowed EBADF by kernel (kernel 6.18 has cachestat, added in 6.5), observed allowed ENOSYS by kernel",
		why);
	EXPECT_FALSE(expect_judge(&l, &o, &cachestat, &k6_5, why, sizeof(why)));
	EXPECT_TRUE(expect_judge(&l, &o, &cachestat, &k6_1, why, sizeof(why)));
	o = seen("allowed", "EBADF", "kernel");
	EXPECT_TRUE(expect_judge(&l, &o, &cachestat, &k6_18, why, sizeof(why)));
	EXPECT_TRUE(expect_judge(&l, &o, &cachestat, &k6_5, why, sizeof(why)));
	/* A kernel without the call cannot give the call's own answer. */
	EXPECT_FALSE(expect_judge(&l, &o, &cachestat, &k6_1, why, sizeof(why)));
	EXPECT_STREQ(
		"expected allowed ENOSYS by kernel (kernel 6.1 predates cachestat, added in 6.5), observed allowed EBADF by kernel",
		why);
	/* An observation whose kernel is unknown cannot be judged by since. */
	{
		struct expect_env unknown = k6_18;
		unknown.kernel.major = unknown.kernel.minor = 0;
		o = seen("allowed", "EBADF", "kernel");
		EXPECT_FALSE(expect_judge(&l, &o, &cachestat, &unknown, why, sizeof(why)));
	}
	/* A filter's ENOSYS (runc's stub, clone3's errnoRet) is the filter's:
	 * since does not enter into it. */
	l = line_of("errno", "ENOSYS");
	o = seen("errno", "ENOSYS", "filter");
	EXPECT_TRUE(expect_judge(&l, &o, &cachestat, &k6_18, why, sizeof(why)));
}

/* ENOSYS listed in .unconfined: a removed call (plain) or a kernel built
 * without an option ("ENOSYS:CONFIG_X") gives it on any kernel. */
TEST(enosys_documented_per_probe)
{
	static const struct probe keyctl = { .syscall = "keyctl", .unconfined = "EOPNOTSUPP,ENOSYS:CONFIG_KEYS" };
	static const struct probe create_module = { .syscall = "create_module", .unconfined = "ENOSYS" };
	static const struct probe io_uring_setup = { .syscall = "io_uring_setup",
						     .unconfined = "EINVAL,EPERM,ENOSYS:CONFIG_IO_URING",
						     .since = "5.1" };
	static const struct probe clone3 = { .syscall = "clone3", .unconfined = "EINVAL", .since = "5.3" };
	const struct expect_env k6_18 = env_for("x86_64", "6.18", "all");
	const struct expect_env k4_19 = env_for("x86_64", "4.19", "all");
	struct expect_line l = line_of("allowed", "-");
	struct observation o = seen("allowed", "ENOSYS", "kernel");
	char why[512];

	EXPECT_TRUE(expect_judge(&l, &o, &keyctl, &k6_18, why, sizeof(why)));
	EXPECT_TRUE(expect_judge(&l, &o, &create_module, &k6_18, why, sizeof(why)));
	EXPECT_TRUE(expect_judge(&l, &o, &io_uring_setup, &k6_18, why, sizeof(why)));
	EXPECT_TRUE(expect_judge(&l, &o, &io_uring_setup, &k4_19, why, sizeof(why)));
	EXPECT_FALSE(expect_judge(&l, &o, &clone3, &k6_18, why, sizeof(why)));
	EXPECT_TRUE(expect_judge(&l, &o, &clone3, &k4_19, why, sizeof(why)));
	/* The option names the condition; the answer compared is the errno. */
	o = seen("allowed", "CONFIG_KEYS", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, &keyctl, &k6_18, why, sizeof(why)));
	o = seen("allowed", "EPERM", "kernel");
	EXPECT_FALSE(expect_judge(&l, &o, &keyctl, &k6_18, why, sizeof(why)));
	EXPECT_STREQ("expected allowed EOPNOTSUPP|ENOSYS:CONFIG_KEYS by kernel, observed allowed EPERM by kernel", why);
}

TEST_HARNESS_MAIN
