/* verdict.c: one probe syscall in a child under a filter, watched from the
 * parent.
 *
 * The child must be able to report even under a profile that denies write,
 * futex and exit_group: it leaves its result in a shared page and the
 * parent, which polls that page, kills it.  The filter is loaded with a raw
 * seccomp(2) right before the probe's call, so nothing else the child does
 * is judged by the filter.
 */
#define _GNU_SOURCE
#include "verdict.h"

#include "caps.h"

#include <errno.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

enum child_state {
	STATE_START,	    /* forked */
	STATE_GO,	    /* the tracer is attached: go on */
	STATE_LOADED,	    /* the filter is in place: the call comes next */
	STATE_DONE,	    /* the call returned; ret/err are set */
	STATE_TRAPPED,	    /* the SIGSYS handler ran */
	STATE_SETUP_FAILED, /* set-up failed before the call */
};

struct shared {
	int state; /* futex word */
	long ret;
	int err;
	int trap_nr, trap_data, trap_code;
	int listener_fd;
	int setup_errno;
	char setup_step[48];
};

static struct shared *child_shared;

static const char *const verdict_names[] = {
	[VERDICT_ALLOWED] = "allowed", [VERDICT_ERRNO] = "errno",	[VERDICT_KILLED] = "killed",
	[VERDICT_TRAPPED] = "trapped", [VERDICT_NOTIFIED] = "notified", [VERDICT_TRACED] = "traced",
	[VERDICT_ABSENT] = "absent",   [VERDICT_ERROR] = "error",
};

const char *verdict_name(enum verdict v)
{
	return verdict_names[v];
}

static long futex(int *word, int op, int val, const struct timespec *timeout)
{
	return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static void publish(int state)
{
	__atomic_store_n(&child_shared->state, state, __ATOMIC_SEQ_CST);
}

/* The child's end: wake the parent and exit if the filter lets it, else
 * wait to be killed.  No call here is needed for the report. */
static __attribute__((noreturn)) void child_finish(void)
{
	futex(&child_shared->state, FUTEX_WAKE, 1, NULL);
	syscall(SYS_exit_group, 0);
	syscall(SYS_exit, 0);
	for (;;)
		;
}

static __attribute__((noreturn)) void child_setup_failed(const char *step)
{
	child_shared->setup_errno = errno;
	snprintf(child_shared->setup_step, sizeof(child_shared->setup_step), "%s", step);
	publish(STATE_SETUP_FAILED);
	child_finish();
}

/* Only a trap of the probe's call counts: once the call has returned
 * (STATE_DONE), a trap of futex or exit_group must not replace its result. */
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	int loaded = STATE_LOADED;

	(void)sig;
	(void)ctx;
	if (__atomic_load_n(&child_shared->state, __ATOMIC_SEQ_CST) == STATE_LOADED) {
		child_shared->trap_nr = si->si_syscall;
		child_shared->trap_data = si->si_errno;
		child_shared->trap_code = si->si_code;
		__atomic_compare_exchange_n(&child_shared->state, &loaded, STATE_TRAPPED, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
	}
	child_finish();
}

static __attribute__((noreturn)) void child_main(const struct probe *p, const struct run_spec *spec, pid_t parent)
{
	struct rlimit no_core = { 0, 0 };
	struct sigaction sa;
	long ret;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		child_setup_failed("prctl(PR_SET_PDEATHSIG)");
	/* A KILL_PROCESS verdict must not leave a core file on the host. */
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	while (spec->trace && __atomic_load_n(&child_shared->state, __ATOMIC_SEQ_CST) == STATE_START)
		futex(&child_shared->state, FUTEX_WAIT, STATE_START, NULL);

	if (spec->prog) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigsys;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGSYS, &sa, NULL) < 0)
			child_setup_failed("sigaction(SIGSYS)");
	}
	if (p->prepare && p->prepare() < 0)
		child_setup_failed("the probe's set-up");
	if (spec->caps && caps_apply(*spec->caps) < 0)
		child_setup_failed("dropping capabilities");
	if (spec->prog) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			child_setup_failed("prctl(PR_SET_NO_NEW_PRIVS)");
		long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, spec->load_flags, spec->prog);
		if (fd < 0)
			child_setup_failed("seccomp(SECCOMP_SET_MODE_FILTER)");
		child_shared->listener_fd = spec->notify ? (int)fd : -1;
	}
	publish(STATE_LOADED);

	errno = 0;
	ret = p->run();
	child_shared->err = ret == -1 ? errno : 0;
	child_shared->ret = ret;
	publish(STATE_DONE);
	child_finish();
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void kill_and_reap(pid_t pid, int *status)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, status, __WALL) < 0 && errno == EINTR)
		;
}

/* The parent's supervisor: take the child's listener and answer each
 * notification with EPERM, so that no notified call reaches the kernel.
 * 1: the probe's own call was notified; 0: not (yet); -1: the listener
 * cannot be had (reason set). */
