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
