/* surface_static.c: the surface read from the filter itself.
 *
 * Every (ABI, number) is run through the program by bpf_explore with the
 * number and the ABI's audit architecture fixed and the arguments free:
 * a number whose program never looks at an argument has one path, its
 * action; any other has one path per way the program can go on its
 * arguments, each with an argument vector that takes it (checked by
 * bpf_eval), so that "both sides of every condition" are in the result.
 */
#define _GNU_SOURCE
#include "surface.h"

#include "abi.h"
#include "caps.h"

#include <errno.h>
#include <stdarg.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#ifndef AUDIT_ARCH_AARCH64
#define AUDIT_ARCH_AARCH64 (EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif

#define MAX_PATHS 4096

#if defined(__x86_64__) && !defined(__ILP32__)
static const struct surface_abi host_abis[] = {
	{ "x86_64", SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, 0, false, "the syscall instruction" },
	{ "i386", SCMP_ARCH_X86, AUDIT_ARCH_I386, 0, true,
	  "int $0x80 from this 64-bit program (the kernel's ia32 entry)" },
	{ "x32", SCMP_ARCH_X32, AUDIT_ARCH_X86_64, SURFACE_X32_BIT, true,
	  "the syscall instruction with __X32_SYSCALL_BIT in the number" },
};
#elif defined(__aarch64__)
static const struct surface_abi host_abis[] = {
	{ "aarch64", SCMP_ARCH_AARCH64, AUDIT_ARCH_AARCH64, 0, false, NULL },
	{ "arm", SCMP_ARCH_ARM, AUDIT_ARCH_ARM, 0, true, NULL },
};
#else
static const struct surface_abi host_abis[] = {
	{ ABI_NAME, ABI_SCMP_ARCH, ABI_SCMP_ARCH, 0, false, NULL },
};
#endif

const struct surface_abi *surface_host_abis(size_t *n)
{
	*n = sizeof(host_abis) / sizeof(host_abis[0]);
	return host_abis;
}

const struct surface_abi *surface_abi_by_name(const char *name)
{
	uint32_t arch = arch_from_any_name(name);

	for (size_t i = 0; i < sizeof(host_abis) / sizeof(host_abis[0]); i++)
		if (strcmp(host_abis[i].name, name) == 0 || (arch && host_abis[i].scmp_arch == arch))
			return &host_abis[i];
	return NULL;
}

/* kernel/seccomp.c: seccomp_uprobe_exception() (uretprobe: commit
 * cf6cb56ef244, v6.14-rc2, also in 6.12.y and 6.13.y stable from February
 * 2025; uprobe: the same function, v6.17).  Native x86_64 calls only: an
 * x32 number with the x32 bit is another number. */
static const struct surface_exempt exempts[] = {
	{ "x86_64",
	  335,
	  "uretprobe",
	  { 6, 11 },
	  { 6, 14 },
	  "exempt from seccomp since Linux 6.14 (and 6.12.y, 6.13.y stable since February 2025); called outside a uretprobe trampoline it kills the caller with SIGILL" },
	{ "x86_64",
	  336,
	  "uprobe",
	  { 6, 17 },
	  { 6, 17 },
	  "exempt from seccomp since Linux 6.17, when it was added; called outside a uprobe trampoline it fails with ENXIO" },
};

const struct surface_exempt *surface_exempt_of(const struct surface_abi *abi, uint32_t nr)
{
	for (size_t i = 0; i < sizeof(exempts) / sizeof(exempts[0]); i++)
		if (strcmp(exempts[i].abi, abi->name) == 0 && exempts[i].nr == nr)
			return &exempts[i];
	return NULL;
}

int surface_exempt_holds(const struct surface_exempt *x, struct kernel_version k)
{
	if (kernel_version_cmp(k, x->exempt) >= 0)
		return 1;
	if (kernel_version_cmp(k, x->added) >= 0)
		return -1;
	return 0;
}

