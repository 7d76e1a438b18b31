# Shared by the bench's jq programs (jq -L bench, include "defs";): number
# formats, padding, and the readings every report states the same way.
def r1: if . == null then "-" else (. * 10 | round / 10 | tostring) end;
def r2: if . == null then "-" else (. * 100 | round / 100 | tostring) end;
def pad(n): tostring | if length >= n then . else . + " " * (n - length) end;
def lpad(n): tostring | if length >= n then . else " " * (n - length) + . end;

# PR_GET_SPECULATION_CTRL (PR_SPEC_STORE_BYPASS or PR_SPEC_INDIRECT_BRANCH:
# the same bits) as the kernel documents them (Documentation/userspace-api/spec_ctrl.rst).
def spec_ctrl_text:
	if . == null then "not read"
	elif . == -1 then "unknown (the filter denies prctl)"
	elif . == -2 then "not read (the filter would kill or trap prctl)"
	elif . == 0 then "0: not affected"
	else "\(.): " + ([
		(if . % 2 >= 1 then "per-task control (PR_SPEC_PRCTL)" else empty end),
		(if (. / 2 | floor) % 2 == 1 then "speculation enabled, no mitigation (PR_SPEC_ENABLE)" else empty end),
		(if (. / 4 | floor) % 2 == 1 then "mitigation on (PR_SPEC_DISABLE)" else empty end),
		(if (. / 8 | floor) % 2 == 1 then "mitigation forced on (PR_SPEC_FORCE_DISABLE)" else empty end),
		(if (. / 16 | floor) % 2 == 1 then "mitigation on until execve (PR_SPEC_DISABLE_NOEXEC)" else empty end)
	] | join(", ")) end;

# Is the mitigation on (any of the DISABLE bits)?
def spec_mitigated: . != null and . > 0 and ((. / 4 | floor) % 8) != 0;

# "6.18.44-foo" -> [6, 18]
def kernel_mm: [capture("^(?<a>[0-9]+)\\.(?<b>[0-9]+)") | .a, .b | tonumber];

# The machine's 1-minute load average moved during the run: by at least 1,
# and by a quarter of where it started.
def load_moved(start; end_):
	start != null and end_ != null
	and ((end_ - start) | fabs) >= 1 and ((end_ - start) | fabs) >= 0.25 * start;

# A 95% interval [lo, hi] wider than the effect it brackets.
def noisy(effect; ci): effect != null and ci != null and ci[0] != null and ci[1] != null
	and (ci[1] - ci[0]) > (effect | fabs);

# Both controls of one child: {ssb, ib} -> "store bypass ...; indirect branch ...".
def spec_pair_text: "store bypass \(.ssb | spec_ctrl_text); indirect branch \(.ib | spec_ctrl_text)";

# What SPEC_ALLOW did, from PR_GET_SPECULATION_CTRL in the filtered child
# without it (off) and with it (on), each {ssb, ib} (PR_SPEC_STORE_BYPASS,
# PR_SPEC_INDIRECT_BRANCH), the timed difference, the kernel release and
# /sys/.../spec_store_bypass.  Before 5.16 the defaults
# spec_store_bypass_disable=seccomp and spectre_v2_user=seccomp made every
# filtered task mitigated unless SPEC_ALLOW, where the CPU needs it; since
# 5.16 the defaults are prctl and a filter changes nothing (the seccomp
# modes remain boot options).  The mechanism on a 6.1 guest booted with
# them: ./run.sh bench --spec-allow-guest.
def spec_allow_verdict(off; on; saving; kernel; ssb; call):
	(kernel | kernel_mm) as $kv
	| def mitigated: (.ssb | spec_mitigated) or (.ib | spec_mitigated);
	(if $kv[0] > 5 or ($kv[0] == 5 and $kv[1] >= 16) then
		"since Linux 5.16 the defaults spec_store_bypass_disable=prctl and spectre_v2_user=prctl no longer make seccomp force the mitigations, so it matters only on older kernels or with those options set to seccomp (./run.sh bench --spec-allow-guest shows the mechanism)"
	   else "this kernel predates 5.16, whose defaults (spec_store_bypass_disable=seccomp, spectre_v2_user=seccomp) mitigate every filtered task where the CPU needs it" end) as $rule
	| if off == null or on == null or off.ssb == null or on.ssb == null or off.ssb < 0 or on.ssb < 0 then
		"the mitigation state could not be read in the filtered child (\(off.ssb | spec_ctrl_text)) (spec_store_bypass: \(ssb // "unknown")); \($rule); the timed difference is \(saving | r1) ns per \(call)"
	  elif (off | mitigated) and ((on | mitigated) | not) then
		"seccomp forced speculation mitigations on the filtered task (\(off | spec_pair_text)); SPEC_ALLOW avoids them (\(on | spec_pair_text)): \(saving | r1) ns per \(call) here, and the mitigation slows the task's own code too"
	  elif off == on then
		"SPEC_ALLOW changes nothing on this kernel: the filtered child reads PR_GET_SPECULATION_CTRL \(off | spec_pair_text) with and without it (spec_store_bypass: \(ssb // "unknown"))"
		+ "; \($rule); the \(saving | r1) ns difference is noise"
	  else
		"PR_GET_SPECULATION_CTRL reads \(off | spec_pair_text) without SPEC_ALLOW and \(on | spec_pair_text) with it; \(saving | r1) ns per \(call)"
	  end;
