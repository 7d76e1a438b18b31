/* screcord: run a command and write the smallest Docker profile that lets
 * it make the syscalls it made.
 *
 * Observation is seccomp's own: the child loads a filter whose only action
 * is SECCOMP_RET_USER_NOTIF, at the same point where scrun loads the
 * recorded profile (capabilities limited, no_new_privs set, then execve),
 * and this process, the supervisor, answers every notification with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE after noting (arch, nr).  So the record
 * sees exactly what the enforcing filter will see: the execve itself and
 * everything after it, in every thread and every child (filters are
 * inherited), with the architecture the kernel reports for each call
 * (compat ABI calls arrive as SCMP_ARCH_X86, x32 ones with the x32 bit).
 * README, "Recording a profile", says why not strace or SCMP_ACT_LOG.
 *
 * --for RUNTIME adds a second rule: what that runtime's own init makes
 * between loading the filter and the execve of the command, which the
 * record cannot see (it loads its filter where scrun does).  That rule
 * allows those calls to the command too, for its whole life: one filter
 * covers the init and, after the execve, the command, and it cannot tell
 * them apart.
 */
#define _GNU_SOURCE
#include "caps.h"
#include "policy.h"

#include <errno.h>
#include <json-c/json.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_USAGE 64
#define EXIT_SETUP 66
#define X32_SYSCALL_BIT 0x40000000u

/* What a runtime's init process calls between loading the container's
 * filter and the execve of its program: the calls of the thread that loaded
 * the filter, from the load to the execve, under strace -f (the filter
 * allowing everything), three runs each, on Debian 12 (x86_64 names; run.sh
 * record --for verifies the profile under the runtime itself).
 *   runc 1.1.5 (Go): with noNewPrivileges false, as Docker runs it, the
 *     filter is loaded before finalizeNamespace: capabilities (prctl
 *     PR_CAPBSET_DROP and PR_CAP_AMBIENT, capget, capset), setgroups, setgid,
 *     setuid, chdir/getcwd; the parent check (getppid); exec.LookPath
 *     (newfstatat, faccessat2, faccessat before Linux 5.8); closing the
 *     inherited descriptors through /proc/self/fd (openat, getdents64,
 *     fstat, fstatfs, fcntl, close, epoll_ctl: Go's poller); the exec fifo
 *     (openat, write "0", close); read and write on the sync pipe; and Go's
 *     runtime on that thread at any moment (futex, rt_sigreturn after a
 *     preemption signal, nanosleep, sched_yield, mmap, munmap, madvise,
 *     rt_sigprocmask, sigaltstack, getpid, gettid, tgkill).
 *   docker (20.10.24: dockerd -> containerd -> runc 1.1.5): runc's list; the
 *     bundle Docker writes (config.json), run by runc under strace, makes
 *     the same calls after the load.
 *   crun 1.8.1 (C): capabilities (capset, prctl), setresgid and setresuid,
 *     the sync socket (write), close, every signal's disposition reset
 *     (rt_sigaction), the signal mask (rt_sigprocmask). */
static const char *const runc_calls[] = {
	"capget",     "capset",	   "chdir",  "close",	    "epoll_ctl",      "execve",	      "faccessat",
	"faccessat2", "fcntl",	   "fstat",  "fstatfs",	    "futex",	      "getcwd",	      "getdents64",
	"getpid",     "getppid",   "gettid", "madvise",	    "mmap",	      "munmap",	      "nanosleep",
	"newfstatat", "openat",	   "prctl",  "read",	    "rt_sigprocmask", "rt_sigreturn", "sched_yield",
	"setgid",     "setgroups", "setuid", "sigaltstack", "tgkill",	      "write",	      NULL,
};
static const char *const crun_calls[] = {
	"capset", "close", "execve", "prctl", "rt_sigaction", "rt_sigprocmask", "setresgid", "setresuid", "write", NULL,
};
static const struct {
	const char *name;
	const char *what; /* the rule's comment */
	const char *const *calls;
} runtimes[] = {
	{ "runc",
	  "what runc 1.1 calls between loading the filter and the execve (run.sh record --for runc); allowed to the command too, for its whole life: the filter cannot tell runc's init from the command",
	  runc_calls },
	{ "docker",
	  "what Docker's runc 1.1 calls between loading the filter and the execve (run.sh record --for docker); allowed to the command too, for its whole life: the filter cannot tell runc's init from the command",
	  runc_calls },
	{ "crun",
	  "what crun 1.8 calls between loading the filter and the execve (run.sh record --for crun); allowed to the command too, for its whole life: the filter cannot tell crun's init from the command",
	  crun_calls },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: screcord [--out FILE] [--caps SET] [--log FILE] [--for RUNTIME] -- PROGRAM [ARG...]\n"
		   "Runs PROGRAM (as scrun would run it: capabilities limited, no_new_privs,\n"
		   "then execve) while a seccomp USER_NOTIF supervisor notes every syscall of\n"
		   "it, its threads and its children; then writes the smallest Docker profile\n"
		   "allowing them: defaultAction SCMP_ACT_ERRNO, one SCMP_ACT_ALLOW rule, and\n"
		   "the architectures the calls were made on.\n"
		   "  --out FILE   the profile (default: stdout)\n"
		   "  --caps SET   capability set PROGRAM runs with (default docker-default;\n"
		   "               run it under the profile with the same set)\n"
		   "  --log FILE   also every call as JSON Lines: pid, arch, nr, syscall, args\n"
		   "               (the six arguments as hex strings)\n"
		   "  --for RUNTIME  docker, runc or crun: a second rule allows what that\n"
		   "               runtime calls between loading the filter and the execve\n"
		   "               (the names the first rule lacks); PROGRAM may make those\n"
		   "               calls too, for its whole life (one filter covers both)\n"
		   "Exit status: PROGRAM's own (128+N for a signal); 64 bad usage; 66 the\n"
		   "recording filter could not be set up, or the record not kept (out of\n"
		   "memory: no profile is written); 127 PROGRAM not found.\n");
}

