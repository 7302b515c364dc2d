/*
 * capture.h - packet sources (capture files or a live interface) and the
 * capture thread that copies their packets into the ring.
 *
 * One abstraction for both: a capture holds an ordered list of sources.
 * Replay opens every file up front (so a missing or non-pcap file fails
 * before any packet is processed), each with a large stdio buffer
 * (SW_FILE_BUFFER) through pcap_fopen_offline(), and reads them in order as
 * one stream; "-" is standard input.  libpcap opens every file and reads
 * pcapng, pipes and filtered replays; a regular classic pcap file in this
 * machine's byte order is then read by pcapfile.c (one copy fewer, no
 * fread() per packet: pcapfile.h).  A file that ends in the middle of a record stops that file:
 * what was readable is processed, the position is reported by
 * capture_errors(), and the run ends non-zero.  Live capture opens one
 * interface (promiscuous, immediate mode, optional BPF filter).
 *
 * Only capture.c sees pcap_t.
 */
#ifndef SW_CAPTURE_H
#define SW_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct ring_rec;

struct ring;
struct capture;

struct capture_stats {
	uint64_t packets;	/* read from the sources */
	uint64_t bytes;		/* captured bytes read */
	uint64_t ring_drops;	/* live: ring full, packet dropped */
	uint64_t ring_waits;	/* replay: producer waited for room */
	uint64_t oversize;	/* caplen above the ring's record limit: cut */
	uint64_t bad_ts;	/* stamp beyond SW_TS_MAX_S: skipped */
	uint64_t kernel_drops;	/* live: pcap_stats ps_drop */
	uint64_t iface_drops;	/* live: pcap_stats ps_ifdrop */
};

/* Check that a BPF expression compiles (Ethernet link type): 0, or -1
 * with the reason in errbuf.  Lets main.c tell bad usage from a bad file. */
int capture_check_filter(const char *bpf, char *errbuf, size_t errlen);

/* Open capture files (n >= 1), in order.  NULL with errbuf on failure. */
struct capture *capture_open_files(const char *const *paths, int n,
    const char *bpf, char *errbuf, size_t errlen);

/* Open a live interface.  NULL with errbuf on failure. */
struct capture *capture_open_live(const char *iface, const char *bpf,
    int snaplen, char *errbuf, size_t errlen);

/* Start the capture thread feeding r.  0, or -1 with errbuf. */
int capture_start(struct capture *c, struct ring *r, char *errbuf,
    size_t errlen);

/*
 * A classifier the replay's capture thread runs on each packet before it
 * goes in the ring: it writes what it works out into meta (at most
 * RING_META_MAX bytes, 8-aligned) and returns how many bytes (a multiple
 * of 8), which travel with the packet.  The analyzer's decode and flow
 * hash, so the two cores share the per-packet work of a replay.  It runs
 * on the capture thread and may read only what does not change while the
 * capture runs.  Live capture never runs it: there the capture thread
 * only reads and copies, and a ring record is no bigger than the packet
 * needs.  Set before capture_start(); NULL: none.
 */
typedef uint32_t (*capture_classify_fn)(const void *ctx,
    const struct ring_rec *rec, const uint8_t *data, void *meta);
void capture_set_classifier(struct capture *c, capture_classify_fn fn,
    const void *ctx);

/* Ask the capture thread to stop (async-signal-safe flag + breakloop). */
void capture_stop(struct capture *c);

/* Wait for the capture thread; it closes the ring when it ends. */
void capture_join(struct capture *c);

/* Snapshot of counters (safe to call from the analyzer thread). */
void capture_get_stats(struct capture *c, struct capture_stats *st);

/* Nonzero for live capture. */
int capture_is_live(const struct capture *c);

/*
 * After capture_join(): number of sources that stopped on an error, and
 * the message for each ("file: truncated after packet N at byte B: ...").
 */
int capture_error_count(const struct capture *c);
const char *capture_error(const struct capture *c, int i);

void capture_free(struct capture *c);

/*
 * A libpcap stamp (seconds, microseconds) in microseconds into *out: 0,
 * or -1 when it overflows 64 bits or lies outside SW_TS_MIN_S (1901) ..
 * SW_TS_MAX_S (year 9999), as a corrupt pcapng stamp may (1-second resolution
 * and a 64-bit count; found by fuzz/fuzz_pipeline.c and by hand): such a
 * packet is skipped and counted (capture_stats.bad_ts), never given to
 * the detectors' arithmetic on time.
 */
int capture_ts_us(int64_t sec, int64_t usec, int64_t *out);

/* A link type's name ("IEEE802_11_RADIO"), or "unknown". */
const char *capture_dlt_name(int dlt);

#endif /* SW_CAPTURE_H */
