#!/bin/sh
# bench/run.sh - `make bench`: the whole performance story in one table:
# `stalkerwatch -r` next to a bare libpcap read loop (the ceiling) and the
# tools of the same trade, on the same generated captures, in the same run.
#
#   SW_BIN=./stalkerwatch SW_BUILD=build sh bench/run.sh
#
# Rows of the table (every figure a median over BENCH_ROUNDS rounds):
#   bare loop        bench/bareloop: libpcap, 1 MiB stdio buffer, counts
#                    packets and does nothing else (the ceiling)
#   stalkerwatch     -r with every detector on: the bundled iocs/ (Echap's
#                    whole ioc.yaml and watchware.yaml), beacons (on by
#                    default), --vendor-sites, into a scratch -o dir
#   + records        the same with -C --dns-log --ssl-log: the cost of
#                    the conn, dns and ssl records, for reference
#   tcpdump          -r FILE -w /dev/null, when installed
#   softflowd, argus, nfpcapd   the flow exporters, when installed ("not
#                    installed" otherwise; a failing one is "failed", never
#                    a failed bench); each run under timeout(1), 300 s
#   +N indicators    the stalkerwatch row with -I a list of BENCH_IOCS
#                    synthetic names (xNNNNN.sw-bench.example) and
#                    addresses (198.19.0.0/16, RFC 2544's range, none of
#                    which the capture uses): the cost in percent
#   half, double     the stalkerwatch row on half and twice the packets:
#                    time double/normal and normal/half say whether the
#                    time is linear
#   notice flood     issue 13: mkpcap attack-notices (200,000 spoofed SYNs
#                    to a C2 address around a victim phone), with and
#                    without suppression (--suppress-for 0): with it, the
#                    replay must take at most twice as long
#   N connections    BENCH_CONNS connections open at once (mkpcap
#                    bench-conns: every SYN, then every SYN-ACK) with
#                    --max-flows BENCH_CONNS: the peak RSS of a full table
# Columns: packets/s (packets / median seconds), ratio (median over rounds
# of the row's seconds / the bare loop's on the same capture in the same
# round), peak RSS (the highest of the rounds; /usr/bin/time -f %M, else
# VmHWM polled from /proc; 1 MB = 10^6 bytes), the target of issue 9 and
# MET / NOT MET:
#   ratio <= 2.0 on >= 5 M packets and >= 200,000 connections
#   100,000 extra indicators cost <= 5 %
#   double the packets = 2x the time (1.8 to 2.2 passes)
#   peak RSS <= 300 MB with 1 M connections open at once
#
# Environment: SW_BIN (sensor, default ./stalkerwatch), SW_BUILD (build
# dir with tests/mkpcap and bench/bareloop, default build), BENCH_PACKETS
# (default 5000000, the size the ratio target names), BENCH_ROUNDS
# (default 5), BENCH_PCAP (default $SW_BUILD/bench.pcap), BENCH_IOCS
# (extra indicators, default 100000; 0 skips the row), BENCH_SCALE=0 skips
# the half and double rows, BENCH_BIG=0 skips the connections row,
# BENCH_FLOOD=0 skips the notice-flood rows,
# BENCH_CONNS (default 1000000), BENCH_OTHERS=0 skips tcpdump and the flow
# exporters, BENCH_KEEP=0 deletes the captures at exit, BENCH_TIME=proc
# measures RSS from /proc even where GNU time exists (to test that path).
#
# Captures are generated under $SW_BUILD (bench.pcap, bench-half.pcap,
# bench-double.pcap, bench-conns.pcap, each beside a .count stamp) and
# reused while the stamp matches; df is checked first.  The defaults, on a
# 2-core machine: about 12 GB of captures (40 s to generate once) and 2
# minutes in all, 1.5 once the captures exist.
#
# Rounds run every row once, in the same order, so that a noisy neighbour
# hits them alike; the table quotes medians and the load average (1 min)
# at start and end: on a busy machine, raise BENCH_ROUNDS.  Every row is timed the same
# way, from outside (process start to exit), so start-up (loading the
# indicators included) counts against it.
set -eu

