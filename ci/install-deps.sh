#!/bin/sh
# Installs the Debian 12 packages seccomp-suite needs, by what they are for.
#   ci/install-deps.sh [GROUP...]           install what is missing (as root)
#   ci/install-deps.sh --check [GROUP...]   list what is missing; exit 1 if anything is
#   ci/install-deps.sh --print [GROUP...]   print the apt-get line that installs it
# GROUP: core (the default: what ./run.sh's main job needs), backends, bench,
# matrix, matrix-extra (the opt-in ABIs ppc64le and s390x), fidelity, farms,
# lava, test (everything `make test` exercises), all.
set -eu

# core: gcc, make, libc6-dev: the build; libseccomp-dev, libjson-c-dev:
# static libraries the probes link; linux-source-6.1 (and xz-utils to read
# it): the kselftest harness; golang-github-docker-docker-dev: Docker's
# default profile (moby 20.10.24); golang-github-containers-common: Podman's
# default profile (podman-default); golang-go, golang-github-containerd-
# containerd-dev, golang-gocapability-dev: containerd's default profile
# (containerd-default, Kubernetes' RuntimeDefault), which containerd's own Go
# code generates at build time (tests/fidelity/containerd.mk); jq: results.
CORE="gcc make libc6-dev libseccomp-dev libjson-c-dev linux-source-6.1 xz-utils
golang-github-docker-docker-dev golang-github-containers-common
golang-go golang-github-containerd-containerd-dev golang-gocapability-dev jq"
# backends: the runtime backends (run.sh probe --backend, run.sh diff), run.sh
# check's Docker part and run.sh audit; golang-github-containers-common:
# Podman's default profile.
BACKENDS="docker.io runc crun podman golang-github-containers-common"
# bench: process-level timings and plots.
BENCH="hyperfine gnuplot-nox strace"
# matrix: cross compilers and their C libraries for `make ABI=i386`,
# `make ABI=aarch64` and `make ABI=arm` (armhf), the i386, arm64 and armhf
# static libseccomp and json-c through multiarch (this adds the foreign dpkg
# architectures i386, arm64 and armhf to the host: see FOREIGN_ARCHES), qemu
# to boot Debian's kernels (fetched later with apt-get download through a
# private apt configuration under build/, never installed), cpio for the
# guests' initramfs; gperf and dpkg-dev (dpkg-source): libseccomp 2.6.0
# built from Debian 13's source package for the libseccomp dimension
# (ci/libseccomp.mk).
MATRIX="gcc-i686-linux-gnu libc6-dev-i386-cross libseccomp-dev:i386 libjson-c-dev:i386
gcc-aarch64-linux-gnu libc6-dev-arm64-cross libseccomp-dev:arm64 libjson-c-dev:arm64
gcc-arm-linux-gnueabihf libc6-dev-armhf-cross libseccomp-dev:armhf libjson-c-dev:armhf
qemu-system-x86 qemu-system-arm cpio
gperf dpkg-dev"
# matrix-extra: the opt-in ABIs of the matrix (--arches ppc64le,s390x):
# cross compilers, C libraries and the static libseccomp and json-c of
# ppc64el and s390x through multiarch (this adds those two foreign dpkg
# architectures: see EXTRA_ARCHES), qemu-system-ppc (qemu-system-ppc64) and
# qemu-system-misc (qemu-system-s390x).
MATRIX_EXTRA="gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross libseccomp-dev:ppc64el libjson-c-dev:ppc64el
gcc-s390x-linux-gnu libc6-dev-s390x-cross libseccomp-dev:s390x libjson-c-dev:s390x
qemu-system-ppc qemu-system-misc"
# fidelity: the differential test builds moby's and runc's own Go code
# offline against Debian's packaged sources (tests/fidelity/).
FIDELITY="golang-go golang-github-opencontainers-runc-dev golang-github-seccomp-libseccomp-golang-dev
golang-gocapability-dev pkg-config golang-github-containerd-containerd-dev"
# farms: Ansible (ansible-core alone, 2.14: the playbook uses only its
# builtin modules) for the fleet recipe farms/fleet/playbook.yml, which
# tests/farms.test.sh runs against localhost; file(1): that test checks the
# collection's programs are static.
FARMS="ansible-core file"
# lava: Debian's lava-dispatcher (2023.01, about 140 packages with
# libguestfs; installed without recommends) for lava-run, which runs the
# LAVA jobs of farms/lava/ here without a server (tests/lava.test.sh); with
# the matrix group's qemu, cpio and cross builds.  lava-server is never
# installed: its qemu device type is read from its .deb.
LAVA="lava-dispatcher"
# check: make check's linters, formatter (clang-format) and second compiler; clang-14 and
# libclang-rt-14-dev: `make fuzz` and `make sanitize` (libFuzzer, ASan, LSan,
# UBSan runtimes).
CHECK="shellcheck cppcheck clang clang-14 libclang-rt-14-dev clang-format"
# test: strace for the probe-safety tests, and every group above (the tests
# exercise each command).
TEST="strace"
# dpkg --add-architecture for the matrix: a lasting change to the host's
# package configuration (apt then also fetches their package lists); no
# foreign program is run on the host.
FOREIGN_ARCHES="i386 arm64 armhf"
# Only for matrix-extra (not part of `all`).
EXTRA_ARCHES="ppc64el s390x"

