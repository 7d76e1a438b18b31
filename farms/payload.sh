#!/bin/sh
# farms/payload.sh DEST: one ABI's suite as it runs without a checkout, the
# piece the kselftest collection, the dist tarball and the LAVA ramdisk all
# carry (farms/farms.mk calls it; run from the top of the checkout):
#   bin/        the static programs, stripped
#   probes/     the probe programs, only while the cases runner executes them
#   profiles/   the bundled profiles, with a copy of Debian's default.json
#   cases/      the expectation sets and what they include
#   kconfig     the kernel options the probes' expectations assume
#   MANIFEST    version, ABI, and each bundled profile's origin and sha256
#   seccomp-suite   the entry point (farms/dist/seccomp-suite)
#   VERSION, SHA256SUMS (every other file's)
# Environment (farms/farms.mk): ABI OUT STRIP PROGRAMS WITH_PROBES VERSION
# DOCKER_DEFAULT (Debian's default.json, the path lib/policy.h names).
set -eu

dest=${1:?usage: farms/payload.sh DEST}
: "${ABI:?}" "${OUT:?}" "${STRIP:?}" "${PROGRAMS:?}" "${VERSION:?}" "${DOCKER_DEFAULT:?}"
WITH_PROBES=${WITH_PROBES:-}

die() {
	echo "farms/payload.sh: $*" >&2
	exit 1
}

# Debian's default.json, as its package shipped it: dpkg's own md5sum of the
# file must match, so that a locally edited copy never becomes "Docker's
# default" in a fleet's reports.
[ -r "$DOCKER_DEFAULT" ] ||
	die "$DOCKER_DEFAULT: missing (Debian's golang-github-docker-docker-dev: ci/install-deps.sh core)"
pkg=$(dpkg-query -S "$DOCKER_DEFAULT" 2>/dev/null | cut -d: -f1) ||
	die "$DOCKER_DEFAULT: no installed Debian package owns it"
pkg_version=$(dpkg-query -W -f '${Version}' "$pkg")
md5_list=$(ls /var/lib/dpkg/info/"$pkg".md5sums /var/lib/dpkg/info/"$pkg":*.md5sums 2>/dev/null | head -n1)
want=$(awk -v f="${DOCKER_DEFAULT#/}" '$2 == f { print $1 }' "$md5_list")
have=$(md5sum <"$DOCKER_DEFAULT" | cut -d' ' -f1)
[ -n "$want" ] && [ "$want" = "$have" ] ||
	die "$DOCKER_DEFAULT differs from what $pkg $pkg_version shipped (md5 $have, dpkg recorded ${want:-nothing}): reinstall the package"

rm -rf "$dest"
mkdir -p "$dest/bin" "$dest/profiles" "$dest/cases"
for p in $PROGRAMS; do
	"$STRIP" -o "$dest/bin/$p" "$OUT/bin/$p"
done
if [ -n "$WITH_PROBES" ]; then
	mkdir "$dest/probes"
	for p in "$OUT"/probes/*; do
		"$STRIP" -o "$dest/probes/${p##*/}" "$p"
	done
fi
cp profiles/*.json "$dest/profiles/"
cp "$DOCKER_DEFAULT" "$dest/profiles/docker-default.json"
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
	echo "profile.docker-default.file=profiles/docker-default.json"
	echo "profile.docker-default.source=$DOCKER_DEFAULT"
	echo "profile.docker-default.package=$pkg"
	echo "profile.docker-default.package_version=$pkg_version"
	echo "profile.docker-default.sha256=$(sha256sum <"$DOCKER_DEFAULT" | cut -d' ' -f1)"
	for f in profiles/*.json; do
		n=$(basename "$f" .json)
		echo "profile.$n.file=profiles/$n.json"
		echo "profile.$n.source=seccomp-suite"
		echo "profile.$n.sha256=$(sha256sum <"$f" | cut -d' ' -f1)"
	done
} >"$dest/MANIFEST"

cp farms/dist/seccomp-suite "$dest/seccomp-suite"
chmod 755 "$dest/seccomp-suite"
(cd "$dest" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum >SHA256SUMS)
