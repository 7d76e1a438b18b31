/* quotactl_fd: fd -1 fails fdget_raw() with EBADF first; quota type 0xff
 * (>= MAXQUOTAS: EINVAL) and the read-only Q_GETFMT follow.
 * Unconfined as root: EBADF (ENOSYS without CONFIG_QUOTACTL). */
#include "probe.h"
#include <sys/quota.h>

#ifdef __NR_quotactl_fd
static long quotactl_fd_run(void)
{
	return syscall(__NR_quotactl_fd, -1L, (unsigned long)QCMD(Q_GETFMT, 0xff), 0L, (void *)0);
}
PROBE(quotactl_fd, .nr = __NR_quotactl_fd, .run = quotactl_fd_run, .unconfined = "EBADF,ENOSYS:CONFIG_QUOTACTL",
      .since = "5.14");
#else
PROBE_ABSENT(quotactl_fd);
#endif
