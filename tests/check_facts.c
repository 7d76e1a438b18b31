/* check_facts: what the kernel does, measured here independently of
 * programs/check.c, for tests/check.test.sh to hold ./run.sh check's behaviour
 * items against.  Built by that test (cc), never by make.
 *
 *   check_facts             one line per item: "ITEM VALUE"
 *   check_facts --getppid   the errno getppid gives (0: it succeeded)
 *
 * Values: mode.strict works|broken; mode.filter.no_new_privs
 * required|not-required; mode.filter.fork and mode.filter.exec
 * inherited|not-inherited; action.NAME works|no.  Each item runs in its own
 * child under a filter built here (one getppid rule), and looks at what the
 * kernel did: the signal that ended the child, the errno, the siginfo, the
 * tracer's event, the listener's notification. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#else
#error "check_facts: unknown architecture"
#endif

#define FACT_ERRNO 4001 /* an errno no kernel path gives */
#define FACT_DATA 42

/* getppid gets `action`; every other call is allowed. */
static struct sock_fprog getppid_filter(unsigned action)
{
	static struct sock_filter insn[6];
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	memcpy(insn, f, sizeof(f));
	return (struct sock_fprog){ .len = 6, .filter = insn };
}

static long install(unsigned action, unsigned flags)
{
	struct sock_fprog prog = getppid_filter(action);

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* A child that dumps no core and cannot outlive its time. */
static pid_t child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none);
		alarm(5);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int status = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static bool exited(int status, int code)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static bool signalled(int status, int sig)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/* ---- modes ------------------------------------------------------------ */

static const char *strict_mode(void)
{
	int out[2];
	char got = 0;
	pid_t pid;
	int status;

	if (pipe(out))
		return "broken";
	pid = child();
	if (pid == 0) {
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
			_exit(2);
		syscall(__NR_write, out[1], "w", 1);
		syscall(__NR_getppid); /* not read/write/exit/sigreturn */
		syscall(__NR_exit, 3);
	}
	close(out[1]);
	status = reap(pid);
	if (read(out[0], &got, 1) != 1)
		got = 0;
	close(out[0]);
	return got == 'w' && signalled(status, SIGKILL) ? "works" : "broken";
}

/* Without any capability (uid 65534) a filter needs no_new_privs; with
 * CAP_SYS_ADMIN it does not. */
static const char *no_new_privs(void)
{
	struct sock_fprog allow = getppid_filter(SECCOMP_RET_ALLOW);
	pid_t pid = child();
	int status;

	if (pid == 0) {
		if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow))
			_exit(3); /* root with CAP_SYS_ADMIN: refused */
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(4);
		if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow) == 0)
			_exit(1); /* loaded without no_new_privs */
		if (errno != EACCES)
			_exit(5);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow))
			_exit(6);
		_exit(0);
	}
	status = reap(pid);
	return exited(status, 0) ? "required" : "not-required";
}

static const char *fork_inherits(void)
{
	pid_t pid = child();

	if (pid == 0) {
		pid_t grandchild;
		if (install(SECCOMP_RET_ERRNO | FACT_ERRNO, 0))
			_exit(2);
		grandchild = fork();
		if (grandchild == 0)
			_exit(syscall(__NR_getppid) == -1 && errno == FACT_ERRNO ? 0 : 1);
		_exit(exited(reap(grandchild), 0) ? 0 : 1);
	}
	return exited(reap(pid), 0) ? "inherited" : "not-inherited";
}

