/* sysfs: option 0 matches no case of sys_sysfs()'s switch (EINVAL); the
 * call only reads anyway.  Unconfined as root: EINVAL (ENOSYS without CONFIG_SYSFS_SYSCALL). */
#include "probe.h"

#ifdef __NR_sysfs
static long sysfs_run(void)
{
	return syscall(__NR_sysfs, 0L, 0L, 0L);
}
PROBE(sysfs, .nr = __NR_sysfs, .run = sysfs_run, .unconfined = "EINVAL,ENOSYS:CONFIG_SYSFS_SYSCALL");
#else
PROBE_ABSENT(sysfs);
#endif
