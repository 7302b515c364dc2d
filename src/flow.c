/*
 * flow.c - the connection table, with Zeek's conn.log semantics.
 *
 * Central data structure: struct flow_table, two pools of entries
 * allocated once, one for connections between IPv4 addresses and one for
 * the others (each entry a struct flow, the two addresses in 8 or 32
 * bytes, and the extension bytes the layers above asked for; entry 0 of
 * the first pool unused, so index 0 is "none"; indices from `base6` on
 * are the second pool's), a chained hash (bucket heads and flow->hnext, 32-bit indices) keyed with
 * SipHash-1-3 over the canonical (VLANs, protocol, lower end, higher end)
 * tuple, and one doubly-linked list per timeout class.  Within a class all
 * entries share one timeout, so appending on every touch keeps each list
 * sorted by deadline and expiry only ever looks at list heads.  Entries
 * never used are taken in order after the freed ones, so a table touches
 * only the memory its connections have needed.
 *
 * The TCP endpoints are tcp.c's (Zeek's state machine); it tells the
 * table which deadline a segment leaves: the "closing" class holds
 * entries with a fixed deadline that later packets do not push back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "config.h"
#include "flow.h"
#include "hash.h"
#include "homenet.h"

#define NIL 0u

enum flow_lru {
	FLOW_LRU_TCP,
	FLOW_LRU_UDP,
	FLOW_LRU_ICMP,
	FLOW_LRU_CLOSING,	/* fixed deadline, not refreshed by packets */
	FLOW_LRU_N,
	FLOW_LRU_NONE = 0xff	/* entry is on the free list */
};

struct flow_list {
	uint32_t head, tail;
};

struct flow_table {
	struct flow_config cfg;
	flow_end_fn on_end;
	void *ctx;
	struct flow_pool {
		uint8_t *mem;
		size_t stride;	    /* flow, addresses, extensions */
		uint32_t base;	    /* index of mem's first entry */
		uint32_t fresh;	    /* entries after fresh never used */
		uint32_t free_head; /* freed entries, chained by hnext */
	} pool[2];		    /* [0] IPv4 pairs, [1] the others */
	uint32_t npool;		    /* entries per pool, the spare included */
	/* ended connections not yet reported (chained through hnext): an
	 * eviction inside flow_update() is reported by flow_drain() after
	 * the packet, not in the middle of the table update */
	uint32_t ended_head, ended_tail;
	uint32_t *buckets;
	uint32_t nbuckets;
	uint32_t mask; /* buckets - 1, a power of two minus one */
	struct flow_list lru[FLOW_LRU_N];
	int64_t timeout_us[FLOW_LRU_N];
	struct flow_hash_key key; /* SipHash key */
	uint64_t uid_state;	/* splitmix64 state for uids */
	int64_t now_us;		/* highest packet time seen */
	struct flow_stats stats;
};

static struct flow *
F(const struct flow_table *t, uint32_t i)
{
	const struct flow_pool *q = &t->pool[i >= t->pool[1].base];

	return (struct flow *)(void *)(q->mem +
	    (size_t)(i - q->base) * q->stride);
}

/*
 * Ask for every line of entry i (not NIL): a packet reads the key's
 * first fields, the addresses after the struct and the TCP state in
 * between, and an entry spans four or five lines, unaligned.  The next
 * free entry and the next list head get the same, a packet ahead.
 */
SW_PREFETCH_FN void
prefetch_entry(const struct flow_table *t, uint32_t i)
{
	const struct flow_pool *q = &t->pool[i >= t->pool[1].base];
	const uint8_t *f = q->mem + (size_t)(i - q->base) * q->stride;
	const uint8_t *end = f + q->stride;

	for (; f < end; f += SW_CACHE_LINE)
		__builtin_prefetch(f, 1);
	__builtin_prefetch(end - 1, 1);
}

static uint32_t
IDX(const struct flow_table *t, const struct flow *f)
{
	const struct flow_pool *q = &t->pool[f->addr_len != 8];

	return q->base + (uint32_t)(((const uint8_t *)f - q->mem) / q->stride);
}

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

uint32_t
flow_ext_add(struct flow_config *cfg, uint32_t size)
{
	uint32_t off = cfg->ext_size;

	/* 8-aligned slots, so a layer may keep 64-bit fields in its own */
	cfg->ext_size += (size + 7) & ~7u;
	return off;
}

