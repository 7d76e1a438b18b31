/* fsmount: flags 0x80000000 is not FSMOUNT_CLOEXEC, so the syscall returns
 * EINVAL before it looks at the fs fd (-1: EBADF).
 * Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_fsmount
static long fsmount_run(void)
{
	return syscall(__NR_fsmount, -1L, 0x80000000UL, 0L);
}
PROBE(fsmount, .nr = __NR_fsmount, .run = fsmount_run, .unconfined = "EINVAL", .since = "5.2");
#else
PROBE_ABSENT(fsmount);
#endif
