/*
 * flow.c - the connection table, with Zeek's conn.log semantics.
 *
 * Central data structure: struct flow_table, a pool of struct flow entries
 * allocated once, a chained hash (bucket heads + flow->hnext) keyed with
 * SipHash-2-4 over the canonical (VLANs, protocol, lower end, higher end)
 * tuple, and one doubly-linked list per timeout class.  Within a class all
 * entries share one timeout, so appending on every touch keeps each list
 * sorted by deadline and expiry only ever looks at list heads.
 *
 * The TCP part mirrors Zeek's TCPSessionAdapter and TCP_Endpoint (endpoint
 * states, sequence bookkeeping, history letters, close and reuse rules) so
 * conn_state, history and the byte counts come out as Zeek logs them.  The
 * "closing" class holds entries with a fixed deadline that later packets
 * do not push back: Zeek's tcp_close_delay after a complete close (both
 * FINs, or a RST) and its tcp_attempt_delay after an unanswered SYN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "flow.h"
#include "hash.h"

enum flow_lru {
	FLOW_LRU_TCP,
	FLOW_LRU_UDP,
	FLOW_LRU_ICMP,
	FLOW_LRU_CLOSING,	/* fixed deadline, not refreshed by packets */
	FLOW_LRU_N,
	FLOW_LRU_NONE = 0xff	/* entry is on the free list */
};

/* Zeek's TCP endpoint states (analyzer/protocol/tcp/TCP_Endpoint.h). */
enum flow_tcp_state {
	TS_INACTIVE,		/* nothing seen from this side */
	TS_SYN_SENT,
	TS_SYN_ACK_SENT,	/* SYN-ACK without an initial SYN */
	TS_PARTIAL,		/* data without a SYN */
	TS_ESTABLISHED,
	TS_CLOSED,		/* FIN seen */
	TS_RESET		/* RST seen */
};

/* Zeek's history bits (Connection::CheckHistory); responder's << 16. */
#define HIST_SYN	0x01u
#define HIST_FIN	0x02u
#define HIST_RST	0x04u
#define HIST_FIN_RST	0x08u
#define HIST_DATA	0x10u
#define HIST_ACK	0x20u
#define HIST_MULTI	0x40u

/* Zeek ignores SYN/RST sequence jumps larger than this (1 MiB). */
#define TOO_LARGE_SEQ_DELTA	1048576

struct flow_list {
	struct flow *head, *tail;
};

struct flow_table {
	struct flow_config cfg;
	flow_end_fn on_end;
	void *ctx;
	struct flow *pool;
	uint32_t npool;
	struct flow *free_list;	/* chained through hnext */
	/* ended connections not yet reported (chained through hnext): an
	 * eviction inside flow_update() is reported by flow_drain() after
	 * the packet, not in the middle of the table update */
	struct flow *ended_head, *ended_tail;
	struct flow **buckets;
	uint64_t mask;		/* buckets - 1, a power of two minus one */
	struct flow_list lru[FLOW_LRU_N];
	int64_t timeout_us[FLOW_LRU_N];
	uint64_t k0, k1;	/* SipHash key */
	uint64_t uid_state;	/* splitmix64 state for uids */
	int64_t now_us;		/* highest packet time seen */
	struct flow_stats stats;
};

/* The lookup key: both ends in canonical (lower first) order. */
struct flow_key {
	uint16_t vlan, inner_vlan;
	uint8_t proto;
	uint8_t a[16];
	uint16_t ap;
	uint8_t b[16];
	uint16_t bp;
};

void
flow_config_default(struct flow_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_flows = SW_FLOW_MAX;
	cfg->tcp_timeout_s = SW_TCP_TIMEOUT;
	cfg->udp_timeout_s = SW_UDP_TIMEOUT;
	cfg->icmp_timeout_s = SW_ICMP_TIMEOUT;
	cfg->tcp_close_delay_s = SW_TCP_CLOSE_DELAY;
	cfg->seed = 0;
}

/* --- keyed hash and uid generator ---------------------------------------- */

static uint64_t
flow_key_hash(const struct flow_table *t, const struct flow_key *k)
{
	uint8_t buf[41];

	/* Serialized field by field: struct padding must not be hashed. */
	buf[0] = (uint8_t)(k->vlan >> 8);
	buf[1] = (uint8_t)k->vlan;
	buf[2] = (uint8_t)(k->inner_vlan >> 8);
	buf[3] = (uint8_t)k->inner_vlan;
	buf[4] = k->proto;
	memcpy(buf + 5, k->a, 16);
	buf[21] = (uint8_t)(k->ap >> 8);
	buf[22] = (uint8_t)k->ap;
	memcpy(buf + 23, k->b, 16);
	buf[39] = (uint8_t)(k->bp >> 8);
	buf[40] = (uint8_t)k->bp;
	return hash_siphash13(t->k0, t->k1, buf, sizeof(buf));
}

/*
 * Zeek-like uid: "C" + base62 of 96 random bits (64 + 32), from a PRNG
 * seeded by cfg->seed, so a fixed seed gives the same uids every run.
 */
