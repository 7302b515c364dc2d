/*
 * check_reasm.c - tests of the stream-start reassembly pool: placement by
 * sequence number, out-of-order and overlapping segments (first copy
 * wins), sequence wrap-around, bytes before the base or past the slot,
 * the range-list cap, exhaustion, release and reuse; slots that cannot be
 * held: an idle slot reclaimed, a fresh one kept, the stalest taken
 * first, a slot without a handshake before any, the budget per source.
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
	ck_assert_uint_eq(reasm_add(r, id, 15, a, 10, 0), 10); /* [10,20) */
	ck_assert_uint_eq(reasm_add(r, id, 35, a, 5, 0), 5);   /* [30,35) */
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
	struct reasm_ref a, b, c, bad = { 99, 0, 1 };
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

#define S    1000000LL /* network time: microseconds */
#define IDLE ((int64_t)SW_REASM_IDLE_S * S)

/* An owner at address 10.0.0.n (IPv4-mapped). */
static struct reasm_owner
who(uint8_t a[16], uint8_t n, int handshake)
{
	struct reasm_owner o;

	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	a[12] = 10;
	a[15] = n;
	o.src = a;
	o.handshake = (uint8_t)handshake;
	return o;
}

/* A slot that received nothing new for SW_REASM_IDLE_S goes to a new
 * stream when none is free; a retransmission does not keep it. */
START_TEST(test_reclaim_idle)
{
	struct reasm *r = pool(1, 64);
	struct reasm_ref a, b;
	struct reasm_owner oa, ob;
	uint8_t xa[16], xb[16];
	const uint8_t *p;

	oa = who(xa, 1, 1);
	ob = who(xb, 2, 1);
	a = reasm_open(r, 100, &oa, 10 * S);
	ck_assert_uint_ne(a.id, 0);
	ck_assert_uint_eq(reasm_add(r, a, 100, (const uint8_t *)"abcd", 4,
			      10 * S),
	    4);
	/* the same bytes again, later: nothing new */
	ck_assert_uint_eq(reasm_add(r, a, 100, (const uint8_t *)"abcd", 4,
			      10 * S + IDLE - 1),
	    0);
	ck_assert_uint_eq(reasm_open(r, 500, &ob, 10 * S + IDLE - 1).id, 0);
	ck_assert_uint_eq(reasm_stats(r)->exhausted, 1);
	b = reasm_open(r, 500, &ob, 10 * S + IDLE);
	ck_assert_uint_eq(b.id, a.id);
	ck_assert_uint_eq(reasm_stats(r)->reclaimed, 1);
	ck_assert_uint_eq(reasm_stats(r)->in_use, 1);
	/* the old holder's handle does nothing, not even to the new one */
	ck_assert_int_eq(reasm_held(r, a), 0);
	ck_assert_int_eq(reasm_held(r, b), 1);
	ck_assert_uint_eq(reasm_add(r, a, 104, (const uint8_t *)"efgh", 4,
			      11 * S),
	    0);
	reasm_contiguous(r, a, &p, &(size_t){ 0 });
	ck_assert_ptr_null(p);
	ck_assert_uint_eq(prefix(r, b, &p), 0);
	reasm_release(r, a);
	ck_assert_uint_eq(reasm_stats(r)->in_use, 1);
	ck_assert_uint_eq(reasm_add(r, b, 500, (const uint8_t *)"xy", 2,
			      11 * S),
	    2);
	ck_assert_uint_eq(prefix(r, b, &p), 2);
	ck_assert_int_eq(p[0], 'x');
	reasm_release(r, b);
	ck_assert_uint_eq(reasm_stats(r)->in_use, 0);
	reasm_free(r);
}
END_TEST

/* A slot of a live handshake that keeps receiving new bytes is never
 * taken, however many streams ask. */
