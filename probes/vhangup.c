/* vhangup: succeeds for root, but prepare makes the child a session leader
 * without a controlling tty (setsid), so tty_vhangup_self() finds no tty and
 * hangs nothing up.  Unconfined as root: success ("0"). */
#include "probe.h"

#ifdef __NR_vhangup
static int vhangup_prepare(void)
{
	return setsid() < 0 ? -1 : 0; /* must not run with the user's tty */
}
static long vhangup_run(void)
{
	return syscall(__NR_vhangup);
}
PROBE(vhangup, .nr = __NR_vhangup, .prepare = vhangup_prepare, .run = vhangup_run, .unconfined = "0");
#else
PROBE_ABSENT(vhangup);
#endif
