/*
 * flow.h - the connection table, with Zeek's conn.log semantics.
 *
 * A connection is keyed by (VLAN, protocol, the two address/port pairs) in
 * either direction.  The originator is the sender of the first packet seen,
 * flipped when that packet is a SYN-ACK or comes from a likely server port
 * (as Zeek does; history gets '^'), and, for a TCP connection first seen
 * mid-stream whose ports do not tell, when the sender is outside the home
 * network and the receiver inside it (flow_config.home).
 * Entries come from a pool preallocated at flow_table_new(): nothing is
 * allocated per packet.  Each entry sits on one LRU list per timeout class
 * (TCP, UDP, ICMP, closing TCP), so the head of each list is the next to
 * expire and a sweep touches only expired entries.  At the cap, the least
 * recently seen entry of all lists is evicted, counted, and reported to the
 * end callback like any other ended connection.
 *
 * Semantics follow Zeek's base/protocols/conn/main.zeek: duration, payload
 * bytes (TCP from sequence numbers), packets, IP bytes, conn_state and
 * history.  Bucket choice uses a keyed hash with a seed from the caller
 * (from getrandom() in production), so nobody can aim traffic at one bucket.
 */
#ifndef SW_FLOW_H
#define SW_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "tcp.h"

struct homenet;

#define FLOW_UID_LEN		20	/* "C" + up to 18 base62 chars + NUL */
#define FLOW_HISTORY_MAX	32	/* history letters kept */

/* Where a connection's server name was learnt, weakest first: a later,
 * stronger source replaces a weaker one. */
#define FLOW_NAME_NONE	0
#define FLOW_NAME_HELD	1 /* this place's last name (held.h) */
#define FLOW_NAME_DNS	2 /* the device resolved this address */
#define FLOW_NAME_HTTP	3 /* HTTP Host header */
#define FLOW_NAME_SNI	4 /* TLS ClientHello server_name */

enum flow_end_reason {
	FLOW_END_TIMEOUT,	/* idle timeout or close delay passed */
	FLOW_END_EVICTED,	/* table full: oldest entry pushed out */
	FLOW_END_FLUSH		/* end of input / shutdown */
};

/* Zeek's history bits (Connection::CheckHistory); the responder's << 16. */
#define FLOW_HIST_SYN	  0x01u
#define FLOW_HIST_FIN	  0x02u
#define FLOW_HIST_RST	  0x04u
#define FLOW_HIST_FIN_RST 0x08u
#define FLOW_HIST_DATA	  0x10u
#define FLOW_HIST_ACK	  0x20u
#define FLOW_HIST_MULTI	  0x40u

/*
 * One connection: the table's links and timers, the identity, Zeek's
 * counters and the TCP endpoints; nothing of any detector.  The ends'
 * addresses follow the struct in its pool entry (flow_get_addrs()): 8
 * bytes for a connection between two IPv4 (or IPv4-mapped) addresses, 32
 * for any other, so an IPv4 connection does not carry 24 bytes of
 * "::ffff:" prefixes.  What a layer above keeps per connection lives in
 * its extension slot (flow_ext()), after the addresses.  The fields a
 * packet touches first (links, hash tag, timers, ports) come first.
 * 232 bytes; an IPv4 entry with every detector's slot is 280.
 */
struct flow {
	/* table links and timers: private to flow.c */
	uint32_t hnext;	       /* bucket chain, ended queue, free list */
	uint32_t lprev, lnext; /* timeout-class list */
	uint32_t tag;	       /* low 32 bits of the key's hash */
	uint8_t lru_class;
	uint8_t end_why;	/* ended, not yet drained: flow_end_reason */
	uint8_t attempt;	/* SYN sent, unanswered: attempt deadline */
	uint8_t close_sched;	/* a fixed deadline: close complete, or a
				 * RST after its side's FIN (tcp.c) */

