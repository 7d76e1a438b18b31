#!/usr/bin/env bash
# Runs every test of the suite and ends with "N passed, N failed, N skipped".
#   tests/run.sh build/<abi>
# kselftest programs (build/<abi>/tests/test_*) report "# Totals:"; the shell
# tests (tests/*.test.sh) print TAP lines ("ok", "not ok", "ok ... # SKIP").
# Every test prints a TAP plan "1..N", before its first ok/not ok line or
# after its last one (shell tests: tests/tap.sh); a missing plan, or a plan
# that does not match the lines, is a failure: a test that stops early
# cannot pass for a short green run.
set -uo pipefail

OUT=${1:?usage: tests/run.sh build/<abi>}
HERE=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0 skipped=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

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

i=0
for t in "$OUT"/tests/test_*; do
	[ -x "$t" ] || continue
	i=$((i + 1)) log="$logs/$i.log"
	echo "== $(basename "$t")"
	(cd "$HERE" && "$t") >"$log" 2>&1
	rc=$?
	cat "$log"
	totals=$(grep -E '^# Totals: ' "$log" | tail -n1)
	if [ -z "$totals" ]; then
		echo "not ok - $(basename "$t") exited $rc without a Totals line"
		failed=$((failed + 1))
		continue
	fi
	p=$(sed -E 's/.*Totals: pass:([0-9]+).*/\1/' <<<"$totals")
	f=$(sed -E 's/.* fail:([0-9]+).*/\1/' <<<"$totals")
	s=$(sed -E 's/.* skip:([0-9]+).*/\1/' <<<"$totals")
	e=$(sed -E 's/.* error:([0-9]+).*/\1/' <<<"$totals")
	passed=$((passed + p)) failed=$((failed + f + e)) skipped=$((skipped + s))
	why=$(plan_problem "$log")
	if [ -n "$why" ]; then
		echo "not ok - $(basename "$t"): $why"
		failed=$((failed + 1))
	fi
done

for t in "$HERE"/tests/*.test.sh; do
	[ -f "$t" ] || continue
	i=$((i + 1)) log="$logs/$i.log"
	echo "== $(basename "$t")"
	# Through a pipe: the run ends when every writer is done, the filter
	# of tests/tap.sh included, even when the test itself stopped early.
	(cd "$HERE" && bash "$t" "$OUT") 2>&1 | cat >"$log"
	rc=${PIPESTATUS[0]}
	cat "$log"
	p=$(grep -cE '^ok ' "$log")
	s=$(grep -cE '^ok .*# SKIP' "$log")
	f=$(grep -cE '^not ok ' "$log")
	passed=$((passed + p - s)) skipped=$((skipped + s)) failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $(basename "$t") exited $rc"
		failed=$((failed + 1))
	fi
	why=$(plan_problem "$log")
	if [ -n "$why" ]; then
		echo "not ok - $(basename "$t"): $why"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
