/* bpf_eval.c: the kernel's seccomp subset of classic BPF, interpreted. */
#include "bpf_eval.h"

#include <stdio.h>
#include <string.h>

static int bad(char *err, size_t size, unsigned pc, const char *why)
{
	snprintf(err, size, "instruction %u: %s", pc, why);
	return -1;
}

static int alu(uint16_t op, uint32_t *a, uint32_t operand, unsigned pc, char *err, size_t size)
{
	switch (op) {
	case BPF_ADD: *a += operand; break;
	case BPF_SUB: *a -= operand; break;
	case BPF_MUL: *a *= operand; break;
	case BPF_DIV:
		if (!operand)
			return bad(err, size, pc, "division by zero");
		*a /= operand;
		break;
	case BPF_MOD:
		if (!operand)
			return bad(err, size, pc, "modulo by zero");
		*a %= operand;
		break;
	case BPF_AND: *a &= operand; break;
	case BPF_OR: *a |= operand; break;
	case BPF_XOR: *a ^= operand; break;
	case BPF_LSH: *a = operand < 32 ? *a << operand : 0; break;
	case BPF_RSH: *a = operand < 32 ? *a >> operand : 0; break;
	case BPF_NEG: *a = -*a; break;
	default: return bad(err, size, pc, "unknown ALU operation");
	}
	return 0;
}

int bpf_eval(const struct sock_fprog *prog, const struct seccomp_data *data, struct bpf_eval_result *out, char *err,
	     size_t err_size)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	unsigned char bytes[sizeof(*data)];

	memcpy(bytes, data, sizeof(bytes));
	out->executed = 0;
	for (unsigned pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];
		uint16_t cls = BPF_CLASS(f->code);
		uint32_t operand;

		out->executed++;
		switch (cls) {
		case BPF_LD:
		case BPF_LDX: {
			uint32_t v;
			if (BPF_MODE(f->code) == BPF_ABS && cls == BPF_LD && BPF_SIZE(f->code) == BPF_W) {
				/* Aligned 32-bit words of seccomp_data only, as the kernel checks. */
				if (f->k >= sizeof(bytes) || f->k % 4)
					return bad(err, err_size, pc, "load outside struct seccomp_data");
				memcpy(&v, bytes + f->k, 4);
			} else if (BPF_MODE(f->code) == BPF_IMM) {
				v = f->k;
			} else if (BPF_MODE(f->code) == BPF_MEM) {
				if (f->k >= BPF_MEMWORDS)
					return bad(err, err_size, pc, "scratch memory index out of range");
				v = mem[f->k];
			} else if (BPF_MODE(f->code) == BPF_LEN) {
				v = sizeof(bytes);
			} else {
				return bad(err, err_size, pc, "load mode not allowed in seccomp filters");
			}
			if (cls == BPF_LD)
				a = v;
			else
				x = v;
			break;
		}
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return bad(err, err_size, pc, "scratch memory index out of range");
			mem[f->k] = cls == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
			if (alu(BPF_OP(f->code), &a, operand, pc, err, err_size))
				return -1;
			break;
		case BPF_JMP: {
			unsigned target;
			bool taken;
			operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
			switch (BPF_OP(f->code)) {
			case BPF_JA:
				target = pc + 1 + f->k;
				if (target > prog->len)
					return bad(err, err_size, pc, "jump past the end");
				pc = target - 1;
				continue;
			case BPF_JEQ: taken = a == operand; break;
			case BPF_JGT: taken = a > operand; break;
			case BPF_JGE: taken = a >= operand; break;
			case BPF_JSET: taken = (a & operand) != 0; break;
			default: return bad(err, err_size, pc, "unknown jump");
			}
			target = pc + 1 + (taken ? f->jt : f->jf);
			if (target >= prog->len)
				return bad(err, err_size, pc, "jump past the end");
			pc = target - 1;
			break;
		}
		case BPF_RET: out->ret = BPF_RVAL(f->code) == BPF_A ? a : f->k; return 0;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default: return bad(err, err_size, pc, "unknown instruction class");
		}
	}
	snprintf(err, err_size, "the program ends without a RET");
	return -1;
}

/* ---- Paths (bpf_explore) ---- */

bool bpf_test_holds(const struct bpf_test *t, uint32_t v)
{
	uint32_t a = v & t->mask;
	bool held;

	switch (t->op) {
	case BPF_JEQ: held = a == t->k; break;
	case BPF_JGT: held = a > t->k; break;
	case BPF_JGE: held = a >= t->k; break;
	case BPF_JSET: held = (a & t->k) != 0; break;
	default: return false;
	}
	return held == t->taken;
}

