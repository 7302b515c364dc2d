/*
 * applayer.c - DNS, TLS and HTTP on the wire, and the names they give
 * (see applayer.h).
 *
 * The central structure is struct applayer: the slot offset of struct
 * app_flow in every flow, the reassembly pool, the interned server names,
 * the names cache, one DNS message buffer (17 KB, too big for a stack)
 * and the layer's counters.  Per packet the work is bounded: TLS stops
 * looking after a few segments, HTTP after the first, DNS over TCP
 * follows message boundaries without reassembly.
 */
#include "applayer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "decode.h"
#include "device.h"
#include "flow.h"
#include "held.h"
#include "homenet.h"
#include "intel.h"
#include "names.h"
#include "policy.h"
#include "reasm.h"
#include "records.h"
#include "strtab.h"

/* app_flow.flags bits */
#define APP_HTTP_DONE 0x01 /* first client payload looked at for HTTP */
#define APP_DNS_TCP   0x02 /* DNS over TCP: the dns side of the union */

/* The app layer's extension slot in every flow (flow_ext()). */
/* A TCP connection on port 53 carries DNS, any other may carry TLS:
 * one state or the other (APP_DNS_TCP says which), 16 bytes. */
struct app_flow {
	union {
		struct tls_flow tls[2]; /* ClientHello search per direction */
		struct {
			uint32_t next_seq[2]; /* next message start + 1 */
			uint16_t body_len[2]; /* its prefix came alone */
		} dns;			      /* DNS over TCP */
	};
	uint8_t flags; /* APP_* */
};

struct applayer {
	const struct intel *intel; /* NULL: no indicators */
	struct policy *policy;
	struct records *rec;
	struct reasm *reasm;	   /* TLS first-flight reassembly */
	struct strtab *snames;	   /* connections' server names */
	struct names_cache *names; /* (device, address) -> DNS name */
	struct homenet *home;	   /* learns DHCP subnets; may be NULL */
	struct devices *devices;   /* DHCP names devices; may be NULL */
	struct held_names *held;   /* (device, server, port) -> last name,
				    * or NULL (--name-hold 0) */
	uint32_t app_off;	   /* struct app_flow in each flow */
	struct applayer_counters ctr;
	struct dns_msg dnsmsg;
};

struct applayer *
applayer_new(struct flow_config *fcfg, struct policy *pol, struct records *rec,
    uint64_t seed, uint32_t name_hold_s, uint32_t table_max, char *errbuf)
{
	struct applayer *al;
	struct names_config ncfg;

	if ((al = calloc(1, sizeof(*al))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "app layer: out of memory");
		return NULL;
	}
	al->policy = pol;
	al->rec = rec;
	al->app_off = flow_ext_add(fcfg, sizeof(struct app_flow));
	if ((al->reasm = reasm_new(table_max, 0, seed, errbuf)) == NULL)
		goto fail;
	/* one seed: each table derives its own key from it and its name */
	if ((al->snames = strtab_new(table_max, seed, errbuf)) == NULL)
		goto fail;
	names_config_default(&ncfg);
	ncfg.seed = seed;
	ncfg.max_entries = table_max;
	if ((al->names = names_new(&ncfg, errbuf)) == NULL)
		goto fail;
	if (name_hold_s > 0 &&
	    (al->held = held_new(table_max, name_hold_s, al->snames, seed,
		 errbuf)) == NULL)
		goto fail;
	return al;
fail:
	applayer_free(al);
	return NULL;
}

void
applayer_free(struct applayer *al)
{
	if (al == NULL)
		return;
	reasm_free(al->reasm);
	held_free(al->held); /* before the names it holds */
	strtab_free(al->snames);
	names_free(al->names);
	free(al);
}

void
applayer_set_home(struct applayer *al, struct homenet *home)
{
	al->home = home;
}

void
applayer_set_intel(struct applayer *al, const struct intel *intel)
{
	al->intel = intel;
}

const char *
applayer_server_name(const struct applayer *al, const struct flow *f)
{
	return strtab_get(al->snames, f->name_id);
}

