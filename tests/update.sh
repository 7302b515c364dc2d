#!/bin/sh
# stalkerwatch-update against a local HTTP server on loopback (never a real
# source): a good update swaps the new set in (the directory becomes a link
# to it) and the sensor loads it; a broken file, a truncated download and
# an unreachable source each fail with one line why and leave the set in
# use untouched.  Skips, saying so, without curl.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
BUILD=${SW_BUILD:-build}
case $BIN in
/*) ;;
*) BIN=$(pwd)/$BIN ;;
esac
if ! command -v curl >/dev/null 2>&1; then
	echo "   skipped: curl is not installed (apt-get install curl)"
	exit 0
fi
T=$(mktemp -d)
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$T"' \
    EXIT INT TERM
fail=0
ok() { echo "   ok: $*"; }
bad() { echo "FAIL: $*" >&2; fail=1; }

sed -e "s|@BINDIR@|$T/nowhere|" -e "s|@DATADIR@|$T/nowhere|" \
    contrib/stalkerwatch-update.in >"$T/update"
chmod 0755 "$T/update"
export STALKERWATCH="$BIN"

# the set in use: the bundled one, a plain directory at first
mkdir -p "$T/share"
cp -R iocs "$T/share/iocs"
# the source: Echap's two files, with one more C2 name to see the update
mkdir "$T/good" "$T/broken"
cp iocs/ioc.yaml iocs/watchware.yaml "$T/good/"
printf -- '- name: UpdateTest\n  type: stalkerware\n  c2:\n    domains:\n    - c2.update-test.example\n' \
    >>"$T/good/ioc.yaml"
cp "$T/good/watchware.yaml" "$T/broken/"
printf -- '- name: Broken\n  websites: [a.example\n' >"$T/broken/ioc.yaml"

serve() { # DIR [CUT]: a server, its port in $port
	rm -f "$T/port"
	# shellcheck disable=SC2086
	"$BUILD/tests/httpd" "$1" "$T/port.new" ${2:-} &
	pids="$pids $!"
	i=0
	while [ ! -s "$T/port.new" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	port=$(cat "$T/port.new")
	rm -f "$T/port.new"
}
fingerprint() { cat "$T/share/iocs"/ioc.yaml "$T/share/iocs"/watchware.yaml | cksum; }

serve "$T/good"
if "$T/update" --source "http://127.0.0.1:$port" --dir "$T/share/iocs" \
    >"$T/out" 2>"$T/err" && [ -L "$T/share/iocs" ] &&
    grep -q 'c2.update-test.example' "$T/share/iocs/ioc.yaml" &&
    "$BIN" --check-iocs --no-default-iocs -I "$T/share/iocs/ioc.yaml" \
	-I "$T/share/iocs/watchware.yaml" >/dev/null 2>&1; then
	ok "a good update: $(cat "$T/out")"
else
	bad "good update: $(cat "$T/err")"
fi
[ -d "$T/share/iocs.d/set-initial" ] && ok "the first set is kept in iocs.d" ||
    bad "no iocs.d/set-initial"
before=$(fingerprint)

# failures: exit 1, one line, the set in use untouched
failcase() { # what pattern args...
	what=$1 pat=$2
	shift 2
	set +e
	"$T/update" --dir "$T/share/iocs" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	    grep -q -- "$pat" "$T/err" && [ "$(fingerprint)" = "$before" ] &&
	    [ "$(ls -1d "$T/share/iocs.d"/set-* | wc -l)" -eq 2 ]; then
		ok "$what: exit 1, the set kept: $(cat "$T/err")"
	else
		bad "$what: exit $rc: $(cat "$T/err")"
	fi
}
serve "$T/broken"
failcase "a broken file" "ioc.yaml:.*" --source "http://127.0.0.1:$port"
serve "$T/good" 200
failcase "a truncated download" "ioc.yaml: .*" \
    --source "http://127.0.0.1:$port"
serve "$T/good"
failcase "a file the source does not have" "404" \
    --source "http://127.0.0.1:$port/missing"
# a port nothing listens on (the kernel gave it, then it was closed)
failcase "an unreachable source" "127.0.0.1" --source "http://127.0.0.1:9"
exit $fail
