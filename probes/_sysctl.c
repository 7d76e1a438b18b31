/* _sysctl: removed in 5.5; the table entry is sys_ni_syscall.
 * Unconfined as root: ENOSYS. */
#include "probe.h"

#ifdef __NR__sysctl
static long sysctl_run(void)
{
	return syscall(__NR__sysctl, (void *)0);
}
PROBE(_sysctl, .nr = __NR__sysctl, .run = sysctl_run, .unconfined = "ENOSYS");
#else
PROBE_ABSENT(_sysctl);
#endif
