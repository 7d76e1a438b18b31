/* clone3: size 0 is below CLONE_ARGS_SIZE_VER0, so
 * copy_clone_args_from_user() returns EINVAL before it reads the (NULL) args.
 * Unconfined as root: EINVAL. */
#include "probe.h"

#ifdef __NR_clone3
static long clone3_run(void)
{
	return syscall(__NR_clone3, (void *)0, 0L);
}
PROBE(clone3, .nr = __NR_clone3, .run = clone3_run, .unconfined = "EINVAL", .since = "5.3");
#else
PROBE_ABSENT(clone3);
#endif
