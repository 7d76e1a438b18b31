/* stime (i386 only): sys_stime32() validates nothing but the copy, so the
 * pointer is NULL and get_user() fails with EFAULT before the clock is set.
 * Unconfined as root: EFAULT (ENOSYS without CONFIG_COMPAT_32BIT_TIME). */
#include "probe.h"

#ifdef __NR_stime
static long stime_run(void)
{
	return syscall(__NR_stime, (void *)0);
}
PROBE(stime, .nr = __NR_stime, .run = stime_run, .unconfined = "EFAULT,ENOSYS:CONFIG_COMPAT_32BIT_TIME");
#else
PROBE_ABSENT(stime);
#endif