static void
flow_make_uid(struct flow_table *t, char *out)
{
	static const char b62[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint64_t parts[2];
	size_t n = 0;
	int i;

	parts[0] = hash_splitmix64(&t->uid_state);
	parts[1] = hash_splitmix64(&t->uid_state) & 0xffffffffULL;
	out[n++] = 'C';
	for (i = 0; i < 2; i++) {
		uint64_t v = parts[i];

		do {
			out[n++] = b62[v % 62];
			v /= 62;
		} while (v != 0 && n < FLOW_UID_LEN - 1);
	}
	out[n] = '\0';
}

/* --- table setup --------------------------------------------------------- */

struct flow_table *
flow_table_new(const struct flow_config *cfg, flow_end_fn on_end, void *ctx,
    char *errbuf)
{
	struct flow_table *t;
	uint64_t nb;
	uint32_t i, n;
	uint64_t s;

	n = cfg->max_flows ? cfg->max_flows : SW_FLOW_MAX;
	if (n > (1u << 28) - 1) {
		snprintf(errbuf, SW_ERRLEN,
		    "flow table: max_flows %u too large", n);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		snprintf(errbuf, SW_ERRLEN, "flow table: out of memory");
		return NULL;
	}
	t->cfg = *cfg;
	t->cfg.max_flows = n;
	t->on_end = on_end;
	t->ctx = ctx;
	/* Load factor <= 1: at least as many buckets as entries. */
	for (nb = 16; nb < n; nb <<= 1)
		;
	/* one entry over the cap: the one an eviction frees is reported
	 * after the packet, so the new connection takes the spare */
	t->pool = calloc((size_t)n + 1, sizeof(*t->pool));
	t->buckets = calloc((size_t)nb, sizeof(*t->buckets));
	if (t->pool == NULL || t->buckets == NULL) {
		snprintf(errbuf, SW_ERRLEN,
		    "flow table: cannot allocate %u entries", n);
		flow_table_free(t);
		return NULL;
	}
	t->npool = n + 1;
	t->mask = nb - 1;
	for (i = n + 1; i-- > 0;) {
		t->pool[i].lru_class = FLOW_LRU_NONE;
		t->pool[i].hnext = t->free_list;
		t->free_list = &t->pool[i];
	}
	t->timeout_us[FLOW_LRU_TCP] = (int64_t)cfg->tcp_timeout_s * 1000000;
	t->timeout_us[FLOW_LRU_UDP] = (int64_t)cfg->udp_timeout_s * 1000000;
	t->timeout_us[FLOW_LRU_ICMP] = (int64_t)cfg->icmp_timeout_s * 1000000;
	t->timeout_us[FLOW_LRU_CLOSING] =
	    (int64_t)cfg->tcp_close_delay_s * 1000000;
	/* Separate streams for the hash key and the uids. */
	s = cfg->seed;
	t->k0 = hash_splitmix64(&s);
	t->k1 = hash_splitmix64(&s);
	t->uid_state = hash_splitmix64(&s);
	t->now_us = INT64_MIN;
	return t;
}

void
flow_table_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	free(t->pool);
	free(t->buckets);
	free(t);
}

const struct flow_stats *
flow_table_stats(const struct flow_table *t)
{
	return &t->stats;
}

/* --- lists --------------------------------------------------------------- */

static void
flow_list_unlink(struct flow_table *t, struct flow *f)
{
	struct flow_list *l;

	if (f->lru_class >= FLOW_LRU_N)
		return;
	l = &t->lru[f->lru_class];
	if (f->lprev != NULL)
		f->lprev->lnext = f->lnext;
	else
		l->head = f->lnext;
	if (f->lnext != NULL)
		f->lnext->lprev = f->lprev;
	else
		l->tail = f->lprev;
	f->lprev = f->lnext = NULL;
	f->lru_class = FLOW_LRU_NONE;
}

/*
 * Give f the deadline `expire` on list `cls`.  Lazy, as timer wheels are:
 * an entry already on that list stays where it is and only its deadline
 * moves; the sweep requeues it when it reaches the head early.  Moving to
 * the tail on every packet would touch two neighbouring entries (two
 * cache misses in a big table) per packet.
 */
static void
flow_list_append(struct flow_table *t, struct flow *f, uint8_t cls,
    int64_t expire)
{
	struct flow_list *l = &t->lru[cls];

	f->expire_us = expire;
	if (f->lru_class == cls)
		return;
	flow_list_unlink(t, f);
	f->lru_class = cls;
	f->queued_us = expire;
	f->lprev = l->tail;
	f->lnext = NULL;
	if (l->tail != NULL)
		l->tail->lnext = f;
	else
		l->head = f;
	l->tail = f;
}

/* Move a list's head, seen since it was queued, to the tail. */
static void
flow_requeue_head(struct flow_table *t, int c)
{
	struct flow *f = t->lru[c].head;

	flow_list_unlink(t, f);
	flow_list_append(t, f, (uint8_t)c, f->expire_us);
}

static void
flow_hash_unlink(struct flow_table *t, struct flow *f)
{
	struct flow **pp = &t->buckets[f->hash & t->mask];

	while (*pp != NULL && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp == f)
		*pp = f->hnext;
	f->hnext = NULL;
}

/*
 * End f: out of the hash and the lists, onto the queue of ended
 * connections, which flow_drain() reports to the callback and returns to
 * the pool.
 */
static void
flow_end(struct flow_table *t, struct flow *f, enum flow_end_reason why)
{
	switch (why) {
	case FLOW_END_TIMEOUT:
		t->stats.ended_timeout++;
		break;
	case FLOW_END_EVICTED:
		t->stats.evicted++;
		break;
	case FLOW_END_FLUSH:
		t->stats.flushed++;
		break;
	}
	flow_hash_unlink(t, f);
	flow_list_unlink(t, f);
	t->stats.active--;
	f->end_why = (uint8_t)why;
	f->hnext = NULL;
	if (t->ended_tail != NULL)
		t->ended_tail->hnext = f;
	else
		t->ended_head = f;
	t->ended_tail = f;
}

void
flow_drain(struct flow_table *t)
{
	struct flow *f;

	while ((f = t->ended_head) != NULL) {
		if ((t->ended_head = f->hnext) == NULL)
			t->ended_tail = NULL;
		if (t->on_end != NULL)
			t->on_end(t->ctx, f, (enum flow_end_reason)f->end_why);
		f->hnext = t->free_list;
		t->free_list = f;
	}
}

