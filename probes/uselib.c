/* uselib: do_filp_open() fails with ENOTDIR below the character device
 * /dev/null.  x86_64 has only a sys_ni_syscall entry (ENOSYS).
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null, ENOSYS without CONFIG_USELIB). */
#include "probe.h"

#ifdef __NR_uselib
static long uselib_run(void)
{
	return syscall(__NR_uselib, PROBE_IMPOSSIBLE_PATH);
}
#ifdef __x86_64__
#define USELIB_UNCONFINED "ENOSYS"
#else
#define USELIB_UNCONFINED "ENOTDIR,ENOENT,ENOSYS:CONFIG_USELIB"
#endif
PROBE(uselib, .nr = __NR_uselib, .run = uselib_run, .unconfined = USELIB_UNCONFINED);
#else
PROBE_ABSENT(uselib);
#endif