static bool word_follows(const struct bpf_test *tests, unsigned n, unsigned word, uint32_t v)
{
	for (unsigned i = 0; i < n; i++)
		if (tests[i].word == word && !bpf_test_holds(&tests[i], v))
			return false;
	return true;
}

/* One word: the bits that taken equalities and untaken bit tests fix, then
 * candidates around every constant and bound, each with the fixed bits
 * forced. */
static bool solve_word(const struct bpf_test *tests, unsigned n, unsigned word, uint32_t *out)
{
	uint32_t fixed = 0, value = 0, lo = 0, hi = UINT32_MAX;
	uint32_t cand[512];
	unsigned nc = 0;
	bool any = false;

	for (unsigned i = 0; i < n; i++) {
		const struct bpf_test *t = &tests[i];
		if (t->word != word)
			continue;
		any = true;
		if (t->op == BPF_JEQ && t->taken) {
			if (t->k & ~t->mask)
				return false;
			if ((value ^ t->k) & fixed & t->mask)
				return false;
			fixed |= t->mask;
			value = (value & ~t->mask) | t->k;
		} else if (t->op == BPF_JSET && !t->taken) {
			uint32_t bits = t->mask & t->k;
			if (value & fixed & bits)
				return false;
			fixed |= bits;
			value &= ~bits;
		} else if (t->mask == UINT32_MAX && (t->op == BPF_JGT || t->op == BPF_JGE)) {
			/* taken: v > k / v >= k; not taken: v <= k / v < k */
			if (t->taken) {
				uint32_t b = t->op == BPF_JGT ? t->k + 1 : t->k;
				if (t->op == BPF_JGT && t->k == UINT32_MAX)
					return false;
				if (b > lo)
					lo = b;
			} else {
				uint32_t b = t->op == BPF_JGT ? t->k : t->k - 1;
				if (t->op == BPF_JGE && t->k == 0)
					return false;
				if (b < hi)
					hi = b;
			}
		}
	}
	if (!any) {
		*out = 0;
		return true;
	}
	if (lo > hi)
		return false;

#define ADD(v)                                           \
	do {                                             \
		if (nc < sizeof(cand) / sizeof(cand[0])) \
			cand[nc++] = (v);                \
	} while (0)
	ADD(value);
	ADD(0);
	ADD(UINT32_MAX);
	ADD(lo);
	ADD(hi);
	for (uint32_t d = 1; d <= 16; d++) {
		ADD(lo + d);
		ADD(hi - d);
	}
	for (unsigned i = 0; i < n; i++) {
		const struct bpf_test *t = &tests[i];
		if (t->word != word)
			continue;
		ADD(t->k);
		ADD(t->k + 1);
		ADD(t->k - 1);
		ADD(~t->k);
		ADD(t->k | ~t->mask);
		ADD((t->k + 1) | ~t->mask);
		ADD(t->k ^ (t->mask & -t->mask)); /* the lowest bit of the mask flipped */
		for (unsigned b = 0; b < 32; b++)
			if ((t->mask & t->k) >> b & 1)
				ADD((uint32_t)1 << b);
	}
#undef ADD
	for (unsigned i = 0; i < nc; i++) {
		uint32_t forced = (cand[i] & ~fixed) | value;
		if (word_follows(tests, n, word, forced)) {
			*out = forced;
			return true;
		}
		if (word_follows(tests, n, word, cand[i])) {
			*out = cand[i];
			return true;
		}
	}
	return false;
}

bool bpf_tests_solve(const struct bpf_test *tests, unsigned n, uint32_t words[BPF_WORDS])
{
	for (unsigned w = BPF_WORD_IP; w < BPF_WORDS; w++)
		if (!solve_word(tests, n, w, &words[w]))
			return false;
	return true;
}

/* A register or scratch word: a constant, or a free word ANDed with mask. */
struct sval {
	bool free;
	uint8_t word;
	uint32_t mask;
	uint32_t v;
};

struct xstate {
	unsigned pc;
	struct sval a, x, mem[BPF_MEMWORDS];
	unsigned n;
	struct bpf_test tests[BPF_PATH_TESTS];
};

struct explore {
	const struct sock_fprog *prog;
	const struct seccomp_data *fixed;
	unsigned max_paths, paths, *unsolved;
	bpf_path_fn fn;
	void *data;
	char *err;
	size_t err_size;
};

static struct sval konst(uint32_t v)
{
	struct sval s = { .free = false, .v = v };
	return s;
}

