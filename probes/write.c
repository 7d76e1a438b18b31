/* write (control): fd -1 fails the fd lookup in ksys_write() with EBADF; count 0
 * and never a real descriptor.  Unconfined as root: EBADF. */
#include "probe.h"

#ifdef __NR_write
static long write_run(void)
{
	return syscall(__NR_write, -1L, (void *)0, 0L);
}
PROBE(write, .nr = __NR_write, .run = write_run, .unconfined = "EBADF");
#else
PROBE_ABSENT(write);
#endif
