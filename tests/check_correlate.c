/*
 * check_correlate.c - per-device evidence: two kinds make one verdict; a
 * full table replaces the least recently updated device, counted.
 */
#include <check.h>
#include <string.h>

#include "correlate.h"

Suite *correlate_suite(void);

static void
addr(uint8_t a[16], int last)
{
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	a[12] = 192;
	a[13] = 168;
	a[14] = 1;
	a[15] = (uint8_t)last;
}

START_TEST(test_two_kinds_one_verdict)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(0, 1, err);
	const struct corr_device *d;
	uint8_t phone[16], laptop[16];

	ck_assert_ptr_nonnull(c);
	addr(phone, 23);
	addr(laptop, 42);
	/* one kind, however often: no verdict */
	ck_assert_ptr_null(correlate_add(c, phone, CORR_C2_NAME,
	    "Spyware::C2_Traffic", "C1", "a.thd.cc", 1));
	ck_assert_ptr_null(correlate_add(c, phone, CORR_C2_NAME,
	    "Spyware::C2_Traffic", "C2", "api.thd.cc", 2));
	/* another device's evidence does not count for the phone */
	ck_assert_ptr_null(correlate_add(c, laptop, CORR_BEACON,
	    "Spyware::Suspicious_Beaconing", "C3", "x.example", 3));
	d = correlate_add(c, phone, CORR_BEACON,
	    "Spyware::Suspicious_Beaconing", "C4", "sync.example", 4);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->kinds, CORR_C2_NAME | CORR_BEACON);
	ck_assert_uint_eq(d->n, 3);
	ck_assert_str_eq(d->ev[0].uid, "C1");
	ck_assert_str_eq(d->ev[2].sub, "sync.example");
	correlate_mark_raised(c, phone);
	/* a third kind after the verdict: no second verdict */
	ck_assert_ptr_null(correlate_add(c, phone, CORR_C2_ADDR,
	    "Spyware::C2_Traffic", "C5", "212.129.6.180", 5));
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 1);
	ck_assert_uint_eq(correlate_nkinds(CORR_C2_ADDR | CORR_C2_NAME |
	    CORR_BEACON), 3);
	correlate_free(c);
}
END_TEST

/* Evidence is bounded: the first of each kind stays, then the latest. */
START_TEST(test_bounded_evidence)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(16, 2, err);
	const struct corr_device *d = NULL;
	uint8_t phone[16];
	char sub[200];
	int i;

	addr(phone, 23);
	memset(sub, 'x', sizeof(sub) - 1);
	sub[sizeof(sub) - 1] = '\0';
	for (i = 0; i < 20; i++)
		ck_assert_ptr_null(correlate_add(c, phone, CORR_C2_ADDR,
		    "Spyware::C2_Traffic", "C1", sub, i));
	d = correlate_add(c, phone, CORR_BEACON, "Spyware::Suspicious_Beaconing",
	    NULL, "b", 99);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_le(d->n, SW_CORR_EVIDENCE);
	ck_assert_uint_eq(strlen(d->ev[0].sub), CORR_TEXT - 1);
	ck_assert_str_eq(d->ev[d->n - 1].uid, "");
	correlate_free(c);
}
END_TEST

/* A full table replaces its least recently updated device, counted. */
START_TEST(test_full_table)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(16, 3, err);
	uint8_t a[16];
	int i;

	for (i = 0; i < 40; i++) {
		addr(a, i);
		correlate_add(c, a, CORR_C2_ADDR, "n", "u", "s", i);
	}
	ck_assert_uint_eq(correlate_get_stats(c)->devices, 16);
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 24);
	/* the newest device is still found: a second kind gives a verdict */
	addr(a, 39);
	ck_assert_ptr_nonnull(correlate_add(c, a, CORR_BEACON, "n", "u", "s",
	    50));
	correlate_free(c);
}
END_TEST

/* A second kind for a device: a verdict if it kept its first (it is in
 * the table and unraised), none if it was evicted and starts over. */
static int
kept(struct correlate *c, int last, int64_t ts)
{
	uint8_t a[16];

	addr(a, last);
	return correlate_add(c, a, CORR_BEACON, "n", "u", "s", ts) != NULL;
}

static void
add_c2(struct correlate *c, int last, int64_t ts)
{
	uint8_t a[16];

	addr(a, last);
	ck_assert_ptr_null(correlate_add(c, a, CORR_C2_ADDR, "n", "u", "s",
	    ts));
}