SW_BIN=${SW_BIN:-./stalkerwatch}
SW_BUILD=${SW_BUILD:-build}
PACKETS=${BENCH_PACKETS:-5000000}
ROUNDS=${BENCH_ROUNDS:-5}
PCAP=${BENCH_PCAP:-$SW_BUILD/bench.pcap}
IOCS=${BENCH_IOCS:-100000}
SCALE=${BENCH_SCALE:-1}
BIG=${BENCH_BIG:-1}
CONNS=${BENCH_CONNS:-1000000}
OTHERS=${BENCH_OTHERS:-1}
KEEP=${BENCH_KEEP:-1}
# make passes a bare "stalkerwatch": run that file, not a PATH lookup.
case $SW_BIN in
*/*) ;;
*) SW_BIN=./$SW_BIN ;;
esac
MKPCAP=$SW_BUILD/tests/mkpcap
BARE=$SW_BUILD/bench/bareloop
# Every detector on (the whole bundled indicator set, beacons, vendor
# websites); the log directory is added per run.  The records (conn,
# dns, ssl) are writers, not detectors: the "+ records" row adds them.
SW_FLAGS="--vendor-sites"
LOG_FLAGS="-C --dns-log --ssl-log"
# Bytes of file a packet of the bench scenario (673 measured, rounded up)
# and a connection of bench-conns, for the disk check.
BYTES_PKT=700
BYTES_CONN=164
TOOL_TIMEOUT=300

die() {
	echo "bench: $*" >&2
	exit 1
}

isnum() {
	case $1 in
	''|*[!0-9]*) return 1 ;;
	esac
}
for v in "$PACKETS" "$ROUNDS" "$IOCS" "$CONNS"; do
	isnum "$v" || die "$v: not a number (BENCH_* variables)"
done
[ "$PACKETS" -ge 2 ] || die "BENCH_PACKETS must be at least 2"
[ "$ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be at least 1"
[ "$CONNS" -ge 1 ] || BIG=0

[ -x "$BARE" ] || die "$BARE missing (make $BARE)"

# Seconds as a decimal, from GNU date's nanoseconds; awk's clock is only
# whole seconds, so without %N the figures would be worthless.
case $(date +%N) in
*N*|'') die "date +%N unsupported here: need GNU date for timing" ;;
esac
now() {
	date +%s.%N
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/swbench.XXXXXX")
gen_tmp=
made=
cleanup() {
	rm -rf "$tmp"
	[ -z "$gen_tmp" ] || rm -f "$gen_tmp"
	if [ "$KEEP" = 0 ]; then
		for f in $made; do
			rm -f "$f" "$f.count"
		done
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the captures ----------------------------------------------------------

# Free bytes where file $1 goes.
free_bytes() {
	df -Pk "$(dirname "$1")" | awk 'NR == 2 { printf "%.0f", $4 * 1024 }'
}

# gen FILE SCENARIO COUNT BYTES: make FILE (mkpcap SCENARIO --count COUNT,
# about BYTES bytes) unless its stamp says it holds COUNT already.  Returns
# 1, with the reason in gen_why, when the disk is too full.
gen() {
	g_stamp=$1.count
	if [ -f "$1" ] && [ "$(cat "$g_stamp" 2>/dev/null)" = "$3" ]; then
		made="$made $1"
		return 0
	fi
	[ -x "$MKPCAP" ] || die "$MKPCAP missing (make $MKPCAP)"
	rm -f "$1" "$g_stamp"
	g_free=$(free_bytes "$1")
	# Room for the file and 1 GiB to spare.
	if awk -v f="$g_free" -v n="$4" 'BEGIN { exit !(f < n + 1073741824) }'
	then
		gen_why=$(awk -v f="$g_free" -v n="$4" 'BEGIN {
		    printf "not enough disk: %.1f GB needed, %.1f GB free",
		    (n + 1073741824) / 1e9, f / 1e9 }')
		return 1
	fi
	echo "bench: generating $1 ($2, $3)"
	gen_tmp=$1.tmp
	"$MKPCAP" "$2" "$gen_tmp" --count "$3" || die "mkpcap $2 failed"
	mv "$gen_tmp" "$1"
	gen_tmp=
	echo "$3" > "$g_stamp"
	made="$made $1"
}

gen "$PCAP" bench "$PACKETS" $((PACKETS * BYTES_PKT)) || die "$gen_why"

sensor=1
if [ ! -x "$SW_BIN" ]; then
	echo "bench: $SW_BIN not found: bare loop only"
	sensor=0
fi
[ "$sensor" -eq 1 ] || { IOCS=0; SCALE=0; BIG=0; }

PCAP_HALF=$SW_BUILD/bench-half.pcap
PCAP_DOUBLE=$SW_BUILD/bench-double.pcap
PCAP_CONNS=$SW_BUILD/bench-conns.pcap
PCAP_FLOOD=$SW_BUILD/bench-flood.pcap
flood_note=
if [ "${BENCH_FLOOD:-1}" != 0 ] && [ "$sensor" -eq 1 ]; then
	# the scenario has its own size: 200,000 SYNs and the victim
	gen "$PCAP_FLOOD" attack-notices 200000 20000000 ||
	    flood_note=$gen_why
fi
half_note=
double_note=
conns_note=
if [ "$SCALE" != 0 ]; then
	h=$((PACKETS / 2))
	gen "$PCAP_HALF" bench "$h" $((h * BYTES_PKT)) ||
	    half_note=$gen_why
	d=$((PACKETS * 2))
	gen "$PCAP_DOUBLE" bench "$d" $((d * BYTES_PKT)) ||
	    double_note=$gen_why
fi
if [ "$BIG" != 0 ]; then
	gen "$PCAP_CONNS" bench-conns "$CONNS" $((CONNS * BYTES_CONN)) ||
	    conns_note=$gen_why
fi

timev=0
if [ "${BENCH_TIME:-}" != proc ] && [ -x /usr/bin/time ] &&
    /usr/bin/time -f %M true >/dev/null 2>&1; then
	timev=1
fi

# --- running and timing ------------------------------------------------------

# run_timed PREFIX CMD...: run CMD, output in PREFIX.out and PREFIX.err;
# sets t_secs, t_rss (KiB, or "-") and t_rc.
run_timed() {
	r_pre=$1
	shift
	t_rc=0
	t_rss=-
	rm -f "$r_pre.rss" "$r_pre.hwm"
	if [ "$timev" -eq 1 ]; then
		t0=$(now)
		/usr/bin/time -f %M -o "$r_pre.rss" "$@" \
		    > "$r_pre.out" 2> "$r_pre.err" || t_rc=$?
		t1=$(now)
		[ -s "$r_pre.rss" ] && t_rss=$(tail -n 1 "$r_pre.rss")
	else
		t0=$(now)
		"$@" > "$r_pre.out" 2> "$r_pre.err" &
		r_pid=$!
		# Poll the high-water mark beside it, so that the poll's
		# period does not add to the time; of the process and of its
		# children, since the other tools run under timeout(1).
		(
			hwm=0
			while kill -0 "$r_pid" 2>/dev/null; do
				kids=$(cat "/proc/$r_pid/task/$r_pid/children" \
				    2>/dev/null || true)
				for p in $r_pid $kids; do
					v=$(awk '/^VmHWM:/ { print $2 }' \
					    "/proc/$p/status" 2>/dev/null || true)
					if [ -n "$v" ] && [ "$v" -gt "$hwm" ]; then
						hwm=$v
						echo "$hwm" > "$r_pre.hwm"
					fi
				done
				sleep 0.05
			done
		) &
		r_poll=$!
		wait "$r_pid" || t_rc=$?
		t1=$(now)
		wait "$r_poll" 2>/dev/null || true
		[ -s "$r_pre.hwm" ] && t_rss=$(cat "$r_pre.hwm")
	fi
	case $t_rss in
	''|*[!0-9]*) t_rss=- ;;
	esac
	t_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
}

# The sensor on capture $1 with every detector on, extra arguments after.
run_sensor() {
	s_pcap=$1
	shift
	rm -rf "$tmp/logs"
	mkdir "$tmp/logs"
	# shellcheck disable=SC2086
	run_timed "$tmp/run" "$SW_BIN" -r "$s_pcap" -o "$tmp/logs" $SW_FLAGS \
	    "$@"
}

# Packets and connections of the sensor's summary line, "-" when absent.
sensor_counts() {
	s_pk=$(sed -n 's/^stalkerwatch: \([0-9]*\) packets.*/\1/p' \
	    "$tmp/run.err" | tail -n 1)
	s_conns=$(sed -n \
	    's/^stalkerwatch: [0-9]* packets, \([0-9]*\) connections.*/\1/p' \
	    "$tmp/run.err" | tail -n 1)
	[ -n "$s_pk" ] || s_pk=-
	[ -n "$s_conns" ] || s_conns=-
}

