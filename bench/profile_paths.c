/* profile_paths.c: see profile_paths.h. */
#define _GNU_SOURCE
#include "profile_paths.h"

#include "bpf_eval.h"
#include "profile.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- paths through one filter for one syscall number -------------------- */

/* A value in A, X or M[]: a constant, or (word w of seccomp_data) & mask. */
struct val {
	bool sym;
	uint8_t word; /* 0..15: seccomp_data as sixteen 32-bit words */
	uint32_t mask;
	uint32_t c;
};

/* One branch taken on a symbolic word: ((w & mask) OP k) == truth. */
struct constraint {
	uint8_t word;
	uint16_t op; /* BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET */
	uint32_t mask, k;
	bool truth;
};

struct walk {
	const struct sock_fprog *prog;
	uint32_t arch;
	int nr;
	struct constraint cons[BPF_MAXINSNS];
	unsigned n_cons;
	struct call_paths *out;
	bool unsupported;
	int failed;
	char *err;
	size_t err_size;
};

static bool holds(const struct constraint *c, uint32_t v)
{
	uint32_t a = v & c->mask;
	bool r;
	switch (c->op) {
	case BPF_JEQ: r = a == c->k; break;
	case BPF_JGT: r = a > c->k; break;
	case BPF_JGE: r = a >= c->k; break;
	default: r = (a & c->k) != 0; break; /* BPF_JSET */
	}
	return r == c->truth;
}

/* A value of word w meeting every constraint on it, tried among the values
 * the constraints name (k, its neighbours, k with the bits outside the mask
 * set) and 0 / all ones.  false: none found (the path is not reported). */
static bool word_value(const struct walk *w, unsigned word, uint32_t *value)
{
	uint32_t cand[2 + 6 * BPF_MAXINSNS / 8];
	unsigned n = 0, n_on = 0;

	cand[n++] = 0;
	cand[n++] = 0xffffffffu;
	for (unsigned i = 0; i < w->n_cons; i++) {
		const struct constraint *c = &w->cons[i];
		if (c->word != word)
			continue;
		n_on++;
		if (n + 6 > sizeof(cand) / sizeof(cand[0]))
			continue;
		cand[n++] = c->k;
		cand[n++] = c->k + 1;
		cand[n++] = c->k - 1;
		cand[n++] = c->k | ~c->mask;
		cand[n++] = (c->k + 1) | ~c->mask;
		cand[n++] = c->k & c->mask;
	}
	if (n_on == 0) {
		*value = 0;
		return true;
	}
	for (unsigned j = 0; j < n; j++) {
		bool ok = true;
		for (unsigned i = 0; i < w->n_cons && ok; i++)
			if (w->cons[i].word == word && !holds(&w->cons[i], cand[j]))
				ok = false;
		if (ok) {
			*value = cand[j];
			return true;
		}
	}
	return false;
}

static bool is_allow(uint32_t ret)
{
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
	return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}

/* A path ended in RET: find its witness, run bpf_eval on it, record it. */
static void path_end(struct walk *w, uint32_t ret, unsigned steps)
{
	struct seccomp_data d;
	uint32_t words[16] = { 0 };
	struct bpf_eval_result r;
	char why[256];

	for (unsigned word = 2; word < 16; word++)
		if (!word_value(w, word, &words[word]))
			return; /* no witness: not a path we can show */
	words[0] = (uint32_t)w->nr;
	words[1] = w->arch;
	memcpy(&d, words, sizeof(d));
	if (bpf_eval(w->prog, &d, &r, why, sizeof(why))) {
		snprintf(w->err, w->err_size, "nr %d: %s", w->nr, why);
		w->failed = 1;
		return;
	}
	if (r.executed != steps || r.ret != ret) {
		snprintf(w->err, w->err_size,
			 "nr %d: a path followed as %u instructions returning %#x runs %u returning %#x in bpf_eval",
			 w->nr, steps, ret, r.executed, r.ret);
		w->failed = 1;
		return;
	}
	struct call_paths *o = w->out;
	if (o->n_paths == 0 || steps < o->all_min)
		o->all_min = steps;
	if (o->n_paths == 0 || steps > o->all_max)
		o->all_max = steps;
	o->n_paths++;
	if (is_allow(ret)) {
		if (!o->allowed || steps < o->allow_min) {
			o->allow_min = steps;
			for (int i = 0; i < 6; i++)
				o->allow_min_args[i] = d.args[i];
		}
		if (!o->allowed || steps > o->allow_max) {
			o->allow_max = steps;
			for (int i = 0; i < 6; i++)
				o->allow_max_args[i] = d.args[i];
		}
		o->allowed = true;
	} else {
		if (!o->denied || steps < o->deny_min) {
			o->deny_min = steps;
			o->deny_ret = ret;
		}
		o->denied = true;
	}
}