/* A free word that a taken equality with a full mask already pins down is
 * a constant on this path. */
static struct sval load_word(const struct explore *e, const struct xstate *s, unsigned word)
{
	struct sval r = { .free = true, .word = (uint8_t)word, .mask = UINT32_MAX };
	uint32_t v;

	if (word < BPF_WORD_IP) {
		memcpy(&v, (const unsigned char *)e->fixed + 4 * word, 4);
		return konst(v);
	}
	for (unsigned i = 0; i < s->n; i++)
		if (s->tests[i].word == word && s->tests[i].op == BPF_JEQ && s->tests[i].taken &&
		    s->tests[i].mask == UINT32_MAX)
			return konst(s->tests[i].k);
	return r;
}

static int xbad(const struct explore *e, unsigned pc, const char *why)
{
	return bad(e->err, e->err_size, pc, why);
}

static int path_end(struct explore *e, const struct xstate *s, uint32_t ret)
{
	struct bpf_path p;
	struct seccomp_data d;
	struct bpf_eval_result r;

	memset(&p, 0, sizeof(p));
	p.ret = ret;
	p.n_tests = s->n;
	memcpy(p.tests, s->tests, s->n * sizeof(s->tests[0]));
	if (!bpf_tests_solve(s->tests, s->n, p.witness)) {
		(*e->unsolved)++;
		return 0;
	}
	memcpy(p.witness, e->fixed, 8);
	memcpy(&d, p.witness, sizeof(d));
	if (bpf_eval(e->prog, &d, &r, e->err, e->err_size))
		return -1;
	if (r.ret != ret) {
		snprintf(e->err, e->err_size, "internal: a path ends in RET 0x%08x but its witness evaluates to 0x%08x",
			 ret, r.ret);
		return -1;
	}
	if (++e->paths > e->max_paths) {
		snprintf(e->err, e->err_size, "more than %u paths for one syscall number", e->max_paths);
		return -1;
	}
	return e->fn(e->data, &p);
}

static int explore_from(struct explore *e, struct xstate s)
{
	const struct sock_fprog *prog = e->prog;

	for (; s.pc < prog->len; s.pc++) {
		const struct sock_filter *f = &prog->filter[s.pc];
		uint16_t cls = BPF_CLASS(f->code);
		struct sval operand;

		switch (cls) {
		case BPF_LD:
		case BPF_LDX: {
			struct sval v;
			if (BPF_MODE(f->code) == BPF_ABS && cls == BPF_LD && BPF_SIZE(f->code) == BPF_W) {
				if (f->k >= sizeof(struct seccomp_data) || f->k % 4)
					return xbad(e, s.pc, "load outside struct seccomp_data");
				v = load_word(e, &s, f->k / 4);
			} else if (BPF_MODE(f->code) == BPF_IMM) {
				v = konst(f->k);
			} else if (BPF_MODE(f->code) == BPF_MEM) {
				if (f->k >= BPF_MEMWORDS)
					return xbad(e, s.pc, "scratch memory index out of range");
				v = s.mem[f->k];
			} else if (BPF_MODE(f->code) == BPF_LEN) {
				v = konst(sizeof(struct seccomp_data));
			} else {
				return xbad(e, s.pc, "load mode not allowed in seccomp filters");
			}
			if (cls == BPF_LD)
				s.a = v;
			else
				s.x = v;
			break;
		}
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return xbad(e, s.pc, "scratch memory index out of range");
			s.mem[f->k] = cls == BPF_ST ? s.a : s.x;
			break;
		case BPF_ALU:
			operand = BPF_SRC(f->code) == BPF_X ? s.x : konst(f->k);
			if (!s.a.free && !operand.free) {
				if (alu(BPF_OP(f->code), &s.a.v, operand.v, s.pc, e->err, e->err_size))
					return -1;
			} else if (s.a.free && !operand.free && BPF_OP(f->code) == BPF_AND) {
				s.a.mask &= operand.v;
				if (!s.a.mask)
					s.a = konst(0);
			} else {
				return xbad(
					e, s.pc,
					"computes on an argument word other than by AND with a constant (not followed)");
			}
			break;
		case BPF_JMP: {
			unsigned target;
			bool taken;
			operand = BPF_SRC(f->code) == BPF_X ? s.x : konst(f->k);
			if (BPF_OP(f->code) == BPF_JA) {
				target = s.pc + 1 + f->k;
				if (target > prog->len)
					return xbad(e, s.pc, "jump past the end");
				s.pc = target - 1;
				continue;
			}
			if (BPF_OP(f->code) != BPF_JEQ && BPF_OP(f->code) != BPF_JGT && BPF_OP(f->code) != BPF_JGE &&
			    BPF_OP(f->code) != BPF_JSET)
				return xbad(e, s.pc, "unknown jump");
			if (operand.free)
				return xbad(e, s.pc, "compares with an argument word in X (not followed)");
			if (!s.a.free) {
				uint32_t a = s.a.v, k = operand.v;
				switch (BPF_OP(f->code)) {
				case BPF_JEQ: taken = a == k; break;
				case BPF_JGT: taken = a > k; break;
				case BPF_JGE: taken = a >= k; break;
				default: taken = (a & k) != 0; break;
				}
				target = s.pc + 1 + (taken ? f->jt : f->jf);
				if (target >= prog->len)
					return xbad(e, s.pc, "jump past the end");
				s.pc = target - 1;
				break;
			}
			/* A free word: both ways, each where some value follows it. */
			if (s.n >= BPF_PATH_TESTS)
				return xbad(e, s.pc, "more comparisons on one path than followed");
			for (int way = 1; way >= 0; way--) {
				struct xstate next = s;
				uint32_t words[BPF_WORDS];
				struct bpf_test *t = &next.tests[next.n++];
				t->word = s.a.word;
				t->op = (uint8_t)BPF_OP(f->code);
				t->taken = way;
				t->mask = s.a.mask;
				t->k = operand.v;
				target = s.pc + 1 + (way ? f->jt : f->jf);
				if (target >= prog->len)
					return xbad(e, s.pc, "jump past the end");
				if (!bpf_tests_solve(next.tests, next.n, words)) {
					/* Not a branch when the other way is the only one. */
					struct bpf_test other = *t;
					other.taken = !way;
					next.tests[next.n - 1] = other;
					if (bpf_tests_solve(next.tests, next.n, words))
						continue;
					(*e->unsolved)++;
					continue;
				}
				next.pc = target;
				int rc = explore_from(e, next);
				if (rc)
					return rc;
			}
			return 0;
		}
		case BPF_RET:
			if (BPF_RVAL(f->code) == BPF_A) {
				if (s.a.free)
					return xbad(e, s.pc, "returns an argument word (not followed)");
				return path_end(e, &s, s.a.v);
			}
			return path_end(e, &s, f->k);
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				s.x = s.a;
			else
				s.a = s.x;
			break;
		default: return xbad(e, s.pc, "unknown instruction class");
		}
	}
	snprintf(e->err, e->err_size, "the program ends without a RET");
	return -1;
}

