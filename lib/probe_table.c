/* probe_table.c: the probes linked into a program and the lines they report
 * (see probe_table.h). */
#define _GNU_SOURCE
#include "probe_table.h"

#include "abi.h"
#include "caps.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* Defined by the linker around the section every probe object adds to. */
extern const struct probe __start_probe_table[], __stop_probe_table[];

const char *probe_name(const struct probe *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", p->syscall, p->variant ? "." : "", p->variant ? p->variant : "");
	return buf;
}

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct probe_ref *)a)->name, ((const struct probe_ref *)b)->name);
}

const struct probe_ref *probe_table(size_t *count)
{
	static struct probe_ref *table;
	static size_t n;
	const struct probe *start = __start_probe_table, *stop = __stop_probe_table;

	if (table || start == stop) {
		*count = n;
		return table;
	}
	/* The linker's section bounds: one array, whatever cppcheck thinks. */
	// cppcheck-suppress comparePointers
	size_t want = (size_t)(stop - start);
	struct probe_ref *t = calloc(want, sizeof(*t));
	if (!t) {
		fprintf(stderr, "probe table: out of memory\n");
		*count = 0;
		return NULL;
	}
	for (size_t i = 0; i < want; i++) {
		const struct probe *p = &start[i];
		t[i].p = p;
		if ((size_t)snprintf(t[i].name, sizeof(t[i].name), "%s%s%s", p->syscall, p->variant ? "." : "",
				     p->variant ? p->variant : "") >= sizeof(t[i].name)) {
			fprintf(stderr, "probe table: the name %s.%s is longer than %d characters\n", p->syscall,
				p->variant ? p->variant : "", PROBE_NAME_MAX - 1);
			free(t);
			*count = 0;
			return NULL;
		}
	}
	qsort(t, want, sizeof(*t), cmp_ref);
	for (size_t i = 1; i < want; i++)
		if (strcmp(t[i - 1].name, t[i].name) == 0) {
			fprintf(stderr, "probe table: two entries are named %s\n", t[i].name);
			free(t);
			*count = 0;
			return NULL;
		}
	table = t;
	n = want;
	*count = n;
	return table;
}

const struct probe_ref *probe_table_find(const char *name)
{
	size_t n;
	const struct probe_ref *t = probe_table(&n);
	struct probe_ref key = { 0 };

	if (!t || strlen(name) >= sizeof(key.name))
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, t, n, sizeof(*t), cmp_ref);
}

bool probe_name_selects(const char *name, const char *sel)
{
	size_t len = strlen(sel);
	return strcmp(name, sel) == 0 || (len > 0 && strncmp(name, sel, len) == 0 && name[len] == '.');
}

size_t probe_documented_errnos(const struct probe *p, char store[][32], const char **list, size_t max)
{
	char buf[256], *save = NULL;
	size_t n = 0;

	if (max == 0)
		return 0;
	if (p->unconfined) {
		snprintf(buf, sizeof(buf), "%s", p->unconfined);
		for (char *t = strtok_r(buf, ",", &save); t && n + 1 < max; t = strtok_r(NULL, ",", &save)) {
			snprintf(store[n], 32, "%s", t);
			list[n] = store[n];
			n++;
		}
	}
	list[n] = NULL;
	return n;
}

/* The fields every line of the probe contract starts with. */
static struct json_object *base_line(const struct probe *p, bool always_name)
{
	struct json_object *o = json_object_new_object();
	char name[PROBE_NAME_MAX];

	json_object_object_add(o, "syscall", json_object_new_string(p->syscall));
	if (p->variant || always_name)
		json_object_object_add(o, "probe", json_object_new_string(probe_name(p, name, sizeof(name))));
	json_object_object_add(o, "nr", p->nr == PROBE_ABSENT_NR ? NULL : json_object_new_int64(p->nr));
	json_object_object_add(o, "abi", json_object_new_string(ABI_NAME));
	return o;
}

static struct json_object *errno_name_json(int e)
{
	const char *n = e ? strerrorname_np(e) : NULL;
	return n ? json_object_new_string(n) : NULL;
}

static void add_result(struct json_object *o, bool absent, long ret, int err)
{
	json_object_object_add(o, "ret", absent ? NULL : json_object_new_int64(ret));
	json_object_object_add(o, "errno", absent ? NULL : json_object_new_int(err));
	json_object_object_add(o, "errno_name", absent ? NULL : errno_name_json(err));
}

struct json_object *probe_describe_json(const struct probe *p, bool always_name)
{
	struct json_object *o = base_line(p, always_name), *list = NULL;
	char store[16][32];
	const char *errnos[17];

	if (p->unconfined) {
		list = json_object_new_array();
		probe_documented_errnos(p, store, errnos, 17);
		for (size_t i = 0; errnos[i]; i++)
			json_object_array_add(list, json_object_new_string(errnos[i]));
	}
	json_object_object_add(o, "unconfined", list);
	json_object_object_add(o, "exits", json_object_new_boolean(p->flags & PROBE_EXITS));
	json_object_object_add(o, "since", p->since && *p->since ? json_object_new_string(p->since) : NULL);
	return o;
}

struct json_object *probe_plain_json(const struct probe *p, const struct verdict_result *v)
{
	struct json_object *o;

	if (v->verdict == VERDICT_ERROR)
		return NULL;
	o = base_line(p, false);
	if (v->verdict == VERDICT_ABSENT) {
		add_result(o, true, 0, 0);
		json_object_object_add(o, "verdict", json_object_new_string("absent"));
	} else if (v->verdict == VERDICT_ALLOWED) {
		add_result(o, false, v->ret, v->err);
	} else {
		/* No filter of ours, yet the call did not return: a filter
		 * around this process (a container runtime's) decided. */
		add_result(o, true, 0, 0);
		json_object_object_add(o, "verdict", json_object_new_string(verdict_name(v->verdict)));
		json_object_object_add(o, "by", json_object_new_string("filter"));
	}
	return o;
}

