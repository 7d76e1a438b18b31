/* clone: CLONE_SIGHAND without CLONE_VM is refused with EINVAL at the top of
 * copy_process(), before dup_task_struct() and copy_namespaces(), so no task
 * and no namespace is made; newns/newuser add a namespace flag (CLONE_FS unset).
 * Unconfined as root: EINVAL. */
#include "probe.h"
#include <sched.h>

#ifdef __NR_clone
static long clone_run(void)
{
	return syscall(__NR_clone, (unsigned long)CLONE_SIGHAND, 0L, 0L, 0L, 0L);
}
static long clone_newns_run(void)
{
	return syscall(__NR_clone, (unsigned long)(CLONE_SIGHAND | CLONE_NEWNS), 0L, 0L, 0L, 0L);
}
static long clone_newuser_run(void)
{
	return syscall(__NR_clone, (unsigned long)(CLONE_SIGHAND | CLONE_NEWUSER), 0L, 0L, 0L, 0L);
}
PROBE(clone, .nr = __NR_clone, .run = clone_run, .unconfined = "EINVAL");
PROBE_VARIANT(clone, newns, .nr = __NR_clone, .run = clone_newns_run, .unconfined = "EINVAL");
PROBE_VARIANT(clone, newuser, .nr = __NR_clone, .run = clone_newuser_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(clone);
PROBE_VARIANT_ABSENT(clone, newns);
PROBE_VARIANT_ABSENT(clone, newuser);
#endif
