/* check: what this host's kernel offers for seccomp, each fact read from
 * the kernel and, where it is a behaviour, confirmed by a child that
 * triggers it for real.
 *
 * Prints one JSON object per item on stdout:
 *   {"item":"action.errno","section":"actions","result":"pass","value":...,
 *    "detail":"how it was decided", ...}
 * result is pass (the fact was read, or the behaviour was seen), fail (the
 * kernel disagrees with itself, or a behaviour the kernel claims was not
 * seen), skip (not applicable here, with the reason in detail).  run.sh check
 * turns the lines into a table or KTAP.
 *
 * Safety: every child that triggers an action calls getppid(2) (or, for the
 * compat ABIs, getpid or exit), never anything that changes the host; a
 * child dies with the check (PDEATHSIG), is not dumpable and has no core
 * limit, so a KILL leaves no core file.
 *
 * Exit status: 0 filters are enforced and every item agrees with the kernel;
 * 1 this host (or this process) cannot enforce seccomp filters; 2 filters are
 * enforced but some item failed; 64 usage.
 */
#define _GNU_SOURCE
#include "abi.h"
#include "caps.h"
#include "policy.h"
#include "verdict.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
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

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* The kernel's limit on the instructions of all filters a syscall passes
 * through (kernel/seccomp.c: MAX_INSNS_PER_PATH, 256 KiB of sock_filter),
 * each stacked filter counting 4 more. */
#define KERNEL_MAX_INSNS_PER_PATH ((1 << 18) / (int)sizeof(struct sock_filter))
#define KERNEL_FILTER_PENALTY 4

/* The errno the test filters return: no kernel path returns it. */
#define CHECK_ERRNO SENTINEL_ERRNO

static char kernel_release[256];
static int kernel_major, kernel_minor;
static int n_failed;
static bool filters_enforced;

/* ---- output ---------------------------------------------------------- */

static void emit(const char *section, const char *item, const char *result, struct json_object *value,
		 const char *detail, struct json_object *extra)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "item", json_object_new_string(item));
	json_object_object_add(o, "section", json_object_new_string(section));
	json_object_object_add(o, "result", json_object_new_string(result));
	json_object_object_add(o, "value", value);
	json_object_object_add(o, "detail", json_object_new_string(detail ? detail : ""));
	if (extra) {
		json_object_object_foreach (extra, k, v)
			json_object_object_add(o, k, json_object_get(v));
		json_object_put(extra);
	}
	json_object_object_add(o, "abi", json_object_new_string(ABI_NAME));
	json_object_object_add(o, "kernel", json_object_new_string(kernel_release));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
	if (strcmp(result, "fail") == 0)
		n_failed++;
}

static struct json_object *str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);
	static char buf[16];
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

/* ---- small helpers --------------------------------------------------- */

static long sys_seccomp(unsigned op, unsigned flags, void *args)
{
	return syscall(SYS_seccomp, op, flags, args);
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t used = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (used + 1 < size && (n = read(fd, buf + used, size - used - 1)) > 0)
		used += (size_t)n;
	close(fd);
	buf[used] = '\0';
	while (used && buf[used - 1] == '\n')
		buf[--used] = '\0';
	return 0;
}

