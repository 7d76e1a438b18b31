/* query_module: removed in 2.6; the table entry is sys_ni_syscall.
 * Unconfined as root: ENOSYS. */
#include "probe.h"

#ifdef __NR_query_module
static long query_module_run(void)
{
	return syscall(__NR_query_module, (void *)0, 0L, (void *)0, 0L, (void *)0);
}
PROBE(query_module, .nr = __NR_query_module, .run = query_module_run, .unconfined = "ENOSYS");
#else
PROBE_ABSENT(query_module);
#endif
