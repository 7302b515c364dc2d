/*
 * check_decode.c - unit tests for the packet decoder (src/decode.c).
 *
 * Frames are built as byte arrays by a tiny writer (struct frame: a fixed
 * buffer and its length) layer by layer, then decoded and the fields of
 * struct packet asserted.  Every sample frame is also cut at every offset
 * and decoded from an exactly sized heap copy, so ASan catches any read
 * past caplen.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

Suite *decode_suite(void);

#define DLT_NULL_	0
#define DLT_EN10MB_	1
#define DLT_RAW_	12
#define DLT_RAW_OBSD_	14
#define DLT_LT_RAW_	101
#define DLT_LOOP_	108
#define DLT_SLL_	113
#define DLT_IPV4_	228
#define DLT_IPV6_	229
#define DLT_SLL2_	276

struct frame {
	uint8_t b[2048];
	size_t n;
};

static void
put8(struct frame *f, unsigned v)
{
	ck_assert_uint_lt(f->n, sizeof(f->b));
	f->b[f->n++] = (uint8_t)v;
}

static void
put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void
putfill(struct frame *f, size_t n, unsigned v)
{
	while (n-- > 0)
		put8(f, v);
}

static const uint8_t mac_dst[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_src[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t v4m_src[16] = { [10] = 0xff, 0xff, 10, 0, 0, 1 };
static const uint8_t v4m_dst[16] = { [10] = 0xff, 0xff, 10, 0, 0, 2 };

static void
eth(struct frame *f, unsigned type)
{
	size_t i;

	for (i = 0; i < 6; i++)
		put8(f, mac_dst[i]);
	for (i = 0; i < 6; i++)
		put8(f, mac_src[i]);
	put16(f, type);
}

static void
vlan(struct frame *f, unsigned tci, unsigned type)
{
	put16(f, tci);
	put16(f, type);
}

/* IPv4 header of ihl words (options are NOPs) for l4len bytes after it. */
static void
ip4(struct frame *f, unsigned proto, size_t l4len, unsigned ihl,
    unsigned fragoff)
{
	put8(f, 0x40 | ihl);
	put8(f, 0);
	put16(f, (unsigned)(ihl * 4 + l4len));
	put16(f, 0x1234);
	put16(f, fragoff);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put32(f, 0x0a000001);
	put32(f, 0x0a000002);
	putfill(f, (ihl - 5) * 4, 1);
}

static void
ip6(struct frame *f, unsigned nh, size_t plen)
{
	size_t i;

	put32(f, 0x60000000);
	put16(f, (unsigned)plen);
	put8(f, nh);
	put8(f, 63);
	for (i = 0; i < 16; i++)
		put8(f, v6_src[i]);
	for (i = 0; i < 16; i++)
		put8(f, v6_dst[i]);
}

/* An options-style extension header of (len8 + 1) * 8 bytes (PadN). */
static void
ext6(struct frame *f, unsigned nh, unsigned len8)
{
	put8(f, nh);
	put8(f, len8);
	put8(f, 1);
	put8(f, 4 + len8 * 8);
	putfill(f, 4 + len8 * 8, 0);
}

static void
frag6(struct frame *f, unsigned nh, unsigned off8, int more)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, off8 << 3 | (more ? 1 : 0));
	put32(f, 0xabcd);
}

static void
tcp(struct frame *f, unsigned flags, unsigned doff, size_t plen)
{
	put16(f, 40000);
	put16(f, 443);
	put32(f, 1000);
	put32(f, 2000);
	put16(f, doff << 12 | flags);
	put16(f, 65535);
	put32(f, 0);
	putfill(f, doff > 5 ? (doff - 5) * 4 : 0, 1);
	putfill(f, plen, 'a');
}

static void
udp(struct frame *f, size_t plen)
{
	put16(f, 5353);
	put16(f, 53);
	put16(f, (unsigned)(8 + plen));
	put16(f, 0);
	putfill(f, plen, 'q');
}

static void
icmp(struct frame *f, unsigned type, unsigned code, size_t plen)
{
	put8(f, type);
	put8(f, code);
	put16(f, 0);
	put32(f, 0x00010001);
	putfill(f, plen, 'p');
}

static enum decode_status
dec(struct packet *p, int dlt, const struct frame *f)
{
	return decode_packet(p, dlt, f->b, (uint32_t)f->n, (uint32_t)f->n,
	    42);
}

/* --- samples: one per link type and protocol, reused by the cut test -- */

struct sample {
	const char *name;
	int dlt;
	enum decode_status want;
	struct frame f;
};

#define MAX_SAMPLES 48

