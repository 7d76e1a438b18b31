#!/usr/bin/env bash
# Runs every test of the suite and ends with "N passed, N failed, N skipped".
#   tests/run.sh build/<abi>
# kselftest programs (build/<abi>/tests/test_*) report "# Totals:"; the shell
# tests (tests/*.test.sh) print TAP lines ("ok", "not ok", "ok ... # SKIP").
set -uo pipefail

OUT=${1:?usage: tests/run.sh build/<abi>}
HERE=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$OUT"/tests/test_*; do
	[ -x "$t" ] || continue
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
done

for t in "$HERE"/tests/*.test.sh; do
	[ -f "$t" ] || continue
	echo "== $(basename "$t")"
	(cd "$HERE" && bash "$t" "$OUT") >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -cE '^ok ' "$log" | head -n1)
	s=$(grep -cE '^ok .*# SKIP' "$log" | head -n1)
	f=$(grep -cE '^not ok ' "$log" | head -n1)
	passed=$((passed + p - s)) skipped=$((skipped + s)) failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $(basename "$t") exited $rc"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