# A field of the final stats.log record, "-" when absent.
stat_final() {
	v=$(grep '"final":true' "$tmp/logs/stats.log" 2>/dev/null |
	    tail -n 1 | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p")
	[ -n "$v" ] && echo "$v" || echo -
}

# --- the rows ----------------------------------------------------------------
#
# Each row is a function row_ID that runs once; the rounds call every row of
# $rows.  A row's capture is cap_ID, its bare-loop row base_ID.

rows="bare"
row_bare() { run_timed "$tmp/run" "$BARE" "$PCAP"; }
row_bare_half() { run_timed "$tmp/run" "$BARE" "$PCAP_HALF"; }
row_bare_double() { run_timed "$tmp/run" "$BARE" "$PCAP_DOUBLE"; }
row_bare_conns() { run_timed "$tmp/run" "$BARE" "$PCAP_CONNS"; }
row_sw() { run_sensor "$PCAP"; }
# shellcheck disable=SC2086
row_logs() { run_sensor "$PCAP" $LOG_FLAGS; }
row_ioc() { run_sensor "$PCAP" -I "$tmp/extra.txt"; }
row_sw_half() { run_sensor "$PCAP_HALF"; }
row_sw_double() { run_sensor "$PCAP_DOUBLE"; }
row_sw_conns() { run_sensor "$PCAP_CONNS" --max-flows "$CONNS"; }
row_bare_flood() { run_timed "$tmp/run" "$BARE" "$PCAP_FLOOD"; }
row_sw_flood() { run_sensor "$PCAP_FLOOD"; }
row_sw_flood_nosupp() { run_sensor "$PCAP_FLOOD" --suppress-for 0; }
row_tcpdump() {
	# As root, tcpdump drops to user "tcpdump"; stay root instead, which
	# needs no such user and changes nothing for reading a file.
	if [ "$(id -u)" -eq 0 ]; then
		run_timed "$tmp/run" timeout "$TOOL_TIMEOUT" tcpdump -Z root \
		    -r "$PCAP" -w /dev/null
	else
		run_timed "$tmp/run" timeout "$TOOL_TIMEOUT" tcpdump \
		    -r "$PCAP" -w /dev/null
	fi
}
row_softflowd() {
	# Exports to the discard port; -d: stay in the foreground.
	run_timed "$tmp/run" timeout "$TOOL_TIMEOUT" softflowd -d \
	    -r "$PCAP" -n 127.0.0.1:9
}
row_argus() {
	run_timed "$tmp/run" timeout "$TOOL_TIMEOUT" argus -r "$PCAP" \
	    -w /dev/null
}
row_nfpcapd() {
	rm -rf "$tmp/nf"
	mkdir "$tmp/nf"
	run_timed "$tmp/run" timeout "$TOOL_TIMEOUT" nfpcapd -r "$PCAP" \
	    "$nf_dir_opt" "$tmp/nf"
}

note_tcpdump=
note_softflowd=
note_argus=
note_nfpcapd=
if [ "$sensor" -eq 1 ]; then
	rows="$rows sw logs"
fi
if [ "$OTHERS" != 0 ]; then
	for t in tcpdump softflowd argus nfpcapd; do
		if command -v "$t" >/dev/null 2>&1; then
			rows="$rows $t"
		else
			eval "note_$t='not installed'"
		fi
	done
	if command -v nfpcapd >/dev/null 2>&1; then
		# nfdump 1.7 names the flow directory -w, 1.6 -l.
		if nfpcapd -h 2>&1 | grep -q -- '-w flowdir'; then
			nf_dir_opt=-w
		else
			nf_dir_opt=-l
		fi
	fi
	if ! command -v timeout >/dev/null 2>&1; then
		for t in tcpdump softflowd argus nfpcapd; do
			case " $rows " in
			*" $t "*)
				rows=$(echo "$rows" | sed "s/ $t//")
				eval "note_$t='no timeout(1) to run it under'"
				;;
			esac
		done
	fi