static const char *exec_inherits(void)
{
	int out[2];
	char line[32] = "";
	pid_t pid;
	ssize_t n;

	if (pipe(out))
		return "not-inherited";
	pid = child();
	if (pid == 0) {
		dup2(out[1], 1);
		if (install(SECCOMP_RET_ERRNO | FACT_ERRNO, 0))
			_exit(2);
		execl("/proc/self/exe", "check_facts", "--getppid", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	n = read(out[0], line, sizeof(line) - 1);
	line[n > 0 ? n : 0] = '\0';
	close(out[0]);
	reap(pid);
	return atoi(line) == FACT_ERRNO ? "inherited" : "not-inherited";
}

/* ---- actions ---------------------------------------------------------- */

static void *call_getppid(void *unused)
{
	(void)unused;
	syscall(__NR_getppid);
	return (void *)1; /* returned: the call was not killed */
}

/* The filter, then a second thread calls getppid.  Exit 10: that thread
 * ended without returning from the call, the first lived on; 11: the call
 * returned. */
static int threaded(unsigned action)
{
	pid_t pid = child();

	if (pid == 0) {
		pthread_t t;
		void *ret = NULL;
		if (install(action, 0) || pthread_create(&t, NULL, call_getppid, NULL) || pthread_join(t, &ret))
			_exit(2);
		_exit(ret == (void *)1 ? 11 : 10);
	}
	return reap(pid);
}

static volatile sig_atomic_t trap_code, trap_nr, trap_data;

static void on_sigsys(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	trap_code = info->si_code;
	trap_nr = info->si_syscall;
	trap_data = info->si_errno;
}

static const char *trap_action(void)
{
	pid_t pid = child();

	if (pid == 0) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		if (sigaction(SIGSYS, &sa, NULL) || install(SECCOMP_RET_TRAP | FACT_DATA, 0))
			_exit(2);
		syscall(__NR_getppid);
		_exit(trap_code == 1 /* SYS_SECCOMP */ && trap_nr == __NR_getppid && trap_data == FACT_DATA ? 0 : 1);
	}
	return exited(reap(pid), 0) ? "works" : "no";
}

static const char *errno_action(void)
{
	pid_t pid = child();

	if (pid == 0) {
		if (install(SECCOMP_RET_ERRNO | FACT_ERRNO, 0))
			_exit(2);
		_exit(syscall(__NR_getppid) == -1 && errno == FACT_ERRNO ? 0 : 1);
	}
	return exited(reap(pid), 0) ? "works" : "no";
}

static volatile long notified_ret;
static volatile int notified_errno;

static void *notified_getppid(void *unused)
{
	(void)unused;
	notified_ret = syscall(__NR_getppid);
	notified_errno = errno;
	return NULL;
}

/* The listener in the first thread answers a second thread's getppid with
 * errno FACT_ERRNO + 1. */
static const char *user_notif_action(void)
{
	pid_t pid = child();

	if (pid == 0) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		pthread_t t;
		long fd = install(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
		if (fd < 0 || pthread_create(&t, NULL, notified_getppid, NULL))
			_exit(2);
		memset(&req, 0, sizeof(req));
		if (ioctl((int)fd, SECCOMP_IOCTL_NOTIF_RECV, &req) || req.data.nr != __NR_getppid)
			_exit(3);
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.error = -(FACT_ERRNO + 1);
		if (ioctl((int)fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) || pthread_join(t, NULL))
			_exit(4);
		_exit(notified_ret == -1 && notified_errno == FACT_ERRNO + 1 ? 0 : 1);
	}
	return exited(reap(pid), 0) ? "works" : "no";
}

/* A tracer with PTRACE_O_TRACESECCOMP sees PTRACE_EVENT_SECCOMP with the
 * filter's data. */
static const char *trace_action(void)
{
	unsigned long msg = 0;
	bool seen = false;
	int status;
	pid_t pid = child();

	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(2);
		raise(SIGSTOP);
		if (install(SECCOMP_RET_TRACE | FACT_DATA, 0))
			_exit(3);
		syscall(__NR_getppid);
		_exit(0);
	}
	status = reap(pid);
	if (!WIFSTOPPED(status) || ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)) {
		kill(pid, SIGKILL);
		reap(pid);
		return "no";
	}
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (;;) {
		status = reap(pid);
		if (!WIFSTOPPED(status))
			break;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
			seen = ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 && msg == FACT_DATA;
			ptrace(PTRACE_CONT, pid, 0, 0);
		} else {
			ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(status) == SIGSTOP ? 0 : WSTOPSIG(status));
		}
	}
	return seen && exited(status, 0) ? "works" : "no";
}

static const char *log_action(void)
{
	pid_t parent = getpid(), pid = child();

	if (pid == 0) {
		if (install(SECCOMP_RET_LOG, 0))
			_exit(2);
		_exit(syscall(__NR_getppid) == parent ? 0 : 1);
	}
	return exited(reap(pid), 0) ? "works" : "no";
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--getppid") == 0) {
		long r = syscall(__NR_getppid);
		printf("%d\n", r == -1 ? errno : 0);
		return 0;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("mode.strict %s\n", strict_mode());
	printf("mode.filter.no_new_privs %s\n", no_new_privs());
	printf("mode.filter.fork %s\n", fork_inherits());
	printf("mode.filter.exec %s\n", exec_inherits());
	printf("action.kill_process %s\n", signalled(threaded(SECCOMP_RET_KILL_PROCESS), SIGSYS) ? "works" : "no");
	printf("action.kill_thread %s\n", exited(threaded(SECCOMP_RET_KILL_THREAD), 10) ? "works" : "no");
	printf("action.trap %s\n", trap_action());
	printf("action.errno %s\n", errno_action());
	printf("action.user_notif %s\n", user_notif_action());
	printf("action.trace %s\n", trace_action());
	printf("action.log %s\n", log_action());
	return 0;
}
