/* probe_run.c: probe-run, every probe of the build in one static program.
 *
 *   probe-run [--profile FILE|NAME] [--caps SET] [--timeout MS] [--jobs N]
 *             [--out FILE] [--time TIME] [--verbose] [PROBE|SYSCALL...]
 *   probe-run --list [PROBE|SYSCALL...]
 *
 * The profile is read, resolved and compiled once (with its sentinel
 * variant); each selected probe is then judged by verdict_of() in a forked
 * worker, N at a time.  The workers leave their verdicts in a shared map;
 * the lines are built, annotated and printed in probe-name order once all
 * are in.  A run writes nothing before it is complete: --out FILE is
 * written to FILE.tmp.PID and renamed into place.
 */
#define _GNU_SOURCE
#include "policy.h"
#include "probe.h"
#include "probe_table.h"
#include "suite_version.h"
#include "verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <json-c/json.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_VERDICT_ERROR 1 /* some line says verdict "error" */
#define EXIT_BAD_PROFILE 2   /* nothing ran */
#define EXIT_USAGE 64

static const char *prog = "probe-run";

/* One selected probe's slot in the map the workers share with the parent. */
struct slot {
	int done; /* set by the worker once v is complete */
	struct verdict_result v;
};

struct worker {
	pid_t pid;
	size_t index; /* which selected probe */
	struct timespec deadline;
};

/* For the signal handler: what to clean up on SIGINT/SIGTERM. */
static volatile sig_atomic_t n_running;
static struct worker *running;
static char tmp_path[4096];
static volatile sig_atomic_t tmp_exists;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--profile FILE|NAME] [--caps SET] [--timeout MS] [--jobs N]\n"
		"                 [--out FILE] [--time TIME] [--verbose] [PROBE|SYSCALL...]\n"
		"       %s --list [PROBE|SYSCALL...]\n"
		"       %s --args [PROBE|SYSCALL...]\n"
		"Runs the probes linked into this program (all of the build's) and prints one\n"
		"results JSON line per probe, sorted by probe name.\n"
		"  PROBE|SYSCALL...     only these probes (a syscall name selects its variants)\n"
		"  --profile FILE|NAME  read, resolve and compile this Docker/OCI profile once,\n"
		"                       then judge every probe under it (verdict, by, proof) and\n"
		"                       annotate the lines as results (arch, kernel, profile,\n"
		"                       backend, expected, result, reason, suite, host, time).\n"
		"                       Without it: the plain unconfined run, the probe\n"
		"                       programs' own lines.\n"
		"  --caps SET           capability set for includes/excludes and for the probes\n"
		"                       (docker-default|all|none|CAP_A,CAP_B; default docker-default)\n"
		"  --timeout MS         bound reading and compiling the profile, and each probe\n"
		"                       run (default 5000)\n"
		"  --jobs N             probes run at once (default: the CPUs this process may use)\n"
		"  --out FILE           write the lines to FILE (atomically: a temporary file in\n"
		"                       its directory, renamed when complete) instead of stdout\n"
		"  --time TIME          the run's time on every results line (RFC 3339 UTC,\n"
		"                       2026-11-30T14:07:16Z; default: when this program started)\n"
		"  --verbose            list every syscall name the profile's filter skips\n"
		"  --list               the probe table (or the selected probes): one JSON line\n"
		"                       per probe (probe, syscall, nr, abi, unconfined, exits,\n"
		"                       since); nothing runs\n"
		"  --args               the arguments each probe passes, as the kernel sees\n"
		"                       them: the call is caught by a USER_NOTIF filter and\n"
		"                       answered EPERM by this program, so it never runs\n"
		"A refused profile prints FILE: PATH: REASON on stderr.\n"
		"Exit status: 0 done; 1 some verdict is error; 2 the profile was refused (nothing\n"
		"ran); 64 usage or an unknown probe; 70 internal error (no memory, the output\n"
		"cannot be written).\n",
		prog, prog, prog);
}

