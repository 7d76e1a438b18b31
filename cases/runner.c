/* cases: asserts expectation sets (cases/NAME.cases) against the probes,
 * through the kernel's kselftest harness: one test per (set, probe),
 * printed as KTAP.
 *
 *   cases [--set NAME|FILE]... [--profile FILE|NAME] [--caps SET]
 *         [--backend NAME] [--observations FILE] [--results FILE] [--time TIME]
 *   cases --coverage [--set NAME|FILE]...
 *   cases --header [--set NAME|FILE]... [--profile FILE|NAME] [--caps SET]
 *
 * The probes are linked in (the probe table, as in probe-run): each set's
 * profile is read and compiled once, before any test runs, and each test
 * judges its probe with verdict_of() directly.  The tests are registered at
 * run time, one per probe, with the harness's own registration functions;
 * the harness forks each test, so a probe that misbehaves cannot take the
 * runner down with it. */
#define _GNU_SOURCE
#include "abi.h"
#include "caps.h"
#include "expect.h"
#include "policy.h"
#include "probe_table.h"
#include "suite_version.h"
#include "verdict.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define EXIT_BAD_PROFILE 2
#define EXIT_USAGE 64
#define MAX_SETS 32
#define MAX_PROBES 512

static const char *prog = "cases";

/* Options and everything the tests share (read-only in the forked tests). */
static struct {
	const char *profile_override;
	const char *caps_override;
	const char *backend;
	bool backend_given;
	const char *observations_file;
	const char *results_file;
	const char *run_time;		 /* --time, or when this run started */
	char results_tmp[PATH_MAX + 32]; /* results_file.tmp.PID until the end */
	pid_t main_pid;
	int timeout_ms;
	char cases_dir[PATH_MAX];
	char kernel_release[128];
	char arch[64];
	bool root;
	int results_fd;
	struct json_object *observations; /* probe name -> its line */
} opt = { .backend = "native", .timeout_ms = 5000, .results_fd = -1 };

struct set_run {
	struct expect_set set;
	const char *profile; /* the set's, or --profile */
	char caps_spec[256];
	uint64_t caps;
	struct policy policy; /* compiled once, before the tests fork */
	char fixture_name[80];
	struct __fixture_metadata fixture;
};

struct case_test {
	struct __test_metadata meta; /* first: the harness hands us this */
	struct set_run *run;
	const struct probe *p;
	char probe[PROBE_NAME_MAX];
	char name[160];
};

static const struct probe_ref *probes; /* the probe table, by name */
static size_t n_probes;
static const char *selection[MAX_PROBES]; /* PROBE... arguments */
static size_t n_selection;

/* "clone" selects clone, clone.newns and clone.newuser. */
static bool selected(const char *probe)
{
	if (n_selection == 0)
		return true;
	for (size_t i = 0; i < n_selection; i++)
		if (probe_name_selects(probe, selection[i]))
			return true;
	return false;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--set NAME|FILE]... [--profile FILE|NAME] [--caps SET] [--backend NAME]\n"
		"          [--observations FILE] [--results FILE] [--time TIME] [--timeout MS]\n"
		"          [PROBE...]\n"
		"       %s --coverage [--set NAME|FILE]...\n"
		"       %s --header [--set NAME|FILE]... [--profile FILE|NAME] [--caps SET]\n"
		"Asserts expectation sets against the probes; KTAP on stdout, one test per\n"
		"(set, probe).  Exit 0 only when every applicable case passes.\n"
		"  PROBE...             only these probes (\"clone\" selects its variants too)\n"
		"  --set NAME|FILE      a set (cases/NAME.cases); default: every set\n"
		"  --profile FILE|NAME  run the sets' expectations against this profile\n"
		"                       instead of their own (an edited copy, a new release)\n"
		"  --caps SET           instead of the set's capability set\n"
		"  --backend NAME       label results and select backend= conditions\n"
		"                       (native, docker, runc, crun, podman, containerd; default native)\n"
		"  --observations FILE  take each probe's verdict from this results JSON Lines\n"
		"                       file (a run under another backend) instead of running it\n"
		"  --results FILE       write the results JSON Lines here (to FILE.tmp.PID,\n"
		"                       renamed to FILE when the run ends)\n"
		"  --time TIME          the run's time on every results line (RFC 3339 UTC,\n"
		"                       2026-11-30T14:07:16Z; default: when this run started)\n"
		"  --timeout MS         per probe child, and per profile to read and compile\n"
		"                       (default 5000)\n"
		"  --coverage           check, without running anything, that every probe has an\n"
		"                       applicable line in every set for x86_64, i386 and aarch64\n"
		"                       on a range of kernels\n"
		"  --header             each set's header as this run reads it, one JSON line a\n"
		"                       set: set, file, profile and caps (after --profile and\n"
		"                       --caps; a profile file as a path), files (the set and\n"
		"                       its includes), lines; nothing runs\n"
		"Exit status: 0 every case passed; 1 a case failed (or could not run); 2 a set\n"
		"or profile could not be read (nothing ran); 4 not root; 64 usage.\n"
		"Environment: SECCOMP_SUITE_CASES (the sets' directory).\n",
		prog, prog, prog);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool probe_known(const char *name)
{
	return probe_table_find(name) != NULL;
}

