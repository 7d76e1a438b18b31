/* test_verdict: what the verdict code concludes from real runs under real
 * filters.  Each test writes a small profile, loads it with policy_load()
 * and runs a probe written here, with arguments the kernel refuses. */
#define _GNU_SOURCE
#include "policy.h"
#include "probe.h"
#include "verdict.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

static long mount_run(void)
{
	return syscall(__NR_mount, PROBE_IMPOSSIBLE_PATH, PROBE_IMPOSSIBLE_PATH, "none", 0UL, NULL);
}

/* acct with a path that cannot exist: without CAP_SYS_PACCT the kernel
 * answers EPERM itself, before looking at the path. */
static long acct_run(void)
{
	return syscall(__NR_acct, PROBE_IMPOSSIBLE_PATH);
}

static long getpid_run(void)
{
	return syscall(__NR_getpid);
}

/* Never returns by itself: the runner's timeout must end it. */
static long pause_run(void)
{
	return syscall(__NR_pause);
}

static long exit_group_run(void)
{
	return syscall(__NR_exit_group, PROBE_EXIT_STATUS);
}

static int failing_prepare(void)
{
	errno = EIO;
	return -1;
}

static const struct probe probe_mount = { .syscall = "mount", .nr = __NR_mount, .run = mount_run };
static const struct probe probe_acct = { .syscall = "acct", .nr = __NR_acct, .run = acct_run };
static const struct probe probe_getpid = { .syscall = "getpid", .nr = __NR_getpid, .run = getpid_run };
static const struct probe probe_pause = { .syscall = "pause", .nr = __NR_pause, .run = pause_run };
static const struct probe probe_exit_group = {
	.syscall = "exit_group", .nr = __NR_exit_group, .run = exit_group_run, .flags = PROBE_EXITS
};
static const struct probe probe_absent = { .syscall = "nosuchcall", .nr = PROBE_ABSENT_NR };
static const struct probe probe_bad_setup = {
	.syscall = "getpid", .nr = __NR_getpid, .prepare = failing_prepare, .run = getpid_run
};

/* Loads the profile text under the capability set; 0 or -1. */
static int load(const char *json, const char *caps, struct policy *pol)
{
	char path[] = "/tmp/seccomp-suite-test-XXXXXX";
	char err[1024];
	int fd = mkstemp(path);
	struct policy_opts opts = { .caps = caps };
	int rc;

	if (fd < 0)
		return -1;
	if (write(fd, json, strlen(json)) != (ssize_t)strlen(json)) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	rc = policy_load(path, &opts, pol, err, sizeof(err));
	if (rc)
		fprintf(stderr, "# %s\n", err);
	unlink(path);
	return rc;
}

#define MOUNT_RULE(action, extra)                                                                                    \
	"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mount\"],\"action\":\"" action "\"" extra \
	"}]}"

TEST(errno_from_the_filter_is_proven_by_the_sentinel)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ERRNO), verdict_name(v.verdict));
	EXPECT_STREQ("filter", v.by);
	EXPECT_EQ(EPERM, v.err);
	EXPECT_TRUE(v.sentinel_checked);
	policy_free(&pol);
}

TEST(kernel_eperm_is_not_blamed_on_a_filter_that_returns_eperm)
{
	struct policy pol;
	struct verdict_result v;

	/* The filter returns EPERM for mount only; acct reaches the kernel,
	 * which refuses it with EPERM for lack of CAP_SYS_PACCT. */
	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "none", &pol));
	verdict_of(&probe_acct, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	EXPECT_STREQ("kernel", v.by);
	EXPECT_EQ(EPERM, v.err);
	EXPECT_TRUE(v.sentinel_checked);
	policy_free(&pol);
}

TEST(errno_ret_zero_makes_the_call_return_zero_and_is_still_the_filter)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ",\"errnoRet\":0"), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ERRNO), verdict_name(v.verdict));
	EXPECT_STREQ("filter", v.by);
	EXPECT_EQ(0, v.ret);
	policy_free(&pol);
}

