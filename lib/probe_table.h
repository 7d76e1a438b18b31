/* probe_table.h: the probes linked into a program, and the lines they report.
 *
 * Every probes/NAME.c puts its struct probe entries in the probe_table
 * section; a program links one probe object (build/<abi>/probes/NAME) or all
 * of them (probe-run, the cases runner).  This module is the one owner of
 *   - a probe's name ("clone.newns") and which names select it,
 *   - the errnos it documents for an unconfined run as root,
 *   - its contract line (DESIGN.md, Probe contract): --describe, the plain
 *     run, the run under a profile with its verdict and proof,
 *   - the context a results line carries when nothing judged it (run.sh
 *     probe: result "skip", or "fail" for an error),
 *   - loading a profile within a time limit.
 */
#ifndef SECCOMP_SUITE_PROBE_TABLE_H
#define SECCOMP_SUITE_PROBE_TABLE_H

#include "policy.h"
#include "probe.h"
#include "verdict.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#define PROBE_NAME_MAX 64

struct probe_ref {
	const struct probe *p;
	char name[PROBE_NAME_MAX]; /* "clone", "clone.newns" */
};

/* Every probe linked into this program, sorted by name as strcmp orders
 * them ("clone" < "clone.newns" < "clone3"); count set.  Built on first use;
 * NULL (count 0) when two entries share a name or a name is too long, with
 * the reason on stderr. */
const struct probe_ref *probe_table(size_t *count);
const struct probe_ref *probe_table_find(const char *name);

/* "clone.newns" into buf; returns buf. */
const char *probe_name(const struct probe *p, char *buf, size_t size);

/* Does sel select the probe named name: the name itself, or its syscall's
 * name ("clone" selects clone, clone.newns and clone.newuser). */
bool probe_name_selects(const char *name, const char *sel);

/* The errnos p documents for an unconfined run as root (.unconfined split at
 * commas), NULL-terminated in list (max entries including the NULL); the
 * strings live in store.  Returns how many. */
size_t probe_documented_errnos(const struct probe *p, char store[][32], const char **list, size_t max);

/* --describe and --list: {syscall, probe, nr, abi, unconfined, exits, since};
 * "probe" only for a variant unless always_name. */
struct json_object *probe_describe_json(const struct probe *p, bool always_name);

/* The plain run's line (no profile): the call's result, or "absent", or the
 * verdict of a filter around this process.  NULL when the run could not be
 * made (v->reason says why). */
struct json_object *probe_plain_json(const struct probe *p, const struct verdict_result *v);

/* The line under pol: the plain fields plus profile, caps, verdict, by,
 * proof, and data or reason where they apply. */
struct json_object *probe_verdict_json(const struct probe *p, const struct policy *pol, const struct verdict_result *v);

/* The line of a run that produced no verdict (a crashed worker). */
struct json_object *probe_error_json(const struct probe *p, const char *reason);

/* How the attribution was established, so a reader can check it; NULL for
 * an error. */
const char *probe_proof_of(const struct policy *pol, const struct verdict_result *v);

/* The context every results line carries (DESIGN.md, Results) for a line no
 * expectation judged: arch, kernel (this host's), profile (as the user
 * named it), backend "native", expected null, and result "skip", or "fail"
 * with the line's reason when its verdict is error. */
void probe_annotate_unjudged(struct json_object *o, const char *profile);

/* The run's stamp on a results line (docs/design.md, Results): "suite" (the
 * caller's version, from commands/version.sh at build time), "host" (this
 * host's name) and "time" (run_time, from probe_run_time).  keep: a line
 * that already has host or time (an observation made elsewhere) keeps them. */
void probe_stamp_run(struct json_object *o, const char *suite, const char *run_time, bool keep);

/* The run's one time, RFC 3339 UTC (2026-11-30T14:07:16Z): given when the
 * caller has one for a whole run (run.sh --time), else this program's first
 * call's time.  NULL when given is not such a time. */
const char *probe_run_time(const char *given);
/* What --time takes, for the refusal of every program that reads it:
 * "PROG: --time takes " PROBE_RUN_TIME_FORMAT ", not 'VALUE'". */
#define PROBE_RUN_TIME_FORMAT "an RFC 3339 UTC time (2026-11-30T14:07:16Z)"

/* The line as one line of text with its newline, malloc'd (NULL: no memory). */
char *probe_json_line(struct json_object *o);

/* policy_load within timeout_ms: a profile whose reading or compiling takes
 * longer stops the program with exit status 2 (nothing ran) and
 * "PREFIX: PROFILE: reading and compiling the profile took longer than --timeout (MS ms);
 * nothing ran" on stderr (prefix NULL: from PROFILE on).  0, or -1 with the
 * loader's message in err. */
int probe_policy_load(const char *profile, const struct policy_opts *opts, int timeout_ms, const char *prefix,
		      struct policy *out, char *err, size_t err_size);

#endif
