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

# docker_or_skip NAME: 0 when a Docker daemon answers (docker info).  A
# test does not start one on a host it is run on (`make test` must not
# change a production host): otherwise it prints "ok - NAME # SKIP REASON"
# and returns 1.  With SECCOMP_SUITE_START_DOCKERD=1 (CI, a throwaway
# machine) a dockerd is started as .ci/run starts it, with no iptables rules
# and no bridge, and left running; its log is /var/log/dockerd.log.
docker_or_skip() {
	local why=""
	if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
		why="docker is not installed (ci/install-deps.sh backends installs docker.io)"
	elif docker info >/dev/null 2>&1; then
		return 0
	elif [ "${SECCOMP_SUITE_START_DOCKERD:-}" != 1 ]; then
		why="no Docker daemon answers (docker info): start one as root with 'dockerd --iptables=false --bridge=none &', or set SECCOMP_SUITE_START_DOCKERD=1 to let the test start it"
	else
		setsid dockerd --iptables=false --bridge=none >/var/log/dockerd.log 2>&1 </dev/null &
		local _
		for _ in $(seq 1 60); do
			docker info >/dev/null 2>&1 && return 0
			sleep 1
		done
		why="dockerd cannot start here: $(tail -n 3 /var/log/dockerd.log | tr '\n' ' ' | head -c 300)"
	fi
	echo "ok - $1 # SKIP $why"
	return 1
}
