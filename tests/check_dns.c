/*
 * check_dns.c - unit tests for the DNS parser (src/dns.c).
 *
 * Messages are built as byte arrays by a tiny writer (struct msg: a fixed
 * buffer and its length), or taken from a real capture (a response from
 * Zeek's wikipedia.pcap trace, as hex).  Every message is also cut at every
 * offset and parsed from an exactly sized heap copy, so ASan catches any
 * read past the captured bytes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

Suite *dns_suite(void);

struct msg {
	uint8_t b[4096];
	size_t n;
};

static void
put8(struct msg *m, unsigned v)
{
	ck_assert_uint_lt(m->n, sizeof(m->b));
	m->b[m->n++] = (uint8_t)v;
}

static void
put16(struct msg *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v & 0xff);
}

static void
put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* "www.example.com" as labels, with the root byte. */
static void
putname(struct msg *m, const char *name)
{
	const char *dot;
	size_t n;

	while (*name != '\0') {
		dot = strchr(name, '.');
		n = dot != NULL ? (size_t)(dot - name) : strlen(name);
		put8(m, (unsigned)n);
		while (n-- > 0)
			put8(m, (unsigned char)*name++);
		if (*name == '.')
			name++;
	}
	put8(m, 0);
}

static void
puthdr(struct msg *m, unsigned id, unsigned flags, unsigned qd, unsigned an,
    unsigned ns, unsigned ar)
{
	m->n = 0;
	put16(m, id);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

static void
putq(struct msg *m, const char *name, unsigned type)
{
	putname(m, name);
	put16(m, type);
	put16(m, DNS_CLASS_IN);
}

static void
put_a(struct msg *m, const char *owner, uint32_t ttl, uint32_t a)
{
	putname(m, owner);
	put16(m, DNS_TYPE_A);
	put16(m, DNS_CLASS_IN);
	put32(m, ttl);
	put16(m, 4);
	put32(m, a);
}

static void
put_cname(struct msg *m, const char *owner, uint32_t ttl, const char *target)
{
	size_t at;

	putname(m, owner);
	put16(m, DNS_TYPE_CNAME);
	put16(m, DNS_CLASS_IN);
	put32(m, ttl);
	at = m->n;
	put16(m, 0);
	putname(m, target);
	m->b[at] = (uint8_t)((m->n - at - 2) >> 8);
	m->b[at + 1] = (uint8_t)(m->n - at - 2);
}

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
		ck_assert_uint_lt(n, cap);
		ck_assert_int_eq(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static const char *
str(const struct dns_name *n)
{
	static char buf[DNS_NAME_STR_MAX];

	dns_name_str(n, buf, sizeof(buf), 0);
	return buf;
}

static struct dns_msg dm;	/* 17 KiB: off the test's stack */

static enum dns_status
parse(const struct msg *m)
{
	return dns_parse(&dm, m->b, m->n, m->n);
}

/*
 * Parse every prefix of buf from an exact heap copy: with the wire length
 * given, a cut is DNS_TRUNCATED or (cut after the answers) DNS_OK; with
 * the wire length unknown, any status, but no crash.
 */
static void
cut_everywhere(const uint8_t *buf, size_t len)
{
	struct dns_msg *m;
	enum dns_status st;
	uint8_t *copy;
	size_t k;

	m = malloc(sizeof(*m));
	ck_assert_ptr_nonnull(m);
	for (k = 0; k <= len; k++) {
		copy = malloc(k > 0 ? k : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf, k);
		st = dns_parse(m, copy, k, len);
		ck_assert_msg(st == DNS_OK || st == DNS_TRUNCATED,
		    "cut at %zu of %zu: %s", k, len, dns_status_key(st));
		if (k < DNS_HDR_LEN)
			ck_assert_int_eq(st, DNS_TRUNCATED);
		ck_assert_uint_le(m->n_answers, SW_DNS_MAX_ANSWERS);
		st = dns_parse(m, copy, k, k);
		ck_assert_uint_lt((unsigned)st, DNS__COUNT);
		free(copy);
	}
	free(m);
}

/* upload.wikimedia.org A: CNAME upload.pmtpa.wikimedia.org, A 208.80.152.3,
 * 3 NS, 3 additional A (Zeek testing/btest/Traces/wikipedia.pcap, frame 21). */
static const char wiki_hex[] =
    "65f0818000010002000300030675706c6f61640977696b696d65646961036f7267"
    "0000010001c00c000500010000007c000f0675706c6f616405706d747061c013c0"
    "32000100010000086c0004d0509803c013000200010000c0480006036e7331c013"
    "c013000200010000c0480006036e7332c013c013000200010000c0480006036e73"
    "30c013c081000100010000085d0004d0509882c05d000100010000085d0004d050"
    "988ec06f000100010000085d00045bc6ae04";

START_TEST(test_real_a_cname)
{
	static const uint8_t want[16] = { [10] = 0xff, [11] = 0xff,
	    208, 80, 152, 3 };
	const struct dns_name *ch[DNS_CHAIN_MAX];
	uint8_t buf[512];
	size_t n;
	int rooted;

	n = unhex(wiki_hex, buf, sizeof(buf));
	ck_assert_int_eq(dns_parse(&dm, buf, n, n), DNS_OK);
	ck_assert_uint_eq(dm.id, 0x65f0);
	ck_assert_uint_eq(dm.qr, 1);
	ck_assert_uint_eq(dm.rd, 1);
	ck_assert_uint_eq(dm.ra, 1);
	ck_assert_uint_eq(dm.rcode, 0);
	ck_assert_uint_eq(dm.ancount, 2);
	ck_assert_uint_eq(dm.nscount, 3);
	ck_assert_uint_eq(dm.has_question, 1);
	ck_assert_str_eq(str(&dm.qname), "upload.wikimedia.org");
	ck_assert_uint_eq(dm.qtype, DNS_TYPE_A);
	ck_assert_uint_eq(dm.n_answers, 2);
	ck_assert_uint_eq(dm.answers[0].type, DNS_TYPE_CNAME);
	ck_assert_uint_eq(dm.answers[0].ttl, 124);
	ck_assert_str_eq(str(&dm.answers[0].target),
	    "upload.pmtpa.wikimedia.org");
	ck_assert_uint_eq(dm.answers[1].type, DNS_TYPE_A);
	ck_assert_uint_eq(dm.answers[1].ttl, 2156);
	ck_assert_mem_eq(dm.answers[1].addr, want, 16);
	ck_assert_uint_eq(dns_chain(&dm, 0, ch, &rooted), 0);
	ck_assert_uint_eq(dns_chain(&dm, 1, ch, &rooted), 2);
	ck_assert_int_eq(rooted, 1);
	ck_assert_str_eq(str(ch[0]), "upload.wikimedia.org");
	ck_assert_str_eq(str(ch[1]), "upload.pmtpa.wikimedia.org");
	cut_everywhere(buf, n);
}
END_TEST

START_TEST(test_truncated_keeps_question)
{
	uint8_t buf[512];
	size_t n;

	n = unhex(wiki_hex, buf, sizeof(buf));
	/* Cut inside the A record: the question and the CNAME survive. */
	ck_assert_int_eq(dns_parse(&dm, buf, 70, n), DNS_TRUNCATED);
	ck_assert_uint_eq(dm.has_question, 1);
	ck_assert_str_eq(str(&dm.qname), "upload.wikimedia.org");
	ck_assert_uint_eq(dm.n_answers, 1);
	/* Cut inside the question name: no question. */
	ck_assert_int_eq(dns_parse(&dm, buf, 20, n), DNS_TRUNCATED);
	ck_assert_uint_eq(dm.has_header, 1);
	ck_assert_uint_eq(dm.has_question, 0);
}
END_TEST

START_TEST(test_aaaa)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	const struct dns_name *ch[DNS_CHAIN_MAX];
	struct msg m;
	int rooted;

	puthdr(&m, 7, 0x8180, 1, 1, 0, 0);
	putq(&m, "v6.example", DNS_TYPE_AAAA);
	put8(&m, 0xc0);		/* owner: pointer to the question name */
	put8(&m, 12);
	put16(&m, DNS_TYPE_AAAA);
	put16(&m, 0x8001);	/* mDNS cache-flush bit: still IN */
	put32(&m, 0x80000005);	/* top bit set: reads as 0 (RFC 2181 8) */
	put16(&m, 16);
	memcpy(m.b + m.n, v6, 16);
	m.n += 16;
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.qtype, DNS_TYPE_AAAA);
	ck_assert_uint_eq(dm.n_answers, 1);
	ck_assert_uint_eq(dm.answers[0].type, DNS_TYPE_AAAA);
	ck_assert_uint_eq(dm.answers[0].ttl, 0);
	ck_assert_mem_eq(dm.answers[0].addr, v6, 16);
	ck_assert_str_eq(str(&dm.answers[0].owner), "v6.example");
	ck_assert_uint_eq(dns_chain(&dm, 0, ch, &rooted), 1);
	ck_assert_int_eq(rooted, 1);
	cut_everywhere(m.b, m.n);
}
END_TEST