/* The value of "Field:" in /proc/self/status, or -1. */
static long status_field(const char *field)
{
	char buf[8192], key[64];
	if (read_file("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	snprintf(key, sizeof(key), "\n%s:", field);
	char *p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* A child that cannot outlive the check and leaves no core file. */
static void child_hardening(void)
{
	struct rlimit no_core = { 0, 0 };
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static int reap(pid_t pid)
{
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void describe_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "signal %s", sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	else
		snprintf(buf, size, "status 0x%x", status);
}

/* A filter: for this ABI's getppid, `action`; everything else allowed. */
static struct sock_filter target_filter[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ABI_SCMP_ARCH, 0, 3),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0), /* the action, set by target_prog() */
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_fprog target_prog(uint32_t action, struct sock_filter *copy)
{
	memcpy(copy, target_filter, sizeof(target_filter));
	copy[4].k = action;
	return (struct sock_fprog){ .len = sizeof(target_filter) / sizeof(target_filter[0]), .filter = copy };
}

/* A filter of len instructions that only loads the syscall number and
 * allows: constant, so the bitmap cache can serve it.  With read_arg, the
 * first instruction reads args[0] instead: not constant. */
static struct sock_fprog long_prog(unsigned len, bool read_arg)
{
	struct sock_filter *f = calloc(len, sizeof(*f));
	for (unsigned i = 0; i + 1 < len; i++)
		f[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	if (read_arg && len > 1)
		f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
	f[len - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return (struct sock_fprog){ .len = (unsigned short)len, .filter = f };
}

static long getppid_run(void)
{
	return syscall(SYS_getppid);
}

static const struct probe getppid_probe = {
	.syscall = "getppid",
	.nr = __NR_getppid,
	.run = getppid_run,
	.unconfined = "0",
};

/* ---- kernel and config ----------------------------------------------- */

static char *config_text;
static char config_source[300];

/* /proc/config.gz through gzip (always on Debian), or /boot/config-R. */
static void config_load(void)
{
	char path[300];
	struct stat st;

	if (stat("/proc/config.gz", &st) == 0) {
		int fds[2];
		if (pipe2(fds, O_CLOEXEC) == 0) {
			pid_t pid = fork();
			if (pid == 0) {
				dup2(fds[1], 1);
				execlp("gzip", "gzip", "-dc", "/proc/config.gz", (char *)NULL);
				_exit(127);
			}
			close(fds[1]);
			size_t cap = 1 << 16, used = 0;
			ssize_t n;
			char *buf = malloc(cap);
			while ((n = read(fds[0], buf + used, cap - used - 1)) > 0) {
				used += (size_t)n;
				if (cap - used < 4096)
					buf = realloc(buf, cap *= 2);
			}
			buf[used] = '\0';
			close(fds[0]);
			int status = pid > 0 ? reap(pid) : -1;
			if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && used > 0) {
				config_text = buf;
				snprintf(config_source, sizeof(config_source), "/proc/config.gz");
				return;
			}
			free(buf);
		}
	}
	snprintf(path, sizeof(path), "/boot/config-%s", kernel_release);
	FILE *f = fopen(path, "re");
	if (f) {
		size_t cap = 1 << 16, used = 0, n;
		char *buf = malloc(cap);
		while ((n = fread(buf + used, 1, cap - used - 1, f)) > 0) {
			used += n;
			if (cap - used < 4096)
				buf = realloc(buf, cap *= 2);
		}
		buf[used] = '\0';
		fclose(f);
		config_text = buf;
		snprintf(config_source, sizeof(config_source), "%s", path);
	}
}

/* "y", "m", "n" (not set), or NULL when there is no config to read. */
static const char *config_value(const char *name, char *buf, size_t size)
{
	char key[128];
	if (!config_text)
		return NULL;
	snprintf(key, sizeof(key), "\n%s=", name);
	const char *p = strstr(config_text, key);
	if (!p && strncmp(config_text, key + 1, strlen(key + 1)) == 0)
		p = config_text - 1;
	if (p) {
		p += strlen(key);
		size_t len = strcspn(p, "\n");
		snprintf(buf, size, "%.*s", (int)len, p);
		return buf;
	}
	return "n";
}

static void check_kernel(void)
{
	struct utsname u;
	char v[600];

	uname(&u);
	snprintf(kernel_release, sizeof(kernel_release), "%s", u.release);
	sscanf(u.release, "%d.%d", &kernel_major, &kernel_minor);
	snprintf(v, sizeof(v), "%s %s (%s)", u.sysname, u.release, u.machine);
	emit("kernel", "kernel.version", "pass", str(v), u.version, NULL);

	config_load();
	emit("kernel", "kernel.config_source", config_text ? "pass" : "skip",
	     str(config_text ? config_source : "unknown"),
	     config_text ? "the kernel's build configuration was read from here"
			 : "neither /proc/config.gz nor /boot/config-$(uname -r) exists",
	     NULL);
	static const char *const options[] = { "CONFIG_SECCOMP", "CONFIG_SECCOMP_FILTER" };
	for (unsigned i = 0; i < 2; i++) {
		char buf[64], item[64], detail[400];
		const char *val = config_value(options[i], buf, sizeof(buf));
		snprintf(item, sizeof(item), "kernel.%s", options[i]);
		snprintf(detail, sizeof(detail), "%s %s",
			 val ? "read from" : "no config to read:", val ? config_source : "unknown");
		emit("kernel", item,
		     !val		     ? "skip"
		     : strcmp(val, "y") == 0 ? "pass"
					     : "fail",
		     str(val ? val : "unknown"), detail, NULL);
	}

	long mode = status_field("Seccomp"), nfilters = status_field("Seccomp_filters"),
	     nnp = status_field("NoNewPrivs");
	struct json_object *extra = json_object_new_object();
	json_object_object_add(extra, "seccomp_mode", mode < 0 ? NULL : json_object_new_int64(mode));
	json_object_object_add(extra, "seccomp_filters", nfilters < 0 ? NULL : json_object_new_int64(nfilters));
	json_object_object_add(extra, "no_new_privs", nnp < 0 ? NULL : json_object_new_int64(nnp));
	char v2[200];
	snprintf(v2, sizeof(v2), "Seccomp: %ld (%s), Seccomp_filters: %ld, NoNewPrivs: %ld", mode,
		 mode == 0   ? "disabled"
		 : mode == 1 ? "strict"
		 : mode == 2 ? "filter"
			     : "field absent",
		 nfilters, nnp);
	emit("kernel", "process.seccomp_status", mode < 0 ? "skip" : "pass", str(v2),
	     mode < 0	 ? "/proc/self/status has no Seccomp field (kernel without CONFIG_SECCOMP)"
	     : mode == 2 ? "read from /proc/self/status: the check itself already runs under a filter "
			   "(a container or a supervisor); what follows is what a process here can add"
			 : "read from /proc/self/status of the check process",
	     extra);
}

/* ---- actions --------------------------------------------------------- */

struct action {
	const char *name; /* as actions_avail names it */
	const char *item;
	uint32_t ret; /* SECCOMP_RET_* */
};

static const struct action actions[] = {
	{ "kill_process", "action.kill_process", SECCOMP_RET_KILL_PROCESS },
	{ "kill_thread", "action.kill_thread", SECCOMP_RET_KILL_THREAD },
	{ "trap", "action.trap", SECCOMP_RET_TRAP },
	{ "errno", "action.errno", SECCOMP_RET_ERRNO },
	{ "user_notif", "action.user_notif", SECCOMP_RET_USER_NOTIF },
	{ "trace", "action.trace", SECCOMP_RET_TRACE },
	{ "log", "action.log", SECCOMP_RET_LOG },
};

static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
			return true;
	return false;
}

/* KILL_THREAD and KILL_PROCESS told apart: a second thread makes the call
 * under its own filter.  KILL_THREAD ends that thread only, and the main
 * thread exits 10; KILL_PROCESS ends the whole process with SIGSYS. */
static uint32_t kill_action;
static volatile int kill_call_returned;

static void *kill_thread_main(void *arg)
{
	struct sock_filter copy[8];
	struct sock_fprog prog = target_prog(kill_action, copy);
	(void)arg;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return (void *)2;
	syscall(SYS_getppid);
	kill_call_returned = 1;
	return NULL;
}

static bool trigger_kill(uint32_t action, char *how, size_t size)
{
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		void *r = NULL;
		child_hardening();
		kill_action = action;
		if (pthread_create(&t, NULL, kill_thread_main, NULL) != 0)
			_exit(3);
		pthread_join(t, &r);
		_exit(r == (void *)2 ? 2 : kill_call_returned ? 11 : 10);
	}
	int status = reap(pid);
	char st[64];
	describe_status(status, st, sizeof(st));
	bool thread_only = WIFEXITED(status) && WEXITSTATUS(status) == 10;
	bool whole = WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		snprintf(how, size, "the filter could not be loaded in the thread");
		return false;
	}
	if (action == SECCOMP_RET_KILL_THREAD) {
		snprintf(how, size, "a second thread called getppid under the filter: %s (%s)",
			 thread_only ? "that thread died, the process lived on" : "not a thread-only kill", st);
		return thread_only;
	}
	snprintf(how, size, "a second thread called getppid under the filter: %s (%s)",
		 whole ? "the whole process died of SIGSYS" : "not a process kill", st);
	return whole;
}

/* The LOG record: the kernel writes an audit line (type=1326, code=0x7ffc0000)
 * to the kernel log when no audit daemon takes it. */
static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static bool kmsg_has_log_record(int fd)
{
	char rec[8192], want[64];
	ssize_t n;
	bool found = false;

	snprintf(want, sizeof(want), "syscall=%d ", __NR_getppid);
	for (int tries = 0; tries < 50 && !found; tries++) {
		while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
			if (n <= 0)
				continue;
			rec[n] = '\0';
			if (strstr(rec, "type=1326") && strstr(rec, want) && strstr(rec, "code=0x7ffc0000") &&
			    strstr(rec, "comm=\"check\""))
				found = true;
		}
		if (!found) {
			struct timespec ms = { 0, 2000000 };
			nanosleep(&ms, NULL);
		}
	}
	return found;
}

