#!/usr/bin/env bash
# The bundled profiles of other engines: podman-default (Debian 12's
# containers-common seccomp.json) and containerd-default (generated at build
# time by containerd's own code, tests/fidelity/containerd.mk), and the
# containerd backend (backends/containerd.sh).  Their expectation sets run
# in tests/cases.test.sh with every other set.
#   tests/profiles.test.sh build/<abi>
set -uo pipefail
OUT=${1:?usage: tests/profiles.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
RESOLVE=$OUT/bin/resolve-profile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
jqe() { jq -e "$@" >/dev/null; }
check() { # check NAME COMMAND...
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

case $(uname -m) in x86_64) goarch=amd64 ;; aarch64) goarch=arm64 ;; *) goarch=none ;; esac
# The generated file for Docker's 14 (mask a80425fb) on this architecture.
generated=$(awk -v a=".$goarch." '!/^#/ && $1 == "a80425fb" && index($2, a) {print $2}' build/containerd/INDEX.* 2>/dev/null)

# 1. resolve-profile --bundled names both, with the files they read.
"$RESOLVE" --bundled >"$tmp/bundled"
if [ -f /usr/share/containers/seccomp.json ]; then
	check "--bundled lists podman-default as Debian's containers-common file" \
		grep -qx $'podman-default\t/usr/share/containers/seccomp.json' "$tmp/bundled"
else
	skip "--bundled lists podman-default" "no /usr/share/containers/seccomp.json: apt-get install golang-github-containers-common"
fi
if [ -n "$generated" ]; then
	check "--bundled lists containerd-default as the generated file for Docker's 14 capabilities" \
		grep -q $'^containerd-default\t.*/build/containerd/'"$generated"'$' "$tmp/bundled"
else
	skip "--bundled lists containerd-default" "not generated: make containerd-profiles"
fi

# 2. Fail closed: no generated file for the architecture and capability
# set, and the refusal names the make target; nothing runs.
mkdir -p "$tmp/empty"
SECCOMP_SUITE_CONTAINERD_DIR=$tmp/empty "$RESOLVE" containerd-default >/dev/null 2>"$tmp/err"
rc=$?
check "containerd-default without its generated file is refused (exit $rc)" [ "$rc" -eq 2 ]
check "the refusal names make containerd-profiles" grep -q 'make containerd-profiles' "$tmp/err"
SECCOMP_SUITE_CONTAINERD_DIR=$tmp/empty "$OUT/probes/getpid" --profile containerd-default >"$tmp/line" 2>/dev/null
rc=$?
check "a probe under a refused containerd-default exits 2 and prints no line" test "$rc" -eq 2 -a ! -s "$tmp/line"
"$RESOLVE" --caps none containerd-default >/dev/null 2>&1
rc=$?
check "a capability set nothing was generated for is refused (exit $rc)" [ "$rc" -eq 2 ]

# 3. The generated object is containerd's: default EPERM (no
# defaultErrnoRet), the build host's architectures, clone3's ENOSYS rule
# without CAP_SYS_ADMIN and the unconditional clone with it.
if [ -n "$generated" ]; then
	f=build/containerd/$generated
	check "containerd-default: ERRNO default without defaultErrnoRet" \
		jqe '.defaultAction == "SCMP_ACT_ERRNO" and (has("defaultErrnoRet") | not)' "$f"
	check "containerd-default: clone3 gets errnoRet 38 without CAP_SYS_ADMIN" \
		jqe '[.syscalls[] | select(.names == ["clone3"] and .errnoRet == 38)] | length == 1' "$f"
	admin=build/containerd/$(awk -v a=".$goarch." '!/^#/ && $1 == "a82425fb" && index($2, a) {print $2}' build/containerd/INDEX.*)
	check "containerd-default +CAP_SYS_ADMIN: no ENOSYS rule, clone3 in the block" \
		jqe '([.syscalls[] | select(.errnoRet == 38)] | length == 0) and
			([.syscalls[] | select((.names | index("clone3")) and .action == "SCMP_ACT_ALLOW")] | length == 1)' "$admin"
	arm=$(awk '!/^#/ && $1 == "a80425fb" && index($2, ".arm64.") {print $2}' build/containerd/INDEX.*)
	if [ -n "$arm" ]; then
		check "containerd-default for arm64 (generated under qemu-user): arm and aarch64, arm's own calls" \
			jqe '.architectures == ["SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64"] and
				([.syscalls[] | select(.names | index("set_tls"))] | length == 1)' "build/containerd/$arm"
	else
		skip "containerd-default for arm64" "not generated (no qemu-user-static emulator)"
	fi
else
	skip "containerd-default's generated object" "not generated: make containerd-profiles"
fi