/* --- keyed hash and uid generator ---------------------------------------- */

/*
 * Zeek-like uid: "C" + base62 of 96 random bits (64 + 32), from a PRNG
 * seeded by cfg->seed, so a fixed seed gives the same uids every run.
 * The flow keeps the bits (12 bytes), not the text (20).
 */
static void
flow_make_uid(struct flow_table *t, struct flow *f)
{
	f->uid_hi = hash_splitmix64(&t->uid_state);
	f->uid_lo = (uint32_t)(hash_splitmix64(&t->uid_state) & 0xffffffffULL);
}

void
flow_uid(const struct flow *f, char out[FLOW_UID_LEN])
{
	static const char b62[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint64_t parts[2];
	size_t n = 0;
	int i;

	parts[0] = f->uid_hi;
	parts[1] = f->uid_lo;
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
	uint32_t n;
	uint64_t s;
	int k;

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
	/*
	 * Each pool can hold every connection: one over the cap, as the
	 * one an eviction frees is reported after the packet, so the new
	 * connection takes the spare; entry 0 of pool 0 unused.  big_calloc():
	 * untouched pages cost nothing until used, so a table of IPv4
	 * connections never touches the second pool.
	 */
	t->npool = n + 2;
	for (k = 0; k < 2; k++) {
		t->pool[k].stride = (sizeof(struct flow) + (k ? 32 : 8) +
					cfg->ext_size + 7) &
		    ~(size_t)7;
		t->pool[k].base = k ? t->npool : 0;
		t->pool[k].fresh = k ? t->npool - 1 : 0;
		t->pool[k].mem = big_calloc(t->npool, t->pool[k].stride);
	}
	t->nbuckets = nb;
	t->buckets = big_calloc((size_t)nb, sizeof(*t->buckets));
	if (t->pool[0].mem == NULL || t->pool[1].mem == NULL ||
	    t->buckets == NULL) {
		snprintf(errbuf, SW_ERRLEN,
		    "flow table: cannot allocate %u entries", n);
		flow_table_free(t);
		return NULL;
	}
	t->mask = (uint32_t)(nb - 1);
	t->timeout_us[FLOW_LRU_TCP] = (int64_t)cfg->tcp_timeout_s * 1000000;
	t->timeout_us[FLOW_LRU_UDP] = (int64_t)cfg->udp_timeout_s * 1000000;
	t->timeout_us[FLOW_LRU_ICMP] = (int64_t)cfg->icmp_timeout_s * 1000000;
	t->timeout_us[FLOW_LRU_CLOSING] =
	    (int64_t)cfg->tcp_close_delay_s * 1000000;
	/* Separate streams for the hash key and the uids. */
	s = cfg->seed;
	t->key.k0 = hash_splitmix64(&s);
	t->key.k1 = hash_splitmix64(&s);
	t->uid_state = hash_splitmix64(&s);
	t->now_us = INT64_MIN;
	return t;
}

void
flow_table_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	big_free(t->pool[0].mem, t->npool, t->pool[0].stride);
	big_free(t->pool[1].mem, t->npool, t->pool[1].stride);
	big_free(t->buckets, t->nbuckets, sizeof(*t->buckets));
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
	if (f->lprev != NIL)
		F(t, f->lprev)->lnext = f->lnext;
	else
		l->head = f->lnext;
	if (f->lnext != NIL)
		F(t, f->lnext)->lprev = f->lprev;
	else
		l->tail = f->lprev;
	f->lprev = f->lnext = NIL;
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
	uint32_t i = IDX(t, f);

	f->expire_us = expire;
	if (f->lru_class == cls)
		return;
	flow_list_unlink(t, f);
	f->lru_class = cls;
	f->queued_us = expire;
	f->lprev = l->tail;
	f->lnext = NIL;
	if (l->tail != NIL)
		F(t, l->tail)->lnext = i;
	else
		l->head = i;
	l->tail = i;
}

/* Move a list's head, seen since it was queued, to the tail. */
static void
flow_requeue_head(struct flow_table *t, int c)
{
	struct flow *f = F(t, t->lru[c].head);

	flow_list_unlink(t, f);
	flow_list_append(t, f, (uint8_t)c, f->expire_us);
}

