/*
 * check_flow.c - unit tests for the connection table (src/flow.c).
 *
 * Packets are struct packet values built by hand (no pcap): TCP
 * handshakes, closes, rejects, flips, mid-stream pickups, retransmissions,
 * UDP, ICMP echo, idle timeouts per class, the cap with counted eviction,
 * flush, uid determinism and sequence wrap.  Ended connections are copied
 * by the end callback into a small array the tests inspect.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "flow.h"
#include "hash.h"
#include "homenet.h"

Suite *flow_suite(void);

#define SEC	1000000LL
#define T0	(1700000000LL * SEC)

struct ended {
	struct flow f[64]; /* the struct: not the addresses after it */
	struct flow_addrs a[64];
	char hist[64][FLOW_HISTORY_MAX];
	char uid[64][FLOW_UID_LEN]; /* flow_uid() of each */
	enum flow_end_reason why[64];
	int n;
};

static void
on_end(void *ctx, struct flow *f, enum flow_end_reason why)
{
	struct ended *e = ctx;

	if (e->n < 64) {
		e->f[e->n] = *f;
		flow_get_addrs(f, &e->a[e->n]);
		flow_history(f, e->hist[e->n]);
		flow_uid(f, e->uid[e->n]);
		e->why[e->n] = why;
		e->n++;
	}
}

/* A live flow's history, for asserts. */
static const char *
hist(const struct flow *f)
{
	static char h[FLOW_HISTORY_MAX];

	flow_history(f, h);
	return h;
}

/* The last byte of a live flow's originator address. */
static int
orig_last(const struct flow *f)
{
	struct flow_addrs a;

	flow_get_addrs(f, &a);
	return a.orig_h[15];
}

static void
set_addr(uint8_t *a, uint8_t last)
{
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	a[12] = 10;
	a[15] = last;
}

static struct packet
mk(int64_t ts, uint8_t proto, uint8_t src, uint16_t sp, uint8_t dst,
    uint16_t dp, uint32_t len)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.ts_us = ts;
	p.has_l2 = 1;
	memset(p.src_mac, src, 6);
	memset(p.dst_mac, dst, 6);
	p.family = 4;
	p.ip_proto = proto;
	p.ttl = 64;
	set_addr(p.src, src);
	set_addr(p.dst, dst);
	p.has_ports = proto != IPPROTO_NUM_ICMP;
	p.sport = sp;
	p.dport = dp;
	p.payload_len = len;
	p.ip_len = 20 + len + (proto == IPPROTO_NUM_TCP ? 20 : 8);
	p.caplen = p.wirelen = p.ip_len + 14;
	return p;
}

static struct packet
tcp(int64_t ts, uint8_t src, uint16_t sp, uint8_t dst, uint16_t dp,
    uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	struct packet p = mk(ts, IPPROTO_NUM_TCP, src, sp, dst, dp, len);

	p.tcp_flags = flags;
	p.seq = seq;
	p.ack = ack;
	p.win = 65535;
	return p;
}

static struct flow_table *
table(struct ended *e, uint32_t max)
{
	struct flow_config cfg;
	struct flow_table *t;
	char err[SW_ERRLEN];

	memset(e, 0, sizeof(*e));
	flow_config_default(&cfg);
	cfg.max_flows = max;
	cfg.seed = 42;
	t = flow_table_new(&cfg, on_end, e, err);
	ck_assert_ptr_nonnull(t);
	return t;
}

static struct flow *
feed(struct flow_table *t, struct packet p)
{
	int is_new, from_orig;

	return flow_update(t, &p, &is_new, &from_orig);
}

#define C	1	/* client 10.0.0.1:40000 */
#define S	2	/* server 10.0.0.2:80 */
#define CP	40000
#define SP	80
#define SA	(TCPF_SYN | TCPF_ACK)
#define PA	(TCPF_PSH | TCPF_ACK)
#define FA	(TCPF_FIN | TCPF_ACK)

