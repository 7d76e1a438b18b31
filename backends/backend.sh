#!/usr/bin/env bash
# seccomp-suite: the probes under real container runtimes.
#
#   backend.sh run BACKEND PROFILE CAPS NAME...   JSON Lines on stdout
#   backend.sh check BACKEND                      is the runtime usable here?
#   backend.sh diff [OPTIONS] [SYSCALL...]        (./run.sh diff --help)
#
# BACKEND: docker, podman (an image imported from a tarball of the static
# probes), runc, crun (an OCI bundle whose rootfs is the probes and whose
# linux.seccomp is the profile resolved as dockerd resolves it, printed by
# build/<abi>/bin/resolve-profile).  ./run.sh probe --backend and ./run.sh
# diff call this script; it is not meant to be called alone.
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
export SECCOMP_SUITE_PROFILES=${SECCOMP_SUITE_PROFILES:-$HERE/profiles}

die() {
	echo "run.sh: $*" >&2
	exit 1
}
# shellcheck source=backends/containerd.sh
. "$HERE/backends/containerd.sh"

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

# The probes as a container root filesystem: /probe-run alone (every probe
# in one static program; run with no profile it makes each probe's call
# under whatever filter the container has).  Rebuilt when it changed.
rootfs() {
	local r="$WORK/rootfs" stamp="$WORK/rootfs.stamp" sum
	sum=$(sha256sum <"$BUILD/bin/probe-run" | cut -c1-16)
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
		rm -rf "$r"
		mkdir -p "$r/proc" "$r/dev" "$r/sys" "$r/tmp"
		cp "$BUILD/bin/probe-run" "$r/probe-run"
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
		# current probes are ever run.  One still in use stays.
		local old
		for old in $("$tool" images --format '{{.Repository}}:{{.Tag}}' "$IMAGE_PREFIX" 2>/dev/null); do
			[ "$old" = "$tag" ] || "$tool" image rm "$old" >/dev/null 2>&1 || true
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

# One container start: probe-run over NAMEs under SECCOMP (docker/podman: a
# file or "unconfined"; runc/crun: the linux.seccomp JSON or "null").  When
# the runtime cannot start the program (a profile that denies what the
# runtime or execve needs), every probe gets a line saying so.
container_run() {
	local b=$1 seccomp=$2 caps=$3
	shift 3
	local out err rc=0 capargs=() c wrap
	out=$(mktemp) err=$(mktemp)
	runtime_wrap "$b"
	case "$b" in
	docker | podman)
		capargs=(--cap-drop ALL)
		for c in $caps; do capargs+=(--cap-add "$c"); done
		# shellcheck disable=SC2046,SC2207
		[ "$b" = podman ] && capargs+=($(podman_ulimits))
		timeout 600 "${wrap[@]}" "$b" run --rm --network none --label seccomp-suite-backend=run \
			"${capargs[@]}" --security-opt "seccomp=$seccomp" "$(image "$b")" /probe-run -- "$@" \
			>"$out" 2>"$err" || rc=$?
		;;
	runc | crun)
		local bundle id
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

# run BACKEND PROFILE CAPS NAME...: the annotated JSON Lines.  Exit 2 when
# the profile cannot be read (nothing ran), 1 when the runtime is unusable.
cmd_run() {
	local b=$1 profile=$2 caps_spec=$3
	shift 3
	local msg caps file run sentinel baseline tmp unconfined=false
	msg=$(check_backend "$b") || die "backend $b: $msg"
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
		run=$(containerd_seccomp "$profile" "$tmp/oci.json" "$unconfined") sentinel="$tmp/oci-sentinel.json" baseline=unconfined
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
		-f "$HERE/backends/attribute.jq" |
		jq -c --arg arch "$ABI" --arg kernel "$(uname -r)" --arg profile "$profile" --arg backend "$b" \
			--arg runtime "$(runtime_version "$b")" --arg caps "$(echo $caps | tr ' ' ',')" '
			. + {arch: $arch, kernel: $kernel, profile: $profile, backend: $backend, runtime: $runtime,
			     caps: $caps, abi: (.abi // $arch), nr: (.nr // null), errno_name: (.errno_name // null),
			     expected: null}
			| if .verdict == "error"
			  then . + {result: "fail", reason: (.reason // "the suite could not decide")}
			  else . + {result: "skip", reason: "no expectation: run.sh probe observes, run.sh cases asserts"}
			  end' | jq -sc 'sort_by(.probe) | .[]'
	rm -rf "$tmp"
}

diff_usage() {
	cat <<'EOF'
usage: ./run.sh diff [--profile FILE|NAME] [--caps SET] [--backends LIST] [--json] [SYSCALL...]
Runs every probe (or those named) under every listed backend and prints the
probes whose verdicts differ, each backend's verdict, and the known class of
the difference.
  --profile FILE|NAME  as for ./run.sh probe (default docker-default)
  --caps SET           as for ./run.sh probe (default docker-default)
  --backends LIST      comma-separated, from native, docker, runc, crun, podman
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
	local b list=() msg
	if [ -z "$backends" ]; then
		for b in $BACKENDS; do
			if msg=$(check_backend "$b"); then list+=("$b"); else echo "run.sh diff: skipping $b: $msg" >&2; fi
		done
	else
		for b in ${backends//,/ }; do
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
	out="$mkdir_out/diff-$(basename -- "${profile%.json}" | tr -c 'A-Za-z0-9_.-' '_').jsonl"
	local file doc=null
	file=$("$BUILD/bin/resolve-profile" --file "$profile")
	[ "$file" = unconfined ] || doc=$(jq -c . "$file")
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
	diff) cmd_diff "$@" ;;
	*) echo "usage: backends/backend.sh run|check|diff ..." >&2; exit 64 ;;
	esac
}

# Sourced by commands/surface_backend.sh for its helpers: no main then.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
