#!/usr/bin/env bash
# ./run.sh audit and the Docker part of ./run.sh check, against a real
# dockerd that already answers (skipped otherwise, unless
# SECCOMP_SUITE_START_DOCKERD=1: tests/tap.sh docker_or_skip).
# The containers are labelled with this run's own label, so the audit is
# judged on exactly this set; they are removed at the end.  TAP lines.
set -uo pipefail
OUT=${1:?usage: tests/audit.test.sh build/<abi>}
cd "$(dirname "$0")/.." && . tests/tap.sh
tmp=$(mktemp -d)
RUN="seccomp-suite-check-audit-$$"
LABEL="seccomp-suite-check-audit=$RUN"
cleanup() {
	if [ -n "${started:-}" ]; then
		ids=$(docker ps -aq --filter "label=$LABEL")
		# shellcheck disable=SC2086
		[ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

check() { # check NAME COMMAND... : ok when the command succeeds
	local name=$1
	shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi
}
jq_true() { jq -e "$@" >/dev/null; }

# A daemon that already answers (tests/tap.sh).
docker_or_skip "audit and the Docker check" || { tap_done; exit 0; }

# The Docker part of the check: default profile and unconfined in real
# containers.  It also imports the image the audit's containers use.
bash commands/check_docker.sh "$OUT" >"$tmp/docker.jsonl"
item() { jq -c --arg i "$1" 'select(.item == $i)' "$tmp/docker.jsonl"; }
check "check: the daemon reports a seccomp profile" jq_true 'select(.result == "pass")' <(item docker.seccomp_profile)
check "check: a default container runs under a filter (Seccomp 2)" jq_true 'select(.result == "pass")' <(item docker.container.default)
check "check: an unconfined container has none (Seccomp 0)" jq_true 'select(.result == "pass")' <(item docker.container.unconfined)
for p in unshare mount keyctl; do
	check "check: the default profile blocks $p (EPERM, and the profile's default action decides)" \
		jq_true 'select(.result == "pass" and .value == "blocked (EPERM)")' <(item "docker.default.$p")
	check "check: seccomp=unconfined does not block $p" \
		jq_true 'select(.result == "pass" and (.value | startswith("not blocked by seccomp")))' <(item "docker.unconfined.$p")
done
image=$(item docker.image | jq -r .value)
[ -n "$image" ] && docker image inspect "$image" >/dev/null 2>&1 || { echo "not ok - the probes' image was not imported"; exit 1; }

# A mixed set: three containers the CIS rule flags, four it does not.
started=1
create() { # name extra-label docker-create-options...
	local name="$RUN-$1" extra=$2
	shift 2
	docker create --label "$LABEL" ${extra:+--label "$extra"} --network none --name "$name" "$@" "$image" /check --sleep 300 >/dev/null
}
CLEAN="seccomp-suite-check-audit-clean=$RUN"
create default "$CLEAN"
create custom-profile "$CLEAN" --security-opt "seccomp=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json"
create no-new-privileges "$CLEAN" --security-opt no-new-privileges
create unconfined-eq "" --security-opt seccomp=unconfined
create unconfined-colon "" --security-opt seccomp:unconfined
create privileged "" --privileged
# Running: an unconfined one.  (A --privileged container may not start in
# a sandbox whose own capability bounding set is limited; created, it is
# audited all the same.)
docker start "$RUN-unconfined-eq" >/dev/null
docker run --label "$LABEL" --label "$CLEAN" --network none --name "$RUN-exited" "$image" /check --sleep 0 >/dev/null
check "seven containers created (one running, one exited)" \
	[ "$(docker ps -aq --filter "label=$LABEL" | wc -l)" -eq 7 -a "$(docker ps -q --filter "label=$LABEL" | wc -l)" -eq 1 ]

./run.sh audit --json --filter "label=$LABEL" >"$tmp/audit.jsonl"
rc=$?
check "audit exits 1 when a container is flagged (exit $rc)" [ "$rc" -eq 1 ]
check "audit lists all seven, running and stopped" [ "$(wc -l <"$tmp/audit.jsonl")" -eq 7 ]
flagged=$(jq -r 'select(.flagged) | .name' "$tmp/audit.jsonl" | sort | tr '\n' ' ')
want=$(printf '%s\n' "$RUN-privileged" "$RUN-unconfined-colon" "$RUN-unconfined-eq" | sort | tr '\n' ' ')
check "audit flags exactly seccomp=unconfined, seccomp:unconfined and --privileged ($flagged)" [ "$flagged" = "$want" ]
check "audit: each line has id, name, SecurityOpt, privileged and the reason" \
	jq_true -s 'all(.[]; has("id") and has("name") and has("security_opt") and has("privileged") and has("reasons"))
		and any(.[]; (.name | endswith("-privileged")) and .privileged == true)
		and any(.[]; (.name | endswith("-unconfined-eq")) and .state == "running")
		and any(.[]; (.name | endswith("-unconfined-colon")) and .security_opt == ["seccomp:unconfined"])' "$tmp/audit.jsonl"
./run.sh audit --filter "label=$LABEL" >"$tmp/audit.txt"
check "audit table: three FLAGGED rows and the count" \
	test "$(tail -n +2 "$tmp/audit.txt" | grep -c ' FLAGGED ')" -eq 3 -a "$(grep -c '^7 container(s), 3 flagged' "$tmp/audit.txt")" -eq 1
./run.sh audit --json --filter "label=$CLEAN" >"$tmp/clean.jsonl"
rc=$?
check "audit of the four unflagged containers exits 0" [ "$rc" -eq 0 -a "$(wc -l <"$tmp/clean.jsonl")" -eq 4 ]
tap_done
