#!/usr/bin/env bash
# farms/lava/lava.sh: the seccomp-suite kselftest collection as LAVA jobs,
# one per kernel and architecture of the matrix (qemu device type, Debian's
# kernels, the collection in a ramdisk).  farms/lava/lava.sh --help
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAVA_DIR="$ROOT/farms/lava"

# The matrix's pieces, called rather than copied: its data (default_kernels,
# all_abis, abis_of_debarch, machine_of: matrix/), resolve_kernel,
# fetch_kernel, finish_run (the console's marked lines into the cells'
# KERNEL-ABI.jsonl and .ktap), table_tsv, MARK, CACHE.  Sourced, matrix/matrix.sh
# only defines them (its main runs when it is executed); the functions and
# usage below are lava.sh's own.
# shellcheck source=matrix/matrix.sh
. "$ROOT/matrix/matrix.sh"
# The ABIs abis_of_debarch chooses among: every ABI of matrix/abis.
# shellcheck disable=SC2034
ARCHES=$(all_abis)

OUT="$ROOT/build/lava"
# Debian's interpreter, whose python3-jinja2, python3-yaml and lava_common
# (lava-dispatcher) these scripts use, whatever python3 comes first in PATH.
PYTHON=/usr/bin/python3
VERSION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)

usage() {
	cat <<EOF
usage: farms/lava/lava.sh render [--kernels LIST] [--url-base URL] [--kvm] [--out DIR]
       farms/lava/lava.sh ramdisk DEBARCH [--out DIR]
       farms/lava/lava.sh run [--kernels LIST] [--out DIR]

LAVA jobs (farms/lava/job.yaml.jinja2) that boot Debian's kernels in qemu
with a ramdisk holding the seccomp-suite kselftest collection (make
kselftest-install: every ABI the kernel runs) and run it with Debian's
run_kselftest.sh: one LAVA test case per kselftest test and per (test, probe).

  render   write DIR/jobs/seccomp-suite-PACKAGE.yaml for each kernel.  The
           kernel and ramdisk URLs are file:// paths on this machine, or
           URL/vmlinuz-RELEASE and URL/ramdisk-DEBARCH.cpio with --url-base.
           --kvm: no "no_kvm" in the job's context (a lab's workers have KVM).
  ramdisk  build DIR/ramdisk-DEBARCH.cpio (busybox-static from Debian's
           archive, the collection, an /init with a shell for LAVA)
  run      on this machine with lava-run (Debian's lava-dispatcher, no
           server): the ramdisks, the device dictionary farms/lava/device.jinja2
           over lava-server's qemu.jinja2 (from its .deb, not installed), each
           job; then the results: DIR/KERNEL-ABI.jsonl and .ktap per cell, as
           ./run.sh matrix writes them, and the table.

  --kernels LIST  VERSION:DEBARCH,... (default: the matrix's guests:
                  $(guests_of "$(default_kernels)" | tr ' ' ,); matrix/kernels)
  --out DIR       default: build/lava

The same jobs in a real lab (its qemu devices have their own dictionaries):
  farms/lava/lava.sh ramdisk amd64      # DIR/ramdisk-amd64.cpio
  # upload it and build/matrix/cache/linux-image-PACKAGE/boot/vmlinuz-RELEASE
  # (render fetches the kernel) to https://HOST/PATH/, then
  farms/lava/lava.sh render --kernels 6.1:amd64 --url-base https://HOST/PATH --kvm
  lavacli -i LAB jobs submit DIR/jobs/seccomp-suite-PACKAGE.yaml

Exit status: 0 every job completed and every LAVA test case passed; 1 not;
3 lava-run, qemu or a package is not available here; 64 usage.
EOF
}

die() {
	echo "farms/lava/lava.sh: $*" >&2
	exit 1
}

# lava_unavailable: exit 3, like the matrix, so a test can tell "cannot run
# here" from "ran and failed".
lava_unavailable() {
	echo "farms/lava/lava.sh: $*" >&2
	exit 3
}

guests_of() {
	local spec out=()
	for spec in ${1//,/ }; do
		case "$spec" in
		host) ;;
		*:*) out+=("$spec") ;;
		*) die "kernel '$spec': VERSION:DEBARCH expected (6.1:amd64)" ;;
		esac
	done
	echo "${out[@]}"
}