/* The least recently updated device goes, not the least recently added:
 * an update keeps a device. */
START_TEST(test_evicts_least_recently_updated)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(4, 4, err);
	int i;

	ck_assert_ptr_nonnull(c);
	for (i = 1; i <= 4; i++)
		add_c2(c, i, i);
	add_c2(c, 1, 5); /* 1 updated: 2 is now the least recent */
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 0);
	add_c2(c, 5, 6); /* full: 2 goes */
	ck_assert_uint_eq(correlate_get_stats(c)->devices, 4);
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 1);
	ck_assert(kept(c, 1, 7));  /* 3 4 1 5 -> 3 4 5 1 */
	ck_assert(!kept(c, 2, 8)); /* back, in place of 3 */
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 2);
	ck_assert(kept(c, 4, 9));
	ck_assert(kept(c, 5, 10));
	ck_assert(!kept(c, 3, 11)); /* 3 went for 2 */
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 3);
	ck_assert_uint_eq(correlate_get_stats(c)->devices, 4);
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 3);
	correlate_free(c);
}
END_TEST

/* Evidence that adds nothing to a full list is still an update. */
START_TEST(test_update_without_new_evidence)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(2, 5, err);
	int i;

	ck_assert_ptr_nonnull(c);
	for (i = 0; i < SW_CORR_EVIDENCE; i++)
		add_c2(c, 1, i);
	add_c2(c, 2, 10);
	add_c2(c, 1, 11); /* list full, kind known: not kept, updated */
	add_c2(c, 3, 12); /* full: 2 goes, not 1 */
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 1);
	ck_assert(kept(c, 1, 13));
	ck_assert(!kept(c, 2, 14));
	correlate_free(c);
}
END_TEST

/* Marking a verdict raised is not an update: it keeps no device longer. */
START_TEST(test_mark_raised_not_an_update)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(2, 6, err);
	uint8_t a[16];

	ck_assert_ptr_nonnull(c);
	add_c2(c, 1, 1);
	ck_assert(kept(c, 1, 2));
	add_c2(c, 2, 3);
	addr(a, 1);
	correlate_mark_raised(c, a);
	add_c2(c, 3, 4); /* full: 1 goes, the least recently updated */
	ck_assert(kept(c, 2, 5));
	correlate_free(c);
}
END_TEST

/*
 * Many devices through a small table: past the 64th, each new one evicts
 * exactly one, the least recently updated (not timed: the counts and the
 * survivors show each eviction took the right device).
 */
START_TEST(test_many_devices)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(64, 7, err);
	uint8_t a[16];
	int i, n = 200000;

	ck_assert_ptr_nonnull(c);
	for (i = 0; i < n; i++) {
		memset(a, 0, sizeof(a));
		memcpy(a, &i, sizeof(i));
		ck_assert_ptr_null(correlate_add(c, a, CORR_C2_ADDR, "n", "u",
		    "s", i));
	}
	ck_assert_uint_eq(correlate_get_stats(c)->devices, 64);
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, n - 64);
	/* the 64 most recent are all there, each gives its verdict */
	for (i = n - 64; i < n; i++) {
		memset(a, 0, sizeof(a));
		memcpy(a, &i, sizeof(i));
		ck_assert_ptr_nonnull(correlate_add(c, a, CORR_BEACON, "n", "u",
		    "s", n + i));
	}
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, n - 64);
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 64);
	/* the one before them was evicted: it starts over */
	i = n - 65;
	memset(a, 0, sizeof(a));
	memcpy(a, &i, sizeof(i));
	ck_assert_ptr_null(correlate_add(c, a, CORR_BEACON, "n", "u", "s",
	    2 * n));
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, n - 63);
	correlate_free(c);
}
END_TEST

Suite *
correlate_suite(void)
{
	Suite *s = suite_create("correlate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_two_kinds_one_verdict);
	tcase_add_test(tc, test_bounded_evidence);
	tcase_add_test(tc, test_full_table);
	tcase_add_test(tc, test_evicts_least_recently_updated);
	tcase_add_test(tc, test_update_without_new_evidence);
	tcase_add_test(tc, test_mark_raised_not_an_update);
	tcase_add_test(tc, test_many_devices);
	/* 200000 devices: about a second under ASan, near check's 4 s
	 * default on a busy machine */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
