#!/usr/bin/env bash
# seccomp-suite: the probes under real container runtimes.
#
#   backend.sh run BACKEND PROFILE CAPS NAME...   JSON Lines on stdout
#   backend.sh check BACKEND                      is the runtime usable here?
#   backend.sh diff [OPTIONS] [SYSCALL...]        (./run.sh diff --help)
#   backend.sh daemon-ok BACKEND | daemon-backends  (--profile daemon's backends)
#
# BACKEND: docker, podman (an image imported from a tarball of the static
# probes), runc, crun (an OCI bundle whose rootfs is the probes and whose
# linux.seccomp is the profile resolved as dockerd resolves it, printed by
# build/<abi>/bin/resolve-profile), containerd (ctr run on the image as an
# OCI image layout, that linux.seccomp object as --seccomp-profile:
# backends/containerd.sh).  PROFILE: a file or a bundled name
# (resolve-profile --bundled lists them), or daemon.  ./run.sh probe
# --backend and ./run.sh diff call this script; it is not meant to be
# called alone.
#
# How a verdict is proven inside a runtime (backends/attribute.jq): the
# probes run in plain mode, three times in one container start each: under
# the profile, under a copy whose every ERRNO returns the sentinel 4000, and
# with seccomp unconfined under the same runtime and capabilities.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ABI=$(uname -m)
BUILD="$HERE/build/$ABI"
WORK="$BUILD/backends"
RESOLVE="$BUILD/bin/resolve-profile"
# The sentinel errno of the sentinel copies (lib/policy.h owns it).
SENTINEL_ERRNO=$("$RESOLVE" --sentinel-errno 2>/dev/null || echo unknown)
IMAGE_PREFIX="seccomp-suite-backend-probes"
BACKENDS="native docker runc crun podman containerd"
# The backends --profile daemon is for: a daemon that gives a container a
# default of its own when no seccomp option is named.  The one list: run.sh
# asks `backend.sh daemon-ok B`, commands/surface_backend.sh calls daemon_ok.
DAEMON_BACKENDS="docker podman"
export SECCOMP_SUITE_PROFILES=${SECCOMP_SUITE_PROFILES:-$HERE/profiles}

die() {
	echo "run.sh: $*" >&2
	exit 1
}
# shellcheck source=backends/containerd.sh
. "$HERE/backends/containerd.sh"

# daemon_ok BACKEND: 0 when BACKEND takes --profile daemon; otherwise the
# refusal (one line, no prefix) on stdout, and 1.
daemon_ok() {
	case " $DAEMON_BACKENDS " in *" $1 "*) return 0 ;; esac
	echo "--profile daemon is the ${DAEMON_BACKENDS// / or } daemon's own default: not for backend $1"
	return 1
}

# Is the runtime installed and usable?  Silent and 0 when it is; otherwise
# one line saying what to install or start, and 1.
check_backend() {
	local b=$1
	case "$b" in
	native) return 0 ;;
	docker)
		command -v docker >/dev/null || { echo "docker is not installed: apt-get install docker.io"; return 1; }
		docker info >/dev/null 2>&1 || { echo "dockerd is not running or not reachable: start it as root with 'dockerd --iptables=false --bridge=none >/var/log/dockerd.log 2>&1 &'"; return 1; }
		;;
	podman)
		command -v podman >/dev/null || { echo "podman is not installed: apt-get install podman golang-github-containers-common"; return 1; }
		podman info >/dev/null 2>&1 || { echo "podman cannot run here: 'podman info' fails: $(podman info 2>&1 | tail -n1)"; return 1; }
		;;
	containerd) containerd_check || return 1 ;;
	runc | crun)
		command -v "$b" >/dev/null || { echo "$b is not installed: apt-get install $b"; return 1; }
		[ "$(id -u)" -eq 0 ] || { echo "$b runs the bundle as root here: run as root"; return 1; }
		"$b" --version >/dev/null 2>&1 || { echo "$b does not run: '$b --version' fails"; return 1; }
		;;
	*)
		echo "unknown backend '$b' (expected one of: $BACKENDS)"
		return 1
		;;
	esac
}