static size_t
build_samples(struct sample *s)
{
	size_t n = 0;
	struct frame *f;

#define NEW(nm, d, w) (memset(&s[n], 0, sizeof(s[n])), s[n].name = (nm), \
	s[n].dlt = (d), s[n].want = (w), &s[n++].f)

	f = NEW("eth-ipv4-tcp", DLT_EN10MB_, DS_OK);
	eth(f, 0x0800); ip4(f, 6, 20 + 10, 5, 0x4000); tcp(f, 0x18, 5, 10);

	f = NEW("eth-ipv4-tcp-opts", DLT_EN10MB_, DS_OK);
	eth(f, 0x0800); ip4(f, 6, 32, 7, 0); tcp(f, 0x02, 8, 0);

	f = NEW("vlan", DLT_EN10MB_, DS_OK);
	eth(f, 0x8100); vlan(f, 100, 0x0800); ip4(f, 17, 8 + 4, 5, 0);
	udp(f, 4);

	f = NEW("qinq", DLT_EN10MB_, DS_OK);
	eth(f, 0x88a8); vlan(f, 10, 0x8100); vlan(f, 0x2000 | 20, 0x86dd);
	ip6(f, 17, 8 + 3); udp(f, 3);

	/* FDDI async LLC frame (FC 0x50), SNAP, IPv4 (Zeek's llc.pcap) */
	f = NEW("fddi-snap", 10, DS_OK);
	put8(f, 0x50); putfill(f, 12, 0x55); put8(f, 0xaa); put8(f, 0xaa);
	put8(f, 0x03); put8(f, 0); put16(f, 0); put16(f, 0x0800);
	ip4(f, 6, 20, 5, 0); tcp(f, 0x10, 5, 0);

	f = NEW("sll", DLT_SLL_, DS_OK);
	put16(f, 0); put16(f, 1); put16(f, 6); putfill(f, 8, 0xee);
	put16(f, 0x0800); ip4(f, 17, 8 + 5, 5, 0); udp(f, 5);

	f = NEW("sll2", DLT_SLL2_, DS_OK);
	put16(f, 0x86dd); put16(f, 0); put32(f, 3); put16(f, 1); put8(f, 4);
	put8(f, 6); putfill(f, 8, 0xee); ip6(f, 6, 20); tcp(f, 0x10, 5, 0);

	f = NEW("raw4", DLT_RAW_, DS_OK);
	ip4(f, 1, 8 + 6, 5, 0); icmp(f, 8, 0, 6);

	f = NEW("raw6", DLT_LT_RAW_, DS_OK);
	ip6(f, 58, 8 + 4); icmp(f, 128, 0, 4);

	f = NEW("raw-obsd", DLT_RAW_OBSD_, DS_OK);
	ip4(f, 6, 20, 5, 0); tcp(f, 0x02, 5, 0);

	f = NEW("dlt-ipv4", DLT_IPV4_, DS_OK);
	ip4(f, 17, 8, 5, 0); udp(f, 0);

	f = NEW("dlt-ipv6", DLT_IPV6_, DS_OK);
	ip6(f, 17, 9); udp(f, 1);

	f = NEW("null-le", DLT_NULL_, DS_OK);
	put32(f, 0x02000000); ip4(f, 6, 20, 5, 0); tcp(f, 0x11, 5, 0);

	f = NEW("null-be-inet6", DLT_NULL_, DS_OK);
	put32(f, 30); ip6(f, 17, 8); udp(f, 0);

	f = NEW("loop", DLT_LOOP_, DS_OK);
	put32(f, 2); ip4(f, 17, 10, 5, 0); udp(f, 2);

	f = NEW("ipv4-frag-first", DLT_EN10MB_, DS_OK);
	eth(f, 0x0800); ip4(f, 17, 16, 5, 0x2000); udp(f, 8);

	f = NEW("ipv4-frag-later", DLT_EN10MB_, DS_FRAG_NONFIRST);
	eth(f, 0x0800); ip4(f, 17, 16, 5, 0x2000 | 3); putfill(f, 16, 'z');

	f = NEW("ipv6-hbh-dst-frag", DLT_EN10MB_, DS_OK);
	eth(f, 0x86dd); ip6(f, 0, 8 + 16 + 8 + 8 + 4); ext6(f, 60, 0);
	ext6(f, 44, 1); frag6(f, 17, 0, 1); udp(f, 4);

	f = NEW("ipv6-frag-later", DLT_EN10MB_, DS_FRAG_NONFIRST);
	eth(f, 0x86dd); ip6(f, 0, 8 + 8 + 16); ext6(f, 44, 0);
	frag6(f, 17, 2, 0); putfill(f, 16, 'z');

	f = NEW("ipv6-routing-ah", DLT_EN10MB_, DS_OK);
	eth(f, 0x86dd); ip6(f, 43, 8 + 16 + 20); ext6(f, 51, 0);
	/* AH, RFC 4302: length 2 -> (2 + 2) * 4 = 16 bytes */
	put8(f, 6); put8(f, 2); put16(f, 0); put32(f, 1); put32(f, 2);
	put32(f, 0); tcp(f, 0x10, 5, 0);

	f = NEW("ipv6-esp", DLT_EN10MB_, DS_OTHER_L4);
	eth(f, 0x86dd); ip6(f, 50, 16); putfill(f, 16, 0x55);

	f = NEW("icmp", DLT_EN10MB_, DS_OK);
	eth(f, 0x0800); ip4(f, 1, 8 + 32, 5, 0); icmp(f, 3, 3, 32);

	f = NEW("icmp6", DLT_EN10MB_, DS_OK);
	eth(f, 0x86dd); ip6(f, 58, 8); icmp(f, 135, 0, 0);

	f = NEW("pppoe", DLT_EN10MB_, DS_OK);
	eth(f, 0x8864); put8(f, 0x11); put8(f, 0); put16(f, 1);
	put16(f, 2 + 28); put16(f, 0x0021); ip4(f, 17, 8, 5, 0); udp(f, 0);

	f = NEW("pppoe-pfc", DLT_EN10MB_, DS_OK);
	eth(f, 0x8864); put8(f, 0x11); put8(f, 0); put16(f, 1);
	put16(f, 1 + 48); put8(f, 0x57); ip6(f, 17, 8); udp(f, 0);

	f = NEW("mpls", DLT_EN10MB_, DS_OK);
	eth(f, 0x8847); put32(f, 16 << 12 | 64); put32(f, 17 << 12 | 0x100 |
	    64); ip4(f, 6, 20, 5, 0); tcp(f, 0x02, 5, 0);

	f = NEW("snap", DLT_EN10MB_, DS_OK);
	eth(f, 8 + 28); put8(f, 0xaa); put8(f, 0xaa); put8(f, 3); put8(f, 0);
	put16(f, 0); put16(f, 0x0800); ip4(f, 17, 8, 5, 0); udp(f, 0);

	f = NEW("arp", DLT_EN10MB_, DS_NOT_IP);
	eth(f, 0x0806); putfill(f, 28, 0);

	f = NEW("gre", DLT_EN10MB_, DS_OTHER_L4);
	eth(f, 0x0800); ip4(f, 47, 4, 5, 0); put32(f, 0x00000800);
