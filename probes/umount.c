/* umount (oldumount, flags 0): path lookup in ksys_umount() fails with
 * ENOTDIR below the character device /dev/null, before path_umount().
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null). */
#include "probe.h"

#ifdef __NR_umount
static long umount_run(void)
{
	return syscall(__NR_umount, PROBE_IMPOSSIBLE_PATH);
}
PROBE(umount, .nr = __NR_umount, .run = umount_run, .unconfined = "ENOTDIR,ENOENT");
#else
PROBE_ABSENT(umount);
#endif
