/* seccomp_bench: nanoseconds per syscall under seccomp filters of growing
 * size, depth and kind, measured so that the figures can be compared with
 * each other and with the kernel's own seccomp_benchmark.
 *
 * Method (why each step is there):
 * - Every sample is a fresh child, forked from here, pinned to one CPU, that
 *   loads its filters and then makes no syscall but the measured one: the
 *   clock is the vDSO's CLOCK_MONOTONIC and the results go through shared
 *   memory, so the filters under test need not allow anything else, and a
 *   profile that denies exit_group is handled by the parent killing the
 *   child once its results are in.
 * - The child warms up, sizes its batches to a fixed time, and times several
 *   batches; the sample is their median, so a batch that the scheduler
 *   interrupted on this shared machine does not move it.
 * - Rounds interleave all variants in a fresh random order, so that drift
 *   (frequency, other load) hits every variant alike; a point is the median
 *   of its rounds with a distribution-free 95% interval.
 * - Slopes (entry overhead, per rule, per filter, per instruction) are
 *   least-squares lines through the medians, with 95% intervals.
 * - Each filter is also run in user space (lib/bpf_eval) for its path
 *   length, and checked as the kernel checks whether its bitmap cache can
 *   skip it (bitmap_cache): numbers that explain the timings rather than
 *   come from them.
 */
#define _GNU_SOURCE
#include "bitmap_cache.h"
#include "bpf_eval.h"
#include "harmless.h"
#include "policy.h"
#include "profile_paths.h"
#include "stats.h"

#include <errno.h>
#include <json-c/json.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_STACK 32
#define MAX_ROUNDS 201
#define MAX_SUBBATCHES 128
#define NOTIF_VALUE 4242 /* what the supervisor answers for a USER_NOTIF getpid */
#define SAMPLE_TIMEOUT_NS (10LL * 1000 * 1000 * 1000)

enum action_kind { ACT_NONE, ACT_TRAP, ACT_NOTIF, ACT_LOG };

struct variant {
	char id[64];	 /* "rules-arg-default-long/256" */
	char series[48]; /* "rules-arg-default-long" */
	double x;	 /* rules, depth, or index within the series */
	char syscall_name[40];
	int nr;
	long args[6];
	unsigned n_filters;
	struct sock_fprog filters[MAX_STACK]; /* in load order */
	unsigned flags[MAX_STACK];
	enum action_kind action;
	int low_budget; /* LOG: every call writes an audit record; time few */
	/* From bpf_eval and bitmap_cache over the whole stack. */
	unsigned path_insns, filter_insns;
	bool cacheable;
	/* Results. */
	double samples[MAX_ROUNDS];   /* ns per call under the filters */
	double overheads[MAX_ROUNDS]; /* minus the same child's unfiltered ns per call */
	double means[MAX_ROUNDS];     /* the child's mean over its batches, interrupted ones too */
	double bases[MAX_ROUNDS];     /* the same child's unfiltered ns per call */
	unsigned n_samples;
	long ret; /* the first measured call's return and errno */
	int err;
	long base_ret; /* the same call's, unfiltered, in the same child */
	int base_err;
	long spec_ctrl;	       /* PR_GET_SPECULATION_CTRL(PR_SPEC_STORE_BYPASS) in the child after the load */
	long spec_ctrl_before; /* and before it */
	long spec_ib;	       /* PR_GET_SPECULATION_CTRL(PR_SPEC_INDIRECT_BRANCH) after the load */
	long spec_ib_before;   /* and before it */
	uint32_t path_ret;     /* what bpf_eval says the (last) filter returns for the call */
	bool spec_read_safe;   /* the filters answer prctl(PR_GET_SPECULATION_CTRL) with ALLOW, ERRNO or LOG */
	int row;	       /* --profile: the syscall's row, or -1 */
	char error[200];
	struct median_ci ci, over_ci, base_ci;
};

/* What a child leaves for the parent. */
struct sample_shm {
	atomic_int done;
	int n_sub, n_base;
	double sub_ns[MAX_SUBBATCHES];	/* under the filters */
	double base_ns[MAX_SUBBATCHES]; /* the same call before they were loaded */
	long ret;
	int err;
	long base_ret;
	int base_err;
	long spec_ctrl, spec_ctrl_before;
	long spec_ib, spec_ib_before;
	long calls_per_batch;
	char error[200];
};

struct budget {
	unsigned rounds;
	unsigned warmup_us;
	unsigned batch_us;
	unsigned batches;
};

static struct variant *variants;
static size_t n_variants, cap_variants;
static int host_arch_audit;
static int valid_nrs[1024];
static int n_valid_nrs;
static int pin_cpu = -1;
static bool realtime = true; /* SCHED_FIFO for the measuring child */
static const char *only[16];
static int n_only;

/* --only: is this series measured?  Unwanted variants are never built. */
static bool wanted(const char *series)
{
	if (n_only == 0)
		return true;
	for (int k = 0; k < n_only; k++)
		if (strncmp(series, only[k], strlen(only[k])) == 0)
			return true;
	return false;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "seccomp_bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Where the variants of unwanted series go (never measured). */
static struct variant discarded;

static struct variant *add_variant(const char *series, double x, const char *syscall_name, int nr)
{
	if (!wanted(series)) {
		memset(&discarded, 0, sizeof(discarded));
		return &discarded;
	}
	if (n_variants == cap_variants) {
		cap_variants = cap_variants ? cap_variants * 2 : 64;
		variants = realloc(variants, cap_variants * sizeof(*variants));
		if (!variants)
			die("out of memory");
	}
	struct variant *v = &variants[n_variants++];
	memset(v, 0, sizeof(*v));
	v->row = -1;
	snprintf(v->series, sizeof(v->series), "%s", series);
	snprintf(v->id, sizeof(v->id), "%s/%g", series, x);
	snprintf(v->syscall_name, sizeof(v->syscall_name), "%s", syscall_name);
	v->x = x;
	v->nr = nr;
	return v;
}

static void push_filter(struct variant *v, struct sock_fprog prog, unsigned flags)
{
	if (v == &discarded) {
		free(prog.filter);
		return;
	}
	if (v->n_filters == MAX_STACK)
		die("%s: more than %d filters", v->id, MAX_STACK);
	v->filters[v->n_filters] = prog;
	v->flags[v->n_filters++] = flags;
}

static struct sock_fprog raw_filter(const struct sock_filter *insns, unsigned short len)
{
	struct sock_fprog p = { .len = len, .filter = malloc(len * sizeof(*insns)) };
	if (!p.filter)
		die("out of memory");
	memcpy(p.filter, insns, len * sizeof(*insns));
	return p;
}

/* The kernel benchmark's two filters: one that only reads the syscall number
 * (the bitmap cache makes it free) and one that reads an argument (it must
 * run on every call). */
static struct sock_fprog cacheable_filter(void)
{
	static const struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	return raw_filter(f, 2);
}

static struct sock_fprog full_filter(void)
{
	static const struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	return raw_filter(f, 2);
}

static void export_or_die(scmp_filter_ctx ctx, struct sock_fprog *out, const char *what)
{
	if (filter_export(ctx, out))
		die("%s: libseccomp could not export the filter (or it is over %d instructions)", what, BPF_MAXINSNS);
	seccomp_release(ctx);
}

static void check(int rc, const char *what)
{
	if (rc < 0)
		die("%s: %s", what, strerror(-rc));
}

/* One filter, allowlist as Docker's: default ERRNO(EPERM); getpid allowed
 * (only when its first argument is 0 if getpid_arg, which the bitmap cache
 * cannot decide); n_rules - 1 further syscalls allowed by number.  getpid's
 * rule is placed first or last through libseccomp's priorities; tree asks
 * for the binary tree layout (SCMP_FLTATR_CTL_OPTIMIZE = 2). */
static struct sock_fprog rules_filter(int n_rules, bool getpid_arg, bool tree, bool getpid_first)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int placed = 1;

	if (!ctx)
		die("seccomp_init failed");
	if (tree)
		check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2), "SCMP_FLTATR_CTL_OPTIMIZE");
	if (getpid_arg)
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_getpid, 1, SCMP_A0(SCMP_CMP_EQ, 0, 0)), "getpid rule");
	else
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_getpid, 0), "getpid rule");
	check(seccomp_syscall_priority(ctx, SYS_getpid, getpid_first ? 255 : 0), "getpid priority");
	for (int i = 0; i < n_valid_nrs && placed < n_rules; i++) {
		if (valid_nrs[i] == SYS_getpid)
			continue;
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, valid_nrs[i], 0), "rule");
		check(seccomp_syscall_priority(ctx, valid_nrs[i], getpid_first ? 0 : 255), "priority");
		placed++;
	}
	if (placed < n_rules)
		die("only %d distinct syscalls on this ABI, %d asked", placed, n_rules);
	struct sock_fprog out;
	export_or_die(ctx, &out, "rules filter");
	return out;
}

/* Argument rules on one syscall: getpid allowed when arg0 equals one of
 * n_values values (0 .. n_values-1); everything else ERRNO(EPERM).  NULL
 * prog (len 0) when it does not fit the kernel's 4096 instructions. */
static struct sock_fprog arg_rules_filter(int n_values)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	struct sock_fprog out = { 0 };

	if (!ctx)
		die("seccomp_init failed");
	for (int k = 0; k < n_values; k++)
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_getpid, 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)k, 0)),
		      "argument rule");
	if (filter_export(ctx, &out))
		out.len = 0, out.filter = NULL;
	seccomp_release(ctx);
	return out;
}

