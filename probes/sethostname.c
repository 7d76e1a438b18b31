/* sethostname: len -1 fails sys_sethostname()'s check (len < 0 || len > __NEW_UTS_LEN)
 * with EINVAL before the (NULL) name is copied.  Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_sethostname
static long sethostname_run(void)
{
	return syscall(__NR_sethostname, (void *)0, -1L);
}
PROBE(sethostname, .nr = __NR_sethostname, .run = sethostname_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(sethostname);
#endif
