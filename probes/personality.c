/* personality: cannot fail; 0xffffffff only queries, PER_LINUX32 (8, which
 * Docker allows) and PER_BSD (6, which it denies) change only the persona of
 * the probe's own short-lived child.  Unconfined as root: success ("0"); arm64
 * refuses PER_LINUX32 with EINVAL without 32-bit EL0. */
#include "probe.h"
#include <sys/personality.h>

#ifdef __NR_personality
static long personality_run(void)
{
	return syscall(__NR_personality, 0xffffffffUL);
}
static long personality_linux32_run(void)
{
	return syscall(__NR_personality, (unsigned long)PER_LINUX32);
}
static long personality_bsd_run(void)
{
	return syscall(__NR_personality, (unsigned long)PER_BSD);
}
#ifdef __aarch64__
#define PERSONALITY_LINUX32_UNCONFINED "0,EINVAL"
#else
#define PERSONALITY_LINUX32_UNCONFINED "0"
#endif
PROBE(personality, .nr = __NR_personality, .run = personality_run, .unconfined = "0");
PROBE_VARIANT(personality, linux32, .nr = __NR_personality, .run = personality_linux32_run,
	      .unconfined = PERSONALITY_LINUX32_UNCONFINED);
PROBE_VARIANT(personality, bsd, .nr = __NR_personality, .run = personality_bsd_run, .unconfined = "0");
#else
PROBE_ABSENT(personality);
PROBE_VARIANT_ABSENT(personality, linux32);
PROBE_VARIANT_ABSENT(personality, bsd);
#endif
