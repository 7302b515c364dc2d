#!/bin/sh
# Where the data goes: --geoip-db adds a geo object (country, city, asn,
# as_org) for the remote side of a notice; a miss adds none; IPv6 works;
# a missing, damaged or wrong-type database is a start-up error (exit 2)
# naming the file.  The databases are written here with Debian's
# libmaxmind-db-writer-perl (tests/mkmmdb.pl), never downloaded; only
# documentation ranges are in them.  Skips, saying so, without that
# package.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
MKPCAP=${SW_BUILD:-build}/tests/mkpcap
if ! perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null; then
	echo "   skipped: libmaxmind-db-writer-perl is not installed" \
	    "(apt-get install libmaxmind-db-writer-perl)"
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "   ok: $*"; }
bad() { echo "FAIL: $*" >&2; fail=1; }

MK="perl tests/mkmmdb.pl"
$MK "$T/city.mmdb" GeoLite2-City '198.51.100.0/24,country=FR,city=Paris' \
    '2001:db8::/32,country=DE,city=Berlin'
$MK "$T/asn.mmdb" GeoLite2-ASN '198.51.100.0/24,asn=64500,org=Example Hosting' \
    '2001:db8::/32,asn=64501,org=Example Six'
$MK "$T/other.mmdb" GeoLite2-Country '203.0.113.0/24,country=NL'
$MK "$T/anon.mmdb" GeoIP2-Anonymous-IP '198.51.100.0/24,country=FR'
"$MKPCAP" survivor "$T/s.pcap" >/dev/null
"$MKPCAP" c2-ipv6 "$T/v6.pcap" >/dev/null

# run NAME ARGS...: the sensor into $T/NAME, its status in $rc
run() {
	n=$1
	shift
	rm -rf "${T:?}/$n"
	mkdir "$T/$n"
	set +e
	"$BIN" -q "$@" -o "$T/$n" 2>"$T/$n.err" >/dev/null
	rc=$?
	set -e
}

run hit -r "$T/s.pcap" --geoip-db "$T/city.mmdb" --geoip-db "$T/asn.mmdb"
want='"geo":{"country":"FR","city":"Paris","asn":64500,"as_org":"Example Hosting"}'
n=$(grep -c -F "$want" "$T/hit/notice.log" || true)
c2=$(grep '"dst":"198.51.100.150"' "$T/hit/notice.log" | wc -l)
if [ "$rc" -eq 0 ] && [ "$n" -gt 0 ] && [ "$n" -eq "$c2" ]; then
	ok "hit: each of the $n notices to 198.51.100.150 has $want"
else
	bad "hit: exit $rc, $n of $c2 notices with the geo object"
fi
run miss -r "$T/s.pcap" --geoip-db "$T/other.mmdb"
if [ "$rc" -eq 0 ] && ! grep -q '"geo"' "$T/miss/notice.log" &&
    [ -s "$T/miss/notice.log" ]; then
	ok "miss: notices, none with a geo object"
else
	bad "miss: exit $rc, or a geo object for an address not in the file"
fi
run none -r "$T/s.pcap"
if ! grep -q '"geo"' "$T/none/notice.log"; then
	ok "without a database nothing changes"
else
	bad "a geo object without --geoip-db"
fi
run v6 -r "$T/v6.pcap" -I tests/golden/test-v6.intel \
    --geoip-db "$T/city.mmdb" --geoip-db "$T/asn.mmdb"
if grep -q '"geo":{"country":"DE","city":"Berlin","asn":64501,"as_org":"Example Six"}' \
    "$T/v6/notice.log"; then
	ok "IPv6: 2001:db8::bad is in Berlin, AS64501"
else
	bad "IPv6: no geo object for 2001:db8::bad"
	head -3 "$T/v6/notice.log" >&2
fi

# start-up errors: exit 2, one line naming the file and the reason
err_case() {
	what=$1 pat=$2
	shift 2
	run err -r "$T/s.pcap" "$@"
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/err.err")" -eq 1 ] &&
	    grep -q -- "$pat" "$T/err.err"; then
		ok "$what: exit 2: $(cat "$T/err.err")"
	else
		bad "$what: exit $rc (want 2), stderr: $(cat "$T/err.err")"
	fi
}
err_case "missing file" "nowhere.mmdb: cannot open: No such file" \
    --geoip-db "$T/nowhere.mmdb"
head -c 2000 /dev/urandom >"$T/noise.mmdb" 2>/dev/null ||
    dd if=/dev/urandom of="$T/noise.mmdb" bs=2000 count=1 2>/dev/null
err_case "random bytes" "noise.mmdb: not a MaxMind DB file" \
    --geoip-db "$T/noise.mmdb"
sz=$(wc -c <"$T/city.mmdb")
head -c $((sz / 2)) "$T/city.mmdb" >"$T/cut.mmdb"
err_case "a database cut in half" "cut.mmdb: not a MaxMind DB file" \
    --geoip-db "$T/cut.mmdb"
err_case "wrong type" \
    'anon.mmdb: database type "GeoIP2-Anonymous-IP" is neither' \
    --geoip-db "$T/anon.mmdb"
err_case "two location databases" "other.mmdb: .* is given twice" \
    --geoip-db "$T/city.mmdb" --geoip-db "$T/other.mmdb"
exit $fail
