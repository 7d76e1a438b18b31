/* probe-all: the probes, one after another, inside a container.
 *
 *   probe-all DIR NAME...
 *
 * Runs DIR/NAME with no arguments for each NAME (the probe contract's plain
 * run: the syscall under whatever filter the container is in) and prints
 * each probe's JSON line.  A probe that prints no line gets one saying why,
 * so one container start covers a whole profile.  The runtime's filter
 * applies to this program too: it needs fork, execve, pipe, read and wait4,
 * and a profile that denies them is reported here, probe by probe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void print_error(const char *name, const char *reason)
{
	struct json_object *o = json_object_new_object();
	char syscall[128];

	snprintf(syscall, sizeof(syscall), "%s", name);
	syscall[strcspn(syscall, ".")] = '\0';
	json_object_object_add(o, "syscall", json_object_new_string(syscall));
	json_object_object_add(o, "probe", json_object_new_string(name));
	json_object_object_add(o, "verdict", json_object_new_string("error"));
	json_object_object_add(o, "by", NULL);
	json_object_object_add(o, "reason", json_object_new_string(reason));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
}

static void run_probe(const char *dir, const char *name)
{
	char path[4096], out[8192], reason[512];
	size_t len = 0;
	int fds[2], status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pipe(fds) < 0) {
		snprintf(reason, sizeof(reason), "probe-all could not run it: pipe: %s", strerror(errno));
		print_error(name, reason);
		return;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(reason, sizeof(reason), "probe-all could not run it: fork: %s", strerror(errno));
		print_error(name, reason);
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		char *args[] = { path, NULL }, *env[] = { NULL };
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execve(path, args, env);
		fprintf(stderr, "probe-all: execve %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + len, sizeof(out) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(out) - 1)
			break;
	}
	close(fds[0]);
	out[len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && len > 0 && out[len - 1] == '\n') {
		fputs(out, stdout);
		fflush(stdout);
		return;
	}
	if (WIFSIGNALED(status))
		snprintf(reason, sizeof(reason), "the probe program died of signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(reason, sizeof(reason), "the probe program exited %d without a result line",
			 WEXITSTATUS(status));
	print_error(name, reason);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: probe-all DIR NAME...\n");
		return 64;
	}
	signal(SIGCHLD, SIG_DFL);
	for (int i = 2; i < argc; i++)
		run_probe(argv[1], argv[i]);
	return 0;
}
