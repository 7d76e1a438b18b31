/* scrun: run a command under a seccomp profile, as runc starts a container
 * process: capabilities limited, no_new_privs set, the filter loaded, then
 * execve -- the only syscall the filter sees from scrun itself. */
#define _GNU_SOURCE
#include "caps.h"
#include "policy.h"
#include "policy_names.h"

#include <errno.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_USAGE 64
#define EXIT_PROFILE 65
#define EXIT_LOAD 66
#define EXIT_EXEC 126
#define EXIT_NOT_FOUND 127

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f, "usage: scrun [--profile FILE|NAME] [--caps SET] [--verbose] -- PROGRAM [ARG...]\n"
		   "Runs PROGRAM under a Docker or OCI seccomp profile, as runc would: the\n"
		   "capability set limited, no_new_privs set, the filter loaded, then execve.\n");
	policy_print_bundled_names(f, "  --profile FILE|NAME  a profile file, or", "                       ",
				   "docker-default", 79);
	fprintf(f, "  --caps SET           docker-default (the default), all, none, or a list\n"
		   "                       such as docker-default,CAP_SYS_ADMIN (--cap-add) or\n"
		   "                       docker-default,-CAP_CHOWN (--cap-drop)\n"
		   "  --verbose            name every syscall the filter skips (unknown names)\n"
		   "Exit status: PROGRAM's own; 64 bad usage; 65 bad profile (also one that\n"
		   "uses SCMP_ACT_NOTIFY, or names neither defaultAction nor syscalls); 66 the\n"
		   "capability limit, no_new_privs or the filter could not be applied; 126\n"
		   "PROGRAM could not be executed (for example the profile denies execve); 127\n"
		   "PROGRAM not found.\n");
}

/* execvp's search, done before the filter is loaded so that afterwards one
 * execve of a known path is all that is left. */
static int find_program(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		snprintf(out, size, "%s", name);
		return access(out, F_OK) == 0 ? 0 : -1;
	}
	path = path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		struct stat st;
		snprintf(out, size, "%.*s/%s", (int)len, len ? path : ".", name);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
		path += len;
		if (*path == ':')
			path++;
	}
	errno = ENOENT;
	return -1;
}

int main(int argc, char **argv)
{
	const char *profile = "docker-default", *caps = NULL;
	bool verbose = false;
	char path[PATH_MAX], err[2048];
	struct policy pol;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
			profile = argv[++i];
		} else if (strcmp(argv[i], "--caps") == 0 && i + 1 < argc) {
			caps = argv[++i];
		} else if (strcmp(argv[i], "--verbose") == 0) {
			verbose = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "scrun: unknown or incomplete option '%s' (the command goes after --)\n",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "scrun: no command given: scrun [OPTIONS] -- PROGRAM [ARG...]\n");
		return EXIT_USAGE;
	}

	struct policy_opts opts = { .caps = caps, .verbose_warnings = verbose, .prog_name = "scrun" };
	if (policy_load(profile, &opts, &pol, err, sizeof(err))) {
		fprintf(stderr, "scrun: %s\n", err);
		return EXIT_PROFILE;
	}
	if (pol.can_notify) {
		fprintf(stderr,
			"scrun: %s: the profile uses SCMP_ACT_NOTIFY, and scrun has no supervisor to answer it "
			"(without one the kernel would fail those calls with ENOSYS)\n",
			pol.file);
		return EXIT_PROFILE;
	}
	if (pol.unconfined && strcmp(pol.name, "unconfined") != 0) {
		/* Docker runs such a profile unconfined; scrun will not do that
		 * on a typo's say-so. */
		fprintf(stderr,
			"scrun: %s: neither defaultAction nor syscalls: nothing to enforce "
			"(say --profile unconfined to run without a filter)\n",
			pol.file);
		return EXIT_PROFILE;
	}
	if (find_program(argv[i], path, sizeof(path))) {
		fprintf(stderr, "scrun: %s: not found\n", argv[i]);
		return EXIT_NOT_FOUND;
	}
	if (caps_apply(pol.caps) < 0) {
		fprintf(stderr, "scrun: cannot limit capabilities: %s\n", strerror(errno));
		return EXIT_LOAD;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "scrun: prctl(PR_SET_NO_NEW_PRIVS): %s\n", strerror(errno));
		return EXIT_LOAD;
	}
	if (!pol.unconfined) {
		/* execve makes the process dumpable again; should execve fail
		 * and the filter deny every way out but a fault, no core file
		 * is left behind. */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    pol.load_flags & ~(unsigned)SECCOMP_FILTER_FLAG_NEW_LISTENER, &pol.prog) < 0) {
			fprintf(stderr, "scrun: the kernel refused the filter of %s: %s\n", pol.file, strerror(errno));
			return EXIT_LOAD;
		}
	}
	execve(path, argv + i, environ);

	/* Under the filter now: each of these may be denied in turn. */
	int e = errno;
	char msg[PATH_MAX + 128];
	int len = snprintf(msg, sizeof(msg), "scrun: cannot execute %s: %s\n", path,
			   strerrordesc_np(e) ? strerrordesc_np(e) : "unknown error");
	if (len > 0)
		(void)!write(2, msg, (size_t)len < sizeof(msg) ? (size_t)len : sizeof(msg) - 1);
	/* The path was found before the load: any failure now, ENOENT from a
	 * filter included, is "could not execute". */
	syscall(SYS_exit_group, EXIT_EXEC);
	syscall(SYS_exit, EXIT_EXEC);
	__builtin_trap();
}
