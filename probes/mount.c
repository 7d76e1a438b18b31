/* mount: the target lies below the character device /dev/null, so
 * user_path_at() in do_mount() fails with ENOTDIR before path_mount(); the
 * fstype is NULL as well (do_new_mount(): EINVAL, no module autoload).
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null). */
#include "probe.h"

#ifdef __NR_mount
static long mount_run(void)
{
	return syscall(__NR_mount, PROBE_IMPOSSIBLE_PATH, PROBE_IMPOSSIBLE_PATH, (void *)0, 0L, (void *)0);
}
PROBE(mount, .nr = __NR_mount, .run = mount_run, .unconfined = "ENOTDIR,ENOENT");
#else
PROBE_ABSENT(mount);
#endif
