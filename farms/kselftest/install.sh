#!/bin/sh
# farms/kselftest/install.sh INSTALL_PATH ABI PAYLOAD RUNNER_DIR SET...
# Installs (or reinstalls) one ABI of the seccomp-suite kselftest collection
# into a kselftest install tree, merging with what is there:
#   INSTALL_PATH/seccomp-suite/ABI/       the payload (farms/payload.sh)
#   INSTALL_PATH/seccomp-suite/NAME       one POSIX sh test per set: the set
#                                         name, plus -i386 for the compat ABI
#   INSTALL_PATH/seccomp-suite/settings   timeout=$KSELFTEST_TIMEOUT
#   INSTALL_PATH/seccomp-suite/config     the union of the ABIs' kconfig
#   INSTALL_PATH/kselftest-list.txt       seccomp-suite:NAME lines; other
#                                         collections' lines are kept
#   INSTALL_PATH/run_kselftest.sh, kselftest/   from RUNNER_DIR (Debian's
#                                         linux-source-6.1), only when absent
# Reinstalling an ABI replaces its own tests and lines, nothing else.
set -eu

usage() {
	echo "usage: farms/kselftest/install.sh INSTALL_PATH ABI PAYLOAD RUNNER_DIR SET..." >&2
	exit 64
}
[ $# -ge 5 ] || usage
dest=$1 abi=$2 payload=$3 runner=$4
shift 4
timeout=${KSELFTEST_TIMEOUT:-900}
here=$(cd "$(dirname "$0")" && pwd)
col="$dest/seccomp-suite"
list="$dest/kselftest-list.txt"

die() {
	echo "kselftest-install: $*" >&2
	exit 1
}

# The compat ABI of an amd64 kernel runs beside x86_64: its tests are extra
# names in the same list.
case "$abi" in
i386) suffix=-i386 compat='/@COMPAT_BEGIN@/d;/@COMPAT_END@/d' ;;
*) suffix="" compat='/@COMPAT_BEGIN@/,/@COMPAT_END@/d' ;;
esac

# run_kselftest.sh's KSELFTEST_<NAME>_ARGS variable, derived as
# kselftest/runner.sh derives it.
args_var() {
	echo "KSELFTEST_$(echo "$1" | tr -d "[:blank:][:cntrl:]" | tr -c "[:alnum:]_" "_" | tr "[:lower:]" "[:upper:]")_ARGS"
}

case "$timeout" in '' | *[!0-9]*) die "KSELFTEST_TIMEOUT=$timeout: seconds expected" ;; esac
for set in "$@"; do
	case "$set" in
	*[!A-Za-z0-9_.+-]* | -*) die "set name '$set': only letters, digits and _.+- can be a kselftest test name" ;;
	esac
done
[ -x "$payload/bin/cases" ] || die "$payload: no bin/cases (farms/payload.sh makes it)"
mkdir -p "$col"

if [ ! -e "$dest/run_kselftest.sh" ]; then
	mkdir -p "$dest/kselftest"
	cp "$runner/run_kselftest.sh" "$dest/"
	for f in runner.sh prefix.pl module.sh; do
		cp "$runner/kselftest/$f" "$dest/kselftest/"
	done
fi

# This ABI's earlier install: its tests and list lines go.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
touch "$list"
if [ -r "$col/$abi/tests" ]; then
	while read -r name; do
		rm -f "$col/$name"
		grep -vxF "seccomp-suite:$name" "$list" >"$tmp" || true
		cat "$tmp" >"$list"
	done <"$col/$abi/tests"
fi

# Two tests whose argument variables collide could not be told apart by
# run_kselftest.sh: refused before anything is written.
dups=$({ grep '^seccomp-suite:' "$list" | cut -d: -f2; for set in "$@"; do echo "$set$suffix"; done; } |
	while read -r name; do args_var "$name"; done | sort | uniq -d)
[ -z "$dups" ] || die "tests whose run_kselftest.sh argument variables collide: $dups"

rm -rf "${col:?}/${abi:?}"
cp -R "$payload" "$col/$abi"
: >"$col/$abi/tests"
for set in "$@"; do
	name="$set$suffix"
	sed -e "s|@NAME@|$name|g" -e "s|@SET@|$set|g" -e "s|@ABI@|$abi|g" -e "s|@ARGS_VAR@|$(args_var "$name")|g" \
		-e "$compat" "$here/wrapper.sh.in" >"$col/$name"
	chmod 755 "$col/$name"
	echo "$name" >>"$col/$abi/tests"
	echo "seccomp-suite:$name" >>"$list"
done

echo "timeout=$timeout" >"$col/settings"
cat "$col"/*/kconfig | sort -u >"$col/config"
