/* kexec_file_load: flags 0x80000000 is not in KEXEC_FILE_FLAGS, so the
 * syscall returns EINVAL before taking the kexec lock; no UNLOAD/ON_CRASH bit
 * is set and both fds are -1.
 * Unconfined as root: EINVAL (EPERM with kexec_load_disabled, ENOSYS without CONFIG_KEXEC_FILE). */
#include "probe.h"

#ifdef __NR_kexec_file_load
static long kexec_file_load_run(void)
{
	return syscall(__NR_kexec_file_load, -1L, -1L, 0L, (void *)0, 0x80000000UL);
}
PROBE(kexec_file_load, .nr = __NR_kexec_file_load, .run = kexec_file_load_run,
      .unconfined = "EINVAL,EPERM,ENOSYS");
#else
PROBE_ABSENT(kexec_file_load);
#endif
