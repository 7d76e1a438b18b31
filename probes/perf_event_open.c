/* perf_event_open: flags 0x80000000 is outside PERF_FLAG_ALL, so the syscall
 * returns EINVAL before it copies the (NULL) attr; pid -1 with cpu -1 is
 * invalid as well.  Unconfined as root: EINVAL (ENOSYS without CONFIG_PERF_EVENTS). */
#include "probe.h"

#ifdef __NR_perf_event_open
static long perf_event_open_run(void)
{
	return syscall(__NR_perf_event_open, (void *)0, -1L, -1L, -1L, 0x80000000UL);
}
PROBE(perf_event_open, .nr = __NR_perf_event_open, .run = perf_event_open_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_PERF_EVENTS");
#else
PROBE_ABSENT(perf_event_open);
#endif
