/* socket: type 15 is >= SOCK_MAX, so __sock_create() returns EINVAL before
 * security_socket_create() and request_module("net-pf-N"): no protocol module
 * is autoloaded for AF_UNIX, AF_VSOCK (40) or AF_ALG (38).
 * Unconfined as root: EINVAL.  i386 reached socket() only through
 * socketcall(2) before 4.3 (man-pages socketcall(2), commit 9dea5dc921b5):
 * there the direct number answers ENOSYS. */
#include "probe.h"
#include <sys/socket.h>

#ifdef __NR_socket
static long socket_run(void)
{
	return syscall(__NR_socket, (long)AF_UNIX, 15L, 0L);
}
static long socket_vsock_run(void)
{
	return syscall(__NR_socket, (long)AF_VSOCK, 15L, 0L);
}
static long socket_alg_run(void)
{
	return syscall(__NR_socket, (long)AF_ALG, 15L, 0L);
}
#ifdef __i386__
#define SOCKET_SINCE "4.3"
#else
#define SOCKET_SINCE NULL
#endif
PROBE(socket, .nr = __NR_socket, .run = socket_run, .unconfined = "EINVAL", .since = SOCKET_SINCE);
PROBE_VARIANT(socket, vsock, .nr = __NR_socket, .run = socket_vsock_run, .unconfined = "EINVAL", .since = SOCKET_SINCE);
PROBE_VARIANT(socket, alg, .nr = __NR_socket, .run = socket_alg_run, .unconfined = "EINVAL", .since = SOCKET_SINCE);
#else
PROBE_ABSENT(socket);
PROBE_VARIANT_ABSENT(socket, vsock);
PROBE_VARIANT_ABSENT(socket, alg);
#endif
