/*
 * check_pcapgen.c - tests of the capture generator itself: checksums
 * against hand-computed vectors, TCP sequence/ack bookkeeping over a whole
 * connection, DNS and TLS message layout, and byte-identical regeneration
 * of the bundled demo capture.
 *
 * Central structure: struct cap, an in-memory capture (open_memstream)
 * walked record by record with cap_next().
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pcapgen.h"

Suite *pcapgen_suite(void);

#define DEMO_PATH	"pcaps/demo-mspy.pcap"

struct cap {
	char *buf;
	size_t len;
	FILE *fp;
	size_t off;	/* next record while walking */
};

static void
cap_open(struct cap *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->fp);
}

static void
cap_done(struct cap *c)
{
	ck_assert_int_eq(fclose(c->fp), 0);
	c->fp = NULL;
	c->off = 24;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Next frame, or NULL at the end; *ts_us gets its timestamp. */
static const uint8_t *
cap_next(struct cap *c, size_t *len, uint64_t *ts_us)
{
	const uint8_t *p = (const uint8_t *)c->buf + c->off;

	if (c->off + 16 > c->len)
		return NULL;
	*len = le32(p + 8);
	ck_assert_uint_eq(*len, le32(p + 12));
	ck_assert_uint_le(c->off + 16 + *len, c->len);
	if (ts_us != NULL)
		*ts_us = (uint64_t)le32(p) * 1000000 + le32(p + 4);
	c->off += 16 + *len;
	return p + 16;
}

static void
cap_free(struct cap *c)
{
	free(c->buf);
}

/* A decoded TCP/IPv4 frame, just what the tests look at. */
struct seg {
	int c2s;
	uint32_t seq, ack;
	uint8_t flags;
	size_t len;
};

/* Verify the IPv4 and TCP checksums of frame f and fill s. */
static void
check_tcp4(const uint8_t *f, size_t flen, const uint8_t *cli, struct seg *s)
{
	const uint8_t *ip = f + 14, *tcp;
	size_t totlen, thl;
	struct pcapgen_host a, b;

	ck_assert_uint_ge(flen, 60);
	ck_assert_uint_eq(be16(f + 12), 0x0800);
	ck_assert_uint_eq(ip[0], 0x45);
	ck_assert_uint_eq(ip[9], 6);
	totlen = be16(ip + 2);
	ck_assert_uint_le(14 + totlen, flen);
	/* A correct header sums to zero with its checksum in place. */
	ck_assert_uint_eq(pcapgen_cksum(ip, 20, 0), 0);
	tcp = ip + 20;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.family = b.family = 4;
	memcpy(a.addr, ip + 12, 4);
	memcpy(b.addr, ip + 16, 4);
	ck_assert_uint_eq(pcapgen_cksum(tcp, totlen - 20,
	    pcapgen_pseudo_sum(&a, &b, 6, (uint32_t)(totlen - 20))), 0);
	thl = (size_t)(tcp[12] >> 4) * 4;
	s->c2s = memcmp(ip + 12, cli, 4) == 0;
	s->seq = be32(tcp + 4);
	s->ack = be32(tcp + 8);
	s->flags = tcp[13];
	s->len = totlen - 20 - thl;
}

START_TEST(test_cksum_vectors)
{
	/* RFC 1071 section 3 example: sum 0xddf2, checksum 0x220d. */
	static const uint8_t rfc1071[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7
	};
	/* An IPv4 header worked by hand: 192.168.0.1 -> 192.168.0.199,
	 * UDP, total length 0x73, DF, TTL 64: checksum 0xb861. */
	uint8_t ip[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
		0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
		0xc0, 0xa8, 0x00, 0xc7
	};
	static const uint8_t odd[3] = { 0x01, 0x02, 0x03 };

	ck_assert_uint_eq(pcapgen_cksum(rfc1071, sizeof(rfc1071), 0), 0x220d);
	ck_assert_uint_eq(pcapgen_cksum(ip, sizeof(ip), 0), 0xb861);
	ip[10] = 0xb8;
	ip[11] = 0x61;
	ck_assert_uint_eq(pcapgen_cksum(ip, sizeof(ip), 0), 0);
	/* Odd length: the last byte is padded with a zero byte on the
	 * right: 0x0102 + 0x0300 = 0x0402. */
	ck_assert_uint_eq(pcapgen_cksum(odd, 3, 0), (uint16_t)~0x0402);
}
END_TEST

START_TEST(test_udp_frame)
{
	struct pcapgen *g = calloc(1, sizeof(*g));
	struct pcapgen_host a, b;
	struct cap c;
	const uint8_t *f;
	size_t len;
	uint64_t ts;
	static const uint8_t hdr[24] = {
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 1, 0, 0, 0
	};

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(pcapgen_host(&a, "10.0.0.1", "02:00:00:00:00:01"), 0);
	ck_assert_int_eq(pcapgen_host(&b, "10.0.0.2", "02:00:00:00:00:02"), 0);
	ck_assert_int_eq(pcapgen_host(&b, "10.0.0.300", "02:00:00:00:00:02"),
	    -1);
	ck_assert_int_eq(pcapgen_host(&b, "10.0.0.2", "02:00:00"), -1);
	ck_assert_int_eq(pcapgen_host(&b, "10.0.0.2", "02:00:00:00:00:02"), 0);
	cap_open(&c);
	ck_assert_int_eq(pcapgen_open(g, c.fp, 1500000000123456ULL, 1), 0);
	ck_assert_int_eq(pcapgen_udp(g, &a, 1234, &b, 53,
	    (const uint8_t *)"abc", 3), 0);
	ck_assert_int_eq(pcapgen_close(g), 0);
	cap_done(&c);
	ck_assert_mem_eq(c.buf, hdr, sizeof(hdr));
	f = cap_next(&c, &len, &ts);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(ts, 1500000000123456ULL);
	/* 14 + 20 + 8 + 3 = 45, padded to the Ethernet minimum. */
	ck_assert_uint_eq(len, 60);
	ck_assert_mem_eq(f, b.mac, 6);
	ck_assert_mem_eq(f + 6, a.mac, 6);
	ck_assert_uint_eq(be16(f + 16), 31);
	ck_assert_uint_eq(pcapgen_cksum(f + 14, 20, 0), 0);
	ck_assert_uint_eq(be16(f + 34), 1234);
	ck_assert_uint_eq(be16(f + 36), 53);
	ck_assert_uint_eq(be16(f + 38), 11);
	ck_assert_uint_eq(pcapgen_cksum(f + 34, 11,
	    pcapgen_pseudo_sum(&a, &b, 17, 11)), 0);
	ck_assert_mem_eq(f + 42, "abc", 3);
	ck_assert_ptr_null(cap_next(&c, &len, &ts));
	cap_free(&c);
	free(g);
}
END_TEST

START_TEST(test_ipv6_vlan)
{
	struct pcapgen *g = calloc(1, sizeof(*g));
	struct pcapgen_host a, b;
	struct cap c;
	const uint8_t *f, *l4;
	size_t len;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(pcapgen_host(&a, "2001:db8::1", "02:00:00:00:00:01"),
	    0);
	ck_assert_int_eq(pcapgen_host(&b, "2001:db8::bad",
	    "02:00:00:00:00:02"), 0);
	cap_open(&c);
	ck_assert_int_eq(pcapgen_open(g, c.fp, 0, 1), 0);
	g->vlan = 20;
	ck_assert_int_eq(pcapgen_udp(g, &a, 5000, &b, 53, NULL, 100), 0);
	ck_assert_int_eq(pcapgen_icmp_echo(g, &a, &b, 0, 7, 1, 56), 0);
	ck_assert_int_eq(pcapgen_close(g), 0);
	cap_done(&c);
	f = cap_next(&c, &len, NULL);
	ck_assert_uint_eq(len, 18 + 40 + 8 + 100);
	ck_assert_uint_eq(be16(f + 12), 0x8100);
	ck_assert_uint_eq(be16(f + 14), 20);
	ck_assert_uint_eq(be16(f + 16), 0x86dd);
	ck_assert_uint_eq(f[18] >> 4, 6);
	ck_assert_uint_eq(be16(f + 22), 108);
	l4 = f + 58;
	ck_assert_uint_eq(pcapgen_cksum(l4, 108,
	    pcapgen_pseudo_sum(&a, &b, 17, 108)), 0);
	f = cap_next(&c, &len, NULL);
	ck_assert_uint_eq(f[24], 58);
	l4 = f + 58;
	ck_assert_uint_eq(l4[0], 128);
	ck_assert_uint_eq(pcapgen_cksum(l4, 64,
	    pcapgen_pseudo_sum(&a, &b, 58, 64)), 0);
	cap_free(&c);
	free(g);
}
END_TEST

/* The connection's segments, checked one by one against a model of both
 * ends: seq continues the sender's, ack never passes what the peer sent,
 * and the byte counts add up. */
static void
tcp_session(int mode)
{
	struct pcapgen *g = calloc(1, sizeof(*g));
	struct pcapgen_host a, b;
	struct pcapgen_tcp t;
	struct cap c;
	const uint8_t *f;
	size_t len, sent[2] = { 0, 0 };
	uint32_t isn[2], next[2];
	uint64_t ts, last_ts = 0;
	struct seg s;
	int n = 0, fins = 0, rsts = 0, syns = 0, d;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(pcapgen_host(&a, "192.168.1.23", "8c:f5:a3:4e:27:91"),
	    0);
	ck_assert_int_eq(pcapgen_host(&b, "212.129.6.180",
	    "c4:ad:34:12:0e:01"), 0);
	cap_open(&c);
	ck_assert_int_eq(pcapgen_open(g, c.fp, 1710234000000000ULL, 42), 0);
	pcapgen_tcp_init(g, &t, &a, 40000, &b, 443);
	isn[0] = t.seq[PCAPGEN_C2S];
	isn[1] = t.seq[PCAPGEN_S2C];
	if (mode == 2) {
		ck_assert_int_eq(pcapgen_tcp_unanswered(g, &t, 3), 0);
	} else {
		ck_assert_int_eq(pcapgen_tcp_connect(g, &t), 0);
		ck_assert_int_eq(pcapgen_tcp_send(g, &t, PCAPGEN_C2S, NULL,
		    5000), 0);
		ck_assert_int_eq(pcapgen_tcp_send(g, &t, PCAPGEN_S2C, NULL,
		    7301), 0);
		if (mode == 0)
			ck_assert_int_eq(pcapgen_tcp_close(g, &t,
			    PCAPGEN_C2S), 0);
		else
			ck_assert_int_eq(pcapgen_tcp_reset(g, &t,
			    PCAPGEN_S2C), 0);
	}
	ck_assert_int_eq(pcapgen_close(g), 0);
	cap_done(&c);

	next[0] = isn[0];
	next[1] = isn[1];
	while ((f = cap_next(&c, &len, &ts)) != NULL) {
		check_tcp4(f, len, a.addr, &s);
		ck_assert_uint_ge(ts, last_ts);
		last_ts = ts;
		d = s.c2s ? 0 : 1;
		ck_assert_uint_le(s.len, 1460);
		if (mode == 2) {
			/* Retransmitted SYNs: same ISN, backoff 1 s, 2 s. */
			ck_assert_uint_eq(s.flags, PCAPGEN_SYN);
			ck_assert_uint_eq(s.seq, isn[0]);
			syns++;
			continue;
		}
		ck_assert_uint_eq(s.seq, next[d]);
		if (s.flags & PCAPGEN_ACK)
			ck_assert_uint_eq(s.ack, next[!d]);
		else
			ck_assert_uint_eq(s.flags, PCAPGEN_SYN);
		if (s.flags & PCAPGEN_SYN)
			ck_assert_uint_eq(s.seq, isn[d]);
		next[d] += (uint32_t)s.len;
		next[d] += (s.flags & PCAPGEN_SYN) ? 1 : 0;
		next[d] += (s.flags & PCAPGEN_FIN) ? 1 : 0;
		sent[d] += s.len;
		fins += (s.flags & PCAPGEN_FIN) != 0;
		rsts += (s.flags & PCAPGEN_RST) != 0;
		n++;
	}
	if (mode == 2) {
		ck_assert_int_eq(syns, 3);
		ck_assert_uint_eq(last_ts, 1710234000000000ULL + 3000000);
	} else {
		ck_assert_uint_eq(sent[0], 5000);
		ck_assert_uint_eq(sent[1], 7301);
		/* 3 handshake + 4 + 6 data + ACKs: at least 16 segments. */
		ck_assert_int_ge(n, 16);
		ck_assert_int_eq(fins, mode == 0 ? 2 : 0);
		ck_assert_int_eq(rsts, mode == 1 ? 1 : 0);
		/* The generator's view agrees with the wire. */
		ck_assert_uint_eq(t.seq[PCAPGEN_C2S], next[0]);
		ck_assert_uint_eq(t.seq[PCAPGEN_S2C], next[1]);
	}
	cap_free(&c);
	free(g);
}

START_TEST(test_tcp_close)
{
	tcp_session(0);
}
END_TEST

START_TEST(test_tcp_reset)
{
	tcp_session(1);
}
END_TEST

START_TEST(test_tcp_unanswered)
{
	tcp_session(2);
}
END_TEST

START_TEST(test_dns_messages)
{
	static const uint8_t want[] = {
		0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0x00, 0x01, 0x00, 0x01
	};
	static const uint8_t addr[4] = { 203, 0, 113, 10 };
	uint8_t buf[512];
	char big[80];
	size_t n;

	n = pcapgen_dns_query(buf, sizeof(buf), 0x1234, "example.com", 1);
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	/* A trailing dot is the same name. */
	ck_assert_uint_eq(pcapgen_dns_query(buf, sizeof(buf), 0x1234,
	    "example.com.", 1), sizeof(want));
	ck_assert_uint_eq(pcapgen_dns_query(buf, sizeof(buf), 1, "a..b", 1),
	    0);
	memset(big, 'x', 64);
	big[64] = '\0';
	ck_assert_uint_eq(pcapgen_dns_query(buf, sizeof(buf), 1, big, 1), 0);
	ck_assert_uint_eq(pcapgen_dns_query(buf, 20, 1, "example.com", 1), 0);

	n = pcapgen_dns_response(buf, sizeof(buf), 0x1234, "example.com", 1,
	    addr, 1, 300);
	ck_assert_uint_eq(n, sizeof(want) + 16);
	ck_assert_uint_eq(be16(buf + 2), 0x8180);
	ck_assert_uint_eq(be16(buf + 6), 1);
	ck_assert_mem_eq(buf + 12, want + 12, sizeof(want) - 12);
	ck_assert_uint_eq(be16(buf + 29), 0xc00c);
	ck_assert_uint_eq(be16(buf + 31), 1);
	ck_assert_uint_eq(be32(buf + 35), 300);
	ck_assert_uint_eq(be16(buf + 39), 4);
	ck_assert_mem_eq(buf + 41, addr, 4);
	n = pcapgen_dns_response(buf, sizeof(buf), 7, "nx.example", 1, NULL,
	    0, 0);
	ck_assert_uint_gt(n, 12);
	ck_assert_uint_eq(be16(buf + 2) & 0xf, 3);
}
END_TEST

START_TEST(test_tls_client_hello)
{
	struct pcapgen *g = calloc(1, sizeof(*g));
	uint8_t buf[2048];
	FILE *nul;
	size_t n, off, end, elen, found = 0;
	int seen_versions = 0;

	ck_assert_ptr_nonnull(g);
	nul = fopen("/dev/null", "wb");
	ck_assert_ptr_nonnull(nul);
	ck_assert_int_eq(pcapgen_open(g, nul, 0, 3), 0);
	n = pcapgen_tls_client_hello(g, buf, sizeof(buf), "a.thd.cc");
	ck_assert_uint_gt(n, 0);
	/* Record: handshake, length covering the rest. */
	ck_assert_uint_eq(buf[0], 22);
	ck_assert_uint_eq(be16(buf + 3), n - 5);
	/* Handshake: client_hello, 24-bit length, padded to 512. */
	ck_assert_uint_eq(buf[5], 1);
	ck_assert_uint_eq((size_t)buf[6] << 16 | be16(buf + 7), n - 9);
	ck_assert_uint_eq(n - 9, 508);
	ck_assert_uint_eq(be16(buf + 9), 0x0303);
	off = 9 + 2 + 32;
	off += 1 + buf[off];			/* session id */
	off += 2 + be16(buf + off);		/* cipher suites */
	off += 1 + buf[off];			/* compression */
	ck_assert_uint_eq(be16(buf + off), n - off - 2);
	off += 2;
	end = n;
	while (off < end) {
		ck_assert_uint_le(off + 4, end);
		elen = be16(buf + off + 2);
		ck_assert_uint_le(off + 4 + elen, end);
		if (be16(buf + off) == 0) {
			/* list length, host_name type, name length, name */
			ck_assert_uint_eq(be16(buf + off + 4), elen - 2);
			ck_assert_uint_eq(buf[off + 6], 0);
			ck_assert_uint_eq(be16(buf + off + 7), 8);
			ck_assert_mem_eq(buf + off + 9, "a.thd.cc", 8);
			found++;
		}
		if (be16(buf + off) == 43)
			seen_versions = be16(buf + off + 5) == 0x0304;
		off += 4 + elen;
	}
	ck_assert_uint_eq(off, end);
	ck_assert_uint_eq(found, 1);
	ck_assert_int_eq(seen_versions, 1);
	/* No SNI: no server_name extension, still well-formed. */
	n = pcapgen_tls_client_hello(g, buf, sizeof(buf), NULL);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(be16(buf + 3), n - 5);
	ck_assert_uint_eq(pcapgen_tls_client_hello(g, buf, 100, "x"), 0);
	fclose(nul);
	free(g);
}
END_TEST

/* Generate scenario `name` into memory; returns the capture. */
static struct cap
scenario(const char *name, const struct pcapgen_opts *o)
{
	struct cap c;
	char err[SW_ERRLEN];

	cap_open(&c);
	ck_assert_msg(pcapgen_scenario_run(name, c.fp, o, err,
	    sizeof(err)) == 0, "%s: %s", name, err);
	cap_done(&c);
	return c;
}

START_TEST(test_demo_reproducible)
{
	struct pcapgen_opts o;
	struct cap a, b;
	FILE *fp;
	char *disk;
	size_t n, pkts = 0, len;
	uint64_t ts, first = 0, last = 0;

	memset(&o, 0, sizeof(o));
	a = scenario("demo", &o);
	b = scenario("demo", &o);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_mem_eq(a.buf, b.buf, a.len);
	/* Commit-sized, a few thousand packets, about 30 minutes. */
	ck_assert_uint_lt(a.len, 1000000);
	while (cap_next(&a, &len, &ts) != NULL) {
		if (pkts++ == 0)
			first = ts;
		last = ts;
	}
	ck_assert_uint_ge(pkts, 1000);
	ck_assert_uint_ge(last - first, 25 * 60 * 1000000ULL);
	/* The bundled copy is this very file (when run from the tree). */
	if ((fp = fopen(DEMO_PATH, "rb")) != NULL) {
		disk = malloc(a.len + 1);
		ck_assert_ptr_nonnull(disk);
		n = fread(disk, 1, a.len + 1, fp);
		fclose(fp);
		ck_assert_msg(n == a.len && memcmp(disk, a.buf, n) == 0,
		    DEMO_PATH " differs from `mkpcap demo`: regenerate it");
		free(disk);
	}
	cap_free(&a);
	cap_free(&b);
}
END_TEST

START_TEST(test_scenarios_run)
{
	const struct pcapgen_scenario *s;
	struct pcapgen_opts o, few = { .count = 3, .days = 1 };
	struct cap c;
	size_t len, pkts;
	char err[SW_ERRLEN];
	FILE *nul;

	memset(&o, 0, sizeof(o));
	o.count = 20000;
	for (s = pcapgen_scenarios; s->name != NULL; s++) {
		/* --count is devices there: a day of three will do */
		c = scenario(s->name,
		    strcmp(s->name, "phones") == 0 ||
			    strncmp(s->name, "fast-", 5) == 0 ?
			&few :
			&o);
		for (pkts = 0; cap_next(&c, &len, NULL) != NULL; pkts++)
			continue;
		ck_assert_msg(pkts >= 4, "%s: %zu packets", s->name, pkts);
		if (strcmp(s->name, "bench") == 0)
			ck_assert_uint_le(pkts - 20000, 1);
		cap_free(&c);
	}
	o.ip = "2001:db8::beef";
	c = scenario("c2-ip", &o);
	cap_free(&c);
	nul = fopen("/dev/null", "wb");
	ck_assert_ptr_nonnull(nul);
	ck_assert_int_eq(pcapgen_scenario_run("demo", nul, &o, err,
	    sizeof(err)), -1);
	o.ip = "not-an-ip";
	ck_assert_int_eq(pcapgen_scenario_run("c2-ip", nul, &o, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not-an-ip"));
	o.ip = NULL;
	ck_assert_int_eq(pcapgen_scenario_run("nope", nul, &o, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown scenario"));
	fclose(nul);
}
END_TEST

Suite *
pcapgen_suite(void)
{
	Suite *s = suite_create("pcapgen");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_cksum_vectors);
	tcase_add_test(tc, test_udp_frame);
	tcase_add_test(tc, test_ipv6_vlan);
	tcase_add_test(tc, test_tcp_close);
	tcase_add_test(tc, test_tcp_reset);
	tcase_add_test(tc, test_tcp_unanswered);
	tcase_add_test(tc, test_dns_messages);
	tcase_add_test(tc, test_tls_client_hello);
	tcase_add_test(tc, test_demo_reproducible);
	tcase_add_test(tc, test_scenarios_run);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
