/* setdomainname: len -1 fails sys_setdomainname()'s check (len < 0 || len > __NEW_UTS_LEN)
 * with EINVAL before the (NULL) name is copied.  Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_setdomainname
static long setdomainname_run(void)
{
	return syscall(__NR_setdomainname, (void *)0, -1L);
}
PROBE(setdomainname, .nr = __NR_setdomainname, .run = setdomainname_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(setdomainname);
#endif
