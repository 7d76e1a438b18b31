/* clock_adjtime: clock id 0x7fffffff has no k_clock, so do_clock_adjtime()
 * returns EINVAL; the timex has modes 0 (a read) anyway.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_POSIX_TIMERS, or on i386
 * without CONFIG_COMPAT_32BIT_TIME). */
#include "probe.h"
#include <sys/timex.h>

#ifdef __NR_clock_adjtime
static struct timex clock_adjtime_tx; /* modes 0: read only */

static long clock_adjtime_run(void)
{
	return syscall(__NR_clock_adjtime, 0x7fffffffL, &clock_adjtime_tx);
}
#ifdef __i386__
#define CLOCK_ADJTIME_UNCONFINED "EINVAL,ENOSYS:CONFIG_POSIX_TIMERS/CONFIG_COMPAT_32BIT_TIME"
#else
#define CLOCK_ADJTIME_UNCONFINED "EINVAL,ENOSYS:CONFIG_POSIX_TIMERS"
#endif
PROBE(clock_adjtime, .nr = __NR_clock_adjtime, .run = clock_adjtime_run, .unconfined = CLOCK_ADJTIME_UNCONFINED);
#else
PROBE_ABSENT(clock_adjtime);
#endif
