/* read (control): fd -1 fails the fd lookup in ksys_read() with EBADF; count 0
 * and never a real descriptor.  Unconfined as root: EBADF. */
#include "probe.h"

#ifdef __NR_read
static long read_run(void)
{
	return syscall(__NR_read, -1L, (void *)0, 0L);
}
PROBE(read, .nr = __NR_read, .run = read_run, .unconfined = "EBADF");
#else
PROBE_ABSENT(read);
#endif
