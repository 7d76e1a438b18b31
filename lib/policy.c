/* policy.c: from a profile name or file to the BPF programs a probe or
 * scrun loads. */
#define _GNU_SOURCE
#include "policy.h"

#include "caps.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SUITE_PROFILES_DIR
#define SUITE_PROFILES_DIR "profiles"
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

unsigned policy_compile_cpu_seconds = POLICY_COMPILE_CPU_SECONDS;

const char *const policy_bundled_names[] = {
	"docker-default", "docker-26-default", "unconfined", "restrictive", "no-network", NULL,
};

uint32_t host_scmp_arch(void)
{
	struct utsname u;
	uint32_t arch;

	if (uname(&u) == 0) {
		arch = arch_from_any_name(u.machine);
		if (arch)
			return arch;
		if (strncmp(u.machine, "arm", 3) == 0)
			return SCMP_ARCH_ARM;
	}
	return seccomp_arch_native();
}

/* filter_export, with the length of a filter too long to keep in *insns
 * (0 when the export itself failed). */
static int export_counted(scmp_filter_ctx ctx, struct sock_fprog *out, size_t *insns)
{
	int fd = memfd_create("seccomp-suite-bpf", MFD_CLOEXEC);
	struct stat st;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	*insns = 0;
	if (fd < 0)
		return -1;
	/* More than BPF_MAXINSNS the kernel refuses; never cut it to a prefix. */
	if (seccomp_export_bpf(ctx, fd) == 0 && fstat(fd, &st) == 0 && st.st_size > 0 &&
	    st.st_size % (off_t)sizeof(struct sock_filter) == 0) {
		*insns = (size_t)st.st_size / sizeof(struct sock_filter);
		if (*insns <= BPF_MAXINSNS) {
			out->filter = malloc((size_t)st.st_size);
			if (out->filter && pread(fd, out->filter, (size_t)st.st_size, 0) == st.st_size) {
				out->len = (unsigned short)*insns;
				rc = 0;
			} else {
				free(out->filter);
				out->filter = NULL;
				*insns = 0;
			}
		}
	}
	close(fd);
	return rc;
}

int filter_export(scmp_filter_ctx ctx, struct sock_fprog *out)
{
	size_t insns;
	return export_counted(ctx, out, &insns);
}

/* What the compiling child hands back, followed by the BPF program. */
struct compile_reply {
	int status;			/* 0: insns instructions follow; 1: perr; 2: too long; 3: no export */
	size_t insns;
	struct profile_error perr;
};

