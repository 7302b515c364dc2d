/*
 * check_correlate.c - graded evidence per device and the verdict: two
 * strong grades make one survivor-risk verdict per window; a lookup, a
 * beacon to nowhere known or watchware alone is "possible" at most;
 * packets without an exchange are weak and never make a verdict; a
 * device is its id, so a reused address starts clean; a full table
 * replaces the least recently updated device, counted.
 */
#include <check.h>
#include <string.h>

#include "correlate.h"

Suite *correlate_suite(void);

#define S 1000000LL /* a second, in microseconds */
#define N "Spyware::C2_Traffic"

static struct device_info
dev(uint32_t id, int last)
{
	struct device_info d;

	memset(&d, 0, sizeof(d));
	d.addr[10] = d.addr[11] = 0xff;
	d.addr[12] = 192;
	d.addr[13] = 168;
	d.addr[14] = 1;
	d.addr[15] = (uint8_t)last;
	d.id = id;
	return d;
}

static struct correlate *
mk(uint32_t max, uint32_t window_s)
{
	char err[SW_ERRLEN];
	struct correlate *c = correlate_new(max, window_s, 1, err);

	ck_assert_ptr_nonnull(c);
	return c;
}

static const struct corr_device *
add(struct correlate *c, const struct device_info *d, enum corr_grade g,
    int64_t t)
{
	return correlate_add(c, d, g, g == CORR_WATCHWARE ? "Life360" : "mSpy",
	    N, "C1", "thd.cc", t);
}

/* One strong grade is possible; a second makes the verdict, once. */
START_TEST(test_two_strong_one_verdict)
{
	struct correlate *c = mk(0, 0);
	struct device_info phone = dev(1, 23), laptop = dev(2, 42);
	const struct corr_device *d;

	ck_assert_ptr_null(add(c, &phone, CORR_DATA, 10 * S));
	ck_assert_ptr_null(add(c, &phone, CORR_DATA, 20 * S));
	/* another device's evidence does not count for the phone */
	ck_assert_ptr_null(add(c, &laptop, CORR_BEACON_C2, 30 * S));
	d = add(c, &phone, CORR_BEACON_C2, 40 * S);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(correlate_level(c, d, 40 * S), CORR_VERY_LIKELY);
	ck_assert_uint_eq(d->napps, 1);
	ck_assert_str_eq(d->apps[0], "mSpy");
	ck_assert_uint_eq(d->dev.id, 1);
	correlate_mark_raised(c, &phone, 40 * S);
	/* more strong evidence in the window: no second verdict */
	ck_assert_ptr_null(add(c, &phone, CORR_UPLOAD, 50 * S));
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 1);
	/* a new window, the device still very likely: one more */
	ck_assert_ptr_null(add(c, &phone, CORR_DATA, 86400 * S));
	ck_assert_ptr_nonnull(add(c, &phone, CORR_BEACON_C2, 86441 * S));
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 2);
	correlate_free(c);
}
END_TEST

/* A lookup, an unknown beacon, a download site: possible, never more. */
START_TEST(test_moderate_is_possible)
{
	struct correlate *c = mk(0, 0);
	struct device_info a = dev(1, 1);
	const struct corr_device *d[1];
	int64_t now = 0;

	ck_assert_ptr_null(add(c, &a, CORR_LOOKUP, 1 * S));
	ck_assert_ptr_null(add(c, &a, CORR_BEACON, 2 * S));
	ck_assert_ptr_null(add(c, &a, CORR_DISTRIBUTION, 3 * S));
	ck_assert_ptr_null(add(c, &a, CORR_LOOKUP, 4 * S));
	now = 5 * S;
	ck_assert_uint_eq(correlate_list(c, now, d, 1), 1);
	ck_assert_int_eq(correlate_level(c, d[0], now), CORR_POSSIBLE);
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 0);
	/* one strong grade with them: still possible */
	ck_assert_ptr_null(add(c, &a, CORR_DATA, 6 * S));
	ck_assert_int_eq(correlate_level(c, d[0], 6 * S), CORR_POSSIBLE);
	correlate_free(c);
}
END_TEST

/* Packets without an exchange are weak: nothing, however many. */
START_TEST(test_weak_alone_is_nothing)
{
	struct correlate *c = mk(0, 0);
	struct device_info a = dev(1, 1);
	const struct corr_device *d[1];
	int i;

	for (i = 0; i < 100; i++)
		ck_assert_ptr_null(add(c, &a, CORR_WEAK, i * 60 * S));
	ck_assert_uint_eq(correlate_list(c, 100 * 60 * S, d, 1), 1);
	ck_assert_int_eq(correlate_level(c, d[0], 100 * 60 * S), CORR_NONE);
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 0);
	correlate_free(c);
}
END_TEST

