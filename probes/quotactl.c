/* quotactl: quota type 0xff is >= MAXQUOTAS, so sys_quotactl() returns
 * EINVAL before the Q_SYNC special case and the device lookup; the command is
 * the read-only Q_GETFMT and special lies below /dev/null (never NULL).
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_QUOTACTL). */
#include "probe.h"
#include <sys/quota.h>

#ifdef __NR_quotactl
static long quotactl_run(void)
{
	return syscall(__NR_quotactl, (unsigned long)QCMD(Q_GETFMT, 0xff), PROBE_IMPOSSIBLE_PATH, 0L, (void *)0);
}
PROBE(quotactl, .nr = __NR_quotactl, .run = quotactl_run, .unconfined = "EINVAL,ENOSYS:CONFIG_QUOTACTL");
#else
PROBE_ABSENT(quotactl);
#endif
