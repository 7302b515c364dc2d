/*
 * check_held.c - names that outlive a connection (held.h): a place's
 * name comes back for a later nameless connection, renewed by each use;
 * not for another device, server, port or transport; not after the hold;
 * the least recently used place makes room at the cap; references to
 * the interned names are taken and given back; the memory stated.
 */
#include <check.h>
#include <string.h>

#include "config.h"
#include "held.h"
#include "strtab.h"

Suite *held_suite(void);

#define S 1000000LL /* us per second */

static void
addr4(uint8_t a[16], unsigned last)
{
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	a[12] = 192;
	a[13] = 0;
	a[14] = 2;
	a[15] = (uint8_t)last;
}

START_TEST(test_hold_and_renew)
{
	char err[SW_ERRLEN];
	struct strtab *st = strtab_new(16, 1, err);
	struct held_names *h;
	uint8_t dev[16], srv[16], dev2[16];
	uint32_t id;

	ck_assert_ptr_nonnull(st);
	h = held_new(8, 3600, st, 1, err);
	ck_assert_ptr_nonnull(h);
	addr4(dev, 10);
	addr4(dev2, 11);
	addr4(srv, 200);
	id = strtab_intern(st, "mtalk.google.com", 16);
	held_put(h, dev, srv, 5228, 6, id, 4, 100 * S);
	/* the connection that learned it ends: the table keeps the name */
	strtab_release(st, id);
	ck_assert_uint_eq(strtab_get_stats(st)->entries, 1);
	ck_assert_uint_eq(held_get(h, dev, srv, 5228, 6, 1900 * S), id);
	ck_assert_str_eq(strtab_get(st, id), "mtalk.google.com");
	/* must not: another device, server, port or transport */
	ck_assert_uint_eq(held_get(h, dev2, srv, 5228, 6, 1900 * S), 0);
	ck_assert_uint_eq(held_get(h, srv, dev, 5228, 6, 1900 * S), 0);
	ck_assert_uint_eq(held_get(h, dev, srv, 443, 6, 1900 * S), 0);
	ck_assert_uint_eq(held_get(h, dev, srv, 5228, 17, 1900 * S), 0);
	/* a heartbeat every 28 minutes for a day: each use renews */
	for (int i = 1; i <= 51; i++)
		ck_assert_uint_eq(held_get(h, dev, srv, 5228, 6,
				      (1900 + i * 1680) * S),
		    id);
	ck_assert_uint_eq(held_get_stats(h)->hits, 52);
	/* silence longer than the hold: gone, and its reference with it */
	ck_assert_uint_eq(held_get(h, dev, srv, 5228, 6,
			      (1900 + 51 * 1680 + 3601) * S),
	    0);
	ck_assert_uint_eq(held_get_stats(h)->expired, 1);
	ck_assert_uint_eq(held_get_stats(h)->entries, 0);
	ck_assert_uint_eq(strtab_get_stats(st)->entries, 0);
	held_free(h);
	strtab_free(st);
}
END_TEST

START_TEST(test_newer_name_and_cap)
{
	char err[SW_ERRLEN];
	struct strtab *st = strtab_new(16, 1, err);
	struct held_names *h = held_new(2, 3600, st, 1, err);
	uint8_t dev[16], s1[16], s2[16], s3[16];
	uint32_t a, b, c;

	ck_assert_ptr_nonnull(h);
	addr4(dev, 10);
	addr4(s1, 1);
	addr4(s2, 2);
	addr4(s3, 3);
	a = strtab_intern(st, "a.example", 9);
	b = strtab_intern(st, "b.example", 9);
	c = strtab_intern(st, "c.example", 9);
	held_put(h, dev, s1, 443, 6, a, 2, 1 * S);
	/* a later, other name for the same place replaces the first */
	held_put(h, dev, s1, 443, 6, b, 4, 2 * S);
	ck_assert_uint_eq(held_get(h, dev, s1, 443, 6, 3 * S), b);
	held_put(h, dev, s2, 443, 6, a, 2, 4 * S);
	held_get(h, dev, s1, 443, 6, 5 * S); /* s1 is now the more recent */
	held_put(h, dev, s3, 443, 6, c, 2, 6 * S); /* full: s2 goes */
	ck_assert_uint_eq(held_get_stats(h)->evicted, 1);
	ck_assert_uint_eq(held_get(h, dev, s2, 443, 6, 7 * S), 0);
	ck_assert_uint_eq(held_get(h, dev, s1, 443, 6, 7 * S), b);
	ck_assert_uint_eq(held_get(h, dev, s3, 443, 6, 7 * S), c);
	/* a's only references were ours and the evicted place's */
	strtab_release(st, a);
	strtab_release(st, b);
	strtab_release(st, c);
	ck_assert_str_eq(strtab_get(st, a), "");
	ck_assert_uint_eq(strtab_get_stats(st)->entries, 2);
	held_free(h);
	ck_assert_uint_eq(strtab_get_stats(st)->entries, 0);
	strtab_free(st);
}
END_TEST

START_TEST(test_memory)
{
	char err[SW_ERRLEN];
	struct strtab *st = strtab_new(16, 1, err);
	struct held_names *h = held_new(0, 0, st, 1, err);

	ck_assert_ptr_nonnull(h);
	/* the figure held.h states (LP64) */
	if (sizeof(void *) == 8)
		ck_assert_uint_eq(held_mem(h),
		    1376400 + SW_HELD_MAX * SW_TABLE_FILTER);
	ck_assert_uint_ge(held_mem(h), (size_t)SW_HELD_MAX * 64);
	held_free(h);
	strtab_free(st);
}
END_TEST

Suite *
held_suite(void)
{
	Suite *s = suite_create("held");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_hold_and_renew);
	tcase_add_test(tc, test_newer_name_and_cap);
	tcase_add_test(tc, test_memory);
	suite_add_tcase(s, tc);
	return s;
}
