#!/usr/bin/env bash
# The matrix as CI runs it: one amd64 guest (Debian's 6.1 cloud kernel, the
# x86_64 and i386 ABIs) and one arm64 guest (6.1, aarch64), booted in qemu,
# under Docker's default profile.  TAP lines.  Skipped, with the reason, only
# when qemu or the kernel package cannot be had on this machine.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=build/matrix-test
err=$(mktemp)
trap 'rm -f "$err"' EXIT

start=$(date +%s)
ci/matrix.sh --kernels 6.1:amd64,6.1:arm64 --arches x86_64,i386,aarch64 \
	--profiles docker-default --out "$OUT" >/dev/null 2>"$err"
rc=$?
sed 's/^/# /' "$err"
echo "# matrix guests: exit $rc after $(($(date +%s) - start))s"
if [ "$rc" -eq 3 ]; then
	echo "ok 1 - matrix guests # SKIP $(grep -m1 'run.sh matrix:' "$err")"
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

# verdict CELL PROBE VERDICT [ERRNO]: the cell's line for PROBE says so, and a
# filter verdict was proven to be the filter's.
verdict() {
	local f
	f=$(cell "$1") && [ -n "$f" ] || { echo "# no results file for $1 in $OUT"; return 1; }
	jq -e -s --arg p "$2" --arg v "$3" --arg e "${4:-}" 'any(.[];
		(.probe // .syscall) == $p
		and .verdict == $v and ($e == "" or .errno_name == $e)
		and (.verdict != "errno" or .by == "filter"))' "$f" >/dev/null ||
		{ echo "# $1 $2: $(jq -c --arg p "$2" 'select((.probe // .syscall) == $p) | {verdict, errno_name, by, reason}' "$f")"; return 1; }
}

every_probe_decided() {
	local f
	f=$(cell "$1") && [ -n "$f" ] || return 1
	[ "$(jq -s 'length' "$f")" -eq "$(wc -l <"build/$1/probes.list")" ] &&
		! jq -s -e 'any(.[]; .verdict == "error")' "$f" >/dev/null
}

check "the guests finished (exit 0)" test "$rc" -eq 0
for abi in x86_64 i386 aarch64; do
	check "$abi on 6.1: a line per probe, no error verdict" every_probe_decided "$abi"
	check "$abi on 6.1: kernel field is the guest's 6.1" \
		jq -e -s 'length > 0 and all(.[]; .kernel | startswith("6.1."))' "$(cell "$abi")"
	check "$abi on 6.1: mount denied EPERM by docker-default's filter" verdict "$abi" mount errno EPERM
done
# ABI-dependent verdicts (cases/docker-default.cases): calls only i386 has,
# calls aarch64 lacks, and the ones each ABI denies through the filter.
check "x86_64: stime is absent" verdict x86_64 stime absent
check "i386: stime exists and the filter denies it" verdict i386 stime errno EPERM
check "i386: vm86 exists and the filter denies it" verdict i386 vm86 errno EPERM
check "x86_64: vm86 is absent" verdict x86_64 vm86 absent
check "aarch64: open is absent (only openat)" verdict aarch64 open absent
check "aarch64: ioperm is absent (x86 only)" verdict aarch64 ioperm absent
check "x86_64: ioperm denied EPERM by the filter" verdict x86_64 ioperm errno EPERM
check "reports written" test -s "$OUT/report.md" -a -s "$OUT/report.html"
echo "1..$n"
