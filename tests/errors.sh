#!/bin/sh
# Error paths: each bad input gets one clear line on stderr naming the thing
# and the reason, and the exit status DESIGN.md gives (1 runtime, 2 usage).
set -eu
BIN=${SW_BIN:-./stalkerwatch}
MKPCAP=${SW_BUILD:-build}/tests/mkpcap
T=$(mktemp -d)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
fail=0

# expect STATUS PATTERN -- command...: exit status, one stderr line matching
expect() {
	want=$1 pat=$2
	shift 3
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	lines=$(wc -l <"$T/err")
	if [ "$got" -ne "$want" ] || ! grep -q -- "$pat" "$T/err" ||
	    [ "$lines" -ne 1 ]; then
		echo "FAIL: $* -> exit $got (want $want), stderr:" >&2
		sed 's/^/    /' "$T/err" >&2
		echo "    (want one line matching: $pat)" >&2
		fail=1
	else
		echo "   ok: exit $got: $(cat "$T/err")"
	fi
}

mkdir "$T/logs"
"$MKPCAP" c2-ip "$T/good.pcap" >/dev/null

expect 1 "missing.pcap: cannot open: No such file" -- \
    "$BIN" -q -r "$T/missing.pcap" -o "$T/logs" --append
printf 'this is not a capture file at all\n' >"$T/text.pcap"
expect 1 "text.pcap: not a readable pcap or pcapng file" -- \
    "$BIN" -q -r "$T/text.pcap" -o "$T/logs" --append
: >"$T/empty.pcap"
expect 1 "empty.pcap: not a readable pcap or pcapng file" -- \
    "$BIN" -q -r "$T/empty.pcap" -o "$T/logs" --append

# a capture cut in the middle of a packet: what is readable is processed
size=$(wc -c <"$T/good.pcap")
head -c $((size - 7)) "$T/good.pcap" >"$T/trunc.pcap"
expect 1 "trunc.pcap: truncated or unreadable after packet" -- \
    "$BIN" -q -r "$T/trunc.pcap" -o "$T/logs" --append
grep -q '"note":"Spyware::C2_Traffic"' "$T/logs/notice.log" || {
	echo "FAIL: truncated capture: the readable part was not analysed" >&2
	fail=1
}

expect 1 "log directory $T/nodir: does not exist" -- \
    "$BIN" -q -r "$T/good.pcap" -o "$T/nodir"
mkdir "$T/ro"
chmod 0555 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
	expect 1 "ro/notice.log: cannot open for writing" -- \
	    "$BIN" -q -r "$T/good.pcap" -o "$T/ro"
else
	# root writes anywhere: a file where the log should go instead
	mkdir "$T/ro2" && mkdir "$T/ro2/notice.log"
	expect 1 "notice.log: cannot open for writing" -- \
	    "$BIN" -q -r "$T/good.pcap" -o "$T/ro2"
fi

printf '10.0.0.1\n300.1.2.3\n' >"$T/bad.txt"
expect 2 "bad.txt:2: " -- "$BIN" -q -r "$T/good.pcap" -o "$T/logs" --append \
    -I "$T/bad.txt"
expect 2 "missing.txt: " -- "$BIN" -q -r "$T/good.pcap" -o "$T/logs" --append \
    -I "$T/missing.txt"
expect 2 "bad BPF filter" -- "$BIN" -q -r "$T/good.pcap" -o "$T/logs" --append \
    -f "tcp and and"
expect 2 "nothing to read" -- "$BIN" -q -o "$T/logs" --append
expect 2 "unexpected argument" -- "$BIN" -q -r "$T/good.pcap" stray
expect 2 "--suppress-for" -- "$BIN" -q -r "$T/good.pcap" --suppress-for x
expect 2 "--beacon-min-period is over --beacon-max-period" -- "$BIN" -q \
    -r "$T/good.pcap" --beacon-min-period 100 --beacon-max-period 50
expect 2 "--beacon-min-period must be over --beacon-idle-gap" -- "$BIN" -q \
    -r "$T/good.pcap" --beacon-min-period 1
expect 2 "--beacon-trackers must be at least 1" -- "$BIN" -q \
    -r "$T/good.pcap" --beacon-trackers 0

# --lenient: the bad line is reported, the rest is used, exit 0
set +e
"$BIN" -q -r "$T/good.pcap" -o "$T/logs" --append -I "$T/bad.txt" --lenient \
    2>"$T/err"
rc=$?
set -e
if [ $rc -ne 0 ] || ! grep -q "bad.txt:2: " "$T/err"; then
	echo "FAIL: --lenient: exit $rc, stderr: $(cat "$T/err")" >&2
	fail=1
else
	echo "   ok: --lenient reports and goes on"
fi

