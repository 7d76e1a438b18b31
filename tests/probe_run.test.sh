#!/usr/bin/env bash
# probe-run (every probe in one program, the profile compiled once) against
# the single probe programs, and its interface: selection, --list, --out,
# refusals and exit statuses; the cases runner's --results file.
# TAP lines, a plan at the end.
#   tests/probe_run.test.sh build/<abi>
set -uo pipefail
OUT=${1:?usage: tests/probe_run.test.sh build/<abi>}
cd "$(dirname "$0")/.."
RUN=$OUT/bin/probe-run
RUNNER=$OUT/bin/cases
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { # check NAME COMMAND...
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
jq_true() { jq -e "$@" >/dev/null; }
# The fields a verdict is compared on, one line per probe, by name.
verdicts() { jq -r '[(.probe // .syscall), .verdict, (.errno_name // "-"), (.by // "-")] | @tsv' "$@" | sort; }

if [ ! -x "$RUN" ]; then
	not_ok "$RUN is not built (make)"
	echo "1..$n"
	exit 1
fi
mapfile -t probes <"$OUT/probes.list"

# 1. The same verdicts as the single probe programs, probe by probe, under
# docker-default and unconfined (both with Docker's default capabilities),
# and the same plain (no profile) lines but getpid's pid.
for profile in docker-default unconfined; do
	"$RUN" --profile "$profile" >"$tmp/run-$profile.jsonl" 2>"$tmp/run-$profile.err"
	rc=$?
	check "probe-run --profile $profile: exit 0 (got $rc: $(head -c 300 "$tmp/run-$profile.err"))" test "$rc" -eq 0
	printf '%s\n' "${probes[@]}" | xargs -P 2 -I{} sh -c '"$1/probes/$2" --profile "$3" >"$4/single-$3-$2.json" 2>/dev/null' \
		_ "$OUT" {} "$profile" "$tmp"
	for name in "${probes[@]}"; do cat "$tmp/single-$profile-$name.json"; done >"$tmp/single-$profile.jsonl"
	verdicts "$tmp/single-$profile.jsonl" >"$tmp/single-$profile.tsv"
	verdicts "$tmp/run-$profile.jsonl" >"$tmp/run-$profile.tsv"
	check "probe-run --profile $profile: one line per probe ($(wc -l <"$tmp/run-$profile.jsonl") lines, ${#probes[@]} probes)" \
		test "$(wc -l <"$tmp/run-$profile.jsonl")" -eq "${#probes[@]}"
	differ=$(diff "$tmp/single-$profile.tsv" "$tmp/run-$profile.tsv" | grep '^[<>]' | tr '\t\n' ' ')
	check "probe-run --profile $profile: verdict, errno_name and by equal the probe programs' for every probe${differ:+ (differ: $differ)}" \
		test -z "$differ" -a -s "$tmp/run-$profile.tsv"
done
# The non-error verdicts this host gives are the profile's: docker-default
# denies with errno by the filter, unconfined has no filter.
check "probe-run --profile docker-default: mount is errno EPERM by filter" \
	grep -qx $'mount\terrno\tEPERM\tfilter' "$tmp/run-docker-default.tsv"
check "probe-run --profile unconfined: nothing is decided by a filter" \
	test "$(cut -f4 "$tmp/run-unconfined.tsv" | grep -c filter)" -eq 0

"$RUN" >"$tmp/plain.jsonl" 2>"$tmp/plain.err"
rc=$?
for name in "${probes[@]}"; do "$OUT/probes/$name" 2>/dev/null; done >"$tmp/plain-single.jsonl"
norm='del(if .syscall == "getpid" then .ret else empty end) | tojson'
check "probe-run with no profile: the probe programs' plain lines (exit $rc)" \
	diff <(jq -r "$norm" "$tmp/plain-single.jsonl" | sort) <(jq -r "$norm" "$tmp/plain.jsonl" | sort)

# 2. Results lines: sorted by probe name, each carrying the results context.
check "probe-run: lines sorted by probe name" \
	diff <(jq -r '.probe // .syscall' "$tmp/run-docker-default.jsonl") <(jq -r '.probe // .syscall' "$tmp/run-docker-default.jsonl" | LC_ALL=C sort)
check "probe-run: every line has arch, kernel, profile, backend native, caps, expected null, result, reason" \
	jq_true --arg arch "$(uname -m)" --arg kernel "$(uname -r)" -n '[inputs | .arch == $arch and .kernel == $kernel
		and .profile == "docker-default" and .backend == "native" and (.caps | type) == "string"
		and has("expected") and .expected == null and (.result == "skip" or (.result == "fail" and .verdict == "error"))
		and (.reason | type) == "string"] | all and length > 0' "$tmp/run-docker-default.jsonl"