const char *probe_proof_of(const struct policy *pol, const struct verdict_result *v)
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

struct json_object *probe_verdict_json(const struct probe *p, const struct policy *pol, const struct verdict_result *v)
{
	struct json_object *o = base_line(p, false);
	bool returned = v->verdict == VERDICT_ALLOWED || v->verdict == VERDICT_ERRNO;
	char capbuf[1024];
	const char *proof = probe_proof_of(pol, v);

	add_result(o, !returned, v->ret, v->err);
	json_object_object_add(o, "profile", json_object_new_string(pol->name));
	caps_format(pol->caps, capbuf, sizeof(capbuf));
	json_object_object_add(o, "caps", json_object_new_string(capbuf));
	json_object_object_add(o, "verdict", json_object_new_string(verdict_name(v->verdict)));
	json_object_object_add(o, "by", v->by ? json_object_new_string(v->by) : NULL);
	if (proof)
		json_object_object_add(o, "proof", json_object_new_string(proof));
	if (v->verdict == VERDICT_TRAPPED || v->verdict == VERDICT_TRACED)
		json_object_object_add(o, "data", json_object_new_int(v->data));
	if (v->verdict == VERDICT_ERROR)
		json_object_object_add(o, "reason", json_object_new_string(v->reason));
	return o;
}

struct json_object *probe_error_json(const struct probe *p, const char *reason)
{
	struct json_object *o = base_line(p, false);

	add_result(o, true, 0, 0);
	json_object_object_add(o, "verdict", json_object_new_string("error"));
	json_object_object_add(o, "by", NULL);
	json_object_object_add(o, "reason", json_object_new_string(reason));
	return o;
}

void probe_annotate_unjudged(struct json_object *o, const char *profile)
{
	static struct utsname u;
	static bool have_uname;
	struct json_object *v;

	if (!have_uname)
		have_uname = uname(&u) == 0;
	json_object_object_add(o, "arch", json_object_new_string(have_uname ? u.machine : ""));
	json_object_object_add(o, "kernel", json_object_new_string(have_uname ? u.release : ""));
	json_object_object_add(o, "profile", json_object_new_string(profile));
	json_object_object_add(o, "backend", json_object_new_string("native"));
	json_object_object_add(o, "expected", NULL);
	if (json_object_object_get_ex(o, "verdict", &v) && v && strcmp(json_object_get_string(v), "error") == 0) {
		struct json_object *r;
		json_object_object_add(o, "result", json_object_new_string("fail"));
		if (!json_object_object_get_ex(o, "reason", &r) || !r)
			json_object_object_add(o, "reason", json_object_new_string("the suite could not decide"));
	} else {
		json_object_object_add(o, "result", json_object_new_string("skip"));
		json_object_object_add(
			o, "reason",
			json_object_new_string("no expectation: run.sh probe observes, run.sh cases asserts"));
	}
}

const char *probe_run_time(const char *given)
{
	static char now[32];

	if (given) {
		struct tm tm = { 0 };
		const char *end = strptime(given, "%Y-%m-%dT%H:%M:%SZ", &tm);
		return end && *end == '\0' && strlen(given) == 20 ? given : NULL;
	}
	if (!now[0]) {
		time_t t = time(NULL);
		struct tm tm;
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	}
	return now;
}

void probe_stamp_run(struct json_object *o, const char *suite, const char *run_time, bool keep)
{
	static char host[256];

	if (!host[0] && gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "unknown");
	json_object_object_add(o, "suite", json_object_new_string(suite));
	if (!keep || !json_object_object_get_ex(o, "host", NULL))
		json_object_object_add(o, "host", json_object_new_string(host));
	if (!keep || !json_object_object_get_ex(o, "time", NULL))
		json_object_object_add(o, "time", json_object_new_string(run_time));
}

char *probe_json_line(struct json_object *o)
{
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);
	char *line = malloc(len + 2);

	if (line) {
		memcpy(line, text, len);
		line[len] = '\n';
		line[len + 1] = '\0';
	}
	return line;
}

/* The refusal, formatted before the clock starts: the handler only writes. */
static char load_timeout_msg[1536];
static size_t load_timeout_len;

static void on_load_timeout(int sig)
{
	(void)sig;
	ssize_t w = write(2, load_timeout_msg, load_timeout_len);
	(void)w;
	_exit(2);
}

int probe_policy_load(const char *profile, const struct policy_opts *opts, int timeout_ms, const char *prefix,
		      struct policy *out, char *err, size_t err_size)
{
	struct sigaction sa = { .sa_handler = on_load_timeout }, old;
	struct itimerval limit = { .it_value = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 } }, none = { 0 };
	int rc;

	snprintf(load_timeout_msg, sizeof(load_timeout_msg),
		 "%s%s%s: reading and compiling the profile took longer than --timeout (%d ms); nothing ran\n",
		 prefix ? prefix : "", prefix ? ": " : "", profile, timeout_ms);
	load_timeout_len = strlen(load_timeout_msg);
	sigemptyset(&sa.sa_mask);
	if (timeout_ms > 0) {
		sigaction(SIGALRM, &sa, &old);
		setitimer(ITIMER_REAL, &limit, NULL);
	}
	rc = policy_load(profile, opts, out, err, err_size);
	if (timeout_ms > 0) {
		setitimer(ITIMER_REAL, &none, NULL);
		sigaction(SIGALRM, &old, NULL);
	}
	return rc;
}
