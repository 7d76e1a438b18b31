/* clone: CLONE_SIGHAND without CLONE_VM is refused with EINVAL at the top of
 * copy_process(), before dup_task_struct() and copy_namespaces(), so no task
 * and no namespace is made; newns/newuser add a namespace flag (CLONE_FS unset).
 * Unconfined as root: EINVAL. */
#include "probe.h"
#include <sched.h>

#ifdef __NR_clone
/* s390 and s390x take the stack first and the flags second
 * (CONFIG_CLONE_BACKWARDS2 in kernel/fork.c): the flags must go where the
 * kernel reads them, or it would see flags 0 and make a task. */
#ifdef __s390__
#define CLONE_CALL(flags) syscall(__NR_clone, 0L, (unsigned long)(flags), 0L, 0L, 0L)
#else
#define CLONE_CALL(flags) syscall(__NR_clone, (unsigned long)(flags), 0L, 0L, 0L, 0L)
#endif
static long clone_run(void)
{
	return CLONE_CALL(CLONE_SIGHAND);
}
static long clone_newns_run(void)
{
	return CLONE_CALL(CLONE_SIGHAND | CLONE_NEWNS);
}
static long clone_newuser_run(void)
{
	return CLONE_CALL(CLONE_SIGHAND | CLONE_NEWUSER);
}
PROBE(clone, .nr = __NR_clone, .run = clone_run, .unconfined = "EINVAL");
PROBE_VARIANT(clone, newns, .nr = __NR_clone, .run = clone_newns_run, .unconfined = "EINVAL");
PROBE_VARIANT(clone, newuser, .nr = __NR_clone, .run = clone_newuser_run, .unconfined = "EINVAL");
#else
PROBE_ABSENT(clone);
PROBE_VARIANT_ABSENT(clone, newns);
PROBE_VARIANT_ABSENT(clone, newuser);
#endif
