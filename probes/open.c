/* open (control): read-only open of a path below the character device
 * /dev/null fails in path lookup with ENOTDIR; no O_CREAT.
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null). */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_open
static long open_run(void)
{
	return syscall(__NR_open, PROBE_IMPOSSIBLE_PATH, (long)O_RDONLY);
}
PROBE(open, .nr = __NR_open, .run = open_run, .unconfined = "ENOTDIR,ENOENT");
#else
PROBE_ABSENT(open);
#endif
