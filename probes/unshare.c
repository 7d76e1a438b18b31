/* unshare: CLONE_SETTLS is not an unshare flag, so check_unshare_flags()
 * returns EINVAL before anything is unshared (no namespace flag is set, and
 * only the probe's child could be moved).  Unconfined as root: EINVAL. */
#include "probe.h"
#include <sched.h>

#ifdef __NR_unshare
static long unshare_run(void)
{
	return syscall(__NR_unshare, (unsigned long)CLONE_SETTLS);
}
PROBE(unshare, .nr = __NR_unshare, .run = unshare_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(unshare);
#endif
