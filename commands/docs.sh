#!/usr/bin/env bash
# ./run.sh docs: Docker's documented blocklist (docs/docker-blocklist.tsv),
# row by row, against what a profile really does on this host and ABI.
#   commands/docs.sh build/<abi> [--profile NAME|FILE] [--caps SET] [--json|--summary]
# For each documented syscall: the probes' verdicts (probe-run, or the probe
# programs), the rule that decided each (scexplain), the conditions under
# which the profile allows the call (its rules: args, includes.caps,
# excludes.caps, minKernel), the verdicts of Docker's two profile versions
# (the profiles of the case sets docker-default and moby-v0.2.3), and a
# class (commands/docs.jq).  Exit status: 0 every row is explained by a class;
# 1 some row is not (a finding); 2 a profile could not be read; 64 usage.
# SECCOMP_SUITE_BLOCKLIST=FILE reads another table of the same format (the
# tests use a few rows).
set -uo pipefail

OUT=${1:?usage: commands/docs.sh build/<abi> [OPTIONS]}
shift
OUT=$(cd "$OUT" && pwd)
HERE=$(cd "$(dirname "$0")/.." && pwd)
BLOCKLIST=${SECCOMP_SUITE_BLOCKLIST:-$HERE/docs/docker-blocklist.tsv}
# The Docker profile versions a row is compared against: the profiles of
# these case sets (cases/SET.cases, "profile" line).
REFERENCE_SETS="docker-default moby-v0.2.3"
export SECCOMP_SUITE_PROFILES=${SECCOMP_SUITE_PROFILES:-$HERE/profiles}

usage() {
	cat <<'EOF'
usage: ./run.sh docs [--profile NAME|FILE] [--caps SET] [--json | --summary]
Docker's documentation lists the syscalls its default profile blocks, each
with a reason (docs/docker-blocklist.tsv).  For each of them: the verdict
the probes observe under the profile on this host and ABI, the rule that
decided it, and a class:
  denied       denied by the filter, as documented
  conditional  allowed only under a condition of the profile's rules (an
               argument value, a capability, a minimum kernel); the probes
               that show each side of it are named
  allowed      allowed with no condition, as Docker's own profiles allow it
  versions     Docker's profile versions (moby 20.10.24, v0.2.3) differ here
  absent       no such syscall on this ABI
  no-probe     the suite has no probe for it (a finding)
  finding      not explained: allowed where neither Docker profile allows
               it, or the probe and the profile's rule disagree
  --profile FILE|NAME  default docker-default (Debian's moby 20.10.24)
  --caps SET           the container's capability set (default docker-default)
  --json               one JSON object per row
  --summary            a few lines (the end of the main job)
Exit status: 0 every row is explained; 1 a finding; 2 a profile could not
be read or loaded; 64 usage.
EOF
}

profile=docker-default caps=docker-default format=table
while [ $# -gt 0 ]; do
	case "$1" in
	--profile) profile=${2:?--profile needs a file or name}; shift 2 ;;
	--caps) caps=${2:?--caps needs a set}; shift 2 ;;
	--json) format=json; shift ;;
	--summary) format=summary; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "run.sh docs: unknown option '$1'" >&2; usage >&2; exit 64 ;;
	esac
done

[ -r "$BLOCKLIST" ] || { echo "run.sh docs: $BLOCKLIST: cannot read" >&2; exit 2; }
EXPLAIN="$OUT/bin/scexplain"
RESOLVE="$OUT/bin/resolve-profile"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

caps_list=$("$RESOLVE" --caps-list "$caps" 2>"$tmp/err") || {
	sed 's/^/run.sh docs: /' "$tmp/err" >&2
	exit 64
}

# The profile must load before anything runs; scexplain also gives the
# context (daemon arch, kernel, capability set).
context() {
	local rc=0
	"$EXPLAIN" --json --caps "$caps" "$1" getpid >"$tmp/ctx.json" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
		cat "$tmp/err" >&2
		echo "run.sh docs: profile '$1' refused: nothing ran" >&2
		exit 2
	fi
}

# The profile as written (Docker or OCI JSON), or null (unconfined).
profile_doc() {
	local file
	file=$("$RESOLVE" --file "$1" 2>/dev/null) || file=""
	if [ -n "$file" ] && [ -f "$file" ]; then
		jq -c . "$file" 2>/dev/null || echo null
	else
		echo null
	fi
}

