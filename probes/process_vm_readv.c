/* process_vm_readv: flags 1 is refused by process_vm_rw()'s first check
 * (flags != 0: EINVAL); pid -1 and empty iovecs follow.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_CROSS_MEMORY_ATTACH). */
#include "probe.h"

#ifdef __NR_process_vm_readv
static long process_vm_readv_run(void)
{
	return syscall(__NR_process_vm_readv, -1L, (void *)0, 0L, (void *)0, 0L, 1L);
}
PROBE(process_vm_readv, .nr = __NR_process_vm_readv, .run = process_vm_readv_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_CROSS_MEMORY_ATTACH");
#else
PROBE_ABSENT(process_vm_readv);
#endif
