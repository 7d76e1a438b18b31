#!/usr/bin/env bash
# Every probe, run unconfined as root under strace -ff:
#   - its child makes the probe's syscall exactly once (none when absent);
#   - the kernel answers with an errno its source file documents
#     (.unconfined, shown by --describe): the kernel refused the harmless
#     arguments, so nothing on the host changed.
# TAP lines, two per probe.
set -uo pipefail
OUT=${1:?usage: tests/probes.test.sh build/<abi>}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

while read -r name; do
	prog="$OUT/probes/$name"
	desc=$("$prog" --describe)
	syscall=$(jq -r .syscall <<<"$desc")
	rm -f "$tmp"/trace.*
	line=$(strace -qq -ff -o "$tmp/trace" "$prog" 2>"$tmp/stderr")
	main_pid=$(ls "$tmp"/trace.* | sed 's/.*\.//' | sort -n | head -n1)
	children=$(ls "$tmp"/trace.* | grep -v "trace.$main_pid\$" || true)
	if [ "$(jq -r .nr <<<"$desc")" = null ]; then
		verdict=$(jq -r .verdict <<<"$line")
		if [ "$verdict" = absent ] && [ -z "$children" ]; then
			echo "ok - $name: absent on $(jq -r .abi <<<"$desc"), no child, no call"
		else
			echo "not ok - $name: no syscall number, yet verdict '$verdict' and child traces: $children"
		fi
		echo "ok - $name: nothing to refuse # SKIP absent on this ABI"
		continue
	fi
	count=0
	# strace prints a call newer than itself by number (syscall_0x1c3).
	pattern="^($syscall|syscall_$(printf '0x%x' "$(jq -r .nr <<<"$desc")"))\\("
	[ -n "$children" ] && count=$(cat $children | grep -cE "$pattern" || true)
	if [ "$count" -eq 1 ]; then
		echo "ok - $name: the child calls $syscall exactly once: $(cat $children | grep -E "$pattern" | cut -c1-110)"
	else
		echo "not ok - $name: the child calls $syscall $count times (expected once)"
	fi
	got=$(jq -r 'if .ret >= 0 then "0" else .errno_name end' <<<"$line")
	want=$(jq -r '.unconfined | join(",")' <<<"$desc")
	if jq -e --arg got "$got" '.unconfined | index([$got]) != null' <<<"$desc" >/dev/null; then
		echo "ok - $name: unconfined as root the kernel answers $got (documented: $want)"
	else
		echo "not ok - $name: unconfined as root the kernel answered $got, the probe documents $want: $(cat "$tmp/stderr")"
	fi
done <"$OUT/probes.list"
