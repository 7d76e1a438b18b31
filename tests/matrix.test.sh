#!/usr/bin/env bash
# The matrix: first its pieces without a kernel (the console watcher against
# fake console writers, the plan interpreter on the host, the collection of
# a console that stalled, panicked or ended; the kernels' suites and the
# private apt configuration), then the matrix as CI runs it: one amd64
# guest (Debian 12's 6.1 cloud kernel, the x86_64 and i386 ABIs) and one
# arm64 guest (Debian 11's 5.10, aarch64 and its compat ABI arm), booted in
# qemu, asserting every set.  TAP; the guests' checks are skipped, with the
# reason, only when qemu or the kernel package cannot be had here.
#   bash tests/matrix.test.sh [BUILD]   (BUILD is accepted and unused: the
#   matrix builds every ABI it needs under build/)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PLAN=58
echo "1..$PLAN"

OUT=$ROOT/build/matrix-test
# The sets of the fake consoles; the guests run every set.
FAKE_SETS="docker-default restrictive"
SETS=$(cd cases && ls ./*.cases | sed 's|^\./||; s/\.cases$//' | LC_ALL=C sort | paste -sd ' ')
work=$(mktemp -d)
bg=()
test_cleanup() {
	local p
	for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap test_cleanup EXIT

n=0
skip=""
check() { # check NAME COMMAND...: one TAP line (a SKIP while $skip is set)
	local name=$1
	shift
	n=$((n + 1))
	if [ -n "$skip" ]; then
		echo "ok $n - $name # SKIP $skip"
	elif "$@" >/dev/null; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
	fi
}

# The pieces, defined and not run (sourcing matrix/matrix.sh does not call main).
# shellcheck source=matrix/matrix.sh
. matrix/matrix.sh
set +e

### The watcher: fake console writers, no kernel ###########################

# watch WRITER STALL CAP: runs the writer (a shell loop writing a console
# log) in the background, watches it; sets W_OUT, W_RC, W_SECS, W_PID.
watch() {
	local log="$work/console.$n" t0
	bash -c "$1" >"$log" 2>&1 &
	W_PID=$!
	bg+=("$W_PID")
	t0=$(now_us)
	W_OUT=$(watch_console "$log" "$W_PID" "$2" "$3")
	W_RC=$?
	W_SECS=$((($(now_us) - t0) / 1000000))
	wait "$W_PID" 2>/dev/null
	echo "# watch_console after ${W_SECS}s: rc $W_RC: $W_OUT"
}
secs_between() { [ "$W_SECS" -ge "$1" ] && [ "$W_SECS" -le "$2" ]; }
gone() { ! kill -0 "$W_PID" 2>/dev/null; }

watch 'for i in 1 2 3 4 5 6; do echo "ok $i"; sleep 0.3; done' 2 30
check "watcher: a console writer that ends by itself is 'exited'" test "$W_RC" -eq 0 -a "$W_OUT" = exited

# README's size of the default matrix (N cells, M cases) is what the data
# files plan: every default kernel (the host's architecture for "host")
# times the default ABIs its architecture runs, times every set and probe.
default_cells() {
	local spec debarch n=0
	ARCHES=$(default_abis)
	for spec in $(default_kernels "$ARCHES" | tr , ' '); do
		case "$spec" in host) debarch=$(debarch_of_abi "$(uname -m)") ;; *) debarch=$(guest_debarch "$spec") ;; esac
		n=$((n + $(abis_of_debarch "$debarch" | wc -w)))
	done
	echo "$n"
}
cells=$(default_cells)
cases=$((cells * $(ls cases/*.cases | wc -l) * $(wc -l <"$ROOT/build/$(uname -m)/probes.list")))
readme=$(tr '\n' ' ' <README.md | grep -oE '[0-9]+ cells, [0-9]+ +cases' | head -n1 | tr -s ' ')
check "README's default matrix '$readme' is the plan's $cells cells, $cases cases" test "$readme" = "$cells cells, $cases cases"
watch 'echo boot; echo "ok 1"; exec sleep 60' 2 30
check "watcher: no new line for the stall time is 'stalled' (rc 1)" test "$W_RC" -eq 1
check "watcher: the stall is noticed within the stall time and a poll, not the overall limit" secs_between 2 6
check "watcher: the stalled writer is stopped" gone
check "watcher: the stall report names the last line" grep -q 'stalled: no new console line for 2 s (last line: ok 1)' <<<"$W_OUT"
# A slow writer: a line a second, always within the 3 s stall, for longer
# than the 7 s overall limit: still making progress, never "hung".
watch 'i=0; while :; do i=$((i + 1)); echo "ok $i"; sleep 1; done' 3 7
check "watcher: a slow console that keeps printing is never stalled" test "$W_RC" -ne 1
check "watcher: it meets the overall limit as 'capped' (rc 2), while still making progress" \
	grep -q '^capped: exceeded the overall limit of 7 s while still making progress' <<<"$W_OUT"
check "watcher: the capped writer is stopped" gone
# A writer that prints without ending its line: no new line, so stalled.
watch 'echo "ok 1"; while :; do printf .; sleep 0.2; done' 2 30
check "watcher: bytes without a new line are no progress" test "$W_RC" -eq 1
usage_refused() { matrix/matrix.sh "$@" >/dev/null 2>&1; [ $? -eq 64 ]; }
refuses_bad_seconds() { usage_refused --stall 3m --kernels host && usage_refused --timeout 0 --kernels host; }
check "watcher: --stall and --timeout refuse what is not a positive number of seconds (64)" refuses_bad_seconds

### Kernels, suites and ABIs: the data, no kernel ###########################

suites_named() {
	[ "$(suite_of 5.10:amd64)" = bullseye ] && [ "$(suite_of 6.12:arm64)" = bookworm-backports ] &&
		[ "$(suite_of 6.1:amd64)" = bookworm ] && [ "$(suite_of 6.1:amd64@trixie)" = trixie ] &&
		[ "$(suite_of 4.19:amd64)" = "$DEFAULT_SUITE" ]
}
check "kernels: each names its suite (matrix/kernels), VERSION:DEBARCH@SUITE overrides, others are bookworm's" suites_named
check "kernels: the default for --arches x86_64,i386 leaves out the arm64 kernels" \
	test "$(default_kernels x86_64,i386)" = host,5.10:amd64,6.1:amd64,6.12:amd64
check "kernels: the default ABIs are x86_64, i386, aarch64 and arm" test "$(default_abis)" = x86_64,i386,aarch64,arm
check "kernels: ppc64le and s390x are opt-in: --arches naming them brings their kernels" \
	test "$(default_kernels ppc64le,s390x)" = host,6.1:ppc64el,6.1:s390x
arm_on_arm64() { [ "$(ARCHES=x86_64,i386,aarch64,arm abis_of_debarch arm64)" = "aarch64 arm" ]; }
check "abis: an arm64 kernel runs aarch64 and arm (compat) programs" arm_on_arm64
# The private apt configuration: its own sources.list from matrix/suites
# (signed by Debian's keyring), lists, cache and dpkg status under
# build/matrix/apt/, the host's sources.list.d ignored.  Lists already
# there, so nothing is fetched here.
private_apt() {
	local HERE=$work/apt-root d=$work/apt-root/build/matrix/apt/bullseye-arm64
	mkdir -p "$d/lists" && : >"$d/lists/x_Packages"
	apt_private bullseye arm64 || return 1
	grep -qx "deb \[signed-by=$APT_KEYRING\] http://deb.debian.org/debian bullseye main" "$d/sources.list" &&
		grep -qx "deb \[signed-by=$APT_KEYRING\] http://deb.debian.org/debian-security bullseye-security main" "$d/sources.list" &&
		[ "$(wc -l <"$d/sources.list")" -eq 2 ] &&
		printf '%s\n' "${APT_OPTS[@]}" | grep -qx "Dir::Etc::sourcelist=$d/sources.list" &&
		printf '%s\n' "${APT_OPTS[@]}" | grep -qx 'Dir::Etc::sourceparts=-' &&
		printf '%s\n' "${APT_OPTS[@]}" | grep -qx "Dir::State::status=$d/state/status" &&
		! printf '%s\n' "${APT_OPTS[@]}" | grep -q '/etc/apt\|/var/lib/apt\|/var/cache/apt'
}
check "suites: a private apt configuration per suite and architecture; nothing of the host's apt" private_apt
unknown_suite() { (apt_private nosuch amd64) 2>/dev/null; [ $? -eq 64 ]; }
check "suites: an unknown suite is a usage error (64)" unknown_suite
# The candidates of a kernel, from the names a suite lists: newest first,
# each release's -unsigned twin after it, no other flavour or release.
candidates_ordered() {
	local got want
	got=$(
		kernel_names() { printf '%s\n' linux-image-5.10.0-9-cloud-arm64 linux-image-5.10.0-46-cloud-arm64-unsigned \
			linux-image-5.10.0-46-cloud-arm64 linux-image-5.10.0-46-cloud-arm64-dbg linux-image-5.10.0-46-arm64 \
			linux-image-6.1.0-0.deb11.50-cloud-arm64 linux-image-5.10.0-45-cloud-arm64; }
		kernel_candidates 5.10 arm64 bullseye | paste -sd' '
	)
	want="linux-image-5.10.0-46-cloud-arm64 linux-image-5.10.0-46-cloud-arm64-unsigned linux-image-5.10.0-45-cloud-arm64 linux-image-5.10.0-9-cloud-arm64"
	[ "$got" = "$want" ] || { echo "# got: $got"; return 1; }
}
check "kernels: candidates newest first, the -unsigned twin after its release, no -dbg, other flavour or 6.1" candidates_ordered

### The plan interpreter on the host ########################################

make -s ABI="$HOST_ABI" "build/$HOST_ABI/bin/matrix-init" >&2
INIT=build/$HOST_ABI/bin/matrix-init
printf '#!/bin/sh\necho "a $FOO"; sleep 1; echo "a done"\n' >"$work/a.sh"
printf '#!/bin/sh\necho b; exit 3\n' >"$work/b.sh"
printf '#!/bin/sh\nkill -9 $$\n' >"$work/c.sh"
chmod +x "$work"/?.sh
echo '{"from":"a file"}' >"$work/a.jsonl"
cat >"$work/plan" <<EOF
env FOO=bar
jobs 2
run x/a $work/a.jsonl $work/a.sh
run x/b - $work/b.sh
run y/c - $work/c.sh
run y/d - $work/missing
EOF
"$INIT" --plan "$work/plan" >"$work/plan.out" 2>&1
init_rc=$?
sed 's/^/# /' "$work/plan.out"
m() { grep -qxF "$MARK $1" "$work/plan.out"; }
check "init --plan: runs the plan on the host and exits 0" test "$init_rc" -eq 0
check "init: a job's lines are tagged, with the plan's environment" m "OUT x/a a bar"
check "init: the job's results file follows its output" \
	bash -c "grep -n 'OUT x/a' '$work/plan.out' | tail -n1 | grep -q 'from'"
check "init: exit statuses and signals are reported per job" \
	bash -c "grep -q '^$MARK EXIT x/b exit=3 ' '$work/plan.out' && grep -q '^$MARK EXIT y/c signal=9 ' '$work/plan.out' && grep -q '^$MARK EXIT y/d exit=127 ' '$work/plan.out'"
check "init: two jobs at once (b ends while a sleeps)" \
	bash -c "[ \$(grep -n 'EXIT x/b' '$work/plan.out' | cut -d: -f1) -lt \$(grep -n 'EXIT x/a' '$work/plan.out' | cut -d: -f1) ]"
check "init: the console starts with KERNEL and ends with DONE" \
	bash -c "head -n1 '$work/plan.out' | grep -q '^$MARK KERNEL ' && tail -n1 '$work/plan.out' | grep -q '^$MARK DONE uptime='"
"$INIT" >/dev/null 2>&1
check "init: without --plan, not PID 1, it refuses (64) and powers nothing off" test $? -eq 64

### Collecting a console: ended, stalled, panicked ##########################

# fake_console FILE END EXIT: the console of an x86_64 guest (firmware
# noise, one results line per set) whose docker-default job ended with exit
# status EXIT, and whose restrictive job then ended (END "ended"), or the
# console stops there ("stalled") or with a kernel panic ("panic").
probe_line() { # probe_line SET PROBE: a passing results line
	jq -cn --arg s "$1" --arg p "$2" '{syscall: $p, probe: $p, abi: "x86_64", kernel: "9.9.9-fake", set: $s,
		verdict: "allowed", by: "kernel", result: "pass", reason: "fake"}'
}
fake_console() {
	local f=$1 end=$2
	{
		printf '\033c\033[?7lSeaBIOS (fake)\r\n'
		echo "$MARK KERNEL 9.9.9-fake x86_64 cpus=1 jobs=1 uptime=3.25"
		echo "$MARK START x86_64/docker-default uptime=3.30"
		echo "$MARK OUT x86_64/docker-default TAP version 13"
		echo "$MARK OUT x86_64/docker-default 1..87"
		echo "$MARK OUT x86_64/docker-default ok 1 docker-default.getpid"
		echo "$MARK OUT x86_64/docker-default $(probe_line docker-default getpid)"
		echo "$MARK EXIT x86_64/docker-default exit=$3 secs=1.50"
		echo "$MARK START x86_64/restrictive uptime=4.90"
		echo "$MARK OUT x86_64/restrictive TAP version 13"
		echo "$MARK OUT x86_64/restrictive $(probe_line restrictive write)"
		if [ "$end" = ended ]; then
			echo "$MARK EXIT x86_64/restrictive exit=0 secs=0.50"
			echo "$MARK DONE uptime=5.50"
		elif [ "$end" = panic ]; then
			echo "[    5.1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b"
		fi
	} >"$f"
}
collect_fake() { # collect_fake END EXIT0 WATCH: sets C_RC, C_KTAP, C_JSONL, C_DIR
	local dir
	dir=$(mktemp -d "$work/cells.XXXX")
	C_DIR=$dir
	fake_console "$dir/console.log" "$1" "$2"
	C_RC=0
	(MATRIX=$dir SETS=$FAKE_SETS ARCHES=x86_64 finish_run "guest fake" 9.9.9-fake "$dir/console.log" "$(now_us)" "$3" 0 x86_64) 2>"$dir/progress" || C_RC=$?
	sed 's/^/# /' "$dir/progress"
	C_KTAP=$dir/9.9.9-fake-x86_64.ktap C_JSONL=$dir/9.9.9-fake-x86_64.jsonl
}
planned=$(($(wc -l <"build/$HOST_ABI/probes.list") * 2))
reason_of() { jq -r --arg s "$1" --arg p "$2" 'select(.set == $s and .probe == $p) | .reason' "$C_JSONL"; }

collect_fake stalled 0 "stalled: no new console line for 180 s (last line: x)"
check "collect: a stalled guest fails" test "$C_RC" -eq 1
check "collect: every planned (set, probe) has a line, reported or failed" test "$(wc -l <"$C_JSONL")" -eq "$planned"
check "collect: the reported case keeps its result" test "$(reason_of docker-default getpid)" = fake
check "collect: a case the finished runner did not report fails with its exit status" \
	grep -q 'no result from this cell (the runner: exit=0)' <<<"$(reason_of docker-default mount)"
check "collect: a case of the unfinished job fails with the stall" \
	grep -q 'the runner did not finish: stalled: no new console line' <<<"$(reason_of restrictive mount)"
check "collect: KTAP as kselftest's runner: a test per set, the runner's KTAP nested" \
	bash -c "sed -n '1,4p' '$C_KTAP' | tr '\n' '|' | grep -qx 'TAP version 13|1..2|# selftests: seccomp-suite: docker-default|# TAP version 13|' && grep -qx '# ok 1 docker-default.getpid' '$C_KTAP'"
check "collect: KTAP: the finished set is ok, the unfinished one not ok with the reason" \
	bash -c "grep -qx 'ok 1 selftests: seccomp-suite: docker-default' '$C_KTAP' && grep -q '^not ok 2 selftests: seccomp-suite: restrictive # exit=none: the runner did not finish (stalled' '$C_KTAP'"
collect_fake panic 0 exited
check "collect: a panic is named as such" grep -q 'FAILED: panicked: Kernel panic - not syncing: Attempted to kill init' "$C_DIR/progress"
collect_fake ended 4 exited
check "collect: a guest that ran its plan to the end is a complete run (its cases judge themselves)" test "$C_RC" -eq 0
check "collect: a runner's exit 4 is kselftest's SKIP" grep -qx 'ok 1 selftests: seccomp-suite: docker-default # SKIP' "$C_KTAP"
check "collect: the boot time is the guest's uptime when init started" grep -q 'guest fake: booted in 3.25 s' "$C_DIR/progress"

### Two guests ##############################################################

start=$(now_us)
matrix/matrix.sh --kernels 6.1:amd64,5.10:arm64 --arches x86_64,i386,aarch64,arm \
	--out "$OUT" >/dev/null 2>"$work/err"
rc=$?
sed 's/^/# /' "$work/err"
echo "# matrix guests: exit $rc after $((($(now_us) - start) / 1000000))s"
[ "$rc" -ne 3 ] || skip=$(grep -m1 'run.sh matrix:' "$work/err")

# The cell of an ABI: one guest runs it (x86_64 and i386 on 6.1, aarch64
# and arm on 5.10).
cell() { ls "$OUT"/*-"$1".jsonl 2>/dev/null | head -n1; }
release_of() { case "$1" in x86_64 | i386) echo 6.1 ;; *) echo 5.10 ;; esac; }

# case_passed CELL SET PROBE VERDICT: the cell's case for PROBE passed with
# VERDICT (asserted by the runner, not skipped).
case_passed() {
	local f
	f=$(cell "$1") && [ -n "$f" ] || { echo "# no results file for $1 in $OUT"; return 1; }
	jq -e -s --arg s "$2" --arg p "$3" --arg v "$4" 'any(.[];
		.set == $s and (.probe // .syscall) == $p and .verdict == $v and .result == "pass")' "$f" >/dev/null ||
		{ echo "# $1 $2 $3: $(jq -c --arg s "$2" --arg p "$3" 'select(.set == $s and (.probe // .syscall) == $p) | {verdict, errno_name, by, result, reason}' "$f")"; return 1; }
}

# Every (set, probe) of the cell has a line, and each passed or was skipped
# with a reason.
cell_complete() {
	local f sets
	f=$(cell "$1") && [ -n "$f" ] || return 1
	sets=$(wc -w <<<"$SETS")
	[ "$(jq -s 'length' "$f")" -eq $(($(wc -l <"build/$1/probes.list") * sets)) ] &&
		jq -e -s 'all(.[]; .result == "pass" or (.result == "skip" and (.reason // "") != ""))' "$f" >/dev/null ||
		{ jq -r 'select(.result != "pass") | "# \(.set) \(.probe // .syscall): \(.result) \(.reason)"' "$f"; return 1; }
}

check "the guests finished and every case passed (exit 0)" test "$rc" -eq 0
for abi in x86_64 i386 aarch64 arm; do
	check "$abi on $(release_of "$abi"): every case passed or was skipped with a reason" cell_complete "$abi"
	check "$abi on $(release_of "$abi"): results carry the guest's $(release_of "$abi") kernel" \
		jq -e -s --arg r "$(release_of "$abi")." 'length > 0 and all(.[]; .kernel | startswith($r))' "$(cell "$abi")"
done
check "x86_64 on 6.1: docker-default denies mount" case_passed x86_64 docker-default mount errno
# Verdicts that depend on the ABI, asserted in their cells: calls only i386
# has, calls aarch64 lacks, and a profile without "architectures" meeting a
# compat-ABI program.
stime() { case_passed x86_64 docker-default stime absent && case_passed i386 docker-default stime errno; }
check "x86_64: stime is absent; i386: stime exists and docker-default denies it" stime
aarch64_lacks() { case_passed aarch64 docker-default open absent && case_passed aarch64 docker-default ioperm absent; }
check "aarch64: open is absent (only openat), and ioperm (x86 only)" aarch64_lacks
# case_errno ABI SET PROBE ERRNO: the case passed and the call answered ERRNO.
case_errno() {
	jq -e -s --arg s "$2" --arg p "$3" --arg e "$4" 'any(.[];
		.set == $s and (.probe // .syscall) == $p and .errno_name == $e and .result == "pass")' "$(cell "$1")" >/dev/null
}
arm_has() { case_passed arm docker-default open allowed && case_passed arm docker-default ioperm absent; }
check "arm: open exists (EABI 5) and docker-default allows it; ioperm is absent" arm_has
check "arm: docker-default allows the ARM-private cacheflush (arches arm, arm64), which answers EINVAL" \
	case_errno arm docker-default cacheflush EINVAL
compat_killed() {
	case_passed i386 restrictive write killed && case_passed x86_64 restrictive write allowed &&
		case_passed arm restrictive write killed && case_passed aarch64 restrictive write allowed
}
check "i386 on x86_64, arm on arm64: restrictive (no architectures) kills even write; x86_64 and aarch64 let it through" compat_killed
# 5.10 predates mount_setattr (5.12), quotactl_fd (5.14) and cachestat
# (6.5): their probes' since makes ENOSYS the only answer accepted there.
older_kernel() {
	local abi p
	for abi in aarch64 arm; do
		for p in mount_setattr quotactl_fd cachestat; do
			case_errno "$abi" unconfined "$p" ENOSYS || { echo "# $abi $p"; return 1; }
		done
	done
}
check "5.10: mount_setattr, quotactl_fd and cachestat answer ENOSYS, asserted from their since" older_kernel
check "5.10 arm on arm64: migrate_pages answers ESRCH (the compat wrapper before 5.15)" case_errno arm unconfined migrate_pages ESRCH
# The cell's KTAP as kselftest's runner prints the collection: a test per
# set, and the runner's own KTAP nested, a subtest per (set, probe).
farm_ktap() {
	local f
	f=$(ls "$OUT"/6.1.*-x86_64.ktap) &&
		[ "$(grep -c '^ok [0-9]* selftests: seccomp-suite: [^ ]*$' "$f")" -eq "$(wc -w <<<"$SETS")" ] &&
		grep -qx 'ok [0-9]* selftests: seccomp-suite: restrictive' "$f" &&
		[ "$(grep -c '^# ok [0-9]* docker-default\.' "$f")" -eq "$(wc -l <build/x86_64/probes.list)" ]
}
check "KTAP per cell as a farm's: every set ok, a subtest per (set, probe)" farm_ktap
timings_reported() {
	[ "$(grep -c 'booted in [0-9.]* s, done in' "$work/err")" -eq 2 ] &&
		grep -q 'x86_64: [0-9]* cases, 0 failed, runner [0-9.]* s' "$work/err" &&
		grep -q 'arm: [0-9]* cases, 0 failed, runner [0-9.]* s' "$work/err" &&
		[ "$(grep -c $'\texit=0\t' "$OUT/timing.tsv")" -eq $((4 * $(wc -w <<<"$SETS"))) ]
}
check "each guest reports its boot and each cell its runner time; timing.tsv has every (cell, set)" timings_reported
# The initramfs is built once per content: asking again for the amd64
# guest's (same programs, sets and plan) finds it in the cache.
cache_hit() {
	local path
	GUEST_PROBES=0
	runner_needs_probes && GUEST_PROBES=1
	path=$(SETS=$SETS ARCHES=x86_64,i386 initramfs amd64 x86_64 i386 2>"$work/cache.err")
	sed 's/^/# /' "$work/cache.err"
	grep -q 'amd64 initramfs from the cache' "$work/cache.err" && [ -s "$path" ]
}
check "the amd64 initramfs comes from the cache the second time" cache_hit
check "reports written" test -s "$OUT/report.md" -a -s "$OUT/report.html"

[ "$n" -eq "$PLAN" ] || echo "# planned $PLAN checks, ran $n"
