/*
 * policy.h - detection policy: which detector events become notices, and
 * every note's message, identifier and severity, in one place.
 *
 * The analyzer finds things (an indicator hit, a beacon past its
 * threshold); this layer decides what they mean for a person: the note
 * (by the indicator's role and category), the sentence a caseworker
 * reads, the suppression identifier, the severity of the README's table,
 * and the evidence it adds to the device's verdict, raising
 * Spyware::Survivor_Risk when the correlator says so.  It writes through
 * the notice context and the correlator it is given, and owns neither.
 */
#ifndef SW_POLICY_H
#define SW_POLICY_H

#include <stdint.h>

#include "beacon.h"
#include "correlate.h"
#include "flow.h"
#include "homenet.h"
#include "intel.h"
#include "notice.h"

struct policy;

struct devices;
struct geo;
struct timeline;

struct policy_stats {
	uint64_t intel_hits;	/* every indicator hit, noticed or not */
	uint64_t website_hits;	/* vendor websites among them */
	uint64_t c2_flows_lost; /* C2 connections forgotten before their
				 * end (SW_CORR_C2_FLOWS full) */
	uint64_t over_budget;	/* notices not written: their source's
				 * budget was spent (config.h) */
	uint64_t sources_over;	/* sources (one for all foreign ones) that
				 * spent a budget, once per window */
	uint64_t attack_notices; /* Spyware::Sensor_Under_Attack written */
	uint64_t not_devices;	 /* hits whose device side lay outside the
				 * home network: no device, no verdict */
};

/*
 * What the sensor was made to refuse or give up so far (cumulative counts
 * of every layer, gathered by the sensor loop): when any grows, the
 * sensor is being flooded and Spyware::Sensor_Under_Attack says so.
 */
struct policy_pressure {
	uint64_t notices;  /* policy_stats.over_budget */
	uint64_t trackers; /* beacon trackers refused or evicted with
				 * evidence earned */
	uint64_t reasm;	   /* reassembly slots refused or reclaimed */
	uint64_t evidence; /* devices with evidence evicted */
};

/*
 * A policy writing to `notices`, adding evidence to `corr` and naming
 * devices from `devices` (all borrowed: they must outlive it).
 * vendor_sites: notice website visits.  NULL on allocation failure, with
 * the reason in errbuf (SW_ERRLEN bytes).
 */
struct policy *policy_new(struct notice_ctx *notices, struct correlate *corr,
    struct devices *devices, int vendor_sites, uint64_t seed, char *errbuf);
/* The home network (borrowed): only its addresses are devices, with
 * evidence and a verdict; an address outside it is a remote host, and
 * one any host on the internet can spoof.  NULL: every address is. */
void policy_set_home(struct policy *p, const struct homenet *home);
/* Where the data goes: the remote side of every notice (borrowed; NULL:
 * no database). */
void policy_set_geo(struct policy *p, struct geo *geo);
/* The report's timeline of contacts with suspicious destinations (the
 * policy's own). */
struct timeline *policy_timeline(struct policy *p);
void policy_free(struct policy *p);

/*
 * An indicator hit.  `device` is the device's address, `server` the other
 * end's (NULL for a DNS lookup), `name` the name that matched (NULL for
 * an address hit), `flow_name` the connection's best known server name
 * (for an address hit; may be NULL), `where` Zeek's Intel where
 * ("Conn::IN_RESP", "DNS::IN_REQUEST", ...).
 */
void policy_intel(struct policy *p, const struct flow *f,
    const struct intel_item *it, const uint8_t *device, const uint8_t *server,
    const char *name, const char *flow_name, const char *where,
    int64_t ts_us);

/*
 * A beacon that reached a new level (1 possible, 2 likely, 3 steady) of
 * beacon_level(): from f's originator to `dest` (a name when is_name,
 * else "address:port").
 */
void policy_beacon(struct policy *p, const struct flow *f, const char *dest,
    int is_name, const struct beacon_score *sc, int level, int64_t ts_us);

/*
 * f ends: a connection to a stalkerware C2 is graded by what it carried
 * (data both ways, an upload, or packets without an exchange).
 */
void policy_conn_end(struct policy *p, const struct flow *f);
/* Grade the C2 connections still open for the exchange they already
 * showed (before a report of a live sensor), each once. */
void policy_grade_pending(struct policy *p);

/*
 * The verdict on a device in a caseworker's words, one line: how to
 * find the phone, the level, the app(s) and the evidence grades.
 */
void policy_verdict_words(const struct correlate *c,
    const struct corr_device *d, int64_t now_us, char *out, size_t len);

/*
 * Once a second of network time: when a count of `pr` grew since the
 * last call, the sensor is being flooded, and Spyware::Sensor_Under_Attack
 * says what it refused (at most once per SW_ATTACK_NOTICE_S).
 */
void policy_check_pressure(struct policy *p, const struct policy_pressure *pr,
    int64_t now_us);

const struct policy_stats *policy_get_stats(const struct policy *p);

#endif /* SW_POLICY_H */
