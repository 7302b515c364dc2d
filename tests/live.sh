#!/bin/sh
# Live capture on loopback (root or CAP_NET_RAW; skipped otherwise): a
# packet to a test indicator (127.0.0.2, never a real one) raises a notice
# at once; SIGHUP re-reads the indicators (a bad file keeps the old set);
# a notice.log moved away is recreated; SIGUSR1 writes the triage report;
# SIGTERM ends cleanly with a final stats line and the report as of the
# end.  Traffic stays on loopback.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
case $BIN in
*/*) ;;
*) BIN=./$BIN ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "   skipped: live capture needs root"
	exit 0
fi
if ! ip link show lo >/dev/null 2>&1 && [ ! -d /sys/class/net/lo ]; then
	echo "   skipped: no loopback interface"
	exit 0
fi
T=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: live: $*" >&2; sed 's/^/    /' "$T/err" >&2; exit 1; }

printf '127.0.0.2\t# test indicator (loopback)\n' >"$T/ioc.txt"
# loopback is this host, never a device of the default home network: the
# test names it home so that 127.0.0.1 is the device of its notices
"$BIN" -i lo -f 'udp port 9' -I "$T/ioc.txt" -o "$T" --seed 1 \
    --home-net 127.0.0.0/8 \
    --report "$T/live.html" 2>"$T/err" &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || fail "did not start"

send() {	# one UDP datagram to $1 port 9 (discard), over loopback
	bash -c "echo x > /dev/udp/$1/9" 2>/dev/null || true
}
waitfor() {	# file pattern: up to 5 s
	i=0
	while [ $i -lt 50 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

send 127.0.0.2
waitfor "$T/notice.log" '"dst":"127.0.0.2"' ||
    fail "no notice for a packet to the test indicator"
echo "   ok: live notice written at once"

# rotation: the log moved away is recreated for the next notice
mv "$T/notice.log" "$T/notice.log.1"
printf '127.0.0.2\n127.0.0.3\n' >"$T/ioc.txt"
kill -HUP "$pid"
waitfor "$T/err" "reloaded" || fail "SIGHUP did not reload"
send 127.0.0.3
waitfor "$T/notice.log" '"dst":"127.0.0.3"' ||
    fail "no notice after rotation and reload"
echo "   ok: SIGHUP reloads indicators; a rotated log is recreated"
i=0
while [ "$(grep -c '"indicators":' "$T/stats.log" 2>/dev/null)" != 2 ]; do
	[ $i -lt 50 ] || fail "stats.log: no indicators record for the reload"
	sleep 0.1
	i=$((i + 1))
done
echo "   ok: stats.log says what the start and the reload loaded"

# a bad file on reload keeps the previous set
printf '300.1.2.3\n' >"$T/ioc.txt"
kill -HUP "$pid"
waitfor "$T/err" "keeping the previous" || fail "bad reload not reported"
echo "   ok: a bad indicator file on SIGHUP keeps the old set"

# the triage report on demand, for the interface, naming the device
[ ! -e "$T/live.html" ] || fail "a report before SIGUSR1"
kill -USR1 "$pid"
waitfor "$T/live.html" '</html>' || fail "SIGUSR1 wrote no report"
grep -q '<th>Interface</th><td>lo</td>' "$T/live.html" ||
    fail "the report does not name the interface"
echo "   ok: SIGUSR1 writes the triage report"
rm "$T/live.html"

kill -TERM "$pid"
wait "$pid" || fail "exit status $? after SIGTERM"
pid=
grep -q '"final":true' "$T/stats.log" || fail "no final stats line"
grep -q '</html>' "$T/live.html" 2>/dev/null || fail "no report at exit"
# the datagrams were never answered: weak signs, graded at the end
grep -q '<h2>127.0.0.1: nothing found' "$T/live.html" ||
    fail "the report at exit has no section for 127.0.0.1"
echo "   ok: SIGTERM: clean exit, final stats line, the report at exit"
