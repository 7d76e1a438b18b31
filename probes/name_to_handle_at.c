/* name_to_handle_at: flag 0x40000000 is not an AT_ flag it accepts, so the
 * syscall returns EINVAL before path lookup (below /dev/null); it only reads.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_FHANDLE). */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_name_to_handle_at
static long name_to_handle_at_run(void)
{
	return syscall(__NR_name_to_handle_at, (long)AT_FDCWD, PROBE_IMPOSSIBLE_PATH, (void *)0, (void *)0,
		       0x40000000L);
}
PROBE(name_to_handle_at, .nr = __NR_name_to_handle_at, .run = name_to_handle_at_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_FHANDLE");
#else
PROBE_ABSENT(name_to_handle_at);
#endif
