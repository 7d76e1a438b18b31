# compare.jq: ./run.sh compare A B, which probes' verdicts differ between two
# results files (jq -L commands -n --slurpfile a A --slurpfile b B
#   --arg an A --arg bn B 'include "compare"; compare').
include "results";

# Two files that each hold several sets (whole cases runs) are matched set
# by set; otherwise by probe and ABI alone.
def keyed($rows; $by_set; $by_abi):
	$rows | map({key: ([(.probe // .syscall)] + (if $by_abi then [.abi] else [] end)
			   + (if $by_set then [.set] else [] end) | map(. // "-") | join(" ")),
		     value: .}) | from_entries;
def multi($rows): ($rows | map(.set) | unique | length) > 1;
# One ABI a file (two matrix cells, x86_64 and i386): probe by probe.
def multi_abi($rows): ($rows | map(.abi) | unique | length) > 1;
def seen: {verdict, errno_name, by};
def context($rows): $rows | map({profile, kernel, arch, abi, backend, caps, set}) | unique;

# The comparison as one JSON object (--json prints it).
def compare:
	(multi($a) and multi($b)) as $by_set
	| (multi_abi($a) or multi_abi($b)) as $by_abi
	| keyed($a; $by_set; $by_abi) as $A | keyed($b; $by_set; $by_abi) as $B
	| {a: {file: $an, context: context($a)}, b: {file: $bn, context: context($b)},
	   compared: ([$A | keys[] | select($B[.] != null)] | length),
	   differences: [$A | keys[] as $k | select($B[$k] != null)
		| select(($A[$k] | seen) != ($B[$k] | seen))
		| {key: $k, probe: ($A[$k].probe // $A[$k].syscall), a: ($A[$k] | seen), b: ($B[$k] | seen)}],
	   only_in_a: [$A | keys[] | select($B[.] == null)],
	   only_in_b: [$B | keys[] | select($A[.] == null)]};

# The comparison's head and rows (tab-separated rows: PROBE A B).
def compare_rows:
	def ctx: map([.profile, .kernel, .abi, .backend] | map(. // "-") | join(" ")) | join("; ");
	"A: \(.a.file) (\(.a.context | ctx))",
	"B: \(.b.file) (\(.b.context | ctx))",
	"",
	(["PROBE", "A", "B"] | @tsv),
	(.differences[] | [.key, (.a | case_text), (.b | case_text)] | @tsv);

# Its closing lines: how many differ, and the probes only one file has.
def compare_tail:
	def few: if length > 8 then "\(.[:8] | join(", ")), ... (\(length) in all)" else join(", ") end;
	"",
	"\(.differences | length) of \(.compared) probes differ",
	(if (.only_in_a | length) > 0 then "only in A: \(.only_in_a | few)" else empty end),
	(if (.only_in_b | length) > 0 then "only in B: \(.only_in_b | few)" else empty end);
