/* migrate_pages: maxnode ULONG_MAX with a non-NULL mask makes get_nodes()
 * return EINVAL (> PAGE_SIZE * 8 bits) before the task lookup; pid -1 would
 * then fail with ESRCH.  Never pid 0 (self).
 * Unconfined as root: EINVAL (ENOSYS without CONFIG_NUMA/CONFIG_MIGRATION). */
#include "probe.h"

#ifdef __NR_migrate_pages
static const unsigned long migrate_pages_nodes[1];

static long migrate_pages_run(void)
{
	return syscall(__NR_migrate_pages, -1L, ~0UL, migrate_pages_nodes, migrate_pages_nodes);
}
PROBE(migrate_pages, .nr = __NR_migrate_pages, .run = migrate_pages_run,
      .unconfined = "EINVAL,ENOSYS:CONFIG_NUMA/CONFIG_MIGRATION");
#else
PROBE_ABSENT(migrate_pages);
#endif
