/*
 * bursts.h - beacon events from connections: the bursts of client data.
 *
 * A connection's client data comes in bursts: the first starts with the
 * connection, and each later one after an idle gap of beacon.idle_gap_s
 * (keep-alive and HTTP/2 reuse: one connection, many beats).  A burst
 * becomes an event for the beacon detector when the next one starts or
 * the connection ends, unless it is over the low-volume gate, to a DNS,
 * NTP, broadcast or multicast port or address, or to a known-good
 * service; a tracker whose score reaches a new level goes to the
 * detection policy.  struct bursts keeps its state in an extension slot
 * of every flow.
 */
#ifndef SW_BURSTS_H
#define SW_BURSTS_H

#include <stdint.h>

#include "beacon.h"

struct applayer;
struct flow;
struct flow_config;
struct intel;
struct packet;
struct policy;

struct bursts_counters {
	uint64_t beacon_known_good; /* events to known-good services */
	uint64_t beacon_gated;	    /* events over the low-volume gate */
	uint64_t beacon_not_server; /* broadcast, multicast, inside home */
	uint64_t beacon_fast;	    /* levels reached on the fast scale */
	uint64_t beacon_unanswered; /* TCP connections the server never
				     * answered: no beat (spoofed SYNs) */
	uint64_t beacon_answered;   /* TCP ones it did */
};

struct bursts;
struct homenet;

/* Register the slot in fcfg (before the flow table is made) and build
 * the trackers.  NULL with errbuf (SW_ERRLEN bytes). */
struct bursts *bursts_new(struct flow_config *fcfg,
    const struct beacon_config *cfg, struct policy *pol,
    const struct applayer *names, char *errbuf);
void bursts_free(struct bursts *bt);

/* The known-good (allowlist) set, borrowed; NULL: none. */
void bursts_set_known_good(struct bursts *bt, const struct intel *good);

/* The home network (kept by the caller): traffic that stays inside it
 * is no beacon unless lan, nor is a home subnet's broadcast address. */
void bursts_set_home(struct bursts *bt, const struct homenet *home, int lan);

/* Every packet of f (is_new: its first); now_us is network time. */
void bursts_packet(struct bursts *bt, struct flow *f, const struct packet *p,
    int from_orig, int is_new, int64_t now_us);
/* f ends: its last burst is an event. */
void bursts_conn_end(struct bursts *bt, const struct flow *f, int64_t now_us);

const struct bursts_counters *bursts_get_counters(const struct bursts *bt);
const struct beacon_stats *bursts_beacon_stats(const struct bursts *bt);

#endif /* SW_BURSTS_H */