void
flow_expire(struct flow_table *t, int64_t now_us)
{
	struct flow *h;
	int c;

	for (c = 0; c < FLOW_LRU_N; c++) {
		while ((h = t->lru[c].head) != NULL && h->queued_us <= now_us) {
			if (h->expire_us <= now_us)
				flow_end(t, h, FLOW_END_TIMEOUT);
			else
				flow_requeue_head(t, c);
		}
	}
	flow_drain(t);
}

void
flow_flush(struct flow_table *t)
{
	int c;

	for (c = 0; c < FLOW_LRU_N; c++) {
		while (t->lru[c].head != NULL)
			flow_end(t, t->lru[c].head, FLOW_END_FLUSH);
	}
	flow_drain(t);
}

/* At the cap: end the least recently seen of the list heads. */
static void
flow_evict_one(struct flow_table *t)
{
	struct flow *victim = NULL;
	int c, n;

	for (c = 0; c < FLOW_LRU_N; c++) {
		struct flow *h;

		/* skip heads seen since they were queued (bounded work) */
		for (n = 0; n < 8 && (h = t->lru[c].head) != NULL &&
		    h->expire_us > h->queued_us; n++)
			flow_requeue_head(t, c);
		h = t->lru[c].head;

		if (h != NULL && (victim == NULL || h->seen_us < victim->seen_us))
			victim = h;
	}
	if (victim != NULL)
		flow_end(t, victim, FLOW_END_EVICTED);
}

/* --- keys ---------------------------------------------------------------- */

/*
 * ICMP request/reply counterparts, so both land in one connection
 * (Zeek's ICMP4_counterpart / ICMP6_counterpart).  Returns -1 for a
 * one-way message, whose "responder port" is then its code.
 */
static int
flow_icmp_counterpart(uint8_t proto, uint8_t type)
{
	if (proto == IPPROTO_NUM_ICMP) {
		switch (type) {
		case 8: return 0;	/* echo */
		case 0: return 8;
		case 13: return 14;	/* timestamp */
		case 14: return 13;
		case 15: return 16;	/* information */
		case 16: return 15;
		case 10: return 9;	/* router solicitation */
		case 9: return 10;
		case 17: return 18;	/* address mask */
		case 18: return 17;
		default: return -1;
		}
	}
	switch (type) {
	case 128: return 129;	/* echo */
	case 129: return 128;
	case 133: return 134;	/* router solicitation / advertisement */
	case 134: return 133;
	case 135: return 136;	/* neighbor solicitation / advertisement */
	case 136: return 135;
	case 130: return 131;	/* MLD query / report */
	case 131: return 130;
	case 139: return 140;	/* node information */
	case 140: return 139;
	case 144: return 145;	/* home agent address discovery */
	case 145: return 144;
	default: return -1;
	}
}

/* The packet's "ports" as Zeek keys them. */
static void
flow_packet_ports(const struct packet *p, uint16_t *sp, uint16_t *dp)
{
	int cp;

	if (p->ip_proto == IPPROTO_NUM_ICMP || p->ip_proto == IPPROTO_NUM_ICMP6) {
		cp = flow_icmp_counterpart(p->ip_proto, p->icmp_type);
		*sp = p->icmp_type;
		*dp = cp >= 0 ? (uint16_t)cp : p->icmp_code;
		return;
	}
	*sp = p->sport;
	*dp = p->dport;
}

static void
flow_make_key(struct flow_key *k, const struct packet *p, uint16_t sp,
    uint16_t dp)
{
	int c;

	memset(k, 0, sizeof(*k));
	k->vlan = p->vlan;
	k->inner_vlan = p->inner_vlan;
	k->proto = p->ip_proto;
	c = memcmp(p->src, p->dst, 16);
	if (c < 0 || (c == 0 && sp <= dp)) {
		memcpy(k->a, p->src, 16);
		k->ap = sp;
		memcpy(k->b, p->dst, 16);
		k->bp = dp;
	} else {
		memcpy(k->a, p->dst, 16);
		k->ap = dp;
		memcpy(k->b, p->src, 16);
		k->bp = sp;
	}
}

/* 1: packet goes orig->resp, 0: resp->orig, -1: not this flow. */
static int
flow_match(const struct flow *f, const struct packet *p, uint16_t sp,
    uint16_t dp)
{
	if (f->proto != p->ip_proto || f->vlan != p->vlan ||
	    f->inner_vlan != p->inner_vlan)
		return -1;
	if (f->orig_p == sp && f->resp_p == dp &&
	    memcmp(f->orig_h, p->src, 16) == 0 &&
	    memcmp(f->resp_h, p->dst, 16) == 0)
		return 1;
	if (f->orig_p == dp && f->resp_p == sp &&
	    memcmp(f->orig_h, p->dst, 16) == 0 &&
	    memcmp(f->resp_h, p->src, 16) == 0)
		return 0;
	return -1;
}

/*
 * Zeek's likely_server_ports as its base scripts fill it (mostly the ports
 * each analyzer registers; DHCP adds 67 but not the client's 68):
 * a first packet *from* one of these to a port not in the list is taken
 * as the server's reply, and the roles are flipped.
 */
static int
flow_likely_server(uint8_t proto, uint16_t port)
{
	static const uint16_t tcp_ports[] = {
		21, 22, 23, 25, 53, 80, 81, 88, 110, 135, 139, 143, 389, 443,
		445, 502, 563, 585, 587, 614, 631, 636, 989, 990, 992, 993,
		995, 1080, 1433, 1434, 1883, 2811, 3128, 3268, 3306, 3389,
		5060, 5222, 5223, 5269, 5432, 6379, 6666, 6667, 6668, 6669,
		8000, 8080, 8888, 20000
	};
	static const uint16_t udp_ports[] = {
		53, 67, 88, 123, 137, 161, 162, 443, 514, 1812, 2123, 2152,
		3544, 4789, 5060, 5072, 5353, 5355, 6081
	};
	const uint16_t *v;
	size_t i, n;

	if (proto == IPPROTO_NUM_TCP) {
		v = tcp_ports;
		n = sizeof(tcp_ports) / sizeof(tcp_ports[0]);
	} else if (proto == IPPROTO_NUM_UDP) {
		v = udp_ports;
		n = sizeof(udp_ports) / sizeof(udp_ports[0]);
	} else
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] == port)
			return 1;
	return 0;
}