START_TEST(test_tcp_sf)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	const struct flow *f;

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, TCPF_ACK, 1001, 5001, 0));
	feed(t, tcp(T0 + 30, C, CP, S, SP, PA, 1001, 5001, 100));
	feed(t, tcp(T0 + 40, S, SP, C, CP, TCPF_ACK, 5001, 1101, 0));
	feed(t, tcp(T0 + 50, S, SP, C, CP, PA, 5001, 1101, 200));
	feed(t, tcp(T0 + 60, C, CP, S, SP, FA, 1101, 5201, 0));
	feed(t, tcp(T0 + 70, S, SP, C, CP, FA, 5201, 1102, 0));
	feed(t, tcp(T0 + 80, C, CP, S, SP, TCPF_ACK, 1102, 5202, 0));
	flow_flush(t);
	ck_assert_int_eq(e.n, 1);
	f = &e.f[0];
	ck_assert_int_eq(e.why[0], FLOW_END_FLUSH);
	ck_assert_str_eq(flow_conn_state(f), "SF");
	ck_assert_str_eq(hist(f), "ShADadFf");
	ck_assert_str_eq(flow_proto_name(f), "tcp");
	ck_assert_uint_eq(flow_orig_bytes(f), 100);
	ck_assert_uint_eq(flow_resp_bytes(f), 200);
	ck_assert_uint_eq(f->orig_pkts, 5);
	ck_assert_uint_eq(f->resp_pkts, 4);
	ck_assert_uint_eq(f->orig_ip_bytes, 5 * 40 + 100);
	ck_assert_uint_eq(f->resp_ip_bytes, 4 * 40 + 200);
	ck_assert_int_eq(f->orig_p, CP);
	ck_assert_int_eq(f->resp_p, SP);
	ck_assert_int_eq(e.a[0].orig_h[15], C);
	ck_assert_int_eq(f->orig_l2[0], C);
	ck_assert_int_eq(f->resp_l2[0], S);
	/* The last ACK after both FINs does not extend the duration. */
	ck_assert_int_eq(f->last_us - f->first_us, 70);
	ck_assert_int_eq(e.uid[0][0], 'C');
	ck_assert_uint_eq(flow_table_stats(t)->flushed, 1);
	ck_assert_uint_eq(flow_table_stats(t)->active, 0);
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_close_delay)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, FA, 1001, 5001, 0));
	feed(t, tcp(T0 + 30, S, SP, C, CP, FA, 5001, 1002, 0));
	flow_expire(t, T0 + 30 + 5 * SEC - 1);
	ck_assert_int_eq(e.n, 0);
	flow_expire(t, T0 + 30 + 5 * SEC);
	ck_assert_int_eq(e.n, 1);
	ck_assert_int_eq(e.why[0], FLOW_END_TIMEOUT);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "SF");
	ck_assert_str_eq(e.hist[0], "ShFf");
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 0);
	flow_table_free(t);
}
END_TEST

/*
 * A server's FIN, then its RST (to data that came after): no complete
 * close, but over.  Zeek's ResetTimer ends it tcp_reset_delay (5 s) after
 * the RST, whatever comes later; before, it waited out the 5-minute idle
 * timeout.  A RST alone ends it tcp_close_delay after the last packet.
 */
