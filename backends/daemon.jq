# The verdict of each probe under a daemon's own default profile
# (--profile daemon, backends/backend.sh daemon_run), proven from the filter
# the container really has, since no sentinel copy of a built-in profile
# can be made.  Inputs (each an array of JSON lines):
#   $run       the probes (probe-run, plain mode) exec'd in the container
#   $baseline  the same probes in a container with seccomp=unconfined
#   $filter    the static surface of the filter read back from the
#              container's process (scsurface --pid): one line per (abi, nr)
#              with the action, and per argument path its tests
#   $args      each probe's six arguments as the kernel sees them
#              (probe-run --args)
#   $source    how the filter was read, for the proof text
# The filter's answer for the probe's (abi, nr, arguments) must be what the
# call got: ERRNO(e) and the call returned e (errno by the filter); ALLOW or
# LOG and the call got what it gets unconfined (allowed, the kernel's);
# KILL and a SIGSYS death; TRAP and SIGSYS.  Anything else is `error`.

# jq 1.6 has no bitwise operators: the 32-bit AND, bit by bit.
def band($a; $b):
	reduce range(0; 32) as $i ({r: 0, a: $a, b: $b, p: 1};
		.r += (if (.a % 2) == 1 and (.b % 2) == 1 then .p else 0 end)
		| .a = ((.a - .a % 2) / 2) | .b = ((.b - .b % 2) / 2) | .p *= 2)
	| .r;
def hexval: ascii_downcase | explode
	| reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
# "0x..." (up to 64 bits) as its low and high 32-bit words, exactly.
def halves: ltrimstr("0x") | ("0000000000000000" + .) | .[-16:]
	| {hi: (.[:8] | hexval), lo: (.[8:] | hexval)};
# A test ["arg0.lo", "==", mask, k] (lib/surface_io.c) on the arguments.
def holds($args):
	. as [$word, $op, $mask, $k]
	| (first($word | capture("^arg(?<i>[0-5])\\.(?<h>lo|hi)$")) // null) as $w
	| if $w == null then null
	  else (($args[$w.i | tonumber] | halves) | if $w.h == "lo" then .lo else .hi end) as $v
	  | band($v; $mask) as $a
	  | if $op == "==" then $a == $k elif $op == "!=" then $a != $k
	    elif $op == ">" then $a > $k elif $op == "<=" then $a <= $k
	    elif $op == ">=" then $a >= $k elif $op == "<" then $a < $k
	    elif $op == "&" then band($a; $k) != 0 elif $op == "!&" then band($a; $k) == 0
	    else null end
	  end;
def key: .probe // .syscall;
def outcome: if .ret == null then null elif .ret == -1 then "errno \(.errno_name // .errno)" else "ok" end;
def returned: .verdict == null and .ret != null;
def action_text: if .action == "errno" then "SCMP_ACT_ERRNO(\(.errno_name // .errno))" else "SCMP_ACT_\(.action | ascii_upcase)" end;

($filter | map({key: "\(.abi) \(.nr)", value: .}) | from_entries) as $F
| ($baseline | map({key: key, value: .}) | from_entries) as $U
| ($args | map({key: key, value: .args}) | from_entries) as $A
| $run[]
| key as $k
| $U[$k] as $u
| . + {probe: $k}
# The filter's answer for this call: {action, errno, errno_name, when} or
# {why} when it cannot be told.
| (if .nr == null then null
   else $F["\(.abi) \(.nr)"] as $f
   | if $f == null then {why: "the filter's surface has no line for \(.abi) nr \(.nr)"}
     elif ($f.conditions | map([.action, .errno]) | unique | length) <= 1 then
	($f | {action, errno, errno_name, when: null})
     elif $A[$k] == null then {why: "the filter's answer for nr \(.nr) depends on the arguments, and the probe's arguments are unknown (probe-run --args gave none)"}
     else [$f.conditions[] | . as $c | ([$c.tests[] | holds($A[$k])]) as $h
	   | if ($h | index(null)) != null then {why: "a test of the filter is on a word the probe's arguments do not give (\($c.when))"}
	     elif ($h | all) then ($c | {action, errno, errno_name, when}) else empty end]
	  | if length == 1 then .[0]
	    else {why: "\(length) argument paths of the filter match the probe's arguments \($A[$k] | join(" ")): expected exactly one"} end
     end
   end) as $ans
| ($ans | if . == null or .why != null then "" else
	"the filter \($source) returns \(action_text) for this call\(if .when then " (its arguments: \(.when))" else "" end)" end) as $says
| if .started == false or .verdict == "error" then
	. + {verdict: "error", by: null}
  elif .verdict == "absent" then
	. + {by: "kernel", proof: "no such syscall on this ABI"}
  elif $ans.why != null then
	. + {verdict: "error", by: null, reason: "cannot prove who decided: \($ans.why)"}
  elif .verdict == "killed" or .verdict == "trapped" then
	if ($ans.action | startswith("kill")) and .verdict == "killed" or $ans.action == "trap" and .verdict == "trapped"
	then . + {by: "filter", proof: "\($says); the probe saw SIGSYS at its call"}
	else . + {verdict: "error", by: null, reason: "the call met SIGSYS (\(.verdict)) but \($says)"} end
  elif returned | not then
	. + {verdict: "error", by: null, reason: "the probe line has neither a verdict nor a result"}
  elif $ans.action == "errno" then
	if .ret == -1 and .errno == $ans.errno
	then . + {verdict: "errno", by: "filter",
		proof: "\($says); the call returned \(.errno_name // .errno); under seccomp=unconfined it gets \($u | outcome // "no result")"}
	else . + {verdict: "error", by: null, reason: "\($says), but the call got \(outcome): not the filter's answer"} end
  elif $ans.action == "allow" or $ans.action == "log" then
	if $u != null and ($u | returned) and ($u | outcome) == outcome
	then . + {verdict: "allowed", by: "kernel",
		proof: "\($says); the same result (\(outcome)) under seccomp=unconfined"}
	else . + {verdict: "error", by: null,
		reason: "\($says), yet the call got \(outcome) here and \($u | outcome // "no result") under seccomp=unconfined: cannot attribute"} end
  else
	. + {verdict: "error", by: null, reason: "\($says): the suite runs no tracer or supervisor for it here, so the result is not judged"}
  end
