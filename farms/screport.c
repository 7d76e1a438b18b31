/* screport: one JSON object per host from what the fleet entry point
 * (farms/dist/seccomp-suite) gathered: the check program's JSON Lines, each
 * set's results JSON Lines and runner exit status, `docker info` and the
 * bundle's manifest.  Built here, in C with json-c, so that a fleet host
 * needs no jq.
 *
 *   screport [--human] [--items] [--version V] [--manifest FILE]
 *            [--bundle-verified yes|no|unavailable]
 *            [--host-docker-default same|differs|absent]
 *            [--check FILE EXIT] [--docker FILE|--no-docker]
 *            [--set NAME EXIT FILE]...
 *   screport --probes FILE
 *            a table of a probe run's JSON Lines (probe, verdict, errno, by)
 *
 * Exit: 0 the host passed (check exit 0 and every set exit 0 with no failed
 * case); 1 it did not; 2 an input could not be read; 64 usage. */
#define _GNU_SOURCE
#include "abi.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#define EXIT_INPUT 2
#define EXIT_USAGE 64
#define MAX_SETS 64

static const char *prog = "screport";

struct set_arg {
	const char *name;
	int exit;
	const char *file;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--human] [--items] [--version V] [--manifest FILE]\n"
		"          [--bundle-verified yes|no|unavailable] [--host-docker-default same|differs|absent]\n"
		"          [--check FILE EXIT] [--docker FILE|--no-docker] [--set NAME EXIT FILE]...\n"
		"       %s --probes FILE\n"
		"Prints one JSON object: the suite's version, this host (name, kernel,\n"
		"architecture), the check summary (FILE: the check program's JSON Lines,\n"
		"EXIT its status), each set's counts (FILE: the cases runner's --results,\n"
		"EXIT its status), the Docker daemon (FILE: docker info --format '{{json .}}';\n"
		"null with --no-docker) and the bundled profiles' provenance (MANIFEST).\n"
		"--human: the same as text; --items: with --human, every check item.\n"
		"--probes: a table of a probe run's JSON Lines; exit 1 when a verdict is error.\n"
		"Exit: 0 the host passed; 1 it did not; 2 an input could not be read; 64 usage.\n",
		prog, prog);
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

/* Each JSON object of a JSON Lines file, to fn.  -1 when the file cannot be
 * read or a line is not an object (the error printed). */
static int each_line(const char *file, void (*fn)(struct json_object *, void *), void *data)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		struct json_object *o;
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		o = json_tokener_parse(line);
		if (!o || !json_object_is_type(o, json_type_object)) {
			fprintf(stderr, "%s: %s:%d: not a JSON object\n", prog, file, lineno);
			json_object_put(o);
			rc = -1;
			break;
		}
		fn(o, data);
		json_object_put(o);
	}
	free(line);
	fclose(f);
	return rc;
}

struct counts {
	int pass, fail, skip, other;
	struct json_object *failed; /* names */
	struct json_object *items;  /* --items: the lines themselves */
	const char *name_key;
	struct json_object *enforces; /* check: enforces_filters' value */
};

static void count_line(struct json_object *o, void *data)
{
	struct counts *c = data;
	const char *r = str_of(o, "result");

	if (strcmp(r, "pass") == 0 || strcmp(r, "xfail") == 0)
		c->pass++;
	else if (strcmp(r, "skip") == 0)
		c->skip++;
	else if (strcmp(r, "fail") == 0)
		c->fail++;
	else
		c->other++;
	if (strcmp(r, "fail") == 0 || (strcmp(r, "pass") != 0 && strcmp(r, "skip") != 0 && strcmp(r, "xfail") != 0)) {
		const char *n = str_of(o, c->name_key);
		if (!*n)
			n = str_of(o, "syscall");
		json_object_array_add(c->failed, json_object_new_string(n));
	}
	if (c->items)
		json_object_array_add(c->items, json_object_get(o));
	if (strcmp(str_of(o, "item"), "enforces_filters") == 0) {
		struct json_object *v = NULL;
		json_object_object_get_ex(o, "value", &v);
		json_object_put(c->enforces);
		c->enforces = json_object_get(v);
	}
}

