#!/usr/bin/env bash
# The suite in the forms farms and fleets take, run on this host:
# 1. the kselftest collection: `make kselftest-install` (x86_64, then i386
#    into the same tree, over another collection's list) and Debian's own
#    run_kselftest.sh from linux-source-6.1, unchanged.  Checks the layout,
#    the merge, run_kselftest.sh's exit-code mapping of our tests (ok, SKIP,
#    not ok exit=N, TIMEOUT), KSELFTEST_<TEST>_ARGS and the suite's KTAP
#    nested under "# ".
# 2. the fleet tarball: `make dist`, unpacked and run through its
#    seccomp-suite entry point with a PATH that has no compiler, make, apt,
#    dpkg or jq (those names are tripwires), the checkout hidden.
# 3. the fleet recipe: farms/fleet/playbook.yml against localhost (Debian's
#    ansible-core: ci/install-deps.sh farms; skipped with the reason when
#    it is absent).
# TAP lines, plan 1..N.
#   bash tests/farms.test.sh build/<abi>
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
if [ "$(uname -m)" != x86_64 ]; then
	echo "ok 1 - kselftest collection # SKIP this test installs the x86_64 and i386 ABIs of an amd64 host"
	echo "1..1"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# run_kselftest.sh runs as nobody below: the tree must be readable by all.
chmod 755 "$tmp"
KS="$tmp/kselftest"
n=0

ok() { # ok NAME COMMAND...: one TAP line
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}

# The variable run_kselftest.sh reads a test's arguments from, derived here
# independently of farms/kselftest/install.sh (kselftest/runner.sh's rule).
args_var() {
	printf 'KSELFTEST_%s_ARGS' "$(printf '%s' "$1" | tr -c 'A-Za-z0-9_' '_' | tr 'a-z' 'A-Z')"
}

# Everything a test needs is in the install tree: while run_kselftest.sh
# runs, the checkout (whose cases/ and profiles/ the programs were built to
# look for) and Debian's default.json are hidden by tmpfs mounts in a
# private mount namespace.
if unshare --mount --propagation private true 2>/dev/null; then
	isolate=1
else
	isolate=0
	echo "# unshare --mount is not permitted here: the checkout stays visible to the tests"
fi
DEBIAN_PROFILES=/usr/share/gocode/src/github.com/docker/docker/profiles

# run_kselftest OUTFILE ARGS...: Debian's runner from the install tree (as
# nobody with AS_NOBODY=1); its output through a pipe, as a farm's console
# gets it (the runner appends to /dev/stdout, which the runner's own user
# must be able to open: the pipe is made after setpriv).
run_kselftest() {
	local out=$1 as=""
	shift
	[ "${AS_NOBODY:-0}" = 0 ] || as="setpriv --reuid=65534 --regid=65534 --clear-groups --"
	if [ "$isolate" = 1 ]; then
		unshare --mount --propagation private sh -c '
			mount -t tmpfs none "$1" || exit 1
			[ ! -d "$2" ] || mount -t tmpfs none "$2" || exit 1
			cd "$3" && shift 3 && exec "$@"' _ "$PWD" "$DEBIAN_PROFILES" "$KS" \
			$as sh -c './run_kselftest.sh "$@" 2>&1 | cat' _ "$@"
	else
		(cd "$KS" && $as sh -c './run_kselftest.sh "$@" 2>&1 | cat' _ "$@")
	fi >"$out" 2>&1
}

# json_ok FILE [JQ-OPTION...] FILTER: jq -e FILTER holds on FILE.
json_ok() {
	jq -e "${@:2}" "$1" >/dev/null || { echo "# $1: $(head -c 300 "$1")"; return 1; }
}

# has FILE LINE: FILE holds exactly this line.
has() {
	grep -qxF -- "$2" "$1" || { echo "# $1 lacks: $2"; sed 's/^/#   /' "$1" | tail -n 15; return 1; }
}

sets=$(cd cases && ls *.cases | sed 's/\.cases$//' | LC_ALL=C sort)
n_sets=$(wc -w <<<"$sets")

# An existing kselftest tree with another collection in its list.
mkdir -p "$KS"
echo "seccomp:seccomp_bpf" >"$KS/kselftest-list.txt"
start=$(date +%s)
make -s -j2 kselftest-install INSTALL_PATH="$KS" >"$tmp/make.log" 2>&1 &&
	make -s -j2 kselftest-install INSTALL_PATH="$KS" ABI=i386 >>"$tmp/make.log" 2>&1 &&
	# Twice: a reinstall replaces, never duplicates.
	make -s -j2 kselftest-install INSTALL_PATH="$KS" ABI=i386 >>"$tmp/make.log" 2>&1
