/*
 * check_names.c - unit tests for the IP-to-name cache (src/names.c).
 *
 * Time is set by hand in microseconds of network time; the hash seed is
 * fixed.  Addresses are IPv4-mapped 16-byte arrays built by addr4().
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

Suite *names_suite(void);

#define SEC	1000000LL
#define T0	(1700000000LL * SEC)

static void
addr4(uint8_t a[16], uint32_t v)
{
	memset(a, 0, 16);
	a[10] = 0xff;
	a[11] = 0xff;
	a[12] = (uint8_t)(v >> 24);
	a[13] = (uint8_t)(v >> 16);
	a[14] = (uint8_t)(v >> 8);
	a[15] = (uint8_t)v;
}

static struct names_cache *
mk(uint32_t max)
{
	struct names_config cfg;
	struct names_cache *c;
	char err[SW_ERRLEN];

	names_config_default(&cfg);
	cfg.seed = 42;
	if (max != 0)
		cfg.max_entries = max;
	c = names_new(&cfg, err);
	ck_assert_msg(c != NULL, "%s", err);
	return c;
}

START_TEST(test_insert_lookup)
{
	struct names_cache *c = mk(0);
	uint8_t dev[16], srv[16], other[16];
	const char *cn;

	addr4(dev, 0xc0a80002);
	addr4(srv, 0x5db8d822);
	addr4(other, 0x5db8d823);
	ck_assert_ptr_null(names_lookup(c, dev, srv, T0, &cn));
	names_insert(c, dev, srv, "Api.Example.COM", "edge.cdn.net", 300, T0);
	ck_assert_str_eq(names_lookup(c, dev, srv, T0 + SEC, &cn),
	    "Api.Example.COM");
	ck_assert_str_eq(cn, "edge.cdn.net");
	ck_assert_ptr_null(names_lookup(c, dev, other, T0 + SEC, NULL));
	/* No CNAME target: *cname NULL. */
	names_insert(c, dev, other, "plain.example", NULL, 300, T0);
	ck_assert_str_eq(names_lookup(c, dev, other, T0, &cn),
	    "plain.example");
	ck_assert_ptr_null(cn);
	/* Empty names are not stored. */
	names_insert(c, srv, srv, "", NULL, 300, T0);
	ck_assert_ptr_null(names_lookup(c, srv, srv, T0, NULL));
	ck_assert_uint_eq(names_stats(c)->entries, 2);
	ck_assert_uint_eq(names_stats(c)->inserts, 2);
	ck_assert_uint_eq(names_stats(c)->hits, 2);
	ck_assert_uint_eq(names_stats(c)->misses, 3);
	names_free(c);
	names_free(NULL);
}
END_TEST

START_TEST(test_per_device)
{
	struct names_cache *c = mk(0);
	uint8_t a[16], b[16], srv[16];

	addr4(a, 0xc0a80002);
	addr4(b, 0xc0a80003);
	addr4(srv, 0x01020304);
	names_insert(c, a, srv, "a-only.example", NULL, 300, T0);
	ck_assert_ptr_null(names_lookup(c, b, srv, T0, NULL));
	names_insert(c, b, srv, "b-name.example", NULL, 300, T0);
	ck_assert_str_eq(names_lookup(c, a, srv, T0, NULL), "a-only.example");
	ck_assert_str_eq(names_lookup(c, b, srv, T0, NULL), "b-name.example");
	names_free(c);
}
END_TEST

START_TEST(test_ttl)
{
	struct names_cache *c = mk(0);
	uint8_t dev[16], s1[16], s2[16], s3[16];

	addr4(dev, 0x0a000001);
	addr4(s1, 1);
	addr4(s2, 2);
	addr4(s3, 3);
	names_insert(c, dev, s1, "ttl300.example", NULL, 300, T0);
	names_insert(c, dev, s2, "ttl5.example", NULL, 5, T0);
	names_insert(c, dev, s3, "huge.example", NULL, 0x7fffffff, T0);
	ck_assert_ptr_nonnull(names_lookup(c, dev, s1, T0 + 299 * SEC, NULL));
	ck_assert_ptr_null(names_lookup(c, dev, s1, T0 + 300 * SEC, NULL));
	/* Clamped up to 60 s. */
	ck_assert_ptr_nonnull(names_lookup(c, dev, s2, T0 + 59 * SEC, NULL));
	ck_assert_ptr_null(names_lookup(c, dev, s2, T0 + 60 * SEC, NULL));
	/* Clamped down to a day. */
	ck_assert_ptr_nonnull(names_lookup(c, dev, s3,
	    T0 + 86399 * SEC, NULL));
	ck_assert_ptr_null(names_lookup(c, dev, s3, T0 + 86400 * SEC, NULL));
	ck_assert_uint_eq(names_stats(c)->expired, 3);
	ck_assert_uint_eq(names_stats(c)->entries, 0);
	/* Reinsert after expiry, and a later answer refreshes the expiry. */
	names_insert(c, dev, s1, "ttl300.example", NULL, 300, T0 + 1000 * SEC);
	names_insert(c, dev, s1, "ttl300.example", NULL, 300, T0 + 1200 * SEC);
	ck_assert_ptr_nonnull(names_lookup(c, dev, s1, T0 + 1450 * SEC,
	    NULL));
	names_free(c);
}
END_TEST

