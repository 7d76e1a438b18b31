#!/usr/bin/env bash
# seccomp-suite: the decision surface, natively or under a container runtime
# (./run.sh surface).
#
#   commands/surface_backend.sh [--backend native|runc|crun|docker|podman]
#                          [--profile FILE|NAME] [--caps SET] [--abi A]
#                          [--json] [--out FILE] [OTHER scsurface OPTIONS]
#   commands/surface_backend.sh --diff A B [--profile FILE|NAME] [--caps SET] [--abi A] [--json]
#   --profile daemon (docker, podman): the daemon's own default, no --security-opt
#
# native (the default) is build/<abi>/bin/scsurface itself.  runc and crun:
# an OCI bundle whose linux.seccomp is the profile resolved as dockerd
# resolves it (build/<abi>/bin/resolve-profile); docker and podman: an image
# imported from a tarball holding scsurface.  In --diff, A and B are
# profiles, saved surfaces, or backend names (surveyed under --profile).
#
# Under a runtime, one container start:
#   1. the container runs `scsurface --hold` (it does nothing until killed);
#   2. static: on the host, `scsurface --pid PID` reads the filter the
#      runtime installed in that process back with
#      ptrace(PTRACE_SECCOMP_GET_FILTER) and follows it on every path (runc's
#      ENOSYS stub and anything else the runtime did to the profile included);
#   3. live: `RUNTIME exec` starts `scsurface --inherit --live-with -` in the
#      same container, under the same filter: it stacks the USER_NOTIF
#      catch-all, makes every call of the static surface (fed on stdin) and
#      compares each with it there;
#   4. the container is removed.
# Exit: 0 the sources agree; 1 they disagree, or a rule is miscompiled in the
# installed filter (--diff: the surfaces differ); 2 the profile was refused;
# 3 a source could not run (the reason is printed: no
# PTRACE_SECCOMP_GET_FILTER, a profile that forbids what the live source
# needs, ...); 64 usage.
#
# The OCI config and the runtime quirks (oci_config, runtime_wrap,
# podman_ulimits) are backends/backend.sh's, sourced here.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
ABI=$(uname -m)
BUILD="$HERE/build/$ABI"
SURFACE="$BUILD/bin/scsurface"
# shellcheck source=../backends/backend.sh
. "$HERE/backends/backend.sh"
WORK="$BUILD/surface-backend"
RESOLVE="$BUILD/bin/resolve-profile"
export SECCOMP_SUITE_PROFILES=${SECCOMP_SUITE_PROFILES:-$HERE/profiles}

usage() {
	sed -n '4,10p' "$0" | sed 's/^# \{0,1\}//'
}

die() {
	echo "surface: $*" >&2
	exit "${2:-3}"
}

backend=native profile=docker-default caps=docker-default abi_args=() json=0 out="" keep=0
diff_a="" diff_b="" pass=()
while [ $# -gt 0 ]; do
	case "$1" in
	--backend) backend=${2:?--backend needs a name}; shift 2 ;;
	--profile) profile=${2:?--profile needs a file or name}; pass+=("$1" "$2"); shift 2 ;;
	--caps) caps=${2:?--caps needs a set}; pass+=("$1" "$2"); shift 2 ;;
	--abi) abi_args=(--abi "${2:?--abi needs an ABI}"); pass+=("$1" "$2"); shift 2 ;;
	--json) json=1; pass+=("$1"); shift ;;
	--out) out=${2:?--out needs a file}; pass+=("$1" "$2"); shift 2 ;;
	--diff) diff_a=${2:?--diff needs A and B}; diff_b=${3:?--diff needs A and B}; shift 3 ;;
	--keep) keep=1; shift ;;
	-h | --help) usage; "$SURFACE" --help | sed -n '/^  --/,$p'; exit 0 ;;
	*) pass+=("$1"); shift ;;
	esac
done

# --profile daemon: the docker or podman daemon's own default (no
# --security-opt seccomp=), surveyed from the filter its container has.
# Which backends take it is backend.sh's (daemon_ok); in --diff, an operand
# that is no backend name is a profile or a saved surface.
if [ "$profile" = daemon ]; then
	if [ -n "$diff_a" ]; then set -- "$diff_a" "$diff_b"; else set -- "$backend"; fi
	for b in "$@"; do
		[ -n "$diff_a" ] && [[ " $BACKENDS " != *" $b "* ]] && continue
		msg=$(daemon_ok "$b") || { echo "surface: $msg" >&2; exit 64; }
	done