START_TEST(test_cname_chain)
{
	const struct dns_name *ch[DNS_CHAIN_MAX];
	struct msg m;
	int rooted, i;

	/* Records out of order, owners in other case: the walk goes back
	 * from each A through the CNAMEs, case-insensitively. */
	puthdr(&m, 9, 0x8180, 1, 5, 0, 0);
	putq(&m, "WWW.Example.COM", DNS_TYPE_A);
	put_a(&m, "b.edge.net", 20, 0x01020304);
	put_cname(&m, "a.CDN.net", 300, "B.edge.net");
	put_cname(&m, "www.example.com", 3600, "a.cdn.net");
	put_a(&m, "b.edge.net", 20, 0x01020305);
	put_a(&m, "other.example", 20, 0x05060708);
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.n_answers, 5);
	for (i = 0; i < 5; i += 3) {
		ck_assert_uint_eq(dns_chain(&dm, (size_t)i, ch, &rooted), 3);
		ck_assert_int_eq(rooted, 1);
		ck_assert_str_eq(str(ch[0]), "WWW.Example.COM");
		ck_assert_str_eq(str(ch[1]), "a.CDN.net");
		ck_assert_str_eq(str(ch[2]), "b.edge.net");
	}
	/* Unrelated record: a chain of one, not rooted. */
	ck_assert_uint_eq(dns_chain(&dm, 4, ch, &rooted), 1);
	ck_assert_int_eq(rooted, 0);
	ck_assert_str_eq(str(ch[0]), "other.example");
	cut_everywhere(m.b, m.n);
}
END_TEST