# A reference's label: the Debian package version of the file it is, or
# the set's name.
reference_label() {
	local set=$1 file=$2 pkg version
	pkg=$(dpkg -S "$file" 2>/dev/null | head -n1 | cut -d: -f1) || pkg=""
	if [ -n "$pkg" ] && version=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) && [ -n "$version" ]; then
		version=${version#*:}
		echo "${version%%[+~-]*}"
	else
		echo "${set#moby-}"
	fi
}

context "$profile"
cp "$tmp/ctx.json" "$tmp/ctx-P.json"

refs='[]' docs=$(jq -n --argjson d "$(profile_doc "$profile")" '{P: $d}')
n=0 SAME_AS=""
declare -A REF_PROFILE
for set in $REFERENCE_SETS; do
	n=$((n + 1))
	p=$(awk '$1 == "profile" { print $2; exit }' "$HERE/cases/$set.cases")
	case "$p" in
	/*) ;;
	*/*|*.json) p="$HERE/cases/$p" ;;
	esac
	context "$p"
	REF_PROFILE[R$n]=$p
	# The profile is this reference (the same file): explained once.
	[ "$("$RESOLVE" --file "$p")" != "$("$RESOLVE" --file "$profile")" ] || SAME_AS=R$n
	label=$(reference_label "$set" "$("$RESOLVE" --file "$p")")
	refs=$(jq -c --arg k "R$n" --arg l "$label" --arg s "$set" --arg p "$p" '. + [{key: $k, label: $l, set: $s, profile: $p}]' <<<"$refs")
	docs=$(jq -c --arg k "R$n" --argjson d "$(profile_doc "$p")" '. + {($k): $d}' <<<"$docs")
done
echo "$docs" >"$tmp/docs.json"

meta=$(jq -c --arg profile "$profile" --arg caps "$caps" --arg abi "$(uname -m)" \
	--arg caps_list "$caps_list" --argjson refs "$refs" --arg source "$BLOCKLIST" '
	{profile: $profile, caps: $caps, abi: $abi, kernel: .kernel, daemon_arch: .daemon_arch,
	 caps_list: ($caps_list | split("\n") | map(select(. != ""))), refs: $refs}' "$tmp/ctx-P.json")

# The documented rows, and the probes of each syscall: the program named
# after it and its variants (SYSCALL.VARIANT).
jq -Rn '[inputs | select(startswith("#") | not) | select(. != "") | split("\t")
	 | {syscall: .[0], reason: (.[1:] | join("\t"))}]' "$BLOCKLIST" >"$tmp/blocklist.json"
jq -r '.[].syscall' "$tmp/blocklist.json" | while read -r s; do
	awk -v n="$s" '$0 == n || index($0, n ".") == 1 { print n "\t" $0 }' "$OUT/probes.list"
done >"$tmp/probes.tsv"
jq -Rn '[inputs | split("\t") | {syscall: .[0], probe: .[1]}]' "$tmp/probes.tsv" >"$tmp/probes.json"
cut -f2 "$tmp/probes.tsv" >"$tmp/names"

# probe_one NAME CAPS: one probe program's line under the profile, or an
# error line when it printed none; exit 255 (xargs stops) when the profile
# was refused.
probe_one() {
	local out rc=0
	out=$("$OUT/probes/$1" --profile "$profile" --caps "$2" 2>"$tmp/err.$1") || rc=$?
	[ "$rc" -ne 2 ] || { cat "$tmp/err.$1" >&2; exit 255; }
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
	else
		jq -cn --arg p "$1" --arg why "$(head -c 300 "$tmp/err.$1")" \
			'{syscall: ($p | split(".")[0]), probe: $p, verdict: "error", reason: "the probe printed no result: \($why)"}'
	fi
}
export -f probe_one
export OUT profile tmp

