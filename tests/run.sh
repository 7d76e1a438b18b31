#!/usr/bin/env bash
# Runs every test of the suite and ends with "N passed, N failed, N skipped".
#   tests/run.sh build/<abi> [NAME...]
# NAME (test_verdict, cases.test.sh, ...) runs those alone.
# kselftest programs (build/<abi>/tests/test_*) report "# Totals:"; the shell
# tests (tests/*.test.sh) print TAP lines ("ok", "not ok", "ok ... # SKIP").
# Every test prints a TAP plan "1..N", before its first ok/not ok line or
# after its last one (shell tests: tests/tap.sh); a missing plan, or a plan
# that does not match the lines, is a failure: a test that stops early
# cannot pass for a short green run.
#
# TEST_JOBS test files (default: the CPU count) run at once, the longest
# of the last run first (BUILD/tests/durations); their output is printed
# whole, in the fixed order above, whatever the order they end in.  Tests
# that use one shared thing never run together (test_groups below).  Each
# run starts with an empty compiled-filter cache (SECCOMP_SUITE_CACHE), so
# that the tests compile as a first run does.
set -uo pipefail

OUT=${1:?usage: tests/run.sh build/<abi> [NAME...]}
shift
HERE=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${TEST_JOBS:-$(nproc)}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "tests/run.sh: TEST_JOBS must be a positive number" >&2; exit 64; }
passed=0 failed=0 skipped=0
logs=$(mktemp -d)
export SECCOMP_SUITE_CACHE="$logs/cache"

# Why LOG's plan is wrong, or nothing.  Nested plans (a runner's KTAP shown
# inside a test) sit between test lines and are not the test's plan.
plan_problem() {
	awk '
		/^1\.\.[0-9]+$/ {
			n = substr($0, 4) + 0
			if (!lines && !seen_first) { first = n; seen_first = 1 }
			last = n; last_plan = NR; plans++
			next
		}
		/^(not )?ok / { lines++; last_line = NR }
		END {
			if (seen_first) want = first
			else if (plans && last_plan > last_line) want = last
			else { print "no TAP plan (1..N) before its first or after its last ok/not ok line: did it stop early?"; exit }
			if (want != lines) printf "TAP plan 1..%d, but %d ok/not ok lines\n", want, lines
		}' "$1"
}

# What a test shares with others, read from its text: tests of one group
# run one after the other.  containers: a test that runs a container
# runtime or dockerd (the probe image and rootfs are rebuilt in place by
# backends/backend.sh); builds: a test that runs make (other ABIs' trees,
# dist, kselftest, the fidelity oracles) or qemu guests (the kernel cache
# under build/matrix).  Every test also runs run.sh, whose `make all` finds
# everything built by `make test` before the tests start.
test_groups() {
	local g=""
	grep -qE '(^|[;&|(!]|\$\(|\b(if|then|do|timeout [0-9]+) )[[:space:]]*(docker|dockerd|podman|runc|crun)[[:space:]]|backend\.sh|run\.sh (diff|audit)|run\.sh probe --backend' "$1" &&
		g+=" containers"
	grep -qE '(^|[;&|(!]|\$\(|\b(if|then|do) )[[:space:]]*make[[:space:]]|qemu|lava-run|run\.sh matrix' "$1" && g+=" builds"
	echo "$g"
}

names=() paths=() kinds=() groups=()
for t in "$OUT"/tests/test_*; do
	[ -x "$t" ] || continue
	# One at a time: their tests are bounded by the harness's 30 s each.
	names+=("$(basename "$t")") paths+=("$t") kinds+=(c) groups+=(" unit")
