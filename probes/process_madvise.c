/* process_madvise: flags 1 is refused first (flags != 0: EINVAL); an empty
 * iovec, pidfd -1 and advice -1 follow.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_ADVISE_SYSCALLS). */
#include "probe.h"

#ifdef __NR_process_madvise
static long process_madvise_run(void)
{
	return syscall(__NR_process_madvise, -1L, (void *)0, 0L, -1L, 1L);
}
PROBE(process_madvise, .nr = __NR_process_madvise, .run = process_madvise_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_ADVISE_SYSCALLS", .since = "5.10");
#else
PROBE_ABSENT(process_madvise);
#endif
