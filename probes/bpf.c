/* bpf: an unknown command with an empty attr falls to the default case of
 * __sys_bpf()'s switch (EINVAL); nothing is created.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_BPF_SYSCALL). */
#include "probe.h"

#ifdef __NR_bpf
static long bpf_run(void)
{
	return syscall(__NR_bpf, 0x7fffffffL, (void *)0, 0L);
}
PROBE(bpf, .nr = __NR_bpf, .run = bpf_run, .unconfined = "EINVAL,ENOSYS:CONFIG_BPF_SYSCALL");
#else
PROBE_ABSENT(bpf);
#endif
