#!/bin/sh
# seccomp-suite-lava: the LAVA test step in the ramdisk.  Runs the
# seccomp-suite kselftest collection with Debian's run_kselftest.sh (the
# tests of the sets in $SECCOMP_SUITE_SETS, or every test), reports each
# kselftest test and each (test, probe) case to LAVA (lava-test-case), then
# prints what ran in the matrix's console protocol (matrix/init.c's marked
# lines, $SECCOMP_SUITE_MARK: KERNEL, per (ABI, set) job OUT lines with the
# runner's KTAP and results and an EXIT line, DONE), so that
# matrix/matrix.sh's finish_run reads the job's log as it reads a guest's console.
KS=${KSELFTEST_DIR:-/kselftest}
MARK=${SECCOMP_SUITE_MARK:?the matrix marker}
# The guest's uptime when the test began: its boot, as the matrix reports it.
read -r boot_up _ </proc/uptime

# set_of TEST: the test's set (its name without -i386): the wrapper's --set.
set_of() {
	sed -n 's/.* --set \([^ ]*\) --results .*/\1/p' "$KS/seccomp-suite/$1"
}
# wanted TEST: whether the test's set is one asked for.
wanted() {
	[ -z "${SECCOMP_SUITE_SETS:-}" ] && return 0
	case " $SECCOMP_SUITE_SETS " in *" $(set_of "$1") "*) return 0 ;; esac
	return 1
}
select="-c seccomp-suite"
if [ -n "${SECCOMP_SUITE_SETS:-}" ]; then
	select=""
	for t in $(cat "$KS"/seccomp-suite/*/tests); do
		! wanted "$t" || select="$select -t seccomp-suite:$t"
	done
	[ -n "$select" ] || { echo "seccomp-suite-lava: no test of the sets '$SECCOMP_SUITE_SETS' in $KS" >&2; exit 1; }
fi
out=/tmp/kselftest.out
# "UPTIME LINE" for each test's first and last line: its time.
times=/tmp/kselftest.times
results=/tmp/seccomp-suite-results
mkdir -p "$results"
export SECCOMP_SUITE_RESULTS_DIR="$results"

# Through a pipe: the runner appends to /dev/stdout, which must not be a file
# another descriptor also writes.
# shellcheck disable=SC2086
(cd "$KS" && ./run_kselftest.sh $select 2>&1) |
	while IFS= read -r line; do
		case "$line" in
		"# selftests: seccomp-suite: "* | "ok "* | "not ok "*)
			read -r up _ </proc/uptime
			printf '%s %s\n' "$up" "$line" >>"$times" ;;
		esac
		printf '%s\n' "$line"
	done | tee "$out"

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

echo "$MARK KERNEL $(uname -r) $(uname -m) uptime=$boot_up"
for tests in "$KS"/seccomp-suite/*/tests; do
	abi=$(basename "$(dirname "$tests")")
	while read -r t; do
		wanted "$t" || continue
		set=$(set_of "$t")
		tag="$abi/$set"
		# The runner's lines (run_kselftest.sh prefixed them with "# ").
		awk -v t="$t" -v m="$MARK OUT $tag" '
			$0 == "# selftests: seccomp-suite: " t { on = 1; next }
			on && /^(not )?ok [0-9]+ selftests: seccomp-suite: / { exit }
			on { sub(/^# /, ""); print m, $0 }' "$out"
		sed "s|^|$MARK OUT $tag |" "$results/$t.jsonl" 2>/dev/null
		# The runner's exit status as runner.sh reported it (kselftest's SKIP
		# is exit 4, its TIMEOUT timeout(1)'s 124), and the seconds between
		# the test's first and last line.
		awk -v t="$t" -v m="$MARK EXIT $tag" '
			{ up = $1; sub(/^[^ ]+ /, "") }
			$0 == "# selftests: seccomp-suite: " t { start = up; next }
			/^(not )?ok [0-9]+ selftests: seccomp-suite: / {
				name = $0; sub(/^.*selftests: seccomp-suite: /, "", name); sub(/ .*/, "", name)
				if (name != t) next
				if ($0 ~ /^ok .* # SKIP/) status = "exit=4"
				else if ($0 ~ /^ok /) status = "exit=0"
				else if ($0 ~ /# TIMEOUT/) status = "exit=124"
				else if (match($0, /# exit=[0-9]+/)) status = substr($0, RSTART + 2, RLENGTH - 2)
				else status = "failed"
				printf "%s %s secs=%.2f\n", m, status, (start == "" ? 0 : up - start); exit }' "$times"
	done <"$tests"
done
read -r up _ </proc/uptime
echo "$MARK DONE uptime=$up"