static int supervise(const struct probe *p, pid_t pid, struct shared *sh, int *listener, struct outcome *out)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd pfd;

	if (*listener < 0) {
		int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd >= 0) {
			*listener = (int)syscall(SYS_pidfd_getfd, pidfd, sh->listener_fd, 0);
			close(pidfd);
		}
		if (*listener < 0) {
			snprintf(out->reason, sizeof(out->reason),
				 "cannot take the child's notification listener (pidfd_getfd: %s)", strerror(errno));
			return -1;
		}
	}
	pfd.fd = *listener;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	memset(&req, 0, sizeof(req));
	if (ioctl(*listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return 0;
	/* A later call of the child's own (futex, exit_group) is answered too,
	 * but it is not the probe's verdict.  Decided before the answer: once
	 * answered, the child may already have published STATE_DONE. */
	bool probes_call = req.data.nr == p->nr && __atomic_load_n(&sh->state, __ATOMIC_SEQ_CST) == STATE_LOADED;
	if (probes_call) {
		out->have_args = true;
		for (int i = 0; i < 6; i++)
			out->args[i] = req.data.args[i];
	}
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.error = -EPERM;
	ioctl(*listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return probes_call;
}

void probe_execute(const struct probe *p, const struct run_spec *spec, struct outcome *out)
{
	struct shared *sh;
	struct timespec t0, tick = { 0, 1000000 };
	int status = 0, listener = -1;
	bool notified = false;
	pid_t pid, parent = getpid();

	memset(out, 0, sizeof(*out));
	out->kind = OUTCOME_ERROR;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		snprintf(out->reason, sizeof(out->reason), "mmap: %s", strerror(errno));
		return;
	}
	memset(sh, 0, sizeof(*sh));
	sh->listener_fd = -1;
	child_shared = sh;

	pid = fork();
	if (pid < 0) {
		snprintf(out->reason, sizeof(out->reason), "fork: %s", strerror(errno));
		munmap(sh, sizeof(*sh));
		return;
	}
	if (pid == 0)
		child_main(p, spec, parent);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (spec->trace) {
		if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL) < 0) {
			snprintf(out->reason, sizeof(out->reason), "cannot attach the tracer for SCMP_ACT_TRACE: %s",
				 strerror(errno));
			kill_and_reap(pid, &status);
			munmap(sh, sizeof(*sh));
			return;
		}
		int start = STATE_START;
		/* Not over a set-up failure the child may already have published. */
		__atomic_compare_exchange_n(&sh->state, &start, STATE_GO, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		futex(&sh->state, FUTEX_WAKE, 1, NULL);
	}

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG | __WALL);
		int st = __atomic_load_n(&sh->state, __ATOMIC_SEQ_CST);

		if (st == STATE_DONE || st == STATE_TRAPPED || st == STATE_SETUP_FAILED) {
			if (w != pid || WIFSTOPPED(status))
				kill_and_reap(pid, &status);
			break;
		}
		if (w == pid && WIFSTOPPED(status)) {
			if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)) && st == STATE_LOADED) {
				unsigned long msg = 0;
				ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
				kill_and_reap(pid, &status);
				out->kind = OUTCOME_TRACED;
				out->data = (int)msg;
				munmap(sh, sizeof(*sh));
				if (listener >= 0)
					close(listener);
				return;
			}
			/* Any other stop: let it go on, passing a signal through. */
			int sig = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
			ptrace(PTRACE_CONT, pid, 0, sig == SIGTRAP ? 0 : sig);
			continue;
		}
		if (w == pid)
			break;
		if (spec->notify && st == STATE_LOADED && !notified) {
			int r = supervise(p, pid, sh, &listener, out);
			if (r < 0) {
				kill_and_reap(pid, &status);
				munmap(sh, sizeof(*sh));
				return;
			}
			notified = r > 0;
		}
		if (ms_since(&t0) > spec->timeout_ms) {
			kill_and_reap(pid, &status);
			snprintf(out->reason, sizeof(out->reason),
				 "timeout: the probe ran longer than %d ms and was killed", spec->timeout_ms);
			munmap(sh, sizeof(*sh));
			if (listener >= 0)
				close(listener);
			return;
		}
		futex(&sh->state, FUTEX_WAIT, st, &tick);
	}
	if (listener >= 0)
		close(listener);

	int st = __atomic_load_n(&sh->state, __ATOMIC_SEQ_CST);
	if (notified) {
		out->kind = OUTCOME_NOTIFIED;
	} else if (st == STATE_SETUP_FAILED) {
		snprintf(out->reason, sizeof(out->reason), "set-up failed before the call: %s: %s", sh->setup_step,
			 strerror(sh->setup_errno));
	} else if (st == STATE_TRAPPED) {
		if (sh->trap_code == SYS_SECCOMP && sh->trap_nr == p->nr) {
			out->kind = OUTCOME_TRAPPED;
			out->data = sh->trap_data;
		} else {
			snprintf(out->reason, sizeof(out->reason),
				 "SIGSYS for syscall %d (si_code %d), not for the probe's call %ld", sh->trap_nr,
				 sh->trap_code, p->nr);
		}
	} else if (st == STATE_DONE) {
		out->kind = OUTCOME_RETURNED;
		out->ret = sh->ret;
		out->err = sh->err;
	} else if (st == STATE_LOADED && WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
		out->kind = OUTCOME_KILLED;
	} else if (st == STATE_LOADED && WIFEXITED(status) && (p->flags & PROBE_EXITS) &&
		   WEXITSTATUS(status) == PROBE_EXIT_STATUS) {
		out->kind = OUTCOME_RETURNED; /* the call ran and ended the process */
	} else if (WIFSIGNALED(status)) {
		snprintf(out->reason, sizeof(out->reason), "the child died of signal %d (%s) %s", WTERMSIG(status),
			 strsignal(WTERMSIG(status)),
			 st == STATE_LOADED ? "at the call" : "before the filter was loaded");
	} else {
		snprintf(out->reason, sizeof(out->reason), "the child exited with status %d %s", WEXITSTATUS(status),
			 st == STATE_LOADED ? "at the call" : "before the filter was loaded");
	}
	munmap(sh, sizeof(*sh));
}