rc=$?
echo "# make kselftest-install (x86_64, i386, i386 again): exit $rc in $(($(date +%s) - start))s"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/make.log" | tail -n 20
ok "make kselftest-install x86_64 then i386 into one tree" test "$rc" -eq 0

expected_list() {
	echo "seccomp:seccomp_bpf"
	for s in $sets; do echo "seccomp-suite:$s"; done
	for s in $sets; do echo "seccomp-suite:$s-i386"; done
}
ok "kselftest-list.txt: the other collection kept, each set once per ABI (i386 as extra tests)" \
	diff <(expected_list) "$KS/kselftest-list.txt"
mkdir "$tmp/debian"
tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$tmp/debian" --strip-components=4 \
	linux-source-6.1/tools/testing/selftests/run_kselftest.sh linux-source-6.1/tools/testing/selftests/kselftest/runner.sh \
	linux-source-6.1/tools/testing/selftests/kselftest/prefix.pl
ok "Debian's run_kselftest.sh and kselftest/ helpers installed, unchanged" \
	bash -c 'for f in run_kselftest.sh kselftest/runner.sh kselftest/prefix.pl; do cmp "$1/$f" "$2/$f" || exit 1; done' _ "$tmp/debian" "$KS"
ok "settings: a timeout above the runner's 45 s default" \
	bash -c 't=$(sed -n "s/^timeout=//p" "$1"); [ -n "$t" ] && [ "$t" -ge 300 ]' _ "$KS/seccomp-suite/settings"
ok "config: seccomp, filters, and i386 emulation for the i386 tests" \
	bash -c 'for o in CONFIG_SECCOMP=y CONFIG_SECCOMP_FILTER=y CONFIG_IA32_EMULATION=y; do grep -qx "$o" "$1" || exit 1; done' _ "$KS/seccomp-suite/config"

wrappers_ok() {
	local s w
	for s in $sets; do
		for w in "$KS/seccomp-suite/$s" "$KS/seccomp-suite/$s-i386"; do
			[ -x "$w" ] && head -n1 "$w" | grep -qx '#!/bin/sh' && dash -n "$w" ||
				{ echo "# $w: not an executable POSIX sh script"; return 1; }
			grep -qF "$(args_var "$(basename "$w")")" "$w" ||
				{ echo "# $w does not name $(args_var "$(basename "$w")")"; return 1; }
		done
	done
}
ok "one executable POSIX sh test per set and ABI, naming its KSELFTEST_..._ARGS" wrappers_ok
ok "the argument variables of all $((2 * n_sets)) tests are distinct" \
	test "$(for s in $sets; do args_var "$s"; echo; args_var "$s-i386"; echo; done | sort -u | wc -l)" -eq $((2 * n_sets))

