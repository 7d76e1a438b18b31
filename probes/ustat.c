/* ustat: device 0xffffffff (major 4095, minor 1048575) has no superblock,
 * so vfs_ustat() returns EINVAL; the call only reads anyway.
 * Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_ustat
static long ustat_run(void)
{
	return syscall(__NR_ustat, 0xffffffffUL, (void *)0);
}
PROBE(ustat, .nr = __NR_ustat, .run = ustat_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(ustat);
#endif
