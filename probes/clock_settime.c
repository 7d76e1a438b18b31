/* clock_settime: clock id 0x7fffffff has no k_clock, so the syscall returns
 * EINVAL before it copies the (NULL) timespec.
 * Unconfined as root: EINVAL (i386 also ENOSYS without CONFIG_COMPAT_32BIT_TIME). */
#include "probe.h"

#ifdef __NR_clock_settime
static long clock_settime_run(void)
{
	return syscall(__NR_clock_settime, 0x7fffffffL, (void *)0);
}
#ifdef __i386__
#define CLOCK_SETTIME_UNCONFINED "EINVAL,ENOSYS:CONFIG_COMPAT_32BIT_TIME"
#else
#define CLOCK_SETTIME_UNCONFINED "EINVAL"
#endif
PROBE(clock_settime, .nr = __NR_clock_settime, .run = clock_settime_run, .unconfined = CLOCK_SETTIME_UNCONFINED);
#else
PROBE_ABSENT(clock_settime);
#endif
