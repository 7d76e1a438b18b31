# The summary of ./run.sh bench --profile, from seccomp_bench --profile's
# JSON (input) and the workload's syscall counts ($mix[0]: [{name, calls,
# seconds}] or null).  Every figure here derives from those two files.
#   jq -L bench -f bench/profile.jq --slurpfile mix MIX.json --arg mix_source S
#      --argjson workload_exit N --argjson quick 0|1 --argjson loadavg_end '[..]' profile.json
include "defs";

def layouts: ["own", "tree", "runc"];

# ns a call of row r adds under layout l: the timed point where the call has
# one path, else the model from the path lengths (lo: the shortest allowing
# path, hi: the longest).
def cost(r; l; which):
	r.layouts[l] as $L
	| if $L.measured != null and $L.path_min == $L.path_max then $L.measured.overhead_ns
	  elif which == "lo" then $L.est_min_ns else $L.est_max_ns end;
def est(r; l; which): r.layouts[l] | if which == "lo" then .est_min_ns else .est_max_ns end;
def round2: if . == null then null else . * 100 | round / 100 end;
def range_text(lo; hi; unit):
	if lo == null then "-"
	elif (hi - lo | fabs) < 0.05 then "\(lo | r1) \(unit)"
	else "\(lo | r1)-\(hi | r1) \(unit)" end;