START_TEST(test_fresh_kept)
{
	struct reasm *r = pool(1, 1024);
	struct reasm_ref a;
	struct reasm_owner oa, ob;
	uint8_t xa[16], xb[16], d[8] = { 0 };
	int64_t t;
	uint32_t off = 0;

	oa = who(xa, 1, 1);
	a = reasm_open(r, 0, &oa, 0);
	for (t = 0; t < 20 * IDLE; t += IDLE / 2) {
		ck_assert_uint_eq(reasm_add(r, a, off, d, sizeof(d), t),
		    sizeof(d));
		off += sizeof(d);
		/* newcomers with a handshake and without: both refused */
		ob = who(xb, (uint8_t)(2 + t / S), 1);
		ck_assert_uint_eq(reasm_open(r, 0, &ob, t + IDLE - 1).id, 0);
		ob.handshake = 0;
		ck_assert_uint_eq(reasm_open(r, 0, &ob, t + IDLE - 1).id, 0);
	}
	ck_assert_int_eq(reasm_held(r, a), 1);
	ck_assert_uint_eq(reasm_stats(r)->reclaimed, 0);
	reasm_free(r);
}
END_TEST

/* When several are idle, the one idle longest goes first; new bytes make
 * a slot the freshest. */
START_TEST(test_stalest_first)
{
	struct reasm *r = pool(3, 64);
	struct reasm_ref s[3], n;
	struct reasm_owner o;
	uint8_t x[16];
	int i;

	for (i = 0; i < 3; i++) {
		o = who(x, (uint8_t)(1 + i), 1);
		s[i] = reasm_open(r, 0, &o, i * S);
		ck_assert_uint_ne(s[i].id, 0);
	}
	/* s[0] gets new bytes at 3 s: s[1] (1 s) is now the stalest */
	ck_assert_uint_eq(reasm_add(r, s[0], 0, (const uint8_t *)"a", 1, 3 * S),
	    1);
	o = who(x, 9, 1);
	n = reasm_open(r, 0, &o, 3 * S + IDLE);
	ck_assert_uint_eq(n.id, s[1].id);
	n = reasm_open(r, 0, &o, 3 * S + IDLE);
	ck_assert_uint_eq(n.id, s[2].id);
	n = reasm_open(r, 0, &o, 3 * S + IDLE);
	ck_assert_uint_eq(n.id, s[0].id);
	ck_assert_uint_eq(reasm_stats(r)->reclaimed, 3);
	/* the three new ones are fresh */
	ck_assert_uint_eq(reasm_open(r, 0, &o, 3 * S + IDLE).id, 0);
	reasm_free(r);
}
END_TEST

/* A slot of a connection without a handshake goes first, fresh or not;
 * and a newcomer without a handshake takes no fresh slot with one. */
START_TEST(test_no_handshake_first)
{
	struct reasm *r = pool(2, 64);
	struct reasm_ref hs, nohs, n;
	struct reasm_owner o;
	uint8_t x[16];

	o = who(x, 1, 1);
	hs = reasm_open(r, 0, &o, 0);
	o = who(x, 2, 0);
	nohs = reasm_open(r, 0, &o, S);
	o = who(x, 3, 1);
	n = reasm_open(r, 0, &o, S + 1);
	ck_assert_uint_eq(n.id, nohs.id);
	ck_assert_int_eq(reasm_held(r, hs), 1);
	ck_assert_int_eq(reasm_held(r, nohs), 0);
	o = who(x, 4, 0);
	ck_assert_uint_eq(reasm_open(r, 0, &o, S + 2).id, 0);
	ck_assert_uint_eq(reasm_stats(r)->reclaimed, 1);
	ck_assert_uint_eq(reasm_stats(r)->exhausted, 1);
	reasm_free(r);
}
END_TEST

/* One source holds at most SW_REASM_PER_SOURCE slots, counted when it
 * asks for more; a slot it gives back, or loses, makes room. */
