/* probe_main.c: the main() of every probe program (DESIGN.md, Probe contract).
 *
 *   PROBE                      the syscall once, unconfined; one JSON line
 *   PROBE --profile FILE|NAME  the same under the profile, plus the verdict
 *   PROBE --describe           what the program probes, as JSON
 */
#define _GNU_SOURCE
#include "policy.h"
#include "policy_names.h"
#include "probe.h"
#include "probe_table.h"
#include "verdict.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_VERDICT_ERROR 3 /* the line says verdict "error" */
#define EXIT_BAD_PROFILE 2   /* nothing ran */
#define EXIT_USAGE 64

/* "clone.newns": which entry of the table this program is (set at link time). */
extern const char probe_selected[];

static const char *prog = "probe";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--profile FILE|NAME] [--caps SET] [--timeout MS] [--verbose]\n"
		"       %s --describe\n"
		"Performs one syscall through syscall(2) in a child and prints one JSON line.\n"
		"  --profile FILE|NAME  load that Docker/OCI profile right before the call and add\n"
		"                       the verdict (allowed, errno, killed, trapped, notified,\n"
		"                       traced, absent, error) and who decided it (filter, kernel).\n",
		prog, prog);
	policy_print_bundled_names(f, "                       Names:", "                       ", NULL, 79);
	fprintf(f, "  --caps SET           capability set for includes/excludes and for the child\n"
		   "                       (docker-default|all|none|CAP_A,CAP_B; default docker-default)\n"
		   "  --timeout MS         bound reading and compiling the profile (exit 2), and\n"
		   "                       kill a child that runs longer (default 5000)\n"
		   "  --verbose            list every syscall name the profile's filter skips\n"
		   "  --describe           print the probe's syscall, number, ABI and the errno\n"
		   "                       the kernel gives it unconfined as root\n");
}

static void print_line(struct json_object *o)
{
	char *line = probe_json_line(o);

	if (line)
		fputs(line, stdout);
	fflush(stdout);
	free(line);
	json_object_put(o);
}

int main(int argc, char **argv)
{
	const char *profile = NULL, *caps = NULL;
	int timeout_ms = 5000;
	bool verbose = false;
	const struct probe_ref *ref;
	struct policy pol;
	struct verdict_result v;
	struct json_object *o;
	char err[2048];

	prog = probe_selected;
	/* A caller that ignores SIGCHLD would make the child unwaitable. */
	signal(SIGCHLD, SIG_DFL);
	ref = probe_table_find(probe_selected);
	if (!ref) {
		fprintf(stderr, "%s: internal error: no probe named %s in this program\n", prog, probe_selected);
		return 70;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			profile = argv[++i];
		else if (strcmp(argv[i], "--caps") == 0 && i + 1 < argc)
			caps = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout_ms = atoi(argv[++i]);
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = true;
		else if (strcmp(argv[i], "--describe") == 0) {
			print_line(probe_describe_json(ref->p, false));
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown or incomplete option '%s'\n", prog, argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (timeout_ms <= 0) {
		fprintf(stderr, "%s: --timeout takes a positive number of milliseconds\n", prog);
		return EXIT_USAGE;
	}
	if (caps && !profile) {
		fprintf(stderr, "%s: --caps goes with --profile\n", prog);
		return EXIT_USAGE;
	}

	if (!profile) {
		/* The contract's plain run: unconfined, no capability change. */
		memset(&pol, 0, sizeof(pol));
		pol.unconfined = true;
		verdict_of(ref->p, &pol, timeout_ms, &v);
		o = probe_plain_json(ref->p, &v);
		if (!o) {
			fprintf(stderr, "%s: %s\n", prog, v.reason);
			return EXIT_VERDICT_ERROR;
		}
		print_line(o);
		return 0;
	}

	struct policy_opts opts = { .caps = caps, .verbose_warnings = verbose, .prog_name = prog, .cache = true };
	if (probe_policy_load(profile, &opts, timeout_ms, prog, &pol, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return EXIT_BAD_PROFILE;
	}
	verdict_of(ref->p, &pol, timeout_ms, &v);
	print_line(probe_verdict_json(ref->p, &pol, &v));
	policy_free(&pol);
	if (v.verdict == VERDICT_ERROR) {
		fprintf(stderr, "%s: %s\n", prog, v.reason);
		return EXIT_VERDICT_ERROR;
	}
	return 0;
}
