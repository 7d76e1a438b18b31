/* expect.c: expectation sets.  The format is documented at the top of
 * cases/docker-default.cases and in the README. */
#define _GNU_SOURCE
#include "expect.h"

#include "caps.h"
#include "probe.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Verdicts a line may expect: "error" never is one. */
static const char *const expectable[] = {
	"allowed", "errno", "killed", "trapped", "notified", "traced", "absent",
};

static bool is_expectable(const char *v)
{
	for (size_t i = 0; i < sizeof(expectable) / sizeof(expectable[0]); i++)
		if (strcmp(v, expectable[i]) == 0)
			return true;
	return false;
}

static bool errno_name_known(const char *name)
{
	if (strcmp(name, "0") == 0)
		return true;
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

/* "EPERM|ENOSYS" and the like: every name known. */
static bool errno_spec_valid(const char *spec)
{
	char buf[96], *save = NULL;

	if (strcmp(spec, "-") == 0 || strcmp(spec, "*") == 0)
		return true;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
		if (!errno_name_known(t))
			return false;
	return spec[0] && spec[strlen(spec) - 1] != '|';
}

static bool list_has(const char *list, const char *item, char sep)
{
	size_t n = strlen(item);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, item, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static const char *const known_abis[] = { "x86_64", "i386", "aarch64", "x32", "arm", "riscv64", "s390x", "ppc64le" };
static const char *const known_backends[] = { "native", "docker", "runc", "crun", "podman", "containerd" };

static bool all_known(const char *list, const char *const *known, size_t n_known)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	if (!buf[0])
		return false;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < n_known && strcmp(t, known[i]) != 0; i++)
			;
		if (i == n_known)
			return false;
	}
	return true;
}

/* One term: 1 holds, 0 not, -1 bad. */
static int term_holds(const char *t, const struct expect_env *env, char *why, size_t why_size)
{
	struct kernel_version v;

	if (strncmp(t, "abi=", 4) == 0) {
		if (!all_known(t + 4, known_abis, sizeof(known_abis) / sizeof(known_abis[0]))) {
			snprintf(why, why_size,
				 "'%s': unknown ABI (known: x86_64, i386, aarch64, x32, arm, riscv64, s390x, ppc64le)",
				 t);
			return -1;
		}
		if (list_has(t + 4, env->abi, ','))
			return 1;
		snprintf(why, why_size, "%s (this ABI is %s)", t, env->abi);
		return 0;
	}
	if (strncmp(t, "arch=", 5) == 0) {
		if (!t[5]) {
			snprintf(why, why_size, "'%s': expected a kernel architecture such as x86_64", t);
			return -1;
		}
		if (list_has(t + 5, env->arch, ','))
			return 1;
		snprintf(why, why_size, "%s (this kernel is %s)", t, env->arch);
		return 0;
	}
	if (strncmp(t, "backend=", 8) == 0) {
		if (!all_known(t + 8, known_backends, sizeof(known_backends) / sizeof(known_backends[0]))) {
			snprintf(why, why_size,
				 "'%s': unknown backend (known: native, docker, runc, crun, podman, containerd)", t);
			return -1;
		}
		if (list_has(t + 8, env->backend, ','))
			return 1;
		snprintf(why, why_size, "%s (this backend is %s)", t, env->backend);
		return 0;
	}
	if (strncmp(t, "caps+", 5) == 0 || strncmp(t, "caps-", 5) == 0) {
		int cap = cap_from_name(t + 5);
		bool held;
		if (cap < 0) {
			snprintf(why, why_size, "'%s': unknown capability '%s'", t, t + 5);
			return -1;
		}
		held = env->caps & (1ULL << cap);
		if (held == (t[4] == '+'))
			return 1;
		snprintf(why, why_size, "%s (the capability set %s it)", t, held ? "holds" : "lacks");
		return 0;
	}
	if (strncmp(t, "kernel>=", 8) == 0 || strncmp(t, "kernel<", 7) == 0) {
		bool at_least = t[6] == '>';
		const char *ver = t + (at_least ? 8 : 7);
		int cmp;
		if (kernel_version_parse(ver, &v) || !isdigit((unsigned char)ver[0]) || !strchr(ver, '.')) {
			snprintf(why, why_size, "'%s': expected a version MAJOR.MINOR such as 5.11", t);
			return -1;
		}
		cmp = kernel_version_cmp(env->kernel, v);
		if (at_least ? cmp >= 0 : cmp < 0)
			return 1;
		snprintf(why, why_size, "%s (this kernel is %u.%u)", t, env->kernel.major, env->kernel.minor);
		return 0;
	}
	/* The libseccomp linked into this program: the one that compiles the
	 * filter of a native run (docs/libseccomp.md). */
	if (strncmp(t, "libseccomp>=", 12) == 0 || strncmp(t, "libseccomp<", 11) == 0) {
		bool at_least = t[10] == '>';
		const char *ver = t + (at_least ? 12 : 11);
		const struct scmp_version *lib = seccomp_version();
		struct kernel_version have = { .major = lib->major, .minor = lib->minor };
		if (kernel_version_parse(ver, &v) || !isdigit((unsigned char)ver[0]) || !strchr(ver, '.')) {
			snprintf(why, why_size, "'%s': expected a version MAJOR.MINOR such as 2.6", t);
			return -1;
		}
		if (at_least == (kernel_version_cmp(have, v) >= 0))
			return 1;
		snprintf(why, why_size, "%s (this libseccomp is %u.%u.%u)", t, lib->major, lib->minor, lib->micro);
		return 0;
	}
	snprintf(
		why, why_size,
		"'%s': unknown condition (abi=, arch=, kernel>=, kernel<, caps+, caps-, backend=, libseccomp>=, libseccomp<)",
		t);
	return -1;
}

