#!/usr/bin/env bash
# ./run.sh check against the kernel's own facts: actions_avail, the kernel
# config, /proc/self/status, the JIT sysctl, whether a 32-bit program built
# here with binutils executes, and the exit status when a process cannot
# install filters.  The behaviour items (strict mode, no_new_privs, fork and
# exec, each action) are held against the test's own measurement of the
# same behaviour (tests/check_facts.c, built here, sharing no code with the
# check), in four environments chosen so that each item is seen both ways:
# the bare host; under an allow-all filter (no strict mode once in filter
# mode; no_new_privs already set); under a filter that denies ptrace (no
# tracer); under one that denies seccomp(2) and prctl(2) (no filter at all).
# TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/check.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check NAME COMMAND... : ok when the command succeeds
	local name=$1
	shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi
}
jq_true() { jq -e "$@" >/dev/null; }
item() { jq -c --arg i "$1" 'select(.item == $i)' "$tmp/check.jsonl"; }
field() { item "$1" | jq -r "$2"; }

# agree ENV CHECK-JSONL FACTS: each behaviour item as the check reports it
# against the test's own child in the same environment.
agree() {
	local env=$1 results=$2 facts=$3 item truth said want
	while read -r item truth; do
		said=$(jq -r --arg i "$item" 'select(.item == $i) |
			(if .result == "pass" then "pass" else "fail" end) +
			(if ($i | startswith("action.")) then " triggered=\(.triggered)"
			 elif ($i | test("fork|exec")) then " \(.value)" else "" end)' "$results")
		case $item in
		mode.strict) [ "$truth" = works ] && want=pass || want=fail ;;
		mode.filter.no_new_privs) [ "$truth" = required ] && want=pass || want=fail ;;
		mode.filter.fork | mode.filter.exec)
			[ "$truth" = inherited ] && want="pass inherited" || want="fail not inherited" ;;
		action.*) [ "$truth" = works ] && want="pass triggered=true" || want="fail triggered=false" ;;
		*) want="an item the test knows" ;;
		esac
		check "$env: $item: the check says '$said'; the test's own child: $truth" [ "$said" = "$want" ]
	done <"$facts"
}

cc -std=gnu11 -O2 -Wall -Wextra -Werror -pthread -o "$tmp/facts" tests/check_facts.c
check "tests/check_facts.c builds" [ -x "$tmp/facts" ]
cat >"$tmp/allow.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}
J
cat >"$tmp/no-ptrace.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO"}]}
J
cat >"$tmp/no-seccomp.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["seccomp", "prctl"], "action": "SCMP_ACT_ERRNO"}]}
J

"$OUT/bin/check" >"$tmp/check.jsonl"
rc=$?
"$tmp/facts" >"$tmp/host.facts"
check "check exits 0 on this host (filters enforced, every item agrees)" [ "$rc" -eq 0 ]
check "check says this host enforces filters" [ "$(field enforces_filters .value)" = true ]
check "kernel.version is uname -r" [ "$(field kernel.version .kernel)" = "$(uname -r)" ]

# The kernel config, read here with zcat or cat.
if [ -r /proc/config.gz ]; then
	src=/proc/config.gz config=$(zcat /proc/config.gz)
elif [ -r "/boot/config-$(uname -r)" ]; then
	src="/boot/config-$(uname -r)" config=$(cat "/boot/config-$(uname -r)")
else
	src=unknown config=""
fi
check "config source is $src" [ "$(field kernel.config_source .value)" = "$src" ]
for opt in CONFIG_SECCOMP CONFIG_SECCOMP_FILTER; do
	if [ -n "$config" ]; then
		want=$(sed -n "s/^$opt=//p" <<<"$config")
		want=${want:-n}
	else
		want=unknown
	fi
	check "$opt is $want, as $src says" [ "$(field "kernel.$opt" .value)" = "$want" ]
done

mode=$(awk '/^Seccomp:/ { print $2 }' /proc/self/status)
check "process.seccomp_status: Seccomp $mode, as this test's own process" [ "$(field process.seccomp_status .seccomp_mode)" = "$mode" ]