# run_probes CAPS NAME...: the results lines of the probes under the profile.
run_probes() {
	local c=$1
	shift
	[ $# -gt 0 ] || return 0
	if [ -x "$OUT/bin/probe-run" ]; then
		"$OUT/bin/probe-run" --profile "$profile" --caps "$c" "$@"
		local rc=$?
		[ "$rc" -le 1 ] || exit 2
	else
		printf '%s\n' "$@" | xargs -P "$(nproc)" -I{} bash -c 'probe_one "$@"' _ {} "$c" || exit 2
	fi
}
# shellcheck disable=SC2046
run_probes "$caps" $(cat "$tmp/names") | jq -cs 'unique_by(.probe // .syscall) | .[]' >"$tmp/obs.jsonl" || {
	echo "run.sh docs: profile '$profile' refused by the probes" >&2
	exit 2
}

# The arguments each probe passes, as the kernel sees them (probe-run --args:
# each call is caught by a USER_NOTIF filter and answered without running).
# shellcheck disable=SC2046
"$OUT/bin/probe-run" --args -- $(cat "$tmp/names") |
	jq -c 'select(.args != null) | {probe, args}' >"$tmp/args.jsonl" || {
	echo "run.sh docs: probe-run --args failed" >&2
	exit 2
}

# scexplain: the deciding rule of each probe's call under the profile and
# under each reference.  Four NUL-separated fields a call: key, profile,
# probe, the call (syscall and arguments).
explain_one() {
	local e
	# shellcheck disable=SC2086
	e=$("$EXPLAIN" --json --caps "$caps" "$2" $4 2>/dev/null) && [ -n "$e" ] &&
		printf '{"key":"%s","probe":"%s","explain":%s}\n' "$1" "$3" "$e"
	return 0
}
export -f explain_one
export EXPLAIN caps
{
	while IFS=$'\t' read -r sys name; do
		a=$(jq -r --arg p "$name" 'select(.probe == $p) | .args | join(" ")' "$tmp/args.jsonl")
		[ -n "$SAME_AS" ] || printf '%s\0%s\0%s\0%s\0' P "$profile" "$name" "$sys $a"
		for k in "${!REF_PROFILE[@]}"; do
			printf '%s\0%s\0%s\0%s\0' "$k" "${REF_PROFILE[$k]}" "$name" "$sys $a"
		done
	done <"$tmp/probes.tsv"
} | xargs -0 -n 4 -P "$(nproc)" bash -c 'explain_one "$@"' _ |
	jq -c --arg same "$SAME_AS" '.explain + {key, probe} | if .key == $same then ., . + {key: "P"} else . end' >"$tmp/expl.jsonl"

# Each probe of a syscall the profile allows under a capability condition,
# rerun with that capability toggled: the other side of the condition.
in_json() {
	jq -n --argjson meta "$meta" --slurpfile docs "$tmp/docs.json" --slurpfile blocklist "$tmp/blocklist.json" \
		--slurpfile probes "$tmp/probes.json" --slurpfile obs "$1" --slurpfile expl "$tmp/expl.jsonl" \
		--slurpfile args "$tmp/args.jsonl" --argjson ns "$ns" \
		'{meta: $meta, docs: $docs[0], blocklist: $blocklist[0], probes: $probes[0], obs: $obs,
		  expl: $expl, args: $args, ns: $ns}'
}
# The namespace flags of clone and unshare, as <linux/sched.h> defines them.
ns=$(grep -E '^#define[[:space:]]+CLONE_NEW[A-Z]+[[:space:]]+0x[0-9a-fA-F]+' /usr/include/linux/sched.h 2>/dev/null |
	while read -r _ name value _; do printf '%s\t%d\n' "$name" "$((value))"; done |
	jq -Rn '[inputs | split("\t") | {key: .[0], value: (.[1] | tonumber)}] | from_entries')
[ -n "$ns" ] || ns='{}'
in_json "$tmp/obs.jsonl" >"$tmp/in.json"
jq -r -L "$HERE/commands" 'include "docs"; . as $in
	| $in.meta as $meta
	| $in.blocklist[].syscall as $s
	| select(any($in.obs[]; .syscall == $s and .verdict == "allowed"))
	| allow_condition(rules_of($in.docs.P); $s; $meta.daemon_arch; $in.ns).caps[] as $c
	| $in.probes[] | select(.syscall == $s)
	| if ($meta.caps_list | member($c)) then [.probe, "\($meta.caps),-\($c)", "-\($c)"]
	  else [.probe, "\($meta.caps),\($c)", "+\($c)"] end
	| @tsv' "$tmp/in.json" >"$tmp/reruns.tsv"
cp "$tmp/obs.jsonl" "$tmp/all.jsonl"
while IFS=$'\t' read -r name spec label; do
	# probe-run selects a syscall's variants by its name: keep the one.
	run_probes "$spec" "$name" | jq -c --arg n "$name" --arg s "$spec" --arg l "$label" \
		'select((.probe // .syscall) == $n) | . + {rerun: {caps: $s, label: $l}}' || exit 2
done <"$tmp/reruns.tsv" >>"$tmp/all.jsonl" || {
	echo "run.sh docs: profile '$profile' refused by the probes" >&2
	exit 2
}
in_json "$tmp/all.jsonl" >"$tmp/in.json"