static bool operand_of(const struct sock_filter *f, const struct val *x, uint32_t *k)
{
	if (BPF_SRC(f->code) == BPF_X) {
		if (x->sym)
			return false;
		*k = x->c;
		return true;
	}
	*k = f->k;
	return true;
}

static uint32_t alu_const(uint16_t op, uint32_t a, uint32_t k, bool *ok)
{
	*ok = true;
	switch (op) {
	case BPF_ADD: return a + k;
	case BPF_SUB: return a - k;
	case BPF_MUL: return a * k;
	case BPF_DIV:
		if (!k)
			break;
		return a / k;
	case BPF_MOD:
		if (!k)
			break;
		return a % k;
	case BPF_AND: return a & k;
	case BPF_OR: return a | k;
	case BPF_XOR: return a ^ k;
	case BPF_LSH: return k < 32 ? a << k : 0;
	case BPF_RSH: return k < 32 ? a >> k : 0;
	case BPF_NEG: return -a;
	default: break;
	}
	*ok = false;
	return 0;
}

static bool jump_const(uint16_t op, uint32_t a, uint32_t k)
{
	switch (op) {
	case BPF_JEQ: return a == k;
	case BPF_JGT: return a > k;
	case BPF_JGE: return a >= k;
	default: return (a & k) != 0;
	}
}

/* Follow the program from pc; recurse only where a compare on an argument
 * word can go both ways. */
static void walk_from(struct walk *w, unsigned pc, struct val a, struct val x, struct val *mem_in, unsigned steps)
{
	struct val mem[BPF_MEMWORDS];
	memcpy(mem, mem_in, sizeof(mem));

	while (!w->failed && !w->unsupported && !w->out->truncated) {
		if (pc >= w->prog->len) {
			snprintf(w->err, w->err_size, "nr %d: the program runs past its end", w->nr);
			w->failed = 1;
			return;
		}
		const struct sock_filter *f = &w->prog->filter[pc];
		uint16_t code = f->code;
		uint32_t k;
		bool ok;
		steps++;
		switch (BPF_CLASS(code)) {
		case BPF_LD:
			if (code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (f->k % 4 || f->k >= sizeof(struct seccomp_data)) {
					w->unsupported = true;
					return;
				}
				if (f->k == offsetof(struct seccomp_data, nr))
					a = (struct val){ .c = (uint32_t)w->nr };
				else if (f->k == offsetof(struct seccomp_data, arch))
					a = (struct val){ .c = w->arch };
				else {
					a = (struct val){ .sym = true,
							  .word = (uint8_t)(f->k / 4),
							  .mask = 0xffffffffu };
					w->out->reads_args = true;
				}
			} else if (code == (BPF_LD | BPF_W | BPF_LEN)) {
				a = (struct val){ .c = sizeof(struct seccomp_data) };
			} else if (code == (BPF_LD | BPF_IMM)) {
				a = (struct val){ .c = f->k };
			} else if (code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS) {
				a = mem[f->k];
			} else {
				w->unsupported = true;
				return;
			}
			pc++;
			continue;
		case BPF_LDX:
			if (code == (BPF_LDX | BPF_W | BPF_LEN))
				x = (struct val){ .c = sizeof(struct seccomp_data) };
			else if (code == (BPF_LDX | BPF_IMM))
				x = (struct val){ .c = f->k };
			else if (code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else {
				w->unsupported = true;
				return;
			}
			pc++;
			continue;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS) {
				w->unsupported = true;
				return;
			}
			mem[f->k] = BPF_CLASS(code) == BPF_ST ? a : x;
			pc++;
			continue;
		case BPF_MISC:
			if (BPF_MISCOP(code) == BPF_TAX)
				x = a;
			else
				a = x;
			pc++;
			continue;
		case BPF_ALU:
			if (BPF_OP(code) == BPF_NEG)
				k = 0;
			else if (!operand_of(f, &x, &k)) {
				w->unsupported = true;
				return;
			}
			if (!a.sym) {
				a.c = alu_const(BPF_OP(code), a.c, k, &ok);
				if (!ok) {
					w->unsupported = true;
					return;
				}
			} else if (BPF_OP(code) == BPF_AND) {
				a.mask &= k;
			} else {
				w->unsupported = true;
				return;
			}
			pc++;
			continue;
		case BPF_JMP: {
			if (BPF_OP(code) == BPF_JA) {
				pc += 1 + f->k;
				continue;
			}
			uint16_t op = BPF_OP(code);
			if ((op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET) ||
			    !operand_of(f, &x, &k)) {
				w->unsupported = true;
				return;
			}
			if (!a.sym || f->jt == f->jf) {
				pc += 1 + (!a.sym && jump_const(op, a.c, k) ? f->jt : f->jf);
				continue;
			}
			/* Both ways, each where some value of the word takes it. */
			for (int truth = 1; truth >= 0; truth--) {
				uint32_t unused;
				if (w->n_cons == sizeof(w->cons) / sizeof(w->cons[0])) {
					w->unsupported = true;
					return;
				}
				w->cons[w->n_cons++] = (struct constraint){
					.word = a.word, .op = op, .mask = a.mask, .k = k, .truth = truth
				};
				if (word_value(w, a.word, &unused))
					walk_from(w, pc + 1 + (truth ? f->jt : f->jf), a, x, mem, steps);
				w->n_cons--;
				if (w->failed || w->unsupported)
					return;
			}
			return;
		}
		case BPF_RET:
			if (BPF_RVAL(code) == BPF_K)
				k = f->k;
			else if (!a.sym)
				k = a.c;
			else {
				w->unsupported = true;
				return;
			}
			path_end(w, k, steps);
			if (w->out->n_paths >= PATHS_MAX_PER_CALL)
				w->out->truncated = true;
			return;
		default: w->unsupported = true; return;
		}
	}
}

