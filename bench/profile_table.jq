# The human report of ./run.sh bench --profile, from its summary JSON.
#   jq -r -L bench -f bench/profile_table.jq profile-summary.json
include "defs";

def path_cell(l): "\(l.path // "-")\(if l.cacheable then "*" else "" end)";
def timed_cell(l): if l.overhead_ns == null then "-" else "+\(l.overhead_ns | r1) (\(l.overhead_ci95_ns[0] | r1)-\(l.overhead_ci95_ns[1] | r1))" end;

. as $s | $s.machine as $m | $s.profile as $p
| "Machine: \($m.kernel) \($m.machine), \($m.cpu), \($m.cpus_online) CPUs (samples pinned to CPU \($m.pinned_cpu)), clocksource \($m.clocksource); BPF JIT \($m.bpf_jit_enable); libseccomp \($m.libseccomp)",
  "spec_store_bypass: \($m.mitigations.spec_store_bypass // "unknown")",
  "Load average: \($s.loadavg.start | map(. * 100 | round / 100) | join(" ")) at the start, \($s.loadavg.after_timing | map(. * 100 | round / 100) | join(" ")) after timing, \($s.loadavg.end) at the end",
  "Method: \($s.method.rounds) interleaved rounds, children \($s.method.scheduler); a sample is one fresh child's median over \($s.method.batches) batches of ~\($s.method.batch_us) us, minus the same call unfiltered in the same child; medians over rounds (95% interval); timing took \($s.method.elapsed_s) s\(if $s.quick then " (--quick)" else "" end)",
  "",
  "Profile \($p.name) (\($p.file)), caps \($p.caps), \($p.arch)",
  "  filter: \($p.layouts.own.insns) instructions as compiled (libseccomp's default layout, as runc and scrun load it); \($p.layouts.tree.insns) as a binary tree; \($p.layouts.runc.insns) as runc installs it (\(if $p.layouts.runc.stub.present and $p.layouts.runc.stub.arch_checks == 0 then "its ENOSYS stub: \($p.layouts.runc.stub.insns) instructions that compare no architecture, since the profile lists none: no call gets ENOSYS from it" elif $p.layouts.runc.stub.present then "its ENOSYS stub: \($p.layouts.runc.stub.insns) instructions, ENOSYS above \($p.layouts.runc.stub.host_max_nr)" else "no stub: \($p.layouts.runc.stub.absent_why)" end))",
  "  runc's filter, modelled: \($p.layouts.runc.stub.model)",
  "  surface: \($s.surface.allowed) of the \($s.surface.known) syscall numbers libseccomp knows on this ABI (0-\($s.surface.highest_nr)) get through; \($s.surface.cacheable) of them cacheable (the kernel's bitmap allows them without running the filter), \($s.surface.argument_checked) checked by argument",
  "",
  "Longest paths the profile lets through: BPF instructions executed (longest allowing path; * cacheable: never executed)",
  "  \("syscall" | pad(22))\("own" | lpad(7))\("tree" | lpad(7))\("runc" | lpad(7))  \("modelled ns" | lpad(11))  timed",
  ($s.surface.longest[] | "  \(.name | pad(22))\("\(.own)\(if .cacheable then "*" else "" end)" | lpad(7))\(.tree | lpad(7))\(.runc | lpad(7))  \("+\(.est_ns | r1)" | lpad(11))  \(if .timed then "yes" else "not timed: \(.untimed)" end)"),
  "",
  "Timed: ns each call adds, median over rounds (95% interval); [instructions on the call's path, * cacheable]",
  "  \("syscall" | pad(16))\("own" | pad(30))\("binary tree" | pad(30))\("runc" | pad(30))why timed",
  ($s.sample[] | "  \(.name | pad(16))\("\(timed_cell(.layouts.own)) [\(path_cell(.layouts.own))]" | pad(30))\("\(timed_cell(.layouts.tree)) [\(path_cell(.layouts.tree))]" | pad(30))\("\(timed_cell(.layouts.runc)) [\(path_cell(.layouts.runc))]" | pad(30))\(.picked)",
	"    verdict: \(.verdict)"),
  "  (forms: bench/harmless.c; each returned unfiltered the errno written there, and under the filter what bpf_eval says the filter returns)",
  "",
  "Model of this run: a cacheable call adds the bitmap's entry, \($s.model.bitmap_entry_ns | r1) ns (\($s.model.bitmap_entry_ci95_ns[0] | r1)-\($s.model.bitmap_entry_ci95_ns[1] | r1)); a call whose filter runs adds \($s.model.per_insn.intercept | r1) ns + \($s.model.per_insn.slope | r2) [\($s.model.per_insn.slope_ci95[0] | r2), \($s.model.per_insn.slope_ci95[1] | r2)] ns per instruction (R² \($s.model.per_insn.r2), \($s.model.per_insn.points) points)",
  "  against every timed point: " + ([ $s.model.checks[] | "\(.name)/\(.layout) \(.off_ns | if . >= 0 then "+\(r1)" else r1 end)" ] | join(", ")) + " ns (measured minus modelled)",
  "",
  (if $s.spec_allow == null then "SPEC_ALLOW: not measured" else
  "SPEC_ALLOW on \($s.spec_allow.syscall): saves \($s.spec_allow.saving_ns | r1) ns (bounds \($s.spec_allow.saving_bounds_ns[0] | r1) to \($s.spec_allow.saving_bounds_ns[1] | r1)); PR_GET_SPECULATION_CTRL unfiltered: \({ssb: $s.spec_allow.spec_ctrl_unfiltered, ib: $s.spec_allow.spec_ctrl_indirect_branch_unfiltered} | spec_pair_text)",
  "  verdict: \($s.spec_allow.verdict)" end),
  (if $s.workload == null then empty else
  "",
  "Workload (\($s.workload.source)): \($s.workload.calls) calls of \($s.workload.syscalls) syscalls\(if $s.workload.syscall_seconds != null then ", \($s.workload.syscall_seconds) s in syscalls" else "" end); \($s.workload.timed_calls_pct | r1)% of the weighed calls are of timed syscalls, the rest modelled",
  "  \("syscall" | pad(22))\("calls" | lpad(10))\("+ns own" | lpad(14))\("tree saves" | lpad(12))\("runc adds" | lpad(11))  how",
  ($s.workload.per_syscall[:15][] | "  \(.name | pad(22))\(.calls | lpad(10))\(if .known then "\(if .own_lo == .own_hi then (.own_hi | r1) else "\(.own_lo | r1)-\(.own_hi | r1)" end)\(if .cacheable then "*" else "" end)\(if .surface then "" else " denied" end)" else "unknown" end | lpad(14))\(if .known then (.tree_saving_hi | r1) else "-" end | lpad(12))\(if .known then (.runc_extra_hi | r1) else "-" end | lpad(11))  \(.how // "not weighed: unknown on this ABI")"),
  (if ($s.workload.per_syscall | length) > 15 then "  ... \(($s.workload.per_syscall | length) - 15) more in profile-summary.json" else empty end),
  "  verdict: \($s.workload.verdict)",
  (if $s.workload.share_of != null then "  (the share: \($s.workload.share_of))" else empty end)
  end),
  (if ($s.warnings | length) > 0 then "", "WARNINGS:", ($s.warnings[] | "  \(.)") else empty end),
  (if ($s.errors | length) > 0 then "", "ERRORS:", ($s.errors[] | "  \(.id): \(.error)") else empty end)