static_ok() {
	local f out bad=0
	for f in "$KS"/seccomp-suite/*/bin/*; do
		[ -e "$f" ] || continue
		file -b "$f" | grep -q 'statically linked' || { echo "# $f: $(file -b "$f")"; bad=1; }
		out=$(ldd "$f" 2>&1)
		grep -q 'not a dynamic executable' <<<"$out" || { echo "# ldd $f: $out"; bad=1; }
	done
	return "$bad"
}
ok "every program in the collection is static (file, ldd)" static_ok

run_kselftest "$tmp/list.out" -l
ok "run_kselftest.sh -l lists seccomp-suite:docker-default and seccomp-suite:docker-default-i386" \
	bash -c 'grep -qx seccomp-suite:docker-default "$1" && grep -qx seccomp-suite:docker-default-i386 "$1"' _ "$tmp/list.out"

# One whole set, as a farm runs it.
start=$(date +%s)
run_kselftest "$tmp/unconfined.out" -t seccomp-suite:unconfined
echo "# run_kselftest.sh -t seccomp-suite:unconfined: $(($(date +%s) - start))s"
ok "unconfined: ok 1 selftests: seccomp-suite: unconfined" has "$tmp/unconfined.out" "ok 1 selftests: seccomp-suite: unconfined"
ok "unconfined: the suite's KTAP nested under '# ' (header, plan, a line per probe)" \
	bash -c 'grep -qx "# TAP version 13" "$1" && grep -qE "^# 1\.\.[0-9]+$" "$1" &&
		grep -qx "# ok [0-9]* unconfined.getpid" "$1" &&
		[ "$(grep -cE "^# (not )?ok [0-9]+ unconfined\." "$1")" -eq "$(sed -n "s/^# 1\.\.//p" "$1")" ] &&
		! grep -qE "^(not )?ok [0-9]+ unconfined\." "$1"' _ "$tmp/unconfined.out"
echo "# unconfined: $(grep -cE '^# ok [0-9]+ unconfined\.' "$tmp/unconfined.out") cases passed"

# SKIP (4): not root, the runner cannot give the probes their capability sets.
AS_NOBODY=1 run_kselftest "$tmp/skip.out" -t seccomp-suite:unconfined
ok "not root: exit 4 maps to '# SKIP'" has "$tmp/skip.out" "ok 1 selftests: seccomp-suite: unconfined # SKIP"

# fail (1): the unconfined expectations against the restrictive profile,
# through the test's argument variable (getpid is denied there).
KSELFTEST_UNCONFINED_ARGS="--profile restrictive getpid read" run_kselftest "$tmp/fail.out" -t seccomp-suite:unconfined
ok "a failed case: exit 1 maps to 'not ok ... # exit=1'" has "$tmp/fail.out" "not ok 1 selftests: seccomp-suite: unconfined # exit=1"
ok "KSELFTEST_UNCONFINED_ARGS reached the runner: two cases, getpid failed, read passed" \
	bash -c 'grep -qx "# 1..2" "$1" && grep -qx "# not ok [0-9] unconfined.getpid" "$1" && grep -qx "# ok [0-9] unconfined.read" "$1"' _ "$tmp/fail.out"

# refused (2): a profile that cannot be read runs nothing.
KSELFTEST_UNCONFINED_ARGS="--profile /nonexistent/profile.json" run_kselftest "$tmp/refused.out" -t seccomp-suite:unconfined
ok "a profile that cannot be read: 'not ok ... # exit=2', the reason nested" \
	bash -c 'grep -qx "not ok 1 selftests: seccomp-suite: unconfined # exit=2" "$1" && grep -q "^# cases: set unconfined: .*/nonexistent/profile.json" "$1"' _ "$tmp/refused.out"

# A name with '+' and its sanitized variable; and the i386 twin.
sa=docker-default+sys_admin
eval "export $(args_var "$sa")=getpid"
eval "export $(args_var "$sa-i386")='getpid mount'"
run_kselftest "$tmp/sa.out" -t "seccomp-suite:$sa" -t "seccomp-suite:$sa-i386"
unset "$(args_var "$sa")" "$(args_var "$sa-i386")"
ok "$sa and $sa-i386 ran with their own $(args_var "$sa") and $(args_var "$sa-i386")" \
	bash -c 'grep -qx "ok 1 selftests: seccomp-suite: $2" "$1" && grep -qx "ok 2 selftests: seccomp-suite: $2-i386" "$1" &&
		[ "$(grep -cx "# 1..1" "$1")" -eq 1 ] && [ "$(grep -cx "# 1..2" "$1")" -eq 1 ] &&
		grep -qx "# ok 2 $2.mount" "$1"' _ "$tmp/sa.out" "$sa"

# TIMEOUT (124): settings' timeout stops a whole set, and nothing stays
# behind.  A set takes a tenth of a second or more here (88 forked cases, each
# with its sentinel rerun); GNU timeout takes fractions of a second.
sed -i 's/^timeout=.*/timeout=0.02/' "$KS/seccomp-suite/settings"
run_kselftest "$tmp/timeout.out" -t seccomp-suite:docker-default
sleep 1
ok "settings timeout=0.02 on a whole set: 'not ok ... # TIMEOUT 0.02 seconds'" \
	has "$tmp/timeout.out" "not ok 1 selftests: seccomp-suite: docker-default # TIMEOUT 0.02 seconds"
ok "no process of the stopped set is left" bash -c '! pgrep -f "$1/seccomp-suite/" >/dev/null' _ "$KS"

# The farm's artifact: the same tree in one tarball per Debian architecture.
start=$(date +%s)
tarball=$(make -s kselftest-tar 2>"$tmp/tar.err" | tail -n1)
echo "# make kselftest-tar: $(($(date +%s) - start))s: $tarball"
ok "make kselftest-tar: run_kselftest.sh, the list and both ABIs in build/dist/kselftest-seccomp-suite-*-amd64.tar.gz" \
	bash -c '[ -f "$1" ] && case "$1" in */kselftest-seccomp-suite-*-amd64.tar.gz) ;; *) exit 1 ;; esac &&
		l=$(tar -tzf "$1") && for m in ./run_kselftest.sh ./kselftest/runner.sh ./kselftest-list.txt ./seccomp-suite/settings \
			./seccomp-suite/config ./seccomp-suite/docker-default ./seccomp-suite/docker-default-i386 \
			./seccomp-suite/x86_64/bin/cases ./seccomp-suite/i386/bin/cases; do
			grep -qxF "$m" <<<"$l" || { echo "# missing $m"; exit 1; }; done' _ "$tarball"


# 2. The fleet tarball.
start=$(date +%s)
version=$(git describe --always --dirty)
tarball=$(make -s -j2 dist 2>"$tmp/dist.err" | tail -n1)
rc=$?
echo "# make dist: exit $rc in $(($(date +%s) - start))s: $tarball"
sed 's/^/# /' "$tmp/dist.err" | tail -n 5
ok "make dist: build/dist/seccomp-suite-$version-x86_64.tar.gz" test "$tarball" = "build/dist/seccomp-suite-$version-x86_64.tar.gz" -a -s "$tarball"
mkdir "$tmp/fleet"
tar -xzf "$tarball" -C "$tmp/fleet"
D="$tmp/fleet/seccomp-suite-$version-x86_64"
ok "one top directory with the entry point, VERSION, MANIFEST, SHA256SUMS, the runner, check, profiles and sets" \
	bash -c 'cd "$1" && [ "$(ls "$2" | wc -l)" -eq 1 ] && for f in seccomp-suite VERSION MANIFEST SHA256SUMS bin/cases bin/probe-run bin/check bin/screport \
		profiles/docker-default.json profiles/docker-26-default.json profiles/restrictive.json cases/docker-default.cases cases/unconfined.cases; do
		[ -s "$f" ] || { echo "# missing $f"; exit 1; }; done' _ "$D" "$tmp/fleet"
KS_SAVED=$KS
KS="$tmp/fleet"
ok "every program in the tarball is static (file, ldd)" static_ok
KS=$KS_SAVED
dd=$DEBIAN_PROFILES/seccomp/default.json
moby26=build/fidelity/moby26
ok "MANIFEST: Debian 13's default.json (docker-26-default) with the version make moby26 fetched, and its sha256" \
	bash -c 'm="$1/MANIFEST"
		grep -qx "profile.docker-26-default.package_version=$(awk "/docker-docker-dev/ { print \$2 }" "$2/VERSIONS")" "$m" &&
		grep -qx "profile.docker-26-default.sha256=$(sha256sum <"$1/profiles/docker-26-default.json" | cut -d" " -f1)" "$m" &&
		cmp -s "$1/profiles/docker-26-default.json" "$2/root$3/seccomp/default.json"' _ "$D" "$moby26" "$DEBIAN_PROFILES"
ok "MANIFEST: Debian's default.json with its package version and sha256; the copy is the package's file" \
	bash -c 'm="$1/MANIFEST"
		grep -qx "profile.docker-default.package=golang-github-docker-docker-dev" "$m" &&
		grep -qx "profile.docker-default.package_version=$(dpkg-query -W -f "\${Version}" golang-github-docker-docker-dev)" "$m" &&
		grep -qx "profile.docker-default.sha256=$(sha256sum <"$2" | cut -d" " -f1)" "$m" &&
		cmp -s "$2" "$1/profiles/docker-default.json"' _ "$D" "$dd"

# A host with the kernel and base utilities only: PATH is one directory of
# links to /usr/bin and /bin without compilers, make, apt, dpkg or jq, and
# those names are tripwires that log their calls.
bare="$tmp/bare-path"
mkdir "$bare"
for f in /usr/bin/* /bin/*; do
	name=${f##*/}
	case "$name" in
	gcc* | *-gcc* | cc | c89* | c99* | cpp* | *-cpp* | clang* | tcc | make | *make | jq | apt* | dpkg* | ld | ld.* | as) continue ;;
	esac
	[ -e "$bare/$name" ] || ln -s "$f" "$bare/$name"
