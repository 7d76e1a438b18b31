# The human tables of ./run.sh bench, from summary.json (input) and
# seccomp_bench.json ($o[0]).  jq -r -L bench -f bench/table.jq --slurpfile o ... summary.json
include "defs";
def point(id): $o[0].points[] | select(.id == id);
def cell(id): [$o[0].points[] | select(.id == id)] | if length == 0 then "-"
	else .[0] | if .error then "error" else "\(.median_ns | r1) +\(.overhead_ns | r1)" end end;
def full(id): [$o[0].points[] | select(.id == id)] | if length == 0 then "-"
	else .[0] | if .error then "error" else "\(.median_ns | r1) (\(.ci95_ns[0] | r1)-\(.ci95_ns[1] | r1))   +\(.overhead_ns | r1) (\(.overhead_ci95_ns[0] | r1)-\(.overhead_ci95_ns[1] | r1))\(if .filters > 0 and noisy(.overhead_ns; .overhead_ci95_ns) then "   WARNING: the interval is wider than the effect" else "" end)" end end;
def fit(f): if f == null or f.slope == null then "-"
	else "\(f.slope * 100 | round / 100) [\(f.slope_ci95[0] * 100 | round / 100), \(f.slope_ci95[1] * 100 | round / 100)] \(f.unit), R² \(f.r2)" end;
def slope_zero(f): f == null or f.slope_ci95 == null or (f.slope_ci95[0] <= 0 and f.slope_ci95[1] >= 0);
def xs(series): [$o[0].points[] | select(.series == series) | .x] | unique;
def row(lbl; series; picks; f):
	(xs(series)) as $all
	| [lbl | pad(34)] + [picks[] as $p | ($all | map(select(. == $p or ($p == "max" and . == ($all | max)))) | .[0]) as $x
		| if $x == null then "-" | pad(20) else cell("\(series)/\($x)") | pad(20) end] + [fit(f)]
	| join("");