else
	for t in tcpdump softflowd argus nfpcapd; do
		eval "note_$t='skipped (BENCH_OTHERS=0)'"
	done
fi
if [ "$IOCS" -gt 0 ]; then
	# Half names, half addresses (up to the 65,536 of 198.19.0.0/16, then
	# names); reserved names and ranges only, never real indicators.  The
	# capture's servers are 198.18.0.1 to 198.18.78.32: nothing matches.
	awk -v n="$IOCS" 'BEGIN {
		print "# bench/run.sh: synthetic indicators, reserved ranges"
		for (k = 0; k < n; k++)
			if (k % 2 == 1 && a < 65536) {
				printf "198.19.%d.%d\n", int(a / 256), a % 256
				a++
			} else
				printf "x%05d.sw-bench.example\n", d++
	}' > "$tmp/extra.txt"
	# right after the row it is the cost over, so that both see the
	# machine in one state
	case " $rows " in
	*" sw "*) rows=$(echo " $rows " | sed 's/ sw / sw ioc /; s/^ //; s/ $//') ;;
	*) rows="$rows ioc" ;;
	esac
fi
if [ "$SCALE" != 0 ]; then
	[ -n "$half_note" ] || rows="$rows bare_half sw_half"
	[ -n "$double_note" ] || rows="$rows bare_double sw_double"
