/* spec_ctrl: what loading a seccomp filter does to a task's speculation
 * controls, read back with PR_GET_SPECULATION_CTRL (PR_SPEC_STORE_BYPASS and
 * PR_SPEC_INDIRECT_BRANCH), with and without SECCOMP_FILTER_FLAG_SPEC_ALLOW.
 * The mechanism, not a timing.
 *
 * The kernel (arch/x86/kernel/cpu/bugs.c, arch_seccomp_spec_mitigate) forces
 * PR_SPEC_FORCE_DISABLE on a task that loads a filter without SPEC_ALLOW when
 * it runs spec_store_bypass_disable=seccomp (the default before Linux 5.16,
 * where the CPU has SSBD and the bug) or spectre_v2_user=seccomp (likewise
 * for STIBP/IBPB); since 5.16 both default to prctl and a filter changes
 * nothing.
 *
 * Each case runs in a fresh child (no_new_privs, then the filter, then the
 * two reads).  The filter is a single "return ALLOW": what is measured is
 * what loading any filter does.  Output: lines "spec-ctrl: {JSON}", one for
 * the machine (release, the boot options about these mitigations, what the kernel reports in
 * /sys/devices/system/cpu/vulnerabilities and /proc/cpuinfo, its boot
 * messages about these mitigations) and one per case.
 *
 * As PID 1 (the initramfs of ./run.sh bench --spec-allow-guest) it mounts
 * proc and sysfs first and powers the machine off at the end; anywhere else
 * it prints and exits.  Static, so that it is the whole initramfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK "spec-ctrl: "

/* A JSON string: the kernel's texts are ASCII, but escape what JSON needs. */
static void put_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The first line of a small file, without its newline; "" if unreadable. */
static const char *first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	if (!f)
		return buf;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* The value of the first "KEY\t: value" line of /proc/cpuinfo. */
static const char *cpuinfo(const char *key, char *buf, size_t size)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");
	buf[0] = '\0';
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (strncmp(line, key, strlen(key)) != 0 || !colon)
			continue;
		snprintf(buf, size, "%s", colon + (colon[1] == ' ' ? 2 : 1));
		buf[strcspn(buf, "\n")] = '\0';
		break;
	}
	fclose(f);
	return buf;
}

/* The cpuinfo flags that decide these mitigations, as a JSON array. */
static void put_flags(const char *key, const char *const *wanted)
{
	char flags[4096], *save = NULL;
	int first = 1;
	cpuinfo(key, flags, sizeof(flags));
	putchar('[');
	for (char *t = strtok_r(flags, " ", &save); t; t = strtok_r(NULL, " ", &save))
		for (const char *const *w = wanted; *w; w++)
			if (strcmp(t, *w) == 0) {
				printf(first ? "" : ",");
				put_str(t);
				first = 0;
			}
	putchar(']');
}

/* The kernel's boot messages about these mitigations (its log buffer: the
 * guest's console is kept quiet). */
