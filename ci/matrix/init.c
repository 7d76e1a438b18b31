/* ci/matrix/init.c: PID 1 of a matrix guest (qemu, an initramfs built by
 * ci/matrix.sh).
 *
 * It mounts /proc, /dev and /tmp, runs the commands of /suite/plan one after
 * the other with their output on the console, brackets them with marker lines
 * the host parses, and powers the guest off.  It is generic on purpose: what
 * runs (probes, the cases runner, for which ABIs) is decided by the host when
 * it writes the plan, so this program never changes with the suite.
 *
 * Plan lines (one directive per line, fields separated by single spaces):
 *   env NAME=VALUE      set a variable for the commands that follow
 *   begin TAG           print "@@seccomp-suite-matrix BEGIN TAG"
 *   run PROGRAM ARG...  run it; stdout and stderr go to the console
 *   show FILE           copy FILE to the console (a results file a command wrote)
 *   end TAG             print "@@seccomp-suite-matrix END TAG"
 * A command that exits non-zero or cannot be started adds the line
 * "@@seccomp-suite-matrix EXIT PROGRAM STATUS" (STATUS: exit=N, signal=N or
 * exec=ERRNO-TEXT), so the host can say why a result is missing.
 *
 * Powering off is why this program refuses to run as anything but PID 1: on
 * the host it would do nothing but print that refusal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK "@@seccomp-suite-matrix"
#define PLAN "/suite/plan"
#define MAX_ARGS 64
#define MAX_ENV 32

static char *env_list[MAX_ENV + 1];
static int n_env;

static void mount_or_say(const char *type, const char *target)
{
	mkdir(target, 0755);
	if (mount(type, target, type, 0, NULL) != 0 && errno != EBUSY)
		printf(MARK " NOTE mount %s on %s: %s\n", type, target, strerror(errno));
}

/* The kernel gives PID 1 its console as fds 0-2 when the initramfs has
 * /dev/console; reopen it from devtmpfs so the fds exist either way. */
static void console_on_stdio(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static void run(char **argv)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf(MARK " EXIT %s fork=%s\n", argv[0], strerror(errno));
		return;
	}
	if (pid == 0) {
		execve(argv[0], argv, env_list);
		printf(MARK " EXIT %s exec=%s\n", argv[0], strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	/* PID 1 also reaps orphans: wait until our own child is the one. */
	while (waitpid(-1, &status, 0) != pid)
		if (errno == ECHILD)
			return;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 127)
		printf(MARK " EXIT %s exit=%d\n", argv[0], WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf(MARK " EXIT %s signal=%d\n", argv[0], WTERMSIG(status));
}

static void show(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf(MARK " NOTE cannot open %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(buf, sizeof(buf), f))
		fputs(buf, stdout);
	fclose(f);
}

static void run_plan(FILE *plan)
{
	char line[4096];

	while (fgets(line, sizeof(line), plan)) {
		char *argv[MAX_ARGS + 1], *save = NULL, *word;
		int argc = 0;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "env ", 4) == 0) {
			if (n_env < MAX_ENV)
				env_list[n_env++] = strdup(line + 4);
			continue;
		}
		if (strncmp(line, "begin ", 6) == 0) {
			printf(MARK " BEGIN %s\n", line + 6);
			continue;
		}
		if (strncmp(line, "end ", 4) == 0) {
			printf(MARK " END %s\n", line + 4);
			continue;
		}
		if (strncmp(line, "show ", 5) == 0) {
			show(line + 5);
			continue;
		}
		if (strncmp(line, "run ", 4) != 0) {
			if (line[0] != '\0')
				printf(MARK " NOTE unknown plan line: %s\n", line);
			continue;
		}
		for (word = strtok_r(line + 4, " ", &save); word && argc < MAX_ARGS;
		     word = strtok_r(NULL, " ", &save))
			argv[argc++] = word;
		argv[argc] = NULL;
		if (argc > 0)
			run(argv);
	}
}

int main(void)
{
	struct utsname u;
	FILE *plan;

	if (getpid() != 1) {
		fprintf(stderr, "matrix-init: refusing to run: this is the init of a matrix guest "
				"(it powers the machine off) and runs only as PID 1 inside qemu\n");
		return 64;
	}
	mount_or_say("devtmpfs", "/dev");
	console_on_stdio();
	mount_or_say("proc", "/proc");
	mount_or_say("tmpfs", "/tmp");

	uname(&u);
	printf(MARK " KERNEL %s %s\n", u.release, u.machine);
	plan = fopen(PLAN, "r");
	if (plan) {
		run_plan(plan);
		fclose(plan);
	} else {
		printf(MARK " NOTE cannot open " PLAN ": %s\n", strerror(errno));
	}
	printf(MARK " DONE\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* Only if the power-off failed: returning from PID 1 panics the
	 * kernel, which qemu -no-reboot turns into an exit as well. */
	printf(MARK " NOTE power-off failed: %s\n", strerror(errno));
	return 1;
}
