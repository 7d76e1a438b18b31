/* pivot_root: new_root and put_old lie below the character device /dev/null,
 * so the first user_path_at() fails with ENOTDIR before anything moves.
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null). */
#include "probe.h"

#ifdef __NR_pivot_root
static long pivot_root_run(void)
{
	return syscall(__NR_pivot_root, PROBE_IMPOSSIBLE_PATH, PROBE_IMPOSSIBLE_PATH);
}
PROBE(pivot_root, .nr = __NR_pivot_root, .run = pivot_root_run, .unconfined = "ENOTDIR,ENOENT");
#else
PROBE_ABSENT(pivot_root);
#endif