static void put_kernel_log(void)
{
	static char log[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	int first = 1;
	putchar('[');
	if (n > 0) {
		log[n] = '\0';
		char *save = NULL;
		for (char *l = strtok_r(log, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			if (!strstr(l, "Store Bypass") && !strstr(l, "Spectre V2") && !strstr(l, "SSBD") &&
			    !strstr(l, "STIBP") && !strstr(l, "IBPB") && !strstr(l, "unchecked MSR"))
				continue;
			char *text = l[0] == '<' && strchr(l, '>') ? strchr(l, '>') + 1 : l;
			printf(first ? "" : ",");
			put_str(text);
			first = 0;
		}
	}
	putchar(']');
}

/* The boot options that choose these mitigations, as a JSON array (only
 * those: the rest of a host's command line is none of this report's
 * business). */
static void put_cmdline_options(void)
{
	static const char *const opts[] = { "spec_store_bypass_disable=",
					    "nospec_store_bypass_disable",
					    "spectre_v2_user=",
					    "spectre_v2=",
					    "nospectre_v2",
					    "mitigations=",
					    NULL };
	char line[4096], *save = NULL;
	int first = 1;
	first_line("/proc/cmdline", line, sizeof(line));
	putchar('[');
	for (char *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (strcmp(t, "--") == 0)
			break;
		for (const char *const *o = opts; *o; o++)
			if (strncmp(t, *o, strlen(*o)) == 0) {
				printf(first ? "" : ",");
				put_str(t);
				first = 0;
				break;
			}
	}
	putchar(']');
}

static void machine(void)
{
	static const char *const flags[] = { "ssbd", "virt_ssbd", "amd_ssbd",  "spec_ctrl", "spec_ctrl_ssbd", "ibrs",
					     "ibpb", "stibp",	  "amd_stibp", "amd_ibpb",  "ssb_no",	      NULL };
	static const char *const bugs[] = { "spec_store_bypass", "spectre_v2", NULL };
	char buf[4096];
	struct utsname u;

	uname(&u);
	printf(MARK "{\"kind\":\"machine\",\"release\":");
	put_str(u.release);
	printf(",\"machine\":");
	put_str(u.machine);
	printf(",\"pid1\":%s,\"cmdline\":", getpid() == 1 ? "true" : "false");
	put_cmdline_options();
	printf(",\"cpu\":");
	put_str(cpuinfo("model name", buf, sizeof(buf)));
	printf(",\"spec_store_bypass\":");
	put_str(first_line("/sys/devices/system/cpu/vulnerabilities/spec_store_bypass", buf, sizeof(buf)));
	printf(",\"spectre_v2\":");
	put_str(first_line("/sys/devices/system/cpu/vulnerabilities/spectre_v2", buf, sizeof(buf)));
	printf(",\"cpu_flags\":");
	put_flags("flags", flags);
	printf(",\"cpu_bugs\":");
	put_flags("bugs", bugs);
	printf(",\"kernel_log\":");
	put_kernel_log();
	printf("}\n");
	fflush(stdout);
}

enum filter_case { UNFILTERED, FILTER, FILTER_SPEC_ALLOW };
static const char *const case_names[] = { "unfiltered", "filter", "filter+spec_allow" };

/* One case in a fresh child; the child reports through a pipe. */
static int one_case(enum filter_case c)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { .len = 1, .filter = allow };
	long got[3] = { 0, 0, 0 }; /* load errno, store bypass, indirect branch */
	int fds[2], status;

	if (pipe(fds))
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		long r[3] = { 0, 0, 0 };
		if (c != UNFILTERED) {
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
			    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				    c == FILTER_SPEC_ALLOW ? SECCOMP_FILTER_FLAG_SPEC_ALLOW : 0, &prog))
				r[0] = errno;
		}
		r[1] = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
		if (r[1] < 0)
			r[1] = -errno;
		r[2] = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
		if (r[2] < 0)
			r[2] = -errno;
		_exit(write(fds[1], r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], got, sizeof(got));
	close(fds[0]);
	waitpid(pid, &status, 0);
	printf(MARK "{\"kind\":\"case\",\"case\":\"%s\",", case_names[c]);
	if (n != (ssize_t)sizeof(got) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("\"error\":\"the child left no result\"}\n");
		fflush(stdout);
		return -1;
	}
	if (got[0]) {
		printf("\"error\":");
		put_str(c == FILTER_SPEC_ALLOW && got[0] == EINVAL
				? "the kernel refused SECCOMP_FILTER_FLAG_SPEC_ALLOW (EINVAL: before 4.17)"
				: strerror((int)got[0]));
		printf(",");
	}
	/* A negative value is -errno: PR_GET_SPECULATION_CTRL itself failed. */
	printf("\"spec_ctrl\":%ld,\"spec_ctrl_indirect_branch\":%ld}\n", got[1], got[2]);
	fflush(stdout);
	return got[0] ? -1 : 0;
}

int main(void)
{
	/* A guest's init only when the guest's kernel command line says so
	 * (bench.sh appends seccomp_suite_guest=1; the kernel hands unknown
	 * name=value words to init as its environment): PID 1 of a PID
	 * namespace on a host must not mount over /proc or power anything off. */
	const char *guest = getenv("seccomp_suite_guest");
	int pid1 = getpid() == 1 && guest && strcmp(guest, "1") == 0, rc = 0;

	if (pid1) {
		/* The rootfs is the initramfs, writable: the mount points may be
		 * missing from it. */
		mkdir("/proc", 0555);
		mkdir("/sys", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	}
	machine();
	for (enum filter_case c = UNFILTERED; c <= FILTER_SPEC_ALLOW; c++)
		if (one_case(c))
			rc = 1;
	printf(MARK "{\"kind\":\"done\",\"status\":%d}\n", rc);
	fflush(stdout);
	if (pid1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return rc;
}