runtime_version() {
	case "$1" in
	docker) echo "docker $(docker version --format '{{.Server.Version}}' 2>/dev/null) ($(docker info --format '{{.DefaultRuntime}}' 2>/dev/null))" ;;
	podman) echo "podman $(podman version --format '{{.Version}}' 2>/dev/null) ($(podman info --format '{{.Host.OCIRuntime.Name}}' 2>/dev/null))" ;;
	runc | crun) "$1" --version | head -n1 ;;
	containerd) containerd_version ;;
	esac
}

# The probes as a container root filesystem: /probe-run (every probe in one
# static program; run with no profile it makes each probe's call under
# whatever filter the container has) and /scsurface (static; --hold keeps a
# --profile daemon container alive while its filter is read back, 900 s at
# most).  Rebuilt
# when either changed.
rootfs() {
	local r="$WORK/rootfs" stamp="$WORK/rootfs.stamp" sum
	sum=$(cat "$BUILD/bin/probe-run" "$BUILD/bin/scsurface" | sha256sum | cut -c1-16)
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
		rm -rf "$r"
		mkdir -p "$r/proc" "$r/dev" "$r/sys" "$r/tmp"
		cp "$BUILD/bin/probe-run" "$r/probe-run"
		cp "$BUILD/bin/scsurface" "$r/scsurface"
		tar -C "$r" -cf "$WORK/rootfs.tar" .
		echo "$sum" >"$stamp"
	fi
	echo "$r"
}

# The image imported from the rootfs tarball (no registry is reachable),
# tagged with the rootfs checksum so that a rebuilt probe gives a new image.
image() {
	local tool=$1 tag
	rootfs >/dev/null
	tag="$IMAGE_PREFIX:$(cat "$WORK/rootfs.stamp")"
	if ! "$tool" image inspect "$tag" >/dev/null 2>&1; then
		"$tool" import --change "LABEL seccomp-suite-backend=probes" "$WORK/rootfs.tar" "$tag" >/dev/null 2>&1 ||
			die "$tool import of $WORK/rootfs.tar failed"
		# The images of earlier builds (about 100 MB each) go: only the
		# current probes are ever run.  One still in use stays.  Podman
		# lists the image as localhost/NAME:TAG: the one just imported.
		local old
		for old in $("$tool" images --format '{{.Repository}}:{{.Tag}}' "$IMAGE_PREFIX" 2>/dev/null); do
			[ "${old#localhost/}" = "$tag" ] || "$tool" image rm "$old" >/dev/null 2>&1 || true
		done
	fi
	echo "$tag"
}

# oci_config ROOT SECCOMP CAPS_JSON ARG...: config.json for runc and crun:
# the capability set as bounding, effective and permitted (as dockerd writes
# it), the namespaces Docker gives a container with --network none, and
# linux.seccomp as given ("null": none).  commands/surface_backend.sh uses it too.
oci_config() {
	local root=$1 seccomp=$2 caps_json=$3
	shift 3
	# The arguments as a JSON array: jq would read "--hold" as its own option.
	jq -n --arg root "$root" --argjson seccomp "$seccomp" --argjson caps "$caps_json" \
		--argjson args "$(printf '%s\n' "$@" | jq -R . | jq -sc .)" '{
		ociVersion: "1.0.2",
		process: {terminal: false, user: {uid: 0, gid: 0}, args: $args, env: ["PATH=/"], cwd: "/",
			capabilities: {bounding: $caps, effective: $caps, permitted: $caps},
			noNewPrivileges: false},
		root: {path: $root, readonly: true},
		hostname: "seccomp-suite",
		mounts: [
			{destination: "/proc", type: "proc", source: "proc"},
			{destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
			{destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]},
			{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]}
		],
		linux: ({namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"}, {type: "mount"}],
			maskedPaths: ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
			readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]}
			+ (if $seccomp == null then {} else {seccomp: $seccomp} end))
	}'
}

