#!/usr/bin/env bash
# ./run.sh matrix: the suite across kernels and ABIs.  The host runs it on
# its own kernel; every other kernel is a Debian linux-image booted in qemu
# (TCG) with an initramfs holding the static programs and ci/matrix/init.c
# as PID 1.  One results file per cell (kernel x ABI) under build/matrix/,
# then one table.  ./run.sh matrix --help
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
MATRIX="$HERE/build/matrix"
CACHE="$HERE/build/matrix/cache"
MARK="@@seccomp-suite-matrix"
HOST_ABI=$(uname -m)
DOCKER_DEFAULT=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
DEFAULT_KERNELS="host,6.1:amd64,6.12:amd64,6.1:arm64"
DEFAULT_ARCHES="x86_64,i386,aarch64"

usage() {
	cat <<EOF
usage: ./run.sh matrix [--kernels LIST] [--arches LIST] [--sets LIST] [--jobs N]
                       [--timeout S] [--out DIR] [--json]

Runs the case sets (build/<abi>/bin/cases) on this host and in a qemu guest
per Debian kernel, for every ABI each kernel executes (x86_64 and i386 on
amd64 kernels, aarch64 on arm64), and prints one table: probe x set x cell
(kernel, ABI).

  --kernels LIST  comma list of: host (this machine's kernel), VERSION:DEBARCH
                  (6.1:amd64, 6.12:amd64, 6.1:arm64: the newest Debian
                  linux-image-VERSION.*-cloud-DEBARCH package), or a bare
                  VERSION for every Debian architecture that --arches needs
                  (default: $DEFAULT_KERNELS)
  --arches LIST   ABIs to run: x86_64, i386, aarch64 (default: $DEFAULT_ARCHES)
  --sets LIST     expectation sets (cases/NAME.cases) to assert (default: all)
  --jobs N        guests booted at the same time (default: all of them; each
                  takes 1.5 GB of memory and keeps a CPU busy)
  --timeout S     a guest still running after S seconds is stopped and
                  reported as hung (default 600)
  --out DIR       results and reports go there (default: build/matrix)
  --json          print every cell's JSON Lines on stdout instead of the table

Kernels are fetched with apt-get download into build/matrix/cache/ (only
their /boot is unpacked; nothing is installed).  Writes build/matrix/
KERNEL-ABI.jsonl (the cell's results; ./run.sh compare takes any two) and
KERNEL-ABI.ktap per cell, console-KERNEL.log per guest, report.md and
report.html.
Exit status: 0 every cell ran and nothing failed; 1 a guest hung, panicked
or a result failed; 3 a kernel package or qemu is not available here; 64 usage.
EOF
}

die() {
	echo "run.sh matrix: $*" >&2
	exit 1
}

# A kernel or qemu this machine cannot get: exit 3, so that a test can tell
# "cannot run here" from "ran and failed".
unavailable() {
	echo "run.sh matrix: $*" >&2
	exit 3
}

debarch_of_abi() {
	case "$1" in
	x86_64 | i386) echo amd64 ;;
	aarch64) echo arm64 ;;
	*) echo "run.sh matrix: unknown ABI '$1' (x86_64, i386, aarch64)" >&2; exit 64 ;;
	esac
}

# The ABIs a kernel of DEBARCH executes, among those asked for.
abis_of_debarch() {
	local debarch=$1 abi out=()
	for abi in ${ARCHES//,/ }; do
		[ "$(debarch_of_abi "$abi")" = "$debarch" ] && out+=("$abi")
	done
	echo "${out[@]}"
}

qemu_of_debarch() {
	case "$1" in
	amd64) echo "qemu-system-x86_64|-machine q35 -cpu qemu64|console=ttyS0" ;;
	arm64) echo "qemu-system-aarch64|-machine virt -cpu cortex-a57|console=ttyAMA0" ;;
	*) die "no qemu for Debian architecture '$1' (amd64, arm64)" ;;
	esac
}

