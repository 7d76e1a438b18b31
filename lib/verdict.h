/* verdict.h: running a probe's syscall in a child under a filter, and
 * deciding what happened and who decided it. */
#ifndef SECCOMP_SUITE_VERDICT_H
#define SECCOMP_SUITE_VERDICT_H

#include "policy.h"
#include "probe.h"

#include <stdbool.h>

/* What one child run showed. */
enum outcome_kind {
	OUTCOME_RETURNED, /* the call returned ret / err */
	OUTCOME_KILLED,	  /* died of SIGSYS at the call */
	OUTCOME_TRAPPED,  /* SIGSYS delivered to the handler (si_code SYS_SECCOMP) */
	OUTCOME_NOTIFIED, /* the supervisor received a USER_NOTIF for the call */
	OUTCOME_TRACED,	  /* the tracer saw PTRACE_EVENT_SECCOMP for the call */
	OUTCOME_ERROR,	  /* could not tell: reason says why */
};

struct outcome {
	enum outcome_kind kind;
	long ret;
	int err;
	int data;	/* SECCOMP_RET_DATA of a trap or trace */
	bool have_args; /* a notified call: the arguments the kernel saw */
	unsigned long long args[6];
	char reason[256];
};

/* The CONTRACT verdict names (DESIGN.md). */
enum verdict {
	VERDICT_ALLOWED,
	VERDICT_ERRNO,
	VERDICT_KILLED,
	VERDICT_TRAPPED,
	VERDICT_NOTIFIED,
	VERDICT_TRACED,
	VERDICT_ABSENT,
	VERDICT_ERROR,
};

struct verdict_result {
	enum verdict verdict;
	const char *by; /* "filter", "kernel", or NULL for error */
	long ret;
	int err; /* errno; 0 when the call succeeded */
	int data;
	bool have_args; /* notified: args are the call's as the kernel saw them */
	unsigned long long args[6];
	bool sentinel_checked; /* attribution proven by a sentinel rerun */
	char reason[256];
};

const char *verdict_name(enum verdict v);

/* One child: optional capability drop (caps != NULL), optional filter
 * (prog != NULL; the probe's syscall is the first after the load), a
 * tracer and a supervisor when the filter can TRACE or NOTIFY.  The child
 * is always reaped; a run longer than timeout_ms is killed and reported as
 * OUTCOME_ERROR. */
struct run_spec {
	const struct sock_fprog *prog;
	unsigned load_flags;
	bool trace, notify;
	const uint64_t *caps;
	int timeout_ms;
};
void probe_execute(const struct probe *p, const struct run_spec *spec, struct outcome *out);

/* The verdict of p under policy: runs the child, and when the call
 * returned something the filter could have produced, runs it again under
 * the sentinel filter to prove whether the filter or the kernel decided. */
void verdict_of(const struct probe *p, const struct policy *policy, int timeout_ms, struct verdict_result *out);

#endif
