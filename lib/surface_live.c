/* surface_live.c: every call of the surface really made, and none run.
 *
 * A child loads two filters: first a catch-all that returns
 * SECCOMP_RET_USER_NOTIF for every call (with one exception, below), then
 * the profile's filter.  The kernel runs both on each call and applies the
 * action of highest precedence (KILL_PROCESS > KILL_THREAD > TRAP > ERRNO >
 * USER_NOTIF > TRACE > LOG > ALLOW), so whatever the profile denies is
 * denied, and whatever it lets through becomes a notification to the
 * parent, which answers it with an error: never with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE, so no syscall body runs, whatever the
 * number or the arguments.  The child then makes every call of the
 * surface; it reports through a shared page only (any syscall of its own
 * would be judged too).
 *
 * The exception: the profile's filter has to be loaded after the
 * catch-all, by a seccomp(2) call the catch-all lets through.  It lets
 * through exactly seccomp(2) on x86_64 made from one instruction of this
 * file (the instruction pointer is part of struct seccomp_data), which the
 * child executes once, before the sweep; the sweep's own calls come from
 * other instructions and are caught like any other.  So a profile that
 * denies seccomp(2) is surveyed too.
 *
 * A kill kills the child: the parent forks a fresh one that continues
 * after that call.  A trap is caught by a SIGSYS handler that leaves the
 * result in the shared page and jumps back into the sweep (SA_NODEFER and
 * sigsetjmp(.., 0): neither needs a syscall).  The child shares the
 * parent's file table (CLONE_FILES), so the parent reads the listener
 * without pidfd_getfd or ptrace rights.  uretprobe and uprobe are never
 * called: the kernel exempts them from seccomp (surface_exempt_of).
 */
#define _GNU_SOURCE
#include "surface.h"

#include "caps.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

#if defined(__x86_64__) && !defined(__ILP32__)

enum stage { STAGE_START, STAGE_READY, STAGE_DONE, STAGE_SETUP_FAILED };
enum slot_state { SLOT_NONE, SLOT_STARTED, SLOT_RETURNED, SLOT_TRAPPED };

struct slot {
	int state;
	long ret;
	int trap_nr, trap_data, trap_code;
	uint32_t trap_arch;
};

struct shared {
	int stage;
	int cur;
	int listener_fd;
	int setup_errno;
	char setup_step[64];
	struct slot slots[];
};

struct call {
	const struct surface_abi *abi;
	uint32_t nr;
	uint64_t args[6];
	struct surface_live *out;
};

static struct shared *sh;
static sigjmp_buf sweep_jump;

/* ---- the child ---- */

extern const char surface_loader_return[];

/* The only seccomp(2) the catch-all lets through: this instruction's.
 * noclone (gcc) keeps one copy of the instruction; clang does not clone. */
#if defined(__clang__)
#define LOADER_ATTRS __attribute__((noinline))
#else
#define LOADER_ATTRS __attribute__((noinline, noclone))
#endif
static LOADER_ATTRS long loader_seccomp(unsigned long op, unsigned long flags, const void *arg)
{
	long ret;
	__asm__ volatile("syscall\n\t"
			 ".globl surface_loader_return\n"
			 "surface_loader_return:"
			 : "=a"(ret)
			 : "0"((long)SYS_seccomp), "D"(op), "S"(flags), "d"(arg)
			 : "rcx", "r11", "memory");
	return ret;
}

