/* io_uring_enter: flags 0x80000000 is no IORING_ENTER_* flag, so the syscall
 * returns EINVAL before the ring fd (-1: EBADF) is looked up.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_IO_URING). */
#include "probe.h"

#ifdef __NR_io_uring_enter
static long io_uring_enter_run(void)
{
	return syscall(__NR_io_uring_enter, -1L, 0L, 0L, 0x80000000UL, (void *)0, 0L);
}
PROBE(io_uring_enter, .nr = __NR_io_uring_enter, .run = io_uring_enter_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_IO_URING", .since = "5.1");
#else
PROBE_ABSENT(io_uring_enter);
#endif
