#!/usr/bin/env bash
# The expectation sets on this host, through the case runner (one KTAP line
# per (set, probe)), then the runner's own behaviour: coverage, a
# deliberately edited profile, compare between profile versions,
# observations from another backend, and refusals.
#   tests/cases.test.sh build/<abi>
set -uo pipefail
OUT=${1:?usage: tests/cases.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
RUNNER=$OUT/bin/cases
DOCKER_DEFAULT=$("$OUT/bin/resolve-profile" --file docker-default)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { # check NAME COMMAND...
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# 1. Every probe has an applicable line in every set, for every ABI.
"$RUNNER" --coverage | grep -E '^(not )?ok '
[ "${PIPESTATUS[0]}" -le 1 ] || echo "not ok - cases --coverage could not run"

# 2. Every set against its own profile: the runner's KTAP lines are the
# tests.  Two sets at a time.
ls cases/*.cases | xargs -P 2 -I{} sh -c '
	set=$(basename {} .cases)
	"$1" --set "$set" --results "$2/$set.jsonl" >"$2/$set.ktap" 2>&1
	echo $? >"$2/$set.rc"' _ "$RUNNER" "$tmp"
for f in cases/*.cases; do
	set=$(basename "$f" .cases)
	cat "$tmp/$set.ktap"
	rc=$(cat "$tmp/$set.rc")
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$tmp/$set.ktap"; then
		echo "not ok - set $set: the runner exited $rc without a failing case"
	fi
done

# 3. docker-default's expectations against an edited copy of the profile
# (allow mount, drop the personality rules, clone3's errnoRet 38 -> 1) fail
# on exactly the probes the edit changed.
jq '(.syscalls[0].names) += ["mount"]
    | .syscalls |= map(select(.names != ["personality"]))
    | .syscalls |= map(if .names == ["clone3"] and .action == "SCMP_ACT_ERRNO" then .errnoRet = 1 else . end)' \
	"$DOCKER_DEFAULT" >"$tmp/edited.json"
"$RUNNER" --set docker-default --profile "$tmp/edited.json" --results "$tmp/edited.jsonl" >"$tmp/edited.ktap" 2>&1
rc=$?
failed=$(jq -r 'select(.result == "fail") | .probe' "$tmp/edited.jsonl" | sort | tr '\n' ' ')
check "edited profile: exit 1 (got $rc)" test "$rc" -eq 1
check "edited profile: fails exactly clone3 mount personality personality.linux32 (got: $failed)" \
	test "$failed" = "clone3 mount personality personality.linux32 "
check "edited profile: the KTAP names each failure with expected and observed" \
	grep -q 'docker-default.mount: FAIL: expected errno EPERM by filter, observed allowed' "$tmp/edited.ktap"

# 4. compare: Debian's moby 20.10.24 profile against upstream v0.2.3.  From
# the two profiles' text: the io_uring calls left the allowlist, AF_ALG and
# AF_VSOCK sockets are denied, process_vm_readv/writev joined the minKernel
# 4.8 rule, name_to_handle_at and cachestat (6.5) are allowed outright.
./run.sh compare --json "$tmp/docker-default.jsonl" "$tmp/moby-v0.2.3.jsonl" >"$tmp/compare.json"
rc=$?
changed=$(jq -r '.differences[].probe' "$tmp/compare.json" | sort | tr '\n' ' ')
check "compare docker-default moby-v0.2.3: exit 1 (got $rc)" test "$rc" -eq 1
check "compare docker-default moby-v0.2.3: the nine changed probes (got: $changed)" \
	test "$changed" = "cachestat io_uring_enter io_uring_register io_uring_setup name_to_handle_at process_vm_readv process_vm_writev socket.alg socket.vsock "
check "compare: a run against itself differs nowhere" \
	./run.sh compare "$tmp/docker-default.jsonl" "$tmp/docker-default.jsonl"

# 5. Observations from elsewhere (another backend): judged, never trusted.
jq -c 'if .probe == "mount" then .verdict = "allowed" | .errno_name = "ENOENT" | .by = "kernel" else . end' \
	"$tmp/docker-default.jsonl" >"$tmp/tampered.jsonl"
"$RUNNER" --set docker-default --backend crun --observations "$tmp/tampered.jsonl" \
	--results "$tmp/observed.jsonl" >"$tmp/observed.ktap" 2>&1
rc=$?
failed=$(jq -r 'select(.result == "fail") | .probe' "$tmp/observed.jsonl" | tr '\n' ' ')
check "observations: a changed mount verdict fails mount alone (exit $rc, failed: $failed)" \
	test "$rc" -eq 1 -a "$failed" = "mount "
check "observations: results carry the backend" \
	test "$(jq -r .backend "$tmp/observed.jsonl" | sort -u)" = crun
# backend= lines: judged as runc's, native observations miss runc's ENOSYS
# stub on cachestat (above the profile's highest syscall) and nothing else.
"$RUNNER" --set docker-default --backend runc --observations "$tmp/docker-default.jsonl" \
	--results "$tmp/as-runc.jsonl" >/dev/null 2>&1
failed=$(jq -r 'select(.result == "fail") | .probe' "$tmp/as-runc.jsonl" | tr '\n' ' ')
check "backend=runc: native observations fail exactly cachestat (got: $failed)" test "$failed" = "cachestat "
grep -v '"mount"' "$tmp/docker-default.jsonl" >"$tmp/partial.jsonl"
"$RUNNER" --set docker-default --observations "$tmp/partial.jsonl" >"$tmp/partial.ktap" 2>&1
check "observations: a probe missing from the file fails" \
	grep -q '^not ok .* docker-default.mount' "$tmp/partial.ktap"

# 6. Fail closed: a profile that cannot be read runs nothing.
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_SOMETIMES"}]}\n' >"$tmp/bad.json"
"$RUNNER" --set docker-default --profile "$tmp/bad.json" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
check "a bad profile: exit 2, no test run (got $rc)" test "$rc" -eq 2 -a ! -s "$tmp/bad.out"
check "a bad profile: the file, the field and the reason" \
	grep -q "bad.json: syscalls\[0\].action: " "$tmp/bad.err"

# 7. A set with a mistake is refused with its file and line.
printf 'profile docker-default\ncaps docker-default\nmount errno EPERM kernal>=5.1\n' >"$tmp/typo.cases"
"$RUNNER" --set "$tmp/typo.cases" >/dev/null 2>"$tmp/typo.err"
rc=$?
check "a set with an unknown condition: exit 2 with FILE:LINE (got $rc)" \
	grep -q "typo.cases:3: condition 'kernal>=5.1': unknown condition" "$tmp/typo.err"
printf 'profile docker-default\ncaps docker-default\nmount denied EPERM\n' >"$tmp/verdict.cases"
"$RUNNER" --set "$tmp/verdict.cases" >/dev/null 2>"$tmp/verdict.err"
check "a set with an unknown verdict is refused" grep -q "verdict.cases:3: 'denied' is not a verdict" "$tmp/verdict.err"

# 8. Runs that could not judge anything are never a pass.
SECCOMP_SUITE_RESULTS=$tmp/results ./run.sh cases docker-default --observations "$tmp/nonexistent.jsonl" >/dev/null 2>"$tmp/noobs.err"
rc=$?
check "run.sh cases with an unreadable observations file fails (exit $rc)" test "$rc" -ne 0
"$RUNNER" --set docker-default nosuchprobe >/dev/null 2>&1
rc=$?
check "the runner refuses a probe selection that matches nothing (exit $rc)" test "$rc" -eq 64
jq -c '.probe = "renamed-" + .probe' "$tmp/docker-default.jsonl" >"$tmp/renamed.jsonl"
./run.sh compare "$tmp/docker-default.jsonl" "$tmp/renamed.jsonl" >/dev/null 2>&1
rc=$?
check "compare of two files with nothing in common exits 2 (got $rc)" test "$rc" -eq 2
tap_done
