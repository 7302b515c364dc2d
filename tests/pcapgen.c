/*
 * pcapgen.c - writes synthetic but well-formed captures: Ethernet, IPv4/IPv6,
 * TCP/UDP/ICMP with real checksums, whole TCP connections, DNS and TLS
 * messages, and the named scenarios of pcapgen_scenarios[].
 *
 * Central structure: struct pcapgen (pcapgen.h), which owns the frame being
 * built, the network clock and the PRNG.  Frames are built in g->buf: the
 * link and IP headers first (frame_begin), the L4 header and payload in
 * place after them, then checksums and the record (frame_end).
 *
 * Every multi-byte field is stored byte by byte in network order, never
 * through a cast, so the output is the same on any host.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapgen.h"

#define ETH_MIN		60	/* shortest frame on the wire, FCS excluded */
#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_VLAN	0x8100
#define IPPROTO_ICMP_	1
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_ICMP6_	58

/* --- byte stores ----------------------------------------------------------- */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
putle32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * A bounded writer for the message builders (DNS, TLS): an overflow sets
 * err and later writes do nothing, so a builder checks once at the end.
 */
struct wr {
	uint8_t *buf;
	size_t cap;
	size_t off;
	int err;
};

static void
wr_bytes(struct wr *w, const void *p, size_t n)
{
	if (w->err || n > w->cap - w->off) {
		w->err = 1;
		return;
	}
	if (n > 0)
		memcpy(w->buf + w->off, p, n);
	w->off += n;
}

