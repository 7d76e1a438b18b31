#!/bin/sh
# Installs the Debian 12 packages seccomp-suite needs to build, test and run.
#   ci/install-deps.sh           install what is missing (as root)
#   ci/install-deps.sh --check   list what is missing; exit 1 if anything is
#   ci/install-deps.sh --print   print the apt-get line that installs it all
set -eu

# gcc, make, libc6-dev: the build; libseccomp-dev, libjson-c-dev: static
# libraries the probes link; linux-source-6.1: the kselftest harness;
# golang-github-docker-docker-dev: Docker's default profile (moby 20.10.24);
# jq: results; strace: the probe-safety tests; clang-14, libclang-rt-14-dev:
# `make fuzz` and `make sanitize` (libFuzzer, ASan, LSan, UBSan runtimes).
PACKAGES="gcc make libc6-dev libseccomp-dev libjson-c-dev linux-source-6.1 xz-utils
golang-github-docker-docker-dev jq strace clang-14 libclang-rt-14-dev
docker.io runc crun podman golang-github-containers-common
hyperfine gnuplot-nox
gcc-i686-linux-gnu libc6-dev-i386-cross libseccomp-dev:i386 libjson-c-dev:i386
gcc-aarch64-linux-gnu libc6-dev-arm64-cross libseccomp-dev:arm64 libjson-c-dev:arm64
qemu-system-x86 qemu-system-arm cpio"
# docker.io, runc, crun, podman: the runtime backends (run.sh probe --backend,
# run.sh diff), run.sh check's Docker part and run.sh audit (tests start
# dockerd); golang-github-containers-common: Podman's default profile.
# hyperfine, gnuplot-nox: bench/ (process-level timings, plots).
# The *-cross, :i386, :arm64, qemu and cpio packages are for ./run.sh matrix
# (ci/matrix.sh): cross compilers and their C libraries for `make ABI=i386`
# and `make ABI=aarch64`, the i386 and arm64 static libseccomp and json-c
# through multiarch (this adds the foreign dpkg architectures i386 and arm64
# to the host: see FOREIGN_ARCHES), qemu to boot Debian's kernels (fetched
# later with apt-get download, never installed), and cpio for the guests'
# initramfs.
# dpkg --add-architecture for these: a lasting change to the host's package
# configuration (apt then also fetches their package lists); no foreign
# program is run on the host.
FOREIGN_ARCHES="i386 arm64"

add_foreign_arches() {
	for a in $FOREIGN_ARCHES; do
		dpkg --print-foreign-architectures | grep -qx "$a" || dpkg --add-architecture "$a"
	done
}

missing() {
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
	done
}

case "${1:-}" in
--print)
	echo "for a in $FOREIGN_ARCHES; do dpkg --add-architecture \$a; done; apt-get update && apt-get install -y --no-install-recommends $(echo $PACKAGES)"
	exit 0
	;;
--check)
	m=$(missing)
	[ -z "$m" ] && exit 0
	echo $m
	exit 1
	;;
"") ;;
*)
	echo "usage: ci/install-deps.sh [--check|--print]" >&2
	exit 64
	;;
esac

m=$(missing)
[ -z "$m" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "seccomp-suite needs these Debian packages: $(echo $m)" >&2
	echo "as root: apt-get update && apt-get install -y --no-install-recommends $(echo $m)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
add_foreign_arches
# A mirror caught mid-sync fails one index file; the install below still
# fails clearly if a package really cannot be found.
apt-get update -q || echo "install-deps: apt-get update reported errors; trying the install anyway" >&2
apt-get install -y -q --no-install-recommends $m