const struct applayer_counters *
applayer_get_counters(const struct applayer *al)
{
	return &al->ctr;
}

void
applayer_get_stats(const struct applayer *al, struct applayer_stats *st)
{
	st->names_cached = names_stats(al->names)->entries;
	st->names_evicted = names_stats(al->names)->evicted;
	st->server_names = strtab_get_stats(al->snames)->entries;
	st->server_names_refused = strtab_get_stats(al->snames)->refused;
	st->reasm_in_use_max = reasm_stats(al->reasm)->in_use_max;
	st->reasm_exhausted = reasm_stats(al->reasm)->exhausted;
	st->reasm_reclaimed = reasm_stats(al->reasm)->reclaimed;
	st->reasm_source_limited = reasm_stats(al->reasm)->source_limited;
	if (al->held != NULL) {
		st->names_held = held_get_stats(al->held)->entries;
		st->names_held_hits = held_get_stats(al->held)->hits;
		st->names_held_evicted = held_get_stats(al->held)->evicted;
	}
}

/* The connection's server name is now handle id, from src: the flow
 * takes the reference; a name learned on the wire is held for the place
 * (held.h), for the nameless connections that come later. */
static void
adopt_name(struct applayer *al, struct flow *f, uint32_t id, uint8_t src,
    int64_t ts_us)
{
	struct flow_addrs fa;

	strtab_release(al->snames, f->name_id);
	f->name_id = id;
	f->name_src = src;
	if (src != FLOW_NAME_HELD && al->held != NULL) {
		flow_get_addrs(f, &fa);
		held_put(al->held, fa.orig_h, fa.resp_h, f->resp_p, f->proto,
		    id, src, ts_us);
	}
}

/*
 * Record a name for the connection's server when it is at least as good
 * as the one known (SNI over Host over DNS over a held name).  Names with
 * bytes outside printable ASCII are not names a device resolved: they are
 * left out.
 */
static void
set_server_name(struct applayer *al, struct flow *f, const char *name,
    uint8_t src, int64_t ts_us)
{
	uint32_t id;

	if (src < f->name_src || name[0] == '\0')
		return;
	/* interned: the connection holds a handle, the name is held once
	 * for every connection to it (a full table keeps the old name) */
	if ((id = strtab_intern(al->snames, name, strlen(name))) == 0)
		return;
	adopt_name(al, f, id, src, ts_us);
}

/* Match both ends of a new connection, as Zeek's Intel framework does. */
static void
intel_check_conn(struct applayer *al, struct flow *f)
{
	static const char *const where[2] = { "Conn::IN_RESP",
		"Conn::IN_ORIG" };
	struct flow_addrs fa;
	const uint8_t *hit_addr[2] = { fa.resp_h, fa.orig_h };
	const uint8_t *other[2] = { fa.orig_h, fa.resp_h };
	const struct intel_item *it;
	int i;

	flow_get_addrs(f, &fa);
	for (i = 0; i < 2; i++) {
		it = intel_match_addr(al->intel, hit_addr[i]);
		if (it != NULL)
			policy_intel(al->policy, f, it, other[i], hit_addr[i],
			    NULL, strtab_get(al->snames, f->name_id), where[i],
			    f->first_us);
	}
}

/* A name seen on the wire: a domain indicator? */
static const struct intel_item *
intel_check_name(struct applayer *al, const struct flow *f, const char *name,
    const uint8_t *device, const uint8_t *server, const char *where,
    int64_t ts_us)
{
	const struct intel_item *it;

	if (al->intel == NULL || name == NULL || name[0] == '\0')
		return NULL;
	it = intel_match_domain(al->intel, name);
	if (it != NULL)
		policy_intel(al->policy, f, it, device, server, name, NULL,
		    where, ts_us);
	return it;
}

/*
 * A new connection to an address the device resolved: name it, and when
 * the name is a C2 indicator, the address is one too, for this device and
 * for the answer's TTL (the cache's entry).  Not for shared platforms:
 * their addresses serve every tenant.
 */