static bool trigger(const struct action *a, char *how, size_t size)
{
	struct sock_filter copy[8];
	struct run_spec spec = { .timeout_ms = 5000 };
	struct outcome out;
	uint32_t action = a->ret;
	int kmsg = -1;

	if (a->ret == SECCOMP_RET_KILL_THREAD || a->ret == SECCOMP_RET_KILL_PROCESS)
		return trigger_kill(a->ret, how, size);
	if (a->ret == SECCOMP_RET_ERRNO)
		action |= CHECK_ERRNO;
	if (a->ret == SECCOMP_RET_TRAP || a->ret == SECCOMP_RET_TRACE)
		action |= 42;
	struct sock_fprog prog = target_prog(action, copy);
	spec.prog = &prog;
	spec.trace = a->ret == SECCOMP_RET_TRACE;
	spec.notify = a->ret == SECCOMP_RET_USER_NOTIF;
	spec.load_flags = spec.notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	if (a->ret == SECCOMP_RET_LOG)
		kmsg = kmsg_open_at_end();
	probe_execute(&getppid_probe, &spec, &out);

	switch (a->ret) {
	case SECCOMP_RET_ERRNO:
		snprintf(how, size, "getppid under the filter returned %ld errno %d (expected -1 errno %d)", out.ret,
			 out.err, CHECK_ERRNO);
		if (out.kind == OUTCOME_ERROR)
			snprintf(how, size, "%s", out.reason);
		filters_enforced = out.kind == OUTCOME_RETURNED && out.ret == -1 && out.err == CHECK_ERRNO;
		return filters_enforced;
	case SECCOMP_RET_TRAP:
		if (out.kind != OUTCOME_TRAPPED)
			snprintf(how, size, "no trap: %s", out.reason);
		else
			snprintf(how, size, "SIGSYS (si_code SYS_SECCOMP, data %d) reached the child's handler",
				 out.data);
		return out.kind == OUTCOME_TRAPPED && out.data == 42;
	case SECCOMP_RET_TRACE:
		if (out.kind == OUTCOME_TRACED)
			snprintf(how, size, "the check's tracer saw PTRACE_EVENT_SECCOMP (data %d)", out.data);
		else
			snprintf(how, size, "no PTRACE_EVENT_SECCOMP: %s", out.reason);
		return out.kind == OUTCOME_TRACED && out.data == 42;
	case SECCOMP_RET_USER_NOTIF:
		if (out.kind == OUTCOME_NOTIFIED)
			snprintf(how, size,
				 "the check's supervisor received the notification (listener taken "
				 "with pidfd_getfd) and answered EPERM");
		else if (out.kind == OUTCOME_RETURNED)
			snprintf(how, size, "no notification: getppid returned %ld errno %d", out.ret, out.err);
		else
			snprintf(how, size, "no notification: %s", out.reason);
		return out.kind == OUTCOME_NOTIFIED;
	case SECCOMP_RET_LOG: {
		bool ran = out.kind == OUTCOME_RETURNED && out.ret > 0;
		bool seen = kmsg >= 0 && kmsg_has_log_record(kmsg);
		if (kmsg >= 0)
			close(kmsg);
		snprintf(how, size, "getppid %s; audit record (type=1326 code=0x7ffc0000) %s",
			 ran ? "ran" : "did not run",
			 seen	    ? "seen in /dev/kmsg"
			 : kmsg < 0 ? "not looked for (/dev/kmsg cannot be read)"
				    : "not seen in /dev/kmsg (an audit daemon takes it, or the kernel's audit rate "
				      "limit dropped it)");
		return ran;
	}
	}
	return false;
}

static void check_actions(void)
{
	char avail[512] = "", logged[512] = "";
	bool have_avail = read_file("/proc/sys/kernel/seccomp/actions_avail", avail, sizeof(avail)) == 0;
	bool have_logged = read_file("/proc/sys/kernel/seccomp/actions_logged", logged, sizeof(logged)) == 0;

	emit("actions", "actions.avail", have_avail ? "pass" : "skip", have_avail ? str(avail) : NULL,
	     have_avail ? "/proc/sys/kernel/seccomp/actions_avail"
			: "no /proc/sys/kernel/seccomp/actions_avail (before 4.14)",
	     NULL);
	emit("actions", "actions.logged", have_logged ? "pass" : "skip", have_logged ? str(logged) : NULL,
	     have_logged ? "/proc/sys/kernel/seccomp/actions_logged: the actions the kernel writes an audit record for"
			 : "no /proc/sys/kernel/seccomp/actions_logged",
	     NULL);

	/* ERRNO first: it decides whether filters are enforced at all. */
	static const int order[] = { 3, 0, 1, 2, 4, 5, 6 };
	for (unsigned k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		const struct action *a = &actions[order[k]];
		uint32_t act = a->ret;
		char how[600], detail[1000];
		long r = sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &act);
		int get_err = r < 0 ? errno : 0;
		bool in_avail = have_avail && word_in(avail, a->name);
		bool in_logged = have_logged && word_in(logged, a->name);
		bool triggered = trigger(a, how, sizeof(how));
		struct json_object *extra = json_object_new_object();

		json_object_object_add(extra, "actions_avail", have_avail ? json_object_new_boolean(in_avail) : NULL);
		json_object_object_add(extra, "actions_logged",
				       have_logged ? json_object_new_boolean(in_logged) : NULL);
		json_object_object_add(extra, "get_action_avail", json_object_new_boolean(r == 0));
		json_object_object_add(extra, "triggered", json_object_new_boolean(triggered));
		snprintf(detail, sizeof(detail), "actions_avail: %s; SECCOMP_GET_ACTION_AVAIL: %s; child: %s",
			 have_avail ? (in_avail ? "listed" : "not listed") : "unreadable",
			 r == 0 ? "available" : errname(get_err), how);
		bool agree = (r == 0) == triggered && (!have_avail || in_avail == triggered);
		const char *result = agree ? (triggered ? "pass" : "skip") : "fail";
		emit("actions", a->item, result,
		     str(triggered		? "works"
			 : (r == 0 || in_avail) ? "claimed, not seen"
						: "unavailable"),
		     detail, extra);
	}
}

/* ---- filter flags ---------------------------------------------------- */

