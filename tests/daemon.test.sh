#!/usr/bin/env bash
# --profile daemon: the docker (and podman) daemon's own default, judged with
# no --security-opt seccomp=, each verdict proven from the filter read back
# from the container (backends/daemon.jq); the check's comparison of that
# default with the bundled docker-default; the refusals elsewhere.
# It needs a dockerd that already answers (skipped otherwise, unless
# SECCOMP_SUITE_START_DOCKERD=1: tests/tap.sh docker_or_skip).
# TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/daemon.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}
jq_true() { jq -e "$@" >/dev/null 2>&1; }
# probe_is FILE PROBE FILTER: FILE has one line for PROBE, and FILTER holds
# on it (jq 1.6's -e looks at the last input only: slurp).
probe_is() { jq -e -s --arg p "$2" "map(select((.probe // .syscall) == \$p)) | length == 1 and (.[0] | $3)" "$1" >/dev/null 2>&1; }

# Refusals need no daemon: one line on stderr, exit 64.
refused() { # NAME COMMAND...
	local name=$1 rc=0
	shift
	"$@" >/dev/null 2>"$tmp/err" || rc=$?
	if [ "$rc" -eq 64 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'daemon' "$tmp/err"; then
		ok "refused: $name (64, one line)"
	else
		notok "refused: $name: exit $rc, stderr: $(head -c 300 "$tmp/err")"
	fi
}
refused "probe natively" ./run.sh probe --profile daemon mount
refused "probe under runc" ./run.sh probe --backend runc --profile daemon mount
refused "cases natively" ./run.sh cases --profile daemon docker-default
refused "lint" ./run.sh lint --profile daemon
refused "exec" ./run.sh exec --profile daemon -- /bin/true
refused "surface natively" ./run.sh surface --profile daemon
refused "surface under crun" ./run.sh surface --backend crun --profile daemon
refused "probe under containerd (no daemon default of its own)" ./run.sh probe --backend containerd --profile daemon mount
refused "surface under containerd" ./run.sh surface --backend containerd --profile daemon
refused "backend.sh daemon-ok containerd" backends/backend.sh daemon-ok containerd
refused "diff with native" ./run.sh diff --profile daemon --backends native,docker

# The attribution itself, on the real argument records of the probes and a
# filter surface of docker-default's shape: a result the filter cannot give
# must be an error, never a verdict.
"$OUT/bin/probe-run" --args -- clone mount getpid >"$tmp/args.jsonl"
"$OUT/bin/scsurface" --profile docker-default --source static --abi x86_64 --json >"$tmp/filter.jsonl"
attribute() { # RUN-LINES BASELINE-LINES: the verdicts as "probe verdict errno by"
	jq -nc --slurpfile run "$1" --slurpfile baseline "$2" --slurpfile filter "$tmp/filter.jsonl" \
		--slurpfile args "$tmp/args.jsonl" --arg source "(test)" -f backends/daemon.jq |
		jq -r '"\(.probe) \(.verdict) \(.errno_name // "-") \(.by // "-")"'
}
line() { jq -nc --arg p "$1" --argjson nr "$2" --argjson ret "$3" --arg e "$4" \
	'{syscall: ($p | split(".")[0]), probe: $p, nr: $nr, abi: "x86_64", ret: $ret,
	  errno: ({"EPERM": 1, "EINVAL": 22, "ENOTDIR": 20}[$e] // 0), errno_name: (if $e == "" then null else $e end)}'; }
{ line mount 165 -1 EPERM; line clone 56 -1 EINVAL; line clone.newns 56 -1 EPERM; line getpid 39 7 ""; } >"$tmp/run.jsonl"
{ line mount 165 -1 ENOTDIR; line clone 56 -1 EINVAL; line clone.newns 56 -1 EINVAL; line getpid 39 1 ""; } >"$tmp/base.jsonl"
attribute "$tmp/run.jsonl" "$tmp/base.jsonl" >"$tmp/v.txt"
check "attribution: mount EPERM is the filter's (SCMP_ACT_ERRNO(EPERM) for nr 165)" grep -qx 'mount errno EPERM filter' "$tmp/v.txt"
check "attribution: clone's flags 0x800 take the filter's allow path: EINVAL is the kernel's" grep -qx 'clone allowed EINVAL kernel' "$tmp/v.txt"
check "attribution: clone.newns's flags 0x20800 take the filter's EPERM path" grep -qx 'clone.newns errno EPERM filter' "$tmp/v.txt"
check "attribution: getpid allowed, the kernel's (same outcome unconfined)" grep -qx 'getpid allowed - kernel' "$tmp/v.txt"
# Results the filter cannot give: mount succeeding past an ERRNO rule, clone
# EPERM on the allow path, an allowed call that differs from unconfined.
{ line mount 165 -1 EINVAL; line clone 56 -1 EPERM; line getpid 39 -1 EPERM; } >"$tmp/bad.jsonl"
attribute "$tmp/bad.jsonl" "$tmp/base.jsonl" >"$tmp/v.txt"
check "attribution: an errno other than the filter's ERRNO is an error" grep -qx 'mount error EINVAL -' "$tmp/v.txt"
check "attribution: EPERM on the filter's allow path (differs from unconfined) is an error" grep -qx 'clone error EPERM -' "$tmp/v.txt"
check "attribution: an allowed call failing where unconfined it succeeds is an error" grep -qx 'getpid error EPERM -' "$tmp/v.txt"
# Without the probe's arguments an argument-dependent number is unproven.
: >"$tmp/args.jsonl"
attribute "$tmp/run.jsonl" "$tmp/base.jsonl" >"$tmp/v.txt"
check "attribution: clone without its arguments recorded is an error, mount still proven" \
	bash -c "grep -qx 'clone.newns error EPERM -' '$tmp/v.txt' && grep -qx 'mount errno EPERM filter' '$tmp/v.txt'"

# The holder of a --profile daemon container exits by itself (scsurface
# --hold SECONDS), so that an interrupted run cannot leave it for ever.
start=$(date +%s)
timeout 10 "$OUT/bin/scsurface" --hold 1
rc=$?
check "scsurface --hold 1 exits 0 by itself after a second (exit $rc)" \
	bash -c "[ $rc -eq 0 ] && [ \$((\$(date +%s) - $start)) -le 3 ]"

skip_rest() { echo "ok - $1 # SKIP $2"; }
# A daemon that already answers (tests/tap.sh), and root to read filters.
if [ "$(id -u)" -ne 0 ]; then
	skip_rest "docker --profile daemon" "not root: a container's filter cannot be read back"
	tap_done
	exit 0
fi
docker_or_skip "docker --profile daemon" || { tap_done; exit 0; }

# An interrupted --profile daemon run (SIGTERM to its process group; a
# background job here ignores SIGINT, a terminal's ^C is trapped the same
# way) removes its holder container and its temporary folder.  The run's
# main shell dies at once; the cleanup is done when the group is gone.
mkdir -p "$tmp/t"
# shellcheck disable=SC2046 # one probe name a line
TMPDIR=$tmp/t setsid backends/backend.sh run docker daemon docker-default $(cat "$OUT/probes.list") >/dev/null 2>&1 &
spid=$!
held=0
for _ in $(seq 1 300); do
	[ -n "$(docker ps -q --filter "name=seccomp-suite-daemon-$spid-")" ] && { held=1; break; }
	sleep 0.1
done
kill -TERM -- -"$spid" 2>/dev/null
wait "$spid"
for _ in $(seq 1 300); do
	pgrep -g "$spid" >/dev/null || break
	sleep 0.1
done
check "interrupted --profile daemon run: its holder was running, then removed" \
	bash -c "[ $held = 1 ] && [ -z \"\$(docker ps -aq --filter name=seccomp-suite-daemon-$spid-)\" ]"
check "interrupted --profile daemon run: no temporary folder left" bash -c "[ -z \"\$(ls -A '$tmp/t')\" ]"

# The daemon's default, every probe: none undecided; mount, unshare and
# keyctl EPERM by the filter (docs/backends.md, Docker's documented
# blocklist), getpid allowed.
./run.sh probe --backend docker --profile daemon --json >"$tmp/daemon.jsonl" 2>"$tmp/err"
rc=$?
check "probe --backend docker --profile daemon: exit 0, 87 lines" \
	bash -c "[ $rc -eq 0 ] && [ \$(wc -l <'$tmp/daemon.jsonl') -eq \$(wc -l <'$OUT/probes.list') ]"
check "daemon: no probe is error" jq_true -s 'all(.verdict != "error")' "$tmp/daemon.jsonl"
for p in mount unshare keyctl; do
	check "daemon: $p errno EPERM by the filter, proven from the filter read back" probe_is "$tmp/daemon.jsonl" "$p" \
		'.verdict == "errno" and .errno_name == "EPERM" and .by == "filter"
		 and (.proof | test("PTRACE_SECCOMP_GET_FILTER")) and .profile == "daemon" and .backend == "docker"'
done
check "daemon: getpid allowed by the kernel" probe_is "$tmp/daemon.jsonl" getpid '.verdict == "allowed" and .by == "kernel"'

# README's sample of this command is this run's output, line for line.
readme_cmd='./run.sh probe --backend docker --profile daemon mount getpid clone.newns'
awk -v c="    \$ $readme_cmd" '$0 == c { on = 1; next } on && !/^    |^$/ { exit } on { sub(/^    /, ""); print }' README.md |
	sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp/readme-daemon"
$readme_cmd 2>/dev/null | grep -v '^results: ' | sed 's/ *$//' | tr -s ' ' >"$tmp/readme-run"
check "README's '$readme_cmd' sample is this run's output" \
	bash -c "[ -s '$tmp/readme-daemon' ] && tr -s ' ' <'$tmp/readme-daemon' | diff - '$tmp/readme-run' >&2"

# The daemon resolves its default for the container's capabilities: with
# CAP_SYS_ADMIN, docker-default's rule for that capability lets mount and
# unshare through (the kernel then refuses their arguments); keyctl is in
# no allowed rule.
./run.sh probe --backend docker --profile daemon --caps CAP_SYS_ADMIN --json mount unshare keyctl >"$tmp/sysadmin.jsonl" 2>/dev/null
for p in mount unshare; do
	check "daemon with CAP_SYS_ADMIN: $p allowed, the kernel's answer" probe_is "$tmp/sysadmin.jsonl" "$p" \
		'.verdict == "allowed" and .by == "kernel" and .errno_name != "EPERM"'
done
check "daemon with CAP_SYS_ADMIN: keyctl still errno EPERM by the filter" probe_is "$tmp/sysadmin.jsonl" keyctl \
	'.verdict == "errno" and .errno_name == "EPERM" and .by == "filter"'

# The check's comparison, by the filters read back, and the same question
# asked probe by probe: every probe whose verdict differs between the
# daemon's default and the bundled docker-default under Docker must be a
# syscall the check names.
bash commands/check_docker.sh "$OUT" >"$tmp/check.jsonl"
item() { jq -c --arg i "$1" 'select(.item == $i)' "$tmp/check.jsonl"; }
check "check: docker.daemon is the server's version" jq_true --arg v "$(docker version --format '{{.Server.Version}}')" \
	'.value == $v and .result == "pass"' <(item docker.daemon)
for p in unshare mount keyctl; do
	check "check: docker.default.$p blocked, proven from the filter read back" jq_true \
		'.result == "pass" and .value == "blocked (EPERM)" and (.detail | test("PTRACE_SECCOMP_GET_FILTER"))' <(item "docker.default.$p")
done
# As root an absent proof is a fail with backend.sh's reason, never a pass
# on the packaged file: a build folder without probe-run cannot prove.
mkdir -p "$tmp/noproof/bin"
ln -s "$(realpath "$OUT/probes")" "$tmp/noproof/probes"
for f in check scsurface resolve-profile; do ln -s "$(realpath "$OUT/bin/$f")" "$tmp/noproof/bin/$f"; done
bash commands/check_docker.sh "$tmp/noproof" 2>/dev/null | jq -c 'select(.item | startswith("docker.default."))' >"$tmp/noproof.jsonl"
check "check as root without a proof: docker.default.* fail, naming what is missing" jq_true -s \
	'length == 3 and all(.result == "fail" and .value == "unproven" and (.detail | test("probe-run is missing")))' "$tmp/noproof.jsonl"
check "check: docker.default_vs_bundled was surveyed" jq_true '.result == "pass" and (.differences | type) == "number"' \
	<(item docker.default_vs_bundled)
./run.sh probe --backend docker --profile docker-default --json >"$tmp/bundled.jsonl" 2>/dev/null
jq -n --slurpfile a "$tmp/daemon.jsonl" --slurpfile b "$tmp/bundled.jsonl" --slurpfile c <(item docker.default_vs_bundled) '
	($b | map({key: .probe, value: [.verdict, .errno_name]}) | from_entries) as $B
	| [$a[] | select([.verdict, .errno_name] != $B[.probe]) | .syscall] | unique as $moved
	| ($moved - $c[0].differing_syscalls)' >"$tmp/unnamed.json"
check "check: every probe that moves between the daemon's default and docker-default is a syscall it names" \
	jq_true '. == []' "$tmp/unnamed.json"
# Debian 12: docker.io and golang-github-docker-docker-dev are built from
# the same moby source (20.10.24+dfsg1): the built-in default must be the
# packaged default.json, filter for filter.
server=$(docker version --format '{{.Server.Version}}' 2>/dev/null)
dev=$(dpkg-query -W -f '${Version}' golang-github-docker-docker-dev 2>/dev/null || true)
if [ -n "$dev" ] && [ "${dev%%-*}" = "${server%%-*}" ]; then
	check "check: dockerd $server's built-in default equals the packaged default.json ($dev): no difference" \
		jq_true '.value == "same as the bundled docker-default" and .differences == 0' <(item docker.default_vs_bundled)
	check "cases docker-default against the daemon's default under docker: every case passes" \
		bash -c './run.sh cases docker-default --backend docker --profile daemon --json >/dev/null 2>&1'
else
	skip_rest "the daemon's default equals the packaged default.json" "dockerd $server is not built from the packaged moby source ($dev)"
fi

# The surface of the daemon's default: static (read back) and live agree.
./run.sh surface --backend docker --profile daemon --abi x86_64 --json >"$tmp/surface.jsonl" 2>"$tmp/err"
rc=$?
check "surface --backend docker --profile daemon: static and live agree (exit 0)" [ "$rc" -eq 0 ]
check "surface: mount (165) errno EPERM, labelled daemon, live agrees" jq_true -s \
	'map(select(.abi == "x86_64" and .nr == 165)) | length == 1 and (.[0] | .action == "errno" and .errno_name == "EPERM" and .profile == "daemon" and .agree == true)' \
	"$tmp/surface.jsonl"

# Podman, when usable: its default proven too, and equal to the profile file
# Podman reads.
if ! why=$(backends/backend.sh check podman); then
	skip_rest "podman --profile daemon" "$why"
else
	./run.sh probe --backend podman --profile daemon --json >"$tmp/podman.jsonl" 2>/dev/null
	check "podman --profile daemon: no probe is error" jq_true -s 'length > 0 and all(.verdict != "error")' "$tmp/podman.jsonl"
	check "check: podman.daemon is podman's version" jq_true --arg v "$(podman version --format '{{.Version}}')" \
		'.value == $v' <(item podman.daemon)
	check "check: podman's default was compared with its profile file" jq_true \
		'.result == "pass" and (.differences | type) == "number"' <(item podman.default_vs_file)
	./run.sh diff --profile daemon --json >"$tmp/diff.jsonl" 2>/dev/null
	rc=$?
	# Docker's default is docker-default's filter (above), so each probe
	# that differs must be a syscall on which the check found Podman's
	# default and docker-default's filters differ.
	check "diff --profile daemon: docker against podman (exit 0), each difference classed daemon-default and named by the check" \
		jq_true -s --argjson rc "$rc" --slurpfile c <(item podman.default_vs_bundled) \
		'$rc == 0 and all(.classes == ["daemon-default"]) and ((map(.syscall) | unique) - $c[0].differing_syscalls) == []' \
		"$tmp/diff.jsonl"
fi
tap_done