struct handoff {
	volatile int listener; /* the child's listener fd, or -errno; INT32_MIN until set */
};

struct seen {
	uint32_t arch; /* SCMP_ARCH_*, x32 told apart */
	int nr;
};

static struct seen *seen;
static size_t n_seen, cap_seen;

/* 0, or -1 out of memory (the record would be incomplete: the caller
 * must not write a profile from it). */
static int note(uint32_t arch, int nr)
{
	for (size_t i = 0; i < n_seen; i++)
		if (seen[i].arch == arch && seen[i].nr == nr)
			return 0;
	if (n_seen == cap_seen) {
		size_t cap = cap_seen ? cap_seen * 2 : 256;
		struct seen *p = realloc(seen, cap * sizeof(*seen));
		if (!p)
			return -1;
		seen = p;
		cap_seen = cap;
	}
	seen[n_seen].arch = arch;
	seen[n_seen].nr = nr;
	n_seen++;
	return 0;
}

/* The recording filter: notify on everything, for the host's own ABI and
 * its compat ABIs, so that no call bypasses the record. */
static int recording_filter(struct sock_fprog *prog)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_NOTIFY);
	uint32_t host = host_scmp_arch();
	int rc;

	if (!ctx)
		return -1;
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (host == SCMP_ARCH_X86_64) {
		seccomp_arch_add(ctx, SCMP_ARCH_X86);
		seccomp_arch_add(ctx, SCMP_ARCH_X32);
	} else if (host == SCMP_ARCH_AARCH64) {
		seccomp_arch_add(ctx, SCMP_ARCH_ARM);
	}
	rc = filter_export(ctx, prog);
	seccomp_release(ctx);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	return x->arch != y->arch ? (x->arch < y->arch ? -1 : 1) : (x->nr > y->nr) - (x->nr < y->nr);
}

static uint32_t abi_of(uint32_t audit_arch, int nr)
{
	if (audit_arch == AUDIT_ARCH_X86_64 && ((unsigned)nr & X32_SYSCALL_BIT))
		return SCMP_ARCH_X32;
	return audit_arch;
}

/* The profile, as JSON text.  Unnamed numbers are reported on stderr:
 * a Docker profile can only name syscalls. */