jq -c -L "$HERE/commands" 'include "docs"; build_rows(.)' "$tmp/in.json" >"$tmp/rows.jsonl" || {
	echo "run.sh docs: could not build the rows" >&2
	exit 2
}
[ "$(wc -l <"$tmp/rows.jsonl")" -eq "$(jq length "$tmp/blocklist.json")" ] || {
	echo "run.sh docs: some documented row was lost" >&2
	exit 2
}

source_line=$(sed -n 's/^# source: //p' "$BLOCKLIST" | head -n1)
print_rows() {
case "$format" in
json)
	cat "$tmp/rows.jsonl"
	;;
summary)
	jq -rs -L "$HERE/commands" 'include "docs";
		def few: if length > 6 then "\(.[:6] | join(" ")) ... (\(length))" else join(" ") end;
		def of($c): map(select(.class == $c) | .syscall);
		def part($what; $c): of($c) | if length > 0 then ["\($what): \(few)"] else [] end;
		.[0] as $f
		| ("Docker'"'"'s documented blocklist (\(length) calls) vs \($f.profile)"
		   + (if $f.caps != "docker-default" then ", caps \($f.caps)" else "" end)
		   + ", \($f.abi), Linux \($f.kernel):" | wrap(80; "  ")),
		  ("  \(of("denied") | length) denied as documented" + (part("; absent on \($f.abi)"; "absent") | join("")) | wrap(80; "    ")),
		  ((part("conditional"; "conditional") + part("allowed (as Docker does)"; "allowed")) as $p
		   | if ($p | length) > 0 then "  " + ($p | join("; ")) | wrap(80; "    ") else empty end),
		  (part("  differ between Docker'"'"'s versions"; "versions")[] | wrap(80; "    ")),
		  (map(select(.explained | not) | .syscall) as $u
		   | if ($u | length) == 0 then "  every row explained (row by row: ./run.sh docs)"
		     else "  NOT EXPLAINED: \($u | few) (./run.sh docs)" | wrap(80; "    ") end)' "$tmp/rows.jsonl"
	;;
table)
	jq -rs -L "$HERE/commands" --arg src "$source_line" 'include "docs"; .[0]
		| ("Docker'"'"'s documented blocklist: \($src)" | wrap(80; "  ")),
		  ("against \(.profile), caps \(.caps), \(.abi), Linux \(.kernel)" | wrap(80; "  "))' "$tmp/rows.jsonl"
	echo
	jq -r -L "$HERE/commands" 'include "docs";
		[.syscall, (if .verdict == null then "no probe" elif .verdict == "allowed" then "allowed" else . | seen end),
		 (if .verdict == "absent" then "-" else .rule // "-" end),
		 (if .explained then .class else .class | ascii_upcase end),
		 (.documented_reason | short(25))] | @tsv' "$tmp/rows.jsonl" |
		awk -F'\t' 'BEGIN { printf "%-17s %-11s %-12s %-11s %s\n", "SYSCALL", "OBSERVED", "RULE", "CLASS", "DOCUMENTED REASON" }
			{ printf "%-17s %-11s %-12s %-11s %s\n", $1, $2, $3, $4, $5 }'
	echo
	jq -r -L "$HERE/commands" 'include "docs";
		select(.class != "denied" and .class != "absent")
		| ("\(.syscall) [\(if .explained then .class else "NOT EXPLAINED" end)]: \(.why)" | wrap(80; "    ")),
		  (if .sides then
		     ("    allowed: \(.sides.allowed | join(", "))" | wrap(80; "      ")),
		     ("    denied:  \(if (.sides.denied | length) > 0 then .sides.denied | join(", ") else "-" end)" | wrap(80; "      ")),
		     (.sides.missing[] | "    missing: \(.)" | wrap(80; "      "))
		   else empty end)' "$tmp/rows.jsonl"
	echo
	jq -rs -L "$HERE/commands" 'include "docs"; "\(length) rows: " + (group_by(.class) | map("\(length) \(.[0].class)") | join(", "))
		+ (map(select(.explained | not)) | if length > 0 then "; NOT EXPLAINED: \(map(.syscall) | join(", "))" else "; every row explained" end)
		| wrap(80; "  ")' "$tmp/rows.jsonl"
	echo "per row, with every probe, rule and condition: ./run.sh docs --json"
	;;
esac
}
(set -e; print_rows) || { echo "run.sh docs: could not print the rows" >&2; exit 2; }
jq -es 'all(.explained)' "$tmp/rows.jsonl" >/dev/null
