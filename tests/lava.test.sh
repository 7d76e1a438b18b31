#!/usr/bin/env bash
# LAVA: the job files of every kernel the matrix knows, rendered for a lab
# and checked against LAVA's own job schema; then one job run here, by the
# matrix's lava engine (./run.sh matrix --engine lava: lava-run, Debian's
# lava-dispatcher, no server): Debian's 6.1 amd64 cloud kernel in qemu, the
# kselftest collection (x86_64 and i386) in the ramdisk, its results in the
# matrix's cells; and those cells against the native engine's on the same
# kernel (two sets), by kselftest test name.  Skipped, with the reason, when
# lava-dispatcher, qemu or the kernel package cannot be had here.  TAP
# lines, plan 1..N.
#   bash tests/lava.test.sh build/<abi>
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { # ok NAME COMMAND...: one TAP line
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}

skip_all() {
	echo "ok 1 - LAVA jobs # SKIP $*"
	echo "1..1"
	exit 0
}

[ "$(uname -m)" = x86_64 ] || skip_all "the job run here boots an amd64 kernel for the x86_64 and i386 ABIs"
command -v lava-run >/dev/null 2>&1 || skip_all "lava-run is not installed (ci/install-deps.sh lava: Debian's lava-dispatcher)"
# Debian's interpreter: lava_common is Debian's python3 package.
PY=/usr/bin/python3

# A lab's copies: https URLs, KVM workers.
start=$(date +%s)
farms/lava/lava.sh render --url-base https://lab.example/seccomp-suite --kvm --out "$tmp/lab" >"$tmp/render.out" 2>"$tmp/render.err"
rc=$?
echo "# farms/lava/lava.sh render (every matrix kernel): exit $rc in $(($(date +%s) - start))s"
if [ "$rc" -eq 3 ]; then
	skip_all "$(tail -n1 "$tmp/render.err")"
fi
sed 's/^/# /' "$tmp/render.err" | tail -n 5
mapfile -t jobs <"$tmp/render.out"
ok "render: a job per matrix kernel (5.10, 6.1 and 6.12 for amd64 and arm64)" \
	bash -c '[ "$#" -eq 6 ] && for k in "5.10.0-*-cloud-amd64" "6.1.0-*-cloud-amd64" "6.12.*-cloud-amd64" \
			"5.10.0-*-cloud-arm64" "6.1.0-*-cloud-arm64" "6.12.*-cloud-arm64"; do
		found=0; for j; do case "$j" in */seccomp-suite-$k.yaml) found=1 ;; esac; done; [ "$found" = 1 ] || exit 1; done' _ "${jobs[@]}"

schema_ok() {
	local j
	for j in "$@"; do
		"$PY" -c 'import sys, yaml
from lava_common.schemas import validate
validate(yaml.safe_load(open(sys.argv[1])), strict=True, extra_context_variables=[])' "$j" ||
			{ echo "# $j: refused by LAVA's job schema"; return 1; }
	done
}
ok "every job passes LAVA's own job schema (lava_common.schemas, strict)" schema_ok "${jobs[@]}"

lab_ok() {
	local j arch
	for j in "$@"; do
		case "$j" in *-arm64.yaml) arch=arm64 ;; *) arch=amd64 ;; esac
		"$PY" -c 'import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
images = job["actions"][0]["deploy"]["images"]
assert job["device_type"] == "qemu" and job["context"]["arch"] == sys.argv[2], job["context"]
assert "no_kvm" not in job["context"], "no_kvm in a lab job"
assert all(i["url"].startswith("https://lab.example/seccomp-suite/") for i in images.values()), images
assert images["ramdisk"]["format"] == "cpio.newc" and images["ramdisk"]["overlays"] == {"lava": True}, images
' "$j" "$arch" || { echo "# $j"; return 1; }
	done
}
ok "lab jobs: https URLs under --url-base, no no_kvm, context arch per kernel, a cpio.newc ramdisk with LAVA's overlay" \
	lab_ok "${jobs[@]}"

# One job here: the matrix's lava engine, every set.
start=$(date +%s)
./run.sh matrix --engine lava --kernels 6.1:amd64 --out "$tmp/run" >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
echo "# ./run.sh matrix --engine lava --kernels 6.1:amd64: exit $rc in $(($(date +%s) - start))s"
sed 's/^/# /' "$tmp/run.err" | tail -n 6
if [ "$rc" -eq 3 ]; then
	echo "ok $((n + 1)) - the 6.1 amd64 job, by ./run.sh matrix --engine lava # SKIP $(tail -n1 "$tmp/run.err")"
	echo "1..$((n + 1))"
	exit 0
