/*
 * decode.c - link, network and transport decoding into a flat struct packet.
 *
 * The central structure is the caller's struct packet, filled front to back
 * while one bounded reader (struct rd, rd.h) walks the captured frame: link
 * header, then an ethertype dispatcher (VLAN tags, PPPoE, MPLS), then IPv4 or
 * IPv6 with its extension-header chain, then TCP, UDP, ICMP or ICMPv6.  Each
 * layer gets a reader bounded by min(captured bytes, what the enclosing
 * header claims), so no decoder can read past caplen or past the IP total
 * length (Ethernet padding and trailers are never taken for payload).
 *
 * Length policy (what Zeek counts, and what was captured):
 *   wire     the frame's wire length, taken as max(wirelen, caplen) since
 *            bytes we hold certainly were on the wire;
 *   ip_len   the IP header's own length (IPv4 total length, IPv6 40 +
 *            payload length), clamped to the wire bytes left at the IP
 *            header: a header that claims more than the wire carried is
 *            lying, and Zeek's ip_bytes would count a length that never
 *            existed.  IPv4 total length 0 (TSO/"big TCP" captures, where
 *            the NIC fills it in later) and IPv6 payload length 0 with a
 *            hop-by-hop header (RFC 2675 jumbogram) take the wire bytes;
 *   payload_len     ip_len minus the IP, extension and transport headers
 *            (for UDP: the UDP length field minus 8);
 *   payload_caplen  what of that was captured, <= payload_len.
 *
 * Every failure is one enum decode_status with a stable key in
 * decode_status_keys[]; nothing is logged or allocated here: this is the
 * per-packet hot path.
 */
#include "decode.h"

#include <string.h>

#include "rd.h"

/* Link types (libpcap's DLT_* values, as pcap_datalink() reports them). */
#define DLT_NUM_NULL		0
#define DLT_NUM_EN10MB		1
#define DLT_NUM_FDDI		10
#define DLT_NUM_RAW		12	/* LINKTYPE_RAW on most systems */
#define DLT_NUM_RAW_OPENBSD	14	/* DLT_RAW on OpenBSD */
#define DLT_NUM_LINKTYPE_RAW	101	/* when not mapped back to DLT_RAW */
#define DLT_NUM_LOOP		108
#define DLT_NUM_LINUX_SLL	113
#define DLT_NUM_IPV4		228
#define DLT_NUM_IPV6		229
#define DLT_NUM_LINUX_SLL2	276

/* Ethertypes (IEEE 802 numbers registry). */
#define ETYPE_IPV4		0x0800
#define ETYPE_IPV6		0x86dd
#define ETYPE_VLAN		0x8100	/* 802.1Q */
#define ETYPE_QINQ		0x88a8	/* 802.1ad S-tag */
#define ETYPE_QINQ_OLD		0x9100	/* pre-802.1ad QinQ */
#define ETYPE_PPPOE_SESS	0x8864
#define ETYPE_MPLS_UC		0x8847
#define ETYPE_MPLS_MC		0x8848
#define ETYPE_MIN		0x0600	/* below: an 802.3 length field */

/* PPP protocol numbers carried in PPPoE sessions (RFC 1661, RFC 5072). */
#define PPP_IPV4		0x0021
#define PPP_IPV6		0x0057

/* Address families seen in BSD loopback headers. */
#define NULL_AF_INET		2
#define NULL_AF_INET6_LINUX	10
#define NULL_AF_INET6_BSD	24	/* NetBSD, OpenBSD, BSD/OS */
#define NULL_AF_INET6_FREEBSD	28
#define NULL_AF_INET6_DARWIN	30

/* IPv6 next-header values that are extension headers (RFC 8200 4). */
#define IP6_NH_HBH		0
#define IP6_NH_ROUTING		43
#define IP6_NH_FRAGMENT		44
#define IP6_NH_ESP		50
#define IP6_NH_AH		51
#define IP6_NH_NONE		59
#define IP6_NH_DSTOPTS		60

#define ETH_HLEN		14
#define SLL_HLEN		16
#define SLL2_HLEN		20
#define IPV4_MIN_HLEN		20
#define IPV6_HLEN		40
#define TCP_MIN_HLEN		20
#define UDP_HLEN		8
#define ICMP_HLEN		8	/* type, code, checksum, 4 bytes of rest */

