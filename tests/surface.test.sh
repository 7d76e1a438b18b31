#!/usr/bin/env bash
# scsurface (issue 12): the decision surface of a profile.  TAP lines with
# a plan.
#   - docker-default's native surface: both sources agree on every call, and
#     it equals every probe's verdict (build/<abi>/probes/NAME --profile
#     docker-default) on every probed number;
#   - Debian 12's libseccomp 2.5.4 case is found (and not without x32, nor
#     without the socketcall rule);
#   - a hand-made profile with one argument rule shows both sides of it;
#   - static and live agree on every action (trap, kill, log, trace, errno 0,
#     errno 4000, a profile denying seccomp(2)); --live-sentinel proves the
#     comparison reports a disagreement;
#   - --diff of two profiles and of saved surfaces;
#   - harmless: unconfined with every capability, the live source makes every
#     call and every call reaches the supervisor (none runs), and the host is
#     unchanged;
#   - the time of docker-default, x86_64+i386+x32, both sources (< 2 s).
set -uo pipefail
OUT=${1:?usage: tests/surface.test.sh build/<abi>}
cd "$(dirname "$0")/.."
SURFACE="$OUT/bin/scsurface"
export SECCOMP_SUITE_PROFILES=$PWD/profiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lines=()

ok() { lines+=("ok - $1"); }
notok() { lines+=("not ok - $1"); shift; for l in "$@"; do lines+=("# $l"); done; }
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>"$tmp/check.err"; then ok "$name"; else notok "$name" "$(head -c 300 "$tmp/check.err")"; fi
}
skip() { lines+=("ok - $1 # SKIP $2"); }
finish() {
	echo "1..$(printf '%s\n' "${lines[@]}" | grep -cE '^(ok|not ok) ')"
	printf '%s\n' "${lines[@]}"
	exit 0
}

if [ "$(uname -m)" != x86_64 ] || [ ! -x "$SURFACE" ]; then
	skip "surface" "needs an x86_64 host and $SURFACE"
	finish
fi

# ---- docker-default, native, both sources ----
start=$(date +%s%N)
"$SURFACE" --profile docker-default --json >"$tmp/dd.jsonl" 2>"$tmp/dd.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "docker-default: the surface runs, both sources, exit 0 (took ${ms} ms)" [ "$rc" -eq 0 ]
n=$(jq -s 'length' "$tmp/dd.jsonl")
check "docker-default: one line per (abi, nr): 3 ABIs x 1024 numbers ($n)" [ "$n" -eq 3072 ]
bad=$(jq -c 'select(.agree == false or any(.conditions[]; .agree == false))' "$tmp/dd.jsonl" | head -3)
check "docker-default: static and live agree on every call" [ -z "$bad" ]
made=$(jq -s '[.[] | (if (.conditions | length) > 0 then .conditions[] else . end) | select(.live != null and .live != "exempt")] | length' "$tmp/dd.jsonl")
check "docker-default: the live source made every call but the exempt ones ($made calls)" \
	jq -se '[.[] | select(.action != "exempt")] | all(if (.conditions | length) > 0 then all(.conditions[]; .live != null and .live != "error") else .live != null and .live != "error" end)' "$tmp/dd.jsonl"
if [ "$ms" -lt 2000 ]; then
	ok "speed: docker-default, x86_64+i386+x32, static and live: ${ms} ms < 2000 ms (the machine is shared and loaded)"
else
	notok "speed: docker-default, x86_64+i386+x32, static and live: ${ms} ms, not < 2000 ms (the machine is shared and loaded)"
fi
check "i386 calls are made live (int \$0x80): getpid (20) passes, mount (21) errno EPERM" \
	jq -se 'any(.[]; .abi == "i386" and .nr == 20 and .live == "passes") and any(.[]; .abi == "i386" and .nr == 21 and .live == "errno" and .live_errno == 1)' "$tmp/dd.jsonl"