. as $s | $s.machine as $m | $s.estimates as $e
| "Machine: \($m.kernel) \($m.machine), \($m.cpu), \($m.cpus_online) CPUs (samples pinned to CPU \($m.pinned_cpu)), clocksource \($m.clocksource)",
  "BPF JIT: enable \($m.bpf_jit_enable), harden \($m.bpf_jit_harden); libseccomp \($m.libseccomp)",
  "Mitigations: " + ([$m.mitigations | to_entries[] | "\(.key): \(.value)"] | join("; ")),
  "Load average: \($m.loadavg_start | map(. * 100 | round / 100) | join(" ")) at the start, \($m.loadavg_end | map(. * 100 | round / 100) | join(" ")) after seccomp_bench, \($s.loadavg_end) at the end",
  (if load_moved($m.loadavg_start[0]; $m.loadavg_end[0]) then "WARNING: the 1-minute load average moved from \($m.loadavg_start[0] | r2) to \($m.loadavg_end[0] | r2) during seccomp_bench: these figures are not comparable with a quiet run's" else empty end),
  (if ($m.loadavg_start[0] // 0) > $m.cpus_online then "WARNING: the machine was busy (load average \($m.loadavg_start[0] | r2) on \($m.cpus_online) CPUs): retake the figures on a quiet machine" else empty end),
  "Speculation (PR_GET_SPECULATION_CTRL) in the measuring children, as every point records it (spec_ctrl, spec_ctrl_indirect_branch):",
  "  unfiltered:        " + ([$o[0].points[] | select(.error == null) | {ssb: .spec_ctrl_unfiltered, ib: .spec_ctrl_indirect_branch_unfiltered}] | unique | map(spec_pair_text) | join(" | ")),
  "  under the filters: " + ([$o[0].points[] | select(.error == null) | {ssb: .spec_ctrl, ib: .spec_ctrl_indirect_branch}] | unique | map(spec_pair_text) | join(" | ")),
  "Method: \($s.method.rounds) interleaved rounds, children \($s.method.scheduler); a sample is one fresh child's median over \($s.method.batches) batches of ~\($s.method.batch_us) us; medians over rounds (95% interval); seccomp_bench took \($s.method.elapsed_s) s",
  "",
  "Key points: ns per getpid, median (95% interval); +ns over the same child's getpid before its filters were loaded",
  "  native (no filter)                  \(full("native/0"))",
  "  1 filter, cacheable (bitmap)        \(full("stack-cacheable/1"))",
  "  1 filter reading an argument        \(full("stack-full/1"))",
  "  256 rules, default layout, last     \(full("rules-arg-default-long/256"))",
  "  256 rules, binary tree              \(full("rules-arg-tree-long/256"))",
  "",
  "ns per getpid under the filters, and +ns over the unfiltered call (medians over rounds); slope of the overheads with its 95% interval",
  ("" | pad(34)) + ("rules: 1" | pad(20)) + ("16" | pad(20)) + ("256" | pad(20)) + ("all (\(xs("rules-arg-default-long") | max))" | pad(20)) + "slope",
  row("default layout, getpid last"; "rules-arg-default-long"; [1, 16, 256, "max"]; $e.per_rule_default_long),
  row("default layout, getpid first"; "rules-arg-default-short"; [1, 16, 256, "max"]; $e.per_rule_default_short),
  row("binary tree"; "rules-arg-tree-long"; [1, 16, 256, "max"]; $e.per_doubling_tree_long),
  row("cacheable, default layout"; "rules-cacheable-default-long"; [1, 16, 256, "max"]; $e.per_rule_cacheable_default_long),
  row("cacheable, binary tree"; "rules-cacheable-tree-long"; [1, 16, 256, "max"]; $e.per_rule_cacheable_tree_long),
  ("" | pad(34)) + ("arg values: 1" | pad(20)) + ("64" | pad(20)) + ("1024" | pad(20)) + ("all (\(xs("argrules-long") | max))" | pad(20)),
  row("argument rules, match last"; "argrules-long"; [1, 64, 1024, "max"]; $e.per_arg_rule_long),
  row("argument rules, match first"; "argrules-short"; [1, 64, 1024, "max"]; null),
  ("" | pad(34)) + ("filters: 1" | pad(20)) + ("4" | pad(20)) + ("16" | pad(20)) + ("32" | pad(20)),
  row("stacked, reading an argument"; "stack-full"; [1, 4, 16, 32]; $e.per_filter_full),
  row("stacked, cacheable"; "stack-cacheable"; [1, 4, 16, 32]; $e.per_filter_cacheable),
  "",
  "Estimates",
  "  native getpid                 \($e.native_ns | r1) ns",
  "  entry, bitmap hit             \($e.entry_bitmap_ns | r1) ns  (overhead of 1 cacheable filter)",
  "  entry, filters run            \($e.entry_full_ns | r1) ns  (intercept of the stacked-filter line)",
  "  per filter                    \(fit($e.per_filter_full))",
  "  per rule, default layout      \(fit($e.per_rule_default_long))",
  "  per doubling, binary tree     \(fit($e.per_doubling_tree_long))",
  "  per BPF instruction executed  \(fit($e.per_instruction_arg_rules))",
  "  linear or log? default layout R² linear \($e.per_rule_default_long.r2) / log \($e.per_doubling_default_long.r2); tree R² linear \($e.per_rule_tree_long_linear.r2) / log \($e.per_doubling_tree_long.r2)",
  "  denied getpid, overhead:      " + ([$e.action_overhead_ns | to_entries[] | "\(.key) \(.value | r1)"] | join(", ")) + " ns",
  "  SPEC_ALLOW saves              \($e.spec_allow_saving_ns | r1) ns  (spec_store_bypass: \($m.mitigations.spec_store_bypass // "unknown"); PR_GET_SPECULATION_CTRL in the filtered child, store bypass/indirect branch: \(point("spec-default/1") | "\(.spec_ctrl // "-")/\(.spec_ctrl_indirect_branch // "-")") without, \(point("spec-allow/1") | "\(.spec_ctrl // "-")/\(.spec_ctrl_indirect_branch // "-")") with)",
  "",
  "Verdicts",
  "  bitmap: a filter the kernel's bitmap skips adds \($e.entry_bitmap_ns | r1) ns per call however many rules (\(fit($e.per_rule_cacheable_default_long))) or filters (\(fit($e.per_filter_cacheable)))\(if noisy(point("stack-cacheable/1").overhead_ns; point("stack-cacheable/1").overhead_ci95_ns) then "   WARNING: its interval is wider than the effect" else "" end)",
  "  filters that run: each adds \($e.per_filter_full.slope | r1) ns\(if slope_zero($e.per_filter_full) then " (not distinguishable from 0)" else "" end); every executed BPF instruction \($e.per_instruction_arg_rules.slope | r2) ns\(if slope_zero($e.per_instruction_arg_rules) then " (not distinguishable from 0)" else "" end)",
  "  layout: libseccomp's default layout costs \($e.per_rule_default_long.slope | r2) ns per rule before the call's own\(if slope_zero($e.per_rule_default_long) then " (not distinguishable from 0)" else "" end); the binary tree \($e.per_doubling_tree_long.slope | r2) ns per doubling of rules\(if slope_zero($e.per_doubling_tree_long) then ", not distinguishable from 0 at this resolution" else "" end)",
  "  " + spec_allow_verdict(point("spec-default/1") | {ssb: .spec_ctrl, ib: .spec_ctrl_indirect_branch};
	point("spec-allow/1") | {ssb: .spec_ctrl, ib: .spec_ctrl_indirect_branch}; $e.spec_allow_saving_ns;
	$m.kernel; $m.mitigations.spec_store_bypass; "getpid"),
  "",
  "Whole profiles: ns per call, +ns over the unfiltered call, and the call's result",
  ([$o[0].points[] | select(.series | startswith("profile-")) | .syscall] | unique) as $calls
  | ([$o[0].points[] | select(.series | startswith("profile-")) | .series] | unique) as $profs
  | (("" | pad(16)) + ($profs | map(sub("^profile-"; "") | pad(30)) | join(""))),
    ($calls[] as $c | ($c | pad(16)) + ($profs | map(. as $p | [$o[0].points[] | select(.series == $p and .syscall == $c)][0]
		| (if .error then "error" else "\(.median_ns | r1) +\(.overhead_ns | r1) \(if .errno_name then .errno_name else "ok" end)\(if .cacheable then "*" else "" end)" end) | pad(30)) | join(""))),
  "  (* the kernel's bitmap cache allows it without running the filter)",
  (if $s.kernel_benchmark == null then empty else
  "",
  "Beside the kernel's seccomp_benchmark (median of \($s.kernel_benchmark.runs | length) runs of \($s.kernel_benchmark.samples) calls per figure; same CPU, same invocation)",
  "  \("figure" | pad(42))\("ours" | lpad(10))\("kernel" | lpad(10))\("diff" | lpad(10))\("ours, mean" | lpad(12))",
  ($s.agreement[] | "  \(.figure | pad(42))\(.ours | r1 | lpad(10))\(.kernel | r1 | lpad(10))\((if .diff_pct == null then "-" else "\(.diff_pct)%" end) | lpad(10))\(.ours_mean | r1 | lpad(12))"),
  "  (ours: medians; ours, mean: the batch means a total-time benchmark such as the kernel's sees)",
  (if $s.estimator_match == null then empty else $s.estimator_match as $x
   | "  which estimator matches the kernel's (total time / calls): our \($x.closer)s; batch means \($x.mean_pct | map(if . == null then "-" else "\(.)%" end) | join(" and ")), medians \($x.median_pct | map(if . == null then "-" else "\(.)%" end) | join(" and ")) off its native and 1-filter figures" end),
  "  the kernel's benchmark at its default sample count would take about \($s.kernel_default_run_s) s for its 5 figures; seccomp_bench took \($s.method.elapsed_s) s for \($o[0].points | length) points"
  end),
  (if $s.hyperfine == null then empty else
  "",
  "Process level (hyperfine): build and load a profile, then exec /bin/true",
  "  \("command" | pad(24))\("median ms" | lpad(11))\("mean ms" | lpad(10))\("± sd" | lpad(8))\("over unconfined" | lpad(17))  exit",
  ($s.hyperfine[] | "  \(.command | pad(24))\(.median_ms | tostring | lpad(11))\(.mean_ms | tostring | lpad(10))\(.stddev_ms | tostring | lpad(8))\(.over_unconfined_ms | tostring | lpad(17))  \(.exit_codes | map(tostring) | join(","))"),
  "  (restrictive denies execve, and exit_group too: that row is build + load + a refused execve, after which scrun ends on a trap: 132, SIGILL)"
  end),
  (if ($s.errors | length) > 0 then "", "ERRORS:", ($s.errors[] | "  \(.id): \(.error)") else empty end)
