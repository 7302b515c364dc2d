#!/bin/sh
# Every reproducer the fuzzers found (tests/crashes/NAME.pcap or .pcapng,
# named for what it broke): the sensor replays each with every detector
# and record on, exit 0, and nothing on stderr but the sensor's own
# account of what it skipped ("stalkerwatch: N packets had a time stamp
# beyond ..."): a sanitizer's report (under `make asan`) or any other
# line fails it.  Each is in fuzz/corpus/pipeline too.
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
	grep -v '^stalkerwatch: [0-9]* packets had a time stamp beyond' \
	    "$T/err" >"$T/other" || true
	if [ "$rc" -ne 0 ] || [ -s "$T/other" ]; then
		echo "FAIL: $f: exit $rc, stderr:" >&2
		sed 's/^/    /' "$T/err" >&2
		fail=1
	else
		echo "   ok: $f"
	fi
done
exit $fail