const char *surface_action_name(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: return "kill_process";
	case SECCOMP_RET_KILL_THREAD: return "kill_thread";
	case SECCOMP_RET_TRAP: return "trap";
	case SECCOMP_RET_ERRNO: return "errno";
	case SECCOMP_RET_USER_NOTIF: return "notify";
	case SECCOMP_RET_TRACE: return "trace";
	case SECCOMP_RET_LOG: return "log";
	case SECCOMP_RET_ALLOW: return "allow";
	}
	/* The kernel kills for an action it does not know. */
	return "kill_process";
}

/* kernel/seccomp.c: ACTION_ONLY(ret) is (s32)(ret & SECCOMP_RET_ACTION_FULL);
 * seccomp_run_filters keeps the lowest, newest filter first. */
uint32_t surface_combine(uint32_t newer, uint32_t older)
{
	int32_t n = (int32_t)(newer & SECCOMP_RET_ACTION_FULL), o = (int32_t)(older & SECCOMP_RET_ACTION_FULL);
	return o < n ? older : newer;
}

int surface_eval(const struct surface *s, const struct seccomp_data *d, uint32_t *ret, char *err, size_t err_size)
{
	uint32_t r = SECCOMP_RET_ALLOW;
	bool first = true;

	for (unsigned i = s->n_progs; i-- > 0;) {
		struct bpf_eval_result res;
		if (bpf_eval(&s->progs[i], d, &res, err, err_size))
			return -1;
		r = first ? res.ret : surface_combine(r, res.ret);
		first = false;
	}
	*ret = r;
	return 0;
}

int surface_init(struct surface *s, const struct policy *pol, char *err, size_t err_size)
{
	struct utsname u;

	memset(s, 0, sizeof(*s));
	snprintf(s->profile, sizeof(s->profile), "%s", pol->name);
	snprintf(s->file, sizeof(s->file), "%s", pol->file);
	caps_format(pol->caps, s->caps, sizeof(s->caps));
	if (uname(&u) == 0)
		snprintf(s->kernel, sizeof(s->kernel), "%s", u.release);
	s->kver = pol->kernel;
	snprintf(s->backend, sizeof(s->backend), "native");
	s->unconfined = pol->unconfined;
	if (!pol->unconfined) {
		s->progs = calloc(1, sizeof(*s->progs));
		if (!s->progs)
			goto oom;
		s->progs[0].len = pol->prog.len;
		s->progs[0].filter = malloc(pol->prog.len * sizeof(struct sock_filter));
		if (!s->progs[0].filter)
			goto oom;
		memcpy(s->progs[0].filter, pol->prog.filter, pol->prog.len * sizeof(struct sock_filter));
		s->n_progs = 1;
	}
	return 0;
oom:
	snprintf(err, err_size, "out of memory");
	surface_free(s);
	return -1;
}

static void free_point(struct surface_point *p)
{
	for (unsigned i = 0; i < p->n_conds; i++)
		free(p->conds[i].tests);
	free(p->conds);
	free(p->name);
	free(p->findings);
	free(p->error);
}

void surface_free(struct surface *s)
{
	for (size_t i = 0; i < s->n_points; i++)
		free_point(&s->points[i]);
	free(s->points);
	for (unsigned i = 0; i < s->n_progs; i++)
		free(s->progs[i].filter);
	free(s->progs);
	memset(s, 0, sizeof(*s));
}

/* ---- exploring one number ---- */

struct collect {
	const struct surface *s;
	unsigned level;	   /* index into s->progs being explored */
	uint32_t rets[16]; /* by level */
	struct surface_point *p;
	unsigned cap;
	char *err;
	size_t err_size;
	const struct seccomp_data *fixed;
};

static int explore_level(struct collect *c, const struct bpf_test *given, unsigned n_given);