static void
wr_u8(struct wr *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

static void
wr_be16(struct wr *w, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	wr_bytes(w, b, 2);
}

static void
wr_be32(struct wr *w, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	wr_bytes(w, b, 4);
}

/* Reserve a big-endian length field of n (2 or 3) bytes; returns its offset
 * for wr_patch. */
static size_t
wr_len(struct wr *w, int n)
{
	size_t at = w->off;
	uint8_t z[3] = { 0, 0, 0 };

	wr_bytes(w, z, (size_t)n);
	return at;
}

/* Fill the length field reserved at `at` (n bytes) with the bytes written
 * since it. */
static void
wr_patch(struct wr *w, size_t at, int n)
{
	size_t len;

	if (w->err)
		return;
	len = w->off - at - (size_t)n;
	if ((n == 2 && len > 0xffff) || (n == 3 && len > 0xffffff)) {
		w->err = 1;
		return;
	}
	if (n == 3) {
		w->buf[at] = (uint8_t)(len >> 16);
		put16(w->buf + at + 1, (uint16_t)len);
	} else
		put16(w->buf + at, (uint16_t)len);
}

/* --- file, clock, PRNG ------------------------------------------------------ */

uint32_t
pcapgen_rand(struct pcapgen *g)
{
	/* xorshift64* (Vigna): fast, fine statistics for traffic mixes. */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (uint32_t)((g->rng * 0x2545F4914F6CDD1DULL) >> 32);
}

uint32_t
pcapgen_rand_range(struct pcapgen *g, uint32_t lo, uint32_t hi)
{
	uint64_t span;

	if (hi <= lo)
		return lo;
	span = (uint64_t)hi - lo + 1;
	/* Multiply-shift instead of modulo: no bias worth caring about here
	 * and no division on the per-packet path. */
	return lo + (uint32_t)(((uint64_t)pcapgen_rand(g) * span) >> 32);
}

void
pcapgen_rand_bytes(struct pcapgen *g, uint8_t *out, size_t len)
{
	size_t n;

	/* Copy from the pool at a rotating offset: opaque payloads need to
	 * look random, not to be independent, and the bench writes gigabytes. */
	while (len > 0) {
		n = sizeof(g->pool) - g->pool_off;
		if (n > len)
			n = len;
		memcpy(out, g->pool + g->pool_off, n);
		out += n;
		len -= n;
		g->pool_off = (g->pool_off + n) % sizeof(g->pool);
	}
	g->pool_off = (g->pool_off + pcapgen_rand(g) % 4096) % sizeof(g->pool);
}

int
pcapgen_open(struct pcapgen *g, FILE *fp, uint64_t start_us, uint64_t seed)
{
	uint8_t h[24];
	size_t i;

	memset(g, 0, sizeof(*g));
	g->fp = fp;
	g->now_us = start_us;
	/* splitmix64 of the seed, so nearby seeds give unrelated streams and
	 * the xorshift state is never 0. */
	seed += 0x9E3779B97F4A7C15ULL;
	seed = (seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9ULL;
	seed = (seed ^ (seed >> 27)) * 0x94D049BB133111EBULL;
	g->rng = (seed ^ (seed >> 31)) | 1;
	g->ip_id = (uint16_t)pcapgen_rand(g);
	g->ttl = 64;
	for (i = 0; i < sizeof(g->pool); i++)
		g->pool[i] = (uint8_t)(pcapgen_rand(g) >> 24);

	/* Classic pcap header, little-endian (magic d4 c3 b2 a1 on disk):
	 * version 2.4, thiszone 0, sigfigs 0, snaplen, LINKTYPE_ETHERNET. */
	putle32(h, 0xa1b2c3d4);
	h[4] = 2;
	h[5] = 0;
	h[6] = 4;
	h[7] = 0;
	putle32(h + 8, 0);
	putle32(h + 12, 0);
	putle32(h + 16, 65535);
	putle32(h + 20, 1);
	if (fwrite(h, 1, sizeof(h), fp) != sizeof(h)) {
		g->err = 1;
		return -1;
	}
	return 0;
}

int
pcapgen_close(struct pcapgen *g)
{
	if (fflush(g->fp) != 0 || ferror(g->fp))
		g->err = 1;
	return g->err ? -1 : 0;
}

void
pcapgen_advance(struct pcapgen *g, uint64_t us)
{
	g->now_us += us;
}

int
pcapgen_frame(struct pcapgen *g, const uint8_t *frame, size_t len)
{
	uint8_t rh[16];

	if (len > PCAPGEN_FRAME_MAX)
		return -1;
	putle32(rh, (uint32_t)(g->now_us / 1000000));
	putle32(rh + 4, (uint32_t)(g->now_us % 1000000));
	putle32(rh + 8, (uint32_t)len);
	putle32(rh + 12, (uint32_t)len);
	if (fwrite(rh, 1, sizeof(rh), g->fp) != sizeof(rh) ||
	    fwrite(frame, 1, len, g->fp) != len) {
		g->err = 1;
		return -1;
	}
	g->packets++;
	g->bytes += len;
	return 0;
}

/* --- hosts and checksums ---------------------------------------------------- */

int
pcapgen_host(struct pcapgen_host *h, const char *ip, const char *mac)
{
	unsigned int m[6];
	int i;

	memset(h, 0, sizeof(*h));
	if (inet_pton(AF_INET, ip, h->addr) == 1)
		h->family = 4;
	else if (inet_pton(AF_INET6, ip, h->addr) == 1)
		h->family = 6;
	else
		return -1;
	if (sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2], &m[3],
	    &m[4], &m[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		h->mac[i] = (uint8_t)m[i];
	return 0;
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t
pcapgen_cksum(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t s = sum16(p, len, 0);

	s += sum;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

uint32_t
pcapgen_pseudo_sum(const struct pcapgen_host *src,
    const struct pcapgen_host *dst, uint8_t proto, uint32_t l4len)
{
	size_t alen = src->family == 6 ? 16 : 4;
	uint32_t sum;

	sum = sum16(src->addr, alen, 0);
	sum = sum16(dst->addr, alen, sum);
	sum += proto;
	sum += l4len >> 16;
	sum += l4len & 0xffff;
	return sum;
}

/* --- frames ------------------------------------------------------------------ */

/*
 * Write Ethernet (+ VLAN) and IP headers for an L4 payload of l4len bytes
 * into g->buf.  Returns a pointer to where the L4 bytes go, or NULL when
 * the frame would be too big or the families differ.  *hdr gets the offset.
 */
static uint8_t *
frame_begin(struct pcapgen *g, const struct pcapgen_host *src,
    const struct pcapgen_host *dst, uint8_t proto, size_t l4len,
    size_t *hdr)
{
	uint8_t *p = g->buf;
	size_t off, iplen;

	if (src->family != dst->family)
		return NULL;
	iplen = src->family == 6 ? 40 : 20;
	if (l4len > 0xffff - iplen ||
	    18 + iplen + l4len > sizeof(g->buf))
		return NULL;
	memcpy(p, dst->mac, 6);
	memcpy(p + 6, src->mac, 6);
	off = 12;
	if (g->vlan != 0) {
		put16(p + off, ETHERTYPE_VLAN);
		put16(p + off + 2, g->vlan & 0x0fff);
		off += 4;
	}
	if (src->family == 4) {
		put16(p + off, ETHERTYPE_IPV4);
		off += 2;
		p[off] = 0x45;			/* v4, 5 words */
		p[off + 1] = 0;			/* DSCP/ECN */
		put16(p + off + 2, (uint16_t)(20 + l4len));
		put16(p + off + 4, g->ip_id++);
		put16(p + off + 6, 0x4000);	/* DF, as stacks do with PMTUD */
		p[off + 8] = g->ttl;
		p[off + 9] = proto;
		put16(p + off + 10, 0);
		memcpy(p + off + 12, src->addr, 4);
		memcpy(p + off + 16, dst->addr, 4);
		put16(p + off + 10, pcapgen_cksum(p + off, 20, 0));
		off += 20;
	} else {
		put16(p + off, ETHERTYPE_IPV6);
		off += 2;
		put32(p + off, 0x60000000);	/* v6, no class, no flow label */
		put16(p + off + 4, (uint16_t)l4len);
		p[off + 6] = proto;
		p[off + 7] = g->ttl;
		memcpy(p + off + 8, src->addr, 16);
		memcpy(p + off + 24, dst->addr, 16);
		off += 40;
	}
	*hdr = off;
	return p + off;
}

/* Pad to the Ethernet minimum (as a mirror port delivers it; decoders must
 * clamp to the IP length) and write the record. */
static int
frame_end(struct pcapgen *g, size_t len)
{
	if (len < ETH_MIN) {
		memset(g->buf + len, 0, ETH_MIN - len);
		len = ETH_MIN;
	}
	return pcapgen_frame(g, g->buf, len);
}

int
pcapgen_udp(struct pcapgen *g, const struct pcapgen_host *src,
    uint16_t sport, const struct pcapgen_host *dst, uint16_t dport,
    const uint8_t *data, size_t len)
{
	uint8_t *p;
	size_t hdr;
	uint16_t ck;

	if (len > 0xffff - 8 ||
	    (p = frame_begin(g, src, dst, IPPROTO_UDP_, 8 + len, &hdr)) == NULL)
		return -1;
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, (uint16_t)(8 + len));
	put16(p + 6, 0);
	if (data != NULL)
		memcpy(p + 8, data, len);
	else
		pcapgen_rand_bytes(g, p + 8, len);
	ck = pcapgen_cksum(p, 8 + len,
	    pcapgen_pseudo_sum(src, dst, IPPROTO_UDP_, (uint32_t)(8 + len)));
	/* RFC 768: a computed 0 is sent as all ones (0 means "none"). */
	put16(p + 6, ck == 0 ? 0xffff : ck);
	return frame_end(g, hdr + 8 + len);
}

int
pcapgen_icmp_echo(struct pcapgen *g, const struct pcapgen_host *src,
    const struct pcapgen_host *dst, int reply, uint16_t id, uint16_t seq,
    size_t len)
{
	uint8_t *p;
	size_t hdr, i;
	uint8_t proto = src->family == 6 ? IPPROTO_ICMP6_ : IPPROTO_ICMP_;
	uint32_t sum = 0;

	if (len > 1400 ||
	    (p = frame_begin(g, src, dst, proto, 8 + len, &hdr)) == NULL)
		return -1;
	if (src->family == 6)
		p[0] = reply ? 129 : 128;	/* RFC 4443 */
	else
		p[0] = reply ? 0 : 8;		/* RFC 792 */
	p[1] = 0;
	put16(p + 2, 0);
	put16(p + 4, id);
	put16(p + 6, seq);
	/* The ping(8) pattern: bytes counting up, so request and reply of
	 * the same seq carry the same payload. */
	for (i = 0; i < len; i++)
		p[8 + i] = (uint8_t)(i + 0x10);
	if (src->family == 6)
		sum = pcapgen_pseudo_sum(src, dst, proto, (uint32_t)(8 + len));
	put16(p + 2, pcapgen_cksum(p, 8 + len, sum));
	return frame_end(g, hdr + 8 + len);
}

/* --- TCP --------------------------------------------------------------------- */

void
pcapgen_tcp_init(struct pcapgen *g, struct pcapgen_tcp *c,
    const struct pcapgen_host *cli, uint16_t cport,
    const struct pcapgen_host *srv, uint16_t sport)
{
	memset(c, 0, sizeof(*c));
	c->cli = *cli;
	c->srv = *srv;
	c->cport = cport;
	c->sport = sport;
	c->seq[PCAPGEN_C2S] = pcapgen_rand(g);
	c->seq[PCAPGEN_S2C] = pcapgen_rand(g);
	c->mss = cli->family == 6 ? 1440 : 1460;
	c->win[PCAPGEN_C2S] = 64240;
	c->win[PCAPGEN_S2C] = 65160;
	c->rtt_us = 30000;
	c->ack_every = 2;
}

int
pcapgen_tcp_segment(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir, uint8_t flags, const uint8_t *data, size_t len)
{
	const struct pcapgen_host *src, *dst;
	enum pcapgen_dir peer = dir == PCAPGEN_C2S ? PCAPGEN_S2C : PCAPGEN_C2S;
	size_t hlen = (flags & PCAPGEN_SYN) ? 32 : 20, hdr, l4len;
	uint8_t *p;
	uint16_t win;

	if (len > 0xffff - 40 - hlen)
		return -1;
	src = dir == PCAPGEN_C2S ? &c->cli : &c->srv;
	dst = dir == PCAPGEN_C2S ? &c->srv : &c->cli;
	l4len = hlen + len;
	if ((p = frame_begin(g, src, dst, IPPROTO_TCP_, l4len, &hdr)) == NULL)
		return -1;
	put16(p, dir == PCAPGEN_C2S ? c->cport : c->sport);
	put16(p + 2, dir == PCAPGEN_C2S ? c->sport : c->cport);
	put32(p + 4, c->seq[dir]);
	put32(p + 8, (flags & PCAPGEN_ACK) ? c->seq[peer] : 0);
	p[12] = (uint8_t)((hlen / 4) << 4);
	p[13] = flags;
	/* Window scale 7 is offered on SYNs; after the handshake the window
	 * has grown to four times the SYN's and the field carries it / 128. */
	win = (flags & PCAPGEN_SYN) ? c->win[dir] :
	    (uint16_t)(((uint32_t)c->win[dir] * 4) >> 7);
	put16(p + 14, win);
	put16(p + 16, 0);
	put16(p + 18, 0);
	if (hlen == 32) {
		/* MSS, NOP, WS 7, NOP, NOP, SACK permitted (RFC 9293,
		 * RFC 7323, RFC 2018): the common Linux SYN less timestamps. */
		static const uint8_t opt[12] = {
			2, 4, 0, 0, 1, 3, 3, 7, 1, 1, 4, 2
		};
		memcpy(p + 20, opt, sizeof(opt));
		put16(p + 22, c->mss);
	}
	if (len > 0) {
		if (data != NULL)
			memcpy(p + hlen, data, len);
		else
			pcapgen_rand_bytes(g, p + hlen, len);
	}
	put16(p + 16, pcapgen_cksum(p, l4len,
	    pcapgen_pseudo_sum(src, dst, IPPROTO_TCP_, (uint32_t)l4len)));
	c->seq[dir] += (uint32_t)len;
	if (flags & PCAPGEN_SYN)
		c->seq[dir]++;
	if (flags & PCAPGEN_FIN)
		c->seq[dir]++;
	return frame_end(g, hdr + l4len);
}

int
pcapgen_tcp_connect(struct pcapgen *g, struct pcapgen_tcp *c)
{
	int rc;

	/* Timing as a capture point next to the client sees it: the SYN-ACK
	 * a whole RTT after the SYN, the ACK right after. */
	rc = pcapgen_tcp_segment(g, c, PCAPGEN_C2S, PCAPGEN_SYN, NULL, 0);
	pcapgen_advance(g, c->rtt_us);
	rc |= pcapgen_tcp_segment(g, c, PCAPGEN_S2C,
	    PCAPGEN_SYN | PCAPGEN_ACK, NULL, 0);
	pcapgen_advance(g, 80 + pcapgen_rand_range(g, 0, 100));
	rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S, PCAPGEN_ACK, NULL, 0);
	return rc ? -1 : 0;
}

int
pcapgen_tcp_send(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir, const uint8_t *data, size_t len)
{
	enum pcapgen_dir peer = dir == PCAPGEN_C2S ? PCAPGEN_S2C : PCAPGEN_C2S;
	size_t off = 0, n;
	int rc = 0, nseg = 0, unacked = 0;
	uint8_t flags;

	pcapgen_advance(g, c->rtt_us / 2);
	while (off < len) {
		n = len - off < c->mss ? len - off : c->mss;
		flags = PCAPGEN_ACK;
		if (off + n == len)
			flags |= PCAPGEN_PSH;
		rc |= pcapgen_tcp_segment(g, c, dir, flags,
		    data != NULL ? data + off : NULL, n);
		off += n;
		nseg++;
		unacked++;
		/* About 100 Mbit/s serialisation between segments. */
		pcapgen_advance(g, 10 + n / 12);
		if (unacked >= c->ack_every && off < len) {
			pcapgen_advance(g, 40);
			rc |= pcapgen_tcp_segment(g, c, peer, PCAPGEN_ACK,
			    NULL, 0);
			pcapgen_advance(g, 15);
			unacked = 0;
		}
	}
	/* A lone segment's ACK rides on the reply (delayed ACK); a longer
	 * run gets its final ACK at once. */
	if (nseg > 1 && unacked > 0) {
		pcapgen_advance(g, 40);
		rc |= pcapgen_tcp_segment(g, c, peer, PCAPGEN_ACK, NULL, 0);
	}
	return rc ? -1 : 0;
}

int
pcapgen_tcp_close(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir)
{
	enum pcapgen_dir peer = dir == PCAPGEN_C2S ? PCAPGEN_S2C : PCAPGEN_C2S;
	int rc;

	pcapgen_advance(g, c->rtt_us / 4);
	rc = pcapgen_tcp_segment(g, c, dir, PCAPGEN_FIN | PCAPGEN_ACK,
	    NULL, 0);
	pcapgen_advance(g, c->rtt_us);
	rc |= pcapgen_tcp_segment(g, c, peer, PCAPGEN_FIN | PCAPGEN_ACK,
	    NULL, 0);
	pcapgen_advance(g, 60);
	rc |= pcapgen_tcp_segment(g, c, dir, PCAPGEN_ACK, NULL, 0);
	return rc ? -1 : 0;
}

int
pcapgen_tcp_reset(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir)
{
	pcapgen_advance(g, c->rtt_us / 4);
	return pcapgen_tcp_segment(g, c, dir, PCAPGEN_RST | PCAPGEN_ACK,
	    NULL, 0);
}

int
pcapgen_tcp_unanswered(struct pcapgen *g, struct pcapgen_tcp *c, int tries)
{
	uint32_t isn = c->seq[PCAPGEN_C2S];
	int i, rc = 0;

	for (i = 0; i < tries; i++) {
		if (i > 0)
			pcapgen_advance(g, 1000000ULL << (i - 1));
		c->seq[PCAPGEN_C2S] = isn;
		rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S, PCAPGEN_SYN,
		    NULL, 0);
	}
	return rc ? -1 : 0;
}

/* --- DNS (RFC 1035) ------------------------------------------------------------ */

/* Write name as labels; 0 and w->err set when it is not a valid name. */
static void
dns_name(struct wr *w, const char *name)
{
	const char *p = name, *dot;
	size_t n, total = 1;

	while (*p != '\0') {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		total += n + 1;
		if (n == 0 || n > 63 || total > 255) {
			w->err = 1;
			return;
		}
		wr_u8(w, (uint8_t)n);
		wr_bytes(w, p, n);
		p += n;
		if (*p == '.')
			p++;
	}
	wr_u8(w, 0);
}

static void
dns_header(struct wr *w, uint16_t id, uint16_t flags, uint16_t an)
{
	wr_be16(w, id);
	wr_be16(w, flags);
	wr_be16(w, 1);		/* QDCOUNT */
	wr_be16(w, an);		/* ANCOUNT */
	wr_be16(w, 0);		/* NSCOUNT */
	wr_be16(w, 0);		/* ARCOUNT */
}

size_t
pcapgen_dns_query(uint8_t *buf, size_t cap, uint16_t id, const char *name,
    uint16_t qtype)
{
	struct wr w = { buf, cap, 0, 0 };

	dns_header(&w, id, 0x0100, 0);	/* RD */
	dns_name(&w, name);
	wr_be16(&w, qtype);
	wr_be16(&w, 1);			/* IN */
	return w.err ? 0 : w.off;
}

size_t
pcapgen_dns_response(uint8_t *buf, size_t cap, uint16_t id,
    const char *name, uint16_t qtype, const uint8_t *addrs, int naddrs,
    uint32_t ttl)
{
	struct wr w = { buf, cap, 0, 0 };
	size_t alen = qtype == 28 ? 16 : 4;
	int i;

	if (naddrs < 0 || naddrs > 32)
		return 0;
	/* QR, RD, RA; RCODE 3 (NXDOMAIN) when there is nothing to say. */
	dns_header(&w, id, naddrs > 0 ? 0x8180 : 0x8183, (uint16_t)naddrs);
	dns_name(&w, name);
	wr_be16(&w, qtype);
	wr_be16(&w, 1);
	for (i = 0; i < naddrs; i++) {
		wr_be16(&w, 0xc00c);	/* pointer to the question name */
		wr_be16(&w, qtype);
		wr_be16(&w, 1);
		wr_be32(&w, ttl);
		wr_be16(&w, (uint16_t)alen);
		wr_bytes(&w, addrs + (size_t)i * alen, alen);
	}
	return w.err ? 0 : w.off;
}

int
pcapgen_dns_exchange(struct pcapgen *g, const struct pcapgen_host *cli,
    const struct pcapgen_host *srv, const char *name, uint16_t qtype,
    const uint8_t *addrs, int naddrs, uint32_t ttl)
{
	uint8_t msg[512];
	uint16_t id = (uint16_t)pcapgen_rand(g);
	uint16_t port = (uint16_t)pcapgen_rand_range(g, 32768, 60999);
	size_t n;
	int rc;

	if ((n = pcapgen_dns_query(msg, sizeof(msg), id, name, qtype)) == 0)
		return -1;
	rc = pcapgen_udp(g, cli, port, srv, 53, msg, n);
	pcapgen_advance(g, pcapgen_rand_range(g, 2000, 25000));
	n = pcapgen_dns_response(msg, sizeof(msg), id, name, qtype, addrs,
	    naddrs, ttl);
	if (n == 0)
		return -1;
	rc |= pcapgen_udp(g, srv, 53, cli, port, msg, n);
	pcapgen_advance(g, pcapgen_rand_range(g, 100, 2000));
	return rc ? -1 : 0;
}

/* --- TLS (RFC 8446) ---------------------------------------------------------------- */

size_t
pcapgen_tls_client_hello(struct pcapgen *g, uint8_t *buf, size_t cap,
    const char *sni)
{
	/* TLS 1.3 suites, then the ECDHE ones a browser still offers. */
	static const uint16_t suites[] = {
		0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
		0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f,
		0x0035
	};
	static const uint16_t groups[] = { 0x001d, 0x0017, 0x0018 };
	static const uint16_t sigalgs[] = {
		0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806,
		0x0601
	};
	struct wr w = { buf, cap, 0, 0 };
	uint8_t rnd[32];
	size_t rec, hs, ext, e, l, i, body;

	wr_u8(&w, 22);			/* handshake */
	wr_be16(&w, 0x0301);		/* legacy record version */
	rec = wr_len(&w, 2);
	wr_u8(&w, 1);			/* client_hello */
	hs = wr_len(&w, 3);
	wr_be16(&w, 0x0303);		/* legacy_version */
	pcapgen_rand_bytes(g, rnd, sizeof(rnd));
	wr_bytes(&w, rnd, 32);		/* random */
	wr_u8(&w, 32);			/* legacy_session_id (compat mode) */
	pcapgen_rand_bytes(g, rnd, sizeof(rnd));
	wr_bytes(&w, rnd, 32);
	wr_be16(&w, (uint16_t)(sizeof(suites)));
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		wr_be16(&w, suites[i]);
	wr_u8(&w, 1);			/* compression: null only */
	wr_u8(&w, 0);
	ext = wr_len(&w, 2);

	if (sni != NULL) {		/* server_name, RFC 6066 3 */
		wr_be16(&w, 0);
		e = wr_len(&w, 2);
		l = wr_len(&w, 2);
		wr_u8(&w, 0);		/* host_name */
		wr_be16(&w, (uint16_t)strlen(sni));
		wr_bytes(&w, sni, strlen(sni));
		wr_patch(&w, l, 2);
		wr_patch(&w, e, 2);
	}
	wr_be16(&w, 23);		/* extended_master_secret */
	wr_be16(&w, 0);
	wr_be16(&w, 0xff01);		/* renegotiation_info */
	wr_be16(&w, 1);
	wr_u8(&w, 0);
	wr_be16(&w, 10);		/* supported_groups */
	wr_be16(&w, (uint16_t)(2 + sizeof(groups)));
	wr_be16(&w, (uint16_t)sizeof(groups));
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		wr_be16(&w, groups[i]);
	wr_be16(&w, 11);		/* ec_point_formats: uncompressed */
	wr_be16(&w, 2);
	wr_u8(&w, 1);
	wr_u8(&w, 0);
	wr_be16(&w, 35);		/* session_ticket, empty */
	wr_be16(&w, 0);
	wr_be16(&w, 16);		/* ALPN, RFC 7301 */
	e = wr_len(&w, 2);
	l = wr_len(&w, 2);
	wr_u8(&w, 2);
	wr_bytes(&w, "h2", 2);
	wr_u8(&w, 8);
	wr_bytes(&w, "http/1.1", 8);
	wr_patch(&w, l, 2);
	wr_patch(&w, e, 2);
	wr_be16(&w, 5);			/* status_request (OCSP) */
	wr_be16(&w, 5);
	wr_u8(&w, 1);
	wr_be32(&w, 0);
	wr_be16(&w, 13);		/* signature_algorithms */
	wr_be16(&w, (uint16_t)(2 + sizeof(sigalgs)));
	wr_be16(&w, (uint16_t)sizeof(sigalgs));
	for (i = 0; i < sizeof(sigalgs) / sizeof(sigalgs[0]); i++)
		wr_be16(&w, sigalgs[i]);
	wr_be16(&w, 51);		/* key_share: one x25519 share */
	wr_be16(&w, 38);
	wr_be16(&w, 36);
	wr_be16(&w, 0x001d);
	wr_be16(&w, 32);
	pcapgen_rand_bytes(g, rnd, sizeof(rnd));
	wr_bytes(&w, rnd, 32);
	wr_be16(&w, 45);		/* psk_key_exchange_modes: psk_dhe_ke */
	wr_be16(&w, 2);
	wr_u8(&w, 1);
	wr_u8(&w, 1);
	wr_be16(&w, 43);		/* supported_versions: 1.3, 1.2 */
	wr_be16(&w, 5);
	wr_u8(&w, 4);
	wr_be16(&w, 0x0304);
	wr_be16(&w, 0x0303);
	/* padding (RFC 7685) to a 512-byte ClientHello body, as browsers do
	 * to step around middlebox bugs with 256-511 byte hellos. */
	body = w.off - hs - 3;
	if (!w.err && body + 4 < 508) {
		wr_be16(&w, 21);
		wr_be16(&w, (uint16_t)(508 - body - 4));
		for (i = body + 4; i < 508; i++)
			wr_u8(&w, 0);
	}
	wr_patch(&w, ext, 2);
	wr_patch(&w, hs, 3);
	wr_patch(&w, rec, 2);
	return w.err ? 0 : w.off;
}

static void
tls_opaque_records(struct pcapgen *g, struct wr *w, size_t len)
{
	size_t n;

	while (len > 0 && !w->err) {
		/* RFC 8446 5.2: at most 2^14 + 256 bytes of ciphertext. */
		n = len > 16384 ? 16384 : len;
		wr_u8(w, 23);		/* application_data */
		wr_be16(w, 0x0303);
		wr_be16(w, (uint16_t)n);
		if (!w->err && n <= w->cap - w->off) {
			pcapgen_rand_bytes(g, w->buf + w->off, n);
			w->off += n;
		} else
			w->err = 1;
		len -= n;
	}
}

size_t
pcapgen_tls_server_flight(struct pcapgen *g, uint8_t *buf, size_t cap,
    size_t extra)
{
	struct wr w = { buf, cap, 0, 0 };
	uint8_t rnd[32];
	size_t rec, hs, ext;

	wr_u8(&w, 22);
	wr_be16(&w, 0x0303);
	rec = wr_len(&w, 2);
	wr_u8(&w, 2);			/* server_hello */
	hs = wr_len(&w, 3);
	wr_be16(&w, 0x0303);
	pcapgen_rand_bytes(g, rnd, sizeof(rnd));
	wr_bytes(&w, rnd, 32);
	wr_u8(&w, 32);
	pcapgen_rand_bytes(g, rnd, sizeof(rnd));
	wr_bytes(&w, rnd, 32);
	wr_be16(&w, 0x1301);		/* TLS_AES_128_GCM_SHA256 */
	wr_u8(&w, 0);
	ext = wr_len(&w, 2);
	wr_be16(&w, 43);		/* supported_versions: 1.3 */
	wr_be16(&w, 2);
	wr_be16(&w, 0x0304);
	wr_be16(&w, 51);		/* key_share */
	wr_be16(&w, 36);
	wr_be16(&w, 0x001d);
	wr_be16(&w, 32);
	pcapgen_rand_bytes(g, rnd, sizeof(rnd));
	wr_bytes(&w, rnd, 32);
	wr_patch(&w, ext, 2);
	wr_patch(&w, hs, 3);
	wr_patch(&w, rec, 2);
	wr_u8(&w, 20);			/* change_cipher_spec (compat) */
	wr_be16(&w, 0x0303);
	wr_be16(&w, 1);
	wr_u8(&w, 1);
	/* EncryptedExtensions, Certificate, CertificateVerify, Finished: all
	 * ciphertext to an observer. */
	tls_opaque_records(g, &w, extra);
	return w.err ? 0 : w.off;
}

size_t
pcapgen_tls_app_data(struct pcapgen *g, uint8_t *buf, size_t cap,
    size_t len)
{
	struct wr w = { buf, cap, 0, 0 };

	tls_opaque_records(g, &w, len);
	return w.err ? 0 : w.off;
}

int
pcapgen_tls_open(struct pcapgen *g, struct pcapgen_tcp *c, const char *sni,
    size_t hs_extra)
{
	uint8_t buf[16384 + 512];
	size_t n;
	int rc;

	rc = pcapgen_tcp_connect(g, c);
	if ((n = pcapgen_tls_client_hello(g, buf, sizeof(buf), sni)) == 0)
		return -1;
	rc |= pcapgen_tcp_send(g, c, PCAPGEN_C2S, buf, n);
	if (hs_extra > 16000)
		hs_extra = 16000;
	if ((n = pcapgen_tls_server_flight(g, buf, sizeof(buf),
	    hs_extra)) == 0)
		return -1;
	rc |= pcapgen_tcp_send(g, c, PCAPGEN_S2C, buf, n);
	/* Client's change_cipher_spec and encrypted Finished. */
	buf[0] = 20;
	put16(buf + 1, 0x0303);
	put16(buf + 3, 1);
	buf[5] = 1;
	n = 6 + pcapgen_tls_app_data(g, buf + 6, sizeof(buf) - 6, 53);
	rc |= pcapgen_tcp_send(g, c, PCAPGEN_C2S, buf, n);
	return rc ? -1 : 0;
}

int
pcapgen_tls_data(struct pcapgen *g, struct pcapgen_tcp *c, int dir, size_t len)
{
	/* One record's worth at a time keeps the buffer small whatever the
	 * transfer size. */
	uint8_t buf[16384 + 512];
	size_t n, chunk;
	int rc = 0;

	while (len > 0) {
		chunk = len > 16384 ? 16384 : len;
		n = pcapgen_tls_app_data(g, buf, sizeof(buf), chunk);
		rc |= pcapgen_tcp_send(g, c, dir, buf, n);
		len -= chunk;
	}
	return rc ? -1 : 0;
}

int
pcapgen_https(struct pcapgen *g, struct pcapgen_tcp *c, const char *sni,
    size_t hs_extra, size_t up, size_t down)
{
	int rc;

	rc = pcapgen_tls_open(g, c, sni, hs_extra);
	rc |= pcapgen_tls_data(g, c, PCAPGEN_C2S, up);
	rc |= pcapgen_tls_data(g, c, PCAPGEN_S2C, down);
	rc |= pcapgen_tcp_close(g, c, PCAPGEN_C2S);
	return rc ? -1 : 0;
}

/* --- scenarios ----------------------------------------------------------------- */

/*
 * Every scenario is a home or shelter LAN, 192.168.1.0/24 behind a router
 * at .1 that is also the DNS resolver.  Remote hosts appear behind the
 * router's MAC.  Benign destinations are documentation ranges (RFC 5737,
 * RFC 3849), the benchmark range (RFC 2544) or well-known public services;
 * none is on an indicator list.
 */
#define SCEN_START_US	(1710234000ULL * 1000000)	/* 2024-03-12 09:00 UTC */
#define SCEN_SEED	0x73776174636865ULL		/* "swatche" */
#define SEC		1000000ULL

#define MAC_ROUTER	"c4:ad:34:12:0e:01"
#define MAC_PHONE	"8c:f5:a3:4e:27:91"	/* a Samsung OUI */
#define MAC_LAPTOP	"3c:a9:f4:1b:55:02"
#define MSPY_IP_A	"212.129.6.180"
#define MSPY_IP_B	"212.83.137.160"

struct lan {
	struct pcapgen_host router, phone, laptop;	/* IPv4 */
	struct pcapgen_host router6, phone6;		/* IPv6 */
	uint16_t port;					/* next ephemeral */
};

struct service {
	const char *name;
	const char *ip;
	uint32_t down_max;	/* largest response, bytes */
};

static const struct service phone_services[] = {
	{ "connectivitycheck.gstatic.com", "142.250.180.3", 600 },
	{ "www.google.com", "142.250.179.196", 4000 },
	{ "play.googleapis.com", "142.250.185.74", 4000 },
	{ "android.clients.google.com", "142.250.186.46", 3000 },
	{ "news.example.com", "203.0.113.10", 6000 },
	{ "weather.example.net", "198.51.100.20", 3000 },
	{ "chat.example.org", "192.0.2.44", 2000 },
};

static const struct service laptop_services[] = {
	{ "www.apple.com", "17.253.144.10", 5000 },
	{ "gateway.icloud.com", "17.248.185.12", 3000 },
	{ "docs.example.org", "198.51.100.80", 6000 },
	{ "mail.example.com", "203.0.113.25", 4000 },
	{ "www.example.org", "192.0.2.80", 4000 },
};

static void
lan_init(struct pcapgen *g, struct lan *l)
{
	/* Constant, valid literals: these cannot fail. */
	(void)pcapgen_host(&l->router, "192.168.1.1", MAC_ROUTER);
	(void)pcapgen_host(&l->phone, "192.168.1.23", MAC_PHONE);
	(void)pcapgen_host(&l->laptop, "192.168.1.42", MAC_LAPTOP);
	(void)pcapgen_host(&l->router6, "2001:db8:1::1", MAC_ROUTER);
	(void)pcapgen_host(&l->phone6, "2001:db8:1::23", MAC_PHONE);
	l->port = (uint16_t)pcapgen_rand_range(g, 33000, 50000);
}

/* Ephemeral ports step up as Linux's do, so a 4-tuple is not reused
 * within a scenario. */
static uint16_t
lan_port(struct pcapgen *g, struct lan *l)
{
	l->port = (uint16_t)(l->port + pcapgen_rand_range(g, 1, 9));
	if (l->port > 60999 || l->port < 32768)
		l->port = 32768 + (l->port % 1000);
	return l->port;
}

static int
remote(struct pcapgen_host *h, const char *ip)
{
	return pcapgen_host(h, ip, MAC_ROUTER);
}

/* A DNS lookup of svc (most of the time: answers get cached) and an HTTPS
 * session to it from cli. */
static int
browse(struct pcapgen *g, struct lan *l, const struct pcapgen_host *cli,
    const struct service *svc, uint32_t dns_pct)
{
	struct pcapgen_host srv;
	struct pcapgen_tcp c;
	uint32_t down;
	int rc = 0;

	if (remote(&srv, svc->ip) != 0)
		return -1;
	if (pcapgen_rand_range(g, 0, 99) < dns_pct)
		rc |= pcapgen_dns_exchange(g, cli, &l->router, svc->name, 1,
		    srv.addr, 1, pcapgen_rand_range(g, 60, 300));
	pcapgen_tcp_init(g, &c, cli, lan_port(g, l), &srv, 443);
	c.rtt_us = pcapgen_rand_range(g, 12000, 40000);
	down = pcapgen_rand_range(g, 300, svc->down_max);
	rc |= pcapgen_https(g, &c, svc->name, pcapgen_rand_range(g, 2200,
	    3200), pcapgen_rand_range(g, 200, 900), down);
	return rc;
}

static int
lookup(struct pcapgen *g, struct lan *l, const struct pcapgen_host *cli)
{
	const struct service *svc;
	struct pcapgen_host srv;
	size_t n = sizeof(phone_services) / sizeof(phone_services[0]);

	if (cli == &l->phone)
		svc = &phone_services[pcapgen_rand_range(g, 0, (uint32_t)n - 1)];
	else
		svc = &laptop_services[pcapgen_rand_range(g, 0,
		    sizeof(laptop_services) / sizeof(laptop_services[0]) - 1)];
	if (remote(&srv, svc->ip) != 0)
		return -1;
	return pcapgen_dns_exchange(g, cli, &l->router, svc->name, 1,
	    srv.addr, 1, pcapgen_rand_range(g, 60, 300));
}

/* The mSpy-like upload: a fresh TLS connection straight to the address
 * (no DNS, and no SNI: RFC 6066 allows no IP literal there), one POST-sized
 * record up, a short answer down. */
static int
c2_session(struct pcapgen *g, struct lan *l, const struct pcapgen_host *cli,
    const struct pcapgen_host *srv)
{
	struct pcapgen_tcp c;

	pcapgen_tcp_init(g, &c, cli, lan_port(g, l), srv, 443);
	c.rtt_us = pcapgen_rand_range(g, 25000, 45000);
	return pcapgen_https(g, &c, NULL, pcapgen_rand_range(g, 2500, 4000),
	    pcapgen_rand_range(g, 300, 700), pcapgen_rand_range(g, 200, 400));
}

/* NTP (RFC 5905) client request and server reply, 48 bytes each. */
static int
ntp_exchange(struct pcapgen *g, struct lan *l, const struct pcapgen_host *cli)
{
	struct pcapgen_host srv;
	uint8_t m[48];
	uint16_t port = lan_port(g, l);
	uint32_t secs = (uint32_t)(g->now_us / SEC + 2208988800ULL);
	int rc;

	if (remote(&srv, "216.239.35.4") != 0)
		return -1;
	memset(m, 0, sizeof(m));
	m[0] = 0x23;			/* LI 0, VN 4, mode 3 (client) */
	put32(m + 40, secs);		/* transmit timestamp */
	pcapgen_rand_bytes(g, m + 44, 4);
	rc = pcapgen_udp(g, cli, port, &srv, 123, m, sizeof(m));
	pcapgen_advance(g, pcapgen_rand_range(g, 8000, 20000));
	memcpy(m + 24, m + 40, 8);	/* origin = client's transmit */
	m[0] = 0x24;			/* mode 4 (server) */
	m[1] = 1;			/* stratum 1 */
	m[2] = 6;
	m[3] = 0xe9;			/* precision 2^-23 */
	memcpy(m + 12, "GOOG", 4);	/* reference id */
	put32(m + 16, secs - 20);
	put32(m + 32, secs);
	put32(m + 40, secs);
	rc |= pcapgen_udp(g, &srv, 123, cli, port, m, sizeof(m));
	return rc;
}

static int
pings(struct pcapgen *g, const struct pcapgen_host *a,
    const struct pcapgen_host *b, int n)
{
	uint16_t id = (uint16_t)pcapgen_rand(g);
	int i, rc = 0;

	for (i = 0; i < n; i++) {
		rc |= pcapgen_icmp_echo(g, a, b, 0, id, (uint16_t)(i + 1), 56);
		pcapgen_advance(g, pcapgen_rand_range(g, 300, 2500));
		rc |= pcapgen_icmp_echo(g, b, a, 1, id, (uint16_t)(i + 1), 56);
		pcapgen_advance(g, SEC);
	}
	return rc;
}

/*
 * Ordinary home traffic for `secs` seconds, with (c2 != NULL) the phone's
 * uploads to c2 every 5-10 minutes, uniformly.  Streams of events are
 * merged by their next time; an event runs to its end before the next
 * starts (sessions last well under a second, so little is lost).
 */
static int
household(struct pcapgen *g, const struct pcapgen_opts *o, uint64_t secs,
    const struct pcapgen_host *c2)
{
	enum { PHONE, LAPTOP, NTP, PING, LOOKUP, C2, NSTREAM };
	struct lan l;
	uint64_t start = g->now_us, end = start + secs * SEC, next[NSTREAM];
	int s, i, rc = 0;

	(void)o;
	lan_init(g, &l);
	next[PHONE] = start + 2 * SEC;
	next[LAPTOP] = start + pcapgen_rand_range(g, 3, 20) * SEC;
	next[NTP] = start + SEC / 2;
	next[PING] = start + pcapgen_rand_range(g, 60, 200) * SEC;
	next[LOOKUP] = start + pcapgen_rand_range(g, 5, 20) * SEC;
	next[C2] = c2 != NULL ? start + pcapgen_rand_range(g, 20, 60) * SEC :
	    UINT64_MAX;
	for (;;) {
		for (s = 0, i = 1; i < NSTREAM; i++)
			if (next[i] < next[s])
				s = i;
		if (next[s] >= end)
			break;
		/* Jitter of up to a second, never backwards. */
		if (g->now_us < next[s])
			g->now_us = next[s] + pcapgen_rand_range(g, 0, 999999);
		switch (s) {
		case PHONE:
			rc |= browse(g, &l, &l.phone, &phone_services[
			    pcapgen_rand_range(g, 0, sizeof(phone_services) /
			    sizeof(phone_services[0]) - 1)], 70);
			next[s] += pcapgen_rand_range(g, 15, 60) * SEC;
			break;
		case LAPTOP:
			rc |= browse(g, &l, &l.laptop, &laptop_services[
			    pcapgen_rand_range(g, 0, sizeof(laptop_services) /
			    sizeof(laptop_services[0]) - 1)], 70);
			next[s] += pcapgen_rand_range(g, 25, 80) * SEC;
			break;
		case NTP:
			rc |= ntp_exchange(g, &l, &l.phone);
			next[s] += pcapgen_rand_range(g, 900, 1100) * SEC;
			break;
		case PING:
			rc |= pings(g, &l.laptop, &l.router, 4);
			next[s] += pcapgen_rand_range(g, 400, 700) * SEC;
			break;
		case LOOKUP:
			/* Lookups with no connection after them: prefetching,
			 * apps checking in, cached-elsewhere answers. */
			rc |= lookup(g, &l, (pcapgen_rand(g) & 1) ? &l.phone :
			    &l.laptop);
			next[s] += pcapgen_rand_range(g, 4, 20) * SEC;
			break;
		case C2:
			rc |= c2_session(g, &l, &l.phone, c2);
			next[s] += pcapgen_rand_range(g, 300, 600) * SEC;
			break;
		}
	}
	return rc;
}

/* The indicator address: --ip, or the scenario's default. */
static int
scen_c2(struct pcapgen_host *h, const struct pcapgen_opts *o,
    const char *dflt)
{
	return remote(h, o->ip != NULL ? o->ip : dflt);
}

static int
scen_demo(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host c2;

	if (scen_c2(&c2, o, MSPY_IP_A) != 0 || c2.family != 4)
		return -1;
	return household(g, o, 30 * 60, &c2);
}

static int
scen_benign(struct pcapgen *g, const struct pcapgen_opts *o)
{
	return household(g, o, 10 * 60, NULL);
}

/* One benign browse, then one C2 session from the phone (IPv4 or IPv6
 * after the indicator's family). */
static int
one_c2(struct pcapgen *g, const struct pcapgen_opts *o, const char *dflt)
{
	static const struct service web6 = {
		"www.example.com", "2001:db8:2::80", 5000
	};
	static const struct service web4 = {
		"www.example.com", "203.0.113.10", 5000
	};
	struct pcapgen_host c2;
	struct lan l;
	int rc;

	if (scen_c2(&c2, o, dflt) != 0)
		return -1;
	lan_init(g, &l);
	if (c2.family == 6) {
		/* The AAAA lookup goes to the router over IPv6 too. */
		l.router = l.router6;
		rc = browse(g, &l, &l.phone6, &web6, 100);
		pcapgen_advance(g, 20 * SEC);
		rc |= c2_session(g, &l, &l.phone6, &c2);
	} else {
		rc = browse(g, &l, &l.phone, &web4, 100);
		pcapgen_advance(g, 20 * SEC);
		rc |= c2_session(g, &l, &l.phone, &c2);
	}
	pcapgen_advance(g, 5 * SEC);
	return rc;
}

static int
scen_c2_ip(struct pcapgen *g, const struct pcapgen_opts *o)
{
	return one_c2(g, o, MSPY_IP_B);
}

static int
scen_c2_ipv6(struct pcapgen *g, const struct pcapgen_opts *o)
{
	return one_c2(g, o, "2001:db8::bad");
}

static int
scen_vlan(struct pcapgen *g, const struct pcapgen_opts *o)
{
	g->vlan = 20;
	return one_c2(g, o, MSPY_IP_A);
}

static int
scen_c2_repeat(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host c2;
	struct lan l;
	int i, rc = 0;

	if (scen_c2(&c2, o, MSPY_IP_A) != 0)
		return -1;
	lan_init(g, &l);
	for (i = 0; i < 5; i++) {
		if (i > 0)
			pcapgen_advance(g, 600 * SEC - (g->now_us % SEC));
		rc |= c2_session(g, &l, c2.family == 6 ? &l.phone6 : &l.phone,
		    &c2);
	}
	return rc;
}

static int
scen_udp_c2(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host c2;
	struct lan l;
	uint16_t port;
	int i, rc = 0;

	if (scen_c2(&c2, o, MSPY_IP_A) != 0 || c2.family != 4)
		return -1;
	lan_init(g, &l);
	port = lan_port(g, &l);
	/* Port 8443: opaque datagrams that no dissector takes for QUIC. */
	for (i = 0; i < 3; i++) {
		rc |= pcapgen_udp(g, &l.phone, port, &c2, 8443, NULL,
		    pcapgen_rand_range(g, 90, 160));
		pcapgen_advance(g, pcapgen_rand_range(g, 25000, 45000));
		rc |= pcapgen_udp(g, &c2, 8443, &l.phone, port, NULL,
		    pcapgen_rand_range(g, 40, 90));
		pcapgen_advance(g, 2 * SEC);
	}
	return rc;
}

/*
 * bench: count packets of a busy network: BENCH_CONNS connections in
 * flight at once, each a handshake, a request, a response of 1 to 40
 * segments and a FIN teardown, emitted one packet at a time in random
 * interleaving; DNS exchanges in between; about 3% of connections to an
 * mSpy address.
 */
#define BENCH_CONNS	4096
#define BENCH_CLIENTS	1000
#define BENCH_SERVERS	20000

struct bench_conn {
	struct pcapgen_tcp c;
	int step;		/* next packet: see bench_step */
	uint32_t req;		/* request bytes */
	uint32_t resp;		/* response bytes left */
	int unacked;		/* response segments not yet ACKed */
};

static void
bench_host(struct pcapgen_host *h, int client, uint32_t i)
{
	memset(h, 0, sizeof(*h));
	h->family = 4;
	if (client) {
		/* 192.168.0.0/16 less .0 and .1 in each /24 */
		h->addr[0] = 192;
		h->addr[1] = 168;
		h->addr[2] = (uint8_t)(i / 250);
		h->addr[3] = (uint8_t)(2 + i % 250);
		h->mac[0] = 0x02;	/* locally administered */
		h->mac[4] = (uint8_t)(i >> 8);
		h->mac[5] = (uint8_t)i;
	} else {
		/* 198.18.0.0/15, RFC 2544's benchmarking range */
		h->addr[0] = 198;
		h->addr[1] = (uint8_t)(18 + (i >> 16 & 1));
		h->addr[2] = (uint8_t)(i >> 8);
		h->addr[3] = (uint8_t)i;
		memcpy(h->mac, "\xc4\xad\x34\x12\x0e\x01", 6);
	}
}

static void
bench_new(struct pcapgen *g, struct bench_conn *b, uint16_t port,
    const struct pcapgen_host *mspy)
{
	struct pcapgen_host cli, srv;
	uint32_t r;

	bench_host(&cli, 1, pcapgen_rand_range(g, 0, BENCH_CLIENTS - 1));
	if (pcapgen_rand_range(g, 0, 99) < 3)
		srv = *mspy;
	else
		bench_host(&srv, 0, pcapgen_rand_range(g, 1,
		    BENCH_SERVERS));
	pcapgen_tcp_init(g, &b->c, &cli, port, &srv, 443);
	b->step = 0;
	b->req = pcapgen_rand_range(g, 80, 1400);
	r = pcapgen_rand_range(g, 0, 99);
	if (r < 40)
		b->resp = pcapgen_rand_range(g, 40, 1460);
	else if (r < 80)
		b->resp = pcapgen_rand_range(g, 1461, 14600);
	else
		b->resp = pcapgen_rand_range(g, 14601, 58400);
	b->unacked = 0;
}

/* Emit b's next packet; returns 1 when the connection is over. */
static int
bench_step(struct pcapgen *g, struct bench_conn *b, int *rc)
{
	struct pcapgen_tcp *c = &b->c;
	uint32_t n;

	switch (b->step++) {
	case 0:
		*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S, PCAPGEN_SYN,
		    NULL, 0);
		return 0;
	case 1:
		*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_S2C,
		    PCAPGEN_SYN | PCAPGEN_ACK, NULL, 0);
		return 0;
	case 2:
		*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S, PCAPGEN_ACK,
		    NULL, 0);
		return 0;
	case 3:
		*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S,
		    PCAPGEN_ACK | PCAPGEN_PSH, NULL, b->req);
		return 0;
	case 4:
		/* Response: stay on this step until it is all sent, the
		 * client ACKing every second segment. */
		if (b->unacked >= 2) {
			*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S,
			    PCAPGEN_ACK, NULL, 0);
			b->unacked = 0;
		} else {
			n = b->resp > c->mss ? c->mss : b->resp;
			b->resp -= n;
			*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_S2C,
			    PCAPGEN_ACK | (b->resp == 0 ? PCAPGEN_PSH : 0),
			    NULL, n);
			b->unacked++;
		}
		if (b->resp > 0 || b->unacked >= 2)
			b->step = 4;
		return 0;
	case 5:
		*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S,
		    PCAPGEN_FIN | PCAPGEN_ACK, NULL, 0);
		return 0;
	case 6:
		*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_S2C,
		    PCAPGEN_FIN | PCAPGEN_ACK, NULL, 0);
		return 0;
	default:
		*rc |= pcapgen_tcp_segment(g, c, PCAPGEN_C2S, PCAPGEN_ACK,
		    NULL, 0);
		return 1;
	}
}