static void
names_check_conn(struct applayer *al, struct flow *f,
    const struct conn_hint *hint)
{
	struct flow_addrs fa;
	const struct intel_item *it;
	const char *name, *cname = NULL;
	uint64_t nh, hh;
	uint32_t id;

	flow_get_addrs(f, &fa);
	if (hint != NULL && hint->set && hint->resp_p == f->resp_p &&
	    hint->proto == f->proto && memcmp(hint->orig, fa.orig_h, 16) == 0 &&
	    memcmp(hint->resp, fa.resp_h, 16) == 0) {
		nh = hint->names_h;
		hh = hint->held_h;
	} else {
		nh = names_hash(al->names, fa.orig_h, fa.resp_h);
		hh = held_hash(al->held, fa.orig_h, fa.resp_h, f->resp_p,
		    f->proto);
	}
	name = names_lookup_hashed(al->names, fa.orig_h, fa.resp_h, nh,
	    f->first_us, &cname);
	if (name == NULL) {
		/* no answer for it: the name this place had last */
		if ((id = held_get_hashed(al->held, fa.orig_h, fa.resp_h,
			 f->resp_p, f->proto, hh, f->first_us)) == 0 ||
		    (id = strtab_ref(al->snames, id)) == 0)
			return;
		adopt_name(al, f, id, FLOW_NAME_HELD, f->first_us);
		name = strtab_get(al->snames, id);
	} else
		set_server_name(al, f, name, FLOW_NAME_DNS, f->first_us);
	if (al->intel == NULL)
		return;
	it = intel_match_domain(al->intel, name);
	if (it == NULL && cname != NULL)
		it = intel_match_domain(al->intel, (name = cname));
	if (it != NULL && !it->platform) {
		names_keep(al->names, fa.orig_h, fa.resp_h);
		policy_intel(al->policy, f, it, fa.orig_h, fa.resp_h, name,
		    NULL, "Conn::IN_RESP", f->first_us);
	}
}

/*
 * TCP payload: the client's first flight may hold a TLS ClientHello (SNI)
 * or an HTTP/1.x request (Host).  Bounded: TLS stops looking after a few
 * segments, HTTP after the first.
 */
static void
app_tcp(struct applayer *al, struct flow *f, const struct packet *p,
    int from_orig)
{
	struct tls_hello hello;
	struct http_request req;
	enum tls_feed_result r;
	enum tls_status st;
	enum http_status hst;
	int dir = from_orig ? 0 : 1;
	const struct tcp_endpoint *d = &f->tcp[dir];
	struct flow_addrs fa;
	const uint8_t *dev = from_orig ? fa.orig_h : fa.resp_h;
	const uint8_t *srv = from_orig ? fa.resp_h : fa.orig_h;
	struct app_flow *af = flow_ext(f, al->app_off);
	struct reasm_owner own;

	flow_get_addrs(f, &fa);

	if (!(af->tls[dir].flags & TLS_FLOW_DONE)) {
		/* a slot is charged to the sender; both SYNs and an ACK on
		 * this segment make a handshake (a spoofer sees no SYN-ACK) */
		own.src = dev;
		own.handshake = d->syn && f->tcp[!dir].syn &&
		    (p->tcp_flags & TCPF_ACK) != 0;
		r = tls_feed(&af->tls[dir], al->reasm, &own, p->ts_us,
		    d->syn != 0, d->isn,
		    p->seq + ((p->tcp_flags & TCPF_SYN) ? 1 : 0), p->payload,
		    p->payload_caplen, &hello, &st);
		if (st < TLS__COUNT)
			al->ctr.tls[st]++;
		if (r != TLS_FEED_NONE) {
			records_ssl(al->rec, f, p->ts_us, &hello);
			if (hello.has_sni && !hello.sni_odd &&
			    !hello.sni_trunc) {
				set_server_name(al, f, hello.sni, FLOW_NAME_SNI,
				    p->ts_us);
				intel_check_name(al, f, hello.sni, dev, srv,
				    "SSL::IN_SERVER_NAME", p->ts_us);
			}
		}
	}
	if (from_orig && !(af->flags & APP_HTTP_DONE)) {
		af->flags |= APP_HTTP_DONE;
		hst = http_parse_host(p->payload, p->payload_caplen, &req);
		al->ctr.http[hst]++;
		if (hst == HTTP_OK && !req.host_trunc) {
			al->ctr.http_hosts++;
			set_server_name(al, f, req.host, FLOW_NAME_HTTP,
			    p->ts_us);
			intel_check_name(al, f, req.host, dev, srv,
			    "HTTP::IN_HOST_HEADER", p->ts_us);
		}
	}
}

