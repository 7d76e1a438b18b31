#!/usr/bin/env bash
# bench/: the benchmark programs run end to end (a few rounds, small sample
# counts) and leave well-formed JSON with every expected point, tables and
# plots.  Nothing here asserts a timing: speed is measured by ./run.sh bench,
# not asserted.  What is asserted is what does not depend on speed: which
# points exist, the filters' path lengths and cacheability, and what each
# measured call returned.
# With --profile: the path analysis agrees with explain's interpreter, the
# cacheability with the kernel's rule, the workload's weighing with a hand
# computation over the run's own figures; every harmless form returns
# unfiltered what it documents.
#   bash tests/bench.test.sh build/<abi>
set -uo pipefail

OUT_BUILD=${1:?usage: tests/bench.test.sh build/<abi>}
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tests/tap.sh"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && echo "# $2"; }
check() { # check DESCRIPTION JQ-FILTER FILE: passes when the filter yields true
	local desc=$1 filter=$2 file=$3 why
	if why=$(jq -e "$filter" "$file" 2>&1); then ok "$desc"; else not_ok "$desc" "$why"; fi
}

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - bench # SKIP needs root (SCHED_FIFO children, as ./run.sh bench)"
	tap_done
	exit 0
fi

log="$DIR/bench.log"
if bash "$HERE/bench/bench.sh" --quick --rounds 2 --kernel-samples 20000 --hyperfine-runs 2 \
	--out "$DIR/r" >"$log" 2>&1; then
	ok "bench.sh --quick runs and exits 0"
else
	not_ok "bench.sh --quick runs and exits 0" "$(tail -n 20 "$log" | tr '\n' '|')"
fi
J="$DIR/r/seccomp_bench.json"
S="$DIR/r/summary.json"

for f in seccomp_bench.json kernel.json hyperfine.json summary.json; do
	check "$f is well-formed JSON" 'true' "$DIR/r/$f"
done

# Every point the issue asks for, each with a median and an interval.
check "native, stacks 1..32 (cacheable and full), actions, SPEC_ALLOW" '
	[.points[].id] as $ids
	| (["native/0", "action-errno/1", "action-trap/2", "action-log/3", "action-user-notif/4",
	    "spec-default/1", "spec-allow/1"]
	   + ([1, 2, 4, 8, 16, 32] | map("stack-cacheable/\(.)", "stack-full/\(.)")))
	| all(. as $want | $ids | index($want) != null)' "$J"
check "six rule series (default/tree, short/long, arg/cacheable) from 1 to every syscall of the ABI" '
	. as $r | ["rules-arg-default-short", "rules-arg-default-long", "rules-arg-tree-short",
	  "rules-arg-tree-long", "rules-cacheable-default-long", "rules-cacheable-tree-long"]
	| all(. as $s | [$r.points[] | select(.series == $s) | .x]
	      | (index(1) != null) and (index(256) != null) and (max > 300))' "$J"
check "argument rules up to the kernel's 4096 instructions, both paths" '
	[.points[] | select(.series == "argrules-long" or .series == "argrules-short")]
	| (map(select(.filter_insns == 4096)) | length == 2) and all(.filter_insns <= 4096)' "$J"
check "whole profiles: docker-default, restrictive, unconfined x 5 calls" '
	[.points[] | select(.series | startswith("profile-")) | .id] | length == 15' "$J"
check "every point has a median inside its 95% interval and no error" '
	all(.points[]; (.error == null) and (.median_ns > 0) and (.ci95_ns[0] <= .median_ns) and (.median_ns <= .ci95_ns[1])
	    and (.samples_ns | length) == 2)' "$J"

# What the BPF walk says, independent of speed.
check "default layout: getpid last walks more with every rule, getpid first does not" '
	([.points[] | select(.series == "rules-arg-default-long")] | sort_by(.x) | map(.path_insns)) as $long
	| ([.points[] | select(.series == "rules-arg-default-short")] | map(.path_insns) | unique) as $short
	| ($long | . == sort and (last - first) > 300) and ($short | length == 1)' "$J"