"$RUN" --profile docker-default --jobs 1 >"$tmp/jobs1.jsonl" 2>/dev/null
check "probe-run --jobs 1: the same verdicts as the default pool" \
	diff <(verdicts "$tmp/jobs1.jsonl") "$tmp/run-docker-default.tsv"

# 3. Selection: a syscall name selects its variants; a probe name itself.
want=$(grep -E '^clone(\.|$)' "$OUT/probes.list" | tr '\n' ' ')
got=$("$RUN" --profile docker-default clone | jq -r '.probe // .syscall' | tr '\n' ' ')
check "probe-run clone: clone and its variants ($want; got $got)" test "$got" = "$want" -a "$(wc -w <<<"$want")" -gt 1
got=$("$RUN" --profile docker-default clone.newns mount clone.newns | jq -r '.probe // .syscall' | tr '\n' ' ')
check "probe-run clone.newns mount clone.newns: two lines in name order (got $got)" test "$got" = "clone.newns mount "
"$RUN" --profile docker-default nosuchprobe >"$tmp/unknown.out" 2>"$tmp/unknown.err"
rc=$?
check "probe-run nosuchprobe: exit 64, nothing printed (got $rc)" test "$rc" -eq 64 -a ! -s "$tmp/unknown.out"
"$RUN" --jobs 0 >/dev/null 2>&1
rc=$?
check "probe-run --jobs 0: exit 64 (got $rc)" test "$rc" -eq 64

# 4. --list: the table, every probe once, with its facts.
"$RUN" --list >"$tmp/list.jsonl"
check "probe-run --list: every probe of probes.list, once, in order" \
	diff <(jq -r .probe "$tmp/list.jsonl") "$OUT/probes.list"
check "probe-run --list: syscall, nr, abi, unconfined, exits and since on every line" \
	jq_true -n '[inputs | has("syscall") and has("nr") and has("abi") and has("unconfined") and has("exits") and has("since")] | all' \
		"$tmp/list.jsonl"
got=$("$RUN" --list -- mount clone | jq -r .probe | tr '\n' ' ')
check "probe-run --list mount clone: the selection's lines in name order (got $got)" \
	test "$got" = "$want""mount "
"$RUN" --list nosuchprobe >/dev/null 2>&1
rc=$?
check "probe-run --list nosuchprobe: exit 64 (got $rc)" test "$rc" -eq 64
check "probe-run --list: mount's line is its probe program's --describe" \
	test "$(jq -c 'del(.probe)' <(grep '"probe":"mount"' "$tmp/list.jsonl"))" = "$("$OUT/probes/mount" --describe | jq -c .)"

# 5. Fail closed, and --out is all or nothing.
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_SOMETIMES"}]}\n' >"$tmp/bad.json"
"$RUN" --profile "$tmp/bad.json" --out "$tmp/bad.jsonl" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
check "a bad profile: exit 2 (got $rc)" test "$rc" -eq 2
check "a bad profile: FILE: PATH: REASON on stderr, as the line's start" \
	grep -q "^$tmp/bad.json: syscalls\[0\].action: unknown action" "$tmp/bad.err"
check "a bad profile: no --out file, nothing on stdout, no temporary file" \
	test ! -e "$tmp/bad.jsonl" -a ! -s "$tmp/bad.out" -a -z "$(ls "$tmp" | grep '\.tmp\.')"
echo previous >"$tmp/kept.jsonl"
"$RUN" --profile "$tmp/bad.json" --out "$tmp/kept.jsonl" 2>/dev/null
check "a refused run leaves the previous --out file as it was" test "$(cat "$tmp/kept.jsonl")" = previous
"$RUN" --profile docker-default --out "$tmp/kept.jsonl" mount >"$tmp/out.stdout"
check "--out: the file holds the run's line (mount), stdout nothing" \
	test "$(jq -r '.probe // .syscall' "$tmp/kept.jsonl")" = mount -a ! -s "$tmp/out.stdout"
check "--out: no temporary file left beside it" test -z "$(ls "$tmp" | grep 'kept\.jsonl\.tmp')"
mkfifo "$tmp/fifo.json"
start=$(date +%s%N)
"$RUN" --profile "$tmp/fifo.json" --timeout 300 --out "$tmp/fifo.jsonl" 2>"$tmp/fifo.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "--timeout bounds reading the profile: a FIFO with no writer is refused with exit 2 in ${ms} ms (got $rc)" \
	test "$rc" -eq 2 -a "$ms" -lt 3000 -a ! -e "$tmp/fifo.jsonl"
check "--timeout: the refusal says so" grep -q "fifo.json: reading and compiling the profile took longer than --timeout (300 ms); nothing ran" "$tmp/fifo.err"