START_TEST(test_tcp_fin_then_rst)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	int64_t rst = T0 + 2 * SEC;

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, TCPF_ACK, 1001, 5001, 0));
	feed(t, tcp(T0 + 30, C, CP, S, SP, PA, 1001, 5001, 100));
	feed(t, tcp(T0 + 1 * SEC, S, SP, C, CP, FA, 5001, 1101, 0));
	feed(t, tcp(rst, S, SP, C, CP, TCPF_RST, 5002, 0, 0));
	/* the client's late data does not push the deadline back */
	feed(t, tcp(rst + 1 * SEC, C, CP, S, SP, PA, 1101, 5002, 100));
	flow_expire(t, rst + 5 * SEC - 1);
	ck_assert_int_eq(e.n, 0);
	flow_expire(t, rst + 5 * SEC);
	ck_assert_int_eq(e.n, 1);
	ck_assert_int_eq(e.why[0], FLOW_END_TIMEOUT);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "RSTR");
	ck_assert_str_eq(e.hist[0], "ShADfr");
	flow_table_free(t);

	/* the client's FIN after it completes the close: 5 s from then */
	t = table(&e, 16);
	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, TCPF_ACK, 1001, 5001, 0));
	feed(t, tcp(T0 + 1 * SEC, S, SP, C, CP, FA, 5001, 1001, 0));
	feed(t, tcp(rst, S, SP, C, CP, TCPF_RST, 5002, 0, 0));
	feed(t, tcp(rst + 3 * SEC, C, CP, S, SP, FA, 1001, 5002, 0));
	flow_expire(t, rst + 8 * SEC - 1);
	ck_assert_int_eq(e.n, 0);
	flow_expire(t, rst + 8 * SEC);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "SF");
	flow_table_free(t);

	/* a RST alone */
	t = table(&e, 16);
	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, TCPF_ACK, 1001, 5001, 0));
	feed(t, tcp(rst, S, SP, C, CP, TCPF_RST, 5001, 0, 0));
	flow_expire(t, rst + 5 * SEC - 1);
	ck_assert_int_eq(e.n, 0);
	flow_expire(t, rst + 5 * SEC);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "RSTR");
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_s0_attempt)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	/* Retransmitted SYN, same ISN: same connection, no new letter. */
	feed(t, tcp(T0 + 1 * SEC, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	flow_expire(t, T0 + 5 * SEC - 1);
	ck_assert_int_eq(e.n, 0);
	/* Zeek's tcp_attempt_delay counts from the first SYN. */
	flow_expire(t, T0 + 5 * SEC);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "S0");
	ck_assert_str_eq(e.hist[0], "S");
	ck_assert_uint_eq(e.f[0].orig_pkts, 2);
	ck_assert_uint_eq(e.f[0].resp_pkts, 0);
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 0);
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_rej)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 5, S, SP, C, CP, TCPF_RST | TCPF_ACK, 0, 1001, 0));
	flow_flush(t);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "REJ");
	ck_assert_str_eq(e.hist[0], "Sr");
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 0);
	ck_assert_uint_eq(flow_resp_bytes(&e.f[0]), 0);
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_synack_first_flips)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;
	struct flow *f;
	int is_new, from_orig;

	p = tcp(T0, S, SP, C, CP, SA, 5000, 1001, 0);
	f = flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 1);
	ck_assert_int_eq(from_orig, 0);
	ck_assert_int_eq(orig_last(f), C);
	ck_assert_int_eq(f->orig_p, CP);
	ck_assert_int_eq(f->resp_p, SP);
	ck_assert_int_eq(f->orig_l2[0], C);
	p = tcp(T0 + 10, C, CP, S, SP, TCPF_ACK, 1001, 5001, 0);
	f = flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 0);
	ck_assert_int_eq(from_orig, 1);
	flow_flush(t);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(e.hist[0], "^hA");
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "S1");
	ck_assert_uint_eq(e.f[0].orig_pkts, 1);
	ck_assert_uint_eq(e.f[0].resp_pkts, 1);
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_midstream_oth)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);

	feed(t, tcp(T0, C, CP, S, SP, PA, 7777, 9000, 50));
	feed(t, tcp(T0 + 10, S, SP, C, CP, PA, 9000, 7827, 100));
	flow_flush(t);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "OTH");
	ck_assert_str_eq(e.hist[0], "Dd");
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 50);
	ck_assert_uint_eq(flow_resp_bytes(&e.f[0]), 100);
	ck_assert_int_eq(e.a[0].orig_h[15], C);
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_midstream_from_server_flips)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);

	/* First packet from port 80 to an ephemeral port: Zeek flips. */
	feed(t, tcp(T0, S, SP, C, CP, PA, 9000, 7777, 100));
	flow_flush(t);
	ck_assert_int_eq(e.a[0].orig_h[15], C);
	ck_assert_str_eq(e.hist[0], "^d");
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "OTH");
	ck_assert_uint_eq(flow_resp_bytes(&e.f[0]), 100);
	flow_table_free(t);
}
END_TEST

/*
 * A capture that starts during a phone's push connection (port 5228,
 * which Zeek's port list does not name): the server's heartbeat comes
 * first.  With the home network known, the phone is the originator;
 * without it, the first sender is, as in Zeek.  A SYN from outside is an
 * inbound connection and keeps its roles; two home hosts keep theirs.
 */
START_TEST(test_tcp_midstream_home_net)
{
	struct ended e;
	struct flow_config cfg;
	struct flow_table *t;
	struct homenet home;
	struct packet p;
	char err[SW_ERRLEN];
	int with_home, i;

	homenet_clear(&home);
	ck_assert_int_eq(homenet_add(&home, "192.168.0.0/16", err), 0);
	for (with_home = 0; with_home < 2; with_home++) {
		memset(&e, 0, sizeof(e));
		flow_config_default(&cfg);
		cfg.seed = 42;
		cfg.home = with_home ? &home : NULL;
		t = flow_table_new(&cfg, on_end, &e, err);
		ck_assert_ptr_nonnull(t);
		/* 142.250.1.188:5228 -> 192.168.1.5:40000, a heartbeat */
		p = tcp(T0, 9, 5228, 1, 40000, PA, 7000, 3000, 30);
		p.src[12] = 142, p.src[13] = 250, p.src[14] = 1;
		p.src[15] = 188;
		p.dst[12] = 192, p.dst[13] = 168, p.dst[14] = 1, p.dst[15] = 5;
		feed(t, p);
		/* an inbound SYN from outside to a home host's port 8443 */
		p = tcp(T0 + 1, 9, 50000, 1, 8443, TCPF_SYN, 1, 0, 0);
		p.src[12] = 198, p.src[13] = 51, p.src[14] = 100;
		p.dst[12] = 192, p.dst[13] = 168, p.dst[14] = 1, p.dst[15] = 5;
		feed(t, p);
		/* mid-stream between two home hosts */
		p = tcp(T0 + 2, 7, 6000, 8, 7000, PA, 1, 1, 10);
		p.src[12] = 192, p.src[13] = 168, p.src[14] = 1;
		p.dst[12] = 192, p.dst[13] = 168, p.dst[14] = 1;
		feed(t, p);
		flow_flush(t);
		ck_assert_int_eq(e.n, 3);
		ck_assert_uint_eq(flow_table_stats(t)->flipped_home,
		    (uint64_t)with_home);
		if (with_home) {
			ck_assert_int_eq(e.a[0].orig_h[12], 192);
			ck_assert_int_eq(e.f[0].orig_p, 40000);
			ck_assert_int_eq(e.f[0].resp_p, 5228);
			ck_assert_str_eq(e.hist[0], "^d");
		} else {
			ck_assert_int_eq(e.a[0].orig_h[12], 142);
			ck_assert_str_eq(e.hist[0], "D");
		}
		for (i = 1; i < 3; i++) {
			if (e.f[i].resp_p == 8443) /* the SYN: as sent */
				ck_assert_int_eq(e.a[i].orig_h[12], 198);
			else /* both home: as first seen */
				ck_assert_int_eq(e.a[i].orig_h[15], 7);
		}
		flow_table_free(t);
	}
}
END_TEST