# crun (and Podman, which runs crun) refuses every container on a host whose
# cgroups are hybrid (v1 with controllers also enabled in the v2 tree at
# /sys/fs/cgroup/unified).  Cgroups play no part in seccomp, so on such a
# host the runtime runs in a private mount namespace where the v2 tree is
# unmounted: it sees plain cgroup v1.  The host's own mounts are untouched.
# Sets the array wrap to the command prefix for backend $1.
runtime_wrap() {
	wrap=()
	if { [ "$1" = crun ] || [ "$1" = podman ]; } && [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
		wrap=(unshare --mount --propagation private sh -c 'umount -l /sys/fs/cgroup/unified && exec "$@"' sh)
	fi
}

# Podman asks crun for rlimits (nofile 1048576, nproc as high) that crun
# cannot set where the caller's hard limits are lower ("setrlimit
# RLIMIT_NOFILE: Operation not permitted"): name ones no higher than ours,
# and no higher than the kernel's default pid_max (32768), which were
# accepted here where higher nproc values were refused.
podman_ulimits() {
	local n u
	n=$(ulimit -Hn) u=$(ulimit -Hu)
	{ [ "$n" = unlimited ] || [ "$n" -gt 32768 ]; } && n=32768
	{ [ "$u" = unlimited ] || [ "$u" -gt 32768 ]; } && u=32768
	echo "--ulimit nofile=$n:$n --ulimit nproc=$u:$u"
}

# container_opts BACKEND CAPS: the docker/podman run options every probe
# container gets: the capability set alone (and, for Podman, rlimits it can
# set), one option a line.
container_opts() {
	local c
	echo --cap-drop
	echo ALL
	for c in $2; do
		echo --cap-add
		echo "$c"
	done
	# shellcheck disable=SC2046
	[ "$1" != podman ] || printf '%s\n' $(podman_ulimits)
}

# One container start: probe-run over NAMEs under SECCOMP (docker/podman: a
# file or "unconfined"; runc/crun: the linux.seccomp JSON or "null").  When
# the runtime cannot start the program (a profile that denies what the
# runtime or execve needs), every probe gets a line saying so.
container_run() {
	local b=$1 seccomp=$2 caps=$3
	shift 3
	local out err rc=0 capargs=() wrap
	out=$(mktemp) err=$(mktemp)
	runtime_wrap "$b"
	case "$b" in
	docker | podman)
		# shellcheck disable=SC2207
		capargs=($(container_opts "$b" "$caps"))
		timeout 600 "${wrap[@]}" "$b" run --rm --network none --label seccomp-suite-backend=run \
			"${capargs[@]}" --security-opt "seccomp=$seccomp" "$(image "$b")" /probe-run -- "$@" \
			>"$out" 2>"$err" || rc=$?
		;;
	runc | crun)
		local bundle id
		mkdir -p "$WORK"
		bundle=$(mktemp -d "$WORK/bundle.XXXXXX")
		id="seccomp-suite-backend-$(basename "$bundle")"
		oci_config "$(rootfs)" "$seccomp" "$(printf '%s\n' $caps | jq -R . | jq -sc .)" /probe-run -- "$@" >"$bundle/config.json"
		timeout 600 "${wrap[@]}" "$b" --root "$WORK/$b-state" run --bundle "$bundle" "$id" \
			>"$out" 2>"$err" </dev/null || rc=$?
		"$b" --root "$WORK/$b-state" delete -f "$id" >/dev/null 2>&1 || true
		rm -rf "$bundle"
		;;
	containerd) containerd_run "$seccomp" "$caps" "$@" >"$out" 2>"$err" || rc=$? ;;
	esac
	if [ -s "$out" ] && jq -e . "$out" >/dev/null 2>&1; then
		cat "$out"
	else
		local why
		# runc logs a Go stack before its own message: keep the message.
		why=$(sed -n 's/.*level=error msg="\(.*\)".*/\1/p' "$err" | tail -n 1)
		[ -n "$why" ] || why=$(grep -v '^$' "$err" | grep -v "Run '.* --help'" | tail -n 2 | tr '\n' ' ')
		why=$(printf '%s' "$why" | head -c 400)
		printf '%s\n' "$@" | jq -Rc --arg b "$b" --arg why "$why" --argjson rc "$rc" '{
			syscall: split(".")[0], probe: ., verdict: "error", by: null, started: false,
			reason: "\($b) could not start the probe (exit \($rc)): \($why)"}'
	fi
	rm -f "$out" "$err"
}

