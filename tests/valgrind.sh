#!/bin/sh
# make valgrind: the unit tests (without fork, so valgrind sees them) and
# replays of the demo and of a sample of real captures under memcheck;
# any error or leak fails.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
case $BIN in
*/*) ;;
*) BIN=./$BIN ;;
esac
B=${SW_BUILD:-build}
SHARED=${SW_SHARED:-../shared}
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
command -v valgrind >/dev/null || { echo "valgrind not installed" >&2; exit 1; }
echo "== unit tests under valgrind"
CK_FORK=no CK_DEFAULT_TIMEOUT=600 $VG "$B/tests/check_sw"
echo "== replays under valgrind"
set -- pcaps/demo-mspy.pcap
if [ -d "$SHARED/pcaps-real" ]; then
	for f in zeek/http-get.pcap zeek/dns-two-responses.pcap \
	    zeek/ipv6-ftp.pcap zeek/trunc-ip4.pcap tcpdump/dlt-null-dns.pcap \
	    ndpi/android-phone.pcap malware/slips-cc-https-beacon-1min.pcap \
	    ndpi/tls-huge-clienthello.pcapng; do
		[ -f "$SHARED/pcaps-real/$f" ] && set -- "$@" "$SHARED/pcaps-real/$f"
	done
fi
for f in "$@"; do
	rc=0
	rm -f "$T"/*.log # each replay its own logs (a replay refuses to add)
	$VG "$BIN" -q --seed 1 -C --dns-log --ssl-log -r "$f" -o "$T" || rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL: valgrind on $f (exit $rc)" >&2
		exit 1
	fi
	echo "   $f: clean"
done
