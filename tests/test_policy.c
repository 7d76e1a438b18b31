/* test_policy: the cache behind policy_opts.cache and engine_default
 * (lib/policy.c, suite_cache_get): a filter taken from it is the filter
 * compiled afresh, byte for byte; any change of input misses; an entry
 * that is altered, or that others could have written, is not used; the
 * cache stays within SUITE_CACHE_MAX_ENTRIES; a replaced dockerd is asked
 * again. */
#define _GNU_SOURCE
#include "policy.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define PROFILE(errno_ret)                                                                                            \
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"write\",\"exit_group\"],"         \
	"\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":" errno_ret \
	"}]}"

FIXTURE(cache)
{
	char dir[64];	  /* the cache folder (SECCOMP_SUITE_CACHE) */
	char profile[64]; /* a profile file */
};

FIXTURE_SETUP(cache)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/seccomp-suite-cache-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, setenv("SECCOMP_SUITE_CACHE", self->dir, 1));
	snprintf(self->profile, sizeof(self->profile), "%s.json", self->dir);
}

FIXTURE_TEARDOWN(cache)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", self->dir, self->profile);
	if (system(cmd) != 0)
		TH_LOG("could not remove %s", self->dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The profile loaded with or without the cache; 0 or -1. */
static int load(const char *path, bool cache, struct policy *pol)
{
	struct policy_opts opts = { .caps = "all", .engine = "docker-26", .cache = cache };
	char err[1024];
	int rc = policy_load(path, &opts, pol, err, sizeof(err));
	if (rc)
		fprintf(stderr, "# %s\n", err);
	return rc;
}

static bool same_prog(const struct sock_fprog *a, const struct sock_fprog *b)
{
	return a->len == b->len && a->len > 0 && memcmp(a->filter, b->filter, a->len * sizeof(*a->filter)) == 0;
}

/* The cache's entries of one kind ("bpf-"), and the last one's name. */
static int entries(const char *dir, const char *prefix, char *last, size_t last_size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
			n++;
			if (last)
				snprintf(last, last_size, "%s/%s", dir, e->d_name);
		}
	closedir(d);
	return n;
}

TEST_F(cache, a_cached_filter_is_the_filter_compiled_afresh)
{
	struct policy fresh, first, again;

	write_file(self->profile, PROFILE("1"));
	ASSERT_EQ(0, load(self->profile, false, &fresh));
	EXPECT_EQ(0, entries(self->dir, "bpf-", NULL, 0));
	ASSERT_EQ(0, load(self->profile, true, &first));
	EXPECT_EQ(2, entries(self->dir, "bpf-", NULL, 0)); /* as written, and the sentinel copy */
	ASSERT_EQ(0, load(self->profile, true, &again));
	EXPECT_EQ(2, entries(self->dir, "bpf-", NULL, 0));
	EXPECT_TRUE(same_prog(&fresh.prog, &first.prog));
	EXPECT_TRUE(same_prog(&fresh.prog, &again.prog));
	EXPECT_TRUE(same_prog(&fresh.sentinel, &again.sentinel));
	EXPECT_FALSE(same_prog(&again.prog, &again.sentinel));
	EXPECT_EQ(fresh.load_flags, again.load_flags);
	policy_free(&fresh);
	policy_free(&first);
	policy_free(&again);
}

TEST_F(cache, a_changed_profile_or_capability_set_misses)
{
	struct policy a, b, fresh;
	struct policy_opts opts = { .caps = "none", .engine = "docker-26", .cache = true };
	char err[1024];

	write_file(self->profile, PROFILE("1"));
	ASSERT_EQ(0, load(self->profile, true, &a));
	write_file(self->profile, PROFILE("2"));
	ASSERT_EQ(0, load(self->profile, true, &b));
	ASSERT_EQ(0, load(self->profile, false, &fresh));
	EXPECT_EQ(4, entries(self->dir, "bpf-", NULL, 0));
	EXPECT_FALSE(same_prog(&a.prog, &b.prog));
	EXPECT_TRUE(same_prog(&fresh.prog, &b.prog));
	policy_free(&a);
	policy_free(&b);
	/* Docker's default profile resolves differently without
	 * capabilities: new entries, not the ones above. */
	ASSERT_EQ(0, policy_load("docker-default", &opts, &a, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(6, entries(self->dir, "bpf-", NULL, 0));
	opts.caps = "all";
	ASSERT_EQ(0, policy_load("docker-default", &opts, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(8, entries(self->dir, "bpf-", NULL, 0));
	EXPECT_FALSE(same_prog(&a.prog, &b.prog));
	policy_free(&a);
	policy_free(&b);
	policy_free(&fresh);
}

TEST_F(cache, an_altered_entry_is_not_used)
{
	struct policy fresh, pol;
	char entry[128];
	struct stat st;
	int fd;

	write_file(self->profile, PROFILE("1"));
	ASSERT_EQ(0, load(self->profile, false, &fresh));
	/* Every entry's last byte flipped: both programs must be compiled again. */
	ASSERT_EQ(0, load(self->profile, true, &pol));
	policy_free(&pol);
	DIR *d = opendir(self->dir);
	ASSERT_NE(NULL, d);
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, "bpf-", 4) != 0)
			continue;
		snprintf(entry, sizeof(entry), "%s/%s", self->dir, e->d_name);
		fd = open(entry, O_RDWR);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, fstat(fd, &st));
		unsigned char c;
		ASSERT_EQ(1, pread(fd, &c, 1, st.st_size - 1));
		c ^= 0x01;
		ASSERT_EQ(1, pwrite(fd, &c, 1, st.st_size - 1));
		close(fd);
	}
	closedir(d);
	ASSERT_EQ(0, load(self->profile, true, &pol));
	EXPECT_TRUE(same_prog(&fresh.prog, &pol.prog));
	EXPECT_TRUE(same_prog(&fresh.sentinel, &pol.sentinel));
	policy_free(&pol);
	policy_free(&fresh);
}

