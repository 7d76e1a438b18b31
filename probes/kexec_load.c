/* kexec_load: kexec_load_check() refuses flags 0x8000 (not in KEXEC_FLAGS)
 * and 1000 segments (> KEXEC_SEGMENT_MAX) with EINVAL.  Never 0 segments (unload).
 * Unconfined as root: EINVAL (EPERM with kexec_load_disabled or lockdown, EACCES
 * from IMA on Secure Boot, ENOSYS without CONFIG_KEXEC). */
#include "probe.h"

#ifdef __NR_kexec_load
static long kexec_load_run(void)
{
	return syscall(__NR_kexec_load, 0L, 1000L, (void *)0, 0x8000L);
}
PROBE(kexec_load, .nr = __NR_kexec_load, .run = kexec_load_run,
      .unconfined = "EINVAL,EPERM,EACCES,ENOSYS");
#else
PROBE_ABSENT(kexec_load);
#endif