. as $o
| $o.machine as $m
| ($mix[0] // null) as $mixin
| (reduce $o.syscalls[] as $r ({}; .[$r.name] = $r)) as $rows
| ([$o.syscalls[] | select(.timed)]) as $timed
| ($m.loadavg_start[0] // null) as $l0 | ($m.loadavg_end[0] // null) as $l1

# The timed sample, each figure with a verdict and its warnings.
| [ $timed[] | . as $r
	| { name, nr, picked, form: .form,
	    layouts: (reduce layouts[] as $l ({}; .[$l] = ($r.layouts[$l] | {
		path: .form_path, cacheable, action: .form_action, modelled_ns: .est_form_ns,
		overhead_ns: .measured.overhead_ns, overhead_ci95_ns: .measured.overhead_ci95_ns,
		median_ns: .measured.median_ns, base_ns: .measured.base_ns, errno_name: .measured.errno_name,
		spec_ctrl: .measured.spec_ctrl, spec_ctrl_indirect_branch: .measured.spec_ctrl_indirect_branch }))) }
	| .verdict = (.layouts.own as $own | .layouts.tree as $t | .layouts.runc as $rc
		| if $own.cacheable then
			"cacheable: the kernel's bitmap allows it without running the filter, so its \($own.path)-instruction path costs nothing; +\($own.overhead_ns | r1) ns is the entry cost every filtered call pays"
		  else
			"the filter runs \($own.path) instructions on every call: +\($own.overhead_ns | r1) ns; the binary tree's \($t.path) would add \($t.overhead_ns | r1), runc's stub makes it \($rc.path) (+\($rc.overhead_ns | r1))"
		  end)
	| .warnings = [ .name as $n | .layouts | to_entries[] | select(noisy(.value.overhead_ns; .value.overhead_ci95_ns))
		| "\($n) (\(.key)): the 95% interval \(.value.overhead_ci95_ns[0] | r1)-\(.value.overhead_ci95_ns[1] | r1) ns is wider than the effect it measures (+\(.value.overhead_ns | r1) ns): noise, not a figure" ]
  ] as $sample

# The model against what was timed.
| ([ $o.model.checks[]? | select(.measured_ns != null and .modelled_ns != null)
	| . + { off_ns: ((.measured_ns - .modelled_ns) | round2) } ]) as $checks
| ([ $checks[] | select((.off_ns | fabs) > 10 and (.off_ns | fabs) > 0.25 * (.modelled_ns | fabs)) ]
	| group_by(.name) | map("the model misses \(.[0].name): measured " + (map("+\(.measured_ns | r1) ns (\(.layout))") | join(", "))
		+ " against a modelled +\(map(.modelled_ns) | min | r1)\(if (map(.modelled_ns) | max) - (map(.modelled_ns) | min) >= 0.05 then "-\(map(.modelled_ns) | max | r1)" else "" end); where not timed, calls like it are estimated with that error")) as $model_warnings

# SPEC_ALLOW, read and timed.
| ($o.model.spec_allow // null) as $sp
| (if $sp == null or $sp.saving_ns == null then null else {
	syscall: $sp.syscall, saving_ns: $sp.saving_ns, saving_bounds_ns: $sp.saving_bounds_ns,
	spec_ctrl_unfiltered: $sp.spec_ctrl_unfiltered, spec_ctrl_off: $sp.spec_ctrl_off, spec_ctrl_on: $sp.spec_ctrl_on,
	spec_ctrl_indirect_branch_unfiltered: $sp.spec_ctrl_indirect_branch_unfiltered,
	spec_ctrl_indirect_branch_off: $sp.spec_ctrl_indirect_branch_off, spec_ctrl_indirect_branch_on: $sp.spec_ctrl_indirect_branch_on,
	spec_store_bypass: ($m.mitigations.spec_store_bypass // "unknown"),
	verdict: (spec_allow_verdict({ssb: $sp.spec_ctrl_off, ib: $sp.spec_ctrl_indirect_branch_off};
		{ssb: $sp.spec_ctrl_on, ib: $sp.spec_ctrl_indirect_branch_on}; $sp.saving_ns; $m.kernel;
		$m.mitigations.spec_store_bypass; $sp.syscall)
		+ " (bounds \($sp.saving_bounds_ns[0] | r1) to \($sp.saving_bounds_ns[1] | r1) ns)") } end) as $spec

# The workload, weighed.
| (if $mixin == null then null else
	($mixin | group_by(.name) | map({ name: .[0].name, calls: (map(.calls) | add),
		seconds: (if all(.[]; .seconds != null) then (map(.seconds) | add) else null end) })
		| sort_by(-.calls)) as $mx
	| [ $mx[] | . as $e | $rows[$e.name] as $r
		| if $r == null then $e + { known: false } else $e + {
			known: true, surface: $r.surface, timed: $r.timed, cacheable: $r.layouts.own.cacheable,
			how: (if $r.timed and $r.layouts.own.path_min == $r.layouts.own.path_max then "timed"
				elif $r.timed then "modelled: several paths, its arguments unknown"
				else "modelled (not timed: \($r.untimed))" end),
			own_lo: cost($r; "own"; "lo"), own_hi: cost($r; "own"; "hi"),
			tree_saving_lo: (est($r; "own"; "lo") - est($r; "tree"; "lo")),
			tree_saving_hi: (est($r; "own"; "hi") - est($r; "tree"; "hi")),
			runc_extra_lo: (est($r; "runc"; "lo") - est($r; "own"; "lo")),
			runc_extra_hi: (est($r; "runc"; "hi") - est($r; "own"; "hi")),
			base_ns: $r.layouts.own.measured.base_ns } end ] as $w
	| [ $w[] | select(.known) ] as $k
	| ($k | map(.calls) | add // 0) as $calls
	| ($w | map(.calls) | add // 0) as $calls_all
	| def wavg(f): if $calls == 0 then null else ($k | map(.calls * (f // 0)) | add) / $calls end;
	  (wavg(.own_lo)) as $n_lo | (wavg(.own_hi)) as $n_hi
	| (wavg(.tree_saving_lo)) as $m_lo | (wavg(.tree_saving_hi)) as $m_hi
	| (wavg(.runc_extra_lo)) as $r_lo | (wavg(.runc_extra_hi)) as $r_hi
	| (all($w[]; .seconds != null) and ($w | length) > 0) as $have_time
	| ($w | map(.seconds // 0) | add) as $seconds
	| ([ $timed[] | .layouts.own.measured.base_ns | select(. != null) ] | min) as $cheapest
	# Two denominators: strace's syscall time (the tracee's system time
	# under ptrace: tick-grained and inflated by the tracing, so the share
	# is understated), and a floor: each call priced at its timed
	# unfiltered form, or at the cheapest timed call (a bound from above).
	| (if $cheapest != null and $calls > 0 then
		($n_hi * $calls / ($k | map(.calls * (.base_ns // $cheapest)) | add) * 100) else null end) as $ceiling
	| (if $have_time and $seconds > 0 then { pct: ($n_hi * $calls / ($seconds * 1e9) * 100), bound: false,
		of: "strace -c's syscall time (the tracee's system time under ptrace: tick-grained and inflated by the tracing, so this share is understated)" }
	   elif $ceiling != null then { pct: $ceiling, bound: true,
		of: "the calls priced at their timed unfiltered cost, or \($cheapest | r1) ns (the cheapest timed call) where not timed: a floor for syscall time, so the share is at most this" }
	   else null end) as $pct
	| {
		source: $mix_source,
		exit_status: $workload_exit,
		calls: $calls_all, weighed_calls: $calls, syscalls: ($w | length),
		syscall_seconds: (if $have_time then $seconds * 1e6 | round / 1e6 else null end),
		unknown: [ $w[] | select(.known | not) | .name ],
		denied: [ $k[] | select(.surface | not) | { name, calls } ],
		adds_ns: { lo: ($n_lo | round2), hi: ($n_hi | round2) },
		share_pct: (if $pct == null then null else ($pct.pct | round2) end), share_of: $pct.of, share_is_bound: $pct.bound,
		share_ceiling_pct: ($ceiling | round2),
		tree_saves_ns: { lo: ($m_lo | round2), hi: ($m_hi | round2) },
		runc_adds_ns: { lo: ($r_lo | round2), hi: ($r_hi | round2) },
		spec_allow_saves_ns: ($spec.saving_ns // null),
		timed_calls_pct: (if $calls == 0 then null else ([ $k[] | select(.timed) | .calls ] | add // 0) / $calls * 100 | round2 end),
		per_syscall: ($w | map(. + { own_lo: (.own_lo | round2), own_hi: (.own_hi | round2),
			tree_saving_lo: (.tree_saving_lo | round2), tree_saving_hi: (.tree_saving_hi | round2),
			runc_extra_lo: (.runc_extra_lo | round2), runc_extra_hi: (.runc_extra_hi | round2) })),
		verdict: ("this profile adds \(range_text($n_lo; $n_hi; "ns")) per syscall on this workload"
			+ (if $pct == null then "" elif $pct.bound then ", at most \($pct.pct | r1)% of its syscall time"
			   else ", \($pct.pct | r1)% of its syscall time as strace -c counts it\(if $ceiling != null then " (at most \($ceiling | r1)%, pricing each call at its timed unfiltered form or the cheapest timed call)" else "" end)" end)
			+ "; the binary tree would save \(range_text($m_lo; $m_hi; "ns"))"
			+ "; runc's ENOSYS stub adds \(range_text($r_lo; $r_hi; "ns"))"
			+ "; SPEC_ALLOW would save \(if $spec == null then "(not measured)" else "\($spec.saving_ns | r1) ns on this kernel (\(if $spec.spec_ctrl_off == null or $spec.spec_ctrl_off < 0 or $spec.spec_ctrl_on < 0 then "the mitigation state could not be read under this profile" elif $spec.spec_ctrl_off == $spec.spec_ctrl_on and $spec.spec_ctrl_indirect_branch_off == $spec.spec_ctrl_indirect_branch_on then "no change in the mitigation state: noise" else "the mitigation state changes" end))" end)")
	  } end) as $workload

| ($o.profile) as $p
| {
	quick: ($quick == 1),
	machine: $m,
	method: $o.method,
	loadavg: { start: $m.loadavg_start, after_timing: $m.loadavg_end, end: $loadavg_end },
	profile: $p,
	surface: {
		allowed: $p.surface, cacheable: $p.surface_cacheable, known: $p.known_numbers, highest_nr: $p.highest_known_nr,
		argument_checked: ($p.surface - $p.surface_cacheable),
		longest: [ $o.syscalls[] | select(.surface) ] | sort_by(-.layouts.own.path_max) | .[:10]
			| map({ name, nr, timed, untimed, own: .layouts.own.path_max, tree: .layouts.tree.path_max,
				runc: .layouts.runc.path_max, cacheable: .layouts.own.cacheable, est_ns: .layouts.own.est_max_ns })
	},
	model: {
		bitmap_entry_ns: $o.model.bitmap_entry_ns, bitmap_entry_ci95_ns: $o.model.bitmap_entry_ci95_ns,
		per_insn: $o.model.per_insn, how: $o.model.how, checks: $checks
	},
	sample: $sample,
	spec_allow: $spec,
	workload: $workload,
	warnings: (
		[ if load_moved($l0; $l1) then "the 1-minute load average moved from \($l0 | r2) to \($l1 | r2) while timing: the figures are not comparable with a quiet run's" else empty end ]
		+ [ if $l0 != null and $l0 > $m.cpus_online then "the machine was busy (load average \($l0 | r2) on \($m.cpus_online) CPUs): retake the figures on a quiet machine" else empty end ]
		+ [ $sample[].warnings[] ] + $model_warnings
		+ [ if $workload != null and ($workload.denied | length) > 0 then "the profile denies \($workload.denied | map(.name) | join(", ")) which the workload calls: it would fail or take another path under it" else empty end ]
		+ [ if $workload != null and ($workload.unknown | length) > 0 then "not weighed: \($workload.unknown | join(", ")) (no such syscall on this ABI for libseccomp)" else empty end ]
		+ [ if $workload != null and $workload.exit_status != 0 then "the workload exited with status \($workload.exit_status): its counts may not be typical" else empty end ]),
	errors: [ $o.points[] | select(.error) | { id, error } ]
  }
