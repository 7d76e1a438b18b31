#!/usr/bin/env bash
# The matrix as CI runs it: one amd64 guest (Debian's 6.1 cloud kernel, the
# x86_64 and i386 ABIs) and one arm64 guest (6.1, aarch64), booted in qemu,
# asserting the docker-default and restrictive sets.  TAP lines.  Skipped,
# with the reason, only when qemu or the kernel package cannot be had here.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=build/matrix-test
SETS="docker-default restrictive"
err=$(mktemp)
trap 'rm -f "$err"' EXIT

start=$(date +%s)
ci/matrix.sh --kernels 6.1:amd64,6.1:arm64 --arches x86_64,i386,aarch64 \
	--sets "${SETS// /,}" --out "$OUT" >/dev/null 2>"$err"
rc=$?
sed 's/^/# /' "$err"
echo "# matrix guests: exit $rc after $(($(date +%s) - start))s"
if [ "$rc" -eq 3 ]; then
	echo "ok 1 - matrix guests # SKIP $(grep -m1 'run.sh matrix:' "$err")"
	echo "1..1"
	exit 0
fi

n=0
check() { # check NAME COMMAND...: one TAP line
	local name=$1
	shift
	n=$((n + 1))
	if "$@" >/dev/null; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}

cell() { ls "$OUT"/6.1.*-"$1".jsonl 2>/dev/null | head -n1; }

# case CELL SET PROBE VERDICT: the cell's case for PROBE passed with VERDICT
# (asserted by the runner, not skipped).
case_passed() {
	local f
	f=$(cell "$1") && [ -n "$f" ] || { echo "# no results file for $1 in $OUT"; return 1; }
	jq -e -s --arg s "$2" --arg p "$3" --arg v "$4" 'any(.[];
		.set == $s and (.probe // .syscall) == $p and .verdict == $v and .result == "pass")' "$f" >/dev/null ||
		{ echo "# $1 $2 $3: $(jq -c --arg s "$2" --arg p "$3" 'select(.set == $s and (.probe // .syscall) == $p) | {verdict, errno_name, by, result, reason}' "$f")"; return 1; }
}

# Every (set, probe) of the cell has a line, and each passed or was skipped
# with a reason.
cell_complete() {
	local f sets
	f=$(cell "$1") && [ -n "$f" ] || return 1
	sets=$(wc -w <<<"$SETS")
	[ "$(jq -s 'length' "$f")" -eq $(($(wc -l <"build/$1/probes.list") * sets)) ] &&
		jq -e -s 'all(.[]; .result == "pass" or (.result == "skip" and (.reason // "") != ""))' "$f" >/dev/null ||
		{ jq -r 'select(.result != "pass") | "# \(.set) \(.probe // .syscall): \(.result) \(.reason)"' "$f"; return 1; }
}

check "the guests finished and every case passed (exit 0)" test "$rc" -eq 0
for abi in x86_64 i386 aarch64; do
	check "$abi on 6.1: every case passed or was skipped with a reason" cell_complete "$abi"
	check "$abi on 6.1: results carry the guest's 6.1 kernel" \
		jq -e -s 'length > 0 and all(.[]; .kernel | startswith("6.1."))' "$(cell "$abi")"
	check "$abi on 6.1: docker-default denies mount" case_passed "$abi" docker-default mount errno
done
# Verdicts that depend on the ABI, asserted in their cells: calls only i386
# has, calls aarch64 lacks, and a profile without "architectures" meeting a
# compat-ABI program.
check "x86_64: stime is absent" case_passed x86_64 docker-default stime absent
check "i386: stime exists and docker-default denies it" case_passed i386 docker-default stime errno
check "aarch64: open is absent (only openat)" case_passed aarch64 docker-default open absent
check "aarch64: ioperm is absent (x86 only)" case_passed aarch64 docker-default ioperm absent
check "i386 on x86_64: restrictive (no architectures) kills even write" case_passed i386 restrictive write killed
check "x86_64: restrictive lets write through" case_passed x86_64 restrictive write allowed
check "aarch64: restrictive lets write through" case_passed aarch64 restrictive write allowed
check "reports written" test -s "$OUT/report.md" -a -s "$OUT/report.html"
echo "1..$n"