# indicator sets: what is loaded, and an empty set is a configuration error
: >"$T/empty.txt"
printf '# nothing but comments\n' >"$T/comments.txt"
expect 2 "no indicator loaded" -- "$BIN" -q -r "$T/good.pcap" \
    -o "$T/logs" --append --no-default-iocs -I "$T/empty.txt" -I "$T/comments.txt"
printf '300.1.2.3\n' >"$T/allbad.txt"
expect 2 "no indicator loaded (empty files, or every line skipped by" -- \
    sh -c '"$0" -q -r "$1" -o "$2" --append --no-default-iocs -I "$3" --lenient \
    2>&1 >/dev/null | grep -v "allbad.txt:1: " >&2; exit 2' "$BIN" \
    "$T/good.pcap" "$T/logs" "$T/allbad.txt"
expect 2 "--no-default-iocs needs -I FILE" -- "$BIN" -q \
    -r "$T/good.pcap" -o "$T/logs" --append --no-default-iocs
expect 2 "--check-iocs reads no packets" -- "$BIN" --check-iocs \
    -r "$T/good.pcap"
expect 2 "bad.txt:2: " -- "$BIN" --check-iocs -I "$T/bad.txt"
printf -- '- name: Broken\n  websites: [a.example\n' >"$T/broken.yaml"
expect 2 "broken.yaml:3: YAML: " -- "$BIN" --check-iocs -I "$T/broken.yaml"
"$BIN" --check-iocs >"$T/out" 2>"$T/err" || {
	echo "FAIL: --check-iocs on the bundled set: $(cat "$T/err")" >&2
	fail=1
}
if grep -q "stalkerware: [1-9][0-9]* apps, [1-9][0-9]* C2 names" "$T/out" &&
    grep -q "watchware: [1-9][0-9]* apps" "$T/out"; then
	echo "   ok: --check-iocs: $(cut -c1-100 "$T/out")..."
else
	echo "FAIL: --check-iocs counts: $(cat "$T/out")" >&2
	fail=1
fi
"$BIN" -q --no-default-iocs --allow-empty-iocs -r "$T/good.pcap" \
    -o "$T/logs" --append 2>"$T/err" ||
    { echo "FAIL: --allow-empty-iocs: $(cat "$T/err")" >&2; fail=1; }
echo "   ok: --allow-empty-iocs runs without indicators"
# -I adds to the bundled set: the bundled mSpy address still fires
printf 'extra.example\n' >"$T/extra.txt"
rm -f "$T/logs/notice.log"
"$BIN" -q -r "$T/good.pcap" -o "$T/logs" --append -I "$T/extra.txt"
if grep -q '"app":"mSpy"' "$T/logs/notice.log"; then
	echo "   ok: -I adds to the bundled indicators"
else
	echo "FAIL: -I FILE dropped the bundled indicators" >&2
	fail=1
fi
rm -f "$T/logs/notice.log"
"$BIN" -q -r "$T/good.pcap" -o "$T/logs" --append --no-default-iocs -I "$T/extra.txt"
if [ -s "$T/logs/notice.log" ]; then
	echo "FAIL: --no-default-iocs still loaded the bundled set" >&2
	fail=1
else
	echo "   ok: --no-default-iocs -I FILE uses that file only"
fi

# stdin
"$BIN" -q -r - -o - <"$T/good.pcap" >"$T/out"
grep -q '"note":"Spyware::C2_Traffic"' "$T/out" ||
    { echo "FAIL: -r - (stdin)" >&2; fail=1; }
echo "   ok: -r - reads standard input"

# stdin from a pipe that stays open (tcpdump -w - | stalkerwatch -r -):
# each packet reaches the analyzer at once, not when a batch has filled,
# so the notice comes while the writer still holds the pipe open
mkfifo "$T/fifo"
"$BIN" -q -r - -o "$T/pipe" <"$T/fifo" 2>"$T/pipe.err" &
pipe_pid=$!
mkdir -p "$T/pipe"
{
	cat "$T/good.pcap"
	k=0
	while [ $k -lt 100 ] && ! grep -q Spyware::C2_Traffic \
	    "$T/pipe/notice.log" 2>/dev/null; do
		sleep 0.1
		k=$((k + 1))
	done
	if grep -q Spyware::C2_Traffic "$T/pipe/notice.log" 2>/dev/null; then
		echo ok >"$T/pipe.seen"
	fi
} >"$T/fifo"
wait "$pipe_pid" || true
if [ -f "$T/pipe.seen" ]; then
	echo "   ok: -r - from an open pipe: the notice before the pipe closes"
else
	echo "FAIL: -r - from an open pipe: no notice until the pipe closed" >&2
	fail=1
fi

