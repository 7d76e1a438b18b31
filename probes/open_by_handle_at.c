/* open_by_handle_at: handle_to_path() refuses handle_bytes 0 with EINVAL
 * (mount fd AT_FDCWD: kernels such as 6.12 resolve the fd first and would
 * say EBADF for -1); the open would be O_RDONLY.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_FHANDLE). */
#include "probe.h"
#include <fcntl.h>

#ifdef __NR_open_by_handle_at
static struct {
	unsigned int handle_bytes; /* 0: invalid */
	int handle_type;
	unsigned char f_handle[8];
} open_by_handle_at_fh;

static long open_by_handle_at_run(void)
{
	return syscall(__NR_open_by_handle_at, (long)AT_FDCWD, &open_by_handle_at_fh, (long)O_RDONLY);
}
PROBE(open_by_handle_at, .nr = __NR_open_by_handle_at, .run = open_by_handle_at_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_FHANDLE");
#else
PROBE_ABSENT(open_by_handle_at);
#endif