int expect_condition_holds(const char *condition, const struct expect_env *env, char *unmet, size_t unmet_size)
{
	char buf[192], *save = NULL, why[192];
	int holds = 1;

	if (unmet_size)
		unmet[0] = '\0';
	if (strcmp(condition, "-") == 0)
		return 1;
	snprintf(buf, sizeof(buf), "%s", condition);
	if (!buf[0] || buf[strlen(buf) - 1] == '&') {
		snprintf(unmet, unmet_size, "'%s': empty term", condition);
		return -1;
	}
	/* Every term is checked even after one fails: a typo must not hide
	 * behind an unmet ABI. */
	for (char *t = strtok_r(buf, "&", &save); t; t = strtok_r(NULL, "&", &save)) {
		int r = term_holds(t, env, why, sizeof(why));
		if (r < 0) {
			snprintf(unmet, unmet_size, "%s", why);
			return -1;
		}
		if (r == 0 && holds) {
			snprintf(unmet, unmet_size, "%s", why);
			holds = 0;
		}
	}
	return holds;
}

static int load_file(struct expect_set *set, const char *file, int depth, char *err, size_t err_size);

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void dir_of(const char *file, char *dir, size_t size)
{
	const char *slash = strrchr(file, '/');

	if (slash)
		snprintf(dir, size, "%.*s", (int)(slash - file), file);
	else
		snprintf(dir, size, ".");
}

