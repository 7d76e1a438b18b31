#!/usr/bin/env bash
# run.sh explain: hand-computed answers for docker-default (moby 20.10.24,
# rule indices read from the file by hand), and agreement with the real
# verdict of every probe under docker-default.  TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/explain.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
EXPLAIN="$OUT/bin/scexplain"
DOCKER=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
export SECCOMP_SUITE_PROFILES=$PWD/profiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi; }

# Issue 14: the profile is read once (a pipe can be read only once), options
# end at --, and what every command refuses explain refuses (exit 2).
R=profiles/restrictive.json
# jq -e on an empty file succeeds: an answer must exist first.
jq_true() { [ -s "${!#}" ] && jq -e "$@" >/dev/null 2>&1; }
cat "$R" | "$EXPLAIN" --json /dev/stdin read >"$tmp/pipe.json" 2>"$tmp/pipe.err"
check "a profile on a pipe (/dev/stdin): explained from one reading" \
	jq_true '.decided_by == "rule" and .rule.path == "syscalls[0]" and .verdict == "allowed"' "$tmp/pipe.json"
"$EXPLAIN" --json <(cat "$R") mount >"$tmp/procsub.json" 2>&1
check "a profile from <(...): the default action for mount" \
	jq_true '.decided_by == "default" and .verdict == "errno"' "$tmp/procsub.json"
cp "$R" "$tmp/--restrictive.json"
explain_abs=$(cd "$(dirname "$EXPLAIN")" && pwd)/scexplain
(cd "$tmp" && "$explain_abs" --json -- --restrictive.json read) >"$tmp/dashdash.json" 2>&1
check "-- ends the options: a profile named --restrictive.json" jq_true '.rule.path == "syscalls[0]"' "$tmp/dashdash.json"
# The engine modelled: chosen with --engine, named in both outputs.
"$EXPLAIN" --json --engine docker-26 "$R" read >"$tmp/e26.json" 2>&1
check "--engine docker-26: the JSON names the engine" jq_true '.engine == "docker-26"' "$tmp/e26.json"
"$EXPLAIN" --engine docker-20.10 "$R" read >"$tmp/e20.txt" 2>&1
check "--engine docker-20.10: the text names the engine" grep -q '^engine    docker-20.10 ' "$tmp/e20.txt"
"$EXPLAIN" --engine docker-27 "$R" read >/dev/null 2>&1
check "--engine docker-27: unknown, exit 64" [ $? -eq 64 ]
(cd "$tmp" && "$explain_abs" --json --restrictive.json read) >/dev/null 2>&1
check "  ... which without -- is an unknown option: exit 64" [ $? -eq 64 ]
"$EXPLAIN" --json -- "$R" write -1 >"$tmp/neg.json" 2>&1
check "a negative argument after --" jq_true '.args[0] == 18446744073709551615' "$tmp/neg.json"
echo '{"syscalls": null}' >"$tmp/disabled.json"
"$EXPLAIN" "$tmp/disabled.json" mount >"$tmp/disabled.out" 2>&1
rc=$?
check "a profile Docker would run unconfined: exit 2, not explained as unconfined" [ "$rc" -eq 2 ]
check "  ... with the one refusal every command gives" \
	grep -q "^scexplain: $tmp/disabled.json: neither defaultAction nor syscalls: Docker would run this profile unconfined; use --profile unconfined to mean no filter$" "$tmp/disabled.out"
timeout 30 "$EXPLAIN" /dev/zero read >"$tmp/zero.out" 2>&1
check "/dev/zero: refused at once, exit 2" [ $? -eq 2 ]
mkfifo "$tmp/fifo"
timeout 30 "$EXPLAIN" "$tmp/fifo" read >"$tmp/fifo.out" 2>&1
check "a FIFO nobody writes: exit 2, not a hang" [ $? -eq 2 ]