# --profile daemon: whatever the daemon gives a container started with no
# --security-opt seccomp=.  It names no file the suite could copy with a
# sentinel errno, so the verdicts are proven from the filter itself
# (backends/daemon.jq):
#   1. a holder container (/scsurface --hold) started with the probes'
#      capabilities and no seccomp option;
#   2. its filter read back on the host with PTRACE_SECCOMP_GET_FILTER and
#      followed on every path (scsurface --pid: the static surface);
#   3. a second holder exec'd in it must have the same filter (runc and
#      crun apply the container's seccomp config to an exec'd process:
#      checked, exec_filter_same); then the probes run by `BACKEND exec`;
#   4. the same probes in a container with seccomp=unconfined;
#   5. the arguments each probe passes (probe-run --args, on the host: the
#      call is caught by USER_NOTIF and never runs), for the numbers whose
#      action depends on arguments.
# Every probe's result is then checked against the filter's own answer for
# its call; a result the filter cannot give is `error`, never a guess.
# The holder and the temporary folder go on every exit (an interrupted run,
# a failing command under set -e): daemon_cleanup, trapped.  The holder also
# exits by itself after scsurface --hold's 900 s (longer than any of the
# runs' 600 s timeouts), should even the trap not run (SIGKILL).
daemon_run() {
	local b=$1 caps=$2
	shift 2
	local pid wrap rc=0 why="" started=null image filters
	DAEMON_BACKEND=$b DAEMON_ID="seccomp-suite-daemon-$$-$RANDOM" DAEMON_TMP=$(mktemp -d)
	trap daemon_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	local tmp=$DAEMON_TMP id=$DAEMON_ID
	image=$(image "$b")
	runtime_wrap "$b"
	# shellcheck disable=SC2046
	if ! "${wrap[@]}" "$b" run -d --name "$id" --network none --label seccomp-suite-backend=run \
		$(container_opts "$b" "$caps") "$image" /scsurface --hold >/dev/null 2>"$tmp/run.err"; then
		started=false
		why="$b could not start the holder container: $(grep -v '^$' "$tmp/run.err" | grep -v "Run '.* --help'" | tail -n 2 | tr '\n' ' ' | head -c 300)"
	else
		pid=$("$b" inspect -f '{{.State.Pid}}' "$id" 2>/dev/null || echo 0)
		filters=$(awk '$1 == "Seccomp_filters:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
		if [ "${pid:-0}" = 0 ]; then
			why="$b gave no process id for the holder container"
		elif ! "$BUILD/bin/scsurface" --pid "$pid" --source static --json --backend "$b" \
			>"$tmp/filter.jsonl" 2>"$tmp/filter.err"; then
			why="the daemon's filter could not be read back from the container (pid $pid): $(head -c 300 "$tmp/filter.err")"
		elif ! why=$(exec_filter_same "$b" "$id" "$pid" "$tmp"); then
			:
		else
			timeout 600 "$b" exec "$id" /probe-run -- "$@" >"$tmp/run.jsonl" 2>"$tmp/exec.err" || rc=$?
			jq -e . "$tmp/run.jsonl" >/dev/null 2>&1 && [ -s "$tmp/run.jsonl" ] ||
				why="$b exec of the probes failed (exit $rc): $(tail -n 2 "$tmp/exec.err" | tr '\n' ' ' | head -c 300)"
		fi
	fi
	daemon_remove_holder
	if [ -n "$why" ]; then
		printf '%s\n' "$@" | jq -Rc --arg why "$why" --argjson started "$started" '{syscall: split(".")[0], probe: .,
			verdict: "error", by: null, reason: $why} + (if $started == null then {} else {started: $started} end)'
		daemon_cleanup
		return 0
	fi
	container_run "$b" unconfined "$caps" "$@" >"$tmp/baseline.jsonl"
	"$BUILD/bin/probe-run" --args -- "$@" >"$tmp/args.jsonl" 2>/dev/null || : >"$tmp/args.jsonl"
	jq -nc --slurpfile run "$tmp/run.jsonl" --slurpfile baseline "$tmp/baseline.jsonl" \
		--slurpfile filter "$tmp/filter.jsonl" --slurpfile args "$tmp/args.jsonl" \
		--arg source "read back with PTRACE_SECCOMP_GET_FILTER from the container's init and, identical, from a process $b exec started in it ($filters filter$([ "$filters" = 1 ] || echo s))" \
		-f "$HERE/backends/daemon.jq"
	daemon_cleanup
}

