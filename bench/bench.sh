#!/usr/bin/env bash
# ./run.sh bench [--quick] [--out DIR] [--json] [--no-kernel] [--no-hyperfine]
# ./run.sh bench --profile FILE|NAME [--caps SET] [--workload COMMAND | --mix FILE]
# ./run.sh bench --spec-allow-guest [--guest-cpu MODEL] [--guest-kernel VMLINUZ]
# Runs the suite's microbenchmark (build/<abi>/bench/seccomp_bench), the
# kernel's own seccomp_benchmark built from Debian's linux-source, and
# hyperfine over scrun with the bundled profiles, all in this one
# invocation; then prints the tables, writes the JSON and draws the plots.
# With --profile: what that profile costs, per syscall it lets through and
# on a workload's syscall mix (seccomp_bench --profile, bench/profile.jq).
# With --spec-allow-guest: what loading a filter does to a task's
# speculation controls, with and without SPEC_ALLOW, here and in qemu guests
# of Debian's 6.1 kernel (bench/spec_ctrl.c, bench/spec_allow.jq).
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
ABI=$(uname -m)
BIN="$HERE/build/$ABI/bench"
SCRUN="$HERE/build/$ABI/bin/scrun"
OUT="$HERE/build/results/bench"
quick=0 json=0 kernel=1 hyper=1 rounds="" ksamples="" hruns=""
profile="" caps="" workload="" mix="" paths_only=0 out_set=0
spec_guest=0 guest_cpu=EPYC guest_kernel=""

usage() {
	cat <<'EOF'
usage: ./run.sh bench [--quick] [--out DIR] [--json] [--no-kernel] [--no-hyperfine]
                      [--rounds N] [--kernel-samples N] [--hyperfine-runs N]
       ./run.sh bench --profile FILE|NAME [--caps SET] [--workload COMMAND | --mix FILE]
                      [--paths-only] [--quick] [--rounds N] [--out DIR] [--json]
       ./run.sh bench --spec-allow-guest [--guest-cpu MODEL] [--guest-kernel VMLINUZ]
                      [--out DIR] [--json]
Measures what seccomp filters cost per syscall on this machine, beside the
kernel's own tools/testing/selftests/seccomp/seccomp_benchmark.
  --profile P     what profile P (a file, or docker-default, restrictive,
                  no-network) costs: every syscall number it lets through on
                  this ABI with the BPF instructions its path runs and whether
                  the kernel's bitmap skips the filter, as compiled, as a
                  binary tree and as runc installs it (its ENOSYS stub); a
                  timed sample against unfiltered; the workload's verdict
                  (default out: build/results/bench/profile; exit 2: refused)
  --caps SET      the capability set P is resolved for (default docker-default)
  --workload CMD  run CMD (sh -c) under strace -f -c and weigh the costs by
                  its syscall counts
  --mix FILE      the counts from FILE: strace -c output, or "NAME COUNT" lines
  --paths-only    the path analysis alone, nothing timed (seconds)
  --spec-allow-guest  PR_GET_SPECULATION_CTRL (store bypass, indirect branch)
                  in a task unfiltered, after a filter, and after a filter
                  loaded with SPEC_ALLOW: on this host and in two qemu (TCG)
                  guests of Debian's 6.1 kernel, booted with its defaults and
                  with spec_store_bypass_disable=seccomp
                  spectre_v2_user=seccomp; the mechanism, not a timing
                  (about 20 s; default out: build/results/bench/spec-allow)
  --guest-cpu M   the guests' qemu CPU model (default EPYC: an AMD family 17h
                  model, for which the kernel finds SSBD through LS_CFG)
  --guest-kernel F  the guests' kernel (default: the newest
                  linux-image-6.1.*-cloud-amd64 in build/matrix/cache, which
                  ./run.sh matrix --kernels 6.1:amd64 fetches)
  --quick         fewer rounds, shorter batches, a short kernel run (under a minute)
  --out DIR       where results and plots go (default build/results/bench)
  --json          print the summary JSON on stdout instead of the tables
  --no-kernel     skip the kernel's benchmark
  --no-hyperfine  skip the process-level figures (scrun under each profile)
  --rounds N      seccomp_bench rounds (default 21, --quick 9)
  --kernel-samples N  calls per figure of each of the kernel benchmark's runs
                  (default 1000000 in 7 runs, --quick 200000 in 5 runs)
  --hyperfine-runs N  runs per command (default 100, --quick 20)
