/* swapoff: file_open_name() in sys_swapoff() fails with ENOTDIR below the
 * character device /dev/null, before any swap area is looked at.
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null, ENOSYS without CONFIG_SWAP). */
#include "probe.h"

#ifdef __NR_swapoff
static long swapoff_run(void)
{
	return syscall(__NR_swapoff, PROBE_IMPOSSIBLE_PATH);
}
PROBE(swapoff, .nr = __NR_swapoff, .run = swapoff_run, .unconfined = "ENOTDIR,ENOENT,ENOSYS:CONFIG_SWAP");
#else
PROBE_ABSENT(swapoff);
#endif
