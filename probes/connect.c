/* connect (control): fd -1 fails the fd lookup in __sys_connect() with EBADF
 * before the (NULL) address is copied.  Unconfined as root: EBADF. */
#include "probe.h"

#ifdef __NR_connect
static long connect_run(void)
{
	return syscall(__NR_connect, -1L, (void *)0, 0L);
}
PROBE(connect, .nr = __NR_connect, .run = connect_run, .unconfined = "EBADF");
#else
PROBE_ABSENT(connect);
#endif