START_TEST(test_source_budget)
{
	struct reasm *r = pool(SW_REASM_PER_SOURCE + 2, 64);
	struct reasm_ref a[SW_REASM_PER_SOURCE], b;
	struct reasm_owner oa, ob;
	uint8_t xa[16], xb[16];
	unsigned i;

	oa = who(xa, 1, 1);
	ob = who(xb, 2, 1);
	for (i = 0; i < SW_REASM_PER_SOURCE; i++) {
		a[i] = reasm_open(r, 0, &oa, 0);
		ck_assert_uint_ne(a[i].id, 0);
	}
	ck_assert_uint_eq(reasm_open(r, 0, &oa, 0).id, 0);
	ck_assert_uint_eq(reasm_stats(r)->source_limited, 1);
	ck_assert_uint_eq(reasm_stats(r)->exhausted, 0);
	ck_assert_uint_eq(reasm_stats(r)->in_use, SW_REASM_PER_SOURCE);
	/* another source is not charged for it */
	b = reasm_open(r, 0, &ob, 0);
	ck_assert_uint_ne(b.id, 0);
	reasm_release(r, a[0]);
	a[0] = reasm_open(r, 0, &oa, 0);
	ck_assert_uint_ne(a[0].id, 0);
	ck_assert_uint_eq(reasm_open(r, 0, &oa, 0).id, 0);
	ck_assert_uint_eq(reasm_stats(r)->source_limited, 2);
	/* the pool full, b's source takes a's stalest slot once it is
	 * idle, which gives a's source room again */
	ck_assert_uint_ne(reasm_open(r, 0, &ob, 0).id, 0);
	ck_assert_uint_eq(reasm_open(r, 0, &ob, IDLE - 1).id, 0);
	b = reasm_open(r, 0, &ob, IDLE);
	ck_assert_uint_eq(b.id, a[1].id);
	ck_assert_uint_ne(b.id, 0);
	ck_assert_uint_eq(reasm_stats(r)->reclaimed, 1);
	ck_assert_uint_ne(reasm_open(r, 0, &oa, IDLE).id, 0);
	for (i = 0; i < SW_REASM_PER_SOURCE; i++)
		reasm_release(r, a[i]);
	reasm_free(r);
}
END_TEST

/* Free slots are reused in turn, not the last one freed: a holder whose
 * slot was taken cannot see it come back with its generation after a
 * few thousand open-release cycles of one slot. */
START_TEST(test_reuse_in_turn)
{
	struct reasm *r = pool(4, 16);
	struct reasm_ref a, b, old;
	unsigned i, seen[5] = { 0 };

	old = reasm_open(r, 1, NULL, 0);
	reasm_release(r, old);
	for (i = 0; i < 4000; i++) {
		a = reasm_open(r, 1, NULL, 0);
		ck_assert_uint_ne(a.id, 0);
		seen[a.id]++;
		reasm_release(r, a);
	}
	/* every slot took its turn, a thousand times each */
	for (i = 1; i <= 4; i++)
		ck_assert_uint_eq(seen[i], 1000);
	/* the old handle's slot is open again, at another generation */
	for (i = 0; i < 4; i++) {
		b = reasm_open(r, 1, NULL, 0);
		if (b.id == old.id)
			break;
	}
	ck_assert_uint_eq(b.id, old.id);
	ck_assert_uint_ne(reasm_ref_gen(b), reasm_ref_gen(old));
	ck_assert_int_eq(reasm_held(r, old), 0);
	ck_assert_int_eq(reasm_held(r, b), 1);
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
	tcase_add_test(tc, test_reclaim_idle);
	tcase_add_test(tc, test_fresh_kept);
	tcase_add_test(tc, test_stalest_first);
	tcase_add_test(tc, test_no_handshake_first);
	tcase_add_test(tc, test_source_budget);
	tcase_add_test(tc, test_reuse_in_turn);
	suite_add_tcase(s, tc);
	return s;
}