static struct json_object *counts_object(struct counts *c, int exit_status)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "exit", json_object_new_int(exit_status));
	json_object_object_add(o, "pass", json_object_new_int(c->pass));
	json_object_object_add(o, "fail", json_object_new_int(c->fail + c->other));
	json_object_object_add(o, "skip", json_object_new_int(c->skip));
	json_object_object_add(o, "failed", c->failed);
	return o;
}

/* MANIFEST: key=value lines; profile.NAME.FIELD=VALUE describe a bundled
 * profile. */
static struct json_object *read_manifest(const char *file, const char *host_docker_default)
{
	struct json_object *profiles = json_object_new_object();
	FILE *f = fopen(file, "r");
	char line[1024];

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(errno));
		json_object_put(profiles);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		char *eq, *name, *field, *value;
		struct json_object *p;
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "profile.", 8) != 0 || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		value = eq + 1;
		name = line + 8;
		field = strrchr(name, '.');
		if (!field || field == name)
			continue;
		*field++ = '\0';
		if (!json_object_object_get_ex(profiles, name, &p)) {
			p = json_object_new_object();
			json_object_object_add(profiles, name, p);
		}
		json_object_object_add(p, field, json_object_new_string(value));
	}
	fclose(f);
	if (host_docker_default) {
		struct json_object *p;
		if (json_object_object_get_ex(profiles, "docker-default", &p))
			json_object_object_add(p, "host_copy", json_object_new_string(host_docker_default));
	}
	return profiles;
}

/* docker info --format '{{json .}}': the daemon's version and its seccomp
 * security option ("name=seccomp,profile=builtin"). */
static struct json_object *read_docker(const char *file)
{
	struct json_object *info = json_object_from_file(file), *v, *o, *opts;
	const char *seccomp = NULL;

	if (!info || !json_object_object_get_ex(info, "ServerVersion", &v) || !*json_object_get_string(v)) {
		json_object_put(info);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_string(json_object_get_string(v)));
	if (json_object_object_get_ex(info, "SecurityOptions", &opts) && json_object_is_type(opts, json_type_array))
		for (size_t i = 0; i < json_object_array_length(opts); i++) {
			const char *s = json_object_get_string(json_object_array_get_idx(opts, i));
			if (s && strncmp(s, "name=seccomp", 12) == 0)
				seccomp = s;
		}
	json_object_object_add(o, "seccomp", seccomp ? json_object_new_string(seccomp) : NULL);
	json_object_put(info);
	return o;
}

struct probe_table {
	int lines, errors;
};

static void probe_row(struct json_object *o, void *data)
{
	struct probe_table *t = data;
	const char *probe = *str_of(o, "probe") ? str_of(o, "probe") : str_of(o, "syscall");
	const char *verdict = str_of(o, "verdict");
	const char *errno_name = str_of(o, "errno_name");
	struct json_object *nr = NULL;
	char ret[32] = "-";

	json_object_object_get_ex(o, "nr", &nr);
	if (!*errno_name && json_object_object_get_ex(o, "ret", NULL) &&
	    json_object_get_int64(json_object_object_get(o, "ret")) >= 0)
		snprintf(ret, sizeof(ret), "ret=%s", str_of(o, "ret"));
	printf("%-24s %5s  %-9s %-13s %-7s%s%s\n", probe, nr ? json_object_get_string(nr) : "-", verdict,
	       *errno_name ? errno_name : ret, *str_of(o, "by") ? str_of(o, "by") : "-",
	       strcmp(verdict, "error") == 0 ? "  " : "", strcmp(verdict, "error") == 0 ? str_of(o, "reason") : "");
	t->lines++;
	t->errors += strcmp(verdict, "error") == 0;
}

static int print_probes(const char *file)
{
	struct probe_table t = { 0 };

	printf("%-24s %5s  %-9s %-13s %-7s\n", "PROBE", "NR", "VERDICT", "ERRNO", "BY");
	if (each_line(file, probe_row, &t))
		return EXIT_INPUT;
	printf("\n%d probes, %d with verdict error\n", t.lines, t.errors);
	return t.errors ? 1 : 0;
}

