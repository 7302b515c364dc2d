#!/bin/sh
# Robustness: every capture in ../shared/pcaps-real replays without a
# crash, a sanitizer report or a leak (under `make asan`), with exit 0, or
# 1 for files that are themselves truncated.  Must-not-fire: with the
# fullest indicator set (the bundled Echap ioc.yaml and watchware.yaml
# plus every generated Echap file of ../shared/iocs-upstream), no capture
# outside malware/ (browsing, phones, protocol tests) raises an indicator
# notice.  Skips when ../shared is absent.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
JSONCHECK=${SW_BUILD:-build}/tests/jsoncheck
SHARED=${SW_SHARED:-../shared}
if [ ! -d "$SHARED/pcaps-real" ]; then
	echo "   skipped: $SHARED/pcaps-real not present"
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 trunc=0 blind=0 fail=0 quiet=0
U=$SHARED/iocs-upstream
FULL=
for x in echap-network.csv echap-indicators-for-tinycheck.json \
    echap-hosts_full echap-misp_event.json echap-suricata.rules \
    echap-stalkerware.stix2 echap-quad9_blocklist.txt; do
	[ -f "$U/$x" ] && FULL="$FULL -I $U/$x"
done
for f in $(find "$SHARED/pcaps-real" -type f \( -name '*.pcap' -o \
    -name '*.pcapng' -o -name '*.cap' \) | sort); do
	n=$((n + 1))
	set +e
	# shellcheck disable=SC2086
	"$BIN" --seed 1 -C $FULL -r "$f" -o "$T" 2>"$T/err" >/dev/null
	rc=$?
	set -e
	if grep -q -e 'Sanitizer' -e 'runtime error' -e 'LeakSanitizer' \
	    "$T/err" || [ $rc -gt 1 ]; then
		echo "FAIL: $f: exit $rc" >&2
		head -20 "$T/err" >&2
		fail=$((fail + 1))
	elif [ $rc -eq 1 ] && grep -q 'nothing can be said' "$T/err"; then
		# no connection it can read (a link type it does not decode,
		# tunnels only, every packet malformed): said, exit 1
		blind=$((blind + 1))
	elif [ $rc -eq 1 ]; then
		trunc=$((trunc + 1))
		grep -q -e 'truncated or unreadable' -e 'not a readable' \
		    "$T/err" || {
			echo "FAIL: $f: exit 1 without a capture error:" >&2
			cat "$T/err" >&2
			fail=$((fail + 1))
		}
	fi
	# what could not be read is never an all-clear
	if grep -q 'nothing can be said' "$T/err" &&
	    grep -q 'no device showed' "$T/err"; then
		echo "FAIL: $f: undecodable, yet 'no device showed'" >&2
		fail=$((fail + 1))
	fi
	case $f in
	*/malware/*) ;;
	*)	if grep -E -q '"note":"Spyware::(C2_Traffic|Distribution_Site|Watchware_Traffic)"' \
		    "$T/notice.log" 2>/dev/null; then
			echo "FAIL: $f: an indicator notice on a capture" \
			    "without stalkerware:" >&2
			grep -o '"msg":"[^"]*"' "$T/notice.log" | head -5 >&2
			fail=$((fail + 1))
		else
			quiet=$((quiet + 1))
		fi ;;
	esac
	for log in "$T"/*.log; do
		[ -f "$log" ] || continue
		"$JSONCHECK" "$log" || {
			echo "FAIL: $f: $(basename "$log") has a bad line" >&2
			fail=$((fail + 1))
		}
	done
	rm -f "$T"/*.log
done
echo "   $n captures replayed, $trunc reported as damaged files, $blind as" \
    "holding nothing it can read, $fail failures"
echo "   $quiet captures without stalkerware: no indicator notice" \
    "($(echo $FULL | wc -w | awk '{print $1 / 2}') upstream files added)"
[ $fail -eq 0 ]
