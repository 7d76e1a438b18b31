/* swapon: flags 0x40000000 is outside SWAP_FLAGS_VALID, so sys_swapon()
 * returns EINVAL first; the path lies below /dev/null (ENOTDIR) anyway.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_SWAP). */
#include "probe.h"

#ifdef __NR_swapon
static long swapon_run(void)
{
	return syscall(__NR_swapon, PROBE_IMPOSSIBLE_PATH, 0x40000000L);
}
PROBE(swapon, .nr = __NR_swapon, .run = swapon_run, .unconfined = "EINVAL,ENOSYS:CONFIG_SWAP");
#else
PROBE_ABSENT(swapon);
#endif