static const char *json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return "";
	return json_object_get_string(v);
}

static void write_result(struct json_object *line, const char *probe, const struct set_run *run,
			 const struct expect_env *env, const struct expect_line *exp, const char *result,
			 const char *reason)
{
	struct json_object *e = NULL;
	const char *text;

	if (opt.results_fd < 0)
		return;
	/* The probe contract names variants only; results name every probe,
	 * and a case that ran nothing still carries every contract field. */
	json_object_object_add(line, "probe", json_object_new_string(probe));
	if (!json_object_object_get_ex(line, "syscall", NULL))
		json_object_object_add(line, "syscall", json_object_new_string_len(probe, (int)strcspn(probe, ".")));
	static const char *const contract[] = { "nr", "verdict", "errno_name", "by" };
	for (size_t i = 0; i < sizeof(contract) / sizeof(contract[0]); i++)
		if (!json_object_object_get_ex(line, contract[i], NULL))
			json_object_object_add(line, contract[i], NULL);
	if (exp) {
		char src[PATH_MAX + 16];
		snprintf(src, sizeof(src), "%s:%d", exp->file, exp->lineno);
		e = json_object_new_object();
		json_object_object_add(e, "verdict", json_object_new_string(exp->verdict));
		json_object_object_add(e, "errno", json_object_new_string(exp->errno_spec));
		json_object_object_add(e, "condition", json_object_new_string(exp->condition));
		json_object_object_add(e, "why", json_object_new_string(exp->why));
		json_object_object_add(e, "source", json_object_new_string(src));
	}
	if (!json_object_object_get_ex(line, "abi", NULL))
		json_object_object_add(line, "abi", json_object_new_string(env->abi));
	if (!*json_str(line, "arch"))
		json_object_object_add(line, "arch", json_object_new_string(opt.arch));
	if (!json_object_object_get_ex(line, "kernel", NULL) || !*json_str(line, "kernel"))
		json_object_object_add(line, "kernel", json_object_new_string(opt.kernel_release));
	/* Observations keep the labels of the run that made them. */
	if (!opt.observations || !*json_str(line, "profile"))
		json_object_object_add(line, "profile", json_object_new_string(run->profile));
	if (!opt.observations || opt.backend_given || !*json_str(line, "backend"))
		json_object_object_add(line, "backend", json_object_new_string(env->backend));
	if (!opt.observations || !*json_str(line, "caps"))
		json_object_object_add(line, "caps", json_object_new_string(run->caps_spec));
	json_object_object_add(line, "set", json_object_new_string(run->set.name));
	json_object_object_add(line, "expected", e);
	json_object_object_add(line, "result", json_object_new_string(result));
	json_object_object_add(line, "reason", json_object_new_string(reason));
	/* An observation keeps the host and time of the run that made it. */
	probe_stamp_run(line, SUITE_VERSION, opt.run_time, opt.observations != NULL);
	text = json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	/* One write per line: the tests run one at a time, but a line must
	 * never be split even if that changes. */
	{
		size_t len = strlen(text);
		char *buf = malloc(len + 1);
		if (buf) {
			memcpy(buf, text, len);
			buf[len] = '\n';
			if (write(opt.results_fd, buf, len + 1) != (ssize_t)(len + 1))
				ksft_print_msg("%s: cannot write the results line: %s\n", prog, strerror(errno));
			free(buf);
		}
	}
}

