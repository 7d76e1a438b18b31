# results.jq: how a results line reads on screen, defined once for every
# table the shell layer prints (jq -L commands 'include "results"; ...').

# "errno EPERM", "allowed ENOTDIR", "allowed ok", "killed", "absent", ...
def verdict_text:
	if .verdict == "allowed" then "allowed \(.errno_name // (if (.ret // 0) >= 0 then "ok" else "-" end))"
	elif .verdict == "errno" then "errno \(.errno_name // .errno // "-")"
	else .verdict // "-" end;

# The same in the cases format's own words (errno 0 is success), with who
# decided: "allowed 0 by kernel".
def case_text:
	"\(.verdict // "-") \(.errno_name // (if .verdict == "allowed" then "0" else "-" end)) by \(.by // "-")";

# The compact cell of the main table (80 columns): "EPERM" the filter
# returned it; "ok:ENOTDIR" the filter let the call through and the kernel
# answered; "ok" it succeeded; otherwise the verdict.
def verdict_cell:
	if .verdict == "allowed" then "ok" + (if .errno_name then ":\(.errno_name)" else "" end)
	elif .verdict == "errno" then .errno_name // "errno \(.errno // "-")"
	else .verdict // "-" end;

# Text padded with spaces to n characters (never cut).
def pad($n): . + " " * ([$n - length, 0] | max);

# A text's words in lines of at most w characters (a longer word cut at w):
# an array of lines, [] for an empty text.
def wrap($w):
	reduce (splits(" +") | select(length > 0) | . as $long | range(0; length; $w) | $long[.:. + $w]) as $word ([];
		if length == 0 then [$word]
		elif (.[length - 1] | length) + 1 + ($word | length) <= $w then .[length - 1] += " " + $word
		else . + [$word] end);