START_TEST(test_cname_loop_chain)
{
	const struct dns_name *ch[DNS_CHAIN_MAX];
	struct msg m;
	int rooted;

	puthdr(&m, 9, 0x8180, 1, 3, 0, 0);
	putq(&m, "q.example", DNS_TYPE_A);
	put_cname(&m, "x.example", 60, "y.example");
	put_cname(&m, "y.example", 60, "x.example");
	put_a(&m, "x.example", 60, 0x0a000001);
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dns_chain(&dm, 2, ch, &rooted), 3);
	ck_assert_int_eq(rooted, 0);
}
END_TEST

START_TEST(test_compression)
{
	struct msg m;

	/* Self pointer. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put8(&m, 0xc0);
	put8(&m, 12);
	put16(&m, 1);
	put16(&m, 1);
	ck_assert_int_eq(parse(&m), DNS_COMPRESSION_LOOP);
	ck_assert_str_eq(dns_status_key(DNS_COMPRESSION_LOOP),
	    "dns.compression_loop");

	/* a -> b -> a, with a label on the way. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put8(&m, 1);
	put8(&m, 'a');
	put8(&m, 0xc0);
	put8(&m, 20);		/* -> the pointer below */
	put16(&m, 1);
	put16(&m, 1);
	put8(&m, 0xc0);		/* offset 20 */
	put8(&m, 12);
	ck_assert_int_eq(parse(&m), DNS_COMPRESSION_LOOP);

	/* Forward pointer to a name later in the message: accepted. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put8(&m, 3);
	put8(&m, 'f');
	put8(&m, 'w');
	put8(&m, 'd');
	put8(&m, 0xc0);
	put8(&m, 22);
	put16(&m, 1);
	put16(&m, 1);
	putname(&m, "example.org");	/* offset 22 */
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_str_eq(str(&dm.qname), "fwd.example.org");

	/* Pointer past the message, and past the capture only. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put8(&m, 0xc1);
	put8(&m, 0x00);
	put16(&m, 1);
	put16(&m, 1);
	ck_assert_int_eq(parse(&m), DNS_BAD_NAME);
	ck_assert_int_eq(dns_parse(&dm, m.b, m.n, 300), DNS_TRUNCATED);
}
END_TEST

START_TEST(test_pointer_hops)
{
	struct msg m;
	size_t i, base;

	/* A chain of 70 pointers, each to the next: no offset revisited,
	 * but more than SW_DNS_PTR_HOPS_MAX hops. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put8(&m, 0xc0);
	put8(&m, 18);
	put16(&m, 1);
	put16(&m, 1);
	base = m.n;
	for (i = 0; i < 70; i++) {
		put8(&m, 0xc0 | (unsigned)((base + 2 * (i + 1)) >> 8));
		put8(&m, (unsigned)((base + 2 * (i + 1)) & 0xff));
	}
	putname(&m, "end");
	ck_assert_int_eq(parse(&m), DNS_COMPRESSION_LOOP);

	/* The same with 40 hops is fine. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put8(&m, 0xc0);
	put8(&m, 18);
	put16(&m, 1);
	put16(&m, 1);
	for (i = 0; i < 40; i++) {
		put8(&m, 0xc0 | (unsigned)((base + 2 * (i + 1)) >> 8));
		put8(&m, (unsigned)((base + 2 * (i + 1)) & 0xff));
	}
	putname(&m, "end");
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_str_eq(str(&dm.qname), "end");
}
END_TEST

static void
put_label(struct msg *m, size_t n, int c)
{
	put8(m, (unsigned)n);
	while (n-- > 0)
		put8(m, (unsigned)c);
}

START_TEST(test_name_limits)
{
	char buf[DNS_NAME_STR_MAX];
	struct msg m;

	/* 3 x 63 + 61: 255 wire bytes with the root, the maximum. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put_label(&m, 63, 'a');
	put_label(&m, 63, 'b');
	put_label(&m, 63, 'c');
	put_label(&m, 61, 'd');
	put8(&m, 0);
	put32(&m, 0x00010001);
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.qname.len, 255);
	ck_assert_uint_eq(dns_name_str(&dm.qname, buf, sizeof(buf), 0), 253);

	/* One byte more. */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put_label(&m, 63, 'a');
	put_label(&m, 63, 'b');
	put_label(&m, 63, 'c');
	put_label(&m, 62, 'd');
	put8(&m, 0);
	put32(&m, 0x00010001);
	ck_assert_int_eq(parse(&m), DNS_BAD_NAME);

	/* Too long once a pointer appends the question's labels. */
	puthdr(&m, 1, 0x0100, 1, 1, 0, 0);
	put_label(&m, 63, 'a');
	put_label(&m, 63, 'b');
	put_label(&m, 63, 'c');
	put8(&m, 0);
	put32(&m, 0x00010001);
	put_label(&m, 63, 'e');		/* answer owner: e + a.b.c */
	put8(&m, 0xc0);
	put8(&m, 12);
	put16(&m, 1);
	put16(&m, 1);
	put32(&m, 1);
	put16(&m, 4);
	put32(&m, 1);
	ck_assert_int_eq(parse(&m), DNS_BAD_NAME);

	/* Label types 0x40 (extended) and 0x80 (reserved). */
	puthdr(&m, 1, 0x0100, 1, 0, 0, 0);
	put8(&m, 0x41);
	put8(&m, 'x');
	put8(&m, 0);
	put32(&m, 0x00010001);
	ck_assert_int_eq(parse(&m), DNS_BAD_NAME);
	m.b[12] = 0x81;
	ck_assert_int_eq(parse(&m), DNS_BAD_NAME);
	ck_assert_str_eq(dns_status_key(DNS_BAD_NAME), "dns.bad_name");
}
END_TEST

