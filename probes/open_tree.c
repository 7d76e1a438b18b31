/* open_tree: flags 0x80000000 is not an AT_ or OPEN_TREE_ flag, so the
 * syscall returns EINVAL before path lookup (below /dev/null: ENOTDIR); no
 * OPEN_TREE_CLONE.  Unconfined as root: EINVAL. */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_open_tree
static long open_tree_run(void)
{
	return syscall(__NR_open_tree, (long)AT_FDCWD, PROBE_IMPOSSIBLE_PATH, 0x80000000UL);
}
PROBE(open_tree, .nr = __NR_open_tree, .run = open_tree_run, .unconfined = "EINVAL", .since = "5.2");
#else
PROBE_ABSENT(open_tree);
#endif