fi

# --diff: backend names become surveys; profiles and files go as they are.
if [ -n "$diff_a" ]; then
	dtmp=$(mktemp -d)
	trap 'rm -rf "$dtmp"' EXIT
	operand() {
		case "$1" in
		native) "$SURFACE" --source static --profile "$profile" --caps "$caps" "${abi_args[@]}" --out "$dtmp/$2.jsonl" >/dev/null || [ $? -eq 1 ] || exit 2
			echo "$dtmp/$2.jsonl" ;;
		runc | crun | docker | podman)
			bash "$0" --backend "$1" --profile "$profile" --caps "$caps" "${abi_args[@]}" --out "$dtmp/$2.jsonl" >/dev/null || [ $? -eq 1 ] || exit 2
			echo "$dtmp/$2.jsonl" ;;
		*) echo "$1" ;;
		esac
	}
	a=$(operand "$diff_a" a) || exit 2
	b=$(operand "$diff_b" b) || exit 2
	rc=0
	json_arg=()
	[ "$json" = 1 ] && json_arg=(--json)
	"$SURFACE" --diff "$a" "$b" --caps "$caps" "${abi_args[@]}" "${json_arg[@]}" || rc=$?
	exit "$rc"
fi
case "$backend" in
native) exec "$SURFACE" "${pass[@]}" ;;
runc | crun | docker | podman) ;;
*) echo "surface: unknown backend '$backend' (native, runc, crun, docker, podman)" >&2; exit 64 ;;
esac
# Podman resolves a Docker-format profile itself and keeps defaultErrnoRet
# (Podman 4.3.1 even forces ENOSYS there): what the profile means under it
# is modelled by the engine that keeps it, docker-26, unless one is named.
[ "$backend" != podman ] || export SECCOMP_SUITE_ENGINE=${SECCOMP_SUITE_ENGINE:-docker-26}
[ "$(id -u)" -eq 0 ] || die "reading a container's filter back needs root (CAP_SYS_ADMIN)"
command -v "$backend" >/dev/null || die "$backend is not installed"
[ -x "$SURFACE" ] && [ -x "$RESOLVE" ] || die "build first: make -j2"