#undef NEW
	ck_assert_uint_le(n, MAX_SAMPLES);
	return n;
}

static const struct sample *
find_sample(const struct sample *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return &s[i];
	ck_abort_msg("no sample %s", name);
	return NULL;
}

static struct sample samples[MAX_SAMPLES];

static enum decode_status
dec_sample(struct packet *p, const char *name)
{
	const struct sample *s;
	size_t n;

	n = build_samples(samples);
	s = find_sample(samples, n, name);
	return dec(p, s->dlt, &s->f);
}

START_TEST(test_samples_expected)
{
	struct packet p;
	size_t i, n;
	enum decode_status st;

	n = build_samples(samples);
	for (i = 0; i < n; i++) {
		st = dec(&p, samples[i].dlt, &samples[i].f);
		ck_assert_msg(st == samples[i].want, "%s: %s, want %s",
		    samples[i].name, decode_status_key(st),
		    decode_status_key(samples[i].want));
	}
}
END_TEST

START_TEST(test_eth_ipv4_tcp)
{
	struct packet p;

	ck_assert_int_eq(dec_sample(&p, "eth-ipv4-tcp"), DS_OK);
	ck_assert_int_eq(p.ts_us, 42);
	ck_assert_uint_eq(p.caplen, 14 + 20 + 20 + 10);
	ck_assert_uint_eq(p.has_l2, 1);
	ck_assert_mem_eq(p.dst_mac, mac_dst, 6);
	ck_assert_mem_eq(p.src_mac, mac_src, 6);
	ck_assert_uint_eq(p.n_vlans, 0);
	ck_assert_uint_eq(p.family, 4);
	ck_assert_uint_eq(p.ip_proto, 6);
	ck_assert_uint_eq(p.ttl, 64);
	ck_assert_uint_eq(p.frag, 0);
	ck_assert_mem_eq(p.src, v4m_src, 16);
	ck_assert_mem_eq(p.dst, v4m_dst, 16);
	ck_assert_uint_eq(p.ip_len, 50);
	ck_assert_uint_eq(p.has_ports, 1);
	ck_assert_uint_eq(p.sport, 40000);
	ck_assert_uint_eq(p.dport, 443);
	ck_assert_uint_eq(p.seq, 1000);
	ck_assert_uint_eq(p.ack, 2000);
	ck_assert_uint_eq(p.win, 65535);
	ck_assert_uint_eq(p.tcp_flags, TCPF_PSH | TCPF_ACK);
	ck_assert_uint_eq(p.payload_len, 10);
	ck_assert_uint_eq(p.payload_caplen, 10);
	ck_assert_mem_eq(p.payload, "aaaaaaaaaa", 10);
}
END_TEST

