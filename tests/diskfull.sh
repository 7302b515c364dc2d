#!/bin/sh
# A full disk: a replay whose notices do not all fit on a 16 KiB tmpfs
# exits 1, says so in one line naming notice.log and the reason (not one
# line a lost notice), counts every lost notice in stats.log, and leaves a
# notice.log whose every line parses (the notice cut short is cut off
# again, not left for the next one to merge with).  Needs root and a
# mount namespace (unshare -m); skipped, saying so, otherwise.
set -eu
BIN=${SW_BIN:-./stalkerwatch}
BUILD=${SW_BUILD:-build}
case $BIN in
*/*) ;;
*) BIN=./$BIN ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "   skipped: mounting a small tmpfs needs root"
	exit 0
fi
# the tmpfs lives in a mount namespace of its own: nothing to unmount if
# the test dies, nothing seen outside
if [ -z "${SW_DISKFULL_NS:-}" ]; then
	if ! unshare -m true 2>/dev/null; then
		echo "   skipped: unshare -m (a mount namespace) not permitted"
		exit 0
	fi
	SW_DISKFULL_NS=1 exec unshare -m sh "$0" "$@"
fi
T=$(mktemp -d)
trap 'umount "$T/disk" 2>/dev/null || true; rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: diskfull: $*" >&2; sed 's/^/    /' "$T/err" >&2; exit 1; }

mkdir "$T/disk" "$T/ref"
if ! mount -t tmpfs -o size=16k tmpfs "$T/disk" 2>"$T/err"; then
	echo "   skipped: cannot mount a tmpfs: $(cat "$T/err")"
	exit 0
fi
# 42 notices of about 900 bytes (36 KiB): a few fit; stats.log's two
# lines fit in its first 4 KiB page, taken at the start
"$BUILD/tests/mkpcap" fast-c2 "$T/c2.pcap" >/dev/null
OPTS="--seed 1 --suppress-for 0 --stats-interval 86400"
"$BIN" -q -r "$T/c2.pcap" -o "$T/ref" $OPTS 2>"$T/err" ||
    fail "the reference run failed"
all=$(wc -l <"$T/ref/notice.log")

set +e
"$BIN" -r "$T/c2.pcap" -o "$T/disk" $OPTS 2>"$T/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "exit $rc on a full disk (want 1)"
n=$(grep -c 'write failed' "$T/err" || true)
[ "$n" -eq 1 ] || fail "$n lines about the failed writes (want 1)"
grep -qx "stalkerwatch: $T/disk/notice.log: write failed: No space left on device (notices are being lost)" \
    "$T/err" || fail "no clear line naming notice.log and the reason"
echo "   ok: exit 1, one line: $(grep 'write failed' "$T/err")"

"$BUILD/tests/jsoncheck" "$T/disk/notice.log" ||
    fail "notice.log has a line that does not parse"
kept=$(wc -l <"$T/disk/notice.log")
[ "$kept" -gt 0 ] && [ "$kept" -lt "$all" ] ||
    fail "$kept of $all notices written: the disk did not fill"
tail -n 1 "$T/disk/stats.log" >"$T/final.json"
lost=$("$BUILD/tests/jsoncheck" -f final,log_write_errors "$T/final.json")
[ "$lost" = "T	$((all - kept))" ] ||
    fail "final stats line says final, lost: $lost (want T, $((all - kept)))"
grep -q "stalkerwatch: $((all - kept)) log lines could not be written" \
    "$T/err" || fail "the summary does not say how many lines were lost"
echo "   ok: every line of notice.log parses ($kept of $all notices);" \
    "$((all - kept)) counted lost in stats.log and the summary"
