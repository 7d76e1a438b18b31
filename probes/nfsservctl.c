/* nfsservctl: removed in 3.1; the table entry is sys_ni_syscall.
 * Unconfined as root: ENOSYS. */
#include "probe.h"

#ifdef __NR_nfsservctl
static long nfsservctl_run(void)
{
	return syscall(__NR_nfsservctl, 0L, (void *)0, (void *)0);
}
PROBE(nfsservctl, .nr = __NR_nfsservctl, .run = nfsservctl_run, .unconfined = "ENOSYS");
#else
PROBE_ABSENT(nfsservctl);
#endif