int paths_of_call(const struct sock_fprog *prog, uint32_t audit_arch, int nr, struct call_paths *out, char *err,
		  size_t err_size)
{
	static struct walk w; /* the constraint stack is large: not on the stack */
	struct val zero = { 0 }, mem[BPF_MEMWORDS];

	memset(out, 0, sizeof(*out));
	memset(mem, 0, sizeof(mem));
	memset(&w, 0, sizeof(w));
	w.prog = prog;
	w.arch = audit_arch;
	w.nr = nr;
	w.out = out;
	w.err = err;
	w.err_size = err_size;
	walk_from(&w, 0, zero, zero, mem, 0);
	if (w.failed)
		return -1;
	if (w.unsupported) {
		/* Not followed: report the one path of all-zero arguments. */
		bool reads = out->reads_args;
		memset(out, 0, sizeof(*out));
		out->approximate = true;
		out->reads_args = reads;
		w.n_cons = 0;
		w.unsupported = false;
		struct seccomp_data d = { .nr = nr, .arch = audit_arch };
		struct bpf_eval_result r;
		char why[256];
		if (bpf_eval(prog, &d, &r, why, sizeof(why))) {
			snprintf(err, err_size, "nr %d: %s", nr, why);
			return -1;
		}
		path_end(&w, r.ret, r.executed);
		if (w.failed)
			return -1;
	}
	return 0;
}

/* ---- the binary tree ---------------------------------------------------- */

int tree_program(const char *name_or_file, const struct policy_opts *opts, struct sock_fprog *out,
		 struct profile *resolved, char *err, size_t err_size)
{
	struct policy pol;
	struct profile_error perr;
	struct build_opts bopts = { .errno_override = -1 };
	scmp_filter_ctx ctx;
	int rc;

