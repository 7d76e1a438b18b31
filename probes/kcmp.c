/* kcmp: pid -1 is no task, so find_task_by_vpid() fails and kcmp returns
 * ESRCH; the call only compares anyway.
 * Unconfined as root: ESRCH (ENOSYS without CONFIG_KCMP). */
#include "probe.h"

#ifdef __NR_kcmp
static long kcmp_run(void)
{
	return syscall(__NR_kcmp, -1L, -1L, -1L, 0L, 0L);
}
PROBE(kcmp, .nr = __NR_kcmp, .run = kcmp_run, .unconfined = "ESRCH,ENOSYS:CONFIG_KCMP");
#else
PROBE_ABSENT(kcmp);
#endif
