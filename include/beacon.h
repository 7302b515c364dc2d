/*
 * beacon.h - periodic low-volume traffic: per (device, destination)
 * trackers and the score of their rhythm.
 *
 * The analyzer turns traffic into events: one per new connection from a
 * device to a destination, and one per burst of client data inside a
 * long-lived connection after an idle gap (keep-alive, HTTP/2 reuse).  An
 * event is reported once complete (its sizes known) with
 * beacon_observe(); it carries the time it started and the bytes each way.
 * The destination is the server's name when one is known (SNI, Host, or
 * the DNS answer the device resolved: a name rotating over addresses is
 * one destination), else "address:port".
 *
 * Each tracker keeps the last SW_BEACON_HISTORY (config.h) events, sorted
 * by start time (events complete out of order).  beacon_score_events() is
 * a pure function of an event series: unit tests and the eval tool call
 * it directly.  Trackers are the values of a table (table.h) preallocated
 * at beacon_new(), keyed by (device, destination, whether it is a name);
 * at the cap the least recently updated tracker is evicted (counted).
 */
#ifndef SW_BEACON_H
#define SW_BEACON_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define BEACON_DEST_MAX	128	/* destination key text, with NUL */

struct beacon_event {
	int64_t ts_us;		/* start of the connection or burst */
	uint32_t up;		/* payload bytes device -> destination */
	uint32_t down;		/* payload bytes destination -> device */
};

struct beacon_config {
	uint32_t max_trackers;	/* pool size */
	uint32_t min_events;	/* events before any notice */
	double min_score;	/* notice threshold, 0..1 */
	uint32_t max_up;	/* low-volume gate: bytes up per event */
	uint32_t max_down;	/* low-volume gate: bytes down per event */
	uint32_t idle_gap_s;	/* silence that ends a burst */
	uint32_t min_period_s;	/* shorter periods are not beacons here */
	uint32_t max_period_s;	/* longer ones are not either */
	uint32_t fast_min_events; /* fast scale (beacon_score_fast()): events
				   * before a notice; 0: no fast scale */
	uint64_t seed;		/* hash key */
};

/* Defaults from config.h. */
void beacon_config_default(struct beacon_config *cfg);

/* What the score says about one event series. */
struct beacon_score {
	double score;		/* 0..1: how surely this is a beacon */
	double period_s;	/* estimated period, seconds */
	double interval_dispersion;	/* robust spread of intervals / period */
	uint32_t events;	/* events scored */
	uint32_t missed;	/* beats inferred missing (gaps of k periods) */
	uint32_t retries;	/* extra events soon after a beat, set aside */
	double evidence;	/* -log10 of the chance that random (Poisson)
				 * arrivals look this regular: "bans";
				 * from beacon_score_tracker(), less the
				 * price of the windows already tested */
	double up_median, up_dispersion;	/* bytes up, robust spread/median */
	double down_median, down_dispersion;
	int64_t first_us, last_us;
};

/*
 * Score n events sorted by ts_us.  Returns 1 when the series could be
 * scored (enough events), 0 otherwise (*out has events/first/last only).
 * Pure: no state, no allocation beyond the stack.
 */
int beacon_score_events(const struct beacon_event *ev, size_t n,
    const struct beacon_config *cfg, struct beacon_score *out);

/*
 * Bans (-log10 of the chance) that m exponential waits have a coefficient
 * of variation under s: the null of the score, exposed for its test.
 */
double beacon_null_bans(double s, unsigned m);

struct beacon_tracker;

/*
 * Score a tracker's history: beacon_score_events() over its events, less
 * the cost of having tested it at every event of its life.
 */
int beacon_score_tracker(const struct beacon_tracker *k,
    const struct beacon_config *cfg, struct beacon_score *out);

/*
 * The fast scale: periods from SW_BEACON_FAST_MIN_PERIOD up to
 * cfg->min_period_s, where the normal scale begins, over the tracker's
 * events that exchanged data both ways, coalesced at SW_BEACON_FAST_GAP
 * instead of cfg->idle_gap_s, and SW_BEACON_FAST_MIN_EVENTS of them
 * (cfg->fast_min_events) before a level.  beacon_fast_config() makes
 * that configuration from the normal one, once: beacon_score_fast() and
 * beacon_level() take it.  0 when the series cannot be scored or the
 * fast scale is off.
 */
void beacon_fast_config(const struct beacon_config *cfg,
    struct beacon_config *fast);
int beacon_score_fast(const struct beacon_tracker *k,
    const struct beacon_config *fast, struct beacon_score *out);

/*
 * Notice level of a score: 0 none (too few events or score under
 * cfg->min_score), else 1..3 as the evidence grows (the analyzer maps them
 * to severities, e.g. 6/8/10).  Levels mostly rise as events accumulate on
 * a beacon, but a jittered one can dip; notifying only when the level goes
 * over the last one notified gives at most 3 notices.
 */
int beacon_level(const struct beacon_score *s,
    const struct beacon_config *cfg);

/*
 * The state of one (device, destination) pair.  The pair itself is the
 * table's key (beacon.c), not held here: callers know whom they asked
 * about.
 */
struct beacon_tracker {
	uint8_t notified;	/* severity level last notified (0 none) */
	uint8_t earned;		/* two events or more: kept before others */
	uint16_t n;		/* events held (<= SW_BEACON_HISTORY) */
	uint32_t dprev, dnext;	/* the device's unproven trackers, oldest
				 * first (table handles; 0 none) */
	uint64_t total;		/* events ever observed */
	struct beacon_event ev[SW_BEACON_HISTORY];	/* sorted by ts_us */
	int64_t updated_us;	/* network time of the last observe */
};

struct beacon_stats {
	uint64_t events;
	uint64_t gated;		/* events over the low-volume gate */
	uint64_t trackers;	/* in use */
	uint64_t evicted;	/* to make room, the table full */
	uint64_t earned_evicted; /* of them, trackers with two events or
				  * more (none had only one left) */
	uint64_t budget_evicted; /* a device's own oldest unproven tracker,
				  * the device at its budget */
	uint64_t expired;	 /* trackers too old to be a beat any more,
				 * reclaimed for a new one */
};

struct beacon_table;

/*
 * 0 when cfg is usable, else -1 with a one-line reason in errbuf
 * (SW_ERRLEN bytes) naming the option to change.  beacon_new() checks it too.
 */
int beacon_config_check(const struct beacon_config *cfg, char *errbuf);

/* NULL with errbuf (SW_ERRLEN bytes) on failure. */
struct beacon_table *beacon_new(const struct beacon_config *cfg,
    char *errbuf);
void beacon_free(struct beacon_table *t);

/*
 * Add one complete event for (device, dest).  Returns the tracker (valid
 * until the next call into the table), or NULL when the event is over the
 * low-volume gate (counted; nothing stored).  now_us is network time.
 */
struct beacon_tracker *beacon_observe(struct beacon_table *t,
    const uint8_t device[16], const char *dest, int dest_is_name,
    const struct beacon_event *e, int64_t now_us);

const struct beacon_stats *beacon_get_stats(const struct beacon_table *t);

#endif /* SW_BEACON_H */
