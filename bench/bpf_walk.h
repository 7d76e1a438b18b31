/* bpf_walk.h: runs a seccomp classic-BPF program in user space, the way the
 * kernel would for one syscall, to tell two things the timings alone cannot:
 * how many instructions the measured call walks (the "path"), and whether the
 * kernel's constant-action bitmap cache (Linux 5.11+) can skip the filter
 * for that syscall number altogether. */
#ifndef SECCOMP_SUITE_BPF_WALK_H
#define SECCOMP_SUITE_BPF_WALK_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>

/* The filter's return value for data, and in *steps the instructions
 * executed.  -1 on an instruction seccomp filters cannot contain, or a jump
 * out of the program. */
long long bpf_walk(const struct sock_fprog *prog, const struct seccomp_data *data, unsigned *steps);

/* As the kernel's seccomp_is_const_allow(): true when the program returns
 * SECCOMP_RET_ALLOW for (arch, nr) whatever the arguments and instruction
 * pointer, judged by reading only nr and arch. */
bool bpf_const_allow(const struct sock_fprog *prog, unsigned arch, int nr);

#endif
