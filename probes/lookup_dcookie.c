/* lookup_dcookie: dcookies went with oprofile in 5.12; only the
 * COND_SYSCALL stub (sys_ni_syscall) is left.  Unconfined as root: ENOSYS. */
#include "probe.h"

#ifdef __NR_lookup_dcookie
static long lookup_dcookie_run(void)
{
	return syscall(__NR_lookup_dcookie, 0L, (void *)0, 0L);
}
PROBE(lookup_dcookie, .nr = __NR_lookup_dcookie, .run = lookup_dcookie_run, .unconfined = "ENOSYS");
#else
PROBE_ABSENT(lookup_dcookie);
#endif