static void
flow_hash_unlink(struct flow_table *t, struct flow *f)
{
	uint32_t i = IDX(t, f), *pp;

	/* the tag holds the bucket's bits (mask < 2^32) */
	for (pp = &t->buckets[f->tag & t->mask]; *pp != NIL;
	     pp = &F(t, *pp)->hnext)
		if (*pp == i) {
			*pp = f->hnext;
			break;
		}
	f->hnext = NIL;
}

/*
 * End f: out of the hash and the lists, onto the queue of ended
 * connections, which flow_drain() reports to the callback and returns to
 * the pool.
 */
static void
flow_end(struct flow_table *t, struct flow *f, enum flow_end_reason why)
{
	uint32_t i = IDX(t, f);

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
	f->hnext = NIL;
	if (t->ended_tail != NIL)
		F(t, t->ended_tail)->hnext = i;
	else
		t->ended_head = i;
	t->ended_tail = i;
}

void
flow_drain(struct flow_table *t)
{
	struct flow_pool *q;
	struct flow *f;
	uint32_t i;

	while ((i = t->ended_head) != NIL) {
		f = F(t, i);
		if ((t->ended_head = f->hnext) == NIL)
			t->ended_tail = NIL;
		if (t->on_end != NULL)
			t->on_end(t->ctx, f, (enum flow_end_reason)f->end_why);
		q = &t->pool[f->addr_len != 8];
		f->hnext = q->free_head;
		q->free_head = i;
	}
}

