/* scsurface: the whole decision surface of a profile (lib/surface.h).
 *
 *   scsurface [--profile FILE|NAME] [--caps SET] [--abi A] [--source S]
 *             [--json] [--out FILE] [--verbose]
 *   scsurface --check [--profile FILE|NAME] [--caps SET] [--json]
 *   scsurface --diff A B [--caps SET] [--abi A] [--json]
 */
#define _GNU_SOURCE
#include "surface.h"

#include "caps.h"
#include "policy_names.h"

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define EXIT_FOUND 1   /* sources disagree, surfaces differ, rules miscompiled */
#define EXIT_PROFILE 2 /* the profile (or a surface file) was refused: nothing ran */
#define EXIT_SOURCE 3  /* a source asked for could not run at all */
#define EXIT_USAGE 64
#define HOLD_SECONDS 900 /* --hold's default: longer than any run's 600 s timeout */

static const char *prog = "scsurface";

static const char *prog_name_of(void)
{
	return prog;
}

static void kernel_of(struct surface *s)
{
	struct utsname u;
	if (uname(&u) == 0) {
		snprintf(s->kernel, sizeof(s->kernel), "%s", u.release);
		kernel_version_parse(u.release, &s->kver);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: scsurface [OPTIONS]\n"
		"       scsurface --check [--profile FILE|NAME] [--caps SET] [--json]\n"
		"       scsurface --diff A B [--caps SET] [--abi A] [--json]\n"
		"The whole decision surface of a seccomp profile: for every ABI of this host\n"
		"and every syscall number 0-%d (x32: with __X32_SYSCALL_BIT), the filter's\n"
		"action, and where it depends on the arguments, every path with an argument\n"
		"vector on each side of each comparison.\n",
		SURFACE_NR_COUNT - 1);
	policy_print_bundled_names(f, "  --profile FILE|NAME  a Docker/OCI profile file, or", "                       ",
				   "docker-default", 79);
	fprintf(f,
		"  --caps SET           capability set for includes/excludes and held by the\n"
		"                       live child (default docker-default)\n"
		"  --abi A              one ABI only: x86_64, i386, x32 (default: all)\n"
		"  --source S           static (the compiled filter), live (every call made,\n"
		"                       harmlessly), or both (default), which must agree\n"
		"  --json               JSON Lines, one object per (abi, nr), on stdout\n"
		"  --out FILE           also write the JSON Lines to FILE (atomically)\n"
		"  --timeout MS         a live call unanswered this long is an error (5000)\n"
		"  --verbose            print an argument vector under each condition\n"
		"  --live-sentinel      self-test of the comparison: the live child loads the\n"
		"                       sentinel copy of the filter (every ERRNO returns 4000),\n"
		"                       so every errno number must be reported as disagreeing\n"
		"  --check              the profile-meaning check only: rules the compiled\n"
		"                       filter does not implement (lint class miscompiled)\n"
		"  --diff A B           A and B: profiles or saved surface files (--out);\n"
		"                       every (abi, nr, condition) whose action differs\n"
		"Runtime backends (commands/surface_backend.sh drives these):\n"
		"  --pid PID            the static source from the filters process PID really\n"
		"                       has (ptrace PTRACE_SECCOMP_GET_FILTER: root, a kernel\n"
		"                       with CONFIG_CHECKPOINT_RESTORE); with --profile, the\n"
		"                       profile-meaning check runs on that filter\n"
		"  --inherit            the live source under this process's own filters (run\n"
		"                       inside the container): no profile loaded\n"
		"  --live-with FILE|-   with --inherit: the calls and static source of a saved\n"
		"                       surface (--pid --json), compared with the live calls\n"
		"  --backend NAME       the label of the results' backend field\n"
		"  --hold [SECONDS]     do nothing until killed or SECONDS passed (default %d;\n"
		"                       a container's holder process)\n"
		"  --show FILE          print a saved surface (table, or --json)\n"
		"Exit status: 0 done (sources agree; no difference; nothing miscompiled);\n"
		"1 the sources disagree, the surfaces differ, or a rule is miscompiled;\n"
		"2 a profile or surface file was refused (nothing ran); 3 a source could\n"
		"not run at all; 64 usage.\n",
		HOLD_SECONDS);
}