START_TEST(test_bad_counts)
{
	struct msg m;

	puthdr(&m, 1, 0x8180, 1, 100, 0, 0);
	putq(&m, "x.example", DNS_TYPE_A);
	put_a(&m, "x.example", 60, 1);
	ck_assert_int_eq(parse(&m), DNS_BAD_COUNTS);
	ck_assert_str_eq(dns_status_key(DNS_BAD_COUNTS), "dns.bad_counts");
	puthdr(&m, 1, 0x8180, 0xffff, 0, 0, 0);
	putq(&m, "x.example", DNS_TYPE_A);
	ck_assert_int_eq(parse(&m), DNS_BAD_COUNTS);
	/* Counts that fit the byte count but not the records: truncated. */
	puthdr(&m, 1, 0x8180, 1, 2, 0, 0);
	putq(&m, "x.example", DNS_TYPE_A);
	put_a(&m, "x.example", 60, 1);
	put32(&m, 0);		/* 10 of a minimal RR's 11 bytes */
	put32(&m, 0);
	put16(&m, 0);
	ck_assert_int_eq(parse(&m), DNS_TRUNCATED);
	ck_assert_uint_eq(dm.n_answers, 1);
}
END_TEST

START_TEST(test_not_dns)
{
	struct msg m;

	puthdr(&m, 1, 0x0100, 0, 0, 0, 0);
	ck_assert_int_eq(dns_parse(&dm, m.b, 5, 5), DNS_NOT_DNS);
	ck_assert_int_eq(dns_parse(&dm, m.b, 5, 40), DNS_TRUNCATED);
	puthdr(&m, 1, 3 << 11, 0, 0, 0, 0);	/* opcode 3: unassigned */
	ck_assert_int_eq(parse(&m), DNS_NOT_DNS);
	puthdr(&m, 1, 0, 0, 0, 0, 0);	/* empty query: odd but DNS */
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.has_question, 0);
	ck_assert_str_eq(dns_status_key(DNS_NOT_DNS), "dns.not_dns");
	ck_assert_str_eq(dns_status_key(DNS__COUNT), "dns.unknown");
}
END_TEST