fi
if [ "$BIG" != 0 ] && [ -z "$conns_note" ]; then
	rows="$rows bare_conns sw_conns"
fi
if [ "${BENCH_FLOOD:-1}" != 0 ] && [ "$sensor" -eq 1 ] &&
    [ -z "$flood_note" ]; then
	rows="$rows bare_flood sw_flood sw_flood_nosupp"
fi

cap_of() {
	case $1 in
	*_half) echo "$PCAP_HALF" ;;
	*_double) echo "$PCAP_DOUBLE" ;;
	*_conns) echo "$PCAP_CONNS" ;;
	*_flood*) echo "$PCAP_FLOOD" ;;
	*) echo "$PCAP" ;;
	esac
}
base_of() {
	case $1 in
	*_half) echo bare_half ;;
	*_double) echo bare_double ;;
	*_conns) echo bare_conns ;;
	*_flood*) echo bare_flood ;;
	*) echo bare ;;
	esac
}

# Warm the page cache (and the bare loop's shared libraries) so that no
# round pays for the disk; every row then reads from memory.  The bare
# loop also counts each capture's packets.
for id in $rows; do
	case $id in
	bare*)
		cap=$(cap_of "$id")
		cat "$cap" > /dev/null
		"$BARE" "$cap" > "$tmp/warm" || die "bare loop failed on $cap"
		eval "npk_$id=\$(awk '{ print \$2 }' \"\$tmp/warm\")"
		eval "mb_$id=\$(awk '{ printf \"%.0f\", \$4 / 1048576 }' \
		    \"\$tmp/warm\")"
		;;
	esac