START_TEST(test_tcp_retransmit)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	int i;

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, TCPF_ACK, 1001, 5001, 0));
	feed(t, tcp(T0 + 30, C, CP, S, SP, PA, 1001, 5001, 100));
	/* Ten retransmissions: 'T' at the 1st and the 10th. */
	for (i = 0; i < 10; i++)
		feed(t, tcp(T0 + 40 + i, C, CP, S, SP, PA, 1001, 5001, 100));
	feed(t, tcp(T0 + 60, S, SP, C, CP, PA, 5001, 1101, 10));
	feed(t, tcp(T0 + 61, S, SP, C, CP, PA, 5001, 1101, 10));
	flow_flush(t);
	ck_assert_str_eq(e.hist[0], "ShADTTdt");
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 100);
	ck_assert_uint_eq(flow_resp_bytes(&e.f[0]), 10);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "S1");
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_zero_window_and_multiflag)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	p = tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0);
	p.win = 0;
	feed(t, p);
	/* SYN+FIN is one 'Q'; the FIN closes the originator. */
	feed(t, tcp(T0 + 20, C, CP + 1, S, SP, TCPF_SYN | TCPF_FIN, 1, 0, 0));
	flow_flush(t);
	ck_assert_int_eq(e.n, 2);
	ck_assert_str_eq(e.hist[0], "Shw");
	ck_assert_str_eq(e.hist[1], "Q");
	ck_assert_str_eq(flow_conn_state(&e.f[1]), "SH");
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_rsto_and_reuse)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;
	int is_new, from_orig;

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, TCPF_ACK, 1001, 5001, 0));
	feed(t, tcp(T0 + 30, C, CP, S, SP, TCPF_RST | TCPF_ACK, 1001, 5001,
	    0));
	/* A new SYN on the closed 4-tuple starts a new connection. */
	p = tcp(T0 + 40, C, CP, S, SP, TCPF_SYN, 777777, 0, 0);
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 1);
	/* the old one is reported after the packet, not inside the update */
	ck_assert_int_eq(e.n, 0);
	flow_drain(t);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "RSTO");
	ck_assert_str_eq(e.hist[0], "ShAR");
	flow_flush(t);
	ck_assert_int_eq(e.n, 2);
	ck_assert_str_eq(flow_conn_state(&e.f[1]), "S0");
	ck_assert_str_ne(e.uid[0], e.uid[1]);
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_seq_wrap)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	uint32_t isn = 0xffffff00u, seq;
	int i;

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, isn, 0, 0));
	feed(t, tcp(T0 + 1, S, SP, C, CP, SA, 5000, isn + 1, 0));
	seq = isn + 1;
	for (i = 0; i < 4; i++) {
		feed(t, tcp(T0 + 2 + i, C, CP, S, SP, PA, seq, 5001, 250));
		seq += 250;
		feed(t, tcp(T0 + 2 + i, S, SP, C, CP, TCPF_ACK, 5001, seq, 0));
	}
	feed(t, tcp(T0 + 10, C, CP, S, SP, FA, seq, 5001, 0));
	feed(t, tcp(T0 + 11, S, SP, C, CP, FA, 5001, seq + 1, 0));
	flow_flush(t);
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 1000);
	ck_assert_uint_eq(flow_resp_bytes(&e.f[0]), 0);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "SF");
	ck_assert_str_eq(e.hist[0], "ShDaFf");
	flow_table_free(t);
}
END_TEST

START_TEST(test_tcp_gap_counted_from_acks)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);

	/* The server acks 300 bytes of which we saw 100: Zeek counts 300. */
	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 1, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 2, C, CP, S, SP, PA, 1001, 5001, 100));
	feed(t, tcp(T0 + 3, S, SP, C, CP, TCPF_ACK, 5001, 1301, 0));
	flow_flush(t);
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 300);
	flow_table_free(t);
}
END_TEST

