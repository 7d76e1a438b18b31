#!/bin/bash
# fetch-moby26.sh DEST: Debian 13's golang-github-docker-docker-dev (moby
# 26.1.5, architecture all) unpacked into DEST/root, fetched from the trixie
# suite through a private apt configuration: a sources file, a lists
# directory and a cache under DEST/apt.  The host's own sources, lists,
# cache and package status are never read or written.
#
# The Go packages moby 26 needs that Debian 12 lacks or ships too old
# (containerd/log for oci/caps), and the runc and runtime-spec that Debian
# 13's docker.io is built with (the differential test asks that runc what it
# refuses), come from trixie too: FIDELITY_MOBY26_PACKAGES.
# DEST/VERSIONS ("PACKAGE VERSION" lines) is written last: the stamp.
set -euo pipefail

dest=${1:?usage: fetch-moby26.sh DEST}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
read -r -a packages <<< "${FIDELITY_MOBY26_PACKAGES:-golang-github-docker-docker-dev golang-github-containerd-log-dev golang-github-opencontainers-specs-dev golang-github-opencontainers-runc-dev}"

mkdir -p "$dest/apt/lists/partial" "$dest/apt/cache/archives/partial" "$dest/debs"
dest=$(cd "$dest" && pwd)
rm -f "$dest/VERSIONS" "$dest"/debs/*.deb
rm -rf "$dest/root"
cat > "$dest/apt/trixie.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

apt_opts=(
	-o "Dir::Etc::sourcelist=$dest/apt/trixie.sources"
	-o Dir::Etc::sourceparts=/dev/null
	-o "Dir::State::Lists=$dest/apt/lists"
	-o "Dir::Cache=$dest/apt/cache"
	-o Dir::State::status=/dev/null
	-o APT::Architectures=amd64
	-o APT::Sandbox::User=root
	-o Debug::NoLocking=1
	-q
)
update() { apt-get "${apt_opts[@]}" update >&2; }
compgen -G "$dest/apt/lists/*_Packages*" >/dev/null || update
cd "$dest/debs"
# Lists older than the archive name files it no longer has: update, retry.
apt-get "${apt_opts[@]}" download "${packages[@]}" >&2 ||
	{ update && apt-get "${apt_opts[@]}" download "${packages[@]}" >&2; }
mkdir -p "$dest/root"
for deb in "$dest"/debs/*.deb; do
	dpkg -x "$deb" "$dest/root"
done
for deb in "$dest"/debs/*.deb; do
	# shellcheck disable=SC2016 # dpkg-deb's own ${field} syntax
	dpkg-deb -W --showformat '${Package} ${Version}\n' "$deb"
done > "$dest/VERSIONS.tmp"
mv "$dest/VERSIONS.tmp" "$dest/VERSIONS"
echo "fetch-moby26: $(grep docker-docker-dev "$dest/VERSIONS") unpacked in $dest/root/usr/share/gocode" >&2