static int
scen_bench(struct pcapgen *g, const struct pcapgen_opts *o)
{
	static const char *names[] = {
		"www.example.com", "cdn.example.net", "api.example.org",
		"mail.example.com", "static.example.net", "img.example.org",
		"login.example.com", "updates.example.net"
	};
	unsigned long want = o->count != 0 ? o->count : 3000000;
	struct bench_conn *conns;
	struct pcapgen_host mspy, resolver, cli, srv;
	uint16_t port = 32768;
	int rc = 0;
	uint32_t i;

	if (scen_c2(&mspy, o, MSPY_IP_A) != 0 || mspy.family != 4)
		return -1;
	if ((conns = calloc(BENCH_CONNS, sizeof(*conns))) == NULL)
		return -1;
	bench_host(&resolver, 1, 0);
	resolver.addr[3] = 1;
	memcpy(resolver.mac, "\xc4\xad\x34\x12\x0e\x01", 6);
	for (i = 0; i < BENCH_CONNS; i++) {
		bench_new(g, &conns[i], port, &mspy);
		port = (uint16_t)(port == 60999 ? 32768 : port + 1);
	}
	while (g->packets < want && rc == 0) {
		pcapgen_advance(g, pcapgen_rand_range(g, 0, 20));
		if (pcapgen_rand_range(g, 0, 99) < 2) {
			uint8_t msg[512];
			uint16_t id = (uint16_t)pcapgen_rand(g);
			const char *nm = names[pcapgen_rand_range(g, 0, 7)];
			size_t n;

			bench_host(&cli, 1, pcapgen_rand_range(g, 0,
			    BENCH_CLIENTS - 1));
			bench_host(&srv, 0, pcapgen_rand_range(g, 1,
			    BENCH_SERVERS));
			n = pcapgen_dns_query(msg, sizeof(msg), id, nm, 1);
			rc |= pcapgen_udp(g, &cli, port, &resolver, 53, msg,
			    n);
			n = pcapgen_dns_response(msg, sizeof(msg), id, nm, 1,
			    srv.addr, 1, 300);
			rc |= pcapgen_udp(g, &resolver, 53, &cli, port, msg,
			    n);
			port = (uint16_t)(port == 60999 ? 32768 : port + 1);
			continue;
		}
		i = pcapgen_rand_range(g, 0, BENCH_CONNS - 1);
		if (bench_step(g, &conns[i], &rc)) {
			bench_new(g, &conns[i], port, &mspy);
			port = (uint16_t)(port == 60999 ? 32768 : port + 1);
		}
	}
	free(conns);
	return rc;
}

