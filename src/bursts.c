/*
 * bursts.c - beacon events from connections (see bursts.h).
 *
 * The central structure is struct bursts: the beacon tracker table, the
 * known-good set, and the offset of struct burst, this module's slot in
 * every flow.
 */
#include "bursts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applayer.h"
#include "config.h"
#include "dns.h"
#include "flow.h"
#include "homenet.h"
#include "intel.h"
#include "jbuf.h"
#include "policy.h"

/* The current burst of client data of a connection (its flow slot). */
struct burst {
	int64_t start_us;
	int64_t last_us; /* last payload of the burst, either way */
	uint32_t up, down;
};

struct bursts {
	struct beacon_config cfg;
	struct beacon_config fast; /* the fast scale's (beacon.h) */
	struct beacon_table *beacons;
	struct policy *policy;
	const struct applayer *names;	/* the connections' server names */
	const struct intel *known_good; /* may be NULL */
	const struct homenet *home;	/* may be NULL */
	int lan;			/* beacons inside home too */
	uint32_t burst_off;
	struct bursts_counters ctr;
};

static void burst_end(struct bursts *bt, const struct flow *f, int64_t now_us);

struct bursts *
bursts_new(struct flow_config *fcfg, const struct beacon_config *cfg,
    struct policy *pol, const struct applayer *names, char *errbuf)
{
	struct bursts *bt;

	if ((bt = calloc(1, sizeof(*bt))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "beacon events: out of memory");
		return NULL;
	}
	bt->cfg = *cfg;
	beacon_fast_config(cfg, &bt->fast);
	bt->policy = pol;
	bt->names = names;
	bt->burst_off = flow_ext_add(fcfg, sizeof(struct burst));
	if ((bt->beacons = beacon_new(cfg, errbuf)) == NULL) {
		free(bt);
		return NULL;
	}
	return bt;
}

void
bursts_free(struct bursts *bt)
{
	if (bt == NULL)
		return;
	beacon_free(bt->beacons);
	free(bt);
}

void
bursts_set_known_good(struct bursts *bt, const struct intel *good)
{
	bt->known_good = good;
}

void
bursts_set_home(struct bursts *bt, const struct homenet *home, int lan)
{
	bt->home = home;
	bt->lan = lan;
}

void
bursts_conn_end(struct bursts *bt, const struct flow *f, int64_t now_us)
{
	burst_end(bt, f, now_us);
}

const struct bursts_counters *
bursts_get_counters(const struct bursts *bt)
{
	return &bt->ctr;
}

const struct beacon_stats *
bursts_beacon_stats(const struct bursts *bt)
{
	return beacon_get_stats(bt->beacons);
}

/*
 * A connection's client data comes in bursts: the first
 * starts with the connection, and each later one after an idle gap of
 * beacon.idle_gap_s (keep-alive and HTTP/2 reuse: one connection, many
 * beats).  A burst becomes an event when the next one starts or the
 * connection ends; its sizes are the payload bytes each way.  The
 * destination is the server's name when known (a name rotating over
 * addresses is one destination), else "address:port".
 */
/* A destination that is no server: broadcast and multicast, by address
 * or by the all-ones Ethernet destination. */
static int
not_a_server(const struct bursts *bt, const struct flow *f,
    const struct flow_addrs *fa)
{
	if (fa->resp_h[0] == 0xff)
		return 1; /* IPv6 multicast */
	if (addr_is_v4mapped(fa->resp_h) &&
	    (fa->resp_h[12] >= 224 ||
		homenet_is_broadcast(bt->home, fa->resp_h)))
		return 1; /* IPv4 multicast, 240/4, a home /24's broadcast */
	if (f->has_resp_l2 && (f->resp_l2[0] & 1))
		return 1; /* an Ethernet group address: broadcast, multicast */
	/* a device talking to another at home: no C2 there */
	return !bt->lan && homenet_contains(bt->home, fa->orig_h) &&
	    homenet_contains(bt->home, fa->resp_h);
}

static int
beacon_candidate(const struct flow *f, const struct flow_addrs *fa)
{
	if (f->proto != IPPROTO_NUM_TCP && f->proto != IPPROTO_NUM_UDP)
		return 0;
	/* DNS and mDNS are the lookups, not the beacons; NTP polls by
	 * design (RFC 5905), often without a lookup to name its server */
	if (dns_port(f->resp_p) || dns_port(f->orig_p))
		return 0;
	if (f->proto == IPPROTO_NUM_UDP &&
	    (f->resp_p == 123 || f->orig_p == 123))
		return 0;
	return 1;
}

/* "a.b.c.d:port" (an IPv6 address unbracketed, as before) by hand:
 * snprintf() here was 2 % of a replay's instructions. */