/*
 * One DNS message (RFC 1035).  Queries: the name a device looks up is
 * matched.  Responses: CNAME targets are matched, and each address
 * answer fills the names cache for the device that asked, so its next
 * connection to that address is named even without SNI.  Only answers
 * rooted in the question count (an unsolicited record proves nothing).
 */
static void
app_dns(struct applayer *al, const struct flow *f, const struct packet *p,
    const uint8_t *msg, size_t caplen, size_t len, int cache)
{
	const struct dns_name *chain[DNS_CHAIN_MAX], *owner = NULL;
	struct dns_msg *m = &al->dnsmsg;
	char q[NAMES_NAME_BUF], c[NAMES_NAME_BUF], t[DNS_NAME_STR_MAX];
	enum dns_status st;
	size_t i, n = 0;
	int rooted = 0;

	st = dns_parse(m, msg, caplen, len);
	al->ctr.dns[st]++;
	if (!m->has_header || !m->has_question)
		return;
	records_dns(al->rec, f, p->ts_us, m);
	if (!m->qr) {
		dns_name_str(&m->qname, t, sizeof(t), DNS_STR_LOWER);
		intel_check_name(al, f, t, p->src, NULL, "DNS::IN_REQUEST",
		    p->ts_us);
		return;
	}
	for (i = 0; i < m->n_answers; i++) {
		if (m->answers[i].type != DNS_TYPE_CNAME)
			continue;
		dns_name_str(&m->answers[i].target, t, sizeof(t),
		    DNS_STR_LOWER);
		intel_check_name(al, f, t, p->dst, NULL, "DNS::IN_RESPONSE",
		    p->ts_us);
	}
	if (!cache || m->rcode != 0)
		return;
	/* a rooted chain starts at the question: rendered once; the chain
	 * and its last name once per owner, not per address (a forged
	 * answer of 32 addresses cost 32 chain walks) */
	dns_name_str(&m->qname, q, sizeof(q), DNS_STR_LOWER);
	for (i = 0; i < m->n_answers; i++) {
		if (m->answers[i].type == DNS_TYPE_CNAME)
			continue;
		if (owner == NULL ||
		    !dns_name_eq(owner, &m->answers[i].owner)) {
			owner = &m->answers[i].owner;
			n = dns_chain(m, i, chain, &rooted);
			if (n > 1 && rooted)
				dns_name_str(chain[n - 1], c, sizeof(c),
				    DNS_STR_LOWER);
		}
		if (n == 0 || !rooted)
			continue;
		names_insert(al->names, p->dst, m->answers[i].addr, q,
		    n > 1 ? c : NULL, m->answers[i].ttl, p->ts_us);
	}
}

/*
 * DNS over TCP: no reassembly; follow message boundaries per direction so
 * a segment that continues a message is not misread as a new one.
 */
