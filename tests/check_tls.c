/*
 * check_tls.c - tests of the ClientHello reader and its per-flow driver.
 *
 * A small builder writes real-looking ClientHellos (Chrome-like: GREASE in
 * cipher suites, extensions and supported_versions; SNI present or absent;
 * ALPN; an optional X25519MLKEM768 key share of 1216 + 32 bytes that makes
 * the hello ~1.8 KB), cut into records of a chosen size.  The driver tests
 * deliver it as TCP segments of 1460 or 700 bytes in order, reversed, with
 * retransmitted and overlapping duplicates, across sequence wrap-around,
 * and with the pool exhausted.
 */
#include <check.h>

#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "tls.h"

Suite *tls_suite(void);

/* --- ClientHello builder --------------------------------------------------- */

struct hello_opts {
	const char *sni;	/* NULL: no server_name extension */
	const char *alpn[4];	/* NULL-terminated */
	int grease;		/* GREASE values everywhere Chrome puts them */
	int pq;			/* X25519MLKEM768 key share */
	int no_versions;	/* no supported_versions (TLS 1.2 client) */
	size_t rec_max;		/* record fragment size, 0: one record */
};

struct buf {
	uint8_t b[8192];
	size_t n;
};

static void
put8(struct buf *b, unsigned v)
{
	ck_assert_uint_lt(b->n, sizeof(b->b));
	b->b[b->n++] = (uint8_t)v;
}

static void
put16(struct buf *b, unsigned v)
{
	put8(b, v >> 8);
	put8(b, v & 0xff);
}