# 6. The cases runner's --results: a temporary file renamed at the end.
echo previous >"$tmp/cases.jsonl"
"$RUNNER" --set docker-default --profile "$tmp/bad.json" --results "$tmp/cases.jsonl" >/dev/null 2>&1
rc=$?
check "cases: a refused run (exit $rc) leaves the previous --results file" test "$rc" -eq 2 -a "$(cat "$tmp/cases.jsonl")" = previous
"$RUNNER" --set docker-default --results "$tmp/a.jsonl" mount clone >"$tmp/a.ktap" 2>&1 &
"$RUNNER" --set docker-default --results "$tmp/a.jsonl" mount clone >"$tmp/b.ktap" 2>&1 &
wait
lines=$(wc -l <"$tmp/a.jsonl")
check "cases: two runners on one --results file leave one complete run (4 lines, got $lines), no temporary file" \
	test "$lines" -eq 4 -a "$(jq -r .probe "$tmp/a.jsonl" | tr '\n' ' ')" = "clone clone.newns clone.newuser mount " \
	-a -z "$(ls "$tmp" | grep 'a\.jsonl\.tmp')"

# 7. The run's stamp (docs/design.md, Results): suite version, host, one
# time per run; the plain run (no profile) is the probe contract's line.
version=$(commands/version.sh)
stamp='.suite == $v and .host == $h and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))'
check "probe-run: every results line has suite ($version), host and time" \
	jq_true --arg v "$version" --arg h "$(hostname)" -n "[inputs | $stamp] | all and length > 1" \
		"$tmp/run-docker-default.jsonl"
check "probe-run: one time on every line of a run" test "$(jq -r .time "$tmp/run-docker-default.jsonl" | sort -u | wc -l)" -eq 1
check "probe-run with no profile: no stamp (the probe programs' own lines)" \
	jq_true -n '[inputs | has("suite") or has("host") or has("time")] | any | not' "$tmp/plain.jsonl"
"$RUN" --profile docker-default --time 2026-11-30T14:07:16Z mount >"$tmp/timed.jsonl"
check "probe-run --time: the line carries the given time" jq_true '.time == "2026-11-30T14:07:16Z"' "$tmp/timed.jsonl"
"$RUN" --profile docker-default --time "2026-11-30 14:07" mount >/dev/null 2>"$tmp/badtime.err"
rc=$?
check "probe-run --time 'not RFC 3339 UTC': exit 64, one line naming --time (got $rc)" \
	test "$rc" -eq 64 -a "$(wc -l <"$tmp/badtime.err")" -eq 1 -a -n "$(grep -e '--time' "$tmp/badtime.err")"
"$RUNNER" --set docker-default --results "$tmp/c.jsonl" --time 2026-11-30T14:07:16Z mount >/dev/null 2>&1
check "cases --results --time: suite, host and the given time on the line" \
	jq_true --arg v "$version" --arg h "$(hostname)" "$stamp and .time == \"2026-11-30T14:07:16Z\"" "$tmp/c.jsonl"
jq -c '. + {host: "elsewhere", time: "2020-01-01T00:00:00Z"}' "$tmp/timed.jsonl" >"$tmp/obs.jsonl"
"$RUNNER" --set docker-default --observations "$tmp/obs.jsonl" --results "$tmp/o.jsonl" mount >/dev/null 2>&1
check "cases --observations: a line keeps the host and time of the run that observed it, and gets this suite" \
	jq_true --arg v "$version" '.host == "elsewhere" and .time == "2020-01-01T00:00:00Z" and .suite == $v' "$tmp/o.jsonl"

# 8. --header: the sets as the parser reads them (run.sh takes a set's
# profile and caps from it, not from its own reading of the format).
"$RUNNER" --header --set moby-v0.2.3 --set docker-default >"$tmp/header.jsonl"
rc=$?
check "cases --header: one line per set, in order (exit $rc)" \
	test "$rc" -eq 0 -a "$(jq -r .set "$tmp/header.jsonl" | tr '\n' ' ')" = "moby-v0.2.3 docker-default "
check "cases --header: a profile file beside the set is a path; a bundled name stays a name" \
	jq_true -s --arg d "$PWD/cases" '.[0].profile == "\($d)/profiles/moby-default-v0.2.3.json" and .[1].profile == "docker-default"
		and all(.caps == "docker-default") and all(.lines > 0) and (.[0].files | index("\($d)/docker-default.cases") != null)' "$tmp/header.jsonl"
got=$("$RUNNER" --header --set restrictive --profile /x/mine.json --caps none | jq -r '"\(.profile) \(.caps)"')
check "cases --header --profile --caps: the overrides, as the run would use them (got $got)" test "$got" = "/x/mine.json none"
printf 'profile docker-default\ncaps docker-default\nmount errno EPERMM\n' >"$tmp/bad.cases"
"$RUNNER" --header --set "$tmp/bad.cases" >/dev/null 2>"$tmp/bad-header.err"
rc=$?
check "cases --header: a set the parser refuses is refused here too (exit $rc, FILE:LINE)" \
	test "$rc" -eq 2 -a -n "$(grep "bad.cases:3" "$tmp/bad-header.err")"

echo "1..$n"
