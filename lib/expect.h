/* expect.h: expectation sets (cases/NAME.cases): reading them, choosing the
 * line that applies to a probe, and judging an observed verdict. */
#ifndef SECCOMP_SUITE_EXPECT_H
#define SECCOMP_SUITE_EXPECT_H

#include "profile.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct expect_line {
	char probe[64];	     /* "mount", "clone.newns" */
	char verdict[16];    /* a CONTRACT verdict name */
	char errno_spec[96]; /* "EPERM", "ENOTDIR|ENOENT", "0" (success),
				 * "-" (the kernel's own: one the probe documents),
				 * "*" (not asserted) */
	char condition[192]; /* "-", or conditions joined by "&" */
	char why[256];
	const char *file; /* the file the line came from (the set's, or an included one) */
	int lineno;
};

struct expect_set {
	char name[64]; /* the file name without .cases */
	char file[PATH_MAX];
	char profile[PATH_MAX];	 /* a bundled name, or a file (relative names are
				 * taken from the set's directory) */
	char caps[256];		 /* caps_parse() spec */
	char files[8][PATH_MAX]; /* the set's file and its includes */
	size_t n_files;
	struct expect_line *lines;
	size_t n_lines;
};

/* What the conditions are evaluated against. */
struct expect_env {
	const char *abi;  /* the probe's ABI: x86_64, i386, aarch64 */
	const char *arch; /* the kernel's architecture (uname -m): an i386
					 * probe runs on an x86_64 or an i686 kernel */
	struct kernel_version kernel;
	uint64_t caps;
	const char *backend; /* native, docker, runc, crun, podman */
};

/* 0, or -1 with "FILE:LINE: REASON" in err.  Every line is checked: verdict
 * and errno names, condition syntax. */
int expect_set_load(const char *file, struct expect_set *out, char *err, size_t err_size);
void expect_set_free(struct expect_set *set);

/* 1 the condition holds, 0 it does not (unmet gets the first failing
 * term), -1 bad syntax (unmet gets why). */
int expect_condition_holds(const char *condition, const struct expect_env *env, char *unmet, size_t unmet_size);

/* The first line for probe whose condition holds, or NULL.  When there is
 * none, unmet says why (no line at all, or each line's unmet term). */
const struct expect_line *expect_find(const struct expect_set *set, const char *probe, const struct expect_env *env,
				      char *unmet, size_t unmet_size);

/* Does any line name this probe? */
bool expect_mentions(const struct expect_set *set, const char *probe);

/* What a probe run showed (the probe contract line's fields). */
struct observation {
	char verdict[16];
	char errno_name[32]; /* "" when the call succeeded or was not made */
	char by[16];	     /* filter, kernel, "" */
	char reason[256];
};

struct probe; /* lib/probe.h */

/* Judges obs against line.  probe: the probe's table entry (its .unconfined
 * and .since are read; NULL when unknown), used when the line's errno is
 * "-", the kernel's own answer: on a kernel older than .since that is
 * ENOSYS alone, otherwise one of the answers .unconfined lists (ENOSYS only
 * where it is listed: a removed call, or "ENOSYS:CONFIG_X", see
 * lib/probe.h).  env: the kernel the observation was made on.  Returns true
 * on pass; otherwise why says expected versus observed. */
bool expect_judge(const struct expect_line *line, const struct observation *obs, const struct probe *probe,
		  const struct expect_env *env, char *why, size_t why_size);

#endif
