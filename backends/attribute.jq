# The verdict of each probe under a container runtime, from three runs of
# the probes in plain mode inside the runtime (backends/backend.sh):
#   $run        under the profile
#   $sentinel   under a copy of it whose every ERRNO action returns the
#               sentinel errno ($sentinel_errno, lib/policy.h): the OCI copy for runc and crun also
#               sets defaultErrnoRet, and so does Podman's Docker-format
#               copy; docker's turns an ERRNO default into SCMP_ACT_TRAP
#               instead ($sentinel_traps), as dockerd 20.10 ignores
#               defaultErrnoRet
#   $baseline   under the same runtime and capabilities, seccomp unconfined
# Each is an array of probe lines.  A returned call is the filter's when the
# sentinel copy turns its errno into the sentinel (the profile's own ERRNO), or when
# the sentinel copy leaves it unchanged but the unconfined baseline differs
# (an errno the runtime's filter code adds, such as runc's ENOSYS stub); it
# is the kernel's when all three agree.
def key: .probe // .syscall;
def index_by_probe: map({key: key, value: .}) | from_entries;
def outcome: if .ret == null then null elif .ret == -1 then "errno \(.errno)" else "ok" end;
def returned: .verdict == null and .ret != null;

# A runtime may not apply the sentinel copy at all (Podman 4.3.1 replaces
# a profile's defaultErrnoRet with ENOSYS, so unnamed calls never return
# the sentinel; cases/backend-differences.md).  The
# evidence: a call failed under the profile but not (or not so) under the
# runtime unconfined, yet no probe of the sentinel run met the sentinel
# errno or SIGSYS.  Then no failed call can be attributed through it.
($baseline | index_by_probe) as $u0
| ([$run[] | select(returned and .ret == -1) | key as $k | select(($u0[$k] | outcome) != outcome)] | length > 0) as $filter_acted
| ($sentinel | any(.errno == $sentinel_errno or .verdict == "killed" or .verdict == "trapped")) as $sentinel_met
| (($filter_acted and ($sentinel_met | not)) | not) as $sentinel_applied
| ($sentinel | index_by_probe) as $s
| ($baseline | index_by_probe) as $u
| $run[]
| key as $k
| $s[$k] as $S
| $u[$k] as $U
| . + {probe: $k}
| if .started == false then
	. + {verdict: "error", by: null}
  elif .verdict == "absent" then
	. + {by: "kernel", proof: "no such syscall on this ABI"}
  elif .verdict == "killed" or .verdict == "trapped" then
	. + {by: "filter", proof: "the probe saw SIGSYS at its call inside the runtime"}
  elif .verdict == "error" then
	.
  elif returned | not then
	. + {verdict: "error", by: null, reason: "the probe line has neither a verdict nor a result"}
  elif $profile_unconfined then
	. + {verdict: "allowed", by: "kernel", proof: "no filter loaded (seccomp=unconfined)"}
  elif .ret == -1 and ($S.verdict == "killed" or $S.verdict == "trapped") and $sentinel_traps then
	. + {verdict: "errno", by: "filter",
	     proof: "in the sentinel copy, whose ERRNO default is SCMP_ACT_TRAP, the call met SIGSYS: the default action denied it"}
  elif .ret == -1 and ($sentinel_applied | not) then
	. + {verdict: "error", by: null,
	     reason: "the runtime did not apply the sentinel copy of the profile (no probe met errno \($sentinel_errno) or SIGSYS under it): cannot tell filter from kernel"}
  elif $S == null or ($S | returned | not) then
	. + {verdict: "error", by: null,
	     reason: "the sentinel run gave no result to compare (\($S.verdict // "missing") \($S.reason // "")): cannot tell filter from kernel"}
  elif $S.ret == -1 and $S.errno == $sentinel_errno then
	. + {verdict: "errno", by: "filter", proof: "sentinel rerun returned the sentinel errno"}
  elif ($S | outcome) != outcome then
	. + {verdict: "error", by: null,
	     reason: "the sentinel run returned \($S | outcome), the profile run \(outcome): cannot attribute"}
  elif $U != null and ($U | returned) and ($U | outcome) == outcome then
	. + {verdict: "allowed", by: "kernel",
	     proof: "same result under the sentinel copy and under the runtime unconfined"}
  elif .ret == -1 then
	. + {verdict: "errno", by: "filter", runtime_errno: true,
	     proof: "unconfined the runtime gives \($U | outcome // "no result"); the sentinel copy keeps \(.errno_name): the runtime's own filter code returned it, not the profile's ERRNO actions"}
  else
	. + {verdict: "error", by: null,
	     reason: "succeeded under the profile but not under the runtime unconfined (\($U | outcome // "no result")): cannot attribute"}
  end