START_TEST(test_skip_and_rdata)
{
	struct msg m;
	int i;

	/* TXT and MX skipped by rdlength, A kept; A with rdlength 5
	 * skipped; CNAME whose target overruns its rdlength is bad. */
	puthdr(&m, 1, 0x8180, 1, 3, 0, 0);
	putq(&m, "x.example", DNS_TYPE_A);
	putname(&m, "x.example");
	put16(&m, 16);
	put16(&m, 1);
	put32(&m, 60);
	put16(&m, 3);
	put8(&m, 2);
	put8(&m, 'h');
	put8(&m, 'i');
	putname(&m, "x.example");
	put16(&m, DNS_TYPE_A);
	put16(&m, 1);
	put32(&m, 60);
	put16(&m, 5);
	put32(&m, 0x01020304);
	put8(&m, 0);
	put_a(&m, "x.example", 60, 0x01020304);
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.n_answers, 1);

	puthdr(&m, 1, 0x8180, 1, 1, 0, 0);
	putq(&m, "x.example", DNS_TYPE_A);
	put_cname(&m, "x.example", 60, "y.example");
	m.b[m.n - 12] = 3;	/* rdlength low byte: 11 -> 3 */
	ck_assert_int_eq(parse(&m), DNS_BAD_RDATA);

	/* More kept answers than SW_DNS_MAX_ANSWERS: counted. */
	puthdr(&m, 1, 0x8180, 1, SW_DNS_MAX_ANSWERS + 8, 0, 0);
	putq(&m, "x.example", DNS_TYPE_A);
	for (i = 0; i < SW_DNS_MAX_ANSWERS + 8; i++) {
		put8(&m, 0xc0);
		put8(&m, 12);
		put16(&m, DNS_TYPE_A);
		put16(&m, 1);
		put32(&m, 60);
		put16(&m, 4);
		put32(&m, (uint32_t)i);
	}
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.n_answers, SW_DNS_MAX_ANSWERS);
	ck_assert_uint_eq(dm.answers_dropped, 8);
	cut_everywhere(m.b, m.n);
}
END_TEST

