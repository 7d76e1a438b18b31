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

int bpf_eval(const struct sock_fprog *prog, const struct seccomp_data *data,
	     struct bpf_eval_result *out, char *err, size_t err_size)
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
		case BPF_RET:
			out->ret = BPF_RVAL(f->code) == BPF_A ? a : f->k;
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return bad(err, err_size, pc, "unknown instruction class");
		}
	}
	snprintf(err, err_size, "the program ends without a RET");
	return -1;
}
