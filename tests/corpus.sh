#!/bin/sh
# Robustness: every capture in ../shared/pcaps-real replays without a
# crash, a sanitizer report or a leak (under `make asan`), with exit 0, or
# 1 for files that are themselves truncated.  Skips when ../shared is
# absent.
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
n=0 trunc=0 fail=0
for f in $(find "$SHARED/pcaps-real" -type f \( -name '*.pcap' -o \
    -name '*.pcapng' -o -name '*.cap' \) | sort); do
	n=$((n + 1))
	set +e
	"$BIN" -q --seed 1 -C -r "$f" -o "$T" 2>"$T/err" >/dev/null
	rc=$?
	set -e
	if grep -q -e 'Sanitizer' -e 'runtime error' -e 'LeakSanitizer' \
	    "$T/err" || [ $rc -gt 1 ]; then
		echo "FAIL: $f: exit $rc" >&2
		head -20 "$T/err" >&2
		fail=$((fail + 1))
	elif [ $rc -eq 1 ]; then
		trunc=$((trunc + 1))
		grep -q -e 'truncated or unreadable' -e 'not a readable' \
		    "$T/err" || {
			echo "FAIL: $f: exit 1 without a capture error:" >&2
			cat "$T/err" >&2
			fail=$((fail + 1))
		}
	fi
	for log in "$T"/*.log; do
		[ -f "$log" ] || continue
		"$JSONCHECK" "$log" || {
			echo "FAIL: $f: $(basename "$log") has a bad line" >&2
			fail=$((fail + 1))
		}
	done
	rm -f "$T"/*.log
done
echo "   $n captures replayed, $trunc reported as damaged files, $fail failures"
[ $fail -eq 0 ]