/*
 * Issue 13's cost bound: a forged chain of 100 CNAMEs, each owner a
 * pointer to the previous target as resolvers compress a chain, then the
 * address.  SW_DNS_MAX_CNAMES are kept, the rest folded into the last:
 * the address still hangs off the question, through the final name.
 */
START_TEST(test_long_chain)
{
	const struct dns_name *ch[DNS_CHAIN_MAX];
	struct msg m;
	char lab[16];
	size_t prev, at, tail = 0, k;
	int rooted, i;

	puthdr(&m, 7, 0x8180, 1, 101, 0, 0);
	putq(&m, "www.example.com", DNS_TYPE_A);
	prev = 12; /* the question's name */
	for (i = 0; i < 100; i++) {
		put16(&m, 0xc000 | (unsigned)prev);
		put16(&m, DNS_TYPE_CNAME);
		put16(&m, DNS_CLASS_IN);
		put32(&m, 60);
		at = m.n;
		put16(&m, 0);
		prev = m.n;
		snprintf(lab, sizeof(lab), "c%d", i);
		if (i == 0) {
			tail = m.n + 3; /* "cdn.net" */
			putname(&m, "c0.cdn.net");
		} else {
			/* "c<i>" and a pointer to "cdn.net" */
			put8(&m, (unsigned)strlen(lab));
			for (k = 0; lab[k] != '\0'; k++)
				put8(&m, (unsigned char)lab[k]);
			put16(&m, 0xc000 | (unsigned)tail);
		}
		m.b[at] = (uint8_t)((m.n - at - 2) >> 8);
		m.b[at + 1] = (uint8_t)(m.n - at - 2);
	}
	put16(&m, 0xc000 | (unsigned)prev);
	put16(&m, DNS_TYPE_A);
	put16(&m, DNS_CLASS_IN);
	put32(&m, 60);
	put16(&m, 4);
	put32(&m, 0x0a000001);
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.n_answers, SW_DNS_MAX_CNAMES + 1);
	ck_assert_uint_eq(dm.cnames_folded, 100 - SW_DNS_MAX_CNAMES);
	ck_assert_uint_eq(dm.answers_dropped, 0);
	ck_assert_uint_eq(dm.records_unread, 0);
	ck_assert_str_eq(str(&dm.answers[SW_DNS_MAX_CNAMES - 1].target),
	    "c99.cdn.net");
	ck_assert_uint_eq(dns_chain(&dm, SW_DNS_MAX_CNAMES, ch, &rooted),
	    SW_DNS_MAX_CNAMES + 1);
	ck_assert_int_eq(rooted, 1);
	ck_assert_str_eq(str(ch[0]), "www.example.com");
	ck_assert_str_eq(str(ch[SW_DNS_MAX_CNAMES]), "c99.cdn.net");
	ck_assert_uint_eq(dm.answers[SW_DNS_MAX_CNAMES].addr[15], 1);
	cut_everywhere(m.b, m.n);

	/* A chain whose owners are written out is not folded: the links
	 * past the kept ones are dropped, the address is not rooted. */
	puthdr(&m, 7, 0x8180, 1, 7, 0, 0);
	putq(&m, "q.example", DNS_TYPE_A);
	put_cname(&m, "q.example", 60, "a.example");
	put_cname(&m, "a.example", 60, "b.example");
	put_cname(&m, "b.example", 60, "c.example");
	put_cname(&m, "c.example", 60, "d.example");
	put_cname(&m, "d.example", 60, "e.example");
	put_cname(&m, "e.example", 60, "f.example");
	put_a(&m, "f.example", 60, 0x0a000002);
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.n_answers, SW_DNS_MAX_CNAMES + 1);
	ck_assert_uint_eq(dm.answers_dropped, 6 - SW_DNS_MAX_CNAMES);
	ck_assert_uint_eq(dm.cnames_folded, 0);
	dns_chain(&dm, SW_DNS_MAX_CNAMES, ch, &rooted);
	ck_assert_int_eq(rooted, 0);
	cut_everywhere(m.b, m.n);
}
END_TEST

