/*
 * check_reasm.c - tests of the stream-start reassembly pool: placement by
 * sequence number, out-of-order and overlapping segments (first copy
 * wins), sequence wrap-around, bytes before the base or past the slot,
 * the range-list cap, exhaustion, release and reuse.
 */
#include <check.h>

#include <string.h>

#include "reasm.h"

Suite *reasm_suite(void);

static struct reasm *
pool(uint32_t slots, uint32_t bytes)
{
	char err[SW_ERRLEN];
	struct reasm *r = reasm_new(slots, bytes, 1, err);

	ck_assert_msg(r != NULL, "%s", err);
	return r;
}

static size_t
prefix(struct reasm *r, struct reasm_ref id, const uint8_t **p)
{
	size_t n;

	reasm_contiguous(r, id, p, &n);
	return n;
}

START_TEST(test_in_and_out_of_order)
{
	struct reasm *r = pool(2, 64);
	const uint8_t *p;
	uint8_t d[64];
	struct reasm_ref id;
	size_t i;

	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	id = reasm_open(r, 1000, NULL, 0);
	ck_assert_uint_eq(id.id, 1);
	ck_assert_uint_eq(reasm_add(r, id, 1020, d + 20, 10, 0), 10);
	ck_assert_uint_eq(prefix(r, id, &p), 0);
	ck_assert_uint_eq(reasm_add(r, id, 1000, d, 10, 0), 10);
	ck_assert_uint_eq(prefix(r, id, &p), 10);
	/* fills the gap exactly, joining both ranges */
	ck_assert_uint_eq(reasm_add(r, id, 1010, d + 10, 10, 0), 10);
	ck_assert_uint_eq(prefix(r, id, &p), 30);
	ck_assert_int_eq(memcmp(p, d, 30), 0);
	/* a duplicate adds nothing */
	ck_assert_uint_eq(reasm_add(r, id, 1000, d, 30, 0), 0);
	reasm_release(r, id);
	ck_assert_uint_eq(reasm_stats(r)->in_use, 0);
	reasm_free(r);
}
END_TEST

START_TEST(test_overlap_first_wins)
{
	struct reasm *r = pool(1, 64);
	const uint8_t *p;
	uint8_t a[32], b[32];
	struct reasm_ref id;

	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	id = reasm_open(r, 5, NULL, 0);
	ck_assert_uint_eq(reasm_add(r, id, 15, a, 10, 0), 10);	/* [10,20) */
	ck_assert_uint_eq(reasm_add(r, id, 35, a, 5, 0), 5);	/* [30,35) */
	/* [5, 37): only the holes are new, old bytes stay */
	ck_assert_uint_eq(reasm_add(r, id, 10, b, 32, 0), 32 - 10 - 5);
	ck_assert_uint_eq(prefix(r, id, &p), 0);
	ck_assert_uint_eq(reasm_add(r, id, 5, b, 5, 0), 5);
	ck_assert_uint_eq(prefix(r, id, &p), 37);
	ck_assert_int_eq(p[9], 'b');
	ck_assert_int_eq(p[10], 'a');
	ck_assert_int_eq(p[19], 'a');
	ck_assert_int_eq(p[20], 'b');
	ck_assert_int_eq(p[30], 'a');
	ck_assert_int_eq(p[35], 'b');
	reasm_free(r);
}
END_TEST

START_TEST(test_wrap_and_bounds)
{
	struct reasm *r = pool(1, 64);
	const uint8_t *p;
	uint8_t d[100];
	struct reasm_ref id;
	size_t i;

	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	id = reasm_open(r, 0xfffffff0u, NULL, 0);
	/* crosses 2^32 */
	ck_assert_uint_eq(reasm_add(r, id, 0xfffffff0u, d, 20, 0), 20);
	ck_assert_uint_eq(reasm_add(r, id, 4, d + 20, 10, 0), 10);
	ck_assert_uint_eq(prefix(r, id, &p), 30);
	ck_assert_int_eq(memcmp(p, d, 30), 0);
	/* starts 8 bytes before the base: those bytes are cut */
	reasm_release(r, id);
	id = reasm_open(r, 8, NULL, 0);
	ck_assert_uint_eq(reasm_add(r, id, 0, d, 20, 0), 12);
	ck_assert_uint_eq(prefix(r, id, &p), 12);
	ck_assert_int_eq(p[0], 8);
	/* wholly before: nothing */
	ck_assert_uint_eq(reasm_add(r, id, 0, d, 8, 0), 0);
	/* past the slot end: cut and counted */
	ck_assert_uint_eq(reasm_add(r, id, 8 + 60, d, 10, 0), 4);
	ck_assert_uint_eq(reasm_stats(r)->overflow, 6);
	ck_assert_uint_eq(reasm_add(r, id, 8 + 64, d, 10, 0), 0);
	ck_assert_uint_eq(reasm_stats(r)->overflow, 16);
	/* far away in either direction */
	ck_assert_uint_eq(reasm_add(r, id, 0x80000000u, d, 10, 0), 0);
	ck_assert_uint_eq(reasm_add(r, id, 8 - 0x40000000u, d, 10, 0), 0);
	reasm_free(r);
}
END_TEST