/*
 * bench-conns: the flow table under load: --count connections (default
 * 1,000,000) open at once, in the fewest bytes: every client's SYN
 * first, then every server's SYN-ACK, nothing else (164 bytes of file a
 * connection).  All SYNs fall within BENCH_CONNS_SPAN network seconds,
 * since a SYN left unanswered ends after the sensor's 5 s attempt delay
 * (SW_TCP_CLOSE_DELAY); once answered, a connection idles out only after
 * SW_TCP_TIMEOUT (300 s), long after the last packet.  Tuples are
 * distinct: BENCH_CLIENTS clients times ports from 1024 up, servers in
 * 198.18.0.0/15 on port 443.
 */
#define BENCH_CONNS_SPAN	2	/* seconds of SYNs, then of SYN-ACKs */
#define BENCH_CONNS_MAX		(BENCH_CLIENTS * 64512UL)

/* Connection i of the scenario, rebuilt the same for both of its packets
 * (no per-connection state is kept: a million of them would be 80 MB). */
static void
bench_conns_tcp(struct pcapgen *g, struct pcapgen_tcp *c, uint32_t i)
{
	struct pcapgen_host cli, srv;

	bench_host(&cli, 1, i % BENCH_CLIENTS);
	bench_host(&srv, 0, 1 + (uint32_t)((i * 7919ULL) % BENCH_SERVERS));
	pcapgen_tcp_init(g, c, &cli, (uint16_t)(1024 + i / BENCH_CLIENTS), &srv,
	    443);
	/* ISNs from i, not the PRNG, so that the second pass agrees. */
	c->seq[PCAPGEN_C2S] = i * 2654435761u;
	c->seq[PCAPGEN_S2C] = ~i * 2246822519u;
}

static int
scen_bench_conns(struct pcapgen *g, const struct pcapgen_opts *o)
{
	unsigned long n = o->count != 0 ? o->count : 1000000;
	uint64_t start = g->now_us, span = BENCH_CONNS_SPAN * SEC;
	struct pcapgen_tcp c;
	uint32_t i;
	int rc = 0;

	if (n > BENCH_CONNS_MAX)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		g->now_us = start + span * i / n;
		bench_conns_tcp(g, &c, i);
		rc |= pcapgen_tcp_segment(g, &c, PCAPGEN_C2S, PCAPGEN_SYN, NULL,
		    0);
	}
	start += span;
	for (i = 0; i < n && rc == 0; i++) {
		g->now_us = start + span * i / n;
		bench_conns_tcp(g, &c, i);
		c.seq[PCAPGEN_C2S]++;		/* the SYN's */
		rc |= pcapgen_tcp_segment(g, &c, PCAPGEN_S2C,
		    PCAPGEN_SYN | PCAPGEN_ACK, NULL, 0);
	}
	return rc ? -1 : 0;
}

/*
 * A response whose answer goes through one CNAME: name -> cname -> addr
 * (IPv4), as CDNs and C2 fronting answer.
 */
static size_t
dns_response_cname(uint8_t *buf, size_t cap, uint16_t id, const char *name,
    const char *cname, const uint8_t addr[4], uint32_t ttl)
{
	struct wr w = { buf, cap, 0, 0 };
	size_t target;

	dns_header(&w, id, 0x8180, 2);
	dns_name(&w, name);
	wr_be16(&w, 1);
	wr_be16(&w, 1);
	wr_be16(&w, 0xc00c);		/* the question name */
	wr_be16(&w, 5);			/* CNAME */
	wr_be16(&w, 1);
	wr_be32(&w, ttl);
	wr_be16(&w, (uint16_t)(strlen(cname) + 2));
	target = w.off;
	dns_name(&w, cname);
	wr_be16(&w, (uint16_t)(0xc000 | target));
	wr_be16(&w, 1);			/* A */
	wr_be16(&w, 1);
	wr_be32(&w, ttl);
	wr_be16(&w, 4);
	wr_bytes(&w, addr, 4);
	return w.err ? 0 : w.off;
}

/* A lookup of name answered through cname, from cli to the router. */
static int
dns_cname_exchange(struct pcapgen *g, struct lan *l,
    const struct pcapgen_host *cli, const char *name, const char *cname,
    const uint8_t addr[4])
{
	uint8_t msg[512];
	uint16_t id = (uint16_t)pcapgen_rand(g);
	uint16_t port = lan_port(g, l);
	size_t n;
	int rc;

	if ((n = pcapgen_dns_query(msg, sizeof(msg), id, name, 1)) == 0)
		return -1;
	rc = pcapgen_udp(g, cli, port, &l->router, 53, msg, n);
	pcapgen_advance(g, pcapgen_rand_range(g, 2000, 25000));
	if ((n = dns_response_cname(msg, sizeof(msg), id, name, cname, addr,
	    300)) == 0)
		return -1;
	rc |= pcapgen_udp(g, &l->router, 53, cli, port, msg, n);
	pcapgen_advance(g, pcapgen_rand_range(g, 100, 2000));
	return rc ? -1 : 0;
}

/* Resolve name to ip (unless ip is NULL), then HTTPS to ip with sni. */
static int
names_visit(struct pcapgen *g, struct lan *l, const struct pcapgen_host *cli,
    const char *name, const char *ip, const char *sni)
{
	struct pcapgen_host srv;
	struct pcapgen_tcp c;
	uint8_t a[4];
	int rc = 0;

	if (remote(&srv, ip) != 0)
		return -1;
	memcpy(a, srv.addr, 4);
	if (name != NULL)
		rc |= pcapgen_dns_exchange(g, cli, &l->router, name, 1, a, 1,
		    300);
	pcapgen_advance(g, pcapgen_rand_range(g, 5000, 50000));
	pcapgen_tcp_init(g, &c, cli, lan_port(g, l), &srv, 443);
	c.rtt_us = pcapgen_rand_range(g, 20000, 40000);
	rc |= pcapgen_https(g, &c, sni, pcapgen_rand_range(g, 2500, 4000),
	    pcapgen_rand_range(g, 300, 700), pcapgen_rand_range(g, 200, 400));
	pcapgen_advance(g, 30 * SEC);
	return rc ? -1 : 0;
}

/*
 * Names on the wire (mSpy C2 domains from the Echap list): each case a
 * minute apart.  Must fire: the phone resolves a.thd.cc and connects to
 * the answer without SNI; connects with SNI api.thd.cc to an address it
 * never resolved; resolves and connects to mtechn.zendesk.com (a C2 host
 * on a shared platform); resolves cdn.example.net, answered through a
 * CNAME to bi.thd.cc.  Must not fire: the laptop visits
 * other.zendesk.com (a sibling on the same platform address), looks up
 * evilthd.cc (not a subdomain), and visits www.mspy.com (the vendor's
 * website: only with --vendor-sites).
 */
static int
scen_names(struct pcapgen *g, const struct pcapgen_opts *o)
{
	static const uint8_t cname_ip[4] = { 198, 51, 100, 78 };
	struct pcapgen_host srv;
	struct lan l;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	rc |= names_visit(g, &l, &l.phone, "a.thd.cc", "198.51.100.77", NULL);
	rc |= names_visit(g, &l, &l.phone, NULL, "203.0.113.99", "api.thd.cc");
	rc |= names_visit(g, &l, &l.phone, "mtechn.zendesk.com",
	    "192.0.2.55", "mtechn.zendesk.com");
	rc |= names_visit(g, &l, &l.laptop, "other.zendesk.com",
	    "192.0.2.55", "other.zendesk.com");
	rc |= dns_cname_exchange(g, &l, &l.phone, "cdn.example.net",
	    "bi.thd.cc", cname_ip);
	rc |= names_visit(g, &l, &l.laptop, "evilthd.cc", "203.0.113.66",
	    "evilthd.cc");
	rc |= names_visit(g, &l, &l.laptop, "www.mspy.com", "192.0.2.90",
	    "www.mspy.com");
	(void)srv;
	return rc ? -1 : 0;
}

/*
 * Held reassembly slots (issue 13): connections that each send the start
 * of a ClientHello (a record header announcing 4000 bytes, 100 sent) and
 * never the rest, resent every 290 s so that neither the flow nor its
 * slot times out, 576 in all, more than the sensor has TLS reassembly
 * slots (SW_REASM_SLOTS, 512): 128 from one host, 192.168.1.66, each
 * after a whole handshake (past its budget of 64 slots), and 448
 * "one-packet" connections (no handshake) from spoofed sources
 * 10.66.x.y, which fill the rest.  Ten minutes in, the phone connects with
 * SNI api.thd.cc (an mSpy C2 name, at an address never resolved and on no
 * list) and its ClientHello comes in two segments, the server_name in the
 * second (TCP stacks and DPI-evasion tools split hellos; Chrome permutes
 * extensions, so the SNI of a 1.8 KB post-quantum hello lands either
 * side of the MSS).  Must fire: the C2 notice for the SNI.
 */
#define HOLD_ONE_HOST 128
#define HOLD_SPOOFED  448
#define HOLD_RESEND   (290 * SEC)
#define HOLD_SPLIT \
	100 /* the hello's first segment, bytes: the
				 * server_name starts at byte 112 */