void verdict_of(const struct probe *p, const struct policy *policy, int timeout_ms, struct verdict_result *out)
{
	struct run_spec spec = { 0 };
	struct outcome first, proof;

	memset(out, 0, sizeof(*out));
	if (p->nr == PROBE_ABSENT_NR) {
		out->verdict = VERDICT_ABSENT;
		out->by = "kernel";
		return;
	}
	spec.timeout_ms = timeout_ms;
	spec.caps = policy->unconfined && policy->name[0] == '\0' ? NULL : &policy->caps;
	if (!policy->unconfined) {
		spec.prog = &policy->prog;
		spec.load_flags = policy->load_flags;
		spec.trace = policy->can_trace;
		spec.notify = policy->can_notify;
	}
	probe_execute(p, &spec, &first);
	out->ret = first.ret;
	out->err = first.err;
	out->data = first.data;
	switch (first.kind) {
	case OUTCOME_KILLED:
		out->verdict = VERDICT_KILLED;
		out->by = "filter";
		return;
	case OUTCOME_TRAPPED:
		out->verdict = VERDICT_TRAPPED;
		out->by = "filter";
		return;
	case OUTCOME_NOTIFIED:
		out->verdict = VERDICT_NOTIFIED;
		out->by = "filter";
		out->have_args = first.have_args;
		memcpy(out->args, first.args, sizeof(out->args));
		return;
	case OUTCOME_TRACED:
		out->verdict = VERDICT_TRACED;
		out->by = "filter";
		return;
	case OUTCOME_ERROR:
		out->verdict = VERDICT_ERROR;
		snprintf(out->reason, sizeof(out->reason), "%s", first.reason);
		return;
	case OUTCOME_RETURNED: break;
	}
	/* A filter's ERRNO makes the call return -1 with its errno, or 0 for
	 * errno 0.  Anything else came from the kernel; a result the filter
	 * could have produced is proven by running again with every ERRNO
	 * action returning the sentinel. */
	bool maybe_filter = (first.ret == -1 && policy_may_return_errno(policy, first.err)) ||
			    (first.ret == 0 && policy_may_return_errno(policy, 0));
	if (policy->unconfined || !maybe_filter) {
		out->verdict = VERDICT_ALLOWED;
		out->by = "kernel";
		return;
	}
	spec.prog = &policy->sentinel;
	probe_execute(p, &spec, &proof);
	out->sentinel_checked = true;
	if (proof.kind != OUTCOME_RETURNED) {
		out->verdict = VERDICT_ERROR;
		snprintf(out->reason, sizeof(out->reason),
			 "the sentinel rerun did not return (%s): cannot tell filter from kernel",
			 proof.kind == OUTCOME_ERROR ? proof.reason : "killed, trapped, notified or traced");
		return;
	}
	if (proof.ret == -1 && proof.err == SENTINEL_ERRNO) {
		out->verdict = VERDICT_ERRNO;
		out->by = "filter";
	} else if (proof.ret == first.ret && proof.err == first.err) {
		out->verdict = VERDICT_ALLOWED;
		out->by = "kernel";
	} else {
		out->verdict = VERDICT_ERROR;
		snprintf(out->reason, sizeof(out->reason),
			 "the sentinel rerun returned %ld errno %d, the first run %ld errno %d: cannot attribute",
			 proof.ret, proof.err, first.ret, first.err);
	}
}
