#!/usr/bin/env bash
# Every probe, run unconfined as root under strace -ff:
#   - its child makes the probe's syscall exactly once (none when absent);
#   - the kernel answers with an errno its source file documents
#     (.unconfined and .since, shown by --describe): the kernel refused the
#     harmless arguments, so nothing on the host changed.  The answers are
#     judged by the case runner against the unconfined set (expect_judge,
#     the one owner of "documented"), from the lines printed here;
#   - what --describe prints is well formed: each .unconfined entry an
#     errno name or 0, optionally ":CONFIG_X" (lib/probe.h), .since a
#     release, and a probe with .since lists no plain ENOSYS.
# TAP lines: two per probe, then the runner's line per probe.
set -uo pipefail
OUT=${1:?usage: tests/probes.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One jq per program's --describe (a jq start costs more than a probe
# run): the checks below read the shell variables it sets, reset first so
# that a description jq cannot read fails its checks.
kernel=$(uname -r)
while read -r name; do
	prog="$OUT/probes/$name"
	desc=$("$prog" --describe)
	syscall="" nr="" abi="" documents="" well_formed=false
	eval "$(jq -r '@sh "syscall=\(.syscall) nr=\(.nr) abi=\(.abi) documents=\((.unconfined // [] | join(",")) + (if .since then " since " + .since else "" end)) well_formed=\((.unconfined | length > 0) and
		all((.unconfined // [])[]; test("^(0|E[A-Z0-9]+)(:CONFIG_[A-Z0-9_]+(/CONFIG_[A-Z0-9_]+)*)?$")) and
		(.since == null or ((.since | test("^[0-9]+\\.[0-9]+$")) and (.unconfined | index(["ENOSYS"]) == null))))"' \
		<<<"$desc" 2>/dev/null)"
	rm -f "$tmp"/trace.*
	line=$(strace -qq -ff -o "$tmp/trace" "$prog" 2>"$tmp/stderr")
	# The traces are trace.PID; the program's own has the lowest PID.
	main=""
	for f in "$tmp"/trace.*; do
		[ -e "$f" ] || continue
		if [ -z "$main" ] || [ "${f##*.}" -lt "${main##*.}" ]; then main=$f; fi
	done
	children=()
	for f in "$tmp"/trace.*; do
		if [ -e "$f" ] && [ "$f" != "$main" ]; then children+=("$f"); fi
	done
	if [ "$nr" = null ]; then
		verdict=$(jq -r .verdict <<<"$line")
		if [ "$verdict" = absent ] && [ "${#children[@]}" -eq 0 ]; then
			echo "ok - $name: absent on $abi, no child, no call"
		else
			echo "not ok - $name: no syscall number, yet verdict '$verdict' and child traces: ${children[*]}"
		fi
		echo "ok - $name: nothing to refuse # SKIP absent on this ABI"
		jq -c --arg probe "$name" --arg kernel "$kernel" '. + {probe: $probe, kernel: $kernel}' \
			<<<"$line" >>"$tmp/observed.jsonl"
		continue
	fi
	# strace prints a call newer than itself by number (syscall_0x1c3).
	pattern="^($syscall|syscall_$(printf '0x%x' "$nr"))\\("
	calls=()
	[ "${#children[@]}" -eq 0 ] || mapfile -t calls < <(grep -hE "$pattern" "${children[@]}")
	if [ "${#calls[@]}" -eq 1 ]; then
		echo "ok - $name: the child calls $syscall exactly once: ${calls[0]:0:110}"
	else
		echo "not ok - $name: the child calls $syscall ${#calls[@]} times (expected once)"
	fi
	# The plain run's line as an observation for the runner.
	jq -c --arg probe "$name" --arg kernel "$kernel" \
		'. + {probe: $probe, verdict: "allowed", by: "kernel", kernel: $kernel}' <<<"$line" >>"$tmp/observed.jsonl" ||
		echo "not ok - $name: the plain run printed no JSON line: $line $(cat "$tmp/stderr")"
	if [ "$well_formed" = true ]; then
		echo "ok - $name: documents $documents"
	else
		echo "not ok - $name: --describe is not well formed (errno[:CONFIG_X], since X.Y, no plain ENOSYS with since): $desc"
	fi
done <"$OUT/probes.list"

# Each answer judged as the unconfined set judges it: the documented
# errnos, ENOSYS only before .since or where documented.
"$OUT/bin/cases" --set unconfined --observations "$tmp/observed.jsonl" >"$tmp/judged.ktap" 2>&1
rc=$?
grep -E '^(not )?ok ' "$tmp/judged.ktap"
if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$tmp/judged.ktap"; then
	echo "not ok - the runner judged the unconfined answers with exit $rc: $(tail -n3 "$tmp/judged.ktap")"
fi
tap_done
