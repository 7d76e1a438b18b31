/* close (control): fd -1 is no open file, so close_fd() returns EBADF.
 * Unconfined as root: EBADF. */
#include "probe.h"

#ifdef __NR_close
static long close_run(void)
{
	return syscall(__NR_close, -1L);
}
PROBE(close, .nr = __NR_close, .run = close_run, .unconfined = "EBADF");
#else
PROBE_ABSENT(close);
#endif
