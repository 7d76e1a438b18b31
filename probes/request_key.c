/* request_key: the destination keyring -100 fails lookup_user_key() (id < 1:
 * EINVAL) before key_type_lookup() could request_module() the unknown type;
 * callout NULL, so no upcall.  Unconfined as root: EINVAL (ENOSYS without CONFIG_KEYS). */
#include "probe.h"

#ifdef __NR_request_key
static long request_key_run(void)
{
	return syscall(__NR_request_key, "seccomp-suite-probe", "seccomp-suite-probe", (void *)0, -100L);
}
PROBE(request_key, .nr = __NR_request_key, .run = request_key_run, .unconfined = "EINVAL,ENOSYS:CONFIG_KEYS");
#else
PROBE_ABSENT(request_key);
#endif
