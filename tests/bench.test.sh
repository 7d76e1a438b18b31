#!/usr/bin/env bash
# bench/: the benchmark programs run end to end (a few rounds, small sample
# counts) and leave well-formed JSON with every expected point, tables and
# plots.  Nothing here asserts a timing: speed is measured by ./run.sh bench,
# not asserted.  What is asserted is what does not depend on speed: which
# points exist, the filters' path lengths and cacheability, and what each
# measured call returned.
#   bash tests/bench.test.sh build/<abi>
set -uo pipefail

OUT_BUILD=${1:?usage: tests/bench.test.sh build/<abi>}
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tests/tap.sh"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && echo "# $2"; }
check() { # check DESCRIPTION JQ-FILTER FILE: passes when the filter yields true
	local desc=$1 filter=$2 file=$3 why
	if why=$(jq -e "$filter" "$file" 2>&1); then ok "$desc"; else not_ok "$desc" "$why"; fi
}

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - bench # SKIP needs root (SCHED_FIFO children, as ./run.sh bench)"
	tap_done
	exit 0
fi

log="$DIR/bench.log"
if bash "$HERE/bench/bench.sh" --quick --rounds 2 --kernel-samples 20000 --hyperfine-runs 2 \
	--out "$DIR/r" >"$log" 2>&1; then
	ok "bench.sh --quick runs and exits 0"
else
	not_ok "bench.sh --quick runs and exits 0" "$(tail -n 20 "$log" | tr '\n' '|')"
fi
J="$DIR/r/seccomp_bench.json"
S="$DIR/r/summary.json"

for f in seccomp_bench.json kernel.json hyperfine.json summary.json; do
	check "$f is well-formed JSON" 'true' "$DIR/r/$f"
done

# Every point the issue asks for, each with a median and an interval.
check "native, stacks 1..32 (cacheable and full), actions, SPEC_ALLOW" '
	[.points[].id] as $ids
	| (["native/0", "action-errno/1", "action-trap/2", "action-log/3", "action-user-notif/4",
	    "spec-default/1", "spec-allow/1"]
	   + ([1, 2, 4, 8, 16, 32] | map("stack-cacheable/\(.)", "stack-full/\(.)")))
	| all(. as $want | $ids | index($want) != null)' "$J"
check "six rule series (default/tree, short/long, arg/cacheable) from 1 to every syscall of the ABI" '
	. as $r | ["rules-arg-default-short", "rules-arg-default-long", "rules-arg-tree-short",
	  "rules-arg-tree-long", "rules-cacheable-default-long", "rules-cacheable-tree-long"]
	| all(. as $s | [$r.points[] | select(.series == $s) | .x]
	      | (index(1) != null) and (index(256) != null) and (max > 300))' "$J"
check "argument rules up to the kernel's 4096 instructions, both paths" '
	[.points[] | select(.series == "argrules-long" or .series == "argrules-short")]
	| (map(select(.filter_insns == 4096)) | length == 2) and all(.filter_insns <= 4096)' "$J"
check "whole profiles: docker-default, restrictive, unconfined x 5 calls" '
	[.points[] | select(.series | startswith("profile-")) | .id] | length == 15' "$J"
check "every point has a median inside its 95% interval and no error" '
	all(.points[]; (.error == null) and (.median_ns > 0) and (.ci95_ns[0] <= .median_ns) and (.median_ns <= .ci95_ns[1])
	    and (.samples_ns | length) == 2)' "$J"

# What the BPF walk says, independent of speed.
check "default layout: getpid last walks more with every rule, getpid first does not" '
	([.points[] | select(.series == "rules-arg-default-long")] | sort_by(.x) | map(.path_insns)) as $long
	| ([.points[] | select(.series == "rules-arg-default-short")] | map(.path_insns) | unique) as $short
	| ($long | . == sort and (last - first) > 300) and ($short | length == 1)' "$J"
check "binary tree: the path grows by about one compare per doubling" '
	[.points[] | select(.series == "rules-arg-tree-long")] | sort_by(.x)
	| (last.path_insns - first.path_insns) <= ((last.x | log2 | ceil) + 2)' "$J"
check "the bitmap cache can skip number-only filters, not argument-reading ones" '
	all(.points[] | select(.series | test("^rules-cacheable|^stack-cacheable")); .cacheable)
	and all(.points[] | select(.series | test("^rules-arg|^stack-full|^argrules")); .cacheable | not)' "$J"
check "docker-default: getpid cacheable, personality (argument rule) not" '
	(.points[] | select(.id == "profile-docker-default/getpid") | .cacheable)
	and (.points[] | select(.id == "profile-docker-default/personality") | .cacheable | not)' "$J"

# What the measured calls returned: the filters did what the points claim.
check "ERRNO answers EPERM; USER_NOTIF returns the supervisor's 4242; restrictive denies getpid" '
	(.points[] | select(.id == "action-errno/1") | .errno_name == "EPERM")
	and (.points[] | select(.id == "action-user-notif/4") | .ret == 4242)
	and (.points[] | select(.id == "profile-restrictive/getpid") | .errno_name == "EPERM")
	and (.points[] | select(.id == "profile-docker-default/read") | .errno_name == "EBADF")' "$J"

check "the kernel's benchmark: its five figures were read, in each of its runs" '
	(.runs | length) >= 3 and all(., .runs[]; .native_ns > 0 and .bitmap1_ns > 0 and .bitmap2_ns > 0
	    and .full3_ns > 0 and .full4_ns > 0)' "$DIR/r/kernel.json"
check "hyperfine: five commands; scrun under docker-default exits 0, under restrictive does not" '
	(.results | length == 5)
	and (.results[] | select(.command == "scrun docker-default") | .exit_codes | unique == [0])
	and (.results[] | select(.command == "scrun restrictive") | .exit_codes | all(. != 0))' "$DIR/r/hyperfine.json"
check "summary: estimates, agreement with the kernel, hyperfine, no errors" '
	(.estimates.per_filter_full.slope != null) and (.agreement | length == 5)
	and (.hyperfine | length == 5) and (.errors == [])' "$S"

for p in rules argrules stack; do
	if [ "$(head -c 8 "$DIR/r/plot-$p.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		grep -q '<svg' "$DIR/r/plot-$p.svg"; then
		ok "plot-$p: PNG and SVG written"
	else
		not_ok "plot-$p: PNG and SVG written"
	fi
done
if grep -q '^Beside the kernel' "$DIR/r/table.txt" && grep -q '^Machine: ' "$DIR/r/table.txt"; then
	ok "table.txt: machine header and the kernel comparison"
else
	not_ok "table.txt: machine header and the kernel comparison"
fi

# Bad usage is refused, not run.
if "$OUT_BUILD/bench/seccomp_bench" --rounds 0 >/dev/null 2>&1; then
	not_ok "seccomp_bench --rounds 0 is refused"
else
	ok "seccomp_bench --rounds 0 is refused"
fi
tap_done