static void check_flags(void)
{
	static const struct {
		const char *item;
		unsigned long flag, with;
	} flags[] = {
		{ "flag.tsync", SECCOMP_FILTER_FLAG_TSYNC, 0 },
		{ "flag.log", SECCOMP_FILTER_FLAG_LOG, 0 },
		{ "flag.spec_allow", SECCOMP_FILTER_FLAG_SPEC_ALLOW, 0 },
		{ "flag.new_listener", SECCOMP_FILTER_FLAG_NEW_LISTENER, 0 },
		{ "flag.tsync_esrch", SECCOMP_FILTER_FLAG_TSYNC_ESRCH, 0 },
		/* The kernel refuses WAIT_KILLABLE_RECV without NEW_LISTENER. */
		{ "flag.wait_killable_recv", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, SECCOMP_FILTER_FLAG_NEW_LISTENER },
	};
	for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		char detail[300];
		/* A NULL program: the kernel checks the flags, then fails to copy
		 * the program (EFAULT) -- nothing is installed either way. */
		long r = sys_seccomp(SECCOMP_SET_MODE_FILTER, (unsigned)(flags[i].flag | flags[i].with), NULL);
		int e = r < 0 ? errno : 0;
		bool known = r < 0 && e == EFAULT;
		snprintf(detail, sizeof(detail), "seccomp(SECCOMP_SET_MODE_FILTER, 0x%lx, NULL) gave %s: %s",
			 flags[i].flag | flags[i].with, r < 0 ? errname(e) : "success",
			 known	       ? "the flag passed the kernel's check (EFAULT is the missing program)"
			 : e == EINVAL ? "the kernel does not know the flag"
				       : "unexpected answer");
		emit("flags", flags[i].item, known || e == EINVAL ? (known ? "pass" : "skip") : "fail",
		     str(known	       ? "supported"
			 : e == EINVAL ? "unsupported"
				       : "unknown"),
		     detail, NULL);
	}

	struct seccomp_notif_sizes sizes;
	char v[160], detail[200];
	long r = sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sizes);
	if (r == 0)
		snprintf(v, sizeof(v), "seccomp_notif %u, seccomp_notif_resp %u, seccomp_data %u", sizes.seccomp_notif,
			 sizes.seccomp_notif_resp, sizes.seccomp_data);
	else
		snprintf(v, sizeof(v), "unavailable");
	snprintf(detail, sizeof(detail), "seccomp(SECCOMP_GET_NOTIF_SIZES) %s%s",
		 r == 0 ? "returned the sizes" : "gave ", r == 0 ? "" : errname(errno));
	emit("flags", "notif_sizes", r == 0 ? "pass" : "skip", str(v), detail, NULL);

	char ssb[200];
	if (read_file("/proc/self/status", ssb, sizeof(ssb)) == 0) {
		char buf[8192];
		read_file("/proc/self/status", buf, sizeof(buf));
		char *p = strstr(buf, "Speculation_Store_Bypass:");
		if (p) {
			p += strlen("Speculation_Store_Bypass:");
			p += strspn(p, " \t");
			snprintf(ssb, sizeof(ssb), "%.*s", (int)strcspn(p, "\n"), p);
			emit("flags", "speculation_store_bypass", "pass", str(ssb),
			     "/proc/self/status: what a filter without SPEC_ALLOW changes (seccomp forces the "
			     "mitigation on where it is prctl/seccomp-controlled)",
			     NULL);
		}
	}
}

/* ---- strict mode ----------------------------------------------------- */

static void check_strict(void)
{
	int to_parent[2], to_child[2];
	char got[8] = "", detail[400], st1[64], st2[64];

	if (pipe(to_parent) < 0 || pipe(to_child) < 0) {
		emit("modes", "mode.strict", "fail", NULL, "pipe failed", NULL);
		return;
	}
	write(to_child[1], "x", 1);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		child_hardening();
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) < 0)
			_exit(2);
		/* Only read, write, exit and sigreturn from here on. */
		syscall(SYS_write, to_parent[1], "w", 1);
		if (syscall(SYS_read, to_child[0], &c, 1) == 1)
			syscall(SYS_write, to_parent[1], "r", 1);
		syscall(SYS_getppid);
		syscall(SYS_write, to_parent[1], "!", 1);
		syscall(SYS_exit, 3);
	}
	close(to_parent[1]);
	int status = reap(pid);
	ssize_t n = read(to_parent[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	close(to_parent[0]);
	close(to_child[0]);
	close(to_child[1]);
	describe_status(status, st1, sizeof(st1));

	pid_t pid2 = fork();
	if (pid2 == 0) {
		child_hardening();
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) < 0)
			_exit(2);
		syscall(SYS_exit, 7);
	}
	int status2 = reap(pid2);
	describe_status(status2, st2, sizeof(st2));

	bool rw = strcmp(got, "wr") == 0;
	bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	bool exits = WIFEXITED(status2) && WEXITSTATUS(status2) == 7;
	snprintf(detail, sizeof(detail),
		 "child in strict mode: write %s, read %s, getppid %s (%s); a second child's _exit(7): %s",
		 got[0] == 'w' ? "ran" : "failed", rw ? "ran" : "failed",
		 killed ? "killed it with SIGKILL" : "did not kill it", st1, exits ? "exit 7" : st2);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		snprintf(detail, sizeof(detail), "prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) failed in the child");
	emit("modes", "mode.strict", rw && killed && exits ? "pass" : "fail",
	     str(rw && killed && exits ? "works" : "broken"), detail, NULL);
}

/* ---- filter mode ----------------------------------------------------- */

static struct sock_filter allow_insn[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
static struct sock_fprog allow_prog = { .len = 1, .filter = allow_insn };

/* Runs fn in a hardened child; returns its exit status (or -1-signal). */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		child_hardening();
		_exit(fn());
	}
	int status = reap(pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/* Without CAP_SYS_ADMIN (dropped from the effective set) and without
 * no_new_privs: EACCES expected. */
static int nnp_without(void)
{
	if (caps_drop_effective(CAP_SYS_ADMIN) < 0)
		return 100;
	long r = sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &allow_prog);
	return r == 0 ? 0 : errno == EACCES ? 1 : 2;
}

static int nnp_with(void)
{
	if (caps_drop_effective(CAP_SYS_ADMIN) < 0)
		return 100;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return 101;
	return sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &allow_prog) == 0 ? 0 : 2;
}

static int admin_without_nnp(void)
{
	return sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &allow_prog) == 0 ? 0 : errno == EACCES ? 1 : 2;
}

static int load_errno_filter(void)
{
	static struct sock_filter copy[8];
	struct sock_fprog prog = target_prog(SECCOMP_RET_ERRNO | CHECK_ERRNO, copy);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog) == 0 ? 0 : -1;
}