START_TEST(test_range_cap)
{
	struct reasm *r = pool(1, 256);
	const uint8_t *p;
	uint8_t d[256];
	struct reasm_ref id;
	unsigned i;

	memset(d, 7, sizeof(d));
	id = reasm_open(r, 0, NULL, 0);
	/* ranges at 10, 30, ... : SW_REASM_MAX_RANGES of them fit */
	for (i = 0; i < SW_REASM_MAX_RANGES; i++)
		ck_assert_uint_eq(reasm_add(r, id, 10 + 20 * i, d, 5, 0), 5);
	ck_assert_uint_eq(reasm_add(r, id, 10 + 20 * i, d, 5, 0), 0);
	ck_assert_uint_eq(reasm_stats(r)->too_many_ranges, 1);
	/* filling everything still works: ranges merge into one */
	ck_assert_uint_eq(reasm_add(r, id, 0, d, 256, 0),
	    256 - 5 * SW_REASM_MAX_RANGES);
	ck_assert_uint_eq(prefix(r, id, &p), 256);
	reasm_free(r);
}
END_TEST

START_TEST(test_pool)
{
	struct reasm *r = pool(3, 16);
	const uint8_t *p;
	struct reasm_ref a, b, c, bad = { 99, 1 };
	char err[SW_ERRLEN];

	a = reasm_open(r, 1, NULL, 0);
	b = reasm_open(r, 2, NULL, 0);
	c = reasm_open(r, 3, NULL, 0);
	ck_assert(a.id && b.id && c.id && a.id != b.id && b.id != c.id &&
	    a.id != c.id);
	ck_assert_uint_eq(reasm_open(r, 4, NULL, 0).id, 0);
	ck_assert_uint_eq(reasm_stats(r)->exhausted, 1);
	ck_assert_uint_eq(reasm_stats(r)->in_use_max, 3);
	reasm_release(r, b);
	reasm_release(r, b);	/* twice: ignored */
	reasm_release(r, bad);
	ck_assert_uint_eq(reasm_stats(r)->in_use, 2);
	ck_assert_int_eq(reasm_held(r, b), 0);
	c = reasm_open(r, 9, NULL, 0);
	ck_assert_uint_eq(c.id, b.id);
	/* the old handle of a reused slot does nothing */
	ck_assert_int_eq(reasm_held(r, b), 0);
	ck_assert_int_eq(reasm_held(r, c), 1);
	ck_assert_uint_eq(reasm_add(r, b, 9, (const uint8_t *)"x", 1, 0), 0);
	reasm_release(r, b);
	ck_assert_uint_eq(reasm_stats(r)->in_use, 3);
	/* a released slot forgets its ranges */
	ck_assert_uint_eq(prefix(r, c, &p), 0);
	/* bad ids are ignored */
	ck_assert_uint_eq(reasm_add(r, bad, 1, (const uint8_t *)"x", 1, 0), 0);
	ck_assert_uint_eq(prefix(r, bad, &p), 0);
	ck_assert_uint_eq(reasm_slot_bytes(r), 16);
	reasm_free(r);
	reasm_free(NULL);
	ck_assert_ptr_null(reasm_new(70000, 16, 1, err));
	ck_assert_ptr_nonnull(strstr(err, "slots"));
	r = reasm_new(0, 0, 1, err);
	ck_assert_uint_eq(reasm_slot_bytes(r), SW_REASM_SLOT_BYTES);
	reasm_free(r);
}
END_TEST

Suite *
reasm_suite(void)
{
	Suite *s = suite_create("reasm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_in_and_out_of_order);
	tcase_add_test(tc, test_overlap_first_wins);
	tcase_add_test(tc, test_wrap_and_bounds);
	tcase_add_test(tc, test_range_cap);
	tcase_add_test(tc, test_pool);
	suite_add_tcase(s, tc);
	return s;
}