static void print_human(struct json_object *r, struct json_object *items)
{
	struct json_object *check, *sets, *docker, *profiles, *v;

	printf("seccomp-suite %s (%s) on %s: Linux %s %s\n", str_of(r, "version"), str_of(r, "abi"), str_of(r, "host"),
	       str_of(r, "kernel"), str_of(r, "arch"));
	if (items && json_object_array_length(items) > 0) {
		printf("\n%-10s %-28s %-5s %s\n", "SECTION", "ITEM", "", "VALUE");
		for (size_t i = 0; i < json_object_array_length(items); i++) {
			struct json_object *o = json_object_array_get_idx(items, i), *val = NULL;
			char result[8];
			snprintf(result, sizeof(result), "%s", str_of(o, "result"));
			for (char *c = result; *c; c++)
				*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
			json_object_object_get_ex(o, "value", &val);
			printf("%-10s %-28s %-5s %s\n", str_of(o, "section"), str_of(o, "item"), result,
			       val ? json_object_get_string(val) : "-");
			if (strcmp(str_of(o, "result"), "pass") != 0)
				printf("%-10s %-28s %-5s   %s\n", "", "", "", str_of(o, "detail"));
		}
		printf("\n");
	}
	if (json_object_object_get_ex(r, "check", &check) && check) {
		json_object_object_get_ex(check, "enforces_filters", &v);
		printf("check: %d passed, %d failed, %d skipped; %s\n",
		       json_object_get_int(json_object_object_get(check, "pass")),
		       json_object_get_int(json_object_object_get(check, "fail")),
		       json_object_get_int(json_object_object_get(check, "skip")),
		       v && json_object_get_boolean(v) ? "this host enforces seccomp filters"
						       : "this host CANNOT enforce seccomp filters");
		v = json_object_object_get(check, "failed");
		for (size_t i = 0; v && i < json_object_array_length(v); i++)
			printf("  failed: %s\n", json_object_get_string(json_object_array_get_idx(v, i)));
	}
	if (json_object_object_get_ex(r, "sets", &sets) && json_object_object_length(sets) > 0) {
		printf("%-28s %5s %5s %5s %5s\n", "SET", "PASS", "FAIL", "SKIP", "EXIT");
		json_object_object_foreach (sets, name, s) {
			printf("%-28s %5d %5d %5d %5d\n", name, json_object_get_int(json_object_object_get(s, "pass")),
			       json_object_get_int(json_object_object_get(s, "fail")),
			       json_object_get_int(json_object_object_get(s, "skip")),
			       json_object_get_int(json_object_object_get(s, "exit")));
			v = json_object_object_get(s, "failed");
			for (size_t i = 0; v && i < json_object_array_length(v) && i < 10; i++)
				printf("  failed: %s.%s\n", name,
				       json_object_get_string(json_object_array_get_idx(v, i)));
		}
	}
	if (json_object_object_get_ex(r, "docker", &docker)) {
		if (docker)
			printf("docker: daemon %s, %s\n", str_of(docker, "version"),
			       *str_of(docker, "seccomp") ? str_of(docker, "seccomp") : "no seccomp security option");
		else
			printf("docker: no daemon answers\n");
	}
	if (json_object_object_get_ex(r, "profiles", &profiles) && profiles) {
		json_object_object_foreach (profiles, name, p) {
			if (*str_of(p, "package"))
				printf("profile %s: Debian's %s %s, sha256 %.16s...%s%s\n", name, str_of(p, "package"),
				       str_of(p, "package_version"), str_of(p, "sha256"),
				       *str_of(p, "host_copy") ? ", this host's copy: " : "", str_of(p, "host_copy"));
			else
				printf("profile %s: %s's own, sha256 %.16s...\n", name, str_of(p, "source"),
				       str_of(p, "sha256"));
		}
	}
	if (*str_of(r, "bundle_verified"))
		printf("bundle: %s\n", strcmp(str_of(r, "bundle_verified"), "yes") == 0 ? "verified (SHA256SUMS)"
				       : strcmp(str_of(r, "bundle_verified"), "no") == 0
					       ? "DAMAGED (SHA256SUMS does not match)"
					       : "not verified (no sha256sum here)");
	printf("result: %s\n", str_of(r, "result"));
}

