/* cacheflush: ARM-private (__ARM_NR_cacheflush, 0xf0002), which Docker's
 * profiles allow for the arches arm and arm64; only arm has it.  An arm64
 * kernel reaches it for arm programs after seccomp (compat_arm_syscall, for
 * numbers beyond its compat table), where do_compat_cache_op() refuses end
 * below start with EINVAL before anything is flushed: start 1, end 0.
 * Unconfined as root: EINVAL.  The other ARM-private calls Docker names
 * have no argument the kernel refuses (set_tls replaces the thread's TLS
 * pointer, breakpoint raises SIGTRAP), so no probe calls them. */
#include "probe.h"

#ifdef __ARM_NR_cacheflush
static long cacheflush_run(void)
{
	return syscall(__ARM_NR_cacheflush, 1L, 0L, 0L);
}
PROBE(cacheflush, .nr = __ARM_NR_cacheflush, .run = cacheflush_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(cacheflush);
#endif