Writes DIR/seccomp_bench.json (every point, with its samples), DIR/kernel.txt
and DIR/kernel.json, DIR/hyperfine.json, DIR/summary.json, DIR/table.txt and
the plots DIR/plot-{rules,argrules,stack}.{png,svg}.  With --profile:
DIR/profile.json, DIR/mix.json, DIR/profile-summary.json, DIR/profile-table.txt
and DIR/plot-profile.{png,svg}.  With --spec-allow-guest: DIR/spec-allow.json,
DIR/spec-allow.txt and the guests' consoles DIR/console-*.log.
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1; shift ;;
	--out) OUT=${2:?--out needs a directory}; out_set=1; shift 2 ;;
	--profile) profile=${2:?--profile needs a file or a bundled name}; shift 2 ;;
	--caps) caps=${2:?--caps needs a capability set}; shift 2 ;;
	--workload) workload=${2:?--workload needs a command}; shift 2 ;;
	--mix) mix=${2:?--mix needs a file}; shift 2 ;;
	--paths-only) paths_only=1; shift ;;
	--spec-allow-guest) spec_guest=1; shift ;;
	--guest-cpu) guest_cpu=${2:?--guest-cpu needs a qemu CPU model}; shift 2 ;;
	--guest-kernel) guest_kernel=${2:?--guest-kernel needs a kernel image}; shift 2 ;;
	--json) json=1; shift ;;
	--no-kernel) kernel=0; shift ;;
	--no-hyperfine) hyper=0; shift ;;
	--rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
	--kernel-samples) ksamples=${2:?--kernel-samples needs a number}; shift 2 ;;
	--hyperfine-runs) hruns=${2:?--hyperfine-runs needs a number}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "run.sh bench: unknown option '$1'" >&2; usage >&2; exit 64 ;;
	esac
done

say() { [ "$json" = 1 ] || echo "$@" >&2; }

if [ "$spec_guest" = 0 ] && { [ "$guest_cpu" != EPYC ] || [ -n "$guest_kernel" ]; }; then
	echo "run.sh bench: --guest-cpu and --guest-kernel go with --spec-allow-guest" >&2; usage >&2; exit 64
fi
if [ -z "$profile" ] && { [ -n "$caps$workload$mix" ] || [ "$paths_only" = 1 ]; }; then
	echo "run.sh bench: --caps, --workload, --mix and --paths-only go with --profile" >&2; usage >&2; exit 64
fi
if [ -n "$workload" ] && [ -n "$mix" ]; then
	echo "run.sh bench: --workload or --mix, not both" >&2; usage >&2; exit 64
fi
if [ -n "$rounds" ] && ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
	echo "run.sh bench: --rounds '$rounds': expected a positive integer" >&2; exit 64
fi

# The caption of every plot: machine, kernel, date and load.
caption_of() { # caption_of SECCOMP_BENCH_JSON
	jq -r --arg date "$(date -u '+%Y-%m-%d %H:%M UTC')" --argjson quick "$quick" '.machine as $m
		| def l: if . == null then "?" else . * 100 | round / 100 end;
		"\($m.cpu), \($m.cpus_online) CPUs (pinned to CPU \($m.pinned_cpu)); Linux \($m.kernel) \($m.machine); \($date); load average \($m.loadavg_start[0] | l) at the start, \($m.loadavg_end[0] | l) after timing\(if $quick == 1 then "; --quick" else "" end)"' "$1" | tr -d "'"
}

