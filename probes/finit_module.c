/* finit_module: flags 0x40000000 is not a MODULE_INIT_* flag, so the syscall
 * returns EINVAL before it reads the file; the fd is -1 anyway.
 * Unconfined as root: EINVAL (EPERM with modules_disabled, ENOSYS without CONFIG_MODULES). */
#include "probe.h"

#ifdef __NR_finit_module
static long finit_module_run(void)
{
	return syscall(__NR_finit_module, -1L, "", 0x40000000L);
}
PROBE(finit_module, .nr = __NR_finit_module, .run = finit_module_run,
      .unconfined = "EINVAL,EPERM,ENOSYS:CONFIG_MODULES");
#else
PROBE_ABSENT(finit_module);
#endif
