#!/bin/sh
# Installs the Debian 12 packages seccomp-suite needs to build, test and run.
#   ci/install-deps.sh           install what is missing (as root)
#   ci/install-deps.sh --check   list what is missing; exit 1 if anything is
#   ci/install-deps.sh --print   print the apt-get line that installs it all
set -eu

# gcc, make, libc6-dev: the build; libseccomp-dev, libjson-c-dev: static
# libraries the probes link; linux-source-6.1: the kselftest harness;
# golang-github-docker-docker-dev: Docker's default profile (moby 20.10.24);
# jq: results; strace: the probe-safety tests.
PACKAGES="gcc make libc6-dev libseccomp-dev libjson-c-dev linux-source-6.1 xz-utils
golang-github-docker-docker-dev jq strace
docker.io runc crun podman golang-github-containers-common
hyperfine gnuplot-nox"
# docker.io, runc, crun, podman: the runtime backends (run.sh probe --backend,
# run.sh diff), run.sh check's Docker part and run.sh audit (tests start
# dockerd); golang-github-containers-common: Podman's default profile.
# hyperfine, gnuplot-nox: bench/ (process-level timings, plots).

missing() {
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
	done
}

case "${1:-}" in
--print)
	echo "apt-get update && apt-get install -y --no-install-recommends $(echo $PACKAGES)"
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
apt-get update -q
apt-get install -y -q --no-install-recommends $m