# The holder container of daemon_run (DAEMON_BACKEND, DAEMON_ID), removed
# once.  It is PID 1 of its container and ignores SIGTERM: no stop timeout.
daemon_remove_holder() {
	[ -n "${DAEMON_ID:-}" ] || return 0
	if [ "$DAEMON_BACKEND" = podman ]; then podman rm -f -t 0 "$DAEMON_ID"; else docker rm -f "$DAEMON_ID"; fi >/dev/null 2>&1 || true
	DAEMON_ID=""
}

# Everything daemon_run leaves: the holder, DAEMON_TMP; the traps go too.
daemon_cleanup() {
	daemon_remove_holder
	[ -z "${DAEMON_TMP:-}" ] || rm -rf "$DAEMON_TMP"
	DAEMON_TMP=""
	trap - EXIT INT TERM
}

# exec_filter_same BACKEND ID PID TMP: does a process `BACKEND exec` starts
# in the container have the filter read back from its init (PID, surface in
# TMP/filter.jsonl)?  A second holder is exec'd, found on the host by its
# pid namespace and command line, read back and compared (scsurface
# --diff).  Silent and 0 when it is the same; otherwise the reason, and 1.
exec_filter_same() {
	local b=$1 id=$2 pid=$3 tmp=$4 ns p other="" _
	ns=$(readlink "/proc/$pid/ns/pid") || { echo "cannot read the container's pid namespace"; return 1; }
	"$b" exec -d "$id" /scsurface --hold >/dev/null 2>"$tmp/exec-hold.err" ||
		{ echo "$b exec of a second holder failed: $(tail -n 1 "$tmp/exec-hold.err" | head -c 200)"; return 1; }
	for _ in $(seq 1 50); do
		for p in /proc/[0-9]*; do
			p=${p#/proc/}
			[ "$p" != "$pid" ] && [ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] &&
				[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "/scsurface --hold " ] && { other=$p; break 2; }
		done
		sleep 0.1
	done
	[ -n "$other" ] || { echo "the holder $b exec started was not found on the host"; return 1; }
	"$BUILD/bin/scsurface" --pid "$other" --source static --json >"$tmp/exec-filter.jsonl" 2>"$tmp/exec-filter.err" ||
		{ echo "the filter of a process $b exec started could not be read back: $(head -c 200 "$tmp/exec-filter.err")"; return 1; }
	"$BUILD/bin/scsurface" --diff "$tmp/filter.jsonl" "$tmp/exec-filter.jsonl" >"$tmp/exec-diff.txt" 2>&1 ||
		{ echo "a process $b exec starts has another filter than the container's init: $(tail -n 1 "$tmp/exec-diff.txt")"; return 1; }
}

# run BACKEND PROFILE CAPS NAME...: the annotated JSON Lines.  Exit 2 when
# the profile cannot be read (nothing ran), 1 when the runtime is unusable,
# 64 for --profile daemon under a backend that has no daemon.
cmd_run() {
	local b=$1 profile=$2 caps_spec=$3
	shift 3
	local msg caps file run sentinel baseline tmp unconfined=false
	if [ "$profile" = daemon ]; then
		msg=$(daemon_ok "$b") || { echo "run.sh: $msg" >&2; exit 64; }
	fi
	msg=$(check_backend "$b") || die "backend $b: $msg"
	if [ "$profile" = daemon ]; then
		caps=$("$RESOLVE" --caps-list "$caps_spec") || exit 64
		daemon_run "$b" "$caps" "$@" | label_lines "$b" daemon "$caps"
		return 0
	fi
	caps=$("$RESOLVE" --caps-list "$caps_spec") || exit 64
	tmp=$(mktemp -d)
	# The profile is read (and refused) by the suite's own loader first, so
	# that a bad profile stops here with the native loader's message.
	"$RESOLVE" --caps "$caps_spec" "$profile" >"$tmp/oci.json" || { rm -rf "$tmp"; exit 2; }
	"$RESOLVE" --caps "$caps_spec" --sentinel "$profile" >"$tmp/oci-sentinel.json"
	file=$("$RESOLVE" --file "$profile")
	[ "$file" = unconfined ] && unconfined=true
	case "$b" in
	docker | podman)
		if $unconfined; then
			run=unconfined sentinel=unconfined
		else
			run=$file sentinel="$tmp/sentinel.json"
			"$RESOLVE" "--docker-sentinel$([ "$b" = podman ] && echo -errno)" "$profile" >"$sentinel"
		fi
		baseline=unconfined
		;;
	runc | crun)
		run=$(cat "$tmp/oci.json") sentinel=$(cat "$tmp/oci-sentinel.json") baseline=null
		;;
	containerd)
		run=$(containerd_seccomp "$tmp/oci.json" "$unconfined") sentinel="$tmp/oci-sentinel.json" baseline=unconfined
		;;
	esac
	container_run "$b" "$run" "$caps" "$@" >"$tmp/run.jsonl"
	if $unconfined; then
		cp "$tmp/run.jsonl" "$tmp/sentinel.jsonl"
		cp "$tmp/run.jsonl" "$tmp/baseline.jsonl"
	else
		container_run "$b" "$sentinel" "$caps" "$@" >"$tmp/sentinel.jsonl"
		container_run "$b" "$baseline" "$caps" "$@" >"$tmp/baseline.jsonl"
	fi
	jq -nc --slurpfile run "$tmp/run.jsonl" --slurpfile sentinel "$tmp/sentinel.jsonl" \
		--slurpfile baseline "$tmp/baseline.jsonl" --argjson profile_unconfined "$unconfined" \
		--argjson sentinel_errno "$SENTINEL_ERRNO" \
		--argjson sentinel_traps "$([ "$b" = docker ] && echo true || echo false)" \
		-f "$HERE/backends/attribute.jq" | label_lines "$b" "$profile" "$caps"
	rm -rf "$tmp"
}

