#!/bin/sh
# farms/payload.sh DEST: one ABI's suite as it runs without a checkout, the
# piece the kselftest collection, the dist tarball and the LAVA ramdisk all
# carry (farms/farms.mk calls it; run from the top of the checkout):
#   bin/        the static programs, stripped (the probes are linked into
#               the cases runner and probe-run)
#   profiles/   the bundled profiles, with copies of Debian's Docker defaults
#   cases/      the expectation sets and what they include
#   kconfig     the kernel options the probes' expectations assume
#   MANIFEST    version, ABI, and each bundled profile's origin and sha256
#   seccomp-suite   the entry point (farms/dist/seccomp-suite)
#   VERSION, SHA256SUMS (every other file's)
# Environment (farms/farms.mk): ABI OUT STRIP PROGRAMS VERSION, and the
# Docker defaults (the paths lib/policy.h names): DOCKER_DEFAULT (Debian
# 12's, from the installed package) and DOCKER_26_DEFAULT with DOCKER_26_DEB
# (Debian 13's, from the .deb `make moby26` fetched).
set -eu

dest=${1:?usage: farms/payload.sh DEST}
: "${ABI:?}" "${OUT:?}" "${STRIP:?}" "${PROGRAMS:?}" "${VERSION:?}"
: "${DOCKER_DEFAULT:?}" "${DOCKER_26_DEFAULT:?}" "${DOCKER_26_DEB:?}"

die() {
	echo "farms/payload.sh: $*" >&2
	exit 1
}

# A Docker default as its Debian package shipped it: the package's own md5sum
# of the file must match, so that a locally edited copy never becomes
# "Docker's default" in a fleet's reports.
#   debian_profile NAME FILE [DEB]: copied to profiles/NAME.json, its
#   provenance lines for MANIFEST appended to $dest.manifest.  Without DEB:
#   the installed package that owns FILE (dpkg's md5sums).
debian_profile() {
	name=$1 file=$2 deb=${3:-}
	[ -r "$file" ] || die "$name: $file: missing (ci/install-deps.sh core; make moby26 for docker-26-default)"
	if [ -z "$deb" ]; then
		pkg=$(dpkg-query -S "$file" 2>/dev/null | cut -d: -f1) || die "$name: $file: no installed Debian package owns it"
		version=$(dpkg-query -W -f '${Version}' "$pkg")
		list=$(ls /var/lib/dpkg/info/"$pkg".md5sums /var/lib/dpkg/info/"$pkg":*.md5sums 2>/dev/null | head -n1)
		sums=$(cat "$list")
		path=/${file#/}
	else
		[ -r "$deb" ] || die "$name: $deb: missing (make moby26)"
		pkg=$(dpkg-deb -f "$deb" Package)
		version=$(dpkg-deb -f "$deb" Version)
		sums=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./md5sums)
		# The file as the package installs it.
		path=/usr/share/${file#*/usr/share/}
	fi
	want=$(printf '%s\n' "$sums" | awk -v f="${path#/}" '$2 == f { print $1 }')
	have=$(md5sum <"$file" | cut -d' ' -f1)
	[ -n "$want" ] && [ "$want" = "$have" ] ||
		die "$name: $file differs from what $pkg $version shipped as $path (md5 $have, the package's ${want:-none})"
	cp "$file" "$dest/profiles/$name.json"
	{
		echo "profile.$name.file=profiles/$name.json"
		echo "profile.$name.source=$path"
		echo "profile.$name.package=$pkg"
		echo "profile.$name.package_version=$version"
		echo "profile.$name.sha256=$(sha256sum <"$file" | cut -d' ' -f1)"
	} >>"$dest.manifest"
}

rm -rf "$dest" "$dest.manifest"
mkdir -p "$dest/bin" "$dest/profiles" "$dest/cases"
debian_profile docker-default "$DOCKER_DEFAULT"
debian_profile docker-26-default "$DOCKER_26_DEFAULT" "$DOCKER_26_DEB"
for p in $PROGRAMS; do
	"$STRIP" -o "$dest/bin/$p" "$OUT/bin/$p"
done
cp profiles/*.json "$dest/profiles/"
# The sets and what they include or name (cases/profiles/), not the runner's source.
tar -C cases --exclude='*.c' -cf - . | tar -C "$dest/cases" -xf -

# Every option a probe's comment says its unconfined errno needs ("ENOSYS
# without CONFIG_X"), plus seccomp itself; x86 options only on x86 ABIs,
# and the compat ABI for i386 programs.
{
	echo CONFIG_SECCOMP=y
	echo CONFIG_SECCOMP_FILTER=y
	[ "$ABI" != i386 ] || echo CONFIG_IA32_EMULATION=y
	for f in probes/*.c; do
		tr '\n' ' ' <"$f" | sed 's/ \* / /g' | grep -oE 'without +(CONFIG_[A-Z0-9_]+/?)+' || true
	done | grep -oE 'CONFIG_[A-Z0-9_]+' |
		case "$ABI" in x86_64 | i386) cat ;; *) grep -v '^CONFIG_X86_' ;; esac |
		sed 's/$/=y/'
} | sort -u >"$dest/kconfig"

echo "$VERSION" >"$dest/VERSION"
{
	echo "suite=seccomp-suite"
	echo "version=$VERSION"
	echo "abi=$ABI"
	cat "$dest.manifest"
	for f in profiles/*.json; do
		n=$(basename "$f" .json)
		echo "profile.$n.file=profiles/$n.json"
		echo "profile.$n.source=seccomp-suite"
		echo "profile.$n.sha256=$(sha256sum <"$f" | cut -d' ' -f1)"
	done
} >"$dest/MANIFEST"
rm -f "$dest.manifest"

cp farms/dist/seccomp-suite "$dest/seccomp-suite"
chmod 755 "$dest/seccomp-suite"
(cd "$dest" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum >SHA256SUMS)