static void on_stop(int sig)
{
	for (sig_atomic_t i = 0; i < n_running; i++)
		if (running[i].pid > 0)
			kill(running[i].pid, SIGKILL);
	if (tmp_exists)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int cpu_count(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static bool positive_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 1000000000)
		return false;
	*out = (int)v;
	return true;
}

static int list_probes(const struct probe_ref **sel, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = probe_describe_json(sel[i]->p, true);
		char *line = probe_json_line(o);
		if (line)
			fputs(line, stdout);
		free(line);
		json_object_put(o);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

static void add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Judges every selected probe, jobs at a time; each slot ends done, or not
 * done with reasons[i] saying why the worker gave no verdict. */
static void run_pool(const struct probe_ref **sel, size_t n, const struct policy *pol, int timeout_ms, int jobs,
		     struct slot *slots, char (*reasons)[160])
{
	sigset_t chld, old;
	size_t next = 0;
	/* A worker makes at most two runs (the sentinel rerun), each bounded by
	 * timeout_ms in verdict_of; past that and some slack it is stuck. */
	long worker_ms = 2L * timeout_ms + 5000;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	while (next < n || n_running > 0) {
		while (next < n && n_running < jobs) {
			struct worker *w = &running[n_running];
			pid_t pid = fork();
			if (pid < 0) {
				if (n_running > 0)
					break; /* wait for one to end, then retry */
				snprintf(reasons[next], sizeof(reasons[next]), "fork: %s", strerror(errno));
				next++;
				continue;
			}
			if (pid == 0) {
				sigprocmask(SIG_SETMASK, &old, NULL);
				signal(SIGINT, SIG_DFL);
				signal(SIGTERM, SIG_DFL);
				verdict_of(sel[next]->p, pol, timeout_ms, &slots[next].v);
				__atomic_store_n(&slots[next].done, 1, __ATOMIC_SEQ_CST);
				_exit(0);
			}
			w->pid = pid;
			w->index = next++;
			clock_gettime(CLOCK_MONOTONIC, &w->deadline);
			add_ms(&w->deadline, worker_ms);
			n_running++;
		}

		bool reaped = false;
		for (sig_atomic_t i = 0; i < n_running;) {
			int status;
			pid_t r = waitpid(running[i].pid, &status, WNOHANG);
			if (r == running[i].pid) {
				size_t k = running[i].index;
				if (!__atomic_load_n(&slots[k].done, __ATOMIC_SEQ_CST)) {
					if (WIFSIGNALED(status))
						snprintf(reasons[k], sizeof(reasons[k]),
							 "the probe's worker died of signal %d (%s) without a verdict",
							 WTERMSIG(status), strsignal(WTERMSIG(status)));
					else
						snprintf(reasons[k], sizeof(reasons[k]),
							 "the probe's worker exited with status %d without a verdict",
							 WEXITSTATUS(status));
				}
				running[i] = running[--n_running];
				reaped = true;
				continue;
			}
			i++;
		}
		if (reaped)
			continue;

		struct timespec now, wait = { 0, 0 }, *first = NULL;
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (sig_atomic_t i = 0; i < n_running; i++) {
			if (!before(&now, &running[i].deadline)) {
				snprintf(reasons[running[i].index], sizeof(reasons[running[i].index]),
					 "the probe's worker gave no verdict within %ld ms and was killed", worker_ms);
				kill(running[i].pid, SIGKILL);
			} else if (!first || before(&running[i].deadline, first)) {
				first = &running[i].deadline;
			}
		}
		if (!first)
			continue; /* a killed worker is reaped on the next turn */
		wait.tv_sec = first->tv_sec - now.tv_sec;
		wait.tv_nsec = first->tv_nsec - now.tv_nsec;
		if (wait.tv_nsec < 0) {
			wait.tv_sec--;
			wait.tv_nsec += 1000000000L;
		}
		/* A SIGCHLD that came since the waitpid()s above is pending: no
		 * end of a worker is missed. */
		sigtimedwait(&chld, NULL, &wait);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Writes every line to out (stdout, or FILE.tmp.PID renamed to FILE). */
static int write_lines(const char *out_file, char **lines, size_t n)
{
	FILE *f = stdout;

	if (out_file) {
		int fd;
		snprintf(tmp_path, sizeof(tmp_path), "%s.tmp.%ld", out_file, (long)getpid());
		fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			fprintf(stderr, "%s: %s: %s\n", prog, tmp_path, strerror(errno));
			if (fd >= 0)
				close(fd), unlink(tmp_path);
			return -1;
		}
		tmp_exists = 1;
	}
	for (size_t i = 0; i < n; i++)
		if (lines[i])
			fputs(lines[i], f);
	if (!out_file)
		return fflush(f) == 0 ? 0 : -1;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, tmp_path, strerror(errno));
		unlink(tmp_path);
		tmp_exists = 0;
		return -1;
	}
	if (rename(tmp_path, out_file) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, out_file, strerror(errno));
		unlink(tmp_path);
		tmp_exists = 0;
		return -1;
	}
	tmp_exists = 0;
	return 0;
}

