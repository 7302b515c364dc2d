/*
 * decode.h - link, network and transport decoding into a flat struct packet.
 *
 * decode_packet() reads one captured frame through the bounded reader
 * (rd.h) and fills a struct packet: no allocation, no pointer into the
 * capture buffer except `payload`, which is valid only until the caller's
 * buffer is reused.  Every frame that cannot be decoded gets a named status;
 * the caller counts statuses in an array indexed by enum decode_status and
 * prints them under the stable keys of decode_status_key() (Suricata's
 * decoder.* event counters are the model).
 *
 * Supported: Ethernet II (+ 802.1Q / 802.1ad / QinQ, up to SW_DECODE_MAX_VLANS
 * tags; LLC/SNAP; PPPoE sessions; MPLS label stacks), Linux cooked capture
 * v1 and v2, FDDI with LLC/SNAP, raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6),
 * BSD loopback (DLT_NULL, DLT_LOOP); IPv4 with options and fragments (RFC 791), IPv6 with its
 * extension-header chain (RFC 8200), TCP (RFC 9293), UDP (RFC 768), ICMP
 * (RFC 792) and ICMPv6 (RFC 4443).
 * Lengths are clamped to min(caplen, wire length, IP total length).
 * Cost per packet: the headers only (at most SW_DECODE_MAX_VLANS tags,
 * the MPLS stack, 40 bytes of IPv4 options, SW_DECODE_MAX_V6_EXT IPv6
 * extension headers); the payload is never read here.
 */
#ifndef SW_DECODE_H
#define SW_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"

/*
 * Outcome of decoding one frame.  DS_OK and the "not an error" statuses
 * (decode_status_is_malformed() == 0) are normal traffic that the analyzer
 * does not turn into a connection; every other status is a malformed or
 * truncated frame.  Append new values before DS__COUNT; keys are stable.
 */
enum decode_status {
	DS_OK = 0,		/* IP packet, L4 decoded (or ICMP) */
	DS_NOT_IP,		/* ARP, LLDP, ...: not an error */
	DS_UNSUPPORTED_DLT,	/* link type we do not decode */
	DS_FRAG_NONFIRST,	/* IPv4/IPv6 fragment after the first: no ports */
	DS_OTHER_L4,		/* IP protocol other than TCP/UDP/ICMP(v6) */
	DS_ETH_TRUNC,
	DS_VLAN_TRUNC,
	DS_VLAN_TOO_DEEP,
	DS_SLL_TRUNC,
	DS_SLL2_TRUNC,
	DS_NULL_TRUNC,
	DS_NULL_BAD_FAMILY,
	DS_IPV4_TRUNC,
	DS_IPV4_BAD_VERSION,
	DS_IPV4_HLEN_TOO_SMALL,
	DS_IPV4_HLEN_TOO_LARGE,	/* header longer than total length or caplen */
	DS_IPV4_TOTLEN_TOO_SMALL,
	DS_IPV6_TRUNC,
	DS_IPV6_BAD_VERSION,
	DS_IPV6_EXT_TRUNC,
	DS_IPV6_EXT_TOO_MANY,
	DS_TCP_TRUNC,
	DS_TCP_HLEN_TOO_SMALL,
	DS_TCP_HLEN_TOO_LARGE,
	DS_UDP_TRUNC,
	DS_UDP_LEN_BAD,
	DS_ICMP_TRUNC,
	DS_ICMP6_TRUNC,
	DS_PPPOE_TRUNC,
	DS_MPLS_TRUNC,
	DS_FDDI_TRUNC,
	DS__COUNT
};

/* Well-known IP protocol numbers used across modules. */
#define IPPROTO_NUM_ICMP	1
#define IPPROTO_NUM_TCP		6
#define IPPROTO_NUM_UDP		17
#define IPPROTO_NUM_ICMP6	58

/* TCP flag bits as on the wire (RFC 9293 3.1). */
#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_PSH	0x08
#define TCPF_ACK	0x10
#define TCPF_URG	0x20

/* An address of that shape holds IPv4 (::ffff:0:0/96). */
static inline int
addr_is_v4mapped(const uint8_t a[16])
{
	return a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0 &&
	    a[5] == 0 && a[6] == 0 && a[7] == 0 && a[8] == 0 && a[9] == 0 &&
	    a[10] == 0xff && a[11] == 0xff;
}

/* The IPv4-mapped form of a 4-byte address. */
static inline void
addr_from_v4(uint8_t out[16], const uint8_t v4[4])
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, v4, 4);
}

/* Half of a 16-byte address as a big-endian 64-bit number (a network
 * compare or mask is then two integer operations): one load and a byte
 * swap. */
static inline uint64_t
addr_be64(const uint8_t *p)
{
	uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&v, p, 8);
	v = __builtin_bswap64(v);
#else
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
#endif
	return v;
}

/*
 * One decoded frame.  Addresses are 16 bytes: IPv6 as is, IPv4 as an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d), so every table keys on one
 * shape.  Fields past the layer that failed are zero.
 */
struct packet {
	int64_t ts_us;		/* capture timestamp, microseconds since epoch */
	uint32_t caplen;	/* bytes captured */
	uint32_t wirelen;	/* bytes on the wire */

	/* link layer */
	uint8_t has_l2;		/* src_mac/dst_mac are set */
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint8_t n_vlans;
	uint16_t vlan;		/* outer VLAN id (0 = none) */
	uint16_t inner_vlan;	/* second VLAN id (0 = none) */

	/* network layer */
	uint8_t family;		/* 4, 6, or 0 when not IP */
	uint8_t ip_proto;	/* transport protocol after IPv6 ext headers */
	uint8_t ttl;		/* IPv4 TTL or IPv6 hop limit */
	uint8_t frag;		/* 0 not fragmented, 1 first fragment, 2 later */
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t ip_len;	/* IP total length from the header (Zeek's
				 * ip_bytes counts this), clamped to wirelen */

	/* transport layer */
	uint8_t has_ports;	/* sport/dport valid (TCP, UDP) */
	uint16_t sport;
	uint16_t dport;
	uint8_t tcp_flags;	/* TCPF_* */
	uint32_t seq;
	uint32_t ack;
	uint16_t win;
	uint8_t icmp_type;	/* ICMP or ICMPv6 */
	uint8_t icmp_code;

	/*
	 * Transport payload.  payload_len is the length the headers claim
	 * (IP total length minus headers): what Zeek counts.  payload_caplen
	 * <= payload_len is what was captured and may be read at `payload`.
	 * `payload` points into the caller's frame buffer: do not keep it.
	 */
	const uint8_t *payload;
	uint32_t payload_len;
	uint32_t payload_caplen;
};

/*
 * Decode one frame of link type `dlt` (a DLT_* value from libpcap).
 * Fills *p (zeroing it first) and returns its status.  Never reads outside
 * buf[0 .. caplen).  Cost: a few dozen bounded reads, no allocation.
 */
enum decode_status decode_packet(struct packet *p, int dlt, const uint8_t *buf,
    uint32_t caplen, uint32_t wirelen, int64_t ts_us);

/* Nonzero when the link type is one decode_packet() understands. */
int decode_dlt_supported(int dlt);

/* Stable stats key for a status, e.g. "decoder.ipv4.hlen_too_small". */
const char *decode_status_key(enum decode_status s);

/* Nonzero when the status means a malformed or truncated frame. */
int decode_status_is_malformed(enum decode_status s);

#endif /* SW_DECODE_H */
