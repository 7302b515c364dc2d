#!/bin/sh
# The acceptance test of the bundled indicators (issue 8): a capture that
# looks up and connects to every name and address of iocs/ (and one name
# under each), replayed twice, without and with --vendor-sites; every
# notice must be the one the policy of include/intel.h gives, derived
# from the files by tests/ioccover.c (never by asking the matcher), so
# the test keeps holding when the files are updated.
#   SW_BIN, SW_BUILD   as tests/run.sh
#   SW_IOCCOVER_IOCS   extra indicator files (space-separated), loaded by
#                      the tool and given to the sensor with -I
set -eu
BIN=${SW_BIN:-./stalkerwatch}
B=${SW_BUILD:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

gen_args= run_args=
for f in ${SW_IOCCOVER_IOCS:-}; do
	gen_args="$gen_args -I $f"
	run_args="$run_args -I $f"
done
# shellcheck disable=SC2086
"$B/tests/ioccover" gen $gen_args "$T/cover.pcap" "$T/expect.tsv"
for pass in default vendor-sites; do
	mkdir "$T/$pass"
	# the figures once, with the fuller run
	opt= chk=-q
	if [ "$pass" = vendor-sites ]; then
		opt=--vendor-sites chk=-w
	fi
	# shellcheck disable=SC2086
	"$BIN" -q --seed 1 --suppress-for 0 --no-beacon $opt $run_args \
	    -r "$T/cover.pcap" -o "$T/$pass"
	touch "$T/$pass/notice.log"
	"$B/tests/jsoncheck" "$T/$pass/notice.log"
	echo "   $pass:"
	# shellcheck disable=SC2086
	"$B/tests/ioccover" check $chk "$T/expect.tsv" "$T/$pass/notice.log"
done
