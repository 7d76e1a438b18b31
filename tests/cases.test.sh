#!/usr/bin/env bash
# The docker-default expectations (cases/docker-default.cases) against the
# probes on this host, under Docker's default capabilities and under all
# capabilities.  TAP lines: one per (capability set, probe).
set -uo pipefail
OUT=${1:?usage: tests/cases.test.sh build/<abi>}
cd "$(dirname "$0")/.."

# cases file -> JSON Lines {probe, verdict, errno, cond, why}
cases_json() {
	awk '!/^[[:space:]]*(#|$)/ {
		why = ""; i = index($0, "#"); if (i) why = substr($0, i + 2)
		printf "{\"probe\":\"%s\",\"verdict\":\"%s\",\"errno\":\"%s\",\"cond\":\"%s\",\"why\":\"%s\"}\n",
			$1, $2, $3, $4, why
	}' "$1"
}

check_set() {
	local set=$1 caps=$2 results
	results=$(mktemp)
	./run.sh probe --profile docker-default --caps "$caps" --json >"$results" 2>/dev/null
	cases_json "cases/$set.cases" | jq -rs --slurpfile got "$results" --arg caps "$caps" --arg set "$set" '
		def kv: split(".") | map(tonumber);
		def holds($r): if . == "-" then true else split("&") | all(
			if startswith("abi=") then (.[4:] | split(",") | index([$r.abi]) != null)
			elif startswith("caps+") then (.[5:]) as $cap | ($r.caps | split(",") | index([$cap]) != null)
			elif startswith("kernel>=") then (($r.kernel | kv[0:2]) >= (.[8:] | kv))
			elif startswith("kernel<") then (($r.kernel | kv[0:2]) < (.[7:] | kv))
			else error("unknown condition \(.)") end) end;
		. as $cases
		| $got[] as $r
		| ($r.probe // $r.syscall) as $p
		| ([$cases[] | select(.probe == $p) | select(.cond as $c | $r | . as $rr | $c | holds($rr))] | first) as $e
		| "\($set) caps=\($caps) \($p)" as $name
		| if $e == null then "not ok - \($name): no expectation for this probe"
		  elif $r.verdict != $e.verdict then
			"not ok - \($name): expected \($e.verdict) \($e.errno), got \($r.verdict) \($r.errno_name // "-") by \($r.by // "-") \($r.reason // "")"
		  elif $e.errno != "-" and ($r.errno_name // "-") != $e.errno then
			"not ok - \($name): expected errno \($e.errno), got \($r.errno_name // "-") (\($r.verdict) by \($r.by))"
		  elif ($r.verdict | IN("errno", "killed", "trapped", "notified", "traced")) and $r.by != "filter" then
			"not ok - \($name): \($r.verdict) attributed to \($r.by), not the filter"
		  elif ($r.verdict == "allowed") and $r.by != "kernel" then
			"not ok - \($name): allowed but attributed to \($r.by)"
		  else "ok - \($name): \($r.verdict) \($r.errno_name // "")" + (if $e.why != "" then " (\($e.why))" else "" end)
		  end'
	rm -f "$results"
}

check_set docker-default docker-default
check_set docker-default all
