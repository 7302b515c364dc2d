/*
 * check_communityid.c - Community ID v1 against the spec's published
 * baseline (corelight/community-id-spec, the values Zeek's and the other
 * implementations test with): TCP, UDP, ICMP, ICMPv6 and a protocol
 * without ports, seeds 0 and 1, both directions; SHA-1 against FIPS
 * 180-2's examples.
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "communityid.h"

Suite *communityid_suite(void);

static void
ip(const char *s, uint8_t a[16])
{
	memset(a, 0, 16);
	if (strchr(s, ':') != NULL) {
		ck_assert_int_eq(inet_pton(AF_INET6, s, a), 1);
	} else {
		a[10] = a[11] = 0xff;
		ck_assert_int_eq(inet_pton(AF_INET, s, a + 12), 1);
	}
}

static void
check(uint16_t seed, const char *s, const char *d, uint8_t proto, uint16_t sp,
    uint16_t dp, const char *want)
{
	uint8_t a[16], b[16];
	char out[COMMUNITY_ID_LEN];

	ip(s, a);
	ip(d, b);
	community_id(seed, a, b, proto, sp, dp, out);
	ck_assert_str_eq(out, want);
}

START_TEST(test_sha1)
{
	static const uint8_t abc[20] = { 0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06,
		0x81, 0x6a, 0xba, 0x3e, 0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c,
		0x9c, 0xd0, 0xd8, 0x9d };
	static const uint8_t two[20] = { 0x84, 0x98, 0x3e, 0x44, 0x1c, 0x3b,
		0xd2, 0x6e, 0xba, 0xae, 0x4a, 0xa1, 0xf9, 0x51, 0x29, 0xe5,
		0xe5, 0x46, 0x70, 0xf1 };
	static const uint8_t empty[20] = { 0xda, 0x39, 0xa3, 0xee, 0x5e, 0x6b,
		0x4b, 0x0d, 0x32, 0x55, 0xbf, 0xef, 0x95, 0x60, 0x18, 0x90,
		0xaf, 0xd8, 0x07, 0x09 };
	uint8_t d[20];

	sha1("abc", 3, d);
	ck_assert_mem_eq(d, abc, 20);
	/* 56 bytes: the padding takes a second block */
	sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	ck_assert_mem_eq(d, two, 20);
	sha1("", 0, d);
	ck_assert_mem_eq(d, empty, 20);
}
END_TEST

START_TEST(test_baseline_seed0)
{
	check(0, "1.2.3.4", "5.6.7.8", 6, 1122, 3344,
	    "1:wCb3OG7yAFWelaUydu0D+125CLM=");
	check(0, "5.6.7.8", "1.2.3.4", 6, 3344, 1122,
	    "1:wCb3OG7yAFWelaUydu0D+125CLM=");
	check(0, "1.2.3.4", "5.6.7.8", 17, 1122, 3344,
	    "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
	check(0, "5.6.7.8", "1.2.3.4", 17, 3344, 1122,
	    "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
	/* echo request and its reply: one ID */
	check(0, "1.2.3.4", "5.6.7.8", 1, 8, 0,
	    "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
	check(0, "5.6.7.8", "1.2.3.4", 1, 0, 0,
	    "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
	check(0, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 58, 128, 0,
	    "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=");
	check(0, "fe80:1011:1213:1415:1617:1819:1a1b:1c1d",
	    "fe80:1:203:405:607:809:a0b:c0d", 58, 129, 0,
	    "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=");
	/* RSVP: no ports */
	check(0, "1.2.3.4", "5.6.7.8", 46, 0, 0,
	    "1:ikv3kmf89luf73WPz1jOs49S768=");
}
END_TEST

START_TEST(test_baseline_seed1)
{
	check(1, "1.2.3.4", "5.6.7.8", 6, 1122, 3344,
	    "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=");
	check(1, "1.2.3.4", "5.6.7.8", 17, 1122, 3344,
	    "1:OShq+iKDAMVouh/4bMxB9Sz4amw=");
	check(1, "1.2.3.4", "5.6.7.8", 1, 8, 0,
	    "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=");
	check(1, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 58, 128, 0,
	    "1:IO27GQzPuCtNnwFvjWALMHu5tJE=");
}
END_TEST

/* A one-way ICMP type (destination unreachable) keeps its direction and
 * its code: the two directions differ. */
START_TEST(test_icmp_one_way)
{
	uint8_t a[16], b[16];
	char x[COMMUNITY_ID_LEN], y[COMMUNITY_ID_LEN];

	ip("1.2.3.4", a);
	ip("5.6.7.8", b);
	community_id(0, a, b, 1, 3, 1, x);
	community_id(0, b, a, 1, 3, 1, y);
	ck_assert_str_ne(x, y);
	ck_assert_uint_eq(strlen(x), 30);
}
END_TEST

/* ICMPv6 node information query and reply (139, 140) are a pair, as in
 * the spec and Zeek; 146 is not a request (one-way). */
START_TEST(test_icmp6_pairs)
{
	uint8_t a[16], b[16];
	char x[COMMUNITY_ID_LEN], y[COMMUNITY_ID_LEN];

	ip("fe80::1", a);
	ip("fe80::2", b);
	community_id(0, a, b, 58, 139, 0, x);
	community_id(0, b, a, 58, 140, 0, y);
	ck_assert_str_eq(x, y);
	community_id(0, a, b, 58, 146, 0, x);
	community_id(0, b, a, 58, 147, 0, y);
	ck_assert_str_ne(x, y);
}
END_TEST

Suite *
communityid_suite(void)
{
	Suite *s = suite_create("communityid");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sha1);
	tcase_add_test(tc, test_baseline_seed0);
	tcase_add_test(tc, test_baseline_seed1);
	tcase_add_test(tc, test_icmp_one_way);
	tcase_add_test(tc, test_icmp6_pairs);
	suite_add_tcase(s, tc);
	return s;
}
