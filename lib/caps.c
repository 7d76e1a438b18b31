/* caps.c: capability names and the sets Docker uses.
 *
 * Which names `docker run --cap-add/--cap-drop` accepts, and what ALL
 * means, depends on the engine (moby's oci/caps):
 *   docker-20.10  the capabilities of the vendored gocapability up to
 *                 CAP_AUDIT_READ (37): 38 in all; CAP_PERFMON, CAP_BPF and
 *                 CAP_CHECKPOINT_RESTORE are "unknown capability" (moby
 *                 20.10 caps them at AUDIT_READ for runc 1.0-rc92's sake)
 *   docker-26     containerd's list, to CAP_CHECKPOINT_RESTORE (40), of
 *                 which only those the daemon itself holds are available
 *                 (containerd's cap.Current): the suite takes the kernel's
 *                 (PERFMON and BPF from 5.8, CHECKPOINT_RESTORE from 5.9)
 *                 that this process's bounding set holds; naming another is
 *                 "not supported by your kernel or not available"
 * caps_parse() without an engine knows every name in this file.
 */
#define _GNU_SOURCE
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Numbers from linux/capability.h; names as Docker and the OCI spec write
 * them.  Kept here rather than taken from the build host's header so that a
 * profile naming a newer capability than the host knows still resolves. */
static const char *const cap_names[] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

#define N_CAPS ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

#define CAP_BIT(n) (UINT64_C(1) << (n))
/* moby 20.10: up to CAP_AUDIT_READ (37). */
#define CAPS_DOCKER_20_10 (CAP_BIT(38) - 1)

/* The kernel release that added each capability newer than 4.19. */
static const struct {
	int cap;
	unsigned major, minor;
} cap_since[] = {
	{ 38, 5, 8 }, /* CAP_PERFMON */
	{ 39, 5, 8 }, /* CAP_BPF */
	{ 40, 5, 9 }, /* CAP_CHECKPOINT_RESTORE */
};

/* moby's oci/caps/defaults.go: what a container gets by default. */
static const char *const docker_default_caps[] = {
	"CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",	   "CAP_FOWNER",
	"CAP_MKNOD",   "CAP_NET_RAW",	   "CAP_SETGID",	   "CAP_SETUID",
	"CAP_SETFCAP", "CAP_SETPCAP",	   "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
	"CAP_KILL",    "CAP_AUDIT_WRITE",
};

const char *cap_name(int cap)
{
	return cap >= 0 && cap < N_CAPS ? cap_names[cap] : NULL;
}

int cap_last(void)
{
	return N_CAPS - 1;
}

int cap_from_name(const char *name)
{
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (int i = 0; i < N_CAPS; i++)
		if (strcasecmp(name, cap_names[i] + 4) == 0)
			return i;
	return -1;
}

uint64_t caps_docker_default(void)
{
	uint64_t set = 0;
	for (size_t i = 0; i < sizeof(docker_default_caps) / sizeof(docker_default_caps[0]); i++)
		set |= UINT64_C(1) << cap_from_name(docker_default_caps[i]);
	return set;
}

uint64_t caps_all(void)
{
	return (UINT64_C(1) << N_CAPS) - 1;
}

uint64_t caps_known(enum profile_engine engine)
{
	return engine_or_default(engine) == ENGINE_DOCKER_20_10 ? CAPS_DOCKER_20_10 : caps_all();
}

uint64_t caps_available(enum profile_engine engine, const struct kernel_version *kernel)
{
	uint64_t set = caps_known(engine);

	if (engine_or_default(engine) == ENGINE_DOCKER_20_10)
		return set;
	for (size_t i = 0; i < sizeof(cap_since) / sizeof(cap_since[0]); i++)
		if (kernel && (kernel->major < cap_since[i].major ||
			       (kernel->major == cap_since[i].major && kernel->minor < cap_since[i].minor)))
			set &= ~CAP_BIT(cap_since[i].cap);
	/* What the daemon holds: a root daemon's effective set is its bounding
	 * set, which this process shares with it on this host. */
	for (int c = 0; c < N_CAPS; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 0)
			set &= ~CAP_BIT(c);
	return set;
}

/* known: names accepted; available: of those, the ones that may be named
 * (ALL gives available). */
static int parse_set(const char *spec, uint64_t known, uint64_t available, const char *engine, uint64_t *out, char *err,
		     size_t err_size)
{
	uint64_t set = 0;
	char item[64];
	const char *p = spec;

	if (!*spec) {
		snprintf(err, err_size, "empty capability set (say 'none' for no capabilities)");
		return -1;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		int remove = 0;
		const char *name;
		uint64_t bits;

		if (len == 0 || len >= sizeof(item)) {
			snprintf(err, err_size, "capability set '%s': empty or overlong item", spec);
			return -1;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		name = item;
		if (*name == '-') {
			remove = 1;
			name++;
		}
		if (strcmp(name, "docker-default") == 0)
			bits = caps_docker_default();
		else if (strcmp(name, "all") == 0)
			bits = available;
		else if (strcmp(name, "none") == 0)
			bits = 0;
		else {
			int cap = cap_from_name(name);
			if (cap < 0) {
				snprintf(
					err, err_size,
					"capability set '%s': '%s' is neither a capability nor one of docker-default, all, none",
					spec, name);
				return -1;
			}
			if (!(known & CAP_BIT(cap))) {
				snprintf(
					err, err_size,
					"capability set '%s': %s does not know %s (docker run refuses it: unknown capability)",
					spec, engine, cap_names[cap]);
				return -1;
			}
			if (!(available & CAP_BIT(cap))) {
				snprintf(
					err, err_size,
					"capability set '%s': %s is not supported by the kernel or not available in the current environment (%s refuses it)",
					spec, cap_names[cap], engine);
				return -1;
			}
			bits = UINT64_C(1) << cap;
		}
		if (remove)
			set &= ~bits;
		else
			set |= bits;
		p += len;
		if (*p == ',')
			p++;
	}
	*out = set;
	return 0;
}

int caps_parse(const char *spec, uint64_t *out, char *err, size_t err_size)
{
	return parse_set(spec, caps_all(), caps_all(), "the suite", out, err, err_size);
}

int caps_parse_engine(const char *spec, enum profile_engine engine, const struct kernel_version *kernel, uint64_t *out,
		      char *err, size_t err_size)
{
	engine = engine_or_default(engine);
	return parse_set(spec, caps_known(engine), caps_available(engine, kernel), engine_name(engine), out, err,
			 err_size);
}

void caps_format(uint64_t caps, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < N_CAPS; i++) {
		if (!(caps & (UINT64_C(1) << i)))
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", cap_names[i]);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

int caps_apply(uint64_t keep)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	/* The bounding set first, while CAP_SETPCAP is still held. */
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (UINT64_C(1) << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -1;
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		uint32_t k = (uint32_t)(keep >> (32 * i));
		data[i].permitted &= k;
		data[i].effective &= k;
		data[i].inheritable &= k;
	}
	return (int)syscall(SYS_capset, &hdr, data);
}

int caps_drop_effective(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	if (cap < 0 || cap >= 64 || syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	data[cap / 32].effective &= ~(UINT32_C(1) << (cap % 32));
	return (int)syscall(SYS_capset, &hdr, data);
}