static void
addr_port(char *out, size_t cap, const uint8_t a[16], uint16_t port)
{
	char ip[48], num[8], *p = num + sizeof(num);
	size_t n, m;

	jbuf_addr_fmt(a, ip, sizeof(ip));
	n = strlen(ip);
	do {
		*--p = (char)('0' + port % 10);
		port /= 10;
	} while (port != 0);
	m = (size_t)(num + sizeof(num) - p);
	if (n + 1 + m + 1 > cap) {
		out[0] = '\0';
		return;
	}
	memcpy(out, ip, n);
	out[n] = ':';
	memcpy(out + n + 1, p, m);
	out[n + 1 + m] = '\0';
}

static void
burst_end(struct bursts *bt, const struct flow *f, int64_t now_us)
{
	struct beacon_tracker *tr;
	struct beacon_event e;
	struct beacon_score sc;
	char dest[BEACON_DEST_MAX];
	const char *name;
	const struct burst *b;
	struct flow_addrs fa;
	int level, is_name;

	b = flow_ext(f, bt->burst_off);
	if (b->start_us == 0)
		return;
	flow_get_addrs(f, &fa);
	if (!beacon_candidate(f, &fa))
		return;
	if (not_a_server(bt, f, &fa)) {
		bt->ctr.beacon_not_server++;
		return;
	}
	if (b->up == 0 && b->down == 0 && f->proto == IPPROTO_NUM_TCP &&
	    b->start_us != f->first_us)
		return; /* pure ACKs are no burst */
	/* A SYN nobody answered is no beat: anyone can send it from any
	 * source, and a flood of them would take the trackers a real
	 * beacon needs.  (A phone retrying a dead C2 loses those beats.)
	 * A datagram is: UDP C2s need not answer (caldera's manx does
	 * not), and the budgets bound a flood of them. */
	if (f->proto == IPPROTO_NUM_TCP) {
		if (f->resp_pkts == 0) {
			bt->ctr.beacon_unanswered++;
			return;
		}
		bt->ctr.beacon_answered++;
	}
	/* the low-volume gate first: most connections are over it, and
	 * need no name formatting nor lookup */
	if (b->up > bt->cfg.max_up || b->down > bt->cfg.max_down) {
		bt->ctr.beacon_gated++;
		return;
	}
	name = applayer_server_name(bt->names, f);
	is_name = name[0] != '\0' && strlen(name) < sizeof(dest);
	if (bt->known_good != NULL &&
	    ((is_name && intel_match_domain(bt->known_good, name) != NULL) ||
		intel_match_addr_port(bt->known_good, fa.resp_h, f->resp_p) !=
		    NULL)) {
		bt->ctr.beacon_known_good++;
		return;
	}
	if (is_name)
		memcpy(dest, name, strlen(name) + 1);
	else
		addr_port(dest, sizeof(dest), fa.resp_h, f->resp_p);
	e.ts_us = b->start_us;
	e.up = b->up;
	e.down = b->down;
	tr = beacon_observe(bt->beacons, fa.orig_h, dest, is_name, &e, now_us);
	if (tr == NULL)
		return;
	level = 0;
	if (beacon_score_tracker(tr, &bt->cfg, &sc))
		level = beacon_level(&sc, &bt->cfg);
	/* a new connection every few seconds: the fast scale, when this
	 * beat came soon after the last one */
	if (level == 0 && bt->fast.min_events > 0 && tr->n >= 2 && e.up > 0 &&
	    e.down > 0 &&
	    e.ts_us - tr->ev[tr->n - 2].ts_us <
		(int64_t)bt->cfg.min_period_s * 1000000 &&
	    beacon_score_fast(tr, &bt->fast, &sc)) {
		level = beacon_level(&sc, &bt->fast);
		if (level > 0)
			bt->ctr.beacon_fast++;
	}
	if (level <= tr->notified)
		return;
	tr->notified = (uint8_t)level;
	policy_beacon(bt->policy, f, dest, is_name, &sc, level, now_us);
}

/* Account one payload packet to the connection's current burst. */
void
bursts_packet(struct bursts *bt, struct flow *f, const struct packet *p,
    int from_orig, int is_new, int64_t now_us)
{
	struct burst *b;

	b = flow_ext(f, bt->burst_off);
	if (is_new) {
		b->start_us = p->ts_us;
		b->last_us = p->ts_us;
	}
	if (p->payload_len == 0)
		return;
	if (from_orig && b->last_us != 0 &&
	    p->ts_us - b->last_us > (int64_t)bt->cfg.idle_gap_s * 1000000) {
		burst_end(bt, f, now_us);
		b->start_us = p->ts_us;
		b->up = b->down = 0;
	}
	if (from_orig)
		b->up += p->payload_len;
	else
		b->down += p->payload_len;
	b->last_us = p->ts_us;
}