check "x32 calls are made live: read (0x40000000) passes, clone3 (0x40000000+435) errno ENOSYS" \
	jq -se 'any(.[]; .abi == "x32" and .nr == 1073741824 and .live == "passes") and any(.[]; .abi == "x32" and .nr == 1073742259 and .live == "errno" and .live_errno_name == "ENOSYS")' "$tmp/dd.jsonl"
kernel=$(uname -r | cut -d. -f1,2)
if [ "$(printf '%s\n' 6.17 "$kernel" | sort -V | head -n1)" = 6.17 ]; then
	check "uretprobe (335) and uprobe (336) are exempt on Linux $kernel and never called" \
		jq -se '[.[] | select(.abi == "x86_64" and (.nr == 335 or .nr == 336)) | select(.action == "exempt" and .by == "kernel" and .live == "exempt")] | length == 2' "$tmp/dd.jsonl"
else
	skip "uretprobe/uprobe exempt" "kernel $kernel is older than 6.17"
fi

# The probes' verdicts on every probed number.
xargs -P 2 -I{} env "$OUT/probes/{}" --profile docker-default <"$OUT/probes.list" >"$tmp/probes.jsonl" 2>/dev/null
while read -r line; do
	probe=$(jq -r '.probe // .syscall' <<<"$line")
	nr=$(jq -r .nr <<<"$line")
	if [ "$nr" = null ]; then
		continue
	fi
	verdict=$(jq -r .verdict <<<"$line")
	errno=$(jq -r .errno <<<"$line")
	s=$(jq -c --argjson nr "$nr" 'select(.abi == "x86_64" and .nr == $nr)' "$tmp/dd.jsonl")
	# The surface's actions for this number as verdicts (all paths when it
	# depends on the arguments: the probe's own arguments pick one).
	got=$(jq -r '(if (.conditions | length) > 0 then .conditions[] else . end)
		| {allow: "allowed", log: "allowed", errno: "errno", kill_thread: "killed", kill_process: "killed",
		   trap: "trapped", trace: "traced", notify: "notified", exempt: "allowed"}[.action] + " " + (.errno // 0 | tostring)' <<<"$s" | sort -u)
	want="$verdict $([ "$verdict" = errno ] && echo "$errno" || echo 0)"
	if grep -qxF "$want" <<<"$got"; then
		ok "probe $probe (nr $nr): the probe's verdict '$want' is the surface's$([ "$(wc -l <<<"$got")" -gt 1 ] && echo " (one of its paths)")"
	else
		notok "probe $probe (nr $nr): the probe says '$want', the surface says: $(echo $got)"
	fi
done <"$tmp/probes.jsonl"

# ---- Debian 12's libseccomp 2.5.4 case ----
cat >"$tmp/lsc.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [
  {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
   "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_NE"}]},
  {"names": ["socketcall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
EOF
"$SURFACE" --check --json --profile "$tmp/lsc.json" >"$tmp/lsc.check" 2>/dev/null
rc=$?
check "libseccomp case: --check exits 1" [ "$rc" -eq 1 ]
check "libseccomp case: socket (syscalls[0]) on x86_64: the profile means ERRNO(1), the filter returns ALLOW" \
	jq -se 'any(.[]; .class == "miscompiled" and .rule == "syscalls[0]" and .syscall == "socket" and .abi == "x86_64" and .nr == 41 and .expected == "SCMP_ACT_ERRNO(1)" and .actual == "SCMP_ACT_ALLOW")' "$tmp/lsc.check"
"$SURFACE" --profile "$tmp/lsc.json" --json >"$tmp/lsc.jsonl" 2>/dev/null
check "libseccomp case: the surface shows socket(40, ...) on x86_64 let through, live too, and the finding on the line" \
	jq -se 'any(.[]; .abi == "x86_64" and .nr == 41 and .action == "allow" and (.conditions | length) == 0 and .live == "passes" and (.miscompiled | length) == 1)' "$tmp/lsc.jsonl"
jq '.architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]' "$tmp/lsc.json" >"$tmp/lsc-nox32.json"
jq 'del(.syscalls[1])' "$tmp/lsc.json" >"$tmp/lsc-nosocketcall.json"
for v in nox32 nosocketcall; do
	"$SURFACE" --check --profile "$tmp/lsc-$v.json" >/dev/null
	rc=$?
	"$SURFACE" --source static --abi x86_64 --profile "$tmp/lsc-$v.json" --json >"$tmp/lsc-$v.jsonl"
	check "libseccomp case without $(sed 's/no//' <<<"$v"): nothing miscompiled, socket(40) denied (only arg0 == 1 allowed)" \
		bash -c "[ $rc -eq 0 ] && jq -se 'any(.[]; .nr == 41 and ([.conditions[] | select(.action == \"allow\") | .when] == [\"arg0 == 0x1\"]) and any(.conditions[]; .action == \"errno\" and .errno == 1 and .args[0] == \"0x0\"))' '$tmp/lsc-$v.jsonl' >/dev/null"
done
check "docker-default: nothing miscompiled" "$SURFACE" --check --profile docker-default

# ---- one argument rule: both sides ----
cat >"$tmp/onearg.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
   "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}
EOF
"$SURFACE" --profile "$tmp/onearg.json" --abi x86_64 --json >"$tmp/onearg.jsonl"
check "one argument rule: personality has both sides, arg0 == 8 errno EINVAL and arg0 != 8 allow, both made live" \
	jq -se 'any(.[]; .nr == 135 and any(.conditions[]; .when == "arg0 == 0x8" and .action == "errno" and .errno == 22 and .args[0] == "0x8" and .live == "errno" and .live_errno == 22) and any(.conditions[]; .action == "allow" and .args[0] != "0x8" and .live == "passes"))' "$tmp/onearg.jsonl"
check "one argument rule: every other number is unconditional allow" \
	jq -se '[.[] | select(.nr != 135 and .action != "exempt")] | all(.action == "allow" and (.conditions | length) == 0)' "$tmp/onearg.jsonl"

# ---- static and live agree on every action ----
cat >"$tmp/mix.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [
  {"names": ["getpid"], "action": "SCMP_ACT_TRAP"},
  {"names": ["getppid"], "action": "SCMP_ACT_LOG"},
  {"names": ["getuid"], "action": "SCMP_ACT_TRACE", "errnoRet": 7},
  {"names": ["getgid"], "action": "SCMP_ACT_KILL_PROCESS"},
  {"names": ["getegid"], "action": "SCMP_ACT_KILL_THREAD"},
  {"names": ["geteuid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0},
  {"names": ["getpgrp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4000},
  {"names": ["seccomp"], "action": "SCMP_ACT_ERRNO"},
  {"names": ["mmap"], "action": "SCMP_ACT_ERRNO",
   "args": [{"index": 2, "value": 4, "valueTwo": 4, "op": "SCMP_CMP_MASKED_EQ"}]}]}
EOF
"$SURFACE" --profile "$tmp/mix.json" --json >"$tmp/mix.jsonl"
rc=$?
check "every action: exit 0, static and live agree on every call" \
	bash -c "[ $rc -eq 0 ] && ! jq -e 'select(.agree == false or any(.conditions[]; .agree == false))' '$tmp/mix.jsonl' >/dev/null"
check "every action on x86_64: trap, log/passes, trace/passes, kill_process/killed, kill_thread/killed, errno 0, errno 4000, seccomp(2) denied" \
	jq -se '[.[] | select(.abi == "x86_64") | {(.syscall // "-"): [.action, .live]}] | add
		| .getpid == ["trap", "trap"] and .getppid == ["log", "passes"] and .getuid == ["trace", "passes"]
		  and .getgid == ["kill_process", "killed"] and .getegid == ["kill_thread", "killed"]
		  and .geteuid == ["errno", "errno"] and .getpgrp == ["errno", "errno"] and .seccomp == ["errno", "errno"]' "$tmp/mix.jsonl"
"$SURFACE" --profile restrictive --json >"$tmp/restrictive.jsonl"
rc=$?
check "restrictive (no architectures: i386 and x32 killed as a bad architecture): sources agree on all $(jq -s length "$tmp/restrictive.jsonl") numbers" \
	bash -c "[ $rc -eq 0 ] && jq -se '[.[] | select(.abi != \"x86_64\")] | all(.action == \"kill_thread\" and .live == \"killed\")' '$tmp/restrictive.jsonl' >/dev/null"
"$SURFACE" --profile docker-default --live-sentinel --json >"$tmp/sentinel.jsonl" 2>/dev/null
rc=$?
check "a disagreement is reported: --live-sentinel marks every errno call (exit 1)" \
	bash -c "[ $rc -eq 1 ] && jq -se '[.[] | select(.action == \"errno\" and (.conditions | length) == 0)] | length > 0 and all(.agree == false and .live_errno == 4000)' '$tmp/sentinel.jsonl' >/dev/null"
cat >"$tmp/notify.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"}]}
EOF
"$SURFACE" --profile "$tmp/notify.json" --source live >/dev/null 2>"$tmp/notify.err"
rc=$?
check "a profile with NOTIFY rules: the live source says why it cannot run (exit 3)" \
	bash -c "[ $rc -eq 3 ] && grep -q 'one notification listener' '$tmp/notify.err'"
"$SURFACE" --profile "$tmp/no-such.json" >/dev/null 2>"$tmp/missing.err"
rc=$?
check "a missing profile is refused (exit 2, the file named), nothing runs" \
	bash -c "[ $rc -eq 2 ] && grep -q 'no-such.json' '$tmp/missing.err'"

# ---- diff ----
"$SURFACE" --diff docker-default docker-default >"$tmp/diff-same.txt"
rc=$?
check "diff: docker-default against itself: equal, exit 0" bash -c "[ $rc -eq 0 ] && grep -q '^equal: 0 differences' '$tmp/diff-same.txt'"
# The regression of the issue: clone3's errnoRet (ENOSYS) dropped, so glibc
# gets EPERM and does not fall back to clone.
jq '(.syscalls[] | select(.names == ["clone3"]) | .errnoRet) |= empty' \
	/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json >"$tmp/clone3-eperm.json"
"$SURFACE" --diff docker-default "$tmp/clone3-eperm.json" --json >"$tmp/diff.jsonl"
rc=$?
check "diff: clone3 without errnoRet: exactly clone3 on x86_64, i386, x32 differs, ENOSYS -> EPERM (exit 1)" \
	bash -c "[ $rc -eq 1 ] && jq -se 'length == 3 and all(.syscall == \"clone3\" and .a.errno_name == \"ENOSYS\" and .b.errno_name == \"EPERM\")' '$tmp/diff.jsonl' >/dev/null"
"$SURFACE" --diff docker-default "$tmp/clone3-eperm.json" >"$tmp/diff.txt"
check "diff: the table names the run" grep -qE '^x86_64 +nr 435 +A errno ENOSYS +B errno EPERM +clone3' "$tmp/diff.txt"
"$SURFACE" --source static --out "$tmp/saved.jsonl" >/dev/null
"$SURFACE" --diff "$tmp/saved.jsonl" docker-default >/dev/null
rc1=$?
"$SURFACE" --source static --profile "$tmp/onearg.json" --out "$tmp/onearg-saved.jsonl" >/dev/null
"$SURFACE" --diff "$tmp/saved.jsonl" "$tmp/onearg-saved.jsonl" --json >"$tmp/diff2.jsonl"
rc2=$?
check "diff: a saved surface equals its profile; two saved surfaces: personality's conditions compared path by path" \
	bash -c "[ $rc1 -eq 0 ] && [ $rc2 -eq 1 ] && jq -se 'any(.[]; .abi == \"x86_64\" and .nr == 135 and .when != null and .a.action == \"allow\" and .b.action == \"errno\" and .b.errno == 22)' '$tmp/diff2.jsonl' >/dev/null"

# ---- harmless: unconfined, every capability ----
snapshot() {
	{
		echo "hostname $(hostname)"
		echo "domainname $(cat /proc/sys/kernel/domainname)"
		grep -r . /proc/sys/kernel 2>/dev/null | sort
		cat /proc/swaps /proc/modules 2>/dev/null
		awk '{print $2, $3}' /proc/self/mounts | grep -vE '^/(var/lib|run)/(docker|containers|netns)|^/tmp' | sort
		ls /dev | sort
	} >"$1"
}
snapshot "$tmp/host0"
sleep 1
snapshot "$tmp/host1"
# Entries that change on their own (counters, entropy) are left out.
volatile=$(diff "$tmp/host0" "$tmp/host1" | sed -n 's/^[<>] //p' | cut -d: -f1 | sort -u)
t0=$(date +%s)
"$SURFACE" --profile unconfined --caps all --json >"$tmp/unconfined.jsonl"
rc=$?
t1=$(date +%s)
snapshot "$tmp/host2"
check "harmless: unconfined, every capability: exit 0, every number of every ABI reached the supervisor (passes) but the exempt two" \
	bash -c "[ $rc -eq 0 ] && jq -se 'length == 3072 and ([.[] | select(.live == \"passes\")] | length) == 3070 and ([.[] | select(.live == \"exempt\")] | length) == 2' '$tmp/unconfined.jsonl' >/dev/null"
changed=$(diff "$tmp/host0" "$tmp/host2" | sed -n 's/^[<>] //p' | grep -vF -f <(printf '%s\n' $volatile "@@none@@") | head -5)
check "harmless: the host is unchanged (hostname, domainname, /proc/sys/kernel, swaps, modules, mounts, /dev; $(wc -w <<<"$volatile") self-changing entries left out)" [ -z "$changed" ]
[ -n "$changed" ] && lines+=("# changed: $changed")
check "harmless: the clock was not set (it moved forward by less than a minute)" bash -c "[ $t1 -ge $t0 ] && [ $((t1 - t0)) -lt 60 ]"

# ---- under container runtimes (commands/surface_backend.sh) ----
backend_ok() {
	case "$1" in
	runc | crun) command -v "$1" >/dev/null && [ "$(id -u)" -eq 0 ] ;;
	podman) command -v podman >/dev/null && [ "$(id -u)" -eq 0 ] && podman info >/dev/null 2>&1 ;;
	docker) command -v docker >/dev/null && [ "$(id -u)" -eq 0 ] && docker info >/dev/null 2>&1 ;;
	esac
}
DOCKER_JSON=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
for b in runc crun; do
	if ! backend_ok "$b"; then
		skip "$b: the installed filter's surface" "$b not installed or not root"
		continue
	fi
	start=$(date +%s%N)
	bash commands/surface_backend.sh --backend "$b" --json --out "$tmp/$b.jsonl" >/dev/null 2>"$tmp/$b.err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	check "$b: docker-default read back from the container (PTRACE_SECCOMP_GET_FILTER), both sources agree, ${ms} ms < 15000 ms with the container start (loaded machine)" \
		bash -c "[ $rc -eq 0 ] && [ $ms -lt 15000 ] && jq -se 'length == 3072 and all(.backend == \"$b\") and all(.agree != false) and any(.[]; .live == \"passes\")' '$tmp/$b.jsonl'"
	bash commands/surface_backend.sh --backend "$b" --profile "$tmp/lsc.json" --json >"$tmp/lsc-$b.jsonl" 2>/dev/null
	rc=$?
	check "$b: the libseccomp case is found in the filter $b installed (socket on x86_64 let through, exit 1)" \
		bash -c "[ $rc -eq 1 ] && jq -se 'any(.[]; .abi == \"x86_64\" and .nr == 41 and .action == \"allow\" and .live == \"passes\" and any(.miscompiled[]?; .rule == \"syscalls[0]\" and .expected == \"SCMP_ACT_ERRNO(1)\"))' '$tmp/lsc-$b.jsonl'"