# libseccomp 2.5.4 compiles this profile wrongly (found while fuzzing,
# issue 14): read(0, 1) matches syscalls[1] (arg0 <= 1: ALLOW), yet the
# filter traps it.  explain must not name a rule whose action the filter
# did not return: it says the result is unexplained (exit 3); with a
# libseccomp that compiles it right, syscalls[1] decides.
"$EXPLAIN" --json tests/fuzz/regressions/libseccomp-2.5.4-miscompiles-read-0-1.json read 0 1 >"$tmp/wrong.json" 2>&1
rc=$?
check "a filter libseccomp miscompiled: explain names no rule the filter did not follow (exit $rc)" \
	jq_true --argjson rc "$rc" '($rc == 3 and .decided_by == "unexplained" and .action == "SCMP_ACT_TRAP" and .rule == null)
		or ($rc == 0 and .decided_by == "rule" and .rule.path == "syscalls[1]" and .action == "SCMP_ACT_ALLOW")' "$tmp/wrong.json"

# Every input fuzzing found (tests/fuzz/regressions/): an answer (0), a
# refusal (2) or "undecided" (3), never a crash.
for f in tests/fuzz/regressions/*; do
	timeout 120 "$EXPLAIN" --json "$f" personality 8 >/dev/null 2>&1
	rc=$?
	case $rc in 0 | 2 | 3) answered=yes ;; *) answered=no ;; esac
	check "fuzz regression $(basename "$f"): scexplain answers (exit $rc: 0, 2 or 3)" [ "$answered" = yes ]
done

if [ ! -r "$DOCKER" ] || [ "$(uname -m)" != x86_64 ]; then
	echo "ok - explain # SKIP needs $DOCKER and an x86_64 host (the answers below are x86_64's)"
	tap_done
	exit 0
fi

# expect NAME 'JQ FILTER' EXPLAIN-ARGS...
expect() {
	local name=$1 filter=$2
	shift 2
	if "$EXPLAIN" --json "$@" >"$tmp/e.json" 2>"$tmp/e.err" && jq -e "$filter" "$tmp/e.json" >/dev/null; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		sed 's/^/# /' "$tmp/e.json" "$tmp/e.err"
	fi
}

D=docker-default
expect "personality(0x8): syscalls[3] (arg0 == 8) allows it" \
	'.decided_by == "rule" and .rule.index == 3 and .rule.path == "syscalls[3]" and .action == "SCMP_ACT_ALLOW"' $D personality 8
expect "personality(0xffffffff): syscalls[6]" '.rule.index == 6 and .verdict == "allowed"' $D personality 0xffffffff
expect "personality(1): no rule matches, the default ERRNO(EPERM)" \
	'.decided_by == "default" and .action == "SCMP_ACT_ERRNO(1)" and .errno_name == "EPERM"' $D personality 1
expect "clone(SIGCHLD|CLONE_VM...): syscalls[14], the namespace-flag mask" \
	'.rule.index == 14 and .rule.args[0].op == "SCMP_CMP_MASKED_EQ" and .verdict == "allowed"' $D clone 0x1200011
expect "clone(CLONE_NEWNS): default EPERM" '.decided_by == "default" and .errno == 1' $D clone 0x20000
expect "clone(CLONE_NEWNS) with CAP_SYS_ADMIN: syscalls[13]" \
	'.rule.index == 13 and .verdict == "allowed"' --caps docker-default,CAP_SYS_ADMIN $D clone 0x20000
expect "clone3: syscalls[16], ERRNO errnoRet 38 (ENOSYS)" \
	'.rule.index == 16 and .action == "SCMP_ACT_ERRNO(38)" and .errno_name == "ENOSYS"' $D clone3
expect "mount: default EPERM (syscalls[13] needs CAP_SYS_ADMIN)" '.decided_by == "default" and .errno == 1' $D mount
expect "ptrace on kernel 4.4: default EPERM (syscalls[1] is minKernel 4.8)" '.decided_by == "default"' --kernel 4.4 $D ptrace
expect "ptrace on kernel 4.8: syscalls[1]" '.rule.index == 1 and .verdict == "allowed"' --kernel 4.8 $D ptrace
expect "read: syscalls[0], the big allow list" '.rule.index == 0' $D read
expect "socketcall as i386: syscalls[0] (x86 is a sub-architecture of amd64)" \
	'.arch == "SCMP_ARCH_X86" and .nr == 102 and .rule.index == 0' --arch i386 $D socketcall
# i386 has socket directly since Linux 4.3 (nr 359, syscall_32.tbl);
# libseccomp names it by a pseudo number, which is not the call a program
# makes.
expect "socket as i386: the direct call, nr 359 (Linux 4.3), allowed by syscalls[0]" \
	'.arch == "SCMP_ARCH_X86" and .nr == 359 and .verdict == "allowed" and .rule.index == 0' --arch i386 $D socket 1
expect "socketcall on x86_64: absent" '.decided_by == "absent" and .verdict == "absent"' $D socketcall
expect "restrictive as i386: not among the filter's architectures: KILL_THREAD" \
	'.decided_by == "bad-arch" and .action == "SCMP_ACT_KILL_THREAD" and .verdict == "killed"' --arch i386 restrictive read
expect "unconfined: allowed, no filter" '.decided_by == "unconfined" and .verdict == "allowed"' unconfined mount
expect "arguments of a 32-bit call are cut to 32 bits (personality 0x1_0000_0008 as i386 is 8)" \
	'.rule.index == 3' --arch i386 $D personality 0x100000008
"$EXPLAIN" $D no_such_call >/dev/null 2>&1
check "an unknown syscall name: exit 64" [ $? -eq 64 ]

# --bpf: libseccomp's PFC and an instruction count equal to the filter's.
"$EXPLAIN" --bpf $D mount >"$tmp/bpf.txt"
n=$("$EXPLAIN" --json $D mount | jq .instructions)
check "--bpf prints the PFC with the instruction count of the loaded filter ($n)" \
	grep -q "^# libseccomp PFC of the filter above: $n BPF instructions" "$tmp/bpf.txt"
check "--bpf: the PFC holds mount's number (165) under the x86_64 section" grep -q 'if (\$syscall == 165)' "$tmp/bpf.txt"
./run.sh explain $D getpid >"$tmp/human.txt"
check "run.sh explain: text names the rule and the action" \
	grep -q "^action    SCMP_ACT_ALLOW (verdict allowed)" "$tmp/human.txt"

# Every probe: explain's verdict (with the arguments the probe really
# passes, read from a USER_NOTIF record of its run) equals the probe's own
# verdict under docker-default.
agree=0 disagree=0
while read -r probe; do
	syscall=${probe%%.*}
	real=$("$OUT/probes/$probe" --profile $D 2>/dev/null)
	"$OUT/bin/screcord" --caps all --log "$tmp/log" --out /dev/null -- "$OUT/probes/$probe" >/dev/null 2>&1
	args=$(jq -rs --arg s "$syscall" '[.[] | select(.syscall == $s)] | last | .args // [] | join(" ")' "$tmp/log")
	said=$("$EXPLAIN" --json $D "$syscall" $args 2>/dev/null)
	if jq -en --argjson real "$real" --argjson said "${said:-null}" '
		$said != null and $real.verdict == $said.verdict
		and ($real.verdict != "errno" or ($real.errno == $said.errno and $real.by == "filter"))' >/dev/null; then
		agree=$((agree + 1))
		echo "ok - explain agrees with probe $probe: $(jq -r .verdict <<<"$real")"
	else
		disagree=$((disagree + 1))
		echo "not ok - explain disagrees with probe $probe"
		echo "# probe:   $real"
		echo "# explain: $said"
	fi
done <"$OUT/probes.list"
echo "# explain agreed with $agree probes, disagreed with $disagree"
tap_done