/* Watchware is never strong: no verdict, with any amount of it. */
START_TEST(test_watchware_alone_no_verdict)
{
	struct correlate *c = mk(0, 0);
	struct device_info a = dev(1, 1);
	const struct corr_device *d[1];
	int i;

	for (i = 0; i < 50; i++)
		ck_assert_ptr_null(add(c, &a, CORR_WATCHWARE, i * 600 * S));
	ck_assert_uint_eq(correlate_list(c, 50 * 600 * S, d, 1), 1);
	ck_assert_int_eq(correlate_level(c, d[0], 50 * 600 * S), CORR_POSSIBLE);
	/* a watchware app is not named as stalkerware */
	ck_assert_uint_eq(d[0]->napps, 0);
	correlate_free(c);
}
END_TEST

/* Three exchanges over five minutes or more are repeated contact. */
START_TEST(test_repeated_contact)
{
	struct correlate *c = mk(0, 0);
	struct device_info fast = dev(1, 1), slow = dev(2, 2);
	const struct corr_device *d[1];

	/* three within a minute: one strong grade only */
	ck_assert_ptr_null(add(c, &fast, CORR_DATA, 0));
	ck_assert_ptr_null(add(c, &fast, CORR_DATA, 20 * S));
	ck_assert_ptr_null(add(c, &fast, CORR_DATA, 40 * S));
	/* three over ten minutes: data and repeated contact */
	ck_assert_ptr_null(add(c, &slow, CORR_DATA, 0));
	ck_assert_ptr_null(add(c, &slow, CORR_DATA, 300 * S));
	ck_assert_ptr_nonnull(add(c, &slow, CORR_DATA, 600 * S));
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 1);
	correlate_free(c);

	/* an upload is one connection's data, not a second contact: two
	 * connections are no repetition */
	c = mk(0, 0);
	(void)add(c, &fast, CORR_DATA, 0);
	(void)add(c, &fast, CORR_UPLOAD, 0);
	(void)add(c, &fast, CORR_DATA, 400 * S);
	ck_assert_uint_eq(correlate_list(c, 401 * S, d, 1), 1);
	ck_assert_int_eq(correlate_has(c, d[0], CORR_REPEAT, 401 * S), 0);
	correlate_free(c);
}
END_TEST

/* Evidence older than the window no longer counts. */
START_TEST(test_window)
{
	struct correlate *c = mk(0, 3600);
	struct device_info a = dev(1, 1);
	const struct corr_device *d[1];

	ck_assert_ptr_null(add(c, &a, CORR_DATA, 0));
	/* the beacon comes two hours after the exchange */
	ck_assert_ptr_null(add(c, &a, CORR_BEACON_C2, 7200 * S));
	ck_assert_uint_eq(correlate_list(c, 7200 * S, d, 1), 1);
	ck_assert_int_eq(correlate_level(c, d[0], 7200 * S), CORR_POSSIBLE);
	ck_assert_int_eq(correlate_has(c, d[0], CORR_DATA, 7200 * S), 0);
	ck_assert_int_eq(correlate_has(c, d[0], CORR_DATA, 3600 * S), 1);
	ck_assert_int_eq(correlate_level(c, d[0], 4 * 3600 * S), CORR_NONE);
	correlate_free(c);
}
END_TEST

/* One address, two phones (a reused DHCP lease): two devices. */
START_TEST(test_device_is_its_id)
{
	struct correlate *c = mk(0, 0);
	struct device_info old = dev(1, 23), next = dev(2, 23);
	const struct corr_device *d;

	ck_assert_ptr_null(add(c, &old, CORR_DATA, 0));
	ck_assert_ptr_null(add(c, &next, CORR_BEACON_C2, 10 * S));
	ck_assert_uint_eq(correlate_get_stats(c)->verdicts, 0);
	d = add(c, &next, CORR_UPLOAD, 20 * S);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->dev.id, 2);
	correlate_free(c);
}
END_TEST

/* Evidence is bounded: the first of each grade stays, then the latest. */
START_TEST(test_bounded_evidence)
{
	struct correlate *c = mk(0, 0);
	struct device_info a = dev(1, 1);
	const struct corr_device *d[1];
	unsigned i, lookups = 0, weak = 0;

	ck_assert_ptr_null(add(c, &a, CORR_WEAK, 0));
	for (i = 1; i <= 40; i++)
		ck_assert_ptr_null(add(c, &a, CORR_LOOKUP, i * S));
	ck_assert_uint_eq(correlate_list(c, 41 * S, d, 1), 1);
	ck_assert_uint_eq(d[0]->n, SW_CORR_EVIDENCE);
	for (i = 0; i < d[0]->n; i++) {
		lookups += d[0]->ev[i].grade == CORR_LOOKUP;
		weak += d[0]->ev[i].grade == CORR_WEAK;
	}
	ck_assert_uint_eq(weak, 1);
	ck_assert_uint_eq(lookups, SW_CORR_EVIDENCE - 1);
	ck_assert_int_eq(d[0]->ev[d[0]->n - 1].ts_us, 40 * S);
	correlate_free(c);
}
END_TEST