static const char *const decode_status_keys[] = {
	[DS_OK] = "decoder.ok",
	[DS_NOT_IP] = "decoder.not_ip",
	[DS_UNSUPPORTED_DLT] = "decoder.unsupported_dlt",
	[DS_FRAG_NONFIRST] = "decoder.frag_nonfirst",
	[DS_OTHER_L4] = "decoder.other_l4",
	[DS_ETH_TRUNC] = "decoder.eth.truncated",
	[DS_VLAN_TRUNC] = "decoder.vlan.truncated",
	[DS_VLAN_TOO_DEEP] = "decoder.vlan.too_deep",
	[DS_SLL_TRUNC] = "decoder.sll.truncated",
	[DS_SLL2_TRUNC] = "decoder.sll2.truncated",
	[DS_NULL_TRUNC] = "decoder.null.truncated",
	[DS_NULL_BAD_FAMILY] = "decoder.null.bad_family",
	[DS_IPV4_TRUNC] = "decoder.ipv4.truncated",
	[DS_IPV4_BAD_VERSION] = "decoder.ipv4.bad_version",
	[DS_IPV4_HLEN_TOO_SMALL] = "decoder.ipv4.hlen_too_small",
	[DS_IPV4_HLEN_TOO_LARGE] = "decoder.ipv4.hlen_too_large",
	[DS_IPV4_TOTLEN_TOO_SMALL] = "decoder.ipv4.totlen_too_small",
	[DS_IPV6_TRUNC] = "decoder.ipv6.truncated",
	[DS_IPV6_BAD_VERSION] = "decoder.ipv6.bad_version",
	[DS_IPV6_EXT_TRUNC] = "decoder.ipv6.ext_truncated",
	[DS_IPV6_EXT_TOO_MANY] = "decoder.ipv6.ext_too_many",
	[DS_TCP_TRUNC] = "decoder.tcp.truncated",
	[DS_TCP_HLEN_TOO_SMALL] = "decoder.tcp.hlen_too_small",
	[DS_TCP_HLEN_TOO_LARGE] = "decoder.tcp.hlen_too_large",
	[DS_UDP_TRUNC] = "decoder.udp.truncated",
	[DS_UDP_LEN_BAD] = "decoder.udp.len_bad",
	[DS_ICMP_TRUNC] = "decoder.icmp.truncated",
	[DS_ICMP6_TRUNC] = "decoder.icmpv6.truncated",
	[DS_PPPOE_TRUNC] = "decoder.pppoe.truncated",
	[DS_MPLS_TRUNC] = "decoder.mpls.truncated",
	[DS_FDDI_TRUNC] = "decoder.fddi.truncated",
};

_Static_assert(sizeof(decode_status_keys) / sizeof(decode_status_keys[0]) ==
    DS__COUNT, "decode_status_keys[] must name every enum decode_status");

const char *
decode_status_key(enum decode_status s)
{
	if ((unsigned)s >= DS__COUNT || decode_status_keys[s] == NULL)
		return "decoder.unknown";
	return decode_status_keys[s];
}

int
decode_status_is_malformed(enum decode_status s)
{
	/* Everything after DS_OTHER_L4 is a malformed or truncated frame. */
	return (unsigned)s > DS_OTHER_L4 && (unsigned)s < DS__COUNT;
}

int
decode_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_NUM_NULL:
	case DLT_NUM_EN10MB:
	case DLT_NUM_FDDI:
	case DLT_NUM_RAW:
	case DLT_NUM_RAW_OPENBSD:
	case DLT_NUM_LINKTYPE_RAW:
	case DLT_NUM_LOOP:
	case DLT_NUM_LINUX_SLL:
	case DLT_NUM_IPV4:
	case DLT_NUM_IPV6:
	case DLT_NUM_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

/*
 * A reader over the next `claimed` bytes of r, cut to what r still holds:
 * the layer below says how long this layer is, the capture says how much
 * of it we have.  r itself is not advanced.
 */
static struct rd
decode_bounded(const struct rd *r, size_t claimed)
{
	struct rd s;
	size_t have;

	have = rd_left(r);
	rd_init(&s, r->base + r->off, claimed < have ? claimed : have);
	return s;
}

