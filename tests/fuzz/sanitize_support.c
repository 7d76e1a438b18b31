/* sanitize_support.c: linked into the sanitized unit tests (make sanitize)
 * with -Wl,--wrap=fork,--wrap=_exit.
 *
 * The kselftest harness runs each test in a forked child that ends with
 * _exit, so LeakSanitizer, which checks at exit(), would never look at a
 * test.  Here that child (one fork below the test program) checks for
 * leaks before _exit and fails the test when there are any.  Deeper
 * children are left alone: they may run under a seccomp filter that denies
 * the syscalls the leak check makes.
 */
#include <sanitizer/lsan_interface.h>
#include <sys/types.h>
#include <unistd.h>

pid_t __real_fork(void);
void __real__exit(int status) __attribute__((noreturn));
pid_t __wrap_fork(void);
void __wrap__exit(int status) __attribute__((noreturn));

static int depth; /* forks between the test program and this process */

pid_t __wrap_fork(void)
{
	pid_t pid = __real_fork();

	if (pid == 0)
		depth++;
	return pid;
}

void __wrap__exit(int status)
{
	if (depth == 1 && __lsan_do_recoverable_leak_check())
		status = 1; /* KSFT_FAIL */
	__real__exit(status);
}