static int on_path(void *data, const struct bpf_path *path)
{
	struct collect *c = data;
	struct surface_point *p = c->p;
	struct surface_cond *cond;

	c->rets[c->level] = path->ret;
	if (c->level > 0) {
		c->level--;
		int rc = explore_level(c, path->tests, path->n_tests);
		c->level++;
		return rc;
	}
	if (p->n_conds == c->cap) {
		unsigned cap = c->cap ? 2 * c->cap : 4;
		struct surface_cond *n = realloc(p->conds, cap * sizeof(*n));
		if (!n) {
			snprintf(c->err, c->err_size, "out of memory");
			return -1;
		}
		p->conds = n;
		c->cap = cap;
	}
	cond = &p->conds[p->n_conds];
	memset(cond, 0, sizeof(*cond));
	uint32_t ret = c->rets[c->s->n_progs - 1];
	for (unsigned i = c->s->n_progs - 1; i-- > 0;)
		ret = surface_combine(ret, c->rets[i]);
	cond->ret = ret;
	cond->n_tests = path->n_tests;
	if (path->n_tests) {
		cond->tests = malloc(path->n_tests * sizeof(*cond->tests));
		if (!cond->tests) {
			snprintf(c->err, c->err_size, "out of memory");
			return -1;
		}
		memcpy(cond->tests, path->tests, path->n_tests * sizeof(*cond->tests));
	}
	cond->ip = (uint64_t)path->witness[BPF_WORD_IP] | (uint64_t)path->witness[BPF_WORD_IP + 1] << 32;
	for (unsigned i = 0; i < 6; i++)
		cond->args[i] = (uint64_t)path->witness[BPF_WORD_ARG(i, 0)] |
				(uint64_t)path->witness[BPF_WORD_ARG(i, 1)] << 32;
	p->n_conds++;
	return 0;
}

static int explore_level(struct collect *c, const struct bpf_test *given, unsigned n_given)
{
	int rc = bpf_explore(&c->s->progs[c->level], c->fixed, given, n_given, MAX_PATHS, on_path, c, &c->p->unsolved,
			     c->err, c->err_size);
	return rc < 0 ? -1 : 0;
}

static bool cond_holds(const struct surface_cond *c, const uint32_t words[BPF_WORDS])
{
	for (unsigned i = 0; i < c->n_tests; i++)
		if (!bpf_test_holds(&c->tests[i], words[c->tests[i].word]))
			return false;
	return true;
}

static void cond_words(const struct surface_cond *c, const struct seccomp_data *fixed, uint32_t words[BPF_WORDS])
{
	memcpy(words, fixed, 8);
	words[BPF_WORD_IP] = (uint32_t)c->ip;
	words[BPF_WORD_IP + 1] = (uint32_t)(c->ip >> 32);
	for (unsigned i = 0; i < 6; i++) {
		words[BPF_WORD_ARG(i, 0)] = (uint32_t)c->args[i];
		words[BPF_WORD_ARG(i, 1)] = (uint32_t)(c->args[i] >> 32);
	}
}

/* The paths must split the argument space: every vector follows exactly
 * one of them, and the program returns that path's action on it.  Checked
 * on each witness, its neighbours in every tested word, and pseudo-random
 * vectors; a failure is the explorer's bug, reported on the number. */
