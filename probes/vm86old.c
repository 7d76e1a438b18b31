/* vm86old (i386 only): sys_ni_syscall under a 64-bit kernel (ENOSYS); a
 * 32-bit kernel with CONFIG_VM86 fails copy_from_user() of the NULL
 * vm86_struct in do_sys_vm86() with EFAULT before entering vm86 mode.
 * Unconfined as root: ENOSYS, or EFAULT on a 32-bit kernel. */
#include "probe.h"

#ifdef __NR_vm86old
static long vm86old_run(void)
{
	return syscall(__NR_vm86old, (void *)0);
}
PROBE(vm86old, .nr = __NR_vm86old, .run = vm86old_run, .unconfined = "ENOSYS,EFAULT");
#else
PROBE_ABSENT(vm86old);
#endif