static int
scen_reasm_hold(struct pcapgen *g, const struct pcapgen_opts *o)
{
	static struct pcapgen_tcp c[HOLD_ONE_HOST + HOLD_SPOOFED];
	struct pcapgen_host atk, srv, victim_srv;
	struct pcapgen_tcp v;
	struct lan l;
	uint8_t hello[4096];
	char ip[32];
	uint64_t start = g->now_us;
	size_t n, i, round;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	if (pcapgen_host(&atk, "192.168.1.66", "02:00:5e:66:00:01") != 0 ||
	    remote(&srv, "198.51.100.210") != 0 ||
	    remote(&victim_srv, "203.0.113.99") != 0)
		return -1;
	/* the start of a hello that announces more than it ever sends */
	if ((n = pcapgen_tls_client_hello(g, hello, sizeof(hello),
		 "cdn.example.org")) < HOLD_SPLIT)
		return -1;
	hello[3] = 4000 >> 8;
	hello[4] = 4000 & 0xff;
	hello[6] = 0;
	hello[7] = (4000 - 4) >> 8;
	hello[8] = (4000 - 4) & 0xff;
	for (i = 0; i < HOLD_ONE_HOST + HOLD_SPOOFED; i++) {
		if (i < HOLD_ONE_HOST) {
			pcapgen_tcp_init(g, &c[i], &atk, lan_port(g, &l), &srv,
			    443);
			c[i].rtt_us = 2000;
			rc |= pcapgen_tcp_connect(g, &c[i]);
		} else {
			snprintf(ip, sizeof(ip), "10.66.%zu.%zu",
			    1 + (i - HOLD_ONE_HOST) / 200,
			    1 + (i - HOLD_ONE_HOST) % 200);
			if (pcapgen_host(&atk, ip, "02:00:5e:66:00:01") != 0)
				return -1;
			pcapgen_tcp_init(g, &c[i], &atk, 40000, &srv, 443);
		}
		rc |= pcapgen_tcp_segment(g, &c[i], PCAPGEN_C2S,
		    PCAPGEN_PSH | PCAPGEN_ACK, hello, HOLD_SPLIT);
		pcapgen_advance(g, 500);
	}
	/* the same segment again, before the 5-minute TCP timeout */
	for (round = 1; round <= 2; round++) {
		if (g->now_us < start + round * HOLD_RESEND)
			g->now_us = start + round * HOLD_RESEND;
		for (i = 0; i < HOLD_ONE_HOST + HOLD_SPOOFED; i++) {
			c[i].seq[PCAPGEN_C2S] -= HOLD_SPLIT;
			rc |= pcapgen_tcp_segment(g, &c[i], PCAPGEN_C2S,
			    PCAPGEN_PSH | PCAPGEN_ACK, hello, HOLD_SPLIT);
			pcapgen_advance(g, 500);
		}
	}
	/* the phone: a real hello, in two segments 200 us apart */
	g->now_us = start + 600 * SEC;
	if ((n = pcapgen_tls_client_hello(g, hello, sizeof(hello),
		 "api.thd.cc")) <= HOLD_SPLIT)
		return -1;
	pcapgen_tcp_init(g, &v, &l.phone, lan_port(g, &l), &victim_srv, 443);
	rc |= pcapgen_tcp_connect(g, &v);
	pcapgen_advance(g, 300);
	rc |= pcapgen_tcp_segment(g, &v, PCAPGEN_C2S, PCAPGEN_ACK, hello,
	    HOLD_SPLIT);
	pcapgen_advance(g, 200);
	rc |= pcapgen_tcp_segment(g, &v, PCAPGEN_C2S, PCAPGEN_PSH | PCAPGEN_ACK,
	    hello + HOLD_SPLIT, n - HOLD_SPLIT);
	n = pcapgen_tls_server_flight(g, hello, sizeof(hello), 1500);
	rc |= pcapgen_tcp_send(g, &v, PCAPGEN_S2C, hello, n);
	rc |= pcapgen_tls_data(g, &v, PCAPGEN_C2S, 400);
	rc |= pcapgen_tls_data(g, &v, PCAPGEN_S2C, 300);
	rc |= pcapgen_tcp_close(g, &v, PCAPGEN_C2S);
	return rc ? -1 : 0;
}

/*
 * The per-role policy of intel.h on the bundled Echap lists, one case a
 * device (192.168.1.101 on) so neither suppression nor the survivor
 * verdict joins two cases; each a lookup answered with a documentation
 * address, then HTTPS with SNI = the name.  Expected, by the policy:
 *   spy2mobile.com, www.spy2mobile.com   website and C2 of Trackplus: the
 *                                        website (--vendor-sites only)
 *   uploads.spy2mobile.com,              unlisted names under it: C2 of
 *   x.spy2mobile.com                     Trackplus
 *   mspyonline.com                       website and C2 of mSpy: website
 *   a18.dav.mspyonline.com               under it: C2 of mSpy
 *   1ca43.appspot.com                    TheTruthSpy C2 on a shared
 *                                        platform: C2 (lookup and SNI;
 *                                        its address is not tainted)
 *   other.appspot.com,                   a sibling and a name under it,
 *   x.1ca43.appspot.com                  same address: nothing
 *   mycloud.wisemo.com                   WiseMo C2 in both files:
 *                                        stalkerware C2
 *   mycloud-cs10.wisemo.com              WiseMo C2 in watchware.yaml
 *                                        only: watchware
 *   data-api.famisafe.com                FamiSafe (watchware only) C2:
 *                                        watchware
 *   app.fonetracker.com                  TheTruthSpy distribution (under
 *                                        its website): distribution
 */
static int
scen_policy(struct pcapgen *g, const struct pcapgen_opts *o)
{
	static const struct {
		const char *name, *ip;
	} cases[] = {
		{ "spy2mobile.com", "198.51.100.41" },
		{ "www.spy2mobile.com", "198.51.100.41" },
		{ "uploads.spy2mobile.com", "198.51.100.42" },
		{ "x.spy2mobile.com", "198.51.100.43" },
		{ "mspyonline.com", "203.0.113.51" },
		{ "a18.dav.mspyonline.com", "203.0.113.52" },
		{ "1ca43.appspot.com", "192.0.2.61" },
		{ "other.appspot.com", "192.0.2.61" },
		{ "x.1ca43.appspot.com", "192.0.2.61" },
		{ "mycloud.wisemo.com", "198.51.100.71" },
		{ "mycloud-cs10.wisemo.com", "198.51.100.72" },
		{ "data-api.famisafe.com", "203.0.113.81" },
		{ "app.fonetracker.com", "192.0.2.91" },
	};
	struct pcapgen_host dev;
	struct lan l;
	char ip[32], mac[32];
	size_t i;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(ip, sizeof(ip), "192.168.1.%zu", 101 + i);
		snprintf(mac, sizeof(mac), "8c:f5:a3:4e:28:%02zx", 0x10 + i);
		if (pcapgen_host(&dev, ip, mac) != 0)
			return -1;
		rc |= names_visit(g, &l, &dev, cases[i].name, cases[i].ip,
		    cases[i].name);
	}
	return rc ? -1 : 0;
}

/* --- beacon scenarios (tests/eval.sh) ---------------------------------------
 * Labelled samples of the beacon evaluation's families, end to end: must
 * fire once per beacon, never on the allowlisted or background ones. */

/* One HTTPS visit from cli to name at ip: DNS then a short session. */
static int
beacon_visit(struct pcapgen *g, struct lan *l, const struct pcapgen_host *cli,
    const char *name, const char *ip, size_t up, size_t down)
{
	struct pcapgen_host srv;
	struct pcapgen_tcp c;
	int rc = 0;

	if (remote(&srv, ip) != 0)
		return -1;
	rc |= pcapgen_dns_exchange(g, cli, &l->router, name, 1, srv.addr, 1,
	    300);
	pcapgen_advance(g, pcapgen_rand_range(g, 5000, 50000));
	pcapgen_tcp_init(g, &c, cli, lan_port(g, l), &srv, 443);
	c.rtt_us = pcapgen_rand_range(g, 20000, 60000);
	rc |= pcapgen_https(g, &c, name, pcapgen_rand_range(g, 2500, 4000),
	    up, down);
	return rc ? -1 : 0;
}

/* Advance the clock to absolute network time t_us (no-op if past). */
static void
beacon_until(struct pcapgen *g, uint64_t t_us)
{
	if (t_us > g->now_us)
		pcapgen_advance(g, t_us - g->now_us);
}

/*
 * 2 h: the phone opens a new TLS connection (SNI sync.tele-metrics.example,
 * on no list) every 5 to 10 minutes, a small POST each; the laptop browses
 * between beats.
 */
static int
scen_beacon_tls(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct lan l;
	uint64_t start = g->now_us, next;
	char name[64];
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	next = start + 30 * SEC;
	while (next < start + 7200 * SEC) {
		/* Some browsing by the laptop before the beat. */
		while (g->now_us + 120 * SEC < next) {
			snprintf(name, sizeof(name), "www%u.example.org",
			    pcapgen_rand_range(g, 1, 400));
			rc |= beacon_visit(g, &l, &l.laptop, name,
			    "203.0.113.80", pcapgen_rand_range(g, 400, 1200),
			    pcapgen_rand_range(g, 2000, 30000));
			pcapgen_advance(g, pcapgen_rand_range(g, 20, 200) *
			    SEC);
		}
		beacon_until(g, next);
		rc |= beacon_visit(g, &l, &l.phone, "sync.tele-metrics.example",
		    "198.51.100.140", pcapgen_rand_range(g, 350, 650),
		    pcapgen_rand_range(g, 150, 300));
		next += pcapgen_rand_range(g, 300, 600) * SEC;
	}
	return rc ? -1 : 0;
}

/*
 * 1 h: the phone keeps one TLS connection to an unknown host
 * (push.tele-metrics.example) and sends a small request every 60 to 120 s
 * inside it: a kept-alive beacon, as Caldera's sandcat agent does over
 * HTTP.
 */
static int
scen_beacon_keepalive(struct pcapgen *g, const struct pcapgen_opts *o)
{
	uint8_t buf[4096];
	struct pcapgen_host srv;
	struct pcapgen_tcp c;
	struct lan l;
	uint64_t end = g->now_us + 3600 * SEC;
	size_t n;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	if (remote(&srv, "198.51.100.141") != 0)
		return -1;
	rc |= pcapgen_dns_exchange(g, &l.phone, &l.router,
	    "push.tele-metrics.example", 1, srv.addr, 1, 300);
	pcapgen_tcp_init(g, &c, &l.phone, lan_port(g, &l), &srv, 443);
	rc |= pcapgen_tcp_connect(g, &c);
	if ((n = pcapgen_tls_client_hello(g, buf, sizeof(buf),
	    "push.tele-metrics.example")) == 0)
		return -1;
	rc |= pcapgen_tcp_send(g, &c, PCAPGEN_C2S, buf, n);
	if ((n = pcapgen_tls_server_flight(g, buf, sizeof(buf), 3000)) == 0)
		return -1;
	rc |= pcapgen_tcp_send(g, &c, PCAPGEN_S2C, buf, n);
	while (g->now_us + 120 * SEC < end) {
		pcapgen_advance(g, pcapgen_rand_range(g, 60, 120) * SEC);
		n = pcapgen_tls_app_data(g, buf, sizeof(buf),
		    pcapgen_rand_range(g, 250, 450));
		rc |= pcapgen_tcp_send(g, &c, PCAPGEN_C2S, buf, n);
		n = pcapgen_tls_app_data(g, buf, sizeof(buf),
		    pcapgen_rand_range(g, 100, 200));
		rc |= pcapgen_tcp_send(g, &c, PCAPGEN_S2C, buf, n);
	}
	rc |= pcapgen_tcp_close(g, &c, PCAPGEN_C2S);
	return rc ? -1 : 0;
}

/*
 * 2 h of a home LAN's discovery and local polling from the laptop, all of
 * it periodic and small: Spotify Connect (UDP 57621) and Dropbox LAN sync
 * (UDP 17500) to the subnet's broadcast address every 30 s, NetBIOS name
 * queries (UDP 137) to it every 60 s, SSDP M-SEARCH to 239.255.255.250
 * every 90-110 s, and a printer status poll (IPP, TCP 631) to another
 * home host every 60 s.  Must not fire: broadcast and multicast are no
 * servers, and a device talking to another at home is no C2 (unless
 * --beacon-lan, where the printer poll does fire).
 */
static int
scen_beacon_lan(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host bcast, ssdp, printer;
	struct pcapgen_tcp c;
	struct lan l;
	uint64_t start = g->now_us, t, next_ssdp, next_nb, next_ipp;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	if (pcapgen_host(&bcast, "192.168.1.255", "ff:ff:ff:ff:ff:ff") != 0 ||
	    pcapgen_host(&ssdp, "239.255.255.250", "01:00:5e:7f:ff:fa") != 0 ||
	    pcapgen_host(&printer, "192.168.1.50", "00:1b:a9:33:21:07") != 0)
		return -1;
	next_ssdp = start + 5 * SEC;
	next_nb = start + 12 * SEC;
	next_ipp = start + 20 * SEC;
	for (t = start + 1 * SEC; t < start + 7200 * SEC; t += 30 * SEC) {
		beacon_until(g, t);
		rc |= pcapgen_udp(g, &l.laptop, 57621, &bcast, 57621, NULL, 44);
		pcapgen_advance(g, 2000);
		rc |= pcapgen_udp(g, &l.laptop, 17500, &bcast, 17500, NULL,
		    pcapgen_rand_range(g, 140, 160));
		if (g->now_us >= next_nb) {
			rc |= pcapgen_udp(g, &l.laptop, 137, &bcast, 137, NULL,
			    50);
			next_nb += 60 * SEC;
		}
		if (g->now_us >= next_ssdp) {
			rc |= pcapgen_udp(g, &l.laptop, lan_port(g, &l), &ssdp,
			    1900, NULL, 125);
			next_ssdp += pcapgen_rand_range(g, 90, 110) * SEC;
		}
		if (g->now_us >= next_ipp) {
			pcapgen_tcp_init(g, &c, &l.laptop, lan_port(g, &l),
			    &printer, 631);
			c.rtt_us = 1500;
			rc |= pcapgen_tcp_connect(g, &c);
			rc |= pcapgen_tcp_send(g, &c, PCAPGEN_C2S, NULL,
			    pcapgen_rand_range(g, 180, 220));
			rc |= pcapgen_tcp_send(g, &c, PCAPGEN_S2C, NULL,
			    pcapgen_rand_range(g, 600, 700));
			rc |= pcapgen_tcp_close(g, &c, PCAPGEN_C2S);
			next_ipp += 60 * SEC;
		}
	}
	return rc ? -1 : 0;
}

/*
 * 2 h of allowlisted periodic services from the phone: a TLS connection to
 * mtalk.google.com every 10 min (+-2%), NTP to time.android.com every
 * 64 s doubling to 1024 s, captive-portal probes to
 * connectivitycheck.gstatic.com at random.  Must not fire (known-good).
 */
static int
scen_beacon_allow(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host ntp;
	struct lan l;
	uint64_t start = g->now_us, push, tntp, probe, ntp_p = 64;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	if (remote(&ntp, "216.239.35.0") != 0)
		return -1;
	push = start + 10 * SEC;
	tntp = start + 5 * SEC;
	probe = start + 60 * SEC;
	while (g->now_us < start + 7200 * SEC) {
		if (push <= tntp && push <= probe) {
			beacon_until(g, push);
			rc |= beacon_visit(g, &l, &l.phone, "mtalk.google.com",
			    "142.250.27.188", pcapgen_rand_range(g, 80, 120),
			    pcapgen_rand_range(g, 40, 80));
			push += pcapgen_rand_range(g, 588, 612) * SEC;
		} else if (tntp <= probe) {
			beacon_until(g, tntp);
			rc |= pcapgen_udp(g, &l.phone, lan_port(g, &l), &ntp,
			    123, NULL, 48);
			pcapgen_advance(g, 30000);
			rc |= pcapgen_udp(g, &ntp, 123, &l.phone, l.port, NULL,
			    48);
			tntp += ntp_p * SEC;
			if (ntp_p < 1024)
				ntp_p *= 2;
		} else {
			beacon_until(g, probe);
			rc |= beacon_visit(g, &l, &l.phone,
			    "connectivitycheck.gstatic.com", "142.250.180.3",
			    pcapgen_rand_range(g, 300, 400), 0);
			probe += pcapgen_rand_range(g, 300, 3600) * SEC;
		}
	}
	return rc ? -1 : 0;
}

/*
 * 2 h of a phone's ordinary browsing and messaging: sessions over many
 * destinations with heavy-tailed think times, chat messages in bursts.
 * Must not fire.
 */
static int
scen_beacon_background(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct lan l;
	uint64_t end = g->now_us + 7200 * SEC;
	char name[64];
	uint32_t k, burst;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	while (g->now_us < end) {
		/* Zipf-ish: small numbers come back often. */
		k = pcapgen_rand_range(g, 1, 40);
		k = pcapgen_rand_range(g, 1, k * k);
		snprintf(name, sizeof(name), "site%u.example.com", k);
		rc |= beacon_visit(g, &l, &l.phone, name, "203.0.113.90",
		    pcapgen_rand_range(g, 400, 1500),
		    pcapgen_rand_range(g, 1000, 60000));
		if (pcapgen_rand_range(g, 0, 9) == 0)
			for (burst = pcapgen_rand_range(g, 2, 12); burst > 0;
			    burst--) {
				rc |= beacon_visit(g, &l, &l.phone,
				    "chat.example.org", "192.0.2.44",
				    pcapgen_rand_range(g, 200, 900),
				    pcapgen_rand_range(g, 200, 900));
				pcapgen_advance(g, pcapgen_rand_range(g, 3,
				    90) * SEC);
			}
		/* Think time: mostly seconds, sometimes many minutes. */
		k = pcapgen_rand_range(g, 0, 99);
		pcapgen_advance(g, (k < 70 ? pcapgen_rand_range(g, 5, 60) :
		    k < 95 ? pcapgen_rand_range(g, 60, 600) :
		    pcapgen_rand_range(g, 600, 2400)) * SEC);
	}
	return rc ? -1 : 0;
}

/*
 * 2 h: the phone uploads to api.thd.cc (an mSpy C2 name, resolved first)
 * every 5-10 minutes: C2 names and beaconing from one device, the two
 * kinds of evidence that make the survivor-risk verdict.
 */
