# The human report of ./run.sh bench --spec-allow-guest, from spec-allow.json.
#   jq -r -L bench -f bench/spec_allow_table.jq spec-allow.json
include "defs";

def cell: if . == null then "-" elif . < 0 then "error \(-.)" else tostring end;

"SPEC_ALLOW's mechanism: PR_GET_SPECULATION_CTRL in a task unfiltered, after loading a filter (one \"return ALLOW\"), and after loading it with SECCOMP_FILTER_FLAG_SPEC_ALLOW",
"(the mechanism, not a timing: qemu's TCG emulates no speculation, so nothing here costs anything; \(.elapsed_s) s)",
(.boots[] |
  "",
  "\(.where)\(if .cpu_model then ", qemu -cpu \(.cpu_model) (TCG)" else "" end)\(if .append then ", booted with \(.append)" elif .where | startswith("qemu") then ", booted with the kernel's defaults" else "" end)",
  (if .machine == null then "  no report: \(.verdict)" else
  "  the kernel reports: spec_store_bypass: \(.machine.spec_store_bypass // "-"); spectre_v2: \(.machine.spectre_v2 // "-")",
  "  CPU \(.machine.cpu); flags: \(.machine.cpu_flags | if length == 0 then "none of ssbd, virt_ssbd, amd_ssbd, stibp, ibpb, ibrs" else join(" ") end); bugs: \(.machine.cpu_bugs | join(" "))",
  (if (.machine.kernel_log | length) > 0 then "  its boot log: " + (.machine.kernel_log | map(sub("^\\[ *[0-9.]+\\] "; "")) | join(" | ")) else empty end),
  "  \("" | pad(18))\("unfiltered" | lpad(12))\("filter" | lpad(10))\("filter+SPEC_ALLOW" | lpad(19))",
  "  \("store bypass" | pad(18))\(.store_bypass.unfiltered | cell | lpad(12))\(.store_bypass.filter | cell | lpad(10))\(.store_bypass.filter_spec_allow | cell | lpad(19))",
  "  \("indirect branch" | pad(18))\(.indirect_branch.unfiltered | cell | lpad(12))\(.indirect_branch.filter | cell | lpad(10))\(.indirect_branch.filter_spec_allow | cell | lpad(19))",
  "  (\([.store_bypass, .indirect_branch | .unfiltered, .filter, .filter_spec_allow] | unique | map(spec_ctrl_text) | join("; ")))",
  (.errors[] | "  ERROR: \(.)"),
  "  verdict: \(.verdict)" end))
