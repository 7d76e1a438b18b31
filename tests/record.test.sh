#!/usr/bin/env bash
# run.sh record on real commands: the profile it writes lets the command run
# with the same status and output, denies what the command never called,
# and its verification can fail.  TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/record.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ARCH=$(jq -rn --arg m "$(uname -m)" '{x86_64: "SCMP_ARCH_X86_64", aarch64: "SCMP_ARCH_AARCH64"}[$m] // ""')

check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi; }
jq_true() { jq -e "$@" >/dev/null; }
differs() { ! cmp -s "$@"; }

record() { # record NAME COMMAND... : run.sh record into $tmp/NAME.json
	local name=$1
	shift
	./run.sh record --out "$tmp/$name.json" -- "$@" >"$tmp/$name.report" 2>&1
	echo $? >"$tmp/$name.rc"
	sed 's/^/# /' "$tmp/$name.report"
}

record true /bin/true
check "record /bin/true: recorded and verified (exit 0)" [ "$(cat "$tmp/true.rc")" -eq 0 ]
check "record /bin/true: defaultAction SCMP_ACT_ERRNO and one allow rule" \
	jq_true '.defaultAction == "SCMP_ACT_ERRNO" and (.syscalls | length) == 1 and .syscalls[0].action == "SCMP_ACT_ALLOW"' "$tmp/true.json"
check "record /bin/true: architectures is the native ABI alone ($ARCH)" \
	jq_true --arg a "$ARCH" '.architectures == [$a]' "$tmp/true.json"
check "record /bin/true: the execve itself and exit_group are in the list" \
	jq_true '.syscalls[0].names | index("execve") != null and index("exit_group") != null' "$tmp/true.json"

record ls ls /
check "record ls /: verified (same status, stdout, stderr; mount denied)" [ "$(cat "$tmp/ls.rc")" -eq 0 ]
check "record ls /: the report shows identical stdout" grep -q "stdout identical" "$tmp/ls.report"
check "record ls /: mount is denied by the filter" grep -q "probe mount: errno EPERM by the filter (denied)" "$tmp/ls.report"
check "record ls /: mount is not in the profile" jq_true '.syscalls[0].names | index("mount") == null' "$tmp/ls.json"
check "record ls /: getdents64 is (ls reads the directory)" jq_true '.syscalls[0].names | index("getdents64") != null' "$tmp/ls.json"
# Independent of run.sh record's own check: the same output by hand.
ls / >"$tmp/ls.plain"
"$OUT/bin/scrun" --profile "$tmp/ls.json" -- ls / >"$tmp/ls.confined"
check "ls / under the recorded profile (scrun) prints what it prints unconfined" cmp -s "$tmp/ls.plain" "$tmp/ls.confined"
jq '.syscalls[0].names -= ["getdents64"]' "$tmp/ls.json" >"$tmp/ls-minus.json"
"$OUT/bin/scrun" --profile "$tmp/ls-minus.json" -- ls / >"$tmp/ls.minus" 2>/dev/null
check "without getdents64 the profile no longer lets ls / list the directory" differs "$tmp/ls.plain" "$tmp/ls.minus"

# A static probe (it forks a child that makes the call): mount itself is
# then in the profile, so another syscall is probed for the denial.
record probe "$OUT/probes/mount"
check "record a static probe (probes/mount): verified" [ "$(cat "$tmp/probe.rc")" -eq 0 ]
check "record probes/mount: mount and the child's clone/fork are in the profile" \
	jq_true '.syscalls[0].names | index("mount") != null and (index("clone") != null or index("fork") != null or index("clone3") != null)' "$tmp/probe.json"
check "record probes/mount: a syscall it never made is denied instead" grep -Eq "probe [a-z_0-9.]+: errno EPERM by the filter" "$tmp/probe.report"

# Children and pipes: every process of the command is recorded.
record pipe /bin/sh -c 'ls / | wc -l'
check "record sh -c 'ls / | wc -l': verified across children" [ "$(cat "$tmp/pipe.rc")" -eq 0 ]
check "record sh -c 'ls / | wc -l': pipe and wait4 from the shell, getdents64 from ls" \
	jq_true '.syscalls[0].names | (index("pipe") != null or index("pipe2") != null) and index("wait4") != null and index("getdents64") != null' "$tmp/pipe.json"

# Exit statuses pass through and are verified.
record status /bin/sh -c 'exit 3'
check "a command exiting 3: recorded exit 3, verified under the profile" \
	grep -q "under the profile: exit 3, as recorded" "$tmp/status.report"

# The verification can fail: output that changes from run to run.
record nanos /bin/date +%N
check "verification fails (exit 1) when the output differs between runs" [ "$(cat "$tmp/nanos.rc")" -eq 1 ]
check "... and says stdout differs" grep -q "FAIL: stdout differs" "$tmp/nanos.report"

