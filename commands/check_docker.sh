#!/usr/bin/env bash
# The Docker host part of ./run.sh check: prints JSON Lines in the check's
# format (item, section, result, value, detail) on stdout.
#   commands/check_docker.sh build/<abi>
# With no reachable daemon it prints one "skip" line.  Otherwise it reports
# the daemon's seccomp support and runs the unshare, mount and keyctl probes
# in real containers of an image imported from the static probes: under the
# daemon's default profile (as root each verdict proven from the filter the
# container really has, read back: backends/backend.sh run docker daemon, a
# fail when that gives no proof; otherwise unproven: the packaged
# default.json with its default action turned into SCMP_ACT_KILL_PROCESS
# shows the call dies under that file, but not that the daemon's default is
# that file; Docker 20.10 ignores defaultErrnoRet, so a sentinel errno cannot
# be used), and under --security-opt seccomp=unconfined.  The check program itself
# (static) reads each container's Seccomp fields.  Then (as root) whether
# the daemon's built-in default differs from the bundled docker-default: the
# filter each gives a container, read back and compared by surface
# (docker.default_vs_bundled, with differences and differing_syscalls).
# With Podman installed, the same for Podman's default (section podman).
set -uo pipefail

OUT=${1:?usage: commands/check_docker.sh build/<abi>}
IMAGE_REPO=seccomp-suite-check-probes
DOCKER_DEFAULT_PROFILE=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
PROBED="unshare mount keyctl"
HERE=$(cd "$(dirname "$0")/.." && pwd)