int main(int argc, char **argv)
{
	const char *profile = NULL, *caps = NULL, *out_file = NULL, *run_time = NULL;
	int timeout_ms = 5000, jobs = 0;
	bool verbose = false, list = false, args_mode = false;
	const char **names;
	size_t n_names = 0, n_table, n_sel = 0;
	const struct probe_ref *table, **sel;
	struct policy pol;
	char err[2048];
	int rc = 0;

	/* A caller that ignores SIGCHLD would make the children unwaitable. */
	signal(SIGCHLD, SIG_DFL);
	table = probe_table(&n_table);
	if (!table) {
		fprintf(stderr, "%s: internal error: no usable probe table in this program\n", prog);
		return 70;
	}
	names = calloc((size_t)argc, sizeof(*names));
	if (!names)
		return 70;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--list") == 0) {
			list = true;
		} else if (strcmp(a, "--args") == 0) {
			args_mode = true;
		} else if (strcmp(a, "--verbose") == 0) {
			verbose = true;
		} else if (strcmp(a, "--") == 0) {
			while (++i < argc)
				names[n_names++] = argv[i];
		} else if (a[0] != '-') {
			names[n_names++] = a;
		} else if (!v) {
			fprintf(stderr, "%s: %s needs a value\n", prog, a);
			return EXIT_USAGE;
		} else if (strcmp(a, "--profile") == 0) {
			profile = v, i++;
		} else if (strcmp(a, "--caps") == 0) {
			caps = v, i++;
		} else if (strcmp(a, "--out") == 0) {
			out_file = v, i++;
		} else if (strcmp(a, "--time") == 0) {
			if (!probe_run_time(v)) {
				fprintf(stderr, "%s: --time takes " PROBE_RUN_TIME_FORMAT ", not '%s'\n", prog, v);
				return EXIT_USAGE;
			}
			run_time = v, i++;
		} else if (strcmp(a, "--timeout") == 0 || strcmp(a, "--jobs") == 0) {
			if (!positive_int(v, a[2] == 't' ? &timeout_ms : &jobs)) {
				fprintf(stderr, "%s: %s takes a positive number, not '%s'\n", prog, a, v);
				return EXIT_USAGE;
			}
			i++;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if ((list || args_mode) && (profile || caps || out_file || run_time || (list && args_mode))) {
		fprintf(stderr, "%s: --list and --args take no --profile, --caps, --out or --time, nor each other\n",
			prog);
		return EXIT_USAGE;
	}
	if (caps && !profile) {
		fprintf(stderr, "%s: --caps goes with --profile\n", prog);
		return EXIT_USAGE;
	}
	run_time = probe_run_time(run_time);
	if (out_file && !*out_file) {
		fprintf(stderr, "%s: --out needs a file name\n", prog);
		return EXIT_USAGE;
	}

	/* The selection, in table (name) order, each probe once. */
	sel = calloc(n_table, sizeof(*sel));
	if (!sel)
		return 70;
	for (size_t i = 0; i < n_names; i++) {
		bool any = false;
		for (size_t t = 0; t < n_table; t++)
			any = any || probe_name_selects(table[t].name, names[i]);
		if (!any) {
			fprintf(stderr, "%s: no probe '%s' (%s --list shows them)\n", prog, names[i], prog);
			return EXIT_USAGE;
		}
	}
	for (size_t t = 0; t < n_table; t++) {
		bool want = n_names == 0;
		for (size_t i = 0; i < n_names && !want; i++)
			want = probe_name_selects(table[t].name, names[i]);
		if (want)
			sel[n_sel++] = &table[t];
	}
	if (list)
		return list_probes(sel, n_sel);

	/* --args: every call goes to the supervisor, which answers EPERM and
	 * keeps the arguments (no call runs: harmless by construction). */
	static struct sock_filter notify_all[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF) };
	if (args_mode) {
		memset(&pol, 0, sizeof(pol));
		snprintf(pol.name, sizeof(pol.name), "notify-all");
		pol.prog.len = 1;
		pol.prog.filter = notify_all;
		pol.sentinel = pol.prog;
		pol.can_notify = true;
		pol.load_flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	} else if (profile) {
		struct policy_opts opts = {
			.caps = caps, .verbose_warnings = verbose, .prog_name = prog, .cache = true
		};
		/* FILE: PATH: REASON alone, as the caller shows it. */
		if (probe_policy_load(profile, &opts, timeout_ms, NULL, &pol, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return EXIT_BAD_PROFILE;
		}
	} else {
		/* The contract's plain run: unconfined, no capability change. */
		memset(&pol, 0, sizeof(pol));
		pol.unconfined = true;
	}

	if (jobs == 0)
		jobs = cpu_count();
	if ((size_t)jobs > n_sel)
		jobs = (int)n_sel;
	struct slot *slots =
		mmap(NULL, n_sel * sizeof(*slots), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char(*reasons)[160] = calloc(n_sel, sizeof(*reasons));
	char **lines = calloc(n_sel, sizeof(*lines));
	running = calloc((size_t)jobs, sizeof(*running));
	if (slots == MAP_FAILED || !reasons || !lines || !running) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 70;
	}
	struct sigaction stop = { .sa_handler = on_stop };
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);

	run_pool(sel, n_sel, &pol, timeout_ms, jobs, slots, reasons);

	for (size_t i = 0; i < n_sel; i++) {
		const struct probe *p = sel[i]->p;
		const struct verdict_result *v = &slots[i].v;
		struct json_object *o;

		const char *why = NULL;

		if (!slots[i].done)
			why = reasons[i][0] ? reasons[i] : "the probe's worker gave no verdict";
		else if (v->verdict == VERDICT_ERROR)
			why = v->reason;
		if (args_mode && slots[i].done) {
			o = probe_describe_json(p, true);
			struct json_object *a = NULL;
			if (v->verdict == VERDICT_NOTIFIED && v->have_args) {
				a = json_object_new_array();
				for (int k = 0; k < 6; k++) {
					char hex[24];
					snprintf(hex, sizeof(hex), "0x%llx", v->args[k]);
					json_object_array_add(a, json_object_new_string(hex));
				}
			} else if (v->verdict != VERDICT_ABSENT) {
				why = v->verdict == VERDICT_ERROR ? v->reason
								  : "the call was not caught by the notify filter";
			}
			json_object_object_add(o, "args", a);
		} else if (!slots[i].done || (!profile && v->verdict == VERDICT_ERROR))
			o = probe_error_json(p, why);
		else if (!profile)
			o = probe_plain_json(p, v);
		else
			o = probe_verdict_json(p, &pol, v);
		if (why) {
			rc = EXIT_VERDICT_ERROR;
			fprintf(stderr, "%s: %s: %s\n", prog, sel[i]->name, why);
		}
		if (profile) {
			probe_annotate_unjudged(o, profile);
			probe_stamp_run(o, SUITE_VERSION, run_time, false);
		}
		lines[i] = probe_json_line(o);
		json_object_put(o);
		if (!lines[i]) {
			fprintf(stderr, "%s: out of memory\n", prog);
			return 70;
		}
	}
	if (write_lines(out_file, lines, n_sel))
		return 70;
	if (!args_mode)
		policy_free(&pol);
	return rc;
}
