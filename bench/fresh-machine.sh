#!/usr/bin/env bash
# The main job on a fresh Debian 12 (make fresh-machine; not part of make
# test): debootstrap a minimal bookworm under build/fresh-machine/, clone
# this checkout's HEAD into it, and time in the chroot what `./run.sh` does
# there: install the core packages (ci/install-deps.sh, apt-get update
# included), build (make all), run (./run.sh, everything in place).  Each
# step is the very command run.sh runs for that part, in run.sh's order.
#   bench/fresh-machine.sh [--mirror URL] [--keep] [--out DIR]
# As root; needs debootstrap and the Debian archive.  /proc, /sys and /dev
# are mounted in the chroot only while it runs and are always unmounted;
# the chroot is removed unless --keep.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
mirror=http://deb.debian.org/debian keep=0 out="$HERE/build/results/fresh-machine"
while [ $# -gt 0 ]; do
	case "$1" in
	--mirror) [ -n "${2:-}" ] || { echo "fresh-machine: --mirror needs a URL" >&2; exit 64; }
		mirror=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--out) [ -n "${2:-}" ] || { echo "fresh-machine: --out needs a directory" >&2; exit 64; }
		out=$2; shift 2 ;;
	-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "fresh-machine: unknown option '$1'" >&2; exit 64 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: run as root (debootstrap, chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "fresh-machine: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }

work="$HERE/build/fresh-machine"
root="$work/root"
mounted=()

# Unmount what this script mounted (last first), and check that nothing
# is left mounted under the chroot whatever happened.
unmount_all() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
	done
	mounted=()
	if findmnt -rn -o TARGET | grep -q "^$root/"; then
		echo "fresh-machine: still mounted under $root:" >&2
		findmnt -rn -o TARGET | grep "^$root/" >&2
		return 1
	fi
}
cleanup() {
	local rc=$?
	unmount_all || rc=1
	if [ "$keep" = 0 ] && [ -d "$root" ] && ! findmnt -rn -o TARGET | grep -q "^$root/"; then
		rm -rf --one-file-system "$root"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
mmss() { awk -v s="$1" 'BEGIN { printf "%d min %02d s", s / 60, s % 60 }'; }

# A left-over chroot from an interrupted run: its mounts first.
if [ -d "$root" ]; then
	findmnt -rn -o TARGET | grep "^$root/" | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf --one-file-system "$root"
fi
mkdir -p "$work" "$out"
log="$out/fresh-machine.log"
: >"$log"

echo "fresh-machine: debootstrap --variant=minbase bookworm ($mirror) into $root" >&2
t0=$(now)
debootstrap --variant=minbase bookworm "$root" "$mirror" >>"$log" 2>&1 ||
	{ echo "fresh-machine: debootstrap failed (see $log)" >&2; exit 1; }
t1=$(now)
# What a Debian 12 installation lists: the release, its updates, security.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
git clone --quiet --no-hardlinks "$HERE" "$root/root/seccomp-suite"
commit=$(git -C "$root/root/seccomp-suite" rev-parse --short HEAD)

mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")

# One step in the chroot, with a clean environment: "SECONDS STATUS" on
# stdout.  A step that exits above MAX_STATUS stops the measurement.
step() {
	local name=$1 max=$2 cmd=$3 a b rc=0
	echo "fresh-machine: $name: $cmd" >&2
	echo "== $name: $cmd" >>"$log"
	a=$(now)
	chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c "cd /root/seccomp-suite && $cmd" >>"$log" 2>&1 || rc=$?
	b=$(now)
	[ "$rc" -le "$max" ] || { echo "fresh-machine: $name failed (exit $rc; see $log)" >&2; exit 1; }
	echo "$(secs "$a" "$b") $rc"
}

packages0=$(chroot "$root" dpkg-query -W -f='.\n' | wc -l)
read -r install _ < <(step install 0 "ci/install-deps.sh core")
packages1=$(chroot "$root" dpkg-query -W -f='.\n' | wc -l)
read -r build _ < <(step build 0 "make -s all")
# ./run.sh exits 1 when a case failed: timed all the same, and said.
read -r run run_rc < <(step run 1 "./run.sh")
total=$((install + build + run))

unmount_all
{
	echo "seccomp-suite on a fresh Debian 12 (debootstrap --variant=minbase bookworm, $packages0 packages), commit $commit"
	echo "host: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), Linux $(uname -r), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "debootstrap itself (not counted): $(mmss "$(secs "$t0" "$t1")")"
	echo
	printf '%-40s %s\n' "install (ci/install-deps.sh core: +$((packages1 - packages0)) packages)" "$(mmss "$install")"
	printf '%-40s %s\n' "build (make all)" "$(mmss "$build")"
	printf '%-40s %s\n' "run (./run.sh, the main job: exit $run_rc)" "$(mmss "$run")"
	printf '%-40s %s\n' "./run.sh on a fresh machine, in all" "$(mmss "$total")"
} | tee "$out/fresh-machine.txt"
jq -n --arg commit "$commit" --argjson install "$install" --argjson build "$build" --argjson run "$run" \
	--argjson run_status "$run_rc" \
	--argjson packages_before "$packages0" --argjson packages_after "$packages1" \
	'{commit: $commit, install_s: $install, build_s: $build, run_s: $run, run_status: $run_status,
	  total_s: ($install + $build + $run),
	  packages_before: $packages_before, packages_after: $packages_after}' >"$out/fresh-machine.json"