START_TEST(test_udp)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;
	int is_new, from_orig;

	p = mk(T0, IPPROTO_NUM_UDP, C, 33333, S, 53, 30);
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 1);
	ck_assert_int_eq(from_orig, 1);
	p = mk(T0 + 500, IPPROTO_NUM_UDP, S, 53, C, 33333, 90);
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 0);
	ck_assert_int_eq(from_orig, 0);
	/* A reply seen alone (from the server port): flipped, SHR. */
	p = mk(T0 + 600, IPPROTO_NUM_UDP, S, 53, C, 44444, 90);
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 1);
	ck_assert_int_eq(from_orig, 0);
	/* DHCP offer to the broadcast address: Zeek never flips those. */
	p = mk(T0 + 700, IPPROTO_NUM_UDP, S, 67, 0, 68, 300);
	memset(p.dst + 12, 0xff, 4);
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(from_orig, 1);
	flow_flush(t);
	ck_assert_int_eq(e.n, 3);
	ck_assert_str_eq(e.hist[2], "D");
	ck_assert_str_eq(flow_conn_state(&e.f[2]), "S0");
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "SF");
	ck_assert_str_eq(e.hist[0], "Dd");
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 30);
	ck_assert_uint_eq(flow_resp_bytes(&e.f[0]), 90);
	ck_assert_uint_eq(e.f[0].orig_ip_bytes, 58);
	ck_assert_int_eq(e.f[0].last_us - e.f[0].first_us, 500);
	ck_assert_str_eq(flow_proto_name(&e.f[0]), "udp");
	ck_assert_str_eq(flow_conn_state(&e.f[1]), "SHR");
	ck_assert_str_eq(e.hist[1], "^d");
	ck_assert_int_eq(e.f[1].orig_p, 44444);
	ck_assert_int_eq(e.f[1].resp_p, 53);
	flow_table_free(t);
}
END_TEST

START_TEST(test_icmp_echo)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;
	int is_new, from_orig;

	p = mk(T0, IPPROTO_NUM_ICMP, C, 0, S, 0, 56);
	p.icmp_type = 8;
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 1);
	p = mk(T0 + 1000, IPPROTO_NUM_ICMP, S, 0, C, 0, 56);
	p.icmp_type = 0;
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 0);
	ck_assert_int_eq(from_orig, 0);
	/* Unreachable: one-way, resp_p is the code. */
	p = mk(T0 + 2000, IPPROTO_NUM_ICMP, S, 0, C, 0, 28);
	p.icmp_type = 3;
	p.icmp_code = 3;
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 1);
	flow_flush(t);
	ck_assert_int_eq(e.n, 2);
	ck_assert_int_eq(e.f[0].orig_p, 8);
	ck_assert_int_eq(e.f[0].resp_p, 0);
	ck_assert_uint_eq(e.f[0].orig_pkts, 1);
	ck_assert_uint_eq(e.f[0].resp_pkts, 1);
	ck_assert_uint_eq(flow_orig_bytes(&e.f[0]), 56);
	ck_assert_str_eq(flow_conn_state(&e.f[0]), "OTH");
	ck_assert_str_eq(flow_proto_name(&e.f[0]), "icmp");
	ck_assert_str_eq(e.hist[0], "");
	ck_assert_int_eq(e.f[1].orig_p, 3);
	ck_assert_int_eq(e.f[1].resp_p, 3);
	flow_table_free(t);
}
END_TEST

START_TEST(test_idle_timeouts)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;

	p = mk(T0, IPPROTO_NUM_UDP, C, 33333, S, 9999, 10);
	feed(t, p);
	p = mk(T0, IPPROTO_NUM_ICMP, C, 0, S, 0, 10);
	p.icmp_type = 8;
	feed(t, p);
	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 1, S, SP, C, CP, SA, 5000, 1001, 0));
	/* Refresh the UDP flow at +30 s: it now lives to +90 s. */
	p = mk(T0 + 30 * SEC, IPPROTO_NUM_UDP, S, 9999, C, 33333, 10);
	feed(t, p);
	flow_expire(t, T0 + 60 * SEC - 1);
	ck_assert_int_eq(e.n, 0);
	flow_expire(t, T0 + 60 * SEC);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(flow_proto_name(&e.f[0]), "icmp");
	flow_expire(t, T0 + 90 * SEC);
	ck_assert_int_eq(e.n, 2);
	ck_assert_str_eq(flow_proto_name(&e.f[1]), "udp");
	flow_expire(t, T0 + 1 + 300 * SEC - 1);
	ck_assert_int_eq(e.n, 2);
	flow_expire(t, T0 + 1 + 300 * SEC);
	ck_assert_int_eq(e.n, 3);
	ck_assert_str_eq(flow_conn_state(&e.f[2]), "S1");
	ck_assert_uint_eq(flow_table_stats(t)->ended_timeout, 3);
	flow_table_free(t);
}
END_TEST

