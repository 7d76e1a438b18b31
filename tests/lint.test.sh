#!/usr/bin/env bash
# run.sh lint: every planted defect of tests/profiles/lint/ found, nothing
# more; exit status by severity; Docker's default gives only its real
# findings (README, "Linting a profile").  TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/lint.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
LINT="$OUT/bin/sclint"
DIR=tests/profiles/lint
DOCKER=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

jq_true() { jq "$@" >/dev/null; }
check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi; }

for f in "$DIR"/*.json; do
	base=$(basename "$f")
	"$LINT" --json "$f" >"$tmp/out.jsonl"
	rc=$?
	jq -r '[.severity, .class, .path] | @tsv' "$tmp/out.jsonl" | sort >"$tmp/got"
	awk -F'\t' -v f="$base" '$1 == f { print $2 "\t" $3 "\t" $4 }' "$DIR/expected.tsv" | sort >"$tmp/want"
	if diff "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		echo "ok - lint $base: exactly the planted findings ($(wc -l <"$tmp/want"))"
	else
		echo "not ok - lint $base: findings differ from expected.tsv"
		sed 's/^/# /' "$tmp/diff"
	fi
	want_rc=0
	grep -q '^error' "$tmp/want" && want_rc=1
	check "lint $base: exit status $want_rc" [ "$rc" -eq "$want_rc" ]
done

# The human form: FILE: PATH: SEVERITY: [CLASS] MESSAGE, and a count; 80
# columns (a long finding continues on indented lines), --wide one line each.
"$LINT" "$DIR/never-matches.json" >"$tmp/narrow"
check "human output: 80 columns at most, continuations indented" \
	test -z "$(awk 'length > 80' "$tmp/narrow")" -a "$(grep -c '^    ' "$tmp/narrow")" -gt 0
"$LINT" --wide "$DIR/never-matches.json" >"$tmp/human"
check "--wide: the same text, one line per finding" \
	test "$(tr -s ' \n' '  ' <"$tmp/human")" = "$(tr -s ' \n' '  ' <"$tmp/narrow")" -a "$(wc -l <"$tmp/human")" -eq 8
check "human output names file, JSON path, severity and class" \
	grep -q "^$DIR/never-matches.json: syscalls\[1\].args\[0\]: error: \[never-matches\] SCMP_CMP_MASKED_EQ" "$tmp/human"
check "human output ends with the counts" grep -q "never-matches.json: 6 errors, 0 warnings, 0 notes$" "$tmp/human"
./run.sh lint --wide "$DIR/invalid.json" >"$tmp/run" 2>&1
check "run.sh lint dispatches to sclint and keeps its exit status (1)" [ $? -eq 1 ]
check "an invalid profile: the loader's reason" grep -q 'unknown action \\"SCMP_ACT_ALLOWED\\"\|unknown action "SCMP_ACT_ALLOWED"' "$tmp/run"
"$LINT" 2>/dev/null
check "no file: usage, exit 64" [ $? -eq 64 ]

# The engine modelled: chosen with --engine, named in both outputs.
"$LINT" --json --engine docker-26 "$DIR/invalid.json" >"$tmp/e26.jsonl"
check "--engine docker-26: every JSON finding names the engine" \
	jq_true -se 'length > 0 and all(.engine == "docker-26")' "$tmp/e26.jsonl"
"$LINT" --engine docker-20.10 "$DIR/invalid.json" >"$tmp/e20.txt"
check "--engine docker-20.10: the text names the engine" \
	grep -q "^$DIR/invalid.json: engine docker-20.10 modelled" "$tmp/e20.txt"
"$LINT" --engine docker-27 "$DIR/clean.json" >/dev/null 2>&1
check "--engine docker-27: unknown, exit 64" [ $? -eq 64 ]

# What dockerd or runc refuse only in a rule that applies (profile_parse keeps
# it as the rule's problem): invalid even in a rule that applies nowhere here.
cat >"$tmp/problem.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["write"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]},
   "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 1, "op": "SCMP_CMP_LIKE"}]}]}
EOF
"$LINT" --json "$tmp/problem.json" >"$tmp/problem.jsonl"
check "a rule's problems, where the rule never applies: each an invalid error" \
	jq_true -se '[.[] | select(.severity == "error") | [.class, .path]] | sort ==
		[["invalid", "syscalls[1].args[0].index"], ["invalid", "syscalls[1].args[1].op"]]' "$tmp/problem.jsonl"

# Issue 14: what crashed, hung or passed before.
"$LINT" --json "$DIR/no-names.json" >/dev/null 2>&1
check "a rule without names (two conditions on one argument, an impossible one): no crash, exit 1" [ $? -eq 1 ]
"$LINT" --wide "$DIR/disabled.json" >"$tmp/disabled" 2>&1
check "a profile Docker would run unconfined: the one refusal every command gives" \
	grep -q "^$DIR/disabled.json: error: \[invalid\] neither defaultAction nor syscalls: Docker would run this profile unconfined; use --profile unconfined to mean no filter$" "$tmp/disabled"

# Longer than the kernel's 4096 BPF instructions: refused by lint as by a probe.
jq -n '{defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	syscalls: [range(4096) as $i | {names: ["ioctl"], action: "SCMP_ACT_ALLOW",
		args: [{index: 1, value: $i, op: "SCMP_CMP_EQ"}]}]}' >"$tmp/long.json"
"$LINT" --json "$tmp/long.json" >"$tmp/long.jsonl"
rc=$?
check "a filter over 4096 BPF instructions: a build error, exit 1" \
	jq_true -se '[.[] | select(.severity == "error")] | length == 1 and .[0].class == "build"
		and (.[0].message | test("more than the kernel.s 4096 \\(BPF_MAXINSNS\\)"))' "$tmp/long.jsonl"
check "  ... exit status 1" [ "$rc" -eq 1 ]
"$OUT/probes/getpid" --profile "$tmp/long.json" --timeout 60000 >/dev/null 2>"$tmp/long.err"
check "  ... which a probe refuses too (exit 2)" [ $? -eq 2 ]
check "  ... for the same reason" grep -q "more than the kernel's 4096 (BPF_MAXINSNS)" "$tmp/long.err"

# Options end at --: a file whose name starts with a dash.
cp "$DIR/clean.json" "$tmp/-clean.json"
lint_abs=$(cd "$(dirname "$LINT")" && pwd)/sclint
(cd "$tmp" && "$lint_abs" -- -clean.json >/dev/null 2>&1)
check "sclint -- -clean.json lints the file (exit 0)" [ $? -eq 0 ]
(cd "$tmp" && "$lint_abs" -clean.json >/dev/null 2>&1)
check "sclint -clean.json (no --) is an unknown option: exit 64" [ $? -eq 64 ]
check "after --, --json is a file name" grep -q "^--json: error: \[invalid\] cannot open" <("$LINT" -- --json 2>&1)

# Read once from a pipe; never hang on a FIFO; never fill memory from a stream.
"$LINT" --json /dev/stdin <"$DIR/never-matches.json" >"$tmp/pipe.jsonl"
check "a profile on a pipe (/dev/stdin): the same findings as the file" \
	jq_true -se '[.[] | select(.class == "never-matches")] | length == 3' "$tmp/pipe.jsonl"
"$LINT" --json <(cat "$DIR/never-matches.json") >"$tmp/procsub.jsonl"
check "a profile from <(...): the same findings" jq_true -se '[.[] | select(.class == "never-matches")] | length == 3' "$tmp/procsub.jsonl"
mkfifo "$tmp/fifo"
start=$SECONDS
timeout 30 "$LINT" --wide "$tmp/fifo" >"$tmp/fifo.out" 2>&1
rc=$? took=$((SECONDS - start))
check "a FIFO nobody writes: refused (exit 1)" [ "$rc" -eq 1 ]
check "  ... within seconds, not a hang ($took s)" [ "$took" -lt 15 ]
check "  ... saying so" grep -q "a FIFO with no writer" "$tmp/fifo.out"
timeout 30 "$LINT" --wide /dev/zero >"$tmp/zero.out" 2>&1
check "/dev/zero: refused at once (exit 1)" [ $? -eq 1 ]
check "  ... at its first NUL byte" grep -q "NUL byte" "$tmp/zero.out"
(yes ' ' | timeout 60 "$LINT" --wide /dev/stdin) >"$tmp/yes.out" 2>&1
check "an endless stream of spaces: refused at 64 MiB, the limit named" \
	grep -q "larger than 64 MiB (67108864 bytes), the most a profile may hold" "$tmp/yes.out"

# Every input fuzzing found (tests/fuzz/regressions/): an answer, no crash.
for f in tests/fuzz/regressions/*; do
	timeout 120 "$LINT" --json "$f" >/dev/null 2>&1
	rc=$?
	check "fuzz regression $(basename "$f"): sclint answers (exit $rc, 0 or 1)" [ "$rc" -le 1 ]
done

# Docker's default (moby 20.10.24): one warning, documented in the README.
if [ -r "$DOCKER" ]; then
	"$LINT" --json --notes "$DOCKER" >"$tmp/docker.jsonl"
	rc=$?
	check "docker-default: exit 0 (no error)" [ "$rc" -eq 0 ]
	check "docker-default: the only warning is sync_file_range2, dead on arm/arm64 in libseccomp" \
		jq_true -se '[.[] | select(.severity != "note")] | length == 1 and .[0].class == "absent-name"
			and .[0].path == "syscalls[8].names[2]" and .[0].syscall == "sync_file_range2"' "$tmp/docker.jsonl"
	check "docker-default: every note is a name absent on some (not all) of the archMap's filters" \
		jq_true -se '[.[] | select(.severity == "note")] | length > 0 and all(.class == "absent-name")' "$tmp/docker.jsonl"
	check "docker-default: x86_64 filter notes are exactly recv and send (socketcall-era names)" \
		jq_true -se '[.[] | select(.severity == "note" and (.message | test("SCMP_ARCH_X86_64"))) | .syscall] | sort == ["recv", "send"]' "$tmp/docker.jsonl"
else
	echo "ok - docker-default lint # SKIP $DOCKER missing (apt-get install golang-github-docker-docker-dev)"
fi
# shadowed: what lint claims, the compiled filter does.  libseccomp keeps
# only an unconditional rule of a syscall, whichever comes first, so the
# deny of getpid(1) after an allow of getpid, and of getppid(1) before an
# allow of getppid, never happen; the clean profile's rules are taken.
EXPLAIN="$OUT/bin/scexplain"
action_of() { "$EXPLAIN" --json "$@" | jq -r .action; }
for call in "getpid 1" "getppid 1"; do
	# shellcheck disable=SC2086
	got=$(action_of "$DIR/shadowed.json" $call)
	check "shadowed: the filter allows $call, as lint says (explain: $got)" [ "$got" = SCMP_ACT_ALLOW ]
done
got=$(action_of "$DIR/shadowed-clean.json" getppid 1)
check "shadowed-clean: getppid(1) is denied by its conditional rule (explain: $got)" [ "$got" = "SCMP_ACT_ERRNO(38)" ]
got=$(action_of --caps docker-default "$DIR/shadowed-clean.json" getpid 1)
check "shadowed-clean: without CAP_SYS_ADMIN getpid(1) is denied by its rule (explain: $got)" [ "$got" = "SCMP_ACT_ERRNO(38)" ]

# socketcall-bypass: what libseccomp builds for i386 (explain --bpf): an
# argument rule on socket also becomes socketcall(SYS_SOCKET) with its arg0
# condition replaced by the call number; an unconditional socketcall rule
# replaces that.  The direct call is held back, socketcall is not.
i386() { action_of --arch i386 "$DIR/$1" "${@:2}"; }
got=$(i386 socketcall-bypass.json socket 2)
check "socketcall-bypass: i386 socket(AF_INET) is denied by the filter (explain: $got)" [ "$got" = "SCMP_ACT_ERRNO(1)" ]
got=$(i386 socketcall-bypass.json socketcall 1)
check "socketcall-bypass: i386 socketcall(SYS_SOCKET, ...) is allowed (explain: $got)" [ "$got" = SCMP_ACT_ALLOW ]
got=$(i386 socketcall-derived.json socket 1)
check "socketcall-derived: i386 socket(AF_UNIX) is denied by the filter (explain: $got)" [ "$got" = "SCMP_ACT_ERRNO(1)" ]
got=$(i386 socketcall-derived.json socketcall 1)
check "socketcall-derived: socketcall not named, yet i386 socketcall(SYS_SOCKET, ...) is allowed (explain: $got)" [ "$got" = SCMP_ACT_ALLOW ]
got=$(i386 socketcall-derived.json socketcall 3 0 0)
check "socketcall-derived: i386 socketcall(SYS_CONNECT, ...) is allowed by the caller's own third register (explain: $got)" \
	[ "$got" = SCMP_ACT_ALLOW ]
got=$(i386 socketcall-clean.json socketcall 1)
check "socketcall-clean: i386 socketcall is denied outright, nothing to bypass (explain: $got)" [ "$got" = "SCMP_ACT_ERRNO(38)" ]
got=$(i386 socketcall-deny-default.json socketcall 1 0)
check "socketcall-deny-default: i386 socketcall(SYS_SOCKET, ...) is denied for any family, nothing to bypass (explain: $got)" \
	[ "$got" = "SCMP_ACT_ERRNO(1)" ]
# Docker 26's default allows socket except AF_VSOCK, and socketcall.
if ./run.sh lint --json docker-26-default >"$tmp/d26.jsonl" 2>/dev/null || [ -s "$tmp/d26.jsonl" ]; then
	check "docker-26-default: socketcall-bypass on its socket rule (AF_VSOCK), nothing shadowed" \
		jq_true -se '[.[] | select(.class == "socketcall-bypass") | [.path, .syscall]] == [["syscalls[2].names[0]", "socket"]]
			and all(.[]; .class != "shadowed")' "$tmp/d26.jsonl"
else
	echo "ok - docker-26-default socketcall-bypass # SKIP docker-26-default not available (make moby26)"
fi

# ... and live: a 32-bit program asks for an AF_VSOCK socket directly and
# through socketcall, under scrun.  Docker 26's default (explicit socketcall
# allow), docker-default with socket allowed only off AF_VSOCK and socketcall
# not named (libseccomp's derived rule), and that with socketcall denied.
cat >"$tmp/vsock32.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
/* i386: socket(AF_VSOCK, SOCK_STREAM, 0) as socket (359), then as
 * socketcall(SYS_SOCKET, args) (102). */
