/* bpf_walk.c: see bpf_walk.h.  Only the classic-BPF subset that the kernel's
 * seccomp_check_filter() accepts. */
#include "bpf_walk.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NOT_CONST (-2)

/* args_known false: a load of anything but nr or arch answers NOT_CONST,
 * which is how the kernel decides that a syscall cannot be cached. */
static long long walk(const struct sock_fprog *prog, const struct seccomp_data *data, bool args_known,
		      unsigned *steps)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	unsigned pc = 0, n = 0;

	while (pc < prog->len) {
		const struct sock_filter *f = &prog->filter[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
		n++;
		/* The kernel's emulation knows fewer instructions than the
		 * interpreter: anything else makes the syscall uncacheable. */
		if (!args_known && f->code != (BPF_LD | BPF_W | BPF_ABS) && f->code != (BPF_JMP | BPF_JA) &&
		    f->code != (BPF_JMP | BPF_JEQ | BPF_K) && f->code != (BPF_JMP | BPF_JGE | BPF_K) &&
		    f->code != (BPF_JMP | BPF_JGT | BPF_K) && f->code != (BPF_JMP | BPF_JSET | BPF_K) &&
		    f->code != (BPF_ALU | BPF_AND | BPF_K) && f->code != (BPF_RET | BPF_K))
			return NOT_CONST;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (f->k % 4 || f->k >= sizeof(*data))
					return -1;
				if (!args_known && f->k != offsetof(struct seccomp_data, nr) &&
				    f->k != offsetof(struct seccomp_data, arch))
					return NOT_CONST;
				memcpy(&a, (const char *)data + f->k, sizeof(a));
			} else if (f->code == (BPF_LD | BPF_W | BPF_LEN)) {
				a = sizeof(*data);
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				a = f->k;
			} else if (f->code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS) {
				a = mem[f->k];
			} else {
				return -1;
			}
			pc++;
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_W | BPF_LEN))
				x = sizeof(*data);
			else if (f->code == (BPF_LDX | BPF_IMM))
				x = f->k;
			else if (f->code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else
				return -1;
			pc++;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return -1;
			mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			pc++;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV: if (!src) return -1; a /= src; break;
			case BPF_MOD: if (!src) return -1; a %= src; break;
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a = src < 32 ? a << src : 0; break;
			case BPF_RSH: a = src < 32 ? a >> src : 0; break;
			case BPF_NEG: a = -a; break;
			default: return -1;
			}
			pc++;
			break;
		case BPF_JMP: {
			bool taken;
			if (BPF_OP(f->code) == BPF_JA) {
				pc += 1 + f->k;
				break;
			}
			switch (BPF_OP(f->code)) {
			case BPF_JEQ: taken = a == src; break;
			case BPF_JGT: taken = a > src; break;
			case BPF_JGE: taken = a >= src; break;
			case BPF_JSET: taken = (a & src) != 0; break;
			default: return -1;
			}
			pc += 1 + (taken ? f->jt : f->jf);
			break;
		}
		case BPF_RET:
			if (steps)
				*steps = n;
			if (BPF_RVAL(f->code) == BPF_A)
				return a;
			return BPF_RVAL(f->code) == BPF_K ? (long long)f->k : -1;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			pc++;
			break;
		default:
			return -1;
		}
	}
	return -1;
}

long long bpf_walk(const struct sock_fprog *prog, const struct seccomp_data *data, unsigned *steps)
{
	return walk(prog, data, true, steps);
}

bool bpf_const_allow(const struct sock_fprog *prog, unsigned arch, int nr)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	return walk(prog, &d, false, NULL) == SECCOMP_RET_ALLOW;
}
