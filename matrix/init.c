/* matrix/init.c: PID 1 of a matrix guest (qemu, an initramfs built by
 * matrix/matrix.sh), and the same plan interpreter for the host's cells.
 *
 * As PID 1 it mounts /proc, /dev and /tmp, runs /suite/plan with every line
 * of output on the console, and powers the guest off.  As an ordinary
 * program (`matrix-init --plan FILE`, how matrix/matrix.sh runs the host's cells)
 * it runs FILE the same way and neither mounts nor powers anything off.  It
 * is generic on purpose: what runs (the cases runner, for which ABIs and
 * sets) is decided by the host when it writes the plan, so this program
 * never changes with the suite.
 *
 * Plan lines (one directive per line, fields separated by single spaces):
 *   env NAME=VALUE              set a variable for the jobs that follow
 *   jobs N                      run up to N jobs at once (0: one per online
 *                               CPU; default 1); the last such line wins
 *   run TAG FILE PROGRAM ARG... a job: PROGRAM's stdout and stderr, line by
 *                               line, then FILE's lines when it has ended
 *                               (FILE "-": none)
 * Jobs start in plan order as slots free up.  Console lines, all marked so
 * that the host can tell them from the kernel's and the firmware's:
 *   MARK KERNEL RELEASE MACHINE cpus=N jobs=N uptime=S   first
 *   MARK START TAG uptime=S                              a job started
 *   MARK OUT TAG LINE                                    a line of the job's
 *   MARK EXIT TAG STATUS secs=S                          it ended: exit=N,
 *                                                        signal=N; last of TAG
 *   MARK NOTE TEXT                                       something init saw
 *   MARK DONE uptime=S                                   last
 * A line the job printed is never lost or split between jobs: jobs run in
 * parallel, their lines interleave whole.  A console line appears as soon as
 * the job ends it, so the host sees progress (matrix/watch.sh decides a
 * guest is hung only when its console stops moving).
 *
 * On SIGTERM or SIGINT (an interrupted matrix stopping the host's cells)
 * it passes the signal to every running job's process group and exits
 * 128+signal without DONE.
 *
 * Powering off is why this program refuses to run as PID 1's replacement
 * anywhere else: without --plan, as anything but PID 1, it only refuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARK "@@seccomp-suite-matrix"
#define GUEST_PLAN "/suite/plan"
#define MAX_ARGS 64
#define MAX_ENV 32
#define MAX_JOBS 256
#define LINE_MAX_BYTES 16384

struct job {
	char *tag, *show;
	char *argv[MAX_ARGS + 1];
	int n_env; /* env_list[0..n_env) at its plan line */
	pid_t pid;
	int fd; /* read end of its stdout+stderr; -1 at EOF */
	int status;
	int exited;
	double started;
	char buf[LINE_MAX_BYTES];
	size_t len;
};

static char *env_list[MAX_ENV + 1];
static int n_env;
static struct job jobs[MAX_JOBS];
static int n_jobs;
static long max_parallel = 1;
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

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
}

static int read_plan(FILE *plan)
{
	char line[4096];

	while (fgets(line, sizeof(line), plan)) {
		struct job *j;
		char *save = NULL, *word;
		int argc = 0;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "env ", 4) == 0) {
			if (n_env < MAX_ENV)
				env_list[n_env++] = strdup(line + 4);
			else
				printf(MARK " NOTE too many env lines, ignored: %s\n", line);
			continue;
		}
		if (strncmp(line, "jobs ", 5) == 0) {
			max_parallel = strtol(line + 5, NULL, 10);
			continue;
		}
		if (strncmp(line, "run ", 4) != 0) {
			if (line[0] != '\0')
				printf(MARK " NOTE unknown plan line: %s\n", line);
			continue;
		}
		if (n_jobs == MAX_JOBS) {
			printf(MARK " NOTE more than %d jobs, ignored: %s\n", MAX_JOBS, line);
			continue;
		}
		j = &jobs[n_jobs];
		word = strtok_r(line + 4, " ", &save);
		j->tag = strdup(word ? word : "");
		j->show = strdup((word = strtok_r(NULL, " ", &save)) ? word : "-");
		while ((word = strtok_r(NULL, " ", &save)) && argc < MAX_ARGS)
			j->argv[argc++] = strdup(word);
		j->argv[argc] = NULL;
		if (argc == 0) {
			printf(MARK " NOTE a run line without a program: %s\n", j->tag);
			continue;
		}
		j->n_env = n_env;
		j->fd = -1;
		n_jobs++;
	}
	if (max_parallel <= 0)
		max_parallel = sysconf(_SC_NPROCESSORS_ONLN);
	if (max_parallel <= 0)
		max_parallel = 1;
	return 0;
}

