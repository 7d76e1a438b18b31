# shellcheck shell=bash
# seccomp-suite: the containerd backend, sourced by backends/backend.sh.
#
# The probes run with `ctr run` on the containerd that docker.io already
# runs (dockerd starts its own: /var/run/docker/containerd/containerd.sock;
# a system containerd listens on /run/containerd/containerd.sock), in the
# suite's own namespace seccomp-suite, from an image imported with
# `ctr images import`: an OCI image layout whose one layer is the same
# rootfs tarball the docker and podman images are imported from.  ctr runs
# the container with runc (io.containerd.runc.v2), so runc's ENOSYS stub is
# in every filter, as under docker.
#
# Seccomp, as ctr takes it:
#   unconfined  no --seccomp: ctr applies no filter
#   FILE        ctr run --seccomp --seccomp-profile FILE: an OCI
#               linux.seccomp object, the profile resolved as dockerd would
#               resolve it (build/<abi>/bin/resolve-profile).  The bundled
#               name containerd-default goes this way too: its file is
#               generated at build time by containerd's own code
#               (build/containerd), so the run and its sentinel copy are the
#               same filter even when the installed containerd is another
#               version than golang-github-containerd-containerd-dev.
#   default     ctr run --seccomp: the installed containerd's own default,
#               built for the container's capabilities.  No profile maps to
#               it: tests/profiles.test.sh runs it to check that it agrees
#               with the generated containerd-default file on this host.
# Capabilities: ctr starts from containerd's default set (Docker's 14) and
# takes --cap-add, then --cap-drop; the set asked for is reached by adding
# what it has beyond the 14 and dropping what it lacks.
#
# Functions (backend.sh's helpers die, rootfs, WORK and IMAGE_PREFIX are used):
#   containerd_check              silent and 0 when usable, else one line and 1
#   containerd_version            "containerd VERSION (runc)"
#   containerd_seccomp OCI UNCONFINED   what container_run is given
#   containerd_run SECCOMP CAPS NAME... one container start (SECCOMP: FILE,
#                                       unconfined or default)

CONTAINERD_NAMESPACE="seccomp-suite"

# The socket: $SECCOMP_SUITE_CONTAINERD_ADDRESS, else dockerd's own
# containerd, else the system one.
containerd_address() {
	local a
	for a in "${SECCOMP_SUITE_CONTAINERD_ADDRESS:-}" /var/run/docker/containerd/containerd.sock /run/containerd/containerd.sock; do
		[ -n "$a" ] && [ -S "$a" ] && { echo "$a"; return 0; }
	done
	return 1
}

containerd_ctr() {
	ctr --address "$(containerd_address)" --namespace "$CONTAINERD_NAMESPACE" "$@"
}

containerd_check() {
	command -v ctr >/dev/null || { echo "ctr is not installed: apt-get install containerd"; return 1; }
	[ "$(id -u)" -eq 0 ] || { echo "ctr needs root to reach containerd's socket: run as root"; return 1; }
	containerd_address >/dev/null || {
		echo "no containerd socket (/var/run/docker/containerd/containerd.sock, /run/containerd/containerd.sock): start dockerd as root with 'dockerd --iptables=false --bridge=none >/var/log/dockerd.log 2>&1 &', or set SECCOMP_SUITE_CONTAINERD_ADDRESS"
		return 1
	}
	containerd_ctr version >/dev/null 2>&1 || { echo "containerd does not answer on $(containerd_address): $(containerd_ctr version 2>&1 | tail -n1)"; return 1; }
}

containerd_version() {
	echo "containerd $(containerd_ctr version 2>/dev/null | awk '/^Server:/{s=1} s && /Version:/{print $2; exit}') (runc)"
}