# The kernel package for VERSION on DEBARCH: the newest
# linux-image-VERSION.N...-cloud-DEBARCH in the archive, else in the cache.
resolve_kernel() {
	local version=$1 debarch=$2 pattern pkg
	pattern="^linux-image-${version//./\\.}[.-][0-9].*-cloud-${debarch}\$"
	pkg=$(apt-cache search --names-only "$pattern" 2>/dev/null | awk '{ print $1 }' | sort -V | tail -n1)
	if [ -z "$pkg" ]; then
		pkg=$(ls "$CACHE" 2>/dev/null | grep -E "$pattern" | sort -V | tail -n1 || true)
	fi
	[ -n "$pkg" ] || unavailable "no Debian package linux-image-$version.*-cloud-$debarch in the configured archive (apt-cache search linux-image; for arm64: ci/install-deps.sh adds the dpkg architecture)"
	echo "$pkg"
}

# Download and unpack /boot of a kernel package into the cache; prints the
# kernel image.  Only /boot: the modules are not needed (the initramfs has
# everything the guest runs) and dpkg -x of the whole package is 5x larger.
fetch_kernel() {
	local pkg=$1 debarch=$2 dir="$CACHE/$1" deb
	if ! ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then
		mkdir -p "$dir"
		(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$pkg:$debarch" >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 || true; apt-get download -q -o APT::Sandbox::User=root "$pkg:$debarch" >/dev/null; }) ||
			unavailable "apt-get download $pkg:$debarch failed (is the dpkg architecture $debarch added? ci/install-deps.sh does it)"
		deb=$(ls "$dir"/*.deb | head -n1)
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" ./boot
		rm -f "$deb"
	fi
	ls "$dir"/boot/vmlinuz-* | head -n1
}

strip_tool() {
	case "$1" in
	"$HOST_ABI") echo strip ;;
	i386) echo i686-linux-gnu-strip ;;
	aarch64) echo aarch64-linux-gnu-strip ;;
	esac
}

# plan ROOT SUITE TMP ABI... : the commands a cell runs, in the plan language
# of ci/matrix/init.c: per ABI, the cases runner over the sets, its results
# file shown on the console.  ROOT holds <abi>/bin/cases and <abi>/probes/
# (/suite in a guest, build/ on the host), SUITE holds profiles/ and cases/.
plan() {
	local root=$1 suite=$2 tmp=$3 abi set sets=()
	shift 3
	for set in $SETS; do sets+=(--set "$set"); done
	echo "env SECCOMP_SUITE_PROFILES=$suite/profiles"
	echo "env SECCOMP_SUITE_CASES=$suite/cases"
	for abi in "$@"; do
		echo "begin $abi"
		echo "run $root/$abi/bin/cases ${sets[*]} --results $tmp/results-$abi.jsonl"
		echo "show $tmp/results-$abi.jsonl"
		echo "end $abi"
	done
}

# The initramfs of a Debian architecture: init, the stripped static programs
# of each ABI, the bundled profiles, the case sets, Docker's default at its
# usual path, and the plan.  Built as an ordinary file tree and cpio -R 0:0: no device nodes
# (the kernel's built-in initramfs has /dev/console; init mounts devtmpfs).
build_initramfs() {
	local debarch=$1 root="$MATRIX/root-$debarch" abi init_abi src dst
	shift
	case "$debarch" in amd64) init_abi=x86_64 ;; arm64) init_abi=aarch64 ;; esac
	rm -rf "$root"
	mkdir -p "$root/dev" "$root/proc" "$root/tmp" "$root/suite/profiles" "$root/suite/cases" \
		"$root$(dirname "$DOCKER_DEFAULT")"
	"$(strip_tool "$init_abi")" -o "$root/init" "$HERE/build/$init_abi/bin/matrix-init"
	for abi in "$@"; do
		mkdir -p "$root/suite/$abi/probes" "$root/suite/$abi/bin"
		# The probes, the runner and scrun: what the plan and a person at
		# the guest's console need; the host-side tools stay out.
		for src in "$HERE/build/$abi"/probes/* "$HERE/build/$abi"/bin/cases "$HERE/build/$abi"/bin/scrun; do
			dst="$root/suite/$abi/${src#"$HERE/build/$abi/"}"
			"$(strip_tool "$abi")" -o "$dst" "$src"
		done
		cp "$HERE/build/$abi/probes.list" "$root/suite/$abi/"
	done
	cp "$HERE"/profiles/*.json "$root/suite/profiles/"
	# The sets and what they include or name (cases/profiles/), not the runner's source.
	(cd "$HERE/cases" && find . -name '*.c' -prune -o -type f -print | cpio -pdm --quiet "$root/suite/cases")
	cp "$DOCKER_DEFAULT" "$root$DOCKER_DEFAULT"
	plan /suite /suite /tmp "$@" >"$root/suite/plan"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$MATRIX/initramfs-$debarch.cpio"
	rm -rf "$root"
}

# The host runs the same plan as a guest, with a shell in init's place.
run_plan_on_host() {
	local line cmd env=()
	echo "$MARK KERNEL $(uname -r) $(uname -m)"
	while IFS= read -r line; do
		case "$line" in
		"env "*) env+=("${line#env }") ;;
		"begin "*) echo "$MARK BEGIN ${line#begin }" ;;
		"end "*) echo "$MARK END ${line#end }" ;;
		"run "*)
			read -r -a cmd <<<"${line#run }"
			env "${env[@]}" "${cmd[@]}" 2>&1 || echo "$MARK EXIT ${cmd[0]} exit=$?"
			;;
		"show "*) cat "${line#show }" ;;
		esac
	done
	echo "$MARK DONE"
}

# console log -> per ABI block, KERNEL-ABI.jsonl (the results lines) and
# KERNEL-ABI.ktap (the runner's KTAP).  Every (set, probe) planned gets a
# line: one the cell did not report fails, with the runner's exit status as
# the reason.  Prints the files written.
collect() {
	local log=$1 kernel abi f clean
	shift
	clean=$(mktemp)
	# Serial consoles add CRs; firmware escapes may precede a marker.
	tr -d '\r' <"$log" | sed "s/^.*$MARK/$MARK/" >"$clean"
	kernel=$(awk -v m="$MARK" '$1 == m && $2 == "KERNEL" { print $3; exit }' "$clean")
	for abi in "$@"; do
		f="$MATRIX/$kernel-$abi"
		awk -v m="$MARK" -v abi="$abi" '
			$1 == m && $2 == "BEGIN" { cur = ($3 == abi); next }
			$1 == m && $2 == "END" { cur = 0; next }
			cur && !/^\{/' "$clean" >"$f.ktap"
		awk -v m="$MARK" -v abi="$abi" '
			$1 == m && $2 == "BEGIN" { cur = ($3 == abi); next }
			$1 == m && $2 == "END" { cur = 0; next }
			cur && /^\{/' "$clean" |
			jq -c -s --arg sets "$SETS" --rawfile planned "$HERE/build/$abi/probes.list" \
				--arg abi "$abi" --arg kernel "$kernel" --arg why "$(grep -m1 "^$MARK EXIT" "$f.ktap" | cut -d' ' -f3-)" '
			. as $got
			| [($sets | split(" "))[] as $set | ($planned | split("\n") | map(select(. != "")))[] as $probe
			   | ([$got[] | select(.set == $set and (.probe // .syscall) == $probe)] | first)
			     // {syscall: ($probe | split(".")[0]), probe: $probe, abi: $abi, kernel: $kernel,
			         set: $set, verdict: "error", by: null, result: "fail",
			         reason: "no result from this cell (the runner: \(if $why == "" then "no exit status" else $why end))"}]
			| .[]' >"$f.jsonl"
		echo "$f.jsonl"
	done
	rm -f "$clean"
}

# Boot one guest; prints a progress line, writes its cells.  Returns 1 when
# the guest hung, panicked or stopped early.
run_guest() {
	local spec=$1 version debarch pkg kernel_image abis qemu machine console log start rc=0 why
	version=${spec%:*} debarch=${spec#*:}
	abis=$(abis_of_debarch "$debarch")
	pkg=$(resolve_kernel "$version" "$debarch")
	kernel_image=$(fetch_kernel "$pkg" "$debarch")
	IFS='|' read -r qemu machine console <<<"$(qemu_of_debarch "$debarch")"
	log="$MATRIX/console-${pkg#linux-image-}.log"
	start=$(date +%s)
	timeout --kill-after=10 "$TIMEOUT" "$qemu" $machine -accel tcg -m 1536 -smp 1 \
		-nographic -no-reboot -nic none \
		-kernel "$kernel_image" -initrd "$MATRIX/initramfs-$debarch.cpio" \
		-append "$console panic=-1 loglevel=1 quiet" </dev/null >"$log" 2>&1 || rc=$?
	if ! tr -d '\r' <"$log" | grep -q "^$MARK DONE"; then
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			why="hung: no DONE marker after ${TIMEOUT}s"
		elif why=$(tr -d '\r' <"$log" | grep -m1 -o 'Kernel panic.*'); then
			why="panicked: $why"
		else
			why="stopped before DONE (qemu exit $rc)"
		fi
		echo "guest $pkg ($debarch): FAILED: $why; console: $log" >&2
		return 1
	fi
	local files counts
	# shellcheck disable=SC2086
	files=$(collect "$log" $abis)
	counts=$(for f in $files; do
		jq -rs --arg f "$(basename "$f" .jsonl)" '"\($f): \(length) cases, \(map(select(.result == "fail")) | length) failed"' "$f"
	done | paste -sd ';' | sed 's/;/; /g')
	echo "guest $pkg ($debarch): done in $(($(date +%s) - start))s: $counts" >&2
}

run_host() {
	local abis=() abi log
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
	local start
	start=$(date +%s)
	local tmp
	tmp=$(mktemp -d)
	plan "$HERE/build" "$HERE" "$tmp" "${abis[@]}" | run_plan_on_host >"$log"
	rm -rf "$tmp"
	local files
	files=$(collect "$log" "${abis[@]}")
	echo "host $(uname -r): done in $(($(date +%s) - start))s: $(for f in $files; do basename "$f" .jsonl; done | paste -sd ' ')" >&2
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

main() {
	KERNELS=$DEFAULT_KERNELS ARCHES=$DEFAULT_ARCHES TIMEOUT=600 SETS=$(cd "$HERE/cases" && ls *.cases | sed 's/\.cases$//' | paste -sd ' ')
	local jobs="" json=0
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernels) KERNELS=${2:?--kernels needs a list}; shift 2 ;;
		--arches) ARCHES=${2:?--arches needs a list}; shift 2 ;;
		--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
		--timeout) TIMEOUT=${2:?--timeout needs seconds}; shift 2 ;;
		--sets) SETS=${2:?--sets needs a list}; SETS=${SETS//,/ }; shift 2 ;;
		--out) MATRIX=$(realpath -m "${2:?--out needs a directory}"); shift 2 ;;
		--json) json=1; shift ;;
		-h | --help) usage; exit 0 ;;
		*) echo "run.sh matrix: unknown argument '$1'" >&2; usage >&2; exit 64 ;;
		esac
	done
	"$HERE/ci/install-deps.sh" || exit 1
	local abi spec guests=() host=0 debarch debarches=""
	for abi in ${ARCHES//,/ }; do debarch_of_abi "$abi" >/dev/null || exit 64; done
	for spec in ${KERNELS//,/ }; do
		case "$spec" in
		host) host=1 ;;
		*:*) guests+=("$spec") ;;
		*) for debarch in amd64 arm64; do
			[ -n "$(abis_of_debarch "$debarch")" ] && guests+=("$spec:$debarch")
		   done ;;
		esac
	done
	for spec in "${guests[@]}"; do
		debarch=${spec#*:}
		[ -n "$(abis_of_debarch "$debarch")" ] || die "kernel $spec: none of --arches $ARCHES runs on $debarch"
		case " $debarches " in *" $debarch "*) ;; *) debarches="$debarches $debarch" ;; esac
	done

	# Build every ABI a cell needs, and the init of each guest architecture.
	local abis_needed="" targets
	for abi in ${ARCHES//,/ }; do
		debarch=$(debarch_of_abi "$abi")
		if case " $debarches " in *" $debarch "*) true ;; *) false ;; esac ||
			{ [ "$host" = 1 ] && [ "$debarch" = "$(debarch_of_abi "$HOST_ABI")" ]; }; then
			abis_needed="$abis_needed $abi"
		fi
	done
	for abi in $abis_needed; do
		targets="all"
		case "$abi" in x86_64 | aarch64) [ -n "$debarches" ] && targets="all build/$abi/bin/matrix-init" ;; esac
		# shellcheck disable=SC2086
		make -s -C "$HERE" -j"$(nproc)" ABI="$abi" $targets >&2 || die "the $abi build failed (make ABI=$abi)"
	done

	mkdir -p "$MATRIX" "$CACHE"
	rm -f "$MATRIX"/*.jsonl "$MATRIX"/*.ktap "$MATRIX"/console-*.log
	local start fails=0
	start=$(date +%s)
	for debarch in $debarches; do
		# shellcheck disable=SC2046
		build_initramfs "$debarch" $(abis_of_debarch "$debarch")
	done
	# Resolve and fetch first, one at a time (apt), then boot in parallel.
	local pkg qemu
	for spec in "${guests[@]}"; do
		qemu=$(qemu_of_debarch "${spec#*:}")
		command -v "${qemu%%|*}" >/dev/null || unavailable "${qemu%%|*} is not installed (ci/install-deps.sh)"
		pkg=$(resolve_kernel "${spec%:*}" "${spec#*:}")
		fetch_kernel "$pkg" "${spec#*:}" >/dev/null
	done
	[ -n "$jobs" ] || jobs=${#guests[@]}
	echo "matrix: $([ "$host" = 1 ] && echo "the host and ")${#guests[@]} guests ($jobs at a time); ABIs: $ARCHES" >&2
	# The host and the guests run at once: a TCG guest keeps one CPU busy,
	# and the CPUs stay busy until the last cell is done.
	local pids=() pid
	if [ "$host" = 1 ]; then
		run_host &
		pids+=($!)
	fi
	for spec in "${guests[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$((jobs + host))" ]; do wait -n || fails=1; done
		run_guest "$spec" &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || fails=1; done

	local files=("$MATRIX"/*.jsonl)
	[ -e "${files[0]}" ] || die "no cell produced results"
	write_reports "${files[@]}"
	if [ "$json" = 1 ]; then
		cat "${files[@]}"
	else
		table_tsv "${files[@]}" | awk -F'\t' '{ printf "%-20s %-24s %-1s", $1, $2, $3; for (i = 4; i <= NF; i++) printf " %-16s", $i; printf "\n" }'
		echo
		for f in "${files[@]}"; do
			jq -rs --arg c "$(basename "$f" .jsonl)" '"\($c): \(length) results: " +
				(group_by(.result) | map("\(length) \(.[0].result)") | join(", "))' "$f"
		done
		echo "reports: $MATRIX/report.md $MATRIX/report.html"
	fi
	echo "matrix: done in $(($(date +%s) - start))s" >&2
	if [ "$fails" = 1 ] || jq -s -e 'any(.[]; .result == "fail")' "${files[@]}" >/dev/null; then
		return 1
	fi
}

main "$@"