# Every action the kernel lists is confirmed by a child; every other one is
# reported unavailable.
avail=$(cat /proc/sys/kernel/seccomp/actions_avail)
check "actions.avail is the kernel's actions_avail" [ "$(field actions.avail .value)" = "$avail" ]
check "actions.logged is the kernel's actions_logged" [ "$(field actions.logged .value)" = "$(cat /proc/sys/kernel/seccomp/actions_logged)" ]
for a in kill_process kill_thread trap errno user_notif trace log; do
	listed=false
	grep -qw "$a" <<<"$avail" && listed=true
	check "action $a: actions_avail says $listed, as the kernel's file" [ "$(field "action.$a" .actions_avail)" = "$listed" ]
done

# Flags by kernel version: WAIT_KILLABLE_RECV is the newest (5.19).
IFS=. read -r major minor _ <<<"$(uname -r)"
if [ "$major" -gt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -ge 19 ]; }; then
	for f in tsync log spec_allow new_listener tsync_esrch wait_killable_recv; do
		check "flag $f supported (kernel $major.$minor >= 5.19 has them all)" [ "$(field "flag.$f" .value)" = supported ]
	done
else
	echo "ok - flags # SKIP kernel $major.$minor predates 5.19: which flags exist depends on the version"
fi

# The behaviour items, each against the test's own child.
agree host "$tmp/check.jsonl" "$tmp/host.facts"
for env in allow no-ptrace; do
	"$OUT/bin/scrun" --profile "$tmp/$env.json" --caps all -- "$tmp/facts" >"$tmp/$env.facts"
	"$OUT/bin/scrun" --profile "$tmp/$env.json" --caps all -- "$OUT/bin/check" >"$tmp/$env.jsonl" 2>/dev/null
	agree "under $env.json" "$tmp/$env.jsonl" "$tmp/$env.facts"
done
check "stacking: the measured limit is the kernel's MAX_INSNS_PER_PATH (32768), refused with ENOMEM" \
	jq_true 'select(.measured_max_insns == 32768 and .refused_errno == "ENOMEM")' <(item mode.filter.stacking_limit)

# Compat ABIs, decided here independently: a 32-bit program built with
# binutils, executed or not.
if [ "$(uname -m)" = x86_64 ] && command -v as >/dev/null && command -v ld >/dev/null; then
	printf '.globl _start\n_start:\n movl $1, %%eax\n movl $42, %%ebx\n int $0x80\n' >"$tmp/i386.s"
	as --32 -o "$tmp/i386.o" "$tmp/i386.s" && ld -m elf_i386 -o "$tmp/i386" "$tmp/i386.o"
	"$tmp/i386" 2>/dev/null
	[ $? -eq 42 ] && want=executes || want="cannot execute"
	check "abi.i386: '$want', as a binutils-built i386 program shows" [ "$(field abi.i386 .value)" = "$want" ]
	printf '.globl _start\n_start:\n movl $0x4000003c, %%eax\n movl $42, %%edi\n syscall\n' >"$tmp/x32.s"
	as --x32 -o "$tmp/x32.o" "$tmp/x32.s" && ld -m elf32_x86_64 -o "$tmp/x32" "$tmp/x32.o"
	"$tmp/x32" 2>/dev/null
	[ $? -eq 42 ] && want=executes || want="cannot execute"
	check "abi.x32: '$want', as a binutils-built x32 program shows" [ "$(field abi.x32 .value)" = "$want" ]
	if [ "$(field abi.i386 .value)" = "cannot execute" ]; then
		check "abi.i386.native_filter is skipped with a reason where i386 cannot run" \
			[ "$(field abi.i386.native_filter .result)" = skip ]
	else
		check "abi.i386.native_filter: a native-only filter stops i386 syscalls" \
			[ "$(field abi.i386.native_filter .value)" = stopped ]
	fi
else
	echo "ok - compat ABIs # SKIP not an x86_64 host with binutils"
fi

check "bpf.jit agrees with /proc/sys/net/core/bpf_jit_enable" \
	[ "$(field bpf.jit .bpf_jit_enable)" = "$(cat /proc/sys/net/core/bpf_jit_enable)" ]