struct opts {
	const char *profile, *caps, *abi, *source, *out, *diff_a, *diff_b, *backend, *live_with, *show;
	bool json, verbose, check, live_sentinel, profile_given, inherit, hold;
	long hold_seconds;
	pid_t pid;
	int timeout_ms;
};

static int write_out(const struct surface *s, const char *path, char *err, size_t err_size)
{
	char tmp[4096], dir[4096];
	FILE *f;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir), basename((char *)(uintptr_t)path));
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fchmod(fd, 0644);
	surface_write_json(f, s);
	if (fflush(f) || fsync(fd) || fclose(f) || rename(tmp, path)) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The ABIs asked for: one, or all of the host's. */
static int select_abis(const char *name, const struct surface_abi **out, size_t *n)
{
	size_t nh;
	const struct surface_abi *host = surface_host_abis(&nh);

	if (!name) {
		for (size_t i = 0; i < nh; i++)
			out[i] = &host[i];
		*n = nh;
		return 0;
	}
	out[0] = surface_abi_by_name(name);
	if (!out[0]) {
		fprintf(stderr, "%s: --abi %s: not an ABI of this host (", prog, name);
		for (size_t i = 0; i < nh; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", host[i].name);
		fprintf(stderr, ")\n");
		return -1;
	}
	*n = 1;
	return 0;
}

/* A saved surface: a file whose first line is an object with "abi". */
static bool is_surface_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[256];
	bool yes = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		yes = buf[0] == '{' && strncmp(buf, "{\"abi\":", 7) == 0;
	fclose(f);
	return yes;
}

/* One side of --diff: a saved surface, or a profile's static surface. */
static int load_side(const char *arg, const struct opts *o, const struct surface_abi *const *abis, size_t n_abis,
		     struct surface *s, char *err, size_t err_size)
{
	struct policy pol;
	struct policy_opts popts = { .caps = o->caps, .prog_name = prog };

	if (is_surface_file(arg))
		return surface_read_json(arg, s, err, err_size);
	if (policy_load(arg, &popts, &pol, err, err_size))
		return -1;
	int rc = surface_init(s, &pol, err, err_size) || surface_static(s, abis, n_abis, err, err_size) ? -1 : 0;
	policy_free(&pol);
	return rc;
}

