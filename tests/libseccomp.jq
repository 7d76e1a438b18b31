# tests/libseccomp.jq: where two surfaces of one profile (scsurface --json,
# the same profile and capability set compiled by two libseccomp versions)
# differ.  One TSV line per (abi, nr): profile, abi, syscall, the verdict in
# A, the verdict in B.
#   jq -n -r --arg profile NAME --slurpfile a A.jsonl --slurpfile b B.jsonl -f tests/libseccomp.jq
# A verdict is the filter's: where the running kernel exempts a call
# (uretprobe since 6.14) its filter_action, which a kernel without the
# exemption would follow.  Argument-dependent paths are part of it.
def verdict:
  (.filter_action // .action) as $act
  | (if .filter_action then .filter_errno_name else .errno_name end) as $e
  | (if $act == "errno" then "errno \($e)" else $act end)
    + ([.conditions[]? | "; \(.when): \(.action)\(if .errno_name then " " + .errno_name else "" end)"] | join(""));
($b | map({key: "\(.abi)/\(.nr)", value: .}) | from_entries) as $bi
| $a[]
| . as $x
| $bi["\(.abi)/\(.nr)"] as $y
| select($y != null and ($x | verdict) != ($y | verdict))
| [$profile, .abi, ($y.syscall // $x.syscall // "nr \(.nr)"), ($x | verdict), ($y | verdict)]
| @tsv