static void case_fn(struct __test_metadata *_metadata, struct __fixture_variant_metadata *variant)
{
	struct case_test *t = (struct case_test *)_metadata;
	struct set_run *run = t->run;
	struct expect_env env = { .abi = ABI_NAME, .arch = opt.arch, .caps = run->caps, .backend = opt.backend };
	const struct expect_line *exp;
	struct json_object *line;
	struct observation obs = { 0 };
	char unmet[512], why[512];
	const char *obs_kernel;
	bool pass;

	(void)variant;
	if (opt.observations) {
		if (!json_object_object_get_ex(opt.observations, t->probe, &line)) {
			/* Not observed: a failure, never a silent pass. */
			line = json_object_new_object();
			json_object_object_add(line, "probe", json_object_new_string(t->probe));
			json_object_object_add(line, "verdict", json_object_new_string("error"));
			json_object_object_add(
				line, "reason",
				json_object_new_string("no observation of this probe in the observations file"));
		} else {
			json_object_get(line);
		}
		if (*json_str(line, "abi"))
			env.abi = json_str(line, "abi");
		if (*json_str(line, "arch"))
			env.arch = json_str(line, "arch");
		if (!opt.backend_given && *json_str(line, "backend"))
			env.backend = json_str(line, "backend");
	} else {
		line = NULL;
	}
	obs_kernel = line && *json_str(line, "kernel") ? json_str(line, "kernel") : opt.kernel_release;
	kernel_version_parse(obs_kernel, &env.kernel);

	exp = expect_find(&run->set, t->probe, &env, unmet, sizeof(unmet));
	if (!exp) {
		if (!line)
			line = json_object_new_object();
		json_object_object_add(line, "probe", json_object_new_string(t->probe));
		write_result(line, t->probe, run, &env, NULL, expect_mentions(&run->set, t->probe) ? "skip" : "fail",
			     unmet);
		json_object_put(line);
		if (!expect_mentions(&run->set, t->probe)) {
			ksft_print_msg("%s: the set has no expectation for this probe (%s)\n", t->name, run->set.file);
			fflush(stdout);
			_metadata->passed = 0;
			return;
		}
		SKIP(return, "%s: %s", t->name, unmet);
	}
	if (!line) {
		struct verdict_result v;
		verdict_of(t->p, &run->policy, opt.timeout_ms, &v);
		line = probe_verdict_json(t->p, &run->policy, &v);
	}

	snprintf(obs.verdict, sizeof(obs.verdict), "%s", json_str(line, "verdict"));
	snprintf(obs.errno_name, sizeof(obs.errno_name), "%s", json_str(line, "errno_name"));
	snprintf(obs.by, sizeof(obs.by), "%s", json_str(line, "by"));
	snprintf(obs.reason, sizeof(obs.reason), "%s", json_str(line, "reason"));
	if (!obs.verdict[0])
		snprintf(obs.verdict, sizeof(obs.verdict), "error");
	pass = expect_judge(exp, &obs, t->p, &env, why, sizeof(why));
	write_result(line, t->probe, run, &env, exp, pass ? "pass" : "fail", why);
	json_object_put(line);
	if (pass) {
		ksft_print_msg("%s: %s%s%s\n", t->name, why, exp->why[0] ? " # " : "", exp->why);
	} else {
		ksft_print_msg("%s: FAIL: %s (%s:%d%s%s)\n", t->name, why, exp->file, exp->lineno,
			       exp->why[0] ? ": " : "", exp->why);
		_metadata->passed = 0;
	}
	/* The harness ends each test with _exit(): flush what it printed. */
	fflush(stdout);
}

static int set_path(const char *arg, char *path, size_t size)
{
	if (strchr(arg, '/') || strstr(arg, ".cases"))
		snprintf(path, size, "%s", arg);
	else
		snprintf(path, size, "%s/%s.cases", opt.cases_dir, arg);
	return 0;
}