done
if [ -s "$tmp/runc.jsonl" ] && [ -s "$tmp/crun.jsonl" ]; then
	"$SURFACE" --diff "$tmp/runc.jsonl" "$tmp/crun.jsonl" --json >"$tmp/runc-crun.jsonl"
	rc=$?
	# The highest number any name of the profile has, per ABI: runc's ENOSYS
	# stub starts above it.
	jq -r '[.syscalls[].names[]] | unique[]' "$DOCKER_JSON" >"$tmp/names"
	highest=$(jq -sc --rawfile names "$tmp/names" '($names | split("\n")) as $n
		| [.[] | select(.syscall != null and (.syscall as $s | $n | index($s)))] | group_by(.abi)
		| map({key: .[0].abi, value: (map(.nr) | max)}) | from_entries' "$tmp/dd.jsonl")
	check "runc vs crun (Debian's default.json): they differ exactly on the numbers above the profile's highest name ($highest): runc's ENOSYS stub, EPERM under crun" \
		bash -c "[ $rc -eq 1 ] && jq -se --argjson h '$highest' '
			(group_by(.a.abi // .abi) | length) == 3 and
			all(.a.errno_name == \"ENOSYS\" and .b.errno_name == \"EPERM\" and .when == null) and
			([.[] | select(.abi == \"x86_64\") | .nr] == [range(\$h.x86_64 + 1; 1024)]) and
			([.[] | select(.abi == \"i386\") | .nr] == [range(\$h.i386 + 1; 1024)]) and
			([.[] | select(.abi == \"x32\") | .nr] == [range(\$h.x32 + 1; 1073741824 + 1024)])' '$tmp/runc-crun.jsonl'"
	bash commands/surface_backend.sh --diff runc crun --json >"$tmp/runc-crun2.jsonl" 2>/dev/null
	rc=$?
	check "surface --diff runc crun (backend names as operands): the same differences, exit 1" \
		bash -c "[ $rc -eq 1 ] && cmp -s '$tmp/runc-crun.jsonl' '$tmp/runc-crun2.jsonl'"
else
	skip "runc vs crun" "needs both runtimes"
fi
if backend_ok podman; then
	bash commands/surface_backend.sh --backend podman --profile /usr/share/containers/seccomp.json --json >"$tmp/podman.jsonl" 2>"$tmp/podman.err"
	rc=$?
	check "podman, its own profile (/usr/share/containers/seccomp.json): every number without a name is ENOSYS, sources agree" \
		bash -c "[ $rc -eq 0 ] && jq -se '[.[] | select(.syscall == null)] | length > 1000 and all(.action == \"errno\" and .errno_name == \"ENOSYS\" and .live == \"errno\")' '$tmp/podman.jsonl'"
else
	skip "podman's own profile" "podman unusable here"
fi
if backend_ok docker && [ -s "$tmp/runc.jsonl" ]; then
	bash commands/surface_backend.sh --backend docker --json --out "$tmp/docker.jsonl" >/dev/null 2>&1
	check "docker (runc underneath): the same surface as runc's" "$SURFACE" --diff "$tmp/runc.jsonl" "$tmp/docker.jsonl"
else
	skip "docker" "dockerd not running (dockerd --iptables=false --bridge=none &) or runc not surveyed"
fi

finish