static int verify_paths(const struct surface *s, const struct surface_point *p, const struct seccomp_data *fixed,
			char *err, size_t err_size)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ p->nr ^ (uint64_t)p->abi->audit_arch << 20;

	for (unsigned c = 0; c < p->n_conds; c++) {
		for (unsigned v = 0; v < 4 * p->conds[c].n_tests + 16; v++) {
			uint32_t words[BPF_WORDS], ret;
			struct seccomp_data d;
			unsigned hits = 0, hit = 0;

			cond_words(&p->conds[c], fixed, words);
			if (v < 4 * p->conds[c].n_tests) {
				const struct bpf_test *t = &p->conds[c].tests[v / 4];
				static const uint32_t delta[] = { 1, (uint32_t)-1, 0x80000000u, 0 };
				words[t->word] = v % 4 == 3 ? t->k : words[t->word] + delta[v % 4];
			} else {
				for (unsigned w = BPF_WORD_IP; w < BPF_WORDS; w++) {
					seed = seed * 6364136223846793005ull + 1442695040888963407ull;
					if (seed >> 62)
						words[w] = (uint32_t)(seed >> 29);
				}
			}
			if (p->abi->args32)
				for (unsigned i = 0; i < 6; i++)
					words[BPF_WORD_ARG(i, 1)] = 0;
			for (unsigned k = 0; k < p->n_conds; k++)
				if (cond_holds(&p->conds[k], words)) {
					hits++;
					hit = k;
				}
			memcpy(&d, words, sizeof(d));
			if (surface_eval(s, &d, &ret, err, err_size))
				return -1;
			if (hits != 1 || p->conds[hit].ret != ret) {
				snprintf(
					err, err_size,
					"internal: the paths found do not split the arguments (%u paths hold for one vector, the program returns 0x%08x)",
					hits, ret);
				return -1;
			}
		}
	}
	return 0;
}

static int point_static(const struct surface *s, struct surface_point *p, char *err, size_t err_size)
{
	struct seccomp_data d = { 0 };
	struct collect c = { .s = s, .p = p, .err = err, .err_size = err_size, .fixed = &d };

	d.nr = (int)p->nr;
	d.arch = p->abi->audit_arch;
	if (s->n_progs == 0) {
		p->ret = SECCOMP_RET_ALLOW;
		return 0;
	}
	if (s->n_progs > sizeof(c.rets) / sizeof(c.rets[0])) {
		snprintf(err, err_size, "more than %zu stacked filters", sizeof(c.rets) / sizeof(c.rets[0]));
		return -1;
	}
	c.level = s->n_progs - 1;
	if (explore_level(&c, NULL, 0) < 0)
		return -1;
	if (surface_eval(s, &d, &p->ret, err, err_size))
		return -1;
	if (p->n_conds == 1) {
		/* One path: the arguments play no part. */
		p->ret = p->conds[0].ret;
		free(p->conds[0].tests);
		free(p->conds);
		p->conds = NULL;
		p->n_conds = 0;
	} else if (p->n_conds == 0) {
		snprintf(err, err_size, "no path of the program could be followed with any argument values");
		return -1;
	} else if (!p->unsolved && verify_paths(s, p, &d, err, err_size)) {
		return -1;
	}
	return 0;
}

int surface_static(struct surface *s, const struct surface_abi *const *abis, size_t n_abis, char *err, size_t err_size)
{
	size_t n = n_abis * SURFACE_NR_COUNT;

	s->points = calloc(n, sizeof(*s->points));
	if (!s->points) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	s->n_points = n;
	for (size_t a = 0; a < n_abis; a++) {
		for (uint32_t i = 0; i < SURFACE_NR_COUNT; i++) {
			struct surface_point *p = &s->points[a * SURFACE_NR_COUNT + i];
			const struct surface_exempt *x;
			char why[512];

			p->abi = abis[a];
			p->nr = abis[a]->nr_base + i;
			p->name = seccomp_syscall_resolve_num_arch(abis[a]->scmp_arch, (int)p->nr);
			x = surface_exempt_of(abis[a], p->nr);
			if (x && !p->name)
				p->name = strdup(x->name);
			if (x && surface_exempt_holds(x, s->kver) != 0)
				p->exempt = x;
			if (point_static(s, p, why, sizeof(why)))
				p->error = strdup(why);
		}
	}
	s->have_static = true;
	return 0;
}

/* ---- condition text ---- */

