/*
 * check_homenet.c - the home network's ranges (homenet.c): the defaults,
 * --home-net parsing and its errors, membership on prefix boundaries,
 * and the /24 broadcast guess.
 */
#include <check.h>
#include <string.h>

#include "config.h"
#include "homenet.h"

Suite *homenet_suite(void);

static void
v4(uint8_t a[16], int b0, int b1, int b2, int b3)
{
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	a[12] = (uint8_t)b0;
	a[13] = (uint8_t)b1;
	a[14] = (uint8_t)b2;
	a[15] = (uint8_t)b3;
}

START_TEST(test_defaults)
{
	struct homenet h;
	uint8_t a[16];

	homenet_default(&h);
	v4(a, 192, 168, 1, 23);
	ck_assert(homenet_contains(&h, a));
	v4(a, 10, 200, 0, 1);
	ck_assert(homenet_contains(&h, a));
	v4(a, 172, 31, 255, 255);
	ck_assert(homenet_contains(&h, a));
	v4(a, 172, 32, 0, 1); /* just past 172.16.0.0/12 */
	ck_assert(!homenet_contains(&h, a));
	v4(a, 169, 254, 7, 7);
	ck_assert(homenet_contains(&h, a));
	v4(a, 142, 250, 1, 188); /* an internet server */
	ck_assert(!homenet_contains(&h, a));
	memset(a, 0, 16);
	a[0] = 0xfe;
	a[1] = 0x80;
	a[15] = 1;
	ck_assert(homenet_contains(&h, a)); /* fe80::1 */
	a[0] = 0x20;
	a[1] = 0x01;
	ck_assert(!homenet_contains(&h, a)); /* 2001::1 */
	ck_assert(!homenet_contains(NULL, a));
}
END_TEST

/* Which family the set knows the home addresses of: IPv4 always, IPv6
 * once a global range is given (not by the defaults' ULA and link-local
 * ones). */
START_TEST(test_knows)
{
	struct homenet h;
	char err[SW_ERRLEN];
	uint8_t a[16];

	homenet_default(&h);
	v4(a, 142, 250, 1, 188);
	ck_assert(homenet_knows(&h, a));
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[15] = 1;
	ck_assert(!homenet_knows(&h, a));
	ck_assert_int_eq(homenet_add(&h, "fd00:1::/64", err), 0);
	ck_assert(!homenet_knows(&h, a));
	ck_assert_int_eq(homenet_add(&h, "2001:db8:1::/48", err), 0);
	ck_assert(homenet_knows(&h, a));
	ck_assert(!homenet_knows(NULL, a));
}
END_TEST

START_TEST(test_add_and_errors)
{
	struct homenet h;
	char err[SW_ERRLEN];
	uint8_t a[16];
	int i;

	homenet_clear(&h);
	v4(a, 192, 168, 1, 23);
	ck_assert(!homenet_contains(&h, a)); /* empty: nothing is home */
	ck_assert_int_eq(homenet_add(&h, "100.64.0.0/10", err), 0);
	v4(a, 100, 127, 255, 254);
	ck_assert(homenet_contains(&h, a));
	v4(a, 100, 128, 0, 1);
	ck_assert(!homenet_contains(&h, a));
	ck_assert_int_eq(homenet_add(&h, "203.0.113.7", err), 0);
	v4(a, 203, 0, 113, 7);
	ck_assert(homenet_contains(&h, a)); /* a single address is a /32 */
	v4(a, 203, 0, 113, 8);
	ck_assert(!homenet_contains(&h, a));
	ck_assert_int_eq(homenet_add(&h, "10.0.0.0/33", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "10.0.0.0/33"));
	ck_assert_int_eq(homenet_add(&h, "home", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "\"home\""));
	for (i = (int)h.n; i < SW_HOMENET_MAX; i++)
		ck_assert_int_eq(homenet_add(&h, "10.0.0.0/8", err), 0);
	ck_assert_int_eq(homenet_add(&h, "10.0.0.0/8", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "ranges"));
}
END_TEST

START_TEST(test_broadcast_guess)
{
	struct homenet h;
	uint8_t a[16];

	homenet_default(&h);
	v4(a, 192, 168, 1, 255);
	ck_assert(homenet_is_broadcast(&h, a));
	v4(a, 192, 168, 1, 254);
	ck_assert(!homenet_is_broadcast(&h, a));
	v4(a, 8, 8, 8, 255); /* outside home: a server may end in .255 */
	ck_assert(!homenet_is_broadcast(&h, a));
}
END_TEST

/* Subnets from DHCP decide over the /24 guess for the addresses they
 * hold; bad masks and addresses away from home teach nothing. */
START_TEST(test_learned_subnets)
{
	static const uint8_t m16[4] = { 255, 255, 0, 0 };
	static const uint8_t m26[4] = { 255, 255, 255, 192 };
	static const uint8_t bad[4] = { 255, 0, 255, 0 };
	static const uint8_t m32[4] = { 255, 255, 255, 255 };
	static const uint8_t phone[4] = { 10, 20, 3, 4 };
	static const uint8_t lap[4] = { 192, 168, 1, 10 };
	static const uint8_t away[4] = { 8, 8, 8, 8 };
	struct homenet h;
	uint8_t a[16];
	int i;

	homenet_default(&h);
	ck_assert_int_eq(homenet_learn(&h, phone, m16), 1);
	ck_assert_int_eq(homenet_learn(&h, phone, m16), 0); /* known */
	v4(a, 10, 20, 255, 255);
	ck_assert(homenet_is_broadcast(&h, a));
	v4(a, 10, 20, 3, 255); /* a host of the /16, not a broadcast */
	ck_assert(!homenet_is_broadcast(&h, a));
	ck_assert_int_eq(homenet_learn(&h, lap, m26), 1);
	v4(a, 192, 168, 1, 63);
	ck_assert(homenet_is_broadcast(&h, a));
	v4(a, 192, 168, 1, 255); /* outside the /26: the guess again */
	ck_assert(homenet_is_broadcast(&h, a));
	v4(a, 192, 168, 1, 62);
	ck_assert(!homenet_is_broadcast(&h, a));
	ck_assert_int_eq(homenet_learn(&h, lap, bad), 0);
	ck_assert_int_eq(homenet_learn(&h, lap, m32), 0);
	ck_assert_int_eq(homenet_learn(&h, away, m16), 0);
	/* the oldest makes room */
	for (i = 0; i < SW_HOMENET_LEARNED; i++) {
		uint8_t x[4] = { 10, (uint8_t)(100 + i), 0, 1 };

		ck_assert_int_eq(homenet_learn(&h, x, m16), 1);
	}
	ck_assert_uint_eq(h.nlearned, SW_HOMENET_LEARNED);
	v4(a, 10, 20, 3, 255); /* the /16 is gone: the guess */
	ck_assert(homenet_is_broadcast(&h, a));
}
END_TEST

Suite *
homenet_suite(void)
{
	Suite *s = suite_create("homenet");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_add_and_errors);
	tcase_add_test(tc, test_knows);
	tcase_add_test(tc, test_broadcast_guess);
	tcase_add_test(tc, test_learned_subnets);
	suite_add_tcase(s, tc);
	return s;
}