check "bpf.jit_harden agrees with /proc/sys/net/core/bpf_jit_harden" \
	[ "$(field bpf.jit_harden .bpf_jit_harden)" = "$(cat /proc/sys/net/core/bpf_jit_harden)" ]
pkg=$(dpkg-query -W -f='${Version}' libseccomp-dev 2>/dev/null | sed 's/-.*//')
check "libseccomp version is the installed libseccomp-dev's ($pkg)" [ "$(field libseccomp .version)" = "$pkg" ]
if [ "$major" -gt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -ge 11 ]; }; then
	check "bitmap cache present (kernel $major.$minor >= 5.11), decided by timing" [ "$(field bitmap_cache .value)" = present ]
else
	check "bitmap cache absent (kernel $major.$minor < 5.11)" [ "$(field bitmap_cache .value)" != present ]
fi

# KTAP and the table are the same lines.
bash commands/check.sh "$OUT" --ktap --no-docker >"$tmp/ktap"
n=$(wc -l <"$tmp/check.jsonl")
check "KTAP: header, plan 1..$n, one test line per item" \
	test "$(head -n1 "$tmp/ktap")" = "KTAP version 1" -a "$(sed -n 2p "$tmp/ktap")" = "1..$n" \
	-a "$(grep -cE '^(not )?ok [0-9]+ ' "$tmp/ktap")" = "$n"
check "KTAP: the i386 line says whether it executes" grep -qE "^ok [0-9]+ abi.i386 # (executes|cannot execute|syscalls only)" "$tmp/ktap"
bash commands/check.sh "$OUT" --no-docker >"$tmp/table"
check "table: one row per item and the summary line" \
	test "$(grep -cE '^[a-z]+ +[a-zA-Z0-9_.]+ +(PASS|FAIL|SKIP) ' "$tmp/table")" = "$n" -a \
	"$(grep -c 'this host enforces seccomp filters' "$tmp/table")" = 1
check "table: 80 columns at most ($(awk '{ if (length > m) m = length } END { print m }' "$tmp/table") the widest)" \
	test -z "$(awk 'length > 80' "$tmp/table")"
bash commands/check.sh "$OUT" --no-docker --wide >"$tmp/wide"
check "table --wide: one line per item, and the detail of each item that did not pass on one line" \
	test "$(grep -cE '^[a-z]+ +[a-zA-Z0-9_.]+ +(PASS|FAIL|SKIP) ' "$tmp/wide")" = "$n" -a \
	"$(grep -cE '^ {48}[^ ]' "$tmp/wide")" = "$(jq -s 'map(select(.result != "pass")) | length' "$tmp/check.jsonl")"

# A process that cannot install filters: seccomp(2) and prctl(2) denied
# around the check.  It must say so and exit 1.
"$OUT/bin/scrun" --profile "$tmp/no-seccomp.json" --caps all -- "$OUT/bin/check" >"$tmp/denied.jsonl" 2>/dev/null
rc=$?
"$OUT/bin/scrun" --profile "$tmp/no-seccomp.json" --caps all -- "$tmp/facts" >"$tmp/no-seccomp.facts"
agree "under no-seccomp.json" "$tmp/denied.jsonl" "$tmp/no-seccomp.facts"
# No item was only ever seen one way: each works somewhere and not elsewhere.
for i in $(awk '{ print $1 }' "$tmp/host.facts"); do
	seen=$(cat "$tmp"/*.facts | awk -v i="$i" '$1 == i { print $2 }' | sort -u | tr '\n' ' ')
	check "$i was measured both ways across the environments ($seen)" [ "$(wc -w <<<"$seen")" -eq 2 ]
done
check "seccomp(2) denied around the check: exit 1 (cannot enforce)" [ "$rc" -eq 1 ]
check "seccomp(2) denied around the check: enforces_filters false, Seccomp 2 reported" \
	jq_true -s 'any(.[]; .item == "enforces_filters" and .value == false) and
		any(.[]; .item == "process.seccomp_status" and .seccomp_mode == 2)' "$tmp/denied.jsonl"
tap_done
