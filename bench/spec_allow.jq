# ./run.sh bench --spec-allow-guest: the boots' spec-ctrl lines (one array
# per boot: {boot, where, cpu_model, append, lines}) into one JSON report with
# the kernel's documented rule checked against what each boot read.
#   jq -s -L bench -f bench/spec_allow.jq boot1.json boot2.json ...
#
# The rule (arch/x86/kernel/cpu/bugs.c, arch_seccomp_spec_mitigate):
# loading a filter without SECCOMP_FILTER_FLAG_SPEC_ALLOW forces
# PR_SPEC_FORCE_DISABLE on the task
# - for store bypass when the kernel's mode is seccomp, which
#   /sys/devices/system/cpu/vulnerabilities/spec_store_bypass reports as
#   "Mitigation: Speculative Store Bypass disabled via prctl and seccomp"
#   (the default before 5.16, spec_store_bypass_disable=seccomp since; the
#   kernel selects no mode at all on a CPU without SSBD);
# - for indirect branch when spectre_v2_user is seccomp (the default before
#   5.16, an option since) and the CPU offers STIBP or IBPB, which
#   .../spectre_v2 reports as "STIBP: conditional" or "IBPB: conditional".
# With SPEC_ALLOW the task keeps what it had unfiltered.
include "defs";

def forced: . != null and . > 0 and ((. / 8 | floor) % 2) == 1;
def v2_user_seccomp(m):
	(m.cmdline | map(select(startswith("spectre_v2_user="))) | last) as $opt
	| if $opt != null then $opt == "spectre_v2_user=seccomp" or ($opt == "spectre_v2_user=auto"
		and ((m.release | kernel_mm) as $k | $k[0] < 5 or ($k[0] == 5 and $k[1] < 16)))
	  else (m.release | kernel_mm) as $k | $k[0] < 5 or ($k[0] == 5 and $k[1] < 16) end;

map(. as $b
	| ([.lines[] | select(.kind == "machine")] | first) as $m
	| (reduce (.lines[] | select(.kind == "case")) as $c ({}; .[$c.case] = $c)) as $cs
	| ($m != null and ([.lines[] | select(.kind == "done")] | length) == 1) as $complete
	| (if $m == null then null else {
		ssb: ($m.spec_store_bypass | test("via prctl and seccomp")),
		ib: (v2_user_seccomp($m) and ($m.spectre_v2 | test("(STIBP|IBPB): conditional")))
	  } end) as $expect
	| def control(k; e):
		{ unfiltered: $cs.unfiltered[k], filter: $cs.filter[k], filter_spec_allow: $cs["filter+spec_allow"][k],
		  expected_forced: e }
		| . + { agrees: (if e then (.filter | forced) and .filter_spec_allow == .unfiltered
				 else .filter == .unfiltered and .filter_spec_allow == .unfiltered end) };
	{ boot: $b.boot, where: $b.where, cpu_model: $b.cpu_model, append: $b.append, complete: $complete,
	  machine: $m,
	  errors: [$cs[] | select(.error) | "\(.case): \(.error)"],
	  store_bypass: (if $m == null then null else control("spec_ctrl"; $expect.ssb) end),
	  indirect_branch: (if $m == null then null else control("spec_ctrl_indirect_branch"; $expect.ib) end) }
	| . + { verdict: (if .complete | not then "the boot left no complete report (its console is beside this file)"
		else .store_bypass as $s | .indirect_branch as $i
		| (if ($s.filter | forced) and ($s.filter_spec_allow | forced | not) then
			"the mechanism: loading a filter forced the store-bypass mitigation on the task (\($s.unfiltered) -> \($s.filter)); with SPEC_ALLOW it kept \($s.filter_spec_allow)"
		   else "store bypass unchanged (\([$s.unfiltered, $s.filter, $s.filter_spec_allow] | unique | map(tostring) | join(", "))), as the kernel's mode says (\(.machine.spec_store_bypass))" end)
		+ "; " + (if ($i.filter | forced) and ($i.filter_spec_allow | forced | not) then
			"indirect branch forced too (\($i.unfiltered) -> \($i.filter)), not with SPEC_ALLOW"
		   else "indirect branch unchanged (\([$i.unfiltered, $i.filter, $i.filter_spec_allow] | unique | map(tostring) | join(", ")))"
			+ (if (.machine.cpu_flags | index("stibp") or index("ibpb") or index("amd_stibp") or index("amd_ibpb")) then ""
			   else ": the CPU offers neither STIBP nor IBPB, so the kernel selects no user-space mitigation for seccomp to force" end) end)
		+ (if $s.agrees and $i.agrees then "; as the kernel's rule says" else "; NOT what the kernel's rule says" end) end) })