# The image, imported when the rootfs changed: an OCI image layout (one
# uncompressed layer, the rootfs tarball) made here with sha256sum and jq,
# named by the rootfs checksum.  Images of earlier builds go.
containerd_image() {
	local sum tag dir layer config manifest
	rootfs >/dev/null
	sum=$(cat "$WORK/rootfs.stamp")
	# backend.sh's IMAGE_PREFIX, under localhost/ (a fully qualified name,
	# as Podman gives an imported image).
	tag="localhost/$IMAGE_PREFIX:$sum"
	if ! containerd_ctr images check "name==$tag" 2>/dev/null | grep -q "$tag"; then
		dir=$(mktemp -d "$WORK/oci-image.XXXXXX")
		mkdir -p "$dir/blobs/sha256"
		layer=$(sha256sum <"$WORK/rootfs.tar" | cut -d' ' -f1)
		cp "$WORK/rootfs.tar" "$dir/blobs/sha256/$layer"
		jq -nc --arg arch "$(go_arch)" --arg layer "sha256:$layer" \
			'{architecture: $arch, os: "linux", config: {Env: ["PATH=/"]},
			  rootfs: {type: "layers", diff_ids: [$layer]}}' >"$dir/config.json"
		config=$(sha256sum <"$dir/config.json" | cut -d' ' -f1)
		mv "$dir/config.json" "$dir/blobs/sha256/$config"
		jq -nc --arg config "sha256:$config" --argjson csize "$(stat -c %s "$dir/blobs/sha256/$config")" \
			--arg layer "sha256:$layer" --argjson lsize "$(stat -c %s "$dir/blobs/sha256/$layer")" \
			'{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
			  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $csize},
			  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $layer, size: $lsize}]}' \
			>"$dir/manifest.json"
		manifest=$(sha256sum <"$dir/manifest.json" | cut -d' ' -f1)
		jq -nc --arg m "sha256:$manifest" --argjson size "$(stat -c %s "$dir/manifest.json")" --arg tag "$tag" \
			'{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
			  digest: $m, size: $size, annotations: {"io.containerd.image.name": $tag}}]}' >"$dir/index.json"
		mv "$dir/manifest.json" "$dir/blobs/sha256/$manifest"
		echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
		tar -C "$dir" -cf "$dir.tar" oci-layout index.json blobs
		rm -rf "$dir"
		containerd_ctr images import "$dir.tar" >/dev/null 2>&1 || { rm -f "$dir.tar"; die "ctr images import of the probes' image failed"; }
		rm -f "$dir.tar"
		local old
		for old in $(containerd_ctr images ls -q 2>/dev/null | grep "^localhost/$IMAGE_PREFIX:"); do
			[ "$old" = "$tag" ] || containerd_ctr images rm "$old" >/dev/null 2>&1 || true
		done
	fi
	echo "$tag"
}

go_arch() {
	case "$ABI" in
	x86_64) echo amd64 ;;
	aarch64) echo arm64 ;;
	*) echo "$ABI" ;;
	esac
}

# containerd_seccomp OCI_FILE UNCONFINED: what containerd_run is given for
# a profile: its resolved linux.seccomp object (containerd-default's too,
# so that the sentinel copy is of the filter that ran), or unconfined.
containerd_seccomp() {
	if [ "$2" = true ]; then echo unconfined; else echo "$1"; fi
}

# containerd_run SECCOMP CAPS NAME...: probe-run's lines on stdout, ctr's
# complaints on stderr, ctr's status.
containerd_run() {
	local seccomp=$1 caps=$2
	shift 2
	local args=(--rm --read-only) c defaults id rc=0
	defaults=$("$RESOLVE" --caps-list docker-default)
	for c in $caps; do
		grep -qx "$c" <<<"${defaults// /$'\n'}" || args+=(--cap-add "$c")
	done
	for c in $defaults; do
		grep -qx "$c" <<<"${caps// /$'\n'}" || args+=(--cap-drop "$c")
	done
	case "$seccomp" in
	unconfined) ;;
	default) args+=(--seccomp) ;;
	*) args+=(--seccomp --seccomp-profile "$seccomp") ;;
	esac
	id="seccomp-suite-$$-$RANDOM"
	timeout 600 ctr --address "$(containerd_address)" --namespace "$CONTAINERD_NAMESPACE" run "${args[@]}" \
		"$(containerd_image)" "$id" /probe-run -- "$@" </dev/null || rc=$?
	containerd_ctr containers rm "$id" >/dev/null 2>&1 || true
	return "$rc"
}