# A replay into a directory that holds an earlier run's notices is refused
# (a reader would count them as this capture's), unless --append.
mkdir "$T/again"
"$BIN" -q -r "$T/good.pcap" -o "$T/again"
expect 2 "notice.log already holds .* notices from an earlier run" -- \
    "$BIN" -q -r "$T/good.pcap" -o "$T/again"
n1=$(wc -l <"$T/again/notice.log")
expect 0 "" -- sh -c '"$0" -q -r "$1" -o "$2" --append && echo appended >&2' \
    "$BIN" "$T/good.pcap" "$T/again"
if [ "$(wc -l <"$T/again/notice.log")" -eq $((n1 * 2)) ]; then
	echo "   ok: --append adds this run's notices"
else
	echo "FAIL: --append: $n1 notices, then $(wc -l <"$T/again/notice.log")" >&2
	fail=1
fi

# What it cannot read is said, and is an error, not an all-clear.
# pcap_hdr LINKTYPE, then one 14-byte record: octal escapes, POSIX printf.
pcap_one() {
	printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000'
	printf '\377\377\000\000%b\000\000\000' "$1"
	printf '\001\000\000\000\000\000\000\000\016\000\000\000\016\000\000\000'
	printf '\377\377\377\377\377\377\002\000\000\000\000\001\010\006'
}
pcap_one '\177' >"$T/radiotap.pcap" # 127: IEEE802_11_RADIO
pcap_one '\001' >"$T/arp.pcap"      # Ethernet, an ARP frame
for c in radiotap arp; do
	mkdir "$T/$c"
done
expect 1 "link type is IEEE802_11_RADIO (127).*nothing can be said" -- \
    "$BIN" -q -r "$T/radiotap.pcap" -o "$T/radiotap"
expect 1 "none of the 1 packets carried a connection.*1 without IP" -- \
    "$BIN" -q -r "$T/arp.pcap" -o "$T/arp"
set +e
"$BIN" -r "$T/radiotap.pcap" -o "$T/radiotap" --append 2>"$T/err" >/dev/null
rc=$?
set -e
if [ $rc -eq 1 ] && ! grep -q "no device showed" "$T/err"; then
	echo "   ok: an undecodable capture never says 'no device showed'"
else
	echo "FAIL: undecodable capture: exit $rc, stderr:" >&2
	sed 's/^/    /' "$T/err" >&2
	fail=1
fi
# A short capture with nothing found: "could not tell", and why.
mkdir "$T/short"
"$MKPCAP" benign "$T/benign.pcap" >/dev/null
"$BIN" -r "$T/benign.pcap" -o "$T/short" 2>"$T/err" >/dev/null
if grep -q "too short for beacon evidence" "$T/err" &&
    grep -q "could not tell: nothing was found, but the capture" "$T/err" &&
    ! grep -q "no device showed" "$T/err"; then
	echo "   ok: a short capture with nothing found says it could not tell"
else
	echo "FAIL: a short capture: stderr:" >&2
	sed 's/^/    /' "$T/err" >&2
	fail=1
fi

# Every record names the sensor (peer_descr); logs sharing standard
# output say which log a line is (_path); a notice's p is an integer.
"$BIN" -q -r "$T/good.pcap" -o - -C --dns-log --sensor-name shelter-1 \
    >"$T/mixed.json"
n=$(wc -l <"$T/mixed.json")
if [ "$n" -gt 0 ] &&
    [ "$(grep -c '"peer_descr":"shelter-1"' "$T/mixed.json")" -eq "$n" ] &&
    [ "$(grep -c '^{"_path":"' "$T/mixed.json")" -eq "$n" ] &&
    grep -q '^{"_path":"notice"' "$T/mixed.json" &&
    grep -q '^{"_path":"conn"' "$T/mixed.json" &&
    grep -q '"p":[0-9]' "$T/mixed.json" && ! grep -q '"p":"' "$T/mixed.json"; then
	echo "   ok: $n records on stdout, each with _path and peer_descr"
else
	echo "FAIL: -o - -C: _path or peer_descr or p missing" >&2
	head -3 "$T/mixed.json" >&2
	fail=1
fi
"$BIN" -q -r "$T/good.pcap" -o - >"$T/alone.json"
if [ -s "$T/alone.json" ] && ! grep -q '"_path"' "$T/alone.json" &&
    grep -q '"community_id":"1:' "$T/alone.json"; then
	echo "   ok: notices alone on stdout carry no _path; a community_id"
else
	echo "FAIL: notices alone on stdout: _path, or no community_id" >&2
	fail=1
fi
expect 2 "sensor-name: 1 to 63 bytes" -- "$BIN" -q -r "$T/good.pcap" \
    -o - --sensor-name ""
expect 2 "community-id-seed" -- "$BIN" -q -r "$T/good.pcap" -o - \
    --community-id-seed 70000

exit $fail