mkdir -p "$WORK"
tmp=$(mktemp -d "$WORK/run.XXXXXX")
id="seccomp-suite-surface-$(basename "$tmp" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '-')"
cleanup() {
	case "$backend" in
	runc | crun) "$backend" --root "$WORK/$backend-state" delete -f "$id" >/dev/null 2>&1 || true ;;
	# The holder, PID 1 of its container, ignores SIGTERM: Podman would
	# wait its 10 s stop timeout before killing it.
	docker) docker rm -f "$id" >/dev/null 2>&1 || true ;;
	podman) podman rm -f -t 0 "$id" >/dev/null 2>&1 || true ;;
	esac
	[ "$keep" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT

# The profile is read (and refused) by the suite's own loader first.
# daemon: no file; the container gets no seccomp option.
capslist=$("$RESOLVE" --caps-list "$caps") || exit 64
if [ "$profile" = daemon ]; then
	file=daemon
else
	"$RESOLVE" --caps "$caps" "$profile" >"$tmp/seccomp.json" || exit 2
	file=$("$RESOLVE" --file "$profile")
fi

# The root filesystem: scsurface alone (static).
rootfs="$tmp/rootfs"
mkdir -p "$rootfs/proc" "$rootfs/dev" "$rootfs/sys" "$rootfs/tmp"
cp "$SURFACE" "$rootfs/scsurface"

# Sets wrap (backend.sh).
wrap=()
runtime_wrap "$backend"

start_container() {
	case "$backend" in
	runc | crun)
		local seccomp
		seccomp=$(if [ "$file" = unconfined ]; then echo null; else cat "$tmp/seccomp.json"; fi)
		oci_config "$rootfs" "$seccomp" "$(printf '%s\n' $capslist | jq -R . | jq -sc 'map(select(. != ""))')" \
			/scsurface --hold >"$tmp/config.json"
		"${wrap[@]}" "$backend" --root "$WORK/$backend-state" run -d --bundle "$tmp" "$id" \
			</dev/null >"$tmp/run.out" 2>"$tmp/run.err" ||
			die "$backend could not start the container: $(tail -n 3 "$tmp/run.err" | tr '\n' ' ')"
		pid=$("$backend" --root "$WORK/$backend-state" state "$id" | jq -r .pid)
		;;
	docker | podman)
		local image opts=() c
		if [ "$backend" = docker ]; then
			docker info >/dev/null 2>&1 || die "dockerd is not running: start it as root with 'dockerd --iptables=false --bridge=none &'"
		fi
		tar -C "$rootfs" -cf "$tmp/rootfs.tar" .
		image="seccomp-suite-surface:$(sha256sum "$tmp/rootfs.tar" | cut -c1-16)"
		"$backend" image inspect "$image" >/dev/null 2>&1 ||
			"$backend" import "$tmp/rootfs.tar" "$image" >/dev/null 2>"$tmp/import.err" ||
			die "$backend import failed: $(tail -n 2 "$tmp/import.err")"
		opts=(--cap-drop ALL)
		# shellcheck disable=SC2207
		[ "$backend" = podman ] && opts+=($(podman_ulimits))
		for c in $capslist; do opts+=(--cap-add "$c"); done
		case "$file" in
		daemon) ;;
		unconfined) opts+=(--security-opt seccomp=unconfined) ;;
		*) opts+=(--security-opt "seccomp=$file") ;;
		esac
		"${wrap[@]}" "$backend" run -d --name "$id" --network none "${opts[@]}" "$image" /scsurface --hold \
			>"$tmp/run.out" 2>"$tmp/run.err" ||
			die "$backend could not start the container: $(tail -n 3 "$tmp/run.err" | tr '\n' ' ')"
		pid=$("$backend" inspect -f '{{.State.Pid}}' "$id")
		;;
	esac
	[ -n "$pid" ] && [ "$pid" != 0 ] || die "$backend gave no process id for the container"
}

exec_in_container() {
	case "$backend" in
	runc | crun) "${wrap[@]}" "$backend" --root "$WORK/$backend-state" exec "$id" "$@" ;;
	docker | podman) "$backend" exec -i "$id" "$@" ;;
	esac
}


start=$(date +%s%N)
start_container
rc=0
# The daemon's profile has no file to check the filter against: the filter
# read back is the surface, labelled with the profile's name and the caps.
profile_args=(--profile "$profile")
[ "$profile" != daemon ] || profile_args=()
"$SURFACE" --pid "$pid" "${profile_args[@]}" --caps "$caps" --backend "$backend" --source static --json \
	"${abi_args[@]}" >"$tmp/static.jsonl" 2>"$tmp/static.err" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
	die "the static source under $backend could not run: $(cat "$tmp/static.err")" "$rc"
fi
if [ "$profile" = daemon ]; then
	jq -c --arg caps "$(echo $capslist | tr ' ' ',')" '.profile = "daemon" | .caps = $caps' \
		"$tmp/static.jsonl" >"$tmp/static.daemon" && mv "$tmp/static.daemon" "$tmp/static.jsonl"
fi
[ -s "$tmp/static.err" ] && sed 's/^/surface: /' "$tmp/static.err" >&2
live_rc=0
exec_in_container /scsurface --inherit --live-with - --backend "$backend" --json \
	<"$tmp/static.jsonl" >"$tmp/both.jsonl" 2>"$tmp/live.err" || live_rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ ! -s "$tmp/both.jsonl" ]; then
	echo "surface: the live source under $backend did not run: $(cat "$tmp/live.err")" >&2
	cp "$tmp/static.jsonl" "$tmp/both.jsonl"
	live_rc=3
fi
[ "$live_rc" -le 1 ] || rc=3
[ "$live_rc" -eq 1 ] && [ "$rc" -eq 0 ] && rc=1
if [ -n "$out" ]; then
	cp "$tmp/both.jsonl" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
fi
if [ "$json" = 1 ]; then
	cat "$tmp/both.jsonl"
else
	"$SURFACE" --show "$tmp/both.jsonl" || true
	echo "runtime   $(runtime_version "$backend"), container started and surveyed in ${ms} ms"
fi
exit "$rc"