static int
scen_survivor(struct pcapgen *g, const struct pcapgen_opts *o)
{
	static const uint8_t ip[4] = { 198, 51, 100, 150 };
	struct lan l;
	uint64_t start = g->now_us, next;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	rc |= pcapgen_dns_exchange(g, &l.phone, &l.router, "api.thd.cc", 1,
	    ip, 1, 3600);
	next = start + 30 * SEC;
	while (next < start + 7200 * SEC) {
		beacon_until(g, next);
		rc |= beacon_visit(g, &l, &l.phone, "api.thd.cc",
		    "198.51.100.150", pcapgen_rand_range(g, 350, 650),
		    pcapgen_rand_range(g, 150, 300));
		next += pcapgen_rand_range(g, 300, 600) * SEC;
	}
	return rc ? -1 : 0;
}

/*
 * Phones that hold push connections for days (issue 10's backgrounds).
 * Each device of --count (default 100) over --days (default 10):
 *   Android: one TLS connection to mtalk.google.com:5228 (FCM; a few
 *     on 5222, the older channel) with a heartbeat every 28 min +-2;
 *   iPhone: one to N-courier.push.apple.com:5223 (APNs), a heartbeat
 *     every 15 to 30 min;
 *   both: now and then a push message from the server (mean 3 h), and a
 *     new connection every 4 to 24 h (a DNS lookup, a handshake with the
 *     name, the old one left to die as NAT does); half of them are
 *     already connected when the capture starts, so their first packets
 *     are a heartbeat with no handshake, the server's half the time;
 *   laptops (one device in five): Spotify Connect and Dropbox LAN sync
 *     to the broadcast address every 30 s, mDNS every 60-120 s, SSDP
 *     every 100 s.
 * Every device has a randomised (locally administered) MAC.  Heartbeats
 * outlast the sensor's 5-minute TCP timeout, so each is a new connection
 * entry without a name: must not fire (known-good by name held from the
 * handshake, or by the push ranges and ports).
 */
#define PHONE_FCM    0
#define PHONE_GCM    1 /* the older channel, port 5222 */
#define PHONE_APNS   2
#define PHONE_LAPTOP 3

struct phone {
	struct pcapgen_host h, srv;
	struct pcapgen_tcp c;
	int kind;
	int open;
	uint64_t next_beat, next_push, next_conn, next_disc, next_mdns;
	uint64_t next_ssdp;
};

static void
phone_srv(struct pcapgen *g, struct phone *p)
{
	char ip[32];

	if (p->kind == PHONE_APNS)
		snprintf(ip, sizeof(ip), "17.57.144.%u",
		    pcapgen_rand_range(g, 1, 250));
	else if (p->kind == PHONE_GCM)
		snprintf(ip, sizeof(ip), "74.125.%u.%u",
		    pcapgen_rand_range(g, 0, 255),
		    pcapgen_rand_range(g, 1, 250));
	else
		snprintf(ip, sizeof(ip), "142.250.%u.%u",
		    pcapgen_rand_range(g, 0, 255),
		    pcapgen_rand_range(g, 1, 250));
	(void)remote(&p->srv, ip);
}

static uint64_t
phone_beat_gap(struct pcapgen *g, const struct phone *p)
{
	if (p->kind == PHONE_APNS)
		return (uint64_t)pcapgen_rand_range(g, 900, 1800) * SEC;
	return (uint64_t)pcapgen_rand_range(g, 1560, 1800) * SEC;
}

static const char *
phone_name(const struct phone *p, char *buf, size_t len, uint32_t n)
{
	if (p->kind == PHONE_APNS)
		snprintf(buf, len, "%u-courier.push.apple.com", n % 50 + 1);
	else
		snprintf(buf, len, "mtalk.google.com");
	return buf;
}

/* A new push connection: lookup, handshake with the name, first beat
 * later. */
static int
phone_connect(struct pcapgen *g, struct lan *l, struct phone *p)
{
	char name[64];
	int rc = 0;

	phone_srv(g, p);
	phone_name(p, name, sizeof(name), pcapgen_rand(g));
	rc |= pcapgen_dns_exchange(g, &p->h, &l->router, name, 1, p->srv.addr,
	    1, pcapgen_rand_range(g, 60, 300));
	pcapgen_advance(g, pcapgen_rand_range(g, 5000, 30000));
	pcapgen_tcp_init(g, &p->c, &p->h, lan_port(g, l), &p->srv,
	    p->kind == PHONE_APNS    ? 5223 :
		p->kind == PHONE_GCM ? 5222 :
				       5228);
	p->c.rtt_us = pcapgen_rand_range(g, 15000, 60000);
	rc |= pcapgen_tls_open(g, &p->c, name,
	    pcapgen_rand_range(g, 2500, 4000));
	p->open = 1;
	p->next_beat = g->now_us + phone_beat_gap(g, p);
	p->next_conn = g->now_us +
	    (uint64_t)pcapgen_rand_range(g, 4 * 3600, 24 * 3600) * SEC;
	if (p->next_push == UINT64_MAX)
		p->next_push = g->now_us +
		    (uint64_t)pcapgen_rand_range(g, 600, 21000) * SEC;
	return rc;
}

static int
phone_event(struct pcapgen *g, struct lan *l, struct phone *p,
    struct pcapgen_host *bcast, struct pcapgen_host *mdns,
    struct pcapgen_host *ssdp)
{
	uint64_t t = g->now_us;
	int rc = 0;

	if (p->kind == PHONE_LAPTOP) {
		if (t >= p->next_disc) {
			rc |= pcapgen_udp(g, &p->h, 57621, bcast, 57621, NULL,
			    44);
			rc |= pcapgen_udp(g, &p->h, 17500, bcast, 17500, NULL,
			    pcapgen_rand_range(g, 140, 160));
			p->next_disc = t + 30 * SEC;
		}
		if (t >= p->next_mdns) {
			rc |= pcapgen_udp(g, &p->h, 5353, mdns, 5353, NULL,
			    pcapgen_rand_range(g, 60, 300));
			p->next_mdns = t + pcapgen_rand_range(g, 60, 120) * SEC;
		}
		if (t >= p->next_ssdp) {
			rc |= pcapgen_udp(g, &p->h, lan_port(g, l), ssdp, 1900,
			    NULL, 125);
			p->next_ssdp = t + 100 * SEC;
		}
		return rc;
	}
	if (t >= p->next_conn) {
		/* the old connection dies silently (NAT), a new one */
		return phone_connect(g, l, p);
	}
	if (t >= p->next_push) {
		rc |= pcapgen_tls_data(g, &p->c, PCAPGEN_S2C,
		    pcapgen_rand_range(g, 300, 3000));
		rc |= pcapgen_tls_data(g, &p->c, PCAPGEN_C2S,
		    pcapgen_rand_range(g, 40, 120));
		p->next_push = t +
		    (uint64_t)(pcapgen_rand_range(g, 600, 21000)) * SEC;
		return rc;
	}
	/* a heartbeat: the client pings, the server answers (or, at a
	 * mid-stream start, the first packet may be the server's) */
	if (!p->open && pcapgen_rand_range(g, 0, 1)) {
		rc |= pcapgen_tls_data(g, &p->c, PCAPGEN_S2C,
		    pcapgen_rand_range(g, 30, 60));
		rc |= pcapgen_tls_data(g, &p->c, PCAPGEN_C2S,
		    pcapgen_rand_range(g, 30, 60));
	} else {
		rc |= pcapgen_tls_data(g, &p->c, PCAPGEN_C2S,
		    pcapgen_rand_range(g, 30, 60));
		rc |= pcapgen_tls_data(g, &p->c, PCAPGEN_S2C,
		    pcapgen_rand_range(g, 30, 60));
	}
	p->open = 1;
	p->next_beat = t + phone_beat_gap(g, p);
	return rc;
}

static uint64_t
phone_next(const struct phone *p)
{
	uint64_t t;

	if (p->kind == PHONE_LAPTOP) {
		t = p->next_disc;
		if (p->next_mdns < t)
			t = p->next_mdns;
		return p->next_ssdp < t ? p->next_ssdp : t;
	}
	t = p->next_beat;
	if (p->next_push < t)
		t = p->next_push;
	return p->next_conn < t ? p->next_conn : t;
}

/* A DHCPACK (RFC 2131) from the router giving dev its address in
 * 10.20.0.0/16, with its host name, to the broadcast address. */
static int
phone_dhcp_ack(struct pcapgen *g, const struct lan *l,
    const struct pcapgen_host *dev, const struct pcapgen_host *bcast,
    unsigned long i)
{
	uint8_t b[320];
	size_t n = 240;
	char name[16];
	int k;

	memset(b, 0, sizeof(b));
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	put32(b + 4, pcapgen_rand(g));
	memcpy(b + 16, dev->addr, 4);
	memcpy(b + 28, dev->mac, 6);
	put32(b + 236, 0x63825363u);
	b[n++] = 53;
	b[n++] = 1;
	b[n++] = 5;
	b[n++] = 1; /* subnet mask: /16 */
	b[n++] = 4;
	b[n++] = 255;
	b[n++] = 255;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 3;
	b[n++] = 4;
	memcpy(b + n, l->router.addr, 4);
	n += 4;
	k = snprintf(name, sizeof(name), "phone-%lu", i);
	b[n++] = 12;
	b[n++] = (uint8_t)k;
	memcpy(b + n, name, (size_t)k);
	n += (size_t)k;
	b[n++] = 255;
	return pcapgen_udp(g, &l->router, 67, bcast, 68, b, n);
}

static int
scen_phones(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host bcast, mdns, ssdp, dhcp_bcast;
	struct phone *ph;
	struct lan l;
	unsigned long n = o->count ? o->count : 100;
	unsigned long days = o->days ? o->days : 10;
	uint64_t start = g->now_us, end, t;
	unsigned long i, k;
	char ip[32], mac[32];
	int rc = 0;

	if (n > 60000 || days > 365)
		return -1;
	lan_init(g, &l);
	if (pcapgen_host(&bcast, "10.20.255.255", "ff:ff:ff:ff:ff:ff") != 0 ||
	    pcapgen_host(&mdns, "224.0.0.251", "01:00:5e:00:00:fb") != 0 ||
	    pcapgen_host(&ssdp, "239.255.255.250", "01:00:5e:7f:ff:fa") != 0 ||
	    pcapgen_host(&dhcp_bcast, "255.255.255.255", "ff:ff:ff:ff:ff:ff") !=
		0)
		return -1;
	(void)pcapgen_host(&l.router, "10.20.0.1", MAC_ROUTER);
	if ((ph = calloc(n, sizeof(*ph))) == NULL)
		return -1;
	end = start + days * 86400 * SEC;
	for (i = 0; i < n; i++) {
		struct phone *p = &ph[i];

		snprintf(ip, sizeof(ip), "10.20.%lu.%lu", 1 + i / 250,
		    1 + i % 250);
		/* a randomised MAC: locally administered, unicast */
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		    (pcapgen_rand_range(g, 0, 255) & 0xfc) | 0x02,
		    pcapgen_rand_range(g, 0, 255),
		    pcapgen_rand_range(g, 0, 255),
		    pcapgen_rand_range(g, 0, 255),
		    pcapgen_rand_range(g, 0, 255),
		    pcapgen_rand_range(g, 0, 255));
		(void)pcapgen_host(&p->h, ip, mac);
		rc |= phone_dhcp_ack(g, &l, &p->h, &dhcp_bcast, i);
		k = pcapgen_rand_range(g, 0, 99);
		p->kind = i % 5 == 4 ? PHONE_LAPTOP :
		    k < 45	     ? PHONE_APNS :
		    k < 52	     ? PHONE_GCM :
				       PHONE_FCM;
		if (p->kind == PHONE_LAPTOP) {
			p->next_disc = start +
			    pcapgen_rand_range(g, 0, 30) * SEC;
			p->next_mdns = start +
			    pcapgen_rand_range(g, 0, 120) * SEC;
			p->next_ssdp = start +
			    pcapgen_rand_range(g, 0, 100) * SEC;
			continue;
		}
		p->next_push = start +
		    (uint64_t)pcapgen_rand_range(g, 600, 21000) * SEC;
		if (pcapgen_rand_range(g, 0, 1)) {
			/* connected before the capture: no handshake seen */
			phone_srv(g, p);
			pcapgen_tcp_init(g, &p->c, &p->h, lan_port(g, &l),
			    &p->srv,
			    p->kind == PHONE_APNS    ? 5223 :
				p->kind == PHONE_GCM ? 5222 :
						       5228);
			p->c.rtt_us = pcapgen_rand_range(g, 15000, 60000);
			p->next_beat = start +
			    (uint64_t)pcapgen_rand_range(g, 1, 1800) * SEC;
			p->next_conn = start +
			    (uint64_t)pcapgen_rand_range(g, 3600, 24 * 3600) *
				SEC;
		} else {
			/* nothing to beat or push on before it connects */
			p->next_beat = p->next_push = UINT64_MAX;
			p->next_conn = start +
			    (uint64_t)pcapgen_rand_range(g, 1, 1800) * SEC;
		}
	}
	for (;;) {
		k = 0;
		t = UINT64_MAX;
		for (i = 0; i < n; i++)
			if (phone_next(&ph[i]) < t) {
				t = phone_next(&ph[i]);
				k = i;
			}
		if (t >= end)
			break;
		beacon_until(g, t);
		rc |= phone_event(g, &l, &ph[k], &bcast, &mdns, &ssdp);
		if (rc)
			break;
	}
	free(ph);
	return rc ? -1 : 0;
}

/*
 * 6 h of one Android phone whose push server lies outside the bundled
 * push ranges (198.51.100.7, documentation space): one handshake naming
 * mtalk.google.com, then a heartbeat every 28 min on the same connection,
 * each after the sensor's TCP timeout.  Must not fire with the name held
 * (the known-good name decides); fires with --name-hold 0, where each
 * beat is "198.51.100.7:5228".
 */
static int
scen_push_held(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct lan l;
	struct pcapgen_host srv;
	struct pcapgen_tcp c;
	uint64_t start = g->now_us;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	if (remote(&srv, "198.51.100.7") != 0)
		return -1;
	pcapgen_advance(g, 20 * SEC);
	rc |= pcapgen_dns_exchange(g, &l.phone, &l.router, "mtalk.google.com",
	    1, srv.addr, 1, 300);
	pcapgen_tcp_init(g, &c, &l.phone, lan_port(g, &l), &srv, 5228);
	rc |= pcapgen_tls_open(g, &c, "mtalk.google.com", 3000);
	while (g->now_us < start + 6 * 3600 * SEC) {
		beacon_until(g,
		    g->now_us +
			(uint64_t)pcapgen_rand_range(g, 1650, 1710) * SEC);
		rc |= pcapgen_tls_data(g, &c, PCAPGEN_C2S,
		    pcapgen_rand_range(g, 30, 40));
		rc |= pcapgen_tls_data(g, &c, PCAPGEN_S2C,
		    pcapgen_rand_range(g, 30, 40));
	}
	return rc ? -1 : 0;
}

/*
 * Fast C2 (issue 10): --count devices (default 40), each with a C2 of its
 * own (SNI fastN.c2-relay.example) that it reaches with a new TLS
 * connection every P seconds, P from 2 to 19 by device, jitter 0 to 30%
 * (uniform), small requests, for 30 beats after a first lookup.  Must
 * fire: make eval counts the destinations notified (recall).
 */
struct fastc2 {
	struct pcapgen_host h, srv;
	char name[64];
	double period, jitter;
	uint64_t next;
	int beats;
};