/* The filter, then fork: the grandchild's getppid must get the errno. */
static int fork_inherits(void)
{
	if (load_errno_filter() < 0)
		return 100;
	pid_t pid = fork();
	if (pid == 0) {
		long r = syscall(SYS_getppid);
		_exit(r == -1 && errno == CHECK_ERRNO ? 0 : 1);
	}
	int status = reap(pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}

static int exec_helper(void)
{
	long r = syscall(SYS_getppid);
	int e = errno;
	printf("%d %ld\n", r == -1 ? e : 0, status_field("Seccomp_filters"));
	return 0;
}

static void check_filter_mode(void)
{
	char detail[600];
	bool is_root_admin = false;
	{
		struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
		struct __user_cap_data_struct data[2];
		if (syscall(SYS_capget, &hdr, data) == 0)
			is_root_admin = data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32));
	}
	int without = in_child(nnp_without), with = in_child(nnp_with);
	int admin = is_root_admin ? in_child(admin_without_nnp) : -1000;
	bool ok = without == 1 && with == 0 && (!is_root_admin || admin == 0);
	snprintf(detail, sizeof(detail),
		 "without CAP_SYS_ADMIN and no_new_privs: %s; with no_new_privs: %s; with CAP_SYS_ADMIN and "
		 "without no_new_privs: %s",
		 without == 1	? "EACCES"
		 : without == 0 ? "loaded (no requirement!)"
				: "unexpected error",
		 with == 0 ? "loaded" : "refused",
		 !is_root_admin ? "not tried (the check does not hold CAP_SYS_ADMIN)"
		 : admin == 0	? "loaded"
				: "refused");
	emit("modes", "mode.filter.no_new_privs", ok ? "pass" : "fail",
	     str(ok ? "required without CAP_SYS_ADMIN" : "not as documented"), detail, NULL);

	int forked = in_child(fork_inherits);
	snprintf(detail, sizeof(detail),
		 "a filter returning errno %d for getppid, then fork: the new child's "
		 "getppid %s",
		 CHECK_ERRNO, forked == 0 ? "got the errno" : "was not filtered");
	emit("modes", "mode.filter.fork", forked == 0 ? "pass" : "fail",
	     str(forked == 0 ? "inherited" : "not inherited"), detail, NULL);

	int out[2];
	char line[128] = "";
	if (pipe2(out, O_CLOEXEC) == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			child_hardening();
			dup2(out[1], 1);
			if (load_errno_filter() < 0)
				_exit(100);
			execl("/proc/self/exe", "check", "--exec-helper", (char *)NULL);
			_exit(127);
		}
		close(out[1]);
		ssize_t n = read(out[0], line, sizeof(line) - 1);
		line[n > 0 ? n : 0] = '\0';
		close(out[0]);
		reap(pid);
	}
	int e = -1;
	long nf = -1;
	bool execd = sscanf(line, "%d %ld", &e, &nf) == 2;
	snprintf(detail, sizeof(detail), "the same filter, then execve of the check itself: %s",
		 !execd		    ? "the program did not run"
		 : e == CHECK_ERRNO ? "getppid got the errno"
				    : "getppid was not filtered");
	if (execd) {
		size_t l = strlen(detail);
		snprintf(detail + l, sizeof(detail) - l, "; its /proc/self/status says Seccomp_filters: %ld", nf);
	}
	emit("modes", "mode.filter.exec", execd && e == CHECK_ERRNO ? "pass" : "fail",
	     str(execd && e == CHECK_ERRNO ? "inherited" : "not inherited"), detail, NULL);
}

/* Stacking.  The kernel refuses a filter when the instructions of all
 * filters on the path would pass its limit; it counts each filter as its
 * converted length plus a penalty.  Two stacks are measured: A, 4096-
 * instruction filters until the kernel refuses one; B, one filter more of
 * the same total size.  In each, the longest further filter that still
 * fits is found by trying lengths in forked children (a refused load costs
 * nothing; an accepted one would stay).  Two equations give the limit and
 * what each filter counts beyond its length. */
struct stack_result {
	int n_full;		  /* A: 4096-instruction filters accepted */
	int refused_errno;	  /* A: errno of the refusal */
	int further_a, further_b; /* the longest further filter in A and B */
	int n_b;		  /* B: filters loaded */
	long sum_b;		  /* B: their classic instructions */
	bool b_loaded;
};

static int try_len(unsigned len)
{
	struct sock_fprog p = long_prog(len, false);
	return sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &p) == 0 ? 0 : 1;
}

static int longest_further(void)
{
	unsigned lo = 0, hi = BPF_MAXINSNS + 1; /* lo fits (0: nothing), hi does not */
	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;
		pid_t pid = fork();
		if (pid == 0)
			_exit(try_len(mid));
		int status = reap(pid);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo;
}

static void stack_a(struct stack_result *res)
{
	struct sock_fprog full = long_prog(BPF_MAXINSNS, false);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return;
	res->n_full = 0;
	for (int i = 0; i < 64; i++) {
		if (sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &full) < 0) {
			res->refused_errno = errno;
			break;
		}
		res->n_full++;
	}
	res->further_a = longest_further();
}

/* n_full - 1 full filters and two halves: the same instructions, one
 * filter more. */
static void stack_b(struct stack_result *res)
{
	struct sock_fprog full = long_prog(BPF_MAXINSNS, false), half = long_prog(BPF_MAXINSNS / 2, false);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return;
	for (int i = 0; i < res->n_full - 1; i++)
		if (sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &full) < 0)
			return;
	for (int i = 0; i < 2; i++)
		if (sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &half) < 0)
			return;
	res->n_b = res->n_full + 1;
	res->sum_b = (long)(res->n_full - 1) * BPF_MAXINSNS + 2 * (BPF_MAXINSNS / 2);
	res->b_loaded = true;
	res->further_b = longest_further();
}

