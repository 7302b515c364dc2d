#!/bin/sh
# Golden end-to-end tests (tcpdump's TESTLIST model): each case in
# tests/golden/CASES replays a capture with a fixed seed and diffs
# notice.log and conn.log against the expected files.  Output must be
# byte-for-byte deterministic: packet time, fixed key order, fixed seed.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
MKPCAP=${SW_BUILD:-build}/tests/mkpcap
G=tests/golden
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0 n=0

grep -v '^#' "$G/CASES" | while IFS='|' read -r name src args; do
	name=$(echo "$name" | tr -d ' ')
	src=$(echo "$src" | tr -d ' ')
	[ -n "$name" ] || continue
	case $src in
	*/*)	pcap=$src ;;
	*)	pcap=$T/$src.pcap
		[ -f "$pcap" ] || "$MKPCAP" "$src" "$pcap" >/dev/null ;;
	esac
	mkdir "$T/$name"
	# shellcheck disable=SC2086
	"$BIN" -q --seed 1 --sensor-name golden -C -r "$pcap" -o "$T/$name" \
	    $args
	for log in notice conn; do
		touch "$T/$name/$log.log"
		if [ "${SW_UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$T/$name/$log.log" "$G/$name.$log"
		elif ! diff -u "$G/$name.$log" "$T/$name/$log.log" \
		    >"$T/diff"; then
			echo "FAIL: golden $name $log.log differs:" >&2
			head -40 "$T/diff" >&2
			echo fail >"$T/failed"
		fi
	done
	echo "   $name: $(wc -l <"$T/$name/notice.log") notices," \
	    "$(wc -l <"$T/$name/conn.log") connections"
done
[ ! -f "$T/failed" ]
