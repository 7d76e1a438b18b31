#!/usr/bin/env bash
# ./run.sh docs (commands/docs.sh): Docker's documented blocklist against the
# probes and the profile's rules.  The classes asserted here follow from the
# profiles' text (moby 20.10.24's default.json, rule indices read by hand)
# and the kernel's ABI, not from what a run printed: clone is allowed only
# without namespace flags (syscalls[14]), personality only for five
# arguments (syscalls[2..6]), ptrace from kernel 4.8 (syscalls[1]) or with
# CAP_SYS_PTRACE (syscalls[22]); mount only with CAP_SYS_ADMIN
# (syscalls[13]); x86_64 has no vm86.  TAP, plan first.
set -uo pipefail
OUT=${1:?usage: tests/docs.test.sh build/<abi>}
cd "$(dirname "$0")/.." || exit 1
DOCS="commands/docs.sh"
DATA=docs/docker-blocklist.tsv
DOCKER=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

results=()
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then results+=("ok - $name"); else results+=("not ok - $name"); fi
}
skip() { results+=("ok - $1 # SKIP $2"); }
finish() {
	echo "1..${#results[@]}"
	printf '%s\n' "${results[@]}"
	exit 0
}
# row SYSCALL 'JQ CONDITION' [FILE]: that row of the --json output holds.
# shellcheck disable=SC2317  # called through check
row() { [ "$(jq --arg s "$1" "select(.syscall == \$s) | $2" "${3:-$tmp/rows.jsonl}")" = true ]; }

# The data: the documentation's 50 rows, each a known syscall with its
# reason, under a header naming the source.
documented=$(grep -v '^#' "$DATA" | grep -c .)
check "the blocklist has the documentation's 50 rows" [ "$documented" -eq 50 ]
check "every row is SYSCALL<TAB>REASON with a reason" \
	bash -c "grep -v '^#' $DATA | awk -F'\t' 'NF != 2 || \$2 == \"\" { bad = 1 } END { exit bad }'"
check "no syscall is listed twice" bash -c "[ -z \"\$(grep -v '^#' $DATA | cut -f1 | sort | uniq -d)\" ]"
check "the header names the source document" grep -q '^# source: Docker documentation' "$DATA"
check "every documented name is a syscall libseccomp knows" bash -c "
	grep -v '^#' $DATA | cut -f1 | while read -r s; do
		$OUT/bin/scexplain --json docker-default \"\$s\" >/dev/null || exit 1
	done"

if [ ! -r "$DOCKER" ] || [ "$(uname -m)" != x86_64 ]; then
	skip "docs rows" "needs $DOCKER and an x86_64 host (the rules cited are x86_64's)"
	finish
fi

# The full run under docker-default.
rc=0
bash "$DOCS" "$OUT" --json >"$tmp/rows.jsonl" 2>"$tmp/err" || rc=$?
check "docker-default: every row explained (exit 0)" [ "$rc" -eq 0 ]
check "--json: one JSON object per line" jq -e -s 'length > 0 and all(type == "object")' "$tmp/rows.jsonl"
check "every documented syscall has exactly one row" \
	bash -c "diff <(grep -v '^#' $DATA | cut -f1 | sort) <(jq -r .syscall $tmp/rows.jsonl | sort)"
check "each row carries the documentation's reason verbatim" \
	bash -c "diff <(grep -v '^#' $DATA | sort) <(jq -r '[.syscall, .documented_reason] | @tsv' $tmp/rows.jsonl | sort)"
check "each row has a verdict, a class and a why" \
	jq -e -s 'all(.verdict != null and .class != null and .why != null and (.explained | type) == "boolean")' "$tmp/rows.jsonl"

check "mount: denied as documented, by the default action" \
	row mount '.class == "denied" and .verdict == "errno" and .rule == "default" and .explained'
check "mount: the profile would allow it with CAP_SYS_ADMIN (syscalls[13])" \
	row mount '.condition == "with CAP_SYS_ADMIN" and .condition_rules == ["syscalls[13]"]'
check "clone: conditionally allowed, by syscalls[14], an argument condition" \
	row clone '.class == "conditional" and .rule == "syscalls[14]" and (.condition | test("arg0 has no namespace flag \\(arg0 & 0x7e020000 == 0\\)"))'
check "clone: both sides shown (clone allowed; clone.newns, clone.newuser denied)" \
	row clone '(.sides.allowed | index("clone")) != null and (.sides.denied | index("clone.newns")) != null and (.sides.denied | index("clone.newuser")) != null'
check "clone: with CAP_SYS_ADMIN clone.newns is allowed (the capability side)" \
	row clone '(.sides.allowed | index("clone.newns +CAP_SYS_ADMIN")) != null'
check "personality: conditional on arg0 0x0/0x8/0x20000/0x20008/0xffffffff" \
	row personality '.class == "conditional" and .condition == "when arg0 is 0x0/0x8/0x20000/0x20008/0xffffffff"'
check "personality: personality.bsd denied, personality.linux32 allowed" \
	row personality '(.sides.denied == ["personality.bsd"]) and (.sides.allowed | index("personality.linux32")) != null'
check "personality: the probe's own argument (0xffffffff) decides syscalls[6]" \
	row personality '.rule == "syscalls[6]"'
check "ptrace: conditionally allowed from kernel 4.8 or with CAP_SYS_PTRACE" \
	row ptrace '.class == "conditional" and .condition == "from kernel 4.8; or with CAP_SYS_PTRACE" and .rule == "syscalls[1]"'
check "ptrace: the denied side (a kernel before 4.8) is listed as missing" \
	row ptrace '(.sides.denied | length) == 0 and (.sides.missing | any(test("kernel before 4.8")))'
