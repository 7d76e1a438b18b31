/* pidfd_getfd: flags 1 is refused first (flags must be 0: EINVAL); pidfd -1
 * (EBADF) follows.  Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_pidfd_getfd
static long pidfd_getfd_run(void)
{
	return syscall(__NR_pidfd_getfd, -1L, -1L, 1L);
}
PROBE(pidfd_getfd, .nr = __NR_pidfd_getfd, .run = pidfd_getfd_run, .unconfined = "EINVAL", .since = "5.6");
#else
PROBE_ABSENT(pidfd_getfd);
#endif