static char *profile_json(const char *command, int runtime, int *unnamed)
{
	struct json_object *root = json_object_new_object(), *arches = json_object_new_array(),
			   *rules = json_object_new_array(), *rule = json_object_new_object(),
			   *names = json_object_new_array();
	uint32_t host = host_scmp_arch(), arch_list[8];
	size_t n_arch = 0;
	char **list = calloc(n_seen + 1, sizeof(char *));
	size_t n_list = 0;
	char *out;

	*unnamed = 0;
	if (!list) {
		json_object_put(root);
		json_object_put(arches);
		json_object_put(rules);
		json_object_put(rule);
		json_object_put(names);
		return NULL;
	}
	qsort(seen, n_seen, sizeof(*seen), cmp_seen);
	/* The host's own architecture first, as Docker's archMap lists it. */
	for (size_t i = 0; i < n_seen && n_arch == 0; i++)
		if (seen[i].arch == host)
			arch_list[n_arch++] = host;
	for (size_t i = 0; i < n_seen; i++) {
		bool have = false;
		for (size_t j = 0; j < n_arch; j++)
			have = have || arch_list[j] == seen[i].arch;
		if (!have && n_arch < 8)
			arch_list[n_arch++] = seen[i].arch;
	}
	for (size_t i = 0; i < n_seen; i++) {
		char *name = seccomp_syscall_resolve_num_arch(seen[i].arch, seen[i].nr);
		bool dup = false;
		if (!name) {
			fprintf(stderr,
				"screcord: syscall %d on %s has no name in libseccomp %u.%u: a Docker profile cannot allow it\n",
				seen[i].nr, scmp_arch_name(seen[i].arch) ? scmp_arch_name(seen[i].arch) : "?",
				seccomp_version()->major, seccomp_version()->minor);
			(*unnamed)++;
			continue;
		}
		for (size_t j = 0; j < n_list; j++)
			dup = dup || strcmp(list[j], name) == 0;
		if (dup)
			free(name);
		else
			list[n_list++] = name;
	}
	qsort(list, n_list, sizeof(char *), cmp_names);
	for (size_t i = 0; i < n_list; i++) {
		json_object_array_add(names, json_object_new_string(list[i]));
		free(list[i]);
	}
	free(list);
	for (size_t i = 0; i < n_arch; i++)
		json_object_array_add(arches, json_object_new_string(scmp_arch_name(arch_list[i])));

	json_object_object_add(root, "defaultAction", json_object_new_string("SCMP_ACT_ERRNO"));
	json_object_object_add(root, "architectures", arches);
	json_object_object_add(rule, "names", names);
	json_object_object_add(rule, "action", json_object_new_string("SCMP_ACT_ALLOW"));
	json_object_object_add(rule, "comment", json_object_new_string(command));
	json_object_array_add(rules, rule);
	if (runtime >= 0) {
		struct json_object *more = json_object_new_array();
		for (const char *const *c = runtimes[runtime].calls; *c; c++) {
			bool have = false;
			for (size_t k = 0; k < json_object_array_length(names) && !have; k++)
				have = strcmp(json_object_get_string(json_object_array_get_idx(names, k)), *c) == 0;
			if (!have && seccomp_syscall_resolve_name_arch(host, *c) >= 0)
				json_object_array_add(more, json_object_new_string(*c));
		}
		if (json_object_array_length(more)) {
			struct json_object *r = json_object_new_object();
			json_object_object_add(r, "names", more);
			json_object_object_add(r, "action", json_object_new_string("SCMP_ACT_ALLOW"));
			json_object_object_add(r, "comment", json_object_new_string(runtimes[runtime].what));
			json_object_array_add(rules, r);
		} else {
			json_object_put(more);
		}
	}
	json_object_object_add(root, "syscalls", rules);
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
									JSON_C_TO_STRING_NOSLASHESCAPE);
	out = text ? strdup(text) : NULL;
	json_object_put(root);
	return out;
}

static void log_call(FILE *log, const struct seccomp_notif *req)
{
	uint32_t abi = abi_of(req->data.arch, req->data.nr);
	char *name = seccomp_syscall_resolve_num_arch(abi, req->data.nr);

	fprintf(log, "{\"pid\":%u,\"arch\":\"%s\",\"nr\":%d,\"syscall\":", req->pid,
		scmp_arch_name(abi) ? scmp_arch_name(abi) : "?", req->data.nr);
	if (name)
		fprintf(log, "\"%s\"", name);
	else
		fprintf(log, "null");
	fprintf(log, ",\"args\":[");
	for (int i = 0; i < 6; i++)
		/* Hex strings: jq and other JSON readers hold numbers as doubles,
		 * which cannot keep 64-bit values such as pointers exactly. */
		fprintf(log, "%s\"0x%llx\"", i ? "," : "", (unsigned long long)req->data.args[i]);
	fprintf(log, "]}\n");
	free(name);
}

/* The child: as scrun, with the recording filter in place of the profile.
 * After the load the only syscalls are execvp's execve attempts. */