int main(void)
{
	long args[3] = { 40, 1, 0 };
	long direct = syscall(359, 40, 1, 0);
	int e1 = direct < 0 ? errno : 0;
	long multiplexed = syscall(102, 1, args);
	int e2 = multiplexed < 0 ? errno : 0;
	printf("socket %s socketcall %s\n", e1 ? strerrorname_np(e1) : "ok", e2 ? strerrorname_np(e2) : "ok");
	return 0;
}
C
if i686-linux-gnu-gcc -static -O2 -o "$tmp/vsock32" "$tmp/vsock32.c" 2>/dev/null && "$tmp/vsock32" >/dev/null 2>&1; then
	jq '.syscalls[0].names -= ["socket", "socketcall"]
	    | .syscalls += [{names: ["socket"], action: "SCMP_ACT_ALLOW", args: [{index: 0, value: 40, op: "SCMP_CMP_NE"}]}]' \
		"$("$OUT/bin/resolve-profile" --file docker-default)" >"$tmp/derived.json"
	jq '.syscalls += [{names: ["socketcall"], action: "SCMP_ACT_ERRNO", errnoRet: 38}]' "$tmp/derived.json" >"$tmp/closed.json"
	profiles=("$tmp/derived.json" "$tmp/closed.json")
	"$OUT/bin/resolve-profile" --file docker-26-default >/dev/null 2>&1 && profiles=(docker-26-default "${profiles[@]}")
	for p in "${profiles[@]}"; do
		got=$("$OUT/bin/scrun" --profile "$p" -- "$tmp/vsock32" 2>&1)
		found=$("$LINT" --json "$p" | jq -r 'select(.class == "socketcall-bypass" and .syscall == "socket") | .path')
		if [ "$p" = "$tmp/closed.json" ]; then
			check "live, socketcall denied ($(basename "$p")): both ways refused ($got), and lint reports no bypass" \
				test "$got" = "socket EPERM socketcall ENOSYS" -a -z "$found"
		else
			check "live, $(basename "$p"): the direct call is refused, socketcall gets the socket ($got), as lint reports (${found:-nothing})" \
				test "$got" = "socket EPERM socketcall ok" -a -n "$found"
		fi
	done
