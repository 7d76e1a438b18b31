/* bitmap_cache.h: would the kernel's constant-action bitmap (Linux 5.11+)
 * skip this filter for this syscall?  Decided as the kernel decides it, so
 * that the benchmark can say which of its points the cache serves, rather
 * than infer it from the timings. */
#ifndef SECCOMP_SUITE_BITMAP_CACHE_H
#define SECCOMP_SUITE_BITMAP_CACHE_H

#include <linux/filter.h>
#include <stdbool.h>

/* As seccomp_is_const_allow() in kernel/seccomp.c: the program returns
 * SECCOMP_RET_ALLOW for (arch, nr) whatever the arguments and instruction
 * pointer, judged by reading only nr and arch. */
bool bitmap_cache_allows(const struct sock_fprog *prog, unsigned arch, int nr);

#endif
