/* syslog: action 0x7fffffff is no SYSLOG_ACTION_*, so do_syslog()'s switch
 * returns EINVAL (root passes check_syslog_permissions()); nothing is read,
 * cleared or disabled.  Unconfined as root: EINVAL (ENOSYS without CONFIG_PRINTK). */
#include "probe.h"

#ifdef __NR_syslog
static long syslog_run(void)
{
	return syscall(__NR_syslog, 0x7fffffffL, (void *)0, 0L);
}
PROBE(syslog, .nr = __NR_syslog, .run = syslog_run, .unconfined = "EINVAL,ENOSYS:CONFIG_PRINTK");
#else
PROBE_ABSENT(syslog);
#endif