START_TEST(test_options)
{
	struct packet p;

	/* IPv4 IHL 7 and TCP data offset 8: both sets of options skipped */
	ck_assert_int_eq(dec_sample(&p, "eth-ipv4-tcp-opts"), DS_OK);
	ck_assert_uint_eq(p.ip_len, 28 + 32);
	ck_assert_uint_eq(p.tcp_flags, TCPF_SYN);
	ck_assert_uint_eq(p.payload_len, 0);
	ck_assert_uint_eq(p.payload_caplen, 0);
}
END_TEST

START_TEST(test_eth_padding)
{
	struct frame f = { .n = 0 };
	struct packet p;

	/* a 40-byte SYN padded to the 60-byte Ethernet minimum */
	eth(&f, 0x0800);
	ip4(&f, 6, 20, 5, 0);
	tcp(&f, TCPF_SYN, 5, 0);
	putfill(&f, 6, 0xcc);
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);
	ck_assert_uint_eq(p.ip_len, 40);
	ck_assert_uint_eq(p.payload_len, 0);
	ck_assert_uint_eq(p.payload_caplen, 0);

	/* UDP too: its length and the IP total length win over padding */
	f.n = 0;
	eth(&f, 0x0800);
	ip4(&f, 17, 8 + 2, 5, 0);
	udp(&f, 2);
	putfill(&f, 16, 0xcc);
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);
	ck_assert_uint_eq(p.payload_len, 2);
	ck_assert_uint_eq(p.payload_caplen, 2);
}
END_TEST

START_TEST(test_vlan_qinq)
{
	struct frame f = { .n = 0 };
	struct packet p;
	int i;

	ck_assert_int_eq(dec_sample(&p, "vlan"), DS_OK);
	ck_assert_uint_eq(p.n_vlans, 1);
	ck_assert_uint_eq(p.vlan, 100);
	ck_assert_uint_eq(p.inner_vlan, 0);
	ck_assert_uint_eq(p.ip_proto, 17);
	ck_assert_uint_eq(p.sport, 5353);
	ck_assert_uint_eq(p.dport, 53);
	ck_assert_uint_eq(p.payload_len, 4);

	ck_assert_int_eq(dec_sample(&p, "qinq"), DS_OK);
	ck_assert_uint_eq(p.n_vlans, 2);
	ck_assert_uint_eq(p.vlan, 10);
	ck_assert_uint_eq(p.inner_vlan, 20);	/* PCP bits masked off */
	ck_assert_uint_eq(p.family, 6);

	/* 0x9100, 0x88a8, 0x8100: three tags are allowed */
	eth(&f, 0x9100);
	vlan(&f, 1, 0x88a8);
	vlan(&f, 2, 0x8100);
	vlan(&f, 3, 0x0800);
	ip4(&f, 17, 8, 5, 0);
	udp(&f, 0);
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);
	ck_assert_uint_eq(p.n_vlans, 3);
	ck_assert_uint_eq(p.vlan, 1);
	ck_assert_uint_eq(p.inner_vlan, 2);

	/* a fourth is too deep */
	f.n = 0;
	eth(&f, 0x8100);
	for (i = 0; i < SW_DECODE_MAX_VLANS; i++)
		vlan(&f, (unsigned)i + 1, 0x8100);
	vlan(&f, 9, 0x0800);
	ip4(&f, 17, 8, 5, 0);
	udp(&f, 0);
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_VLAN_TOO_DEEP);
}
END_TEST

START_TEST(test_sll)
{
	struct packet p;

	ck_assert_int_eq(dec_sample(&p, "sll"), DS_OK);
	ck_assert_uint_eq(p.has_l2, 0);
	ck_assert_uint_eq(p.family, 4);
	ck_assert_uint_eq(p.dport, 53);
	ck_assert_uint_eq(p.payload_len, 5);

	ck_assert_int_eq(dec_sample(&p, "sll2"), DS_OK);
	ck_assert_uint_eq(p.family, 6);
	ck_assert_uint_eq(p.ip_proto, 6);
	ck_assert_uint_eq(p.ttl, 63);
	ck_assert_mem_eq(p.src, v6_src, 16);
	ck_assert_mem_eq(p.dst, v6_dst, 16);
	ck_assert_uint_eq(p.ip_len, 60);
	ck_assert_uint_eq(p.tcp_flags, TCPF_ACK);
}
END_TEST

