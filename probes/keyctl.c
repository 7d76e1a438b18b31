/* keyctl: command 0x7fffffff falls to the default case of sys_keyctl()'s
 * switch (EOPNOTSUPP).
 * Unconfined as root: EOPNOTSUPP (ENOSYS without CONFIG_KEYS). */
#include "probe.h"

#ifdef __NR_keyctl
static long keyctl_run(void)
{
	return syscall(__NR_keyctl, 0x7fffffffL, 0L, 0L, 0L, 0L);
}
PROBE(keyctl, .nr = __NR_keyctl, .run = keyctl_run, .unconfined = "EOPNOTSUPP,ENOSYS:CONFIG_KEYS");
#else
PROBE_ABSENT(keyctl);
#endif
