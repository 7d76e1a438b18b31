# shellcheck shell=bash
# matrix/watch.sh: how the matrix decides a guest is hung (sourced by
# matrix/matrix.sh and tests/matrix.test.sh; bash).
#
# A guest is hung only when its console stops moving: no new line for STALL
# seconds.  Under TCG on a loaded machine a guest can take many minutes and
# still be working, printing a line per case; such a guest is never called
# hung.  The overall CAP is a safety net against a guest that prints for ever,
# and is reported as that, not as a hang.

# watch_console LOG PID STALL CAP
#   Waits while process PID writes its console to the file LOG.  STALL and
#   CAP are seconds (decimals allowed).  Ends, printing one line, when:
#     exited                          PID ended by itself (status 0)
#     stalled: no new console line for STALL s (last line: ...)      (1)
#     capped: exceeded the overall limit of CAP s while still making
#       progress (last new line N s before)                          (2)
#   In the last two cases PID is stopped (TERM, then KILL after 5 s).
watch_console() {
	local log=$1 pid=$2 stall_us cap_us now start last_change lines seen=-1 poll_s why rc
	stall_us=$(seconds_to_us "$3") cap_us=$(seconds_to_us "$4")
	# Poll often enough to notice a stall within a quarter of its length
	# (at most once a second, at least every tenth of a second).
	poll_s=$((stall_us / 4))
	poll_s=$(us_to_seconds $((poll_s > 1000000 ? 1000000 : poll_s < 100000 ? 100000 : poll_s)))
	start=$(now_us) last_change=$start
	while process_alive "$pid"; do
		now=$(now_us)
		lines=$(wc -l <"$log" 2>/dev/null || echo 0)
		if [ "$lines" != "$seen" ]; then
			seen=$lines last_change=$now
		elif [ $((now - last_change)) -ge "$stall_us" ]; then
			why="stalled: no new console line for $(us_to_seconds "$stall_us") s (last line: $(last_line "$log"))"
			rc=1
			break
		fi
		if [ $((now - start)) -ge "$cap_us" ]; then
			why="capped: exceeded the overall limit of $(us_to_seconds "$cap_us") s while still making progress (last new console line $(us_to_seconds $((now - last_change))) s before)"
			rc=2
			break
		fi
		sleep "$poll_s"
	done
	if [ -z "${rc:-}" ]; then
		echo exited
		return 0
	fi
	stop_process "$pid"
	echo "$why"
	return "$rc"
}

# True while PID runs (a zombie, not yet reaped by its parent, has ended).
process_alive() {
	local stat
	kill -0 "$1" 2>/dev/null || return 1
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

stop_process() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		process_alive "$pid" || return 0
		sleep 0.5
	done
	kill -KILL "$pid" 2>/dev/null || true
}

last_line() {
	tail -n1 "$1" 2>/dev/null | tr -d '\r' | cut -c1-160
}

# Microseconds since the epoch, from bash's own clock (no process).
now_us() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((10#$t))
}

# "2.5" -> 2500000; refuses anything but a non-negative decimal.
seconds_to_us() {
	local s=$1 int frac
	[[ "$s" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "watch_console: not a number of seconds: '$s'" >&2; return 64; }
	int=${s%%.*} frac=
	[ "$int" != "$s" ] && frac=${s#*.}
	frac=${frac}000000
	echo $((10#$int * 1000000 + 10#${frac:0:6}))
}

us_to_seconds() {
	local us=$1
	if [ $((us % 1000000)) -eq 0 ]; then
		echo $((us / 1000000))
	else
		printf '%d.%01d\n' $((us / 1000000)) $((us % 1000000 / 100000))
	fi
}