START_TEST(test_raw)
{
	struct frame f = { .n = 0 };
	struct packet p;

	ck_assert_int_eq(dec_sample(&p, "raw4"), DS_OK);
	ck_assert_uint_eq(p.has_l2, 0);
	ck_assert_uint_eq(p.ip_proto, IPPROTO_NUM_ICMP);
	ck_assert_uint_eq(p.icmp_type, 8);
	ck_assert_uint_eq(p.has_ports, 0);
	ck_assert_uint_eq(p.payload_len, 6);

	ck_assert_int_eq(dec_sample(&p, "raw6"), DS_OK);
	ck_assert_uint_eq(p.family, 6);
	ck_assert_uint_eq(p.ip_proto, IPPROTO_NUM_ICMP6);
	ck_assert_uint_eq(p.icmp_type, 128);

	ck_assert_int_eq(dec_sample(&p, "raw-obsd"), DS_OK);
	ck_assert_int_eq(dec_sample(&p, "dlt-ipv4"), DS_OK);
	ck_assert_int_eq(dec_sample(&p, "dlt-ipv6"), DS_OK);
	ck_assert_uint_eq(p.payload_len, 1);

	/* DLT_IPV4 holding IPv6 and the other way round */
	ip6(&f, 17, 8);
	udp(&f, 0);
	ck_assert_int_eq(dec(&p, DLT_IPV4_, &f), DS_IPV4_BAD_VERSION);
	ck_assert_int_eq(dec(&p, DLT_RAW_, &f), DS_OK);
	f.n = 0;
	ip4(&f, 17, 8, 5, 0);
	udp(&f, 0);
	ck_assert_int_eq(dec(&p, DLT_IPV6_, &f), DS_IPV6_BAD_VERSION);
	/* raw IP of no version we know */
	f.b[0] = 0x55;
	ck_assert_int_eq(dec(&p, DLT_RAW_, &f), DS_IPV4_BAD_VERSION);
}
END_TEST

START_TEST(test_null_loop)
{
	struct frame f = { .n = 0 };
	struct packet p;
	static const uint32_t inet6[] = { 10, 24, 28, 30 };
	size_t i;

	ck_assert_int_eq(dec_sample(&p, "null-le"), DS_OK);
	ck_assert_uint_eq(p.family, 4);
	ck_assert_uint_eq(p.tcp_flags, TCPF_FIN | TCPF_ACK);
	ck_assert_int_eq(dec_sample(&p, "null-be-inet6"), DS_OK);
	ck_assert_uint_eq(p.family, 6);
	ck_assert_int_eq(dec_sample(&p, "loop"), DS_OK);
	ck_assert_uint_eq(p.family, 4);

	for (i = 0; i < sizeof(inet6) / sizeof(inet6[0]); i++) {
		f.n = 0;
		put8(&f, inet6[i]);	/* little-endian, as an x86 writes */
		putfill(&f, 3, 0);
		ip6(&f, 17, 8);
		udp(&f, 0);
		ck_assert_int_eq(dec(&p, DLT_NULL_, &f), DS_OK);
		ck_assert_uint_eq(p.family, 6);
		/* DLT_LOOP is network order: the same bytes are wrong */
		ck_assert_int_eq(dec(&p, DLT_LOOP_, &f), DS_NULL_BAD_FAMILY);
	}
	f.b[0] = 7;
	ck_assert_int_eq(dec(&p, DLT_NULL_, &f), DS_NULL_BAD_FAMILY);
	ck_assert(decode_status_is_malformed(DS_NULL_BAD_FAMILY));
}
END_TEST

START_TEST(test_ipv4_fragments)
{
	struct packet p;

	ck_assert_int_eq(dec_sample(&p, "ipv4-frag-first"), DS_OK);
	ck_assert_uint_eq(p.frag, 1);
	ck_assert_uint_eq(p.has_ports, 1);
	ck_assert_uint_eq(p.dport, 53);

	ck_assert_int_eq(dec_sample(&p, "ipv4-frag-later"), DS_FRAG_NONFIRST);
	ck_assert(!decode_status_is_malformed(DS_FRAG_NONFIRST));
	ck_assert_uint_eq(p.frag, 2);
	ck_assert_uint_eq(p.family, 4);
	ck_assert_uint_eq(p.ip_proto, 17);
	ck_assert_uint_eq(p.ip_len, 36);
	ck_assert_uint_eq(p.has_ports, 0);
	ck_assert_uint_eq(p.sport, 0);
	ck_assert_mem_eq(p.src, v4m_src, 16);
}
END_TEST

START_TEST(test_ipv4_first_fragment_split_tcp)
{
	struct frame f = { .n = 0 };
	struct packet p;

	/* a first fragment ending inside the TCP options (Zeek frag4-syn) */
	eth(&f, 0x0800);
	ip4(&f, 6, 24, 5, 0x2000);
	tcp(&f, TCPF_SYN, 10, 0);
	f.n = 14 + 20 + 24;
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);
	ck_assert_uint_eq(p.tcp_flags, TCPF_SYN);
	ck_assert_uint_eq(p.payload_len, 0);
	/* not fragmented: the same is malformed */
	f.b[14 + 6] = 0;
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_TCP_HLEN_TOO_LARGE);
}
END_TEST