START_TEST(test_expired_on_lookup)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;
	int is_new, from_orig;

	/* No sweep ran, but a packet past the timeout still starts anew. */
	p = mk(T0, IPPROTO_NUM_UDP, C, 33333, S, 9999, 10);
	flow_update(t, &p, &is_new, &from_orig);
	p.ts_us = T0 + 60 * SEC;
	flow_update(t, &p, &is_new, &from_orig);
	ck_assert_int_eq(is_new, 1);
	ck_assert_int_eq(e.n, 0);
	flow_drain(t);
	ck_assert_int_eq(e.n, 1);
	ck_assert_int_eq(e.why[0], FLOW_END_TIMEOUT);
	flow_table_free(t);
}
END_TEST

START_TEST(test_cap_eviction)
{
	struct ended e;
	struct flow_table *t = table(&e, 4);
	const struct flow_stats *st;
	struct packet p;
	int i;

	for (i = 0; i < 6; i++) {
		p = mk(T0 + i, IPPROTO_NUM_UDP, C, (uint16_t)(30000 + i), S,
		    9999, 10);
		feed(t, p);
	}
	st = flow_table_stats(t);
	ck_assert_uint_eq(st->evicted, 2);
	ck_assert_uint_eq(st->active, 4);
	ck_assert_uint_eq(st->active_max, 4);
	ck_assert_uint_eq(st->created, 6);
	/* each eviction is reported after its packet: the fifth packet's
	 * by the sixth update, the sixth's by the drain */
	ck_assert_int_eq(e.n, 1);
	flow_drain(t);
	ck_assert_int_eq(e.n, 2);
	flow_drain(t);
	ck_assert_int_eq(e.n, 2);
	ck_assert_int_eq(e.why[0], FLOW_END_EVICTED);
	ck_assert_int_eq(e.f[0].orig_p, 30000);
	ck_assert_int_eq(e.f[1].orig_p, 30001);
	flow_flush(t);
	ck_assert_uint_eq(st->flushed, 4);
	ck_assert_uint_eq(st->active, 0);
	ck_assert_int_eq(e.n, 6);
	flow_table_free(t);
}
END_TEST

START_TEST(test_uid_determinism)
{
	struct ended e1, e2;
	struct flow_table *t1 = table(&e1, 8), *t2 = table(&e2, 8);
	struct flow_config cfg;
	struct flow_table *t3;
	struct ended e3;
	char err[SW_ERRLEN];
	struct packet p;
	int i;

	flow_config_default(&cfg);
	cfg.seed = 43;
	memset(&e3, 0, sizeof(e3));
	t3 = flow_table_new(&cfg, on_end, &e3, err);
	ck_assert_ptr_nonnull(t3);
	for (i = 0; i < 5; i++) {
		p = mk(T0 + i, IPPROTO_NUM_UDP, C, (uint16_t)(30000 + i), S,
		    9999, 10);
		feed(t1, p);
		feed(t2, p);
		feed(t3, p);
	}
	flow_flush(t1);
	flow_flush(t2);
	flow_flush(t3);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(e1.uid[i], e2.uid[i]);
		ck_assert_str_ne(e1.uid[i], e3.uid[i]);
		ck_assert_int_eq(e1.uid[i][0], 'C');
		ck_assert_uint_ge(strlen(e1.uid[i]), 10);
		ck_assert_uint_lt(strlen(e1.uid[i]), FLOW_UID_LEN);
	}
	ck_assert_str_ne(e1.uid[0], e1.uid[1]);
	flow_table_free(t1);
	flow_table_free(t2);
	flow_table_free(t3);
}
END_TEST

START_TEST(test_tcp_retransmit_scaled)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	int i;

	feed(t, tcp(T0, C, CP, S, SP, TCPF_SYN, 1000, 0, 0));
	feed(t, tcp(T0 + 10, S, SP, C, CP, SA, 5000, 1001, 0));
	feed(t, tcp(T0 + 20, C, CP, S, SP, PA, 1001, 5001, 100));
	/* 'T' at the 1st, 10th and 100th: never at the 11th .. 99th */
	for (i = 0; i < 150; i++)
		feed(t, tcp(T0 + 40 + i, C, CP, S, SP, PA, 1001, 5001, 100));
	flow_flush(t);
	ck_assert_str_eq(e.hist[0], "ShDTTT");
	flow_table_free(t);
}
END_TEST

