/*
 * check_ring.c - the SPSC ring: order, wrap-around, full, two threads.
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

Suite *ring_suite(void);

START_TEST(test_put_peek_release)
{
	char err[128];
	struct ring *r = ring_new(4096, err, sizeof(err));
	struct ring_rec h = { 0 };
	const struct ring_rec *g;
	uint8_t data[100];

	ck_assert_ptr_nonnull(r);
	memset(data, 0xab, sizeof(data));
	h.ts_us = 7;
	h.caplen = sizeof(data);
	h.wirelen = 1500;
	h.dlt = 1;
	ck_assert_ptr_null(ring_peek(r));
	ck_assert_int_eq(ring_put(r, &h, NULL, data), 0);
	/* less than a batch: not published until the producer flushes */
	ck_assert_ptr_null(ring_peek(r));
	ring_flush(r);
	g = ring_peek(r);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->ts_us, 7);
	ck_assert_uint_eq(g->caplen, 100);
	ck_assert_uint_eq(g->wirelen, 1500);
	ck_assert_mem_eq((const uint8_t *)(g + 1), data, 100);
	ring_release(r, g);
	ck_assert_ptr_null(ring_peek(r));
	ring_free(r);
}
END_TEST

/* A record's meta area comes back between the header and the data. */
START_TEST(test_meta)
{
	char err[128];
	struct ring *r = ring_new(4096, err, sizeof(err));
	struct ring_rec h = { 0 };
	const struct ring_rec *g;
	uint8_t data[50], meta[16];
	int i;

	ck_assert_ptr_nonnull(r);
	memset(data, 0x33, sizeof(data));
	memset(meta, 0x77, sizeof(meta));
	/* many laps: a record with meta may need the skip at the end too */
	for (i = 0; i < 500; i++) {
		h.ts_us = i;
		h.caplen = (uint32_t)(1 + i % 50);
		h.meta_len = (i % 3) ? sizeof(meta) : 0;
		ck_assert_int_eq(ring_put(r, &h, meta, data), 0);
		ring_flush(r);
		g = ring_peek(r);
		ck_assert_ptr_nonnull(g);
		ck_assert_int_eq(g->ts_us, i);
		ck_assert_uint_eq(g->meta_len, h.meta_len);
		if (g->meta_len > 0)
			ck_assert_mem_eq(ring_rec_meta(g), meta, sizeof(meta));
		ck_assert_mem_eq(ring_rec_data(g), data, h.caplen);
		ring_release(r, g);
	}
	ck_assert_ptr_null(ring_peek(r));
	ring_free(r);
}
END_TEST

/* Fill until full, drain, many laps with sizes that force skips. */
START_TEST(test_full_and_wrap)
{
	char err[128];
	struct ring *r = ring_new(4096, err, sizeof(err));
	struct ring_rec h = { 0 };
	const struct ring_rec *g;
	uint8_t data[700];
	int64_t put_n = 0, got_n = 0;
	int lap, full;

	for (lap = 0; lap < 200; lap++) {
		full = 0;
		while (!full) {
			h.ts_us = put_n;
			h.caplen = (uint32_t)(1 + (put_n * 37) % 699);
			memset(data, (int)(put_n & 0xff), h.caplen);
			if (ring_put(r, &h, NULL, data) != 0)
				full = 1;
			else
				put_n++;
		}
		while ((g = ring_peek(r)) != NULL) {
			ck_assert_int_eq(g->ts_us, got_n);
			ck_assert_uint_eq(g->caplen,
			    (uint32_t)(1 + (got_n * 37) % 699));
			ck_assert_uint_eq(((const uint8_t *)(g + 1))[0],
			    (uint8_t)(got_n & 0xff));
			ring_release(r, g);
			got_n++;
		}
	}
	ck_assert_int_eq(put_n, got_n);
	ck_assert_int_gt(put_n, 1000);
	ring_free(r);
}
END_TEST

#define N_THREADED 200000

