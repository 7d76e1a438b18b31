# check.jq: how ./run.sh check's lines read (commands/check.sh), from the
# JSON Lines of build/<abi>/bin/check and commands/check_docker.sh:
#   jq -L commands -rs 'include "check"; check_table(false)' LINES
include "results";

def value_text: if .value == null then "-" else .value | tostring end;

# The table: SECTION ITEM RESULT VALUE, and under an item that did not pass
# its detail.  $wide: each on one line however long (the long form);
# otherwise 80 columns, the value wrapped in its column and the detail
# under the item.
def check_table($wide):
	def row($s; $i; $r): "\($s | pad(10)) \($i | pad(28)) \($r | pad(5)) ";
	(row("SECTION"; "ITEM"; "") + "VALUE"),
	(.[] | row(.section; .item; .result | ascii_upcase) as $head
	 | if $wide then
		$head + value_text,
		(if .result != "pass" then row(""; ""; "") + "  " + .detail else empty end)
	   else
		(value_text | wrap([80 - ($head | length), 20] | max)) as $v
		| ($head + ($v[0] // "")),
		  ($v[1:][] | (" " * ($head | length)) + .),
		  (if .result != "pass" then .detail | wrap(66)[] | " " * 14 + . else empty end)
	   end);

def check_ktap:
	"KTAP version 1", "1..\(length)",
	(to_entries[] | .key as $i | .value
	 | if .result == "fail" then "not ok \($i + 1) \(.item) # \(.value // "-"): \(.detail)"
	   elif .result == "skip" then "ok \($i + 1) \(.item) # SKIP \(.detail)"
	   else "ok \($i + 1) \(.item) # \(.value // "-" | tostring)" end);

def check_summary:
	"\(map(select(.result == "pass")) | length) passed, \(map(select(.result == "fail")) | length) failed, " +
	"\(map(select(.result == "skip")) | length) skipped; " +
	(if (map(select(.item == "enforces_filters"))[0].value) == true
	 then "this host enforces seccomp filters" else "this host CANNOT enforce seccomp filters" end);
