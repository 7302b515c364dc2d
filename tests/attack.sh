#!/bin/sh
# Attacks on the sensor (issue 13), end to end: each generated capture
# (tests/pcapgen.c, "attack-*") hides verdict-phones' victim, 192.168.1.23,
# in a flood of spoofed or abnormal traffic:
#   attack-notices   200,000 spoofed SYNs to an mSpy C2 address
#   attack-trackers  70 spoofed SYNs a second and a LAN port scan at 70
#                    ports a second, and a 5-minute beacon of the victim
#   attack-devices   18,000 spoofed home devices, one SYN each to the C2
# For each: the victim's notices and the sensor's Sensor_Under_Attack
# notices are exactly tests/golden/attack-NAME.notice (SW_UPDATE_GOLDEN=1
# writes them); the victim's C2 notice, beacon notice and verdict are
# among them; every notice.log line parses; the flood's notices are
# bounded by the budgets; the counters say what was refused; peak memory
# stays under SW_ATTACK_RSS_KB.  The captures are written here; the C2
# address appears only inside them; nothing is sent anywhere.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
MKPCAP=${SW_BUILD:-build}/tests/mkpcap
JSONCHECK=${SW_BUILD:-build}/tests/jsoncheck
G=tests/golden
# far under the 80 MB of make bench's busy capture: the floods are held
# by the caps, not by memory
RSS_KB=${SW_ATTACK_RSS_KB:-100000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

ok() {
	echo "   ok: $*"
}
bad() {
	echo "FAIL: $*" >&2
	fail=1
}

# A stats.log counter of the final record.
stat() {
	tail -n 1 "$1/stats.log" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

# /usr/bin/time (Debian's package "time", which .ci/run installs) gives the
# peak RSS; without it the memory check says why it is skipped.
TIME=
if [ -x /usr/bin/time ]; then
	TIME=/usr/bin/time
fi

for k in notices trackers devices; do
	name=attack-$k
	d=$T/$name
	mkdir "$d"
	"$MKPCAP" "$name" "$T/$name.pcap" >/dev/null
	if [ -n "$TIME" ]; then
		set -- "$TIME" -o "$d/rss" -f %M
	else
		set --
	fi
	if ! "$@" "$BIN" -q --seed 1 --sensor-name golden \
	    -r "$T/$name.pcap" -o "$d" 2>"$d/stderr"; then
		echo "FAIL: $name: the replay exited non-zero:" >&2
		sed 's/^/    /' "$d/stderr" >&2
		exit 1
	fi
	# the victim's notices, and what the sensor says of the attack
	grep -e '"src":"192.168.1.23"' -e '"note":"Spyware::Sensor_Under_Attack"' \
	    "$d/notice.log" >"$d/kept" || true
	if [ "${SW_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$d/kept" "$G/$name.notice"
	elif ! diff -u "$G/$name.notice" "$d/kept" >"$d/diff"; then
		bad "$name: the victim's and the attack notices differ from $G/$name.notice:"
		head -20 "$d/diff" >&2
	fi
	for note in C2_Traffic Suspicious_Beaconing Survivor_Risk; do
		if grep '"src":"192.168.1.23"' "$d/kept" |
		    grep -q "\"note\":\"Spyware::$note\""; then
			ok "$name: the victim's $note notice"
		else
			bad "$name: no $note notice for the victim"
		fi
	done
	n=$(grep -c 'Sensor_Under_Attack' "$d/kept" || true)
	# one every SW_ATTACK_NOTICE_S (600 s) of the hour at most
	if [ "$n" -ge 1 ] && [ "$n" -le 7 ]; then
		ok "$name: $n Sensor_Under_Attack notices"
	else
		bad "$name: $n Sensor_Under_Attack notices (1 to 7 expected)"
	fi
	if "$JSONCHECK" "$d/notice.log" >/dev/null 2>&1; then
		ok "$name: every notice.log line parses"
	else
		bad "$name: notice.log has a line that does not parse"
	fi
	total=$(wc -l <"$d/notice.log")
	# 6 windows of 600 s: the foreign budget and the attacker card's
	# budget, 64 notices each, and home-spoofed addresses that were
	# seen without their frames' MAC (none here)
	if [ "$total" -le 900 ]; then
		ok "$name: $total notices written in all"
	else
		bad "$name: $total notices written (the budgets allow 900)"
	fi
	if [ -n "$TIME" ]; then
		rss=$(tail -n 1 "$d/rss")
		if [ "$rss" -le "$RSS_KB" ]; then
			ok "$name: peak RSS $rss KiB (<= $RSS_KB)"
		else
			bad "$name: peak RSS $rss KiB (over $RSS_KB)"
		fi
	else
		echo "   skipped the memory check of $name: no /usr/bin/time"
	fi
	case $k in
	notices|devices) c=notices_over_budget ;;
	trackers) c=beacon_over_budget ;;
	esac
	v=$(stat "$d" "$c")
	if [ "${v:-0}" -gt 0 ]; then
		ok "$name: stats.log $c $v"
	else
		bad "$name: stats.log $c is ${v:-absent}"
	fi
	if [ "$k" = trackers ]; then
		v=$(stat "$d" beacon_unanswered)
		if [ "${v:-0}" -gt 100000 ]; then
			ok "$name: stats.log beacon_unanswered $v"
		else
			bad "$name: stats.log beacon_unanswered is ${v:-absent}"
		fi
	fi
done
exit $fail