static long call_64(long nr, const uint64_t *a)
{
	register uint64_t r10 __asm__("r10") = a[3], r8 __asm__("r8") = a[4], r9 __asm__("r9") = a[5];
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The kernel's ia32 entry from a 64-bit task: number in eax, arguments in
 * ebx, ecx, edx, esi, edi, ebp; seccomp sees AUDIT_ARCH_I386. */
static long call_int80(long nr, const uint64_t *a)
{
	uint32_t a5 = (uint32_t)a[5];
	long ret;
	__asm__ volatile("mov %%rbp, %%r12\n\t"
			 "mov %[a5], %%ebp\n\t"
			 "int $0x80\n\t"
			 "mov %%r12, %%rbp"
			 : "=a"(ret)
			 : "0"(nr), "b"((uint32_t)a[0]), "c"((uint32_t)a[1]), "d"((uint32_t)a[2]), "S"((uint32_t)a[3]),
			   "D"((uint32_t)a[4]), [a5] "m"(a5)
			 : "r8", "r9", "r10", "r11", "r12", "memory");
	return (int)ret;
}

static long make_call(const struct call *c)
{
	if (c->abi->audit_arch == AUDIT_ARCH_I386)
		return call_int80(c->nr, c->args);
	return call_64(c->nr, c->args);
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	struct slot *s = &sh->slots[sh->cur];

	(void)sig;
	(void)ctx;
	s->trap_nr = si->si_syscall;
	s->trap_arch = si->si_arch;
	s->trap_data = si->si_errno;
	s->trap_code = si->si_code;
	__atomic_store_n(&s->state, SLOT_TRAPPED, __ATOMIC_SEQ_CST);
	siglongjmp(sweep_jump, 1);
}

static __attribute__((noreturn)) void spin(void)
{
	for (;;)
		__asm__ volatile("pause");
}

static __attribute__((noreturn)) void setup_failed(const char *step)
{
	sh->setup_errno = errno;
	snprintf(sh->setup_step, sizeof(sh->setup_step), "%s", step);
	__atomic_store_n(&sh->stage, STAGE_SETUP_FAILED, __ATOMIC_SEQ_CST);
	spin();
}

static __attribute__((noreturn)) void child_main(const struct call *calls, int n, int start, const struct policy *pol,
						 bool inherit, pid_t parent)
{
	struct rlimit no_core = { 0, 0 };
	struct sigaction sa;
	uintptr_t ip = (uintptr_t)surface_loader_return;
	struct sock_filter catch_all[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ip, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)((uint64_t)ip >> 32), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog catch_prog = { sizeof(catch_all) / sizeof(catch_all[0]), catch_all };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		setup_failed("prctl(PR_SET_PDEATHSIG)");
	/* A KILL_PROCESS must not leave a core file on the host. */
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		setup_failed("sigaction(SIGSYS)");
	if (!inherit && caps_apply(pol->caps) < 0)
		setup_failed("dropping capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		setup_failed("prctl(PR_SET_NO_NEW_PRIVS)");
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &catch_prog);
	if (fd < 0)
		setup_failed("seccomp(the USER_NOTIF catch-all)");
	sh->listener_fd = (int)fd;
	if (!pol->unconfined) {
		long r = loader_seccomp(SECCOMP_SET_MODE_FILTER, pol->load_flags, &pol->prog);
		if (r < 0) {
			errno = (int)-r;
			setup_failed("seccomp(the profile's filter)");
		}
	}
	__atomic_store_n(&sh->stage, STAGE_READY, __ATOMIC_SEQ_CST);

	volatile int i = start;
	if (sigsetjmp(sweep_jump, 0))
		i = __atomic_load_n(&sh->cur, __ATOMIC_SEQ_CST) + 1;
	for (; i < n; i++) {
		struct slot *s = &sh->slots[i];
		__atomic_store_n(&sh->cur, i, __ATOMIC_SEQ_CST);
		__atomic_store_n(&s->state, SLOT_STARTED, __ATOMIC_SEQ_CST);
		s->ret = make_call(&calls[i]);
		__atomic_store_n(&s->state, SLOT_RETURNED, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&sh->stage, STAGE_DONE, __ATOMIC_SEQ_CST);
	spin();
}

/* ---- the parent ---- */

static long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void set_error(struct surface_live *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(struct surface_live *l, const char *fmt, ...)
{
	va_list ap;
	l->kind = LIVE_ERROR;
	va_start(ap, fmt);
	vsnprintf(l->reason, sizeof(l->reason), fmt, ap);
	va_end(ap);
}

/* What the kernel hands the filter for a call's arguments. */
static bool same_args(const struct call *c, const __u64 *seen)
{
	for (unsigned i = 0; i < 6; i++) {
		uint64_t want = c->abi->audit_arch == AUDIT_ARCH_I386 ? (uint32_t)c->args[i] : c->args[i];
		if (seen[i] != want)
			return false;
	}
	return true;
}

/* One notification: answered with an error, never run. */
static void answer(int listener, const struct call *calls, int n, bool *notified, struct surface_live *stray)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int cur = __atomic_load_n(&sh->cur, __ATOMIC_SEQ_CST);

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.error = -EPERM;
	resp.flags = 0; /* never SECCOMP_USER_NOTIF_FLAG_CONTINUE */
	if (__atomic_load_n(&sh->stage, __ATOMIC_SEQ_CST) == STAGE_READY && cur >= 0 && cur < n &&
	    __atomic_load_n(&sh->slots[cur].state, __ATOMIC_SEQ_CST) == SLOT_STARTED) {
		const struct call *c = &calls[cur];
		if ((uint32_t)req.data.nr == c->nr && req.data.arch == c->abi->audit_arch &&
		    same_args(c, req.data.args))
			notified[cur] = true;
		else
			set_error(c->out, "the supervisor received nr %d arch 0x%x for this call", req.data.nr,
				  req.data.arch);
	} else if (!stray->reason[0]) {
		set_error(stray, "a notification outside the sweep: nr %d arch 0x%x", req.data.nr, req.data.arch);
	}
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void reap(pid_t pid, int pidfd, int *status)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, status, __WALL) < 0 && errno == EINTR)
		;
	close(pidfd);
}

