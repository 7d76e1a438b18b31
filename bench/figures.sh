#!/usr/bin/env bash
# make bench-figures: every figure and plot docs/bench.md shows, retaken in
# one command on a quiet machine, and written where the page takes them:
#   1. ./run.sh bench                       (the synthetic bench, the kernel's
#                                            seccomp_benchmark beside it, hyperfine)
#   2. ./run.sh bench --profile docker-default --workload WORKLOAD
#   3. ./run.sh bench --spec-allow-guest    (qemu guests of Debian's 6.1 kernel)
# then copies the plots to bench/figures/ and rewrites, in docs/bench.md,
# each block between "<!-- figures: NAME" and "<!-- /figures -->" with the
# run's own table, headed by the machine, its load and the date.  The prose
# around the blocks quotes figures too: reread it against the new blocks
# (docs/bench.md marks those paragraphs).
#   bash bench/figures.sh [--quick | --no-run] [--docs FILE] [--figures DIR] [--out DIR]
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
ABI=$(uname -m)
DOCS="$HERE/docs/bench.md"
FIGS="$HERE/bench/figures"
OUT="$HERE/build/results/bench"
WORKLOAD='tar -cf - -C /usr/share/doc . | gzip -1 | wc -c'
quick=()
run=1

usage() {
	cat <<'EOF'
usage: bash bench/figures.sh [--quick | --no-run] [--docs FILE] [--figures DIR] [--out DIR]
Retakes every figure of docs/bench.md (./run.sh bench; bench --profile
docker-default with a tar | gzip workload; bench --spec-allow-guest), copies
the plots to bench/figures/ and rewrites the page's marked blocks.  Run it on
a quiet machine: it says so in its output when the machine was busy.
  --quick        the short runs (to try the command, not for the page)
  --no-run       run nothing: take the tables and plots already in --out
  --docs FILE    the page to rewrite (default docs/bench.md)
  --figures DIR  where the plots go (default bench/figures)
  --out DIR      where the runs' results go (default build/results/bench)
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=(--quick); shift ;;
	--no-run) run=0; shift ;;
	--docs) DOCS=${2:?--docs needs a file}; shift 2 ;;
	--figures) FIGS=${2:?--figures needs a directory}; shift 2 ;;
	--out) OUT=${2:?--out needs a directory}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "bench/figures.sh: unknown option '$1'" >&2; usage >&2; exit 64 ;;
	esac
done
[ -w "$DOCS" ] || { echo "bench/figures.sh: $DOCS: not a writable file" >&2; exit 64; }
mkdir -p "$FIGS" "$OUT"

started=$(date +%s)
load_start=$(cut -d' ' -f1 /proc/loadavg)
rc=0
step() { # step NAME COMMAND...: run one part, keep its exit status and time
	local name=$1 t0=$SECONDS r=0
	shift
	echo "bench-figures: $name" >&2
	"$@" || r=$?
	echo "bench-figures: $name: exit $r, $((SECONDS - t0)) s" >&2
	[ "$r" = 0 ] || rc=1
	return 0
}
spec_rc=0
if [ "$run" = 1 ]; then
	step "./run.sh bench${quick:+ --quick}" bash "$HERE/bench/bench.sh" "${quick[@]}" --out "$OUT" >/dev/null
	step "./run.sh bench --profile docker-default${quick:+ --quick} --workload '$WORKLOAD'" \
		bash "$HERE/bench/bench.sh" --profile docker-default "${quick[@]}" --workload "$WORKLOAD" --out "$OUT/profile" >/dev/null
	echo "bench-figures: ./run.sh bench --spec-allow-guest" >&2
	bash "$HERE/bench/bench.sh" --spec-allow-guest --out "$OUT/spec-allow" >/dev/null || spec_rc=$?
	case $spec_rc in
	0) ;;
	3) echo "bench-figures: the guests could not run here (no qemu or no 6.1 kernel): its block is left as it was" >&2 ;;
	*) echo "bench-figures: --spec-allow-guest: exit $spec_rc" >&2; rc=1 ;;
	esac
else
	[ -s "$OUT/spec-allow/spec-allow.txt" ] || spec_rc=3
fi

