#!/bin/sh
# The triage report in a real browser: a generated survivor capture
# (mkpcap verdict-phones) replayed with --report, the page rendered by
# headless Chromium (Debian's chromium), its text read from the DOM (the
# verdict, the app, the phone's MAC and DHCP host name, a C2 name), a
# screenshot taken (kept as $SW_BUILD/report.png), and a failure if the
# page asks the network for anything (Chromium's own net log: a request
# whose isolation key is the file:// page).  Skips, saying so, without
# chromium.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
BUILD=${SW_BUILD:-build}
MKPCAP=$BUILD/tests/mkpcap
CHROMIUM=
for c in chromium chromium-browser; do
	command -v "$c" >/dev/null 2>&1 && CHROMIUM=$c && break
done
if [ -z "$CHROMIUM" ]; then
	echo "   skipped: chromium is not installed (apt-get install chromium)"
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "   ok: $*"; }
bad() { echo "FAIL: $*" >&2; fail=1; }

"$MKPCAP" verdict-phones "$T/phones.pcap" >/dev/null
mkdir "$T/o"
"$BIN" -q -r "$T/phones.pcap" -o "$T/o" --report "$T/report.html"
[ -s "$T/report.html" ] || { echo "FAIL: no report written" >&2; exit 1; }

# the browser, with its own background traffic off and a profile of its
# own; the page is a file: nothing it asks for may leave the machine
browse() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --disable-default-apps \
	    --disable-extensions --disable-domain-reliability \
	    --user-data-dir="$T/profile" --log-net-log="$T/net.json" \
	    --net-log-capture-mode=Everything "$@" 2>"$T/chromium.err"
}
browse --dump-dom "file://$T/report.html" >"$T/dom.html" ||
    { bad "chromium failed:"; tail -5 "$T/chromium.err" >&2; }
for want in "very likely" "mSpy" "8c:f5:a3:00:00:0a" "Galaxy-de-Marie" \
    "api.thd.cc" "What this means, and what it does not" \
    "Only an expert review of the phone confirms"; do
	if grep -q -F "$want" "$T/dom.html"; then
		ok "the page says: $want"
	else
		bad "the page does not say: $want"
	fi
done
# the phone that only looked a name up is possible, not very likely
if grep -q -F "192.168.1.40: possible" "$T/dom.html"; then
	ok "the phone that only looked the name up: possible"
else
	bad "192.168.1.40 is not 'possible' on the page"
fi
reqs=$(grep '"network_isolation_key":"file://' "$T/net.json" 2>/dev/null |
    grep -o '"url":"[^"]*"' | grep -v '"url":"file://' | sort -u || true)
if [ -z "$reqs" ] && [ -s "$T/net.json" ]; then
	ok "the page asked the network for nothing (net log)"
else
	bad "the page made requests: ${reqs:-no net log written}"
fi
if grep -E -q '<script|<link|<img|<iframe|@import|url\(' "$T/report.html"; then
	bad "the report holds a tag or rule that could fetch"
else
	ok "no script, link, image, frame or import in the file"
fi
rm -f "$T/net.json"
browse --screenshot="$T/report.png" --window-size=1100,2600 \
    "file://$T/report.html" >/dev/null || true
if [ -s "$T/report.png" ] &&
    [ "$(head -c 4 "$T/report.png" | od -An -c | tr -d ' ')" = '211PNG' ]; then
	cp "$T/report.png" "$BUILD/report.png"
	ok "screenshot: $BUILD/report.png ($(wc -c <"$T/report.png") bytes)"
else
	bad "no screenshot"
fi
exit $fail
