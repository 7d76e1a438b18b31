#!/usr/bin/env bash
# seccomp-suite: the single entry point.  ./run.sh --help
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ABI=$(uname -m)
BUILD="$HERE/build/$ABI"
RESULTS="${SECCOMP_SUITE_RESULTS:-$HERE/build/results}"
BUNDLED_PROFILES="docker-default restrictive no-network unconfined"
export SECCOMP_SUITE_PROFILES="$HERE/profiles"

# This run's own files live in a private directory inside the results
# directory; finished results are renamed into place (atomic on one file
# system), so concurrent runs never mix their lines and an interrupted run
# leaves the previous results as they were.
RUN_DIR=""
SPAWNED=()

new_run_dir() {
	[ -z "$RUN_DIR" ] || return 0
	mkdir -p "$RESULTS"
	RUN_DIR=$(mktemp -d "$RESULTS/.run.XXXXXX")
}

cleanup() {
	[ -z "$RUN_DIR" ] || rm -rf "$RUN_DIR"
}

# SIGINT/SIGTERM: stop every child (each spawned in its own process group),
# remove this run's temporary files, exit 130/143.
on_signal() {
	local sig=$1 code=$2 pid
	trap - INT TERM
	for pid in "${SPAWNED[@]}"; do
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	cleanup
	echo "run.sh: interrupted (SIG$sig): the previous results are unchanged" >&2
	exit "$code"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

# spawn COMMAND...: run it in its own process group and wait for it.  The
# wait is where bash answers a signal at once (a foreground child would
# defer the trap until it ends), and the group is what on_signal stops.
spawn() {
	local pid rc=0
	set -m
	"$@" &
	pid=$!
	set +m
	SPAWNED+=("$pid")
	wait "$pid" || rc=$?
	return "$rc"
}

# publish FILE...: move finished files from this run's directory into the
# results directory (rename: readers see the old file or the new one).
publish() {
	local f
	for f in "$@"; do
		mv -f "$f" "$RESULTS/$(basename -- "$f")"
	done
}

# A path relative to the current directory when it is below it.
relative() {
	case "$1" in
	"$PWD"/*) printf '%s\n' "${1#"$PWD"/}" ;;
	*) printf '%s\n' "$1" ;;
	esac
}

usage_error() {
	echo "run.sh: $*" >&2
	exit 64
}

# optval OPTION "$@": the option's value, or a one-line usage error.
optval() {
	[ $# -ge 2 ] && [ -n "$2" ] || usage_error "$1 needs a value"
	case "$2" in --*) usage_error "$1 needs a value (got option '$2')" ;; esac
	printf '%s' "$2"
}

positive_int() {
	[[ $2 =~ ^[1-9][0-9]{0,8}$ ]] || usage_error "$1 takes a positive whole number, not '$2'"
}

SUITE_VERSION=$("$HERE/commands/version.sh")
# One time for the whole run, on every results line it writes ("time"):
# given to probe-run and the cases runner with --time, and to the scripts
# run.sh calls (the runtime backends) as SECCOMP_SUITE_RUN_TIME.
RUN_TIME=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export SECCOMP_SUITE_RUN_TIME=$RUN_TIME

usage() {
	cat <<'EOF'
usage: ./run.sh [--wide | COMMAND [OPTIONS]]        ./run.sh COMMAND --help

With no command: install the missing Debian packages the main job needs (as
root), build, print every probe's verdict under every bundled profile, then
assert every expectation set and end with a summary per set.

Host and profiles:
  probe     the probes under one profile: verdict, errno, who decided
  cases     assert the expectation sets (cases/*.cases)
  compare   which verdicts differ between two results files
  list      the probes, their syscall numbers and unconfined errnos
  exec      run a program under a profile (scrun)
  record    record the smallest profile a command needs, then verify it
  lint      findings in a profile
  explain   which rule decides a call
  check     what this host offers for seccomp, each behaviour triggered
  audit     Docker containers running without seccomp (CIS rule)
  diff      the probes under every runtime backend, and what differs
  docs      Docker's documented blocklist, row by row, against a profile
  surface   every syscall number of every ABI: what the filter decides
Cost and breadth:
  bench     what filters cost per syscall on this machine
  matrix    the case sets on Debian kernels booted in qemu, per ABI
Farms and fleets:
  kselftest DIR  install the kselftest collection into DIR (run_kselftest.sh)
  lava      LAVA jobs: render, ramdisk, run with lava-run
  dist      the fleet tarball build/dist/seccomp-suite-VERSION-ABI.tar.gz
  fleet     the Ansible playbook over a fleet (ansible-playbook options)
Project:
  build     build everything into build/ (make)
  test      build and run the tests (make test)
  deps      install Debian packages (groups: core backends bench matrix test all)
  --version the suite's version

Verdicts: allowed (the call reached the kernel; errno is the kernel's own),
errno (the filter returned an errno), killed, trapped, notified, traced,
absent (no such syscall on this ABI), error (never a pass).  "by" says who
decided: filter or kernel.  Exit status: 0 done; 1 a verdict is error, a
case failed, or the build or install failed; 2 the profile was refused
(nothing ran); 64 usage; 130/143 interrupted.
EOF
}

# command_help CMD: the command's own short help (docs/commands.md holds the
# same texts; tests/cli.test.sh keeps them in step).
command_help() {
	case "$1" in
	probe) cat <<'EOF'
usage: ./run.sh probe [OPTIONS] [PROBE|SYSCALL...]
The probes (all, or the named ones; "clone" selects clone, clone.newns and
clone.newuser) under one profile, compiled once: a table of probe, syscall
number, verdict, errno and who decided.  Results: build/results/probe-PROFILE.jsonl.
  --profile FILE|NAME  a Docker or OCI profile file, or docker-default (the
                       default), docker-26-default, podman-default,
                       containerd-default, unconfined, restrictive, no-network;
                       daemon (with --backend docker|podman): the daemon's
                       own default, no --security-opt
  --caps SET           docker-default (default), all, none, or a list such as
                       docker-default,CAP_SYS_ADMIN or docker-default,-CAP_CHOWN
  --backend NAME       native (default), docker, runc, crun, podman, containerd
  --json               the JSON Lines on stdout instead of the table
  --out FILE           write the JSON Lines to FILE
  --jobs N             probes at once (default: the CPU count)
  --timeout MS         per probe, and for compiling the profile (default 5000)
  --verbose            name every syscall the profile's filter skips
Exit: 0; 1 a verdict is error; 2 the profile was refused (nothing ran); 64 usage.
EOF
	;;
	cases) cat <<'EOF'
usage: ./run.sh cases [SET...] [OPTIONS]
Asserts expectation sets (cases/SET.cases; default every set), one kselftest
test per (set, probe); prints every differing probe as a diff, then a summary
per set.  Results: build/results/cases-SET.{jsonl,ktap}.
  --profile FILE|NAME  the sets' expectations against this profile instead;
                       daemon (with --backend docker|podman): the daemon's own
  --caps SET           instead of each set's capability set
  --backend NAME       run the probes under docker, runc, crun, podman or
                       containerd
  --observations FILE  judge the verdicts in this results file instead
  --jobs N             sets at once (default: the CPU count)
  --libseccomp V       2.5 (default: Debian 12's) or 2.6: the build whose
                       libseccomp compiles the filters (docs/libseccomp.md)
  --json               the results JSON Lines on stdout
Exit: 0 every case passed; 1 a case failed; 2 a set or profile was refused; 64 usage.
EOF
	;;
	compare) cat <<'EOF'
usage: ./run.sh compare [--json] A.jsonl B.jsonl
The probes whose verdict, errno or attribution differs between two results
files (two kernels, hosts, profile versions or backends).
Exit: 0 none differ; 1 some differ; 2 nothing in common; 64 usage or unreadable file.
EOF
	;;
	list) cat <<'EOF'
usage: ./run.sh list
The probes of this build: probe, syscall number, and the errno the kernel
gives each unconfined as root.
EOF
	;;
	exec) cat <<'EOF'
usage: ./run.sh exec [--profile FILE|NAME] [--caps SET] [--verbose] -- PROGRAM [ARG...]
Runs PROGRAM under a profile as runc would (build/<abi>/bin/scrun --help).
EOF
	;;
	build) echo "usage: ./run.sh build    build everything into build/ (make)" ;;
	kselftest) cat <<'EOF'
usage: ./run.sh kselftest DIR
Installs the seccomp-suite kselftest collection into DIR (make
kselftest-install INSTALL_PATH=DIR): one test per set, settings, config,
kselftest-list.txt lines, merged into an existing kselftest install.
EOF
	;;
	dist) cat <<'EOF'
usage: ./run.sh dist
Builds build/dist/seccomp-suite-VERSION-ABI.tar.gz (make dist): static
programs, sets, bundled profiles and a POSIX sh entry point for fleet hosts
(seccomp-suite check|cases|probe|report [--json]|--version).
EOF
	;;
	fleet) cat <<'EOF'
usage: ./run.sh fleet [ansible-playbook OPTIONS]
Runs farms/fleet/playbook.yml: copies the dist tarball to each host, runs
seccomp-suite report --json, fetches reports/HOST.json.
EOF
	;;
	test) echo "usage: ./run.sh test     install the test packages, build, run the tests (make test)" ;;
	deps) cat <<'EOF'
usage: ./run.sh deps [GROUP...]
Installs the missing Debian packages of the groups (default all): core (the
main job), backends, bench, matrix, test, all.  ci/install-deps.sh --print GROUP
prints the apt-get line.
EOF
	;;
	"") usage ;;
	*) return 1 ;;
	esac
}

# Does any line of the JSON Lines files match? (jq 1.6's -e looks only at
# the last input's output, so select() alone cannot answer this.)
any_line() {
	local cond=$1
	shift
	jq -ne "any(inputs; $cond)" "$@" >/dev/null
}

die() {
	echo "run.sh: $*" >&2
	exit 1
}

# ensure_deps [GROUP...]: install the missing packages of those groups
# (ci/install-deps.sh; default core, what the main job needs).
ensure_deps() {
	"$HERE/ci/install-deps.sh" "$@" || exit 1
}

ensure_built() {
	make -s -j"$(nproc)" -C "$HERE" "${BUILD_TARGET:-all}" >&2 || die "the build failed (make -C $HERE ${BUILD_TARGET:-all})"
}

# use_libseccomp 2.5|2.6: the build whose programs compile the filters
# (docs/libseccomp.md): 2.5 the default build/<abi> (Debian 12's
# libseccomp-dev), 2.6 build/<abi>-libseccomp2.6 (make libseccomp-2.6).
# Prints the results files' suffix.
use_libseccomp() {
	case "$1" in
	2.5) echo "" ;;
	2.6) echo "-libseccomp2.6" ;;
	*) usage_error "--libseccomp: 2.5 or 2.6, not '$1'" ;;
	esac
}

# probe_run PROFILE CAPS JOBS TIMEOUT VERBOSE OUT [NAME...]: every selected
# probe under one profile, compiled once (build/<abi>/bin/probe-run), the
# annotated results JSON Lines written to OUT (atomically).  Exit 2 when the
# profile was refused (nothing ran), 64 for an unknown probe.
probe_run() {
	local profile=$1 caps=$2 jobs=$3 timeout=$4 verbose=$5 out=$6
	shift 6
	local rc=0
	spawn "$BUILD/bin/probe-run" --profile "$profile" --caps "$caps" --jobs "$jobs" \
		--timeout "$timeout" --time "$RUN_TIME" $verbose --out "$out" -- "$@" || rc=$?
	case "$rc" in
	0|1) return 0 ;;
	2) echo "run.sh: profile '$profile' refused: no probe ran" >&2; exit 2 ;;
	*) exit "$rc" ;;
	esac
}

# A results file name from a profile name or path: its base name without
# .json, in characters that are safe in a file name.
results_name() {
	local base
	base=$(basename -- "$1")
	base=$(printf '%s' "${base%.json}" | tr -c 'A-Za-z0-9_.-' '_')
	case "$base" in -*) base="_${base#-}" ;; esac
	printf '%s\n' "$base"
}

print_table() {
	jq -L "$HERE/commands" -r 'include "tables"; probe_row' |
		awk -F'\t' 'BEGIN { printf "%-24s %5s  %-9s %-13s %-7s\n", "PROBE", "NR", "VERDICT", "ERRNO", "BY" }
			{ printf "%-24s %5s  %-9s %-13s %-7s%s\n", $1, $2, $3, $4, $5, ($6 != "" ? "  " $6 : "") }'
}

print_summary() {
	jq -L "$HERE/commands" -rs --arg p "$1" 'include "tables"; probe_summary($p)'
}

cmd_probe() {
	local profile=docker-default caps=docker-default json=0 out="" jobs timeout=5000 verbose="" backend=native
	jobs=$(nproc)
	local names=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--profile) profile=$(optval "$@"); shift 2 ;;
		--caps) caps=$(optval "$@"); shift 2 ;;
		--json) json=1; shift ;;
		--out) out=$(optval "$@"); shift 2 ;;
		--jobs) jobs=$(optval "$@"); positive_int --jobs "$jobs"; shift 2 ;;
		--timeout) timeout=$(optval "$@"); positive_int --timeout "$timeout"; shift 2 ;;
		--verbose) verbose=--verbose; shift ;;
		--backend) backend=$(optval "$@"); shift 2 ;;
		-h|--help) usage; exit 0 ;;
		--) shift; names+=("$@"); break ;;
		-*) usage_error "probe: unknown option '$1'" ;;
		*) names+=("$1"); shift ;;
		esac
	done
	ensure_built
	new_run_dir
	local name tmp
	name="probe-$(results_name "$profile")$([ "$backend" = native ] || echo "-$backend").jsonl"
	tmp="$RUN_DIR/$name"
	if [ "$backend" = native ]; then
		probe_run "$profile" "$caps" "$jobs" "$timeout" "$verbose" "$tmp" "${names[@]}"
	else
		local selected
		selected=$("$BUILD/bin/probe-run" --list -- "${names[@]}" | jq -r '.probe') || exit $?
		# shellcheck disable=SC2086
		spawn "$HERE/backends/backend.sh" run "$backend" "$profile" "$caps" $selected >"$tmp" || exit $?
	fi
	if [ -n "$out" ]; then
		mv -f "$tmp" "$out"
	else
		publish "$tmp"
		out="$RESULTS/$name"
	fi
	if [ "$json" = 1 ]; then
		cat "$out"
	else
		print_table <"$out"
		echo
		print_summary "$profile$([ "$backend" = native ] || echo " under $backend")" <"$out"
		echo "results: $(relative "$out")"
	fi
	! any_line '.verdict == "error"' "$out"
}

cmd_list() {
	ensure_built
	"$BUILD/bin/probe-run" --list | jq -L "$HERE/commands" -r 'include "tables"; list_row' |
		awk -F'\t' 'BEGIN { printf "%-24s %6s  %s\n", "PROBE", "NR", "UNCONFINED AS ROOT" } { printf "%-24s %6s  %s\n", $1, $2, $3 }'
}

# The main job: every probe under every bundled profile, one table.
cmd_main() {
	local wide=false
	case "${1:-}" in
	"") ;;
	--wide) wide=true ;;
	*) usage_error "unknown option '$1' (./run.sh --help)" ;;
	esac
	ensure_deps
	ensure_built
	[ "$(id -u)" -eq 0 ] || echo "run.sh: not root: unconfined verdicts will show this user's own EPERMs" >&2
	new_run_dir
	local profile files=()
	for profile in $BUNDLED_PROFILES; do
		local f="$RUN_DIR/probe-$profile.jsonl"
		probe_run "$profile" docker-default "$(nproc)" 5000 "" "$f"
		files+=("$f")
	done
	jq -L "$HERE/commands" -rs --arg profiles "$BUNDLED_PROFILES" --argjson wide "$wide" \
		'include "tables"; main_table($profiles | split(" "); $wide)' "${files[@]}" |
		awk -F'\t' -v w="$([ "$wide" = true ] && echo 19 || echo 14)" \
			'{ printf "%-19s", $1; for (i = 2; i <= NF; i++) printf " %-" w "s", $i; printf "\n" }' | sed 's/ *$//'
	echo
	for f in "${files[@]}"; do
		print_summary "$(jq -rn 'first(inputs | .profile)' "$f")" <"$f"
	done
	if [ "$wide" = true ]; then
		echo "errno: the filter returned it (proven by a sentinel rerun); allowed: the kernel ran the call"
		echo "and its errno is the kernel's own (the probes' arguments are ones the kernel rejects)."
	else
		echo "EPERM: the filter returned it (proven by a sentinel rerun).  ok:ENOTDIR: the"
		echo "filter let the call through and the kernel refused the probe's harmless"
		echo "arguments.  ./run.sh --wide says it in words."
	fi
	local probe_errors=0 case_files sets
	any_line '.verdict == "error"' "${files[@]}" && probe_errors=1
	publish "${files[@]}"

	# Docker's documented blocklist row by row (./run.sh docs), beside the
	# cases: its summary closes the job.
	local docs_pid docs_rc=0
	set -m
	bash "$HERE/commands/docs.sh" "$BUILD" --summary >"$RUN_DIR/docs-summary.txt" 2>&1 &
	docs_pid=$!
	set +m
	SPAWNED+=("$docs_pid")

	echo
	echo "Expectation sets (cases/):"
	mapfile -t sets < <(all_sets)
	cases_run "$(nproc)" "" -- "${sets[@]}"
	case_files=$(case_result_files "" "${sets[@]}")
	# shellcheck disable=SC2086
	print_case_diff $case_files
	# shellcheck disable=SC2086
	print_case_summary $case_files
	local passed=0
	# shellcheck disable=SC2086
	cases_passed $case_files || passed=1
	publish_cases "" "${sets[@]}"
	echo "results: $(relative "$RESULTS")/ (probe-PROFILE.jsonl, cases-SET.jsonl, .ktap)"
	wait "$docs_pid" || docs_rc=$?
	echo
	cat "$RUN_DIR/docs-summary.txt"
	[ "$probe_errors" = 0 ] && [ "$passed" = 0 ] && [ "$docs_rc" = 0 ]
}

CASES="$HERE/cases"

# The sets that exist: cases/*.cases, by name.
all_sets() {
	local f
	for f in "$CASES"/*.cases; do
		basename "$f" .cases
	done
}

# Every failing case as a diff of expected against observed lines.
print_case_diff() {
	jq -L "$HERE/commands" -r 'include "tables"; case_diff' "$@"
}

# set x {pass, fail, skip}, then the first failures.
print_case_summary() {
	jq -L "$HERE/commands" -rs 'include "tables"; case_summary' "$@" |
		awk -F'\t' '{ printf "%-26s %5s %5s %5s\n", $1, $2, $3, $4 }'
	local failures
	# limit() rather than | head: under pipefail a closed pipe would turn
	# many failures into exit 141 and lose the lines below.
	failures=$(jq -rn 'limit(10; inputs | select(.result == "fail") | "  \(.set).\(.probe): \(.reason)")' "$@")
	if [ -n "$failures" ]; then
		echo
		echo "First failures:"
		echo "$failures"
	fi
}

# --backend other than native, and no --observations of the caller's?
backend_needs_observations() {
	local b=native obs=0
	while [ $# -gt 0 ]; do
		case "$1" in
		--backend) b=$2; shift 2 ;;
		--observations) obs=1; shift 2 ;;
		*) shift ;;
		esac
	done
	[ "$b" != native ] && [ "$obs" = 0 ]
}

# backend_observe SET OPTS...: run SET's probes under the backend, with the
# set's profile and caps (or the overrides) as the cases runner reads them
# (--header: the cases format has one parser); prints the results file.
backend_observe() {
	local set=$1 b="" header out
	shift
	header=$("$BUILD/bin/cases" --header --set "$set" "$@") || exit $?
	while [ $# -gt 0 ]; do
		case "$1" in
		--backend) b=$2; shift 2 ;;
		*) shift ;;
		esac
	done
	out="$RUN_DIR/observations-$set-$b.jsonl"
	# shellcheck disable=SC2046
	"$HERE/backends/backend.sh" run "$b" "$(jq -r .profile <<<"$header")" "$(jq -r .caps <<<"$header")" \
		$("$BUILD/bin/probe-run" --list | jq -r .probe) >"$out" || exit $?
	echo "$out"
}

# cases_run JOBS SUFFIX RUNNER-OPTION... -- SET...: each set's KTAP, results
# and runner exit status in this run's directory as
# cases-SET[SUFFIX].{ktap,jsonl,err,rc}.  Exit 2 when a set or its profile
# could not be read (no case ran), 64 for an unknown set.
cases_run() {
	local jobs=$1 suffix=$2
	shift 2
	local opts=() set
	while [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	new_run_dir
	for set in "$@"; do
		[ -f "$CASES/$set.cases" ] || usage_error "cases: no set '$set' (sets: $(all_sets | tr '\n' ' '))"
	done
	export BUILD RUN_DIR RUN_TIME
	printf '%s\n' "$@" | spawn xargs -P "$jobs" -I{} bash -c '
		set=$1; suffix=$2; shift 2
		base="$RUN_DIR/cases-$set$suffix"
		"$BUILD/bin/cases" --set "$set" --results "$base.jsonl" --time "$RUN_TIME" "$@" >"$base.ktap" 2>"$base.err"
		echo $? >"$base.rc"' _ {} "$suffix" "${opts[@]}"
	local refused=() rc failed notok base
	for set in "$@"; do
		base="$RUN_DIR/cases-$set$suffix"
		rc=$(cat "$base.rc" 2>/dev/null || echo 1)
		case "$rc" in
		0) ;;
		1)	# A failed case has its results line; a test that crashed or
			# timed out has only its KTAP line.
			failed=$(jq -n '[inputs | select(.result == "fail")] | length' "$base.jsonl" 2>/dev/null || echo 0)
			notok=$(grep -c '^not ok ' "$base.ktap" || true)
			if [ -s "$base.err" ] && [ "$notok" -eq 0 ]; then
				echo "run.sh cases: set $set could not run: $(cat "$base.err")" >&2
			elif [ "$notok" -gt "$failed" ]; then
				echo "run.sh cases: set $set: $((notok - failed)) case(s) ended without a result (crashed or timed out): see $RESULTS/cases-$set$suffix.ktap" >&2
			fi ;;
		2|64) refused+=("$(sed 's/^cases: set [^:]*: //' "$base.err")") ;;
		*) echo "run.sh cases: set $set: the runner exited $rc: $(cat "$base.err")" >&2 ;;
		esac
	done
	if [ ${#refused[@]} -gt 0 ]; then
		# One line per distinct reason: a bad --profile is the same error
		# for every set.
		printf 'run.sh cases: %s\n' "${refused[@]}" | sort -u >&2
		exit 2
	fi
}

# case_result_files SUFFIX SET...: this run's results files.
case_result_files() {
	local suffix=$1 set
	shift
	for set in "$@"; do
		echo "$RUN_DIR/cases-$set$suffix.jsonl"
	done
}

# publish_cases SUFFIX SET...: this run's case files into the results directory.
publish_cases() {
	local suffix=$1 set ext
	shift
	for set in "$@"; do
		for ext in jsonl ktap err rc; do
			[ ! -e "$RUN_DIR/cases-$set$suffix.$ext" ] || publish "$RUN_DIR/cases-$set$suffix.$ext"
		done
	done
}

results_line() {
	local suffix=$1 set
	shift
	printf 'results:'
	for set in "$@"; do
		printf ' %s' "$(relative "$RESULTS")/cases-$set$suffix.{jsonl,ktap}"
	done
	echo
}

# Did every set of these results files pass (runner exit 0, no failed case)?
cases_passed() {
	local f
	for f in "$@"; do
		[ "$(cat "${f%.jsonl}.rc" 2>/dev/null)" = 0 ] || return 1
	done
	! any_line '.result == "fail"' "$@"
}

cmd_cases() {
	local jobs json=0 sets=() opts=() suffix="" backend_suffix="" lsc_suffix="" v
	jobs=$(nproc)
	while [ $# -gt 0 ]; do
		case "$1" in
		--profile) v=$(optval "$@"); opts+=(--profile "$v"); suffix="-on-$(results_name "$v")"; shift 2 ;;
		--caps) v=$(optval "$@"); opts+=(--caps "$v"); shift 2 ;;
		--backend) v=$(optval "$@"); opts+=(--backend "$v"); [ "$v" = native ] || backend_suffix="-$v"; shift 2 ;;
		--observations) v=$(optval "$@"); opts+=(--observations "$v"); shift 2 ;;
		--jobs) jobs=$(optval "$@"); positive_int --jobs "$jobs"; shift 2 ;;
		--json) json=1; shift ;;
		--libseccomp) v=$(optval "$@"); lsc_suffix=$(use_libseccomp "$v") || exit $?; shift 2 ;;
		-h|--help) usage; exit 0 ;;
		-*) usage_error "cases: unknown option '$1'" ;;
		*) sets+=("$1"); shift ;;
		esac
	done
	if [ -n "$lsc_suffix" ]; then
		BUILD="$BUILD$lsc_suffix"
		BUILD_TARGET=libseccomp-2.6
	fi
	ensure_built
	new_run_dir
	[ ${#sets[@]} -gt 0 ] || mapfile -t sets < <(all_sets)
	suffix="$suffix$backend_suffix$lsc_suffix"
	if backend_needs_observations "${opts[@]}"; then
		# A runtime backend: each set's probes run under the runtime first
		# (its profile and caps, or the overrides), then are judged.
		local set obs runner_opts=() i
		# --profile daemon names no file: the runner judges the daemon's
		# observations against the set's own expectations.
		for ((i = 0; i < ${#opts[@]}; i++)); do
			if [ "${opts[i]}" = --profile ] && [ "${opts[i + 1]:-}" = daemon ]; then i=$((i + 1)); else runner_opts+=("${opts[i]}"); fi
		done
		for set in "${sets[@]}"; do
			obs=$(backend_observe "$set" "${opts[@]}") || exit $?
			cases_run 1 "$suffix" "${runner_opts[@]}" --observations "$obs" -- "$set"
		done
	else
		cases_run "$jobs" "$suffix" "${opts[@]}" -- "${sets[@]}"
	fi
	local files passed=0
	files=$(case_result_files "$suffix" "${sets[@]}")
	# shellcheck disable=SC2086
	if [ "$json" = 1 ]; then
		cat $files
	else
		print_case_diff $files
		echo
		print_case_summary $files
	fi
	# shellcheck disable=SC2086
	cases_passed $files || passed=1
	publish_cases "$suffix" "${sets[@]}"
	[ "$json" = 1 ] || results_line "$suffix" "${sets[@]}"
	return "$passed"
}

# compare A B: the probes whose verdict (or errno, or attribution) differs.
cmd_compare() {
	local json=0 files=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--json) json=1; shift ;;
		-h|--help) usage; exit 0 ;;
		-*) echo "run.sh compare: unknown option '$1'" >&2; exit 64 ;;
		*) files+=("$1"); shift ;;
		esac
	done
	[ ${#files[@]} -eq 2 ] || { echo "usage: ./run.sh compare [--json] A.jsonl B.jsonl" >&2; exit 64; }
	local f
	for f in "${files[@]}"; do
		[ -r "$f" ] || { echo "run.sh compare: $f: cannot read" >&2; exit 64; }
		jq -e -s 'length > 0' "$f" >/dev/null 2>&1 || { echo "run.sh compare: $f: not JSON Lines, or empty" >&2; exit 64; }
	done
	local diff
	diff=$(jq -L "$HERE/commands" -n --arg an "${files[0]}" --arg bn "${files[1]}" \
		--slurpfile a "${files[0]}" --slurpfile b "${files[1]}" 'include "compare"; compare') || exit 2
	if [ "$json" = 1 ]; then
		echo "$diff"
	else
		jq -L "$HERE/commands" -r 'include "compare"; compare_rows' <<<"$diff" |
			awk -F'\t' 'NF == 3 { printf "%-30s %-26s %s\n", $1, $2, $3; next } { print }'
		jq -L "$HERE/commands" -r 'include "compare"; compare_tail' <<<"$diff"
	fi
	if [ "$(jq '.compared' <<<"$diff")" -eq 0 ]; then
		echo "run.sh compare: the two files have no probe in common: nothing was compared" >&2
		exit 2
	fi
	[ "$(jq '.differences | length' <<<"$diff")" -eq 0 ]
}

cmd_exec() {
	ensure_built
	exec "$BUILD/bin/scrun" "$@"
}

# --profile daemon (the docker or podman daemon's own default: docs/backends.md)
# is only for probe and cases under --backend docker|podman, and for diff and
# surface, whose scripts check their backends.  Anything else: one line, 64.
daemon_profile_check() {
	local cmd=$1 profile="" backend=native
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case "$1" in
		--profile) profile=${2:-} ;;
		--backend) backend=${2:-} ;;
		esac
		shift
	done
	[ "$profile" = daemon ] || return 0
	# Which backends take it is backends/backend.sh's (DAEMON_BACKENDS).
	local msg
	case "$cmd" in
	diff | surface) ;;
	probe | cases)
		[ "$backend" = native ] || msg=$("$HERE/backends/backend.sh" daemon-ok "$backend" 2>&1) || usage_error "$cmd: $msg"
		[ "$backend" != native ] || daemon_profile_refused "$cmd" ;;
	*) daemon_profile_refused "$cmd" ;;
	esac
}

daemon_profile_refused() {
	local list
	list=$("$HERE/backends/backend.sh" daemon-backends)
	usage_error "$1: --profile daemon (the ${list// / or } daemon's own default) is only for probe and cases with --backend ${list// /|}, diff and surface"
}

main() {
	local cmd=${1:-}
	[ $# -gt 0 ] && shift
	daemon_profile_check "$cmd" "$@"
	# A command's --help is answered before any work, by the command itself
	# where it has its own program.
	case "${1:-}" in
	-h|--help)
		command_help "$cmd" && exit 0
		case "$cmd" in
		check) exec bash "$HERE/commands/check.sh" "$BUILD" --help ;;
		audit) exec bash "$HERE/commands/audit.sh" --help ;;
		diff) exec "$HERE/backends/backend.sh" diff --help ;;
		bench) exec bash "$HERE/bench/bench.sh" --help ;;
		matrix) exec "$HERE/matrix/matrix.sh" --help ;;
		surface) exec "$HERE/commands/surface_backend.sh" --help ;;
		docs) exec bash "$HERE/commands/docs.sh" "$BUILD" --help ;;
		lava) exec "$HERE/farms/lava/lava.sh" --help ;;
		esac ;;
	esac
	case "$cmd" in
	""|--wide) cmd_main "$cmd" ;;
	probe) cmd_probe "$@" ;;
	cases) cmd_cases "$@" ;;
	compare) cmd_compare "$@" ;;
	list) [ $# -eq 0 ] || usage_error "list takes no arguments"; cmd_list ;;
	exec) cmd_exec "$@" ;;
	record|lint|explain) exec "$HERE/commands/profile_tools.sh" "$cmd" "$@" ;;
	check) ensure_built; exec bash "$HERE/commands/check.sh" "$BUILD" "$@" ;;
	audit) exec bash "$HERE/commands/audit.sh" "$@" ;;
	diff) ensure_deps backends; ensure_built; exec "$HERE/backends/backend.sh" diff "$@" ;;
	bench) ensure_deps bench; exec bash "$HERE/bench/bench.sh" "$@" ;;
	matrix) exec "$HERE/matrix/matrix.sh" "$@" ;;
	surface) ensure_built; exec "$HERE/commands/surface_backend.sh" "$@" ;;
	docs) ensure_built; exec bash "$HERE/commands/docs.sh" "$BUILD" "$@" ;;
	kselftest) [ $# -eq 1 ] || usage_error "kselftest takes one directory"; ensure_deps; make -s -C "$HERE" kselftest-install INSTALL_PATH="$1" ;;
	dist) [ $# -eq 0 ] || usage_error "dist takes no arguments"; ensure_deps; make -s -C "$HERE" dist ;;
	lava) ensure_deps lava; exec "$HERE/farms/lava/lava.sh" "$@" ;;
	fleet) ensure_deps farms; exec ansible-playbook "$HERE/farms/fleet/playbook.yml" "$@" ;;
	build) [ $# -eq 0 ] || usage_error "build takes no arguments"; ensure_deps; ensure_built ;;
	test) [ $# -eq 0 ] || usage_error "test takes no arguments"; ensure_deps test; make -C "$HERE" test ;;
	deps) ensure_deps "${@:-all}" ;;
	-h|--help|help) usage ;;
	-V|--version|version) echo "seccomp-suite $SUITE_VERSION" ;;
	*) usage_error "unknown command '$cmd' (./run.sh --help lists them)" ;;
	esac
}

main "$@"
