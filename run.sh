#!/usr/bin/env bash
# seccomp-suite: the single entry point.  ./run.sh --help
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ABI=$(uname -m)
BUILD="$HERE/build/$ABI"
PROBES="$BUILD/probes"
RESULTS="${SECCOMP_SUITE_RESULTS:-$HERE/build/results}"
BUNDLED_PROFILES="docker-default restrictive no-network unconfined"
export SECCOMP_SUITE_PROFILES="$HERE/profiles"

usage() {
	cat <<'EOF'
usage: ./run.sh [COMMAND] [OPTIONS]

With no command: install missing Debian packages (as root), build, print the
verdict of every probe under every bundled profile, then assert every
expectation set (run.sh cases) and end with a summary per set.

Commands:
  probe [OPTIONS] [SYSCALL...]
        Run the probes (all, or those of the named syscalls; "clone" selects
        clone, clone.newns and clone.newuser) under one profile and print a
        table: probe, verdict, errno, who decided.  Writes the results as JSON
        Lines to build/results/probe-PROFILE.jsonl.
          --profile FILE|NAME  a Docker or OCI profile file, or a bundled name:
                               docker-default (Debian's moby 20.10.24 default.json),
                               unconfined (no filter), restrictive, no-network
                               (default: docker-default)
          --caps SET           the container's capability set, used for the
                               profile's includes/excludes and held by the probe:
                               docker-default (default), all, none, or a list
                               such as docker-default,CAP_SYS_ADMIN (docker run
                               --cap-add SYS_ADMIN) or docker-default,-CAP_CHOWN
          --json               print the JSON Lines on stdout instead of the table
          --out FILE           write the JSON Lines to FILE instead
          --jobs N             probes run in parallel (default: number of CPUs)
          --timeout MS         a probe child running longer is killed and its
                               verdict is "error" (default 5000)
          --verbose            list every syscall name the profile's filter skips
          --backend NAME       where the probes run: native (default: the suite
                               loads the filter itself), docker, runc, crun or
                               podman (the runtime loads it; README, Backends).
                               Writes build/results/probe-PROFILE-NAME.jsonl.
  cases [SET...] [OPTIONS]
        Assert the expectation sets (cases/SET.cases; default: every set)
        against the probes: one kselftest-harness test per (set, probe).
        Prints, as a diff, every probe whose verdict differs from its
        expectation, then a summary per set.  Writes build/results/cases-SET.jsonl
        and cases-SET.ktap (cases-SET-on-PROFILE, cases-SET-BACKEND with those
        options).  Exit 0 only when every applicable case passes.
          --profile FILE|NAME  run the sets' expectations against this profile
                               instead of their own (an edited copy, a newer
                               release): the differences are what changed
          --caps SET           instead of each set's capability set
          --backend NAME       run the probes under this backend (docker, runc,
                               crun, podman: README, Backends), label the
                               results and select backend= conditions
          --observations FILE  judge the verdicts in this results file (a run
                               under another backend) instead of running probes
          --jobs N             sets run in parallel (default: number of CPUs)
          --json               print the results JSON Lines on stdout
        Sets: docker-default, docker-default+sys_admin, moby-v0.2.3 (upstream
        Moby's v0.2.3 profile), restrictive, no-network, unconfined.
  compare [--json] A.jsonl B.jsonl
        Which verdicts differ between two results files (two kernels, two
        hosts, two profile versions, two backends): a table, or with --json
        a JSON diff.  Exit 0 when none differ, 1 when some do, 2 when nothing
        could be compared.
  list  The probes of this build: probe, syscall number, and the errno the
        kernel gives each unconfined as root.
  diff [--profile FILE|NAME] [--caps SET] [--backends LIST] [--json] [SYSCALL...]
        Every probe under every listed backend (default: native and every
        runtime usable here); prints the probes whose verdicts differ, each
        backend's verdict and the known class of the difference.
  exec [--profile FILE|NAME] [--caps SET] -- PROGRAM [ARG...]
        Run any program under a profile (build/<abi>/bin/scrun).
  record [--out FILE] [--caps SET] [--probe NAME] -- COMMAND [ARG...]
        Record the smallest profile COMMAND needs (seccomp USER_NOTIF), then
        verify it: same exit status and output under it, a probe denied.
  lint [--json] [--notes] FILE
        Findings in a profile: dead, duplicate, unknown or never-matching
        rules, missing compat architectures, what Docker's default denies.
        Exit 1 on errors, 0 with only warnings.
  explain [--arch A] [--caps SET] [--kernel X.Y] [--bpf] [--json] FILE SYSCALL [ARG...]
        Which rule decides SYSCALL(ARG...) and the action the compiled filter
        returns; --bpf prints the filter (libseccomp PFC), instruction count.
  check [--json] [--ktap] [--no-docker]
        What this host offers for seccomp, each behaviour triggered for real:
        kernel config, actions, flags, strict and filter mode, stacking limit,
        compat ABIs, JIT, libseccomp, bitmap cache; and, when a Docker daemon
        answers, its seccomp support and real containers under its default
        profile and unconfined.  Exit 0; 1 the host cannot enforce seccomp
        filters; 2 an item failed.
  audit [--json] [--filter FILTER]...
        The CIS Docker Benchmark seccomp rule over every container, running or
        stopped: flags seccomp=unconfined, seccomp:unconfined and --privileged.
        --filter takes docker ps filters (label=KEY=VALUE).  Exit 1 when any
        container is flagged; 2 no Docker daemon answers.
  bench [--quick] [--out DIR] [--json] [--no-kernel] [--no-hyperfine]
        What filters cost per syscall on this machine (bench/bench.sh): ns per
        getpid against rules, layout, stack depth, action and whole profiles,
        beside the kernel's own seccomp_benchmark, plus hyperfine over scrun.
        Tables on stdout; JSON and PNG/SVG plots in build/results/bench/.
        --quick takes under a minute, the full run a few minutes.
  matrix [--kernels LIST] [--arches LIST] [--sets LIST] [--jobs N] [--timeout S]
         [--out DIR] [--json]
        The case sets on this host and on Debian kernels booted in qemu, for
        each ABI they run (x86_64, i386, aarch64): one table, one results file
        per kernel and ABI in build/matrix/ (./run.sh matrix --help).
  build Build everything into build/ (make).
  test  Build and run the tests (make test).
  deps  Install the Debian packages the suite needs (as root).

Verdicts: allowed (the call reached the kernel; errno is the kernel's own),
errno (the filter returned an errno), killed (SIGSYS death), trapped (SIGSYS
to a handler), notified (USER_NOTIF to a supervisor), traced (a tracer was
notified), absent (no such syscall on this ABI), error (the suite could not
decide; never a pass).  "by" says who decided: filter or kernel.

Exit status: 0 done; 1 a probe's verdict is error, a case failed, or the
build or install failed; 2 the profile could not be read or loaded (no probe
ran); 64 usage.
EOF
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

ensure_deps() {
	"$HERE/ci/install-deps.sh" || exit 1
}

ensure_built() {
	make -s -C "$HERE" all >&2 || die "the build failed (make -C $HERE)"
}

# Probe names selected by the arguments: an exact probe name, or a syscall
# name selecting all its variants.
select_probes() {
	local list="$BUILD/probes.list" name found
	if [ $# -eq 0 ]; then
		cat "$list"
		return
	fi
	for name in "$@"; do
		found=$(awk -v n="$name" '$0 == n || index($0, n ".") == 1' "$list")
		[ -n "$found" ] || { echo "run.sh: no probe for '$name' (./run.sh list shows them)" >&2; exit 64; }
		echo "$found"
	done
}

# One probe under one profile: its JSON line, or an error line when the
# program printed none.  Exit 2 means the profile was refused.
run_one() {
	local name=$1 profile=$2 caps=$3 timeout=$4 verbose=$5 out rc=0 err
	err=$(mktemp)
	out=$("$PROBES/$name" --profile "$profile" --caps "$caps" --timeout "$timeout" $verbose 2>"$err") || rc=$?
	if [ "$rc" -eq 2 ]; then
		# The profile's own error, without the probe's name in front.
		sed "s|^$name: ||" "$err" >&2
		rm -f "$err"
		return 2
	fi
	if [ -z "$out" ]; then
		jq -cn --arg probe "$name" --arg why "$(head -c 300 "$err")" --argjson rc "$rc" \
			'{syscall: ($probe | split(".")[0]), probe: $probe, verdict: "error", by: null,
			  reason: "the probe printed no result (exit \($rc)): \($why)"}'
	else
		printf '%s\n' "$out"
	fi
	rm -f "$err"
}
export -f run_one
export PROBES

# The context every results line carries (DESIGN.md, Results).
annotate() {
	local profile=$1
	jq -c --arg arch "$(uname -m)" --arg kernel "$(uname -r)" --arg profile "$profile" '
		. + {arch: $arch, kernel: $kernel, profile: $profile, backend: "native",
		     expected: null}
		| if .verdict == "error"
		  then . + {result: "fail", reason: (.reason // "the suite could not decide")}
		  else . + {result: "skip", reason: "no expectation: run.sh probe observes, run.sh cases asserts"}
		  end'
}

# probe_run PROFILE CAPS JOBS TIMEOUT VERBOSE NAME... > JSON Lines (sorted)
probe_run() {
	local profile=$1 caps=$2 jobs=$3 timeout=$4 verbose=$5
	shift 5
	local first=$1 tmp
	tmp=$(mktemp)
	# The first probe alone: a profile that cannot be loaded stops the run
	# before anything else is started.
	run_one "$first" "$profile" "$caps" "$timeout" "$verbose" >"$tmp" || {
		rm -f "$tmp"
		echo "run.sh: profile '$profile' refused: no probe ran" >&2
		exit 2
	}
	shift
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c \
			'run_one "$1" "$2" "$3" "$4" "$5"' _ {} "$profile" "$caps" "$timeout" "$verbose" >>"$tmp"
	fi
	annotate "$profile" <"$tmp" | jq -sc 'sort_by(.probe // .syscall) | .[]'
	rm -f "$tmp"
}

results_name() {
	local base
	base=$(basename "$1")
	echo "${base%.json}" | tr -c 'A-Za-z0-9_.\n-' '_'
}

print_table() {
	jq -r '[(.probe // .syscall), (.nr // "-"), .verdict,
		(.errno_name // (if .ret == null then "-" elif .ret >= 0 then "ret=\(.ret)" else "-" end)),
		(.by // "-"), (if .verdict == "error" then .reason else "" end)] | @tsv' |
		awk -F'\t' 'BEGIN { printf "%-24s %5s  %-9s %-13s %-7s\n", "PROBE", "NR", "VERDICT", "ERRNO", "BY" }
			{ printf "%-24s %5s  %-9s %-13s %-7s%s\n", $1, $2, $3, $4, $5, ($6 != "" ? "  " $6 : "") }'
}

print_summary() {
	jq -rs --arg p "$1" '"\(length) probes under \($p): " +
		(group_by(.verdict) | map("\(length) \(.[0].verdict)") | join(", "))'
}

cmd_probe() {
	local profile=docker-default caps=docker-default json=0 out="" jobs timeout=5000 verbose="" backend=native
	jobs=$(nproc)
	local names=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--profile) profile=${2:?--profile needs a file or name}; shift 2 ;;
		--caps) caps=${2:?--caps needs a set}; shift 2 ;;
		--json) json=1; shift ;;
		--out) out=${2:?--out needs a file}; shift 2 ;;
		--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
		--timeout) timeout=${2:?--timeout needs milliseconds}; shift 2 ;;
		--verbose) verbose=--verbose; shift ;;
		--backend) backend=${2:?--backend needs a name}; shift 2 ;;
		-h|--help) usage; exit 0 ;;
		-*) echo "run.sh probe: unknown option '$1'" >&2; exit 64 ;;
		*) names+=("$1"); shift ;;
		esac
	done
	ensure_built
	local selected
	selected=$(select_probes "${names[@]}") || exit $?
	[ -n "$out" ] || { mkdir -p "$RESULTS"; out="$RESULTS/probe-$(results_name "$profile")$([ "$backend" = native ] || echo "-$backend").jsonl"; }
	if [ "$backend" = native ]; then
		# shellcheck disable=SC2086
		probe_run "$profile" "$caps" "$jobs" "$timeout" "$verbose" $selected >"$out"
	else
		# shellcheck disable=SC2086
		"$HERE/ci/backends/backend.sh" run "$backend" "$profile" "$caps" $selected >"$out" || exit $?
	fi
	if [ "$json" = 1 ]; then
		cat "$out"
	else
		print_table <"$out"
		echo
		print_summary "$profile$([ "$backend" = native ] || echo " under $backend")" <"$out"
		echo "results: $out"
	fi
	! any_line '.verdict == "error"' "$out"
}

