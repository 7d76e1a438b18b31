#!/usr/bin/env bash
# run.sh record | lint | explain: the profile tools (README, "Profiles:
# record, lint, explain").  lint and explain are the C programs themselves;
# record runs screcord and then proves the profile it wrote.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$HERE/build/$(uname -m)"

# --help is answered before any work.
case "${2:-}" in
-h|--help) ;;
*) make -s -C "$HERE" all >&2 || { echo "run.sh: the build failed (make -C $HERE)" >&2; exit 1; } ;;
esac

record_usage() {
	cat <<'USAGE'
usage: ./run.sh record [--out FILE] [--caps SET] [--for RUNTIME] [--probe NAME]
                       [--no-verify] -- COMMAND [ARG...]
Runs COMMAND under a seccomp USER_NOTIF recorder and writes the smallest
Docker profile allowing the syscalls it made (default file:
build/results/record-COMMAND.json).  Then verifies it: COMMAND again under
the profile (scrun) must give the same exit status, stdout and stderr, and
a probe of a syscall COMMAND did not make (mount, or --probe NAME) must be
denied by the filter.
  --for RUNTIME  docker, runc or crun: also allow what that runtime calls
                 between loading the filter and the exec (COMMAND may then
                 make those calls too, for its whole life: one filter
                 covers the runtime's init and COMMAND, and cannot tell
                 them apart), and verify that COMMAND runs in a container
                 of that runtime under the profile (the host's /usr and
                 /etc, read-only) with the same exit status, stdout and
                 stderr
Exit status: 0 recorded and verified; 1 a verification failed (or the
runtime is not usable here); 64 usage; otherwise screcord's.
USAGE
}