static size_t all_sets(char paths[][PATH_MAX])
{
	DIR *d = opendir(opt.cases_dir);
	struct dirent *e;
	char *names[MAX_SETS];
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < MAX_SETS) {
		size_t len = strlen(e->d_name);
		if (len > 6 && strcmp(e->d_name + len - 6, ".cases") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		snprintf(paths[i], PATH_MAX, "%s/%.*s", opt.cases_dir, PATH_MAX - 2 - (int)strlen(opt.cases_dir),
			 names[i]);
		free(names[i]);
	}
	return n;
}

static int load_observations(void)
{
	FILE *f = fopen(opt.observations_file, "r");
	char buf[16384];
	int lineno = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, opt.observations_file, strerror(errno));
		return -1;
	}
	opt.observations = json_object_new_object();
	while (fgets(buf, sizeof(buf), f)) {
		struct json_object *o;
		const char *name;
		lineno++;
		if (buf[strspn(buf, " \t\r\n")] == '\0')
			continue;
		o = json_tokener_parse(buf);
		if (!o || !json_object_is_type(o, json_type_object)) {
			fprintf(stderr, "%s: %s:%d: not a JSON object\n", prog, opt.observations_file, lineno);
			fclose(f);
			return -1;
		}
		name = *json_str(o, "probe") ? json_str(o, "probe") : json_str(o, "syscall");
		if (!*name) {
			fprintf(stderr, "%s: %s:%d: the line names no probe or syscall\n", prog, opt.observations_file,
				lineno);
			fclose(f);
			return -1;
		}
		/* Keep only the probe contract's own fields: expectations of an
		 * earlier run must not leak into this one. */
		json_object_object_del(o, "expected");
		json_object_object_del(o, "result");
		json_object_object_del(o, "set");
		if (json_object_object_get_ex(opt.observations, name, NULL)) {
			fprintf(stderr,
				"%s: %s:%d: a second line for %s: give one run (one set, one ABI) per observations file\n",
				prog, opt.observations_file, lineno, name);
			json_object_put(o);
			fclose(f);
			return -1;
		}
		json_object_object_add(opt.observations, name, o);
	}
	fclose(f);
	return 0;
}

/* --header: the sets as the parser read them, for the shell (run.sh runs a
 * set's probes under a runtime backend with its profile and caps): the
 * cases format is parsed here alone. */
static int print_headers(const struct set_run *runs, size_t n_runs)
{
	for (size_t r = 0; r < n_runs; r++) {
		struct json_object *o = json_object_new_object(), *files = json_object_new_array();
		json_object_object_add(o, "set", json_object_new_string(runs[r].set.name));
		json_object_object_add(o, "file", json_object_new_string(runs[r].set.file));
		json_object_object_add(o, "profile", json_object_new_string(runs[r].profile));
		json_object_object_add(o, "caps", json_object_new_string(runs[r].caps_spec));
		for (size_t f = 0; f < runs[r].set.n_files; f++)
			json_object_array_add(files, json_object_new_string(runs[r].set.files[f]));
		json_object_object_add(o, "files", files);
		json_object_object_add(o, "lines", json_object_new_int64((int64_t)runs[r].set.n_lines));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* --coverage: every probe has a line in every set, for every ABI and a
 * range of kernels; every line names a probe that exists. */
static int coverage(struct set_run *runs, size_t n_runs)
{
	static const char *const abis[] = { "x86_64", "i386", "aarch64", "arm", "ppc64le", "s390x" };
	static const char *const kernels[] = { "4.19", "5.4", "5.10", "5.15", "6.1", "6.6", "6.12", "6.18" };
	unsigned n = 0, failed = 0;

	printf("TAP version 13\n");
	for (size_t r = 0; r < n_runs; r++) {
		const struct expect_set *s = &runs[r].set;
		for (size_t i = 0; i < s->n_lines; i++)
			if (strcmp(s->lines[i].probe, "*") != 0 && !probe_known(s->lines[i].probe)) {
				printf("not ok %u coverage %s: %s:%d names '%s', which is no probe\n", ++n, s->name,
				       s->lines[i].file, s->lines[i].lineno, s->lines[i].probe);
				failed++;
			}
		for (size_t a = 0; a < sizeof(abis) / sizeof(abis[0]); a++) {
			char gaps[2048] = "";
			for (size_t p = 0; p < n_probes; p++)
				for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
					/* Compat programs as they run in practice: i386 on an
					 * x86_64 kernel, arm on an aarch64 one. */
					const char *arch = strcmp(abis[a], "i386") == 0	 ? "x86_64"
							   : strcmp(abis[a], "arm") == 0 ? "aarch64"
											 : abis[a];
					struct expect_env env = { .abi = abis[a],
								  .arch = arch,
								  .caps = runs[r].caps,
								  .backend = opt.backend };
					char unmet[256];
					kernel_version_parse(kernels[k], &env.kernel);
					if (!expect_find(s, probes[p].name, &env, unmet, sizeof(unmet)))
						snprintf(gaps + strlen(gaps), sizeof(gaps) - strlen(gaps), " %s@%s",
							 probes[p].name, kernels[k]);
				}
			if (gaps[0]) {
				printf("not ok %u coverage %s %s: no applicable line for%s\n", ++n, s->name, abis[a],
				       gaps);
				failed++;
			} else {
				printf("ok %u coverage %s %s: %zu probes on kernels 4.19 to 6.18\n", ++n, s->name,
				       abis[a], n_probes);
			}
		}
	}
	printf("1..%u\n", n);
	return failed ? 1 : 0;
}

/* The results go to FILE.tmp.PID and become FILE when the run ends: a run
 * that stops early leaves the previous file as it was, and two runs never
 * write into one file. */
static void finish_results(void)
{
	if (getpid() != opt.main_pid || opt.results_fd < 0)
		return;
	if (close(opt.results_fd) != 0 || rename(opt.results_tmp, opt.results_file) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, opt.results_file, strerror(errno));
		unlink(opt.results_tmp);
		fflush(stderr);
		_exit(1);
	}
	opt.results_fd = -1;
}