/* The length of arg_rules_filter(n_values) without the kernel's limit. */
static int arg_rules_len(int n_values)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int fd = memfd_create("seccomp-bench", MFD_CLOEXEC);
	off_t size;

	if (!ctx || fd < 0)
		die("seccomp_init or memfd_create failed");
	for (int k = 0; k < n_values; k++)
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_getpid, 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)k, 0)),
		      "argument rule");
	check(seccomp_export_bpf(ctx, fd), "seccomp_export_bpf");
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	seccomp_release(ctx);
	return (int)(size / (off_t)sizeof(struct sock_filter));
}

/* getpid answered with an action; everything else allowed. */
static struct sock_fprog action_filter(uint32_t action)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct sock_fprog out;

	if (!ctx)
		die("seccomp_init failed");
	check(seccomp_rule_add(ctx, action, SYS_getpid, 0), "action rule");
	export_or_die(ctx, &out, "action filter");
	return out;
}

static void load_valid_nrs(void)
{
	for (int nr = 0; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name) {
			valid_nrs[n_valid_nrs++] = nr;
			free(name);
		}
	}
}

/* ---- the child ---------------------------------------------------------- */

static atomic_long traps_seen;
static atomic_int notif_fd = -1;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	atomic_fetch_add(&traps_seen, 1);
}

static void *notif_supervisor(void *unused)
{
	struct seccomp_notif_sizes sizes;
	int fd;

	(void)unused;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return NULL;
	struct seccomp_notif *req = calloc(1, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req));
	struct seccomp_notif_resp *resp =
		calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ? sizes.seccomp_notif_resp : sizeof(*resp));
	if (!req || !resp)
		return NULL;
	while ((fd = atomic_load(&notif_fd)) < 0)
		sched_yield();
	for (;;) {
		memset(req, 0, sizes.seccomp_notif);
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL;
		}
		memset(resp, 0, sizes.seccomp_notif_resp);
		resp->id = req->id;
		resp->val = NOTIF_VALUE;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
	}
}

/* -1 when the clock fails: where the vDSO cannot serve CLOCK_MONOTONIC the
 * call becomes a syscall, which the filters under test may deny. */
static inline long long now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline long measured_call(const struct variant *v)
{
	return syscall(v->nr, v->args[0], v->args[1], v->args[2], v->args[3], v->args[4], v->args[5]);
}

static void child_fail(struct sample_shm *shm, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void child_fail(struct sample_shm *shm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(shm->error, sizeof(shm->error), fmt, ap);
	va_end(ap);
	atomic_store(&shm->done, -1);
	_exit(1);
}

/* Warm up (caches, branch predictors, the JIT image), size the batches to
 * about batch_us from the rate seen, then time b->batches batches: ns per
 * call of each in sub[].  Calls per batch. */
static long time_batches(const struct variant *v, const struct budget *b, double *sub, int *n_sub, long *total)
{
	long long t0 = now_ns(), t1, warm = (long long)b->warmup_us * 1000;
	long calls = 0;

	if (t0 < 0)
		return -1;

	do {
		for (int i = 0; i < 16; i++)
			measured_call(v);
		calls += 16;
		t1 = now_ns();
	} while (t1 - t0 < warm && !(v->low_budget && calls >= 32));
	double est = (double)(t1 - t0) / calls;
	long per_batch = (long)((double)b->batch_us * 1000 / (est > 1 ? est : 1));
	if (per_batch < 8)
		per_batch = 8;
	/* LOG writes an audit record per call: a few hundred per sample. */
	unsigned batches = b->batches;
	if (v->low_budget && per_batch > 16)
		per_batch = 16;
	if (v->low_budget && batches > 8)
		batches = 8;
	for (unsigned s = 0; s < batches && s < MAX_SUBBATCHES; s++) {
		long long a = now_ns();
		for (long i = 0; i < per_batch; i++)
			measured_call(v);
		long long z = now_ns();
		if (a < 0 || z < 0)
			return -1;
		sub[s] = (double)(z - a) / per_batch;
		*n_sub = (int)s + 1;
		calls += per_batch;
	}
	*total = calls;
	return per_batch;
}

static void child_run(const struct variant *v, const struct budget *b, struct sample_shm *shm)
{
	cpu_set_t set;
	pthread_t sup;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (pin_cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(pin_cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			child_fail(shm, "cannot pin to CPU %d: %s", pin_cpu, strerror(errno));
	}
	/* The other work on this CPU must not take turns with the measured
	 * loop: the child is real-time for the few milliseconds it lives (the
	 * kernel's RT throttling still leaves the CPU 5% to everyone else). */
	if (realtime) {
		struct sched_param sp = { .sched_priority = 1 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			child_fail(shm, "SCHED_FIFO: %s (--sched other measures without it)", strerror(errno));
	}
	/* A filter that kills would otherwise leave a core file behind. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		child_fail(shm, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	if (v->action == ACT_TRAP) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &sa, NULL);
	}
	if (v->action == ACT_NOTIF && pthread_create(&sup, NULL, notif_supervisor, NULL))
		child_fail(shm, "cannot start the USER_NOTIF supervisor thread");
	/* The same call without the filters first, in the same child a few
	 * milliseconds earlier: the difference is the filters' cost, with
	 * whatever the machine was doing at that moment taken out of it.
	 * Its result is kept: a --profile form must return unfiltered what
	 * bench/harmless.c documents, or its timing is void. */
	shm->spec_ctrl_before = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	shm->spec_ib_before = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
	errno = 0;
	shm->base_ret = measured_call(v);
	shm->base_err = shm->base_ret < 0 ? errno : 0;
	long total;
	if (time_batches(v, b, shm->base_ns, &shm->n_base, &total) < 0 || shm->base_ns[0] <= 0)
		child_fail(shm, "clock_gettime(CLOCK_MONOTONIC) failed or does not advance");

	for (unsigned i = 0; i < v->n_filters; i++) {
		long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, v->flags[i], &v->filters[i]);
		if (fd < 0)
			child_fail(shm, "filter %u of %u refused: %s", i + 1, v->n_filters, strerror(errno));
		if (v->flags[i] & SECCOMP_FILTER_FLAG_NEW_LISTENER)
			atomic_store(&notif_fd, (int)fd);
	}
	/* Read back here, before the measured calls; some filters deny prctl
	 * and then this says so (-1); where the filter would kill or trap it,
	 * it is not read (-2). */
	shm->spec_ctrl = v->spec_read_safe ? prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0) : -2;
	shm->spec_ib = v->spec_read_safe ? prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0) : -2;

	errno = 0;
	shm->ret = measured_call(v);
	shm->err = shm->ret < 0 ? errno : 0;
	long traps_before = atomic_load(&traps_seen);
	long per_batch = time_batches(v, b, shm->sub_ns, &shm->n_sub, &total);
	if (per_batch < 0)
		child_fail(shm, "clock_gettime(CLOCK_MONOTONIC) failed under the filters: this machine's clock is "
				"not served by the vDSO, so timing needs a syscall the filters deny");
	shm->calls_per_batch = per_batch;
	if (v->action == ACT_TRAP && atomic_load(&traps_seen) - traps_before != total)
		child_fail(shm, "TRAP: %ld SIGSYS for %ld calls", atomic_load(&traps_seen) - traps_before, total);
	atomic_store(&shm->done, 1);
	syscall(SYS_exit_group, 0);
	/* The filter denied exit_group: the parent kills us. */
	for (;;)
		pause();
}

/* ---- the parent --------------------------------------------------------- */

