/* set_mempolicy: mode 0x1000 is >= MPOL_MAX, so sanitize_mpol_flags() returns
 * EINVAL; a policy would only ever apply to the probe's own child anyway.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_NUMA). */
#include "probe.h"

#ifdef __NR_set_mempolicy
static long set_mempolicy_run(void)
{
	return syscall(__NR_set_mempolicy, 0x1000L, (void *)0, 0L);
}
PROBE(set_mempolicy, .nr = __NR_set_mempolicy, .run = set_mempolicy_run, .unconfined = "EINVAL,ENOSYS:CONFIG_NUMA");
#else
PROBE_ABSENT(set_mempolicy);
#endif