static int parse_line(struct expect_set *set, const char *file, int lineno, char *text, int depth, char *err,
		      size_t err_size)
{
	struct expect_env probe_env = { .abi = "x86_64", .arch = "x86_64", .backend = "native" };
	char *hash = strstr(text, " #"), *tok[5], *save = NULL, unmet[192], dir[PATH_MAX];
	const char *why = "";
	size_t n = 0;
	struct expect_line *l;

	if (hash) {
		*hash = '\0';
		why = trim(hash + 2);
	}
	for (char *t = strtok_r(text, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == 5) {
			snprintf(err, err_size, "%s:%d: too many columns (probe verdict errno [condition] [# why])",
				 file, lineno);
			return -1;
		}
		tok[n++] = t;
	}
	if (n == 0)
		return 0;
	if (strcmp(tok[0], "profile") == 0 || strcmp(tok[0], "caps") == 0 || strcmp(tok[0], "include") == 0) {
		if (n != 2) {
			snprintf(err, err_size, "%s:%d: '%s' takes one value", file, lineno, tok[0]);
			return -1;
		}
		if (strcmp(tok[0], "include") == 0) {
			char path[PATH_MAX * 2];
			dir_of(file, dir, sizeof(dir));
			snprintf(path, sizeof(path), "%s/%s", dir, tok[1]);
			return load_file(set, path, depth + 1, err, err_size);
		}
		if (depth > 0) /* an included file lends its lines only */
			return 0;
		if (strcmp(tok[0], "caps") == 0) {
			uint64_t caps;
			if (caps_parse(tok[1], &caps, unmet, sizeof(unmet))) {
				snprintf(err, err_size, "%s:%d: caps: %s", file, lineno, unmet);
				return -1;
			}
			snprintf(set->caps, sizeof(set->caps), "%s", tok[1]);
		} else if (strchr(tok[1], '/') || strstr(tok[1], ".json")) {
			dir_of(file, dir, sizeof(dir));
			if (tok[1][0] == '/')
				snprintf(set->profile, sizeof(set->profile), "%s", tok[1]);
			else
				snprintf(set->profile, sizeof(set->profile), "%s/%s", dir, tok[1]);
		} else {
			snprintf(set->profile, sizeof(set->profile), "%s", tok[1]);
		}
		return 0;
	}
	if (n < 3) {
		snprintf(err, err_size, "%s:%d: expected: probe verdict errno [condition] [# why]", file, lineno);
		return -1;
	}
	if (!is_expectable(tok[1])) {
		snprintf(
			err, err_size,
			"%s:%d: '%s' is not a verdict a case can expect (allowed, errno, killed, trapped, notified, traced, absent)",
			file, lineno, tok[1]);
		return -1;
	}
	if (!errno_spec_valid(tok[2])) {
		snprintf(
			err, err_size,
			"%s:%d: '%s': expected an errno name such as EPERM, names joined by '|', 0 (success), - (the kernel's own) or * (any)",
			file, lineno, tok[2]);
		return -1;
	}
	if (strcmp(tok[1], "errno") == 0 && (strcmp(tok[2], "-") == 0 || strcmp(tok[2], "0") == 0)) {
		snprintf(err, err_size, "%s:%d: an errno verdict needs the errno the filter returns", file, lineno);
		return -1;
	}
	if (n >= 4 && expect_condition_holds(tok[3], &probe_env, unmet, sizeof(unmet)) < 0) {
		snprintf(err, err_size, "%s:%d: condition %s", file, lineno, unmet);
		return -1;
	}
	l = realloc(set->lines, (set->n_lines + 1) * sizeof(*l));
	if (!l) {
		snprintf(err, err_size, "%s:%d: out of memory", file, lineno);
		return -1;
	}
	set->lines = l;
	l = &set->lines[set->n_lines++];
	memset(l, 0, sizeof(*l));
	snprintf(l->probe, sizeof(l->probe), "%s", tok[0]);
	snprintf(l->verdict, sizeof(l->verdict), "%s", tok[1]);
	snprintf(l->errno_spec, sizeof(l->errno_spec), "%s", tok[2]);
	snprintf(l->condition, sizeof(l->condition), "%s", n >= 4 ? tok[3] : "-");
	snprintf(l->why, sizeof(l->why), "%s", why);
	l->file = file;
	l->lineno = lineno;
	return 0;
}

