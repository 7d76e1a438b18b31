/* io_uring_setup: the params carry flag 0x80000000 (no IORING_SETUP_*), so
 * io_uring_setup() returns EINVAL; 0 entries would be EINVAL too.
 * Unconfined as root: EINVAL (EPERM with io_uring_disabled=2, ENOSYS without CONFIG_IO_URING). */
#include "probe.h"
#include <linux/io_uring.h>

#ifdef __NR_io_uring_setup
static struct io_uring_params io_uring_setup_params = { .flags = 0x80000000u };

static long io_uring_setup_run(void)
{
	return syscall(__NR_io_uring_setup, 0L, &io_uring_setup_params);
}
PROBE(io_uring_setup, .nr = __NR_io_uring_setup, .run = io_uring_setup_run,
      .unconfined = "EINVAL,EPERM,ENOSYS:CONFIG_IO_URING", .since = "5.1");
#else
PROBE_ABSENT(io_uring_setup);
#endif
