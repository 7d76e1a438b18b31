/* resolve-profile: a profile resolved as dockerd resolves it, for the
 * container runtimes the backends drive (backends/backend.sh).
 *
 *   resolve-profile [--caps SET] [--sentinel] PROFILE
 *       the OCI linux.seccomp object dockerd would hand runc for this
 *       architecture, capability set and kernel; "null" for unconfined
 *   resolve-profile --docker-sentinel PROFILE
 *       the profile itself (Docker format, unresolved: dockerd resolves
 *       it), with every ERRNO rule returning the sentinel errno and an
 *       ERRNO default turned into SCMP_ACT_TRAP
 *   resolve-profile --docker-sentinel-errno PROFILE
 *       the same for Podman, with defaultErrnoRet the sentinel instead
 *   resolve-profile --file PROFILE      the file a name stands for
 *   resolve-profile --caps-list SET     the capabilities of SET, one a line
 *   resolve-profile --batch             requests on stdin, one JSON object a
 *       line ({"file":F,"caps":SET,"kernel":"6.1"}), one answer a line on
 *       stdout ({"caps":[...],"seccomp":OBJECT|null} or {"error":MESSAGE}):
 *       the differential test (tests/fidelity) asks thousands at once;
 *       with "build":true the answer also says whether the native loader
 *       (policy_load: the filter compiled as runc compiles it) refuses the
 *       profile ("build_error")
 *
 * --kernel MAJOR.MINOR resolves minKernel for that kernel instead of the
 * running one.  --engine docker-20.10|docker-26 chooses whose reading of the
 * profile and capability names is modelled (default: the installed
 * dockerd's, else docker-26; SECCOMP_SUITE_ENGINE): see lib/profile.h.
 *
 * The resolution is the native loader's own (policy_resolve), so a backend
 * and the native probes can only differ in what the runtime does with it.
 */
#define _GNU_SOURCE
#include "caps.h"
#include "policy.h"
#include "profile.h"

#include <glob.h>
#include <limits.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_BAD_PROFILE 2
#define EXIT_USAGE 64

static void usage(FILE *f)
{
	fprintf(f,
		"usage: resolve-profile [--engine ENGINE] [--caps SET] [--kernel MAJOR.MINOR] [--sentinel] PROFILE\n"
		"       resolve-profile --docker-sentinel|--docker-sentinel-errno PROFILE\n"
		"       resolve-profile --sentinel-errno   (the sentinel errno, for scripts)\n"
		"       resolve-profile --bundled          (each bundled name and its file)\n"
		"       resolve-profile --file PROFILE\n"
		"       resolve-profile [--engine ENGINE] [--kernel MAJOR.MINOR] --caps-list SET\n"
		"       resolve-profile --batch    (JSON requests on stdin, answers on stdout)\n"
		"PROFILE: a Docker or OCI profile file, or docker-default, docker-26-default,\n"
		"podman-default, containerd-default, unconfined, restrictive, no-network.\n"
		"Prints the OCI linux.seccomp object resolved as dockerd resolves it for this\n"
		"architecture, the capability set (default docker-default) and the running kernel; --sentinel makes every ERRNO action\n"
		"return %d.  ENGINE: docker-20.10 or docker-26 (default here: %s).\n",
		SENTINEL_ERRNO, engine_name(engine_default()));
}

static void print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static bool action_is(struct json_object *obj, const char *key, const char *want)
{
	struct json_object *v;
	return json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string) &&
	       strcmp(json_object_get_string(v), want) == 0;
}

/* The sentinel copy of a Docker-format profile: the runtime resolves it
 * itself, so only what the ERRNO actions return changes.  The default
 * action cannot carry the sentinel: dockerd 20.10 has no defaultErrnoRet
 * (moby profiles/seccomp/seccomp.go) and drops it without a word.  An
 * ERRNO default becomes SCMP_ACT_TRAP instead: a call only the default
 * denies then dies of SIGSYS in the sentinel run, whichever runtime reads
 * the copy.  Rules whose action was the default's stay rules, with the
 * sentinel errno.  Podman cannot take that copy (it hands crun an errno
 * for the TRAP default, which crun refuses) but reads defaultErrnoRet:
 * --docker-sentinel-errno gives it the sentinel there. */
