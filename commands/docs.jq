# ./run.sh docs: Docker's documented blocklist against what a profile does.
# Definitions for commands/docs.sh (jq -L commands 'include "docs"; ...').
#
# A row is one syscall of docs/docker-blocklist.tsv.  Its class:
#   denied       every probe of the syscall is denied by the filter
#   conditional  some probe is allowed, by a rule with a condition (argument
#                values, capabilities, a minimum kernel), as in Docker's own
#                profiles
#   allowed      allowed by a rule with no condition, as Docker's own
#                profiles allow it: Docker changed the profile after (or
#                despite) the table
#   versions     Docker's profile versions (20.10.24, v0.2.3) give this
#                syscall different verdicts here
#   absent       the ABI has no such syscall
#   no-probe     the suite has no probe for it: not observed (a finding)
#   finding      none of the above: allowed where neither Docker profile
#                allows it, or the probe and the profile's rule disagree

# Go's encoding/json matches keys case-insensitively: read every key folded.
def fold_keys: walk(if type == "object" then with_entries(.key |= ascii_downcase) else . end);

def rules_of($doc):
	if $doc == null then []
	else ($doc | fold_keys | (.linux.seccomp // .) | .syscalls // [])
	     | to_entries | map(.value + {index: .key}) end;

def names_of: (.names // []) + (if (.name | type) == "string" then [.name] else [] end);

def member($x): any(.[]; . == $x);

def applies_on($arch):
	(((.includes.arches // []) | length) == 0 or ((.includes.arches // []) | member($arch)))
	and (((.excludes.arches // []) | member($arch)) | not);

def allowing: .action == "SCMP_ACT_ALLOW" or .action == "SCMP_ACT_LOG";

def hex:
	if . == 0 then "0x0"
	else [recurse(if . >= 16 then (. / 16 | floor) else empty end) | . % 16]
	     | reverse | map("0123456789abcdef"[.:. + 1]) | "0x" + join("") end;

# The set bit positions of a number (exact up to 2^53).
def bits: . as $n | [range(0; 53) as $i | select((($n / pow(2; $i)) | floor) % 2 == 1) | $i];

def kver: split(".") | map(tonumber? // 0);

# The flags a mask on clone's or unshare's flags argument tests, when every
# bit of it is a namespace flag (CLONE_NEW*, from <linux/sched.h>).
def ns_flags($sys; $ns):
	if ($sys == "clone" or $sys == "unshare") and ($ns | length) > 0 then
		(.value | bits) as $mb
		| [$ns | to_entries[] | select((.value | bits) as $fb | $mb | member($fb[0]))] as $hit
		| if ($hit | length) > 0 and ($mb | length) == ($hit | length) then $hit | map(.key) else null end
	else null end;

def op_word:
	{SCMP_CMP_EQ: "==", SCMP_CMP_NE: "!=", SCMP_CMP_LT: "<", SCMP_CMP_LE: "<=",
	 SCMP_CMP_GT: ">", SCMP_CMP_GE: ">="}[.];

def arg_words($sys; $ns):
	"arg\(.index)" as $a
	| if .op == "SCMP_CMP_MASKED_EQ" then
		(ns_flags($sys; $ns)) as $f
		| if $f != null and (.valuetwo // 0) == 0
		  then "when \($a) has no namespace flag (\($a) & \(.value | hex) == 0)"
		  else "when \($a) & \(.value | hex) == \(.valuetwo // 0 | hex)" end
	  elif (.op | op_word) != null then "when \($a) \(.op | op_word) \(.value | hex)"
	  else "when \($a) \(.op) \(.value | hex)" end;

# One allowing rule as a list of conditions (words).
def rule_conditions($sys; $ns):
	[(.args // [])[] | arg_words($sys; $ns)]
	+ [(.includes.caps // [])[] | "with \(.)"]
	+ [(.excludes.caps // [])[] | "without \(.)"]
	+ (if (.includes.minkernel // "") != "" then ["from kernel \(.includes.minkernel)"] else [] end);

# The conditions under which a profile (its rules_of) allows $sys on $arch: one alternative per
# allowing rule, alternatives that differ only in one argument's == value
# merged ("arg0 is 0x0/0x8"), and "without X" dropped where another
# alternative is "with X" alone ((A and not X) or X is A or X).
def allow_condition($rules; $sys; $arch; $ns):
	[$rules[] | select((names_of | member($sys)) and applies_on($arch) and allowing)] as $rules
	| [$rules[] | {rule: "syscalls[\(.index)]", index, indices: [.index],
		       eq: (if ((.args // []) | length) == 1 and .args[0].op == "SCMP_CMP_EQ" then .args[0] else null end),
		       conds: rule_conditions($sys; $ns),
		       others: ([(.includes.caps // [])[] | "with \(.)"] + [(.excludes.caps // [])[] | "without \(.)"]
				+ (if (.includes.minkernel // "") != "" then ["from kernel \(.includes.minkernel)"] else [] end)),
		       caps: ((.includes.caps // []) + (.excludes.caps // [])),
		       minkernel: (.includes.minkernel // null),
		       has_args: (((.args // []) | length) > 0)}] as $alts
	| ($alts | map(select(.eq == null))
	   + ($alts | map(select(.eq != null)) | group_by([.eq.index, .others])
	      | map(.[0] + {rule: (map(.rule) | join(",")), indices: map(.index),
			    conds: (["when arg\(.[0].eq.index) is \(map(.eq.value | hex) | join("/"))"] + .[0].others)}))) as $merged
	| [$merged[] | select((.conds | length) == 1 and (.conds[0] | startswith("with "))) | .conds[0] | ltrimstr("with ")] as $alone
	| ($merged
	   | map(.conds |= map(select(. as $c | ($c | startswith("without ")) and ($alone | member($c | ltrimstr("without "))) | not)))
	   | sort_by(.index)) as $final
	| {alternatives: $final | map({rule, indices, conditions: .conds}),
	   unconditional: ($final | any(.conds | length == 0)),
	   caps: ($final | map(.caps[]) | unique),
	   minkernels: ($final | map(.minkernel // empty) | unique),
	   has_args: ($final | any(.has_args)),
	   text: (if ($final | length) == 0 then null
		  elif ($final | any(.conds | length == 0)) then "always"
		  else $final | map(.conds | join(", ")) | join("; or ") end)};

def denied_verdict: . as $v | ["errno", "killed", "trapped", "notified", "traced"] | member($v);

def rule_name:
	if . == null then null
	elif .decided_by == "rule" then .rule.path
	elif .decided_by == "default" then "default"
	elif .decided_by == "unconfined" then "no filter"
	else .decided_by end;

def seen: "\(.verdict)\(if .errno_name then " " + .errno_name else "" end)";

# A paragraph wrapped at $w columns, continuation lines indented by $ind.
def wrap($w; $ind):
	(capture("^(?<lead> *)").lead) as $lead
	| reduce (split(" ")[] | select(. != "")) as $word ({lines: [], cur: $lead};
		(if (.lines | length) == 0 then 0 else ($ind | length) end) as $pad
		| if .cur == $lead and (.lines | length) == 0 then .cur += $word
		  elif (.cur | length) + 1 + ($word | length) + $pad <= $w then .cur += " " + $word
		  else .lines += [.cur] | .cur = $word end)
	| (.lines + [.cur]) | to_entries | map(if .key == 0 then .value else $ind + .value end) | join("\n");

def cut($w): if length <= $w then . else .[:$w - 3] + "..." end;

# A documented reason, short: its first sentence, cut at a word to $w columns.
def short($w):
	split(". ")[0] | rtrimstr(".")
	| if length <= $w then .
	  else .[:$w - 3] | sub(" [^ ]*$"; "") + "..." end;

# The rows, from $in: meta (the context), docs ({P, R1, ...}: the profiles as
# read), blocklist [{syscall, reason}], probes [{syscall, probe}], obs (the
# probes' results lines; reruns carry .rerun), expl (scexplain's answers,
# with key and probe), args [{probe, args}], ns (CLONE_NEW* flags).
def build_rows($in):
	$in.meta as $meta | $in.docs as $docs | $in.blocklist as $blocklist | $in.probes as $probes
	| $in.obs as $obs | $in.expl as $expl | $in.args as $args | $in.ns as $ns
	| ($docs | map_values(rules_of(.))) as $rules
	| $meta.daemon_arch as $arch
	| ($meta.refs | map(.key)) as $refkeys
	| $blocklist[] as $r
	| $r.syscall as $sys
	| [$probes[] | select(.syscall == $sys) | .probe] as $names
	| [$names[] as $n
	   | ($obs | map(select((.probe // .syscall) == $n and (.rerun // null) == null)) | .[0]) as $o
	   | ($expl | map(select(.probe == $n)) | map({key: .key, value: .}) | from_entries) as $e
	   | ($args | map(select(.probe == $n)) | .[0].args) as $a
	   | {probe: $n, args: $a, verdict: ($o.verdict // "error"), errno_name: ($o.errno_name // null),
	      by: ($o.by // null), reason: ($o.reason // null),
	      rule: ($e.P | rule_name), rule_index: ($e.P.rule.index // null),
	      explained_verdict: ($e.P.verdict // null),
	      versions: [$meta.refs[] as $ref | {profile: $ref.label, verdict: ($e[$ref.key].verdict // null),
						  rule: ($e[$ref.key] | rule_name)}]}] as $ps
	| [$obs[] | select(.rerun != null and .syscall == $sys)
	   | {probe: (.probe // .syscall), caps: .rerun.label, verdict, errno_name}] as $reruns
	| allow_condition($rules.P; $sys; $arch; $ns) as $cond
	| [$meta.refs[] as $ref | {profile: $ref.label,
	   condition: allow_condition($rules[$ref.key]; $sys; $arch; $ns).text}] as $refconds
	| ($ps | map(select(.probe == $sys)) | .[0] // $ps[0]) as $base
	| ($ps | map(select(.verdict == "allowed"))) as $allowed
	| ($ps | map(select(.verdict | denied_verdict))) as $denied
	| ($ps | any(.versions | map(.verdict) | unique | length > 1)) as $versions_differ
	| [$ps[] | select(.explained_verdict != null and .verdict != .explained_verdict
			  and (.args != null or ($cond.has_args | not)))] as $disagree
	| ($allowed | map(select(.versions | all(.verdict != "allowed")))) as $unsanctioned
	| [$r.reason | scan("CAP_[A-Z_]+")] as $doc_caps
	| (if ($names | length) == 0 then
		{class: "no-probe", explained: false,
		 why: "the suite has no probe for \($sys): its verdict is not observed"}
	   elif $base.verdict == "absent" then
		{class: "absent", explained: true, why: "\($meta.abi) has no \($sys) syscall: no program can call it here"}
	   elif ($ps | any(.verdict == "error")) then
		{class: "finding", explained: false,
		 why: "the probe could not decide: \($ps | map(select(.verdict == "error") | "\(.probe): \(.reason // "error")") | join("; "))"}
	   elif ($disagree | length) > 0 then
		{class: "finding", explained: false,
		 why: ($disagree | map("\(.probe) observed \(.verdict) but the profile's \(.rule) gives \(.explained_verdict)") | join("; "))}
	   elif ($unsanctioned | length) > 0 then
		{class: "finding", explained: false,
		 why: ("\($unsanctioned | map(.probe) | join(", ")) allowed by \($unsanctioned | map(.rule) | unique | join(", "))"
		       + (if $cond.unconditional then " with no condition"
			  elif $cond.text != null then " (allowed \($cond.text))" else "" end)
		       + "; neither Docker profile allows it here ("
		       + ($unsanctioned[0].versions | map("\(.profile): \(.verdict) by \(.rule)") | join("; "))
		       + ") and the documentation says it is blocked")}
	   elif $versions_differ then
		{class: "versions", explained: true,
		 why: ("Docker's profile versions differ here: "
		       + ([$meta.refs[] as $ref | ($ps | map(.versions[] | select(.profile == $ref.label))) as $v
			   | "\($ref.label) \($v | map(.verdict) | unique | join("/")) by \($v | map(.rule) | unique | join(","))"
			     + ([$refconds[] | select(.profile == $ref.label and .condition != null) | " (allowed \(.condition))"] | join(""))]
			  | join("; ")))}
	   elif ($allowed | length) == 0 then
		{class: "denied", explained: true,
		 why: ("denied by \($ps | map(.rule) | unique | join(", "))"
		       + (if $cond.text != null then "; the profile allows it \($cond.text)" else "" end))}
	   elif ($denied | length) > 0
		or ($allowed | any(.rule_index as $i | $cond.alternatives | any((.indices | member($i)) and (.conditions | length) > 0))) then
		{class: "conditional", explained: true,
		 why: "allowed \($cond.text // "?")"}
	   else
		{class: "allowed", explained: true,
		 why: ("allowed \($allowed | map(.rule) | unique | map(if . == "default" then "by the profile's default action"
			elif . == "no filter" then "with no filter" else "by \(.) with no condition" end) | join(", "))"
		       + ", as Docker's own profiles allow it ("
		       + ($allowed[0].versions | map("\(.profile): \(.rule)") | join(", "))
		       + "), although the documentation lists it"
		       + ([$doc_caps[] | select(. as $c | $meta.caps_list | member($c) | not)] | unique
			  | if length > 0 then "; the kernel still requires \(join(", ")) (the documentation says so), which the capability set lacks" else "" end))}
	   end) as $class
	| {syscall: $sys, documented_reason: $r.reason,
	   abi: $meta.abi, kernel: $meta.kernel, profile: $meta.profile, caps: $meta.caps,
	   verdict: $base.verdict, errno_name: $base.errno_name, by: $base.by, rule: $base.rule}
	  + $class
	  + {condition: $cond.text,
	     condition_rules: ($cond.alternatives | map(.rule)),
	     versions: $refconds,
	     probes: $ps}
	  + (if $class.class == "conditional" then
		([$ps[] | {probe, caps: "", verdict, errno_name}] + $reruns) as $all
		| {sides: {allowed: [$all[] | select(.verdict == "allowed") | .probe + (if .caps != "" then " " + .caps else "" end)],
			   denied: [$all[] | select(.verdict | denied_verdict) | .probe + (if .caps != "" then " " + .caps else "" end)],
			   missing: ((if ($all | any(.verdict | denied_verdict)) then []
				     else [([($cond.minkernels[] | select(($meta.kernel | kver) >= (. | kver)) | "a kernel before \(.)"),
					     (if $cond.has_args then "a probe variant with other arguments" else empty end)]
					    | if length == 0 then "denied: no probe shows it here"
					      else "denied: needs \(join(" and ")) (this host runs \($meta.kernel))" end)] end)
				    + (if ($all | any(.verdict == "allowed")) then [] else ["allowed: no probe shows it here"] end))}}
	    else {} end);
