#!/usr/bin/env bash
# The suite's own speed (make suite-speed): hyperfine over the commands a
# user runs, so that a regression in the suite itself is visible.  Medians
# with min-max, the machine and its load, as a table and JSON.  One probe
# program is timed twice: as run again (its filter from the compiled-filter
# cache) and with the cache off (compiled, as on its first run).
#   bench/suite-speed.sh [--runs N] [--matrix] [--out DIR]
# --matrix adds one qemu guest (Debian's 6.1 amd64 kernel, x86_64 and i386,
# the docker-default set): minutes under TCG, so not by default.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
runs=5 matrix=0 out="$HERE/build/results/suite-speed"
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "suite-speed: --runs takes a positive number" >&2; exit 64; }
		runs=$2; shift 2 ;;
	--matrix) matrix=1; shift ;;
	--out) [ -n "${2:-}" ] || { echo "suite-speed: --out needs a directory" >&2; exit 64; }
		out=$2; shift 2 ;;
	-h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "suite-speed: unknown option '$1'" >&2; exit 64 ;;
	esac
done
command -v hyperfine >/dev/null || { echo "suite-speed: hyperfine is not installed (./run.sh deps bench)" >&2; exit 1; }
cd "$HERE"
make -s all >&2
mkdir -p "$out"
# Each run writes its results under the output directory, not the user's.
export SECCOMP_SUITE_RESULTS="$out/results"
cmds=(
	"./run.sh"
	"./run.sh probe --profile docker-default"
	"build/$(uname -m)/probes/mount --profile docker-default"
	"env SECCOMP_SUITE_CACHE=off build/$(uname -m)/probes/mount --profile docker-default"
	"./run.sh cases docker-default"
	"./run.sh surface --profile docker-default"
)
[ "$matrix" = 0 ] || cmds+=("./run.sh matrix --kernels 6.1:amd64 --sets docker-default --out $out/matrix")
load0=$(cut -d' ' -f1-3 /proc/loadavg)
hyperfine --style none --warmup 1 --runs "$runs" --export-json "$out/suite-speed.json" "${cmds[@]}" >/dev/null
load1=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo "seccomp-suite's own speed: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), Linux $(uname -r), $(date -u +%Y-%m-%d)"
	echo "load average $load0 before, $load1 after; $runs runs each after one warm-up"
	echo
	jq -r '.results[] | [.command, (.median * 1000 | round), (.min * 1000 | round), (.max * 1000 | round)] | @tsv' \
		"$out/suite-speed.json" |
		awk -F'\t' '{ row[NR] = $0; if (length($1) > w) w = length($1) }
			END {
				printf "%-*s %9s  %s\n", w, "COMMAND", "MEDIAN", "MIN-MAX (ms)"
				for (i = 1; i <= NR; i++) { split(row[i], f, "\t"); printf "%-*s %6d ms  %d-%d\n", w, f[1], f[2], f[3], f[4] }
			}'
} | tee "$out/suite-speed.txt"
