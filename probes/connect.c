/* connect (control): fd -1 fails the fd lookup in __sys_connect() with EBADF
 * before the (NULL) address is copied.  Unconfined as root: EBADF.  i386
 * has the direct call since 4.3 (socketcall(2) only before). */
#include "probe.h"

#ifdef __NR_connect
static long connect_run(void)
{
	return syscall(__NR_connect, -1L, (void *)0, 0L);
}
#ifdef __i386__
#define CONNECT_SINCE "4.3"
#else
#define CONNECT_SINCE NULL
#endif
PROBE(connect, .nr = __NR_connect, .run = connect_run, .unconfined = "EBADF", .since = CONNECT_SINCE);
#else
PROBE_ABSENT(connect);
#endif
