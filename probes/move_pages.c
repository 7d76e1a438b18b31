/* move_pages: flags 0x40000000 is not MPOL_MF_MOVE(_ALL), so
 * kernel_move_pages() returns EINVAL first; pid -1 (ESRCH) and count 0 follow.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_NUMA/CONFIG_MIGRATION). */
#include "probe.h"

#ifdef __NR_move_pages
static long move_pages_run(void)
{
	return syscall(__NR_move_pages, -1L, 0L, (void *)0, (void *)0, (void *)0, 0x40000000L);
}
PROBE(move_pages, .nr = __NR_move_pages, .run = move_pages_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_NUMA/CONFIG_MIGRATION");
#else
PROBE_ABSENT(move_pages);
#endif
