/* mbind: mode 0x1000 is >= MPOL_MAX, so sanitize_mpol_flags() in
 * kernel_mbind() returns EINVAL; len 0 would make do_mbind() a no-op anyway.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_NUMA). */
#include "probe.h"

#ifdef __NR_mbind
static long mbind_run(void)
{
	return syscall(__NR_mbind, 0L, 0L, 0x1000L, (void *)0, 0L, 0x40000000L);
}
PROBE(mbind, .nr = __NR_mbind, .run = mbind_run, .unconfined = "EINVAL,ENOSYS:CONFIG_NUMA");
#else
PROBE_ABSENT(mbind);
#endif