line() { # section item result value detail
	jq -cn --arg s "$1" --arg i "$2" --arg r "$3" --arg v "$4" --arg d "$5" --arg k "$(uname -r)" --arg a "$(uname -m)" \
		'{item: $i, section: $s, result: $r, value: $v, detail: $d, abi: $a, kernel: $k}'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

docker_part() {
	if ! command -v docker >/dev/null 2>&1; then
		line docker docker.daemon skip "no docker" "the docker client is not installed (Debian: docker.io)"
		return 0
	fi
	if ! info=$(docker info --format '{{json .}}' 2>/dev/null) || [ -z "$(jq -r '.ServerVersion // empty' <<<"$info")" ]; then
		line docker docker.daemon skip "unreachable" "no Docker daemon answers on this host (start one: dockerd --iptables=false --bridge=none)"
		return 0
	fi

	line docker docker.daemon pass "$(jq -r '.ServerVersion' <<<"$info")" "docker info: the daemon's version"
	opts=$(jq -r '(.SecurityOptions // []) | join(" ")' <<<"$info")
	line docker docker.security_options pass "$opts" "docker info: SecurityOptions"
	profile=$(jq -r '(.SecurityOptions // [])[] | select(startswith("name=seccomp")) | split(",")[] | select(startswith("profile=")) | sub("^profile="; "")' <<<"$info")
	if [ -n "$profile" ]; then
		line docker docker.seccomp_profile pass "$profile" "docker info: the seccomp profile containers get without --security-opt (\"default\": the daemon's built-in profile)"
	else
		line docker docker.seccomp_profile fail "none" "docker info lists no seccomp security option: this daemon runs containers without seccomp"
		return 0
	fi

	# The image: the three probes and the check, content-addressed by tag so
	# that an unchanged build is imported once.
	mkdir -p "$work/root/probes"
	for p in $PROBED; do
		cp "$OUT/probes/$p" "$work/root/probes/$p" || { line docker docker.image fail "missing probe" "$OUT/probes/$p is not built"; return 0; }
	done
	cp "$OUT/bin/check" "$work/root/check"
	tag=$(cd "$work/root" && find . -type f | sort | xargs sha256sum | sha256sum | cut -c1-12)
	image="$IMAGE_REPO:$tag"
	if ! docker image inspect "$image" >/dev/null 2>&1; then
		tar -C "$work/root" --owner=0 --group=0 -cf "$work/probes.tar" . &&
			docker import -c 'LABEL seccomp-suite=check-probes' "$work/probes.tar" "$image" >/dev/null 2>"$work/err" || {
			line docker docker.image fail "import failed" "docker import: $(head -c 300 "$work/err")"
			return 0
		}
	fi
	line docker docker.image pass "$image" "imported with docker import from a tarball of the static probes ($PROBED) and the check (no registry needed)"

	crun() { # security-opt... -- command
		local args=()
		while [ "$1" != -- ]; do args+=("$1"); shift; done
		shift
		docker run --rm --network none --label seccomp-suite=check "${args[@]}" "$image" "$@" 2>"$work/err"
	}

	jq '.defaultAction = "SCMP_ACT_KILL_PROCESS"' "$DOCKER_DEFAULT_PROFILE" >"$work/kill.json" 2>/dev/null || : >"$work/kill.json"

	status_default=$(crun -- /check --seccomp-status)
	status_unconfined=$(crun --security-opt seccomp=unconfined -- /check --seccomp-status)
	mode_default=$(jq -r '.seccomp_mode // "?"' <<<"$status_default" 2>/dev/null)
	mode_unconfined=$(jq -r '.seccomp_mode // "?"' <<<"$status_unconfined" 2>/dev/null)
	if [ "$mode_default" = 2 ]; then
		line docker docker.container.default pass "Seccomp: 2 ($(jq -r '.seccomp_filters' <<<"$status_default") filter)" "/proc/self/status inside a container started without --security-opt"
	else
		line docker docker.container.default fail "Seccomp: $mode_default" "a container started without --security-opt runs without a filter: $status_default $(head -c 200 "$work/err")"
	fi
	if [ "$mode_unconfined" = 0 ]; then
		line docker docker.container.unconfined pass "Seccomp: 0" "/proc/self/status inside a --security-opt seccomp=unconfined container: no filter"
	else
		line docker docker.container.unconfined fail "Seccomp: $mode_unconfined" "an unconfined container still has a filter: $status_unconfined $(head -c 200 "$work/err")"
	fi

	errno_of() { jq -r 'if .ret == -1 then (.errno_name // (.errno | tostring)) else "ret=\(.ret)" end' <<<"$1" 2>/dev/null; }

	# As root, each verdict is proven from the filter the daemon's default
	# really gave the container, read back (./run.sh probe --backend docker
	# --profile daemon: backends/daemon.jq); no proof there is a fail, with
	# backend.sh's reason.  Otherwise (not root) only from the packaged
	# default.json with its default action made KILL_PROCESS, which stands
	# for the daemon's only where docker.default_vs_bundled finds them
	# equal: that comparison reads filters back, which needs root, so the
	# blocking is then reported unproven.
	local proven="" root=0
	[ "$(id -u)" -ne 0 ] || root=1
	: >"$work/proven.err"
	if [ "$root" = 0 ]; then
		:
	elif [ -x "$HERE/backends/backend.sh" ] && [ -x "$OUT/bin/probe-run" ]; then
		# shellcheck disable=SC2086
		proven=$(bash "$HERE/backends/backend.sh" run docker daemon docker-default $PROBED 2>"$work/proven.err")
	else
		echo "$HERE/backends/backend.sh or $OUT/bin/probe-run is missing" >"$work/proven.err"
	fi
	for p in $PROBED; do
		d=$(crun -- "/probes/$p")
		u=$(crun --security-opt seccomp=unconfined -- "/probes/$p")
		de=$(errno_of "$d") ue=$(errno_of "$u")
		unconf=$("$OUT/probes/$p" --describe | jq -r '.unconfined | join(",")')
		v=$(jq -c --arg p "$p" 'select(.probe == $p)' <<<"$proven" 2>/dev/null)
		if [ -n "$v" ]; then
			if jq -e '.verdict == "errno" and .errno_name == "EPERM" and .by == "filter"' <<<"$v" >/dev/null; then
				line docker "docker.default.$p" pass "blocked (EPERM)" \
					"in a container under the daemon's default profile $p failed with EPERM, by the filter: $(jq -r .proof <<<"$v") (the kernel gives $unconf as root)"
			else
				line docker "docker.default.$p" fail "$(jq -r '"\(.verdict) \(.errno_name // "")"' <<<"$v")" \
					"under the daemon's default profile: $(jq -r '.proof // .reason' <<<"$v")"
			fi
		elif [ "$root" = 1 ]; then
			line docker "docker.default.$p" fail "unproven" \
				"backends/backend.sh run docker daemon, which proves the verdict from the filter read back from the container, gave no line for $p: $(grep -v '^$' "$work/proven.err" | tail -n 3 | tr '\n' ' ' | head -c 400)"
		else
			s=$([ -s "$work/kill.json" ] && crun --security-opt "seccomp=$work/kill.json" -- "/probes/$p")
			se=$(jq -r '.verdict // empty' <<<"$s" 2>/dev/null)
			if [ "$de" = EPERM ] && [ "$se" = killed ]; then
				line docker "docker.default.$p" skip "EPERM (unproven)" \
					"in a container under the daemon's default profile $p failed with EPERM, and under the packaged default.json with defaultAction SCMP_ACT_KILL_PROCESS the call was killed (the kernel gives $unconf as root); that file stands for the daemon's default only where docker.default_vs_bundled finds them equal, which reads the filters back: run as root"
			else
				line docker "docker.default.$p" fail "${de:-no result}" \
					"default profile: ${d:-no line ($(head -c 200 "$work/err"))}; with defaultAction SCMP_ACT_KILL_PROCESS: ${s:-no line}"
			fi
		fi
		if [ -z "$ue" ]; then
			line docker "docker.unconfined.$p" fail "no result" "seccomp=unconfined: no line ($(head -c 200 "$work/err"))"
		elif [ "$mode_unconfined" = 0 ]; then
			why="the kernel's own answer (no filter in the container: Seccomp 0)"
			[ "$ue" = EPERM ] && why="the kernel's own EPERM: the container lacks the capability (CAP_SYS_ADMIN) and has no filter (Seccomp 0); not the seccomp profile"
			line docker "docker.unconfined.$p" pass "not blocked by seccomp ($ue)" \
				"in a --security-opt seccomp=unconfined container $p reached the kernel: $ue is $why (as root on the host: $unconf)"
		else
			line docker "docker.unconfined.$p" fail "$ue" "seccomp=unconfined: $u (container Seccomp: $mode_unconfined)"
		fi
	done
	if [ "$(id -u)" -eq 0 ]; then
		default_vs docker docker docker.default_vs_bundled docker-default "the bundled docker-default"
	else
		line docker docker.default_vs_bundled skip "not root" "reading a container's filter back needs root"
	fi
}

# default_vs BACKEND SECTION ITEM REF LABEL: the filter the daemon's default
# gives a container (default capability set, no --security-opt) against the
# filter REF gives under the same daemon, each read back from the container
# with PTRACE_SECCOMP_GET_FILTER (commands/surface_backend.sh --profile
# daemon) and compared number by number on every ABI of this architecture
# (the ABIs the surface lines name), argument paths included (scsurface
# --diff).  A difference is reported, not failed:
# it says what this daemon enforces.
default_vs() {
	local b=$1 section=$2 item=$3 ref=$4 label=$5 s rc=0 d side abis
	d=$work/$item
	s="$HERE/commands/surface_backend.sh"
	mkdir -p "$d"
	if [ ! -x "$OUT/bin/scsurface" ] || [ ! -r "$s" ]; then
		line "$section" "$item" skip "no surface" "the surface program ($OUT/bin/scsurface) or $s is missing"
		return 0
	fi
	# The daemon's own side is surveyed once per backend.
	[ ! -s "$work/$b-daemon.jsonl" ] || cp "$work/$b-daemon.jsonl" "$d/daemon.jsonl"
	for side in daemon ref; do
		local p=daemon
		[ "$side" = daemon ] || p=$ref
		[ -s "$d/$side.jsonl" ] ||
			bash "$s" --backend "$b" --profile "$p" --caps docker-default --out "$d/$side.jsonl" >/dev/null 2>"$d/$side.err" || rc=$?
		if [ ! -s "$d/$side.jsonl" ]; then
			line "$section" "$item" skip "not surveyed" \
				"the filter of a $b container under $([ "$side" = daemon ] && echo "the daemon's default" || echo "$label") could not be read back: $(tail -n 2 "$d/$side.err" | tr '\n' ' ' | head -c 300)"
			return 0
		fi
	done
	cp "$d/daemon.jsonl" "$work/$b-daemon.jsonl"
	# The ABIs surveyed, as the surface lines name them.
	abis=$(jq -rs 'map(.abi) | unique | if length > 1 then (.[:-1] | join(", ")) + " and " + .[-1] else .[0] // "no ABI" end' "$d/daemon.jsonl")
	rc=0
	"$OUT/bin/scsurface" --diff "$d/daemon.jsonl" "$d/ref.jsonl" --json >"$d/diff.jsonl" 2>"$d/diff.err" || rc=$?
	case "$rc" in
	0) line "$section" "$item" pass "same as $label" \
		"the filter $b's default gives a container and the one $label gives, each read back from the container with PTRACE_SECCOMP_GET_FILTER, decide every number of $abis, argument paths included, alike (./run.sh surface --diff)" |
		jq -c '. + {differences: 0, differing_syscalls: []}' ;;
	1) line "$section" "$item" pass "differs from $label: $(jq -rs 'map(.syscall // "(no name)") | unique | "\(length) syscalls (\(.[:8] | join(", "))\(if length > 8 then ", ..." else "" end))"' "$d/diff.jsonl")" \
		"the filter $b's default gives a container and the one $label gives, each read back with PTRACE_SECCOMP_GET_FILTER, differ on $(jq -rs 'length' "$d/diff.jsonl") (abi, number, argument path) points: differing_syscalls lists them; ./run.sh surface --diff shows each" |
		jq -c --slurpfile d "$d/diff.jsonl" '. + {differences: ($d | length), differing_syscalls: ($d | map(.syscall // "(no name)") | unique)}' ;;
	*) line "$section" "$item" fail "diff failed" "scsurface --diff: $(head -c 300 "$d/diff.err")" ;;
	esac
}

