#!/usr/bin/env bash
# run.sh lint: every planted defect of tests/profiles/lint/ found, nothing
# more; exit status by severity; Docker's default gives only its real
# findings (README, "Linting a profile").  TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/lint.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
LINT="$OUT/bin/sclint"
DIR=tests/profiles/lint
DOCKER=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

jq_true() { jq "$@" >/dev/null; }
check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi; }

for f in "$DIR"/*.json; do
	base=$(basename "$f")
	"$LINT" --json "$f" >"$tmp/out.jsonl"
	rc=$?
	jq -r '[.severity, .class, .path] | @tsv' "$tmp/out.jsonl" | sort >"$tmp/got"
	awk -F'\t' -v f="$base" '$1 == f { print $2 "\t" $3 "\t" $4 }' "$DIR/expected.tsv" | sort >"$tmp/want"
	if diff "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		echo "ok - lint $base: exactly the planted findings ($(wc -l <"$tmp/want"))"
	else
		echo "not ok - lint $base: findings differ from expected.tsv"
		sed 's/^/# /' "$tmp/diff"
	fi
	want_rc=0
	grep -q '^error' "$tmp/want" && want_rc=1
	check "lint $base: exit status $want_rc" [ "$rc" -eq "$want_rc" ]
done

# The human form: FILE: PATH: SEVERITY: [CLASS] MESSAGE, and a count.
"$LINT" "$DIR/never-matches.json" >"$tmp/human"
check "human output names file, JSON path, severity and class" \
	grep -q "^$DIR/never-matches.json: syscalls\[1\].args\[0\]: error: \[never-matches\] SCMP_CMP_MASKED_EQ" "$tmp/human"
check "human output ends with the counts" grep -q "never-matches.json: 3 errors, 0 warnings, 0 notes$" "$tmp/human"
./run.sh lint "$DIR/invalid.json" >"$tmp/run" 2>&1
check "run.sh lint dispatches to sclint and keeps its exit status (1)" [ $? -eq 1 ]
check "an invalid profile: the loader's reason" grep -q 'unknown action \\"SCMP_ACT_ALLOWED\\"\|unknown action "SCMP_ACT_ALLOWED"' "$tmp/run"
"$LINT" 2>/dev/null
check "no file: usage, exit 64" [ $? -eq 64 ]

# Docker's default (moby 20.10.24): one warning, documented in the README.
if [ -r "$DOCKER" ]; then
	"$LINT" --json --notes "$DOCKER" >"$tmp/docker.jsonl"
	rc=$?
	check "docker-default: exit 0 (no error)" [ "$rc" -eq 0 ]
	check "docker-default: the only warning is sync_file_range2, dead on arm/arm64 in libseccomp" \
		jq_true -se '[.[] | select(.severity != "note")] | length == 1 and .[0].class == "absent-name"
			and .[0].path == "syscalls[8].names[2]" and .[0].syscall == "sync_file_range2"' "$tmp/docker.jsonl"
	check "docker-default: every note is a name absent on some (not all) of the archMap's filters" \
		jq_true -se '[.[] | select(.severity == "note")] | length > 0 and all(.class == "absent-name")' "$tmp/docker.jsonl"
	check "docker-default: x86_64 filter notes are exactly recv and send (socketcall-era names)" \
		jq_true -se '[.[] | select(.severity == "note" and (.message | test("SCMP_ARCH_X86_64"))) | .syscall] | sort == ["recv", "send"]' "$tmp/docker.jsonl"
else
	echo "ok - docker-default lint # SKIP $DOCKER missing (apt-get install golang-github-docker-docker-dev)"
fi
tap_done
