/* move_mount: flags 0x80000000 is outside MOVE_MOUNT__MASK, so the syscall
 * returns EINVAL before path lookup (both below /dev/null: ENOTDIR).
 * Unconfined as root: EINVAL. */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_move_mount
static long move_mount_run(void)
{
	return syscall(__NR_move_mount, (long)AT_FDCWD, PROBE_IMPOSSIBLE_PATH, (long)AT_FDCWD, PROBE_IMPOSSIBLE_PATH,
		       0x80000000UL);
}
PROBE(move_mount, .nr = __NR_move_mount, .run = move_mount_run, .unconfined = "EINVAL", .since = "5.2");
#else
PROBE_ABSENT(move_mount);
#endif