/*
 * TCP, RFC 9293 3.1: 20 fixed bytes, data offset in 32-bit words (>= 5),
 * options up to the data offset.  `claimed` is the segment length the IP
 * layer gives; r holds what of it was captured.
 */
static enum decode_status
decode_tcp(struct packet *p, struct rd *r, uint32_t claimed)
{
	uint16_t sport, dport, offflags, win;
	uint32_t seq, ack, hlen;

	if (!rd_has(r, TCP_MIN_HLEN))
		return DS_TCP_TRUNC;
	sport = rd_be16(r);
	dport = rd_be16(r);
	seq = rd_be32(r);
	ack = rd_be32(r);
	offflags = rd_be16(r);
	win = rd_be16(r);
	rd_skip(r, 4);		/* checksum, urgent pointer */
	hlen = (uint32_t)(offflags >> 12) * 4;
	if (hlen < TCP_MIN_HLEN)
		return DS_TCP_HLEN_TOO_SMALL;
	if (hlen > claimed) {
		/*
		 * A first fragment may end inside the options (an old
		 * evasion, RFC 1858 3): the ports and flags are here, the
		 * payload is in later fragments.
		 */
		if (p->frag != 1)
			return DS_TCP_HLEN_TOO_LARGE;
		hlen = claimed;
	}
	if (!rd_has(r, hlen - TCP_MIN_HLEN))
		return DS_TCP_TRUNC;
	rd_skip(r, hlen - TCP_MIN_HLEN);

	p->has_ports = 1;
	p->sport = sport;
	p->dport = dport;
	p->seq = seq;
	p->ack = ack;
	/* The low byte: FIN..URG plus ECE and CWR (RFC 3168). */
	p->tcp_flags = (uint8_t)(offflags & 0xff);
	p->win = win;
	p->payload = r->base + r->off;
	p->payload_len = claimed - hlen;
	p->payload_caplen = (uint32_t)rd_left(r);
	return DS_OK;
}

/*
 * UDP, RFC 768: 8 bytes, the length field covers header and data.  A
 * length under 8 is malformed.  A length past the IP payload is malformed
 * too, except in a first fragment, where the datagram continues in later
 * fragments (its length is what Zeek counts after reassembly).  A length
 * shorter than the IP payload wins: the rest is not UDP data.  IPv6
 * jumbograms carry length 0 (RFC 2675 4): the IP payload length governs.
 */
static enum decode_status
decode_udp(struct packet *p, struct rd *r, uint32_t claimed)
{
	uint16_t sport, dport;
	uint32_t ulen, plen, have;

	if (!rd_has(r, UDP_HLEN))
		return DS_UDP_TRUNC;
	sport = rd_be16(r);
	dport = rd_be16(r);
	ulen = rd_be16(r);
	rd_skip(r, 2);		/* checksum */
	if (ulen == 0 && claimed > 0xffff)
		ulen = claimed;
	if (ulen < UDP_HLEN || (ulen > claimed && p->frag != 1))
		return DS_UDP_LEN_BAD;

	p->has_ports = 1;
	p->sport = sport;
	p->dport = dport;
	plen = ulen - UDP_HLEN;
	have = (uint32_t)rd_left(r);
	p->payload = r->base + r->off;
	p->payload_len = plen;
	p->payload_caplen = have < plen ? have : plen;
	return DS_OK;
}

/*
 * ICMP (RFC 792) and ICMPv6 (RFC 4443 2.1): type, code, checksum and four
 * bytes whose meaning depends on the type; every message has all eight.
 */
static enum decode_status
decode_icmp(struct packet *p, struct rd *r, uint32_t claimed,
    enum decode_status trunc)
{
	uint8_t type, code;

	if (!rd_has(r, ICMP_HLEN))
		return trunc;
	type = rd_u8(r);
	code = rd_u8(r);
	rd_skip(r, ICMP_HLEN - 2);
	p->icmp_type = type;
	p->icmp_code = code;
	p->payload = r->base + r->off;
	p->payload_len = claimed - ICMP_HLEN;
	p->payload_caplen = (uint32_t)rd_left(r);
	return DS_OK;
}

