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
#include "policy.h"
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
#define NOTIF_VALUE 4242	/* what the supervisor answers for a USER_NOTIF getpid */
#define SAMPLE_TIMEOUT_NS (10LL * 1000 * 1000 * 1000)

enum action_kind { ACT_NONE, ACT_TRAP, ACT_NOTIF, ACT_LOG };

struct variant {
	char id[64];		/* "rules-arg-default-long/256" */
	char series[48];	/* "rules-arg-default-long" */
	double x;		/* rules, depth, or index within the series */
	char syscall_name[24];
	int nr;
	long args[6];
	unsigned n_filters;
	struct sock_fprog filters[MAX_STACK];	/* in load order */
	unsigned flags[MAX_STACK];
	enum action_kind action;
	int low_budget;		/* LOG: every call writes an audit record; time few */
	/* From bpf_eval and bitmap_cache over the whole stack. */
	unsigned path_insns, filter_insns;
	bool cacheable;
	/* Results. */
	double samples[MAX_ROUNDS];	/* ns per call under the filters */
	double overheads[MAX_ROUNDS];	/* minus the same child's unfiltered ns per call */
	double means[MAX_ROUNDS];	/* the child's mean over its batches, interrupted ones too */
	unsigned n_samples;
	long ret;		/* the first measured call's return and errno */
	int err;
	long spec_ctrl;		/* PR_GET_SPECULATION_CTRL in the child after the load */
	char error[200];
	struct median_ci ci, over_ci;
};

/* What a child leaves for the parent. */
struct sample_shm {
	atomic_int done;
	int n_sub, n_base;
	double sub_ns[MAX_SUBBATCHES];	/* under the filters */
	double base_ns[MAX_SUBBATCHES];	/* the same call before they were loaded */
	long ret;
	int err;
	long spec_ctrl;
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
static bool realtime = true;	/* SCHED_FIFO for the measuring child */
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
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_getpid, 1, SCMP_A0(SCMP_CMP_EQ, 0)), "getpid rule");
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
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_getpid, 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)k)),
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
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_getpid, 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)k)),
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
	 * whatever the machine was doing at that moment taken out of it. */
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
	 * and then this says so (-1). */
	shm->spec_ctrl = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);

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
	v->samples[v->n_samples] = filtered;
	v->overheads[v->n_samples++] = filtered - median_of(base, (size_t)shm->n_base);
	v->ret = shm->ret;
	v->err = shm->err;
	v->spec_ctrl = shm->spec_ctrl;
	return 0;
}

