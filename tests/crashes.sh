#!/bin/sh
# Every reproducer the fuzzers found (tests/crashes/NAME.pcap or .pcapng,
# named for what it broke): the sensor replays each with every detector
# and record on, exit 0 and nothing on stderr.  Under `make asan` a
# sanitizer's report fails it.  Each is in fuzz/corpus/pipeline too.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
for f in tests/crashes/*.pcap tests/crashes/*.pcapng; do
	[ -f "$f" ] || continue
	rm -rf "$T/out"
	mkdir "$T/out"
	set +e
	"$BIN" -q -r "$f" -o "$T/out" --seed 1 -C --dns-log --ssl-log \
	    --vendor-sites --beacon-lan --report "$T/out/report.html" \
	    >"$T/stdout" 2>"$T/err"
	rc=$?
	set -e
	if [ "$rc" -ne 0 ] || [ -s "$T/err" ]; then
		echo "FAIL: $f: exit $rc, stderr:" >&2
		sed 's/^/    /' "$T/err" >&2
		fail=1
	else
		echo "   ok: $f"
	fi
done
exit $fail