/* Transport dispatch; p->ip_proto is already set. */
static enum decode_status
decode_l4(struct packet *p, struct rd *r, uint32_t claimed)
{
	switch (p->ip_proto) {
	case IPPROTO_NUM_TCP:
		return decode_tcp(p, r, claimed);
	case IPPROTO_NUM_UDP:
		return decode_udp(p, r, claimed);
	case IPPROTO_NUM_ICMP:
		if (p->family != 4)
			return DS_OTHER_L4;
		return decode_icmp(p, r, claimed, DS_ICMP_TRUNC);
	case IPPROTO_NUM_ICMP6:
		if (p->family != 6)
			return DS_OTHER_L4;
		return decode_icmp(p, r, claimed, DS_ICMP6_TRUNC);
	default:
		return DS_OTHER_L4;
	}
}

/*
 * IPv4, RFC 791 3.1: version 4, IHL in 32-bit words (>= 5, options up to
 * it), total length covering header and data.  Only the first fragment
 * (offset 0) carries the transport header; later ones are counted and not
 * decoded further (no reassembly on this path).  `wire` is the number of
 * wire bytes from the start of this header.
 */
static enum decode_status
decode_ipv4(struct packet *p, struct rd *r, uint32_t wire)
{
	struct rd l4;
	uint32_t hlen, totlen, iplen;
	uint16_t fragoff;
	uint8_t vihl, ttl, proto;
	uint8_t src[4], dst[4];
	size_t have;

	if (!rd_has(r, 1))
		return DS_IPV4_TRUNC;
	vihl = r->base[r->off];
	if (vihl >> 4 != 4)
		return DS_IPV4_BAD_VERSION;
	if (!rd_has(r, IPV4_MIN_HLEN))
		return DS_IPV4_TRUNC;
	have = rd_left(r);
	hlen = (uint32_t)(vihl & 0x0f) * 4;
	rd_skip(r, 2);		/* version/IHL, TOS */
	totlen = rd_be16(r);
	rd_skip(r, 2);		/* identification */
	fragoff = rd_be16(r);
	ttl = rd_u8(r);
	proto = rd_u8(r);
	rd_skip(r, 2);		/* checksum */
	rd_bytes(r, src, 4);
	rd_bytes(r, dst, 4);

	if (hlen < IPV4_MIN_HLEN)
		return DS_IPV4_HLEN_TOO_SMALL;
	if (totlen == 0)
		totlen = wire;	/* TSO: the NIC fills it in after capture */
	else if (totlen < IPV4_MIN_HLEN)
		return DS_IPV4_TOTLEN_TOO_SMALL;
	if (hlen > totlen || hlen > have)
		return DS_IPV4_HLEN_TOO_LARGE;
	rd_skip(r, hlen - IPV4_MIN_HLEN);	/* options */
	iplen = totlen < wire ? totlen : wire;
	if (iplen < hlen)	/* the wire ended inside the header */
		return DS_IPV4_HLEN_TOO_LARGE;

	p->family = 4;
	p->ttl = ttl;
	p->ip_proto = proto;
	p->src[10] = p->src[11] = 0xff;
	p->dst[10] = p->dst[11] = 0xff;
	memcpy(p->src + 12, src, 4);
	memcpy(p->dst + 12, dst, 4);
	p->ip_len = iplen;
	if ((fragoff & 0x1fff) != 0) {
		p->frag = 2;
		return DS_FRAG_NONFIRST;
	}
	if (fragoff & 0x2000)	/* more fragments */
		p->frag = 1;
	l4 = decode_bounded(r, iplen - hlen);
	return decode_l4(p, &l4, iplen - hlen);
}

/*
 * IPv6, RFC 8200 3-4: a 40-byte fixed header, then a chain of extension
 * headers, each naming the next: hop-by-hop options, routing, destination
 * options (length in 8-byte units, not counting the first 8), fragment
 * (8 bytes; only offset 0 carries the transport header) and AH (RFC 4302
 * 2.2: length in 4-byte units minus 2).  ESP and No Next Header end the
 * chain with nothing we can read: DS_OTHER_L4.
 */