# --for RUNTIME: the runtime's own calls between loading the filter and the
# exec are added as a second rule, and the profile is verified in a
# container of that runtime.  Without that rule the container does not
# start: the runtime's init is denied a call after the load.
"$OUT/bin/screcord" --for podman --out /dev/null -- /bin/true 2>/dev/null
check "screcord --for podman: not a runtime it knows, exit 64" [ $? -eq 64 ]
./run.sh record --for lxc -- /bin/true >/dev/null 2>&1
check "run.sh record --for lxc: usage error, exit 64" [ $? -eq 64 ]
for rt in runc crun docker; do
	# shellcheck disable=SC2016
	if ! why=$(bash -c '. backends/backend.sh && check_backend "$1"' _ "$rt"); then
		echo "ok - record --for $rt # SKIP $why"
		continue
	fi
	./run.sh record --for "$rt" --out "$tmp/for-$rt.json" -- ls /usr >"$tmp/for-$rt.report" 2>&1
	rc=$?
	sed 's/^/# /' "$tmp/for-$rt.report"
	check "record --for $rt ls /usr: recorded and verified, natively and under $rt (exit $rc)" [ "$rc" -eq 0 ]
	check "record --for $rt: the report shows the run under $rt with the recorded status and stdout" \
		grep -q "under $rt: stdout identical" "$tmp/for-$rt.report"
	check "record --for $rt: a warning line says ls may make the runtime's calls too, for its whole life" \
		grep -q "^warning:  ls may make those $(jq '.syscalls[1].names | length' "$tmp/for-$rt.json") calls too, for its whole life" "$tmp/for-$rt.report"
	check "record --for $rt: the runtime rule's comment says the command may make them too" \
		jq_true '.syscalls[1].comment | test("allowed to the command too, for its whole life")' "$tmp/for-$rt.json"
	check "record --for $rt: a second rule names $rt and only calls the first lacks" \
		jq_true --arg rt "$rt" '(.syscalls | length) == 2 and (.syscalls[1].comment | contains($rt))
			and (.syscalls[1].names | length) > 0 and ((.syscalls[1].names - .syscalls[0].names) == .syscalls[1].names)' "$tmp/for-$rt.json"
	jq 'del(.syscalls[1])' "$tmp/for-$rt.json" >"$tmp/for-$rt-plain.json"
	commands/profile_tools.sh in-container "$rt" "$tmp/for-$rt-plain.json" docker-default -- ls /usr >/dev/null 2>"$tmp/for-$rt-plain.err"
	rc=$?
	check "without the $rt rule the container does not start (exit $rc: $(grep -o 'operation not permitted\|Operation not permitted' "$tmp/for-$rt-plain.err" | head -n1))" \
		test "$rc" -ne 0 -a -n "$(grep -i 'operation not permitted' "$tmp/for-$rt-plain.err")"
	commands/profile_tools.sh in-container "$rt" "$tmp/for-$rt.json" docker-default -- ls /usr >"$tmp/for-$rt.out" 2>/dev/null
	check "with it, ls /usr in the $rt container prints what it prints on the host" diff -q <(ls /usr) "$tmp/for-$rt.out"
done

# A profile the container run refuses leaves no OCI bundle behind.
if why=$(bash -c '. backends/backend.sh && check_backend runc' 2>&1); then
	mkdir -p build/record
	ls -d build/record/bundle.* >"$tmp/bundles.before" 2>/dev/null
	commands/profile_tools.sh in-container runc "$tmp/no-such-profile.json" docker-default -- /bin/true >/dev/null 2>"$tmp/refused.err"
	rc=$?
	ls -d build/record/bundle.* >"$tmp/bundles.after" 2>/dev/null
	check "in-container runc with a refused profile: exit 2 (exit $rc), the refusal on stderr, no bundle left" \
		bash -c "[ $rc -eq 2 ] && grep -q 'no-such-profile.json' '$tmp/refused.err' && cmp -s '$tmp/bundles.before' '$tmp/bundles.after'"
else
	echo "ok - in-container with a refused profile # SKIP $why"
fi

# --log: every call with its arguments, the execve first.
"$OUT/bin/screcord" --log "$tmp/true.log" --out /dev/null -- /bin/true
check "screcord --log: the first call recorded is the execve" jq_true -s '.[0].syscall == "execve"' "$tmp/true.log"
check "screcord --log: a line per call with six arguments" jq_true -s 'all(.args | length == 6)' "$tmp/true.log"
"$OUT/bin/screcord" --out /dev/null -- /no/such/program 2>/dev/null
check "screcord: a missing program exits 127" [ $? -eq 127 ]
tap_done
