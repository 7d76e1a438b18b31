#!/usr/bin/env bash
# seccomp-suite: the single entry point.  ./run.sh --help
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ABI=$(uname -m)
BUILD="$HERE/build/$ABI"
PROBES="$BUILD/probes"
RESULTS="$HERE/build/results"
BUNDLED_PROFILES="docker-default restrictive no-network unconfined"
export SECCOMP_SUITE_PROFILES="$HERE/profiles"

usage() {
	cat <<'EOF'
usage: ./run.sh [COMMAND] [OPTIONS]

With no command: install missing Debian packages (as root), build, and print
the verdict of every probe under every bundled profile.

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
  list  The probes of this build: probe, syscall number, and the errno the
        kernel gives each unconfined as root.
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
  build Build everything into build/ (make).
  test  Build and run the tests (make test).
  deps  Install the Debian packages the suite needs (as root).

Verdicts: allowed (the call reached the kernel; errno is the kernel's own),
errno (the filter returned an errno), killed (SIGSYS death), trapped (SIGSYS
to a handler), notified (USER_NOTIF to a supervisor), traced (a tracer was
notified), absent (no such syscall on this ABI), error (the suite could not
decide; never a pass).  "by" says who decided: filter or kernel.

Exit status: 0 done; 1 a probe's verdict is error, or the build or install
failed; 2 the profile could not be read or loaded (no probe ran); 64 usage.
EOF
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
	local profile=docker-default caps=docker-default json=0 out="" jobs timeout=5000 verbose=""
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
		-h|--help) usage; exit 0 ;;
		-*) echo "run.sh probe: unknown option '$1'" >&2; exit 64 ;;
		*) names+=("$1"); shift ;;
		esac
	done
	ensure_built
	local selected
	selected=$(select_probes "${names[@]}") || exit $?
	[ -n "$out" ] || { mkdir -p "$RESULTS"; out="$RESULTS/probe-$(results_name "$profile").jsonl"; }
	# shellcheck disable=SC2086
	probe_run "$profile" "$caps" "$jobs" "$timeout" "$verbose" $selected >"$out"
	if [ "$json" = 1 ]; then
		cat "$out"
	else
		print_table <"$out"
		echo
		print_summary "$profile" <"$out"
		echo "results: $out"
	fi
	! jq -e 'select(.verdict == "error")' "$out" >/dev/null
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
	! jq -e 'select(.verdict == "error")' "${files[@]}" >/dev/null
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
	list) cmd_list ;;
	exec) cmd_exec "$@" ;;
	record|lint|explain) exec "$HERE/lib/profile_tools.sh" "$cmd" "$@" ;;
	build) ensure_deps; ensure_built ;;
	test) ensure_deps; make -C "$HERE" test ;;
	deps) ensure_deps ;;
	-h|--help|help) usage ;;
	*) echo "run.sh: unknown command '$cmd'" >&2; usage >&2; exit 64 ;;
	esac
}

main "$@"
