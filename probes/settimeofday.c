/* settimeofday: tv_usec -1 fails the syscall's range check with EINVAL
 * before do_sys_settimeofday64(), which would refuse tv_sec -1 too; tz NULL.
 * The kernel's old timeval is two longs on every ABI built here.
 * Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_settimeofday
static const struct {
	long tv_sec, tv_usec;
} settimeofday_tv = { -1, -1 };

static long settimeofday_run(void)
{
	return syscall(__NR_settimeofday, &settimeofday_tv, (void *)0);
}
PROBE(settimeofday, .nr = __NR_settimeofday, .run = settimeofday_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(settimeofday);
#endif
