#!/usr/bin/env bash
# The user-facing commands: run.sh probe and scrun, their output contract,
# their failures and exit statuses.  TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/cli.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
SCRUN="$OUT/bin/scrun"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

jq_true() { jq -e "$@" >/dev/null; }

check() { # check NAME COMMAND... : ok when the command succeeds
	local name=$1
	shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi
}

# A malformed profile: one line naming file, JSON path and reason; exit 2;
# no result written.
cat >"$tmp/bad-op.json" <<'J'
{"defaultAction": "SCMP_ACT_ERRNO",
 "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW",
               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQUAL"}]}]}
J
./run.sh probe --profile "$tmp/bad-op.json" --out "$tmp/bad.jsonl" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
check "malformed profile: run.sh probe exits 2" [ "$rc" -eq 2 ]
check "malformed profile: the error names file, JSON path and reason" \
	grep -q "^$tmp/bad-op.json: syscalls\[0\].args\[0\].op: unknown operator \"SCMP_CMP_EQUAL\"" "$tmp/stderr"
check "malformed profile: no result line was written" [ ! -s "$tmp/bad.jsonl" ]

printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [\n' >"$tmp/truncated.json"
"$OUT/probes/mount" --profile "$tmp/truncated.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
check "truncated JSON: the probe exits 2 and prints no line" test "$rc" -eq 2 -a ! -s "$tmp/stdout"
check "truncated JSON: the error gives line and column" grep -q "truncated.json:3:1: malformed JSON" "$tmp/stderr"

: >"$tmp/empty.json"
"$OUT/probes/getpid" --profile "$tmp/empty.json" >/dev/null 2>"$tmp/stderr"
check "empty profile file is refused" grep -q "empty file" "$tmp/stderr"

# The results contract: every line has the DESIGN.md fields.
./run.sh probe --profile docker-default --json clone mount stime >"$tmp/r.jsonl" 2>/dev/null
check "run.sh probe SYSCALL selects the syscall's variants" \
	[ "$(jq -r '.probe // .syscall' "$tmp/r.jsonl" | tr '\n' ' ')" = "clone clone.newns clone.newuser mount stime " ]
check "every results line carries the contract's fields" jq_true -s 'all(.[];
	has("syscall") and has("nr") and has("abi") and has("arch") and has("kernel") and has("profile")
	and has("backend") and has("caps") and has("verdict") and has("errno_name") and has("by")
	and has("expected") and has("result") and has("reason"))' "$tmp/r.jsonl"
version=$(./run.sh --version)
check "every results line carries suite (./run.sh --version: $version), host and the run's time" jq_true -s --arg v "$version" \
	--arg h "$(hostname)" 'all(.[]; "seccomp-suite \(.suite)" == $v and .host == $h and (.time | test("^[-0-9]{10}T[:0-9]{8}Z$")))
	and (map(.time) | unique | length) == 1' "$tmp/r.jsonl"
./run.sh cases --json restrictive >"$tmp/c.jsonl" 2>/dev/null
check "run.sh cases: every results line carries suite, host and time" jq_true -s --arg v "$version" \
	'length > 0 and all(.[]; "seccomp-suite \(.suite)" == $v and has("host") and (.time | test("Z$")))' "$tmp/c.jsonl"
check "mount under docker-default: errno EPERM by the filter" \
	jq_true -s '.[] | select(.syscall == "mount") | .verdict == "errno" and .errno_name == "EPERM" and .by == "filter"' "$tmp/r.jsonl"
# A bad --time: probe-run and the cases runner refuse it with one message
# naming --time and its format (lib/probe_table.h), exit 64.
for prog in probe-run cases; do
	"$OUT/bin/$prog" --time yesterday >/dev/null 2>"$tmp/stderr"
	rc=$?
	check "$prog --time yesterday: exit 64 (exit $rc), the message names --time and the format" \
		bash -c "[ $rc -eq 64 ] && [ \"\$(cat '$tmp/stderr')\" = \"$prog: --time takes an RFC 3339 UTC time (2026-11-30T14:07:16Z), not 'yesterday'\" ]"
done
./run.sh probe --profile docker-default nosuchcall >/dev/null 2>&1
check "an unknown syscall name is a usage error (64)" [ $? -eq 64 ]

# scrun: exit statuses and pass-through.
"$SCRUN" -- /bin/sh -c 'exit 7'
check "scrun passes the program's exit status through" [ $? -eq 7 ]
"$SCRUN" --bogus -- true 2>/dev/null
check "scrun: bad usage exits 64" [ $? -eq 64 ]
"$SCRUN" --profile "$tmp/bad-op.json" -- true 2>"$tmp/stderr"
rc=$?
check "scrun: bad profile exits 65" [ "$rc" -eq 65 ]
check "scrun: bad profile names the JSON path" grep -q "syscalls\[0\].args\[0\].op" "$tmp/stderr"
"$SCRUN" -- no-such-program-seccomp-suite 2>/dev/null
check "scrun: program not found exits 127" [ $? -eq 127 ]
cat >"$tmp/no-exec.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["execve", "execveat"], "action": "SCMP_ACT_ERRNO"}]}
J
"$SCRUN" --profile "$tmp/no-exec.json" -- /bin/true 2>"$tmp/stderr"
rc=$?
check "scrun: a profile denying execve exits 126" [ "$rc" -eq 126 ]
check "scrun: ... and says why" grep -q "cannot execute /bin/true: Operation not permitted" "$tmp/stderr"
"$SCRUN" --profile docker-default -- unshare -U true 2>/dev/null
check "scrun: docker-default denies unshare to the program" [ $? -ne 0 ]
"$SCRUN" --profile docker-default --caps docker-default,CAP_SYS_ADMIN -- unshare -U true
check "scrun: with CAP_SYS_ADMIN added, docker-default allows unshare" [ $? -eq 0 ]
"$SCRUN" --profile docker-default --caps none -- /bin/sh -c 'grep -q "^CapEff:.*0000000000000000" /proc/self/status'
check "scrun --caps none: the program holds no capability" [ $? -eq 0 ]
tap_done