static void compile_child(const struct profile *resolved, const struct build_opts *bopts, int fd)
{
	struct compile_reply reply = { 0 };
	struct sock_fprog prog = { 0 };
	scmp_filter_ctx filter;

	if (profile_build(resolved, bopts, &filter, &reply.perr)) {
		reply.status = 1;
	} else {
		if (export_counted(filter, &prog, &reply.insns))
			reply.status = reply.insns > BPF_MAXINSNS ? 2 : 3;
		seccomp_release(filter);
	}
	if (write(fd, &reply, sizeof(reply)) == (ssize_t)sizeof(reply) && reply.status == 0 &&
	    write(fd, prog.filter, reply.insns * sizeof(*prog.filter)) == (ssize_t)(reply.insns * sizeof(*prog.filter)))
		_exit(0);
	_exit(reply.status == 0 ? 1 : 0);
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int policy_compile(const struct profile *resolved, const struct build_opts *bopts, struct sock_fprog *out,
		   struct profile_error *err)
{
	unsigned cpu = policy_compile_cpu_seconds ? policy_compile_cpu_seconds : 1;
	struct compile_reply reply;
	int fds[2], status = 0;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", resolved->file ? resolved->file : "");
	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(err->reason, sizeof(err->reason), "cannot compile the filter: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err->reason, sizeof(err->reason), "cannot compile the filter: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		/* RLIMIT_CPU ends a libseccomp that never returns (SIGXCPU,
		 * then SIGKILL); no core file is left behind. */
		struct rlimit cpu_limit = { cpu, cpu + 1 }, no_core = { 0, 0 };
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		setrlimit(RLIMIT_CORE, &no_core);
		setrlimit(RLIMIT_CPU, &cpu_limit);
		compile_child(resolved, bopts, fds[1]);
	}
	close(fds[1]);
	int rc = read_full(fds[0], &reply, sizeof(reply));
	if (rc == 0 && reply.status == 0) {
		if (reply.insns == 0 || reply.insns > BPF_MAXINSNS ||
		    !(out->filter = malloc(reply.insns * sizeof(*out->filter))) ||
		    read_full(fds[0], out->filter, reply.insns * sizeof(*out->filter))) {
			free(out->filter);
			out->filter = NULL;
			rc = -1;
		} else {
			out->len = (unsigned short)reply.insns;
		}
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && reply.status == 0)
		return 0;
	if (rc == 0 && reply.status == 1) {
		memcpy(err->path, reply.perr.path, sizeof(err->path));
		memcpy(err->reason, reply.perr.reason, sizeof(err->reason));
		err->path[sizeof(err->path) - 1] = err->reason[sizeof(err->reason) - 1] = '\0';
	} else if (rc == 0 && reply.status == 2) {
		snprintf(err->reason, sizeof(err->reason),
			 "the filter has %zu BPF instructions, more than the kernel's %d (BPF_MAXINSNS): the kernel would refuse it",
			 reply.insns, BPF_MAXINSNS);
	} else if (rc == 0) {
		snprintf(err->reason, sizeof(err->reason), "libseccomp could not export the filter as BPF");
	} else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)) {
		snprintf(err->reason, sizeof(err->reason),
			 "libseccomp did not finish building the filter within %u s of CPU time (libseccomp 2.5.4 loops forever on some rules with conditions on two arguments): refused",
			 cpu);
	} else if (WIFSIGNALED(status)) {
		snprintf(err->reason, sizeof(err->reason), "libseccomp crashed building the filter (%s): refused",
			 strsignal(WTERMSIG(status)));
	} else {
		snprintf(err->reason, sizeof(err->reason),
			 "the filter could not be compiled (the compiling process exited %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	return -1;
}

/* The cache (policy.h, suite_cache_get). */

#define CACHE_MAGIC "seccomp-suite cache 1\n"
#define CACHE_MAX_FILE (8 << 20)

struct cache_header {
	char magic[sizeof(CACHE_MAGIC) - 1];
	uint64_t key_len, data_len, sum;
};

static uint64_t fnv1a(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

#define FNV_BASIS 0xcbf29ce484222325ULL

/* A folder of the cache's: a directory (not a link) of this user's that
 * no one else can write to, made if missing. */
static bool own_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return false;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
}

/* The cache folder in buf, or false: off, no home, or not safe to use. */
static bool cache_dir(char *buf, size_t size)
{
	const char *env = getenv("SECCOMP_SUITE_CACHE"), *xdg = getenv("XDG_CACHE_HOME"),
		   *home = getenv("HOME");
	char base[4096];

	if (env && strcmp(env, "off") == 0)
		return false;
	if (env && *env)
		return snprintf(buf, size, "%s", env) < (int)size && own_dir(buf);
	if (xdg && *xdg == '/') {
		snprintf(base, sizeof(base), "%s", xdg);
	} else if (home && *home == '/' && strcmp(home, "/") != 0) {
		/* $HOME itself is not ours to judge; .cache in it is. */
		if (snprintf(base, sizeof(base), "%s/.cache", home) >= (int)sizeof(base) || !own_dir(base))
			return false;
	} else {
		return false;
	}
	if (mkdir(base, 0700) != 0 && errno != EEXIST)
		return false;
	return snprintf(buf, size, "%s/seccomp-suite", base) < (int)size && own_dir(buf);
}

static bool cache_path(char *buf, size_t size, const char *kind, const void *key, size_t key_len)
{
	char dir[4096];
	return cache_dir(dir, sizeof(dir)) &&
	       snprintf(buf, size, "%s/%s-%016llx", dir, kind, (unsigned long long)fnv1a(FNV_BASIS, key, key_len)) <
		       (int)size;
}

static int read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int suite_cache_get(const char *kind, const void *key, size_t key_len, void **data, size_t *len)
{
	char path[4200];
	struct cache_header h;
	struct stat st;
	char *buf = NULL;
	int fd;

	*data = NULL;
	*len = 0;
	if (!cache_path(path, sizeof(path), kind, key, key_len))
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) ||
	    st.st_size > CACHE_MAX_FILE || read_all(fd, &h, sizeof(h)) ||
	    memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) != 0 || h.key_len != key_len ||
	    h.data_len > CACHE_MAX_FILE || (uint64_t)st.st_size != sizeof(h) + h.key_len + h.data_len ||
	    !(buf = malloc(key_len + h.data_len + 1)) || read_all(fd, buf, key_len + h.data_len) ||
	    memcmp(buf, key, key_len) != 0 || fnv1a(FNV_BASIS, buf, key_len + h.data_len) != h.sum) {
		free(buf);
		close(fd);
		return -1;
	}
	/* Used: the last to go when the cache is trimmed. */
	futimens(fd, NULL);
	close(fd);
	memmove(buf, buf + key_len, h.data_len);
	*data = buf;
	*len = h.data_len;
	return 0;
}