static enum decode_status
decode_ipv6(struct packet *p, struct rd *r, uint32_t wire)
{
	struct rd ext;
	uint32_t plen, iplen, left, elen;
	uint16_t fragoff;
	uint8_t vtc, nh, hlim, nxt, len8;
	int n;

	if (!rd_has(r, 1))
		return DS_IPV6_TRUNC;
	vtc = r->base[r->off];
	if (vtc >> 4 != 6)
		return DS_IPV6_BAD_VERSION;
	if (!rd_has(r, IPV6_HLEN))
		return DS_IPV6_TRUNC;
	rd_skip(r, 4);		/* version, traffic class, flow label */
	plen = rd_be16(r);
	nh = rd_u8(r);
	hlim = rd_u8(r);
	rd_bytes(r, p->src, 16);
	rd_bytes(r, p->dst, 16);

	/*
	 * Payload length 0: a jumbogram (RFC 2675, length in the hop-by-hop
	 * header) or a TSO/"big TCP" capture (the kernel leaves it 0): the
	 * wire length is all we have.  Only an empty packet says 0 and means
	 * it, and it has nothing to decode anyway.
	 */
	if (plen == 0 && nh != IP6_NH_NONE)
		iplen = wire;
	else
		iplen = IPV6_HLEN + plen;
	if (iplen > wire)
		iplen = wire;
	p->family = 6;
	p->ttl = hlim;
	p->ip_len = iplen;
	left = iplen - IPV6_HLEN;
	ext = decode_bounded(r, left);

	for (n = 0;; n++) {
		switch (nh) {
		case IP6_NH_HBH:
		case IP6_NH_ROUTING:
		case IP6_NH_DSTOPTS:
		case IP6_NH_FRAGMENT:
		case IP6_NH_AH:
			break;
		default:
			p->ip_proto = nh;
			return decode_l4(p, &ext, left);
		}
		if (n == SW_DECODE_MAX_V6_EXT)
			return DS_IPV6_EXT_TOO_MANY;
		if (!rd_has(&ext, 2))
			return DS_IPV6_EXT_TRUNC;
		nxt = rd_u8(&ext);
		len8 = rd_u8(&ext);
		if (nh == IP6_NH_FRAGMENT)
			elen = 8;
		else if (nh == IP6_NH_AH)
			elen = ((uint32_t)len8 + 2) * 4;
		else
			elen = ((uint32_t)len8 + 1) * 8;
		if (elen > left || !rd_has(&ext, elen - 2))
			return DS_IPV6_EXT_TRUNC;
		if (nh == IP6_NH_FRAGMENT) {
			fragoff = rd_be16(&ext);
			rd_skip(&ext, 4);	/* identification */
			if ((fragoff & 0xfff8) != 0) {
				p->ip_proto = nxt;
				p->frag = 2;
				return DS_FRAG_NONFIRST;
			}
			/* M clear and offset 0: an atomic fragment
			 * (RFC 6946), a whole packet. */
			if (fragoff & 1)
				p->frag = 1;
		} else
			rd_skip(&ext, elen - 2);
		left -= elen;
		nh = nxt;
	}
}

/*
 * Ethertype dispatch, shared by Ethernet, SLL, SLL2 and LLC/SNAP: 802.1Q
 * and 802.1ad tags (IEEE 802.1Q 9.6; 0x9100 for pre-standard QinQ), PPPoE
 * sessions (RFC 2516 4; PPP protocol per RFC 1661 2), MPLS label stacks
 * (RFC 3032 2.1: pop to bottom of stack, then IP by version nibble).
 */
