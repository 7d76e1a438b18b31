/* acct: acct_on() opens the accounting file with file_open_name(), and path
 * lookup of a name below the character device /dev/null fails with ENOTDIR
 * before accounting is switched.  Never acct(NULL): that turns accounting off.
 * Unconfined as root: ENOTDIR (ENOENT without /dev/null, ENOSYS without
 * CONFIG_BSD_PROCESS_ACCT). */
#include "probe.h"

#ifdef __NR_acct
static long acct_run(void)
{
	return syscall(__NR_acct, PROBE_IMPOSSIBLE_PATH);
}
PROBE(acct, .nr = __NR_acct, .run = acct_run, .unconfined = "ENOTDIR,ENOENT,ENOSYS:CONFIG_BSD_PROCESS_ACCT");
#else
PROBE_ABSENT(acct);
#endif