static void check_stacking(void)
{
	struct stack_result *res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char v[300], detail[1200];

	memset(res, 0, sizeof(*res));
	res->n_full = -1;
	pid_t pid = fork();
	if (pid == 0) {
		child_hardening();
		stack_a(res);
		_exit(0);
	}
	reap(pid);
	if (res->n_full > 1) {
		pid = fork();
		if (pid == 0) {
			child_hardening();
			stack_b(res);
			_exit(0);
		}
		reap(pid);
	}
	if (res->n_full <= 1 || !res->refused_errno || !res->b_loaded) {
		snprintf(detail, sizeof(detail), "%d filters of %d instructions loaded, refusal %s, second stack %s",
			 res->n_full, BPF_MAXINSNS, res->refused_errno ? errname(res->refused_errno) : "none",
			 res->b_loaded ? "loaded" : "not loaded");
		emit("modes", "mode.filter.stacking_limit", "fail", str("not measured"), detail, NULL);
		munmap(res, sizeof(*res));
		return;
	}
	/* further = limit - sum(len_i + extra + penalty) - (len + extra) fits exactly:
	 *   A: further_a + extra + n_full * (4096 + extra + 4) = limit
	 *   B: further_b + extra + sum_b + n_b * (extra + 4)   = limit */
	long sum_a = (long)res->n_full * BPF_MAXINSNS;
	long extra = (res->further_b + res->sum_b + 4L * res->n_b) - (res->further_a + sum_a + 4L * res->n_full);
	extra /= (res->n_full + 1) - (res->n_b + 1);
	long limit = res->further_a + extra + sum_a + (long)res->n_full * (extra + KERNEL_FILTER_PENALTY);
	bool as_source = limit == KERNEL_MAX_INSNS_PER_PATH && res->refused_errno == ENOMEM;
	snprintf(v, sizeof(v),
		 "%d filters of %d instructions, the next refused with %s; measured limit %ld "
		 "instructions per path, each filter counting its length + %ld + %d",
		 res->n_full, BPF_MAXINSNS, errname(res->refused_errno), limit, extra, KERNEL_FILTER_PENALTY);
	snprintf(detail, sizeof(detail),
		 "stack A: %d filters of %d instructions loaded, then seccomp(2) refused one (%s), and the longest "
		 "further filter that fits has %d instructions; stack B: %d filters with the same %ld instructions "
		 "(two halves for one full), longest further filter %d.  Solving both: each filter counts %ld "
		 "instructions beyond its own length (the kernel counts the program after converting it) plus the "
		 "%d-instruction penalty for every earlier filter, and the limit is %ld instructions; "
		 "kernel/seccomp.c: MAX_INSNS_PER_PATH = 256 KiB / sizeof(struct sock_filter) = %d.  In classic "
		 "instructions: %ld on one path with this stack",
		 res->n_full, BPF_MAXINSNS, errname(res->refused_errno), res->further_a, res->n_b, res->sum_b,
		 res->further_b, extra, KERNEL_FILTER_PENALTY, limit, KERNEL_MAX_INSNS_PER_PATH,
		 sum_a + res->further_a);
	struct json_object *extra_json = json_object_new_object();
	json_object_object_add(extra_json, "filters_accepted", json_object_new_int(res->n_full));
	json_object_object_add(extra_json, "refused_errno", str(errname(res->refused_errno)));
	json_object_object_add(extra_json, "largest_further_filter", json_object_new_int(res->further_a));
	json_object_object_add(extra_json, "per_filter_extra", json_object_new_int64(extra));
	json_object_object_add(extra_json, "measured_max_insns", json_object_new_int64(limit));
	emit("modes", "mode.filter.stacking_limit", as_source ? "pass" : "fail", str(v), detail, extra_json);
	munmap(res, sizeof(*res));
}

/* ---- compat ABIs ----------------------------------------------------- */

#if defined(__x86_64__) && !defined(__ILP32__)
/* The smallest static program of a 32-bit ABI: exit(42), one LOAD segment. */
static size_t tiny_elf(unsigned char *buf, uint16_t machine, const unsigned char *code, size_t code_len)
{
	Elf32_Ehdr eh = { 0 };
	Elf32_Phdr ph = { 0 };
	const uint32_t base = 0x08048000;

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = base + sizeof(eh) + sizeof(ph);
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	ph.p_type = PT_LOAD;
	ph.p_vaddr = ph.p_paddr = base;
	ph.p_filesz = ph.p_memsz = (uint32_t)(sizeof(eh) + sizeof(ph) + code_len);
	ph.p_flags = PF_R | PF_X;
	ph.p_align = 0x1000;
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	memcpy(buf + sizeof(eh) + sizeof(ph), code, code_len);
	return sizeof(eh) + sizeof(ph) + code_len;
}

/* Executes the program from a memfd; 42 when it ran, else the exec errno
 * (negated) or the status.  *how gets the story. */
static bool exec_tiny(uint16_t machine, const unsigned char *code, size_t len, char *how, size_t size)
{
	unsigned char elf[256];
	size_t n = tiny_elf(elf, machine, code, len);
	int fd = (int)syscall(SYS_memfd_create, "check-compat", MFD_CLOEXEC | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = (int)syscall(SYS_memfd_create, "check-compat", MFD_CLOEXEC);
	if (fd < 0 || write(fd, elf, n) != (ssize_t)n) {
		snprintf(how, size, "memfd_create/write failed: %s", strerror(errno));
		return false;
	}
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		close(fd);
		snprintf(how, size, "pipe failed");
		return false;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "check-compat", NULL }, *envp[] = { NULL };
		child_hardening();
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		int e = errno;
		write(errpipe[1], &e, sizeof(e));
		_exit(127);
	}
	close(errpipe[1]);
	int e = 0;
	bool exec_failed = read(errpipe[0], &e, sizeof(e)) == sizeof(e);
	close(errpipe[0]);
	close(fd);
	int status = reap(pid);
	char st[64];
	describe_status(status, st, sizeof(st));
	if (exec_failed) {
		snprintf(how, size, "execve of a %zu-byte static ELF gave %s", n, errname(e));
		return false;
	}
	snprintf(how, size, "a %zu-byte static ELF ran: %s%s", n, st,
		 WIFEXITED(status) && WEXITSTATUS(status) == 42 ? " as it should" : " (expected exit 42)");
	return WIFEXITED(status) && WEXITSTATUS(status) == 42;
}

/* int $0x80 getpid (i386 number 20) from this 64-bit process, in a child. */
static long int80_getpid(void)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory", "r8", "r9", "r10", "r11");
	return r;
}

static int int80_child(void)
{
	long r = int80_getpid();
	return r == getpid() ? 0 : 1;
}

static int x32_child(void)
{
	long r = syscall(__X32_SYSCALL_BIT | __NR_getpid);
	return r == getpid() ? 0 : r == -1 && errno == ENOSYS ? 1 : 2;
}

/* A filter built with libseccomp for x86_64 alone (its default for
 * SCMP_FLTATR_ACT_BADARCH replaced by KILL_PROCESS, which says itself what
 * stopped the call) and a foreign-ABI getpid: stopped or not? */
static int native_only_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(CHECK_ERRNO), SCMP_SYS(getpid), 0) < 0 || seccomp_load(ctx) < 0)
		return -1;
	return 0;
}

static int i386_under_native_filter(void)
{
	if (native_only_filter() < 0)
		return 100;
	int80_getpid();
	return 0; /* not stopped */
}

