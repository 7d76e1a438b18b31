/* get_kernel_syms: removed in 2.6; the table entry is sys_ni_syscall.
 * Unconfined as root: ENOSYS. */
#include "probe.h"

#ifdef __NR_get_kernel_syms
static long get_kernel_syms_run(void)
{
	return syscall(__NR_get_kernel_syms, (void *)0);
}
PROBE(get_kernel_syms, .nr = __NR_get_kernel_syms, .run = get_kernel_syms_run, .unconfined = "ENOSYS");
#else
PROBE_ABSENT(get_kernel_syms);
#endif
