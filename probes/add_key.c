/* add_key: sys_add_key() rejects plen > 1 MiB - 1 with EINVAL first; the
 * keyring id -100 would then fail lookup_user_key() (id < 1: EINVAL) before
 * key_type_lookup() could request_module() the unknown type.
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_KEYS). */
#include "probe.h"

#ifdef __NR_add_key
static long add_key_run(void)
{
	return syscall(__NR_add_key, "seccomp-suite-probe", "seccomp-suite-probe", (void *)0, 1UL << 20, -100L);
}
PROBE(add_key, .nr = __NR_add_key, .run = add_key_run, .unconfined = "EINVAL,ENOSYS:CONFIG_KEYS");
#else
PROBE_ABSENT(add_key);
#endif
