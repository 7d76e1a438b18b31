/* fspick: flags 0x80000000 is not an FSPICK_* flag, so the syscall returns
 * EINVAL before path lookup (below /dev/null: ENOTDIR).
 * Unconfined as root: EINVAL. */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_fspick
static long fspick_run(void)
{
	return syscall(__NR_fspick, (long)AT_FDCWD, PROBE_IMPOSSIBLE_PATH, 0x80000000UL);
}
PROBE(fspick, .nr = __NR_fspick, .run = fspick_run, .unconfined = "EINVAL", .since = "5.2");
#else
PROBE_ABSENT(fspick);
#endif