/* At most SW_DNS_MAX_RECORDS records are walked: the rest is counted,
 * not read, and the message is still DNS_OK. */
START_TEST(test_record_cap)
{
	struct msg m;
	unsigned i, n = 200;

	puthdr(&m, 1, 0x8180, 1, n, 0, 0);
	putq(&m, "x.example", DNS_TYPE_A);
	for (i = 0; i < n; i++) {
		put16(&m, 0xc00c);
		put16(&m, i % 2 ? DNS_TYPE_A : 99); /* kept or skipped */
		put16(&m, DNS_CLASS_IN);
		put32(&m, 60);
		put16(&m, 4);
		put32(&m, i);
	}
	ck_assert_int_eq(parse(&m), DNS_OK);
	ck_assert_uint_eq(dm.records_unread, n + 1 - SW_DNS_MAX_RECORDS);
	ck_assert_uint_eq(dm.n_answers, SW_DNS_MAX_ANSWERS);
	ck_assert_uint_eq(dm.answers_dropped,
	    (SW_DNS_MAX_RECORDS - 1) / 2 - SW_DNS_MAX_ANSWERS);
	cut_everywhere(m.b, m.n);
}
END_TEST

START_TEST(test_render)
{
	static const uint8_t odd[] = {
	    3, 'a', ' ', 'b', 4, 'x', 0x7f, '\t', 0x01,
	    6, 'C', 0xc3, 0xa9, 0xe2, 0x80, 0x8b,
	    3, 'a', 0xed, 'b', 3, 'd', '.', 't', 0 };
	struct dns_name n;
	char buf[DNS_NAME_STR_MAX], small[8];
	size_t len;

	memset(&n, 0, sizeof(n));
	n.len = 1;		/* root */
	ck_assert_uint_eq(dns_name_str(&n, buf, sizeof(buf), 0), 1);
	ck_assert_str_eq(buf, ".");
	n.len = 0;
	ck_assert_uint_eq(dns_name_str(&n, buf, sizeof(buf), 0), 0);
	ck_assert_str_eq(buf, "");

	memcpy(n.wire, odd, sizeof(odd));
	n.len = sizeof(odd);
	len = dns_name_str(&n, buf, sizeof(buf), 0);
	ck_assert_str_eq(buf, "a b.x\\177\\t\\001.C\xc3\xa9\\u200B."
	    "a\xef\xbf\xbd" "b.d.t");
	ck_assert_uint_eq(len, strlen(buf));
	dns_name_str(&n, buf, sizeof(buf), DNS_STR_LOWER);
	ck_assert_str_eq(buf, "a b.x\\177\\t\\001.c\xc3\xa9\\u200B."
	    "a\xef\xbf\xbd" "b.d.t");
	/* Cut at a whole unit: "a b.x" + "\177" does not fit in 7. */
	ck_assert_uint_eq(dns_name_str(&n, small, sizeof(small), 0), len);
	ck_assert_str_eq(small, "a b.x");
	ck_assert_uint_eq(dns_name_str(&n, small, 0, 0), len);
}
END_TEST