# deb_extract PACKAGE[:ARCH] DIR: apt-get download and dpkg -x (nothing installed).
deb_extract() {
	local pkg=$1 dir=$2 deb
	[ -d "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return 0
	mkdir -p "$dir.download"
	(cd "$dir.download" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1) ||
		lava_unavailable "apt-get download $pkg failed"
	deb=$(ls "$dir.download"/*.deb | head -n1)
	mkdir -p "$dir"
	dpkg -x "$deb" "$dir"
	rm -rf "$dir.download"
}

# jinja SEARCH-PATH TEMPLATE VARS-JSON [strict]: the template rendered with
# jinja2 (trim_blocks, as LAVA renders device types).
jinja() {
	"$PYTHON" -c '
import json, sys, jinja2
strict = len(sys.argv) > 4
env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1].split(":")), trim_blocks=True,
                         autoescape=False, undefined=jinja2.StrictUndefined if strict else jinja2.Undefined)
sys.stdout.write(env.get_template(sys.argv[2]).render(**json.loads(sys.argv[3])) + "\n")
' "$@"
}

# The job's context (the "context:" block of the job YAML), as JSON.
job_context() {
	"$PYTHON" -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])).get("context", {})))' "$1"
}

cmd_ramdisk() {
	local debarch=$1 root abi bb
	root="$OUT/ramdisk-$debarch"
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,kselftest}
	bb="$CACHE/busybox-static-$debarch"
	deb_extract "busybox-static:$debarch" "$bb"
	cp "$bb/bin/busybox" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	ln -s busybox "$root/bin/setsid"
	ln -s busybox "$root/bin/cttyhack"
	ln -s busybox "$root/bin/mount"
	for abi in $(abis_of_debarch "$debarch"); do
		# probes.list: what write_cell expects of every cell.
		make -s -C "$ROOT" -j2 ABI="$abi" kselftest-install INSTALL_PATH="$root/kselftest" "build/$abi/probes.list" >&2 ||
			die "make ABI=$abi kselftest-install failed"
	done
	install -m 755 "$LAVA_DIR/init.sh" "$root/init"
	install -m 755 "$LAVA_DIR/guest.sh" "$root/bin/seccomp-suite-lava"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$OUT/ramdisk-$debarch.cpio.tmp"
	mv "$OUT/ramdisk-$debarch.cpio.tmp" "$OUT/ramdisk-$debarch.cpio"
	rm -rf "$root"
	echo "$OUT/ramdisk-$debarch.cpio"
}

# render_job SPEC URL-BASE NO-KVM: the job file of one kernel; prints its path.
render_job() {
	local spec=$1 url_base=$2 no_kvm=$3 version debarch pkg image kernel_url ramdisk_url job
	version=${spec%:*} debarch=${spec#*:}
	pkg=$(resolve_kernel "$version" "$debarch")
	if [ -n "$url_base" ]; then
		# A lab fetches both over http(s): the names the files have here.
		image=$(basename "$(fetch_kernel "$pkg" "$debarch")")
		kernel_url="$url_base/$image"
		ramdisk_url="$url_base/ramdisk-$debarch.cpio"
	else
		kernel_url="file://$(fetch_kernel "$pkg" "$debarch")"
		ramdisk_url="file://$OUT/ramdisk-$debarch.cpio"
	fi
	machine_of "$debarch"
	job="$OUT/jobs/seccomp-suite-${pkg#linux-image-}.yaml"
	mkdir -p "$OUT/jobs"
	jinja "$LAVA_DIR" job.yaml.jinja2 "$(jq -n --arg version "$VERSION" --arg kernel_package "$pkg" \
		--arg debarch "$debarch" --arg kernel_url "$kernel_url" --arg ramdisk_url "$ramdisk_url" \
		--arg console "console=$CONSOLE" --arg mark "$MARK" --arg abis "$(abis_of_debarch "$debarch")" --argjson no_kvm "$no_kvm" \
		'{version: $version, kernel_package: $kernel_package, debarch: $debarch, kernel_url: $kernel_url,
		  ramdisk_url: $ramdisk_url, console: $console, mark: $mark, abis: $abis, no_kvm: $no_kvm,
		  job_minutes: 60, test_minutes: 45}')" strict >"$job.tmp"
	mv "$job.tmp" "$job"
	echo "$job"
}

cmd_render() {
	local kernels=$1 url_base=$2 no_kvm=$3 spec
	for spec in $(guests_of "$kernels"); do
		render_job "$spec" "$url_base" "$no_kvm"
	done
}

# lava_log DIR: lava-run's log (DIR/lava-run.log: its stdout, one YAML flow
# mapping a line, nearly always JSON) -> DIR/console.log, the console text
# (LAVA's "target" lines, with the \" its shell logger writes for every "
# turned back), and DIR/results.txt, "CASE RESULT" per LAVA test case of the
# seccomp-suite definition.
lava_log() {
	"$PYTHON" -c '
import json, sys, yaml
d = sys.argv[1]
with open(d + "/lava-run.log") as log, open(d + "/console.log", "w") as console, open(d + "/results.txt", "w") as results:
    for line in log:
        try:
            e = json.loads(line)
        except ValueError:
            try:
                e = yaml.safe_load(line)
            except yaml.YAMLError:
                continue
        if not isinstance(e, dict):
            continue
        msg = e.get("msg")
        if e.get("lvl") == "target" and isinstance(msg, str):
            console.write(msg.replace("\\\"", "\"") + "\n")
        elif e.get("lvl") == "results" and isinstance(msg, dict) and msg.get("definition") != "lava":
            results.write("%s %s\n" % (msg.get("case"), msg.get("result")))
' "$1"
}

cmd_run() {
	local kernels=$1 spec debarch debarches="" job dir rc fails=0 start device abis
	command -v lava-run >/dev/null || lava_unavailable "lava-run is not installed (ci/install-deps.sh lava: Debian's lava-dispatcher)"
	command -v cpio >/dev/null || lava_unavailable "cpio is not installed (ci/install-deps.sh matrix)"
	for spec in $(guests_of "$kernels"); do
		debarch=${spec#*:}
		machine_of "$debarch"
		command -v "$QEMU" >/dev/null || lava_unavailable "$QEMU is not installed (ci/install-deps.sh matrix)"
		case " $debarches " in *" $debarch "*) ;; *) debarches="$debarches $debarch" ;; esac
	done
	mkdir -p "$OUT" "$CACHE"
	# lava-server's device types, from its package, unpacked here only.
	deb_extract lava-server "$OUT/lava-server"
	for debarch in $debarches; do
		cmd_ramdisk "$debarch" >/dev/null
	done
	# shellcheck disable=SC2034
	MATRIX=$OUT
	# shellcheck disable=SC2034
	SETS=$(cd "$ROOT/cases" && ls *.cases | sed 's/\.cases$//' | LC_ALL=C sort | paste -sd ' ')
	rm -f "$OUT"/*.jsonl "$OUT"/*.ktap "$OUT"/timing-*.tsv
	for spec in $(guests_of "$kernels"); do
		debarch=${spec#*:}
		job=$(render_job "$spec" "" true)
		dir="$OUT/run-$(basename "$job" .yaml)"
		rm -rf "$dir"
		mkdir -p "$dir"
		device="$dir/device.yaml"
		jinja "$LAVA_DIR:$OUT/lava-server/usr/share/lava-server/device-types" device.jinja2 "$(job_context "$job")" >"$device"
		start=$(now_us)
		rc=0
		lava-run --job-id "$(date +%s)" --output-dir "$dir" --device "$device" "$job" >"$dir/lava-run.log" 2>&1 || rc=$?
		lava_log "$dir"
		echo "lava $(basename "$job" .yaml): lava-run exit $rc in $(us_to_seconds $(($(now_us) - start))) s; LAVA test cases: $(awk '{ n[$2]++ } END { for (r in n) printf "%d %s ", n[r], r }' "$dir/results.txt")" >&2
		[ "$rc" -eq 0 ] || { echo "lava $(basename "$job" .yaml): lava-run failed: $dir/lava-run.log" >&2; fails=1; }
		grep -qv ' pass$' "$dir/results.txt" && fails=1
		abis=$(abis_of_debarch "$debarch")
		# The console as the matrix reads a guest's (guest.sh prints its
		# marked lines): a cell per ABI, a failed result for every (set,
		# probe) the job did not report.  OUT_DIR: where finish_run says the
		# console is.
		# shellcheck disable=SC2086
		OUT_DIR=$dir finish_run "lava $(basename "$job" .yaml)" "${dir##*/run-seccomp-suite-}" "$dir/console.log" "$start" exited "$rc" $abis || fails=1
	done
	# The per-set runner times (the matrix's timing.tsv) are not kept here.
	rm -f "$OUT"/timing-*.tsv
	local files=("$OUT"/*.jsonl)
	[ -e "${files[0]}" ] || die "no job produced results"
	table_tsv "${files[@]}" | awk -F'\t' '{ printf "%-20s %-24s %-1s", $1, $2, $3; for (i = 4; i <= NF; i++) printf " %-16s", $i; printf "\n" }'
	for f in "${files[@]}"; do
		jq -rs --arg c "$(basename "$f" .jsonl)" '"\($c): \(length) results: " + (group_by(.result) | map("\(length) \(.[0].result)") | join(", "))' "$f"
	done
	jq -e -s 'any(.[]; .result == "fail")' "${files[@]}" >/dev/null && fails=1
	return "$fails"
}

main() {
	local cmd=${1:-} kernels url_base="" no_kvm=true
	kernels=$(default_kernels)
	[ $# -gt 0 ] && shift
	case "$cmd" in
	-h | --help | "") usage; [ -n "$cmd" ] || exit 64; exit 0 ;;
	ramdisk)
		[ $# -ge 1 ] || { usage >&2; exit 64; }
		local debarch=$1
		shift
		[ "${1:-}" != --out ] || { OUT=$(realpath -m "$2"); shift 2; }
		command -v cpio >/dev/null || lava_unavailable "cpio is not installed (ci/install-deps.sh matrix)"
		mkdir -p "$OUT" "$CACHE"
		cmd_ramdisk "$debarch"
		return ;;
	render | run) ;;
	*) echo "farms/lava/lava.sh: unknown command '$cmd'" >&2; usage >&2; exit 64 ;;
	esac
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernels) kernels=${2:?--kernels needs a list}; shift 2 ;;
		--url-base) url_base=${2:?--url-base needs a URL}; url_base=${url_base%/}; shift 2 ;;
		--kvm) no_kvm=false; shift ;;
		--out) OUT=$(realpath -m "${2:?--out needs a directory}"); shift 2 ;;
		*) echo "farms/lava/lava.sh: unknown argument '$1'" >&2; exit 64 ;;
		esac
	done
	case "$cmd" in
	render) cmd_render "$kernels" "$url_base" "$no_kvm" ;;
	run) cmd_run "$kernels" ;;
	esac
}

main "$@"
