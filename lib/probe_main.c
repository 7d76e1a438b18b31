/* probe_main.c: the main() of every probe program (DESIGN.md, Probe contract).
 *
 *   PROBE                      the syscall once, unconfined; one JSON line
 *   PROBE --profile FILE|NAME  the same under the profile, plus the verdict
 *   PROBE --describe           what the program probes, as JSON
 */
#define _GNU_SOURCE
#include "abi.h"
#include "caps.h"
#include "policy.h"
#include "probe.h"
#include "verdict.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_VERDICT_ERROR 3	/* the line says verdict "error" */
#define EXIT_BAD_PROFILE 2	/* nothing ran */
#define EXIT_USAGE 64

extern const struct probe __start_probe_table[], __stop_probe_table[];
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
		"                       traced, absent, error) and who decided it (filter, kernel).\n"
		"                       Names: docker-default, unconfined, restrictive, no-network.\n"
		"  --caps SET           capability set for includes/excludes and for the child\n"
		"                       (docker-default|all|none|CAP_A,CAP_B; default docker-default)\n"
		"  --timeout MS         kill a child that runs longer (default 5000)\n"
		"  --verbose            list every syscall name the profile's filter skips\n"
		"  --describe           print the probe's syscall, number, ABI and the errno\n"
		"                       the kernel gives it unconfined as root\n",
		prog, prog);
}

static const struct probe *selected_probe(void)
{
	for (const struct probe *p = __start_probe_table; p < __stop_probe_table; p++) {
		char name[128];
		snprintf(name, sizeof(name), "%s%s%s", p->syscall, p->variant ? "." : "",
			 p->variant ? p->variant : "");
		if (strcmp(name, probe_selected) == 0)
			return p;
	}
	return NULL;
}

static struct json_object *errno_name_json(int e)
{
	const char *n = e ? strerrorname_np(e) : NULL;
	return n ? json_object_new_string(n) : NULL;
}

static struct json_object *base_line(const struct probe *p)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "syscall", json_object_new_string(p->syscall));
	if (p->variant)
		json_object_object_add(o, "probe", json_object_new_string(probe_selected));
	json_object_object_add(o, "nr", p->nr == PROBE_ABSENT_NR ? NULL : json_object_new_int64(p->nr));
	json_object_object_add(o, "abi", json_object_new_string(ABI_NAME));
	return o;
}

static void add_result(struct json_object *o, bool absent, long ret, int err)
{
	json_object_object_add(o, "ret", absent ? NULL : json_object_new_int64(ret));
	json_object_object_add(o, "errno", absent ? NULL : json_object_new_int(err));
	json_object_object_add(o, "errno_name", absent ? NULL : errno_name_json(err));
}

static void print_line(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
}

static int describe(const struct probe *p)
{
	struct json_object *o = base_line(p), *list = NULL;

	if (p->unconfined) {
		char buf[256], *save = NULL;
		list = json_object_new_array();
		snprintf(buf, sizeof(buf), "%s", p->unconfined);
		for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_object_array_add(list, json_object_new_string(t));
	}
	json_object_object_add(o, "unconfined", list);
	json_object_object_add(o, "since", p->since ? json_object_new_string(p->since) : NULL);
	json_object_object_add(o, "exits", json_object_new_boolean(p->flags & PROBE_EXITS));
	print_line(o);
	return 0;
}

/* How the attribution was established, so a reader can check it. */
static const char *proof_of(const struct policy *pol, const struct verdict_result *v)
{
	switch (v->verdict) {
	case VERDICT_KILLED: return "SIGSYS death at the call";
	case VERDICT_TRAPPED: return "SIGSYS with si_code SYS_SECCOMP for the call";
	case VERDICT_NOTIFIED: return "the suite's supervisor received the notification";
	case VERDICT_TRACED: return "the suite's tracer saw PTRACE_EVENT_SECCOMP";
	case VERDICT_ABSENT: return "no such syscall on this ABI";
	case VERDICT_ERROR: return NULL;
	case VERDICT_ERRNO: return "sentinel rerun returned the sentinel errno";
	case VERDICT_ALLOWED: break;
	}
	if (pol->unconfined)
		return "no filter loaded";
	if (v->sentinel_checked)
		return "sentinel rerun returned the same result";
	return "the filter cannot return this result";
}

int main(int argc, char **argv)
{
	const char *profile = NULL, *caps = NULL;
	int timeout_ms = 5000;
	bool verbose = false;
	const struct probe *p;
	struct policy pol;
	struct verdict_result v;
	char err[2048];

	prog = probe_selected;
	/* A caller that ignores SIGCHLD would make the child unwaitable. */
	signal(SIGCHLD, SIG_DFL);
	p = selected_probe();
	if (!p) {
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
		else if (strcmp(argv[i], "--describe") == 0)
			return describe(p);
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
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
	} else {
		struct policy_opts opts = { .caps = caps, .verbose_warnings = verbose, .prog_name = prog };
		if (policy_load(profile, &opts, &pol, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return EXIT_BAD_PROFILE;
		}
	}

	verdict_of(p, &pol, timeout_ms, &v);
	struct json_object *o = base_line(p);
	if (!profile) {
		if (v.verdict == VERDICT_ABSENT) {
			add_result(o, true, 0, 0);
			json_object_object_add(o, "verdict", json_object_new_string("absent"));
		} else if (v.verdict == VERDICT_ERROR) {
			fprintf(stderr, "%s: %s\n", prog, v.reason);
			json_object_put(o);
			return EXIT_VERDICT_ERROR;
		} else if (v.verdict == VERDICT_ALLOWED) {
			add_result(o, false, v.ret, v.err);
		} else {
			/* No filter of ours, yet the call did not return: a filter
			 * around this process (a container runtime's) decided. */
			add_result(o, true, 0, 0);
			json_object_object_add(o, "verdict", json_object_new_string(verdict_name(v.verdict)));
			json_object_object_add(o, "by", json_object_new_string("filter"));
		}
		print_line(o);
		return 0;
	}

	bool returned = v.verdict == VERDICT_ALLOWED || v.verdict == VERDICT_ERRNO;
	add_result(o, !returned, v.ret, v.err);
	json_object_object_add(o, "profile", json_object_new_string(pol.name));
	char capbuf[1024];
	caps_format(pol.caps, capbuf, sizeof(capbuf));
	json_object_object_add(o, "caps", json_object_new_string(capbuf));
	json_object_object_add(o, "verdict", json_object_new_string(verdict_name(v.verdict)));
	json_object_object_add(o, "by", v.by ? json_object_new_string(v.by) : NULL);
	const char *proof = proof_of(&pol, &v);
	if (proof)
		json_object_object_add(o, "proof", json_object_new_string(proof));
	if (v.verdict == VERDICT_TRAPPED || v.verdict == VERDICT_TRACED)
		json_object_object_add(o, "data", json_object_new_int(v.data));
	if (v.verdict == VERDICT_ERROR)
		json_object_object_add(o, "reason", json_object_new_string(v.reason));
	print_line(o);
	policy_free(&pol);
	if (v.verdict == VERDICT_ERROR) {
		fprintf(stderr, "%s: %s\n", prog, v.reason);
		return EXIT_VERDICT_ERROR;
	}
	return 0;
}
