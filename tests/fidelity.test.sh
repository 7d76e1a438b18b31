#!/usr/bin/env bash
# The differential test of profile resolution: random valid profiles (and
# hand-written corner cases) resolved by moby's own code (tests/fidelity/
# moby-resolve, built offline from Debian's moby source) and by the suite's
# resolve-profile, for five capability sets, under each engine the suite
# models (docker-20.10: Debian 12's moby 20.10.24; docker-26: Debian 13's
# 26.1.5).  One seed is fixed; the other is fresh on every run and printed,
# so a failure can be replayed:
#   FIDELITY_SEED=N bash tests/fidelity.test.sh build/<abi>
# FIDELITY_N: profiles per seed (300).
set -uo pipefail
OUT=${1:?usage: tests/fidelity.test.sh build/<abi>}
cd "$(dirname "$0")/.." || exit 1

engines=(docker-20.10 docker-26)
steps=4		# lines moby-resolve check prints per engine
echo "1..$((${#engines[@]} * steps))"

fresh=${FIDELITY_SEED:-$(( $(date +%s%N) % 1000000007 ))}
n=${FIDELITY_N:-300}
work=build/fidelity/runs/$fresh
mkdir -p "$work"
# The profiles of the last five runs are kept, for a rerun by seed.
find build/fidelity/runs -mindepth 1 -maxdepth 1 -printf '%T@ %p\n' | sort -rn | tail -n +6 | cut -d" " -f2- | xargs -r rm -rf
make --no-print-directory "$OUT/bin/resolve-profile" >"$work/make.log" 2>&1

for e in "${engines[@]}"; do
	oracle=build/fidelity/moby-resolve-$e
	if ! make --no-print-directory "$oracle" >>"$work/make.log" 2>&1; then
		why="the oracle for $e did not build (see $work/make.log)"
		[ "$e" = docker-26 ] && ! [ -s build/fidelity/moby26/VERSIONS ] &&
			why="Debian 13's moby could not be fetched (tests/fidelity/fetch-moby26.sh; see $work/make.log)"
		for i in $(seq "$steps"); do echo "ok - $e: step $i # SKIP $why"; done
		continue
	fi
	"$oracle" check -resolve-profile "$OUT/bin/resolve-profile" -seed 1 -fresh-seed "$fresh" \
		-n "$n" -dir "$work/$e" >"$work/$e.tap" 2>"$work/$e.err"
	rc=$?
	cat "$work/$e.tap"
	got=$(grep -cE '^(not )?ok ' "$work/$e.tap")
	if [ "$rc" -ne 0 ] || [ "$got" -ne "$steps" ]; then
		sed 's/^/# /' "$work/$e.err"
		for i in $(seq $((got + 1)) "$steps"); do
			echo "not ok - $e: step $i: moby-resolve check exited $rc"
		done
	fi
done
echo "# profiles kept in $work (rerun: FIDELITY_SEED=$fresh bash tests/fidelity.test.sh $OUT)"
