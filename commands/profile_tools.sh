#!/usr/bin/env bash
# run.sh record | lint | explain: the profile tools (README, "Profiles:
# record, lint, explain").  lint and explain are the C programs themselves;
# record runs screcord and then proves the profile it wrote.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$HERE/build/$(uname -m)"

make -s -C "$HERE" all >&2 || { echo "run.sh: the build failed (make -C $HERE)" >&2; exit 1; }

record_usage() {
	cat <<'USAGE'
usage: ./run.sh record [--out FILE] [--caps SET] [--probe NAME] [--no-verify] -- COMMAND [ARG...]
Runs COMMAND under a seccomp USER_NOTIF recorder and writes the smallest
Docker profile allowing the syscalls it made (default file:
build/results/record-COMMAND.json).  Then verifies it: COMMAND again under
the profile (scrun) must give the same exit status, stdout and stderr, and
a probe of a syscall COMMAND did not make (mount, or --probe NAME) must be
denied by the filter.  Exit status: 0 recorded and verified; 1 a
verification failed; 64 usage; otherwise screcord's.
USAGE
}

cmd_record() {
	local out="" caps=docker-default probe="" verify=1
	while [ $# -gt 0 ]; do
		case "$1" in
		--out) out=${2:?--out needs a file}; shift 2 ;;
		--caps) caps=${2:?--caps needs a set}; shift 2 ;;
		--probe) probe=${2:?--probe needs a probe name}; shift 2 ;;
		--no-verify) verify=0; shift ;;
		-h|--help) record_usage; exit 0 ;;
		--) shift; break ;;
		*) echo "run.sh record: unknown option '$1' (the command goes after --)" >&2; exit 64 ;;
		esac
	done
	[ $# -gt 0 ] || { record_usage >&2; exit 64; }
	if [ -z "$out" ]; then
		mkdir -p "$HERE/build/results"
		out="$HERE/build/results/record-$(basename "$1" | tr -c 'A-Za-z0-9_.\n-' '_').json"
	fi
	local rc=0
	TMP_DIR=$(mktemp -d)
	local tmp=$TMP_DIR
	trap 'rm -rf "$TMP_DIR"' EXIT
	"$BUILD/bin/screcord" --out "$out" --caps "$caps" -- "$@" >"$tmp/rec.out" 2>"$tmp/rec.err" || rc=$?
	if [ ! -s "$out" ]; then
		cat "$tmp/rec.err" >&2
		echo "run.sh record: no profile was written (screcord exit $rc)" >&2
		exit "$rc"
	fi
	echo "recorded: $* (exit $rc): $(jq -r '"\(.syscalls[0].names | length) syscalls on \(.architectures | join(", "))"' "$out")"
	echo "profile:  $out"
	[ "$verify" = 1 ] || exit 0

	local vrc=0 ok=1
	"$BUILD/bin/scrun" --profile "$out" --caps "$caps" -- "$@" >"$tmp/run.out" 2>"$tmp/run.err" || vrc=$?
	if [ "$vrc" -eq "$rc" ]; then
		echo "verify:   under the profile: exit $vrc, as recorded"
	else
		echo "verify:   FAIL: under the profile exit $vrc, recorded $rc"; ok=0
	fi
	local stream
	for stream in out err; do
		if cmp -s "$tmp/rec.$stream" "$tmp/run.$stream"; then
			echo "verify:   std$stream identical ($(wc -c <"$tmp/run.$stream") bytes)"
		else
			echo "verify:   FAIL: std$stream differs:"; ok=0
			diff "$tmp/rec.$stream" "$tmp/run.$stream" | head -n 20 | sed 's/^/          /'
		fi
	done

	# A syscall the command did not make must be denied: mount, or the
	# first probe whose syscall is neither in the profile nor absent here.
	if [ -z "$probe" ]; then
		local name
		for name in mount $(cat "$BUILD/probes.list"); do
			jq -e --arg s "${name%%.*}" '.syscalls[0].names | index($s) == null' "$out" >/dev/null || continue
			[ "$("$BUILD/probes/$name" --describe | jq -r '.nr')" != null ] || continue
			probe=$name
			break
		done
	fi
	[ -x "$BUILD/probes/$probe" ] || { echo "run.sh record: no probe named '$probe'" >&2; exit 64; }
	local line
	line=$("$BUILD/probes/$probe" --profile "$out" --caps "$caps") || true
	if jq -e '.by == "filter" and (.verdict == "errno" or .verdict == "killed")' <<<"$line" >/dev/null; then
		echo "verify:   probe $probe: $(jq -r '"\(.verdict) \(.errno_name // "") by the \(.by)"' <<<"$line") (denied)"
	else
		echo "verify:   FAIL: probe $probe was not denied by the filter: $line"; ok=0
	fi
	[ "$ok" = 1 ] || exit 1
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
record) cmd_record "$@" ;;
lint) exec "$BUILD/bin/sclint" "$@" ;;
explain) exec "$BUILD/bin/scexplain" "$@" ;;
*) echo "usage: commands/profile_tools.sh record|lint|explain ..." >&2; exit 64 ;;
esac