static void start(struct job *j)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) != 0) {
		printf(MARK " EXIT %s pipe=%s secs=0\n", j->tag, strerror(errno));
		j->exited = 1;
		return;
	}
	printf(MARK " START %s uptime=%.2f\n", j->tag, clock_s(CLOCK_BOOTTIME));
	fflush(stdout);
	j->started = clock_s(CLOCK_MONOTONIC);
	j->pid = fork();
	if (j->pid < 0) {
		printf(MARK " EXIT %s fork=%s secs=0\n", j->tag, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		j->exited = 1;
		return;
	}
	if (j->pid == 0) {
		char *envp[MAX_ENV + 1];

		memcpy(envp, env_list, j->n_env * sizeof(envp[0]));
		envp[j->n_env] = NULL;
		/* Its own process group, so that a stop reaches what it forks. */
		setpgid(0, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execve(j->argv[0], j->argv, envp);
		dprintf(2, "matrix-init: cannot execute %s: %s\n", j->argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	j->fd = fds[0];
}

static void out_line(const struct job *j, const char *text, size_t len)
{
	printf(MARK " OUT %s %.*s\n", j->tag, (int)len, text);
}

/* Whole lines to the console; a line longer than the buffer is cut, and
 * the rest follows as its own line. */
static void drain(struct job *j)
{
	ssize_t n = read(j->fd, j->buf + j->len, sizeof(j->buf) - j->len);
	char *nl;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		if (j->len)
			out_line(j, j->buf, j->len);
		j->len = 0;
		close(j->fd);
		j->fd = -1;
		return;
	}
	j->len += n;
	while ((nl = memchr(j->buf, '\n', j->len))) {
		size_t line = nl - j->buf;
		out_line(j, j->buf, line);
		memmove(j->buf, nl + 1, j->len - line - 1);
		j->len -= line + 1;
	}
	if (j->len == sizeof(j->buf)) {
		out_line(j, j->buf, j->len);
		j->len = 0;
	}
}

static void finish(struct job *j)
{
	if (strcmp(j->show, "-") != 0) {
		FILE *f = fopen(j->show, "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		if (!f)
			printf(MARK " NOTE %s: cannot open %s: %s\n", j->tag, j->show, strerror(errno));
		while (f && (len = getline(&line, &cap, f)) > 0)
			out_line(j, line, line[len - 1] == '\n' ? (size_t)len - 1 : (size_t)len);
		free(line);
		if (f)
			fclose(f);
	}
	if (WIFEXITED(j->status))
		printf(MARK " EXIT %s exit=%d", j->tag, WEXITSTATUS(j->status));
	else
		printf(MARK " EXIT %s signal=%d", j->tag, WTERMSIG(j->status));
	printf(" secs=%.2f\n", clock_s(CLOCK_MONOTONIC) - j->started);
	fflush(stdout);
}

static void run_jobs(void)
{
	int next = 0, running = 0;

	while (next < n_jobs || running > 0) {
		struct pollfd pfd[MAX_JOBS];
		int who[MAX_JOBS], n = 0, status;
		pid_t pid;

		/* SIGTERM or SIGINT (the host's matrix, interrupted): the
		 * running jobs are stopped with the same signal and the plan
		 * ends here, without DONE. */
		if (stop_signal) {
			for (int i = 0; i < next; i++)
				if (!jobs[i].exited && jobs[i].pid > 0)
					kill(-jobs[i].pid, stop_signal);
			printf(MARK " NOTE stopped by signal %d\n", (int)stop_signal);
			fflush(stdout);
			_exit(128 + stop_signal);
		}

		while (next < n_jobs && running < max_parallel) {
			start(&jobs[next]);
			if (!jobs[next].exited)
				running++;
			next++;
		}
		for (int i = 0; i < next; i++)
			if (jobs[i].fd >= 0) {
				pfd[n] = (struct pollfd){ .fd = jobs[i].fd, .events = POLLIN };
				who[n++] = i;
			}
		if (n > 0 && poll(pfd, n, 1000) > 0)
			for (int k = 0; k < n; k++)
				if (pfd[k].revents)
					drain(&jobs[who[k]]);
		/* Every running job's output has ended: block until one exits.
		 * As PID 1 this also reaps orphans; they match no job. */
		while ((pid = waitpid(-1, &status, n > 0 ? WNOHANG : 0)) > 0 ||
		       (pid < 0 && errno == EINTR && !stop_signal)) {
			for (int i = 0; pid > 0 && i < next; i++)
				if (jobs[i].pid == pid && !jobs[i].exited) {
					jobs[i].status = status;
					jobs[i].exited = 2;
					n = 1; /* one reaped: stop blocking */
				}
		}
		if (pid < 0 && errno == ECHILD && n == 0)
			for (int i = 0; i < next; i++)
				if (!jobs[i].exited) { /* cannot happen; never spin */
					jobs[i].status = 0xff00;
					jobs[i].exited = 2;
				}
		for (int i = 0; i < next; i++)
			if (jobs[i].exited == 2 && jobs[i].fd < 0) {
				finish(&jobs[i]);
				jobs[i].exited = 1;
				running--;
			}
	}
}

int main(int argc, char **argv)
{
	const char *plan_path = GUEST_PLAN;
	/* A guest's init only when the guest's kernel command line says so
	 * (matrix.sh appends seccomp_suite_guest=1; the kernel hands unknown
	 * name=value words to init as its environment): PID 1 of a PID
	 * namespace on a host must not mount devtmpfs or power anything off. */
	const char *token = getenv("seccomp_suite_guest");
	int guest = getpid() == 1 && token && strcmp(token, "1") == 0;
	struct utsname u;
	FILE *plan;

	if (argc == 3 && strcmp(argv[1], "--plan") == 0 && !guest) {
		plan_path = argv[2];
	} else if (!guest) {
		fprintf(stderr, "usage: matrix-init --plan FILE\n"
				"matrix-init: without --plan this is the init of a matrix guest (it powers the\n"
				"machine off) and runs only as PID 1 of a guest booted with seccomp_suite_guest=1\n");
		return 64;
	}
	if (guest) {
		mount_or_say("devtmpfs", "/dev");
		console_on_stdio();
		mount_or_say("proc", "/proc");
		/* /tmp on the initramfs itself (writable), not a tmpfs over it:
		 * the bundled profiles sit at their host paths, which may be
		 * under /tmp (a checkout there), and a mount would hide them. */
		if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
			printf(MARK " NOTE mkdir /tmp: %s\n", strerror(errno));
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	{
		struct sigaction sa = { .sa_handler = on_stop };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}

	plan = fopen(plan_path, "r");
	if (plan) {
		read_plan(plan);
		fclose(plan);
	} else {
		printf(MARK " NOTE cannot open %s: %s\n", plan_path, strerror(errno));
	}
	uname(&u);
	printf(MARK " KERNEL %s %s cpus=%ld jobs=%ld uptime=%.2f\n", u.release, u.machine,
	       sysconf(_SC_NPROCESSORS_ONLN), max_parallel, clock_s(CLOCK_BOOTTIME));
	run_jobs();
	printf(MARK " DONE uptime=%.2f\n", clock_s(CLOCK_BOOTTIME));
	fflush(stdout);
	if (!guest)
		return 0;
	sync();
	reboot(RB_POWER_OFF);
	/* Only if the power-off failed: returning from PID 1 panics the
	 * kernel, which qemu -no-reboot turns into an exit as well. */
	printf(MARK " NOTE power-off failed: %s\n", strerror(errno));
	return 1;
}
