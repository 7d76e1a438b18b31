/* get_mempolicy: flags 0x40000000 is not an MPOL_F_* flag, so
 * do_get_mempolicy() returns EINVAL; the call only reads anyway.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_NUMA). */
#include "probe.h"

#ifdef __NR_get_mempolicy
static long get_mempolicy_run(void)
{
	return syscall(__NR_get_mempolicy, (void *)0, (void *)0, 0L, 0L, 0x40000000L);
}
PROBE(get_mempolicy, .nr = __NR_get_mempolicy, .run = get_mempolicy_run, .unconfined = "EINVAL,ENOSYS:CONFIG_NUMA");
#else
PROBE_ABSENT(get_mempolicy);
#endif
