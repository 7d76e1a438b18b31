/* harmless.h: argument vectors with which a syscall can be timed on a real
 * host, thousands of times, without changing anything.
 *
 * A profile's bench times each chosen syscall unfiltered and then under the
 * filter, for milliseconds.  Only the forms listed here are ever called:
 * either side-effect free (getpid, a personality query) or refused by an
 * argument check the kernel makes after seccomp has decided (DESIGN.md,
 * probe safety): a file descriptor of -1, an invalid flag, a length of 0, a
 * path below /dev/null.  A syscall without an entry is reported with its
 * path lengths only ("not timed: no harmless form").  The measuring child
 * checks that the unfiltered call returned the errno written here; a form
 * that does not is an error, not a timing.
 */
#ifndef SECCOMP_SUITE_BENCH_HARMLESS_H
#define SECCOMP_SUITE_BENCH_HARMLESS_H

struct harmless_form {
	const char *name; /* the kernel's name, as libseccomp resolves it */
	long args[6];
	unsigned path_args;	/* bit i: argument i points to PROBE_IMPOSSIBLE_PATH */
	const char *unconfined; /* errno name the kernel returns unconfined as root, or "0" */
	const char *why;	/* the kernel check that refuses it, or why it changes nothing */
};

/* The form for a syscall name, or NULL. */
const struct harmless_form *harmless_form(const char *name);

/* The six arguments as passed (paths filled in). */
void harmless_args(const struct harmless_form *f, long args[6]);

/* The errno the form documents unconfined; 0 for "0". */
int harmless_errno(const struct harmless_form *f);

/* Every form, NULL-terminated by name. */
extern const struct harmless_form harmless_forms[];

#endif