int bpf_explore(const struct sock_fprog *prog, const struct seccomp_data *fixed, const struct bpf_test *given,
		unsigned n_given, unsigned max_paths, bpf_path_fn fn, void *data, unsigned *unsolved, char *err,
		size_t err_size)
{
	struct explore e = { prog, fixed, max_paths, 0, unsolved, fn, data, err, err_size };
	struct xstate s;
	int rc;

	memset(&s, 0, sizeof(s));
	if (n_given > BPF_PATH_TESTS) {
		snprintf(err, err_size, "more given tests than followed");
		return -1;
	}
	s.n = n_given;
	memcpy(s.tests, given, n_given * sizeof(given[0]));
	rc = explore_from(&e, s);
	if (rc)
		return rc;
	return (int)e.paths;
}

/* "SCMP_ACT_ERRNO(38)" for a filter's return value (explain, surface). */
void bpf_describe_ret(uint32_t ret, char *buf, size_t size)
{
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: snprintf(buf, size, "SCMP_ACT_KILL_PROCESS"); break;
	case SECCOMP_RET_KILL_THREAD: snprintf(buf, size, "SCMP_ACT_KILL_THREAD"); break;
	case SECCOMP_RET_TRAP: snprintf(buf, size, "SCMP_ACT_TRAP"); break;
	case SECCOMP_RET_ERRNO: snprintf(buf, size, "SCMP_ACT_ERRNO(%u)", data); break;
	case SECCOMP_RET_USER_NOTIF: snprintf(buf, size, "SCMP_ACT_NOTIFY"); break;
	case SECCOMP_RET_TRACE: snprintf(buf, size, "SCMP_ACT_TRACE(%u)", data); break;
	case SECCOMP_RET_LOG: snprintf(buf, size, "SCMP_ACT_LOG"); break;
	case SECCOMP_RET_ALLOW: snprintf(buf, size, "SCMP_ACT_ALLOW"); break;
	default: snprintf(buf, size, "0x%08x", ret); break;
	}
}