TEST(result_the_filter_cannot_give_needs_no_rerun)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "all", &pol));
	verdict_of(&probe_acct, &pol, 5000, &v); /* ENOTDIR: not an errno of this filter */
	EXPECT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	EXPECT_STREQ("kernel", v.by);
	EXPECT_EQ(ENOTDIR, v.err);
	EXPECT_FALSE(v.sentinel_checked);
	policy_free(&pol);
}

TEST(kill_process_is_killed)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_KILL_PROCESS", ""), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_KILLED), verdict_name(v.verdict));
	EXPECT_STREQ("filter", v.by);
	policy_free(&pol);
}

TEST(kill_thread_is_killed)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_KILL", ""), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_KILLED), verdict_name(v.verdict));
	policy_free(&pol);
}

/* SCMP_ACT_KILL is SECCOMP_RET_KILL_THREAD (libseccomp and Docker): only
 * the thread that makes the call dies.  A child loads the filter, starts a
 * second thread that calls mount, and reports from its first thread:
 * exit 0 when it saw that thread end without returning from the call, exit
 * 2 when the call returned.  A filter that killed the whole process leaves
 * nobody to report: the child dies of SIGSYS. */
static void *mount_in_a_thread(void *unused)
{
	(void)unused;
	mount_run();
	return (void *)1; /* the call returned: not killed */
}

static int status_of_threaded_child(const struct policy *pol)
{
	int status = -1;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		pthread_t t;
		void *ret = NULL;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, pol->load_flags, &pol->prog))
			_exit(3);
		if (pthread_create(&t, NULL, mount_in_a_thread, NULL))
			_exit(4);
		if (pthread_join(t, &ret))
			_exit(5);
		_exit(ret == (void *)1 ? 2 : 0);
	}
	for (int waited = 0; waited < 5000; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

TEST(kill_ends_only_the_calling_thread)
{
	struct policy pol;
	int status;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_KILL", ""), "all", &pol));
	status = status_of_threaded_child(&pol);
	EXPECT_TRUE(WIFEXITED(status))
	TH_LOG("the process died (status %#x): SCMP_ACT_KILL must kill the thread only", status);
	EXPECT_EQ(0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	policy_free(&pol);
}

TEST(kill_thread_ends_only_the_calling_thread)
{
	struct policy pol;
	int status;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_KILL_THREAD", ""), "all", &pol));
	status = status_of_threaded_child(&pol);
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("the process died (status %#x)", status);
	EXPECT_EQ(0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	policy_free(&pol);
}

TEST(kill_process_ends_every_thread)
{
	struct policy pol;
	int status;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_KILL_PROCESS", ""), "all", &pol));
	status = status_of_threaded_child(&pol);
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("status %#x: the first thread lived on", status);
	EXPECT_EQ(SIGSYS, WIFSIGNALED(status) ? WTERMSIG(status) : -1);
	policy_free(&pol);
}

TEST(trap_reaches_the_handler)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_TRAP", ""), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_TRAPPED), verdict_name(v.verdict));
	EXPECT_STREQ("filter", v.by);
	policy_free(&pol);
}

TEST(trace_is_seen_by_the_tracer_with_its_data)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_TRACE", ",\"errnoRet\":42"), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_TRACED), verdict_name(v.verdict));
	EXPECT_EQ(42, v.data);
	policy_free(&pol);
}

TEST(notify_reaches_the_supervisor)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_NOTIFY", ""), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_NOTIFIED), verdict_name(v.verdict));
	EXPECT_STREQ("filter", v.by);
	policy_free(&pol);
}

TEST(log_lets_the_call_reach_the_kernel)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_LOG", ""), "all", &pol));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	EXPECT_EQ(ENOTDIR, v.err);
	policy_free(&pol);
}