# A syscall mix as [{name, calls, seconds}]: strace -c's table (the first,
# native-ABI one; seconds as strace reports them), or "NAME COUNT" lines
# (# comments and blank lines skipped).  Anything else is refused:
# FILE: line N: reason.
read_mix() { # read_mix FILE
	awk -v file="$1" '
		function fail(why) { printf "%s: line %d: %s\n", file, NR, why > "/dev/stderr"; bad = 1; exit 1 }
		/^[[:space:]]*(#|$)/ { next }
		/^System call usage summary for/ { compat = ($0 !~ /64 bit/); next }
		/^% time/ || /^-+ / || /^-+$/ { next }
		$NF == "total" { next }
		NF >= 5 && $1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ && $4 ~ /^[0-9]+$/ {
			if (compat) { skipped += $4; next }
			n[$NF] += $4; s[$NF] += $2; timed[$NF] = 1; next
		}
		NF == 2 && $1 ~ /^[A-Za-z_][A-Za-z0-9_]*$/ && $2 ~ /^[0-9]+$/ { n[$1] += $2; next }
		{ fail("expected \"NAME COUNT\" or a row of strace -c output, got: " $0) }
		END {
			if (bad) exit 1
			if (skipped) printf "run.sh bench: %s: %d calls of another ABI (strace'"'"'s 32-bit table) not weighed\n", file, skipped > "/dev/stderr"
			for (k in n) printf "{\"name\":\"%s\",\"calls\":%d,\"seconds\":%s}\n", k, n[k], (k in timed) ? s[k] : "null"
		}' "$1" | jq -s 'sort_by(-.calls)'
}

# SPEC_ALLOW's mechanism: bench/spec_ctrl (static) reads the controls in
# three children; here, then as the whole initramfs (its /init) of a qemu
# guest per boot.  Nothing is timed: TCG emulates no speculation.
if [ "$spec_guest" = 1 ]; then
	[ -z "$profile" ] || { echo "run.sh bench: --spec-allow-guest goes alone, not with --profile" >&2; exit 64; }
	[ "$out_set" = 1 ] || OUT="$OUT/spec-allow"
	command -v jq >/dev/null || { echo "run.sh bench: jq is missing: ./run.sh deps installs it" >&2; exit 1; }
	for tool in cpio qemu-system-x86_64; do	# the matrix's guests' tools
		command -v "$tool" >/dev/null || { echo "run.sh bench: $tool is missing: ./run.sh deps matrix installs it" >&2; exit 1; }
	done
	[ "$ABI" = x86_64 ] || { echo "run.sh bench: --spec-allow-guest boots amd64 kernels: on x86_64 hosts only" >&2; exit 3; }
	if [ -z "$guest_kernel" ]; then
		guest_kernel=$(ls "$HERE"/build/matrix/cache/linux-image-6.1.*-cloud-amd64/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n1)
		[ -n "$guest_kernel" ] || { echo "run.sh bench: no Debian 6.1 amd64 kernel in build/matrix/cache: ./run.sh matrix --kernels 6.1:amd64 fetches it (or --guest-kernel FILE)" >&2; exit 3; }
	fi
	[ -r "$guest_kernel" ] || { echo "run.sh bench: --guest-kernel $guest_kernel: no such file" >&2; exit 64; }
	make -s -C "$HERE" "build/$ABI/bench/spec_ctrl" >&2 || { echo "run.sh bench: the build failed" >&2; exit 1; }
	mkdir -p "$OUT"
	rm -f "$OUT"/boot-*.json "$OUT"/console-*.log
	started=$(date +%s)
	# spec-ctrl lines (a console adds CRs and escapes) as one boot's JSON.
	boot_json() { # boot_json NAME WHERE CPU APPEND < OUTPUT
		tr -d '\r' | sed -n 's/.*spec-ctrl: //p' | jq -s --arg boot "$1" --arg where "$2" --arg cpu "$3" --arg append "$4" \
			'{boot: $boot, where: $where, cpu_model: (if $cpu == "" then null else $cpu end),
			  append: (if $append == "" then null else $append end), lines: .}'
	}
	say "bench: spec_ctrl on this host ($(uname -r))"
	"$BIN/spec_ctrl" | boot_json host "this host, $(uname -r)" "" "" >"$OUT/boot-0-host.json" ||
		{ echo "run.sh bench: spec_ctrl failed on this host" >&2; exit 1; }
	stage=$(mktemp -d)
	mkdir "$stage/dev" "$stage/proc" "$stage/sys"
	cp "$BIN/spec_ctrl" "$stage/init"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$OUT/initramfs.cpio"
	rm -rf "$stage"
	kname=$(basename "$guest_kernel")
	n=0
	for append in "" "spec_store_bypass_disable=seccomp spectre_v2_user=seccomp"; do
		n=$((n + 1))
		name=$([ -z "$append" ] && echo defaults || echo seccomp)
		say "bench: qemu (TCG, -cpu $guest_cpu) with ${kname#vmlinuz-}${append:+ and $append}"
		# "quiet loglevel=1": the console is the program's lines (the
		# kernel's own messages about these mitigations it reads itself).
		rc=0
		timeout 300 qemu-system-x86_64 -machine q35 -cpu "$guest_cpu" -accel tcg -m 512 -smp 1 -nographic \
			-no-reboot -nic none -kernel "$guest_kernel" -initrd "$OUT/initramfs.cpio" \
			-append "console=ttyS0 panic=-1 quiet loglevel=1 seccomp_suite_guest=1${append:+ $append}" \
			</dev/null >"$OUT/console-$name.log" 2>&1 || rc=$?
		[ "$rc" = 0 ] || echo "run.sh bench: qemu exited $rc (console: $OUT/console-$name.log)" >&2
		boot_json "$name" "qemu guest, ${kname#vmlinuz-}" "$guest_cpu" "$append" <"$OUT/console-$name.log" >"$OUT/boot-$n-$name.json"
	done
	jq -s -L "$HERE/bench" -f "$HERE/bench/spec_allow.jq" "$OUT"/boot-*.json |
		jq --argjson elapsed "$(($(date +%s) - started))" '{elapsed_s: $elapsed, boots: .}' >"$OUT/spec-allow.json" ||
		{ echo "run.sh bench: could not read the boots' reports in $OUT" >&2; exit 1; }
	rm -f "$OUT"/boot-*.json "$OUT/initramfs.cpio"
	jq -r -L "$HERE/bench" -f "$HERE/bench/spec_allow_table.jq" "$OUT/spec-allow.json" >"$OUT/spec-allow.txt"
	if [ "$json" = 1 ]; then cat "$OUT/spec-allow.json"; else
		cat "$OUT/spec-allow.txt"
		echo
		echo "results: $OUT/spec-allow.json, $OUT/spec-allow.txt, consoles $OUT/console-*.log"
	fi
	jq -e 'all(.boots[]; .complete and .store_bypass.agrees and .indirect_branch.agrees and (.errors | length) == 0)' \
		"$OUT/spec-allow.json" >/dev/null
	exit $?
