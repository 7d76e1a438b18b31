/* reboot: magic 0/0 fails sys_reboot()'s magic check with EINVAL before the
 * command (0xdeadbeef, no LINUX_REBOOT_CMD_*) is looked at.
 * Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_reboot
static long reboot_run(void)
{
	return syscall(__NR_reboot, 0L, 0L, 0xdeadbeefUL, (void *)0);
}
PROBE(reboot, .nr = __NR_reboot, .run = reboot_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(reboot);
#endif
