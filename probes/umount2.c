/* umount2: ksys_umount() refuses flags UMOUNT_UNUSED (0x80000000) with EINVAL
 * before path lookup; the path lies below /dev/null (ENOTDIR) anyway.
 * Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_umount2
static long umount2_run(void)
{
	return syscall(__NR_umount2, PROBE_IMPOSSIBLE_PATH, 0x80000000UL);
}
PROBE(umount2, .nr = __NR_umount2, .run = umount2_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(umount2);
#endif
