#!/bin/sh
# The whole test suite, as `make check` (and `make asan`) run it.
#   SW_BIN    the program under test (default ./stalkerwatch)
#   SW_BUILD  the build directory holding the test binaries (default build)
#   SW_SHARED the shared data directory (default ../shared); the tests that
#             need it skip, saying so, when it is absent
set -eu
SW_BIN=${SW_BIN:-./stalkerwatch}
SW_BUILD=${SW_BUILD:-build}
SW_SHARED=${SW_SHARED:-../shared}
# make passes a bare "stalkerwatch": run that file, not a PATH lookup
case $SW_BIN in
*/*) ;;
*) SW_BIN=./$SW_BIN ;;
esac
export SW_BIN SW_BUILD SW_SHARED

echo "== unit tests ($SW_BUILD)"
# CK_DEFAULT_TIMEOUT: sanitizer builds run slower
CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120} "$SW_BUILD/tests/check_sw"

echo "== fuzz corpus replay"
for f in "$SW_BUILD"/fuzz/onefile_*; do
	[ -x "$f" ] || continue
	name=${f##*/onefile_}
	if [ -d "fuzz/corpus/$name" ]; then
		"$f" "fuzz/corpus/$name"
		echo "   $name: $(ls "fuzz/corpus/$name" | wc -l) inputs ok"
	fi
done

for t in golden verdict attack geo report contrib install update errors crashes logfiles diskfull live veth syslog corpus zeek-diff tshark-diff; do
	echo "== $t"
	sh "tests/$t.sh"
done
echo "== ioc coverage"
sh tests/ioccover.sh
# the same with every generated Echap file added: they must not change
# what the bundled YAML says of any name
U=${SW_SHARED:-../shared}/iocs-upstream
if [ -d "$U" ]; then
	echo "== ioc coverage, every Echap file added"
	SW_IOCCOVER_IOCS=$(for x in echap-network.csv \
	    echap-indicators-for-tinycheck.json echap-hosts_full \
	    echap-misp_event.json echap-suricata.rules \
	    echap-stalkerware.stix2 echap-quad9_blocklist.txt; do
		echo "$U/$x"; done) sh tests/ioccover.sh
else
	echo "   skipped the pass with Echap's generated files: $U absent"
fi
echo "== all tests passed"