/* One child from call `start` on.  Returns the index to continue from
 * (n: done), or -1 when the child could not be set up (err). */
static int run_child(const struct call *calls, int n, int start, const struct policy *pol, bool inherit, int timeout_ms,
		     bool *notified, struct surface_live *stray, char *err, size_t err_size)
{
	pid_t parent = getpid(), pid;
	int pidfd, status = 0, listener = -1, last_cur = -1, next = -1;
	struct timespec t0;

	__atomic_store_n(&sh->stage, STAGE_START, __ATOMIC_SEQ_CST);
	sh->cur = start;
	sh->listener_fd = -1;
	pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0) {
		snprintf(err, err_size, "clone: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_main(calls, n, start, pol, inherit, parent);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		snprintf(err, err_size, "pidfd_open: %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int stage = __atomic_load_n(&sh->stage, __ATOMIC_SEQ_CST);
		struct pollfd pfd[2] = { { pidfd, POLLIN, 0 }, { -1, POLLIN, 0 } };

		if (stage == STAGE_SETUP_FAILED) {
			reap(pid, pidfd, &status);
			snprintf(err, err_size, "the live child could not be set up: %s: %s", sh->setup_step,
				 strerror(sh->setup_errno));
			next = -1;
			break;
		}
		if (stage == STAGE_DONE) {
			reap(pid, pidfd, &status);
			next = n;
			break;
		}
		if (listener < 0 && stage == STAGE_READY)
			listener = sh->listener_fd;
		pfd[1].fd = listener;
		int r = poll(pfd, 2, 1);
		if (r > 0 && (pfd[1].revents & POLLIN))
			answer(listener, calls, n, notified, stray);
		if (r > 0 && (pfd[0].revents & POLLIN)) {
			/* The child died: of the call it was making, or else. */
			int cur = __atomic_load_n(&sh->cur, __ATOMIC_SEQ_CST);
			while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
				;
			close(pidfd);
			if (__atomic_load_n(&sh->stage, __ATOMIC_SEQ_CST) != STAGE_READY) {
				snprintf(err, err_size, "the live child died during set-up (status 0x%x)", status);
				next = -1;
			} else if (__atomic_load_n(&sh->slots[cur].state, __ATOMIC_SEQ_CST) == SLOT_STARTED) {
				if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
					calls[cur].out->kind = LIVE_KILL;
				else
					set_error(calls[cur].out, "the child died at this call (status 0x%x)", status);
				next = cur + 1;
			} else {
				set_error(calls[cur].out, "the child died after this call (status 0x%x)", status);
				next = cur + 1;
			}
			break;
		}
		int cur = __atomic_load_n(&sh->cur, __ATOMIC_SEQ_CST);
		if (cur != last_cur) {
			last_cur = cur;
			clock_gettime(CLOCK_MONOTONIC, &t0);
		} else if (ms_since(&t0) > timeout_ms) {
			reap(pid, pidfd, &status);
			if (stage == STAGE_READY) {
				set_error(calls[cur].out, "timeout: no answer within %d ms", timeout_ms);
				next = cur + 1;
			} else {
				snprintf(err, err_size, "the live child was not ready within %d ms", timeout_ms);
				next = -1;
			}
			break;
		}
	}
	if (listener >= 0)
		close(listener);
	else if (sh->listener_fd >= 0)
		close(sh->listener_fd);
	return next;
}

static int add_call(struct call **calls, int *n, int *cap, const struct surface_abi *abi, uint32_t nr,
		    const uint64_t *args, struct surface_live *out)
{
	if (*n == *cap) {
		int c = *cap ? 2 * *cap : 4096;
		struct call *nc = realloc(*calls, (size_t)c * sizeof(*nc));
		if (!nc)
			return -1;
		*calls = nc;
		*cap = c;
	}
	struct call *c = &(*calls)[(*n)++];
	c->abi = abi;
	c->nr = nr;
	memset(c->args, 0, sizeof(c->args));
	if (args)
		memcpy(c->args, args, sizeof(c->args));
	c->out = out;
	return 0;
}

