#!/usr/bin/env bash
# ./run.sh matrix: the suite across kernels and ABIs.  The host runs it on
# its own kernel; every other kernel is a Debian linux-image booted once in
# qemu (TCG) with an initramfs holding the cases runner of each ABI the
# kernel executes and matrix/init.c as PID 1, which runs every (ABI, set)
# job of the plan, in parallel where the guest has CPUs for it.  One results
# file per cell (kernel x ABI) under build/matrix/, then one table.  What the
# matrix covers (ABIs, qemu machines, default kernels) is data in matrix/.
# ./run.sh matrix --help
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA="$HERE/matrix"
MATRIX="$HERE/build/matrix"
CACHE="$HERE/build/matrix/cache"
MARK="@@seccomp-suite-matrix"
HOST_ABI=$(uname -m)
# The kselftest collection the suite installs as: a farm's run_kselftest.sh
# names each set's test "selftests: seccomp-suite: SET" and the runner names
# the per-probe subtests SET.PROBE; a cell's .ktap uses the same names.
KSFT_COLLECTION=seccomp-suite
# The runner's limit per probe child and per profile compile in a guest
# (--timeout MS; its default, 5 s, stays on the host): a TCG guest sharing
# the machine's CPUs with the other guests and builds runs 10-50 times
# slower than the host, and a starved guest is slow, not failing (measured:
# docker-26-default's compile took over 5 s in a 6.1 guest, 6 guests on 2
# loaded CPUs).
GUEST_TIMEOUT_MS=60000
DEFAULT_STALL=180
DEFAULT_CAP=3600
# --libseccomp 2.6: every runner from build/<abi>-libseccomp2.6 (make
# ABI=<abi> libseccomp-2.6, docs/libseccomp.md) instead of build/<abi>.
LSC_SUFFIX=""

# shellcheck source=matrix/watch.sh
. "$DATA/watch.sh"

