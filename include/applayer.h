/*
 * applayer.h - the app layer: DNS, TLS and HTTP dispatch, and the server
 * name of every connection.
 *
 * struct applayer owns what the layer keeps: its extension slot in every
 * flow (the ClientHello search per direction, DNS-over-TCP message
 * boundaries, whether HTTP was looked at), the TLS reassembly pool, the
 * interned server names (a flow holds a handle) and the names cache
 * (device, address -> the name that device resolved).  For each
 * connection and each name seen on the wire it asks the intel set and
 * hands a hit to the detection policy; it writes dns.log and ssl.log
 * records through the record writers.  It knows nothing of the sensor
 * loop, beacons or the notice format.
 */
#ifndef SW_APPLAYER_H
#define SW_APPLAYER_H

#include <stdint.h>

#include "dhcp.h"
#include "dns.h"
#include "http.h"
#include "tls.h"

struct flow;
struct flow_config;
struct homenet;
struct intel;
struct packet;
struct policy;
struct records;
struct strtab;

struct applayer_counters {
	uint64_t tls[TLS__COUNT];   /* tls_feed() statuses */
	uint64_t http[HTTP__COUNT]; /* http_parse_host() statuses */
	uint64_t http_hosts;
	uint64_t dns[DNS__COUNT]; /* dns_parse() statuses */
	uint64_t dns_tcp_partial;
	uint64_t dhcp[DHCP__COUNT]; /* dhcp_parse() statuses */
	uint64_t dhcp_subnets;	    /* subnets learned (homenet_learn()) */
};

struct applayer_stats {
	uint64_t names_cached, names_evicted;
	uint64_t server_names, server_names_refused;
	uint64_t reasm_in_use_max, reasm_exhausted;
	uint64_t reasm_reclaimed, reasm_source_limited;
	uint64_t names_held, names_held_hits, names_held_evicted;
};

struct applayer;

/*
 * Build the layer and register its slot in fcfg (before the flow table
 * is made from it).  The policy and the records are borrowed.  Names
 * outlive their connections for name_hold_s seconds (held.h; 0: not at
 * all).  table_max caps the entries of each table (names, server names,
 * held names, reassembly slots); 0: their defaults.  NULL with the reason
 * in errbuf (SW_ERRLEN bytes).
 */
struct applayer *applayer_new(struct flow_config *fcfg, struct policy *pol,
    struct records *rec, uint64_t seed, uint32_t name_hold_s,
    uint32_t table_max, char *errbuf);
void applayer_free(struct applayer *al);

/* The home network DHCP acknowledgements teach subnets to (borrowed,
 * written; NULL: none). */
void applayer_set_home(struct applayer *al, struct homenet *home);

/* The device table DHCP messages name devices in (borrowed; NULL:
 * none). */
struct devices;
void applayer_set_devices(struct applayer *al, struct devices *devices);

/* The indicator set from now on (borrowed; NULL: none). */
void applayer_set_intel(struct applayer *al, const struct intel *intel);

/*
 * What the lookups of a new connection will hash, worked out a few
 * packets ahead from a packet that opens one (a SYN), with the lines
 * they read first prefetched: the name cache's and the held names'
 * counting filters, which a big cache's misses otherwise stall on.
 * Used only if the connection's ends turn out as the packet's.
 */
struct conn_hint {
	uint8_t orig[16], resp[16];
	uint64_t names_h, held_h;
	uint16_t resp_p;
	uint8_t proto;
	uint8_t set;
};
void applayer_conn_hint(const struct applayer *al, const struct packet *p,
    struct conn_hint *h);

/* A new connection: both ends against the intel set, and the name the
 * device resolved for the server, if any.  hint: NULL, or from
 * applayer_conn_hint(). */
void applayer_conn(struct applayer *al, struct flow *f,
    const struct conn_hint *hint);
/* A packet with payload on f (from_orig: originator to responder). */
void applayer_packet(struct applayer *al, struct flow *f,
    const struct packet *p, int from_orig);
/* f ends: a ClientHello slot still held goes back, and the name. */
void applayer_conn_end(struct applayer *al, struct flow *f);

/* The connection's best known server name ("" when none). */
const char *applayer_server_name(const struct applayer *al,
    const struct flow *f);

const struct applayer_counters *
applayer_get_counters(const struct applayer *al);
void applayer_get_stats(const struct applayer *al, struct applayer_stats *st);

#endif /* SW_APPLAYER_H */
