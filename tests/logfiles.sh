#!/bin/sh
# Logs that move or fail under a running sensor.  A replay from a pipe
# (-r -) is fed half a capture, then the logs are changed, then the rest:
# every log moved away (notice, conn, dns, ssl, stats) is made again by
# itself and gets the rest of its lines; a removed log directory, or
# notice.log replaced by a directory, is told once a log, not once a
# line, and the replay exits 1.  At start-up a FIFO under a log's name
# is refused at once (it used to hang the open).
set -eu
BIN=${SW_BIN:-./stalkerwatch}
BUILD=${SW_BUILD:-build}
JC=$BUILD/tests/jsoncheck
case $BIN in
*/*) ;;
*) BIN=./$BIN ;;
esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: logfiles: $*" >&2; sed 's/^/    /' "$T/err" >&2; exit 1; }
LOGS="notice.log conn.log dns.log ssl.log stats.log"
OPTS="-q --seed 1 --suppress-for 0 --stats-interval 60 -C --dns-log --ssl-log"

"$BUILD/tests/mkpcap" demo "$T/demo.pcap" >/dev/null
half=$(($(wc -c <"$T/demo.pcap") / 2))

# feed DIR ACTION: the first half of the capture, then (once every log of
# DIR holds a line) ACTION, then the rest, into a replay from the pipe
feed() {
	head -c "$half" "$T/demo.pcap"
	i=0
	for f in $LOGS; do
		while [ ! -s "$1/$f" ]; do
			[ $i -lt 100 ] || break 2
			sleep 0.1
			i=$((i + 1))
		done
	done
	eval "$2"
	# the next whole second is when the sensor looks at its logs
	sleep 1.2
	tail -c +$((half + 1)) "$T/demo.pcap"
}
run() {	# DIR ACTION: the replay's exit status in $rc
	mkdir "$1"
	set +e
	feed "$1" "$2" | "$BIN" -r - -o "$1" $OPTS 2>"$T/err"
	rc=$?
	set -e
}

run "$T/mv" 'for f in $LOGS; do mv "$T/mv/$f" "$T/mv/$f.1"; done'
[ "$rc" -eq 0 ] || fail "exit $rc after the logs were moved"
for f in $LOGS; do
	[ -s "$T/mv/$f" ] || fail "$f moved away was not made again"
	"$JC" "$T/mv/$f" "$T/mv/$f.1" || fail "$f: a line does not parse"
done
grep -q '"final":true' "$T/mv/stats.log" || fail "no final stats line"
echo "   ok: every log moved away is made again:" $(for f in $LOGS; do
	echo "$f $(wc -l <"$T/mv/$f.1")+$(wc -l <"$T/mv/$f")"; done)

run "$T/rm" 'rm -rf "$T/rm"'
[ "$rc" -eq 1 ] || fail "exit $rc after the log directory was removed"
for f in $LOGS; do
	n=$(grep -c "/rm/$f: cannot open for writing: No such file" "$T/err" ||
	    true)
	[ "$n" -le 1 ] || fail "$f: $n lines for one cause"
done
grep -q "/rm/notice.log: cannot open for writing: No such file or directory (notices are being lost)" \
    "$T/err" || fail "the lost notices were not told"
echo "   ok: log directory removed: exit 1," \
    "$(wc -l <"$T/err") lines, one a log"

run "$T/dir" 'rm "$T/dir/notice.log"; mkdir "$T/dir/notice.log"'
[ "$rc" -eq 1 ] || fail "exit $rc after notice.log became a directory"
[ "$(wc -l <"$T/err")" -eq 1 ] &&
    grep -q "/dir/notice.log: cannot open for writing: Is a directory (notices are being lost)" \
    "$T/err" || fail "notice.log as a directory: not one clear line"
echo "   ok: notice.log replaced by a directory: exit 1, $(cat "$T/err")"

for f in notice.log conn.log; do
	rm -rf "$T/fifo"
	mkdir "$T/fifo"
	mkfifo "$T/fifo/$f"
	set +e
	timeout 20 "$BIN" -r "$T/demo.pcap" -o "$T/fifo" $OPTS 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	    grep -q "fifo/$f: cannot open for writing: not a regular file" \
	    "$T/err" || fail "a FIFO named $f: exit $rc (124: hung)"
	echo "   ok: a FIFO named $f: exit 1, $(cat "$T/err")"
done