# The lines of a matrix/ data file, without comments and blank lines.
data_lines() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$DATA/$1"
}
all_abis() { data_lines abis | awk '{ print $1 }' | paste -sd,; }
# The ABIs of the default matrix: all but those matrix/abis marks opt-in.
default_abis() { data_lines abis | awk '$4 != "opt-in" { print $1 }' | paste -sd,; }
# The default kernels (matrix/kernels' SPEC column): those whose Debian
# architecture runs one of the ABIs ABIS (comma list; default: the default
# ABIs of matrix/abis, so the opt-in architectures' kernels only when asked).
default_kernels() {
	local spec abis=${1:-$(default_abis)} out=()
	for spec in $(data_lines kernels | awk '{ print $1 }'); do
		case "$spec" in
		*:*) [ -n "$(ARCHES=$abis abis_of_debarch "${spec#*:}")" ] || continue ;;
		esac
		out+=("$spec")
	done
	echo "${out[@]}" | tr ' ' ,
}

usage() {
	cat <<EOF
usage: ./run.sh matrix [--kernels LIST] [--arches LIST] [--sets LIST] [--jobs N]
                       [--stall S] [--timeout S] [--smp N] [--out DIR] [--json]

Runs the case sets (build/<abi>/bin/cases) on this host and in a qemu guest
per Debian kernel, for every ABI each kernel executes (x86_64 and i386 on
amd64 kernels, aarch64 and arm on arm64), and prints one table: probe x set
x cell (kernel, ABI).  Each guest boots once and runs every ABI and set.

  --kernels LIST  comma list of: host (this machine's kernel), VERSION:DEBARCH
                  (5.10:amd64, 6.12:arm64: the newest Debian
                  linux-image-VERSION.*-cloud-DEBARCH package of the suite
                  matrix/kernels names for it, or of VERSION:DEBARCH@SUITE;
                  suites: matrix/suites; flavor and qemu machine per DEBARCH:
                  matrix/machines), or a bare VERSION for every Debian
                  architecture that --arches needs (default, from
                  matrix/kernels: those whose architecture runs an ABI of
                  --arches: $(default_kernels "$(default_abis)"))
  --arches LIST   ABIs to run (default, from matrix/abis: $(default_abis);
                  all: $(all_abis))
  --sets LIST     expectation sets (cases/NAME.cases) to assert (default: all)
  --jobs N        guests booted at the same time (default: all of them; each
                  takes 1.5 GB of memory and keeps a CPU busy)
  --stall S       a guest whose console shows no new line for S seconds is
                  hung: stopped and reported so (default $DEFAULT_STALL).  A guest
                  that keeps printing is never called hung, however slow.
  --timeout S     safety net: a guest still running after S seconds in all
                  is stopped and reported as having exceeded the overall
                  limit while still making progress (default $DEFAULT_CAP)
  --smp N         vCPUs per guest; its init runs that many (ABI, set) jobs at
                  once (default: this machine's CPUs shared among the guests
                  running at once, at least 1)
  --libseccomp V  2.5 (default: Debian 12's) or 2.6: the runners built against
                  Debian 13's libseccomp 2.6.0 (make libseccomp-2.6); results
                  go to build/matrix-libseccomp2.6 unless --out
  --out DIR       results and reports go there (default: build/matrix)
  --json          print every cell's JSON Lines on stdout instead of the table
  --engine E      native (default) or lava: each guest a LAVA job run with
                  lava-run (farms/lava/engine.sh), same cells and table

Kernels are fetched with apt-get download through a private apt
configuration per suite (build/matrix/apt/; the host's apt sources are
never used) into build/matrix/cache/ (only their /boot is unpacked; nothing
is installed); a guest's initramfs (the
runner of each ABI, and the probe programs only for a runner that needs
them; the sets and profiles) is built once per content and kept there under
its hash; the run's plan follows it as a second small archive.  Writes to
build/matrix/ (or --out), replacing the previous run's files at the end:
KERNEL-ABI.jsonl per cell (its results; ./run.sh compare takes any two),
KERNEL-ABI.ktap per cell (as kselftest's run_kselftest.sh prints the
$KSFT_COLLECTION collection: a test "selftests: $KSFT_COLLECTION: SET" per set with
the runner's KTAP nested, so a cell compares by name with a kernel CI
farm's results), console-KERNEL.log per guest, timing.tsv (the runner's
exit status and seconds per kernel, ABI and set), report.md, report.html.
Progress, boot and cell times go to stderr.
Interrupted (SIGINT, SIGTERM), it stops the guests and the host's jobs and
leaves the previous results as they were.
Exit status: 0 every cell ran and nothing failed; 1 a guest hung, panicked
or exceeded the overall limit, or a result failed; 3 a kernel package or
qemu is not available here; 64 usage; 130/143 interrupted.
EOF
}

die() {
	echo "run.sh matrix: $*" >&2
	exit 1
}

usage_error() {
	echo "run.sh matrix: $*" >&2
	exit 64
}

# A kernel or qemu this machine cannot get: exit 3, so that a test can tell
# "cannot run here" from "ran and failed".
unavailable() {
	echo "run.sh matrix: $*" >&2
	exit 3
}

# abi_field ABI COLUMN: a column of matrix/abis (2: DEBARCH, 3: STRIP).
abi_field() {
	local v
	v=$(data_lines abis | awk -v a="$1" -v c="$2" '$1 == a { print $c }')
	[ -n "$v" ] || usage_error "unknown ABI '$1' (matrix/abis: $(all_abis))"
	echo "$v"
}
debarch_of_abi() { abi_field "$1" 2; }

# The ABIs a kernel of DEBARCH executes, among those asked for.
abis_of_debarch() {
	local debarch=$1 abi out=()
	for abi in ${ARCHES//,/ }; do
		[ "$(debarch_of_abi "$abi")" = "$debarch" ] && out+=("$abi")
	done
	echo "${out[@]}"
}

# A guest's parts: VERSION:DEBARCH@SUITE.
guest_version() { echo "${1%%:*}"; }
guest_debarch() { local d=${1#*:}; echo "${d%@*}"; }
guest_suite() { echo "${1#*@}"; }

# machine_of DEBARCH: QEMU, QEMU_ARGS (an array), CONSOLE, INIT_ABI, FLAVOR
# and APPEND (more kernel command line) from matrix/machines.
machine_of() {
	local line
	line=$(data_lines machines | awk -F'|' -v d="$1" '{ k = $1; gsub(/[ \t]/, "", k) } k == d')
	[ -n "$line" ] || die "no qemu machine for Debian architecture '$1' (matrix/machines)"
	IFS='|' read -r _ QEMU QEMU_ARGS CONSOLE INIT_ABI FLAVOR APPEND <<<"$line"
	read -r QEMU <<<"$QEMU"
	read -r CONSOLE <<<"$CONSOLE"
	read -r INIT_ABI <<<"$INIT_ABI"
	read -r FLAVOR <<<"$FLAVOR"
	read -r APPEND <<<"$APPEND"
	[ "$APPEND" != - ] || APPEND=""
	read -r -a QEMU_ARGS <<<"$QEMU_ARGS"
}

# The Debian suite a kernel comes from: SPEC's "@SUITE", else its line in
# matrix/kernels, else the suite's own release (bookworm, Debian 12).
DEFAULT_SUITE=bookworm
suite_of() {
	local spec=$1 suite
	case "$spec" in *@*) echo "${spec#*@}"; return ;; esac
	suite=$(data_lines kernels | awk -v s="$spec" '$1 == s { print $2 }')
	echo "${suite:-$DEFAULT_SUITE}"
}

# apt_private SUITE DEBARCH: APT_OPTS, the options of a private apt
# configuration for SUITE's DEBARCH packages under build/matrix/apt/ (its
# own sources.list from matrix/suites, package lists, cache and an empty
# dpkg status): the host's apt sources and state are never read or changed.
# The lists are fetched the first time, and again when a download fails.
apt_private() {
	local suite=$1 debarch=$2 dir="$HERE/build/matrix/apt/$1-$2" sources
	sources=$(data_lines suites | awk -v s="$suite" -v k="$APT_KEYRING" \
		'$1 == s { printf "deb [signed-by=%s] %s", k, $2; for (i = 3; i <= NF; i++) printf " %s", $i; print "" }')
	[ -n "$sources" ] || usage_error "no Debian suite '$suite' in matrix/suites"
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/state"
	[ -f "$dir/sources.list" ] && [ "$(cat "$dir/sources.list")" = "$sources" ] || echo "$sources" >"$dir/sources.list"
	[ -f "$dir/state/status" ] || : >"$dir/state/status"
	APT_OPTS=(-o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=-
		-o Dir::State="$dir/state" -o Dir::State::Lists="$dir/lists" -o Dir::State::status="$dir/state/status"
		-o Dir::Cache="$dir/cache" -o APT::Architecture="$debarch" -o APT::Architectures::="$debarch"
		-o APT::Sandbox::User=root -o Acquire::Languages=none)
	compgen -G "$dir/lists/*_Packages*" >/dev/null || apt_update "$suite" "$debarch"
}
APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# apt_update SUITE DEBARCH: fetches the private lists (APT_OPTS set).  A
# distribution that cannot be reached (a mirror mid-sync, a security archive
# gone) is a warning: the packages of the others are still found.
apt_update() {
	rm -f "$HERE/build/matrix/apt/$1-$2/undownloadable"
	apt-get "${APT_OPTS[@]}" update -q >"$HERE/build/matrix/apt/$1-$2/update.log" 2>&1 ||
		echo "matrix: apt-get update for $1 ($2) reported errors (build/matrix/apt/$1-$2/update.log); using what it fetched" >&2
}

# The kernel packages SUITE's DEBARCH lists name (loading apt's cache takes
# a second); resolve_kernel picks from them.
kernel_names() {
	apt_private "$1" "$2"
	apt-cache "${APT_OPTS[@]}" pkgnames linux-image- 2>/dev/null || echo none
}

# kernel_candidates VERSION DEBARCH SUITE: the packages
# linux-image-VERSION.N...-FLAVOR (matrix/machines: cloud-amd64) SUITE's
# DEBARCH lists name, newest first, else those in the cache.  Each release's
# -unsigned twin (the same kernel without the Secure Boot signature, which
# qemu does not check) follows it: bullseye-security lists signed arm64
# images its pool does not have.
kernel_candidates() {
	local version=$1 debarch=$2 suite=$3 pattern pkgs
	machine_of "$debarch"
	pattern="^linux-image-${version//./\\.}[.-][0-9].*-${FLAVOR}(-unsigned)?\$"
	pkgs=$(kernel_names "$suite" "$debarch" | grep -E "$pattern" || true)
	[ -n "$pkgs" ] || pkgs=$(find "$CACHE" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | grep -E "$pattern" || true)
	[ -n "$pkgs" ] || return 0
	awk '{ k = $0; u = sub(/-unsigned$/, "", k); print k "\t" u "\t" $0 }' <<<"$pkgs" |
		sort -t "$(printf '\t')" -k1,1rV -k2,2n | cut -f3
}

# The kernel package for VERSION on DEBARCH from SUITE (default: suite_of):
# the newest candidate that downloads (fetch_newest; it is then in the
# cache, where fetch_kernel finds it).
resolve_kernel() {
	local version=$1 debarch=$2 suite=${3:-}
	[ -n "$suite" ] || suite=$(suite_of "$version:$debarch")
	fetch_newest "$version" "$debarch" "$suite"
}

# fetch_newest VERSION DEBARCH SUITE: the newest candidate that is in the
# cache or downloads (a mirror caught mid-sync lists a package its pool does
# not have yet: the next older one is taken, said on stderr); prints it.
fetch_newest() {
	local pkg tried=0 candidates failed="$HERE/build/matrix/apt/$3-$2/undownloadable"
	candidates=$(kernel_candidates "$@")
	for pkg in $candidates; do
		# What did not download stays skipped until the lists are fetched
		# again (apt_update empties the file).
		! grep -qxF "$pkg" "$failed" 2>/dev/null || continue
		tried=$((tried + 1))
		[ "$tried" -le 12 ] || break
		# The lists are fetched again after the first failure only.
		if (APT_UPDATED=$([ "$tried" = 1 ] || echo 1) fetch_kernel "$pkg" "$2" "$3" >/dev/null 2>&1); then
			[ "$pkg" = "$(head -n1 <<<"$candidates")" ] ||
				echo "matrix: $1:$2 from $3: took $pkg (the newer packages listed did not download: $failed)" >&2
			echo "$pkg"
			return 0
		fi
		echo "$pkg" >>"$failed"
	done
	machine_of "$2"
	[ -n "$candidates" ] || unavailable "no Debian package linux-image-$1.*-$FLAVOR in $3 for $2 (matrix/suites; build/matrix/apt/$3-$2/)"
	unavailable "no linux-image-$1.*-$FLAVOR of $3 for $2 could be downloaded (build/matrix/apt/$3-$2/)"
}

# Download (from SUITE, default: suite_of) and unpack /boot of a kernel
# package into the cache; prints the kernel image (vmlinuz-RELEASE;
# ppc64el's is an uncompressed vmlinux-RELEASE).  Only /boot: the modules
# are not needed (the initramfs has everything the guest runs) and dpkg -x
# of the whole package is 5x larger.  Debian's kernel packages keep their
# build configuration there too (boot/config-RELEASE).
fetch_kernel() {
	local pkg=$1 debarch=$2 suite=${3:-} dir="$CACHE/$1" deb version
	if ! ls "$dir"/boot/vmlinu[xz]-* >/dev/null 2>&1; then
		if [ -z "$suite" ]; then
			version=${pkg#linux-image-}
			version=$(grep -oE '^[0-9]+\.[0-9]+' <<<"$version")
			suite=$(suite_of "$version:$debarch")
		fi
		apt_private "$suite" "$debarch"
		mkdir -p "$dir"
		(cd "$dir" && apt-get "${APT_OPTS[@]}" download -q "$pkg:$debarch" >/dev/null 2>&1 ||
			{ [ -z "${APT_UPDATED:-}" ] && apt_update "$suite" "$debarch" &&
				apt-get "${APT_OPTS[@]}" download -q "$pkg:$debarch" >/dev/null 2>&1; }) ||
			{ rm -rf "$dir"; unavailable "apt-get download $pkg:$debarch from $suite failed (build/matrix/apt/$suite-$debarch/)"; }
		deb=$(ls "$dir"/*.deb | head -n1)
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" ./boot
		rm -f "$deb"
	fi
	ls "$dir"/boot/vmlinu[xz]-* | head -n1
}

# Whether the cases runner runs the probe programs of build/<abi>/probes/
# (today's runner) or judges the probes itself (the probe table linked in,
# no exec): a copy of the host's runner, laid out as in a guest without
# probes (bin/cases, no probes/ beside it, SECCOMP_SUITE_PROBES naming a
# directory that does not exist), is asked to judge one harmless case.  The
# cross-built runners come from the same source.  A guest then carries the
# runner alone, or the runner and the probes.
runner_needs_probes() {
	local dir rc=0
	dir=$(mktemp -d)
	mkdir "$dir/bin"
	cp "$HERE/build/$HOST_ABI/bin/cases" "$dir/bin/"
	SECCOMP_SUITE_PROBES="$dir/probes" SECCOMP_SUITE_CASES="$HERE/cases" SECCOMP_SUITE_PROFILES="$HERE/profiles" \
		"$dir/bin/cases" --set unconfined getpid >/dev/null 2>&1 || rc=$?
	rm -rf "$dir"
	[ "$rc" -ne 0 ]
}

# plan ROOT SUITE TMP ABI... : a cell's work in the plan language of
# matrix/init.c: one job per (set, ABI), the runner's results shown on
# the console after its KTAP.  ROOT holds <abi>/bin/cases (and <abi>/probes/
# for a runner that needs them; /suite in a guest, build/ on the host),
# SUITE holds profiles/ and cases/.  "jobs 0": as many at once as the
# machine (the guest: --smp) has CPUs.  PLAN_TIMEOUT_MS: the runner's --timeout.
plan() {
	local root=$1 suite=$2 tmp=$3 abi set results timeout=""
	shift 3
	[ -z "${PLAN_TIMEOUT_MS:-}" ] || timeout=" --timeout $PLAN_TIMEOUT_MS"
	echo "env SECCOMP_SUITE_PROFILES=$suite/profiles"
	echo "env SECCOMP_SUITE_CASES=$suite/cases"
	echo "jobs 0"
	for set in $SETS; do
		for abi in "$@"; do
			results="$tmp/results-$abi-$set.jsonl"
			echo "run $abi/$set $results $root/$abi${ROOT_SUFFIX:-}/bin/cases --set $set --results $results$timeout"
		done
	done
}

# The files of a guest's initramfs, one a line: DESTINATION, SOURCE, and the
# strip program for it ("-": copied as it is), tab-separated.  init, the
# runner of each ABI (and the probes, when the runner needs them), the
# bundled profiles, the case sets and what they include or name
# (cases/profiles/), not the runner's source, and the profiles the runners
# find at absolute paths.
initramfs_files() {
	local abi strip src f
	printf 'init\t%s\t%s\n' "$HERE/build/$INIT_ABI/bin/matrix-init" "$(abi_field "$INIT_ABI" 3)"
	for abi in "$@"; do
		strip=$(abi_field "$abi" 3)
		printf 'suite/%s/bin/cases\t%s\t%s\n' "$abi" "$HERE/build/$abi$LSC_SUFFIX/bin/cases" "$strip"
		[ "$GUEST_PROBES" = 1 ] || continue
		for src in "$HERE/build/$abi$LSC_SUFFIX"/probes/*; do
			printf 'suite/%s/probes/%s\t%s\t%s\n' "$abi" "${src##*/}" "$src" "$strip"
		done
	done
	for src in "$HERE"/profiles/*.json; do
		printf 'suite/profiles/%s\t%s\t-\n' "${src##*/}" "$src"
	done
	(cd "$HERE/cases" && find . -name '*.c' -prune -o -type f -print) | sed 's|^\./||' | LC_ALL=C sort |
		while IFS= read -r f; do printf 'suite/cases/%s\t%s\t-\n' "$f" "$HERE/cases/$f"; done
	# The bundled profiles the runners read from absolute paths (Debian's
	# default.json; Docker 26's under build/fidelity/), at the same paths:
	# policy.c owns the names and paths, resolve-profile --bundled prints
	# them.  One missing here is missing in the guest too, and its set fails
	# alike.
	"$HERE/build/$(uname -m)/bin/resolve-profile" --bundled | cut -f2 | LC_ALL=C sort -u |
		while IFS= read -r f; do
			case "$f" in "$HERE"/profiles/*) continue ;; esac
			[ ! -f "$f" ] || printf '%s\t%s\t-\n' "${f#/}" "$f"
		done
}

# initramfs DEBARCH ABI...: prints the path of the guest's initramfs, a
# file of this run.  Two cpio archives one after the other (the kernel
# unpacks them in order): the suite's files, built once per content and kept
# in the cache under a key that hashes every file's destination and content
# and the recipe (the functions that choose, lay out and pack the files), and
# the run's plan (its sets), a few lines.  Ordinary file trees packed with
# cpio -R 0:0: no device nodes (the kernel's built-in initramfs has
# /dev/console; init mounts devtmpfs).
initramfs() {
	local debarch=$1 list key base stage dst src strip guest
	shift
	machine_of "$debarch"
	list=$(mktemp)
	initramfs_files "$@" >"$list"
	key=$({
		cut -f2 "$list" | xargs -d '\n' sha256sum | cut -d' ' -f1 | paste - "$list"
		declare -f initramfs_files initramfs
	} | sha256sum | cut -c1-20)
	base="$CACHE/initramfs-$debarch-$key.cpio"
	if [ -s "$base" ]; then
		touch "$base"
		echo "matrix: $debarch initramfs from the cache ($(du -h "$base" | cut -f1))" >&2
	else
		stage=$(mktemp -d)
		mkdir -p "$stage/dev" "$stage/proc" "$stage/tmp"
		while IFS=$'\t' read -r dst src strip; do
			case "$dst" in */*) mkdir -p "$stage/${dst%/*}" ;; esac
			if [ "$strip" = - ]; then cp "$src" "$stage/$dst"; else "$strip" -o "$stage/$dst" "$src"; fi
		done <"$list"
		(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$base.tmp.$$"
		mv "$base.tmp.$$" "$base"
		rm -rf "$stage"
		echo "matrix: $debarch initramfs built ($(du -h "$base" | cut -f1), $(wc -l <"$list") files)" >&2
		# The cache keeps the 8 most recently used.
		ls -t "$CACHE"/initramfs-*.cpio | tail -n +9 | xargs -r rm -f
	fi
	stage=$(mktemp -d)
	mkdir "$stage/suite"
	PLAN_TIMEOUT_MS=$GUEST_TIMEOUT_MS plan /suite /suite /tmp "$@" >"$stage/suite/plan"
	guest=$(mktemp)
	{
		cat "$base"
		(cd "$stage" && find suite | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
	} >"$guest"
	rm -rf "$stage" "$list"
	echo "$guest"
}

# split_console LOG DIR: the marked lines of a console into DIR: per job TAG
# ("/" becomes "@"): TAG.out (its KTAP and messages), TAG.jsonl (its results
# lines), TAG.exit ("STATUS secs=S"); kernel ("RELEASE MACHINE cpus=N
# jobs=N uptime=S"), done ("uptime=S"), notes.
split_console() {
	# Serial consoles add CRs; firmware escapes may precede a marker.
	tr -d '\r' <"$1" | sed "s/^.*$MARK /$MARK /" | awk -v m="$MARK" -v dir="$2" '
		$1 != m { next }
		{ tag = $3; gsub("/", "@", tag); rest = $0 }
		$2 == "OUT" {
			sub("^[^ ]+ [^ ]+ [^ ]+ ?", "", rest)
			print rest > (dir "/" tag (rest ~ /^\{/ ? ".jsonl" : ".out"))
			next
		}
		$2 == "EXIT" { print $4, $5 > (dir "/" tag ".exit"); next }
		$2 == "KERNEL" { sub("^[^ ]+ [^ ]+ ", "", rest); print rest > (dir "/kernel"); next }
		$2 == "DONE" { print $3 > (dir "/done"); next }
		$2 == "NOTE" { sub("^[^ ]+ [^ ]+ ", "", rest); print rest > (dir "/notes") }'
}

# ktap_result N SET EXITFILE OUTCOME: the collection-level line of a set, as
# kselftest's runner.sh writes it (exit 4 is kselftest's SKIP).
ktap_result() {
	local n=$1 set=$2 exitfile=$3 outcome=$4 status name="selftests: $KSFT_COLLECTION: $2"
	if [ ! -f "$exitfile" ]; then
		echo "not ok $n $name # exit=none: the runner did not finish${outcome:+ ($outcome)}"
		return
	fi
	read -r status _ <"$exitfile"
	case "$status" in
	exit=0) echo "ok $n $name" ;;
	exit=4) echo "ok $n $name # SKIP" ;;
	exit=*) echo "not ok $n $name # $status" ;;
	signal=*) echo "not ok $n $name # exit=$((128 + ${status#signal=}))" ;;
	*) echo "not ok $n $name # $status" ;;
	esac
}

# write_cell KERNEL PARTS OUTCOME ABI: the cell's KERNEL-ABI.ktap and
# KERNEL-ABI.jsonl from a split console.  Every (set, probe) planned gets a
# results line: one the cell did not report fails, with the runner's exit
# status (or what stopped the guest) as the reason.  Appends the cell's
# timings to timing-KERNEL.tsv; prints "ABI: N cases, F failed, runner S s".
write_cell() {
	local kernel=$1 parts=$2 outcome=$3 abi=$4 f="$MATRIX/$1-$4" set n=0 status secs total=0 why
	local reasons
	reasons=$(mktemp)
	{
		echo "TAP version 13"
		echo "1..$(wc -w <<<"$SETS")"
		for set in $SETS; do
			n=$((n + 1))
			echo "# selftests: $KSFT_COLLECTION: $set"
			[ ! -f "$parts/$abi@$set.out" ] || sed 's/^/# /' "$parts/$abi@$set.out"
			ktap_result "$n" "$set" "$parts/$abi@$set.exit" "$outcome"
			status=none secs=0
			[ ! -f "$parts/$abi@$set.exit" ] || read -r status secs <"$parts/$abi@$set.exit"
			secs=${secs#secs=}
			printf '%s\t%s\t%s\t%s\t%s\n' "$kernel" "$abi" "$set" "$status" "$secs" >>"$MATRIX/timing-$kernel.tsv"
			total=$(awk -v a="$total" -v b="$secs" 'BEGIN { printf "%.1f", a + b }')
			if [ "$status" = none ]; then
				why="the runner did not finish${outcome:+: $outcome}"
			else
				why="the runner: $status"
			fi
			printf '%s\t%s\n' "$set" "$why" >>"$reasons"
		done
	} >"$f.ktap"
	cat "$parts/$abi@"*.jsonl 2>/dev/null |
		jq -c -s --arg sets "$SETS" --rawfile planned "$HERE/build/$abi/probes.list" \
			--rawfile reasons "$reasons" --arg abi "$abi" --arg kernel "$kernel" '
		. as $got
		| ($reasons | split("\n") | map(select(. != "") | split("\t") | {key: .[0], value: .[1]}) | from_entries) as $why
		| [($sets | split(" "))[] as $set | ($planned | split("\n") | map(select(. != "")))[] as $probe
		   | ([$got[] | select(.set == $set and (.probe // .syscall) == $probe)] | first)
		     // {syscall: ($probe | split(".")[0]), probe: $probe, abi: $abi, kernel: $kernel,
		         set: $set, verdict: "error", by: null, result: "fail",
		         reason: "no result from this cell (\($why[$set]))"}]
		| .[]' >"$f.jsonl"
	rm -f "$reasons"
	jq -rs --arg abi "$abi" --arg t "$total" \
		'"\($abi): \(length) cases, \(map(select(.result == "fail")) | length) failed, runner \($t) s"' "$f.jsonl"
}

# finish_run LABEL KERNEL LOG START_US WATCH RC ABI...: the cells of one
# machine's console; one line of progress with the boot time (a guest's
# uptime when init started), the total and each cell's counts and runner
# time (the sum over its sets, which may have run in parallel).  Returns 1
# when the machine did not run to its end.
finish_run() {
	local label=$1 kernel=$2 log=$3 start=$4 watch=$5 rc=$6 parts outcome="" boot="" cells abi
	shift 6
	parts=$(mktemp -d)
	split_console "$log" "$parts"
	[ ! -s "$parts/kernel" ] || read -r kernel _ <"$parts/kernel"
	if [ "$watch" != exited ]; then
		outcome=$watch
	elif [ ! -f "$parts/done" ]; then
		if outcome=$(tr -d '\r' <"$log" | grep -m1 -o 'Kernel panic.*'); then
			outcome="panicked: $outcome"
		else
			outcome="stopped before the end of its plan (exit $rc; last line: $(last_line "$log"))"
		fi
	fi
	case "$label" in guest*) [ ! -s "$parts/kernel" ] || boot="booted in $(sed 's/.*uptime=//' "$parts/kernel") s, " ;; esac
	rm -f "$MATRIX/timing-$kernel.tsv"
	cells=$(for abi in "$@"; do write_cell "$kernel" "$parts" "$outcome" "$abi"; done | paste -sd ';' | sed 's/;/; /g')
	rm -rf "$parts"
	if [ -n "$outcome" ]; then
		echo "$label: FAILED: $outcome; ${boot}stopped after $(us_to_seconds $(($(now_us) - start))) s: $cells; console: ${OUT_DIR:-$MATRIX}/${log##*/}" >&2
		return 1
	fi
	echo "$label: ${boot}done in $(us_to_seconds $(($(now_us) - start))) s: $cells" >&2
}

# Boot one guest, watch its console, write its cells.
run_guest() {
	local spec=$1 pkg=$2 cpio=$3 debarch abis kernel_image log start pid watch rc=0
	debarch=$(guest_debarch "$spec")
	abis=$(abis_of_debarch "$debarch")
	machine_of "$debarch"
	kernel_image=$(ls "$CACHE/$pkg"/boot/vmlinu[xz]-* | head -n1)
	log="$MATRIX/console-${pkg#linux-image-}.log"
	# There before the watcher's first look (qemu's redirection is made in
	# the background job).
	: >"$log"
	start=$(now_us)
	# "quiet" sets the console loglevel to 4; "loglevel=1" after it keeps
	# only emergencies (a panic), so the console is the suite's lines.
	"$QEMU" "${QEMU_ARGS[@]}" -accel tcg -m 1536 -smp "$SMP" -nographic -no-reboot -nic none \
		-kernel "$kernel_image" -initrd "$cpio" \
		-append "console=$CONSOLE panic=-1 quiet loglevel=1 seccomp_suite_guest=1${APPEND:+ $APPEND}" </dev/null >"$log" 2>&1 &
	pid=$!
	register "$pid"
	watch=$(watch_console "$log" "$pid" "$STALL" "$CAP") || true
	wait "$pid" || rc=$?
	unregister "$pid"
	# shellcheck disable=SC2086
	finish_run "guest ${pkg#linux-image-} ($debarch, $(guest_suite "$spec"), $SMP vCPU)" "${pkg#linux-image-}" "$log" "$start" "$watch" "$rc" $abis
}

# The host runs the same plan with the same interpreter (matrix-init
# --plan), watched the same way.
run_host() {
	local abis=() abi log start tmp pid watch rc=0 status=0
	for abi in ${ARCHES//,/ }; do
		[ "$(debarch_of_abi "$abi")" = "$(debarch_of_abi "$HOST_ABI")" ] || continue
		# The host kernel may lack a compat ABI (this 6.18 host runs no
		# i386 programs): that is the host's property, reported, not failed.
		if ! "$HERE/build/$abi/probes/getpid" --describe >/dev/null 2>&1; then
			echo "host $(uname -r): skipping $abi: this kernel does not execute $abi programs" >&2
			continue
		fi
		abis+=("$abi")
	done
	[ ${#abis[@]} -gt 0 ] || return 0
	log="$MATRIX/console-host-$(uname -r).log"
	tmp=$(mktemp -d)
	ROOT_SUFFIX=$LSC_SUFFIX plan "$HERE/build" "$HERE" "$tmp" "${abis[@]}" >"$tmp/plan"
	start=$(now_us)
	"$HERE/build/$HOST_ABI/bin/matrix-init" --plan "$tmp/plan" </dev/null >"$log" 2>&1 &
	pid=$!
	register "$pid"
	watch=$(watch_console "$log" "$pid" "$STALL" "$CAP") || true
	wait "$pid" || rc=$?
	unregister "$pid"
	finish_run "host $(uname -r)" "$(uname -r)" "$log" "$start" "$watch" "$rc" "${abis[@]}" || status=1
	rm -rf "$tmp"
	return "$status"
}

# The table: a row per (probe, set), a column per cell (kernel/ABI).  A row
# whose verdicts differ between cells is marked "*"; a failed case "!", a
# skipped one "?".
table_tsv() {
	jq -rs '
		def short: (.kernel | capture("^(?<v>[0-9.]+(-[0-9]+)?)").v) + "/" + .abi;
		def cell_label: (if .verdict == "allowed" then "allowed \(.errno_name // "ok")"
			elif .verdict == "errno" then "errno \(.errno_name)"
			else .verdict end) + (if .result == "fail" then " !" elif .result == "skip" then " ?" else "" end);
		(map(short) | unique) as $cells
		| (["PROBE", "SET", ""] + $cells),
		  (group_by([(.probe // .syscall), .set])[]
		   | . as $rows
		   | ($cells | map(. as $c | ($rows | map(select(short == $c)) | first) | if . == null then "-" else cell_label end)) as $labels
		   | [($rows[0].probe // $rows[0].syscall), $rows[0].set,
		      (if ($labels | map(sub(" [!?]$"; "")) | unique | length) > 1 then "*" else "" end)] + $labels)
		| @tsv' "$@"
}

write_reports() {
	local md="$MATRIX/report.md" html="$MATRIX/report.html"
	{
		echo "# seccomp-suite matrix"
		echo
		echo "Cells: kernel/ABI.  \`*\`: the verdicts differ between cells; \`!\`: the case failed; \`?\`: skipped (the reason is in the cell's JSON Lines)."
		echo
		table_tsv "$@" | awk -F'\t' 'NR == 1 { h = "|"; s = "|"; for (i = 1; i <= NF; i++) { h = h " " $i " |"; s = s "---|" } print h; print s; next }
			{ l = "|"; for (i = 1; i <= NF; i++) l = l " " $i " |"; print l }'
	} >"$md"
	{
		echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>seccomp-suite matrix</title><style>'
		echo 'body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}'
		echo '.allowed{background:#e8f5e9}.errno{background:#fff3e0}.killed,.trapped{background:#fce4ec}.absent{color:#888}.fail{background:#f44336;color:#fff}.skip{font-style:italic}.diff{font-weight:bold}'
		echo '</style></head><body><h1>seccomp-suite matrix</h1><p>Cells: kernel/ABI. Bold rows: the verdicts differ between cells; red (!): the case failed; italic (?): skipped.</p><table>'
		table_tsv "$@" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' | awk -F'\t' '
			NR == 1 { printf "<tr>"; for (i = 1; i <= NF; i++) if (i != 3) printf "<th>%s</th>", $i; print "</tr>"; next }
			{ printf "<tr%s><td>%s</td><td>%s</td>", ($3 == "*" ? " class=\"diff\"" : ""), $1, $2
			  for (i = 4; i <= NF; i++) { split($i, w, " "); c = w[1]; if ($i ~ / !$/) c = c " fail"; if ($i ~ / [?]$/) c = c " skip"; printf "<td class=\"%s\">%s</td>", c, $i }
			  print "</tr>" }'
		echo '</table></body></html>'
	} >"$html"
}

# The machines a run started (qemu, the host's matrix-init) register their
# process ids in $RUN_TMP/pids, so that an interrupted run stops them: they
# run in the background, where SIGINT from the terminal is ignored.
register() { : >"$RUN_TMP/pids/$1"; }
unregister() { rm -f "$RUN_TMP/pids/$1"; }

matrix_interrupted() {
	local f
	trap '' INT TERM
	echo "run.sh matrix: interrupted; stopping the guests (the previous results stay)" >&2
	for f in "$RUN_TMP"/pids/*; do
		[ -e "$f" ] && kill -TERM "${f##*/}" 2>/dev/null
	done
	[ ${#RUN_JOBS[@]} -eq 0 ] || kill -TERM "${RUN_JOBS[@]}" 2>/dev/null
	wait 2>/dev/null
	exit "$1"
}

# Only what this run made: its temporary directory, its partial cache
# file, and its private run directory if it was not published.
matrix_cleanup() {
	[ -z "${RUN_TMP:-}" ] || rm -rf "$RUN_TMP"
	rm -f "$CACHE"/*.tmp.$$
	case "${MATRIX:-}" in */.run.??????) rm -rf "$MATRIX" ;; esac
}

# The run's files replace the previous run's in OUT_DIR (under a lock:
# concurrent runs into one directory publish one after the other).
publish() {
	(
		flock 9
		rm -f "$OUT_DIR"/*.jsonl "$OUT_DIR"/*.ktap "$OUT_DIR"/console-*.log "$OUT_DIR"/timing.tsv \
			"$OUT_DIR"/report.md "$OUT_DIR"/report.html "$OUT_DIR"/initramfs-*.cpio
		mv "$MATRIX"/* "$OUT_DIR"/
	) 9>"$OUT_DIR/.lock"
	rmdir "$MATRIX"
	MATRIX=$OUT_DIR
}

RUN_JOBS=()

main() {
	KERNELS="" ARCHES=$(default_abis) STALL=$DEFAULT_STALL CAP=$DEFAULT_CAP SMP=""
	SETS=$(cd "$HERE/cases" && ls ./*.cases | sed 's|^\./||; s/\.cases$//' | LC_ALL=C sort | paste -sd ' ')
	local jobs="" json=0 out_set=0
	local engine=native
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernels) KERNELS=${2:?--kernels needs a list}; shift 2 ;;
		--arches) ARCHES=${2:?--arches needs a list}; shift 2 ;;
		--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
		--stall) STALL=${2:?--stall needs seconds}; shift 2 ;;
		--timeout) CAP=${2:?--timeout needs seconds}; shift 2 ;;
		--smp) SMP=${2:?--smp needs a number}; shift 2 ;;
		--sets) SETS=${2:?--sets needs a list}; SETS=${SETS//,/ }; shift 2 ;;
		--out) MATRIX=$(realpath -m "${2:?--out needs a directory}"); out_set=1; shift 2 ;;
		--libseccomp)
			case "${2:-}" in
			2.5) LSC_SUFFIX="" ;;
			2.6) LSC_SUFFIX=-libseccomp2.6 ;;
			*) usage_error "--libseccomp: 2.5 or 2.6, not '${2:-}'" ;;
			esac
			shift 2 ;;
		--json) json=1; shift ;;
		--engine) engine=${2:?--engine needs native or lava}; shift 2 ;;
		-h | --help) usage; exit 0 ;;
		*) echo "run.sh matrix: unknown argument '$1'" >&2; usage >&2; exit 64 ;;
		esac
	done
	# The lava engine boots each guest as a LAVA job: it replaces initramfs
	# and run_guest; the rest of the run is the same.
	# shellcheck source=farms/lava/engine.sh
	case "$engine" in
	native) ;;
	lava) LAVA_ENGINE=1; . "$HERE/farms/lava/engine.sh" ;;
	*) usage_error "--engine: native or lava, not '$engine'" ;;
	esac
	[ -n "$KERNELS" ] || KERNELS=$(default_kernels "$ARCHES")
	[ -z "$LSC_SUFFIX" ] || [ "$engine" = native ] ||
		usage_error "--libseccomp 2.6: the native engine only (a LAVA ramdisk carries the default build)"
	[ -z "$LSC_SUFFIX" ] || [ "$out_set" = 1 ] || MATRIX="$HERE/build/matrix$LSC_SUFFIX"
	seconds_to_us "$STALL" >/dev/null 2>&1 && [ "$(seconds_to_us "$STALL")" -gt 0 ] || usage_error "--stall: not a positive number of seconds: '$STALL'"
	seconds_to_us "$CAP" >/dev/null 2>&1 && [ "$(seconds_to_us "$CAP")" -gt 0 ] || usage_error "--timeout: not a positive number of seconds: '$CAP'"
	[[ "$jobs" =~ ^([1-9][0-9]*)?$ ]] || usage_error "--jobs: not a positive number: '$jobs'"
	[[ "$SMP" =~ ^([1-9][0-9]*)?$ ]] || usage_error "--smp: not a positive number: '$SMP'"
	case "$HERE$MATRIX" in *[[:space:]]*) usage_error "the checkout and --out must be paths without spaces (the plan's fields are space-separated)" ;; esac
	local set
	for set in $SETS; do
		[ -f "$HERE/cases/$set.cases" ] || usage_error "--sets: no set '$set' (cases/$set.cases)"
	done
	# The opt-in ABIs' compilers and qemu are their own group.
	local groups=matrix abi
	for abi in ${ARCHES//,/ }; do
		abi_field "$abi" 1 >/dev/null
		[ "$(abi_field "$abi" 4)" != opt-in ] || groups="matrix matrix-extra"
	done
	# shellcheck disable=SC2086
	"$HERE/ci/install-deps.sh" $groups || exit 1
	local prepared abi spec guests=() host=0 debarch debarches=""
	prepared=$(now_us)
	for abi in ${ARCHES//,/ }; do debarch_of_abi "$abi" >/dev/null; done
	# Every guest as VERSION:DEBARCH@SUITE.
	for spec in ${KERNELS//,/ }; do
		case "$spec" in
		host) host=1 ;;
		*:*) guests+=("${spec%@*}@$(suite_of "$spec")") ;;
		*) for debarch in $(data_lines abis | awk '{ print $2 }' | sort -u); do
			[ -n "$(abis_of_debarch "$debarch")" ] || continue
			case "$spec" in
			*@*) guests+=("${spec%@*}:$debarch@${spec#*@}") ;;
			*) guests+=("$spec:$debarch@$(suite_of "$spec:$debarch")") ;;
			esac
		   done ;;
		esac
	done
	for spec in "${guests[@]}"; do
		debarch=$(guest_debarch "$spec")
		machine_of "$debarch"
		[ -n "$(abis_of_debarch "$debarch")" ] || usage_error "kernel $spec: none of --arches $ARCHES runs on $debarch"
		case " $debarches " in *" $debarch "*) ;; *) debarches="$debarches $debarch" ;; esac
	done

	# Build every ABI a cell needs, the host's ABI (its runner answers
	# runner_needs_probes; its matrix-init runs the host's plan) and the
	# init of each guest architecture.
	local abis_needed="$HOST_ABI" inits="$HOST_ABI" targets
	for abi in ${ARCHES//,/ }; do
		case " $debarches " in *" $(debarch_of_abi "$abi") "*) abis_needed="$abis_needed $abi" ;; esac
	done
	for debarch in $debarches; do
		machine_of "$debarch"
		inits="$inits $INIT_ABI"
	done
	for abi in $(printf '%s\n' $abis_needed | awk '!seen[$0]++'); do
		targets="all"
		case " $inits " in *" $abi "*) targets="all build/$abi/bin/matrix-init" ;; esac
		# shellcheck disable=SC2086
		make -s -C "$HERE" -j"$(nproc)" ABI="$abi" $targets >&2 || die "the $abi build failed (make ABI=$abi)"
		[ -z "$LSC_SUFFIX" ] || make -s -C "$HERE" -j"$(nproc)" ABI="$abi" libseccomp-2.6 >&2 ||
			die "the $abi libseccomp 2.6 build failed (make ABI=$abi libseccomp-2.6)"
	done
	# containerd-default is generated per architecture by containerd's own
	# code (tests/fidelity/containerd.mk): each guest architecture's, so that
	# resolve-profile --bundled lists it and the guest carries it.  Without
	# it the set fails in that cell, as it would natively.
	local goarches=""
	for debarch in $debarches; do
		case "$debarch" in ppc64el) goarches="$goarches ppc64le" ;; *) goarches="$goarches $debarch" ;; esac
	done
	make -s -C "$HERE" containerd-profiles CONTAINERD_GOARCHES="${goarches# }" >&2 ||
		echo "matrix: warning: containerd-default could not be generated for${goarches} (make containerd-profiles)" >&2

	# The run writes into a private directory beside the results and
	# publishes at the end: an interrupted or failed run leaves the previous
	# results as they were, and removes its temporary files.
	OUT_DIR=$MATRIX
	mkdir -p "$OUT_DIR" "$CACHE"
	RUN_TMP=$(mktemp -d)
	export TMPDIR=$RUN_TMP
	mkdir "$RUN_TMP/pids"
	MATRIX=$(mktemp -d "$OUT_DIR/.run.XXXXXX")
	trap matrix_cleanup EXIT
	trap 'matrix_interrupted 130' INT
	trap 'matrix_interrupted 143' TERM
	GUEST_PROBES=0
	if [ -n "$debarches" ] && runner_needs_probes; then
		GUEST_PROBES=1
	fi
	# Resolve and fetch first, one at a time (apt), then boot in parallel.
	local pkgs=() cpios=() i
	for spec in "${guests[@]}"; do
		debarch=$(guest_debarch "$spec")
		machine_of "$debarch"
		command -v "$QEMU" >/dev/null || unavailable "$QEMU is not installed (ci/install-deps.sh matrix)"
		pkgs+=("$(fetch_newest "$(guest_version "$spec")" "$debarch" "$(guest_suite "$spec")")")
	done
	declare -A cpio_of=()
	for debarch in $debarches; do
		# shellcheck disable=SC2046
		cpio_of[$debarch]=$(initramfs "$debarch" $(abis_of_debarch "$debarch"))
	done
	for spec in "${guests[@]}"; do cpios+=("${cpio_of[$(guest_debarch "$spec")]}"); done
	[ -n "$jobs" ] || jobs=${#guests[@]}
	[ "$jobs" -gt 0 ] || jobs=1
	# vCPUs (unless --smp): the machine's CPUs shared among the guests that
	# run at once, at least one.  Measured on the 2-core machine under load
	# (the full matrix, 3 guests): 1 vCPU each 49-62 s, a vCPU per ABI (5
	# vCPUs on 2 CPUs) 61 s: a TCG vCPU is a host thread, and more of them
	# than CPUs only adds contention.
	local running_guests=$((jobs < ${#guests[@]} ? jobs : ${#guests[@]}))
	if [ -z "$SMP" ]; then
		SMP=$(($(nproc) / (running_guests > 0 ? running_guests : 1)))
		[ "$SMP" -ge 1 ] || SMP=1
	fi
	local what="" carry=""
	[ "$host" = 1 ] && what="the host"
	if [ ${#guests[@]} -gt 0 ]; then
		what="${what:+$what and }${#guests[@]} guests ($jobs at a time, $SMP vCPU each)"
		carry="; guests carry $([ "$GUEST_PROBES" = 1 ] && echo "the runner and the probe programs" || echo "the runner alone (it judges the probes itself)")"
	fi
	echo "matrix: $what; ABIs: $ARCHES$carry; prepared in $(us_to_seconds $(($(now_us) - prepared))) s" >&2

	# The host and the guests run at once: a TCG guest keeps a CPU busy,
	# and the CPUs stay busy until the last cell is done.
	local start fails=0 pids=() pid
	start=$(now_us)
	if [ "$host" = 1 ]; then
		run_host &
		pids+=($!)
	fi
	for i in "${!guests[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$((jobs + host))" ]; do wait -n || fails=1; done
		run_guest "${guests[$i]}" "${pkgs[$i]}" "${cpios[$i]}" &
		pids+=($!)
	done
	RUN_JOBS=("${pids[@]}")
	for pid in "${pids[@]}"; do wait "$pid" || fails=1; done
	RUN_JOBS=()
	local elapsed
	elapsed=$(us_to_seconds $(($(now_us) - start)))

	local files=("$MATRIX"/*.jsonl)
	[ -e "${files[0]}" ] || die "no cell produced results"
	{
		printf 'kernel\tabi\tset\tstatus\tsecs\n'
		cat "$MATRIX"/timing-*.tsv 2>/dev/null || true
	} >"$MATRIX/timing.tsv"
	rm -f "$MATRIX"/timing-*.tsv
	write_reports "${files[@]}"
	publish
	files=("$MATRIX"/*.jsonl)
	if [ "$json" = 1 ]; then
		cat "${files[@]}"
	else
		table_tsv "${files[@]}" | awk -F'\t' '{ printf "%-20s %-24s %-1s", $1, $2, $3; for (i = 4; i <= NF; i++) printf " %-16s", $i; printf "\n" }'
		echo
		for f in "${files[@]}"; do
			jq -rs --arg c "$(basename "$f" .jsonl)" '"\($c): \(length) results: " +
				(group_by(.result) | map("\(length) \(.[0].result)") | join(", "))' "$f"
		done
		echo "reports: $MATRIX/report.md $MATRIX/report.html; kselftest KTAP: $MATRIX/*.ktap; times: $MATRIX/timing.tsv"
	fi
	echo "matrix: ${#files[@]} cells, $(cat "${files[@]}" | wc -l) cases in $elapsed s" >&2
	if [ "$fails" = 1 ] || jq -s -e 'any(.[]; .result == "fail")' "${files[@]}" >/dev/null; then
		return 1
	fi
}

# Sourced (tests/matrix.test.sh calls the pieces), it only defines them.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
