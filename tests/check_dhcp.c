/*
 * check_dhcp.c - DHCP messages (dhcp.h): an acknowledgement with every
 * option the sensor reads; the client FQDN in both forms; not DHCP
 * (another hardware type, no cookie); a bad option length; and the
 * truncation test: the message cut at every byte is never read past its
 * end and keeps what came before the cut.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"

Suite *dhcp_suite(void);

/* A DHCPACK giving 10.20.3.4/16 to 02:11:22:33:44:55, with options. */
static size_t
build_ack(uint8_t *b, size_t cap, int fqdn_wire)
{
	static const uint8_t opts_head[] = {
		53,
		1,
		5, /* DHCPACK */
		54,
		4,
		10,
		20,
		0,
		1, /* server id */
		1,
		4,
		255,
		255,
		0,
		0, /* subnet mask /16 */
		3,
		8,
		10,
		20,
		0,
		1,
		10,
		20,
		0,
		2, /* routers: two */
		0,
		0, /* pad */
		12,
		7,
		'G',
		'a',
		'l',
		'a',
		'x',
		'y',
		0, /* host name, NUL */
		60,
		9,
		'a',
		'n',
		'd',
		'r',
		'o',
		'i',
		'd',
		'-',
		'd',
	};
	static const uint8_t fqdn_w[] = { 81, 15, 0x05, 0, 0, 5, 'p', 'h', 'o',
		'n', 'e', 4, 'h', 'o', 'm', 'e', 0, 255 };
	static const uint8_t fqdn_a[] = { 81, 13, 0x01, 0, 0, 'p', 'h', 'o',
		'n', 'e', '.', 'h', 'o', 'm', 'e', 255 };
	size_t n;

	ck_assert_uint_ge(cap, 400);
	memset(b, 0, 240);
	b[0] = 2; /* reply */
	b[1] = 1; /* Ethernet */
	b[2] = 6;
	b[4] = 0xde;
	b[5] = 0xad;
	b[6] = 0xbe;
	b[7] = 0xef;
	b[16] = 10; /* yiaddr 10.20.3.4 */
	b[17] = 20;
	b[18] = 3;
	b[19] = 4;
	memcpy(b + 28, "\x02\x11\x22\x33\x44\x55", 6);
	b[236] = 0x63;
	b[237] = 0x82;
	b[238] = 0x53;
	b[239] = 0x63;
	n = 240;
	memcpy(b + n, opts_head, sizeof(opts_head));
	n += sizeof(opts_head);
	if (fqdn_wire) {
		memcpy(b + n, fqdn_w, sizeof(fqdn_w));
		n += sizeof(fqdn_w);
	} else {
		memcpy(b + n, fqdn_a, sizeof(fqdn_a));
		n += sizeof(fqdn_a);
	}
	return n;
}

START_TEST(test_ack)
{
	uint8_t b[512];
	struct dhcp_msg m;
	size_t n = build_ack(b, sizeof(b), 1);

	ck_assert_int_eq(dhcp_parse(&m, b, n), DHCP_OK);
	ck_assert_uint_eq(m.op, 2);
	ck_assert_uint_eq(m.type, DHCP_ACK);
	ck_assert_uint_eq(m.xid, 0xdeadbeef);
	ck_assert_mem_eq(m.yiaddr, "\x0a\x14\x03\x04", 4);
	ck_assert_mem_eq(m.chaddr, "\x02\x11\x22\x33\x44\x55", 6);
	ck_assert(m.has_mask && m.has_router && m.has_server);
	ck_assert_mem_eq(m.mask, "\xff\xff\x00\x00", 4);
	ck_assert_mem_eq(m.router, "\x0a\x14\x00\x01", 4);
	ck_assert_str_eq(m.hostname, "Galaxy");
	ck_assert_str_eq(m.vendor, "android-d");
	ck_assert_str_eq(m.fqdn, "phone.home");
	n = build_ack(b, sizeof(b), 0);
	ck_assert_int_eq(dhcp_parse(&m, b, n), DHCP_OK);
	ck_assert_str_eq(m.fqdn, "phone.home");
	ck_assert_str_eq(dhcp_status_key(DHCP_TRUNCATED), "dhcp.truncated");
	ck_assert_ptr_null(dhcp_status_key(DHCP__COUNT));
}
END_TEST

START_TEST(test_not_dhcp_and_bad)
{
	uint8_t b[512];
	struct dhcp_msg m;
	size_t n = build_ack(b, sizeof(b), 1);

	b[1] = 6; /* IEEE 802 hardware: no Ethernet MAC to learn */
	ck_assert_int_eq(dhcp_parse(&m, b, n), DHCP_NOT_DHCP);
	b[1] = 1;
	b[0] = 7;
	ck_assert_int_eq(dhcp_parse(&m, b, n), DHCP_NOT_DHCP);
	b[0] = 2;
	b[239] = 0x64; /* BOOTP without the DHCP cookie */
	ck_assert_int_eq(dhcp_parse(&m, b, n), DHCP_NOT_DHCP);
	b[239] = 0x63;
	b[244] = 3; /* option 54's length 3: no address */
	ck_assert_int_eq(dhcp_parse(&m, b, n), DHCP_BAD_OPTION);
	/* an option running past the message */
	n = build_ack(b, sizeof(b), 1);
	b[n - 17] = 200;
	ck_assert_int_eq(dhcp_parse(&m, b, n), DHCP_TRUNCATED);
	ck_assert_str_eq(m.vendor, "android-d"); /* what came before */
}
END_TEST

/* Cut at every byte, in a heap buffer of exactly that size (ASan and
 * valgrind see a read past it): never DHCP_OK before the end option,
 * and the fields before the cut are kept. */
START_TEST(test_truncation)
{
	uint8_t full[512], *b;
	struct dhcp_msg m;
	size_t n = build_ack(full, sizeof(full), 1), cut;
	enum dhcp_status st;

	for (cut = 0; cut <= n; cut++) {
		b = malloc(cut ? cut : 1);
		ck_assert_ptr_nonnull(b);
		memcpy(b, full, cut);
		st = dhcp_parse(&m, b, cut);
		if (cut < n)
			ck_assert_msg(st == DHCP_TRUNCATED, "cut %zu: %d", cut,
			    st);
		else
			ck_assert_int_eq(st, DHCP_OK);
		/* the client is named only once op, htype, hlen and
		 * chaddr (bytes 0-33) were read */
		ck_assert_uint_eq(m.header_ok, cut >= 34);
		if (cut >= 243)
			ck_assert_uint_eq(m.type, DHCP_ACK);
		if (cut >= 240 + 15)
			ck_assert(m.has_mask);
		free(b);
	}
}
END_TEST

Suite *
dhcp_suite(void)
{
	Suite *s = suite_create("dhcp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ack);
	tcase_add_test(tc, test_not_dhcp_and_bad);
	tcase_add_test(tc, test_truncation);
	suite_add_tcase(s, tc);
	return s;
}