check "vm86: absent on x86_64" row vm86 '.class == "absent" and .verdict == "absent"'
check "vm86old, umount, stime: absent on x86_64" \
	jq -e -s '[.[] | select(.syscall == "vm86old" or .syscall == "umount" or .syscall == "stime") | .class] == ["absent", "absent", "absent"]' "$tmp/rows.jsonl"
check "clock_adjtime: allowed with no condition, as Docker's profiles allow it" \
	row clock_adjtime '.class == "allowed" and .rule == "syscalls[0]" and (.why | test("CAP_SYS_TIME"))'
check "process_vm_readv: differs between 20.10.24 (denied) and v0.2.3 (from 4.8)" \
	row process_vm_readv '.class == "versions" and .verdict == "errno" and (.versions | map(.profile) == ["20.10.24", "v0.2.3"])'
check "no row is a finding under docker-default" jq -e -s 'all(.explained)' "$tmp/rows.jsonl"

# The human forms fit 80 columns; the summary is 3 to 5 lines.
bash "$DOCS" "$OUT" >"$tmp/table" 2>&1
check "table: every line fits 80 columns" awk 'length > 80 { exit 1 }' "$tmp/table"
check "table: one line per documented syscall" \
	bash -c "[ \$(grep -cE '^[a-z_0-9]+ +(errno|allowed|absent|killed|trapped|error)' $tmp/table) -eq 50 ]"
bash "$DOCS" "$OUT" --summary >"$tmp/summary" 2>&1
lines=$(wc -l <"$tmp/summary")
check "summary: 3 to 5 lines, within 80 columns" \
	bash -c "[ $lines -ge 3 ] && [ $lines -le 5 ] && awk 'length > 80 { exit 1 }' $tmp/summary"
check "summary: says every row is explained" grep -q 'every row explained' "$tmp/summary"

# Smaller blocklists for the remaining checks (SECCOMP_SUITE_BLOCKLIST).
grep -E '^(#|mount|clone|ptrace)	' "$DATA" >"$tmp/few.tsv"

# A profile edited to allow mount: a finding, exit 1, mount named.
jq '.syscalls += [{"names": ["mount"], "action": "SCMP_ACT_ALLOW"}]' "$DOCKER" >"$tmp/edited.json"
rc=0
SECCOMP_SUITE_BLOCKLIST=$tmp/few.tsv bash "$DOCS" "$OUT" --profile "$tmp/edited.json" >"$tmp/edited.out" 2>&1 || rc=$?
check "edited profile allowing mount: exit 1" [ "$rc" -eq 1 ]
check "edited profile allowing mount: the output names mount as not explained" \
	grep -q 'NOT EXPLAINED: mount' "$tmp/edited.out"
SECCOMP_SUITE_BLOCKLIST=$tmp/few.tsv bash "$DOCS" "$OUT" --profile "$tmp/edited.json" --json >"$tmp/edited.jsonl" 2>/dev/null
check "edited profile: mount is a finding, allowed by the added rule syscalls[28]" \
	row mount '.class == "finding" and (.explained | not) and .verdict == "allowed" and .rule == "syscalls[28]"' "$tmp/edited.jsonl"
check "edited profile: clone and ptrace are still explained" \
	jq -e -s 'map(select(.syscall != "mount")) | all(.explained)' "$tmp/edited.jsonl"

# With CAP_SYS_ADMIN, Docker's profile allows mount: conditional, by caps.
SECCOMP_SUITE_BLOCKLIST=$tmp/few.tsv bash "$DOCS" "$OUT" --caps docker-default,CAP_SYS_ADMIN --json >"$tmp/admin.jsonl" 2>/dev/null
check "--caps +CAP_SYS_ADMIN: mount conditionally allowed by syscalls[13]" \
	row mount '.class == "conditional" and .verdict == "allowed" and .rule == "syscalls[13]"' "$tmp/admin.jsonl"
check "--caps +CAP_SYS_ADMIN: the other side (mount -CAP_SYS_ADMIN) is denied" \
	row mount '.sides.denied == ["mount -CAP_SYS_ADMIN"]' "$tmp/admin.jsonl"

# A documented syscall with no probe is said so, and is a finding.
printf '# source: test\nafs_syscall\tno probe exists for it\n' >"$tmp/noprobe.tsv"
rc=0
SECCOMP_SUITE_BLOCKLIST=$tmp/noprobe.tsv bash "$DOCS" "$OUT" --json >"$tmp/noprobe.jsonl" 2>/dev/null || rc=$?
check "a syscall without a probe: class no-probe, exit 1" \
	bash -c "[ $rc -eq 1 ] && jq -e 'select(.syscall == \"afs_syscall\") | .class == \"no-probe\" and .verdict == null' $tmp/noprobe.jsonl"

# Fail closed: a profile that cannot be read runs nothing.
printf '{"defaultAction": "SCMP_ACT_ERRNO",' >"$tmp/broken.json"
rc=0
bash "$DOCS" "$OUT" --profile "$tmp/broken.json" >"$tmp/broken.out" 2>"$tmp/broken.err" || rc=$?
check "a malformed profile: exit 2, FILE: reason on stderr, no rows" \
	bash -c "[ $rc -eq 2 ] && grep -q '$tmp/broken.json' $tmp/broken.err && [ ! -s $tmp/broken.out ]"
rc=0
bash "$DOCS" "$OUT" --bogus >/dev/null 2>&1 || rc=$?
check "an unknown option: exit 64" [ "$rc" -eq 64 ]

finish