static int docker_sentinel(const struct policy *pol, bool trap_default)
{
	struct json_object *root = json_object_from_file(pol->file), *rules;

	if (!root) {
		fprintf(stderr, "resolve-profile: %s: %s\n", pol->file, json_util_get_last_err());
		return EXIT_BAD_PROFILE;
	}
	if (action_is(root, "defaultAction", "SCMP_ACT_ERRNO") && trap_default) {
		json_object_object_add(root, "defaultAction", json_object_new_string("SCMP_ACT_TRAP"));
		json_object_object_del(root, "defaultErrnoRet");
	} else if (action_is(root, "defaultAction", "SCMP_ACT_ERRNO")) {
		json_object_object_add(root, "defaultErrnoRet", json_object_new_int(SENTINEL_ERRNO));
	}
	if (json_object_object_get_ex(root, "syscalls", &rules) && json_object_is_type(rules, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(rules); i++) {
			struct json_object *r = json_object_array_get_idx(rules, i);
			if (action_is(r, "action", "SCMP_ACT_ERRNO"))
				json_object_object_add(r, "errnoRet", json_object_new_int(SENTINEL_ERRNO));
		}
	}
	print_json(root);
	json_object_put(root);
	return 0;
}

static struct json_object *caps_json(uint64_t set)
{
	struct json_object *a = json_object_new_array();
	for (int c = 0; c <= cap_last(); c++)
		if (set & (UINT64_C(1) << c))
			json_object_array_add(a, json_object_new_string(cap_name(c)));
	return a;
}