static void child(struct handoff *h, const struct sock_fprog *prog, uint64_t caps, char **argv)
{
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (caps_apply(caps) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		h->listener = -errno;
		_exit(EXIT_SETUP);
	}
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	/* A store, not a syscall: the supervisor has no listener yet. */
	h->listener = fd < 0 ? -errno : fd;
	if (fd < 0)
		_exit(EXIT_SETUP);
	execvp(argv[0], argv);
	int e = errno;
	fprintf(stderr, "screcord: cannot execute %s: %s\n", argv[0], strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

int main(int argc, char **argv)
{
	const char *out_file = NULL, *log_file = NULL, *caps_spec = "docker-default";
	int runtime = -1;
	char err[512], command[1024] = "";
	uint64_t caps;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out_file = argv[++i];
		} else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
			log_file = argv[++i];
		} else if (strcmp(argv[i], "--caps") == 0 && i + 1 < argc) {
			caps_spec = argv[++i];
		} else if (strcmp(argv[i], "--for") == 0 && i + 1 < argc) {
			i++;
			for (size_t r = 0; r < sizeof(runtimes) / sizeof(runtimes[0]); r++)
				if (strcmp(argv[i], runtimes[r].name) == 0)
					runtime = (int)r;
			if (runtime < 0) {
				fprintf(stderr, "screcord: --for takes docker, runc or crun, not '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "screcord: unknown or incomplete option '%s' (the command goes after --)\n",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "screcord: no command given: screcord [OPTIONS] -- PROGRAM [ARG...]\n");
		return EXIT_USAGE;
	}
	if (caps_parse(caps_spec, &caps, err, sizeof(err))) {
		fprintf(stderr, "screcord: %s\n", err);
		return EXIT_USAGE;
	}
	snprintf(command, sizeof(command), "recorded by seccomp-suite (run.sh record) from:");
	for (int j = i; j < argc; j++)
		snprintf(command + strlen(command), sizeof(command) - strlen(command), " %s", argv[j]);

	FILE *log = NULL;
	if (log_file && !(log = fopen(log_file, "we"))) {
		fprintf(stderr, "screcord: %s: %s\n", log_file, strerror(errno));
		return EXIT_USAGE;
	}
	struct sock_fprog prog;
	if (recording_filter(&prog)) {
		fprintf(stderr, "screcord: libseccomp could not build the recording filter\n");
		return EXIT_SETUP;
	}
	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		fprintf(stderr,
			"screcord: this kernel has no seccomp user notification (SECCOMP_GET_NOTIF_SIZES: %s)\n",
			strerror(errno));
		return EXIT_SETUP;
	}
	/* Before the child exists: nothing may fail once it waits on us. */
	struct seccomp_notif *req = calloc(1, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req));
	struct seccomp_notif_resp *resp =
		calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ? sizes.seccomp_notif_resp : sizeof(*resp));
	if (!req || !resp) {
		fprintf(stderr, "screcord: out of memory\n");
		return EXIT_SETUP;
	}
	struct handoff *h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED) {
		fprintf(stderr, "screcord: mmap: %s\n", strerror(errno));
		return EXIT_SETUP;
	}
	h->listener = INT32_MIN;
	signal(SIGCHLD, SIG_DFL);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "screcord: fork: %s\n", strerror(errno));
		return EXIT_SETUP;
	}
	if (pid == 0)
		child(h, &prog, caps, argv + i);

	int status = 0, reaped = 0;
	while (h->listener == INT32_MIN) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			reaped = 1;
			break;
		}
		usleep(100);
	}
	if (h->listener < 0) {
		if (!reaped)
			waitpid(pid, &status, 0);
		fprintf(stderr, "screcord: the recording filter could not be set up in the child: %s\n",
			h->listener == INT32_MIN ? "it exited first" : strerror(-h->listener));
		return EXIT_SETUP;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int lfd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, h->listener, 0);
	if (lfd < 0) {
		fprintf(stderr, "screcord: cannot take the child's listener (pidfd_getfd: %s)\n", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return EXIT_SETUP;
	}

	size_t req_size = sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req);
	unsigned long calls = 0;
	bool lost = false;
	for (;;) {
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };
		int n = poll(&pfd, 1, 250);
		if (n < 0 && errno != EINTR)
			break;
		if (!reaped && waitpid(pid, &status, WNOHANG) == pid)
			reaped = 1;
		if (n <= 0)
			continue;
		if (pfd.revents & POLLIN) {
			memset(req, 0, req_size);
			if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
				continue; /* the caller died or was interrupted */
			/* Out of memory: keep answering (the command must not
			 * hang), but write no profile from an incomplete record. */
			if (note(abi_of(req->data.arch, req->data.nr), req->data.nr))
				lost = true;
			calls++;
			if (log)
				log_call(log, req);
			memset(resp, 0, sizes.seccomp_notif_resp);
			resp->id = req->id;
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, resp);
			continue;
		}
		/* No task uses the filter any more: the command and every
		 * descendant are gone. */
		if (pfd.revents & (POLLHUP | POLLERR))
			break;
	}
	if (!reaped)
		waitpid(pid, &status, 0);
	if (log)
		fclose(log);

	int unnamed;
	char *text = lost ? NULL : profile_json(command, runtime, &unnamed);
	if (!text) {
		fprintf(stderr, "screcord: out of memory: the record is incomplete, no profile written\n");
		return EXIT_SETUP;
	}
	FILE *out = out_file ? fopen(out_file, "we") : stdout;
	if (!out) {
		fprintf(stderr, "screcord: %s: %s\n", out_file, strerror(errno));
		return EXIT_USAGE;
	}
	fprintf(out, "%s\n", text);
	if (out_file)
		fclose(out);
	free(text);
	/* Nothing else on stderr: it is the command's, and run.sh record
	 * compares it with the run under the profile. */
	(void)calls;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
