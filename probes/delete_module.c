/* delete_module: a name of MODULE_NAME_LEN or more characters is refused with
 * ENOENT right after strncpy_from_user(), before find_module(); no module can
 * bear it (nor its '/').  flags 0: never O_TRUNC (force).
 * Unconfined as root: ENOENT (EPERM with modules_disabled, ENOSYS without CONFIG_MODULES). */
#include "probe.h"

#ifdef __NR_delete_module
static long delete_module_run(void)
{
	return syscall(__NR_delete_module, PROBE_IMPOSSIBLE_PATH "/" PROBE_IMPOSSIBLE_PATH "/" PROBE_IMPOSSIBLE_PATH,
		       0L);
}
PROBE(delete_module, .nr = __NR_delete_module, .run = delete_module_run,
      .unconfined = "ENOENT,EPERM,ENOSYS:CONFIG_MODULES");
#else
PROBE_ABSENT(delete_module);
#endif