int main(int argc, char **argv)
{
	static struct set_arg sets[MAX_SETS];
	size_t n_sets = 0;
	const char *version = "unknown", *manifest = NULL, *check_file = NULL, *docker_file = NULL;
	const char *bundle_verified = NULL, *host_docker_default = NULL;
	int check_exit = 0;
	bool human = false, want_items = false, no_docker = false, passed = true;
	struct json_object *r, *items = NULL;
	struct utsname u;
	char now[32];
	time_t t = time(NULL);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int need = strcmp(a, "--set") == 0 ? 3 : strcmp(a, "--check") == 0 ? 2 : 1;
		if (strcmp(a, "--human") == 0) {
			human = true;
			continue;
		} else if (strcmp(a, "--items") == 0) {
			want_items = true;
			continue;
		} else if (strcmp(a, "--no-docker") == 0) {
			no_docker = true;
			continue;
		} else if (strcmp(a, "--probes") == 0 && argc == 3) {
			return print_probes(argv[2]);
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (i + need >= argc) {
			fprintf(stderr, "%s: %s needs %d value(s)\n", prog, a, need);
			return EXIT_USAGE;
		}
		if (strcmp(a, "--version") == 0)
			version = argv[++i];
		else if (strcmp(a, "--manifest") == 0)
			manifest = argv[++i];
		else if (strcmp(a, "--bundle-verified") == 0)
			bundle_verified = argv[++i];
		else if (strcmp(a, "--host-docker-default") == 0)
			host_docker_default = argv[++i];
		else if (strcmp(a, "--docker") == 0)
			docker_file = argv[++i];
		else if (strcmp(a, "--check") == 0) {
			check_file = argv[++i];
			check_exit = atoi(argv[++i]);
		} else if (strcmp(a, "--set") == 0 && n_sets < MAX_SETS) {
			sets[n_sets].name = argv[++i];
			sets[n_sets].exit = atoi(argv[++i]);
			sets[n_sets].file = argv[++i];
			n_sets++;
		} else {
			fprintf(stderr, "%s: unknown option: %s\n", prog, a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}

	r = json_object_new_object();
	json_object_object_add(r, "suite", json_object_new_string("seccomp-suite"));
	json_object_object_add(r, "version", json_object_new_string(version));
	json_object_object_add(r, "abi", json_object_new_string(ABI_NAME));
	if (uname(&u) == 0) {
		json_object_object_add(r, "host", json_object_new_string(u.nodename));
		json_object_object_add(r, "kernel", json_object_new_string(u.release));
		json_object_object_add(r, "arch", json_object_new_string(u.machine));
	}
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_object_object_add(r, "time", json_object_new_string(now));

	if (check_file) {
		struct counts c = { .failed = json_object_new_array(), .name_key = "item" };
		if (want_items)
			c.items = items = json_object_new_array();
		if (each_line(check_file, count_line, &c))
			return EXIT_INPUT;
		struct json_object *o = counts_object(&c, check_exit);
		json_object_object_add(o, "enforces_filters", c.enforces);
		json_object_object_add(r, "check", o);
		/* check exits 0 when filters are enforced and every item agrees. */
		passed = passed && check_exit == 0 && c.fail + c.other == 0;
	}
	if (n_sets > 0) {
		struct json_object *so = json_object_new_object();
		for (size_t i = 0; i < n_sets; i++) {
			struct counts c = { .failed = json_object_new_array(), .name_key = "probe" };
			/* A runner that refused its set wrote nothing: its exit
			 * status says so, and the set counts as failed. */
			if (each_line(sets[i].file, count_line, &c) && sets[i].exit == 0)
				return EXIT_INPUT;
			json_object_object_add(so, sets[i].name, counts_object(&c, sets[i].exit));
			passed = passed && sets[i].exit == 0 && c.fail + c.other == 0 && c.pass + c.skip > 0;
		}
		json_object_object_add(r, "sets", so);
	}
	if (docker_file || no_docker)
		json_object_object_add(r, "docker", docker_file ? read_docker(docker_file) : NULL);
	if (manifest) {
		struct json_object *p = read_manifest(manifest, host_docker_default);
		if (!p)
			return EXIT_INPUT;
		json_object_object_add(r, "profiles", p);
	}
	if (bundle_verified) {
		json_object_object_add(r, "bundle_verified", json_object_new_string(bundle_verified));
		passed = passed && strcmp(bundle_verified, "no") != 0;
	}
	json_object_object_add(r, "result", json_object_new_string(passed ? "pass" : "fail"));

	if (human)
		print_human(r, items);
	else
		puts(json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(items);
	json_object_put(r);
	return passed ? 0 : 1;
}