check "binary tree: the path grows by about one compare per doubling" '
	[.points[] | select(.series == "rules-arg-tree-long")] | sort_by(.x)
	| (last.path_insns - first.path_insns) <= ((last.x | log2 | ceil) + 2)' "$J"
check "the bitmap cache can skip number-only filters, not argument-reading ones" '
	all(.points[] | select(.series | test("^rules-cacheable|^stack-cacheable")); .cacheable)
	and all(.points[] | select(.series | test("^rules-arg|^stack-full|^argrules")); .cacheable | not)' "$J"
check "docker-default: getpid cacheable, personality (argument rule) not" '
	(.points[] | select(.id == "profile-docker-default/getpid") | .cacheable)
	and (.points[] | select(.id == "profile-docker-default/personality") | .cacheable | not)' "$J"

# What the measured calls returned: the filters did what the points claim.
check "ERRNO answers EPERM; USER_NOTIF returns the supervisor's 4242; restrictive denies getpid" '
	(.points[] | select(.id == "action-errno/1") | .errno_name == "EPERM")
	and (.points[] | select(.id == "action-user-notif/4") | .ret == 4242)
	and (.points[] | select(.id == "profile-restrictive/getpid") | .errno_name == "EPERM")
	and (.points[] | select(.id == "profile-docker-default/read") | .errno_name == "EBADF")' "$J"

check "the kernel's benchmark: its five figures were read, in each of its runs" '
	(.runs | length) >= 3 and all(., .runs[]; .native_ns > 0 and .bitmap1_ns > 0 and .bitmap2_ns > 0
	    and .full3_ns > 0 and .full4_ns > 0)' "$DIR/r/kernel.json"
check "hyperfine: five commands; scrun under docker-default exits 0, under restrictive does not" '
	(.results | length == 5)
	and (.results[] | select(.command == "scrun docker-default") | .exit_codes | unique == [0])
	and (.results[] | select(.command == "scrun restrictive") | .exit_codes | all(. != 0))' "$DIR/r/hyperfine.json"
check "every point records both speculation controls (store bypass, indirect branch) before and after its filters" '
	all(.points[]; .error != null or ([.spec_ctrl, .spec_ctrl_unfiltered, .spec_ctrl_indirect_branch,
		.spec_ctrl_indirect_branch_unfiltered] | all(type == "number")))
	and all(.points[] | select(.error == null and .filters == 0); .spec_ctrl == .spec_ctrl_unfiltered
		and .spec_ctrl_indirect_branch == .spec_ctrl_indirect_branch_unfiltered)' "$J"
check "summary: the speculation states the points recorded, and the SPEC_ALLOW pair" '
	(.speculation.unfiltered | length) >= 1 and (.speculation.under_filters | length) >= 1
	and all(.speculation.spec_default, .speculation.spec_allow; (.ssb | type) == "number" and (.ib | type) == "number")' "$S"
check "the agreement with the kernel names the estimator that matches it, from both figures" '
	.estimator_match.closer as $c
	| ([.estimator_match.median_pct[], .estimator_match.mean_pct[]] | map(fabs) | all(. < 1000))
	and (($c == "median") == ((.estimator_match.median_pct | map(fabs) | add) < (.estimator_match.mean_pct | map(fabs) | add)))' "$S"
check "summary: estimates, agreement with the kernel, hyperfine, no errors" '
	(.estimates.per_filter_full.slope != null) and (.agreement | length == 5)
	and (.hyperfine | length == 5) and (.errors == [])' "$S"

