#!/usr/bin/env bash
# The Docker host part of ./run.sh check: prints JSON Lines in the check's
# format (item, section, result, value, detail) on stdout.
#   commands/check_docker.sh build/<abi>
# With no reachable daemon it prints one "skip" line.  Otherwise it reports
# the daemon's seccomp support and runs the unshare, mount and keyctl probes
# in real containers of an image imported from the static probes: under the
# daemon's default profile, under the same profile with its default action
# turned into SCMP_ACT_KILL_PROCESS (the call then dies: which proves the
# profile's default action, not the kernel, answered; Docker 20.10 ignores
# defaultErrnoRet, so a sentinel errno cannot be used),
# and under --security-opt seccomp=unconfined.  The check program itself
# (static) reads each container's Seccomp fields.
set -uo pipefail

OUT=${1:?usage: commands/check_docker.sh build/<abi>}
IMAGE_REPO=seccomp-suite-check-probes
DOCKER_DEFAULT_PROFILE=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
PROBED="unshare mount keyctl"

line() { # section item result value detail
	jq -cn --arg s "$1" --arg i "$2" --arg r "$3" --arg v "$4" --arg d "$5" --arg k "$(uname -r)" --arg a "$(uname -m)" \
		'{item: $i, section: $s, result: $r, value: $v, detail: $d, abi: $a, kernel: $k}'
}

if ! command -v docker >/dev/null 2>&1; then
	line docker docker.daemon skip "no docker" "the docker client is not installed (Debian: docker.io)"
	exit 0
fi
if ! info=$(docker info --format '{{json .}}' 2>/dev/null) || [ -z "$(jq -r '.ServerVersion // empty' <<<"$info")" ]; then
	line docker docker.daemon skip "unreachable" "no Docker daemon answers on this host (start one: dockerd --iptables=false --bridge=none)"
	exit 0
fi

line docker docker.daemon pass "$(jq -r '.ServerVersion' <<<"$info")" "docker info: the daemon's version"
opts=$(jq -r '(.SecurityOptions // []) | join(" ")' <<<"$info")
line docker docker.security_options pass "$opts" "docker info: SecurityOptions"
profile=$(jq -r '(.SecurityOptions // [])[] | select(startswith("name=seccomp")) | split(",")[] | select(startswith("profile=")) | sub("^profile="; "")' <<<"$info")
if [ -n "$profile" ]; then
	line docker docker.seccomp_profile pass "$profile" "docker info: the seccomp profile containers get without --security-opt (\"default\": the daemon's built-in profile)"
else
	line docker docker.seccomp_profile fail "none" "docker info lists no seccomp security option: this daemon runs containers without seccomp"
	exit 0
fi

# The image: the three probes and the check, content-addressed by tag so
# that an unchanged build is imported once.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/probes"
for p in $PROBED; do
	cp "$OUT/probes/$p" "$work/root/probes/$p" || { line docker docker.image fail "missing probe" "$OUT/probes/$p is not built"; exit 0; }
done
cp "$OUT/bin/check" "$work/root/check"
tag=$(cd "$work/root" && find . -type f | sort | xargs sha256sum | sha256sum | cut -c1-12)
image="$IMAGE_REPO:$tag"
if ! docker image inspect "$image" >/dev/null 2>&1; then
	tar -C "$work/root" --owner=0 --group=0 -cf "$work/probes.tar" . &&
		docker import -c 'LABEL seccomp-suite=check-probes' "$work/probes.tar" "$image" >/dev/null 2>"$work/err" || {
		line docker docker.image fail "import failed" "docker import: $(head -c 300 "$work/err")"
		exit 0
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

for p in $PROBED; do
	d=$(crun -- "/probes/$p")
	s=$([ -s "$work/kill.json" ] && crun --security-opt "seccomp=$work/kill.json" -- "/probes/$p")
	u=$(crun --security-opt seccomp=unconfined -- "/probes/$p")
	de=$(errno_of "$d") se=$(jq -r '.verdict // empty' <<<"$s" 2>/dev/null) ue=$(errno_of "$u")
	unconf=$("$OUT/probes/$p" --describe | jq -r '.unconfined | join(",")')
	if [ "$de" = EPERM ] && [ "$se" = killed ]; then
		line docker "docker.default.$p" pass "blocked (EPERM)" \
			"in a container under the daemon's default profile $p failed with EPERM; under the same profile with defaultAction SCMP_ACT_KILL_PROCESS the call was killed: the profile's default action answered, not the kernel (which gives $unconf as root)"
	else
		line docker "docker.default.$p" fail "${de:-no result}" \
			"default profile: ${d:-no line ($(head -c 200 "$work/err"))}; with defaultAction SCMP_ACT_KILL_PROCESS: ${s:-no line}"
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
exit 0