void
flow_expire(struct flow_table *t, int64_t now_us)
{
	const struct flow *n;
	struct flow *h;
	int c;

	for (c = 0; c < FLOW_LRU_N; c++) {
		while (t->lru[c].head != NIL &&
		    (h = F(t, t->lru[c].head))->queued_us <= now_us) {
			/* heads last seen a timeout ago are in no cache: the
			 * next one's bucket (its entry was asked for a step
			 * ago), the entry after it */
			if (h->lnext != NIL) {
				n = F(t, h->lnext);
				__builtin_prefetch(
				    &t->buckets[n->tag & t->mask]);
				if (n->lnext != NIL)
					prefetch_entry(t, n->lnext);
			}
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
		while (t->lru[c].head != NIL)
			flow_end(t, F(t, t->lru[c].head), FLOW_END_FLUSH);
	}
	flow_drain(t);
}

/*
 * At the cap: end the least recently seen of the list heads.  When an
 * entry was last seen is its deadline less its class's timeout (exact
 * for the idle classes; for the closing class, when the close was
 * scheduled), so no entry keeps a time of its own for this.
 */
static void
flow_evict_one(struct flow_table *t)
{
	struct flow *victim = NULL, *h;
	int64_t seen, vseen = 0;
	int c, n;

	for (c = 0; c < FLOW_LRU_N; c++) {
		/* skip heads seen since they were queued (bounded work) */
		for (n = 0; n < 8 && t->lru[c].head != NIL; n++) {
			h = F(t, t->lru[c].head);
			if (h->expire_us <= h->queued_us)
				break;
			flow_requeue_head(t, c);
		}
		if (t->lru[c].head == NIL)
			continue;
		h = F(t, t->lru[c].head);
		seen = h->expire_us - t->timeout_us[c];
		if (victim == NULL || seen < vseen) {
			victim = h;
			vseen = seen;
		}
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

/* The addresses after the struct. */
static const uint8_t *
flow_addr_area(const struct flow *f)
{
	return (const uint8_t *)(const void *)(f + 1);
}

/* 1 when both are IPv4-mapped: the compact (8-byte) form. */
static int
flow_addrs_compact(const uint8_t *a, const uint8_t *b)
{
	return addr_is_v4mapped(a) && addr_is_v4mapped(b);
}

/* The packet's addresses as the flow keeps them: 4 bytes each when
 * compact (an IPv4 pair), else 16. */
struct flow_pkt_addrs {
	int compact;
	uint32_t src4, dst4;
};

static void
flow_pkt_addrs(struct flow_pkt_addrs *pa, const struct packet *p)
{
	pa->compact = flow_addrs_compact(p->src, p->dst);
	memcpy(&pa->src4, p->src + 12, 4);
	memcpy(&pa->dst4, p->dst + 12, 4);
}

/* 1: packet goes orig->resp, 0: resp->orig, -1: not this flow.  Fixed
 * sizes, so the compiler compares words rather than calling memcmp. */
static int
flow_match(const struct flow *f, const struct packet *p,
    const struct flow_pkt_addrs *pa, uint16_t sp, uint16_t dp)
{
	const uint8_t *a = flow_addr_area(f);
	uint32_t o4, r4;

	if (f->proto != p->ip_proto || f->vlan != p->vlan ||
	    f->inner_vlan != p->inner_vlan || (f->addr_len == 8) != pa->compact)
		return -1;
	if (pa->compact) {
		memcpy(&o4, a, 4);
		memcpy(&r4, a + 4, 4);
		if (f->orig_p == sp && f->resp_p == dp && o4 == pa->src4 &&
		    r4 == pa->dst4)
			return 1;
		if (f->orig_p == dp && f->resp_p == sp && o4 == pa->dst4 &&
		    r4 == pa->src4)
			return 0;
		return -1;
	}
	if (f->orig_p == sp && f->resp_p == dp && memcmp(a, p->src, 16) == 0 &&
	    memcmp(a + 16, p->dst, 16) == 0)
		return 1;
	if (f->orig_p == dp && f->resp_p == sp && memcmp(a, p->dst, 16) == 0 &&
	    memcmp(a + 16, p->src, 16) == 0)
		return 0;
	return -1;
}

void
flow_get_addrs(const struct flow *f, struct flow_addrs *out)
{
	static const uint8_t addr_v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0xff, 0xff };
	const uint8_t *a = flow_addr_area(f);

	if (f->addr_len == 8) {
		memcpy(out->orig_h, addr_v4mapped_prefix, 12);
		memcpy(out->orig_h + 12, a, 4);
		memcpy(out->resp_h, addr_v4mapped_prefix, 12);
		memcpy(out->resp_h + 12, a + 4, 4);
	} else {
		memcpy(out->orig_h, a, 16);
		memcpy(out->resp_h, a + 16, 16);
	}
}

int
flow_addr_is(const struct flow *f, int resp, const uint8_t a[16])
{
	const uint8_t *fa = flow_addr_area(f);

	if (f->addr_len == 8)
		return addr_is_v4mapped(a) &&
		    memcmp(fa + (resp ? 4 : 0), a + 12, 4) == 0;
	return memcmp(fa + (resp ? 16 : 0), a, 16) == 0;
}

void
flow_set_addrs(struct flow *f, const uint8_t orig[16], const uint8_t resp[16])
{
	uint8_t *a = (uint8_t *)(void *)(f + 1);

	if (flow_addrs_compact(orig, resp)) {
		f->addr_len = 8;
		memcpy(a, orig + 12, 4);
		memcpy(a + 4, resp + 12, 4);
	} else {
		f->addr_len = 32;
		memcpy(a, orig, 16);
		memcpy(a + 16, resp, 16);
	}
}

uint64_t
flow_orig_bytes(const struct flow *f)
{
	return f->proto == IPPROTO_NUM_TCP ? tcp_payload_bytes(f, 0) :
					     f->bytes[0];
}

uint64_t
flow_resp_bytes(const struct flow *f)
{
	return f->proto == IPPROTO_NUM_TCP ? tcp_payload_bytes(f, 1) :
					     f->bytes[1];
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

/*
 * Zeek's history letters, each kept in 5 bits as its place in this
 * string plus one: 31 letters in 20 bytes instead of 32.
 */
static const char flow_hist_alphabet[] = "SHADFRCGIQTWshadfrcgiqtw^";

void
flow_history_add(struct flow *f, char c)
{
	const char *at;
	unsigned code, bit, i;

	if (f->history_len + 1 >= FLOW_HISTORY_MAX || c == '\0' ||
	    (at = strchr(flow_hist_alphabet, c)) == NULL)
		return;
	code = (unsigned)(at - flow_hist_alphabet) + 1;
	bit = f->history_len * 5u;
	for (i = 0; i < 5; i++, bit++)
		if (code & (1u << i))
			f->history[bit / 8] |= (uint8_t)(1u << (bit % 8));
	f->history_len++;
}

size_t
flow_history(const struct flow *f, char out[FLOW_HISTORY_MAX])
{
	unsigned n, code, bit, i;

	for (n = 0; n < f->history_len; n++) {
		bit = n * 5u;
		for (code = 0, i = 0; i < 5; i++, bit++)
			if (f->history[bit / 8] & (1u << (bit % 8)))
				code |= 1u << i;
		out[n] = flow_hist_alphabet[code - 1];
	}
	out[n] = '\0';
	return n;
}

int
flow_history_once(struct flow *f, int is_orig, uint32_t mask, char code)
{
	if (!is_orig) {
		mask <<= 16;
		code = (char)(code - 'A' + 'a');
	}
	if ((f->hist_seen & mask) == 0) {
		f->hist_seen |= mask;
		flow_history_add(f, code);
		return 0;
	}
	return 1;
}

static void
flow_swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	uint8_t tmp[16];

	memcpy(tmp, a, n);
	memcpy(a, b, n);
	memcpy(b, tmp, n);
}

void
flow_flip(struct flow *f)
{
	struct tcp_endpoint td;
	uint64_t u;
	uint16_t port;
	uint8_t h, *a = (uint8_t *)(void *)(f + 1);

	flow_swap_bytes(a, a + f->addr_len / 2, f->addr_len / 2);
	port = f->orig_p;
	f->orig_p = f->resp_p;
	f->resp_p = port;
	flow_swap_bytes(f->orig_l2, f->resp_l2, 6);
	h = f->has_orig_l2;
	f->has_orig_l2 = f->has_resp_l2;
	f->has_resp_l2 = h;
	u = f->orig_pkts;
	f->orig_pkts = f->resp_pkts;
	f->resp_pkts = (uint32_t)u;
	u = f->orig_ip_bytes; f->orig_ip_bytes = f->resp_ip_bytes;
	f->resp_ip_bytes = u;
	if (f->proto == IPPROTO_NUM_TCP) {
		td = f->tcp[0];
		f->tcp[0] = f->tcp[1];
		f->tcp[1] = td;
	} else {
		u = f->bytes[0];
		f->bytes[0] = f->bytes[1];
		f->bytes[1] = u;
	}
	flow_history_add(f, '^');
}

/* --- update -------------------------------------------------------------- */

static struct flow *
flow_new(struct flow_table *t, const struct packet *p, int compact, uint16_t sp,
    uint16_t dp, uint64_t hash)
{
	struct flow_pool *q;
	struct flow *f;
	uint32_t i;
	int flip = 0;

	q = &t->pool[!compact];
	if (t->stats.active >= t->cfg.max_flows)
		flow_evict_one(t);	/* reported by the next flow_drain() */
	if (q->free_head == NIL && q->fresh == q->base + t->npool - 1)
		flow_drain(t);		/* the caller did not drain: do it */
	if (q->free_head != NIL) {
		i = q->free_head;
		if ((q->free_head = F(t, i)->hnext) != NIL)
			prefetch_entry(t, q->free_head);
	} else
		i = ++q->fresh;
	f = F(t, i);
	memset(f, 0, q->stride); /* the addresses and extensions too */
	f->lru_class = FLOW_LRU_NONE;
	f->tag = (uint32_t)hash;
	f->hnext = t->buckets[hash & t->mask];
	t->buckets[hash & t->mask] = i;

	f->proto = p->ip_proto;
	f->family = p->family;
	f->vlan = p->vlan;
	f->inner_vlan = p->inner_vlan;
	flow_set_addrs(f, p->src, p->dst);
	f->orig_p = sp;
	f->resp_p = dp;
	if (p->has_l2) {
		memcpy(f->orig_l2, p->src_mac, 6);
		memcpy(f->resp_l2, p->dst_mac, 6);
		f->has_orig_l2 = f->has_resp_l2 = 1;
	}
	f->first_us = f->last_us = p->ts_us;
	f->active = 1;
	flow_make_uid(t, f);

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
	/*
	 * A TCP connection first seen mid-stream (no SYN) whose ports do not
	 * tell which end serves: the device is the home side.  Without this
	 * a capture that starts during a phone's long push connection makes
	 * the internet server the "device" when it speaks first.
	 */
	if (!flip && p->ip_proto == IPPROTO_NUM_TCP &&
	    !(p->tcp_flags & TCPF_SYN) && t->cfg.home != NULL &&
	    flow_likely_server(p->ip_proto, sp) ==
		flow_likely_server(p->ip_proto, dp) &&
	    !homenet_contains(t->cfg.home, p->src) &&
	    homenet_contains(t->cfg.home, p->dst)) {
		flip = 1;
		t->stats.flipped_home++;
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

/*
 * The keyed hash of the packet's connection: both ends in canonical
 * (lower address, then lower port, first) order, serialized field by
 * field, straight from the packet.  An IPv4 pair hashes as 17 bytes, not
 * 41: half the SipHash rounds on the per-packet path (the lengths
 * differ, so the forms never meet).  The capture thread runs this for
 * every packet in replay: no key struct, no memset, no memcmp call.
 */
void
flow_hash_key_get(const struct flow_table *t, struct flow_hash_key *k)
{
	*k = t->key;
}

uint64_t
flow_hash(const struct flow_table *t, const struct packet *p)
{
	return flow_hash_with(&t->key, p);
}

/*
 * The message hashed: VLAN and inner VLAN (big-endian), the transport,
 * then the lower (address, port) and the higher, so both directions
 * agree; IPv4 pairs as 4-byte addresses (17 bytes), others as 16 (41).
 * An IPv4 pair, nearly every packet, is built as words in registers
 * (hash_siphash13_words()): stored byte by byte, the hash's word loads
 * waited for the stores.
 */
uint64_t
flow_hash_with(const struct flow_hash_key *k, const struct packet *p)
{
	uint8_t buf[41];
	const uint8_t *lo = p->src, *hi = p->dst;
	uint16_t sp, dp, lp, hp;
	uint32_t s4, d4, l4, h4;
	uint64_t w[3];
	int c, swap;

	flow_packet_ports(p, &sp, &dp);
	if (flow_addrs_compact(p->src, p->dst)) {
		/* same prefix: the order is that of the IPv4 addresses */
		s4 = (uint32_t)p->src[12] << 24 | (uint32_t)p->src[13] << 16 |
		    (uint32_t)p->src[14] << 8 | p->src[15];
		d4 = (uint32_t)p->dst[12] << 24 | (uint32_t)p->dst[13] << 16 |
		    (uint32_t)p->dst[14] << 8 | p->dst[15];
		swap = s4 > d4 || (s4 == d4 && sp > dp);
		l4 = swap ? d4 : s4;
		h4 = swap ? s4 : d4;
		lp = swap ? dp : sp;
		hp = swap ? sp : dp;
		/* bytes 0-7, 8-15 and 16 of the message, little-endian */
		w[0] = (uint64_t)(p->vlan >> 8) |
		    (uint64_t)(p->vlan & 0xff) << 8 |
		    (uint64_t)(p->inner_vlan >> 8) << 16 |
		    (uint64_t)(p->inner_vlan & 0xff) << 24 |
		    (uint64_t)p->ip_proto << 32 | (uint64_t)(l4 >> 24) << 40 |
		    (uint64_t)(l4 >> 16 & 0xff) << 48 |
		    (uint64_t)(l4 >> 8 & 0xff) << 56;
		w[1] = (uint64_t)(l4 & 0xff) | (uint64_t)(lp >> 8) << 8 |
		    (uint64_t)(lp & 0xff) << 16 | (uint64_t)(h4 >> 24) << 24 |
		    (uint64_t)(h4 >> 16 & 0xff) << 32 |
		    (uint64_t)(h4 >> 8 & 0xff) << 40 |
		    (uint64_t)(h4 & 0xff) << 48 | (uint64_t)(hp >> 8) << 56;
		w[2] = hp & 0xff;
		return hash_siphash13_words(k->k0, k->k1, w, 17);
	}
	c = memcmp(p->src, p->dst, 16);
	swap = c > 0 || (c == 0 && sp > dp);
	lp = sp;
	hp = dp;
	if (swap) {
		lo = p->dst;
		hi = p->src;
		lp = dp;
		hp = sp;
	}
	buf[0] = (uint8_t)(p->vlan >> 8);
	buf[1] = (uint8_t)p->vlan;
	buf[2] = (uint8_t)(p->inner_vlan >> 8);
	buf[3] = (uint8_t)p->inner_vlan;
	buf[4] = p->ip_proto;
	memcpy(buf + 5, lo, 16);
	buf[21] = (uint8_t)(lp >> 8);
	buf[22] = (uint8_t)lp;
	memcpy(buf + 23, hi, 16);
	buf[39] = (uint8_t)(hp >> 8);
	buf[40] = (uint8_t)hp;
	return hash_siphash13(k->k0, k->k1, buf, 41);
}

void
flow_prefetch(const struct flow_table *t, uint64_t hash, int stage)
{
	const uint32_t *b = &t->buckets[hash & t->mask];
	const struct flow *f;
	uint32_t i;

	switch (stage) {
	case 0:
		__builtin_prefetch(b);
		return;
	case 1:
		/* the first entry's first line: its tag and chain link */
		if (*b != NIL)
			__builtin_prefetch(F(t, *b));
		return;
	default:
		/* the entry the tag names, else the next in the chain (at a
		 * load of one, half the lookups of a known connection find it
		 * second); all of its lines */
		if ((i = *b) == NIL)
			return;
		f = F(t, i);
		if (f->tag != (uint32_t)hash && f->hnext != NIL)
			i = f->hnext;
		prefetch_entry(t, i);
		return;
	}
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
	struct flow_pkt_addrs pa;
	struct flow *f = NULL;
	uint32_t i;
	uint16_t sp, dp;
	int dir = -1;

	*is_new = 0;
	if (t->ended_head != NIL)
		flow_drain(t);		/* the last packet's, if not yet */
	if (p->ts_us > t->now_us)
		t->now_us = p->ts_us;
	flow_packet_ports(p, &sp, &dp);
	flow_pkt_addrs(&pa, p);
	for (i = t->buckets[hash & t->mask]; i != NIL; i = f->hnext) {
		f = F(t, i);
		if (f->tag == (uint32_t)hash &&
		    (dir = flow_match(f, p, &pa, sp, dp)) >= 0)
			break;
	}
	if (i == NIL)
		f = NULL;
	/*
	 * Exact Zeek timing whatever the sweep interval: an entry past its
	 * deadline ends before this packet is counted, and a reused TCP
	 * 4-tuple ends the old connection.
	 */
	if (f != NULL &&
	    (f->expire_us <= t->now_us ||
		(f->proto == IPPROTO_NUM_TCP && tcp_is_reuse(f, p)))) {
		flow_end(t, f, FLOW_END_TIMEOUT);
		f = NULL;
	}
	if (f == NULL) {
		f = flow_new(t, p, pa.compact, sp, dp, hash);
		dir = flow_match(f, p, &pa, sp, dp);
		*is_new = 1;
	}
	*from_orig = dir;

	if (dir) {
		f->orig_pkts += f->orig_pkts != UINT32_MAX;
		f->orig_ip_bytes += p->ip_len;
	} else {
		f->resp_pkts += f->resp_pkts != UINT32_MAX;
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
		switch (tcp_packet(f, p, dir)) {
		case TCP_TIMER_IDLE:
			flow_list_append(t, f, FLOW_LRU_TCP,
			    t->now_us + t->timeout_us[FLOW_LRU_TCP]);
			break;
		case TCP_TIMER_ATTEMPT:
			flow_list_append(t, f, FLOW_LRU_CLOSING,
			    t->now_us + t->timeout_us[FLOW_LRU_CLOSING]);
			break;
		case TCP_TIMER_CLOSE:
			flow_list_append(t, f, FLOW_LRU_CLOSING,
			    f->last_us + t->timeout_us[FLOW_LRU_CLOSING]);
			break;
		case TCP_TIMER_KEEP:
			break;
		}
		/* A flip inside the state machine changes the direction. */
		*from_orig = flow_match(f, p, &pa, sp, dp);
		break;
	case IPPROTO_NUM_UDP:
		f->bytes[!dir] += p->payload_len;
		flow_history_once(f, dir, FLOW_HIST_DATA, 'D');
		f->last_us = p->ts_us;
		flow_list_append(t, f, FLOW_LRU_UDP,
		    t->now_us + t->timeout_us[FLOW_LRU_UDP]);
		break;
	default:
		f->bytes[!dir] += p->payload_len;
		f->last_us = p->ts_us;
		flow_list_append(t, f, FLOW_LRU_ICMP,
		    t->now_us + t->timeout_us[FLOW_LRU_ICMP]);
		break;
	}
	return f;
}

/* --- conn.log fields ----------------------------------------------------- */

const char *
flow_conn_state(const struct flow *f)
{
	if (f->proto == IPPROTO_NUM_UDP) {
		if (f->orig_pkts > 0)
			return f->resp_pkts > 0 ? "SF" : "S0";
		return f->resp_pkts > 0 ? "SHR" : "OTH";
	}
	if (f->proto != IPPROTO_NUM_TCP)
		return "OTH";
	return tcp_conn_state(f);
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
