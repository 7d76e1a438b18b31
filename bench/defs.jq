# Shared by the bench's jq programs (jq -L bench, include "defs";): number
# formats, padding, and the readings every report states the same way.
def r1: if . == null then "-" else (. * 10 | round / 10 | tostring) end;
def r2: if . == null then "-" else (. * 100 | round / 100 | tostring) end;
def pad(n): tostring | if length >= n then . else . + " " * (n - length) end;
def lpad(n): tostring | if length >= n then . else " " * (n - length) + . end;

# PR_GET_SPECULATION_CTRL(PR_SPEC_STORE_BYPASS) as the kernel documents its
# bits (Documentation/userspace-api/spec_ctrl.rst).
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

# What SPEC_ALLOW did, from PR_GET_SPECULATION_CTRL in the filtered child
# without it (off) and with it (on), the timed difference, the kernel
# release and /sys/.../spec_store_bypass.  Before 5.16 the default
# spec_store_bypass_disable=seccomp made every filtered task mitigated
# unless SPEC_ALLOW; since 5.16 the default is prctl and a filter changes
# nothing (the seccomp mode remains a boot option).
def spec_allow_verdict(off; on; saving; kernel; ssb; call):
	(kernel | kernel_mm) as $kv
	| (if $kv[0] > 5 or ($kv[0] == 5 and $kv[1] >= 16) then
		"since Linux 5.16 the default spec_store_bypass_disable=prctl no longer makes seccomp force the mitigation, so it matters only on older kernels or with spec_store_bypass_disable=seccomp"
	   else "this kernel predates 5.16, whose default (spec_store_bypass_disable=seccomp) mitigates every filtered task where the CPU needs it" end) as $rule
	| if off == null or on == null or off < 0 or on < 0 then
		"the mitigation state could not be read in the filtered child (\(off | spec_ctrl_text)) (spec_store_bypass: \(ssb // "unknown")); \($rule); the timed difference is \(saving | r1) ns per \(call)"
	  elif (off | spec_mitigated) and ((on | spec_mitigated) | not) then
		"seccomp forced the speculative store bypass mitigation on the filtered task (\(off | spec_ctrl_text)); SPEC_ALLOW avoids it (\(on | spec_ctrl_text)): \(saving | r1) ns per \(call) here, and the mitigation slows the task's own code too"
	  elif off == on then
		"SPEC_ALLOW changes nothing on this kernel: the filtered child reads PR_GET_SPECULATION_CTRL \(off | spec_ctrl_text) with and without it (spec_store_bypass: \(ssb // "unknown"))"
		+ "; \($rule); the \(saving | r1) ns difference is noise"
	  else
		"PR_GET_SPECULATION_CTRL reads \(off | spec_ctrl_text) without SPEC_ALLOW and \(on | spec_ctrl_text) with it; \(saving | r1) ns per \(call)"
	  end;
