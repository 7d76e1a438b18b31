#!/bin/sh
# seccomp-suite-lava: the LAVA test step in the ramdisk.  Runs the
# seccomp-suite kselftest collection with Debian's run_kselftest.sh, reports
# each kselftest test and each (test, probe) case to LAVA (lava-test-case),
# then prints each ABI's results JSON Lines between the matrix's markers
# ($SECCOMP_SUITE_MARK), so that ci/matrix.sh's collect() reads the job's
# log as it reads a guest's console.
KS=${KSELFTEST_DIR:-/kselftest}
MARK=${SECCOMP_SUITE_MARK:?the matrix marker}
out=/tmp/kselftest.out
results=/tmp/seccomp-suite-results
mkdir -p "$results"
export SECCOMP_SUITE_RESULTS_DIR="$results"

# Through a pipe: the runner appends to /dev/stdout, which must not be a file
# another descriptor also writes.
(cd "$KS" && ./run_kselftest.sh -c seccomp-suite 2>&1) | tee "$out"

# "ok N selftests: seccomp-suite: NAME [# SKIP]" per test; "# ok N SET.PROBE"
# per case of the test above it, named TEST.PROBE (SET-i386.PROBE for i386).
awk '
	function result(line) { return line ~ /^(# )?not ok / ? "fail" : line ~ /# SKIP/ ? "skip" : "pass" }
	/^# selftests: seccomp-suite: / { test = $4; next }
	/^(not )?ok [0-9]+ selftests: seccomp-suite: / {
		name = $0; sub(/^.*selftests: seccomp-suite: /, "", name); sub(/ .*/, "", name)
		print name, result($0); test = ""; next }
	/^# (not )?ok [0-9]+ / && test != "" {
		n = $0; sub(/^# (not )?ok [0-9]+ /, "", n); sub(/ .*/, "", n)
		set = test; if (index(n, test ".") != 1) sub(/-[^-]*$/, "", set)
		print test "." substr(n, length(set) + 2), result($0) }' "$out" |
	while read -r id res; do
		lava-test-case "$id" --result "$res"
	done

echo "$MARK KERNEL $(uname -r) $(uname -m)"
for tests in "$KS"/seccomp-suite/*/tests; do
	abi=$(basename "$(dirname "$tests")")
	echo "$MARK BEGIN $abi"
	while read -r t; do
		cat "$results/$t.jsonl" 2>/dev/null
	done <"$tests"
	echo "$MARK END $abi"
done
echo "$MARK DONE"
