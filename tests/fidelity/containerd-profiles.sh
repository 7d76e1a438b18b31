#!/bin/bash
# containerd-profiles.sh DIR: containerd's default profile for each GOARCH
# of $CONTAINERD_GOARCHES (default amd64 and arm64), each for containerd's default capabilities, those plus
# CAP_SYS_ADMIN, and every capability this process holds, written by
# containerd's own code (tests/fidelity/containerd-profile, built with the
# Go environment the caller exports: GO111MODULE=off, GOPATH over Debian's
# /usr/share/gocode).  containerd picks the architectures and the
# architecture's own calls from runtime.GOARCH, so the generator is built
# once per GOARCH; the foreign one runs under qemu-user-static's emulator,
# taken from Debian 12's package with apt-get download and dpkg-deb into
# DIR/qemu (never installed: no binfmt handler is registered).  Prints
# DIR/INDEX's text: the package's version, then "MASK FILE CAPS" per
# profile.  An architecture that cannot be generated is a warning.
set -euo pipefail

dir=${1:?usage: containerd-profiles.sh DIR}
host=$(go env GOARCH)
dpkg-query -W -f '# ${Package} ${Version}\n' golang-github-containerd-containerd-dev

emulator() { # emulator GOARCH: the qemu-user program for it, fetched once
	local q
	case "$1" in
	arm64) q=aarch64 ;;
	amd64) q=x86_64 ;;
	ppc64le) q=ppc64le ;;
	s390x) q=s390x ;;
	*) return 1 ;;
	esac
	if [ ! -x "$dir/qemu/usr/bin/qemu-$q-static" ]; then
		mkdir -p "$dir/qemu"
		(cd "$dir/qemu" && rm -f qemu-user-static_*.deb &&
			apt-get -q -o APT::Sandbox::User=root download qemu-user-static >&2 &&
			dpkg-deb --fsys-tarfile qemu-user-static_*.deb | tar -x "./usr/bin/qemu-$q-static" &&
			rm -f qemu-user-static_*.deb) || return 1
	fi
	echo "$dir/qemu/usr/bin/qemu-$q-static"
}

for arch in ${CONTAINERD_GOARCHES:-amd64 arm64}; do
	run=()
	if [ "$arch" != "$host" ]; then
		if ! q=$(emulator "$arch"); then
			echo "warning: containerd-default for $arch not generated: no qemu-user-static emulator" >&2
			continue
		fi
		run=("$q")
	fi
	GOARCH=$arch go build -o "$dir/containerd-profile.$arch" ./tests/fidelity/containerd-profile
	# containerd's platforms package logs that it cannot read an emulated
	# CPU's variant: its log goes to a file, shown when a step fails.
	for opts in "" "-add CAP_SYS_ADMIN" "-all"; do
		# shellcheck disable=SC2086 # opts is words
		"${run[@]}" "$dir/containerd-profile.$arch" -out "$dir" $opts 2>>"$dir/generate.log" ||
			{ cat "$dir/generate.log" >&2; exit 1; }
	done
done
