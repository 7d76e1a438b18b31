#!/usr/bin/env bash
# shellcheck disable=SC2154 # name, set, probes ... are set by an eval of jq @sh output
# The case sets against edited copies of their profiles, sets and
# observations (tests/mutations/mutations.json, one entry per edit):
#   - a semantic edit (caught_by lists probes) must make the runner exit 1
#     failing exactly those probes;
#   - a neutral edit (caught_by []) must leave every selected case passing.
# Each entry runs only its own probes (the runner's PROBE selection), so the
# whole list takes seconds.  Kinds of edit:
#   profile     a jq program over the set's profile file (--profile COPY)
#   drop_lines  an ERE: the set's lines that match are removed (--set COPY)
#   observe     a jq program over the results of a live run of the set's
#               probes (--observations COPY)
#   abi         i386: the i386 runner and probes (built here when missing)
# Then the harness itself: tests/run.sh must count a test that stops early,
# or prints a plan that does not match its lines, as a failure.
#   tests/mutations.test.sh build/<abi>
set -uo pipefail
OUT=${1:?usage: tests/mutations.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
LIST=tests/mutations/mutations.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi; }

# The profile file a set runs against (a bundled name through the loader's
# own lookup: resolve-profile --file).
set_profile() {
	local p
	p=$(awk '$1 == "profile" { print $2; exit }' "cases/$1.cases")
	case $p in */* | *.json) p=cases/$p ;; esac
	"$OUT/bin/resolve-profile" --file "$p"
}

# The runner and probes of an ABI; the host's are $OUT's.
runner_for() { # ABI PROBE... -> the runner's path, or nothing (with a reason on stderr)
	local abi=$1
	shift
	if [ "$abi" = "$(basename "$OUT")" ]; then
		echo "$OUT/bin/cases"
		return
	fi
	if [ "$abi" != i386 ] || [ "$(uname -m)" != x86_64 ]; then
		echo "$abi programs do not run on this $(uname -m) host" >&2
		return
	fi
	make -s -j2 ABI="$abi" "build/$abi/bin/cases" "build/$abi/probes.list" >"$tmp/make.log" 2>&1 || {
		echo "make ABI=$abi failed: $(tail -n1 "$tmp/make.log")" >&2
		return
	}
	local targets=() name sel
	while read -r name; do
		for sel in "$@"; do
			[ "$name" = "$sel" ] || [ "${name%%.*}" = "$sel" ] && targets+=("build/$abi/probes/$name")
		done
	done <"build/$abi/probes.list"
	make -s -j2 ABI="$abi" "${targets[@]}" >"$tmp/make.log" 2>&1 || {
		echo "make ABI=$abi probes failed: $(tail -n1 "$tmp/make.log")" >&2
		return
	}
	echo "build/$abi/bin/cases"
}

n=$(jq length "$LIST")
for ((i = 0; i < n; i++)); do
	eval "$(jq -r --argjson i "$i" '.[$i] | @sh "name=\(.name) set=\(.set) abi=\(.abi // "")",
		@sh "want=\(.caught_by | sort | join(" ")) probes=(\(.probes))",
		@sh "edit_profile=\(.profile // "") drop_lines=\(.drop_lines // "") observe=\(.observe // "")"' "$LIST")"
	label="$set${abi:+ ($abi)}: $name"
	runner=$(runner_for "${abi:-$(basename "$OUT")}" "${probes[@]}" 2>"$tmp/why")
	if [ -z "$runner" ]; then
		echo "ok - $label # SKIP $(cat "$tmp/why")"
		continue
	fi
	args=(--set "$set")
	if [ -n "$edit_profile" ]; then
		base=$(set_profile "$set")
		jq "$edit_profile" "$base" >"$tmp/edited.json"
		# A mutation that changes nothing tests nothing.
		if [ "$(jq -S . "$base")" = "$(jq -S . "$tmp/edited.json")" ]; then
			echo "not ok - $label: the edit leaves $base as it was"
			continue
		fi
		args+=(--profile "$tmp/edited.json")
	elif [ -n "$drop_lines" ]; then
		rm -rf "$tmp/cases" && cp -r cases "$tmp/cases"
		grep -vE "$drop_lines" "cases/$set.cases" >"$tmp/cases/$set.cases"
		if cmp -s "cases/$set.cases" "$tmp/cases/$set.cases"; then
			echo "not ok - $label: no line of cases/$set.cases matches"
			continue
		fi
		args=(--set "$tmp/cases/$set.cases")
	elif [ -n "$observe" ]; then
		"$runner" --set "$set" --results "$tmp/live.jsonl" "${probes[@]}" >"$tmp/live.ktap" 2>&1
		jq -c "$observe" "$tmp/live.jsonl" >"$tmp/observed.jsonl"
		if cmp -s "$tmp/live.jsonl" "$tmp/observed.jsonl"; then
			echo "not ok - $label: the edit changes no observation"
			continue
		fi
		args+=(--observations "$tmp/observed.jsonl")
	else
		echo "not ok - $label: the entry has no profile, drop_lines or observe edit"
		continue
	fi
	"$runner" "${args[@]}" --results "$tmp/results.jsonl" "${probes[@]}" >"$tmp/run.ktap" 2>&1
	rc=$?
	failed=$(jq -r 'select(.result == "fail") | .probe' "$tmp/results.jsonl" 2>/dev/null | sort | tr '\n' ' ')
	failed=${failed% }
	results=$(jq -r .result "$tmp/results.jsonl" 2>/dev/null | sort | uniq -c | tr -s ' \n' ' ')
	if [ -n "$want" ]; then
		check "$label: caught (exit $rc), failing exactly $want (got: ${failed:-none})" \
			[ "$rc" -eq 1 -a "$failed" = "$want" ]
	else
		check "$label: not flagged (exit $rc; results:${results:- none})" \
			[ "$rc" -eq 0 -a -z "$failed" -a "$(jq -r .result "$tmp/results.jsonl" | sort -u)" = pass ]
	fi
	[ "$rc" -eq 2 ] && sed 's/^/# /' "$tmp/run.ktap" | tail -n 3
done

# The harness: a shell test that exits 0 before its end, and one whose plan
# does not match its lines, fail tests/run.sh; a complete one passes.
mkdir -p "$tmp/suite/tests" "$tmp/suite/out/tests"
cp tests/run.sh tests/tap.sh "$tmp/suite/tests/"
printf '%s\n' '#!/usr/bin/env bash' 'cd "$(dirname "$0")/.." && . tests/tap.sh' \
	'echo "ok - one"' 'echo "ok - two"' 'tap_done' >"$tmp/suite/tests/a-complete.test.sh"
bash "$tmp/suite/tests/run.sh" "$tmp/suite/out" >"$tmp/suite.log" 2>&1
check "run.sh: a complete test with its plan passes ($(tail -n1 "$tmp/suite.log"))" \
	[ "$(tail -n1 "$tmp/suite.log")" = "2 passed, 0 failed, 0 skipped" ]
printf '%s\n' '#!/usr/bin/env bash' 'cd "$(dirname "$0")/.." && . tests/tap.sh' \
	'echo "ok - one"' 'exit 0' 'echo "ok - two"' 'tap_done' >"$tmp/suite/tests/b-early.test.sh"
bash "$tmp/suite/tests/run.sh" "$tmp/suite/out" >"$tmp/suite.log" 2>&1
rc=$?
check "run.sh: a test that exits 0 early fails the run (exit $rc: $(tail -n1 "$tmp/suite.log"))" \
	[ "$rc" -ne 0 -a "$(tail -n1 "$tmp/suite.log")" = "3 passed, 1 failed, 0 skipped" ]
check "run.sh: ... and says why" grep -q '^not ok - b-early.test.sh: no TAP plan' "$tmp/suite.log"
rm "$tmp/suite/tests/b-early.test.sh"
printf '%s\n' '#!/usr/bin/env bash' 'echo "1..3"' 'echo "ok - one"' 'echo "ok - two"' >"$tmp/suite/tests/c-short.test.sh"
bash "$tmp/suite/tests/run.sh" "$tmp/suite/out" >"$tmp/suite.log" 2>&1
rc=$?
check "run.sh: a plan of 3 with 2 lines fails the run (exit $rc)" [ "$rc" -ne 0 ]
check "run.sh: ... and says why" grep -q '^not ok - c-short.test.sh: TAP plan 1..3, but 2 ok/not ok lines' "$tmp/suite.log"
tap_done