# label_lines BACKEND PROFILE CAPS: attributed lines on stdin as results
# lines (the run's labels; result skip, or fail for error), sorted by probe.
label_lines() {
	# shellcheck disable=SC2086
	jq -c --arg arch "$ABI" --arg kernel "$(uname -r)" --arg profile "$2" --arg backend "$1" \
		--arg runtime "$(runtime_version "$1")" --arg caps "$(echo $3 | tr ' ' ',')" \
		--arg suite "$("$HERE/commands/version.sh")" --arg host "$(hostname)" \
		--arg time "${SECCOMP_SUITE_RUN_TIME:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}" '
		. + {arch: $arch, kernel: $kernel, profile: $profile, backend: $backend, runtime: $runtime,
		     caps: $caps, abi: (.abi // $arch), nr: (.nr // null), errno_name: (.errno_name // null),
		     expected: null, suite: $suite, host: $host, time: $time}
		| if .verdict == "error"
		  then . + {result: "fail", reason: (.reason // "the suite could not decide")}
		  else . + {result: "skip", reason: "no expectation: run.sh probe observes, run.sh cases asserts"}
		  end' | jq -sc 'sort_by(.probe) | .[]'
}

diff_usage() {
	cat <<EOF
usage: ./run.sh diff [--profile FILE|NAME] [--caps SET] [--backends LIST] [--json] [SYSCALL...]
Runs every probe (or those named) under every listed backend and prints the
probes whose verdicts differ, each backend's verdict, and the known class of
the difference.
  --profile FILE|NAME  as for ./run.sh probe (default docker-default); daemon:
                       each daemon's own default (${DAEMON_BACKENDS// / and } only)
  --caps SET           as for ./run.sh probe (default docker-default)
  --backends LIST      comma-separated, from:
                       ${BACKENDS// /, }
                       (default: native and every runtime usable here)
  --json               print one JSON object per differing probe instead
Exit status: 0 done (differences are findings, not failures); 1 a backend
could not run or a verdict is error; 2 the profile was refused; 64 usage.
EOF
}

# Which documented class explains a difference (backends/classify.jq).
cmd_diff() {
	local profile=docker-default caps=docker-default backends="" json=0 names=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--profile | --caps | --backends)
			[ $# -ge 2 ] && [ -n "$2" ] || { echo "run.sh diff: $1 needs a value" >&2; exit 64; }
			case "$1" in
			--profile) profile=$2 ;;
			--caps) caps=$2 ;;
			--backends) backends=$2 ;;
			esac
			shift 2 ;;
		--json) json=1; shift ;;
		-h | --help) diff_usage; exit 0 ;;
		-*) echo "run.sh diff: unknown option '$1'" >&2; exit 64 ;;
		*) names+=("$1"); shift ;;
		esac
	done
	local b list=() msg candidates=$BACKENDS
	# The daemons' own defaults: Docker's against Podman's.
	[ "$profile" != daemon ] || candidates=$DAEMON_BACKENDS
	if [ -z "$backends" ]; then
		for b in $candidates; do
			if msg=$(check_backend "$b"); then list+=("$b"); else echo "run.sh diff: skipping $b: $msg" >&2; fi
		done
	else
		for b in ${backends//,/ }; do
			if [ "$profile" = daemon ]; then
				msg=$(daemon_ok "$b") || { echo "run.sh diff: $msg" >&2; exit 64; }
			fi
			msg=$(check_backend "$b") || die "backend $b: $msg"
			list+=("$b")
		done
	fi
	local tmp files=() rc=0 selected
	tmp=$(mktemp -d)
	selected=$("$BUILD/bin/probe-run" --list -- "${names[@]}" | jq -r .probe) || exit 64
	for b in "${list[@]}"; do
		# Each backend directly: native is probe-run, a runtime is cmd_run.
		if [ "$b" = native ]; then
			# shellcheck disable=SC2086
			"$BUILD/bin/probe-run" --profile "$profile" --caps "$caps" --out "$tmp/$b.jsonl" -- $selected || rc=$?
		else
			# shellcheck disable=SC2086
			(cmd_run "$b" "$profile" "$caps" $selected) >"$tmp/$b.jsonl" || rc=$?
		fi
		[ "$rc" -eq 2 ] && { rm -rf "$tmp"; exit 2; }
		files+=("$tmp/$b.jsonl")
	done
	local mkdir_out="$HERE/build/results"
	mkdir -p "$mkdir_out"
	local out
	out="$mkdir_out/diff-$(basename -- "${profile%.json}" | tr -d '\n' | tr -c 'A-Za-z0-9_.-' '_').jsonl"
	local file doc=null
	if [ "$profile" != daemon ]; then
		file=$("$BUILD/bin/resolve-profile" --file "$profile")
		[ "$file" = unconfined ] || doc=$(jq -c . "$file")
	fi
	jq -sc --arg backends "${list[*]}" --argjson profile_doc "$doc" -f "$HERE/backends/classify.jq" \
		"${files[@]}" >"$out"
	if [ "$json" = 1 ]; then
		cat "$out"
	else
		print_diff "$out" "${list[@]}"
		echo "results: $out"
	fi
	rm -rf "$tmp"
	# A probe the runtime could not start is the verdict of that profile
	# under that runtime, not a failure of the run.
	[ "$rc" -eq 0 ] || ! jq -e 'select(.verdict == "error" and .started != false)' "${files[@]}" >/dev/null || exit 1
}