static enum decode_status
decode_ethertype(struct packet *p, struct rd *r, uint32_t wire, uint16_t type)
{
	uint32_t label;
	uint16_t tci, vid, proto;
	uint8_t ver;

	for (;;) {
		switch (type) {
		case ETYPE_IPV4:
			return decode_ipv4(p, r, wire - (uint32_t)r->off);
		case ETYPE_IPV6:
			return decode_ipv6(p, r, wire - (uint32_t)r->off);
		case ETYPE_VLAN:
		case ETYPE_QINQ:
		case ETYPE_QINQ_OLD:
			if (p->n_vlans == SW_DECODE_MAX_VLANS)
				return DS_VLAN_TOO_DEEP;
			if (!rd_has(r, 4))
				return DS_VLAN_TRUNC;
			tci = rd_be16(r);
			type = rd_be16(r);
			vid = tci & 0x0fff;
			if (p->n_vlans == 0)
				p->vlan = vid;
			else if (p->n_vlans == 1)
				p->inner_vlan = vid;
			p->n_vlans++;
			continue;
		case ETYPE_PPPOE_SESS:
			/*
			 * ver/type, code, session id, length, then the PPP
			 * protocol: one byte when odd (protocol field
			 * compression, RFC 1661 6.5), else two.
			 */
			if (!rd_has(r, 7))
				return DS_PPPOE_TRUNC;
			rd_skip(r, 6);
			proto = rd_u8(r);
			if ((proto & 1) == 0) {
				if (!rd_has(r, 1))
					return DS_PPPOE_TRUNC;
				proto = (uint16_t)(proto << 8 | rd_u8(r));
			}
			if (proto == PPP_IPV4)
				type = ETYPE_IPV4;
			else if (proto == PPP_IPV6)
				type = ETYPE_IPV6;
			else
				return DS_NOT_IP;	/* LCP, IPCP, ... */
			continue;
		case ETYPE_MPLS_UC:
		case ETYPE_MPLS_MC:
			/* Bounded by the capture: one label per 4 bytes. */
			do {
				if (!rd_has(r, 4))
					return DS_MPLS_TRUNC;
				label = rd_be32(r);
			} while ((label & 0x100) == 0);
			if (!rd_has(r, 1))
				return DS_MPLS_TRUNC;
			ver = r->base[r->off] >> 4;
			if (ver == 4)
				type = ETYPE_IPV4;
			else if (ver == 6)
				type = ETYPE_IPV6;
			else
				return DS_NOT_IP;	/* pseudowire */
			continue;
		default:
			return DS_NOT_IP;
		}
	}
}

/*
 * IEEE 802.2 LLC: only SNAP (RFC 1042: AA AA 03, OUI 0) carries an
 * ethertype we may know; anything else (STP, NetBIOS, ...) is not IP.
 */
static enum decode_status
decode_llc(struct packet *p, struct rd *r, uint32_t wire,
    enum decode_status trunc)
{
	uint32_t oui;
	uint16_t type;
	uint8_t dsap, ssap, ctl;

	if (!rd_has(r, 3))
		return trunc;
	dsap = rd_u8(r);
	ssap = rd_u8(r);
	ctl = rd_u8(r);
	if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03)
		return DS_NOT_IP;
	if (!rd_has(r, 5))
		return trunc;
	oui = (uint32_t)rd_u8(r) << 16;
	oui |= rd_be16(r);
	type = rd_be16(r);
	if (oui != 0)
		return DS_NOT_IP;
	return decode_ethertype(p, r, wire, type);
}

/*
 * Ethernet II (IEEE 802.3 3.1.1, RFC 894): destination, source, type.  A
 * value below 0x0600 is an 802.3 length: LLC follows.
 */
static enum decode_status
decode_eth(struct packet *p, struct rd *r, uint32_t wire)
{
	uint16_t type;

	if (!rd_has(r, ETH_HLEN))
		return DS_ETH_TRUNC;
	rd_bytes(r, p->dst_mac, 6);
	rd_bytes(r, p->src_mac, 6);
	p->has_l2 = 1;
	type = rd_be16(r);
	if (type < ETYPE_MIN)
		return decode_llc(p, r, wire, DS_ETH_TRUNC);
	return decode_ethertype(p, r, wire, type);
}

/*
 * FDDI (ANSI X3.139, RFC 1390): frame control, destination, source, then
 * LLC.  Only asynchronous LLC frames (FC 0x50-0x57) carry data.  The MAC
 * addresses are left out: libpcap's DLT_FDDI may hold them bit-swapped.
 */
static enum decode_status
decode_fddi(struct packet *p, struct rd *r, uint32_t wire)
{
	uint8_t fc;

	if (!rd_has(r, 13))
		return DS_FDDI_TRUNC;
	fc = rd_u8(r);
	rd_skip(r, 12);
	if ((fc & 0xf8) != 0x50)
		return DS_NOT_IP;	/* SMT, MAC frames, tokens */
	return decode_llc(p, r, wire, DS_FDDI_TRUNC);
}

/*
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL): packet type, ARPHRD type,
 * address length, 8 address bytes, protocol (an ethertype for the types
 * that reach IP).
 */
