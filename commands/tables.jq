# tables.jq: the rows of run.sh's tables, from results lines (the columns
# are laid out by run.sh; a verdict is rendered by results.jq).
#   jq -L commands -r 'include "tables"; probe_row' LINES
include "results";

# run.sh probe: probe, nr, verdict, errno, by, and the reason of an error.
def probe_row:
	[(.probe // .syscall), (.nr // "-"), .verdict,
	 (if .verdict == "allowed" or .verdict == "errno" then verdict_text | sub("^[a-z]+ "; "") else "-" end),
	 (.by // "-"), (if .verdict == "error" then .reason else "" end)] | @tsv;

# "87 probes under docker-default: 60 allowed, 27 errno" (a slurped file).
def probe_summary($p):
	"\(length) probes under \($p): " + (group_by(.verdict) | map("\(length) \(.[0].verdict)") | join(", "));

# run.sh list: probe, nr, the errnos the kernel gives it unconfined.
def list_row: [(.probe // .syscall), (.nr // "absent"), ((.unconfined // ["-"]) | join(","))] | @tsv;

# The main job: a row per probe, a column per profile ($ps), each cell the
# verdict (results.jq: verdict_cell, or verdict_text with $wide).
def main_table($ps; $wide):
	group_by(.probe // .syscall)
	| map(. as $rows | [($rows[0].probe // $rows[0].syscall)] + ($ps | map(. as $p
		| ($rows | map(select(.profile == $p)) | .[0]) as $r
		| if $r == null then "-"
		  elif $wide then $r | verdict_text else $r | verdict_cell end)))
	| (["PROBE"] + $ps), .[] | @tsv;

# A failed case as a diff of the expected line against the observed one.
def case_diff:
	select(.result == "fail")
	| "@@ \(.set): profile \(.profile), caps \(.caps), \(.abi // "-") on \(.kernel // "-") @@",
	  (if .expected == null then "-\(.probe)  (no expectation: \(.reason))"
	   else "-\(.probe | . + " " * ([21 - length, 1] | max))\(.expected.verdict) \(.expected.errno)  # \(.expected.source)" end),
	  "+\(.probe | . + " " * ([21 - length, 1] | max))\(case_text)" +
	  (if .verdict == "error" then "  (\(.reason))" else "" end);

# set x {pass, fail, skip} (a slurped run).
def case_summary:
	group_by(.set) | (["SET", "PASS", "FAIL", "SKIP"] | @tsv),
	(.[] | [.[0].set, (map(select(.result == "pass")) | length),
		(map(select(.result == "fail")) | length), (map(select(.result == "skip")) | length)] | @tsv);
