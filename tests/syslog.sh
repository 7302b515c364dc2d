#!/bin/sh
# --syslog against a real rsyslogd (Debian's) on loopback: a live sensor on
# lo raises one notice per datagram to a test indicator (127.0.0.2, never
# a real one); the collector is stopped in the middle and started again;
# at the end every notice of notice.log reached the collector exactly once
# or is counted in stats.log's syslog_dropped, each as one RFC 5424
# message in octet-counted framing.  Root (live capture) and rsyslogd
# needed; skipped, saying so, otherwise.  Traffic stays on loopback.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
BUILD=${SW_BUILD:-build}
JC=$BUILD/tests/jsoncheck
case $BIN in
*/*) ;;
*) BIN=./$BIN ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "   skipped: live capture needs root"
	exit 0
fi
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
if [ ! -x "$RSYSLOGD" ]; then
	echo "   skipped: rsyslogd is not installed (apt-get install rsyslog)"
	exit 0
fi
T=$(mktemp -d)
pid= rpid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: syslog: $*" >&2; sed 's/^/    /' "$T/err" >&2; exit 1; }

# a free port: the test's HTTP server picks one and is gone
"$BUILD/tests/httpd" "$T" "$T/port" &
hp=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill "$hp"
wait "$hp" 2>/dev/null || true
PORT=$(cat "$T/port")
cat >"$T/rsyslog.conf" <<EOC
global(workDirectory="$T" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" port="$PORT" address="127.0.0.1")
template(name="raw" type="string" string="%msg%\n")
action(type="omfile" file="$T/received" template="raw")
EOC
collector() {
	"$RSYSLOGD" -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" \
	    >>"$T/rsyslog.out" 2>&1 &
	rpid=$!
	i=0
	while ! grep -q . "$T/rsyslog.pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
}
collector

printf '127.0.0.2\t# test indicator (loopback)\n' >"$T/ioc.txt"
mkdir "$T/logs"
"$BIN" -i lo -f 'udp port 9' -I "$T/ioc.txt" -o "$T/logs" --seed 1 \
    --suppress-for 0 --syslog "127.0.0.1:$PORT" --sensor-name syslog-test \
    2>"$T/err" &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || fail "the sensor did not start"
send() { # N datagrams to the test indicator, each a connection of its own
	k=0
	while [ $k -lt "$1" ]; do
		bash -c 'echo x > /dev/udp/127.0.0.2/9' 2>/dev/null || true
		k=$((k + 1))
		sleep 0.05
	done
}
send 20
sleep 1
# the collector goes away; notices go on; it comes back
kill "$rpid"
wait "$rpid" 2>/dev/null || true
rpid=
send 20
collector
send 20
sleep 3
kill -TERM "$pid"
wait "$pid" || fail "exit status $? after SIGTERM"
pid=
kill "$rpid"
wait "$rpid" 2>/dev/null || true
rpid=

notices=$(wc -l <"$T/logs/notice.log")
[ "$notices" -ge 50 ] || fail "only $notices notices for 60 datagrams"
touch "$T/received"
"$JC" "$T/received" || fail "a received message is not one JSON object"
got=$(wc -l <"$T/received")
uniq_got=$("$JC" -f uid "$T/received" | sort -u | wc -l)
dropped=$(grep '"final":true' "$T/logs/stats.log" |
    sed -n 's/.*"syslog_dropped":\([0-9]*\).*/\1/p')
[ -n "$dropped" ] || fail "no syslog_dropped in the final stats line"
"$JC" -f uid "$T/logs/notice.log" | sort >"$T/written.uids"
"$JC" -f uid "$T/received" | sort >"$T/got.uids"
strays=$(comm -13 "$T/written.uids" "$T/got.uids" | wc -l)
if [ "$got" -eq "$uniq_got" ] && [ "$strays" -eq 0 ] &&
    [ $((got + dropped)) -ge "$notices" ]; then
	echo "   ok: $notices notices: $got reached rsyslogd once each," \
	    "$dropped counted as dropped, across a collector restart"
else
	fail "$notices notices, $got received ($uniq_got distinct, $strays" \
	    "not written), $dropped dropped"
fi
conns=$(grep '"final":true' "$T/logs/stats.log" |
    sed -n 's/.*"syslog_connects":\([0-9]*\).*/\1/p')
[ "${conns:-0}" -ge 2 ] ||
    fail "the sensor connected $conns times: the restart was not seen"
grep -q '"peer_descr":"syslog-test"' "$T/received" ||
    fail "the messages do not carry the sensor's name"
echo "   ok: each message is the notice's JSON line"
