/* bpf_eval.h: run a seccomp BPF program on one seccomp_data, in user space.
 *
 * explain uses it to say what the compiled filter returns for a call
 * without making the call.  It follows the kernel's seccomp dialect of
 * classic BPF (seccomp_check_filter in kernel/seccomp.c): 32-bit loads of
 * struct seccomp_data at absolute offsets, the ALU and jump instructions,
 * scratch memory, RET.  Whether it agrees with the kernel is a test
 * (tests/explain.test.sh compares it with every probe's real verdict).
 */
#ifndef SECCOMP_SUITE_BPF_EVAL_H
#define SECCOMP_SUITE_BPF_EVAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_eval_result {
	uint32_t ret;		/* SECCOMP_RET_* | data */
	unsigned executed;	/* instructions run, the RET included */
};

/* 0, or -1 with a reason in err (a malformed program: an out-of-range load
 * or jump, an unknown instruction, no RET reached). */
int bpf_eval(const struct sock_fprog *prog, const struct seccomp_data *data,
	     struct bpf_eval_result *out, char *err, size_t err_size);

#endif