fi
jobdir=$(ls -d "$tmp"/run/lava/6.1.0-*-cloud-amd64 2>/dev/null | head -n1)
n_sets=$(ls cases/*.cases | wc -l)
n_probes=$(wc -l <build/x86_64/probes.list)
n_cases=$((2 * n_sets + 2 * n_sets * n_probes))
ok "the lava engine ran the job to the end, every cell passed (exit 0)" test "$rc" -eq 0
ok "the job: lava-run exit 0, one vCPU, the whole collection" \
	bash -c 'grep -q "lava 6\.1\.0-[0-9]*-cloud-amd64: lava-run exit 0 " "$1" && grep -q -- "- -smp 1$" "$2" && ! grep -q SECCOMP_SUITE_SETS "$2"' \
	_ "$tmp/run.err" "$jobdir/job.yaml"
ok "the device: lava-server's qemu.jinja2 with the job's context (qemu-system-x86_64, no KVM)" \
	bash -c 'grep -q "qemu-system-x86_64" "$1" && ! grep -q -- "-enable-kvm" "$1" && grep -q -- "-m 1536" "$1"' _ "$jobdir/device.yaml"
ok "LAVA test cases: $n_cases ($((2 * n_sets)) kselftest tests, and each per probe), all pass" \
	bash -c '[ "$(wc -l <"$1")" -eq "$2" ] && ! grep -qv " pass$" "$1" &&
		grep -qx "docker-default-i386 pass" "$1" && grep -qx "docker-default+sys_admin.clone.newns pass" "$1" &&
		grep -qx "unconfined-i386.stime pass" "$1"' _ "$jobdir/results.txt" "$n_cases"

cell() { ls "$1"/6.1.0-*-cloud-amd64-"$2"."${3:-jsonl}" 2>/dev/null | head -n1; }
cell_ok() {
	local f
	f=$(cell "$tmp/run" "$1")
	[ -n "$f" ] && [ "$(jq -s 'length' "$f")" -eq $((n_sets * n_probes)) ] &&
		jq -e -s 'all(.[]; .result == "pass" and (.kernel | startswith("6.1.")))' "$f" >/dev/null ||
		{ echo "# $1: ${f:-no cell}"; return 1; }
}
ok "the x86_64 cell, as the matrix writes it: every (set, probe) passed on 6.1" cell_ok x86_64
ok "the i386 cell, as the matrix writes it: every (set, probe) passed on 6.1" cell_ok i386
ok "verdicts that depend on the ABI: stime absent on x86_64, denied by docker-default on i386" \
	bash -c 'jq -e -s "any(.[]; .set == \"docker-default\" and .probe == \"stime\" and .verdict == \"absent\")" "$1" >/dev/null &&
		jq -e -s "any(.[]; .set == \"docker-default\" and .probe == \"stime\" and .verdict == \"errno\" and .errno_name == \"EPERM\")" "$2" >/dev/null' \
	_ "$(cell "$tmp/run" x86_64)" "$(cell "$tmp/run" i386)"
ok "the matrix's files: timing.tsv (exit=0 for each ABI and set), console, report.md, report.html" \
	bash -c '[ "$(awk -F"\t" "NR > 1 && \$4 == \"exit=0\"" "$1/timing.tsv" | wc -l)" -eq $((2 * $2)) ] &&
		ls "$1"/console-6.1.0-*-cloud-amd64.log "$1/report.md" "$1/report.html" >/dev/null' _ "$tmp/run" "$n_sets"
ok "the table: a row per (probe, set), a column per cell" \
	bash -c 'head -n1 "$1" | grep -qE "^PROBE +SET +6\.1\.0-[0-9]+/i386 +6\.1\.0-[0-9]+/x86_64"' _ "$tmp/run.out"

# The native engine on the same kernel, two sets (a short boot), and the two
# engines' cells by kselftest test name: the same names with the same
# results, and the same verdicts (./run.sh compare).
start=$(date +%s)
./run.sh matrix --kernels 6.1:amd64 --sets docker-default,restrictive --out "$tmp/native" >"$tmp/native.out" 2>"$tmp/native.err"
rc=$?
echo "# ./run.sh matrix --kernels 6.1:amd64 --sets docker-default,restrictive (native): exit $rc in $(($(date +%s) - start))s"
sed 's/^/# /' "$tmp/native.err" | tail -n 2
# ktap_names KTAP SET...: "NAME RESULT" for each test and subtest of those
# sets (RESULT: ok, ok-SKIP, not-ok; not the test numbers, which depend on
# the sets run), sorted.  A test named SET-i386, as the collection names
# it, is of SET.
ktap_names() {
	local f=$1
	shift
	awk -v sets=" $* " '
		function res(l) { return (l ~ /^(# )?not ok / ? "not-ok" : l ~ /# SKIP/ ? "ok-SKIP" : "ok") }
		/^# selftests: seccomp-suite: / { s = $4; sub(/-i386$/, "", s); on = index(sets, " " s " ") > 0; next }
		on && /^(not )?ok [0-9]+ selftests: seccomp-suite: / { l = $0; sub(/^(not )?ok [0-9]+ /, "", l); sub(/ #.*/, "", l); print l, res($0); next }
		on && /^# (not )?ok [0-9]+ / { l = $0; sub(/^# (not )?ok [0-9]+ /, "", l); sub(/ .*/, "", l); print l, res($0) }' "$f" |
		LC_ALL=C sort
}
same_names() {
	local abi=$1 a b
	a=$(ktap_names "$(cell "$tmp/run" "$abi" ktap)" docker-default restrictive)
	b=$(ktap_names "$(cell "$tmp/native" "$abi" ktap)" docker-default restrictive)
	[ "$(wc -l <<<"$a")" -gt $((2 * n_probes)) ] && [ "$a" = "$b" ] ||
		{ diff <(echo "$a") <(echo "$b") | head -n 5 | sed 's/^/# /'; return 1; }
}
ok "native engine, same kernel: exit 0" test "$rc" -eq 0
ok "x86_64: the LAVA cell's and the native cell's .ktap, same test names and results" same_names x86_64
ok "i386: the LAVA cell's and the native cell's .ktap, same test names and results" same_names i386
ok "./run.sh compare, LAVA cell against native cell: no verdict differs (x86_64 and i386)" \
	bash -c './run.sh compare "$1" "$2" >"$5" && ./run.sh compare "$3" "$4" >>"$5" && [ "$(grep -c "^0 of $((2 * $6)) probes differ" "$5")" -eq 2 ]' \
	_ "$(cell "$tmp/run" x86_64)" "$(cell "$tmp/native" x86_64)" "$(cell "$tmp/run" i386)" "$(cell "$tmp/native" i386)" "$tmp/compare.out" "$n_probes"

echo "1..$n"