# The plots the page shows (the rest stay in $OUT).
for p in rules argrules stack; do
	[ ! -s "$OUT/plot-$p.svg" ] || cp "$OUT/plot-$p.svg" "$FIGS/$p-$ABI.svg"
done
[ ! -s "$OUT/profile/plot-profile.svg" ] || cp "$OUT/profile/plot-profile.svg" "$FIGS/profile-docker-default-$ABI.svg"

# A block's new text: a heading line (when the run was taken, the machine,
# its load, all read from the run's own results), then the command and its
# table indented as a code block.
block() { # block COMMAND TABLE-FILE HEADING
	echo "Taken by \`make bench-figures\` on $(date -u -r "$2" '+%Y-%m-%d %H:%M UTC'): $3."
	echo
	echo "    \$ $1"
	sed 's/^/    /; s/ *$//' "$2"
}
new=$(mktemp -d)
trap 'rm -rf "$new"' EXIT
if [ -s "$OUT/table.txt" ] && [ -s "$OUT/summary.json" ]; then
	q=$(jq -r 'if .quick then " --quick" else "" end' "$OUT/summary.json")
	block "./run.sh bench$q" "$OUT/table.txt" "$(jq -r '"\(.machine.cpu), \(.machine.cpus_online) CPUs, Linux \(.machine.kernel); load average \(.machine.loadavg_start[0] * 100 | round / 100) at the start, \(.loadavg_end | split(" ")[0]) at the end\(if .quick then " (--quick: not for the page)" else "" end)"' "$OUT/summary.json")" >"$new/bench"
fi
if [ -s "$OUT/profile/profile-table.txt" ] && [ -s "$OUT/profile/profile-summary.json" ]; then
	q=$(jq -r 'if .quick then " --quick" else "" end' "$OUT/profile/profile-summary.json")
	w=$(jq -r '.workload.source // "" | if startswith("strace -f -c of: ") then " --workload \u0027\(ltrimstr("strace -f -c of: "))\u0027"
		elif startswith("the counts in ") then " --mix \(ltrimstr("the counts in "))" else "" end' "$OUT/profile/profile-summary.json")
	block "./run.sh bench --profile $(jq -r '.profile.name' "$OUT/profile/profile-summary.json")$q$w" "$OUT/profile/profile-table.txt" \
		"$(jq -r '"\(.machine.cpu), \(.machine.cpus_online) CPUs, Linux \(.machine.kernel); load average \(.loadavg.start[0] * 100 | round / 100) at the start, \(.loadavg.end | split(" ")[0]) at the end\(if .quick then " (--quick: not for the page)" else "" end)"' "$OUT/profile/profile-summary.json")" >"$new/profile"
fi
if [ "$spec_rc" = 0 ] && [ -s "$OUT/spec-allow/spec-allow.txt" ]; then
	block "./run.sh bench --spec-allow-guest" "$OUT/spec-allow/spec-allow.txt" \
		"this host ($(jq -r '.boots[0].machine | "\(.cpu), Linux \(.release)"' "$OUT/spec-allow/spec-allow.json")) and its qemu guests; nothing is timed, so the load does not matter" >"$new/spec-allow"
fi

# Rewrite the marked blocks whose run produced a table; the others stay.
awk -v dir="$new" '
	/^<!-- figures: [a-z-]+/ {
		print; name = $3; file = dir "/" name
		if ((getline line < file) > 0) {
			print line; while ((getline line < file) > 0) print line
			skip = 1; replaced[name] = 1
		}
		next
	}
	/^<!-- \/figures -->/ { skip = 0; print; next }
	!skip { print }
	END { for (n in replaced) printf "bench-figures: docs block \"%s\" rewritten\n", n > "/dev/stderr" }' "$DOCS" >"$new/page"
cat "$new/page" >"$DOCS"

echo "bench-figures: done in $(($(date +%s) - started)) s; plots in ${FIGS#"$HERE"/}, tables in ${DOCS#"$HERE"/}: reread the paragraphs it marks" >&2
[ "$run" = 0 ] || awk -v l="$load_start" -v c="$(nproc)" 'BEGIN { if (l + 0 > c / 2) printf "bench-figures: WARNING: load average %s at the start on %d CPUs: not a quiet machine\n", l, c > "/dev/stderr" }'
exit $rc