static void analyse_paths(struct variant *v)
{
	struct seccomp_data d = { .nr = v->nr, .arch = (unsigned)host_arch_audit };
	for (int i = 0; i < 6; i++)
		d.args[i] = (unsigned long)v->args[i];
	v->cacheable = v->n_filters > 0;
	for (unsigned i = 0; i < v->n_filters; i++) {
		struct bpf_eval_result r;
		char err[256];
		if (bpf_eval(&v->filters[i], &d, &r, err, sizeof(err)))
			die("%s: filter %u: %s", v->id, i, err);
		v->path_insns += r.executed;
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
	lo += BPF_MAXINSNS - arg_rules_len(lo);	/* at or past the limit */
	if ((len = arg_rules_len(lo)) > BPF_MAXINSNS)
		lo -= len - BPF_MAXINSNS;	/* at or under it */
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
			struct seccomp_data d = { .nr = SYS_getpid, .arch = (unsigned)host_arch_audit, .args = { (unsigned)k } };
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
 * on a handful of common calls with arguments the kernel rejects cheaply. */
static void add_profile_variants(void)
{
	static const struct {
		const char *name;
		int nr;
		long args[6];
	} calls[] = {
		{ "getpid", SYS_getpid, { 0 } },
		{ "read", SYS_read, { -1, 0, 0 } },		/* EBADF */
		{ "close", SYS_close, { -1 } },			/* EBADF */
		{ "clock_gettime", SYS_clock_gettime, { 99, 0 } },	/* EINVAL: no clock 99 */
		{ "personality", SYS_personality, { 0xffffffff } },	/* a query: docker-default checks the argument */
	};
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
			struct variant *v = add_variant(series, (double)c + 1, calls[c].name, calls[c].nr);
			snprintf(v->id, sizeof(v->id), "%s/%s", series, calls[c].name);
			memcpy(v->args, calls[c].args, sizeof(v->args));
			if (!pol.unconfined)
				push_filter(v, raw_filter(pol.prog.filter, pol.prog.len),
					    pol.load_flags & ~(unsigned)SECCOMP_FILTER_FLAG_NEW_LISTENER);
		}
		policy_free(&pol);
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
	json_object_object_add(m, "bpf_jit_enable",
			       json_object_new_string(read_small_file("/proc/sys/net/core/bpf_jit_enable", buf, sizeof(buf)) ? buf : "unknown"));
	json_object_object_add(m, "bpf_jit_harden",
			       json_object_new_string(read_small_file("/proc/sys/net/core/bpf_jit_harden", buf, sizeof(buf)) ? buf : "unknown"));
	json_object_object_add(m, "clocksource",
			       json_object_new_string(read_small_file("/sys/devices/system/clocksource/clocksource0/current_clocksource", buf, sizeof(buf)) ? buf : "unknown"));
	static const char *const vulns[] = { "meltdown", "spectre_v1", "spectre_v2", "spec_store_bypass", "retbleed",
					     "spec_rstack_overflow", "mds" };
	for (size_t i = 0; i < sizeof(vulns) / sizeof(vulns[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", vulns[i]);
		if (read_small_file(path, buf, sizeof(buf)))
			json_object_object_add(mit, vulns[i], json_object_new_string(buf));
	}
	json_object_object_add(m, "mitigations", mit);
	snprintf(buf, sizeof(buf), "%u.%u.%u", ver->major, ver->minor, ver->micro);
	json_object_object_add(m, "libseccomp", json_object_new_string(buf));
	json_object_object_add(m, "seccomp_actions_avail",
			       json_object_new_string(read_small_file("/proc/sys/kernel/seccomp/actions_avail", buf, sizeof(buf)) ? buf : "unknown"));
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
	json_object_object_add(e, "per_filter_cacheable", series_fit("stack-cacheable", false, false, "ns per filter", NULL));
	json_object_object_add(e, "per_rule_default_long",
			       series_fit("rules-arg-default-long", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_rule_default_short",
			       series_fit("rules-arg-default-short", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_doubling_tree_long",
			       series_fit("rules-arg-tree-long", true, false, "ns per doubling of rules", NULL));
	json_object_object_add(e, "per_rule_tree_long_linear",
			       series_fit("rules-arg-tree-long", false, false, "ns per rule (a line the tree should not fit)", &f));
	json_object_object_add(e, "per_doubling_default_long",
			       series_fit("rules-arg-default-long", true, false, "ns per doubling (a curve the default layout should not fit)", NULL));
	json_object_object_add(e, "per_rule_cacheable_default_long",
			       series_fit("rules-cacheable-default-long", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_rule_cacheable_tree_long",
			       series_fit("rules-cacheable-tree-long", false, false, "ns per rule", NULL));
	json_object_object_add(e, "per_arg_rule_long", series_fit("argrules-long", false, false, "ns per argument rule", NULL));
	json_object_object_add(e, "per_instruction_default_long",
			       series_fit("rules-arg-default-long", false, true, "ns per BPF instruction executed", NULL));
	json_object_object_add(e, "per_instruction_arg_rules",
			       series_fit("argrules-long", false, true, "ns per BPF instruction executed", NULL));
	json_object *act = json_object_new_object();
	static const char *const acts[][2] = { { "errno", "action-errno/1" }, { "trap", "action-trap/2" },
					       { "log", "action-log/3" }, { "user_notif", "action-user-notif/4" } };
	for (size_t i = 0; i < 4; i++)
		json_object_object_add(act, acts[i][0], jdouble(overhead_of_id(acts[i][1])));
	json_object_object_add(e, "action_overhead_ns", act);
	json_object_object_add(e, "spec_allow_saving_ns", jdouble(overhead_of_id("spec-default/1") - overhead_of_id("spec-allow/1")));
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
	json_object_object_add(p, "spec_ctrl", json_object_new_int64(v->spec_ctrl));
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

/* Sanity of what the measured call returned: a wrong answer means the
 * filter did not do what the variant claims, and the timing is void. */
static void check_outcome(struct variant *v)
{
	if (v->error[0] || strncmp(v->series, "profile-", 8) == 0)
		return;
	if (strcmp(v->series, "action-errno") == 0) {
		if (v->ret != -1 || v->err != EPERM)
			snprintf(v->error, sizeof(v->error), "ERRNO filter: getpid returned %ld errno %d, not EPERM", v->ret, v->err);
	} else if (strcmp(v->series, "action-user-notif") == 0) {
		if (v->ret != NOTIF_VALUE)
			snprintf(v->error, sizeof(v->error), "USER_NOTIF: getpid returned %ld (errno %d), not the supervisor's %d",
				 v->ret, v->err, NOTIF_VALUE);
	} else if (strcmp(v->series, "action-trap") == 0) {
		/* counted in the child */
	} else if (v->ret <= 0) {
		snprintf(v->error, sizeof(v->error), "getpid was not allowed: returned %ld errno %d", v->ret, v->err);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: seccomp_bench [--quick] [--rounds N] [--cpu N] [--warmup-us N] [--batch-us N]\n"
		"                     [--batches N] [--only SERIES-PREFIX] [--sched fifo|other] [--list] [--out FILE]\n"
		"Nanoseconds per syscall under seccomp filters; JSON on stdout (or FILE).\n"
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
	bool quick = false, list = false;
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
	add_getpid_variants(quick);
	add_profile_variants();
	for (size_t i = 0; i < n_variants; i++)
		analyse_paths(&variants[i]);
	if (list) {
		printf("%-36s %8s %6s %6s %s\n", "VARIANT", "FILTERS", "INSNS", "PATH", "CACHEABLE");
		for (size_t i = 0; i < n_variants; i++)
			printf("%-36s %8u %6u %6u %s\n", variants[i].id, variants[i].n_filters, variants[i].filter_insns,
			       variants[i].path_insns, variants[i].cacheable ? "yes" : "no");
		return 0;
	}

	struct sample_shm *shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	json_object *root = json_object_new_object();
	json_object_object_add(root, "tool", json_object_new_string("seccomp-suite seccomp_bench"));
	json_object_object_add(root, "machine", machine_header());

	/* SCHED_FIFO needs root or CAP_SYS_NICE: without it, measure anyway
	 * and say so in the results. */
	if (realtime) {
		struct sched_param sp = { .sched_priority = 1 }, normal = { 0 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
			fprintf(stderr, "seccomp_bench: SCHED_FIFO refused (%s): measuring without it\n", strerror(errno));
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
		for (size_t i = n_variants - 1; i > 0; i--) {	/* Fisher-Yates */
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
	json_object_object_add(method, "sample",
			       json_object_new_string("median over batches of one child's ns per call; a point is the median over rounds"));
	json_object_object_add(method, "elapsed_s", json_object_new_double(round(elapsed * 100) / 100));
	json_object_object_add(root, "method", method);
	double load[3];
	if (getloadavg(load, 3) == 3) {
		json_object *l = json_object_new_array();
		for (int i = 0; i < 3; i++)
			json_object_array_add(l, json_object_new_double(load[i]));
		json_object_object_add(json_object_object_get(root, "machine"), "loadavg_end", l);
	}
	json_object_object_add(root, "estimates", estimates());
	json_object_object_add(root, "points", points);

	FILE *out = out_path ? fopen(out_path, "w") : stdout;
	if (!out)
		die("%s: %s", out_path, strerror(errno));
	fprintf(out, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	if (out != stdout)
		fclose(out);
	json_object_put(root);
	return failures ? 1 : 0;
}