else
	echo "ok - live socketcall-bypass # SKIP no i686-linux-gnu-gcc, or i386 programs do not run here"
fi

# Bundled names, as every other command takes them.
./run.sh lint docker-default >"$tmp/bundled" 2>&1
rc=$?
check "run.sh lint docker-default: the bundled profile, named as given (exit $rc)" \
	grep -q "^docker-default: 0 errors, 1 warnings" "$tmp/bundled"
./run.sh lint unconfined >"$tmp/unconfined" 2>&1
check "run.sh lint unconfined: no filter, nothing to check (exit $?)" grep -q "nothing to check" "$tmp/unconfined"

# miscompiled: libseccomp 2.5.4 drops an x86_64 socket argument rule when x86
# and x32 share the filter with a socketcall rule (issue 12's live case):
# socket(0, ...) is let through on x86_64 and x32 although the profile denies
# it.  Without x32 the filter is right, and lint says nothing.
cat >"$tmp/socketcall.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_NE"}]},
              {"names": ["socketcall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
J
"$LINT" --json "$tmp/socketcall.json" >"$tmp/socketcall.jsonl"
check "miscompiled: the socket rule libseccomp 2.5.4 drops is found on x86_64 and x32" \
	jq_true -se '[.[] | select(.class == "miscompiled" and .path == "syscalls[0]") | .message | capture("on (?<abi>[a-z0-9_]+) ").abi] | sort == ["x32", "x86_64"]' "$tmp/socketcall.jsonl"
jq 'del(.architectures[2])' "$tmp/socketcall.json" >"$tmp/socketcall-no-x32.json"
"$LINT" --json "$tmp/socketcall-no-x32.json" >"$tmp/socketcall-no-x32.jsonl"
check "miscompiled: without x32 the filter is right and nothing is reported" \
	jq_true -se 'all(.[]; .class != "miscompiled")' "$tmp/socketcall-no-x32.jsonl"
tap_done
