/* ptrace: pid -1 is no task, so find_get_task_by_vpid() fails with ESRCH
 * before the (unknown) request 0x7fffffff is looked at; never PTRACE_TRACEME.
 * Unconfined as root: ESRCH. */
#include "probe.h"

#ifdef __NR_ptrace
static long ptrace_run(void)
{
	return syscall(__NR_ptrace, 0x7fffffffL, -1L, 0L, 0L);
}
PROBE(ptrace, .nr = __NR_ptrace, .run = ptrace_run, .unconfined = "ESRCH");
#else
PROBE_ABSENT(ptrace);
#endif