static int run_sample(struct variant *v, const struct budget *b, struct sample_shm *shm)
{
	memset(shm, 0, sizeof(*shm));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0)
		child_run(v, b, shm);

	/* SIGCHLD (blocked in main) wakes us when the child exits; a child
	 * whose filter denies exit_group is noticed within 2 ms of its results. */
	long long start = now_ns();
	int status = 0, reaped = 0;
	struct timespec nap = { 0, 2 * 1000 * 1000 };
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	while (atomic_load(&shm->done) == 0) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			reaped = 1;
			break;
		}
		if (now_ns() - start > SAMPLE_TIMEOUT_NS)
			break;
		sigtimedwait(&chld, NULL, &nap);
	}
	if (!reaped) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (atomic_load(&shm->done) != 1) {
		if (shm->error[0])
			snprintf(v->error, sizeof(v->error), "%s", shm->error);
		else if (WIFSIGNALED(status))
			snprintf(v->error, sizeof(v->error), "the child died of signal %d", WTERMSIG(status));
		else
			snprintf(v->error, sizeof(v->error), "the child left no result (timeout or exit %d)",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	double sub[MAX_SUBBATCHES], base[MAX_SUBBATCHES];
	memcpy(sub, shm->sub_ns, sizeof(double) * (size_t)shm->n_sub);
	memcpy(base, shm->base_ns, sizeof(double) * (size_t)shm->n_base);
	double sum = 0;
	for (int i = 0; i < shm->n_sub; i++)
		sum += sub[i];
	v->means[v->n_samples] = sum / shm->n_sub;
	double filtered = median_of(sub, (size_t)shm->n_sub);
	double unfiltered = median_of(base, (size_t)shm->n_base);
	v->samples[v->n_samples] = filtered;
	v->bases[v->n_samples] = unfiltered;
	v->overheads[v->n_samples++] = filtered - unfiltered;
	v->ret = shm->ret;
	v->err = shm->err;
	v->base_ret = shm->base_ret;
	v->base_err = shm->base_err;
	v->spec_ctrl = shm->spec_ctrl;
	v->spec_ctrl_before = shm->spec_ctrl_before;
	v->spec_ib = shm->spec_ib;
	v->spec_ib_before = shm->spec_ib_before;
	return 0;
}

static void analyse_paths(struct variant *v)
{
	struct seccomp_data d = { .nr = v->nr, .arch = (unsigned)host_arch_audit };
	for (int i = 0; i < 6; i++)
		d.args[i] = (unsigned long)v->args[i];
	struct seccomp_data spec[2] = {
		{ .nr = SYS_prctl,
		  .arch = (unsigned)host_arch_audit,
		  .args = { PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS } },
		{ .nr = SYS_prctl,
		  .arch = (unsigned)host_arch_audit,
		  .args = { PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH } },
	};
	v->cacheable = v->n_filters > 0;
	v->spec_read_safe = true;
	for (unsigned i = 0; i < v->n_filters; i++) {
		for (int k = 0; k < 2; k++) {
			struct bpf_eval_result s;
			char why[256];
			if (bpf_eval(&v->filters[i], &spec[k], &s, why, sizeof(why)))
				die("%s: filter %u: %s", v->id, i, why);
			uint32_t act = s.ret & SECCOMP_RET_ACTION_FULL;
			if (act != SECCOMP_RET_ALLOW && act != SECCOMP_RET_ERRNO && act != SECCOMP_RET_LOG)
				v->spec_read_safe = false;
		}
		struct bpf_eval_result r;
		char err[256];
		if (bpf_eval(&v->filters[i], &d, &r, err, sizeof(err)))
			die("%s: filter %u: %s", v->id, i, err);
		v->path_insns += r.executed;
		v->path_ret = r.ret;
		v->filter_insns += v->filters[i].len;
		if (!bitmap_cache_allows(&v->filters[i], (unsigned)host_arch_audit, v->nr))
			v->cacheable = false;
	}
}

/* ---- the variants ------------------------------------------------------- */

static const int depths[] = { 1, 2, 4, 8, 16, 32 };

static void add_arg_rule_variants(bool quick);
static void add_action_variants(void);

static void add_getpid_variants(bool quick)
{
	struct variant *v;

	add_variant("native", 0, "getpid", SYS_getpid);

	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		v = add_variant("stack-cacheable", depths[i], "getpid", SYS_getpid);
		for (int d = 0; d < depths[i]; d++)
			push_filter(v, cacheable_filter(), 0);
		v = add_variant("stack-full", depths[i], "getpid", SYS_getpid);
		for (int d = 0; d < depths[i]; d++)
			push_filter(v, full_filter(), 0);
	}

	/* Syscall-number rules: 1, 2, 4, ... and every syscall of the ABI. */
	int ns[16], n_ns = 0;
	for (int n = 1; n < n_valid_nrs; n *= 2)
		if (!quick || n == 1 || n >= 4)
			ns[n_ns++] = n;
	ns[n_ns++] = n_valid_nrs;
	static const struct {
		const char *series;
		bool arg, tree, first;
	} layouts[] = {
		{ "rules-arg-default-short", true, false, true },
		{ "rules-arg-default-long", true, false, false },
		{ "rules-arg-tree-short", true, true, true },
		{ "rules-arg-tree-long", true, true, false },
		{ "rules-cacheable-default-long", false, false, false },
		{ "rules-cacheable-tree-long", false, true, false },
	};
	for (size_t l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++)
		for (int i = 0; i < n_ns && wanted(layouts[l].series); i++) {
			v = add_variant(layouts[l].series, ns[i], "getpid", SYS_getpid);
			push_filter(v, rules_filter(ns[i], layouts[l].arg, layouts[l].tree, layouts[l].first), 0);
		}

	if (wanted("argrules"))
		add_arg_rule_variants(quick);
	add_action_variants();
}

/* Argument rules on getpid, up to the largest count that fits: each value
 * adds about one instruction, so step by the room left. */
static void add_arg_rule_variants(bool quick)
{
	struct variant *v;
	int lo = 1024, len;
	lo += BPF_MAXINSNS - arg_rules_len(lo); /* at or past the limit */
	if ((len = arg_rules_len(lo)) > BPF_MAXINSNS)
		lo -= len - BPF_MAXINSNS; /* at or under it */
	while (arg_rules_len(lo + 1) <= BPF_MAXINSNS)
		lo++;
	int max_values = lo;
	for (int n = 1;; n *= 2) {
		int count = n < max_values ? n : max_values;
		if (quick && count > 1 && count < 4)
			continue;
		struct sock_fprog p = arg_rules_filter(count);
		/* The shortest and the longest path: walk every value. */
		long best = 0, worst = 0;
		unsigned best_steps = ~0u, worst_steps = 0;
		for (int k = 0; k < count; k++) {
			struct seccomp_data d = { .nr = SYS_getpid,
						  .arch = (unsigned)host_arch_audit,
						  .args = { (unsigned)k } };
			struct bpf_eval_result r;
			char err[256];
			if (bpf_eval(&p, &d, &r, err, sizeof(err)) || r.ret != SECCOMP_RET_ALLOW)
				die("argument rules: value %d not allowed by its own filter", k);
			if (r.executed < best_steps)
				best_steps = r.executed, best = k;
			if (r.executed > worst_steps)
				worst_steps = r.executed, worst = k;
		}
		v = add_variant("argrules-short", count, "getpid", SYS_getpid);
		v->args[0] = best;
		push_filter(v, p, 0);
		v = add_variant("argrules-long", count, "getpid", SYS_getpid);
		v->args[0] = worst;
		push_filter(v, raw_filter(p.filter, p.len), 0);
		if (count == max_values)
			break;
	}
}

static void add_action_variants(void)
{
	struct variant *v;

	/* The action taken on a denied call (x: 1 ERRNO, 2 TRAP, 3 LOG,
	 * 4 USER_NOTIF); getpid is the one call the filter decides. */
	v = add_variant("action-errno", 1, "getpid", SYS_getpid);
	push_filter(v, action_filter(SCMP_ACT_ERRNO(EPERM)), 0);
	v = add_variant("action-trap", 2, "getpid", SYS_getpid);
	v->action = ACT_TRAP;
	push_filter(v, action_filter(SCMP_ACT_TRAP), 0);
	v = add_variant("action-log", 3, "getpid", SYS_getpid);
	v->action = ACT_LOG;
	v->low_budget = 1;
	push_filter(v, action_filter(SCMP_ACT_LOG), 0);
	v = add_variant("action-user-notif", 4, "getpid", SYS_getpid);
	v->action = ACT_NOTIF;
	push_filter(v, action_filter(SCMP_ACT_NOTIFY), SECCOMP_FILTER_FLAG_NEW_LISTENER);

	/* Speculative store bypass: seccomp forces the mitigation on a filtered
	 * task unless SPEC_ALLOW, where the kernel offers that control. */
	v = add_variant("spec-default", 1, "getpid", SYS_getpid);
	push_filter(v, full_filter(), 0);
	v = add_variant("spec-allow", 1, "getpid", SYS_getpid);
	push_filter(v, full_filter(), SECCOMP_FILTER_FLAG_SPEC_ALLOW);
}

/* Whole bundled profiles, compiled by the suite's own loader as runc would,
 * on a handful of common calls in their harmless forms (bench/harmless.c). */
static void add_profile_variants(void)
{
	/* personality: a query, but docker-default checks its argument */
	static const char *const calls[] = { "getpid", "read", "close", "clock_gettime", "personality" };
	static const char *const profiles[] = { "unconfined", "docker-default", "restrictive" };
	char err[2048];

	for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]); p++) {
		struct policy pol;
		struct policy_opts opts = { .prog_name = "seccomp_bench" };
		char series[48];
		snprintf(series, sizeof(series), "profile-%s", profiles[p]);
		if (!wanted(series))
			continue;
		if (policy_load(profiles[p], &opts, &pol, err, sizeof(err)))
			die("%s", err);
		for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++) {
			const struct harmless_form *f = harmless_form(calls[c]);
			int nr = seccomp_syscall_resolve_name(calls[c]);
			if (!f || nr < 0)
				die("%s: no harmless form, or not a syscall of this ABI", calls[c]);
			struct variant *v = add_variant(series, (double)c + 1, calls[c], nr);
			snprintf(v->id, sizeof(v->id), "%s/%s", series, calls[c]);
			harmless_args(f, v->args);
			if (!pol.unconfined)
				push_filter(v, raw_filter(pol.prog.filter, pol.prog.len),
					    pol.load_flags & ~(unsigned)SECCOMP_FILTER_FLAG_NEW_LISTENER);
		}
		policy_free(&pol);
	}
}

/* ---- a user's profile (--profile) -------------------------------------- */

/* The same profile in three layouts: as the suite's loader compiles it
 * (libseccomp's default layout, as runc and scrun build it), libseccomp's
 * binary tree, and runc's ENOSYS stub in front of the default layout. */
#define N_LAYOUTS 3
static const char *const layout_names[N_LAYOUTS] = { "own", "tree", "runc" };

struct row {
	int nr;
	char name[40];
	struct call_paths paths[N_LAYOUTS];
	bool cacheable[N_LAYOUTS];
	const struct harmless_form *form; /* NULL: no harmless form */
	long args[6];
	struct bpf_eval_result form_eval[N_LAYOUTS]; /* the form's path in each layout */
	int hot_rank;				     /* position in --hot, or -1 */
	const char *picked;			     /* why it is timed, NULL when not */
	const char *untimed;			     /* why it is not */
	int variant[N_LAYOUTS];			     /* its points, -1 when none */
};

static struct user_profile {
	const char *arg, *caps;
	struct policy pol;
	struct profile resolved;
	struct sock_fprog prog[N_LAYOUTS];
	struct runc_stub stub;
	struct row *rows;
	int n_rows;
	const char *hot[64];
	int n_hot;
	int spec_row;
} up = { .spec_row = -1 };

