#!/bin/sh
# The shipped SIEM content (contrib/wazuh, contrib/elastic, contrib/splunk)
# is well-formed (xmllint, a JSON and a YAML parser, the .conf syntax),
# and every source field it names is a field the sensor writes: the
# notices of a generated capture with every kind of field (DHCP-named
# devices, C2 names, beacons, the survivor-risk verdict, and geo with a
# test GeoIP database) are searched for each one, so the content cannot
# drift from the schema.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
BUILD=${SW_BUILD:-build}
JC=$BUILD/tests/jsoncheck
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "   ok: $*"; }
bad() { echo "FAIL: $*" >&2; fail=1; }

# --- well-formed ---
if command -v xmllint >/dev/null 2>&1; then
	for f in contrib/wazuh/*.xml; do
		# a Wazuh rules file is a sequence of elements: wrap it
		{ echo '<root>'; cat "$f"; echo '</root>'; } >"$T/x.xml"
		if xmllint --noout "$T/x.xml" 2>"$T/err"; then
			ok "$f is well-formed XML"
		else
			bad "$f: $(head -1 "$T/err")"
		fi
	done
else
	echo "   skipped: the XML check (xmllint: apt-get install libxml2-utils)"
fi
for f in contrib/elastic/*.json; do
	"$JC" -d "$f" && ok "$f is one JSON document" || bad "$f"
done
for f in contrib/elastic/*.yml; do
	"$JC" -y "$f" && ok "$f is well-formed YAML" || bad "$f"
done
for f in contrib/splunk/*.conf; do
	if awk '/^[ \t]*(#|$)/ { next }
	    /^\[[^]]+\]$/ { st = 1; next }
	    st && /^[A-Za-z][A-Za-z0-9_:.-]* = / { next }
	    { print FILENAME ":" NR ": " $0; bad = 1 }
	    END { exit bad }' "$f" >"$T/err"; then
		ok "$f: stanzas and key = value lines"
	else
		bad "$(head -1 "$T/err")"
	fi
done

# --- every source field named is one the sensor writes ---
"$BUILD/tests/mkpcap" verdict-phones "$T/p.pcap" >/dev/null
geo=
if perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null; then
	perl tests/mkmmdb.pl "$T/c.mmdb" GeoLite2-City \
	    '198.51.100.0/24,country=FR,city=Paris'
	perl tests/mkmmdb.pl "$T/a.mmdb" GeoLite2-ASN \
	    '198.51.100.0/24,asn=64500,org=Example Hosting'
	geo="--geoip-db $T/c.mmdb --geoip-db $T/a.mmdb"
fi
mkdir "$T/o"
# shellcheck disable=SC2086
"$BIN" -q -r "$T/p.pcap" -o "$T/o" $geo
N=$T/o/notice.log
[ -s "$N" ] || { echo "FAIL: no notices to check against" >&2; exit 1; }
{
	sed -n 's/.*<field name="\([^"]*\)".*/\1/p' contrib/wazuh/*.xml
	grep -o '\$([a-z_.]*)' contrib/wazuh/*.xml | sed 's/.*\$(\(.*\))/\1/'
	grep -E '"(rename|dot_expander|date|remove)"' \
	    contrib/elastic/*.json | sed -n 's/.*"field": "\([^"]*\)".*/\1/p'
	sed -n 's/^FIELDALIAS-[^=]*= *"\{0,1\}\([a-z_.]*\)"\{0,1\} AS.*/\1/p' \
	    contrib/splunk/props.conf
	sed -n 's/^TIME_PREFIX = "\([a-z_]*\)":.*/\1/p' contrib/splunk/props.conf
	sed -n 's/^REGEX = "\([a-z_]*\)".*/\1/p' contrib/splunk/transforms.conf
} | sort -u >"$T/fields"
n=0
while read -r f; do
	n=$((n + 1))
	case $f in
	geo.*) [ -n "$geo" ] || { echo "   skipped: $f (no GeoIP test" \
		"database: apt-get install libmaxmind-db-writer-perl)"; continue; } ;;
	esac
	if grep -q "\"$f\":" "$N"; then
		continue
	fi
	obj=${f%%.*} key=${f#*.}
	if [ "$obj" != "$f" ] && grep -q "\"$obj\":{[^}]*\"$key\":" "$N"; then
		continue
	fi
	bad "contrib names $f, which no notice has"
done <"$T/fields"
[ $fail -ne 0 ] || ok "$n source fields named by contrib/, each in the notices"
exit $fail