static void *
producer(void *arg)
{
	struct ring *r = arg;
	struct ring_rec h = { 0 };
	uint8_t data[256];
	int64_t i;

	for (i = 0; i < N_THREADED; i++) {
		h.ts_us = i;
		h.caplen = (uint32_t)(i % 256);
		memset(data, (int)(i & 0xff), sizeof(data));
		while (ring_put(r, &h, NULL, data) != 0)
			ring_wait(r);
	}
	ring_close(r);
	return NULL;
}

START_TEST(test_two_threads_in_order)
{
	char err[128];
	struct ring *r = ring_new(1 << 14, err, sizeof(err));
	const struct ring_rec *g;
	pthread_t t;
	int64_t next = 0;

	ck_assert_int_eq(pthread_create(&t, NULL, producer, r), 0);
	for (;;) {
		g = ring_peek(r);
		if (g == NULL) {
			if (!ring_closed(r))
				continue;
			/* closed: one more look for a last record */
			if ((g = ring_peek(r)) == NULL)
				break;
		}
		ck_assert_int_eq(g->ts_us, next);
		ck_assert_uint_eq(g->caplen, (uint32_t)(next % 256));
		if (g->caplen > 0)
			ck_assert_uint_eq(((const uint8_t *)(g + 1))
			    [g->caplen - 1], (uint8_t)(next & 0xff));
		ring_release(r, g);
		next++;
	}
	pthread_join(t, NULL);
	ck_assert_int_eq(next, N_THREADED);
	ring_free(r);
}
END_TEST

START_TEST(test_max_payload_fits)
{
	char err[128];
	struct ring *r = ring_new(8192, err, sizeof(err));
	struct ring_rec h = { 0 };
	const struct ring_rec *g;
	uint8_t *data;
	int i;

	h.caplen = (uint32_t)ring_max_payload(r);
	data = calloc(1, h.caplen);
	/* any number of maximal records can be passed through one by one */
	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(ring_put(r, &h, NULL, data), 0);
		g = ring_peek(r);
		ck_assert_ptr_nonnull(g);
		ring_release(r, g);
	}
	free(data);
	ring_free(r);
}
END_TEST

/* Several records held at once, released in order, across wraps. */
START_TEST(test_lookahead)
{
	char err[128];
	struct ring *r = ring_new(4096, err, sizeof(err));
	struct ring_rec h = { 0 };
	const struct ring_rec *held[3];
	uint8_t data[300];
	int64_t put_n = 0, got_n = 0;
	int i, round;

	memset(data, 0x5a, sizeof(data));
	for (round = 0; round < 500; round++) {
		while (1) {
			h.ts_us = put_n;
			h.caplen = (uint32_t)(50 + put_n % 250);
			if (ring_put(r, &h, NULL, data) != 0)
				break;
			put_n++;
		}
		/* hold three, release the oldest, as the analyzer does */
		for (i = 0; i < 3; i++) {
			held[i] = ring_peek(r);
			ck_assert_ptr_nonnull(held[i]);
			ck_assert_int_eq(held[i]->ts_us, got_n + i);
		}
		ring_release(r, held[0]);
		ring_release(r, held[1]);
		ring_release(r, held[2]);
		got_n += 3;
		/* drain the rest so the producer laps the ring */
		while ((held[0] = ring_peek(r)) != NULL) {
			ck_assert_int_eq(held[0]->ts_us, got_n);
			ring_release(r, held[0]);
			got_n++;
		}
	}
	ck_assert_int_eq(put_n, got_n);
	ring_free(r);
}
END_TEST

Suite *
ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_put_peek_release);
	tcase_add_test(tc, test_meta);
	tcase_add_test(tc, test_full_and_wrap);
	tcase_add_test(tc, test_two_threads_in_order);
	tcase_add_test(tc, test_max_payload_fits);
	tcase_add_test(tc, test_lookahead);
	suite_add_tcase(s, tc);
	return s;
}