struct cache_file {
	char name[256];
	struct timespec mtime;
};

static int older_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct cache_file *)a)->mtime, *y = &((const struct cache_file *)b)->mtime;
	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

/* Past SUITE_CACHE_MAX_ENTRIES, the least recently used quarter goes. */
static void cache_trim(const char *dir)
{
	struct cache_file *files = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);
	int dfd;

	if (!d)
		return;
	dfd = dirfd(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || strlen(e->d_name) >= sizeof(files->name))
			continue;
		if (n == cap) {
			struct cache_file *f = realloc(files, (cap = cap ? cap * 2 : 256) * sizeof(*f));
			if (!f)
				break;
			files = f;
		}
		snprintf(files[n].name, sizeof(files[n].name), "%s", e->d_name);
		files[n++].mtime = st.st_mtim;
	}
	if (n > SUITE_CACHE_MAX_ENTRIES) {
		qsort(files, n, sizeof(*files), older_first);
		for (size_t i = 0; i < n - SUITE_CACHE_MAX_ENTRIES * 3 / 4; i++)
			unlinkat(dfd, files[i].name, 0);
	}
	free(files);
	closedir(d);
}

void suite_cache_put(const char *kind, const void *key, size_t key_len, const void *data, size_t len)
{
	char path[4200], tmp[4300], dir[4096];
	struct cache_header h;
	uint64_t sum;
	int fd;

	if (!cache_path(path, sizeof(path), kind, key, key_len) || !cache_dir(dir, sizeof(dir)))
		return;
	memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
	h.key_len = key_len;
	h.data_len = len;
	sum = fnv1a(FNV_BASIS, key, key_len);
	h.sum = fnv1a(sum, data, len);
	snprintf(tmp, sizeof(tmp), "%s/.new-XXXXXX", dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return;
	if (fchmod(fd, 0600) != 0 || write(fd, &h, sizeof(h)) != (ssize_t)sizeof(h) ||
	    write(fd, key, key_len) != (ssize_t)key_len || write(fd, data, len) != (ssize_t)len ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return;
	}
	cache_trim(dir);
}

/* The program's own GNU build ID: a compiled filter is reused only by the
 * very program that compiled it (its libseccomp and its profile_build). */
static int build_id_note(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	FILE *f = data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
		if (ph->p_type != PT_NOTE)
			continue;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			const unsigned char *desc = (const unsigned char *)p + sizeof(*n) + ((n->n_namesz + 3) & ~3u);
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(p + sizeof(*n), "GNU", 4) == 0 &&
			    n->n_descsz > 0 && (const char *)desc + n->n_descsz <= end) {
				fputs("build-id ", f);
				for (unsigned j = 0; j < n->n_descsz; j++)
					fprintf(f, "%02x", desc[j]);
				fputc('\n', f);
				return 1;
			}
			p = (const char *)desc + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 1;	/* the program itself comes first; no note: no ID */
}

