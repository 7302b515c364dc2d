#!/bin/sh
# bench/run.sh - `make bench`: packet rate of `stalkerwatch -r` next to a
# bare libpcap read loop on the same generated capture, in the same run.
#
#   SW_BIN=./stalkerwatch SW_BUILD=build sh bench/run.sh
#
# Environment: SW_BIN (sensor, default ./stalkerwatch), SW_BUILD (build
# dir with tests/mkpcap and bench/bareloop, default build), BENCH_PACKETS
# (default 3000000), BENCH_ROUNDS (default 5), BENCH_PCAP (default
# $SW_BUILD/bench.pcap, generated when absent or of another size).
#
# Rounds alternate bare loop and sensor so that a noisy neighbour hits both
# alike; the summary quotes medians.  Both are timed the same way, from
# outside (process start to exit), so the sensor's start-up counts against
# it.  Ratio = sensor seconds / bare seconds: the design aims at <= 2.
set -eu

SW_BIN=${SW_BIN:-./stalkerwatch}
SW_BUILD=${SW_BUILD:-build}
PACKETS=${BENCH_PACKETS:-3000000}
ROUNDS=${BENCH_ROUNDS:-5}
PCAP=${BENCH_PCAP:-$SW_BUILD/bench.pcap}
# make passes a bare "stalkerwatch": run that file, not a PATH lookup.
case $SW_BIN in
*/*) ;;
*) SW_BIN=./$SW_BIN ;;
esac
MKPCAP=$SW_BUILD/tests/mkpcap
BARE=$SW_BUILD/bench/bareloop

die() {
	echo "bench: $*" >&2
	exit 1
}

[ -x "$BARE" ] || die "$BARE missing (make $BARE)"

# Seconds as a decimal, from GNU date's nanoseconds; awk's clock is only
# whole seconds, so without %N the figures would be worthless.
case $(date +%N) in
*N*|'') die "date +%N unsupported here: need GNU date for timing" ;;
esac
now() {
	date +%s.%N
}

# --- the capture -----------------------------------------------------------
stamp=$PCAP.count
if [ ! -f "$PCAP" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$PACKETS" ]; then
	[ -x "$MKPCAP" ] || die "$MKPCAP missing (make $MKPCAP)"
	echo "bench: generating $PCAP ($PACKETS packets)"
	"$MKPCAP" bench "$PCAP.tmp" --count "$PACKETS" || die "mkpcap failed"
	mv "$PCAP.tmp" "$PCAP"
	echo "$PACKETS" > "$stamp"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/swbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

sensor=1
if [ ! -x "$SW_BIN" ]; then
	echo "bench: $SW_BIN not found: bare loop only"
	sensor=0
fi
timev=0
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
	timev=1
fi

# Warm the page cache (and the bare loop's shared libraries) so that no
# round pays for the disk; both then read from memory.
cat "$PCAP" > /dev/null
"$BARE" "$PCAP" > "$tmp/warm" || die "bare loop failed on $PCAP"
npk=$(awk '{ print $2 }' "$tmp/warm")
mb=$(awk '{ printf "%.0f", $4 / 1048576 }' "$tmp/warm")
echo "bench: $PCAP: $npk packets, $mb MiB, $ROUNDS rounds"

# Run the sensor once; sets s_secs and s_rss (KiB, or "-").
run_sensor() {
	rm -rf "$tmp/logs"
	mkdir "$tmp/logs"
	s_rss=-
	t0=$(now)
	if [ "$timev" -eq 1 ]; then
		/usr/bin/time -f %M -o "$tmp/rss" \
		    "$SW_BIN" -r "$PCAP" -o "$tmp/logs" \
		    > "$tmp/sensor.out" 2> "$tmp/sensor.err" || s_rc=$?
	else
		"$SW_BIN" -r "$PCAP" -o "$tmp/logs" \
		    > "$tmp/sensor.out" 2> "$tmp/sensor.err" &
		pid=$!
		# Poll the high-water mark while it runs.
		hwm=0
		while kill -0 "$pid" 2>/dev/null; do
			v=$(awk '/^VmHWM:/ { print $2 }' \
			    "/proc/$pid/status" 2>/dev/null || true)
			[ -n "$v" ] && hwm=$v
			sleep 0.05
		done
		wait "$pid" || s_rc=$?
		[ "$hwm" -gt 0 ] && s_rss=$hwm
	fi
	t1=$(now)
	s_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
	if [ "$timev" -eq 1 ] && [ -s "$tmp/rss" ]; then
		s_rss=$(tail -n 1 "$tmp/rss")
	fi
}

: > "$tmp/bare.t"
: > "$tmp/sensor.t"
: > "$tmp/ratio"
: > "$tmp/rss.all"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	t0=$(now)
	"$BARE" "$PCAP" > "$tmp/bare.out" || die "bare loop failed"
	t1=$(now)
	b_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
	b_in=$(awk '{ print $6 }' "$tmp/bare.out")
	echo "$b_secs" >> "$tmp/bare.t"
	line=$(awk -v n="$npk" -v s="$b_secs" -v i="$b_in" -v r="$r" \
	    'BEGIN { printf "round %d: bare %.3f s (in-loop %.3f s) %6.2f Mpps", r, s, i, n / s / 1e6 }')
	if [ "$sensor" -eq 1 ]; then
		s_rc=0
		run_sensor
		if [ "$s_rc" -ne 0 ]; then
			cat "$tmp/sensor.err" >&2
			die "$SW_BIN -r $PCAP exited $s_rc"
		fi
		# The sensor must have read every packet: a replay that
		# dropped or stopped early would look fast.
		s_pk=$(sed -n 's/^stalkerwatch: \([0-9]*\) packets.*/\1/p' \
		    "$tmp/sensor.err" | tail -n 1)
		if [ -n "$s_pk" ] && [ "$s_pk" != "$npk" ]; then
			echo "bench: warning: sensor reports $s_pk packets," \
			    "not $npk" >&2
		fi
		echo "$s_secs" >> "$tmp/sensor.t"
		echo "$s_rss" >> "$tmp/rss.all"
		awk -v a="$s_secs" -v b="$b_secs" \
		    'BEGIN { printf "%.4f\n", a / b }' >> "$tmp/ratio"
		line="$line"$(awk -v n="$npk" -v s="$s_secs" -v b="$b_secs" \
		    -v m="$s_rss" 'BEGIN { printf " | sensor %.3f s %6.2f Mpps, ratio %.2f, peak RSS %s KiB", s, n / s / 1e6, s / b, m }')
	fi
	echo "$line"
	r=$((r + 1))
done

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

mb_t=$(median "$tmp/bare.t")
awk -v n="$npk" -v s="$mb_t" \
    'BEGIN { printf "median bare loop:   %.3f s  %6.2f Mpps\n", s, n / s / 1e6 }'
if [ "$sensor" -eq 1 ]; then
	ms_t=$(median "$tmp/sensor.t")
	mr=$(median "$tmp/ratio")
	awk -v n="$npk" -v s="$ms_t" \
	    'BEGIN { printf "median stalkerwatch: %.3f s  %6.2f Mpps\n", s, n / s / 1e6 }'
	awk -v r="$mr" 'BEGIN { printf "median ratio (sensor time / bare time): %.2f (target <= 2)\n", r }'
	if grep -q '^[0-9]' "$tmp/rss.all"; then
		echo "peak RSS of stalkerwatch: $(sort -n "$tmp/rss.all" | tail -n 1) KiB (max over rounds)"
	fi
	if [ -f "$tmp/logs/notice.log" ]; then
		echo "notices in the last round: $(wc -l < "$tmp/logs/notice.log")"
	fi
fi
