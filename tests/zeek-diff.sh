#!/bin/sh
# zeek-diff.sh - run stalkerwatch -C over every pcap that has a Zeek conn.log
# baseline in $SW_SHARED/pcaps-real/zeek and compare with tests/zeekdiff.
# Fails only if a run fails or too few of Zeek's connections are found
# (-m); the per-field agreement is printed for the record.
set -eu
SW_BIN=${SW_BIN:-./stalkerwatch}
SW_BUILD=${SW_BUILD:-build}
SW_SHARED=${SW_SHARED:-../shared}
Z="$SW_SHARED/pcaps-real/zeek"
if [ ! -d "$Z" ]; then
	echo "   skipped: $Z not found"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
set --
for base in "$Z"/*.zeek-conn.log; do
	n=$(basename "$base" .zeek-conn.log)
	pcap="$Z/$n.pcap"
	[ -f "$pcap" ] || pcap="$Z/$n.pcapng"
	[ -f "$pcap" ] || continue
	mkdir -p "$tmp/$n"
	"$SW_BIN" -r "$pcap" -C -o "$tmp/$n" >/dev/null 2>"$tmp/$n.err" || {
		echo "   stalkerwatch failed on $n:"; cat "$tmp/$n.err"; exit 1; }
	set -- "$@" "$base" "$tmp/$n/conn.log"
done
"$SW_BUILD/tests/zeekdiff" -m 10 "$@" | grep -v '^  agree' | tail -1