usage() {
	echo "usage: ci/install-deps.sh [--check|--print] [core|backends|bench|matrix|matrix-extra|fidelity|farms|lava|check|test|all]..." >&2
	exit 64
}

mode=install
case "${1:-}" in
--check|--print) mode=${1#--}; shift ;;
-h|--help) usage ;;
esac
[ $# -gt 0 ] || set -- core
PACKAGES=""
needs_arches=0
for g in "$@"; do
	case "$g" in
	core) PACKAGES="$PACKAGES $CORE" ;;
	backends) PACKAGES="$PACKAGES $CORE $BACKENDS" ;;
	bench) PACKAGES="$PACKAGES $CORE $BENCH" ;;
	matrix) PACKAGES="$PACKAGES $CORE $MATRIX"; needs_arches=1 ;;
	matrix-extra) PACKAGES="$PACKAGES $CORE $MATRIX $MATRIX_EXTRA"; needs_arches=1; FOREIGN_ARCHES="$FOREIGN_ARCHES $EXTRA_ARCHES" ;;
	fidelity) PACKAGES="$PACKAGES $CORE $FIDELITY" ;;
	farms) PACKAGES="$PACKAGES $CORE $FARMS" ;;
	lava) PACKAGES="$PACKAGES $CORE $MATRIX $LAVA"; needs_arches=1 ;;
	check) PACKAGES="$PACKAGES $CORE $CHECK" ;;
	test|all) PACKAGES="$PACKAGES $CORE $BACKENDS $BENCH $MATRIX $FIDELITY $FARMS $LAVA $CHECK $TEST"; needs_arches=1 ;;
	*) usage ;;
	esac
done
PACKAGES=$(printf '%s\n' $PACKAGES | sort -u | tr '\n' ' ')

add_foreign_arches() {
	[ "$needs_arches" = 1 ] || return 0
	for a in $FOREIGN_ARCHES; do
		dpkg --print-foreign-architectures | grep -qx "$a" || dpkg --add-architecture "$a"
	done
}

missing() {
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
	done
}

apt_line() {
	arches=""
	[ "$needs_arches" = 0 ] || arches="for a in $FOREIGN_ARCHES; do dpkg --add-architecture \$a; done; "
	echo "${arches}apt-get update && apt-get install -y --no-install-recommends $*"
}

case "$mode" in
print)
	apt_line $PACKAGES
	exit 0
	;;
check)
	m=$(missing)
	[ -z "$m" ] && exit 0
	echo $m
	exit 1
	;;
esac

m=$(missing)
[ -z "$m" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "seccomp-suite needs these Debian packages: $(echo $m)" >&2
	echo "as root: $(apt_line $m)" >&2
	exit 1
fi
echo "install-deps: $(apt_line $m)" >&2
export DEBIAN_FRONTEND=noninteractive
add_foreign_arches
# A mirror caught mid-sync fails one index file; the install below still
# fails clearly if a package really cannot be found.
apt-get update -q || echo "install-deps: apt-get update reported errors; trying the install anyway" >&2
apt-get install -y -q --no-install-recommends $m
