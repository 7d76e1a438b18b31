#!/usr/bin/env bash
# The figures and sample outputs of README.md and docs/*.md that come from a
# run, held against a run made here, so that they cannot drift:
#   - README's main job excerpt (table rows, set rows, the blocklist
#     summary): every line is a line of ./run.sh run now;
#   - README's recipes (cases against mine.json, surface --diff): every line
#     is in the run's output;
#   - explain's "N of N" (docs/profiles.md): the probes of this build;
#   - the excerpt of cases/docker-default.cases it quotes: still the set's;
#   - the regression example (docker-default's set against a copy that
#     allows mount, drops the personality rules and sets clone3's errnoRet
#     to 1): its diff lines, its summary line and the FAIL line quoted from
#     the KTAP, against ./run.sh cases run now;
#   - the compare example (docker-default against moby v0.2.3): its rows
#     and "N of M probes differ", against ./run.sh compare of two runs;
#   - the exit status README states for compare with an unreadable file and
#     for scrun with a bad --caps.
# Paths in the runner's output are made relative to the checkout, as the
# manual quotes them.  The main job and three set runs: about 30 s on an
# idle machine.
#   tests/readme.test.sh build/<abi>
set -uo pipefail
OUT=${1:?usage: tests/readme.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
HERE=$PWD
README=README.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi; }
squeeze() { sed -E 's/^ +//; s/ +$//; s/ +/ /g'; }
# The lines of DOC (default README.md) between the first line matching FROM
# and the next matching TO (both included), without the four spaces of a
# code block.
block() {
	FROM=$1 TO=$2 awk '
		!on && $0 ~ ENVIRON["FROM"] { on = 1; first = 1 }
		on { line = $0; sub(/^    /, "", line); print line }
		on && !first && $0 ~ ENVIRON["TO"] { exit }
		{ first = 0 }' "${DOC:-$README}"
}
# Each of the README's lines (stdin) must be one of the run's (FILE).
all_in() { # LABEL FILE [WHAT-FILE-IS]
	local line missing=0 what=${3:-the run\'s output}
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if ! grep -qxF -- "$(squeeze <<<"$line")" <(squeeze <"$2"); then
			echo "# README: '$line' -- not in $what$(grep -m1 -F -- "$(awk '{ print ($1 == "#" ? $1 " " $2 : $1) " " }' <<<"$line")" "$2" |
				sed "s/^/, which has: '/; s/\$/'/")"
			missing=$((missing + 1))
		fi
	done
	check "$1: every line README quotes is in $what ($missing not)" [ "$missing" -eq 0 ]
}

probes=$(wc -l <"$OUT/probes.list")

# The runs: the edited docker-default (through run.sh cases, as README
# shows it), docker-default and moby v0.2.3 (the runner) for compare.
mkdir -p "$tmp/work"
jq '(.syscalls[0].names) += ["mount"]
    | .syscalls |= map(select(.names != ["personality"]))
    | .syscalls |= map(if .names == ["clone3"] and .action == "SCMP_ACT_ERRNO" then .errnoRet = 1 else . end)' \
	"$("$OUT/bin/resolve-profile" --file docker-default)" >"$tmp/work/edited.json"
printf '%s\n' edited docker-default moby-v0.2.3 | xargs -P 2 -I{} bash -c '
	case {} in
	edited) cd "$2/work" && SECCOMP_SUITE_RESULTS=$2/res "$3/run.sh" cases docker-default --profile edited.json >"$2/edited.out" 2>&1 ;;
	*) "$1/bin/cases" --set {} --results "$2/{}.jsonl" >/dev/null 2>&1 ;;
	esac' _ "$OUT" "$tmp" "$HERE"
