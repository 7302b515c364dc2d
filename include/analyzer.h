/*
 * analyzer.h - the analyzer thread: everything after the ring.
 *
 * struct analyzer owns the flow table, the notice context and the log
 * sinks; it reads the intel set.  analyzer_run() consumes the ring until
 * the capture thread closes it or a stop is requested, decoding each
 * packet, updating the flow table, matching intel on new connections and
 * raising notices.  Network time is the largest packet timestamp seen so
 * far; in live mode, while no packets arrive, it also advances by the
 * time the loop has been idle (never by time spent busy), so timeouts
 * and periodic stats fire on a quiet network.  Signal flags are read
 * between batches of packets, not only on an empty ring, so a stop ends
 * a loaded sensor within SW_STOP_DRAIN_MS or so.  No locks: nothing here
 * is shared with another thread but the ring.
 */
#ifndef SW_ANALYZER_H
#define SW_ANALYZER_H

#include <signal.h>
#include <stdint.h>

#include "beacon.h"
#include "decode.h"
#include "flow.h"
#include "homenet.h"
#include "intel.h"
#include "ring.h"

struct analyzer;
struct capture;
struct notice_stats;

struct analyzer_config {
	const char *logdir;		/* directory, or "-" for stdout */
	int conn_log;			/* write conn.log */
	int stats_log;			/* write stats.log (not with "-") */
	int dns_log;			/* write dns.log */
	int ssl_log;			/* write ssl.log */
	int vendor_sites;		/* notice visits to vendor websites */
	int progress;			/* progress line on stderr (a tty) */
	uint32_t suppress_for_s;
	uint32_t stats_interval_s;
	struct flow_config flow;
	struct beacon_config beacon;
	int no_beacon;			/* beacon detection off */
	struct homenet home;		/* the devices' side (flow.home) */
	int beacon_lan; /* beacons inside the home network too */
	uint32_t name_hold_s; /* names outlive connections (held.h); 0:
			       * not; main.c's default SW_NAME_HOLD_S */
	uint32_t verdict_window_s; /* correlate.h; 0: SW_VERDICT_WINDOW_S */
	/* most entries of each table of the layers (names, server names,
	 * held names, reassembly slots, suppression, devices, the
	 * correlator; the flow table and the beacon trackers have theirs
	 * above), 0: each one's default of config.h.  Small tables make a
	 * fresh analyzer cheap and eviction run: tests, the pipeline fuzzer
	 * (a default analyzer allocates about 90 MiB). */
	uint32_t table_max;
	struct geo *geo;	   /* --geoip-db (borrowed), or NULL */
	struct syslog_out *syslog; /* --syslog (borrowed), or NULL */
};

/* Signal flags set by main.c's handlers; any pointer may be NULL. */
struct analyzer_signals {
	volatile sig_atomic_t *stop;	/* SIGTERM, SIGINT */
	volatile sig_atomic_t *hup;	/* SIGHUP: reopen logs, reload */
	volatile sig_atomic_t *usr1;	/* SIGUSR1: write stats now */
	/* on SIGHUP, after the logs are reopened (may be NULL): main.c
	 * re-reads the indicator files and calls analyzer_set_intel() */
	void (*reload)(void *ctx, struct analyzer *a);
	void *reload_ctx;
	/* on SIGUSR1 too, after the stats line (the triage report) */
	void (*usr1_cb)(void *ctx, struct analyzer *a);
	void *usr1_ctx;
};

struct analyzer_counters {
	uint64_t packets;
	uint64_t bytes;
	uint64_t decode[DS__COUNT];
	uint64_t malformed; /* sum of malformed statuses */
	uint64_t unread_at_stop; /* left in the ring by a slow stop */
	uint64_t cut;	    /* captured shorter than on the wire (snap
			     * length) */
	uint32_t cut_caplen;   /* the longest such captured length */
	int32_t undecoded_dlt; /* link type of the last packet of one not
				* decoded (DS_UNSUPPORTED_DLT), -1: none */
	int64_t first_ts_us, last_ts_us;
	/* flooded (policy.h, struct policy_pressure): notices left unwritten
	 * past a budget; beacon trackers, reassembly slots and devices'
	 * evidence given up */
	uint64_t flood_unwritten, flood_lost;
	/* TCP connections the server answered, and not (bursts.h); hits
	 * on addresses outside the home network (policy.h not_devices) */
	uint64_t tcp_answered, tcp_unanswered, not_devices;
};

/*
 * Open the sinks and build the tables.  `intel` is borrowed and must
 * outlive the analyzer.  NULL with errbuf on failure (e.g. the log
 * directory is not writable).
 */
struct analyzer *analyzer_new(const struct analyzer_config *cfg,
    const struct intel *intel, char *errbuf, size_t errlen);
void analyzer_free(struct analyzer *a);

/*
 * Use another intel set from now on (SIGHUP reload); the caller frees the
 * old one after this returns.  Connections, names and trackers are kept.
 */
void analyzer_set_intel(struct analyzer *a, const struct intel *intel);

/* The known-good (allowlist) set: periodic services never reported as
 * beacons.  Borrowed like the intel set; may be NULL. */
void analyzer_set_known_good(struct analyzer *a, const struct intel *good);

/* Consume the ring until it is closed and drained, or a stop flag. */
void analyzer_run(struct analyzer *a, struct ring *r, struct capture *c,
    const struct analyzer_signals *sig);

/*
 * The replay capture thread's share of the per-packet work (capture.h's
 * classifier; ctx is analyzer_classify_ctx()): decode the frame and
 * hash its flow into meta, returning its length.  Reads only the flow
 * hash key, fixed once analyzer_new() returns and on cache lines of its
 * own.  Records without it (live capture) are decoded by analyzer_run().
 */
uint32_t analyzer_classify(const void *ctx, const struct ring_rec *rec,
    const uint8_t *data, void *meta);
const void *analyzer_classify_ctx(const struct analyzer *a);

/* End of input: flush every connection, write the final stats line. */
void analyzer_finish(struct analyzer *a, struct capture *c);

const struct analyzer_counters *analyzer_get_counters(
    const struct analyzer *a);
const struct flow_stats *analyzer_flow_stats(const struct analyzer *a);
const struct notice_stats *analyzer_notice_stats(const struct analyzer *a);
/* Log lines lost (not written, or too long to write), every log's:
 * stats.log's log_write_errors.  Each cause of a loss was told on stderr
 * (logw.h). */
uint64_t analyzer_log_errors(const struct analyzer *a);
struct corr_device;
struct correlate;

/* Devices with evidence, most urgent first, into out[0..max): the
 * count (for the summary); *now_us: network time of the verdicts. */
size_t analyzer_verdicts(const struct analyzer *a,
    const struct corr_device **out, size_t max, int64_t *now_us);
/* The correlator the verdicts come from (its level of a device). */
const struct correlate *analyzer_correlate(const struct analyzer *a);
/* Count the evidence of connections still open (before a report). */
void analyzer_grade_pending(struct analyzer *a);
/* The report's timeline and GeoIP databases (may be NULL). */
struct timeline *analyzer_timeline(struct analyzer *a);
struct geo *analyzer_geo(struct analyzer *a);

#endif /* SW_ANALYZER_H */