done
for name in gcc cc make jq apt-get apt dpkg dpkg-query; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 127\n' "$name" "$tmp/tripwire.log" >"$bare/$name"
	chmod 755 "$bare/$name"
done
: >"$tmp/tripwire.log"
chmod 666 "$tmp/tripwire.log"

# fleet OUT ERR [hide|show] [nobody] -- ARGS...: the entry point from the
# unpacked tarball, PATH=$bare, nothing else in the environment; hide: the
# checkout and Debian's profiles are hidden (a private mount namespace).
fleet() {
	local out=$1 err=$2 mode=$3 as=""
	shift 3
	[ "$1" != nobody ] || { as="setpriv --reuid=65534 --regid=65534 --clear-groups --"; shift; }
	[ "$1" = -- ] && shift
	if [ "$mode" = hide ] && [ "$isolate" = 1 ]; then
		unshare --mount --propagation private sh -c '
			mount -t tmpfs none "$1" || exit 1
			[ ! -d "$2" ] || mount -t tmpfs none "$2" || exit 1
			shift 2 && exec "$@"' _ "$PWD" "$DEBIAN_PROFILES" \
			$as env -i PATH="$bare" HOME=/ "$D/seccomp-suite" "$@"
	else
		$as env -i PATH="$bare" HOME=/ "$D/seccomp-suite" "$@"
	fi >"$out" 2>"$err"
}

