/* ioperm: num 0 fails ksys_ioperm()'s range check (from + num <= from) with
 * EINVAL; turn_on 0 could only drop permissions, of this thread.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_X86_IOPL_IOPERM). */
#include "probe.h"

#ifdef __NR_ioperm
static long ioperm_run(void)
{
	return syscall(__NR_ioperm, 0L, 0L, 0L);
}
PROBE(ioperm, .nr = __NR_ioperm, .run = ioperm_run, .unconfined = "EINVAL,ENOSYS:CONFIG_X86_IOPL_IOPERM");
#else
PROBE_ABSENT(ioperm);
#endif