static int load_file(struct expect_set *set, const char *file, int depth, char *err, size_t err_size)
{
	char text[1024];
	const char *stored;
	int lineno = 0, rc = 0;
	FILE *f;

	if (set->n_files == sizeof(set->files) / sizeof(set->files[0]) || depth > 3) {
		snprintf(err, err_size, "%s: includes nest too deep or too many (at most 8 files, 3 levels)", file);
		return -1;
	}
	f = fopen(file, "r");
	if (!f) {
		snprintf(err, err_size, "%s: %s", file, strerror(errno));
		return -1;
	}
	snprintf(set->files[set->n_files], sizeof(set->files[0]), "%s", file);
	stored = set->files[set->n_files++];
	while (rc == 0 && fgets(text, sizeof(text), f)) {
		char *line = trim(text);
		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		rc = parse_line(set, stored, lineno, line, depth, err, err_size);
	}
	fclose(f);
	return rc;
}

int expect_set_load(const char *file, struct expect_set *out, char *err, size_t err_size)
{
	const char *base = strrchr(file, '/');
	size_t len;

	memset(out, 0, sizeof(*out));
	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 6 && strcmp(base + len - 6, ".cases") == 0)
		len -= 6;
	snprintf(out->name, sizeof(out->name), "%.*s", (int)len, base);
	snprintf(out->file, sizeof(out->file), "%s", file);
	if (load_file(out, file, 0, err, err_size)) {
		expect_set_free(out);
		return -1;
	}
	if (!out->profile[0] || !out->caps[0]) {
		snprintf(err, err_size, "%s: the set names no %s (a 'profile NAME-OR-FILE' and a 'caps SET' line)",
			 file, !out->profile[0] ? "profile" : "capability set");
		expect_set_free(out);
		return -1;
	}
	return 0;
}

void expect_set_free(struct expect_set *set)
{
	free(set->lines);
	set->lines = NULL;
	set->n_lines = 0;
}

/* A line names one probe, or every probe ("*": the profile's default). */
static bool line_names(const struct expect_line *l, const char *probe)
{
	return strcmp(l->probe, probe) == 0 || strcmp(l->probe, "*") == 0;
}

bool expect_mentions(const struct expect_set *set, const char *probe)
{
	for (size_t i = 0; i < set->n_lines; i++)
		if (line_names(&set->lines[i], probe))
			return true;
	return false;
}

