/* kexec_file_load: since 6.3 kexec_load_permitted() counts a load against
 * the kernel.kexec_load_limit_* sysctls right after capable(CAP_SYS_BOOT) and
 * before the flags are checked, so the child first clears CAP_SYS_BOOT from
 * its effective set: the capability check then fails with EPERM before the
 * counter.  Should it get further, flags 0x80000000 (not in
 * KEXEC_FILE_FLAGS, no UNLOAD or ON_CRASH bit) give EINVAL; both fds are -1.
 * Unconfined as root: EPERM (ENOSYS without CONFIG_KEXEC_FILE). */
#include "probe.h"

#include "caps.h"

#include <linux/capability.h>

#ifdef __NR_kexec_file_load
static int kexec_file_load_prepare(void)
{
	return caps_drop_effective(CAP_SYS_BOOT);
}
static long kexec_file_load_run(void)
{
	return syscall(__NR_kexec_file_load, -1L, -1L, 0L, (void *)0, 0x80000000UL);
}
PROBE(kexec_file_load, .nr = __NR_kexec_file_load, .prepare = kexec_file_load_prepare, .run = kexec_file_load_run,
      .unconfined = "EPERM,ENOSYS:CONFIG_KEXEC_FILE");
#else
PROBE_ABSENT(kexec_file_load);
#endif