TEST_F(cache, an_entry_or_folder_others_can_write_is_not_used)
{
	struct policy pol;
	char entry[128];

	write_file(self->profile, PROFILE("1"));
	ASSERT_EQ(0, load(self->profile, true, &pol));
	policy_free(&pol);
	ASSERT_EQ(2, entries(self->dir, "bpf-", entry, sizeof(entry)));
	/* A group-writable entry: it is not read (its mtime, touched on each
	 * use, stays put) and a correct one replaces it. */
	ASSERT_EQ(0, chmod(entry, 0664));
	ASSERT_EQ(0, load(self->profile, true, &pol));
	policy_free(&pol);
	struct stat st;
	ASSERT_EQ(0, stat(entry, &st));
	EXPECT_EQ(0600u, st.st_mode & 0777u);
	/* A folder others can write to: nothing is read or written there. */
	ASSERT_EQ(0, chmod(self->dir, 0777));
	write_file(self->profile, PROFILE("3"));
	ASSERT_EQ(0, load(self->profile, true, &pol));
	policy_free(&pol);
	EXPECT_EQ(2, entries(self->dir, "bpf-", NULL, 0));
	ASSERT_EQ(0, chmod(self->dir, 0700));
	ASSERT_EQ(0, setenv("SECCOMP_SUITE_CACHE", "off", 1));
	ASSERT_EQ(0, load(self->profile, true, &pol));
	policy_free(&pol);
	EXPECT_EQ(2, entries(self->dir, "bpf-", NULL, 0));
}

TEST_F(cache, the_cache_keeps_the_most_recently_used_within_its_bound)
{
	char key[32], got_key[32];
	void *data;
	size_t len;

	for (int i = 0; i < SUITE_CACHE_MAX_ENTRIES + 10; i++) {
		snprintf(key, sizeof(key), "key %d", i);
		suite_cache_put("test", key, strlen(key), key, strlen(key));
		if (i == 0)
			continue;
		/* Entry 0 is used after every other write: never the oldest. */
		snprintf(got_key, sizeof(got_key), "key %d", 0);
		ASSERT_EQ(0, suite_cache_get("test", got_key, strlen(got_key), &data, &len));
		EXPECT_EQ(strlen(got_key), len);
		EXPECT_EQ(0, memcmp(data, got_key, len));
		free(data);
	}
	int n = entries(self->dir, "test-", NULL, 0);
	EXPECT_LE(n, SUITE_CACHE_MAX_ENTRIES);
	EXPECT_GE(n, SUITE_CACHE_MAX_ENTRIES * 3 / 4);
	/* The newest is there; the first few written after entry 0 are gone. */
	snprintf(key, sizeof(key), "key %d", SUITE_CACHE_MAX_ENTRIES + 9);
	EXPECT_EQ(0, suite_cache_get("test", key, strlen(key), &data, &len));
	free(data);
	EXPECT_EQ(-1, suite_cache_get("test", "key 1", 5, &data, &len));
	/* A key that differs is a miss, whatever its file name. */
	EXPECT_EQ(-1, suite_cache_get("test", "key 0 ", 6, &data, &len));
}

/* The engine a child finds with PATH holding only a fake dockerd. */
static int engine_with_fake_dockerd(const char *bin_dir)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		setenv("PATH", bin_dir, 1);
		unsetenv("SECCOMP_SUITE_ENGINE");
		_exit((int)engine_default());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Lines in path: how often the fake dockerd ran. */
static int lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

TEST_F(cache, a_replaced_dockerd_is_asked_again)
{
	char bin[128], dockerd[160], ran[160], script[512];

	snprintf(bin, sizeof(bin), "%s/bin", self->dir);
	ASSERT_EQ(0, mkdir(bin, 0700));
	snprintf(dockerd, sizeof(dockerd), "%s/dockerd", bin);
	snprintf(ran, sizeof(ran), "%s/ran", bin);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho >>'%s'\necho 'Docker version 20.10.24+dfsg1, build 5d6db84'\n", ran);
	write_file(dockerd, script);
	ASSERT_EQ(0, chmod(dockerd, 0755));
	EXPECT_EQ(ENGINE_DOCKER_20_10, engine_with_fake_dockerd(bin));
	EXPECT_EQ(1, lines(ran));
	EXPECT_EQ(1, entries(self->dir, "dockerd-", NULL, 0));
	/* Unchanged: the answer comes from the cache, dockerd does not run. */
	EXPECT_EQ(ENGINE_DOCKER_20_10, engine_with_fake_dockerd(bin));
	EXPECT_EQ(1, lines(ran));
	/* Replaced (a package upgrade): asked again. */
	snprintf(script, sizeof(script), "#!/bin/sh\necho >>'%s'\necho 'Docker version 26.1.5+dfsg1, build a72d7cd'\n",
		 ran);
	write_file(dockerd, script);
	EXPECT_EQ(ENGINE_DOCKER_26, engine_with_fake_dockerd(bin));
	EXPECT_EQ(2, lines(ran));
	EXPECT_EQ(2, entries(self->dir, "dockerd-", NULL, 0));
}

TEST_HARNESS_MAIN