START_TEST(test_ipv6_ext_chain)
{
	struct frame f = { .n = 0 };
	struct packet p;
	int i;

	ck_assert_int_eq(dec_sample(&p, "ipv6-hbh-dst-frag"), DS_OK);
	ck_assert_uint_eq(p.ip_proto, 17);
	ck_assert_uint_eq(p.frag, 1);
	ck_assert_uint_eq(p.ip_len, 40 + 44);
	ck_assert_uint_eq(p.payload_len, 4);
	ck_assert_mem_eq(p.payload, "qqqq", 4);

	ck_assert_int_eq(dec_sample(&p, "ipv6-frag-later"), DS_FRAG_NONFIRST);
	ck_assert_uint_eq(p.frag, 2);
	ck_assert_uint_eq(p.ip_proto, 17);
	ck_assert_uint_eq(p.has_ports, 0);

	ck_assert_int_eq(dec_sample(&p, "ipv6-routing-ah"), DS_OK);
	ck_assert_uint_eq(p.ip_proto, 6);
	ck_assert_uint_eq(p.dport, 443);

	ck_assert_int_eq(dec_sample(&p, "ipv6-esp"), DS_OTHER_L4);
	ck_assert_uint_eq(p.ip_proto, 50);

	/* No Next Header after a destination options header */
	ip6(&f, 60, 8);
	ext6(&f, 59, 0);
	ck_assert_int_eq(dec(&p, DLT_RAW_, &f), DS_OTHER_L4);
	ck_assert_uint_eq(p.ip_proto, 59);

	/* an atomic fragment (offset 0, M clear) is a whole packet */
	f.n = 0;
	ip6(&f, 44, 16);
	frag6(&f, 17, 0, 0);
	udp(&f, 0);
	ck_assert_int_eq(dec(&p, DLT_RAW_, &f), DS_OK);
	ck_assert_uint_eq(p.frag, 0);

	/* one header more than SW_DECODE_MAX_V6_EXT */
	f.n = 0;
	ip6(&f, 60, (SW_DECODE_MAX_V6_EXT + 1) * 8 + 8);
	for (i = 0; i < SW_DECODE_MAX_V6_EXT; i++)
		ext6(&f, 60, 0);
	ext6(&f, 17, 0);
	udp(&f, 0);
	ck_assert_int_eq(dec(&p, DLT_RAW_, &f), DS_IPV6_EXT_TOO_MANY);

	/* an extension header longer than the payload length says */
	f.n = 0;
	ip6(&f, 0, 8);
	ext6(&f, 17, 1);
	ck_assert_int_eq(dec(&p, DLT_RAW_, &f), DS_IPV6_EXT_TRUNC);
}
END_TEST

START_TEST(test_udp)
{
	struct frame f = { .n = 0 };
	struct packet p;

	eth(&f, 0x0800);
	ip4(&f, 17, 8 + 100, 5, 0);
	udp(&f, 100);
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);
	ck_assert_uint_eq(p.payload_len, 100);
	ck_assert_uint_eq(p.payload_caplen, 100);

	/* UDP length under 8 */
	f.b[14 + 20 + 4] = 0;
	f.b[14 + 20 + 5] = 7;
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_UDP_LEN_BAD);
	ck_assert_uint_eq(p.has_ports, 0);
	ck_assert_uint_eq(p.family, 4);	/* the IP layer was fine */
	/* UDP length past the IP payload */
	f.b[14 + 20 + 5] = 8 + 101;
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_UDP_LEN_BAD);
	/* UDP length shorter than the IP payload: UDP's wins */
	f.b[14 + 20 + 5] = 8 + 50;
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);
	ck_assert_uint_eq(p.payload_len, 50);
	ck_assert_uint_eq(p.payload_caplen, 50);
}
END_TEST

START_TEST(test_icmp)
{
	struct packet p;

	ck_assert_int_eq(dec_sample(&p, "icmp"), DS_OK);
	ck_assert_uint_eq(p.ip_proto, 1);
	ck_assert_uint_eq(p.icmp_type, 3);
	ck_assert_uint_eq(p.icmp_code, 3);
	ck_assert_uint_eq(p.has_ports, 0);
	ck_assert_uint_eq(p.sport, 0);
	ck_assert_uint_eq(p.payload_len, 32);

	ck_assert_int_eq(dec_sample(&p, "icmp6"), DS_OK);
	ck_assert_uint_eq(p.ip_proto, 58);
	ck_assert_uint_eq(p.icmp_type, 135);
	ck_assert_uint_eq(p.has_ports, 0);
	ck_assert_uint_eq(p.payload_len, 0);
}
END_TEST