static bool timeable_action(uint32_t ret)
{
	uint32_t a = ret & SECCOMP_RET_ACTION_FULL;
	return a == SECCOMP_RET_ALLOW || a == SECCOMP_RET_ERRNO;
}

/* Why r cannot be timed under the profile's own layout (NULL: it can). */
static const char *untimeable_why(const struct row *r)
{
	if (!r->form)
		return "no harmless form";
	if (!timeable_action(r->form_eval[0].ret))
		return "the profile answers its harmless form with KILL, TRAP, TRACE, USER_NOTIF or LOG";
	return NULL;
}

static struct row *row_named(const char *name)
{
	for (int i = 0; i < up.n_rows; i++)
		if (strcmp(up.rows[i].name, name) == 0)
			return &up.rows[i];
	return NULL;
}

static void pick(struct row *r, const char *why)
{
	if (!r->picked)
		r->picked = why;
}

/* Every known syscall number of the host ABI, walked in each layout. */
static void analyse_user_profile(void)
{
	char err[2048];
	struct policy_opts opts = { .caps = up.caps, .prog_name = "seccomp_bench" };

	if (policy_load(up.arg, &opts, &up.pol, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	if (up.pol.unconfined) {
		fprintf(stderr, "%s: no filter (unconfined): a profile without a filter costs nothing to measure\n",
			up.arg);
		exit(2);
	}
	up.prog[0] = up.pol.prog;
	if (tree_program(up.arg, &opts, &up.prog[1], &up.resolved, err, sizeof(err)) ||
	    runc_program(&up.resolved, &up.prog[0], &up.prog[2], &up.stub, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	up.rows = calloc((size_t)n_valid_nrs, sizeof(*up.rows));
	if (!up.rows)
		die("out of memory");
	for (int i = 0; i < n_valid_nrs; i++) {
		struct row *r = &up.rows[up.n_rows++];
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, valid_nrs[i]);
		r->nr = valid_nrs[i];
		snprintf(r->name, sizeof(r->name), "%s", name ? name : "?");
		free(name);
		r->hot_rank = -1;
		for (int h = 0; h < up.n_hot; h++)
			if (strcmp(up.hot[h], r->name) == 0 && r->hot_rank < 0)
				r->hot_rank = h;
		r->form = harmless_form(r->name);
		if (r->form)
			harmless_args(r->form, r->args);
		for (int l = 0; l < N_LAYOUTS; l++) {
			r->variant[l] = -1;
			if (paths_of_call(&up.prog[l], (unsigned)host_arch_audit, r->nr, &r->paths[l], err,
					  sizeof(err)))
				die("%s layout: %s", layout_names[l], err);
			r->cacheable[l] = bitmap_cache_allows(&up.prog[l], (unsigned)host_arch_audit, r->nr);
			if (r->form) {
				struct seccomp_data d = { .nr = r->nr, .arch = (unsigned)host_arch_audit };
				for (int a = 0; a < 6; a++)
					d.args[a] = (unsigned long)r->args[a];
				if (bpf_eval(&up.prog[l], &d, &r->form_eval[l], err, sizeof(err)))
					die("%s layout: %s: %s", layout_names[l], r->name, err);
			}
		}
	}
}

/* The sample: cacheable calls (getpid first), the shortest and the longest
 * argument-checking path among the forms the profile lets through, and the
 * workload's hottest calls; each in the three layouts. */
static void add_user_profile_variants(bool quick)
{
	int n_cacheable = 0, hot_max = quick ? 5 : 10;
	struct row *shortest = NULL, *longest = NULL;
	struct row *r;

	/* getpid, then the workload's calls, then the forms in their order */
	const char *order[512];
	size_t n_order = 0;
	order[n_order++] = "getpid";
	for (int h = 0; h < up.n_hot; h++)
		order[n_order++] = up.hot[h];
	for (const struct harmless_form *f = harmless_forms; f->name && n_order < 512; f++)
		order[n_order++] = f->name;
	for (size_t i = 0; i < n_order && n_cacheable < 3; i++)
		if ((r = row_named(order[i])) && !r->picked && r->paths[0].allowed && r->cacheable[0] &&
		    !untimeable_why(r))
			pick(r, "cacheable"), n_cacheable++;
	for (int i = 0; i < up.n_rows; i++) {
		r = &up.rows[i];
		if (!r->paths[0].allowed || r->cacheable[0] || untimeable_why(r))
			continue;
		if (!shortest || r->form_eval[0].executed < shortest->form_eval[0].executed)
			shortest = r;
		if (!longest || r->form_eval[0].executed >= longest->form_eval[0].executed)
			longest = r; /* a tie: another call than the shortest */
	}
	if (shortest)
		pick(shortest, "shortest argument-checking path");
	if (longest)
		pick(longest, "longest argument-checking path");
	for (int h = 0; h < up.n_hot && h < hot_max; h++)
		if ((r = row_named(up.hot[h])) && !untimeable_why(r))
			pick(r, "hot in the workload");

	for (int i = 0; i < up.n_rows; i++) {
		r = &up.rows[i];
		if (!r->picked) {
			r->untimed = untimeable_why(r) ? untimeable_why(r) : "not in the sample";
			continue;
		}
		for (int l = 0; l < N_LAYOUTS; l++) {
			if (!timeable_action(r->form_eval[l].ret))
				continue;
			char series[48];
			snprintf(series, sizeof(series), "user-%s", layout_names[l]);
			struct variant *v = add_variant(series, r->nr, r->name, r->nr);
			snprintf(v->id, sizeof(v->id), "%s/%s", series, r->name);
			memcpy(v->args, r->args, sizeof(v->args));
			v->row = i;
			r->variant[l] = (int)(v - variants);
			push_filter(v, raw_filter(up.prog[l].filter, up.prog[l].len),
				    up.pol.load_flags & ~(unsigned)SECCOMP_FILTER_FLAG_NEW_LISTENER);
		}
		/* SPEC_ALLOW off and on, on the sampled call whose filter runs longest */
		if (!r->cacheable[0] &&
		    (up.spec_row < 0 || r->form_eval[0].executed > up.rows[up.spec_row].form_eval[0].executed))
			up.spec_row = i;
	}
	if (up.spec_row < 0)
		for (int i = 0; i < up.n_rows && up.spec_row < 0; i++)
			if (up.rows[i].picked)
				up.spec_row = i;
	if (up.spec_row >= 0) {
		r = &up.rows[up.spec_row];
		for (int on = 0; on < 2; on++) {
			char series[48];
			snprintf(series, sizeof(series), "user-spec-%s", on ? "on" : "off");
			struct variant *v = add_variant(series, r->nr, r->name, r->nr);
			snprintf(v->id, sizeof(v->id), "%s/%s", series, r->name);
			memcpy(v->args, r->args, sizeof(v->args));
			v->row = up.spec_row;
			unsigned flags = up.pol.load_flags & ~(unsigned)SECCOMP_FILTER_FLAG_NEW_LISTENER;
			push_filter(v, raw_filter(up.prog[0].filter, up.prog[0].len),
				    on ? flags | SECCOMP_FILTER_FLAG_SPEC_ALLOW
				       : flags & ~(unsigned)SECCOMP_FILTER_FLAG_SPEC_ALLOW);
		}
	}

	/* Calibration on this machine, in the same rounds: a filter the bitmap
	 * skips, and getpid's argument compared with 1 to 1024 values (match
	 * last), for the entry cost and ns per executed instruction with
	 * which the calls not timed are estimated from their path lengths. */
	struct variant *v = add_variant("calib-bitmap", 1, "getpid", SYS_getpid);
	push_filter(v, cacheable_filter(), 0);
	static const int counts[] = { 1, 16, 64, 256, 1024 };
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		if (quick && counts[c] == 16)
			continue;
		struct sock_fprog p = arg_rules_filter(counts[c]);
		unsigned worst_steps = 0;
		long worst = 0;
		for (int k = 0; k < counts[c]; k++) {
			struct seccomp_data d = { .nr = SYS_getpid,
						  .arch = (unsigned)host_arch_audit,
						  .args = { (unsigned)k } };
			struct bpf_eval_result res;
			char err[256];
			if (bpf_eval(&p, &d, &res, err, sizeof(err)) || res.ret != SECCOMP_RET_ALLOW)
				die("calibration: value %d not allowed by its own filter", k);
			if (res.executed > worst_steps)
				worst_steps = res.executed, worst = k;
		}
		v = add_variant("calib-insns", counts[c], "getpid", SYS_getpid);
		v->args[0] = worst;
		push_filter(v, p, 0);
	}
}

/* ---- output ------------------------------------------------------------- */

static struct variant *find(const char *id)
{
	for (size_t i = 0; i < n_variants; i++)
		if (strcmp(variants[i].id, id) == 0)
			return &variants[i];
	return NULL;
}

static json_object *jdouble(double d)
{
	return isfinite(d) ? json_object_new_double(round(d * 100) / 100) : NULL;
}

static char *read_small_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	buf[0] = 0;
	if (!f)
		return NULL;
	if (!fgets(buf, (int)size, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

static json_object *machine_header(void)
{
	json_object *m = json_object_new_object(), *mit = json_object_new_object();
	struct utsname u;
	char buf[512], line[512];
	const struct scmp_version *ver = seccomp_version();

	uname(&u);
	json_object_object_add(m, "kernel", json_object_new_string(u.release));
	json_object_object_add(m, "kernel_version", json_object_new_string(u.version));
	json_object_object_add(m, "machine", json_object_new_string(u.machine));
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) == 0) {
			char *c = strchr(line, ':');
			line[strcspn(line, "\n")] = 0;
			json_object_object_add(m, "cpu", json_object_new_string(c ? c + 2 : line));
			break;
		}
	}
	if (f)
		fclose(f);
	json_object_object_add(m, "cpus_online", json_object_new_int((int)sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_object_add(m, "pinned_cpu", json_object_new_int(pin_cpu));
	json_object_object_add(
		m, "bpf_jit_enable",
		json_object_new_string(
			read_small_file("/proc/sys/net/core/bpf_jit_enable", buf, sizeof(buf)) ? buf : "unknown"));
	json_object_object_add(
		m, "bpf_jit_harden",
		json_object_new_string(
			read_small_file("/proc/sys/net/core/bpf_jit_harden", buf, sizeof(buf)) ? buf : "unknown"));
	json_object_object_add(
		m, "clocksource",
		json_object_new_string(
			read_small_file("/sys/devices/system/clocksource/clocksource0/current_clocksource", buf,
					sizeof(buf))
				? buf
				: "unknown"));
	static const char *const vulns[] = { "meltdown", "spectre_v1",		 "spectre_v2", "spec_store_bypass",
					     "retbleed", "spec_rstack_overflow", "mds" };
	for (size_t i = 0; i < sizeof(vulns) / sizeof(vulns[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", vulns[i]);
		if (read_small_file(path, buf, sizeof(buf)))
			json_object_object_add(mit, vulns[i], json_object_new_string(buf));
	}
	json_object_object_add(m, "mitigations", mit);
	snprintf(buf, sizeof(buf), "%u.%u.%u", ver->major, ver->minor, ver->micro);
	json_object_object_add(m, "libseccomp", json_object_new_string(buf));
	json_object_object_add(
		m, "seccomp_actions_avail",
		json_object_new_string(
			read_small_file("/proc/sys/kernel/seccomp/actions_avail", buf, sizeof(buf)) ? buf : "unknown"));
	double load[3];
	if (getloadavg(load, 3) == 3) {
		json_object *l = json_object_new_array();
		for (int i = 0; i < 3; i++)
			json_object_array_add(l, json_object_new_double(load[i]));
		json_object_object_add(m, "loadavg_start", l);
	}
	return m;
}

/* A line through the medians of the points of one series: their overheads
 * (ns over the same child's unfiltered call), so the intercept is the cost
 * of the series' smallest filter and the slope its growth. */
static json_object *series_fit(const char *series, bool log2x, bool by_path, const char *unit, struct line_fit *out)
{
	double xs[64], ys[64];
	size_t n = 0;
	for (size_t i = 0; i < n_variants && n < 64; i++) {
		struct variant *v = &variants[i];
		if (strcmp(v->series, series) != 0 || v->n_samples == 0)
			continue;
		xs[n] = by_path ? v->path_insns : log2x ? log2(v->x) : v->x;
		ys[n++] = v->over_ci.median;
	}
	struct line_fit f = fit_line(xs, ys, n);
	if (out)
		*out = f;
	json_object *j = json_object_new_object();
	json_object_object_add(j, "series", json_object_new_string(series));
	json_object_object_add(j, "x", json_object_new_string(by_path ? "path instructions" : log2x ? "log2(x)" : "x"));
	json_object_object_add(j, "unit", json_object_new_string(unit));
	json_object_object_add(j, "slope", jdouble(f.slope));
	json_object *ci = json_object_new_array();
	json_object_array_add(ci, jdouble(f.slope_lo));
	json_object_array_add(ci, jdouble(f.slope_hi));
	json_object_object_add(j, "slope_ci95", ci);
	json_object_object_add(j, "intercept", jdouble(f.intercept));
	json_object_object_add(j, "r2", isfinite(f.r2) ? json_object_new_double(round(f.r2 * 10000) / 10000) : NULL);
	json_object_object_add(j, "points", json_object_new_int((int)f.n));
	return j;
}

static double median_of_id(const char *id)
{
	struct variant *v = find(id);
	return v && v->n_samples ? v->ci.median : NAN;
}

static double overhead_of_id(const char *id)
{
	struct variant *v = find(id);
	return v && v->n_samples ? v->over_ci.median : NAN;
}

static json_object *estimates(void)
{
	json_object *e = json_object_new_object();
	struct line_fit full, f;
	double native = median_of_id("native/0");
	double one = median_of_id("stack-cacheable/1");

	json_object_object_add(e, "native_ns", jdouble(native));
	json_object_object_add(e, "one_filter_bitmap_ns", jdouble(one));
	json_object_object_add(e, "one_filter_full_ns", jdouble(median_of_id("stack-full/1")));
	json_object_object_add(e, "entry_bitmap_ns", jdouble(overhead_of_id("stack-cacheable/1")));
	json_object_object_add(e, "per_filter_full", series_fit("stack-full", false, false, "ns per filter", &full));
	json_object_object_add(e, "entry_full_ns", jdouble(full.intercept));
	json_object_object_add(e, "per_filter_cacheable",
			       series_fit("stack-cacheable", false, false, "ns per filter", NULL));
	json_object_object_add(e, "per_rule_default_long",
			       series_fit("rules-arg-default-long", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_rule_default_short",
			       series_fit("rules-arg-default-short", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_doubling_tree_long",
			       series_fit("rules-arg-tree-long", true, false, "ns per doubling of rules", NULL));
	json_object_object_add(e, "per_rule_tree_long_linear",
			       series_fit("rules-arg-tree-long", false, false,
					  "ns per rule (a line the tree should not fit)", &f));
	json_object_object_add(e, "per_doubling_default_long",
			       series_fit("rules-arg-default-long", true, false,
					  "ns per doubling (a curve the default layout should not fit)", NULL));
	json_object_object_add(e, "per_rule_cacheable_default_long",
			       series_fit("rules-cacheable-default-long", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_rule_cacheable_tree_long",
			       series_fit("rules-cacheable-tree-long", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_arg_rule_long",
			       series_fit("argrules-long", false, false, "ns per argument rule", NULL));
	json_object_object_add(e, "per_instruction_default_long",
			       series_fit("rules-arg-default-long", false, true, "ns per BPF instruction executed",
					  NULL));
	json_object_object_add(e, "per_instruction_arg_rules",
			       series_fit("argrules-long", false, true, "ns per BPF instruction executed", NULL));
	json_object *act = json_object_new_object();
	static const char *const acts[][2] = { { "errno", "action-errno/1" },
					       { "trap", "action-trap/2" },
					       { "log", "action-log/3" },
					       { "user_notif", "action-user-notif/4" } };
	for (size_t i = 0; i < 4; i++)
		json_object_object_add(act, acts[i][0], jdouble(overhead_of_id(acts[i][1])));
	json_object_object_add(e, "action_overhead_ns", act);
	json_object_object_add(e, "spec_allow_saving_ns",
			       jdouble(overhead_of_id("spec-default/1") - overhead_of_id("spec-allow/1")));
	return e;
}

static json_object *point_json(const struct variant *v)
{
	json_object *p = json_object_new_object(), *a;
	json_object_object_add(p, "id", json_object_new_string(v->id));
	json_object_object_add(p, "series", json_object_new_string(v->series));
	json_object_object_add(p, "x", json_object_new_double(v->x));
	json_object_object_add(p, "syscall", json_object_new_string(v->syscall_name));
	json_object_object_add(p, "nr", json_object_new_int(v->nr));
	a = json_object_new_array();
	for (int i = 0; i < 6 && (v->args[i] || i == 0); i++)
		json_object_array_add(a, json_object_new_int64(v->args[i]));
	json_object_object_add(p, "args", a);
	json_object_object_add(p, "filters", json_object_new_int((int)v->n_filters));
	json_object_object_add(p, "filter_insns", json_object_new_int((int)v->filter_insns));
	json_object_object_add(p, "path_insns", json_object_new_int((int)v->path_insns));
	json_object_object_add(p, "cacheable", json_object_new_boolean(v->cacheable));
	unsigned flags = 0;
	for (unsigned i = 0; i < v->n_filters; i++)
		flags |= v->flags[i];
	json_object_object_add(p, "load_flags", json_object_new_int((int)flags));
	if (v->error[0]) {
		json_object_object_add(p, "error", json_object_new_string(v->error));
		return p;
	}
	json_object_object_add(p, "ret", json_object_new_int64(v->ret));
	json_object_object_add(p, "errno", json_object_new_int(v->err));
	json_object_object_add(p, "errno_name", v->err ? json_object_new_string(strerrorname_np(v->err)) : NULL);
	/* The speculation state of the measuring child, read with
	 * PR_GET_SPECULATION_CTRL before and after its filters were loaded:
	 * spec_ctrl for PR_SPEC_STORE_BYPASS, spec_ctrl_indirect_branch for
	 * PR_SPEC_INDIRECT_BRANCH (PR_SPEC_* bits; -1: the filter denies
	 * prctl; -2: not read, the filter would kill or trap it). */
	json_object_object_add(p, "spec_ctrl", json_object_new_int64(v->spec_ctrl));
	json_object_object_add(p, "spec_ctrl_unfiltered", json_object_new_int64(v->spec_ctrl_before));
	json_object_object_add(p, "spec_ctrl_indirect_branch", json_object_new_int64(v->spec_ib));
	json_object_object_add(p, "spec_ctrl_indirect_branch_unfiltered", json_object_new_int64(v->spec_ib_before));
	json_object_object_add(p, "base_ns", jdouble(v->base_ci.median));
	json_object_object_add(p, "base_errno_name",
			       v->base_err ? json_object_new_string(strerrorname_np(v->base_err)) : NULL);
	json_object_object_add(p, "median_ns", jdouble(v->ci.median));
	a = json_object_new_array();
	json_object_array_add(a, jdouble(v->ci.lo));
	json_object_array_add(a, jdouble(v->ci.hi));
	json_object_object_add(p, "ci95_ns", a);
	json_object_object_add(p, "ci_coverage", json_object_new_double(round(v->ci.coverage * 1000) / 1000));
	double tmp[MAX_ROUNDS];
	memcpy(tmp, v->means, sizeof(double) * v->n_samples);
	/* What a benchmark that divides total time by calls (as the kernel's
	 * does) would see, round by round: for comparison only. */
	json_object_object_add(p, "batch_mean_ns", jdouble(median_of(tmp, v->n_samples)));
	json_object_object_add(p, "overhead_ns", jdouble(v->over_ci.median));
	a = json_object_new_array();
	json_object_array_add(a, jdouble(v->over_ci.lo));
	json_object_array_add(a, jdouble(v->over_ci.hi));
	json_object_object_add(p, "overhead_ci95_ns", a);
	a = json_object_new_array();
	for (unsigned i = 0; i < v->n_samples; i++)
		json_object_array_add(a, jdouble(v->samples[i]));
	json_object_object_add(p, "samples_ns", a);
	a = json_object_new_array();
	for (unsigned i = 0; i < v->n_samples; i++)
		json_object_array_add(a, jdouble(v->overheads[i]));
	json_object_object_add(p, "overhead_samples_ns", a);
	return p;
}

/* ---- a user's profile: results ----------------------------------------- */

/* "ALLOW", "ERRNO(1)", "KILL_PROCESS": what a filter's return means. */
static const char *ret_text(uint32_t ret, char *buf, size_t size)
{
	uint32_t data = ret & SECCOMP_RET_DATA;
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW: return "ALLOW";
	case SECCOMP_RET_LOG: return "LOG";
	case SECCOMP_RET_KILL_PROCESS: return "KILL_PROCESS";
	case SECCOMP_RET_KILL_THREAD: return "KILL_THREAD";
	case SECCOMP_RET_TRAP: return "TRAP";
	case SECCOMP_RET_USER_NOTIF: return "USER_NOTIF";
	case SECCOMP_RET_ERRNO:
		snprintf(buf, size, "ERRNO(%s)", strerrorname_np((int)data) ? strerrorname_np((int)data) : "?");
		return buf;
	case SECCOMP_RET_TRACE: return "TRACE";
	default: return "?";
	}
}

struct user_model {
	struct line_fit insn; /* overhead against path instructions (calib-insns) */
	json_object *insn_json;
	double bitmap_ns; /* overhead of a filter the bitmap skips (calib-bitmap/1) */
	bool measured;
};

/* What a call of r would add under layout l with a path of path
 * instructions, from this run's calibration: the bitmap's entry cost when
 * the kernel skips the filter, else the line's. */
static double est_ns(const struct row *r, int l, unsigned path, const struct user_model *m)
{
	if (!m->measured)
		return NAN;
	return r->cacheable[l] ? m->bitmap_ns : m->insn.intercept + m->insn.slope * path;
}

static json_object *args_json(const long *args)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < 6; i++)
		json_object_array_add(a, json_object_new_int64(args[i]));
	return a;
}

static json_object *args_json_u64(const uint64_t *args)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < 6; i++)
		json_object_array_add(a, json_object_new_int64((int64_t)args[i]));
	return a;
}

static json_object *ci_json(struct median_ci c)
{
	json_object *a = json_object_new_array();
	json_object_array_add(a, jdouble(c.lo));
	json_object_array_add(a, jdouble(c.hi));
	return a;
}

static json_object *measured_json(const struct variant *v)
{
	if (!v || v->n_samples == 0 || v->error[0])
		return NULL;
	json_object *m = json_object_new_object();
	json_object_object_add(m, "id", json_object_new_string(v->id));
	json_object_object_add(m, "median_ns", jdouble(v->ci.median));
	json_object_object_add(m, "ci95_ns", ci_json(v->ci));
	json_object_object_add(m, "base_ns", jdouble(v->base_ci.median));
	json_object_object_add(m, "overhead_ns", jdouble(v->over_ci.median));
	json_object_object_add(m, "overhead_ci95_ns", ci_json(v->over_ci));
	json_object_object_add(m, "errno_name", v->err ? json_object_new_string(strerrorname_np(v->err)) : NULL);
	json_object_object_add(m, "spec_ctrl", json_object_new_int64(v->spec_ctrl));
	json_object_object_add(m, "spec_ctrl_indirect_branch", json_object_new_int64(v->spec_ib));
	return m;
}

static json_object *row_json(const struct row *r, const struct user_model *m)
{
	json_object *o = json_object_new_object(), *ls = json_object_new_object();
	char buf[48];

	json_object_object_add(o, "nr", json_object_new_int(r->nr));
	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "surface", json_object_new_boolean(r->paths[0].allowed));
	json_object_object_add(o, "hot_rank", r->hot_rank >= 0 ? json_object_new_int(r->hot_rank + 1) : NULL);
	if (r->form) {
		json_object *f = json_object_new_object();
		json_object_object_add(f, "args", args_json(r->args));
		json_object_object_add(f, "unconfined", json_object_new_string(r->form->unconfined));
		json_object_object_add(f, "why", json_object_new_string(r->form->why));
		json_object_object_add(o, "form", f);
	} else {
		json_object_object_add(o, "form", NULL);
	}
	json_object_object_add(o, "timed", json_object_new_boolean(r->picked && r->variant[0] >= 0));
	json_object_object_add(o, "picked", r->picked ? json_object_new_string(r->picked) : NULL);
	json_object_object_add(o, "untimed", r->untimed ? json_object_new_string(r->untimed) : NULL);
	for (int l = 0; l < N_LAYOUTS; l++) {
		const struct call_paths *p = &r->paths[l];
		json_object *j = json_object_new_object();
		unsigned lo = p->allowed ? p->allow_min : p->all_min, hi = p->allowed ? p->allow_max : p->all_max;
		json_object_object_add(j, "verdict",
				       json_object_new_string(p->allowed && !p->denied ? "allowed"
							      : p->allowed	       ? "allowed for some arguments"
									   : ret_text(p->deny_ret, buf, sizeof(buf))));
		if (p->allowed && p->denied)
			json_object_object_add(j, "otherwise",
					       json_object_new_string(ret_text(p->deny_ret, buf, sizeof(buf))));
		json_object_object_add(j, "cacheable", json_object_new_boolean(r->cacheable[l]));
		json_object_object_add(j, "reads_args", json_object_new_boolean(p->reads_args));
		json_object_object_add(j, "paths", json_object_new_int((int)p->n_paths));
		if (p->truncated)
			json_object_object_add(j, "truncated", json_object_new_boolean(true));
		if (p->approximate)
			json_object_object_add(j, "approximate", json_object_new_boolean(true));
		/* instructions on the shortest and the longest allowing path
		 * (every path when none allows), with an argument vector for each */
		json_object_object_add(j, "path_min", json_object_new_int((int)lo));
		json_object_object_add(j, "path_max", json_object_new_int((int)hi));
		if (p->allowed && p->reads_args) {
			json_object_object_add(j, "path_min_args", args_json_u64(p->allow_min_args));
			json_object_object_add(j, "path_max_args", args_json_u64(p->allow_max_args));
		}
		if (r->form) {
			json_object_object_add(j, "form_path", json_object_new_int((int)r->form_eval[l].executed));
			json_object_object_add(j, "form_action",
					       json_object_new_string(ret_text(r->form_eval[l].ret, buf, sizeof(buf))));
		}
		json_object_object_add(j, "est_min_ns", jdouble(est_ns(r, l, lo, m)));
		json_object_object_add(j, "est_max_ns", jdouble(est_ns(r, l, hi, m)));
		if (r->form)
			json_object_object_add(j, "est_form_ns", jdouble(est_ns(r, l, r->form_eval[l].executed, m)));
		json_object_object_add(j, "measured",
				       measured_json(r->variant[l] >= 0 ? &variants[r->variant[l]] : NULL));
		json_object_object_add(ls, layout_names[l], j);
	}
	json_object_object_add(o, "layouts", ls);
	return o;
}

static json_object *user_profile_json(void)
{
	json_object *p = json_object_new_object(), *l = json_object_new_object();
	int surface = 0, cacheable = 0;

	json_object_object_add(p, "name", json_object_new_string(up.arg));
	json_object_object_add(p, "file", json_object_new_string(up.pol.file));
	json_object_object_add(p, "caps", json_object_new_string(up.caps ? up.caps : "docker-default"));
	json_object_object_add(p, "arch",
			       json_object_new_string(scmp_arch_name(up.pol.arch) ? scmp_arch_name(up.pol.arch) : "?"));
	json_object_object_add(p, "load_flags", json_object_new_int((int)up.pol.load_flags));
	for (int i = 0; i < up.n_rows; i++) {
		surface += up.rows[i].paths[0].allowed;
		cacheable += up.rows[i].paths[0].allowed && up.rows[i].cacheable[0];
	}
	json_object_object_add(p, "known_numbers", json_object_new_int(up.n_rows));
	json_object_object_add(p, "highest_known_nr", json_object_new_int(valid_nrs[n_valid_nrs - 1]));
	json_object_object_add(p, "surface", json_object_new_int(surface));
	json_object_object_add(p, "surface_cacheable", json_object_new_int(cacheable));
	for (int k = 0; k < N_LAYOUTS; k++) {
		json_object *j = json_object_new_object();
		json_object_object_add(j, "insns", json_object_new_int(up.prog[k].len));
		json_object_object_add(l, layout_names[k], j);
		if (k == 1)
			json_object_object_add(
				j, "how",
				json_object_new_string(
					"libseccomp SCMP_FLTATR_CTL_OPTIMIZE 2 (binary tree), the same resolved rules"));
		if (k == 2) {
			json_object *s = json_object_new_object();
			json_object_object_add(s, "present", json_object_new_boolean(up.stub.present));
			if (!up.stub.present)
				json_object_object_add(s, "absent_why", json_object_new_string(up.stub.absent_why));
			json_object_object_add(s, "insns", json_object_new_int((int)up.stub.insns));
			json_object_object_add(s, "host_max_nr", json_object_new_int(up.stub.host_max_nr));
			json_object_object_add(s, "arch_checks", json_object_new_int((int)up.stub.arch_checks));
			json_object_object_add(s, "native_extra_max",
					       json_object_new_int((int)up.stub.native_extra_max));
			json_object_object_add(s, "model", json_object_new_string(runc_stub_model));
			json_object_object_add(j, "stub", s);
		}
	}
	json_object_object_add(p, "layouts", l);
	return p;
}

static json_object *user_model_json(struct user_model *m)
{
	json_object *j = json_object_new_object();
	struct variant *b = find("calib-bitmap/1");

	m->insn_json = series_fit("calib-insns", false, true, "ns per BPF instruction executed", &m->insn);
	m->bitmap_ns = b && b->n_samples ? b->over_ci.median : NAN;
	m->measured = isfinite(m->insn.slope) && isfinite(m->insn.intercept) && isfinite(m->bitmap_ns);
	json_object_object_add(j, "per_insn", m->insn_json);
	json_object_object_add(j, "bitmap_entry_ns", jdouble(m->bitmap_ns));
	json_object_object_add(j, "bitmap_entry_ci95_ns", b && b->n_samples ? ci_json(b->over_ci) : NULL);
	json_object_object_add(
		j, "how",
		json_object_new_string(
			"ns a call adds = the bitmap's entry cost (calib-bitmap) when the kernel skips the filter, "
			"else intercept + slope x instructions on its path (calib-insns: getpid's argument "
			"compared with 1..1024 values, match last), measured in the same rounds"));
	/* The model against every timed point: how far to trust it. */
	json_object *checks = json_object_new_array();
	for (int i = 0; i < up.n_rows; i++)
		for (int l = 0; l < N_LAYOUTS; l++) {
			const struct row *r = &up.rows[i];
			if (r->variant[l] < 0 || variants[r->variant[l]].n_samples == 0 ||
			    variants[r->variant[l]].error[0])
				continue;
			const struct variant *v = &variants[r->variant[l]];
			json_object *c = json_object_new_object();
			json_object_object_add(c, "name", json_object_new_string(r->name));
			json_object_object_add(c, "layout", json_object_new_string(layout_names[l]));
			json_object_object_add(c, "path", json_object_new_int((int)v->path_insns));
			json_object_object_add(c, "cacheable", json_object_new_boolean(v->cacheable));
			json_object_object_add(c, "measured_ns", jdouble(v->over_ci.median));
			json_object_object_add(c, "modelled_ns", jdouble(est_ns(r, l, v->path_insns, m)));
			json_object_array_add(checks, c);
		}
	json_object_object_add(j, "checks", checks);

	/* SPEC_ALLOW: the same filter loaded without and with it. */
	if (up.spec_row >= 0) {
		char id[96];
		json_object *s = json_object_new_object();
		snprintf(id, sizeof(id), "user-spec-off/%s", up.rows[up.spec_row].name);
		struct variant *off = find(id);
		snprintf(id, sizeof(id), "user-spec-on/%s", up.rows[up.spec_row].name);
		struct variant *on = find(id);
		json_object_object_add(s, "syscall", json_object_new_string(up.rows[up.spec_row].name));
		json_object_object_add(s, "off", measured_json(off));
		json_object_object_add(s, "on", measured_json(on));
		if (off && on && off->n_samples && on->n_samples && !off->error[0] && !on->error[0]) {
			json_object_object_add(s, "saving_ns", jdouble(off->over_ci.median - on->over_ci.median));
			json_object *ci = json_object_new_array();
			json_object_array_add(ci, jdouble(off->over_ci.lo - on->over_ci.hi));
			json_object_array_add(ci, jdouble(off->over_ci.hi - on->over_ci.lo));
			json_object_object_add(s, "saving_bounds_ns", ci);
			json_object_object_add(s, "spec_ctrl_off", json_object_new_int64(off->spec_ctrl));
			json_object_object_add(s, "spec_ctrl_on", json_object_new_int64(on->spec_ctrl));
			json_object_object_add(s, "spec_ctrl_unfiltered", json_object_new_int64(off->spec_ctrl_before));
			json_object_object_add(s, "spec_ctrl_indirect_branch_off", json_object_new_int64(off->spec_ib));
			json_object_object_add(s, "spec_ctrl_indirect_branch_on", json_object_new_int64(on->spec_ib));
			json_object_object_add(s, "spec_ctrl_indirect_branch_unfiltered",
					       json_object_new_int64(off->spec_ib_before));
		}
		json_object_object_add(j, "spec_allow", s);
	}
	return j;
}

/* A --profile point: the form returned unfiltered what harmless.c says, and
 * under the filter what bpf_eval says the filter returns. */
static void check_user_outcome(struct variant *v)
{
	const struct row *r = &up.rows[v->row];
	int want = harmless_errno(r->form);
	uint32_t action = v->path_ret & SECCOMP_RET_ACTION_FULL;

	if (v->error[0])
		return;
	if (want == 0 ? (v->base_ret < 0) : (v->base_err != want)) {
		snprintf(v->error, sizeof(v->error),
			 "unfiltered, %s returned %ld errno %s, not %s as bench/harmless.c documents", r->name,
			 v->base_ret, v->base_err ? strerrorname_np(v->base_err) : "0", r->form->unconfined);
		return;
	}
	if (action == SECCOMP_RET_ALLOW ? (want == 0 ? v->ret < 0 : v->err != want)
					: (v->ret != -1 || v->err != (int)(v->path_ret & SECCOMP_RET_DATA)))
		snprintf(v->error, sizeof(v->error),
			 "under the filter, %s returned %ld errno %s; bpf_eval says the filter returns %#x", r->name,
			 v->ret, v->err ? strerrorname_np(v->err) : "0", v->path_ret);
}

/* Sanity of what the measured call returned: a wrong answer means the
 * filter did not do what the variant claims, and the timing is void. */
static void check_outcome(struct variant *v)
{
	if (v->error[0] || strncmp(v->series, "profile-", 8) == 0)
		return;
	if (v->row >= 0) {
		check_user_outcome(v);
		return;
	}
	if (strcmp(v->series, "action-errno") == 0) {
		if (v->ret != -1 || v->err != EPERM)
			snprintf(v->error, sizeof(v->error), "ERRNO filter: getpid returned %ld errno %d, not EPERM",
				 v->ret, v->err);
	} else if (strcmp(v->series, "action-user-notif") == 0) {
		if (v->ret != NOTIF_VALUE)
			snprintf(v->error, sizeof(v->error),
				 "USER_NOTIF: getpid returned %ld (errno %d), not the supervisor's %d", v->ret, v->err,
				 NOTIF_VALUE);
	} else if (strcmp(v->series, "action-trap") == 0) {
		/* counted in the child */
	} else if (v->ret <= 0) {
		snprintf(v->error, sizeof(v->error), "getpid was not allowed: returned %ld errno %d", v->ret, v->err);
	}
}

/* Written to a temporary file beside FILE and renamed: a reader never sees
 * half a result.  0, or 1 when it could not be written. */
static int write_json(json_object *root, const char *out_path)
{
	char tmp[4096];
	FILE *out = stdout;

	if (out_path) {
		snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out_path, (int)getpid());
		out = fopen(tmp, "w");
		if (!out)
			die("%s: %s", tmp, strerror(errno));
	}
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	if (out != stdout) {
		if (fclose(out) || rename(tmp, out_path)) {
			fprintf(stderr, "seccomp_bench: %s: %s\n", out_path, strerror(errno));
			unlink(tmp);
			return 1;
		}
	}
	return 0;
}

/* Every harmless form once, unconfined, in a child of its own: each must
 * return what bench/harmless.c documents.  One JSON line per form; exit 0
 * when all do. */
static int check_forms(void)
{
	int status;

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int bad = 0;
		for (const struct harmless_form *f = harmless_forms; f->name; f++) {
			int nr = seccomp_syscall_resolve_name(f->name), want = harmless_errno(f);
			long a[6];
			if (nr < 0) {
				printf("{\"name\":\"%s\",\"absent\":true}\n", f->name);
				continue;
			}
			harmless_args(f, a);
			errno = 0;
			long ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			int e = ret < 0 ? errno : 0;
			bool ok = want == 0 ? ret >= 0 : (ret == -1 && e == want);
			printf("{\"name\":\"%s\",\"nr\":%d,\"ret\":%ld,\"errno_name\":\"%s\",\"documented\":\"%s\",\"ok\":%s}\n",
			       f->name, nr, ret, e ? strerrorname_np(e) : "0", f->unconfined, ok ? "true" : "false");
			bad |= !ok;
		}
		fflush(stdout);
		_exit(bad);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: seccomp_bench [--quick] [--rounds N] [--cpu N] [--warmup-us N] [--batch-us N]\n"
		"                     [--batches N] [--only SERIES-PREFIX] [--sched fifo|other] [--list] [--out FILE]\n"
		"       seccomp_bench --profile FILE|NAME [--caps SET] [--hot NAME,...] [--paths-only] [...]\n"
		"Nanoseconds per syscall under seccomp filters; JSON on stdout (or FILE).\n"
		"  --profile P      a profile's cost: every syscall number it lets through, its path\n"
		"                   in three layouts (own, binary tree, runc's ENOSYS stub), and a\n"
		"                   timed sample of them against unfiltered (exit 2: refused)\n"
		"  --caps SET       the capability set the profile is resolved for\n"
		"  --hot NAMES      the workload's syscalls, hottest first, timed when harmless\n"
		"  --paths-only     the path analysis alone, nothing timed\n"
		"  --check-forms    call every harmless form once, unconfined, in a child, and\n"
		"                   check it returns what bench/harmless.c documents\n"
		"  --quick          fewer rounds and shorter batches (about 15 s)\n"
		"  --rounds N       rounds; each times every variant once, in a new order\n"
		"  --cpu N          the CPU every sample is pinned to (default: the last one)\n"
		"  --only PREFIX    only the variants whose series starts with PREFIX (repeatable)\n"
		"  --sched fifo|other  the measuring child runs SCHED_FIFO (default) or not\n"
		"  --list           print the variants and their filters' paths, measure nothing\n");
}

int main(int argc, char **argv)
{
	/* Batches short enough that most are not interrupted (this machine's
	 * hypervisor and neighbours cut into a 400 us batch nearly every time),
	 * so that their median is the uninterrupted cost. */
	struct budget b = { .rounds = 21, .warmup_us = 1000, .batch_us = 50, .batches = 61 };
	const char *out_path = NULL;
	bool quick = false, list = false, paths_only = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--quick") == 0) {
			quick = true;
			b = (struct budget){ .rounds = 9, .warmup_us = 500, .batch_us = 50, .batches = 31 };
		} else if (strcmp(a, "--rounds") == 0 && val) {
			b.rounds = (unsigned)atoi(argv[++i]);
		} else if (strcmp(a, "--cpu") == 0 && val) {
			pin_cpu = atoi(argv[++i]);
		} else if (strcmp(a, "--warmup-us") == 0 && val) {
			b.warmup_us = (unsigned)atoi(argv[++i]);
		} else if (strcmp(a, "--batch-us") == 0 && val) {
			b.batch_us = (unsigned)atoi(argv[++i]);
		} else if (strcmp(a, "--batches") == 0 && val) {
			b.batches = (unsigned)atoi(argv[++i]);
		} else if (strcmp(a, "--only") == 0 && val && n_only < 16) {
			only[n_only++] = argv[++i];
		} else if (strcmp(a, "--sched") == 0 && val) {
			realtime = strcmp(argv[++i], "fifo") == 0;
			if (!realtime && strcmp(argv[i], "other") != 0)
				die("--sched: fifo or other");
		} else if (strcmp(a, "--out") == 0 && val) {
			out_path = argv[++i];
		} else if (strcmp(a, "--list") == 0) {
			list = true;
		} else if (strcmp(a, "--profile") == 0 && val) {
			up.arg = argv[++i];
		} else if (strcmp(a, "--caps") == 0 && val) {
			up.caps = argv[++i];
		} else if (strcmp(a, "--hot") == 0 && val) {
			for (char *t = strtok(argv[++i], ","); t && up.n_hot < 64; t = strtok(NULL, ","))
				up.hot[up.n_hot++] = t;
		} else if (strcmp(a, "--paths-only") == 0) {
			paths_only = true;
		} else if (strcmp(a, "--check-forms") == 0) {
			return check_forms();
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 64;
		}
	}
	if (b.rounds < 1 || b.rounds > MAX_ROUNDS || b.batches < 1 || b.batches > MAX_SUBBATCHES)
		die("--rounds must be 1..%d and --batches 1..%d", MAX_ROUNDS, MAX_SUBBATCHES);
	if (pin_cpu < 0)
		pin_cpu = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;

	host_arch_audit = (int)seccomp_arch_native();
	load_valid_nrs();
	if ((up.caps || up.n_hot || paths_only) && !up.arg) {
		usage(stderr);
		return 64;
	}
	if (up.arg) {
		analyse_user_profile();
		if (!paths_only)
			add_user_profile_variants(quick);
	} else {
		add_getpid_variants(quick);
		add_profile_variants();
	}
	for (size_t i = 0; i < n_variants; i++)
		analyse_paths(&variants[i]);
	if (list) {
		printf("%-36s %8s %6s %6s %s\n", "VARIANT", "FILTERS", "INSNS", "PATH", "CACHEABLE");
		for (size_t i = 0; i < n_variants; i++)
			printf("%-36s %8u %6u %6u %s\n", variants[i].id, variants[i].n_filters,
			       variants[i].filter_insns, variants[i].path_insns, variants[i].cacheable ? "yes" : "no");
		return 0;
	}

	struct sample_shm *shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	json_object *root = json_object_new_object();
	json_object_object_add(root, "tool", json_object_new_string("seccomp-suite seccomp_bench"));
	json_object_object_add(root, "machine", machine_header());
	if (paths_only) {
		struct user_model none = { .measured = false };
		json_object *rows = json_object_new_array();
		json_object_object_add(root, "profile", user_profile_json());
		for (int i = 0; i < up.n_rows; i++)
			json_object_array_add(rows, row_json(&up.rows[i], &none));
		json_object_object_add(root, "syscalls", rows);
		return write_json(root, out_path);
	}

	/* SCHED_FIFO needs root or CAP_SYS_NICE: without it, measure anyway
	 * and say so in the results. */
	if (realtime) {
		struct sched_param sp = { .sched_priority = 1 }, normal = { 0 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
			fprintf(stderr, "seccomp_bench: SCHED_FIFO refused (%s): measuring without it\n",
				strerror(errno));
			realtime = false;
		} else {
			sched_setscheduler(0, SCHED_OTHER, &normal);
		}
	}

	/* The parent waits on another CPU than the measuring child's. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	long n_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (n_cpus > 1) {
		cpu_set_t set;
		CPU_ZERO(&set);
		for (long c = 0; c < n_cpus && c < CPU_SETSIZE; c++)
			if (c != pin_cpu)
				CPU_SET(c, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}

	size_t *order = malloc(n_variants * sizeof(*order));
	if (!order)
		die("out of memory");
	for (size_t i = 0; i < n_variants; i++)
		order[i] = i;
	srand48(20251123);
	long long t_start = now_ns();
	for (unsigned r = 0; r < b.rounds; r++) {
		for (size_t i = n_variants - 1; i > 0; i--) { /* Fisher-Yates */
			size_t j = (size_t)(drand48() * (double)(i + 1));
			size_t t = order[i];
			order[i] = order[j], order[j] = t;
		}
		for (size_t i = 0; i < n_variants; i++) {
			struct variant *v = &variants[order[i]];
			if (!v->error[0])
				run_sample(v, &b, shm);
		}
		if (isatty(2))
			fprintf(stderr, "\rseccomp_bench: round %u/%u", r + 1, b.rounds);
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	double elapsed = (double)(now_ns() - t_start) / 1e9;

	json_object *points = json_object_new_array();
	int failures = 0;
	for (size_t i = 0; i < n_variants; i++) {
		struct variant *v = &variants[i];
		if (v->n_samples) {
			double tmp[MAX_ROUNDS];
			memcpy(tmp, v->overheads, sizeof(double) * v->n_samples);
			v->over_ci = median_ci95(tmp, v->n_samples);
			memcpy(tmp, v->samples, sizeof(double) * v->n_samples);
			v->ci = median_ci95(tmp, v->n_samples);
			memcpy(tmp, v->bases, sizeof(double) * v->n_samples);
			v->base_ci = median_ci95(tmp, v->n_samples);
		}
		check_outcome(v);
		if (v->error[0]) {
			fprintf(stderr, "seccomp_bench: %s: %s\n", v->id, v->error);
			failures++;
		}
		json_object_array_add(points, point_json(v));
	}
	json_object *method = json_object_new_object();
	json_object_object_add(method, "rounds", json_object_new_int((int)b.rounds));
	json_object_object_add(method, "warmup_us", json_object_new_int((int)b.warmup_us));
	json_object_object_add(method, "batch_us", json_object_new_int((int)b.batch_us));
	json_object_object_add(method, "batches", json_object_new_int((int)b.batches));
	json_object_object_add(method, "scheduler", json_object_new_string(realtime ? "SCHED_FIFO 1" : "SCHED_OTHER"));
	json_object_object_add(method, "clock", json_object_new_string("CLOCK_MONOTONIC (vDSO)"));
	json_object_object_add(
		method, "sample",
		json_object_new_string(
			"median over batches of one child's ns per call; a point is the median over rounds"));
	json_object_object_add(method, "elapsed_s", json_object_new_double(round(elapsed * 100) / 100));
	json_object_object_add(root, "method", method);
	double load[3];
	if (getloadavg(load, 3) == 3) {
		json_object *l = json_object_new_array();
		for (int i = 0; i < 3; i++)
			json_object_array_add(l, json_object_new_double(load[i]));
		json_object_object_add(json_object_object_get(root, "machine"), "loadavg_end", l);
	}
	if (up.arg) {
		struct user_model m = { 0 };
		json_object *rows = json_object_new_array();
		json_object_object_add(root, "profile", user_profile_json());
		json_object_object_add(root, "model", user_model_json(&m));
		for (int i = 0; i < up.n_rows; i++)
			json_object_array_add(rows, row_json(&up.rows[i], &m));
		json_object_object_add(root, "syscalls", rows);
	} else {
		json_object_object_add(root, "estimates", estimates());
	}
	json_object_object_add(root, "points", points);
	return write_json(root, out_path) ? 1 : failures ? 1 : 0;
}
