/* setns: fd -1 fails the fd lookup with EBADF first; nstype 1 is no
 * CLONE_NEW* flag, and a join would only move the probe's child.
 * Unconfined as root: EBADF. */
#include "probe.h"

#ifdef __NR_setns
static long setns_run(void)
{
	return syscall(__NR_setns, -1L, 1L);
}
PROBE(setns, .nr = __NR_setns, .run = setns_run, .unconfined = "EBADF");
#else
PROBE_ABSENT(setns);
#endif