static int x32_under_native_filter(void)
{
	if (native_only_filter() < 0)
		return 100;
	syscall(__X32_SYSCALL_BIT | __NR_getpid);
	return 0;
}

/* A filter without an architecture check that denies x86_64's getpid (39):
 * i386's getpid is number 20, so it passes -- the classic bypass. */
static int i386_under_naive_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = 4, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &p) < 0)
		return 100;
	return int80_getpid() == getpid() ? 0 : 1;
}

static void compat_abi_report(const char *abi, bool exec_ok, const char *exec_how, bool call_ok, const char *call_how,
			      int (*under_native)(void), int (*under_naive)(void))
{
	char item[64], detail[900];
	bool runs = exec_ok || call_ok;

	snprintf(item, sizeof(item), "abi.%s", abi);
	snprintf(detail, sizeof(detail), "%s; %s", exec_how, call_how);
	struct json_object *extra = json_object_new_object();
	json_object_object_add(extra, "executes", json_object_new_boolean(exec_ok));
	json_object_object_add(extra, "syscalls", json_object_new_boolean(call_ok));
	emit("abi", item, "pass",
	     str(exec_ok   ? "executes"
		 : call_ok ? "syscalls only"
			   : "cannot execute"),
	     detail, extra);

	snprintf(item, sizeof(item), "abi.%s.native_filter", abi);
	if (!runs) {
		snprintf(detail, sizeof(detail),
			 "not applicable: %s programs cannot execute and its syscalls cannot be "
			 "made on this host, so nothing can slip past a filter built for the native ABI alone",
			 abi);
		emit("abi", item, "skip", str("not applicable"), detail, NULL);
		return;
	}
	int native = in_child(under_native);
	bool stopped = native == -SIGSYS;
	snprintf(detail, sizeof(detail),
		 "a libseccomp filter for %s alone (bad-arch action KILL_PROCESS): the %s getpid %s", ABI_NAME, abi,
		 stopped	 ? "was killed (SIGSYS): the architecture check stopped it"
		 : native == 100 ? "was not tried (the filter did not load)"
				 : "ran: NOT stopped");
	if (under_naive) {
		int naive = in_child(under_naive);
		size_t l = strlen(detail);
		snprintf(detail + l, sizeof(detail) - l,
			 "; a filter without an architecture check that kills x86_64's getpid: the %s getpid %s", abi,
			 naive == 0	    ? "ran (the bypass such a filter allows)"
			 : naive == -SIGSYS ? "was killed"
					    : "failed");
	}
	emit("abi", item, stopped ? "pass" : "fail", str(stopped ? "stopped" : "not stopped"), detail, NULL);
}

static void check_abis(void)
{
	static const unsigned char i386_code[] = { 0xb8, 0x01, 0, 0, 0,	  /* mov $1, %eax (exit) */
						   0xbb, 42,   0, 0, 0,	  /* mov $42, %ebx */
						   0xcd, 0x80 };	  /* int $0x80 */
	static const unsigned char x32_code[] = { 0xb8, 0x3c, 0, 0, 0x40, /* mov $(X32|60), %eax */
						  0xbf, 42,   0, 0, 0,	  /* mov $42, %edi */
						  0x0f, 0x05 };		  /* syscall */
	char exec_how[300], call_how[300];
	bool exec_ok = exec_tiny(EM_386, i386_code, sizeof(i386_code), exec_how, sizeof(exec_how));
	int r = in_child(int80_child);
	snprintf(call_how, sizeof(call_how), "int $0x80 getpid from a 64-bit process: %s",
		 r == 0		 ? "returned the pid"
		 : r == -SIGSEGV ? "SIGSEGV (IA32 emulation is off)"
				 : "failed");
	size_t l = strlen(exec_how);
	snprintf(exec_how + l, sizeof(exec_how) - l, " (i386)");
	compat_abi_report("i386", exec_ok, exec_how, r == 0, call_how, i386_under_native_filter,
			  i386_under_naive_filter);

	exec_ok = exec_tiny(EM_X86_64, x32_code, sizeof(x32_code), exec_how, sizeof(exec_how));
	r = in_child(x32_child);
	snprintf(call_how, sizeof(call_how), "syscall getpid with __X32_SYSCALL_BIT from a 64-bit process: %s",
		 r == 0	  ? "returned the pid"
		 : r == 1 ? "ENOSYS (no x32 ABI)"
			  : "failed");
	l = strlen(exec_how);
	snprintf(exec_how + l, sizeof(exec_how) - l, " (x32)");
	compat_abi_report("x32", exec_ok, exec_how, r == 0, call_how, x32_under_native_filter, NULL);
}
#else
static void check_abis(void)
{
	emit("abi", "abi.compat", "skip", str("not probed"),
	     "compat ABIs are probed on x86_64 builds only (i386 and x32)", NULL);
}
#endif

/* ---- JIT, libseccomp, bitmap cache ------------------------------------ */

static void check_jit(void)
{
	char en[32] = "", hard[32] = "", buf[64], v[200], detail[300];
	bool have = read_file("/proc/sys/net/core/bpf_jit_enable", en, sizeof(en)) == 0;
	bool have_h = read_file("/proc/sys/net/core/bpf_jit_harden", hard, sizeof(hard)) == 0;
	const char *always = config_value("CONFIG_BPF_JIT_ALWAYS_ON", buf, sizeof(buf));
	snprintf(v, sizeof(v), "%s", !have ? "unknown" : strcmp(en, "0") == 0 ? "disabled" : "enabled");
	snprintf(detail, sizeof(detail),
		 "/proc/sys/net/core/bpf_jit_enable = %s; CONFIG_BPF_JIT_ALWAYS_ON = %s; "
		 "seccomp's classic BPF is converted and JIT-compiled when enabled",
		 have ? en : "unreadable", always ? always : "unknown");
	struct json_object *extra = json_object_new_object();
	json_object_object_add(extra, "bpf_jit_enable", have ? json_object_new_int(atoi(en)) : NULL);
	emit("jit", "bpf.jit", have ? "pass" : "skip", str(v), detail, extra);
	snprintf(v, sizeof(v), "%s",
		 !have_h		  ? "unknown"
		 : strcmp(hard, "0") == 0 ? "off"
		 : strcmp(hard, "1") == 0 ? "unprivileged programs"
					  : "all programs");
	snprintf(detail, sizeof(detail),
		 "/proc/sys/net/core/bpf_jit_harden = %s (0 off, 1 unprivileged, 2 all: constant blinding)",
		 have_h ? hard : "unreadable");
	extra = json_object_new_object();
	json_object_object_add(extra, "bpf_jit_harden", have_h ? json_object_new_int(atoi(hard)) : NULL);
	emit("jit", "bpf.jit_harden", have_h ? "pass" : "skip", str(v), detail, extra);
}