START_TEST(test_pppoe_mpls_snap)
{
	struct packet p;

	ck_assert_int_eq(dec_sample(&p, "pppoe"), DS_OK);
	ck_assert_uint_eq(p.family, 4);
	ck_assert_int_eq(dec_sample(&p, "pppoe-pfc"), DS_OK);
	ck_assert_uint_eq(p.family, 6);
	ck_assert_int_eq(dec_sample(&p, "mpls"), DS_OK);
	ck_assert_uint_eq(p.family, 4);
	ck_assert_uint_eq(p.tcp_flags, TCPF_SYN);
	ck_assert_int_eq(dec_sample(&p, "snap"), DS_OK);
	ck_assert_uint_eq(p.dport, 53);
	ck_assert_int_eq(dec_sample(&p, "arp"), DS_NOT_IP);
	ck_assert_uint_eq(p.has_l2, 1);
	ck_assert_uint_eq(p.family, 0);
	ck_assert_int_eq(dec_sample(&p, "gre"), DS_OTHER_L4);
	ck_assert_uint_eq(p.ip_proto, 47);
	ck_assert_uint_eq(p.ip_len, 24);
}
END_TEST

START_TEST(test_malformed_headers)
{
	struct frame f = { .n = 0 };
	struct packet p;

	eth(&f, 0x0800);
	ip4(&f, 6, 20, 5, 0);
	tcp(&f, TCPF_SYN, 5, 0);

	f.b[14] = 0x44;		/* IHL 4 */
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_IPV4_HLEN_TOO_SMALL);
	ck_assert_uint_eq(p.family, 0);	/* the failed layer stays zero */
	f.b[14] = 0x4f;		/* IHL 15 = 60 bytes > total length 40 */
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_IPV4_HLEN_TOO_LARGE);
	f.b[14] = 0x65;		/* version 6 under ethertype IPv4 */
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_IPV4_BAD_VERSION);
	f.b[14] = 0x45;
	f.b[14 + 3] = 19;	/* total length 19 */
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_IPV4_TOTLEN_TOO_SMALL);
	f.b[14 + 3] = 40;
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);

	f.b[14 + 20 + 12] = 0x40;	/* TCP data offset 4 */
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_TCP_HLEN_TOO_SMALL);
	ck_assert_uint_eq(p.has_ports, 0);
	ck_assert_uint_eq(p.ip_proto, 6);
	f.b[14 + 20 + 12] = 0x60;	/* 24 bytes in a 20-byte segment */
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_TCP_HLEN_TOO_LARGE);

	f.n = 0;		/* version 4 under ethertype IPv6 */
	eth(&f, 0x86dd);
	ip4(&f, 6, 20, 5, 0);
	tcp(&f, TCPF_SYN, 5, 0);
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_IPV6_BAD_VERSION);

	ck_assert_int_eq(decode_packet(&p, 105, f.b, (uint32_t)f.n,
	    (uint32_t)f.n, 0), DS_UNSUPPORTED_DLT);
	ck_assert(!decode_dlt_supported(105));
	ck_assert(decode_dlt_supported(1));
	ck_assert(decode_dlt_supported(276));
}
END_TEST

START_TEST(test_lengths_tso_and_snaplen)
{
	struct frame f = { .n = 0 };
	struct packet p;

	eth(&f, 0x0800);
	ip4(&f, 6, 20 + 1000, 5, 0);
	tcp(&f, TCPF_ACK, 5, 1000);

	/* snaplen 100: the headers' lengths stand, the payload is cut */
	ck_assert_int_eq(decode_packet(&p, DLT_EN10MB_, f.b, 100,
	    (uint32_t)f.n, 0), DS_OK);
	ck_assert_uint_eq(p.ip_len, 1040);
	ck_assert_uint_eq(p.payload_len, 1000);
	ck_assert_uint_eq(p.payload_caplen, 100 - 54);

	/* IPv4 total length 0 (TSO): the wire length is used */
	f.b[14 + 2] = 0;
	f.b[14 + 3] = 0;
	ck_assert_int_eq(decode_packet(&p, DLT_EN10MB_, f.b, 100, 70000, 0),
	    DS_OK);
	ck_assert_uint_eq(p.ip_len, 70000 - 14);
	ck_assert_uint_eq(p.payload_len, 70000 - 54);
	ck_assert_uint_eq(p.payload_caplen, 100 - 54);

	/* a total length past the wire is clamped to it */
	f.b[14 + 2] = 0x40;
	ck_assert_int_eq(dec(&p, DLT_EN10MB_, &f), DS_OK);
	ck_assert_uint_eq(p.ip_len, f.n - 14);
	ck_assert_uint_eq(p.payload_len, 1000);

	/* IPv6 payload length 0 under hop-by-hop: a jumbogram */
	f.n = 0;
	ip6(&f, 0, 0);
	ext6(&f, 6, 0);
	tcp(&f, TCPF_ACK, 5, 16);
	ck_assert_int_eq(dec(&p, DLT_RAW_, &f), DS_OK);
	ck_assert_uint_eq(p.ip_len, f.n);
	ck_assert_uint_eq(p.payload_len, 16);
}
END_TEST