	/* identity */
	uint8_t proto;		/* IPPROTO_NUM_* */
	uint8_t family;		/* 4 or 6: the first packet's IP version */
	uint16_t vlan;
	int64_t expire_us; /* network time at which the entry ends */
	int64_t queued_us; /* expire_us when last (re)queued: list order */
	uint16_t inner_vlan;
	uint16_t orig_p;	/* ICMP: type */
	uint16_t resp_p;	/* ICMP: code */
	uint8_t addr_len;	/* bytes of addresses after the struct: 8, 32 */
	uint8_t active;		/* Zeek's is_active: not finished or reset */
	uint32_t uid_lo;	/* the uid's 96 random bits: flow_uid() */
	/* the server's best known name, as the app layer attributes it: a
	 * handle into its interned names (0: none) */
	uint32_t name_id;
	uint64_t uid_hi;

	/* counters (Zeek conn.log); payload bytes: flow_orig_bytes() */
	int64_t first_us;	/* ts: first packet */
	int64_t last_us;	/* last packet (duration = last - first) */
	uint64_t orig_ip_bytes, resp_ip_bytes;
	uint32_t orig_pkts, resp_pkts; /* saturating */
	uint32_t hist_seen; /* history letters logged, orig bits low */
	uint8_t history_len;
	/* history letters, 5 bits each (flow_history()) */
	uint8_t history[(FLOW_HISTORY_MAX * 5 + 7) / 8];

	uint8_t orig_l2[6];
	uint8_t resp_l2[6];
	uint8_t has_orig_l2, has_resp_l2;
	uint8_t name_src; /* where name_id came from: FLOW_NAME_* */

	union {
		struct tcp_endpoint tcp[2]; /* [0] originator, [1] responder */
		uint64_t bytes[2];	    /* UDP, ICMP: payload bytes */
	};
};

/* Both ends' addresses, 16 bytes each (IPv4-mapped for IPv4). */
struct flow_addrs {
	uint8_t orig_h[16];
	uint8_t resp_h[16];
};

/* The ends' addresses, into a. */
void flow_get_addrs(const struct flow *f, struct flow_addrs *a);

/* 1 when the originator's (resp = 0) or responder's address is a. */
int flow_addr_is(const struct flow *f, int resp, const uint8_t a[16]);

/* Set the addresses of a flow whose entry has room for 32 bytes after
 * the struct (for tests that build a flow by hand; the table sets its
 * own): the compact form when both are IPv4-mapped. */
void flow_set_addrs(struct flow *f, const uint8_t orig[16],
    const uint8_t resp[16]);

/* Zeek's orig_bytes and resp_bytes: for TCP, from sequence numbers. */
uint64_t flow_orig_bytes(const struct flow *f);
uint64_t flow_resp_bytes(const struct flow *f);

/* The history letters, NUL-terminated; returns their number. */
size_t flow_history(const struct flow *f, char out[FLOW_HISTORY_MAX]);

struct flow_config {
	uint32_t max_flows;	/* pool size; 0 means SW_FLOW_MAX */
	uint32_t tcp_timeout_s;
	uint32_t udp_timeout_s;
	uint32_t icmp_timeout_s;
	uint32_t tcp_close_delay_s;
	uint64_t seed;		/* hash key and uid generator seed */
	uint32_t ext_size;	/* extension bytes per flow (flow_ext_add) */
	/* the home network, for connections first seen mid-stream (NULL:
	 * ports only, as Zeek); the caller keeps it alive */
	const struct homenet *home;
};

/* Fill with the defaults from config.h (seed 0). */
void flow_config_default(struct flow_config *cfg);

/*
 * Per-flow extension storage (Suricata's flow storage, simplified): a
 * layer above the table asks at start-up, before flow_table_new(), for
 * `size` bytes in every flow, and gets the offset to give flow_ext().
 * The bytes follow the flow in its pool entry (no pointer, no second
 * miss), are zeroed when the connection starts, and are the layer's
 * alone: the table never reads them.
 */
uint32_t flow_ext_add(struct flow_config *cfg, uint32_t size);

static inline void *
flow_ext(const struct flow *f, uint32_t off)
{
	return (unsigned char *)(uintptr_t)(f + 1) + f->addr_len + off;
}

/* The connection's Zeek-like uid ("C" and base62), into out. */
void flow_uid(const struct flow *f, char out[FLOW_UID_LEN]);

