# ./run.sh diff: the probes whose verdicts differ between backends, each with
# the known class of the difference.  Input: the results lines of every
# backend (slurped); $backends: the backends in order; $profile_doc: the
# profile file as read (null for unconfined).
#
# A verdict here is "allowed", "errno ENAME", "killed", "trapped", "absent"
# or "error": an allowed call's errno is the kernel's own, and differs with
# the namespaces a runtime gives its container, so it is not compared.
#
# Classes, each from the runtime's own code (README, Backends):
#   not-started   the runtime could not start the probe program: the profile
#                 denies a call the runtime (or execve) needs.  The native
#                 loader installs the filter after exec, right before the call.
#   enosys-stub   runc (and Docker, which runs runc) prepends a stub that
#                 returns ENOSYS for syscall numbers above the highest one the
#                 profile names, unless the default action allows or the
#                 defaultErrnoRet is ENOSYS (runc libcontainer/seccomp/patchbpf).
#   capabilities  the syscall's rule has includes/excludes caps: the
#                 runtime resolved it against its own capability set.
#   default-errno the profile sets defaultErrnoRet, and Docker returns EPERM:
#                 dockerd 20.10 has no defaultErrnoRet (moby
#                 profiles/seccomp/seccomp.go) and drops it silently.
#   errno-value   both backends say the filter returned an errno, not the same
#                 one, for no reason above.
#   daemon-default  --profile daemon: each daemon ran its own built-in
#                 default, and the filters read back from their containers
#                 answer this call differently (backends/daemon.jq).
#   unexplained   none of the above: a finding to look at.
def key: .probe // .syscall;
def verdict_word:
	if .verdict == "errno" then "errno \(.errno_name // .errno)"
	elif .verdict == "error" and .started == false then "not-started"
	else .verdict end;
def cap_rule_names:
	[($profile_doc // {}).syscalls // [] | .[]
	 | select(((.includes.caps // []) | length) > 0 or ((.excludes.caps // []) | length) > 0)
	 | (.names // []) + (if .name then [.name] else [] end) | .[]] | unique;
def classify($rows; $caprules):
	[$rows[] as $r
	 | if $r.started == false then "not-started"
	   elif $r.verdict == "errno" and $r.runtime_errno == true and $r.errno_name == "ENOSYS" then "enosys-stub"
	   else empty end] as $stub
	| if $rows[0].profile == "daemon" then
		# Each verdict was proven from its daemon's own filter.
		(($stub | map(select(. == "not-started"))) + ["daemon-default"]) | unique
	  else
	$stub
	# The stub's ENOSYS against the others' errno is the stub's difference,
	# not a second one.
	+ (if ($stub | index("enosys-stub")) == null
	      and ($rows | map(select(.verdict == "errno" and .by == "filter") | .errno_name) | unique | length) > 1
	   then (if ($profile_doc.defaultErrnoRet // null) != null
	            and ($rows | any(.backend == "docker" and .errno_name == "EPERM"))
	         then ["default-errno"] else ["errno-value"] end)
	   else [] end)
	+ (if ($caprules | index($rows[0].syscall)) != null then ["capabilities"] else [] end)
	| unique
	| if length == 0 then ["unexplained"] else . end
	  end;

(cap_rule_names) as $caprules
| ($backends | split(" ")) as $bs
| group_by(key)
| map(. as $rows
	| ($rows | map({key: .backend, value: verdict_word}) | from_entries) as $v
	| select(($v | [.[]] | unique | length) > 1)
	| {probe: ($rows[0] | key), syscall: $rows[0].syscall, profile: $rows[0].profile,
	   caps: $rows[0].caps, verdicts: $v, classes: classify($rows; $caprules),
	   reasons: ($rows | map(select(.verdict == "error") | {key: .backend, value: .reason}) | from_entries)})
| .[]
