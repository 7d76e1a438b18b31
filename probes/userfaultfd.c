/* userfaultfd: flags 0x40000000 is not a UFFD_* flag, so new_userfaultfd()
 * returns EINVAL (root passes userfaultfd_syscall_allowed()).
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_USERFAULTFD). */
#include "probe.h"

#ifdef __NR_userfaultfd
static long userfaultfd_run(void)
{
	return syscall(__NR_userfaultfd, 0x40000000L);
}
PROBE(userfaultfd, .nr = __NR_userfaultfd, .run = userfaultfd_run, .unconfined = "EINVAL,ENOSYS:CONFIG_USERFAULTFD");
#else
PROBE_ABSENT(userfaultfd);
#endif
