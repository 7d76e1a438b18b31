/* create_module: removed in 2.6; the table entry is sys_ni_syscall.
 * Unconfined as root: ENOSYS. */
#include "probe.h"

#ifdef __NR_create_module
static long create_module_run(void)
{
	return syscall(__NR_create_module, (void *)0, 0L);
}
PROBE(create_module, .nr = __NR_create_module, .run = create_module_run, .unconfined = "ENOSYS");
#else
PROBE_ABSENT(create_module);
#endif