	memset(out, 0, sizeof(*out));
	if (policy_resolve(name_or_file, opts, &pol, resolved, err, err_size))
		return -1;
	if (pol.unconfined) {
		snprintf(err, err_size, "%s: no filter (unconfined): nothing to lay out", name_or_file);
		return -1;
	}
	bopts.runtime_arch = pol.arch;
	if (profile_build(resolved, &bopts, &ctx, &perr)) {
		profile_error_format(&perr, err, err_size);
		return -1;
	}
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc < 0) {
		snprintf(err, err_size, "%s: libseccomp refused SCMP_FLTATR_CTL_OPTIMIZE 2: %s", pol.file,
			 strerror(-rc));
		seccomp_release(ctx);
		return -1;
	}
	rc = filter_export(ctx, out);
	seccomp_release(ctx);
	if (rc) {
		snprintf(err, err_size, "%s: the binary-tree layout could not be exported, or is over %d instructions",
			 pol.file, BPF_MAXINSNS);
		return -1;
	}
	return 0;
}

/* ---- runc's ENOSYS stub ------------------------------------------------- */

const char runc_stub_model[] =
	"runc 1.1 (libcontainer/seccomp/patchbpf) prepends to libseccomp's default layout: load arch; one jeq "
	"per native architecture of the profile's architectures (x32 shares x86_64's); a jump into the filter "
	"for any other; per architecture: load nr, (x86_64: jset of the x32 bit), jgt against the highest "
	"number any rule names on that ABI -> ret ERRNO(ENOSYS), else jump to the filter; then runc's tail "
	"(ja 1; ret ERRNO(ENOSYS)).  No stub when the default action is ALLOW, LOG or TRACE or defaultErrnoRet "
	"is ENOSYS.  runc orders the architecture checks by Go map iteration (random per container): the model "
	"checks the host's first, the shortest case; each other architecture checked first adds one "
	"instruction (native_extra_max).  Every count is bpf_eval's run of this program.";

#define X32_BIT 0x40000000u

struct stub_arch {
	uint32_t audit;		/* AUDIT_ARCH_* the kernel reports */
	int max_plain, max_x32; /* 0: no rule names a syscall on that ABI */
};

static uint32_t audit_of(uint32_t scmp, bool *x32)
{
	*x32 = scmp == SCMP_ARCH_X32;
	if (scmp == SCMP_ARCH_NATIVE)
		scmp = seccomp_arch_native();
	return *x32 ? AUDIT_ARCH_X86_64 : scmp;
}

static int rules_max_nr(const struct profile *p, uint32_t scmp)
{
	int max = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++) {
			int nr = seccomp_syscall_resolve_name_arch(scmp, p->rules[i].names[j]);
			if (nr != __NR_SCMP_ERROR && nr > max)
				max = nr;
		}
	return max;
}

int runc_program(const struct profile *resolved, const struct sock_fprog *prog, struct sock_fprog *out,
		 struct runc_stub *stub, char *err, size_t err_size)
{
	struct sock_filter s[256];
	struct stub_arch arches[16];
	unsigned n_arches = 0, n = 0;
	uint32_t host = seccomp_arch_native();
	const uint32_t enosys = SECCOMP_RET_ERRNO | ENOSYS;
	enum profile_action d = resolved->default_action;

	memset(stub, 0, sizeof(*stub));
	memset(out, 0, sizeof(*out));
	if (d == ACTION_ALLOW || d == ACTION_LOG || d == ACTION_TRACE)
		snprintf(stub->absent_why, sizeof(stub->absent_why),
			 "the default action (%s) lets unknown syscalls through", action_name(d));
	else if (resolved->has_default_errno_ret && resolved->default_errno_ret == ENOSYS)
		snprintf(stub->absent_why, sizeof(stub->absent_why), "defaultErrnoRet is already ENOSYS");
	if (stub->absent_why[0]) {
		out->filter = malloc(prog->len * sizeof(*prog->filter));
		if (!out->filter) {
			snprintf(err, err_size, "out of memory");
			return -1;
		}
		memcpy(out->filter, prog->filter, prog->len * sizeof(*prog->filter));
		out->len = prog->len;
		return 0;
	}
	stub->present = true;

