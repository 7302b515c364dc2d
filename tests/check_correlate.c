/*
 * check_correlate.c - per-device evidence: two kinds make one verdict.
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

Suite *
correlate_suite(void)
{
	Suite *s = suite_create("correlate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_two_kinds_one_verdict);
	tcase_add_test(tc, test_bounded_evidence);
	tcase_add_test(tc, test_full_table);
	suite_add_tcase(s, tc);
	return s;
}