sed -i "s|$HERE/||g" "$tmp/edited.out" "$tmp"/res/*.ktap 2>/dev/null

# 1. README's main job excerpt: every line (but "...") is a line of the run.
SECCOMP_SUITE_RESULTS=$tmp/main ./run.sh >"$tmp/main.out" 2>&1
rc=$?
check "the main job exits 0 (it exited $rc)" [ "$rc" -eq 0 ]
block '^    PROBE +docker-default ' 'every row explained' | grep -vxF '...' |
	all_in "README's main job excerpt" "$tmp/main.out" "the main job's output"
block '^    SET +PASS +FAIL +SKIP$' '^    \.\.\.$' | grep -vxF '...' | tail -n +2 >"$tmp/main-table"
while read -r set pass fail skip; do
	check "main table: $set '$pass $fail $skip' is this build's $probes probes, all passing" \
		[ "$pass $fail $skip" = "$probes 0 0" ]
done <"$tmp/main-table"

# README's recipes: mine.json is Docker's default.json with a rule allowing
# mount added, as the README says.
jq '.syscalls += [{"names": ["mount"], "action": "SCMP_ACT_ALLOW"}]' \
	"$("$OUT/bin/resolve-profile" --file docker-default)" >"$tmp/work/mine.json"
grep -q 'mine.json.*default.json.*allowing mount\|allowing mount.*mine.json' README.md
check "README says how mine.json is made" [ $? -eq 0 ]
(cd "$tmp/work" && SECCOMP_SUITE_RESULTS=$tmp/res-mine "$HERE/run.sh" cases docker-default --profile mine.json) >"$tmp/mine.out" 2>&1
sed -i "s|$HERE/||g" "$tmp/mine.out"
block '^    \$ \./run\.sh cases docker-default --profile mine\.json' '^    docker-default +[0-9]+ +[0-9]+ +[0-9]+$' |
	grep -E '^[-+]|^docker-default +[0-9]' | all_in "README: cases against mine.json" "$tmp/mine.out"
(cd "$tmp/work" && "$HERE/run.sh" surface --diff docker-default mine.json) >"$tmp/surface.out" 2>&1
block '^    \$ \./run\.sh surface --diff docker-default mine\.json' '^    x32 ' | tail -n +2 |
	all_in "README: surface --diff against mine.json" "$tmp/surface.out"

# 2. explain: "N of N on this host".
figure=$(grep -oE '[0-9]+ of [0-9]+ on this host' docs/profiles.md | head -n1)
check "explain's agreement '$figure' counts this build's $probes probes" \
	[ "$figure" = "$probes of $probes on this host" ]

# 3. The excerpt of cases/docker-default.cases README quotes.
DOC=docs/cases.md block '^    profile docker-default$' '^    [a-z0-9_.]+ +errno +ENOSYS ' | grep -vE '^#|^$' |
	all_in "the quoted excerpt of cases/docker-default.cases" cases/docker-default.cases "the set"

# 4. The regression example.
DOC=docs/cases.md block '^    \$ \./run\.sh cases docker-default --profile edited\.json' '^    docker-default +[0-9]+ +[0-9]+ +[0-9]+$' >"$tmp/readme-edited"
check "README shows the regression example" [ -s "$tmp/readme-edited" ]
grep -E '^[-+]' "$tmp/readme-edited" | all_in "regression example: the diff" "$tmp/edited.out"
said=$(tail -n1 "$tmp/readme-edited" | squeeze)
got=$(grep -E '^docker-default +[0-9]+ +[0-9]+ +[0-9]+$' "$tmp/edited.out" | squeeze)
check "regression example: README's summary '$said' is the run's '$got'" [ "$said" = "$got" ]
cat "$tmp"/res/cases-docker-default*.ktap >"$tmp/edited.ktap" 2>/dev/null
grep -E '^    # docker-default\.[a-z0-9_.]+: FAIL: ' docs/cases.md | sed 's/^    //' |
	all_in "regression example: the FAIL line quoted from the KTAP" "$tmp/edited.ktap"

# 5. The compare example.
./run.sh compare "$tmp/docker-default.jsonl" "$tmp/moby-v0.2.3.jsonl" >"$tmp/compare.out" 2>&1
DOC=docs/cases.md block '^    \$ \./run\.sh compare ' 'probes differ$' | tail -n +2 | grep -vE '^(A|B): ' >"$tmp/readme-compare"
check "README shows the compare example" [ -s "$tmp/readme-compare" ]
all_in "compare example: rows and count" "$tmp/compare.out" <"$tmp/readme-compare"
check "compare example: the run lists as many rows as README ($(grep -cE '^[a-z_0-9.]+ +(allowed|errno|killed)' "$tmp/compare.out"))" \
	[ "$(grep -cE '^[a-z_0-9.]+ +(allowed|errno|killed)' "$tmp/compare.out")" -eq "$(grep -cE '^[a-z_0-9.]+ +(allowed|errno|killed)' "$tmp/readme-compare")" ]

# 6. Exit statuses README states.
# compare: "N when ... cannot be read" (the last such number).
said=$(tr '\n' ' ' <docs/cases.md | grep -oE '[0-9]+ when [^.;,]*cannot be read' | tail -n1 | grep -oE '^[0-9]+')
./run.sh compare "$tmp/no-such-file.jsonl" "$tmp/docker-default.jsonl" >/dev/null 2>&1
rc=$?
check "compare with an unreadable file: README says exit ${said:-(nothing)}, it exits $rc" [ "${said:-x}" = "$rc" ]
# scrun: "N bad profile or capability set" if README names it, else a bad
# --caps value is "N bad usage".
scrun_text=$(DOC=docs/probe.md block '^## Running a command under a profile: scrun' '^## ' | tr '\n' ' ')
said=$(grep -oE '[0-9]+ bad (profile or )?capability set' <<<"$scrun_text" | head -n1 | grep -oE '^[0-9]+')
[ -n "$said" ] || said=$(grep -oE '[0-9]+ bad usage' <<<"$scrun_text" | head -n1 | grep -oE '^[0-9]+')
"$OUT/bin/scrun" --caps CAP_NO_SUCH_CAPABILITY -- /bin/true >/dev/null 2>&1
rc=$?
check "scrun with a bad --caps: README says exit ${said:-(nothing)}, it exits $rc" [ "${said:-x}" = "$rc" ]
tap_done