for p in rules argrules stack; do
	if [ "$(head -c 8 "$DIR/r/plot-$p.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		grep -q '<svg' "$DIR/r/plot-$p.svg"; then
		ok "plot-$p: PNG and SVG written"
	else
		not_ok "plot-$p: PNG and SVG written"
	fi
done
if grep -q '^Beside the kernel' "$DIR/r/table.txt" && grep -q '^Machine: ' "$DIR/r/table.txt" &&
	grep -q '^  under the filters: store bypass .*; indirect branch ' "$DIR/r/table.txt" &&
	grep -q 'which estimator matches the kernel' "$DIR/r/table.txt"; then
	ok "table.txt: machine header, speculation controls, and the kernel comparison"
else
	not_ok "table.txt: machine header, speculation controls, and the kernel comparison"
fi

# Bad usage is refused, not run.
if "$OUT_BUILD/bench/seccomp_bench" --rounds 0 >/dev/null 2>&1; then
	not_ok "seccomp_bench --rounds 0 is refused"
else
	ok "seccomp_bench --rounds 0 is refused"
fi

# ---- ./run.sh bench --profile ---------------------------------------------

BENCH=$OUT_BUILD/bench/seccomp_bench
EXPLAIN=$OUT_BUILD/bin/scexplain
P="$DIR/p"

# Every harmless form, unconfined: the errno bench/harmless.c documents.
if "$BENCH" --check-forms >"$DIR/forms.jsonl" 2>&1 && jq -se 'length > 100 and all(.[]; .ok or .absent)' "$DIR/forms.jsonl" >/dev/null; then
	ok "every harmless form returns unfiltered the errno it documents ($(wc -l <"$DIR/forms.jsonl") forms)"
else
	not_ok "every harmless form returns unfiltered the errno it documents" "$(jq -c 'select(.ok == false)' "$DIR/forms.jsonl" 2>&1 | tr '\n' '|')"
fi

# A small mix, by hand: two cacheable calls, one argument-checked, one the
# profile denies, one unknown.
printf '# hand-made\nread 1000\ngetpid 3\npersonality 10\nmount 2\nno_such_call 5\n' >"$DIR/mix.txt"
log="$DIR/profile.log"
if bash "$HERE/bench/bench.sh" --profile docker-default --quick --mix "$DIR/mix.txt" --out "$P" >"$log" 2>&1; then
	ok "bench --profile docker-default --quick --mix runs end to end and exits 0"
else
	not_ok "bench --profile docker-default --quick --mix runs end to end and exits 0" "$(tail -n 20 "$log" | tr '\n' '|')"
fi
J="$P/profile.json"
S="$P/profile-summary.json"
check "profile.json: one row per known syscall number, the surface counted, three layouts each" '
	(.syscalls | length) == .profile.known_numbers
	and ([.syscalls[] | select(.surface)] | length) == .profile.surface
	and all(.syscalls[]; (.layouts | keys) == ["own", "runc", "tree"])
	and .profile.surface > 250 and .profile.layouts.runc.stub.present' "$J"

# Path lengths: bpf_eval run on the same compiled filter by explain.
bad=""
for call in "getpid" "read -1 0 0" "write -1 0 0" "close -1" "personality 4294967295" "clone 2048" \
	"socket 10 -1 0" "mount" "reboot" "clock_gettime 99 0"; do
	set -- $call
	name=$1; shift
	want=$("$EXPLAIN" --json docker-default "$name" "$@" 2>/dev/null | jq -r '.executed')
	got=$(jq -r --arg n "$name" --argjson nargs $# '
		.syscalls[] | select(.name == $n) | .layouts.own
		| if $nargs == 0 then (if .path_min == .path_max then .path_max else "several" end) else .form_path end' "$J")
	[ -n "$want" ] && [ "$want" = "$got" ] || bad="$bad $name(explain $want, bench $got)"
done
if [ -z "$bad" ]; then ok "path lengths of 10 calls equal explain's executed counts"; else not_ok "path lengths equal explain's executed counts" "$bad"; fi

# The witnesses: personality's shortest and longest allowing paths, as
# explain runs them with those arguments.
pmin=$(jq -r '.syscalls[] | select(.name == "personality") | .layouts.own | "\(.path_min) \(.path_min_args[0])"' "$J")
pmax=$(jq -r '.syscalls[] | select(.name == "personality") | .layouts.own | "\(.path_max) \(.path_max_args[0])"' "$J")
emin=$("$EXPLAIN" --json docker-default personality "${pmin#* }" | jq -r '"\(.executed) \(.verdict)"')
emax=$("$EXPLAIN" --json docker-default personality "${pmax#* }" | jq -r '"\(.executed) \(.verdict)"')
if [ "$emin" = "${pmin% *} allowed" ] && [ "$emax" = "${pmax% *} allowed" ] && [ "${pmin% *}" -lt "${pmax% *}" ]; then
	ok "personality's shortest and longest allowing paths (${pmin% *}, ${pmax% *}) are what explain runs on their witnesses"
else
	not_ok "personality's witnessed paths agree with explain" "bench: $pmin / $pmax; explain: $emin / $emax"
fi

check "cacheable: getpid and read under docker-default; personality and clone (argument rules) not" '
	def own(n): .syscalls[] | select(.name == n) | .layouts.own;
	own("getpid").cacheable and own("read").cacheable
	and (own("personality").cacheable | not) and (own("clone").cacheable | not)
	and own("personality").verdict == "allowed for some arguments"' "$J"
check "runc: the stub adds its 6 native instructions to every call up to the highest name, ENOSYS above (cachestat)" '
	.profile.layouts.runc.stub.host_max_nr as $max
	| all(.syscalls[] | select(.surface); .layouts.runc.path_max == .layouts.own.path_max + 6)
	and (.syscalls[] | select(.name == "cachestat") | .nr > $max and .layouts.runc.verdict == "ERRNO(ENOSYS)"
		and .layouts.own.verdict == "ERRNO(EPERM)")' "$J"
check "binary tree: the same verdicts and cacheability, personality and clone on paths under 30 instructions" '
	all(.syscalls[]; (.layouts.tree.verdict == .layouts.own.verdict) and (.layouts.tree.cacheable == .layouts.own.cacheable))
	and all(.syscalls[] | select(.name == "personality" or .name == "clone"); .layouts.tree.path_max < 30)' "$J"
check "timed sample: cacheable calls, an argument-checked one and the mix's hottest, in three layouts, no error" '
	[.syscalls[] | select(.timed)] as $t
	| ($t | map(.name)) as $n
	| ($n | index("getpid")) != null and ($n | index("read")) != null and ($n | index("personality")) != null
	and any($t[]; .layouts.own.cacheable | not)
	and all($t[]; .layouts.own.measured != null and .layouts.tree.measured != null and .layouts.runc.measured != null)
	and ([.points[] | select(.error)] | length) == 0' "$J"
check "every point records the speculation state (store bypass, indirect branch) before and after its filters" '
	all(.points[]; ([.spec_ctrl, .spec_ctrl_unfiltered, .spec_ctrl_indirect_branch, .spec_ctrl_indirect_branch_unfiltered]
		| all(type == "number")))' "$J"
check "the mix: counts read, mount reported denied, no_such_call not weighed" '
	.workload.calls == 1020 and .workload.weighed_calls == 1015
	and .workload.denied == [{"name": "mount", "calls": 2}] and .workload.unknown == ["no_such_call"]' "$S"
# The weighing by hand, from the run's own per-call figures: a call with one
# path costs its timed point, or the model where not timed (mount);
# personality (several paths) the model's longest.
want=$(jq -r '
	def row(n): .syscalls[] | select(.name == n) | .layouts;
	((1000 * row("read").own.measured.overhead_ns + 3 * row("getpid").own.measured.overhead_ns
	  + 10 * row("personality").own.est_max_ns + 2 * row("mount").own.est_max_ns) / 1015) as $hi
	| ((10 * (row("personality").own.est_max_ns - row("personality").tree.est_max_ns)
	  + 2 * (row("mount").own.est_max_ns - row("mount").tree.est_max_ns)) / 1015) as $tree
	| "\($hi * 100 | round / 100) \($tree * 100 | round / 100)"' "$J")
got=$(jq -r '"\(.workload.adds_ns.hi) \(.workload.tree_saves_ns.hi)"' "$S")
if [ -n "$want" ] && [ "$want" = "$got" ]; then
	ok "the weighing equals the hand computation (adds, tree saves: $got ns per syscall)"
else
	not_ok "the weighing equals the hand computation" "by hand: $want; summary: $got"
fi
check "a verdict sentence for the workload, for every timed call and for SPEC_ALLOW" '
	(.workload.verdict | test("^this profile adds .* per syscall on this workload, .*% of its syscall time; the binary tree would save .*; SPEC_ALLOW would save"))
	and all(.sample[]; (.verdict | length) > 20) and (.spec_allow.verdict | length) > 20' "$S"
if [ "$(head -c 8 "$P/plot-profile.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && grep -q '<svg' "$P/plot-profile.svg" &&
	grep -q '^Timed: ' "$P/profile-table.txt" && grep -q 'verdict: this profile adds' "$P/profile-table.txt"; then
	ok "plot-profile PNG and SVG, and the table with its verdicts"
else
	not_ok "plot-profile PNG and SVG, and the table with its verdicts"
fi

# docker-default with socket allowed for every family but AF_INET6 (10):
# socket is no longer cacheable, and its paths are explain's.  (A deny rule
# added beside the unconditional allow would change nothing: runc drops a
# rule equal to the default action, and libseccomp lets the unconditional
# rule win.)
ddfile=$("$EXPLAIN" --json docker-default getpid | jq -r .file)
jq '.syscalls |= map(if .action == "SCMP_ACT_ALLOW" and ((.args // []) | length) == 0 then .names -= ["socket"] else . end)
	| .syscalls += [{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 10, "op": "SCMP_CMP_NE"}]}]' \
	"$ddfile" >"$DIR/inet6.json"
if bash "$HERE/bench/bench.sh" --profile "$DIR/inet6.json" --paths-only --out "$DIR/i6" >"$DIR/i6.log" 2>&1; then
	want=$("$EXPLAIN" --json "$DIR/inet6.json" socket 2 1 0 | jq -r .executed)
	form=$("$EXPLAIN" --json "$DIR/inet6.json" socket 10 -1 0 | jq -r '"\(.executed) \(.verdict)"')
	check "an AF_INET6 rule on socket: not cacheable, allowed for some arguments, AF_UNIX's path $want and AF_INET6's ($form) as explain runs them" "
		.syscalls[] | select(.name == \"socket\") | .layouts.own
		| (.cacheable | not) and .verdict == \"allowed for some arguments\" and .otherwise == \"ERRNO(EPERM)\"
		and .path_max == $want and \"\\(.form_path) \\(.form_action)\" == \"${form% *} ERRNO(EPERM)\" and \"${form#* }\" == \"errno\"" "$DIR/i6/profile.json"
else
	not_ok "bench --profile FILE --paths-only" "$(tail -n 5 "$DIR/i6.log" | tr '\n' '|')"
fi

# The workload's counts, by strace.
if bash "$HERE/bench/bench.sh" --profile docker-default --paths-only --workload /bin/true --out "$DIR/w" >"$DIR/w.log" 2>&1; then
	check "--workload: strace's counts of sh -c /bin/true as the mix (execve of sh and of true, with times)" '
		(.[] | select(.name == "execve") | .calls) == 2
		and all(.[]; .calls > 0 and .seconds != null)' "$DIR/w/mix.json"
else
	not_ok "--workload /bin/true" "$(tail -n 5 "$DIR/w.log" | tr '\n' '|')"
fi

# strace -c's own table, read as a mix (its 32-bit table not weighed).
cat >"$DIR/strace.txt" <<'STRACE'
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 60.00    0.000600          10        60           read
 40.00    0.000400          20        20         2 openat
------ ----------- ----------- --------- --------- ----------------
100.00    0.001000          12        80         2 total
System call usage summary for 32 bit mode:
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
100.00    0.000100          10        10           read
------ ----------- ----------- --------- --------- ----------------
100.00    0.000100          10        10           total
STRACE
if bash "$HERE/bench/bench.sh" --profile docker-default --paths-only --mix "$DIR/strace.txt" --out "$DIR/s" >"$DIR/s.log" 2>&1; then
	check "--mix reads strace -c output: the native table's counts and seconds" '
		. == [{"name": "read", "calls": 60, "seconds": 0.0006}, {"name": "openat", "calls": 20, "seconds": 0.0004}]' "$DIR/s/mix.json"
else
	not_ok "--mix strace -c output" "$(tail -n 5 "$DIR/s.log" | tr '\n' '|')"
fi

# Refusals: a bad mix line, options without --profile, a profile that
# cannot be read; nothing runs.
printf 'read 10\nthis is not a count\n' >"$DIR/bad.txt"
out=$(bash "$HERE/bench/bench.sh" --profile docker-default --paths-only --mix "$DIR/bad.txt" --out "$DIR/b" 2>&1); rc=$?
if [ "$rc" = 64 ] && grep -q "bad.txt: line 2: " <<<"$out"; then ok "a malformed mix line is refused (64, FILE: line N: reason)"; else not_ok "a malformed mix line is refused" "rc $rc: $out"; fi
bash "$HERE/bench/bench.sh" --mix "$DIR/mix.txt" >/dev/null 2>&1; rc=$?
if [ "$rc" = 64 ]; then ok "--mix without --profile is a usage error (64)"; else not_ok "--mix without --profile is a usage error (64)" "rc $rc"; fi
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOPE"}]}\n' >"$DIR/broken.json"
out=$(bash "$HERE/bench/bench.sh" --profile "$DIR/broken.json" --quick --out "$DIR/x" 2>&1); rc=$?
if [ "$rc" = 2 ] && grep -q "broken.json: syscalls\[0\].action" <<<"$out" && [ ! -e "$DIR/x/profile.json" ]; then
	ok "a profile that cannot be loaded: exit 2, FILE: PATH: REASON, nothing measured"
else
	not_ok "a profile that cannot be loaded: exit 2, FILE: PATH: REASON, nothing measured" "rc $rc: $out"
fi

# ---- ./run.sh bench --spec-allow-guest ------------------------------------
# The kernel's rule (arch_seccomp_spec_mitigate): a filter loaded without
# SPEC_ALLOW forces PR_SPEC_FORCE_DISABLE where the mode is seccomp, and
# changes nothing elsewhere; with SPEC_ALLOW the task keeps its state.

out=$("$OUT_BUILD/bench/spec_ctrl" | sed -n 's/^spec-ctrl: //p' | jq -sc '[.[].kind]' 2>&1)
if [ "$out" = '["machine","case","case","case","done"]' ]; then
	ok "spec_ctrl on this host: the machine, three cases, done"
else
	not_ok "spec_ctrl on this host: the machine, three cases, done" "$out"
fi
bash "$HERE/bench/bench.sh" --guest-cpu max >/dev/null 2>&1; rc=$?
if [ "$rc" = 64 ]; then ok "--guest-cpu without --spec-allow-guest is a usage error (64)"; else not_ok "--guest-cpu without --spec-allow-guest is a usage error (64)" "rc $rc"; fi

kernel61=$(ls "$HERE"/build/matrix/cache/linux-image-6.1.*-cloud-amd64/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n1)
if [ "$(uname -m)" != x86_64 ] || ! command -v qemu-system-x86_64 >/dev/null || [ -z "$kernel61" ]; then
	echo "ok $((n + 1)) - bench --spec-allow-guest # SKIP needs an x86_64 host, qemu-system-x86_64 and a 6.1 kernel in build/matrix/cache (./run.sh matrix --kernels 6.1:amd64)"
	n=$((n + 1))
else
	SA="$DIR/sa/spec-allow.json"
	if bash "$HERE/bench/bench.sh" --spec-allow-guest --out "$DIR/sa" >"$DIR/sa.log" 2>&1; then
		ok "bench --spec-allow-guest runs both 6.1 guests and exits 0 ($(jq .elapsed_s "$SA") s)"
	else
		not_ok "bench --spec-allow-guest runs both 6.1 guests and exits 0" "$(tail -n 20 "$DIR/sa.log" | tr '\n' '|')"
	fi
	check "three reports (host, 6.1 defaults, 6.1 seccomp modes), complete, each as the kernel's rule says" '
		(.boots | map(.boot)) == ["host", "defaults", "seccomp"]
		and all(.boots[]; .complete and .store_bypass.agrees and .indirect_branch.agrees and .errors == [])
		and all(.boots[1:][]; .machine.release | startswith("6.1."))' "$SA"
	check "6.1 defaults (spec_store_bypass_disable=prctl): a filter leaves store bypass as it was" '
		.boots[1].store_bypass | .filter == .unfiltered and .filter_spec_allow == .unfiltered' "$SA"
	check "6.1 with spec_store_bypass_disable=seccomp: the kernel says seccomp; a filter forces the mitigation (PR_SPEC_FORCE_DISABLE), SPEC_ALLOW does not" '
		.boots[2] | (.machine.spec_store_bypass | test("via prctl and seccomp"))
		and (.store_bypass | (.filter / 8 | floor) % 2 == 1 and (.unfiltered / 8 | floor) % 2 == 0
			and .filter_spec_allow == .unfiltered)' "$SA"
	if grep -q '^  store bypass  *3  *9  *3$' "$DIR/sa/spec-allow.txt" && grep -q 'verdict: the mechanism: ' "$DIR/sa/spec-allow.txt"; then
		ok "spec-allow.txt: the seccomp boot's row reads 3 9 3 and its verdict names the mechanism"
	else
		not_ok "spec-allow.txt: the seccomp boot's row reads 3 9 3 and its verdict names the mechanism" "$(grep -n 'store bypass\|verdict' "$DIR/sa/spec-allow.txt" | tr '\n' '|')"
	fi
fi

# ---- make bench-figures: the page's marked blocks ------------------------
# bench/figures.sh --no-run over this test's own runs: each block between
# its markers becomes the run's table, everything outside stays as it was,
# and the plots land in the figures directory.
FO="$DIR/fo"
mkdir -p "$FO/figs"
cp -r "$DIR/r" "$FO/out" && cp -r "$P" "$FO/out/profile"
[ ! -s "$DIR/sa/spec-allow.txt" ] || cp -r "$DIR/sa" "$FO/out/spec-allow"
cat >"$FO/page.md" <<'PAGE'
# A page
Before.
<!-- figures: bench (make bench-figures rewrites this block; keep the markers) -->
OLD BENCH FIGURES
<!-- /figures -->
Between.
<!-- figures: profile (make bench-figures rewrites this block; keep the markers) -->
OLD PROFILE FIGURES
<!-- /figures -->
<!-- figures: spec-allow (make bench-figures rewrites this block; keep the markers) -->
OLD SPEC FIGURES
<!-- /figures -->
After.
PAGE
outside() { awk '/^<!-- figures: / { print; skip = 1; next } /^<!-- \/figures -->/ { skip = 0 } !skip' "$1"; }
if bash "$HERE/bench/figures.sh" --no-run --docs "$FO/page.md" --figures "$FO/figs" --out "$FO/out" >"$FO/log" 2>&1 &&
	[ "$(outside "$FO/page.md")" = "$(printf '# A page\nBefore.\n%s\n<!-- /figures -->\nBetween.\n%s\n<!-- /figures -->\n%s\n<!-- /figures -->\nAfter.' \
		"$(grep '^<!-- figures: bench' "$FO/page.md")" "$(grep '^<!-- figures: profile' "$FO/page.md")" "$(grep '^<!-- figures: spec-allow' "$FO/page.md")")" ] &&
	! grep -q 'OLD BENCH\|OLD PROFILE' "$FO/page.md" &&
	grep -q '^    \$ ./run.sh bench --quick$' "$FO/page.md" && grep -q '^    Machine: ' "$FO/page.md" &&
	grep -q '^    \$ ./run.sh bench --profile docker-default --quick ' "$FO/page.md" && grep -q '^    Timed: ' "$FO/page.md" &&
	grep -c '(--quick: not for the page)' "$FO/page.md" | grep -qx 2 &&
	{ [ ! -s "$DIR/sa/spec-allow.txt" ] || { ! grep -q 'OLD SPEC' "$FO/page.md" && grep -q '^      store bypass ' "$FO/page.md"; }; } &&
	[ "$(ls "$FO/figs" | LC_ALL=C sort | tr '\n' ' ')" = "argrules-$(uname -m).svg profile-docker-default-$(uname -m).svg rules-$(uname -m).svg stack-$(uname -m).svg " ]; then
	ok "figures.sh --no-run: each marked block becomes its run's table, the page outside them unchanged, four plots copied"
else
	not_ok "figures.sh --no-run: each marked block becomes its run's table, the page outside them unchanged, four plots copied" \
		"$(tr '\n' '|' <"$FO/log"; head -c 600 "$FO/page.md" | tr '\n' '|')"
fi

tap_done