/* The cache key of compiling resolved with bopts in this program on this
 * kernel (libseccomp asks the kernel what it supports), malloc'd, or NULL
 * when there is none to be had (no build ID). */
static char *compile_key(const struct profile *resolved, const struct build_opts *bopts, size_t *len)
{
	char *key = NULL;
	size_t size = 0;
	struct utsname u;
	long mark;
	FILE *f = open_memstream(&key, &size);

	if (!f)
		return NULL;
	fputs("compiled filter\n", f);
	mark = ftell(f);
	dl_iterate_phdr(build_id_note, f);
	if (ftell(f) == mark || uname(&u) != 0 ||
	    fprintf(f, "kernel %s %s %s api %u\n", u.release, u.version, u.machine, seccomp_api_get()) < 0 ||
	    profile_build_key(resolved, bopts, f) != 0) {
		fclose(f);
		free(key);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(key);
		return NULL;
	}
	*len = size;
	return key;
}

/* policy_compile, or the filter this program compiled from the same input
 * before (cache: use the cache at all). */
static int compile_cached(const struct profile *resolved, const struct build_opts *bopts, bool cache,
			  struct sock_fprog *out, struct profile_error *err)
{
	size_t key_len = 0, len;
	char *key = cache ? compile_key(resolved, bopts, &key_len) : NULL;
	void *data;

	if (key && suite_cache_get("bpf", key, key_len, &data, &len) == 0) {
		if (len > 0 && len % sizeof(struct sock_filter) == 0 && len / sizeof(struct sock_filter) <= BPF_MAXINSNS) {
			memset(out, 0, sizeof(*out));
			out->filter = data;
			out->len = (unsigned short)(len / sizeof(struct sock_filter));
			free(key);
			return 0;
		}
		free(data);
	}
	if (policy_compile(resolved, bopts, out, err)) {
		free(key);
		return -1;
	}
	if (key)
		suite_cache_put("bpf", key, key_len, out->filter, out->len * sizeof(*out->filter));
	free(key);
	return 0;
}

bool policy_may_return_errno(const struct policy *p, int e)
{
	if (!p->can_errno)
		return false;
	if (p->errnos_overflow)
		return true;
	for (unsigned i = 0; i < p->n_errnos; i++)
		if (p->errnos[i] == e)
			return true;
	return false;
}

static void note_action(struct policy *p, enum profile_action a, bool has_errno, unsigned e)
{
	switch (a) {
	case ACTION_ERRNO:
		p->can_errno = true;
		e = has_errno ? e : EPERM;
		for (unsigned i = 0; i < p->n_errnos; i++)
			if ((unsigned)p->errnos[i] == e)
				return;
		if (p->n_errnos < sizeof(p->errnos) / sizeof(p->errnos[0]))
			p->errnos[p->n_errnos++] = (int)e;
		else
			p->errnos_overflow = true;
		break;
	case ACTION_TRACE: p->can_trace = true; break;
	case ACTION_NOTIFY: p->can_notify = true; break;
	default: break;
	}
}

struct warn_state {
	const struct policy_opts *opts;
	const char *file;
};

static void on_warning(void *data, const struct profile_rule *r, size_t i, const char *why)
{
	struct warn_state *w = data;
	fprintf(stderr, "%s: warning: %s: %s.names[%zu]: \"%s\" %s\n",
		w->opts->prog_name ? w->opts->prog_name : "seccomp-suite", w->file, r->path, i, r->names[i], why);
}

/* A bundled name is the bundled profile, whatever the current directory
 * holds (a test's folder may have a file named like its profile); any
 * other argument is a file: a path, or a name that exists here.  Only the
 * bundled name `unconfined` means no filter. */
