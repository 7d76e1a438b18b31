/* getpid (control): cannot fail and changes nothing.
 * Unconfined as root: success ("0"). */
#include "probe.h"

#ifdef __NR_getpid
static long getpid_run(void)
{
	return syscall(__NR_getpid);
}
PROBE(getpid, .nr = __NR_getpid, .run = getpid_run, .unconfined = "0");
#else
PROBE_ABSENT(getpid);
#endif