/* The IPv4 limited broadcast, ::ffff:255.255.255.255. */
static int
flow_is_broadcast(const uint8_t *a)
{
	static const uint8_t bc[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	return memcmp(a, bc, 16) == 0;
}

/* --- history ------------------------------------------------------------- */

static void
flow_add_history(struct flow *f, char c)
{
	if (f->history_len + 1 < FLOW_HISTORY_MAX) {
		f->history[f->history_len++] = c;
		f->history[f->history_len] = '\0';
	}
}

/*
 * Log `code` (upper case for the originator) the first time `mask` is
 * seen in that direction.  Returns 1 when it had been seen already, as
 * Zeek's Connection::CheckHistory does.
 */
static int
flow_check_history(struct flow *f, int is_orig, uint32_t mask, char code)
{
	if (!is_orig) {
		mask <<= 16;
		code = (char)(code - 'A' + 'a');
	}
	if ((f->hist_seen & mask) == 0) {
		f->hist_seen |= mask;
		flow_add_history(f, code);
		return 0;
	}
	return 1;
}

/* Letters logged at the 1st, 10th, 100th, ... occurrence ('t', 'w'). */
static void
flow_scaled_history(struct flow *f, int is_orig, char code, uint32_t *count,
    uint32_t *thresh)
{
	if (*thresh == 0)
		*thresh = 1;
	if (++*count == *thresh) {
		flow_add_history(f, is_orig ? code : (char)(code - 'A' + 'a'));
		*thresh = *thresh > UINT32_MAX / 10 ? UINT32_MAX : *thresh * 10;
	}
}

/* --- TCP (Zeek's TCPSessionAdapter::Process, minus reassembly) ----------- */

static int32_t
flow_seq_delta(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static void
flow_tcp_set_state(struct flow_tcp_dir *d, uint8_t st)
{
	if (st != d->state) {
		d->prev_state = d->state;
		d->state = st;
	}
}

static uint64_t
flow_tcp_rel_seq(const struct flow_tcp_dir *d, uint32_t cur, uint32_t last,
    uint32_t wraps, int *underflow)
{
	int32_t delta = flow_seq_delta(cur, last);

	if (delta < 0) {
		if (wraps && cur > last)
			--wraps;
	} else if (delta > 0) {
		if (cur < last)
			++wraps;
	}
	if (wraps == 0) {
		delta = flow_seq_delta(cur, d->isn);
		if (underflow != NULL && delta < 0)
			*underflow = 1;
		return (uint64_t)(int64_t)delta;
	}
	return (((uint64_t)wraps << 32) + cur) - d->isn;
}

static void
flow_tcp_update_last(struct flow_tcp_dir *d, uint32_t seq)
{
	if (seq < d->max_seq)
		d->seq_wraps++;
	d->max_seq = seq;
}

static void
flow_tcp_update_ack(struct flow_tcp_dir *d, uint32_t seq)
{
	if (seq < d->ack_seq)
		d->ack_wraps++;
	d->ack_seq = seq;
}

static void
flow_tcp_init_seq(struct flow_tcp_dir *d, uint32_t start, uint32_t last)
{
	d->isn = start;
	d->ack_seq = start;
	d->max_seq = last;
	d->seq_init = 1;
}

static void
flow_tcp_init_endpoint(struct flow_tcp_dir *d, uint8_t flags, uint32_t seq,
    uint32_t last)
{
	int syn = (flags & TCPF_SYN) != 0;

	switch (d->state) {
	case TS_INACTIVE:
		/*
		 * Without a SYN, number as though one preceded this packet so
		 * relative sequence numbers stay consistent.
		 */
		if (syn)
			flow_tcp_init_seq(d, seq, last);
		else
			flow_tcp_init_seq(d, seq - 1, seq);
		break;
	case TS_SYN_SENT:
	case TS_SYN_ACK_SENT:
		if (syn && seq != d->isn)
			flow_tcp_init_seq(d, seq, last);
		break;
	case TS_ESTABLISHED:
	case TS_PARTIAL:
		if (syn)
			flow_tcp_init_seq(d, seq, last);
		break;
	case TS_RESET:
		if (syn && d->prev_state == TS_INACTIVE)
			flow_tcp_init_seq(d, seq, last);
		break;
	default:
		break;
	}
}

static int
flow_tcp_no_data_acked(const struct flow_tcp_dir *d)
{
	uint64_t ack = ((uint64_t)d->ack_wraps << 32) + d->ack_seq;

	return ack == d->isn || ack == (uint64_t)d->isn + 1;
}

/* Zeek's TCP_Endpoint::Size(): payload bytes from sequence numbers. */
static uint64_t
flow_tcp_size(const struct flow_tcp_dir *d, const struct flow_tcp_dir *peer)
{
	uint64_t last, ack, size;

	if (d->prev_state == TS_SYN_SENT && d->state == TS_RESET &&
	    peer->state == TS_INACTIVE && !flow_tcp_no_data_acked(d))
		return 0;	/* half-open connection found and aborted */
	last = ((uint64_t)d->seq_wraps << 32) + d->max_seq;
	ack = ((uint64_t)d->ack_wraps << 32) + d->ack_seq;
	size = (last > ack ? last : ack) - d->isn;
	if (size != 0)
		--size;		/* the SYN (or the assumed one) */
	if (d->fin_cnt > 0 && size != 0)
		--size;		/* the FIN */
	return size;
}

static void
flow_tcp_history(struct flow *f, int is_orig, struct flow_tcp_dir *ep,
    uint8_t flags, uint64_t rel_seq, uint32_t len)
{
	int bits = !!(flags & TCPF_SYN) + !!(flags & TCPF_FIN) +
	    !!(flags & TCPF_RST);
	char code;

	if (bits > 1) {
		if ((flags & TCPF_FIN) && (flags & TCPF_RST))
			flow_check_history(f, is_orig, HIST_FIN_RST, 'I');
		else
			flow_check_history(f, is_orig, HIST_MULTI, 'Q');
	} else if (bits == 1) {
		/* A repeated SYN/FIN/RST is logged again only at a new seq. */
		if (flags & TCPF_SYN) {
			code = (flags & TCPF_ACK) ? 'H' : 'S';
			if (flow_check_history(f, is_orig, HIST_SYN, code) &&
			    rel_seq != ep->hist_last_syn)
				flow_add_history(f, is_orig ? code :
				    (char)(code - 'A' + 'a'));
			ep->hist_last_syn = rel_seq;
		}
		if (flags & TCPF_FIN) {
			if (flow_check_history(f, is_orig, HIST_FIN, 'F') &&
			    rel_seq + len != ep->hist_last_fin)
				flow_add_history(f, is_orig ? 'F' : 'f');
			ep->hist_last_fin = rel_seq + len;
		}
		if (flags & TCPF_RST) {
			if (flow_check_history(f, is_orig, HIST_RST, 'R') &&
			    rel_seq != ep->hist_last_rst)
				flow_add_history(f, is_orig ? 'R' : 'r');
			ep->hist_last_rst = rel_seq;
		}
	} else {
		if (len)
			flow_check_history(f, is_orig, HIST_DATA, 'D');
		else if (flags & TCPF_ACK)
			flow_check_history(f, is_orig, HIST_ACK, 'A');
	}
}

static void
flow_swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	uint8_t tmp[16];

	memcpy(tmp, a, n);
	memcpy(a, b, n);
	memcpy(b, tmp, n);
}

/* Zeek's Connection::FlipRoles: swap the ends and log '^'. */
static void
flow_flip(struct flow *f)
{
	struct flow_tcp_dir td;
	uint64_t u;
	uint16_t port;
	uint8_t h;

	flow_swap_bytes(f->orig_h, f->resp_h, 16);
	port = f->orig_p;
	f->orig_p = f->resp_p;
	f->resp_p = port;
	flow_swap_bytes(f->orig_l2, f->resp_l2, 6);
	h = f->has_orig_l2;
	f->has_orig_l2 = f->has_resp_l2;
	f->has_resp_l2 = h;
	u = f->orig_bytes; f->orig_bytes = f->resp_bytes; f->resp_bytes = u;
	u = f->orig_pkts; f->orig_pkts = f->resp_pkts; f->resp_pkts = u;
	u = f->orig_ip_bytes; f->orig_ip_bytes = f->resp_ip_bytes;
	f->resp_ip_bytes = u;
	td = f->tcp[0];
	f->tcp[0] = f->tcp[1];
	f->tcp[1] = td;
	flow_add_history(f, '^');
}

/*
 * Zeek's ConnectionClosed without reassembly: a close is complete on a
 * RST, when the peer has closed too, or when the peer never spoke; the
 * entry then goes on the closing list with a fixed deadline.
 */
static void
flow_tcp_closed(struct flow_table *t, struct flow *f, struct flow_tcp_dir *ep,
    struct flow_tcp_dir *peer, int gen_event)
{
	if (ep->did_close)
		return;
	ep->did_close = 1;
	if (ep->state == TS_RESET || peer->did_close ||
	    peer->state == TS_INACTIVE) {
		if (gen_event)
			f->active = 0;	/* connection_finished */
		if (!f->close_sched) {
			f->close_sched = 1;
			f->attempt = 0;
			flow_list_append(t, f, FLOW_LRU_CLOSING,
			    f->last_us + t->timeout_us[FLOW_LRU_CLOSING]);
		}
	}
}

/*
 * Zeek's IsReuse: a SYN (or, on a half-open connection, a SYN-ACK) with a
 * new initial sequence number, or any SYN once the connection is over,
 * starts a new connection on the same 4-tuple.
 */
static int
flow_tcp_is_reuse(const struct flow *f, const struct packet *p)
{
	const struct flow_tcp_dir *conn_orig = &f->tcp[0];

	if (!(p->tcp_flags & TCPF_SYN))
		return 0;
	if (p->tcp_flags & TCPF_ACK) {
		if (f->tcp[0].state != TS_INACTIVE)
			return 0;
		conn_orig = &f->tcp[1];
	}
	if (f->active) {
		if (p->seq == conn_orig->isn)
			return 0;
		if (!(p->tcp_flags & TCPF_ACK) &&
		    conn_orig->state == TS_SYN_ACK_SENT &&
		    f->tcp[1].state == TS_INACTIVE && p->seq == f->tcp[1].isn)
			return 0;
	}
	return 1;
}

static void
flow_tcp_inactive_state(struct flow *f, struct flow_tcp_dir **epp,
    struct flow_tcp_dir **peerp, int *is_origp, const struct packet *p,
    int *do_close, int *gen_event, int *started_attempt)
{
	struct flow_tcp_dir *ep = *epp, *peer = *peerp, *tmp;
	uint8_t flags = p->tcp_flags;
	int is_orig = *is_origp;

	if (flags & TCPF_SYN) {
		if (is_orig) {
			flow_tcp_set_state(ep, (flags & TCPF_ACK) ?
			    TS_SYN_ACK_SENT : TS_SYN_SENT);
			*started_attempt = 1;
		} else {
			if (!(flags & TCPF_ACK) &&
			    peer->state == TS_SYN_ACK_SENT &&
			    p->seq == ep->isn) {
				/*
				 * SYN-ACK seen before its SYN: flip so the
				 * SYN's sender is the originator.  The tcp[]
				 * slots swap, so follow our endpoint.
				 */
				flow_flip(f);
				tmp = ep;
				ep = peer;
				peer = tmp;
				is_orig = 1;
				flow_tcp_set_state(peer, TS_ESTABLISHED);
			}
			if (peer->state == TS_SYN_SENT)
				flow_tcp_set_state(peer, TS_ESTABLISHED);
			flow_tcp_set_state(ep, TS_ESTABLISHED);
		}
	}
	if (flags & TCPF_FIN) {
		flow_tcp_set_state(ep, TS_CLOSED);
		*do_close = *gen_event = 1;
	}
	if (flags & TCPF_RST) {
		int is_reject = 0;

		flow_tcp_set_state(ep, TS_RESET);
		if (is_orig) {
			if (peer->state == TS_ESTABLISHED)
				is_reject = 1;
		} else if (peer->state == TS_SYN_SENT ||
		    peer->state == TS_SYN_ACK_SENT)
			is_reject = 1;
		*do_close = 1;
		*gen_event = !is_reject;
	}
	if (ep->state == TS_INACTIVE) {
		if (!is_orig && p->payload_len == 0 &&
		    f->tcp[0].state == TS_SYN_SENT)
			;	/* an early ACK of the SYN: not partial */
		else if ((flags & TCPF_ACK) && peer->state == TS_ESTABLISHED)
			flow_tcp_set_state(ep, TS_ESTABLISHED);
		else
			flow_tcp_set_state(ep, TS_PARTIAL);
	}
	*epp = ep;
	*peerp = peer;
	*is_origp = is_orig;
}

static void
flow_tcp_state_machine(struct flow *f, struct flow_tcp_dir **epp,
    struct flow_tcp_dir **peerp, int *is_origp, const struct packet *p,
    int *do_close, int *gen_event, int *started_attempt)
{
	struct flow_tcp_dir *ep = *epp, *peer = *peerp;
	uint8_t flags = p->tcp_flags;

	*do_close = *gen_event = 0;
	switch (ep->state) {
	case TS_INACTIVE:
		flow_tcp_inactive_state(f, epp, peerp, is_origp, p, do_close,
		    gen_event, started_attempt);
		break;
	case TS_SYN_SENT:
	case TS_SYN_ACK_SENT:
		if (flags & TCPF_FIN) {
			flow_tcp_set_state(ep, TS_CLOSED);
			*do_close = *gen_event = 1;
		}
		if (flags & TCPF_RST) {
			flow_tcp_set_state(ep, TS_RESET);
			f->active = 0;	/* ConnectionReset */
			*do_close = 1;
		}
		break;
	case TS_ESTABLISHED:
	case TS_PARTIAL:
		if ((flags & TCPF_SYN) && ep->state == TS_PARTIAL &&
		    peer->state == TS_INACTIVE && !(flags & TCPF_ACK))
			flow_tcp_set_state(ep, TS_SYN_SENT);
		if ((flags & TCPF_FIN) && !(flags & TCPF_RST)) {
			flow_tcp_set_state(ep, TS_CLOSED);
			/* FIN then RST from the peer was a normal close. */
			if (peer->state == TS_RESET &&
			    peer->prev_state == TS_CLOSED)
				flow_tcp_set_state(peer, TS_CLOSED);
			*do_close = *gen_event = 1;
		}
		if (flags & TCPF_RST) {
			flow_tcp_set_state(ep, TS_RESET);
			*do_close = 1;
			if (peer->state != TS_RESET ||
			    peer->prev_state != TS_ESTABLISHED)
				f->active = 0;
		}
		break;
	case TS_CLOSED:
		/* After a FIN exchange a RST changes nothing. */
		if ((flags & TCPF_RST) && peer->state != TS_CLOSED) {
			flow_tcp_set_state(ep, TS_RESET);
			if (!ep->did_close)
				*do_close = 1;
		}
		break;
	default:
		break;
	}
}

static void
flow_tcp_packet(struct flow_table *t, struct flow *f, const struct packet *p,
    int is_orig)
{
	struct flow_tcp_dir *ep = &f->tcp[is_orig ? 0 : 1];
	struct flow_tcp_dir *peer = &f->tcp[is_orig ? 1 : 0];
	uint8_t flags = p->tcp_flags;
	uint32_t len = p->payload_len;
	uint32_t seg_len, seq_end;
	uint64_t rel_seq;
	int32_t delta;
	int underflow = 0, do_close, gen_event, started_attempt = 0;

	seg_len = len + !!(flags & TCPF_SYN) + !!(flags & TCPF_FIN);
	if (flags & TCPF_RST)
		seg_len -= len;	/* data on a RST is not stream data */
	seq_end = p->seq + seg_len;

	flow_tcp_init_endpoint(ep, flags, p->seq, seq_end);
	rel_seq = flow_tcp_rel_seq(ep, p->seq, ep->max_seq, ep->seq_wraps,
	    &underflow);
	flow_tcp_history(f, is_orig, ep, flags, rel_seq, len);

	/*
	 * Zero windows matter unless they come with or after a RST, or after
	 * the peer's FIN (Zeek's update_window).
	 */
	if (p->win == 0 && !(flags & TCPF_RST) && peer->state != TS_CLOSED &&
	    ep->state != TS_RESET) {
		flow_scaled_history(f, is_orig, 'W', &ep->zero_win_n,
		    &ep->zero_win_log);
	}
	/* Once both sides closed, stragglers do not extend the duration. */
	if (!f->tcp[0].did_close || !f->tcp[1].did_close)
		f->last_us = p->ts_us;
	if (flags & TCPF_SYN)
		ep->syn = 1;
	if (flags & TCPF_FIN) {
		ep->fin = 1;
		ep->fin_cnt++;
	}
	if (flags & TCPF_RST)
		ep->rst = 1;

	if (flags & TCPF_ACK) {
		if (peer->state == TS_INACTIVE) {
			/* Number the silent peer as though its SYN was seen. */
			flow_tcp_init_seq(peer, p->ack - 1, p->ack - 1);
		} else {
			int ack_uf = 0;

			(void)flow_tcp_rel_seq(peer, p->ack, peer->ack_seq,
			    peer->ack_wraps, &ack_uf);
			/* RST acks are not trusted; nor is an ack of 0 far
			 * ahead (more likely broken than a wrap). */
			if (!ack_uf && !(flags & TCPF_RST)) {
				int32_t da = flow_seq_delta(p->ack,
				    peer->ack_seq);

				if (!(p->ack == 0 && da > TOO_LARGE_SEQ_DELTA) &&
				    da > 0)
					flow_tcp_update_ack(peer, p->ack);
			}
		}
	}

	/* Zeek's update_last_seq, with retransmission detection. */
	delta = flow_seq_delta(seq_end, ep->max_seq);
	if ((flags & (TCPF_SYN | TCPF_RST)) &&
	    (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
		;
	else if ((flags & TCPF_FIN) && ep->max_seq == ep->isn + 1)
		flow_tcp_update_last(ep, seq_end);
	else if (ep->state == TS_RESET)
		;
	else if (delta > 0)
		flow_tcp_update_last(ep, seq_end);
	else if (len > 0) {
		flow_scaled_history(f, is_orig, 'T', &ep->retrans_n,
		    &ep->retrans_log);
	}

	flow_tcp_state_machine(f, &ep, &peer, &is_orig, p, &do_close,
	    &gen_event, &started_attempt);
	if (do_close)
		flow_tcp_closed(t, f, ep, peer, gen_event);

	f->orig_bytes = flow_tcp_size(&f->tcp[0], &f->tcp[1]);
	f->resp_bytes = flow_tcp_size(&f->tcp[1], &f->tcp[0]);

	/*
	 * Timeout class: a scheduled close keeps its fixed deadline; an
	 * unanswered SYN ends tcp_attempt_delay (= close delay, 5 s in Zeek)
	 * after it was sent; anything else idles out after tcp_timeout.
	 */
	if (f->close_sched)
		return;
	if (started_attempt && is_orig && !f->attempt &&
	    (f->tcp[0].state == TS_SYN_SENT ||
	    f->tcp[0].state == TS_SYN_ACK_SENT) &&
	    f->tcp[1].state == TS_INACTIVE) {
		f->attempt = 1;
		flow_list_append(t, f, FLOW_LRU_CLOSING,
		    t->now_us + t->timeout_us[FLOW_LRU_CLOSING]);
		return;
	}
	if (f->attempt && (f->tcp[0].state == TS_SYN_SENT ||
	    f->tcp[0].state == TS_SYN_ACK_SENT) &&
	    f->tcp[1].state == TS_INACTIVE)
		return;
	f->attempt = 0;
	flow_list_append(t, f, FLOW_LRU_TCP,
	    t->now_us + t->timeout_us[FLOW_LRU_TCP]);
}

/* --- update -------------------------------------------------------------- */

static struct flow *
flow_new(struct flow_table *t, const struct packet *p, uint16_t sp,
    uint16_t dp, uint64_t hash)
{
	struct flow *f;
	int flip = 0;

	if (t->stats.active >= t->cfg.max_flows)
		flow_evict_one(t);	/* reported by the next flow_drain() */
	if (t->free_list == NULL)
		flow_drain(t);		/* the caller did not drain: do it */
	f = t->free_list;
	t->free_list = f->hnext;
	memset(f, 0, sizeof(*f));
	f->lru_class = FLOW_LRU_NONE;
	f->hash = hash;
	f->hnext = t->buckets[hash & t->mask];
	t->buckets[hash & t->mask] = f;

	f->proto = p->ip_proto;
	f->family = p->family;
	f->vlan = p->vlan;
	f->inner_vlan = p->inner_vlan;
	memcpy(f->orig_h, p->src, 16);
	memcpy(f->resp_h, p->dst, 16);
	f->orig_p = sp;
	f->resp_p = dp;
	if (p->has_l2) {
		memcpy(f->orig_l2, p->src_mac, 6);
		memcpy(f->resp_l2, p->dst_mac, 6);
		f->has_orig_l2 = f->has_resp_l2 = 1;
	}
	f->first_us = f->last_us = p->ts_us;
	f->active = 1;
	flow_make_uid(t, f->uid);

	/*
	 * Zeek's WantConnection role guesses: a first packet from a likely
	 * server port is the reply (for TCP only when it is no plain SYN;
	 * when both ports are plausible, only a non-SYN towards the higher
	 * port), never towards the IPv4 broadcast address.
	 */
	if (p->ip_proto == IPPROTO_NUM_UDP) {
		flip = flow_likely_server(p->ip_proto, sp) &&
		    !flow_likely_server(p->ip_proto, dp);
	} else if (p->ip_proto == IPPROTO_NUM_TCP &&
	    (!(p->tcp_flags & TCPF_SYN) || (p->tcp_flags & TCPF_ACK)) &&
	    flow_likely_server(p->ip_proto, sp)) {
		if (flow_likely_server(p->ip_proto, dp))
			flip = !(p->tcp_flags & TCPF_SYN) && sp < dp;
		else
			flip = 1;
	}
	if (flip && flow_is_broadcast(p->dst))
		flip = 0;
	if (flip)
		flow_flip(f);

	t->stats.created++;
	t->stats.active++;
	if (t->stats.active > t->stats.active_max)
		t->stats.active_max = t->stats.active;
	return f;
}

uint64_t
flow_hash(const struct flow_table *t, const struct packet *p)
{
	struct flow_key k;
	uint16_t sp, dp;

	flow_packet_ports(p, &sp, &dp);
	flow_make_key(&k, p, sp, dp);
	return flow_key_hash(t, &k);
}

void
flow_prefetch(const struct flow_table *t, uint64_t hash, int stage)
{
	struct flow *const *b = &t->buckets[hash & t->mask];

	if (stage == 0)
		__builtin_prefetch(b);
	else if (*b != NULL)
		__builtin_prefetch(*b);
}

struct flow *
flow_update(struct flow_table *t, const struct packet *p, int *is_new,
    int *from_orig)
{
	return flow_update_hashed(t, p, flow_hash(t, p), is_new, from_orig);
}

struct flow *
flow_update_hashed(struct flow_table *t, const struct packet *p,
    uint64_t hash, int *is_new, int *from_orig)
{
	struct flow *f;
	uint16_t sp, dp;
	int dir = -1;

	*is_new = 0;
	if (t->ended_head != NULL)
		flow_drain(t);		/* the last packet's, if not yet */
	if (p->ts_us > t->now_us)
		t->now_us = p->ts_us;
	flow_packet_ports(p, &sp, &dp);
	for (f = t->buckets[hash & t->mask]; f != NULL; f = f->hnext) {
		if (f->hash == hash && (dir = flow_match(f, p, sp, dp)) >= 0)
			break;
	}
	/*
	 * Exact Zeek timing whatever the sweep interval: an entry past its
	 * deadline ends before this packet is counted, and a reused TCP
	 * 4-tuple ends the old connection.
	 */
	if (f != NULL && (f->expire_us <= t->now_us ||
	    (f->proto == IPPROTO_NUM_TCP && flow_tcp_is_reuse(f, p)))) {
		flow_end(t, f, FLOW_END_TIMEOUT);
		f = NULL;
	}
	if (f == NULL) {
		f = flow_new(t, p, sp, dp, hash);
		dir = flow_match(f, p, sp, dp);
		*is_new = 1;
	}
	*from_orig = dir;
	f->seen_us = t->now_us;

	if (dir) {
		f->orig_pkts++;
		f->orig_ip_bytes += p->ip_len;
	} else {
		f->resp_pkts++;
		f->resp_ip_bytes += p->ip_len;
	}
	if (p->has_l2 && !f->has_orig_l2) {
		/* First frame with MACs (e.g. after a cooked capture). */
		memcpy(dir ? f->orig_l2 : f->resp_l2, p->src_mac, 6);
		memcpy(dir ? f->resp_l2 : f->orig_l2, p->dst_mac, 6);
		f->has_orig_l2 = f->has_resp_l2 = 1;
	}

	switch (f->proto) {
	case IPPROTO_NUM_TCP:
		flow_tcp_packet(t, f, p, dir);
		/* A flip inside the state machine changes the direction. */
		*from_orig = flow_match(f, p, sp, dp);
		break;
	case IPPROTO_NUM_UDP:
		if (dir)
			f->orig_bytes += p->payload_len;
		else
			f->resp_bytes += p->payload_len;
		flow_check_history(f, dir, HIST_DATA, 'D');
		f->last_us = p->ts_us;
		flow_list_append(t, f, FLOW_LRU_UDP,
		    t->now_us + t->timeout_us[FLOW_LRU_UDP]);
		break;
	default:
		if (dir)
			f->orig_bytes += p->payload_len;
		else
			f->resp_bytes += p->payload_len;
		f->last_us = p->ts_us;
		flow_list_append(t, f, FLOW_LRU_ICMP,
		    t->now_us + t->timeout_us[FLOW_LRU_ICMP]);
		break;
	}
	return f;
}

/* --- conn.log fields ----------------------------------------------------- */

/* Zeek's RSTOS0 pattern /^\^?S[^HAFGIQ]*R.*$/ on the history. */
static int
flow_history_rstos0(const char *h)
{
	if (*h == '^')
		h++;
	if (*h++ != 'S')
		return 0;
	for (; *h != '\0'; h++) {
		if (*h == 'R')
			return 1;
		if (strchr("HAFGIQ", *h) != NULL)
			return 0;
	}
	return 0;
}

const char *
flow_conn_state(const struct flow *f)
{
	uint8_t os = f->tcp[0].state, rs = f->tcp[1].state;
	int o_inactive = os == TS_INACTIVE || os == TS_PARTIAL;
	int r_inactive = rs == TS_INACTIVE || rs == TS_PARTIAL;

	if (f->proto == IPPROTO_NUM_UDP) {
		if (f->orig_pkts > 0)
			return f->resp_pkts > 0 ? "SF" : "S0";
		return f->resp_pkts > 0 ? "SHR" : "OTH";
	}
	if (f->proto != IPPROTO_NUM_TCP)
		return "OTH";
	if (rs == TS_RESET) {
		if (os == TS_SYN_SENT || os == TS_SYN_ACK_SENT ||
		    (os == TS_RESET && f->orig_bytes == 0 &&
		    f->resp_bytes == 0))
			return "REJ";
		return o_inactive ? "RSTRH" : "RSTR";
	}
	if (os == TS_RESET) {
		if (r_inactive)
			return flow_history_rstos0(f->history) ? "RSTOS0" :
			    "OTH";
		return "RSTO";
	}
	if (rs == TS_CLOSED && os == TS_CLOSED)
		return "SF";
	if (os == TS_CLOSED)
		return r_inactive ? "SH" : "S2";
	if (rs == TS_CLOSED)
		return o_inactive ? "SHR" : "S3";
	if (os == TS_SYN_SENT && rs == TS_INACTIVE)
		return "S0";
	if (os == TS_ESTABLISHED && rs == TS_ESTABLISHED)
		return "S1";
	return "OTH";
}

const char *
flow_proto_name(const struct flow *f)
{
	switch (f->proto) {
	case IPPROTO_NUM_TCP:
		return "tcp";
	case IPPROTO_NUM_UDP:
		return "udp";
	case IPPROTO_NUM_ICMP:
	case IPPROTO_NUM_ICMP6:
		return "icmp";
	default:
		return "unknown_transport";
	}
}