static int locate(const char *arg, struct policy *out, char *err, size_t err_size)
{
	struct stat st;
	const char *dir = getenv("SECCOMP_SUITE_PROFILES");
	bool bundled = false;

	snprintf(out->name, sizeof(out->name), "%s", arg);
	for (const char *const *n = policy_bundled_names; *n; n++)
		bundled = bundled || strcmp(arg, *n) == 0;
	if (strcmp(arg, "unconfined") == 0) {
		out->unconfined = true;
		return 0;
	}
	if (!bundled && (strchr(arg, '/') || stat(arg, &st) == 0)) {
		snprintf(out->file, sizeof(out->file), "%s", arg);
		return 0;
	}
	if (strcmp(arg, "docker-default") == 0) {
		/* A guest or container without Debian's package points here. */
		const char *path = getenv("SECCOMP_SUITE_DOCKER_DEFAULT");
		snprintf(out->file, sizeof(out->file), "%s", path && *path ? path : DOCKER_DEFAULT_PROFILE);
		if (stat(out->file, &st) != 0) {
			snprintf(err, err_size,
				 "docker-default: %s: %s (it comes from Debian's golang-github-docker-docker-dev: apt-get install golang-github-docker-docker-dev)",
				 out->file, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (strcmp(arg, "docker-26-default") == 0) {
		const char *path = getenv("SECCOMP_SUITE_DOCKER_26_DEFAULT");
		snprintf(out->file, sizeof(out->file), "%s", path && *path ? path : DOCKER_26_DEFAULT_PROFILE);
		if (stat(out->file, &st) != 0) {
			snprintf(err, err_size,
				 "docker-26-default: %s: %s (it comes from Debian 13's golang-github-docker-docker-dev: make moby26, or set SECCOMP_SUITE_DOCKER_26_DEFAULT)",
				 out->file, strerror(errno));
			return -1;
		}
		return 0;
	}
	for (const char *const *n = policy_bundled_names; *n; n++) {
		if (strcmp(arg, *n) != 0)
			continue;
		snprintf(out->file, sizeof(out->file), "%s/%s.json", dir && *dir ? dir : SUITE_PROFILES_DIR, arg);
		if (stat(out->file, &st) != 0) {
			snprintf(err, err_size, "%s: %s: %s (set SECCOMP_SUITE_PROFILES to the suite's profiles/ folder)",
				 arg, out->file, strerror(errno));
			return -1;
		}
		return 0;
	}
	snprintf(err, err_size, "%s: no such file, and not a bundled profile (docker-default, docker-26-default, unconfined, restrictive, no-network)",
		 arg);
	return -1;
}

/* policy_resolve, handing the profile as read to *keep (NULL: freed). */
static int resolve(const char *arg, const struct policy_opts *opts, struct policy *out,
		   struct profile *keep, struct profile *resolved, char *err, size_t err_size)
{
	struct policy_opts defaults = { 0 };
	struct profile parsed;
	struct profile_error perr;
	struct resolve_ctx ctx;
	struct utsname u;

	memset(out, 0, sizeof(*out));
	memset(resolved, 0, sizeof(*resolved));
	if (keep)
		memset(keep, 0, sizeof(*keep));
	opts = opts ? opts : &defaults;
	out->engine = opts->engine ? engine_from_name(opts->engine) : engine_default();
	if (out->engine == ENGINE_DEFAULT) {
		snprintf(err, err_size, "engine '%s': expected docker-20.10 or docker-26", opts->engine);
		return -1;
	}
	out->arch = opts->arch ? opts->arch : host_scmp_arch();
	if (opts->kernel) {
		if (kernel_version_parse(opts->kernel, &out->kernel)) {
			snprintf(err, err_size, "kernel version '%s': expected MAJOR.MINOR such as 6.1", opts->kernel);
			return -1;
		}
	} else if (uname(&u) != 0 || kernel_version_parse(u.release, &out->kernel)) {
		snprintf(err, err_size, "cannot read the running kernel's version from uname(2)");
		return -1;
	}
	if (caps_parse_engine(opts->caps ? opts->caps : "docker-default", out->engine,
			      opts->kernel ? &out->kernel : NULL, &out->caps, err, err_size))
		return -1;
	if (locate(arg, out, err, err_size))
		return -1;
	if (out->unconfined)
		return 0;

	/* A profile with neither defaultAction nor syscalls, which dockerd
	 * would run unconfined, is refused here with the rest
	 * (PROFILE_DISABLED_REASON): only the name `unconfined` is no filter. */
	if (profile_parse_engine(out->file, out->engine, &parsed, &perr)) {
		profile_error_format(&perr, err, err_size);
		profile_free(&parsed);
		return -1;
	}
	ctx.arch = out->arch;
	ctx.caps = out->caps;
	ctx.kernel = out->kernel;
	if (profile_resolve(&parsed, &ctx, resolved, &perr)) {
		profile_error_format(&perr, err, err_size);
		profile_free(&parsed);
		profile_free(resolved);
		return -1;
	}
	if (keep)
		*keep = parsed;
	else
		profile_free(&parsed);
	return 0;
}

int policy_resolve(const char *arg, const struct policy_opts *opts, struct policy *out,
		   struct profile *resolved, char *err, size_t err_size)
{
	return resolve(arg, opts, out, NULL, resolved, err, err_size);
}

int policy_load_keep(const char *arg, const struct policy_opts *opts, struct policy *out,
		     struct profile *parsed, struct profile *resolved, char *err, size_t err_size)
{
	struct policy_opts defaults = { 0 };
	struct build_opts bopts = { 0 };
	struct profile_error perr;
	struct warn_state warns;

	opts = opts ? opts : &defaults;
	if (resolve(arg, opts, out, parsed, resolved, err, err_size))
		return -1;
	if (out->unconfined)
		return 0;
	if (profile_runc_refuses(resolved, &perr)) {
		profile_error_format(&perr, err, err_size);
		if (parsed)
			profile_free(parsed);
		profile_free(resolved);
		return -1;
	}

	note_action(out, resolved->default_action, resolved->has_default_errno_ret, resolved->default_errno_ret);
	for (size_t i = 0; i < resolved->n_rules; i++)
		note_action(out, resolved->rules[i].action, resolved->rules[i].has_errno_ret,
			    resolved->rules[i].errno_ret);

	warns.opts = opts;
	warns.file = out->file;
	bopts.runtime_arch = out->arch;
	/* Warnings are printed only when asked for; a filter taken from the
	 * cache has none to give, so a run that asks compiles afresh. */
	bopts.warn = opts->verbose_warnings ? on_warning : NULL;
	bopts.warn_data = &warns;
	for (int pass = 0; pass < 2; pass++) {
		bopts.errno_override = pass ? SENTINEL_ERRNO : -1;
		if (compile_cached(resolved, &bopts, opts->cache && !opts->verbose_warnings,
				   pass ? &out->sentinel : &out->prog, &perr)) {
			profile_error_format(&perr, err, err_size);
			policy_free(out);
			if (parsed)
				profile_free(parsed);
			profile_free(resolved);
			return -1;
		}
		bopts.warn = NULL;	/* the second pass would repeat every warning */
	}

	if (resolved->flags & SECCOMP_FILTER_FLAG_LOG)
		out->load_flags |= SECCOMP_FILTER_FLAG_LOG;
	if (resolved->flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW)
		out->load_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (out->can_notify) {
		out->load_flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (resolved->flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
			out->load_flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	return 0;
}

int policy_load(const char *arg, const struct policy_opts *opts, struct policy *out, char *err,
		size_t err_size)
{
	struct profile resolved;

	if (policy_load_keep(arg, opts, out, NULL, &resolved, err, err_size))
		return -1;
	profile_free(&resolved);
	return 0;
}

void policy_free(struct policy *p)
{
	free(p->prog.filter);
	free(p->sentinel.filter);
	memset(p, 0, sizeof(*p));
}