START_TEST(test_keys)
{
	int i, j;
	const char *k;

	for (i = 0; i < DS__COUNT; i++) {
		k = decode_status_key((enum decode_status)i);
		ck_assert_ptr_nonnull(k);
		ck_assert_msg(strncmp(k, "decoder.", 8) == 0, "%s", k);
		ck_assert_str_ne(k, "decoder.unknown");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(k,
			    decode_status_key((enum decode_status)j));
	}
	ck_assert_str_eq(decode_status_key(DS_IPV4_HLEN_TOO_SMALL),
	    "decoder.ipv4.hlen_too_small");
	ck_assert_str_eq(decode_status_key(DS_TCP_TRUNC),
	    "decoder.tcp.truncated");
	ck_assert_str_eq(decode_status_key(DS_NOT_IP), "decoder.not_ip");
	ck_assert_str_eq(decode_status_key(DS__COUNT), "decoder.unknown");
	ck_assert(!decode_status_is_malformed(DS_OK));
	ck_assert(!decode_status_is_malformed(DS_NOT_IP));
	ck_assert(!decode_status_is_malformed(DS_UNSUPPORTED_DLT));
	ck_assert(!decode_status_is_malformed(DS_OTHER_L4));
	ck_assert(decode_status_is_malformed(DS_ETH_TRUNC));
	ck_assert(decode_status_is_malformed(DS_ICMP6_TRUNC));
	ck_assert(decode_status_is_malformed(DS__COUNT - 1));
	ck_assert(!decode_status_is_malformed(DS__COUNT));
}
END_TEST

/* The payload view must lie inside the captured bytes. */
static void
check_packet_sane(const struct packet *p, const uint8_t *buf,
    uint32_t caplen, const char *name, uint32_t cut)
{
	ck_assert_msg(p->payload_caplen <= p->payload_len,
	    "%s cut %u: payload_caplen %u > payload_len %u", name, cut,
	    p->payload_caplen, p->payload_len);
	if (p->payload_caplen > 0)
		ck_assert_msg(p->payload >= buf && p->payload +
		    p->payload_caplen <= buf + caplen,
		    "%s cut %u: payload outside the capture", name, cut);
}

START_TEST(test_truncate_every_offset)
{
	struct packet p;
	size_t i, n;
	uint32_t cut, len;
	uint8_t *copy;
	enum decode_status st;
	int wl;

	n = build_samples(samples);
	for (i = 0; i < n; i++) {
		len = (uint32_t)samples[i].f.n;
		for (cut = 0; cut <= len; cut++) {
			/* exactly sized, so ASan flags any overread */
			copy = malloc(cut > 0 ? cut : 1);
			ck_assert_ptr_nonnull(copy);
			memcpy(copy, samples[i].f.b, cut);
			/* snaplen cut (wire = len) and a short frame */
			for (wl = 0; wl < 2; wl++) {
				st = decode_packet(&p, samples[i].dlt, copy,
				    cut, wl ? cut : len, 0);
				ck_assert_int_lt(st, DS__COUNT);
				ck_assert_int_ge(st, 0);
				if (cut == len)
					ck_assert_int_eq(st, samples[i].want);
				check_packet_sane(&p, copy, cut,
				    samples[i].name, cut);
				if (st == DS_OK && cut < len && wl == 0)
					ck_assert_uint_lt(p.payload_caplen,
					    p.payload_len);
			}
			free(copy);
		}
	}
}
END_TEST

Suite *
decode_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("decode");
	tc = tcase_create("decode");
	tcase_add_test(tc, test_samples_expected);
	tcase_add_test(tc, test_eth_ipv4_tcp);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_eth_padding);
	tcase_add_test(tc, test_vlan_qinq);
	tcase_add_test(tc, test_sll);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_null_loop);
	tcase_add_test(tc, test_ipv4_fragments);
	tcase_add_test(tc, test_ipv4_first_fragment_split_tcp);
	tcase_add_test(tc, test_ipv6_ext_chain);
	tcase_add_test(tc, test_udp);
	tcase_add_test(tc, test_icmp);
	tcase_add_test(tc, test_pppoe_mpls_snap);
	tcase_add_test(tc, test_malformed_headers);
	tcase_add_test(tc, test_lengths_tso_and_snaplen);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_truncate_every_offset);
	suite_add_tcase(s, tc);
	return s;
}