TEST(a_profile_denying_exit_and_futex_is_still_probed)
{
	struct policy pol;
	struct verdict_result v;

	/* Nothing but getpid: the child cannot wake the parent nor exit. */
	ASSERT_EQ(
		0,
		load("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		     "all", &pol));
	verdict_of(&probe_getpid, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	EXPECT_GT(v.ret, 0);
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ERRNO), verdict_name(v.verdict));
	EXPECT_EQ(EPERM, v.err);
	policy_free(&pol);
}

TEST(a_kill_after_the_call_does_not_hide_its_result)
{
	struct policy pol;
	struct verdict_result v;

	/* getpid allowed, then the child dies of SIGSYS at futex/exit_group. */
	ASSERT_EQ(
		0,
		load("{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		     "all", &pol));
	verdict_of(&probe_getpid, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	policy_free(&pol);
}

TEST(a_trap_after_the_call_does_not_replace_its_result)
{
	struct policy pol;
	struct verdict_result v;

	/* Default TRAP: getpid returns, then futex and exit_group trap. */
	ASSERT_EQ(
		0,
		load("{\"defaultAction\":\"SCMP_ACT_TRAP\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		     "all", &pol));
	verdict_of(&probe_getpid, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	verdict_of(&probe_mount, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_TRAPPED), verdict_name(v.verdict));
	policy_free(&pol);
}

TEST(a_notification_after_the_call_is_not_the_verdict)
{
	struct policy pol;
	struct verdict_result v;

	/* Default NOTIFY: getpid returns; the child's later calls are notified
	 * and answered, but the verdict is getpid's. */
	ASSERT_EQ(
		0,
		load("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		     "{\"names\":[\"futex\",\"exit_group\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
		     "all", &pol));
	for (int i = 0; i < 20; i++) {
		verdict_of(&probe_getpid, &pol, 5000, &v);
		ASSERT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	}
	policy_free(&pol);
}

TEST(exit_group_that_runs_is_allowed)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "all", &pol));
	verdict_of(&probe_exit_group, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ALLOWED), verdict_name(v.verdict));
	EXPECT_EQ(0, v.ret);
	policy_free(&pol);
}

TEST(absent_syscall_runs_nothing)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "all", &pol));
	verdict_of(&probe_absent, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ABSENT), verdict_name(v.verdict));
	policy_free(&pol);
}

TEST(failed_setup_is_an_error_not_a_verdict)
{
	struct policy pol;
	struct verdict_result v;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "all", &pol));
	verdict_of(&probe_bad_setup, &pol, 5000, &v);
	EXPECT_STREQ(verdict_name(VERDICT_ERROR), verdict_name(v.verdict));
	EXPECT_NE(NULL, strstr(v.reason, "set-up"));
	policy_free(&pol);
}

TEST(hanging_probe_times_out_and_leaves_no_child)
{
	struct policy pol;
	struct verdict_result v;
	struct timespec t0, t1;

	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "all", &pol));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	verdict_of(&probe_pause, &pol, 300, &v);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_STREQ(verdict_name(VERDICT_ERROR), verdict_name(v.verdict));
	EXPECT_NE(NULL, strstr(v.reason, "timeout"));
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_GE(ms, 300);
	EXPECT_LT(ms, 3000);
	/* Reaped: no child of ours, zombie or alive. */
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG));
	EXPECT_EQ(ECHILD, errno);
	policy_free(&pol);
}

TEST(capability_set_is_held_by_the_child)
{
	struct policy pol;
	struct verdict_result v;

	/* acct passes the filter; the kernel's answer shows the child's caps:
	 * with CAP_SYS_PACCT the path is looked at (ENOTDIR), without it EPERM. */
	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "CAP_SYS_PACCT", &pol));
	verdict_of(&probe_acct, &pol, 5000, &v);
	EXPECT_EQ(ENOTDIR, v.err);
	policy_free(&pol);
	ASSERT_EQ(0, load(MOUNT_RULE("SCMP_ACT_ERRNO", ""), "docker-default", &pol));
	verdict_of(&probe_acct, &pol, 5000, &v);
	EXPECT_EQ(EPERM, v.err);
	EXPECT_STREQ("kernel", v.by);
	policy_free(&pol);
}

TEST_HARNESS_MAIN