static void
putn(struct buf *b, const void *p, size_t n)
{
	ck_assert_uint_le(b->n + n, sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void
putfill(struct buf *b, unsigned v, size_t n)
{
	while (n-- > 0)
		put8(b, v);
}

/* Write a 16-bit length at b->b[at] covering bytes from at + 2 to the end. */
static void
patch16(struct buf *b, size_t at)
{
	size_t n = b->n - at - 2;

	b->b[at] = (uint8_t)(n >> 8);
	b->b[at + 1] = (uint8_t)n;
}

/* Build the whole record stream of a ClientHello into out; returns size. */
static size_t
build_hello(const struct hello_opts *o, uint8_t *out, size_t cap)
{
	struct buf m = { .n = 0 };
	size_t at, ext, i, off, n, total;
	unsigned cs[] = { 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c,
	    0xc030, 0xcca9, 0xcca8, 0x009c, 0x002f, 0x0035 };

	put8(&m, 1);		/* ClientHello */
	putfill(&m, 0, 3);	/* length, patched below */
	put16(&m, 0x0303);
	putfill(&m, 0x5a, 32);	/* random */
	put8(&m, 32);
	putfill(&m, 0xa5, 32);	/* session id */
	at = m.n;
	put16(&m, 0);
	if (o->grease)
		put16(&m, 0x2a2a);
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
		put16(&m, cs[i]);
	patch16(&m, at);
	put8(&m, 1);
	put8(&m, 0);		/* null compression */
	ext = m.n;
	put16(&m, 0);
	if (o->grease) {
		put16(&m, 0x0a0a);
		put16(&m, 0);
	}
	if (o->sni != NULL) {
		put16(&m, 0);
		at = m.n;
		put16(&m, 0);
		put16(&m, strlen(o->sni) + 3);
		put8(&m, 0);
		put16(&m, strlen(o->sni));
		putn(&m, o->sni, strlen(o->sni));
		patch16(&m, at);
	}
	put16(&m, 23);		/* extended_master_secret */
	put16(&m, 0);
	put16(&m, 10);		/* supported_groups */
	put16(&m, 8);
	put16(&m, 6);
	put16(&m, o->grease ? 0x4a4a : 0x0017);
	put16(&m, 0x11ec);
	put16(&m, 0x001d);
	if (o->alpn[0] != NULL) {
		put16(&m, 16);
		at = m.n;
		put16(&m, 0);
		put16(&m, 0);
		for (i = 0; o->alpn[i] != NULL; i++) {
			put8(&m, strlen(o->alpn[i]));
			putn(&m, o->alpn[i], strlen(o->alpn[i]));
		}
		patch16(&m, at);
		patch16(&m, at + 2);
	}
	if (!o->no_versions) {
		put16(&m, 43);
		put16(&m, o->grease ? 7 : 5);
		put8(&m, o->grease ? 6 : 4);
		if (o->grease)
			put16(&m, 0xfafa);	/* above 0x0304 numerically */
		put16(&m, 0x0304);
		put16(&m, 0x0303);
	}
	put16(&m, 51);		/* key_share */
	at = m.n;
	put16(&m, 0);
	put16(&m, 0);
	if (o->grease) {
		put16(&m, 0x4a4a);
		put16(&m, 1);
		put8(&m, 0);
	}
	if (o->pq) {
		put16(&m, 0x11ec);
		put16(&m, 1216 + 32);
		putfill(&m, 0x3c, 1216 + 32);
	}
	put16(&m, 0x001d);
	put16(&m, 32);
	putfill(&m, 0x77, 32);
	patch16(&m, at);
	patch16(&m, at + 2);
	if (o->grease) {
		/* GREASE encrypted_client_hello, as Chrome sends it */
		put16(&m, 0xfe0d);
		put16(&m, 282);
		putfill(&m, 0x11, 282);
		put16(&m, 0x1a1a);
		put16(&m, 1);
		put8(&m, 0);
	}
	patch16(&m, ext);
	n = m.n - 4;
	m.b[1] = (uint8_t)(n >> 16);
	m.b[2] = (uint8_t)(n >> 8);
	m.b[3] = (uint8_t)n;

	/* records of at most rec_max bytes of the message */
	total = 0;
	for (off = 0; off < m.n; off += n) {
		n = m.n - off;
		if (o->rec_max != 0 && n > o->rec_max)
			n = o->rec_max;
		ck_assert_uint_le(total + 5 + n, cap);
		out[total++] = 22;
		out[total++] = 3;
		out[total++] = 1;
		out[total++] = (uint8_t)(n >> 8);
		out[total++] = (uint8_t)n;
		memcpy(out + total, m.b + off, n);
		total += n;
	}
	return total;
}

static const struct hello_opts chrome = {
	.sni = "mspy.example.com", .alpn = { "h2", "http/1.1", NULL },
	.grease = 1, .pq = 1,
};

/* --- parser ---------------------------------------------------------------- */

START_TEST(test_whole_hello)
{
	uint8_t s[8192];
	struct tls_hello h;
	size_t n = build_hello(&chrome, s, sizeof(s));

	ck_assert_uint_gt(n, 1700);
	ck_assert_uint_lt(n, 2000);
	ck_assert_int_eq(tls_parse_client_hello(s, n, &h), TLS_OK);
	ck_assert_int_eq(h.has_sni, 1);
	ck_assert_str_eq(h.sni, "mspy.example.com");
	ck_assert_str_eq(h.alpn, "h2,http/1.1");
	ck_assert_uint_eq(h.alpn_count, 2);
	ck_assert_uint_eq(h.record_version, 0x0301);
	ck_assert_uint_eq(h.legacy_version, 0x0303);
	ck_assert_uint_eq(h.version, 0x0304);	/* not GREASE 0xfafa */
	ck_assert_int_eq(h.sni_odd, 0);
	/* trailing bytes (the next record) do not matter */
	s[n] = 20;
	ck_assert_int_eq(tls_parse_client_hello(s, n + 1, &h), TLS_OK);
}
END_TEST

START_TEST(test_no_sni_tls12)
{
	struct hello_opts o = { .alpn = { "http/1.1", NULL },
	    .no_versions = 1 };
	uint8_t s[8192];
	struct tls_hello h;
	size_t n = build_hello(&o, s, sizeof(s));

	ck_assert_int_eq(tls_parse_client_hello(s, n, &h), TLS_OK);
	ck_assert_int_eq(h.has_sni, 0);
	ck_assert_str_eq(h.sni, "");
	ck_assert_str_eq(h.alpn, "http/1.1");
	ck_assert_uint_eq(h.version, 0x0303);
}
END_TEST

START_TEST(test_grease)
{
	ck_assert(tls_is_grease(0x0a0a));
	ck_assert(tls_is_grease(0xfafa));
	ck_assert(tls_is_grease(0x3a3a));
	ck_assert(!tls_is_grease(0x0a1a));
	ck_assert(!tls_is_grease(0x0304));
	ck_assert(!tls_is_grease(0x1a0a));
}
END_TEST

START_TEST(test_spans_records)
{
	struct hello_opts o = chrome;
	uint8_t s[8192];
	struct tls_hello h;
	size_t n;

	/* 2 records; then 3-byte records: the handshake header itself
	 * spans two records */
	o.rec_max = 1024;
	n = build_hello(&o, s, sizeof(s));
	ck_assert_int_eq(tls_parse_client_hello(s, n, &h), TLS_OK);
	ck_assert_str_eq(h.sni, "mspy.example.com");
	o.pq = 0;
	o.rec_max = 3;
	n = build_hello(&o, s, sizeof(s));
	ck_assert_int_eq(tls_parse_client_hello(s, n, &h), TLS_OK);
	ck_assert_str_eq(h.sni, "mspy.example.com");
	ck_assert_str_eq(h.alpn, "h2,http/1.1");
	/* a change_cipher_spec record inside the hello is malformed */
	s[5 + 3] = 20;
	ck_assert_int_eq(tls_parse_client_hello(s, n, &h), TLS_MALFORMED);
}
END_TEST

/* Every prefix of a well-formed hello needs more; need is a lower bound. */
static void
truncate_all(size_t rec_max)
{
	struct hello_opts o = chrome;
	uint8_t s[8192], *c;
	struct tls_hello h;
	size_t n, i, sni_end = 0;
	enum tls_status st;

	o.rec_max = rec_max;
	n = build_hello(&o, s, sizeof(s));
	for (i = 0; i < n; i++) {
		/* a copy of exactly i bytes, so ASan sees any overread */
		c = malloc(i > 0 ? i : 1);
		ck_assert_ptr_nonnull(c);
		memcpy(c, s, i);
		st = tls_parse_client_hello(c, i, &h);
		free(c);
		ck_assert_msg(st == TLS_NEED_MORE, "len %zu: status %d", i,
		    (int)st);
		ck_assert_uint_gt(h.need, i);
		ck_assert_uint_le(h.need, n);
		if (h.has_sni) {
			ck_assert_str_eq(h.sni, "mspy.example.com");
			if (sni_end == 0)
				sni_end = i;
		}
	}
	/* the best-effort fields show up long before the key share ends */
	ck_assert_uint_gt(sni_end, 0);
	ck_assert_uint_lt(sni_end, 300);
}

START_TEST(test_truncate_every_offset)
{
	truncate_all(0);
	truncate_all(700);
	truncate_all(100);
}
END_TEST

/* Corrupting any single byte never crashes, and statuses stay in range. */
START_TEST(test_corrupt_every_byte)
{
	struct hello_opts o = chrome;
	uint8_t s[8192];
	struct tls_hello h;
	size_t n, i;
	unsigned v;
	enum tls_status st;

	o.rec_max = 900;
	n = build_hello(&o, s, sizeof(s));
	for (i = 0; i < n; i++) {
		for (v = 0; v < 256; v += 85) {
			uint8_t keep = s[i];

			s[i] = (uint8_t)(v ^ 0x01);
			st = tls_parse_client_hello(s, n, &h);
			ck_assert_int_lt(st, TLS__COUNT);
			if (st == TLS_OK)
				ck_assert_uint_lt(strlen(h.sni), TLS_NAME_MAX);
			s[i] = keep;
		}
	}
}
END_TEST

START_TEST(test_not_tls)
{
	static const uint8_t http[] = "GET / HTTP/1.1\r\n";
	/* SSLv2-compatible hello (RFC 5246 E.2): ignored */
	static const uint8_t v2[] = { 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00,
	    0x15, 0x00, 0x00, 0x00, 0x10 };
	/* a ServerHello record: not a ClientHello */
	static const uint8_t sh[] = { 22, 3, 3, 0, 4, 2, 0, 0, 0 };
	/* TLS alert, application data */
	static const uint8_t al[] = { 21, 3, 3, 0, 2, 2, 40 };
	struct tls_hello h;

	ck_assert_int_eq(tls_parse_client_hello(http, sizeof(http) - 1, &h),
	    TLS_NOT_TLS);
	ck_assert_int_eq(tls_parse_client_hello(v2, sizeof(v2), &h),
	    TLS_NOT_TLS);
	ck_assert_int_eq(tls_parse_client_hello(sh, sizeof(sh), &h),
	    TLS_NOT_TLS);
	ck_assert_int_eq(tls_parse_client_hello(al, sizeof(al), &h),
	    TLS_NOT_TLS);
	ck_assert_int_eq(tls_parse_client_hello(sh, 0, &h), TLS_NEED_MORE);
	ck_assert_int_eq(tls_probe(sh, 3), 1);
	ck_assert_int_eq(tls_probe(http, 3), 0);
	ck_assert_int_eq(tls_probe(v2, 3), 0);
}
END_TEST

START_TEST(test_malformed)
{
	struct hello_opts o = { .sni = "a.example", .alpn = { NULL } };
	uint8_t s[8192], t[8192];
	struct tls_hello h;
	size_t n;

	n = build_hello(&o, s, sizeof(s));
	/* session id length 33 */
	memcpy(t, s, n);
	t[5 + 4 + 2 + 32] = 33;
	ck_assert_int_eq(tls_parse_client_hello(t, n, &h), TLS_MALFORMED);
	/* extensions block longer than the message */
	memcpy(t, s, n);
	t[5 + 4 + 2 + 32 + 1 + 32 + 2 + 24 + 2] = 0x7f;
	ck_assert_int_eq(tls_parse_client_hello(t, n, &h), TLS_MALFORMED);
	/* zero-length record */
	memcpy(t, s, n);
	t[3] = 0;
	t[4] = 0;
	ck_assert_int_eq(tls_parse_client_hello(t, n, &h), TLS_MALFORMED);
	/* handshake length beyond SW_TLS_HELLO_MAX */
	memcpy(t, s, n);
	t[5 + 1] = 0x01;
	ck_assert_int_eq(tls_parse_client_hello(t, n, &h), TLS_MALFORMED);
}
END_TEST

START_TEST(test_long_odd_sni)
{
	char name[400];
	struct hello_opts o = { .sni = name, .alpn = { NULL } };
	uint8_t s[8192];
	struct tls_hello h;
	size_t n;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	name[5] = ' ';
	n = build_hello(&o, s, sizeof(s));
	ck_assert_int_eq(tls_parse_client_hello(s, n, &h), TLS_OK);
	ck_assert_int_eq(h.has_sni, 1);
	ck_assert_int_eq(h.sni_trunc, 1);
	ck_assert_int_eq(h.sni_odd, 1);
	ck_assert_uint_eq(strlen(h.sni), TLS_NAME_MAX - 1);
}
END_TEST

START_TEST(test_alpn_bounded)
{
	struct hello_opts o = { .sni = "x.test", .alpn = {
	    "abcdefghijklmnopqrstuvwxyz0123456789", "h2",
	    "abcdefghijklmnopqrstuvwxyz0123456789", NULL } };
	uint8_t s[8192];
	struct tls_hello h;
	size_t n = build_hello(&o, s, sizeof(s));

	ck_assert_int_eq(tls_parse_client_hello(s, n, &h), TLS_OK);
	ck_assert_str_eq(h.alpn, "abcdefghijklmnopqrstuvwxyz0123456789,h2");
	ck_assert_int_eq(h.alpn_trunc, 1);
	ck_assert_uint_eq(h.alpn_count, 3);
}
END_TEST

/* --- driver over segments ------------------------------------------------- */

struct seg {
	uint32_t seq;
	size_t off, len;
};

/* Feed segments in the given order; return the result of the last. */
static enum tls_feed_result
feed(struct reasm *pool, struct tls_flow *tf, int isn_known, uint32_t isn,
    const uint8_t *s, const struct seg *sg, size_t nseg, struct tls_hello *h)
{
	enum tls_feed_result res = TLS_FEED_NONE;
	size_t i;

	for (i = 0; i < nseg; i++) {
		res = tls_feed(tf, pool, NULL, 0, isn_known, isn, sg[i].seq,
		    s + sg[i].off, sg[i].len, h, NULL);
		if (res != TLS_FEED_NONE)
			ck_assert_msg(i == nseg - 1, "result at segment %zu",
			    i);
	}
	return res;
}

/* Feed segments [from, to) of one owner, 1 ms apart, known ISN 100. */
static enum tls_feed_result
feed_from(struct reasm *pool, struct tls_flow *tf, const struct reasm_owner *o,
    const uint8_t *s, const struct seg *sg, size_t from, size_t to,
    struct tls_hello *h)
{
	enum tls_feed_result res = TLS_FEED_NONE;
	size_t i;

	for (i = from; i < to && res == TLS_FEED_NONE; i++)
		res = tls_feed(tf, pool, o, 3000 + (int64_t)i * 1000, 1, 100,
		    sg[i].seq, s + sg[i].off, sg[i].len, h, NULL);
	return res;
}

/* Cut [0, n) into segments of mss bytes starting at seq base. */
static size_t
cut(struct seg *sg, size_t n, size_t mss, uint32_t base)
{
	size_t k = 0, off;

	for (off = 0; off < n; off += mss, k++) {
		sg[k].off = off;
		sg[k].len = n - off < mss ? n - off : mss;
		sg[k].seq = base + (uint32_t)off;
	}
	return k;
}

static void
check_chrome(const struct tls_hello *h)
{
	ck_assert_str_eq(h->sni, "mspy.example.com");
	ck_assert_str_eq(h->alpn, "h2,http/1.1");
	ck_assert_uint_eq(h->version, 0x0304);
}

static void
run_orders(uint32_t isn, int isn_known, size_t mss)
{
	uint8_t s[8192];
	struct seg sg[8], o[10];
	struct tls_flow tf;
	struct tls_hello h;
	struct reasm *pool;
	char err[SW_ERRLEN];
	size_t n, k, i;

	pool = reasm_new(4, 0, 1, err);
	ck_assert_ptr_nonnull(pool);
	n = build_hello(&chrome, s, sizeof(s));
	k = cut(sg, n, mss, isn + 1);
	ck_assert_uint_ge(k, 2);

	/* in order */
	memset(&tf, 0, sizeof(tf));
	ck_assert_int_eq(feed(pool, &tf, isn_known, isn, s, sg, k, &h),
	    TLS_FEED_HELLO);
	check_chrome(&h);
	ck_assert_uint_eq(tf.slot.id, 0);
	ck_assert(tf.flags & TLS_FLOW_DONE);
	ck_assert_uint_eq(reasm_stats(pool)->in_use, 0);

	/* with a duplicate of each segment before the next */
	for (i = 0; i < k; i++) {
		o[2 * i < 10 ? 2 * i : 9] = sg[i];
		if (2 * i + 1 < 10)
			o[2 * i + 1] = sg[i];
	}
	memset(&tf, 0, sizeof(tf));
	ck_assert_int_eq(feed(pool, &tf, isn_known, isn, s, o, 2 * k - 1,
	    &h), TLS_FEED_HELLO);
	check_chrome(&h);

	/* overlapping retransmission: the first segment again, grown by
	 * 100 bytes into the second, then the rest */
	memset(&tf, 0, sizeof(tf));
	o[0] = sg[0];
	o[1] = sg[0];
	o[1].len += 100;
	for (i = 1; i < k; i++)
		o[i + 1] = sg[i];
	ck_assert_int_eq(feed(pool, &tf, isn_known, isn, s, o, k + 1, &h),
	    TLS_FEED_HELLO);
	check_chrome(&h);

	if (isn_known) {
		/* reversed: only works when the stream start is known */
		for (i = 0; i < k; i++)
			o[i] = sg[k - 1 - i];
		memset(&tf, 0, sizeof(tf));
		ck_assert_int_eq(feed(pool, &tf, 1, isn, s, o, k, &h),
		    TLS_FEED_HELLO);
		check_chrome(&h);
		/* the last segment first, grown 50 bytes backwards (a
		 * repacketized retransmission), then the others in order */
		memset(&tf, 0, sizeof(tf));
		o[0] = sg[k - 1];
		o[0].off -= 50;
		o[0].seq -= 50;
		o[0].len += 50;
		for (i = 0; i + 1 < k; i++)
			o[i + 1] = sg[i];
		ck_assert_int_eq(feed(pool, &tf, 1, isn, s, o, k, &h),
		    TLS_FEED_HELLO);
		check_chrome(&h);
	}
	ck_assert_uint_eq(reasm_stats(pool)->in_use, 0);
	reasm_free(pool);
}

START_TEST(test_feed_orders)
{
	run_orders(1000, 1, 1460);	/* 2 segments */
	run_orders(1000, 1, 700);	/* 3 segments */
	run_orders(1000, 0, 1460);
	run_orders(1000, 0, 700);
	/* sequence numbers wrap inside the hello */
	run_orders(0xfffffc00u, 1, 700);
	run_orders(0xfffffc00u, 0, 700);
	run_orders(0xffffffffu, 1, 1460);	/* stream starts at 0 */
}
END_TEST

START_TEST(test_feed_exhausted)
{
	uint8_t s[8192];
	struct seg sg[4];
	struct tls_flow a, b;
	struct tls_hello h;
	struct reasm *pool;
	char err[SW_ERRLEN];
	size_t n, k;

	pool = reasm_new(1, 0, 1, err);
	ck_assert_ptr_nonnull(pool);
	n = build_hello(&chrome, s, sizeof(s));
	k = cut(sg, n, 1460, 101);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(tls_feed(&a, pool, NULL, 0, 1, 100, sg[0].seq, s,
			     sg[0].len, &h, NULL),
	    TLS_FEED_NONE);
	ck_assert_uint_eq(a.slot.id, 1);
	/* second flow: no slot left, so the first segment alone is read,
	 * and its SNI is near the start */
	ck_assert_int_eq(tls_feed(&b, pool, NULL, 0, 1, 100, sg[0].seq, s,
			     sg[0].len, &h, NULL),
	    TLS_FEED_PARTIAL);
	ck_assert_int_eq(h.has_sni, 1);
	ck_assert_str_eq(h.sni, "mspy.example.com");
	ck_assert_uint_eq(reasm_stats(pool)->exhausted, 1);
	ck_assert(b.flags & TLS_FLOW_DONE);
	/* flow a ends before its hello is whole: the slot comes back */
	tls_flow_end(&a, pool);
	ck_assert_uint_eq(reasm_stats(pool)->in_use, 0);
	ck_assert_int_eq(tls_feed(&a, pool, NULL, 0, 1, 100, sg[1].seq,
			     s + sg[1].off, sg[1].len, &h, NULL),
	    TLS_FEED_NONE);
	/* no pool at all */
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(tls_feed(&b, NULL, NULL, 0, 0, 0, sg[0].seq, s,
			     sg[0].len, &h, NULL),
	    TLS_FEED_PARTIAL);
	(void)k;
	reasm_free(pool);
}
END_TEST

/* A flow whose slot went to another stream (no handshake, or idle) gives
 * up at its next segment; the new holder reads its hello. */
START_TEST(test_feed_reclaimed)
{
	static const uint8_t
	    spoofed[16] = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 66 };
	static const uint8_t
	    phone[16] = { [10] = 0xff, [11] = 0xff, 192, 168, 1, 23 };
	const struct reasm_owner oa = { spoofed, 0 }, ob = { phone, 1 };
	uint8_t s[8192];
	struct seg sg[160];
	struct tls_flow a, b;
	struct tls_hello h;
	struct reasm *pool;
	char err[SW_ERRLEN];
	size_t n, k;

	pool = reasm_new(1, 0, 1, err);
	ck_assert_ptr_nonnull(pool);
	n = build_hello(&chrome, s, sizeof(s));
	k = cut(sg, n, 60, 101); /* the SNI past the first segment */
	ck_assert_uint_ge(k, 3);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(tls_feed(&a, pool, &oa, 0, 1, 100, sg[0].seq, s,
			     sg[0].len, &h, NULL),
	    TLS_FEED_NONE);
	ck_assert_uint_ne(a.slot.id, 0);
	ck_assert_int_eq(tls_feed(&b, pool, &ob, 1000, 1, 100, sg[0].seq, s,
			     sg[0].len, &h, NULL),
	    TLS_FEED_NONE);
	ck_assert_uint_eq(b.slot.id, a.slot.id);
	ck_assert_uint_eq(reasm_stats(pool)->reclaimed, 1);
	/* a: its slot is gone */
	ck_assert_int_eq(tls_feed(&a, pool, &oa, 2000, 1, 100, sg[1].seq,
			     s + sg[1].off, sg[1].len, &h, NULL),
	    TLS_FEED_NONE);
	ck_assert(a.flags & TLS_FLOW_DONE);
	ck_assert_int_eq(reasm_held(pool, b.slot), 1);
	/* b: whole, and a's end returns nothing of b's */
	tls_flow_end(&a, pool);
	ck_assert_uint_eq(reasm_stats(pool)->in_use, 1);
	ck_assert_int_eq(feed_from(pool, &b, &ob, s, sg, 1, k, &h),
	    TLS_FEED_HELLO);
	check_chrome(&h);
	ck_assert_uint_eq(reasm_stats(pool)->in_use, 0);
	reasm_free(pool);
}
END_TEST

START_TEST(test_feed_not_tls)
{
	static const uint8_t get[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	uint8_t s[8192];
	struct tls_flow tf;
	struct tls_hello h;
	struct reasm *pool;
	enum tls_status st;
	char err[SW_ERRLEN];
	unsigned i;

	pool = reasm_new(2, 4096, 1, err);
	ck_assert_ptr_nonnull(pool);
	memset(&tf, 0, sizeof(tf));
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 1, 7, 8, get,
			     sizeof(get) - 1, &h, &st),
	    TLS_FEED_NONE);
	ck_assert_int_eq(st, TLS_NOT_TLS);
	ck_assert(!(tf.flags & TLS_FLOW_TLS));
	/* later segments are probed, up to SW_TLS_FEED_MAX_PROBES in all */
	for (i = 1; i < SW_TLS_FEED_MAX_PROBES; i++) {
		ck_assert(!(tf.flags & TLS_FLOW_DONE));
		ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 1, 7, 8 + 27 * i,
				     get, sizeof(get) - 1, &h, &st),
		    TLS_FEED_NONE);
	}
	ck_assert(tf.flags & TLS_FLOW_DONE);
	ck_assert_uint_eq(reasm_stats(pool)->opened, 0);
	/* a later segment first holds a slot, released when the start
	 * proves not TLS */
	memset(&tf, 0, sizeof(tf));
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 1, 7, 8 + 10, get + 10,
			     sizeof(get) - 11, &h, &st),
	    TLS_FEED_NONE);
	ck_assert_uint_ne(tf.slot.id, 0);
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 1, 7, 8, get, 10, &h,
			     &st),
	    TLS_FEED_NONE);
	ck_assert_int_eq(st, TLS_NOT_TLS);
	ck_assert_uint_eq(tf.slot.id, 0);
	ck_assert_uint_eq(reasm_stats(pool)->in_use, 0);
	/* midstream without a SYN: segments that are not a hello start */
	memset(&tf, 0, sizeof(tf));
	memset(s, 0x41, 100);
	for (i = 0; i < SW_TLS_FEED_MAX_PROBES; i++)
		ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 0, 0,
				     5000 + 100 * i, s, 100, &h, &st),
		    TLS_FEED_NONE);
	ck_assert(tf.flags & TLS_FLOW_DONE);
	reasm_free(pool);
	/* a hello bigger than the slot: read what the first segment holds */
	pool = reasm_new(2, 1024, 1, err);
	ck_assert_ptr_nonnull(pool);
	memset(&tf, 0, sizeof(tf));
	ck_assert_uint_gt(build_hello(&chrome, s, sizeof(s)), 1024);
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 0, 0, 1, s, 700, &h, &st),
	    TLS_FEED_PARTIAL);
	ck_assert_int_eq(st, TLS_NEED_MORE);
	ck_assert_str_eq(h.sni, "mspy.example.com");
	ck_assert_uint_eq(tf.slot.id, 0);
	ck_assert_uint_eq(reasm_stats(pool)->opened, 0);
	reasm_free(pool);
}
END_TEST

