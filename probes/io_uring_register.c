/* io_uring_register: opcode 0x7fffffff is >= IORING_REGISTER_LAST, so the
 * syscall returns EINVAL before the fd; fd -2 (EBADF) is not -1, which newer
 * kernels route to the ring-less "blind" opcodes.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_IO_URING). */
#include "probe.h"

#ifdef __NR_io_uring_register
static long io_uring_register_run(void)
{
	return syscall(__NR_io_uring_register, -2L, 0x7fffffffL, (void *)0, 0L);
}
PROBE(io_uring_register, .nr = __NR_io_uring_register, .run = io_uring_register_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_IO_URING", .since = "5.1");
#else
PROBE_ABSENT(io_uring_register);
#endif