done
npk=$npk_bare
# The load average beside the figures: other work on the machine shows in
# them, and the table says how much there was.
load() {
	awk '{ print $1 }' /proc/loadavg 2>/dev/null || echo -
}
load0=$(load)
echo "bench: $PCAP: $npk packets, $mb_bare MiB, $ROUNDS rounds"
echo "bench: rows: $rows"

label_of() {
	case $1 in
	bare) echo bare ;;
	sw) echo stalkerwatch ;;
	logs) echo "+records" ;;
	ioc) echo "+$IOCS iocs" ;;
	bare_half) echo "bare/2" ;;
	sw_half) echo "sw/2" ;;
	bare_double) echo "bare*2" ;;
	sw_double) echo "sw*2" ;;
	bare_conns) echo "bare conns" ;;
	sw_conns) echo "sw conns" ;;
	bare_flood) echo "bare flood" ;;
	sw_flood) echo "sw flood" ;;
	sw_flood_nosupp) echo "sw flood nosupp" ;;
	*) echo "$1" ;;
	esac
}

for id in $rows; do
	: > "$tmp/$id.t"
	: > "$tmp/$id.rss"
	: > "$tmp/$id.ratio"
done
: > "$tmp/ioc.cost"
: > "$tmp/lin.double"
: > "$tmp/lin.half"
: > "$tmp/bare.lin.double"
: > "$tmp/flood.ratio"
sw_conns_held=-
sw_conns_evicted=-
notices=-

# quot A B: A / B, four decimals.
quot() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", a / b }'
}

r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r:"
	for id in $rows; do
		"row_$id"
		if [ "$id" = logs ]; then
			# The records are hundreds of MB: written back while
			# the next row runs they slowed it by a tenth.  Gone
			# and synced here, outside any timing.
			rm -rf "$tmp/logs"
			sync
		fi
		case $id in
		bare*|sw*|ioc|logs)
			if [ "$t_rc" -ne 0 ]; then
				cat "$tmp/run.err" >&2
				die "$(label_of "$id") on $(cap_of "$id")" \
				    "exited $t_rc"
			fi
			;;
		*)
			if [ "$t_rc" -ne 0 ]; then
				# Not ours to debug: note it, drop the row.
				eval "note_$id='failed (exit $t_rc)'"
				echo "bench: $id failed (exit $t_rc):" \
				    "$(tail -n 1 "$tmp/run.err")" >&2
				rows=$(echo " $rows " | sed "s/ $id / /")
				continue
			fi
			;;
		esac
		case $id in
		sw*|ioc|logs)
			# The sensor must have read every packet: a replay
			# that dropped or stopped early would look fast.
			sensor_counts
			base=$(base_of "$id")
			eval "want=\$npk_$base"
			if [ "$s_pk" != "$want" ]; then
				echo "bench: warning: $(label_of "$id") reports" \
				    "$s_pk packets, not $want" >&2
			fi
			;;
		esac
		case $id in
		sw)
			sw_total=$s_conns
			notices=$(wc -l < "$tmp/logs/notice.log" 2>/dev/null ||
			    echo -)
			;;
		sw_conns)
			sw_conns_held=$(stat_final max_conns)
			sw_conns_evicted=$(stat_final conns_evicted)
			;;
		esac
		echo "$t_secs" >> "$tmp/$id.t"
		echo "$t_rss" >> "$tmp/$id.rss"
		eval "secs_$id=$t_secs"
		line="$line $(label_of "$id") $(printf '%.3f' "$t_secs")"
	done
	# Per-round ratios: each row against the bare loop on its capture.
	for id in $rows; do
		base=$(base_of "$id")
		eval "a=\$secs_$id b=\$secs_$base"
		quot "$a" "$b" >> "$tmp/$id.ratio"
	done
	case " $rows " in
	*" ioc "*)
		awk -v a="$secs_ioc" -v b="$secs_sw" \
		    'BEGIN { printf "%.4f\n", (a / b - 1) * 100 }' \
		    >> "$tmp/ioc.cost"
		;;
	esac
	case " $rows " in
	*" sw_double "*)
		quot "$secs_sw_double" "$secs_sw" >> "$tmp/lin.double"
		quot "$secs_bare_double" "$secs_bare" >> "$tmp/bare.lin.double"
		;;
	esac
	case " $rows " in
	*" sw_half "*)
		quot "$secs_sw" "$secs_sw_half" >> "$tmp/lin.half"
		;;
	esac
	case " $rows " in
	*" sw_flood_nosupp "*)
		quot "$secs_sw_flood" "$secs_sw_flood_nosupp" \
		    >> "$tmp/flood.ratio"
		;;
	esac
	echo "$line s"
	r=$((r + 1))