	/* The architectures runc sees (config.Architectures), grouped by the
	 * value the kernel reports; the host's first. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < resolved->n_arches; i++) {
			bool x32;
			uint32_t audit = audit_of(resolved->arches[i], &x32);
			if ((pass == 0) != (audit == host))
				continue;
			int max = rules_max_nr(resolved, resolved->arches[i]);
			if (max <= 0)
				continue; /* runc: "could not find any syscalls for arch" */
			unsigned k;
			for (k = 0; k < n_arches && arches[k].audit != audit; k++)
				;
			if (k == n_arches) {
				if (n_arches == sizeof(arches) / sizeof(arches[0])) {
					snprintf(err, err_size, "more than %zu architectures",
						 sizeof(arches) / sizeof(arches[0]));
					return -1;
				}
				arches[n_arches++] = (struct stub_arch){ .audit = audit };
			}
			if (x32)
				arches[k].max_x32 = max;
			else
				arches[k].max_plain = max;
		}

	/* Section lengths first: the jumps are forward and relative. */
	unsigned sec_len[16], sec_start[16], at;
	for (unsigned k = 0; k < n_arches; k++) {
		bool both = arches[k].max_plain && arches[k].max_x32;
		bool s390 = arches[k].audit == AUDIT_ARCH_S390 || arches[k].audit == AUDIT_ARCH_S390X;
		sec_len[k] = both ? 5 : arches[k].audit == AUDIT_ARCH_X86_64 ? 4 : 3;
		if (s390 && !both)
			sec_len[k] += 2;
	}
	at = 1 + n_arches + 1; /* ld arch, the jeqs, the dummy ja */
	for (unsigned k = 0; k < n_arches; k++) {
		sec_start[k] = at;
		at += sec_len[k];
	}
	unsigned tail = at, enosys_at = at + 1, filter_at = at + 2;
	if (filter_at > 255 + 1) {
		snprintf(err, err_size, "runc's stub needs long jumps here (%u instructions): not modelled", filter_at);
		return -1;
	}
#define JUMP(from, to) ((uint8_t)((to) - (from)-1))
	s[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	for (unsigned k = 0; k < n_arches; k++, n++)
		s[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arches[k].audit, JUMP(n, sec_start[k]),
						    0);
	s[n] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, filter_at - n - 1);
	n++;
	for (unsigned k = 0; k < n_arches; k++) {
		struct stub_arch *a = &arches[k];
		s[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		if (a->max_plain && a->max_x32) {
			/* jset x32,1 ; jgt plain,ENOSYS,1 ; jgt x32,ENOSYS ; ja filter */
			s[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_BIT, 1, 0);
			n++;
			s[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max_plain,
							    JUMP(n, enosys_at), 1);
			n++;
			s[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max_x32,
							    JUMP(n, enosys_at), 0);
			n++;
		} else {
			int max = a->max_plain ? a->max_plain : a->max_x32;
			if (a->audit == AUDIT_ARCH_S390 || a->audit == AUDIT_ARCH_S390X) {
				/* setup(2), number 0, multiplexes unknown numbers there */
				s[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
				s[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, enosys);
			}
			if (a->audit == AUDIT_ARCH_X86_64) {
				/* Calls of the other mode (x32 bit set or not) skip the check. */
				s[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_BIT,
								    a->max_plain ? 1 : 0, a->max_plain ? 0 : 1);
				n++;
			}
			s[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)max,
							    JUMP(n, enosys_at), 0);
			n++;
		}
		s[n] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, filter_at - n - 1);
		n++;
	}
#undef JUMP
	if (n != tail) {
		snprintf(err, err_size, "runc stub: %u instructions laid out, %u planned", n, tail);
		return -1;
	}
	s[n++] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 1);
	s[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, enosys);

	if (n + prog->len > BPF_MAXINSNS) {
		snprintf(
			err, err_size,
			"runc's stub (%u) and the filter (%u) are over the kernel's %d instructions: runc would fail to load it",
			n, prog->len, BPF_MAXINSNS);
		return -1;
	}
	out->filter = malloc((n + prog->len) * sizeof(*prog->filter));
	if (!out->filter) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	memcpy(out->filter, s, n * sizeof(*s));
	memcpy(out->filter + n, prog->filter, prog->len * sizeof(*prog->filter));
	out->len = (unsigned short)(n + prog->len);
	stub->insns = n;
	stub->arch_checks = n_arches;
	stub->native_extra_max = n_arches > 0 ? n_arches - 1 : 0;
	for (unsigned k = 0; k < n_arches; k++)
		if (arches[k].audit == host)
			stub->host_max_nr = arches[k].max_plain;
	return 0;
}
