/* vm86 (i386 only): sys_ni_syscall under a 64-bit kernel (ENOSYS); a 32-bit
 * kernel with CONFIG_VM86 answers VM86_PLUS_INSTALL_CHECK (0) with 0 and does
 * nothing.  Unconfined as root: ENOSYS, or 0 on a 32-bit kernel. */
#include "probe.h"

#ifdef __NR_vm86
static long vm86_run(void)
{
	return syscall(__NR_vm86, 0L, 0L);
}
PROBE(vm86, .nr = __NR_vm86, .run = vm86_run, .unconfined = "ENOSYS,0");
#else
PROBE_ABSENT(vm86);
#endif