fi

if [ -n "$profile" ]; then
	for tool in jq gnuplot taskset; do
		command -v "$tool" >/dev/null || { echo "run.sh bench: $tool is missing: ./run.sh deps installs it" >&2; exit 1; }
	done
	[ -z "$workload" ] || command -v strace >/dev/null ||
		{ echo "run.sh bench: --workload needs strace: ./run.sh deps installs it" >&2; exit 1; }
	[ -z "$mix" ] || [ -r "$mix" ] || { echo "run.sh bench: --mix $mix: no such file" >&2; exit 64; }
	make -s -C "$HERE" bench >&2 || { echo "run.sh bench: the build failed" >&2; exit 1; }
	[ "$out_set" = 1 ] || OUT="$OUT/profile"
	mkdir -p "$OUT/data"
	cpu=$(($(nproc) - 1))
	loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)

	# The workload's counts first: they choose which calls are timed.
	mix_source="" workload_exit=0
	rm -f "$OUT/mix.json"
	if [ -n "$workload" ]; then
		say "bench: counting the syscalls of: $workload (strace -f -c)"
		rm -f "$OUT/workload.strace"
		strace -f -c -o "$OUT/workload.strace" -- sh -c "$workload" >&2 || workload_exit=$?
		[ -s "$OUT/workload.strace" ] || { echo "run.sh bench: strace left no counts for the workload (exit $workload_exit)" >&2; exit 1; }
		mix="$OUT/workload.strace" mix_source="strace -f -c of: $workload"
	elif [ -n "$mix" ]; then
		mix_source="the counts in $mix"
	fi
	hot=""
	if [ -n "$mix" ]; then
		read_mix "$mix" >"$OUT/mix.json" || { rm -f "$OUT/mix.json"; exit 64; }
		hot=$(jq -r '[.[:10][].name] | join(",")' "$OUT/mix.json")
	fi

	args=(--profile "$profile" --cpu "$cpu" --out "$OUT/profile.json")
	[ -z "$caps" ] || args+=(--caps "$caps")
	[ -z "$hot" ] || args+=(--hot "$hot")
	[ "$quick" = 0 ] || args+=(--quick)
	[ -z "$rounds" ] || args+=(--rounds "$rounds")
	if [ "$paths_only" = 1 ]; then
		"$BIN/seccomp_bench" "${args[@]}" --paths-only || exit $?
		if [ "$json" = 1 ]; then cat "$OUT/profile.json"; else
			jq -r '.profile as $p | "\($p.name): \($p.surface) of \($p.known_numbers) syscall numbers get through, \($p.surface_cacheable) cacheable; filter \($p.layouts.own.insns) instructions (tree \($p.layouts.tree.insns), runc \($p.layouts.runc.insns))",
				"  \("syscall" | . + " " * (22 - length))  own  tree  runc  cacheable",
				(.syscalls[] | select(.surface) | "  \(.name | . + " " * (22 - length))  \(.layouts.own.path_max)  \(.layouts.tree.path_max)  \(.layouts.runc.path_max)  \(.layouts.own.cacheable)")' "$OUT/profile.json"
			echo "results: $OUT/profile.json"
		fi
		exit 0
	fi
	say "bench: $profile: paths and a timed sample$([ "$quick" = 1 ] && echo " (--quick)") pinned to CPU $cpu (load average: $loadavg_start)"
	rc=0
	"$BIN/seccomp_bench" "${args[@]}" || rc=$?
	case $rc in
	0|1) ;;	# 1: some point failed; its error is in the results
	2) exit 2 ;;	# refused: FILE: PATH: REASON is on stderr, nothing ran
	*) echo "run.sh bench: seccomp_bench failed (its messages are above)" >&2; exit 1 ;;
	esac
	[ -s "$OUT/profile.json" ] || { echo "run.sh bench: seccomp_bench left no results" >&2; exit 1; }

	jq -L "$HERE/bench" -f "$HERE/bench/profile.jq" \
		--slurpfile mix "$([ -n "$mix" ] && echo "$OUT/mix.json" || echo /dev/null)" --arg mix_source "$mix_source" \
		--argjson workload_exit "$workload_exit" --argjson quick "$quick" \
		--arg loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)" "$OUT/profile.json" >"$OUT/profile-summary.json" ||
		{ echo "run.sh bench: could not summarise $OUT/profile.json" >&2; exit 1; }

	# The plot: the surface sorted by modelled cost, the timed points on it,
	# their names staggered on four levels above them so that neighbours'
	# labels do not overlap.
	jq -r '[.syscalls[] | select(.surface)] | sort_by(.layouts.own.est_max_ns, .name) as $s
		| ([$s[] | .layouts.own.est_max_ns, .layouts.tree.est_max_ns, .layouts.own.measured.overhead_ns // 0] | max) as $top
		| [$s | to_entries[] | select(.value.layouts.own.measured != null) | .key] as $timed
		| $s | to_entries[] | .key as $i | .value as $r | $r.layouts.own as $o
		| ($timed | index($i)) as $t
		| [$i + 1, $o.est_max_ns, $r.layouts.tree.est_max_ns, (if $o.cacheable then 1 else 0 end),
		   ($o.measured.overhead_ns // "NaN"), ($o.measured.overhead_ci95_ns[0] // "NaN"), ($o.measured.overhead_ci95_ns[1] // "NaN"),
		   (if $t != null then $r.name else "-" end),
		   (if $t != null then ([$o.measured.overhead_ns, $o.est_max_ns] | max) + $top * (0.08 + 0.07 * ($t % 4)) else "NaN" end)] | @tsv' \
		"$OUT/profile.json" >"$OUT/data/profile.dat"
	caption=$(caption_of "$OUT/profile.json")
	pname=$(jq -r '.profile.name' "$OUT/profile.json" | tr -d "'")
	for fmt in png svg; do
		gnuplot -e "data='$OUT/data/profile.dat'; out='$OUT/plot-profile'; fmt='$fmt'; name='$pname'; caption='$caption'" \
			"$HERE/bench/profile_plots.gp" || { echo "run.sh bench: gnuplot failed" >&2; exit 1; }
	done

	jq -r -L "$HERE/bench" -f "$HERE/bench/profile_table.jq" "$OUT/profile-summary.json" >"$OUT/profile-table.txt"
	if [ "$json" = 1 ]; then
		cat "$OUT/profile-summary.json"
	else
		cat "$OUT/profile-table.txt"
		echo
		echo "results: $OUT/{profile,profile-summary,mix}.json, $OUT/profile-table.txt"
		echo "plot:    $OUT/plot-profile.{png,svg}"
	fi
	jq -e '.errors == []' "$OUT/profile-summary.json" >/dev/null
	exit $?
fi

for tool in jq gnuplot hyperfine taskset chrt; do
	command -v "$tool" >/dev/null || { echo "run.sh bench: $tool is missing: ./run.sh deps installs it" >&2; exit 1; }
done
make -s -C "$HERE" bench all >&2 || { echo "run.sh bench: the build failed" >&2; exit 1; }
mkdir -p "$OUT/data"
started=$(date +%s.%N)
cpu=$(($(nproc) - 1))

# 1. The suite's microbenchmark.
say "bench: seccomp_bench$([ "$quick" = 1 ] && echo " --quick") pinned to CPU $cpu (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
quick_arg=()
[ "$quick" = 1 ] && quick_arg=(--quick)
"$BIN/seccomp_bench" --cpu "$cpu" "${quick_arg[@]}" ${rounds:+--rounds "$rounds"} --out "$OUT/seccomp_bench.json" ||
	{ echo "run.sh bench: seccomp_bench failed (its messages are above)" >&2; exit 1; }

# 2. The kernel's benchmark, pinned to the same CPU and as SCHED_FIFO as our
# measuring children, with a sample count that keeps it short (its default
# calibrates 15 s worth of calls per figure), a few times.
if [ "$kernel" = 1 ]; then
	samples=${ksamples:-$([ "$quick" = 1 ] && echo 200000 || echo 1000000)}
	kruns=$([ "$quick" = 1 ] && echo 5 || echo 7)
	say "bench: the kernel's seccomp_benchmark, $kruns runs of $samples calls per figure (from $(basename /usr/src/linux-source-6.1.tar.xz))"
	: >"$OUT/kernel.txt"
	fifo="chrt -f 1"
	$fifo true 2>/dev/null || fifo=""	# as seccomp_bench: without SCHED_FIFO where refused
	for _ in $(seq "$kruns"); do
		$fifo taskset -c "$cpu" "$BIN/kernel_seccomp_benchmark" "$samples" >"$OUT/kernel-run.txt" 2>&1 ||
			{ cat "$OUT/kernel-run.txt" >&2; echo "run.sh bench: the kernel's seccomp_benchmark failed" >&2; exit 1; }
		cat "$OUT/kernel-run.txt" >>"$OUT/kernel.txt"
		# Its per-call figures; its estimates are recomputed from them here,
		# as it computes them, because it prints negative ones as huge
		# unsigned numbers.
		awk -v samples="$samples" '
			/^getpid native:/ { n = $3 }
			/1 filter \(bitmap\):/ { b1 = $(NF-1) }
			/2 filters \(bitmap\):/ { b2 = $(NF-1) }
			/3 filters \(full\):/ { f3 = $(NF-1) }
			/4 filters \(full\):/ { f4 = $(NF-1) }
			END {
				if (n == "" || b1 == "" || b2 == "" || f3 == "" || f4 == "") exit 1
				entry = b1 - n - (b2 - b1)
				printf "{\"samples\":%d,\"native_ns\":%d,\"bitmap1_ns\":%d,\"bitmap2_ns\":%d,\"full3_ns\":%d,\"full4_ns\":%d,", samples, n, b1, b2, f3, f4
				printf "\"entry_ns\":%d,\"per_filter_last2_ns\":%d,\"per_filter_div4_ns\":%d}\n", entry, f4 - f3, int((f4 - n - entry) / 4)
			}' "$OUT/kernel-run.txt" ||
			{ echo "run.sh bench: cannot read the kernel benchmark's figures in $OUT/kernel-run.txt" >&2; exit 1; }
	done >"$OUT/kernel-runs.jsonl"
	rm -f "$OUT/kernel-run.txt"
	# Several short runs and the median of each figure: one short run of it
	# is at the mercy of whatever else the machine did in those seconds.
	jq -s 'def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
		. as $runs | ($runs[0] | keys_unsorted) as $k
		| reduce $k[] as $f ({}; .[$f] = ($runs | map(.[$f]) | median))
		| . + {runs: $runs}' "$OUT/kernel-runs.jsonl" >"$OUT/kernel.json"
	rm -f "$OUT/kernel-runs.jsonl"
else
	echo null >"$OUT/kernel.json"
fi

# 3. Process level: scrun building and loading each bundled profile before
# /bin/true, against scrun without a filter and /bin/true alone.
if [ "$hyper" = 1 ]; then
	runs=${hruns:-$([ "$quick" = 1 ] && echo 20 || echo 100)}
	say "bench: hyperfine, $runs runs per command"
	# -i: under restrictive, execve itself is denied (scrun exits 126): that
	# row times building and loading the profile and the refused execve.
	taskset -c "$cpu" hyperfine -N -i --style none --warmup 3 --runs "$runs" --export-json "$OUT/hyperfine.json" \
		-n true /bin/true \
		-n "scrun unconfined" "$SCRUN --profile unconfined -- /bin/true" \
		-n "scrun docker-default" "$SCRUN --profile docker-default -- /bin/true" \
		-n "scrun no-network" "$SCRUN --profile no-network -- /bin/true" \
		-n "scrun restrictive" "$SCRUN --profile restrictive -- /bin/true" >/dev/null 2>"$OUT/hyperfine.log" ||
		{ cat "$OUT/hyperfine.log" >&2; echo "run.sh bench: hyperfine failed" >&2; exit 1; }
else
	echo null >"$OUT/hyperfine.json"
fi

# 4. The summary: every figure derives from the JSON files above.
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
jq -n --slurpfile ours "$OUT/seccomp_bench.json" --slurpfile k "$OUT/kernel.json" \
	--slurpfile h "$OUT/hyperfine.json" --argjson quick "$quick" --argjson elapsed "${elapsed:-0}" \
	--arg loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" '
	def pct(a; b): if a == null or b == null or b == 0 then null else ((a - b) / b * 10000 | round) / 100 end;
	$ours[0] as $o | $k[0] as $k | $h[0] as $h | $o.estimates as $e
	| {
		quick: ($quick == 1),
		elapsed_s: $elapsed,
		loadavg_end: $loadavg,
		machine: $o.machine,
		method: $o.method,
		estimates: $e,
		kernel_benchmark: $k,
		agreement: (if $k == null then null else [
			{ figure: "native getpid", ours: $e.native_ns, kernel: $k.native_ns,
			  ours_mean: ($o.points[] | select(.id == "native/0") | .batch_mean_ns) },
			{ figure: "1 filter (bitmap)", ours: $e.one_filter_bitmap_ns, kernel: $k.bitmap1_ns,
			  ours_mean: ($o.points[] | select(.id == "stack-cacheable/1") | .batch_mean_ns) },
			{ figure: "per filter (full), kernel: last 2 diff", ours: $e.per_filter_full.slope, kernel: $k.per_filter_last2_ns },
			{ figure: "per filter (full), kernel: filters / 4", ours: $e.per_filter_full.slope, kernel: $k.per_filter_div4_ns },
			{ figure: "entry (bitmap)", ours: $e.entry_bitmap_ns, kernel: $k.entry_ns }
		  ] | map(. + { diff_pct: pct(.ours; .kernel), diff_mean_pct: pct(.ours_mean; .kernel) }) end),
		# Which of our estimators matches the kernel'"'"'s (total time / calls):
		# the batch means count what interrupts the run as it does; the
		# medians leave it out.
		estimator_match: (if $k == null then null else
			[ $ours[0].points[] | select(.id == "native/0" or .id == "stack-cacheable/1") ] as $p
			| { figures: ["native getpid", "1 filter (bitmap)"],
			    median_pct: [ pct($e.native_ns; $k.native_ns), pct($e.one_filter_bitmap_ns; $k.bitmap1_ns) ],
			    mean_pct: [ pct(($p[] | select(.id == "native/0") | .batch_mean_ns); $k.native_ns),
					pct(($p[] | select(.id == "stack-cacheable/1") | .batch_mean_ns); $k.bitmap1_ns) ] }
			| . + { closer: (if (.median_pct | map(fabs? // 1e9) | add) < (.mean_pct | map(fabs? // 1e9) | add) then "median" else "batch mean" end) } end),
		kernel_default_run_s: (if $k == null then null
			else (1 + 15 * ($k.native_ns + $k.bitmap1_ns + $k.bitmap2_ns + $k.full3_ns + $k.full4_ns) / $k.native_ns) | round end),
		hyperfine: (if $h == null then null else [$h.results[] | {
			command, mean_ms: (.mean * 100000 | round / 100), stddev_ms: (.stddev * 100000 | round / 100),
			median_ms: (.median * 100000 | round / 100), min_ms: (.min * 100000 | round / 100),
			exit_codes: (.exit_codes | unique) }]
			| (map(select(.command == "scrun unconfined")) | .[0].median_ms) as $base
			| map(. + { over_unconfined_ms: (if $base == null then null else ((.median_ms - $base) * 100 | round / 100) end) }) end),
		# PR_GET_SPECULATION_CTRL as the points recorded it (ssb: store
		# bypass, ib: indirect branch): the distinct states, and the SPEC_ALLOW pair.
		speculation: {
			unfiltered: ([$o.points[] | select(.error == null) | {ssb: .spec_ctrl_unfiltered, ib: .spec_ctrl_indirect_branch_unfiltered}] | unique),
			under_filters: ([$o.points[] | select(.error == null and .filters > 0) | {ssb: .spec_ctrl, ib: .spec_ctrl_indirect_branch}] | unique),
			spec_default: ([$o.points[] | select(.id == "spec-default/1") | {ssb: .spec_ctrl, ib: .spec_ctrl_indirect_branch}] | first),
			spec_allow: ([$o.points[] | select(.id == "spec-allow/1") | {ssb: .spec_ctrl, ib: .spec_ctrl_indirect_branch}] | first) },
		errors: [$o.points[] | select(.error) | {id, error}]
	}' >"$OUT/summary.json"

# Plot data: x, median overhead, its 95% interval, per series.
jq -r '.points[] | select(.overhead_ns != null) | [.series, .x, .overhead_ns, .overhead_ci95_ns[0], .overhead_ci95_ns[1]] | @tsv' \
	"$OUT/seccomp_bench.json" | awk -F'\t' -v dir="$OUT/data" '
	FNR == 1 { system("rm -f " dir "/*.dat") }
	{ print $2 "\t" $3 "\t" $4 "\t" $5 > (dir "/" $1 ".dat") }'
for fmt in png svg; do
	gnuplot -e "data='$OUT/data'; out='$OUT/plot'; fmt='$fmt'; caption='$(caption_of "$OUT/seccomp_bench.json")'" "$HERE/bench/plots.gp" ||
		{ echo "run.sh bench: gnuplot failed" >&2; exit 1; }
done

# The human tables.
jq -r -L "$HERE/bench" --slurpfile o "$OUT/seccomp_bench.json" -f "$HERE/bench/table.jq" "$OUT/summary.json" >"$OUT/table.txt"
if [ "$json" = 1 ]; then
	cat "$OUT/summary.json"
else
	cat "$OUT/table.txt"
	echo
	echo "results: $OUT/{seccomp_bench,kernel,hyperfine,summary}.json, $OUT/table.txt"
	echo "plots:   $OUT/plot-{rules,argrules,stack}.{png,svg}"
fi
jq -e '.errors == []' "$OUT/summary.json" >/dev/null