START_TEST(test_overwrite)
{
	struct names_cache *c = mk(0);
	uint8_t dev[16], srv[16];
	const char *cn;

	addr4(dev, 0x0a000001);
	addr4(srv, 0x0a000002);
	names_insert(c, dev, srv, "old.example", "old.cdn", 300, T0);
	names_insert(c, dev, srv, "new.example", NULL, 300, T0 + SEC);
	ck_assert_str_eq(names_lookup(c, dev, srv, T0 + SEC, &cn),
	    "new.example");
	ck_assert_ptr_null(cn);
	ck_assert_uint_eq(names_stats(c)->entries, 1);
	ck_assert_uint_eq(names_stats(c)->overwrites, 1);
	names_free(c);
}
END_TEST

START_TEST(test_cap_eviction)
{
	struct names_cache *c = mk(4);
	uint8_t dev[16], srv[16];
	char name[32];
	uint32_t i;

	addr4(dev, 0x0a000001);
	for (i = 0; i < 5; i++) {
		addr4(srv, 100 + i);
		snprintf(name, sizeof(name), "n%u.example", i);
		names_insert(c, dev, srv, name, NULL, 3600, T0 + i);
	}
	ck_assert_uint_eq(names_stats(c)->entries, 4);
	ck_assert_uint_eq(names_stats(c)->evicted, 1);
	addr4(srv, 100);
	ck_assert_ptr_null(names_lookup(c, dev, srv, T0 + 10, NULL));
	for (i = 1; i < 5; i++) {
		addr4(srv, 100 + i);
		snprintf(name, sizeof(name), "n%u.example", i);
		ck_assert_str_eq(names_lookup(c, dev, srv, T0 + 10, NULL),
		    name);
	}
	/* An overwrite moves its entry to the young end: n1 survives the
	 * next insert, n2 goes. */
	addr4(srv, 101);
	names_insert(c, dev, srv, "n1b.example", NULL, 3600, T0 + 20);
	addr4(srv, 200);
	names_insert(c, dev, srv, "n200.example", NULL, 3600, T0 + 21);
	ck_assert_uint_eq(names_stats(c)->evicted, 2);
	addr4(srv, 102);
	ck_assert_ptr_null(names_lookup(c, dev, srv, T0 + 22, NULL));
	addr4(srv, 101);
	ck_assert_str_eq(names_lookup(c, dev, srv, T0 + 22, NULL),
	    "n1b.example");
	/* Once all have expired, inserts reclaim them as expired. */
	addr4(srv, 300);
	names_insert(c, dev, srv, "late.example", NULL, 60, T0 + 7200 * SEC);
	ck_assert_uint_eq(names_stats(c)->evicted, 2);
	ck_assert_uint_ge(names_stats(c)->expired, 2);
	ck_assert_uint_le(names_stats(c)->entries, 4);
	names_free(c);
}
END_TEST

START_TEST(test_churn)
{
	struct names_cache *c = mk(256);
	uint8_t dev[16], srv[16];
	char name[32];
	uint32_t i;

	/* Many devices and servers: bounded, and the newest always found. */
	for (i = 0; i < 20000; i++) {
		addr4(dev, 0x0a000000 + i % 37);
		addr4(srv, i * 2654435761u);
		snprintf(name, sizeof(name), "h%u.example", i);
		names_insert(c, dev, srv, name, "x.cdn", 60 + i % 500,
		    T0 + (int64_t)i * 1000);
		ck_assert_uint_le(names_stats(c)->entries, 256);
		ck_assert_str_eq(names_lookup(c, dev, srv,
		    T0 + (int64_t)i * 1000, NULL), name);
	}
	ck_assert_uint_eq(names_stats(c)->entries, 256);
	ck_assert_uint_eq(names_stats(c)->evicted +
	    names_stats(c)->expired, 20000 - 256);
	names_free(c);
}
END_TEST

