/* exit_group (control): ends the probe's child with PROBE_EXIT_STATUS, which
 * the runner recognises; it never returns.  Unconfined as root: success ("0"). */
#include "probe.h"

#ifdef __NR_exit_group
static long exit_group_run(void)
{
	return syscall(__NR_exit_group, (long)PROBE_EXIT_STATUS);
}
PROBE(exit_group, .nr = __NR_exit_group, .run = exit_group_run, .unconfined = "0", .flags = PROBE_EXITS);
#else
PROBE_ABSENT(exit_group);
#endif