cmd_list() {
	ensure_built
	local name
	while read -r name; do
		"$PROBES/$name" --describe
	done <"$BUILD/probes.list" | jq -r '[(.probe // .syscall), (.nr // "absent"), ((.unconfined // ["-"]) | join(","))] | @tsv' |
		awk -F'\t' 'BEGIN { printf "%-24s %6s  %s\n", "PROBE", "NR", "UNCONFINED AS ROOT" } { printf "%-24s %6s  %s\n", $1, $2, $3 }'
}

# The main job: every probe under every bundled profile, one table.
cmd_main() {
	ensure_deps
	ensure_built
	[ "$(id -u)" -eq 0 ] || echo "run.sh: not root: unconfined verdicts will show this user's own EPERMs" >&2
	mkdir -p "$RESULTS"
	local profile files=() selected
	selected=$(select_probes)
	for profile in $BUNDLED_PROFILES; do
		local f="$RESULTS/probe-$profile.jsonl"
		# shellcheck disable=SC2086
		probe_run "$profile" docker-default "$(nproc)" 5000 "" $selected >"$f"
		files+=("$f")
	done
	jq -rs --arg profiles "$BUNDLED_PROFILES" '
		($profiles | split(" ")) as $ps
		| group_by(.probe // .syscall)
		| map(. as $rows | [($rows[0].probe // $rows[0].syscall)] + ($ps | map(. as $p
			| ($rows | map(select(.profile == $p)) | .[0]) as $r
			| if $r == null then "-"
			  elif $r.verdict == "allowed" then "allowed \($r.errno_name // "ret=\($r.ret)")"
			  elif $r.verdict == "errno" then "errno \($r.errno_name // $r.errno)"
			  else $r.verdict end)))
		| (["PROBE"] + $ps), .[] | @tsv' "${files[@]}" |
		awk -F'\t' '{ printf "%-22s", $1; for (i = 2; i <= NF; i++) printf " %-19s", $i; printf "\n" }'
	echo
	for f in "${files[@]}"; do
		print_summary "$(jq -r '.profile' "$f" | head -n1)" <"$f"
	done
	echo "errno: the filter returned it (proven by a sentinel rerun); allowed: the kernel ran the call"
	echo "and its errno is the kernel's own (the probes' arguments are ones the kernel rejects)."
	echo "results: ${files[*]}"
	local probe_errors=0 case_files sets
	any_line '.verdict == "error"' "${files[@]}" && probe_errors=1

	echo
	echo "Expectation sets (cases/):"
	mapfile -t sets < <(all_sets)
	case_files=$(cases_run "$(nproc)" "" -- "${sets[@]}") || exit $?
	# shellcheck disable=SC2086
	print_case_diff $case_files
	# shellcheck disable=SC2086
	print_case_summary $case_files
	# shellcheck disable=SC2086
	echo "results: $(echo $case_files | sed 's/\.jsonl/.{jsonl,ktap}/g')"
	# shellcheck disable=SC2086
	[ "$probe_errors" = 0 ] && cases_passed $case_files
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
	jq -r 'select(.result == "fail")
		| "@@ \(.set): profile \(.profile), caps \(.caps), \(.abi // "-") on \(.kernel // "-") @@",
		  (if .expected == null then "-\(.probe)  (no expectation: \(.reason))"
		   else "-\(.probe | . + " " * ([21 - length, 1] | max))\(.expected.verdict) \(.expected.errno)  # \(.expected.source)" end),
		  "+\(.probe | . + " " * ([21 - length, 1] | max))\(.verdict // "-") \(.errno_name // (if .verdict == "allowed" then "0" else "-" end)) by \(.by // "-")" +
		  (if .verdict == "error" then "  (\(.reason))" else "" end)' "$@"
}

# set x {pass, fail, skip}, then the first failures.
print_case_summary() {
	jq -rs 'group_by(.set) | (["SET", "PASS", "FAIL", "SKIP"] | @tsv),
		(.[] | [.[0].set, (map(select(.result == "pass")) | length),
			(map(select(.result == "fail")) | length), (map(select(.result == "skip")) | length)] | @tsv)' "$@" |
		awk -F'\t' '{ printf "%-26s %5s %5s %5s\n", $1, $2, $3, $4 }'
	local failures
	failures=$(jq -r 'select(.result == "fail") | "  \(.set).\(.probe): \(.reason)"' "$@" | head -n 10)
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

# backend_observe SET OPTS...: run SET's probes under the backend; prints the
# results file.
backend_observe() {
	local set=$1 b="" profile="" caps="" out
	shift
	profile=$(awk '$1 == "profile" { print $2; exit }' "$CASES/$set.cases")
	caps=$(awk '$1 == "caps" { print $2; exit }' "$CASES/$set.cases")
	# A set's profile file is named relative to cases/.
	case "$profile" in
	/*) ;;
	*/*|*.json) profile="$CASES/$profile" ;;
	esac
	while [ $# -gt 0 ]; do
		case "$1" in
		--backend) b=$2; shift 2 ;;
		--profile) profile=$2; shift 2 ;;
		--caps) caps=$2; shift 2 ;;
		*) shift ;;
		esac
	done
	mkdir -p "$RESULTS"
	out="$RESULTS/observations-$set-$b.jsonl"
	# shellcheck disable=SC2046
	"$HERE/ci/backends/backend.sh" run "$b" "$profile" "${caps:-docker-default}" $(cat "$BUILD/probes.list") >"$out" || exit $?
	echo "$out"
}