/* History letters, for tcp.c: add c; or add `code` (lower case for the
 * responder) the first time `mask` is seen in that direction, returning
 * 1 when it had been seen (Zeek's Connection::CheckHistory). */
void flow_history_add(struct flow *f, char c);
int flow_history_once(struct flow *f, int is_orig, uint32_t mask, char code);

/* Zeek's Connection::FlipRoles: swap the ends and log '^'. */
void flow_flip(struct flow *f);

struct flow_table;

/*
 * Called for every connection that ends (timeout, eviction, flush), just
 * before its entry returns to the pool, from flow_drain(): never in the
 * middle of a table update.  The flow is valid only during the call.
 */
typedef void (*flow_end_fn)(void *ctx, struct flow *f,
    enum flow_end_reason why);

struct flow_stats {
	uint64_t created;
	uint64_t flipped_home; /* mid-stream: home side made originator */
	uint64_t ended_timeout;
	uint64_t evicted;
	uint64_t flushed;
	uint64_t active;
	uint64_t active_max;	/* high-water mark */
};

/*
 * Allocate a table and its whole pool.  Returns NULL and writes the reason
 * into errbuf (SW_ERRLEN bytes) on failure.  The caller frees it with
 * flow_table_free(), which does not call the end callback.
 */
struct flow_table *flow_table_new(const struct flow_config *cfg,
    flow_end_fn on_end, void *ctx, char *errbuf);
void flow_table_free(struct flow_table *t);

/*
 * Account one decoded packet (status DS_OK, TCP/UDP/ICMP/ICMPv6) to its
 * connection, creating it when new.  *is_new is set to 1 for a new
 * connection, *from_orig to 1 when the packet travels originator to
 * responder.  Returns the flow, valid until the next call into the table.
 * Cost: one hash lookup; O(1).  Never fails: at the cap, it evicts.
 */
struct flow *flow_update(struct flow_table *t, const struct packet *p,
    int *is_new, int *from_orig);

/*
 * The same as flow_update() in steps, so that the analyzer can hide the
 * cache misses of a big table behind the work on the packets before:
 * flow_hash() of a decoded packet; flow_prefetch() stage 0 (its bucket)
 * several packets ahead, stage 1 (the first entry's first line) fewer,
 * stage 2 (every line of the entry whose tag matches, else of the next
 * in the chain) one or two; then flow_update_hashed() with the hash.
 * Each stage reads only what the one before asked for.
 */
uint64_t flow_hash(const struct flow_table *t, const struct packet *p);

/*
 * The table's hash key, fixed at its creation, for another thread that
 * hashes packets for it (the replay's capture thread): that thread keeps
 * its own copy on a cache line of its own, because the table's lines are
 * written every packet and a shared one would move between the cores
 * twice a packet.  flow_hash_with(k, p) == flow_hash(t, p).
 */
struct flow_hash_key {
	uint64_t k0, k1;
};
void flow_hash_key_get(const struct flow_table *t, struct flow_hash_key *k);
uint64_t flow_hash_with(const struct flow_hash_key *k, const struct packet *p);
void flow_prefetch(const struct flow_table *t, uint64_t hash, int stage);
struct flow *flow_update_hashed(struct flow_table *t, const struct packet *p,
    uint64_t hash, int *is_new, int *from_orig);

/* End every connection idle past its timeout at network time now_us,
 * and report it (flow_drain()). */
void flow_expire(struct flow_table *t, int64_t now_us);

/* End every remaining connection (end of input), and report it. */
void flow_flush(struct flow_table *t);

/*
 * Report the connections ended since the last drain to the end callback
 * and return their entries to the pool.  flow_update() ends the least
 * recent connection when the table is full; like Zeek, the caller
 * reports it after the packet's own work, by calling this (the next
 * flow_update() does it anyway, first).
 */
void flow_drain(struct flow_table *t);

const struct flow_stats *flow_table_stats(const struct flow_table *t);

/* Zeek's conn_state for the flow ("S0", "SF", "REJ", ... "OTH"). */
const char *flow_conn_state(const struct flow *f);

/* Zeek's proto string: "tcp", "udp" or "icmp". */
const char *flow_proto_name(const struct flow *f);

#endif /* SW_FLOW_H */