static enum decode_status
decode_sll(struct packet *p, struct rd *r, uint32_t wire)
{
	uint16_t proto;

	if (!rd_has(r, SLL_HLEN))
		return DS_SLL_TRUNC;
	rd_skip(r, 14);
	proto = rd_be16(r);
	return decode_ethertype(p, r, wire, proto);
}

/*
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2): protocol, reserved,
 * interface index, ARPHRD type, packet type, address length, 8 address
 * bytes.
 */
static enum decode_status
decode_sll2(struct packet *p, struct rd *r, uint32_t wire)
{
	uint16_t proto;

	if (!rd_has(r, SLL2_HLEN))
		return DS_SLL2_TRUNC;
	proto = rd_be16(r);
	rd_skip(r, 18);
	return decode_ethertype(p, r, wire, proto);
}

/*
 * BSD loopback (LINKTYPE_NULL, host byte order of the capturing machine;
 * LINKTYPE_LOOP, network order): a 4-byte address family.  AF_INET6 has a
 * different value on each system.
 */
static enum decode_status
decode_null(struct packet *p, struct rd *r, uint32_t wire, int loop)
{
	uint32_t fam;

	if (!rd_has(r, 4))
		return DS_NULL_TRUNC;
	if (loop)
		fam = rd_be32(r);
	else {
		/* Families are small: high bits mean the other order. */
		fam = rd_le32(r);
		if (fam & 0xffff0000u)
			fam = (fam >> 24) | (fam >> 8 & 0xff00) |
			    (fam << 8 & 0xff0000) | (fam << 24);
	}
	switch (fam) {
	case NULL_AF_INET:
		return decode_ipv4(p, r, wire - 4);
	case NULL_AF_INET6_LINUX:
	case NULL_AF_INET6_BSD:
	case NULL_AF_INET6_FREEBSD:
	case NULL_AF_INET6_DARWIN:
		return decode_ipv6(p, r, wire - 4);
	default:
		return DS_NULL_BAD_FAMILY;
	}
}

/*
 * Raw IP (LINKTYPE_RAW): the version nibble says which.  Neither 4 nor 6
 * counts as an IPv4 bad version: the frame claimed to be IP.
 */
static enum decode_status
decode_raw(struct packet *p, struct rd *r, uint32_t wire)
{
	if (!rd_has(r, 1))
		return DS_IPV4_TRUNC;
	if (r->base[0] >> 4 == 6)
		return decode_ipv6(p, r, wire);
	return decode_ipv4(p, r, wire);
}

static const struct packet decode_zero_packet;

enum decode_status
decode_packet(struct packet *p, int dlt, const uint8_t *buf, uint32_t caplen,
    uint32_t wirelen, int64_t ts_us)
{
	struct rd r;
	uint32_t wire;

	/*
	 * A copy of a zero packet rather than memset(): gcc turns a 112-byte
	 * memset (or a zeroing compound literal) into `rep stos`, whose
	 * start-up cost was a third of the whole decode; a copy becomes a
	 * few vector moves.
	 */
	*p = decode_zero_packet;
	p->ts_us = ts_us;
	p->caplen = caplen;
	p->wirelen = wirelen;
	/* Bytes we hold were on the wire, whatever the record says. */
	wire = wirelen < caplen ? caplen : wirelen;
	rd_init(&r, buf, caplen);

	switch (dlt) {
	case DLT_NUM_EN10MB:
		return decode_eth(p, &r, wire);
	case DLT_NUM_FDDI:
		return decode_fddi(p, &r, wire);
	case DLT_NUM_LINUX_SLL:
		return decode_sll(p, &r, wire);
	case DLT_NUM_LINUX_SLL2:
		return decode_sll2(p, &r, wire);
	case DLT_NUM_RAW:
	case DLT_NUM_RAW_OPENBSD:
	case DLT_NUM_LINKTYPE_RAW:
		return decode_raw(p, &r, wire);
	case DLT_NUM_IPV4:
		return decode_ipv4(p, &r, wire);
	case DLT_NUM_IPV6:
		return decode_ipv6(p, &r, wire);
	case DLT_NUM_NULL:
		return decode_null(p, &r, wire, 0);
	case DLT_NUM_LOOP:
		return decode_null(p, &r, wire, 1);
	default:
		return DS_UNSUPPORTED_DLT;
	}
}