# cases_run JOBS SUFFIX RUNNER-OPTION... -- SET...: each set's KTAP, results
# and runner exit status in build/results/cases-SET[SUFFIX].{ktap,jsonl,rc};
# prints the results files.  Exit 2 when a set or its profile could not be
# read (no case ran).
cases_run() {
	local jobs=$1 suffix=$2
	shift 2
	local opts=() set
	while [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	mkdir -p "$RESULTS"
	for set in "$@"; do
		[ -f "$CASES/$set.cases" ] || { echo "run.sh cases: no set '$set' (sets: $(all_sets | tr '\n' ' '))" >&2; exit 64; }
		rm -f "$RESULTS/cases-$set$suffix".{jsonl,ktap,err,rc}
	done
	export BUILD RESULTS
	printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c '
		set=$1; suffix=$2; shift 2
		"$BUILD/bin/cases" --set "$set" --results "$RESULTS/cases-$set$suffix.jsonl" "$@" \
			>"$RESULTS/cases-$set$suffix.ktap" 2>"$RESULTS/cases-$set$suffix.err"
		echo $? >"$RESULTS/cases-$set$suffix.rc"' _ {} "$suffix" "${opts[@]}"
	local refused=0 rc failed notok
	for set in "$@"; do
		rc=$(cat "$RESULTS/cases-$set$suffix.rc" 2>/dev/null || echo 1)
		case "$rc" in
		0) ;;
		1)	# A failed case has its results line; a test that crashed or
			# timed out has only its KTAP line.
			failed=$(jq -n '[inputs | select(.result == "fail")] | length' "$RESULTS/cases-$set$suffix.jsonl" 2>/dev/null || echo 0)
			notok=$(grep -c '^not ok ' "$RESULTS/cases-$set$suffix.ktap")
			if [ -s "$RESULTS/cases-$set$suffix.err" ] && [ "$notok" -eq 0 ]; then
				echo "run.sh cases: set $set could not run: $(cat "$RESULTS/cases-$set$suffix.err")" >&2
			elif [ "$notok" -gt "$failed" ]; then
				echo "run.sh cases: set $set: $((notok - failed)) case(s) ended without a result (crashed or timed out): see $RESULTS/cases-$set$suffix.ktap" >&2
			fi ;;
		2|64) refused=1; echo "run.sh cases: set $set: $(cat "$RESULTS/cases-$set$suffix.err")" >&2 ;;
		*) echo "run.sh cases: set $set: the runner exited $rc: $(cat "$RESULTS/cases-$set$suffix.err")" >&2 ;;
		esac
	done
	[ "$refused" = 0 ] || exit 2
	for set in "$@"; do
		echo "$RESULTS/cases-$set$suffix.jsonl"
	done
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
	local jobs json=0 sets=() opts=() suffix="" backend_suffix=""
	jobs=$(nproc)
	while [ $# -gt 0 ]; do
		case "$1" in
		--profile) opts+=(--profile "${2:?--profile needs a file or name}")
			suffix="-on-$(results_name "$2")"; shift 2 ;;
		--caps) opts+=(--caps "${2:?--caps needs a set}"); shift 2 ;;
		--backend) opts+=(--backend "${2:?--backend needs a name}")
			[ "$2" = native ] || backend_suffix="-$2"; shift 2 ;;
		--observations) opts+=(--observations "${2:?--observations needs a file}"); shift 2 ;;
		--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
		--json) json=1; shift ;;
		-h|--help) usage; exit 0 ;;
		-*) echo "run.sh cases: unknown option '$1'" >&2; exit 64 ;;
		*) sets+=("$1"); shift ;;
		esac
	done
	ensure_built
	[ ${#sets[@]} -gt 0 ] || mapfile -t sets < <(all_sets)
	suffix="$suffix$backend_suffix"
	local files
	if backend_needs_observations "${opts[@]}"; then
		# A runtime backend: each set's probes run under the runtime first
		# (its profile and caps, or the overrides), then are judged.
		local set f=""
		for set in "${sets[@]}"; do
			f="$f $(cases_run 1 "$suffix" "${opts[@]}" --observations "$(backend_observe "$set" "${opts[@]}")" -- "$set")" || exit $?
		done
		files=$f
	else
		files=$(cases_run "$jobs" "$suffix" "${opts[@]}" -- "${sets[@]}") || exit $?
	fi
	# shellcheck disable=SC2086
	if [ "$json" = 1 ]; then
		cat $files
	else
		print_case_diff $files
		echo
		print_case_summary $files
		echo "results: $(echo $files | sed 's/\.jsonl/.{jsonl,ktap}/g')"
	fi
	# shellcheck disable=SC2086
	cases_passed $files
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
	diff=$(jq -n --arg an "${files[0]}" --arg bn "${files[1]}" \
		--slurpfile a "${files[0]}" --slurpfile b "${files[1]}" '
		# Two files that each hold several sets (whole cases runs) are
		# matched set by set; otherwise by probe and ABI alone.
		def keyed($rows; $by_set; $by_abi):
			$rows | map({key: ([(.probe // .syscall)] + (if $by_abi then [.abi] else [] end)
					   + (if $by_set then [.set] else [] end) | map(. // "-") | join(" ")),
				     value: .}) | from_entries;
		def multi($rows): ($rows | map(.set) | unique | length) > 1;
		# One ABI a file (two matrix cells, x86_64 and i386): probe by probe.
		def multi_abi($rows): ($rows | map(.abi) | unique | length) > 1;
		def seen: {verdict, errno_name, by};
		def context($rows): $rows | map({profile, kernel, arch, abi, backend, caps, set}) | unique;
		(multi($a) and multi($b)) as $by_set
		| (multi_abi($a) or multi_abi($b)) as $by_abi
		| keyed($a; $by_set; $by_abi) as $A | keyed($b; $by_set; $by_abi) as $B
		| {a: {file: $an, context: context($a)}, b: {file: $bn, context: context($b)},
		   compared: ([$A | keys[] | select($B[.] != null)] | length),
		   differences: [$A | keys[] as $k | select($B[$k] != null)
			| select(($A[$k] | seen) != ($B[$k] | seen))
			| {key: $k, probe: ($A[$k].probe // $A[$k].syscall), a: ($A[$k] | seen), b: ($B[$k] | seen)}],
		   only_in_a: [$A | keys[] | select($B[.] == null)],
		   only_in_b: [$B | keys[] | select($A[.] == null)]}') || exit 2
	if [ "$json" = 1 ]; then
		echo "$diff"
	else
		jq -r '
			def ctx: map([.profile, .kernel, .abi, .backend] | map(. // "-") | join(" ")) | join("; ");
			def v: "\(.verdict // "-") \(.errno_name // (if .verdict == "allowed" then "0" else "-" end)) by \(.by // "-")";
			"A: \(.a.file) (\(.a.context | ctx))",
			"B: \(.b.file) (\(.b.context | ctx))",
			"",
			(["PROBE", "A", "B"] | @tsv),
			(.differences[] | [.key, (.a | v), (.b | v)] | @tsv)' <<<"$diff" |
			awk -F'\t' 'NF == 3 { printf "%-30s %-26s %s\n", $1, $2, $3; next } { print }'
		jq -r 'def few: if length > 8 then "\(.[:8] | join(", ")), ... (\(length) in all)" else join(", ") end;
			"",
			"\(.differences | length) of \(.compared) probes differ",
			(if (.only_in_a | length) > 0 then "only in A: \(.only_in_a | few)" else empty end),
			(if (.only_in_b | length) > 0 then "only in B: \(.only_in_b | few)" else empty end)' <<<"$diff"
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

main() {
	local cmd=${1:-}
	[ $# -gt 0 ] && shift
	case "$cmd" in
	"") cmd_main ;;
	probe) cmd_probe "$@" ;;
	cases) cmd_cases "$@" ;;
	compare) cmd_compare "$@" ;;
	list) cmd_list ;;
	exec) cmd_exec "$@" ;;
	record|lint|explain) exec "$HERE/lib/profile_tools.sh" "$cmd" "$@" ;;
	check) ensure_built; exec bash "$HERE/lib/check.sh" "$BUILD" "$@" ;;
	audit) exec bash "$HERE/lib/audit.sh" "$@" ;;
	diff) ensure_built; exec "$HERE/ci/backends/backend.sh" diff "$@" ;;
	bench) ensure_deps; exec bash "$HERE/bench/bench.sh" "$@" ;;
	matrix) exec "$HERE/ci/matrix.sh" "$@" ;;
	build) ensure_deps; ensure_built ;;
	test) ensure_deps; make -C "$HERE" test ;;
	deps) ensure_deps ;;
	-h|--help|help) usage ;;
	*) echo "run.sh: unknown command '$cmd'" >&2; usage >&2; exit 64 ;;
	esac
}

main "$@"