done
for t in "$HERE"/tests/*.test.sh; do
	[ -f "$t" ] || continue
	names+=("$(basename "$t")") paths+=("$t") kinds+=(sh) groups+=("$(test_groups "$t")")
done
if [ $# -gt 0 ]; then
	keep=()
	for want in "$@"; do
		found=0
		for i in "${!names[@]}"; do [ "${names[i]}" = "$want" ] && keep+=("$i") found=1; done
		[ "$found" = 1 ] || { echo "tests/run.sh: no test named $want" >&2; rm -rf "$logs"; exit 64; }
	done
	n2=() p2=() k2=() g2=()
	for i in "${keep[@]}"; do n2+=("${names[i]}") p2+=("${paths[i]}") k2+=("${kinds[i]}") g2+=("${groups[i]}"); done
	names=("${n2[@]}") paths=("${p2[@]}") kinds=("${k2[@]}") groups=("${g2[@]}")
fi
n=${#names[@]}

# The order to start them in: longest first, by the last run's times; a
# test without one is taken to be long if it runs make or qemu (the builds
# group is one chain of several minutes: it must start at once), then if
# it runs containers.
durations="$OUT/tests/durations"
mapfile -t order < <(
	for i in "${!names[@]}"; do
		s=$(awk -v n="${names[i]}" '$1 == n { print $2 }' "$durations" 2>/dev/null | tail -n1)
		if [ -z "$s" ]; then
			case "${groups[i]}" in
			*builds*) s=1000 ;;
			*containers*) s=500 ;;
			*) s=0 ;;
			esac
		fi
		printf '%s %s\n' "$s" "$i"
	done | sort -k1,1nr -k2,2n | cut -d' ' -f2)

# One test, in the background: its log, exit status and seconds.
run_one() {
	local i=$1 log="$logs/$1.log" start rc
	start=$(date +%s.%N)
	if [ "${kinds[i]}" = c ]; then
		(cd "$HERE" && "${paths[i]}") >"$log" 2>&1 </dev/null
		rc=$?
	else
		# Through a pipe: the run ends when every writer is done, the
		# filter of tests/tap.sh included, even when the test itself
		# stopped early.
		(cd "$HERE" && bash "${paths[i]}" "$OUT") 2>&1 </dev/null | cat >"$log"
		rc=${PIPESTATUS[0]}
	fi
	awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"$logs/$i.secs"
	echo "$rc" >"$logs/$i.rc"
}

pids=()
stop() {
	local pid
	exec 2>/dev/null	# no job notices for the tests stopped here
	for pid in "${pids[@]}"; do [ -z "$pid" ] || kill -TERM -- -"$pid" 2>/dev/null; done
	rm -rf "$logs"
	exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'rm -rf "$logs"' EXIT

# Is test i free to start: fewer than JOBS running, none of its groups busy?
busy_groups=""
can_start() {
	local g
	for g in ${groups[$1]}; do
		case " $busy_groups " in *" $g "*) return 1 ;; esac
	done
	return 0
}

# The result of test i, printed in order, counted.
report() {
	local i=$1 name=${names[$1]} log="$logs/$1.log" rc totals p f s e why
	rc=$(cat "$logs/$i.rc")
	echo "== $name"
	cat "$log"
	if [ "${kinds[i]}" = c ]; then
		totals=$(grep -E '^# Totals: ' "$log" | tail -n1)
		if [ -z "$totals" ]; then
			echo "not ok - $name exited $rc without a Totals line"
			failed=$((failed + 1))
			return
		fi
		p=$(sed -E 's/.*Totals: pass:([0-9]+).*/\1/' <<<"$totals")
		f=$(sed -E 's/.* fail:([0-9]+).*/\1/' <<<"$totals")
		s=$(sed -E 's/.* skip:([0-9]+).*/\1/' <<<"$totals")
		e=$(sed -E 's/.* error:([0-9]+).*/\1/' <<<"$totals")
		passed=$((passed + p)) failed=$((failed + f + e)) skipped=$((skipped + s))
	else
		p=$(grep -cE '^ok ' "$log")
		s=$(grep -cE '^ok .*# SKIP' "$log")
		f=$(grep -cE '^not ok ' "$log")
		passed=$((passed + p - s)) skipped=$((skipped + s)) failed=$((failed + f))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "not ok - $name exited $rc"
			failed=$((failed + 1))
		fi
	fi
	why=$(plan_problem "$log")
	if [ -n "$why" ]; then
		echo "not ok - $name: $why"
		failed=$((failed + 1))
	fi
}

set -m	# each test in a process group of its own, to stop it whole
declare -A started=() finished=()
running=0 printed=0
while [ "$printed" -lt "$n" ]; do
	# Reap: a test is done when its status is written (its last act).
	for i in "${!started[@]}"; do
		if [ -n "${finished[$i]:-}" ] || [ ! -e "$logs/$i.rc" ]; then continue; fi
		wait "${pids[i]}" 2>/dev/null
		finished[$i]=1 pids[i]="" running=$((running - 1))
		for g in ${groups[i]}; do busy_groups=${busy_groups/ $g/}; done
	done
	for i in "${order[@]}"; do
		[ "$running" -lt "$JOBS" ] || break
		if [ -n "${started[$i]:-}" ] || ! can_start "$i"; then continue; fi
		run_one "$i" &
		pids[i]=$! started[$i]=1 running=$((running + 1))
		for g in ${groups[i]}; do busy_groups+=" $g"; done
	done
	while [ "$printed" -lt "$n" ] && [ -n "${finished[$printed]:-}" ]; do
		report "$printed"
		printed=$((printed + 1))
	done
	[ "$printed" -lt "$n" ] && sleep 0.2
done
set +m

# The times, for the next run's order and for the reader.
for i in "${!names[@]}"; do printf '%s %s\n' "${names[i]}" "$(cat "$logs/$i.secs")"; done >"$logs/durations"
if [ $# -eq 0 ]; then
	mkdir -p "$OUT/tests" && cp "$logs/durations" "$durations"
fi
echo "# seconds per test file ($JOBS at once):"
sort -k2,2nr "$logs/durations" | awk '{ printf "#   %-24s %6.1f\n", $1, $2 }'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
