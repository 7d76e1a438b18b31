/* cachestat (Linux 6.5 on every ABI): fd -1 fails fdget() with EBADF before
 * anything is read; the call only reports page-cache statistics anyway.
 * Debian 12's headers (6.1) predate it: since 5.1 new syscalls share one
 * number on every ABI (451 here on x86_64, i386 and aarch64), so the number
 * is written out.  Unconfined as root: EBADF; ENOSYS before 6.5 (.since).
 * CONFIG_CACHESTAT_SYSCALL (default y) can only be turned off under
 * CONFIG_EXPERT, so ENOSYS from 6.5 on is not accepted as a config
 * alternative: it would let a kernel that lost the call pass. */
#include "probe.h"

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

static long cachestat_run(void)
{
	return syscall(__NR_cachestat, -1L, (void *)0, (void *)0, 0L);
}
PROBE(cachestat, .nr = __NR_cachestat, .run = cachestat_run, .unconfined = "EBADF", .since = "6.5");
