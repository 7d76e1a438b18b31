#!/usr/bin/env bash
# The suite built against Debian 13's libseccomp 2.6.0 (make libseccomp-2.6)
# beside the default build against Debian 12's 2.5.4 (docs/libseccomp.md).
# TAP lines.
#   - each build's programs report the libseccomp they were linked with
#     (check: seccomp_version()), and the cases runner's libseccomp>=
#     conditions follow it;
#   - every case set gives the same verdicts with both builds;
#   - the surface (every ABI, every number; static and live) of every
#     profile of the case sets and of the bundled profiles, under the sets'
#     capability sets and under all: the rows where the two builds differ
#     are exactly the table of docs/libseccomp.md, and both sources agree;
#   - the 2.5.4 defects the suite works around are still there in 2.6.0
#     (docs/libseccomp.md, "What did not change").
# Usage: tests/libseccomp.test.sh build/<abi> [build/<abi>-libseccomp2.6].
# A missing 2.6 build is made (make libseccomp-2.6); the test is skipped
# only when Debian 13's source package cannot be fetched.
set -uo pipefail
OUT=${1:?usage: tests/libseccomp.test.sh build/<abi> [build/<abi>-libseccomp2.6]}
OUT26=${2:-$OUT-libseccomp2.6}
cd "$(dirname "$0")/.." && . tests/tap.sh
DOC=docs/libseccomp.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { local name=$1; shift; if "$@" >"$tmp/check.out" 2>&1; then echo "ok - $name"; else echo "not ok - $name"; sed 's/^/# /' "$tmp/check.out" | head -20; fi; }
skip_all() { echo "ok - libseccomp 2.6 # SKIP $1"; tap_done; exit; }

abi=$(basename "$OUT")
[ "$abi" = x86_64 ] && [ "$(uname -m)" = x86_64 ] ||
	skip_all "the differences table is the x86_64 build's (x86_64, i386 and x32 in one filter); this is $abi on $(uname -m)"
[ "$(id -u)" -eq 0 ] || skip_all "the cases and the live surface run as root"
if [ ! -x "$OUT26/bin/cases" ]; then
	if ! nice -n 10 make -s libseccomp-2.6 >"$tmp/make.log" 2>&1; then
		[ -s build/libseccomp-2.6/fetch/VERSION ] ||
			skip_all "Debian 13's libseccomp source could not be fetched: $(grep -m1 -iE 'err|fail|unable' "$tmp/make.log")"
		echo "not ok - make libseccomp-2.6 (the source was fetched; the build failed)"
		sed 's/^/# /' "$tmp/make.log" | tail -20
		tap_done
		exit
	fi
fi

# ---- which libseccomp ----
version_of() { "$1/bin/check" | jq -r 'select(.item == "libseccomp") | .version'; }
v25=$(version_of "$OUT")
v26=$(version_of "$OUT26")
check "$OUT is linked with libseccomp 2.5.x (check says $v25)" grep -qE '^2\.5\.' <<<"$v25"
check "$OUT26 is linked with libseccomp 2.6.x (check says $v26)" grep -qE '^2\.6\.' <<<"$v26"

# libseccomp>=2.6 / libseccomp<2.6 pick the line by the runner's library:
# under unconfined getpid is allowed, so the line each build picks is seen
# in its result.
cat >"$tmp/lsc.cases" <<'EOF'
profile unconfined
caps all
getpid               allowed  0       libseccomp>=2.6               # the 2.6 build's line
getpid               errno    EPERM   libseccomp<2.6                # the 2.5 build's line
EOF
"$OUT/bin/cases" --set "$tmp/lsc.cases" --results "$tmp/lsc25.jsonl" getpid >/dev/null 2>&1
"$OUT26/bin/cases" --set "$tmp/lsc.cases" --results "$tmp/lsc26.jsonl" getpid >/dev/null 2>&1
check "cases: libseccomp<2.6 is the 2.5 build's line, libseccomp>=2.6 the 2.6 build's" \
	jq -se 'length == 2 and .[0].expected.condition == "libseccomp<2.6" and .[0].result == "fail"
		and .[1].expected.condition == "libseccomp>=2.6" and .[1].result == "pass"' "$tmp/lsc25.jsonl" "$tmp/lsc26.jsonl"
printf 'profile unconfined\ngetpid allowed 0 libseccomp>=2\n' >"$tmp/bad.cases"
"$OUT26/bin/cases" --set "$tmp/bad.cases" getpid >/dev/null 2>"$tmp/bad.err"
rc=$?
check "cases: a libseccomp condition without MAJOR.MINOR is refused (exit 2, FILE:LINE)" \
	bash -c "[ $rc -eq 2 ] && grep -q \"bad.cases:2: condition 'libseccomp>=2': expected a version MAJOR.MINOR\" '$tmp/bad.err'"

