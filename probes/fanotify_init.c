/* fanotify_init: flags 0x80000000 is outside FANOTIFY_INIT_FLAGS, so the
 * syscall returns EINVAL before a group is allocated.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_FANOTIFY). */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_fanotify_init
static long fanotify_init_run(void)
{
	return syscall(__NR_fanotify_init, 0x80000000UL, (long)O_RDONLY);
}
PROBE(fanotify_init, .nr = __NR_fanotify_init, .run = fanotify_init_run, .unconfined = "EINVAL,ENOSYS:CONFIG_FANOTIFY");
#else
PROBE_ABSENT(fanotify_init);
#endif
