/* init_module: copy_module_from_user() refuses len 0 (shorter than an ELF
 * header) with ENOEXEC before it reads the (NULL) image.
 * Unconfined as root: ENOEXEC (EPERM with modules_disabled, ENOSYS without CONFIG_MODULES). */
#include "probe.h"

#ifdef __NR_init_module
static long init_module_run(void)
{
	return syscall(__NR_init_module, (void *)0, 0L, (void *)0);
}
PROBE(init_module, .nr = __NR_init_module, .run = init_module_run, .unconfined = "ENOEXEC,EPERM,ENOSYS:CONFIG_MODULES");
#else
PROBE_ABSENT(init_module);
#endif