static void
app_dns_tcp(struct applayer *al, struct flow *f, const struct packet *p,
    int from_orig)
{
	struct dns_tcp_iter it;
	enum dns_tcp_next r;
	const uint8_t *msg;
	size_t cap, len, resume;
	int dir = from_orig ? 0 : 1;
	uint32_t seq = p->seq;
	struct app_flow *af = flow_ext(f, al->app_off);

	af->flags |= APP_DNS_TCP;
	/* 0 = nothing expected yet; the stored value is seq + 1 */
	if (af->dns.next_seq[dir] != 0 && af->dns.next_seq[dir] - 1 != seq)
		return;
	if (af->dns.body_len[dir] != 0)
		dns_tcp_iter_body(&it, p->payload, p->payload_caplen,
		    af->dns.body_len[dir]);
	else
		dns_tcp_iter_init(&it, p->payload, p->payload_caplen);
	af->dns.body_len[dir] = 0;
	while ((r = dns_tcp_next(&it, &msg, &cap, &len)) != DNS_TCP_END) {
		if (r == DNS_TCP_PARTIAL) {
			al->ctr.dns_tcp_partial++;
			if (msg != NULL && cap == 0 && len <= UINT16_MAX)
				af->dns.body_len[dir] = (uint16_t)len;
			else if (msg != NULL)
				app_dns(al, f, p, msg, cap, len, 1);
			break;
		}
		app_dns(al, f, p, msg, cap, len, 1);
	}
	resume = dns_tcp_resume(&it);
	if (resume == SIZE_MAX || resume > UINT32_MAX - 1)
		af->dns.next_seq[dir] = UINT32_MAX; /* lost: stop */
	else
		af->dns.next_seq[dir] = seq + (uint32_t)resume + 1;
}

void
applayer_conn_hint(const struct applayer *al, const struct packet *p,
    struct conn_hint *h)
{
	memcpy(h->orig, p->src, 16);
	memcpy(h->resp, p->dst, 16);
	h->resp_p = p->dport;
	h->proto = p->ip_proto;
	h->names_h = names_hash(al->names, h->orig, h->resp);
	h->held_h = held_hash(al->held, h->orig, h->resp, h->resp_p, h->proto);
	names_prefetch(al->names, h->names_h);
	held_prefetch(al->held, h->held_h);
	h->set = 1;
}

void
applayer_conn(struct applayer *al, struct flow *f, const struct conn_hint *hint)
{
	if (al->intel != NULL)
		intel_check_conn(al, f);
	names_check_conn(al, f, hint);
}

/*
 * A DHCP message (UDP 67/68).  An acknowledgement gives a device its
 * address and subnet mask: the subnet's broadcast address is then never
 * a beacon destination (homenet_learn()).
 */
static void
app_dhcp(struct applayer *al, const struct packet *p)
{
	struct dhcp_msg m;
	enum dhcp_status st;

	st = dhcp_parse(&m, p->payload, p->payload_caplen);
	al->ctr.dhcp[st]++;
	/* a message cut short still names its client, once its header
	 * was read */
	if (al->devices != NULL && m.header_ok &&
	    (st == DHCP_OK || st == DHCP_TRUNCATED))
		devices_dhcp(al->devices, &m, al->home, p->ts_us);
	if (st != DHCP_OK || m.type != DHCP_ACK || !m.has_mask ||
	    al->home == NULL)
		return;
	if (homenet_learn(al->home, m.yiaddr, m.mask))
		al->ctr.dhcp_subnets++;
}

void
applayer_set_devices(struct applayer *al, struct devices *devices)
{
	al->devices = devices;
}

void
applayer_packet(struct applayer *al, struct flow *f, const struct packet *p,
    int from_orig)
{
	if (p->payload_caplen == 0)
		return;
	if (p->ip_proto == IPPROTO_NUM_UDP) {
		if ((p->sport == 67 && p->dport == 68) ||
		    (p->sport == 68 && p->dport == 67))
			app_dhcp(al, p);
		else if (dns_port(p->sport) || dns_port(p->dport))
			app_dns(al, f, p, p->payload, p->payload_caplen,
			    p->payload_len, p->sport == 53);
	} else if (p->ip_proto == IPPROTO_NUM_TCP) {
		if (p->sport == 53 || p->dport == 53)
			app_dns_tcp(al, f, p, from_orig);
		else
			app_tcp(al, f, p, from_orig);
	}
}

void
applayer_conn_end(struct applayer *al, struct flow *f)
{
	struct app_flow *af = flow_ext(f, al->app_off);

	/* a ClientHello still being collected gives its slot back */
	if (!(af->flags & APP_DNS_TCP)) {
		tls_flow_end(&af->tls[0], al->reasm);
		tls_flow_end(&af->tls[1], al->reasm);
	}
	strtab_release(al->snames, f->name_id);
	f->name_id = 0;
}