/* A full table replaces the least recently updated device, counted. */
START_TEST(test_full_table)
{
	struct correlate *c = mk(2, 0);
	struct device_info a = dev(1, 1), b = dev(2, 2), x = dev(3, 3);
	const struct corr_device *d[4];
	size_t n;

	ck_assert_ptr_null(add(c, &a, CORR_LOOKUP, 1 * S));
	ck_assert_ptr_null(add(c, &b, CORR_LOOKUP, 2 * S));
	ck_assert_ptr_null(add(c, &a, CORR_LOOKUP, 3 * S));
	ck_assert_ptr_null(add(c, &x, CORR_LOOKUP, 4 * S));
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 1);
	n = correlate_list(c, 5 * S, d, 4);
	ck_assert_uint_eq(n, 2);
	ck_assert(d[0]->dev.id != 2 && d[1]->dev.id != 2);
	correlate_free(c);
}
END_TEST

/* Kept by value: a thousand spoofed devices with a stray packet each
 * never push out the victim, whose phone exchanged data with a C2; a
 * device with a lookup outlives weak ones too; the victim's second
 * strong grade still makes the verdict. */
START_TEST(test_evict_by_value)
{
	struct correlate *c = mk(8, 0);
	struct device_info victim = dev(1, 23), looker = dev(2, 24), x;
	const struct corr_device *d[8];
	uint32_t i;
	size_t n;

	ck_assert_ptr_null(add(c, &victim, CORR_DATA, 1 * S));
	ck_assert_ptr_null(add(c, &looker, CORR_LOOKUP, 2 * S));
	for (i = 0; i < 1000; i++) {
		x = dev(100 + i, (int)(i % 250));
		ck_assert_ptr_null(add(c, &x, CORR_WEAK, (3 + i) * S));
	}
	ck_assert_uint_eq(correlate_get_stats(c)->replaced, 1000 - 6);
	ck_assert_uint_eq(correlate_get_stats(c)->earned_evicted, 0);
	n = correlate_list(c, 2000 * S, d, 8);
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(d[0]->dev.id, 1);
	ck_assert_uint_eq(d[1]->dev.id, 2);
	ck_assert_ptr_nonnull(add(c, &victim, CORR_BEACON_C2, 2001 * S));
	/* a table of earned devices only: the least recently updated of
	 * the lowest list goes, counted */
	for (i = 0; i < 8; i++) {
		x = dev(5000 + i, (int)i);
		ck_assert_ptr_null(add(c, &x, CORR_LOOKUP, (2100 + i) * S));
	}
	ck_assert_uint_eq(correlate_get_stats(c)->earned_evicted, 2);
	n = correlate_list(c, 2200 * S, d, 8);
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(d[0]->dev.id, 1); /* strong: still there */
	/* a day on (the window), the old evidence counts no more: those
	 * devices go first, uncounted as earned */
	x = dev(9000, 9);
	ck_assert_ptr_null(add(c, &x, CORR_WEAK, (2200 + 86401) * S));
	ck_assert_uint_eq(correlate_get_stats(c)->earned_evicted, 2);
	correlate_free(c);
}
END_TEST

/* The list: very likely first, then possible, then weak signs. */
START_TEST(test_list_order)
{
	struct correlate *c = mk(0, 0);
	struct device_info w = dev(1, 1), p = dev(2, 2), v = dev(3, 3);
	const struct corr_device *d[4];

	ck_assert_ptr_null(add(c, &w, CORR_WEAK, 1 * S));
	ck_assert_ptr_null(add(c, &p, CORR_LOOKUP, 2 * S));
	ck_assert_ptr_null(add(c, &v, CORR_DATA, 3 * S));
	ck_assert_ptr_nonnull(add(c, &v, CORR_UPLOAD, 4 * S));
	ck_assert_uint_eq(correlate_list(c, 5 * S, d, 4), 3);
	ck_assert_uint_eq(d[0]->dev.id, 3);
	ck_assert_uint_eq(d[1]->dev.id, 2);
	ck_assert_uint_eq(d[2]->dev.id, 1);
	ck_assert_str_eq(correlate_level_words(CORR_VERY_LIKELY),
	    "very likely");
	ck_assert_str_eq(correlate_grade_key(CORR_DATA), "c2_data");
	ck_assert_str_eq(correlate_grade_key(CORR_GRADES), "?");
	correlate_free(c);
}
END_TEST

Suite *
correlate_suite(void)
{
	Suite *s = suite_create("correlate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_two_strong_one_verdict);
	tcase_add_test(tc, test_moderate_is_possible);
	tcase_add_test(tc, test_weak_alone_is_nothing);
	tcase_add_test(tc, test_watchware_alone_no_verdict);
	tcase_add_test(tc, test_repeated_contact);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_device_is_its_id);
	tcase_add_test(tc, test_bounded_evidence);
	tcase_add_test(tc, test_full_table);
	tcase_add_test(tc, test_list_order);
	tcase_add_test(tc, test_evict_by_value);
	suite_add_tcase(s, tc);
	return s;
}
