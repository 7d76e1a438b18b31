#!/usr/bin/env bash
# farms/lava/lava.sh: the seccomp-suite kselftest collection as LAVA jobs,
# one per kernel and architecture of the matrix (qemu device type, Debian's
# kernels, the collection in a ramdisk).  farms/lava/lava.sh --help
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# The matrix's pieces, called rather than copied: its data (default_kernels,
# all_abis, abis_of_debarch, machine_of: matrix/), resolve_kernel,
# fetch_kernel, unavailable, MARK, CACHE.  Sourced, matrix/matrix.sh only
# defines them (its main runs when it is executed).  Then the LAVA pieces
# (farms/lava/engine.sh: the ramdisk, the job), which the matrix's lava
# engine uses too.
# shellcheck source=matrix/matrix.sh
. "$ROOT/matrix/matrix.sh"
# shellcheck source=farms/lava/engine.sh
. "$ROOT/farms/lava/engine.sh"
# The ABIs abis_of_debarch chooses among: the default ABIs of matrix/abis (the opt-in ppc64le and s390x only through the matrix's --arches).
# shellcheck disable=SC2034
ARCHES=$(default_abis)
OUT="$ROOT/build/lava"

usage() {
	cat <<EOF
usage: farms/lava/lava.sh render [--kernels LIST] [--url-base URL] [--kvm] [--out DIR]
       farms/lava/lava.sh ramdisk DEBARCH [--out DIR]
       farms/lava/lava.sh run [MATRIX-OPTION...]

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
  run      the same as ./run.sh matrix --engine lava MATRIX-OPTION...: each
           job run here with lava-run (no server), the results in the
           matrix's cells, reports and table (build/matrix, or --out)

  --kernels LIST  VERSION:DEBARCH,... (default: the matrix's guests:
                  $(guests_of "$(default_kernels)" | tr ' ' ,); matrix/kernels)
  --out DIR       default: build/lava

The same jobs in a real lab (its qemu devices have their own dictionaries):
  farms/lava/lava.sh ramdisk amd64      # build/lava/ramdisk-amd64.cpio
  farms/lava/lava.sh render --kernels 6.1:amd64 --url-base https://HOST/PATH --kvm
  # upload build/lava/ramdisk-amd64.cpio and the kernel (render fetched it:
  # build/matrix/cache/linux-image-RELEASE/boot/vmlinuz-RELEASE) to
  # https://HOST/PATH/, then
  lavacli -i LAB jobs submit build/lava/jobs/seccomp-suite-RELEASE.yaml

Exit status: 0 done; 1 failed; 3 a package is not available here; 64 usage.
EOF
}

die() {
	echo "farms/lava/lava.sh: $*" >&2
	exit 1
}

unavailable() {
	echo "farms/lava/lava.sh: $*" >&2
	exit 3
}

guests_of() {
	local spec out=()
	for spec in ${1//,/ }; do
		case "$spec" in
		host) ;;
		*:*) out+=("$spec") ;;
		*) die "kernel '$spec': VERSION:DEBARCH[@SUITE] expected (6.1:amd64)" ;;
		esac
	done
	echo "${out[@]}"
}

# render_job SPEC URL-BASE NO-KVM: the job file of one kernel, the whole
# collection; prints its path.
render_job() {
	local spec=$1 url_base=$2 no_kvm=$3 version debarch suite="" pkg image kernel_url ramdisk_url job
	version=$(guest_version "$spec") debarch=$(guest_debarch "$spec")
	case "$spec" in *@*) suite=$(guest_suite "$spec") ;; esac
	pkg=$(resolve_kernel "$version" "$debarch" "$suite")
	image=$(fetch_kernel "$pkg" "$debarch" "$suite")
	if [ -n "$url_base" ]; then
		# A lab fetches both over http(s): the names the files have here.
		kernel_url="$url_base/$(basename "$image")"
		ramdisk_url="$url_base/ramdisk-$debarch.cpio"
	else
		kernel_url="file://$image"
		ramdisk_url="file://$OUT/ramdisk-$debarch.cpio"
	fi
	job="$OUT/jobs/seccomp-suite-${pkg#linux-image-}.yaml"
	mkdir -p "$OUT/jobs"
	job_yaml "$pkg" "$debarch" "$kernel_url" "$ramdisk_url" "$no_kvm" "" 60 >"$job.tmp"
	mv "$job.tmp" "$job"
	echo "$job"
}

main() {
	local cmd=${1:-} kernels url_base="" no_kvm=true spec
	kernels=$(default_kernels "$ARCHES")
	[ $# -gt 0 ] && shift
	case "$cmd" in
	-h | --help | "") usage; [ -n "$cmd" ] || exit 64; exit 0 ;;
	run) exec "$ROOT/matrix/matrix.sh" --engine lava "$@" ;;
	ramdisk)
		[ $# -ge 1 ] || { usage >&2; exit 64; }
		local debarch=$1
		shift
		[ "${1:-}" != --out ] || { OUT=$(realpath -m "$2"); shift 2; }
		command -v cpio >/dev/null || unavailable "cpio is not installed (./run.sh deps matrix)"
		machine_of "$debarch"
		mkdir -p "$OUT" "$CACHE"
		# shellcheck disable=SC2046
		lava_ramdisk "$debarch" "$OUT" $(abis_of_debarch "$debarch")
		return ;;
	render) ;;
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
	for spec in $(guests_of "$kernels"); do
		render_job "$spec" "$url_base" "$no_kvm"
	done
}

main "$@"