done

# --- the summary ---------------------------------------------------------------

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# Highest RSS of a row in KiB, "-" when never measured.
peak() {
	v=$(grep '^[0-9]' "$tmp/$1.rss" | sort -n | tail -n 1)
	[ -n "$v" ] && echo "$v" || echo -
}

mb_t=$(median "$tmp/bare.t")
awk -v n="$npk" -v s="$mb_t" \
    'BEGIN { printf "median bare loop:   %.3f s  %6.2f Mpps\n", s, n / s / 1e6 }'
has_row() {
	case " $rows " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}
if has_row sw; then
	ms_t=$(median "$tmp/sw.t")
	mr=$(median "$tmp/sw.ratio")
	awk -v n="$npk" -v s="$ms_t" \
	    'BEGIN { printf "median stalkerwatch: %.3f s  %6.2f Mpps\n", s, n / s / 1e6 }'
	awk -v r="$mr" 'BEGIN { printf "median ratio (sensor time / bare time): %.2f (target <= 2)\n", r }'
	if [ "$(peak sw)" != - ]; then
		echo "peak RSS of stalkerwatch: $(peak sw) KiB (max over rounds)"
	fi
	echo "notices in the last round: $notices"
fi

# The table: one line a row, the target and verdict beside the figures; a
# note in place of the figures where a row has none.
echo
echo "bench: $npk packets ($mb_bare MiB, ${sw_total:--} connections)," \
    "$ROUNDS rounds, medians; load average $load0 at start, $(load) at end"
printf '%-32s %9s %6s %9s  %s\n' "" "packets/s" "ratio" "peak RSS" \
    "target (issue 9)"

# fig ID LABEL TARGET: packets/s, ratio and peak RSS of row ID, then
# TARGET.
fig() {
	eval "f_n=\$npk_$(base_of "$1")"
	f_t=$(median "$tmp/$1.t")
	f_r=$(median "$tmp/$1.ratio")
	f_m=$(peak "$1")
	awk -v l="$2" -v n="$f_n" -v t="$f_t" -v r="$f_r" -v m="$f_m" \
	    -v g="$3" 'BEGIN {
		pps = n / t
		if (pps >= 1e6) p = sprintf("%.2f M", pps / 1e6)
		else p = sprintf("%.0f k", pps / 1e3)
		rss = m == "-" ? "-" : sprintf("%.1f MB", m * 1024 / 1e6)
		printf "%-32s %9s %6.2f %9s  %s\n", l, p, r, rss, g }'
}
# note LABEL TEXT: a row without figures.
note() {
	printf '%-32s %s\n' "$1" "$2"
}
verdict() {
	if awk "BEGIN { exit !($1) }"; then echo MET; else echo "NOT MET"; fi
}

fig bare "bare libpcap loop, 1 MiB buffer" "the ceiling"
if has_row sw; then
	ok=$(verdict "$mr <= 2.0")
	if [ "$npk" -lt 5000000 ] || ! isnum "$sw_total" ||
	    [ "$sw_total" -lt 200000 ]; then
		ok="NOT MEASURED (capture too small)"
	fi
	fig sw "stalkerwatch -r, every detector" \
	    "ratio <= 2.0 at >= 5 M pkts, 200 k conns: $ok"
else
	note "stalkerwatch -r, every detector" "$SW_BIN not built"
fi
if has_row logs; then
	fig logs "  + conn, dns, ssl records" \
	    "for reference (writers, not detectors)"
