#!/usr/bin/env bash
# ./run.sh check [--json] [--ktap] [--wide] [--no-docker]: the host's seccomp support.
#   commands/check.sh build/<abi> [OPTIONS]
# The lines come from build/<abi>/bin/check (the kernel) and
# commands/check_docker.sh (a reachable Docker daemon); the table and KTAP are
# derived from them.  Exit status: the check program's (0 filters enforced
# and every item agrees; 1 this host cannot enforce seccomp filters; 2 an
# item failed), 2 also when a Docker item failed; 64 usage.
set -uo pipefail

OUT=${1:?usage: commands/check.sh build/<abi> [--json] [--ktap] [--no-docker]}
shift
HERE=$(cd "$(dirname "$0")/.." && pwd)
format=table docker=1 wide=false
while [ $# -gt 0 ]; do
	case "$1" in
	--json) format=json ;;
	--ktap) format=ktap ;;
	--no-docker) docker=0 ;;
	--wide) wide=true ;;
	-h|--help) cat <<'EOF'
usage: ./run.sh check [--json] [--ktap] [--wide] [--no-docker]
What this host offers for seccomp, each behaviour triggered for real: kernel
config, actions, flags, strict and filter mode, stacking limit, compat ABIs,
JIT, libseccomp, bitmap cache; and, when a Docker daemon answers, its seccomp
support and real containers under its default profile and unconfined.
The table fits 80 columns; --wide puts each value and detail on one line.
Exit: 0; 1 this host cannot enforce seccomp filters; 2 an item failed; 64 usage.
EOF
		exit 0 ;;
	*) echo "run.sh check: unknown option '$1'" >&2; exit 64 ;;
	esac
	shift
done

lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
"$OUT/bin/check" >"$lines"
rc=$?
[ "$rc" -le 2 ] || { echo "run.sh check: $OUT/bin/check failed (exit $rc)" >&2; exit 1; }
if [ "$docker" = 1 ]; then
	bash "$HERE/commands/check_docker.sh" "$OUT" >>"$lines"
	[ "$rc" -eq 0 ] && [ "$(jq -s 'map(select((.section == "docker" or .section == "podman") and .result == "fail")) | length' "$lines")" -gt 0 ] && rc=2
fi

case "$format" in
json)
	cat "$lines"
	;;
ktap)
	jq -L "$HERE/commands" -rs 'include "check"; check_ktap' "$lines"
	;;
table)
	jq -L "$HERE/commands" -rs --argjson wide "$wide" 'include "check"; check_table($wide)' "$lines"
	echo
	jq -L "$HERE/commands" -rs 'include "check"; check_summary' "$lines"
	echo "how each item was decided: ./run.sh check --json (the detail field)"
	;;
esac
exit "$rc"
