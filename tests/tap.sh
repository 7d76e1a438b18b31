# shellcheck shell=bash
# tests/tap.sh: the TAP plan of a shell test.  Every tests/*.test.sh sources
# it first and calls tap_done as its last step:
#
#   cd "$(dirname "$0")/.." && . tests/tap.sh
#   ...  echo "ok - ..." / echo "not ok - ..."
#   tap_done
#
# The test's stdout passes through a filter that counts its "ok" and
# "not ok" lines; tap_done prints the plan "1..N" after them.  A test that
# stops before tap_done (an exit in the middle, set -e, a crash) prints no
# plan, and tests/run.sh counts that as a failure: a test that ends early
# cannot look like a pass.  tap_done keeps the exit status of the command
# before it.  A test that prints its own plan needs none of this.

exec {_tap_out}>&1 > >(
	trap '' INT TERM
	awk -v marker="# tap: end of test" '
		$0 == marker { printf "1..%d\n", n; done = 1; exit }
		/^(not )?ok / { n++ }
		{ print; fflush() }
		END { if (!done) print "# tap: no plan: the test stopped before its end" }' >&"$_tap_out"
)
_tap_pid=$!

tap_done() {
	local rc=$?
	echo "# tap: end of test"
	exec >&"$_tap_out"
	wait "$_tap_pid"
	return "$rc"
}