static const char *request_string(struct json_object *req, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(req, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* One request of --batch: what the single-profile mode prints, as one line. */
static struct json_object *batch_one(struct json_object *req)
{
	struct json_object *out = json_object_new_object();
	struct policy_opts opts = { .prog_name = "resolve-profile" };
	struct policy pol;
	struct profile resolved;
	char err[2048];
	const char *file = request_string(req, "file");

	opts.caps = request_string(req, "caps");
	opts.kernel = request_string(req, "kernel");
	opts.engine = request_string(req, "engine");
	if (opts.kernel && !*opts.kernel)
		opts.kernel = NULL;
	if (!file) {
		json_object_object_add(out, "error", json_object_new_string("request without \"file\""));
		return out;
	}
	if (policy_resolve(file, &opts, &pol, &resolved, err, sizeof(err))) {
		json_object_object_add(out, "error", json_object_new_string(err));
		return out;
	}
	json_object_object_add(out, "caps", caps_json(pol.caps));
	json_object_object_add(out, "seccomp", pol.unconfined ? NULL : profile_to_oci(&resolved, -1));
	profile_free(&resolved);
	struct json_object *build;
	if (json_object_object_get_ex(req, "build", &build) && json_object_get_boolean(build)) {
		if (policy_load(file, &opts, &pol, err, sizeof(err))) {
			json_object_object_add(out, "build_error", json_object_new_string(err));
		} else {
			/* The filter as libseccomp exported it, in hex. */
			size_t n = pol.prog.len * sizeof(*pol.prog.filter);
			char *hex = malloc(2 * n + 1);
			for (size_t i = 0; hex && i < n; i++)
				sprintf(hex + 2 * i, "%02x", ((const unsigned char *)pol.prog.filter)[i]);
			if (hex) {
				hex[2 * n] = '\0';
				json_object_object_add(out, "bpf", json_object_new_string(hex));
			}
			free(hex);
			policy_free(&pol);
		}
	}
	return out;
}

static int batch(void)
{
	char *line = NULL;
	size_t size = 0;

	while (getline(&line, &size, stdin) > 0) {
		struct json_object *req = json_tokener_parse(line), *out;
		if (!req || !json_object_is_type(req, json_type_object)) {
			out = json_object_new_object();
			json_object_object_add(out, "error", json_object_new_string("request is not a JSON object"));
		} else {
			out = batch_one(req);
		}
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		fflush(stdout);
		json_object_put(out);
		json_object_put(req);
	}
	free(line);
	return 0;
}

/* containerd-default is one file per architecture and capability set, all
 * generated into one folder: every one of them, so that a guest of another
 * architecture or a run with other capabilities finds its own. */
static void print_generated_beside(const char *name, const char *file)
{
	char dir[PATH_MAX], pattern[PATH_MAX + 64];
	const char *slash = strrchr(file, '/');
	glob_t g;

	if (!slash)
		return;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file);
	snprintf(pattern, sizeof(pattern), "%s/%s.*.json", dir, name);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (size_t k = 0; k < g.gl_pathc; k++)
		printf("%s\t%s\n", name, g.gl_pathv[k]);
	globfree(&g);
}

int main(int argc, char **argv)
{
	const char *caps = NULL, *profile = NULL, *caps_list = NULL, *kernel = NULL, *engine = NULL;
	enum { OCI, DOCKER_SENTINEL, DOCKER_SENTINEL_ERRNO, FILE_NAME } mode = OCI;
	bool sentinel = false;
	struct policy pol;
	struct profile resolved;
	char err[2048];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--caps") == 0 && i + 1 < argc)
			caps = argv[++i];
		else if (strcmp(argv[i], "--caps-list") == 0 && i + 1 < argc)
			caps_list = argv[++i];
		else if (strcmp(argv[i], "--kernel") == 0 && i + 1 < argc)
			kernel = argv[++i];
		else if (strcmp(argv[i], "--engine") == 0 && i + 1 < argc)
			engine = argv[++i];
		else if (strcmp(argv[i], "--batch") == 0)
			return batch();
		else if (strcmp(argv[i], "--bundled") == 0) {
			/* Each bundled name and the file it reads (policy.c owns
			 * both), for scripts that carry them elsewhere (the matrix's
			 * guests); a name whose file is missing here is left out. */
			for (const char *const *n = policy_bundled_names; *n; n++) {
				struct policy pol;
				struct profile resolved;
				char e[2048];
				if (policy_resolve(*n, NULL, &pol, &resolved, e, sizeof(e)) == 0) {
					if (strcmp(*n, "containerd-default") == 0)
						print_generated_beside(*n, pol.file);
					else if (!pol.unconfined)
						printf("%s\t%s\n", *n, pol.file);
					profile_free(&resolved);
				}
			}
			return 0;
		} else if (strcmp(argv[i], "--sentinel-errno") == 0) {
			/* The sentinel's one owner is policy.h: the shell asks. */
			printf("%d\n", SENTINEL_ERRNO);
			return 0;
		} else if (strcmp(argv[i], "--sentinel") == 0)
			sentinel = true;
		else if (strcmp(argv[i], "--docker-sentinel") == 0)
			mode = DOCKER_SENTINEL;
		else if (strcmp(argv[i], "--docker-sentinel-errno") == 0)
			mode = DOCKER_SENTINEL_ERRNO;
		else if (strcmp(argv[i], "--file") == 0)
			mode = FILE_NAME;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || profile) {
			fprintf(stderr, "resolve-profile: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		} else
			profile = argv[i];
	}
	if (engine && engine_from_name(engine) == ENGINE_DEFAULT) {
		fprintf(stderr, "resolve-profile: --engine %s: expected docker-20.10 or docker-26\n", engine);
		return EXIT_USAGE;
	}
	if (caps_list) {
		uint64_t set;
		struct kernel_version kv;
		if (kernel && kernel_version_parse(kernel, &kv)) {
			fprintf(stderr, "resolve-profile: --kernel %s: expected MAJOR.MINOR such as 6.1\n", kernel);
			return EXIT_USAGE;
		}
		if (caps_parse_engine(caps_list, engine ? engine_from_name(engine) : ENGINE_DEFAULT,
				      kernel ? &kv : NULL, &set, err, sizeof(err))) {
			fprintf(stderr, "resolve-profile: %s\n", err);
			return EXIT_USAGE;
		}
		for (int c = 0; c <= cap_last(); c++)
			if (set & (UINT64_C(1) << c))
				puts(cap_name(c));
		return 0;
	}
	if (!profile) {
		usage(stderr);
		return EXIT_USAGE;
	}
	struct policy_opts opts = { .caps = caps, .kernel = kernel, .engine = engine, .prog_name = "resolve-profile" };
	if (policy_resolve(profile, &opts, &pol, &resolved, err, sizeof(err))) {
		fprintf(stderr, "resolve-profile: %s\n", err);
		return EXIT_BAD_PROFILE;
	}
	int rc = 0;
	if (mode == FILE_NAME) {
		puts(pol.unconfined ? "unconfined" : pol.file);
	} else if (pol.unconfined) {
		puts("null");
	} else if (mode == DOCKER_SENTINEL || mode == DOCKER_SENTINEL_ERRNO) {
		rc = docker_sentinel(&pol, mode == DOCKER_SENTINEL);
	} else {
		struct json_object *o = profile_to_oci(&resolved, sentinel ? SENTINEL_ERRNO : -1);
		print_json(o);
		json_object_put(o);
	}
	profile_free(&resolved);
	return rc;
}