/* Every letter Zeek logs survives the 5-bit packing; 31 are kept. */
START_TEST(test_history_packing)
{
	static const char all[] = "SHADFRCGIQTWshadfrcgiqtw^";
	struct {
		struct flow f;
		uint8_t addrs[32];
	} e;
	char out[FLOW_HISTORY_MAX];
	size_t i;

	memset(&e, 0, sizeof(e));
	for (i = 0; all[i] != '\0'; i++)
		flow_history_add(&e.f, all[i]);
	ck_assert_uint_eq(flow_history(&e.f, out), strlen(all));
	ck_assert_str_eq(out, all);
	flow_history_add(&e.f, 'x'); /* not a history letter: not kept */
	ck_assert_uint_eq(flow_history(&e.f, out), strlen(all));
	for (i = 0; i < 40; i++)
		flow_history_add(&e.f, 'T');
	ck_assert_uint_eq(flow_history(&e.f, out), FLOW_HISTORY_MAX - 1);
	ck_assert_int_eq(out[FLOW_HISTORY_MAX - 2], 'T');
	ck_assert_int_eq(out[FLOW_HISTORY_MAX - 1], '\0');
}
END_TEST

/*
 * IPv4 connections take the compact pool, IPv6 ones the other; both sit
 * in one table with the same extension bytes, match in both directions,
 * give their addresses back whole, and reuse their pool's entries.
 */
START_TEST(test_ipv4_ipv6_pools)
{
	struct ended e;
	struct flow_config cfg;
	struct flow_table *t;
	struct flow_addrs a;
	struct flow *f4, *f6, *g;
	struct packet p4, p6, r6;
	char err[SW_ERRLEN];
	uint32_t off;
	int is_new, from_orig, round;

	memset(&e, 0, sizeof(e));
	flow_config_default(&cfg);
	cfg.max_flows = 4;
	cfg.seed = 42;
	off = flow_ext_add(&cfg, 24);
	t = flow_table_new(&cfg, on_end, &e, err);
	ck_assert_ptr_nonnull(t);
	for (round = 0; round < 3; round++) {
		p4 = mk(T0 + round * 1000 * SEC, IPPROTO_NUM_UDP, C, 40000, S,
		    9999, 10);
		p6 = p4;
		p6.family = 6;
		memset(p6.src, 0x20, 16);
		memset(p6.dst, 0x30, 16);
		p6.src[15] = 1;
		p6.dst[15] = 2;
		f4 = flow_update(t, &p4, &is_new, &from_orig);
		ck_assert_int_eq(is_new, 1);
		memset(flow_ext(f4, off), 0x44, 24);
		f6 = flow_update(t, &p6, &is_new, &from_orig);
		ck_assert_int_eq(is_new, 1);
		ck_assert_ptr_ne(f4, f6);
		memset(flow_ext(f6, off), 0x66, 24);
		/* the reply finds the IPv6 connection, the other way round */
		r6 = p6;
		memcpy(r6.src, p6.dst, 16);
		memcpy(r6.dst, p6.src, 16);
		r6.sport = p6.dport;
		r6.dport = p6.sport;
		g = flow_update(t, &r6, &is_new, &from_orig);
		ck_assert_ptr_eq(g, f6);
		ck_assert_int_eq(is_new, 0);
		ck_assert_int_eq(from_orig, 0);
		flow_get_addrs(f6, &a);
		ck_assert_mem_eq(a.orig_h, p6.src, 16);
		ck_assert_mem_eq(a.resp_h, p6.dst, 16);
		ck_assert(flow_addr_is(f6, 1, p6.dst));
		ck_assert(!flow_addr_is(f6, 0, p6.dst));
		ck_assert(!flow_addr_is(f6, 0, p4.src));
		flow_get_addrs(f4, &a);
		ck_assert_mem_eq(a.orig_h, p4.src, 16);
		ck_assert_mem_eq(a.resp_h, p4.dst, 16);
		ck_assert(flow_addr_is(f4, 0, p4.src));
		ck_assert(!flow_addr_is(f4, 1, p4.src));
		/* neither flow's writes reached the other's bytes */
		ck_assert_uint_eq(((uint8_t *)flow_ext(f4, off))[23], 0x44);
		ck_assert_uint_eq(((uint8_t *)flow_ext(f6, off))[0], 0x66);
		ck_assert_uint_eq(flow_table_stats(t)->active, 2);
		flow_flush(t);
		ck_assert_uint_eq(flow_table_stats(t)->active, 0);
	}
	/* three rounds, each ending its two: the entries were reused */
	ck_assert_int_eq(e.n, 6);
	ck_assert_mem_eq(e.a[1].orig_h, p6.src, 16);
	flow_table_free(t);
}
END_TEST