print_diff() {
	local out=$1
	shift
	{
		printf 'PROBE'
		printf '\t%s' "$@"
		printf '\tCLASS\n'
		jq -r --arg bs "$*" '($bs | split(" ")) as $bs
			| . as $row | [.probe] + ($bs | map($row.verdicts[.] // "-")) + [(.classes | join(", "))] | @tsv' "$out"
	} | awk -F'\t' '{ printf "%-22s", $1; for (i = 2; i < NF; i++) printf " %-16s", $i; printf " %s\n", $NF }'
	echo
	jq -rs 'if length == 0 then "no differences" else
		"\(length) probes differ: " + (map(.classes[]) | group_by(.) | map("\(length) \(.[0])") | join(", ")) end' "$out"
}

main() {
	local cmd=${1:-}
	[ $# -gt 0 ] && shift
	case "$cmd" in
	run) cmd_run "$@" ;;
	check) check_backend "$@" ;;
	# daemon-ok BACKEND: silent and 0 when it takes --profile daemon, else
	# the refusal on stderr and 64.  daemon-backends: the list.
	daemon-ok) msg=$(daemon_ok "${1:-}") || { echo "$msg" >&2; exit 64; } ;;
	daemon-backends) echo "$DAEMON_BACKENDS" ;;
	diff) cmd_diff "$@" ;;
	*) echo "usage: backends/backend.sh run|check|diff ..." >&2; exit 64 ;;
	esac
}

# Sourced by commands/surface_backend.sh for its helpers: no main then.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