static void check_libseccomp(void)
{
	const struct scmp_version *ver = seccomp_version();
	char v[120], detail[400];
	unsigned api = seccomp_api_get();
	snprintf(v, sizeof(v), "%u.%u.%u, API level %u", ver->major, ver->minor, ver->micro, api);
	snprintf(detail, sizeof(detail),
		 "seccomp_version() and seccomp_api_get() of the libseccomp linked into the "
		 "check (built against %d.%d.%d); API level 3+ has KILL_PROCESS and LOG, 4+ SPEC_ALLOW, 5+ "
		 "USER_NOTIF, 6+ TSYNC with USER_NOTIF, 7+ WAIT_KILLABLE_RECV",
		 SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
	struct json_object *extra = json_object_new_object();
	char vs[32];
	snprintf(vs, sizeof(vs), "%u.%u.%u", ver->major, ver->minor, ver->micro);
	json_object_object_add(extra, "version", json_object_new_string(vs));
	json_object_object_add(extra, "api_level", json_object_new_int((int)api));
	emit("libseccomp", "libseccomp", api >= 1 ? "pass" : "fail", str(v), detail, extra);
}

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The fastest of several rounds of getppid, in ns per call. */
static double time_getppid(void)
{
	double best = 1e18;
	for (int round = 0; round < 7; round++) {
		double t0 = now_ns();
		for (int i = 0; i < 5000; i++)
			syscall(SYS_getppid);
		double per = (now_ns() - t0) / 5000;
		if (per < best)
			best = per;
	}
	return best;
}

static double *cache_times;

/* Filters stacked for the timing: enough instructions that running them
 * costs microseconds, well within the path limit. */
#define CACHE_STACK 6

static int time_with(int which)
{
	if (which > 0) {
		struct sock_fprog p = long_prog(BPF_MAXINSNS, which == 2);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return 1;
		for (int i = 0; i < CACHE_STACK; i++)
			if (sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &p) < 0)
				return 1;
	}
	cache_times[which] = time_getppid();
	return 0;
}
static int time_none(void)
{
	return time_with(0);
}
static int time_const(void)
{
	return time_with(1);
}
static int time_arg(void)
{
	return time_with(2);
}

static void check_cache(void)
{
	char v[200], detail[900];
	struct stat st;

	cache_times = mmap(NULL, 3 * sizeof(double), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int a = in_child(time_none), b = in_child(time_const), c = in_child(time_arg);
	bool debug_file = stat("/proc/self/seccomp_cache", &st) == 0;
	bool version = kernel_major > 5 || (kernel_major == 5 && kernel_minor >= 11);
	if (a || b || c) {
		emit("cache", "bitmap_cache", "fail", str("unknown"), "the timing filters could not be loaded", NULL);
		return;
	}
	double base = cache_times[0], cst = cache_times[1], arg = cache_times[2];
	double cost_arg = arg - base, cost_const = cst - base;
	/* Present: the constant filter costs a small fraction of what the
	 * same length costs when the kernel must run it. */
	bool measurable = cost_arg > 100;
	bool present = measurable && cost_const < 0.2 * cost_arg;
	snprintf(v, sizeof(v), "%s", !measurable ? "undecided" : present ? "present" : "absent");
	snprintf(detail, sizeof(detail),
		 "timed getppid (fastest of 7 x 5000): no filter %.0f ns; %d stacked %d-instruction filters that "
		 "read only the syscall number (constant: the cache can answer) %.0f ns; the same reading args[0] "
		 "first (they must run) %.0f ns; so the constant filter costs %.0f%% of the one that runs; "
		 "kernel %d.%d (the cache came in 5.11); /proc/self/seccomp_cache %s",
		 base, CACHE_STACK, BPF_MAXINSNS, cst, arg, cost_arg > 0 ? 100.0 * cost_const / cost_arg : 0.0,
		 kernel_major, kernel_minor,
		 debug_file ? "exists (CONFIG_SECCOMP_CACHE_DEBUG)" : "absent (no CONFIG_SECCOMP_CACHE_DEBUG)");
	struct json_object *extra = json_object_new_object();
	json_object_object_add(extra, "ns_no_filter", json_object_new_double(base));
	json_object_object_add(extra, "ns_constant_filter", json_object_new_double(cst));
	json_object_object_add(extra, "ns_argument_filter", json_object_new_double(arg));
	json_object_object_add(extra, "kernel_has_cache_version", json_object_new_boolean(version));
	emit("cache", "bitmap_cache",
	     !measurable	  ? "skip"
	     : present == version ? "pass"
				  : "fail",
	     str(v), detail, extra);
	munmap(cache_times, 3 * sizeof(double));
}

/* ---- main ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f, "usage: check [--seccomp-status | --sleep SECONDS]\n"
		   "Prints what this host's kernel offers for seccomp, one JSON object per item\n"
		   "(./run.sh check renders them as a table or KTAP).\n"
		   "  --seccomp-status  print this process's Seccomp fields as one JSON line and exit\n"
		   "                    (used inside containers)\n"
		   "  --sleep SECONDS   sleep, then exit 0 (a long-running container for tests)\n"
		   "Exit status: 0 filters are enforced and every item agrees with the kernel;\n"
		   "1 this host (or this process) cannot enforce seccomp filters; 2 filters are\n"
		   "enforced but an item failed; 64 usage.\n");
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--exec-helper") == 0)
		return exec_helper();
	if (argc == 2 && strcmp(argv[1], "--seccomp-status") == 0) {
		printf("{\"seccomp_mode\":%ld,\"seccomp_filters\":%ld,\"no_new_privs\":%ld}\n", status_field("Seccomp"),
		       status_field("Seccomp_filters"), status_field("NoNewPrivs"));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--sleep") == 0) {
		sleep((unsigned)atoi(argv[2]));
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc != 1) {
		usage(stderr);
		return 64;
	}
	check_kernel();
	check_actions();
	check_flags();
	check_strict();
	check_filter_mode();
	check_stacking();
	check_abis();
	check_jit();
	check_libseccomp();
	check_cache();

	char detail[200];
	snprintf(detail, sizeof(detail), "%s; %d item(s) failed",
		 filters_enforced ? "a filter loaded in a child returned its errno for getppid"
				  : "a child could not make a filter decide its getppid",
		 n_failed);
	emit("summary", "enforces_filters", filters_enforced ? "pass" : "fail",
	     json_object_new_boolean(filters_enforced), detail, NULL);
	free(config_text);
	return !filters_enforced ? 1 : n_failed ? 2 : 0;
}