START_TEST(test_filter)
{
	struct names_cache *c = mk(16);
	uint8_t dev[16], srv[16];
	char name[32];
	uint32_t i, j;
	int64_t now;

	/* 16 entries over a filter of 128 counters (table.h), 5000 names
	 * through it: counters go up and down on every eviction; an entry
	 * in the cache is always found, one evicted or never inserted never
	 * is. */
	addr4(dev, 0x0a000001);
	for (i = 0; i < 5000; i++) {
		now = T0 + (int64_t)i * SEC;
		addr4(srv, 0xc0000000 + i);
		snprintf(name, sizeof(name), "n%u.example", i);
		names_insert(c, dev, srv, name, NULL, 86400, now);
		for (j = i > 15 ? i - 15 : 0; j <= i; j++) {
			addr4(srv, 0xc0000000 + j);
			snprintf(name, sizeof(name), "n%u.example", j);
			ck_assert_str_eq(names_lookup(c, dev, srv, now, NULL),
			    name);
		}
		if (i >= 16) {
			addr4(srv, 0xc0000000 + i - 16);
			ck_assert_ptr_null(names_lookup(c, dev, srv, now,
			    NULL));
		}
		addr4(srv, 0xd0000000 + i);
		ck_assert_ptr_null(names_lookup(c, dev, srv, now, NULL));
	}
	ck_assert_uint_eq(names_stats(c)->evicted, 5000 - 16);
	names_free(c);
}
END_TEST

/* A kept entry (names_keep()) outlives a flood of ordinary answers. */
START_TEST(test_keep)
{
	struct names_cache *c = mk(16);
	uint8_t dev[16], srv[16], c2[16];
	char name[32];
	uint32_t i;

	addr4(dev, 0x0a000017);
	addr4(c2, 0xc6336496);
	names_insert(c, dev, c2, "api.thd.cc", NULL, 3600, T0);
	names_keep(c, dev, c2);
	for (i = 0; i < 1000; i++) {
		addr4(srv, 0xcb000000 + i);
		snprintf(name, sizeof(name), "f%u.example", i);
		names_insert(c, dev, srv, name, NULL, 3600, T0 + i);
	}
	ck_assert_str_eq(names_lookup(c, dev, c2, T0 + 2000, NULL),
	    "api.thd.cc");
	ck_assert_uint_eq(names_stats(c)->entries, 16);
	/* an overwrite keeps it kept */
	names_insert(c, dev, c2, "api.thd.cc", NULL, 3600, T0 + 2001);
	for (i = 1000; i < 2000; i++) {
		addr4(srv, 0xcb000000 + i);
		snprintf(name, sizeof(name), "f%u.example", i);
		names_insert(c, dev, srv, name, NULL, 3600, T0 + 2002 + i);
	}
	ck_assert_str_eq(names_lookup(c, dev, c2, T0 + 4000, NULL),
	    "api.thd.cc");
	/* it still expires: its TTL is over at T0 + 2001 + 3600 s */
	ck_assert_ptr_null(names_lookup(c, dev, c2, T0 + 3602 * SEC, NULL));
	names_free(c);
}
END_TEST

START_TEST(test_long_names)
{
	struct names_cache *c = mk(0);
	uint8_t dev[16], srv[16];
	char q[400], cn[300];
	const char *got, *gcn;

	addr4(dev, 1);
	addr4(srv, 2);
	memset(q, 'q', 200);
	q[200] = '\0';
	memset(cn, 'c', 100);
	cn[100] = '\0';
	/* 201 + 101 bytes do not fit in 256: the CNAME target is dropped. */
	names_insert(c, dev, srv, q, cn, 60, T0);
	got = names_lookup(c, dev, srv, T0, &gcn);
	ck_assert_str_eq(got, q);
	ck_assert_ptr_null(gcn);
	cn[50] = '\0';
	names_insert(c, dev, srv, q, cn, 60, T0);
	got = names_lookup(c, dev, srv, T0, &gcn);
	ck_assert_str_eq(gcn, cn);
	/* A query name longer than the buffer is cut, at a UTF-8
	 * boundary, and counted. */
	memset(q, 'q', 254);
	q[254] = '\xc3';
	q[255] = '\xa9';
	q[256] = '\0';
	names_insert(c, dev, srv, q, NULL, 60, T0);
	got = names_lookup(c, dev, srv, T0, NULL);
	ck_assert_uint_eq(strlen(got), 254);
	ck_assert_uint_eq(names_stats(c)->names_cut, 1);
	names_free(c);
}
END_TEST

START_TEST(test_memory)
{
	struct names_config cfg;
	struct names_cache *c;
	char err[SW_ERRLEN];

	c = mk(0);
	/* The figure stated in names.h (LP64). */
	if (sizeof(void *) == 8)
		ck_assert_uint_eq(names_memory(c),
		    65537u * 320 + 65536u * 4 + 65536u * SW_TABLE_FILTER);
	names_free(c);
	names_config_default(&cfg);
	cfg.max_entries = UINT32_MAX;
	ck_assert_ptr_null(names_new(&cfg, err));
	ck_assert_ptr_nonnull(strstr(err, "name cache"));
}
END_TEST

Suite *
names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_insert_lookup);
	tcase_add_test(tc, test_per_device);
	tcase_add_test(tc, test_ttl);
	tcase_add_test(tc, test_overwrite);
	tcase_add_test(tc, test_cap_eviction);
	tcase_add_test(tc, test_churn);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_keep);
	tcase_add_test(tc, test_long_names);
	tcase_add_test(tc, test_memory);
	suite_add_tcase(s, tc);
	return s;
}
