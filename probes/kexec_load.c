/* kexec_load: since 6.3 kexec_load_permitted() counts a load against the
 * kernel.kexec_load_limit_* sysctls right after capable(CAP_SYS_BOOT) and
 * before any argument is checked, so the child first clears CAP_SYS_BOOT
 * from its effective set: the capability check then fails with EPERM before
 * the counter.  The arguments are refused as well, should it ever get
 * further: flags 0x8000 (not in KEXEC_FLAGS) and 1000 segments (more than
 * KEXEC_SEGMENT_MAX) give EINVAL; never 0 segments, which unloads an image.
 * Unconfined as root: EPERM (ENOSYS without CONFIG_KEXEC). */
#include "probe.h"

#include "caps.h"

#include <linux/capability.h>

#ifdef __NR_kexec_load
static int kexec_load_prepare(void)
{
	return caps_drop_effective(CAP_SYS_BOOT);
}
static long kexec_load_run(void)
{
	return syscall(__NR_kexec_load, 0L, 1000L, (void *)0, 0x8000L);
}
PROBE(kexec_load, .nr = __NR_kexec_load, .prepare = kexec_load_prepare, .run = kexec_load_run,
      .unconfined = "EPERM,ENOSYS:CONFIG_KEXEC");
#else
PROBE_ABSENT(kexec_load);
#endif