# 4. The engine: podman-default keeps defaultErrnoRet 38 by default, as
# Podman does; read as dockerd 20.10 reads it, its default becomes EPERM
# and exactly the set's "named nowhere" probes (ENOSYS lines) fail.
if [ -f /usr/share/containers/seccomp.json ]; then
	"$OUT/probes/add_key" --profile podman-default >"$tmp/add_key"
	check "podman-default: a call it does not name fails with ENOSYS by the filter" \
		jqe '.verdict == "errno" and .errno_name == "ENOSYS" and .by == "filter"' "$tmp/add_key"
	SECCOMP_SUITE_ENGINE=docker-20.10 "$OUT/bin/cases" --set podman-default >"$tmp/ktap" 2>&1
	failed=$(grep -c '^not ok' "$tmp/ktap")
	enosys=$(grep -cE '^[a-z_0-9.]+ +errno +ENOSYS ' cases/podman-default.cases)
	check "podman-default under docker-20.10: the $enosys ENOSYS lines fail, nothing else ($failed failed)" \
		[ "$failed" -eq "$enosys" ]
else
	skip "podman-default's engine" "no /usr/share/containers/seccomp.json"
fi

# 5. The containerd backend.  containerd-default runs as its generated
# file (ctr run --seccomp --seccomp-profile FILE, as every profile), so its
# run and its sentinel copy are one filter: (a) its verdicts under ctr
# against the same file run natively: the same on every probe but those
# runc's ENOSYS stub answers (numbers above the highest the profile names);
# (b) the installed containerd's own default (ctr run --seccomp, built for
# the container's capabilities) against that file, both under ctr, in
# plain mode: the same result on every probe, or this host's containerd is
# another version than the one the file was generated from.
if msg=$(bash -c '. backends/backend.sh; check_backend containerd' 2>&1) && [ -n "$generated" ]; then
	probes=$("$OUT/bin/probe-run" --list | jq -r .probe)
	# shellcheck disable=SC2086
	backends/backend.sh run containerd containerd-default docker-default $probes >"$tmp/ctr.jsonl" 2>"$tmp/ctr.err"
	# shellcheck disable=SC2086
	"$OUT/bin/probe-run" --profile containerd-default --out "$tmp/native.jsonl" -- $probes >/dev/null 2>&1
	check "containerd backend: every probe decided ($(jq -s 'length' "$tmp/ctr.jsonl") lines)" \
		jqe -s "length == $(wc -w <<<"$probes") and all(.verdict != \"error\")" "$tmp/ctr.jsonl"
	jq -nr --slurpfile a "$tmp/native.jsonl" --slurpfile b "$tmp/ctr.jsonl" '
		($b | map({(.probe // .syscall): .}) | add) as $ctr
		| $a[] | (.probe // .syscall) as $p | $ctr[$p] as $c
		| select(.verdict != $c.verdict or .errno_name != $c.errno_name or .by != $c.by)
		| "\($p) native \(.verdict) \(.errno_name) ctr \($c.verdict) \($c.errno_name) nr \(.nr)"' >"$tmp/differ"
	sed 's/^/# /' "$tmp/differ"
	# shellcheck disable=SC2016 # awk's own fields
	check "containerd-default under ctr and natively agree except runc's stub above 449" \
		awk '!($7 == "ENOSYS" && $NF > 449) {bad = 1} END {exit bad}' "$tmp/differ"
	"$RESOLVE" --caps docker-default containerd-default >"$tmp/ctr-oci.json"
	# shellcheck disable=SC2016,SC2086 # the inner script's own arguments
	bash -c '. backends/backend.sh; containerd_run default "$("$RESOLVE" --caps-list docker-default)" "$@"' _ $probes \
		>"$tmp/own.jsonl" 2>"$tmp/own.err"
	# shellcheck disable=SC2016,SC2086
	bash -c '. backends/backend.sh; containerd_run "$1" "$("$RESOLVE" --caps-list docker-default)" "${@:2}"' _ \
		"$tmp/ctr-oci.json" $probes >"$tmp/file.jsonl" 2>"$tmp/file.err"
	jq -nr --slurpfile a "$tmp/own.jsonl" --slurpfile b "$tmp/file.jsonl" '
		def key: {verdict: (.verdict // "returned"), failed: ((.ret // 0) < 0), errno_name};
		($b | map({(.probe // .syscall): key}) | add) as $file
		| $a[] | (.probe // .syscall) as $p
		| select(key != $file[$p]) | "\($p) ctr --seccomp \(key | tojson) file \($file[$p] | tojson)"' >"$tmp/own-differ"
	sed 's/^/# /' "$tmp/own-differ"
	check "ctr's own --seccomp and the containerd-default file agree under ctr on all $(jq -s length "$tmp/own.jsonl") probes" \
		jqe -n --slurpfile a "$tmp/own.jsonl" --slurpfile b "$tmp/file.jsonl" \
		"(\$a | length) == $(wc -w <<<"$probes") and (\$b | length) == (\$a | length) and $([ -s "$tmp/own-differ" ] && echo false || echo true)"
	backends/backend.sh run containerd unconfined docker-default getpid mount >"$tmp/unconf.jsonl" 2>/dev/null
	check "containerd backend, unconfined: mount reaches the kernel" \
		jqe -s 'map(select(.probe == "mount" or .syscall == "mount"))[0] | .verdict == "allowed"' "$tmp/unconf.jsonl"
else
	skip "containerd backend" "${msg:-containerd-default not generated}"
fi

tap_done