fleet "$tmp/version.out" "$tmp/version.err" hide -- --version
ok "seccomp-suite --version: $version" has "$tmp/version.out" "seccomp-suite $version (x86_64)"

fleet "$tmp/check.out" "$tmp/check.err" hide -- check --json
rc=$?
ok "seccomp-suite check --json: exit 0, the check program's JSON Lines" \
	bash -c '[ "$2" -eq 0 ] && [ -s "$1" ] && jq -e -s "length > 10 and all(.[]; has(\"item\") and has(\"result\"))" "$1" >/dev/null' _ "$tmp/check.out" "$rc"
fleet "$tmp/check-table.out" "$tmp/check-table.err" hide -- check
ok "seccomp-suite check: a table ending with 'this host enforces seccomp filters'" \
	grep -q 'this host enforces seccomp filters$' "$tmp/check-table.out"

fleet "$tmp/cases.out" "$tmp/cases.err" hide -- cases --out "$tmp/fleet-results" unconfined
rc=$?
n_probes=$("$D/bin/probe-run" --list | wc -l)
ok "seccomp-suite cases unconfined: exit 0, $n_probes cases passed, results and KTAP written" \
	bash -c '[ "$2" -eq 0 ] && grep -qE "^unconfined +$3 +0 +0 +0$" "$1" &&
		[ "$(jq -s "map(select(.result == \"pass\")) | length" "$4/cases-unconfined.jsonl")" -eq "$3" ] &&
		grep -qx "# Totals: pass:$3 fail:0 xfail:0 xpass:0 skip:0 error:0" "$4/cases-unconfined.ktap"' \
	_ "$tmp/cases.out" "$rc" "$n_probes" "$tmp/fleet-results"
fleet "$tmp/cases-fail.out" "$tmp/cases-fail.err" hide -- cases --out "$tmp/fleet-results" unconfined -- --profile restrictive getpid
rc=$?
ok "seccomp-suite cases unconfined -- --profile restrictive getpid: exit 1, getpid failed" \
	bash -c '[ "$2" -eq 1 ] && grep -qx "  failed: unconfined.getpid" "$1"' _ "$tmp/cases-fail.out" "$rc"
mkdir -m 777 "$tmp/nobody-results"
fleet "$tmp/nobody.out" "$tmp/nobody.err" hide nobody -- cases --out "$tmp/nobody-results" unconfined
ok "seccomp-suite cases as nobody: exit 4 (not root)" test "$?" -eq 4

fleet "$tmp/probe.out" "$tmp/probe.err" hide -- probe --json --profile restrictive getpid
ok "seccomp-suite probe --profile restrictive getpid: errno EPERM by the filter" \
	json_ok "$tmp/probe.out" -s 'length == 1 and .[0].verdict == "errno" and .[0].errno_name == "EPERM" and .[0].by == "filter"'

start=$(date +%s)
fleet "$tmp/report.out" "$tmp/report.err" hide -- report --json --sets unconfined,restrictive
rc=$?
echo "# seccomp-suite report --json --sets unconfined,restrictive: exit $rc in $(($(date +%s) - start))s"
sed 's/^/# /' "$tmp/report.err" | tail -n 5
if docker info >/dev/null 2>&1; then docker_version=$(docker info --format '{{.ServerVersion}}'); else docker_version=""; fi
ok "seccomp-suite report --json: ONE object: version, host, kernel, architecture, check, each set, the daemon" \
	bash -c '[ "$2" -eq 0 ] && [ "$(wc -l <"$1")" -eq 1 ] && jq -e --arg v "$3" --arg h "$(uname -n)" --arg k "$(uname -r)" --arg d "$4" --argjson n "$5" "
		.version == \$v and .host == \$h and .kernel == \$k and .arch == \"x86_64\" and .abi == \"x86_64\"
		and .check.enforces_filters == true and .check.fail == 0 and .check.pass > 10
		and (.sets | keys) == [\"restrictive\", \"unconfined\"]
		and .sets.unconfined == {exit: 0, pass: \$n, fail: 0, skip: 0, failed: []}
		and .sets.restrictive.exit == 0 and .sets.restrictive.fail == 0
		and (if \$d == \"\" then .docker == null else .docker.version == \$d end)
		and .profiles[\"docker-default\"].host_copy == \"absent\" and .bundle_verified == \"yes\" and .result == \"pass\"" "$1" >/dev/null' \
	_ "$tmp/report.out" "$rc" "$version" "$docker_version" "$n_probes"
fleet "$tmp/report2.out" "$tmp/report2.err" show -- report --json --sets unconfined
ok "report beside Debian's package: the bundled default.json is the host's copy (host_copy same)" \
	json_ok "$tmp/report2.out" '.profiles["docker-default"].host_copy == "same"'

ok "nothing called make, a compiler, apt, dpkg or jq" \
	bash -c '[ ! -s "$1" ] || { sed "s/^/# called: /" "$1"; exit 1; }' _ "$tmp/tripwire.log"

# Fail closed: a bundled profile changed after the build runs nothing.
echo ' ' >>"$D/profiles/restrictive.json"
rm -rf "$tmp/fleet-results"
fleet "$tmp/damaged.out" "$tmp/damaged.err" hide -- cases --out "$tmp/fleet-results" restrictive
rc=$?
ok "a damaged bundle: exit 2, the file named, no case run" \
	bash -c '[ "$2" -eq 2 ] && grep -q "damaged: profiles/restrictive.json: FAILED" "$1" && [ ! -e "$3/cases-restrictive.jsonl" ]' \
	_ "$tmp/damaged.err" "$rc" "$tmp/fleet-results"

# 3. The fleet recipe, against this host.
if ! command -v ansible-playbook >/dev/null 2>&1; then
	n=$((n + 1))
	echo "ok $n - ansible-playbook farms/fleet/playbook.yml # SKIP ansible-playbook is not installed (ci/install-deps.sh farms: Debian's ansible-core)"
	echo "1..$n"
	exit 0
fi
# playbook OUT ARGS...: the playbook on localhost, as root already (no sudo).
playbook() {
	local out=$1
	shift
	ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=false ansible-playbook -i localhost, -c local farms/fleet/playbook.yml \
		-e seccomp_suite_become=false -e "tarball=$PWD/$tarball" -e "reports=$tmp/reports" "$@" >"$out" 2>&1
}
start=$(date +%s)
playbook "$tmp/ansible.out" -e "remote_dir=$tmp/remote" -e sets=unconfined,restrictive
rc=$?
echo "# ansible-playbook -i localhost, -c local farms/fleet/playbook.yml: exit $rc in $(($(date +%s) - start))s"
[ "$rc" -eq 0 ] || tail -n 20 "$tmp/ansible.out" | sed 's/^/# /'
ok "ansible-playbook against localhost: exit 0, no task failed" \
	bash -c '[ "$2" -eq 0 ] && grep -qE "^localhost +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0" "$1"' _ "$tmp/ansible.out" "$rc"
ok "the report fetched to REPORTS/localhost.json: one object, this host, both sets passed" \
	json_ok "$tmp/reports/localhost.json" --arg h "$(uname -n)" --arg k "$(uname -r)" --arg v "$version" \
	'.host == $h and .kernel == $k and .version == $v and (.sets | keys) == ["restrictive", "unconfined"] and .result == "pass"'
ok "the remote directory is removed afterwards" test ! -e "$tmp/remote"
playbook "$tmp/ansible-bad.out" -e "remote_dir=$tmp/remote-bad" -e sets=no-such-set -e "reports=$tmp/reports-bad"
rc=$?
ok "a host that cannot report fails the play (exit 2, failed=1) and nothing is fetched" \
	bash -c '[ "$2" -eq 2 ] && grep -qE "^localhost +: .* failed=1" "$1" && [ ! -e "$3" ]' _ "$tmp/ansible-bad.out" "$rc" "$tmp/reports-bad"

echo "1..$n"