static void on_stop(int sig)
{
	if (getpid() == opt.main_pid && opt.results_fd >= 0)
		unlink(opt.results_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int open_results(void)
{
	struct sigaction stop = { .sa_handler = on_stop };

	opt.main_pid = getpid();
	snprintf(opt.results_tmp, sizeof(opt.results_tmp), "%s.tmp.%ld", opt.results_file, (long)opt.main_pid);
	opt.results_fd = open(opt.results_tmp, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
	if (opt.results_fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, opt.results_tmp, strerror(errno));
		return -1;
	}
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGHUP, &stop, NULL);
	atexit(finish_results);
	return 0;
}

int main(int argc, char **argv)
{
	static struct set_run runs[MAX_SETS];
	static char set_files[MAX_SETS][PATH_MAX];
	const char *env_dir;
	size_t n_sets = 0, n_runs = 0;
	bool want_coverage = false, want_header = false;
	char err[1024];
	struct utsname u;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--coverage") == 0) {
			want_coverage = true;
			continue;
		} else if (strcmp(a, "--header") == 0) {
			want_header = true;
			continue;
		} else if (a[0] != '-') {
			if (n_selection < MAX_PROBES)
				selection[n_selection++] = a;
			continue;
		}
		if (!v) {
			fprintf(stderr, "%s: %s needs a value\n", prog, a);
			return EXIT_USAGE;
		}
		i++;
		if (strcmp(a, "--set") == 0 && n_sets < MAX_SETS)
			snprintf(set_files[n_sets++], PATH_MAX, "%s", v);
		else if (strcmp(a, "--profile") == 0)
			opt.profile_override = v;
		else if (strcmp(a, "--caps") == 0)
			opt.caps_override = v;
		else if (strcmp(a, "--backend") == 0)
			opt.backend = v, opt.backend_given = true;
		else if (strcmp(a, "--observations") == 0)
			opt.observations_file = v;
		else if (strcmp(a, "--results") == 0)
			opt.results_file = v;
		else if (strcmp(a, "--time") == 0) {
			if (!probe_run_time(v)) {
				fprintf(stderr, "%s: --time takes " PROBE_RUN_TIME_FORMAT ", not '%s'\n", prog, v);
				return EXIT_USAGE;
			}
			opt.run_time = v;
		} else if (strcmp(a, "--timeout") == 0 && atoi(v) > 0)
			opt.timeout_ms = atoi(v);
		else {
			fprintf(stderr, "%s: unknown option or bad value: %s %s\n", prog, a, v);
			usage(stderr);
			return EXIT_USAGE;
		}
	}

	opt.run_time = probe_run_time(opt.run_time);
	env_dir = getenv("SECCOMP_SUITE_CASES");
	snprintf(opt.cases_dir, sizeof(opt.cases_dir), "%s", env_dir && *env_dir ? env_dir : SUITE_CASES_DIR);
	if (uname(&u) == 0) {
		snprintf(opt.kernel_release, sizeof(opt.kernel_release), "%s", u.release);
		snprintf(opt.arch, sizeof(opt.arch), "%s", u.machine);
	}
	opt.root = geteuid() == 0;

	probes = probe_table(&n_probes);
	if (!probes) {
		fprintf(stderr, "%s: internal error: no usable probe table in this program\n", prog);
		return 1;
	}
	for (size_t i = 0; i < n_selection; i++) {
		bool any = false;
		for (size_t p = 0; p < n_probes && !any; p++)
			any = probe_name_selects(probes[p].name, selection[i]);
		if (!any) {
			fprintf(stderr, "%s: no probe '%s' in this build\n", prog, selection[i]);
			return EXIT_USAGE;
		}
	}
	if (n_sets == 0) {
		n_sets = all_sets(set_files);
		if (n_sets == 0) {
			fprintf(stderr, "%s: %s: no .cases files\n", prog, opt.cases_dir);
			return 1;
		}
	}
	for (size_t i = 0; i < n_sets; i++) {
		struct set_run *run = &runs[n_runs];
		char path[PATH_MAX];
		set_path(set_files[i], path, sizeof(path));
		if (expect_set_load(path, &run->set, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return EXIT_BAD_PROFILE;
		}
		run->profile = opt.profile_override ? opt.profile_override : run->set.profile;
		snprintf(run->caps_spec, sizeof(run->caps_spec), "%s",
			 opt.caps_override ? opt.caps_override : run->set.caps);
		if (caps_parse(run->caps_spec, &run->caps, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: caps: %s\n", prog, run->set.file, err);
			return EXIT_USAGE;
		}
		n_runs++;
	}
	if (want_coverage)
		return coverage(runs, n_runs);
	if (want_header)
		return print_headers(runs, n_runs);

	/* Fail closed: a profile that cannot be read or compiled stops the
	 * run before any probe runs, with the file, the field and the reason.
	 * Compiled once here; every test of the set loads this filter. */
	for (size_t i = 0; i < n_runs; i++) {
		struct policy_opts popts = { .caps = runs[i].caps_spec, .prog_name = prog, .cache = true };
		char prefix[160];
		snprintf(prefix, sizeof(prefix), "%s: set %s", prog, runs[i].set.name);
		if (probe_policy_load(runs[i].profile, &popts, opt.timeout_ms, prefix, &runs[i].policy, err,
				      sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prefix, err);
			return EXIT_BAD_PROFILE;
		}
	}
	if (opt.observations_file && load_observations())
		return 1;
	/* The probes hold the set's capability set and need root to: a run
	 * that could only skip is not reported as a pass. */
	if (!opt.observations && !opt.root) {
		fprintf(stderr, "%s: not root: the probes cannot hold the sets' capability sets; run as root\n", prog);
		return KSFT_SKIP;
	}
	if (opt.results_file && open_results())
		return 1;

	for (size_t r = 0; r < n_runs; r++) {
		struct set_run *run = &runs[r];
		snprintf(run->fixture_name, sizeof(run->fixture_name), "%s", run->set.name);
		run->fixture.name = run->fixture_name;
		__register_fixture(&run->fixture);
		for (size_t p = 0; p < n_probes; p++) {
			struct case_test *t;
			if (!selected(probes[p].name))
				continue;
			t = calloc(1, sizeof(*t));
			if (!t)
				return 1;
			t->run = run;
			t->p = probes[p].p;
			snprintf(t->probe, sizeof(t->probe), "%s", probes[p].name);
			snprintf(t->name, sizeof(t->name), "%s.%s", run->set.name, probes[p].name);
			t->meta.name = t->probe;
			t->meta.fn = case_fn;
			t->meta.fixture = &run->fixture;
			t->meta.termsig = -1;
			/* Two probe runs (the sentinel rerun) and some slack. */
			t->meta.timeout = 30 + 2 * opt.timeout_ms / 1000;
			__register_test(&t->meta);
		}
	}
	return test_harness_run(argc, argv);
}
