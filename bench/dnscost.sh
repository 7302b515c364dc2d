#!/bin/sh
# The cost of a DNS response, in instructions per packet (callgrind, both
# threads): each kind of bench/dnscost.py as 1,000 copies in one UDP flow,
# less the same file with one copy, over 999.  README's "Worst case per
# packet" quotes it.  Needs valgrind and python3.
#   SW_BIN    the program (default ./stalkerwatch)
#   usage: sh bench/dnscost.sh [KIND ...]   (default: every kind)
set -eu
SW_BIN=${SW_BIN:-./stalkerwatch}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- ordinary chain1 chain4 chain10 chain100 flood
for k in "$@"; do
	python3 "$here/dnscost.py" "$k" 1000 > "$tmp/$k.pcap" 2>/dev/null
	python3 "$here/dnscost.py" "$k" 1 > "$tmp/$k-1.pcap" 2>/dev/null
	for f in "$k" "$k-1"; do
		mkdir "$tmp/out.$f"
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$f" \
		    "$SW_BIN" -q -r "$tmp/$f.pcap" -o "$tmp/out.$f" --seed 1 \
		    >/dev/null 2>"$tmp/err.$f"
		awk '/^summary:/ { print $2 }' "$tmp/cg.$f" > "$tmp/ir.$f"
	done
	echo "$k $(( ($(cat "$tmp/ir.$k") - $(cat "$tmp/ir.$k-1")) / 999 ))"
done
