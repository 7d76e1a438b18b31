/* mount_setattr: flags 0x80000000 is not an AT_ flag, so the syscall returns
 * EINVAL first; size 0 (< MOUNT_ATTR_SIZE_VER0: EINVAL) and a path below
 * /dev/null follow.  Unconfined as root: EINVAL. */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_mount_setattr
static long mount_setattr_run(void)
{
	return syscall(__NR_mount_setattr, (long)AT_FDCWD, PROBE_IMPOSSIBLE_PATH, 0x80000000UL, (void *)0, 0L);
}
PROBE(mount_setattr, .nr = __NR_mount_setattr, .run = mount_setattr_run, .unconfined = "EINVAL", .since = "5.12");
#else
PROBE_ABSENT(mount_setattr);
#endif
