# shellcheck shell=bash
# farms/lava/engine.sh: the matrix's lava engine, and the LAVA pieces
# farms/lava/lava.sh's commands use.  Sourced (bash), after matrix/matrix.sh
# has defined its functions and data: by matrix/matrix.sh's main for
# `./run.sh matrix --engine lava`, and by farms/lava/lava.sh.
#
# The engine changes one thing in the matrix: how a guest is booted.  Its
# initramfs is the LAVA ramdisk (busybox, the kselftest collection of the
# cell's ABIs, /init with a shell for LAVA), and run_guest renders a LAVA
# job for the kernel and the device dictionary, and runs the job with
# lava-run (Debian's lava-dispatcher, no server).  The job's test step
# (farms/lava/guest.sh) runs Debian's run_kselftest.sh and prints the
# matrix's console protocol, so everything after the console (finish_run's
# cells KERNEL-ABI.jsonl and .ktap, timing.tsv, the reports, the table, the
# publishing and the interruption) is the matrix's own, whichever engine ran.

LAVA_DIR="$HERE/farms/lava"
# Debian's interpreter, whose python3-jinja2, python3-yaml and lava_common
# (lava-dispatcher) these functions use, whatever python3 comes first in PATH.
LAVA_PYTHON=/usr/bin/python3

# The suite's version in the job: commands/version.sh owns it.
lava_version() {
	"$HERE/commands/version.sh"
}