# in_container RUNTIME PROFILE CAPS DIR -- COMMAND...: COMMAND in a container
# of RUNTIME whose filter is PROFILE (a Docker profile) and whose root holds
# the host's /usr, /etc (read-only; /bin, /lib... as the host has them) and
# COMMAND's own folder; its stdout and stderr in DIR/ct.{out,err}, its exit
# status returned.  The runtime's helpers (check_backend, oci_config,
# runtime_wrap) are backends/backend.sh's.
in_container() {
	local b=$1 profile=$2 caps=$3 dir=$4
	shift 5
	local root="$HERE/build/record/rootfs" prog d rc=0 mounts=()
	prog=$(command -v "$1") || prog=$1
	prog=$(realpath -- "$prog")
	mkdir -p "$root"/{proc,dev,sys,tmp,usr,etc}
	for d in bin sbin lib lib32 lib64 libx32; do
		if [ -L "/$d" ]; then
			[ -L "$root/$d" ] || ln -s "$(readlink "/$d")" "$root/$d"
		elif [ -d "/$d" ]; then
			mkdir -p "$root/$d"
			mounts+=("/$d")
		fi
	done
	mounts+=(/usr /etc)
	case "$(dirname "$prog")" in
	/usr/*|/etc/*|/bin|/sbin|/lib*) ;;
	*) mounts+=("$(dirname "$prog")") ;;
	esac
	local path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	case "$b" in
	docker)
		local tag=seccomp-suite-record-root:1 vols=() c capargs=(--cap-drop ALL)
		docker image inspect "$tag" >/dev/null 2>&1 ||
			tar -C "$root" -c . | docker import --change "LABEL seccomp-suite-record=root" - "$tag" >/dev/null ||
			{ echo "docker import of $root failed" >"$dir/ct.err"; return 125; }
		for d in "${mounts[@]}"; do vols+=(-v "$d:$d:ro"); done
		for c in $("$BUILD/bin/resolve-profile" --caps-list "$caps"); do capargs+=(--cap-add "$c"); done
		docker run --rm --network none -i --label seccomp-suite-record=run "${capargs[@]}" "${vols[@]}" \
			-e PATH="$path" --security-opt "seccomp=$profile" "$tag" "$prog" "${@:2}" \
			</dev/null >"$dir/ct.out" 2>"$dir/ct.err" || rc=$?
		;;
	runc|crun)
		local bundle id caps_json seccomp wrap
		# Resolved first: a refused profile leaves no bundle behind.
		seccomp=$("$BUILD/bin/resolve-profile" --caps "$caps" "$profile") || return 2
		caps_json=$("$BUILD/bin/resolve-profile" --caps-list "$caps" | tr ' ' '\n' | jq -R . | jq -sc .)
		bundle=$(mktemp -d "$HERE/build/record/bundle.XXXXXX")
		id="seccomp-suite-record-$(basename "$bundle")"
		oci_config "$root" "$seccomp" "$caps_json" "$prog" "${@:2}" |
			jq --arg path "PATH=$path" --args '.process.env = [$path]
				| .mounts += [$ARGS.positional[] | {destination: ., type: "bind", source: .,
					options: ["rbind", "ro", "nosuid", "nodev"]}]' "${mounts[@]}" >"$bundle/config.json"
		runtime_wrap "$b"
		"${wrap[@]}" "$b" --root "$HERE/build/record/$b-state" run --bundle "$bundle" "$id" \
			</dev/null >"$dir/ct.out" 2>"$dir/ct.err" || rc=$?
		"$b" --root "$HERE/build/record/$b-state" delete -f "$id" >/dev/null 2>&1 || true
		rm -rf "$bundle"
		;;
	esac
	return "$rc"
}

# same_output RECORDED RUN [RUNTIME]: RECORDED.{out,err} against
# RUN.{out,err}, a verify: line for each ("under RUNTIME:" when given), the
# first lines of a difference under it; 1 when either differs.
same_output() {
	local rec=$1 run=$2 where=${3:+under $3} stream rc=0
	for stream in out err; do
		if cmp -s "$rec.$stream" "$run.$stream"; then
			echo "verify:   ${where:+$where: }std$stream identical ($(wc -c <"$run.$stream") bytes)"
		else
			echo "verify:   FAIL: ${where:+$where }std$stream differs:"
			rc=1
			diff "$rec.$stream" "$run.$stream" | head -n 20 | sed 's/^/          /'
		fi
	done
	return "$rc"
}

# report_line LABEL TEXT: a line of record's report, folded at 70 columns,
# the continuation lines under TEXT.
report_line() {
	printf '%-10s%s\n' "$1" "$2" | fold -s -w 70 | sed 's/ *$//; 2,$s/^/          /'
}

cmd_record() {
	local out="" caps=docker-default probe="" verify=1 runtime=""
	while [ $# -gt 0 ]; do
		case "$1" in
		--out) out=${2:?--out needs a file}; shift 2 ;;
		--for)
			runtime=${2:-}
			case "$runtime" in
			docker|runc|crun) ;;
			*) echo "run.sh record: --for takes docker, runc or crun, not '$runtime'" >&2; exit 64 ;;
			esac
			shift 2 ;;
		--caps) caps=${2:?--caps needs a set}; shift 2 ;;
		--probe) probe=${2:?--probe needs a probe name}; shift 2 ;;
		--no-verify) verify=0; shift ;;
		-h|--help) record_usage; exit 0 ;;
		--) shift; break ;;
		*) echo "run.sh record: unknown option '$1' (the command goes after --)" >&2; exit 64 ;;
		esac
	done
	[ $# -gt 0 ] || { record_usage >&2; exit 64; }
	if [ -z "$out" ]; then
		mkdir -p "$HERE/build/results"
		out="$HERE/build/results/record-$(basename "$1" | tr -c 'A-Za-z0-9_.\n-' '_').json"
	fi
	local rc=0
	TMP_DIR=$(mktemp -d)
	local tmp=$TMP_DIR
	trap 'rm -rf "$TMP_DIR"' EXIT
	local for_args=()
	[ -z "$runtime" ] || for_args=(--for "$runtime")
	"$BUILD/bin/screcord" --out "$out" --caps "$caps" "${for_args[@]}" -- "$@" >"$tmp/rec.out" 2>"$tmp/rec.err" || rc=$?
	if [ ! -s "$out" ]; then
		cat "$tmp/rec.err" >&2
		echo "run.sh record: no profile was written (screcord exit $rc)" >&2
		exit "$rc"
	fi
	echo "recorded: $* (exit $rc): $(jq -r '"\(.syscalls[0].names | length) syscalls on \(.architectures | join(", "))"' "$out")"
	if [ -n "$runtime" ]; then
		report_line runtime: "$runtime: $(jq -r '.syscalls[1].names // [] | "\(length) more: \(join(" "))"' "$out")"
		# The runtime's rule is the command's too: one filter covers both.
		! jq -e '.syscalls[1].names // [] | length > 0' "$out" >/dev/null ||
			report_line warning: "$1 may make those $(jq -r '.syscalls[1].names | length' "$out") calls too, for its whole life: the filter cannot tell $runtime's init from it after the exec"
	fi
	echo "profile:  $out"
	[ "$verify" = 1 ] || exit 0

	local vrc=0 ok=1
	"$BUILD/bin/scrun" --profile "$out" --caps "$caps" -- "$@" >"$tmp/run.out" 2>"$tmp/run.err" || vrc=$?
	if [ "$vrc" -eq "$rc" ]; then
		echo "verify:   under the profile: exit $vrc, as recorded"
	else
		echo "verify:   FAIL: under the profile exit $vrc, recorded $rc"; ok=0
	fi
	same_output "$tmp/rec" "$tmp/run" || ok=0

	# A syscall the command did not make must be denied: mount, or the
	# first probe whose syscall is neither in the profile nor absent here.
	if [ -z "$probe" ]; then
		local name
		for name in mount $(cat "$BUILD/probes.list"); do
			jq -e --arg s "${name%%.*}" '.syscalls[0].names | index($s) == null' "$out" >/dev/null || continue
			[ "$("$BUILD/probes/$name" --describe | jq -r '.nr')" != null ] || continue
			probe=$name
			break
		done
	fi
	[ -x "$BUILD/probes/$probe" ] || { echo "run.sh record: no probe named '$probe'" >&2; exit 64; }
	local line
	line=$("$BUILD/probes/$probe" --profile "$out" --caps "$caps") || true
	if jq -e '.by == "filter" and (.verdict == "errno" or .verdict == "killed")' <<<"$line" >/dev/null; then
		echo "verify:   probe $probe: $(jq -r '"\(.verdict) \(.errno_name // "") by the \(.by)"' <<<"$line") (denied)"
	else
		echo "verify:   FAIL: probe $probe was not denied by the filter: $line"; ok=0
	fi
	if [ -n "$runtime" ]; then
		local why crc=0
		# shellcheck source=../backends/backend.sh
		. "$HERE/backends/backend.sh"
		if ! why=$(check_backend "$runtime"); then
			echo "verify:   FAIL: cannot run under $runtime here: $why"; ok=0
		else
			in_container "$runtime" "$out" "$caps" "$tmp" -- "$@" || crc=$?
			if [ "$crc" -eq "$rc" ]; then
				echo "verify:   under $runtime: exit $crc, as recorded"
			else
				echo "verify:   FAIL: under $runtime exit $crc, recorded $rc: $(head -c 300 "$tmp/ct.err")"; ok=0
			fi
			same_output "$tmp/rec" "$tmp/ct" "$runtime" || ok=0
		fi
	fi
	[ "$ok" = 1 ] || exit 1
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
record) cmd_record "$@" ;;
# in-container RUNTIME PROFILE CAPS -- COMMAND...: the verification's
# container run alone (tests/record.test.sh shows a profile without the
# runtime's rule failing there); stdout and stderr passed on.
in-container)
	[ $# -ge 5 ] && [ "$4" = -- ] || { echo "usage: commands/profile_tools.sh in-container RUNTIME PROFILE CAPS -- COMMAND..." >&2; exit 64; }
	# shellcheck source=../backends/backend.sh
	. "$HERE/backends/backend.sh"
	why=$(check_backend "$1") || { echo "$why" >&2; exit 1; }
	TMP_DIR=$(mktemp -d)
	trap 'rm -rf "$TMP_DIR"' EXIT
	crc=0
	in_container "$1" "$2" "$3" "$TMP_DIR" "${@:4}" || crc=$?
	# A refused profile ran nothing: no output files then.
	[ ! -f "$TMP_DIR/ct.out" ] || cat "$TMP_DIR/ct.out"
	[ ! -f "$TMP_DIR/ct.err" ] || cat "$TMP_DIR/ct.err" >&2
	exit "$crc" ;;
lint) exec "$BUILD/bin/sclint" "$@" ;;
explain) exec "$BUILD/bin/scexplain" "$@" ;;
*) echo "usage: commands/profile_tools.sh record|lint|explain ..." >&2; exit 64 ;;
esac
