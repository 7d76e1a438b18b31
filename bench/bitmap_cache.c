/* bitmap_cache.c: see bitmap_cache.h.  The kernel emulates the filter with
 * only nr and arch known; any other load, or an instruction outside the
 * small set below, means "not constant": the filter runs on every call. */
#include "bitmap_cache.h"

#include <linux/seccomp.h>
#include <stddef.h>

bool bitmap_cache_allows(const struct sock_fprog *prog, unsigned arch, int nr)
{
	unsigned pc = 0, a = 0;

	while (pc < prog->len) {
		const struct sock_filter *f = &prog->filter[pc];
		bool taken;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k == offsetof(struct seccomp_data, nr))
				a = (unsigned)nr;
			else if (f->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				return false;
			pc++;
			continue;
		case BPF_RET | BPF_K: return f->k == SECCOMP_RET_ALLOW;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= f->k;
			pc++;
			continue;
		case BPF_JMP | BPF_JA: pc += 1 + f->k; continue;
		case BPF_JMP | BPF_JEQ | BPF_K: taken = a == f->k; break;
		case BPF_JMP | BPF_JGE | BPF_K: taken = a >= f->k; break;
		case BPF_JMP | BPF_JGT | BPF_K: taken = a > f->k; break;
		case BPF_JMP | BPF_JSET | BPF_K: taken = (a & f->k) != 0; break;
		default: return false;
		}
		pc += 1 + (taken ? f->jt : f->jf);
	}
	return false;
}
