/* fsconfig: fd -1 is refused with EINVAL (fd < 0) first; the command
 * 0x7fffffff would then be EOPNOTSUPP.  Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_fsconfig
static long fsconfig_run(void)
{
	return syscall(__NR_fsconfig, -1L, 0x7fffffffL, (void *)0, (void *)0, 0L);
}
PROBE(fsconfig, .nr = __NR_fsconfig, .run = fsconfig_run, .unconfined = "EINVAL", .since = "5.2");
#else
PROBE_ABSENT(fsconfig);
#endif