# ---- the case sets ----
for b in 25 26; do
	dir=$OUT
	[ $b = 26 ] && dir=$OUT26
	nice -n 10 "$dir/bin/cases" --results "$tmp/cases$b.jsonl" >"$tmp/cases$b.ktap" 2>&1
	jq -r '[.set, .probe // .syscall, .verdict, .errno_name // "", .by // ""] | @tsv' "$tmp/cases$b.jsonl" | sort >"$tmp/cases$b.tsv"
done
check "every case set: the same verdicts with 2.5 and 2.6 ($(wc -l <"$tmp/cases25.tsv") cases)" \
	bash -c "[ -s '$tmp/cases25.tsv' ] && diff '$tmp/cases25.tsv' '$tmp/cases26.tsv'"

# ---- the surfaces ----
# (profile, caps) of every case set, the bundled profiles under the
# docker-default set, and each of them under every capability.
{
	for f in cases/*.cases; do
		p=$(awk '$1 == "profile" { print $2; exit }' "$f")
		c=$(awk '$1 == "caps" { print $2; exit }' "$f")
		[ -f "cases/$p" ] && p="cases/$p"
		printf '%s\t%s\n%s\tall\n' "$p" "${c:-docker-default}" "$p"
	done
	"$OUT/bin/resolve-profile" --bundled | while IFS=$'\t' read -r name _; do
		printf '%s\tdocker-default\n%s\tall\n' "$name" "$name"
	done
	printf 'unconfined\tall\n'
} | sort -u >"$tmp/pairs"
: >"$tmp/rows"
agree=yes
while IFS=$'\t' read -r p caps; do
	name=$(basename "$p" .json)
	if ! "$OUT/bin/resolve-profile" --file "$p" >/dev/null 2>&1; then
		echo "# $name: not available here ($("$OUT/bin/resolve-profile" --file "$p" 2>&1 | head -c 200)): its surface is not compared"
		continue
	fi
	for b in 25 26; do
		dir=$OUT
		[ $b = 26 ] && dir=$OUT26
		"$dir/bin/scsurface" --profile "$p" --caps "$caps" --json >"$tmp/s$b.jsonl" 2>"$tmp/s$b.err"
		rc=$?
		if [ $rc -ne 0 ]; then
			agree=no
			echo "# $name ($caps) with $dir: scsurface exit $rc: $(head -c 200 "$tmp/s$b.err")"
		fi
	done
	jq -n -r --arg profile "$name" --arg caps "$caps" --slurpfile a "$tmp/s25.jsonl" --slurpfile b "$tmp/s26.jsonl" \
		-f tests/libseccomp.jq | sed "s/\$/\t$caps/" >>"$tmp/rows"
done <"$tmp/pairs"
check "every surface: static and live agree with both libraries ($(wc -l <"$tmp/pairs") profile and capability pairs)" [ "$agree" = yes ]

# One row per (profile, abi, syscall, 2.5, 2.6): the capability sets where
# it holds, joined.
sort -t$'\t' -k1,5 -k6,6 "$tmp/rows" |
	awk -F'\t' '{ k = $1 FS $2 FS $3 FS $4 FS $5 }
		k != last { if (last != "") print last FS caps; last = k; caps = $6; next }
		{ caps = caps ", " $6 }
		END { if (last != "") print last FS caps }' | sort >"$tmp/got"
# The table's rows: | profile | ABI | syscall | 2.5.4 | 2.6.0 | caps | why |
awk '/^## Differences/ { on = 1; next } /^## / { on = 0 }
	on && /^\| / && !/^\| profile/ && !/^\|---/' "$DOC" |
	awk -F'|' '{ for (i = 2; i <= 7; i++) { gsub(/^ +| +$/, "", $i); gsub(/`/, "", $i) }
		print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 }' | sort >"$tmp/want"
if diff "$tmp/want" "$tmp/got" >"$tmp/diff"; then
	echo "ok - the surfaces differ in exactly the $(wc -l <"$tmp/want") rows of $DOC"
else
	echo "not ok - the surfaces' differences are not $DOC's table (< the table, > the surfaces)"
	sed 's/^/# /' "$tmp/diff"
fi
readme_rows=$(grep -oE '[0-9]+ surface rows differ' README.md | grep -oE '^[0-9]+')
check "README's '$readme_rows surface rows differ' is the table's $(wc -l <"$tmp/want") rows" \
	[ "$readme_rows" = "$(wc -l <"$tmp/want")" ]
check "every row of $DOC's table says why" \
	bash -c "awk '/^## Differences/ { on = 1; next } /^## / { on = 0 } on && /^\\| / && !/^\\| profile/ && !/^\\|---/' '$DOC' |
		awk -F'|' '{ w = \$8; gsub(/ /, \"\", w); if (length(w) < 10) bad = 1 } END { exit bad }'"

# ---- the i386 builds (make ABI=i386 all libseccomp-2.6), when present ----
# Their filters hold the x86 architecture alone: the same case verdicts,
# and static surfaces that differ in the table's i386 rows.
I386=$(dirname "$OUT")/i386
if [ -x "$I386/bin/cases" ] && [ -x "$I386-libseccomp2.6/bin/cases" ]; then
	for b in 25 26; do
		dir=$I386
		[ $b = 26 ] && dir=$I386-libseccomp2.6
		nice -n 10 "$dir/bin/cases" --results "$tmp/i386cases$b.jsonl" >/dev/null 2>&1
		jq -r '[.set, .probe // .syscall, .verdict, .errno_name // "", .by // ""] | @tsv' "$tmp/i386cases$b.jsonl" | sort >"$tmp/i386cases$b.tsv"
	done
	check "i386: every case set gives the same verdicts with 2.5 and 2.6 ($(wc -l <"$tmp/i386cases25.tsv") cases)" \
		bash -c "[ -s '$tmp/i386cases25.tsv' ] && diff '$tmp/i386cases25.tsv' '$tmp/i386cases26.tsv'"
	: >"$tmp/i386rows"
	while IFS=$'\t' read -r p caps; do
		"$OUT/bin/resolve-profile" --file "$p" >/dev/null 2>&1 || continue
		"$I386/bin/scsurface" --source static --profile "$p" --caps "$caps" --json >"$tmp/i25.jsonl" 2>/dev/null
		"$I386-libseccomp2.6/bin/scsurface" --source static --profile "$p" --caps "$caps" --json >"$tmp/i26.jsonl" 2>/dev/null
		jq -n -r --arg profile "$(basename "$p" .json)" --slurpfile a "$tmp/i25.jsonl" --slurpfile b "$tmp/i26.jsonl" \
			-f tests/libseccomp.jq | sed "s/\$/\t$caps/" >>"$tmp/i386rows"
	done <"$tmp/pairs"
	sort -t$'\t' -k1,5 -k6,6 "$tmp/i386rows" |
		awk -F'\t' '{ k = $1 FS $2 FS $3 FS $4 FS $5 }
			k != last { if (last != "") print last FS caps; last = k; caps = $6; next }
			{ caps = caps ", " $6 }
			END { if (last != "") print last FS caps }' | sort >"$tmp/i386got"
	awk -F'\t' '$2 == "i386"' "$tmp/want" >"$tmp/i386want"
	check "i386 build: its static surfaces differ in exactly the table's $(wc -l <"$tmp/i386want") i386 rows" \
		bash -c "[ -s '$tmp/i386got' ] && diff '$tmp/i386want' '$tmp/i386got'"
else
	echo "ok - i386 builds # SKIP $I386 or $I386-libseccomp2.6 missing (make ABI=i386 all libseccomp-2.6)"
fi

# ---- what did not change ----
cat >"$tmp/socketcall.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_NE"}]},
              {"names": ["socketcall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
J
for b in 25 26; do
	dir=$OUT
	[ $b = 26 ] && dir=$OUT26
	"$dir/bin/scsurface" --check --json --profile "$tmp/socketcall.json" >"$tmp/sc$b.jsonl" 2>/dev/null
	check "libseccomp $b: the x86_64 and x32 socket rule beside x86's socketcall rule is still miscompiled" \
		jq -se '[.[] | select(.class == "miscompiled" and .syscall == "socket") | .abi] | sort == ["x32", "x86_64"]' "$tmp/sc$b.jsonl"
	"$dir/bin/scsurface" --check --json --profile tests/fuzz/regressions/libseccomp-2.5.4-miscompiles-read-0-1.json >"$tmp/rd$b.jsonl" 2>/dev/null
	check "libseccomp $b: read(0x100000001) under the fuzzing regression is still miscompiled" \
		jq -se '[.[] | select(.class == "miscompiled" and .syscall == "read")] | length == 2' "$tmp/rd$b.jsonl"
	timeout 60 "$dir/bin/scsurface" --check --profile tests/fuzz/regressions/libseccomp-2.5.4-hang-gt-then-eq-on-arg1.json >/dev/null 2>"$tmp/hang$b.err"
	check "libseccomp $b: the rules 2.5.4 never finishes compiling are still refused within the CPU limit" \
		grep -q "did not finish building the filter" "$tmp/hang$b.err"
done
tap_done
