/* cachestat (Linux 6.5): fd -1 fails fdget() with EBADF before anything is
 * read; the call only reports page-cache statistics anyway.  Debian 12's
 * headers (6.1) predate it: since 5.1 new syscalls share one number on
 * every ABI (451 here on x86_64, i386 and aarch64), so the number is
 * written out.  Unconfined as root: EBADF (ENOSYS before 6.5, or without
 * CONFIG_CACHESTAT_SYSCALL). */
#include "probe.h"

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

static long cachestat_run(void)
{
	return syscall(__NR_cachestat, -1L, (void *)0, (void *)0, 0L);
}
PROBE(cachestat, .nr = __NR_cachestat, .run = cachestat_run, .unconfined = "EBADF,ENOSYS");