static int run_diff(const struct opts *o, const struct surface_abi *const *abis, size_t n_abis)
{
	struct surface a, b;
	char err[4096];

	if (load_side(o->diff_a, o, abis, n_abis, &a, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return EXIT_PROFILE;
	}
	if (load_side(o->diff_b, o, abis, n_abis, &b, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		surface_free(&a);
		return EXIT_PROFILE;
	}
	unsigned n = surface_diff(stdout, &a, &b, o->json);
	surface_free(&a);
	surface_free(&b);
	return n ? EXIT_FOUND : 0;
}

struct findings {
	struct surface *s; /* attach to its points; NULL: print */
	const char *profile;
	bool json;
	unsigned n, unattached;
};

static void print_finding(const char *profile, const struct surface_finding *f, bool json)
{
	char e[64], a[64];

	bpf_describe_ret(f->expected, e, sizeof(e));
	bpf_describe_ret(f->actual, a, sizeof(a));
	if (json) {
		printf("{\"profile\":\"%s\",\"class\":\"miscompiled\",\"rule\":\"%s\",\"syscall\":\"%s\",\"abi\":\"%s\",\"nr\":%u,\"args\":[",
		       profile, f->rule, f->syscall, f->abi, f->nr);
		for (unsigned i = 0; i < 6; i++)
			printf("%s\"0x%llx\"", i ? "," : "", (unsigned long long)f->args[i]);
		printf("],\"expected\":\"%s\",\"actual\":\"%s\",\"why\":\"%s\"}\n", e, a, f->why);
		return;
	}
	printf("miscompiled %s %s on %s (nr %u) args (", f->rule, f->syscall, f->abi, f->nr);
	for (unsigned i = 0; i < 6; i++)
		printf("%s0x%llx", i ? ", " : "", (unsigned long long)f->args[i]);
	printf("): %s; the compiled filter returns %s\n", f->why, a);
}

static void on_finding(void *data, const struct surface_finding *f)
{
	struct findings *fs = data;

	fs->n++;
	if (fs->s) {
		for (size_t i = 0; i < fs->s->n_points; i++) {
			struct surface_point *p = &fs->s->points[i];
			if (p->nr != f->nr || strcmp(p->abi->name, f->abi))
				continue;
			struct surface_finding *n = realloc(p->findings, (p->n_findings + 1) * sizeof(*n));
			if (!n)
				break;
			p->findings = n;
			p->findings[p->n_findings++] = *f;
			return;
		}
		fs->unattached++;
		if (fs->json)
			return;
	}
	print_finding(fs->profile, f, fs->json);
}

/* The profile-meaning check on the surface's points (prog: a filter read
 * back from a process, or NULL for the suite's own compilation). */
static int check_into(struct surface *s, const struct opts *o, const struct sock_fprog *prog)
{
	struct policy_opts copts = { .caps = o->caps, .prog_name = prog_name_of() };
	struct findings fs = { .s = s, .profile = o->profile, .json = o->json };
	char err[4096];

	if (surface_check_profile(o->profile, &copts, prog, on_finding, &fs, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name_of(), err);
		return EXIT_SOURCE;
	}
	if (fs.n) {
		fprintf(stderr,
			"%s: %u finding%s: rules of the profile the %s filter does not implement (miscompiled%s)\n",
			prog_name_of(), fs.n, fs.n == 1 ? "" : "s", prog ? "installed" : "compiled",
			fs.unattached ? ", some on ABIs not surveyed here" : "");
		return EXIT_FOUND;
	}
	return 0;
}

/* Disagreements, --out, the output; the exit status. */
static int finish(struct surface *s, const struct opts *o, int rc)
{
	char err[4096];
	unsigned findings = 0;

	for (size_t i = 0; i < s->n_points; i++)
		findings += s->points[i].n_findings;
	if (findings && rc == 0)
		rc = EXIT_FOUND;

	if (surface_disagreements(s)) {
		fprintf(stderr, "%s: the static and live sources disagree on %u calls (marked in the output)\n",
			prog_name_of(), surface_disagreements(s));
		rc = rc == EXIT_SOURCE ? rc : EXIT_FOUND;
	}
	if (o->out && write_out(s, o->out, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog_name_of(), err);
		rc = EXIT_SOURCE;
	}
	if (o->json)
		surface_write_json(stdout, s);
	else
		surface_write_table(stdout, s, o->verbose);
	surface_free(s);
	return rc;
}

/* A container's holder: stays until killed or until SECONDS have passed,
 * then exits 0, so that a holder whose runner was interrupted before it
 * removed the container does not stay for ever (PID 1 of its container
 * ignores SIGTERM).  Signals that interrupt the sleep do not shorten it.  A
 * filter that denies the sleep leaves pause(): killed only, as before. */
static __attribute__((noreturn)) void hold(long seconds)
{
	struct timespec end;
	if (clock_gettime(CLOCK_MONOTONIC, &end) == 0) {
		end.tv_sec += seconds;
		for (;;) {
			int e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL);
			if (e == 0)
				_exit(0);
			if (e != EINTR)
				break;
		}
	}
	for (;;)
		pause();
}

/* --pid: the static surface of the filters a process has (a container's,
 * as its runtime installed them). */
static int run_pid(const struct opts *o, const struct surface_abi *const *abis, size_t n_abis)
{
	struct surface s;
	struct policy pol;
	struct policy_opts popts = { .caps = o->caps, .prog_name = prog_name_of() };
	char err[4096];
	bool profile_given = o->profile_given;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	if (profile_given && policy_load(o->profile, &popts, &pol, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog_name_of(), err);
		return EXIT_PROFILE;
	}
	if (surface_read_pid(o->pid, &s, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog_name_of(), err);
		if (profile_given)
			policy_free(&pol);
		return EXIT_SOURCE;
	}
	snprintf(s.profile, sizeof(s.profile), "%s", profile_given ? o->profile : "");
	if (!profile_given)
		snprintf(s.profile, sizeof(s.profile), "pid %d", (int)o->pid);
	snprintf(s.file, sizeof(s.file), "%s", profile_given ? pol.file : "");
	if (profile_given)
		caps_format(pol.caps, s.caps, sizeof(s.caps));
	snprintf(s.backend, sizeof(s.backend), "%s", o->backend ? o->backend : "process");
	kernel_of(&s);
	if (surface_static(&s, abis, n_abis, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog_name_of(), err);
		surface_free(&s);
		return EXIT_SOURCE;
	}
	if (profile_given && !pol.unconfined && s.n_progs == 1)
		rc = check_into(&s, o, &s.progs[0]);
	else if (profile_given && s.n_progs > 1)
		fprintf(stderr, "%s: pid %d has %u stacked filters: the profile-meaning check needs one\n",
			prog_name_of(), (int)o->pid, s.n_progs);
	if (profile_given)
		policy_free(&pol);
	snprintf(
		s.live_note, sizeof(s.live_note),
		"%u filter%s read back from pid %d with PTRACE_SECCOMP_GET_FILTER; the live source runs inside the process's own filters (--inherit)",
		s.n_progs, s.n_progs == 1 ? "" : "s", (int)o->pid);
	return finish(&s, o, rc);
}

/* --inherit: the live source under this process's own filters (inside a
 * container), with the calls and the static source of a saved surface. */
static int run_inherit(const struct opts *o, const struct surface_abi *const *abis, size_t n_abis)
{
	struct surface s;
	struct policy pol;
	char err[4096];
	int rc = 0;

	memset(&pol, 0, sizeof(pol));
	pol.unconfined = true; /* no filter of the suite's own but the catch-all */
	if (o->live_with) {
		if (surface_read_json(strcmp(o->live_with, "-") ? o->live_with : "/dev/stdin", &s, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog_name_of(), err);
			return EXIT_PROFILE;
		}
	} else {
		memset(&s, 0, sizeof(s));
		snprintf(s.profile, sizeof(s.profile), "inherited");
		kernel_of(&s);
		if (surface_static(&s, abis, n_abis, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog_name_of(), err);
			return EXIT_SOURCE;
		}
		surface_forget_static(&s);
	}
	if (o->backend)
		snprintf(s.backend, sizeof(s.backend), "%s", o->backend);
	/* Only what this run sees counts as live. */
	for (size_t i = 0; i < s.n_points; i++) {
		memset(&s.points[i].live, 0, sizeof(s.points[i].live));
		for (unsigned c = 0; c < s.points[i].n_conds; c++)
			memset(&s.points[i].conds[c].live, 0, sizeof(s.points[i].conds[c].live));
	}
	s.have_live = false;
	s.inherit = true;
	if (surface_live(&s, &pol, o->timeout_ms, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog_name_of(), s.live_note);
		rc = EXIT_SOURCE;
	}
	return finish(&s, o, rc);
}

int main(int argc, char **argv)
{
	struct opts o = {
		.profile = "docker-default", .source = "both", .timeout_ms = 5000, .hold_seconds = HOLD_SECONDS
	};
	char err[4096];

	signal(SIGCHLD, SIG_DFL);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--profile") == 0 && i + 1 < argc) {
			o.profile = argv[++i];
			o.profile_given = true;
		} else if (strcmp(a, "--pid") == 0 && i + 1 < argc) {
			o.pid = (pid_t)atoi(argv[++i]);
			if (o.pid <= 0) {
				fprintf(stderr, "%s: --pid takes a process id\n", prog);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--backend") == 0 && i + 1 < argc)
			o.backend = argv[++i];
		else if (strcmp(a, "--live-with") == 0 && i + 1 < argc)
			o.live_with = argv[++i];
		else if (strcmp(a, "--inherit") == 0)
			o.inherit = true;
		else if (strcmp(a, "--show") == 0 && i + 1 < argc)
			o.show = argv[++i];
		else if (strcmp(a, "--hold") == 0) {
			o.hold = true;
			/* An optional number of seconds (default HOLD_SECONDS). */
			if (i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9') {
				char *end;
				errno = 0;
				long v = strtol(argv[++i], &end, 10);
				if (*end || errno || v <= 0 || v > 86400 * 365) {
					fprintf(stderr, "%s: --hold takes a number of seconds (1 or more)\n", prog);
					return EXIT_USAGE;
				}
				o.hold_seconds = v;
			}
		} else if (strcmp(a, "--caps") == 0 && i + 1 < argc)
			o.caps = argv[++i];
		else if (strcmp(a, "--abi") == 0 && i + 1 < argc)
			o.abi = argv[++i];
		else if (strcmp(a, "--source") == 0 && i + 1 < argc)
			o.source = argv[++i];
		else if (strcmp(a, "--out") == 0 && i + 1 < argc)
			o.out = argv[++i];
		else if (strcmp(a, "--timeout") == 0 && i + 1 < argc)
			o.timeout_ms = atoi(argv[++i]);
		else if (strcmp(a, "--json") == 0)
			o.json = true;
		else if (strcmp(a, "--verbose") == 0)
			o.verbose = true;
		else if (strcmp(a, "--live-sentinel") == 0)
			o.live_sentinel = true;
		else if (strcmp(a, "--check") == 0)
			o.check = true;
		else if (strcmp(a, "--diff") == 0 && i + 2 < argc) {
			o.diff_a = argv[++i];
			o.diff_b = argv[++i];
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown or incomplete option '%s'\n", prog, a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	bool want_static = !strcmp(o.source, "static") || !strcmp(o.source, "both");
	bool want_live = !strcmp(o.source, "live") || !strcmp(o.source, "both");
	if (!want_static && !want_live) {
		fprintf(stderr, "%s: --source takes static, live or both\n", prog);
		return EXIT_USAGE;
	}
	if (o.timeout_ms <= 0) {
		fprintf(stderr, "%s: --timeout takes a positive number of milliseconds\n", prog);
		return EXIT_USAGE;
	}
	const struct surface_abi *abis[8];
	size_t n_abis;
	if (select_abis(o.abi, abis, &n_abis))
		return EXIT_USAGE;

	if (o.diff_a)
		return run_diff(&o, abis, n_abis);
	if (o.check) {
		struct policy_opts copts = { .caps = o.caps, .prog_name = prog };
		struct findings fs = { .profile = o.profile, .json = o.json };
		int n = surface_check_profile(o.profile, &copts, NULL, on_finding, &fs, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return EXIT_PROFILE;
		}
		if (!o.json)
			printf("%s: %d finding%s: rules the compiled filter does not implement\n", o.profile, n,
			       n == 1 ? "" : "s");
		return n ? EXIT_FOUND : 0;
	}

	if (o.hold)
		hold(o.hold_seconds);
	if (o.show) {
		struct surface s;
		if (surface_read_json(o.show, &s, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return EXIT_PROFILE;
		}
		return finish(&s, &o, 0);
	}
	if (o.pid)
		return run_pid(&o, abis, n_abis);
	if (o.inherit)
		return run_inherit(&o, abis, n_abis);

	struct policy pol;
	struct policy_opts popts = { .caps = o.caps, .prog_name = prog };
	if (policy_load(o.profile, &popts, &pol, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return EXIT_PROFILE;
	}
	struct surface s;
	if (surface_init(&s, &pol, err, sizeof(err)) || surface_static(&s, abis, n_abis, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		policy_free(&pol);
		return EXIT_SOURCE;
	}
	int rc = 0;
	if (want_static)
		rc = check_into(&s, &o, NULL);
	if (want_live) {
		if (!want_static)
			surface_forget_static(&s);
		struct policy live_pol = pol;
		if (o.live_sentinel && !pol.unconfined)
			live_pol.prog = pol.sentinel;
		if (surface_live(&s, &live_pol, o.timeout_ms, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog, s.live_note);
			if (!want_static) {
				surface_free(&s);
				policy_free(&pol);
				return EXIT_SOURCE;
			}
			rc = EXIT_SOURCE;
		}
	}
	rc = finish(&s, &o, rc);
	policy_free(&pol);
	return rc;
}
