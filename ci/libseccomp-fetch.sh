#!/bin/bash
# libseccomp-fetch.sh DEST: Debian 13's libseccomp source package (2.6.0)
# unpacked into DEST/src with dpkg-source, fetched from the trixie suite
# through a private apt configuration under DEST/apt (its own sources file,
# lists and cache; the host's sources, lists, cache and package status are
# never read or written).  DEST/VERSION ("libseccomp VERSION") is written
# last: the stamp.
set -euo pipefail

dest=${1:?usage: libseccomp-fetch.sh DEST}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=${LIBSECCOMP_SUITE:-trixie}

mkdir -p "$dest/apt/lists/partial" "$dest/apt/cache/archives/partial" "$dest/dsc"
dest=$(cd "$dest" && pwd)
rm -f "$dest/VERSION"
rm -rf "$dest/src"
cat > "$dest/apt/$suite.sources" <<SOURCES
Types: deb-src
URIs: $mirror
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

apt_opts=(
	-o "Dir::Etc::sourcelist=$dest/apt/$suite.sources"
	-o Dir::Etc::sourceparts=/dev/null
	-o "Dir::State::Lists=$dest/apt/lists"
	-o "Dir::Cache=$dest/apt/cache"
	-o Dir::State::status=/dev/null
	-o APT::Sandbox::User=root
	-o Debug::NoLocking=1
	-q
)
update() { apt-get "${apt_opts[@]}" update >&2; }
compgen -G "$dest/apt/lists/*_Sources*" >/dev/null || update
cd "$dest/dsc"
# Lists older than the archive name files it no longer has: update, retry.
apt-get "${apt_opts[@]}" source --download-only libseccomp >&2 ||
	{ update && apt-get "${apt_opts[@]}" source --download-only libseccomp >&2; }
dsc=$(ls -t "$dest"/dsc/libseccomp_*.dsc | head -n1)
# apt checked every file against the signed archive (Release, Sources);
# dpkg-source checks them against the .dsc again (it has no keyring for
# the uploader's signature, and says so).
dpkg-source -x "$dsc" "$dest/src" >&2
version=$(sed -n 's/^Version: //p' "$dsc")
printf 'libseccomp %s\n' "$version" > "$dest/VERSION.tmp"
mv "$dest/VERSION.tmp" "$dest/VERSION"
echo "libseccomp-fetch: libseccomp $version unpacked in $dest/src" >&2