static void word_name(const struct surface_abi *abi, unsigned w, bool whole, char *buf, size_t size)
{
	if (w < BPF_WORD_ARG(0, 0)) {
		snprintf(buf, size, "ip.%s", w == BPF_WORD_IP ? "lo" : "hi");
		return;
	}
	unsigned arg = (w - BPF_WORD_ARG(0, 0)) / 2;
	bool high = (w - BPF_WORD_ARG(0, 0)) % 2;
	if (whole || (abi && abi->args32 && !high))
		snprintf(buf, size, "arg%u", arg);
	else
		snprintf(buf, size, "arg%u.%s", arg, high ? "hi" : "lo");
}

static const struct bpf_test *pinned(const struct bpf_test *tests, unsigned n, unsigned w)
{
	for (unsigned i = 0; i < n; i++)
		if (tests[i].word == w && tests[i].op == BPF_JEQ && tests[i].taken && tests[i].mask == UINT32_MAX)
			return &tests[i];
	return NULL;
}

static size_t put(char *buf, size_t size, size_t at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static size_t put(char *buf, size_t size, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= size)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, size - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

static size_t test_text(const struct bpf_test *t, const char *name, char *buf, size_t size, size_t at)
{
	static const char *const ops[][2] = {
		[BPF_JEQ >> 4] = { "!=", "==" },
		[BPF_JGT >> 4] = { "<=", ">" },
		[BPF_JGE >> 4] = { "<", ">=" },
	};

	if (t->op == BPF_JSET) {
		uint32_t bits = t->mask & t->k;
		return put(buf, size, at, "%s & 0x%x %s 0", name, bits, t->taken ? "!=" : "==");
	}
	if (t->mask != UINT32_MAX)
		return put(buf, size, at, "%s & 0x%x %s 0x%x", name, t->mask, ops[t->op >> 4][t->taken], t->k);
	return put(buf, size, at, "%s %s 0x%x", name, ops[t->op >> 4][t->taken], t->k);
}

void surface_cond_text(const struct surface_abi *abi, const struct bpf_test *tests, unsigned n, char *buf, size_t size)
{
	size_t at = 0;
	char name[32];

	buf[0] = '\0';
	for (unsigned w = BPF_WORD_IP; w < BPF_WORDS; w++) {
		const struct bpf_test *pin = pinned(tests, n, w);
		bool high = w >= BPF_WORD_ARG(0, 0) && (w - BPF_WORD_ARG(0, 0)) % 2;
		const struct bpf_test *lo_pin = high ? pinned(tests, n, w - 1) : NULL;
		const struct bpf_test *hi_pin = !high && w >= BPF_WORD_ARG(0, 0) ? pinned(tests, n, w + 1) : NULL;

		/* Both halves of an argument pinned: one 64-bit equality. */
		if (hi_pin && pin && w >= BPF_WORD_ARG(0, 0))
			continue; /* printed with the high half */
		if (high && pin && lo_pin) {
			word_name(abi, w, true, name, sizeof(name));
			at = put(buf, size, at, "%s%s == 0x%llx", at ? " && " : "", name,
				 (unsigned long long)pin->k << 32 | lo_pin->k);
			continue;
		}
		word_name(abi, w, false, name, sizeof(name));
		if (pin) {
			at = put(buf, size, at, "%s", at ? " && " : "");
			at = test_text(pin, name, buf, size, at);
			continue;
		}
		for (unsigned i = 0; i < n; i++) {
			if (tests[i].word != w)
				continue;
			at = put(buf, size, at, "%s", at ? " && " : "");
			at = test_text(&tests[i], name, buf, size, at);
		}
	}
	if (!at)
		snprintf(buf, size, "any arguments");
}

void surface_forget_static(struct surface *s)
{
	for (size_t i = 0; i < s->n_points; i++) {
		struct surface_point *p = &s->points[i];
		for (unsigned c = 0; c < p->n_conds; c++)
			free(p->conds[c].tests);
		free(p->conds);
		p->conds = NULL;
		p->n_conds = 0;
		p->unsolved = 0;
		p->ret = 0;
		free(p->error);
		p->error = NULL;
	}
	s->have_static = false;
}