# Podman, when installed and usable: its version, and its own default
# against the bundled docker-default and against Podman's profile file
# (the bundled podman-default: the packaged
# /usr/share/containers/seccomp.json Podman itself reads).
podman_part() {
	command -v podman >/dev/null 2>&1 || return 0
	local v ref
	if ! v=$(podman version --format '{{.Version}}' 2>/dev/null) || [ -z "$v" ]; then
		line podman podman.daemon skip "not usable" "podman is installed but 'podman version' fails: $(podman version 2>&1 | tail -n 1 | head -c 200)"
		return 0
	fi
	line podman podman.daemon pass "$v" "podman version (OCI runtime $(podman info --format '{{.Host.OCIRuntime.Name}}' 2>/dev/null))"
	[ "$(id -u)" -eq 0 ] || { line podman podman.default_vs_bundled skip "not root" "reading a container's filter back needs root"; return 0; }
	default_vs podman podman podman.default_vs_bundled docker-default "the bundled docker-default"
	# Podman's profile file: the bundled podman-default names it (lib/policy.c).
	if ! ref=$("$OUT/bin/resolve-profile" --file podman-default 2>"$work/podman-file.err"); then
		line podman podman.default_vs_file skip "no file" "$(head -c 300 "$work/podman-file.err")"
		return 0
	fi
	default_vs podman podman podman.default_vs_file "$ref" "the bundled podman-default ($ref)"
}

docker_part
podman_part
exit 0
