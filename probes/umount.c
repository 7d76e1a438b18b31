/* umount (oldumount, flags 0): path lookup in ksys_umount() fails with
 * ENOTDIR below the character device /dev/null, before path_umount().
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null).  ppc64 keeps the
 * number with a sys_ni_syscall entry (arch/powerpc/kernel/syscalls/
 * syscall.tbl: "22 64 umount sys_ni_syscall"): ENOSYS there. */
#include "probe.h"

#ifdef __NR_umount
static long umount_run(void)
{
	return syscall(__NR_umount, PROBE_IMPOSSIBLE_PATH);
}
#ifdef __powerpc64__
#define UMOUNT_UNCONFINED "ENOSYS"
#else
#define UMOUNT_UNCONFINED "ENOTDIR,ENOENT"
#endif
PROBE(umount, .nr = __NR_umount, .run = umount_run, .unconfined = UMOUNT_UNCONFINED);
#else
PROBE_ABSENT(umount);
#endif