START_TEST(test_vlan_separates)
{
	struct ended e;
	struct flow_table *t = table(&e, 16);
	struct packet p;

	p = mk(T0, IPPROTO_NUM_UDP, C, 33333, S, 9999, 10);
	feed(t, p);
	p.vlan = 7;
	feed(t, p);
	ck_assert_uint_eq(flow_table_stats(t)->active, 2);
	flow_table_free(t);
	flow_table_free(NULL);
}
END_TEST

/*
 * The hash of an IPv4 pair, built as words in registers, is SipHash of
 * the 17-byte message flow.c documents (so the buckets are what they
 * were), the same both ways; and the word form equals the byte form at
 * every length.
 */
START_TEST(test_hash_message)
{
	static const uint16_t vlans[][2] = { { 0, 0 }, { 0x123, 0xabc },
		{ 0xfff, 0x001 } };
	struct flow_hash_key k = { 0x0706050403020100ULL,
		0x0f0e0d0c0b0a0908ULL };
	uint8_t m[48], lo, hi;
	uint64_t w[6], want;
	struct packet p, q;
	size_t len, i, v;

	for (v = 0; v < 3; v++) {
		for (i = 0; i < 40; i++) {
			/* addresses 10.0.0.x and ports either way round */
			lo = (uint8_t)(1 + i % 7);
			hi = (uint8_t)(1 + (i * 5) % 11);
			p = tcp(T0, lo, (uint16_t)(1000 + i * 977), hi,
			    (uint16_t)(443 + i * 1313), TCPF_SYN, 1, 0, 0);
			p.vlan = vlans[v][0];
			p.inner_vlan = vlans[v][1];
			q = p;
			memcpy(q.src, p.dst, 16);
			memcpy(q.dst, p.src, 16);
			q.sport = p.dport;
			q.dport = p.sport;
			ck_assert_uint_eq(flow_hash_with(&k, &p),
			    flow_hash_with(&k, &q));
			if (lo > hi || (lo == hi && p.sport > p.dport))
				p = q; /* the lower end first */
			m[0] = (uint8_t)(p.vlan >> 8);
			m[1] = (uint8_t)p.vlan;
			m[2] = (uint8_t)(p.inner_vlan >> 8);
			m[3] = (uint8_t)p.inner_vlan;
			m[4] = p.ip_proto;
			memcpy(m + 5, p.src + 12, 4);
			m[9] = (uint8_t)(p.sport >> 8);
			m[10] = (uint8_t)p.sport;
			memcpy(m + 11, p.dst + 12, 4);
			m[15] = (uint8_t)(p.dport >> 8);
			m[16] = (uint8_t)p.dport;
			want = hash_siphash13(k.k0, k.k1, m, 17);
			ck_assert_uint_eq(flow_hash_with(&k, &p), want);
		}
	}
	for (i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)(i * 37 + 11);
	for (len = 0; len <= sizeof(m); len++) {
		memset(w, 0, sizeof(w));
		for (i = 0; i < len; i++)
			w[i / 8] |= (uint64_t)m[i] << (8 * (i % 8));
		ck_assert_uint_eq(hash_siphash13_words(k.k0, k.k1, w, len),
		    hash_siphash13(k.k0, k.k1, m, len));
	}
}
END_TEST

Suite *
flow_suite(void)
{
	Suite *s = suite_create("flow");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tcp_sf);
	tcase_add_test(tc, test_tcp_close_delay);
	tcase_add_test(tc, test_tcp_fin_then_rst);
	tcase_add_test(tc, test_tcp_s0_attempt);
	tcase_add_test(tc, test_tcp_rej);
	tcase_add_test(tc, test_tcp_synack_first_flips);
	tcase_add_test(tc, test_tcp_midstream_oth);
	tcase_add_test(tc, test_tcp_midstream_from_server_flips);
	tcase_add_test(tc, test_tcp_midstream_home_net);
	tcase_add_test(tc, test_tcp_retransmit);
	tcase_add_test(tc, test_tcp_zero_window_and_multiflag);
	tcase_add_test(tc, test_tcp_rsto_and_reuse);
	tcase_add_test(tc, test_tcp_seq_wrap);
	tcase_add_test(tc, test_tcp_gap_counted_from_acks);
	tcase_add_test(tc, test_udp);
	tcase_add_test(tc, test_icmp_echo);
	tcase_add_test(tc, test_idle_timeouts);
	tcase_add_test(tc, test_expired_on_lookup);
	tcase_add_test(tc, test_cap_eviction);
	tcase_add_test(tc, test_uid_determinism);
	tcase_add_test(tc, test_vlan_separates);
	tcase_add_test(tc, test_tcp_retransmit_scaled);
	tcase_add_test(tc, test_history_packing);
	tcase_add_test(tc, test_ipv4_ipv6_pools);
	tcase_add_test(tc, test_hash_message);
	suite_add_tcase(s, tc);
	return s;
}