START_TEST(test_tcp_framing)
{
	struct dns_tcp_iter it;
	struct msg a, b, c, seg;
	const uint8_t *p;
	size_t cap, len, whole;

	puthdr(&a, 1, 0x0100, 1, 0, 0, 0);
	putq(&a, "one.example", DNS_TYPE_A);
	puthdr(&b, 2, 0x0100, 1, 0, 0, 0);
	putq(&b, "two.example", DNS_TYPE_AAAA);
	puthdr(&c, 3, 0x8180, 1, 1, 0, 0);	/* its answer is cut off */
	putq(&c, "three.example", DNS_TYPE_A);
	seg.n = 0;
	put16(&seg, (unsigned)a.n);
	memcpy(seg.b + seg.n, a.b, a.n);
	seg.n += a.n;
	put16(&seg, (unsigned)b.n);
	memcpy(seg.b + seg.n, b.b, b.n);
	seg.n += b.n;
	whole = seg.n;
	put16(&seg, (unsigned)c.n + 11);	/* third: cut after its question */
	memcpy(seg.b + seg.n, c.b, c.n);
	seg.n += c.n;

	dns_tcp_iter_init(&it, seg.b, seg.n);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_uint_eq(cap, len);
	ck_assert_int_eq(dns_parse(&dm, p, cap, len), DNS_OK);
	ck_assert_str_eq(str(&dm.qname), "one.example");
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_int_eq(dns_parse(&dm, p, cap, len), DNS_OK);
	ck_assert_str_eq(str(&dm.qname), "two.example");
	ck_assert_uint_eq(dm.qtype, DNS_TYPE_AAAA);
	ck_assert_uint_eq(dns_tcp_resume(&it), whole);
	/* The partial third still yields its question. */
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_PARTIAL);
	ck_assert_uint_eq(cap, c.n);
	ck_assert_uint_eq(len, c.n + 11);
	ck_assert_int_eq(dns_parse(&dm, p, cap, len), DNS_TRUNCATED);
	ck_assert_uint_eq(dm.has_question, 1);
	ck_assert_str_eq(str(&dm.qname), "three.example");
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_END);
	ck_assert_uint_eq(dns_tcp_resume(&it), whole + 2 + c.n + 11);

	/* Exactly two messages: END, no PARTIAL. */
	dns_tcp_iter_init(&it, seg.b, whole);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_END);
	ck_assert_uint_eq(dns_tcp_resume(&it), whole);
	/* Ends inside a length prefix: the stream is lost. */
	dns_tcp_iter_init(&it, seg.b, whole + 1);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_PARTIAL);
	ck_assert_ptr_null(p);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_END);
	ck_assert_uint_eq(dns_tcp_resume(&it), SIZE_MAX);
	/* A prefix alone (Windows sends it in its own segment). */
	dns_tcp_iter_init(&it, seg.b, 2);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_PARTIAL);
	ck_assert_uint_eq(cap, 0);
	ck_assert_uint_eq(len, a.n);
	ck_assert_uint_eq(dns_tcp_resume(&it), 2 + a.n);
	/* ... and the next segment is the body, then one more message. */
	dns_tcp_iter_body(&it, seg.b + 2, whole - 2, a.n);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_int_eq(dns_parse(&dm, p, cap, len), DNS_OK);
	ck_assert_str_eq(str(&dm.qname), "one.example");
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_MSG);
	ck_assert_int_eq(dns_parse(&dm, p, cap, len), DNS_OK);
	ck_assert_str_eq(str(&dm.qname), "two.example");
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_END);
	ck_assert_uint_eq(dns_tcp_resume(&it), whole - 2);
	/* A body cut short. */
	dns_tcp_iter_body(&it, seg.b + 2, 10, a.n);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_PARTIAL);
	ck_assert_uint_eq(cap, 10);
	ck_assert_uint_eq(len, a.n);
	ck_assert_uint_eq(dns_tcp_resume(&it), a.n);
	dns_tcp_iter_init(&it, seg.b, 0);
	ck_assert_int_eq(dns_tcp_next(&it, &p, &cap, &len), DNS_TCP_END);
	ck_assert_uint_eq(dns_tcp_resume(&it), 0);
}
END_TEST

Suite *
dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_real_a_cname);
	tcase_add_test(tc, test_truncated_keeps_question);
	tcase_add_test(tc, test_aaaa);
	tcase_add_test(tc, test_cname_chain);
	tcase_add_test(tc, test_cname_loop_chain);
	tcase_add_test(tc, test_compression);
	tcase_add_test(tc, test_pointer_hops);
	tcase_add_test(tc, test_name_limits);
	tcase_add_test(tc, test_bad_counts);
	tcase_add_test(tc, test_not_dns);
	tcase_add_test(tc, test_skip_and_rdata);
	tcase_add_test(tc, test_long_chain);
	tcase_add_test(tc, test_record_cap);
	tcase_add_test(tc, test_render);
	tcase_add_test(tc, test_tcp_framing);
	suite_add_tcase(s, tc);
	return s;
}