/* The results each call left in the shared page. */
static void settle(const struct call *calls, int n, const bool *notified)
{
	for (int i = 0; i < n; i++) {
		const struct call *c = &calls[i];
		const struct slot *s = &sh->slots[i];
		struct surface_live *l = c->out;

		if (l->kind == LIVE_KILL || l->kind == LIVE_ERROR)
			continue;
		if (notified[i]) {
			l->kind = LIVE_PASSES;
		} else if (s->state == SLOT_TRAPPED) {
			if (s->trap_code == SYS_SECCOMP && (uint32_t)s->trap_nr == c->nr &&
			    s->trap_arch == c->abi->audit_arch) {
				l->kind = LIVE_TRAP;
				l->data = s->trap_data;
			} else {
				set_error(l, "SIGSYS for nr %d arch 0x%x (si_code %d), not for this call", s->trap_nr,
					  s->trap_arch, s->trap_code);
			}
		} else if (s->state == SLOT_RETURNED) {
			if (s->ret <= 0 && s->ret >= -4095) {
				l->kind = LIVE_ERRNO;
				l->err = (int)-s->ret;
			} else {
				set_error(l, "returned %ld without reaching the supervisor", s->ret);
			}
		} else {
			set_error(l, "never made (the sweep stopped before it)");
		}
	}
}

int surface_live(struct surface *s, const struct policy *pol, int timeout_ms, char *err, size_t err_size)
{
	struct call *calls = NULL;
	int n = 0, cap = 0, rc = -1;
	bool *notified = NULL;
	size_t shared_size = 0;
	struct surface_live stray = { 0 };
	char skipped[256] = "";

	if (!pol->unconfined && pol->can_notify) {
		snprintf(
			s->live_note, sizeof(s->live_note),
			"live source not run: the profile has SCMP_ACT_NOTIFY rules, and the kernel allows one notification listener per filter stack (EBUSY): the suite's catch-all cannot be added");
		snprintf(err, err_size, "%s", s->live_note);
		return -1;
	}
	for (size_t i = 0; i < s->n_points; i++) {
		struct surface_point *p = &s->points[i];
		if (!p->abi->live_how) {
			snprintf(skipped, sizeof(skipped),
				 "%s calls cannot be made from this program: static source only", p->abi->name);
			continue;
		}
		if (surface_exempt_of(p->abi, p->nr)) {
			p->live.kind = p->exempt ? LIVE_EXEMPT : LIVE_NONE;
			snprintf(p->live.reason, sizeof(p->live.reason), "never called: %s",
				 surface_exempt_of(p->abi, p->nr)->note);
			continue;
		}
		int r = 0;
		if (!p->n_conds)
			r = add_call(&calls, &n, &cap, p->abi, p->nr, NULL, &p->live);
		for (unsigned c = 0; c < p->n_conds && r == 0; c++) {
			struct surface_cond *cd = &p->conds[c];
			bool ip = false;
			for (unsigned t = 0; t < cd->n_tests; t++)
				ip = ip || cd->tests[t].word < BPF_WORD_ARG(0, 0);
			if (ip) {
				snprintf(
					cd->live.reason, sizeof(cd->live.reason),
					"not made: the path depends on the instruction pointer, which a call cannot choose");
				continue;
			}
			r = add_call(&calls, &n, &cap, p->abi, p->nr, cd->args, &cd->live);
		}
		if (r) {
			snprintf(err, err_size, "out of memory");
			goto out;
		}
	}
	notified = calloc((size_t)n + 1, sizeof(*notified));
	shared_size = sizeof(struct shared) + (size_t)n * sizeof(struct slot);
	sh = mmap(NULL, shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!notified || sh == MAP_FAILED) {
		snprintf(err, err_size, "out of memory");
		sh = NULL;
		goto out;
	}
	for (int start = 0; start < n;) {
		start = run_child(calls, n, start, pol, s->inherit, timeout_ms, notified, &stray, err, err_size);
		if (start < 0)
			goto out;
	}
	settle(calls, n, notified);
	s->have_live = true;
	if (stray.reason[0])
		snprintf(s->live_note, sizeof(s->live_note), "%s", stray.reason);
	else if (skipped[0])
		snprintf(s->live_note, sizeof(s->live_note), "%s", skipped);
	rc = 0;
out:
	if (rc)
		snprintf(s->live_note, sizeof(s->live_note), "live source not run: %s", err);
	if (sh)
		munmap(sh, shared_size);
	sh = NULL;
	free(notified);
	free(calls);
	return rc;
}

#else

int surface_live(struct surface *s, const struct policy *pol, int timeout_ms, char *err, size_t err_size)
{
	(void)pol;
	(void)timeout_ms;
	snprintf(s->live_note, sizeof(s->live_note),
		 "live source not run: it is implemented for x86_64 hosts only (static source only here)");
	snprintf(err, err_size, "%s", s->live_note);
	return -1;
}

#endif
