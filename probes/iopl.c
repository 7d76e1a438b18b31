/* iopl: level 4 is > 3, so sys_iopl() returns EINVAL first; the level is
 * per-thread (the probe's child) anyway.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_X86_IOPL_IOPERM). */
#include "probe.h"

#ifdef __NR_iopl
static long iopl_run(void)
{
	return syscall(__NR_iopl, 4L);
}
PROBE(iopl, .nr = __NR_iopl, .run = iopl_run, .unconfined = "EINVAL,ENOSYS:CONFIG_X86_IOPL_IOPERM");
#else
PROBE_ABSENT(iopl);
#endif