# deb_extract PACKAGE[:ARCH] DIR: apt-get download and dpkg -x (nothing
# installed), once.
deb_extract() {
	local pkg=$1 dir=$2 deb
	[ -d "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return 0
	rm -rf "$dir.download"
	mkdir -p "$dir.download"
	(cd "$dir.download" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1) ||
		unavailable "apt-get download $pkg failed"
	deb=$(ls "$dir.download"/*.deb | head -n1)
	mkdir -p "$dir"
	dpkg -x "$deb" "$dir"
	rm -rf "$dir.download"
}

# jinja SEARCH-PATH TEMPLATE VARS-JSON [strict]: the template rendered with
# jinja2 (trim_blocks, as LAVA renders device types).
jinja() {
	"$LAVA_PYTHON" -c '
import json, sys, jinja2
strict = len(sys.argv) > 4
env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1].split(":")), trim_blocks=True,
                         autoescape=False, undefined=jinja2.StrictUndefined if strict else jinja2.Undefined)
sys.stdout.write(env.get_template(sys.argv[2]).render(**json.loads(sys.argv[3])) + "\n")
' "$@"
}

# lava_ramdisk DEBARCH DIR ABI...: builds DIR/ramdisk-DEBARCH.cpio (busybox-static
# from Debian's archive, the kselftest collection of the ABIs, an /init with
# a shell for LAVA); prints its path.  An uncompressed newc cpio: LAVA adds
# its overlay to it without libguestfs or a gzip round trip.
lava_ramdisk() {
	local debarch=$1 dir=$2 root abi bb
	shift 2
	root="$dir/ramdisk-$debarch"
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,kselftest}
	bb="$CACHE/busybox-static-$debarch"
	deb_extract "busybox-static:$debarch" "$bb"
	cp "$bb/bin/busybox" "$root/bin/busybox"
	for abi in sh setsid cttyhack mount; do ln -s busybox "$root/bin/$abi"; done
	for abi in "$@"; do
		# probes.list: what the matrix's write_cell expects of every cell.
		make -s -C "$HERE" -j2 ABI="$abi" kselftest-install INSTALL_PATH="$root/kselftest" "build/$abi/probes.list" >&2 ||
			die "make ABI=$abi kselftest-install failed"
	done
	install -m 755 "$LAVA_DIR/init.sh" "$root/init"
	install -m 755 "$LAVA_DIR/guest.sh" "$root/bin/seccomp-suite-lava"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$dir/ramdisk-$debarch.cpio.tmp"
	mv "$dir/ramdisk-$debarch.cpio.tmp" "$dir/ramdisk-$debarch.cpio"
	rm -rf "$root"
	echo "$dir/ramdisk-$debarch.cpio"
}

# job_yaml PACKAGE DEBARCH KERNEL-URL RAMDISK-URL NO-KVM SETS MINUTES [SMP]:
# a LAVA job (farms/lava/job.yaml.jinja2) on stdout.  SETS: the sets to run
# ("": the whole collection, run_kselftest.sh -c seccomp-suite); MINUTES:
# the job's timeout; SMP: qemu's vCPUs (none: the device's default).
job_yaml() {
	local pkg=$1 debarch=$2 kernel_url=$3 ramdisk_url=$4 no_kvm=$5 sets=$6 minutes=$7 smp=${8:-}
	machine_of "$debarch"
	jinja "$LAVA_DIR" job.yaml.jinja2 "$(jq -n --arg version "$(lava_version)" --arg kernel_package "$pkg" \
		--arg debarch "$debarch" --arg kernel_url "$kernel_url" --arg ramdisk_url "$ramdisk_url" \
		--arg console "console=$CONSOLE" --arg mark "$MARK" --arg abis "$(abis_of_debarch "$debarch")" \
		--argjson no_kvm "$no_kvm" --arg sets "$sets" --argjson minutes "$minutes" --arg smp "$smp" \
		'{version: $version, kernel_package: $kernel_package, debarch: $debarch, kernel_url: $kernel_url,
		  ramdisk_url: $ramdisk_url, console: $console, mark: $mark, abis: $abis, no_kvm: $no_kvm,
		  sets: $sets, smp: $smp, job_minutes: $minutes, test_minutes: $minutes}')" strict
}

# device_yaml JOB: the device dictionary farms/lava/device.jinja2 over
# lava-server's qemu.jinja2 (from its .deb, unpacked into the cache, never
# installed), rendered with the job's context as a LAVA server renders it.
device_yaml() {
	deb_extract lava-server "$CACHE/lava-server"
	jinja "$LAVA_DIR:$CACHE/lava-server/usr/share/lava-server/device-types" device.jinja2 \
		"$("$LAVA_PYTHON" -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])).get("context", {})))' "$1")"
}

# lava_log LOG CONSOLE RESULTS: lava-run's log (its stdout, one YAML flow
# mapping a line, nearly always JSON) -> CONSOLE, the console text (LAVA's
# "target" lines, with the \" its shell logger writes for every " turned
# back), and RESULTS, "CASE RESULT" per LAVA test case of the seccomp-suite
# definition.
lava_log() {
	"$LAVA_PYTHON" -c '
import json, sys, yaml
with open(sys.argv[1]) as log, open(sys.argv[2], "w") as console, open(sys.argv[3], "w") as results:
    for line in log:
        try:
            e = json.loads(line)
        except ValueError:
            try:
                e = yaml.safe_load(line)
            except yaml.YAMLError:
                continue
        if not isinstance(e, dict):
            continue
        msg = e.get("msg")
        if e.get("lvl") == "target" and isinstance(msg, str):
            console.write(msg.replace("\\\"", "\"") + "\n")
        elif e.get("lvl") == "results" and isinstance(msg, dict) and msg.get("definition") != "lava":
            results.write("%s %s\n" % (msg.get("case"), msg.get("result")))
' "$@"
}

lava_engine_check() {
	command -v lava-run >/dev/null || unavailable "lava-run is not installed (./run.sh deps lava: Debian's lava-dispatcher)"
	command -v cpio >/dev/null || unavailable "cpio is not installed (./run.sh deps matrix)"
}

# The engine's overrides of the matrix's functions.  Only when sourced by
# the matrix's main (LAVA_ENGINE=1): farms/lava/lava.sh uses the pieces above.
if [ "${LAVA_ENGINE:-0}" = 1 ]; then
	lava_engine_check
	# One vCPU unless --smp: run_kselftest.sh runs the tests one after the
	# other.
	[ -n "$SMP" ] || SMP=1

	# initramfs DEBARCH ABI...: the LAVA ramdisk of those ABIs, in
	# OUT_DIR/lava/ beside the jobs that name it.
	initramfs() {
		local debarch=$1
		shift
		mkdir -p "$OUT_DIR/lava"
		lava_ramdisk "$debarch" "$OUT_DIR/lava" "$@"
		echo "matrix: $debarch LAVA ramdisk built ($(du -h "$OUT_DIR/lava/ramdisk-$debarch.cpio" | cut -f1); ABIs $*)" >&2
	}

	# run_guest SPEC PACKAGE RAMDISK: the kernel's job and device in
	# OUT_DIR/lava/RELEASE/ (job.yaml, device.yaml, lava-run.log, results.txt:
	# its LAVA test cases, and lava-run's output), run with lava-run, watched
	# as a guest's console is (--stall, --timeout: lava-run logs every console
	# line as it comes); its console text is the cell's console-RELEASE.log.
	run_guest() {
		local pkg=$2 cpio=$3 debarch release=${2#linux-image-} abis dir sets="" log start pid watch rc=0 cases
		debarch=$(guest_debarch "$1")
		abis=$(abis_of_debarch "$debarch")
		dir="$OUT_DIR/lava/$release"
		rm -rf "$dir"
		mkdir -p "$dir"
		# The sets asked for, unless all of them.
		[ "$SETS" = "$(cd "$HERE/cases" && ls ./*.cases | sed 's|^\./||; s/\.cases$//' | LC_ALL=C sort | paste -sd ' ')" ] || sets=$SETS
		job_yaml "$pkg" "$debarch" "file://$(fetch_kernel "$pkg" "$debarch")" "file://$cpio" true "$sets" \
			"$(awk -v c="$CAP" 'BEGIN { printf "%d", c / 60 + 5 }')" "$SMP" >"$dir/job.yaml"
		device_yaml "$dir/job.yaml" >"$dir/device.yaml"
		log="$MATRIX/console-$release.log"
		start=$(now_us)
		# Unbuffered: the log grows line by line, which the watch reads.
		PYTHONUNBUFFERED=1 lava-run --job-id "seccomp-suite-$release-$$" --output-dir "$dir/output" \
			--device "$dir/device.yaml" "$dir/job.yaml" </dev/null >"$dir/lava-run.log" 2>&1 &
		pid=$!
		register "$pid"
		watch=$(watch_console "$dir/lava-run.log" "$pid" "$STALL" "$CAP") || true
		wait "$pid" || rc=$?
		unregister "$pid"
		lava_log "$dir/lava-run.log" "$log" "$dir/results.txt"
		cases=$(awk '{ n[$2]++ } END { for (r in n) printf "%s%d %s", (s++ ? ", " : ""), n[r], r }' "$dir/results.txt")
		echo "lava $release: lava-run exit $rc in $(us_to_seconds $(($(now_us) - start))) s; LAVA test cases: ${cases:-none}; $dir" >&2
		# shellcheck disable=SC2086
		finish_run "guest $release ($debarch, $SMP vCPU, lava-run)" "$release" "$log" "$start" "$watch" "$rc" $abis || return 1
		# The job itself: lava-run's verdict (a job that ran to the end but
		# that LAVA calls incomplete), and every LAVA test case.
		if [ "$rc" -ne 0 ]; then
			echo "lava $release: FAILED: lava-run exit $rc: $dir/lava-run.log" >&2
			return 1
		fi
		if [ ! -s "$dir/results.txt" ] || grep -qvE ' (pass|skip)$' "$dir/results.txt"; then
			echo "lava $release: FAILED: LAVA test cases not all passed or skipped: $dir/results.txt" >&2
			return 1
		fi
	}
fi
