/* fsopen: flags 0x80000000 is not FSOPEN_CLOEXEC, so the syscall returns
 * EINVAL before get_fs_type() (module autoload); the name is NULL anyway.
 * Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_fsopen
static long fsopen_run(void)
{
	return syscall(__NR_fsopen, (void *)0, 0x80000000UL);
}
PROBE(fsopen, .nr = __NR_fsopen, .run = fsopen_run, .unconfined = "EINVAL", .since = "5.2");
#else
PROBE_ABSENT(fsopen);
#endif