/* SMTP STARTTLS: plaintext first, then a hello split in two segments,
 * the second arriving twice; without a SYN seen. */
START_TEST(test_feed_starttls)
{
	static const char ehlo[] = "EHLO client.example\r\n";
	static const char stls[] = "STARTTLS\r\n";
	uint8_t s[8192];
	struct tls_flow tf;
	struct tls_hello h;
	struct reasm *pool;
	char err[SW_ERRLEN];
	uint32_t seq = 0xfffffff0u;
	size_t n;

	pool = reasm_new(2, 0, 1, err);
	ck_assert_ptr_nonnull(pool);
	n = build_hello(&chrome, s, sizeof(s));
	memset(&tf, 0, sizeof(tf));
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 0, 0, seq,
			     (const uint8_t *)ehlo, sizeof(ehlo) - 1, &h, NULL),
	    TLS_FEED_NONE);
	seq += sizeof(ehlo) - 1;
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 0, 0, seq,
			     (const uint8_t *)stls, sizeof(stls) - 1, &h, NULL),
	    TLS_FEED_NONE);
	seq += sizeof(stls) - 1;
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 0, 0, seq, s, 1000, &h,
			     NULL),
	    TLS_FEED_NONE);
	ck_assert_uint_ne(tf.slot.id, 0);
	ck_assert_int_eq(tls_feed(&tf, pool, NULL, 0, 0, 0, seq + 1000,
			     s + 1000, n - 1000, &h, NULL),
	    TLS_FEED_HELLO);
	check_chrome(&h);
	ck_assert_uint_eq(reasm_stats(pool)->in_use, 0);
	reasm_free(pool);
}
END_TEST

Suite *
tls_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_whole_hello);
	tcase_add_test(tc, test_no_sni_tls12);
	tcase_add_test(tc, test_grease);
	tcase_add_test(tc, test_spans_records);
	tcase_add_test(tc, test_truncate_every_offset);
	tcase_add_test(tc, test_corrupt_every_byte);
	tcase_add_test(tc, test_not_tls);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_long_odd_sni);
	tcase_add_test(tc, test_alpn_bounded);
	tcase_add_test(tc, test_feed_orders);
	tcase_add_test(tc, test_feed_exhausted);
	tcase_add_test(tc, test_feed_reclaimed);
	tcase_add_test(tc, test_feed_not_tls);
	tcase_add_test(tc, test_feed_starttls);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