fi
for t in tcpdump softflowd argus nfpcapd; do
	case $t in
	tcpdump) l="tcpdump -r FILE -w /dev/null" ;;
	softflowd) l="softflowd -r FILE" ;;
	argus) l="argus -r FILE -w /dev/null" ;;
	nfpcapd) l="nfpcapd -r FILE" ;;
	esac
	if has_row "$t"; then
		fig "$t" "$l" ""
	else
		eval "n=\$note_$t"
		note "$l" "$n"
	fi
done
if has_row ioc; then
	cost=$(median "$tmp/ioc.cost")
	fig ioc "+$IOCS indicators (-I)" "$(awk -v c="$cost" \
	    -v v="$(verdict "$cost <= 5")" \
	    'BEGIN { printf "cost %+.1f %% (<= 5 %%): %s", c, v }')"
elif [ "$sensor" -eq 1 ]; then
	note "+N indicators (-I)" "skipped (BENCH_IOCS=0)"
fi
if has_row sw_half; then
	lh=$(median "$tmp/lin.half")
	fig sw_half "half: $npk_bare_half packets" "$(awk -v x="$lh" \
	    -v v="$(verdict "$lh >= 1.8 && $lh <= 2.2")" \
	    'BEGIN { printf "time normal/half %.2f (2.0): %s", x, v }')"
elif [ "$SCALE" != 0 ]; then
	note "half the packets" "$half_note"
fi
if has_row sw_double; then
	ld=$(median "$tmp/lin.double")
	lb=$(median "$tmp/bare.lin.double")
	fig sw_double "double: $npk_bare_double packets" "$(awk -v x="$ld" \
	    -v b="$lb" -v v="$(verdict "$ld >= 1.8 && $ld <= 2.2")" \
	    'BEGIN { printf "time double/normal %.2f (2.0): %s; bare %.2f", x, v, b }')"
elif [ "$SCALE" != 0 ]; then
	note "double the packets" "$double_note"
fi
if [ "$sensor" -eq 1 ] && [ "$SCALE" = 0 ]; then
	note "half, double the packets" "skipped (BENCH_SCALE=0)"
fi
if has_row sw_flood; then
	fr=$(median "$tmp/flood.ratio")
	fig sw_flood "notice flood (attack-notices)" "$(awk -v x="$fr" \
	    -v v="$(verdict "$fr <= 2.0")" \
	    'BEGIN { printf "time / suppression off %.2f (<= 2, issue 13): %s", x, v }')"
	fig sw_flood_nosupp "  the same, --suppress-for 0" "for reference"
elif [ "${BENCH_FLOOD:-1}" != 0 ] && [ "$sensor" -eq 1 ]; then
	note "notice flood (attack-notices)" "$flood_note"
fi
if has_row sw_conns; then
	m=$(peak sw_conns)
	if [ "$m" = - ]; then
		ok="NOT MEASURED (no RSS)"
	elif [ "$CONNS" -lt 1000000 ]; then
		ok="NOT MEASURED (under 1 M conns)"
	else
		ok=$(verdict "$m * 1024 <= 300e6")
	fi
	fig sw_conns "$CONNS conns open, --max-flows" \
	    "peak RSS <= 300 MB at 1 M conns: $ok"
	held="$sw_conns_held at once, $sw_conns_evicted evicted"
	if [ "$sw_conns_held" != "$CONNS" ] || [ "$sw_conns_evicted" != 0 ]
	then
		held="$held: NOT the $CONNS this row is about"
	fi
	awk -v h="$held" -v m="$m" -v n="$CONNS" 'BEGIN {
		printf "%-32s table held %s", "", h
		if (m != "-") printf "; peak RSS / connections %.0f bytes",
		    m * 1024 / n
		printf "\n" }'
elif [ "$sensor" -eq 1 ] && [ "$BIG" = 0 ]; then
	note "N conns open, --max-flows" "skipped (BENCH_BIG=0)"
elif [ "$sensor" -eq 1 ]; then
	note "$CONNS conns open, --max-flows" "$conns_note"
fi