static int
scen_fast_c2(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct fastc2 *d;
	struct pcapgen_tcp c;
	struct lan l;
	unsigned long n = o->count ? o->count : 40, i, k;
	char ip[32];
	uint64_t t;
	double j;
	int rc = 0;

	if (n > 250)
		return -1;
	lan_init(g, &l);
	if ((d = calloc(n, sizeof(*d))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(ip, sizeof(ip), "192.168.1.%lu", 100 + i % 150);
		(void)pcapgen_host(&d[i].h, ip, MAC_PHONE);
		d[i].h.mac[5] = (uint8_t)i;
		snprintf(ip, sizeof(ip), "198.51.100.%lu", 10 + i);
		(void)remote(&d[i].srv, ip);
		snprintf(d[i].name, sizeof(d[i].name),
		    "fast%lu.c2-relay.example", i);
		d[i].period = 2 + (double)(i % 18);
		d[i].jitter = (double)pcapgen_rand_range(g, 0, 30) / 100;
		d[i].next = g->now_us + pcapgen_rand_range(g, 1, 60) * SEC;
	}
	for (;;) {
		t = UINT64_MAX;
		k = 0;
		for (i = 0; i < n; i++)
			if (d[i].beats < 30 && d[i].next < t) {
				t = d[i].next;
				k = i;
			}
		if (t == UINT64_MAX)
			break;
		beacon_until(g, t);
		if (d[k].beats == 0)
			rc |= pcapgen_dns_exchange(g, &d[k].h, &l.router,
			    d[k].name, 1, d[k].srv.addr, 1, 300);
		pcapgen_tcp_init(g, &c, &d[k].h, lan_port(g, &l), &d[k].srv,
		    443);
		c.rtt_us = pcapgen_rand_range(g, 20000, 60000);
		rc |= pcapgen_https(g, &c, d[k].name,
		    pcapgen_rand_range(g, 2500, 3000),
		    pcapgen_rand_range(g, 200, 400),
		    pcapgen_rand_range(g, 100, 300));
		d[k].beats++;
		j = d[k].jitter *
		    (2 * (double)pcapgen_rand_range(g, 0, 1000) / 1000 - 1);
		d[k].next = t + (uint64_t)(d[k].period * (1 + j) * 1e6);
		if (rc)
			break;
	}
	free(d);
	return rc ? -1 : 0;
}

/*
 * Fast C2's look-alikes, --count devices (default 20) over --days
 * (default 5), each day 12 active hours:
 *   browsing: sessions (mean every 20 min) of 2-10 page views, think
 *     time lognormal around 20 s, each view 3-8 new connections to the
 *     site within half a second and 1-3 to its CDN;
 *   long polling: a web chat's request held by the server up to 15 s
 *     (answered early when a message comes), on one kept-alive
 *     connection, the next request at once;
 *   retries: an app whose server is gone, a SYN every 3-5 s unanswered
 *     (two tries each) for a few minutes, several times a day, and one
 *     refused (RST) every 5 s for a while;
 *   chat typing indicators: on the chat's kept-alive connection, a small
 *     message every 2-3 s while typing, 5-30 s at a time;
 *   streaming: HLS, a new connection for each 4 s segment
 *     (34-60 kB: over the low-volume gate, like any video) for 2-6
 *     minutes.
 * Must not fire.
 */
static int
lookalike_session(struct pcapgen *g, struct lan *l,
    const struct pcapgen_host *dev, uint32_t kind, uint32_t site)
{
	struct pcapgen_host srv, cdn;
	struct pcapgen_tcp c, poll;
	char name[64], cname[64], ip[32];
	uint32_t i, v, views, m;
	uint64_t end;
	double u1, u2;
	int rc = 0;

	snprintf(ip, sizeof(ip), "203.0.113.%u", 1 + site % 200);
	(void)remote(&srv, ip);
	snprintf(ip, sizeof(ip), "192.0.2.%u", 1 + site % 200);
	(void)remote(&cdn, ip);
	switch (kind) {
	case 0: /* browsing */
		snprintf(name, sizeof(name), "www.site%u.example", site);
		snprintf(cname, sizeof(cname), "cdn%u.static.example", site);
		rc |= pcapgen_dns_exchange(g, dev, &l->router, name, 1,
		    srv.addr, 1, 300);
		views = pcapgen_rand_range(g, 2, 10);
		for (v = 0; v < views; v++) {
			m = pcapgen_rand_range(g, 3, 8);
			for (i = 0; i < m; i++) {
				pcapgen_tcp_init(g, &c, dev, lan_port(g, l),
				    &srv, 443);
				c.rtt_us = pcapgen_rand_range(g, 10000, 40000);
				rc |= pcapgen_https(g, &c, name, 3000,
				    pcapgen_rand_range(g, 300, 900),
				    pcapgen_rand_range(g, 500, 8000));
			}
			m = pcapgen_rand_range(g, 1, 3);
			for (i = 0; i < m; i++) {
				pcapgen_tcp_init(g, &c, dev, lan_port(g, l),
				    &cdn, 443);
				c.rtt_us = pcapgen_rand_range(g, 5000, 20000);
				rc |= pcapgen_https(g, &c, cname, 3000, 400,
				    pcapgen_rand_range(g, 2000, 12000));
			}
			/* think time: lognormal, median 20 s, sigma 1 */
			u1 = ((double)pcapgen_rand_range(g, 1, 1000000)) / 1e6;
			u2 = ((double)pcapgen_rand_range(g, 0, 999999)) / 1e6;
			pcapgen_advance(g,
			    (uint64_t)(20e6 *
				exp(sqrt(-2 * log(u1)) * cos(2 * M_PI * u2))));
		}
		break;
	case 1: /* long polling and typing on one chat connection */
		snprintf(name, sizeof(name), "chat%u.messenger.example", site);
		rc |= pcapgen_dns_exchange(g, dev, &l->router, name, 1,
		    srv.addr, 1, 300);
		pcapgen_tcp_init(g, &poll, dev, lan_port(g, l), &srv, 443);
		rc |= pcapgen_tls_open(g, &poll, name, 3000);
		end = g->now_us + pcapgen_rand_range(g, 300, 1800) * SEC;
		while (g->now_us < end) {
			rc |= pcapgen_tls_data(g, &poll, PCAPGEN_C2S,
			    pcapgen_rand_range(g, 300, 400));
			/* the server answers at 15 s, or earlier with news */
			pcapgen_advance(g,
			    pcapgen_rand_range(g, 0, 3) ?
				15 * SEC :
				pcapgen_rand_range(g, 1, 15) * SEC);
			rc |= pcapgen_tls_data(g, &poll, PCAPGEN_S2C,
			    pcapgen_rand_range(g, 80, 2000));
			if (pcapgen_rand_range(g, 0, 9) == 0) {
				/* typing: an indicator every 2-3 s */
				m = pcapgen_rand_range(g, 2, 12);
				for (i = 0; i < m; i++) {
					rc |= pcapgen_tls_data(g, &poll,
					    PCAPGEN_C2S, 90);
					pcapgen_advance(g,
					    pcapgen_rand_range(g, 2000, 3000) *
						1000);
				}
			}
		}
		rc |= pcapgen_tcp_close(g, &poll, PCAPGEN_C2S);
		break;
	case 2: /* retries to a dead server, then a refusing one */
		m = pcapgen_rand_range(g, 20, 80);
		for (i = 0; i < m; i++) {
			pcapgen_tcp_init(g, &c, dev, lan_port(g, l), &srv,
			    8443);
			rc |= pcapgen_tcp_unanswered(g, &c, 2);
			pcapgen_advance(g,
			    pcapgen_rand_range(g, 3000, 5000) * 1000);
		}
		m = pcapgen_rand_range(g, 20, 60);
		for (i = 0; i < m; i++) {
			pcapgen_tcp_init(g, &c, dev, lan_port(g, l), &cdn,
			    5000);
			rc |= pcapgen_tcp_segment(g, &c, PCAPGEN_C2S,
			    PCAPGEN_SYN, NULL, 0);
			pcapgen_advance(g, c.rtt_us / 2);
			rc |= pcapgen_tcp_segment(g, &c, PCAPGEN_S2C,
			    PCAPGEN_RST | PCAPGEN_ACK, NULL, 0);
			pcapgen_advance(g, 5 * SEC);
		}
		break;
	default: /* streaming: a segment every 4 s on a new connection */
		snprintf(name, sizeof(name), "video%u.stream.example", site);
		rc |= pcapgen_dns_exchange(g, dev, &l->router, name, 1,
		    cdn.addr, 1, 300);
		m = pcapgen_rand_range(g, 30, 90);
		for (i = 0; i < m; i++) {
			pcapgen_tcp_init(g, &c, dev, lan_port(g, l), &cdn, 443);
			c.rtt_us = pcapgen_rand_range(g, 5000, 20000);
			rc |= pcapgen_https(g, &c, name, 3000, 500,
			    pcapgen_rand_range(g, 34000, 60000));
			beacon_until(g,
			    g->now_us + 4 * SEC - (g->now_us % SEC));
		}
		break;
	}
	return rc;
}

static int
scen_fast_lookalikes(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host dev;
	struct lan l;
	unsigned long n = o->count ? o->count : 20;
	unsigned long days = o->days ? o->days : 5, d, i;
	uint64_t start = g->now_us, day, t;
	char ip[32];
	int rc = 0;

	if (n > 250 || days > 60)
		return -1;
	lan_init(g, &l);
	/* one device after another: each has its own day, so the network
	 * clock runs once per device over the same days */
	for (d = 0; d < days; d++)
		for (i = 0; i < n; i++) {
			snprintf(ip, sizeof(ip), "192.168.1.%lu", 100 + i);
			(void)pcapgen_host(&dev, ip, MAC_PHONE);
			dev.mac[5] = (uint8_t)i;
			day = start + (d * n + i) * 12 * 3600 * SEC;
			beacon_until(g, day);
			for (t = day; g->now_us < day + 12 * 3600 * SEC;) {
				rc |= lookalike_session(g, &l, &dev,
				    pcapgen_rand_range(g, 0, 9) < 6 ?
					0 :
					pcapgen_rand_range(g, 1, 3),
				    pcapgen_rand_range(g, 1, 60));
				t = g->now_us +
				    (uint64_t)(pcapgen_rand_range(g, 60,
					2400)) *
					SEC;
				beacon_until(g, t);
				if (rc)
					return -1;
			}
		}
	return 0;
}

/* --- verdict scenarios (tests/verdict.sh) -----------------------------------
 * Several phones of one LAN, each with its own MAC, whose evidence grades
 * differently (correlate.h): the per-device verdict end to end, and an
 * address a DHCP server gives to another phone. */

#define VERDICT_C2    "api.thd.cc"	      /* mSpy C2 (iocs/ioc.yaml) */
#define VERDICT_C2_IP "198.51.100.150"	      /* what it resolves to here */
#define VERDICT_WW    "data-api.famisafe.com" /* FamiSafe (watchware.yaml) */
#define VERDICT_WW_IP "203.0.113.81"

/*
 * A DHCP exchange (RFC 2131, options RFC 2132) for the client at mac: its
 * DHCPREQUEST from 0.0.0.0:68 to the broadcast asking for addr, with
 * option 12 host name and option 60 vendor class (either NULL: left out),
 * then the router's DHCPACK to the broadcast giving it addr in /24 for a
 * day.  Real bytes: BOOTP over Ethernet, the magic cookie, options ended.
 */
static int
verdict_dhcp(struct pcapgen *g, const struct lan *l, const char *mac,
    const char *addr, const char *host, const char *vendor)
{
	struct pcapgen_host cli, bcast, yi;
	uint8_t b[400];
	uint32_t xid = pcapgen_rand(g);
	size_t n, k;
	int ack, rc = 0;

	if (pcapgen_host(&cli, "0.0.0.0", mac) != 0 ||
	    pcapgen_host(&bcast, "255.255.255.255", "ff:ff:ff:ff:ff:ff") != 0 ||
	    pcapgen_host(&yi, addr, mac) != 0)
		return -1;
	for (ack = 0; ack <= 1; ack++) {
		memset(b, 0, sizeof(b));
		b[0] = ack ? 2 : 1; /* op: BOOTREPLY, BOOTREQUEST */
		b[1] = 1;	    /* htype Ethernet */
		b[2] = 6;	    /* hlen */
		put32(b + 4, xid);
		put16(b + 10, 0x8000); /* broadcast flag */
		if (ack)
			memcpy(b + 16, yi.addr, 4); /* yiaddr */
		memcpy(b + 28, cli.mac, 6);
		put32(b + 236, 0x63825363u);
		n = 240;
		b[n++] = 53;
		b[n++] = 1;
		b[n++] = ack ? 5 : 3; /* DHCPACK, DHCPREQUEST */
		b[n++] = 54;	      /* server identifier */
		b[n++] = 4;
		memcpy(b + n, l->router.addr, 4);
		n += 4;
		if (!ack) {
			b[n++] = 61; /* client identifier: type 1, MAC */
			b[n++] = 7;
			b[n++] = 1;
			memcpy(b + n, cli.mac, 6);
			n += 6;
			b[n++] = 50; /* requested address */
			b[n++] = 4;
			memcpy(b + n, yi.addr, 4);
			n += 4;
			if (host != NULL && (k = strlen(host)) < 64) {
				b[n++] = 12;
				b[n++] = (uint8_t)k;
				memcpy(b + n, host, k);
				n += k;
			}
			if (vendor != NULL && (k = strlen(vendor)) < 64) {
				b[n++] = 60;
				b[n++] = (uint8_t)k;
				memcpy(b + n, vendor, k);
				n += k;
			}
			b[n++] = 55; /* parameter request list */
			b[n++] = 6;
			b[n++] = 1;
			b[n++] = 3;
			b[n++] = 6;
			b[n++] = 15;
			b[n++] = 51;
			b[n++] = 58;
		} else {
			b[n++] = 51; /* lease time: a day */
			b[n++] = 4;
			put32(b + n, 86400);
			n += 4;
			b[n++] = 1; /* subnet mask /24 */
			b[n++] = 4;
			b[n++] = 255;
			b[n++] = 255;
			b[n++] = 255;
			b[n++] = 0;
			b[n++] = 3; /* router */
			b[n++] = 4;
			memcpy(b + n, l->router.addr, 4);
			n += 4;
			b[n++] = 6; /* DNS server */
			b[n++] = 4;
			memcpy(b + n, l->router.addr, 4);
			n += 4;
		}
		b[n++] = 255;
		if (ack)
			rc |= pcapgen_udp(g, &l->router, 67, &bcast, 68, b, n);
		else
			rc |= pcapgen_udp(g, &cli, 68, &bcast, 67, b, n);
		pcapgen_advance(g, pcapgen_rand_range(g, 2000, 8000));
	}
	return rc ? -1 : 0;
}

/* One beat of the verdict scenarios' infected phone: a lookup of the
 * mSpy C2 name and a short TLS exchange with data both ways. */
static int
victim_beat(struct pcapgen *g, struct lan *l, const struct pcapgen_host *ph)
{
	return beacon_visit(g, l, ph, VERDICT_C2, VERDICT_C2_IP,
	    pcapgen_rand_range(g, 350, 650), pcapgen_rand_range(g, 150, 300));
}

/* The next beat of a phone that talks to its C2 every 5 to 8 minutes:
 * often enough to beacon within the hour. */
static uint64_t
verdict_gap(struct pcapgen *g)
{
	return (uint64_t)pcapgen_rand_range(g, 300, 480) * SEC;
}

/*
 * 1 h of 192.168.1.0/24 (the router 192.168.1.1 answers DNS):
 *   A 192.168.1.23, 8c:f5:a3:00:00:0a: DHCPREQUEST (host name
 *     "Galaxy-de-Marie", vendor class "android-dhcp-13") and DHCPACK;
 *     then every 5-8 min a lookup of api.thd.cc (198.51.100.150) and a
 *     TLS connection to it, a handshake and data both ways;
 *   B 192.168.1.40, 8c:f5:a3:00:00:0b: one lookup of api.thd.cc, nothing
 *     else;
 *   C 192.168.1.50, 8c:f5:a3:00:00:0c: one stray FIN-ACK to
 *     198.51.100.150:443 (no handshake, no reply, no lookup);
 *   D 192.168.1.60, 8c:f5:a3:00:00:0d: every 10-15 min a lookup of the
 *     FamiSafe (watchware) name data-api.famisafe.com (203.0.113.81) and a
 *     TLS connection with data to it.
 * Expected: one Survivor_Risk, for A; B possible; C nothing; D no verdict.
 */
static int
scen_verdict_phones(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host a, b, c, d, c2;
	struct pcapgen_tcp t;
	struct lan l;
	uint64_t start = g->now_us, end = start + 3600 * SEC;
	uint64_t next_a = start + 20 * SEC, next_d = start + 75 * SEC;
	uint64_t at_b = start + 610 * SEC, at_c = start + 905 * SEC, now;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	if (pcapgen_host(&a, "192.168.1.23", "8c:f5:a3:00:00:0a") != 0 ||
	    pcapgen_host(&b, "192.168.1.40", "8c:f5:a3:00:00:0b") != 0 ||
	    pcapgen_host(&c, "192.168.1.50", "8c:f5:a3:00:00:0c") != 0 ||
	    pcapgen_host(&d, "192.168.1.60", "8c:f5:a3:00:00:0d") != 0 ||
	    remote(&c2, VERDICT_C2_IP) != 0)
		return -1;
	rc |= verdict_dhcp(g, &l, "8c:f5:a3:00:00:0a", "192.168.1.23",
	    "Galaxy-de-Marie", "android-dhcp-13");
	/* the earliest of the phones' next events, until the hour is out */
	for (;;) {
		now = next_a < next_d ? next_a : next_d;
		if (at_b < now)
			now = at_b;
		if (at_c < now)
			now = at_c;
		if (now >= end)
			break;
		beacon_until(g, now);
		if (now == next_a) {
			rc |= victim_beat(g, &l, &a);
			next_a += verdict_gap(g);
		} else if (now == next_d) {
			rc |= beacon_visit(g, &l, &d, VERDICT_WW, VERDICT_WW_IP,
			    pcapgen_rand_range(g, 400, 900),
			    pcapgen_rand_range(g, 300, 1200));
			next_d += (uint64_t)pcapgen_rand_range(g, 600, 900) *
			    SEC;
		} else if (now == at_b) {
			rc |= pcapgen_dns_exchange(g, &b, &l.router, VERDICT_C2,
			    1, c2.addr, 1, 300);
			at_b = UINT64_MAX;
		} else {
			pcapgen_tcp_init(g, &t, &c, lan_port(g, &l), &c2, 443);
			rc |= pcapgen_tcp_segment(g, &t, PCAPGEN_C2S,
			    PCAPGEN_FIN | PCAPGEN_ACK, NULL, 0);
			at_c = UINT64_MAX;
		}
	}
	return rc ? -1 : 0;
}

/*
 * 1 h 30: 192.168.1.77 given by DHCP to 02:00:00:00:00:01 ("old-phone"),
 * which looks up example.com and makes one HTTPS connection to
 * 203.0.113.5; 30 min later the router gives 192.168.1.77 to
 * 02:00:00:00:00:02 ("new-phone"), which does phone A's pattern of
 * verdict-phones for an hour.  Expected: one Survivor_Risk, for the new
 * phone; nothing against the old one.
 */
static int
scen_verdict_reuse(struct pcapgen *g, const struct pcapgen_opts *o)
{
	struct pcapgen_host old, nw;
	struct lan l;
	uint64_t start = g->now_us, next, end;
	int rc = 0;

	(void)o;
	lan_init(g, &l);
	if (pcapgen_host(&old, "192.168.1.77", "02:00:00:00:00:01") != 0 ||
	    pcapgen_host(&nw, "192.168.1.77", "02:00:00:00:00:02") != 0)
		return -1;
	rc |= verdict_dhcp(g, &l, "02:00:00:00:00:01", "192.168.1.77",
	    "old-phone", NULL);
	beacon_until(g, start + 10 * SEC);
	rc |= beacon_visit(g, &l, &old, "example.com", "203.0.113.5",
	    pcapgen_rand_range(g, 400, 800), pcapgen_rand_range(g, 2000, 6000));
	beacon_until(g, start + 1800 * SEC);
	rc |= verdict_dhcp(g, &l, "02:00:00:00:00:02", "192.168.1.77",
	    "new-phone", "android-dhcp-14");
	next = start + 1820 * SEC;
	end = next + 3600 * SEC;
	while (next < end) {
		beacon_until(g, next);
		rc |= victim_beat(g, &l, &nw);
		next += verdict_gap(g);
	}
	return rc ? -1 : 0;
}

/* --- attacks (tests/attack.sh) ---------------------------------------------
 * Whoever installed the stalkerware may know a sensor watches, and anyone
 * on the network can spoof packets: each scenario hides the verdict-phones
 * victim (phone A: DHCP-named Galaxy-de-Marie, api.thd.cc every 5-8 min,
 * data both ways) in a flood.  The victim's C2 notices, its beacon notice
 * and its verdict must all come through. */

#define ATTACK_MAC     "02:66:66:66:66:66" /* the attacker's own NIC */
#define ATTACK_SCANNED "203.0.113.200"	   /* the port scan's target */

/* A random IPv4 source anywhere (not 0/8, 127/8, 224/3), or, home set,
 * inside 10/8: spoofed. */
static void
spoofed(struct pcapgen *g, struct pcapgen_host *h, int home)
{
	uint32_t a;

	memset(h, 0, sizeof(*h));
	h->family = 4;
	do
		a = home ? 0x0a000000u | (pcapgen_rand(g) & 0xffffff) :
			   pcapgen_rand(g);
	while (a >> 24 == 0 || a >> 24 == 127 || a >> 24 >= 224 ||
	    (a & 0xff) == 0 || (a & 0xff) == 255);
	h->addr[0] = (uint8_t)(a >> 24);
	h->addr[1] = (uint8_t)(a >> 16);
	h->addr[2] = (uint8_t)(a >> 8);
	h->addr[3] = (uint8_t)a;
	(void)sscanf(ATTACK_MAC, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx",
	    &h->mac[0], &h->mac[1], &h->mac[2], &h->mac[3], &h->mac[4],
	    &h->mac[5]);
}

/* One SYN from src to dst:port, never answered. */
static int
lone_syn(struct pcapgen *g, const struct pcapgen_host *src,
    const struct pcapgen_host *dst, uint16_t port)
{
	struct pcapgen_tcp t;

	pcapgen_tcp_init(g, &t, src,
	    (uint16_t)pcapgen_rand_range(g, 1024, 65535), dst, port);
	return pcapgen_tcp_segment(g, &t, PCAPGEN_C2S, PCAPGEN_SYN, NULL, 0);
}

/*
 * 1 h: the victim, and the attack:
 *   notices  200,000 SYNs to mSpy's MSPY_IP_A:443 from random spoofed
 *            sources (about 1 in 200 inside the default home network);
 *   trackers 70 spoofed SYNs a second to random addresses and ports, and
 *            192.168.1.66 scanning ATTACK_SCANNED at 70 ports a second
 *            (RST from closed ports, SYN-ACK from 22, 80 and 443); the
 *            victim also beacons to sync.tele-metrics.example every 5 min;
 *   devices  5 spoofed devices a second (10/8) each send one SYN to
 *            MSPY_IP_A:443: some 18,000 devices with a stray packet.
 */
static int
attack_run(struct pcapgen *g, int kind)
{
	struct pcapgen_host a, c2, scanner, scanned, src, dst;
	struct pcapgen_tcp t;
	struct lan l;
	uint64_t start = g->now_us, end = start + 3600 * SEC;
	uint64_t next_a = start + 20 * SEC, next_b = start + 45 * SEC;
	uint64_t next_f = start + SEC, gap_lo, gap_hi, now;
	uint32_t port = 1;
	int rc = 0;

	lan_init(g, &l);
	if (pcapgen_host(&a, "192.168.1.23", "8c:f5:a3:00:00:0a") != 0 ||
	    remote(&c2, MSPY_IP_A) != 0 || remote(&scanned, ATTACK_SCANNED) ||
	    pcapgen_host(&scanner, "192.168.1.66", "8c:f5:a3:00:00:66") != 0)
		return -1;
	/* the flood's mean gap, microseconds: 200,000 an hour, 140 a
	 * second (70 SYNs and 70 probes), 5 a second */
	gap_lo = kind == 0 ? 9000 : kind == 1 ? 3571 : 100000;
	gap_hi = kind == 0 ? 27000 : kind == 1 ? 10714 : 300000;
	rc |= verdict_dhcp(g, &l, "8c:f5:a3:00:00:0a", "192.168.1.23",
	    "Galaxy-de-Marie", "android-dhcp-13");
	for (;;) {
		now = next_a < next_f ? next_a : next_f;
		if (kind == 1 && next_b < now)
			now = next_b;
		if (now >= end)
			break;
		beacon_until(g, now);
		if (now == next_a) {
			rc |= victim_beat(g, &l, &a);
			next_a += verdict_gap(g);
			continue;
		}
		if (kind == 1 && now == next_b) {
			rc |= beacon_visit(g, &l, &a,
			    "sync.tele-metrics.example", "198.51.100.140",
			    pcapgen_rand_range(g, 350, 650),
			    pcapgen_rand_range(g, 150, 300));
			next_b += pcapgen_rand_range(g, 290, 310) * SEC;
			continue;
		}
		next_f += pcapgen_rand_range(g, (uint32_t)gap_lo,
		    (uint32_t)gap_hi);
		if (kind == 0) {
			spoofed(g, &src, 0);
			rc |= lone_syn(g, &src, &c2, 443);
		} else if (kind == 2) {
			spoofed(g, &src, 1);
			rc |= lone_syn(g, &src, &c2, 443);
		} else if (pcapgen_rand(g) & 1) {
			spoofed(g, &src, 0);
			spoofed(g, &dst, 0);
			rc |= lone_syn(g, &src, &dst,
			    (uint16_t)pcapgen_rand_range(g, 1, 65535));
		} else {
			/* the scan: one port after the other */
			pcapgen_tcp_init(g, &t, &scanner, 40000, &scanned,
			    (uint16_t)port);
			rc |= pcapgen_tcp_segment(g, &t, PCAPGEN_C2S,
			    PCAPGEN_SYN, NULL, 0);
			pcapgen_advance(g, 300);
			if (port == 22 || port == 80 || port == 443) {
				rc |= pcapgen_tcp_segment(g, &t, PCAPGEN_S2C,
				    PCAPGEN_SYN | PCAPGEN_ACK, NULL, 0);
				pcapgen_advance(g, 50);
				rc |= pcapgen_tcp_segment(g, &t, PCAPGEN_C2S,
				    PCAPGEN_RST, NULL, 0);
			} else
				rc |= pcapgen_tcp_segment(g, &t, PCAPGEN_S2C,
				    PCAPGEN_RST | PCAPGEN_ACK, NULL, 0);
			port = port % 65535 + 1;
		}
	}
	return rc ? -1 : 0;
}

static int
scen_attack_notices(struct pcapgen *g, const struct pcapgen_opts *o)
{
	(void)o;
	return attack_run(g, 0);
}

static int
scen_attack_trackers(struct pcapgen *g, const struct pcapgen_opts *o)
{
	(void)o;
	return attack_run(g, 1);
}

static int
scen_attack_devices(struct pcapgen *g, const struct pcapgen_opts *o)
{
	(void)o;
	return attack_run(g, 2);
}

/* One row a scenario, laid out by hand. */
/* clang-format off */
const struct pcapgen_scenario pcapgen_scenarios[] = {
	{ "demo", "30 min of a home LAN; the phone 192.168.1.23 uploads to "
	    "mSpy's " MSPY_IP_A ":443 every 5-10 min (--ip)", scen_demo },
	{ "benign", "10 min of the same LAN, no indicator", scen_benign },
	{ "c2-ip", "one benign HTTPS session, then one to " MSPY_IP_B
	    ":443 (--ip)", scen_c2_ip },
	{ "c2-ipv6", "the same over IPv6, to 2001:db8::bad (--ip)",
	    scen_c2_ipv6 },
	{ "c2-repeat", "5 connections to " MSPY_IP_A ":443, 10 min apart "
	    "(--ip)", scen_c2_repeat },
	{ "udp-c2", "3 UDP exchanges with " MSPY_IP_A ":8443 (--ip)",
	    scen_udp_c2 },
	{ "vlan", "c2-ip to " MSPY_IP_A " inside 802.1Q VLAN 20 (--ip)",
	    scen_vlan },
	{ "names", "C2 names in DNS, CNAME, SNI; shared platforms; a vendor "
	    "website", scen_names },
	{ "policy", "the per-role policy on the bundled lists: a name both "
	    "website and C2, names under it, a shared platform, one app in "
	    "both files, watchware, distribution", scen_policy },
	{ "survivor", "2 h: the phone resolves the mSpy C2 name api.thd.cc "
	    "and uploads to it every 5-10 min", scen_survivor },
	{ "reasm-hold", "10 min: 576 connections hold partial ClientHellos "
	    "(128 from 192.168.1.66 after handshakes, 448 one-packet from "
	    "spoofed 10.66.x.y), resent every 290 s; then the phone's hello "
	    "for api.thd.cc in two segments (must fire)", scen_reasm_hold },
	{ "bench", "--count packets (default 3,000,000) of a busy network, "
	    "~3% of connections to " MSPY_IP_A, scen_bench },
	{ "bench-conns", "--count connections (default 1,000,000) open at "
	    "once: all SYNs within 2 s, then all SYN-ACKs", scen_bench_conns },
	{ "beacon-tls", "2 h: new TLS connection every 5-10 min to an "
	    "unknown host (SNI); laptop browsing (must fire)",
	    scen_beacon_tls },
	{ "beacon-keepalive", "1 h: one kept-alive TLS connection, a small "
	    "request every 60-120 s (must fire)", scen_beacon_keepalive },
	{ "beacon-allow", "2 h: mtalk.google.com every 10 min, NTP, captive "
	    "portal probes (must not fire: known-good)", scen_beacon_allow },
	{ "beacon-lan", "2 h: LAN broadcast and multicast discovery "
	    "(Spotify, Dropbox, NetBIOS, SSDP) and a printer poll (must not "
	    "fire; the poll fires with --beacon-lan)", scen_beacon_lan },
	{ "beacon-background", "2 h: ordinary browsing and chat bursts "
	    "(must not fire)", scen_beacon_background },
	{ "phones", "--count devices (default 100) over --days (default 10): "
	    "push connections held for days (FCM, APNs, 5222), some begun "
	    "before the capture; laptops' LAN discovery (must not fire)",
	    scen_phones },
	{ "fast-c2", "--count devices (default 40), each a new TLS connection "
	    "to its own C2 every 2-19 s, jitter 0-30%, 30 beats (must fire)",
	    scen_fast_c2 },
	{ "fast-lookalikes", "--count devices (default 20) x --days "
	    "(default 5) of 12 h: browsing, long polling, chat typing, "
	    "retries, streaming (must not fire)", scen_fast_lookalikes },
	{ "push-held", "6 h: one push connection named once, heartbeats "
	    "every 28 min to an address off the push ranges (must not fire; "
	    "fires with --name-hold 0)", scen_push_held },
	{ "verdict-phones", "1 h of 192.168.1.0/24: phone A (DHCP-named "
	    "Galaxy-de-Marie) looks up api.thd.cc and exchanges data with it "
	    "every 5-8 min; B looks it up once; C sends one stray FIN to its "
	    "address; D uses the watchware FamiSafe (one verdict: A)",
	    scen_verdict_phones },
	{ "verdict-reuse", "1 h 30: DHCP gives 192.168.1.77 to old-phone "
	    "(ordinary traffic), then 30 min later to new-phone, which talks "
	    "to api.thd.cc as verdict-phones' A (one verdict: new-phone)",
	    scen_verdict_reuse },
	{ "attack-notices", "1 h: verdict-phones' A, and 200,000 SYNs to "
	    MSPY_IP_A ":443 from random spoofed sources (its notices, beacon "
	    "and verdict must come through)", scen_attack_notices },
	{ "attack-trackers", "1 h: A, and a 5-min beacon of it, amid 70 "
	    "spoofed SYNs a second and a LAN port scan at 70 ports a second "
	    "(the beacon must fire)", scen_attack_trackers },
	{ "attack-devices", "1 h: A, and 5 spoofed 10/8 devices a second "
	    "with one SYN each to " MSPY_IP_A ":443 (A's verdict must come)",
	    scen_attack_devices },
	{ NULL, NULL, NULL }
};
/* clang-format on */

int
pcapgen_scenario_run(const char *name, FILE *fp,
    const struct pcapgen_opts *o, char *errbuf, size_t errlen)
{
	const struct pcapgen_scenario *s;
	struct pcapgen *g;
	int rc;

	for (s = pcapgen_scenarios; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			break;
	if (s->name == NULL) {
		snprintf(errbuf, errlen, "%s: unknown scenario", name);
		return -1;
	}
	if (o->ip != NULL) {
		struct pcapgen_host h;

		if (pcapgen_host(&h, o->ip, MAC_ROUTER) != 0) {
			snprintf(errbuf, errlen, "%s: not an IP address",
			    o->ip);
			return -1;
		}
	}
	/* struct pcapgen holds a 64 KiB pool and a frame: keep it off the
	 * stack. */
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	if (pcapgen_open(g, fp, SCEN_START_US, o->seed != 0 ? o->seed :
	    SCEN_SEED) != 0) {
		snprintf(errbuf, errlen, "write: %s", strerror(errno));
		free(g);
		return -1;
	}
	rc = s->run(g, o);
	if (pcapgen_close(g) != 0) {
		snprintf(errbuf, errlen, "write: %s", strerror(errno));
		rc = -1;
	} else if (rc != 0)
		snprintf(errbuf, errlen, "%s: scenario failed (an option "
		    "does not fit it, e.g. an IPv6 --ip)", name);
	free(g);
	return rc;
}