const struct expect_line *expect_find(const struct expect_set *set, const char *probe, const struct expect_env *env,
				      char *unmet, size_t unmet_size)
{
	size_t used = 0;
	char why[192];

	if (unmet_size)
		unmet[0] = '\0';
	for (size_t i = 0; i < set->n_lines; i++) {
		const struct expect_line *l = &set->lines[i];
		if (!line_names(l, probe))
			continue;
		if (expect_condition_holds(l->condition, env, why, sizeof(why)) == 1)
			return l;
		if (used < unmet_size) {
			int w = snprintf(unmet + used, unmet_size - used, "%s%s",
					 used ? "; " : "no line applies: ", why);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	if (!used)
		snprintf(unmet, unmet_size, "the set has no line for %s", probe);
	return NULL;
}

static const char *expected_by(const char *verdict)
{
	if (strcmp(verdict, "allowed") == 0)
		return "kernel";
	if (strcmp(verdict, "absent") == 0)
		return NULL;
	return "filter";
}

/* The kernel's own answers to the probe on env's kernel, as the probe
 * documents them: "EBADF", "ENOSYS" before .since, or the .unconfined
 * entries ("EINVAL|ENOSYS:CONFIG_KEYS").  Is got one of them?  want gets
 * them for the message, note why ENOSYS is or is not among them.  -1 when
 * they cannot be told (no documentation, an unknown kernel). */
static int kernel_answer_documented(const struct probe *p, const char *got, const struct expect_env *env, char *want,
				    size_t want_size, char *note, size_t note_size)
{
	struct kernel_version since;
	bool ok = false;

	want[0] = note[0] = '\0';
	if (!p || !p->unconfined || !p->unconfined[0])
		return -1;
	if (p->since && p->since[0]) {
		if (kernel_version_parse(p->since, &since)) {
			snprintf(note, note_size, "the probe's since '%s' is no kernel release", p->since);
			return -1;
		}
		if (env->kernel.major == 0) {
			snprintf(note, note_size, "the kernel's release is unknown, and %s arrived in %s",
				 p->syscall ? p->syscall : "the call", p->since);
			return -1;
		}
		if (kernel_version_cmp(env->kernel, since) < 0) {
			/* No table entry yet: the kernel answers ENOSYS, and
			 * nothing else. */
			snprintf(want, want_size, "ENOSYS");
			snprintf(note, note_size, " (kernel %u.%u predates %s, added in %s)", env->kernel.major,
				 env->kernel.minor, p->syscall ? p->syscall : "the call", p->since);
			return strcmp(got, "ENOSYS") == 0;
		}
		snprintf(note, note_size, " (kernel %u.%u has %s, added in %s)", env->kernel.major, env->kernel.minor,
			 p->syscall ? p->syscall : "the call", p->since);
	}
	for (const char *e = p->unconfined; *e;) {
		size_t len = strcspn(e, ","), name_len = strcspn(e, ":,");
		snprintf(want + strlen(want), want_size - strlen(want), "%s%.*s", want[0] ? "|" : "", (int)len, e);
		ok = ok || (name_len == strlen(got) && strncmp(e, got, name_len) == 0);
		e += len;
		if (*e == ',')
			e++;
	}
	return ok;
}

bool expect_judge(const struct expect_line *line, const struct observation *obs, const struct probe *probe,
		  const struct expect_env *env, char *why, size_t why_size)
{
	const char *got_errno = obs->errno_name[0] ? obs->errno_name : "0";
	const char *want_by = expected_by(line->verdict);
	char observed[160];

	if (strcmp(obs->verdict, "absent") == 0)
		snprintf(observed, sizeof(observed), "observed absent (no such syscall on this ABI)");
	else
		snprintf(observed, sizeof(observed), "observed %s %s by %s", obs->verdict, got_errno,
			 obs->by[0] ? obs->by : "-");
	if (strcmp(obs->verdict, "error") == 0) {
		snprintf(why, why_size, "expected %s %s; the suite could not decide: %s", line->verdict,
			 line->errno_spec, obs->reason[0] ? obs->reason : "no reason given");
		return false;
	}
	if (strcmp(obs->verdict, line->verdict) != 0) {
		snprintf(why, why_size, "expected %s %s by %s, %s", line->verdict, line->errno_spec,
			 want_by ? want_by : "-", observed);
		return false;
	}
	/* Only a call that returned has an errno: allowed (the kernel's) or
	 * errno (the filter's).  A killed, trapped, notified or traced call
	 * has none to compare. */
	if ((strcmp(line->verdict, "allowed") == 0 || strcmp(line->verdict, "errno") == 0) &&
	    strcmp(line->errno_spec, "*") != 0) {
		if (strcmp(line->errno_spec, "-") == 0) {
			/* The kernel's own errno, as the probe documents it for
			 * this kernel.  No documentation is no pass. */
			char want[192], note[192];
			int ok =
				kernel_answer_documented(probe, got_errno, env, want, sizeof(want), note, sizeof(note));
			if (ok < 0) {
				snprintf(
					why, why_size, "expected %s (an errno the probe documents), %s, but %s",
					line->verdict, observed,
					note[0] ? note
						: "the probe's documented errnos could not be read (probe --describe)");
				return false;
			}
			if (!ok) {
				snprintf(why, why_size, "expected %s %s by %s%s, %s", line->verdict, want, want_by,
					 note, observed);
				return false;
			}
		} else if (!list_has(line->errno_spec, got_errno, '|')) {
			snprintf(why, why_size, "expected %s %s by %s, %s", line->verdict, line->errno_spec, want_by,
				 observed);
			return false;
		}
	}
	if (want_by && strcmp(obs->by, want_by) != 0) {
		snprintf(why, why_size, "expected %s %s by %s, %s: the verdict is not attributed as expected",
			 line->verdict, line->errno_spec, want_by, observed);
		return false;
	}
	snprintf(why, why_size, "%s", observed + 9);
	return true;
}
