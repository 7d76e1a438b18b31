/* chroot: user_path_at() fails with ENOTDIR below the character device
 * /dev/null; a new root would only be the probe child's anyway.
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null). */
#include "probe.h"

#ifdef __NR_chroot
static long chroot_run(void)
{
	return syscall(__NR_chroot, PROBE_IMPOSSIBLE_PATH);
}
PROBE(chroot, .nr = __NR_chroot, .run = chroot_run, .unconfined = "ENOTDIR,ENOENT");
#else
PROBE_ABSENT(chroot);
#endif
