/*
 * check_capture.c - the capture thread's packet stamps.
 *
 * A pcapng file is written byte by byte with an interface of 1-second
 * resolution (if_tsresol 0, 10^0) and stamps that a microsecond multiply
 * cannot hold, or that lie past the year 9999 or before 1901: those
 * packets are skipped
 * and counted (pkts_bad_ts), the others reach the ring with their
 * stamps.  Before the fix the multiply overflowed (UBSan abort; the
 * release build logged a negative ts).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "config.h"
#include "ring.h"
#include "testfiles.h"

Suite *capture_suite(void);

static size_t
put32(uint8_t *b, size_t o, uint32_t v)
{
	b[o] = (uint8_t)v;
	b[o + 1] = (uint8_t)(v >> 8);
	b[o + 2] = (uint8_t)(v >> 16);
	b[o + 3] = (uint8_t)(v >> 24);
	return o + 4;
}

static size_t
put16(uint8_t *b, size_t o, uint16_t v)
{
	b[o] = (uint8_t)v;
	b[o + 1] = (uint8_t)(v >> 8);
	return o + 2;
}

/* Section header and one Ethernet interface with if_tsresol 0. */
static size_t
pcapng_head(uint8_t *b)
{
	size_t o = 0;

	o = put32(b, o, 0x0A0D0D0A);
	o = put32(b, o, 28);
	o = put32(b, o, 0x1A2B3C4D);
	o = put16(b, o, 1);
	o = put16(b, o, 0);
	o = put32(b, o, 0xffffffff); /* section length: unknown */
	o = put32(b, o, 0xffffffff);
	o = put32(b, o, 28);
	/* IDB: link type, reserved, snaplen, if_tsresol = 0, end */
	o = put32(b, o, 1);
	o = put32(b, o, 32);
	o = put16(b, o, 1);
	o = put16(b, o, 0);
	o = put32(b, o, 65535);
	o = put16(b, o, 9);
	o = put16(b, o, 1);
	b[o++] = 0; /* 10^0: stamps count seconds */
	b[o++] = 0, b[o++] = 0, b[o++] = 0;
	o = put32(b, o, 0); /* opt_endofopt */
	o = put32(b, o, 32);
	return o;
}

/* An Enhanced Packet Block of a 42-byte UDP frame stamped ts. */
static size_t
pcapng_epb(uint8_t *b, size_t o, uint64_t ts)
{
	static const uint8_t frame[44] = {
		2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 0x08, 0x00, /* Ethernet */
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0,
		2,			      /* IPv4 */
		0x04, 0xd2, 0, 53, 0, 8, 0, 0 /* UDP; 2 bytes of padding */
	};

	o = put32(b, o, 6);
	o = put32(b, o, 32 + sizeof(frame));
	o = put32(b, o, 0);
	o = put32(b, o, (uint32_t)(ts >> 32));
	o = put32(b, o, (uint32_t)ts);
	o = put32(b, o, 42);
	o = put32(b, o, 42);
	memcpy(b + o, frame, sizeof(frame));
	o += sizeof(frame);
	return put32(b, o, 32 + sizeof(frame));
}

START_TEST(test_pcapng_huge_stamps)
{
	static const uint64_t stamps[] = {
		1700000000,		      /* 2023: kept */
		UINT64_C(0x7fffffffffffff00), /* overflows the multiply */
		UINT64_C(0x0000100000000000), /* so does this one */
		(uint64_t)SW_TS_MAX_S + 1,    /* fits, but past year 9999 */
		UINT64_C(0xfffffffffffffff0), /* -16 s: 1969, kept */
		UINT64_C(0xffffffff00000000), /* -2^32 s: before 1901 */
		(uint64_t)SW_TS_MAX_S,	      /* the last second kept */
	};
	static const int64_t want[] = { INT64_C(1700000000000000),
		INT64_C(-16000000), SW_TS_MAX_S * 1000000 };
	uint8_t file[1024];
	char err[512];
	const char *path;
	const struct ring_rec *rec;
	struct capture_stats st;
	struct capture *c;
	struct ring *r;
	size_t o, i;
	int n = 0;

	o = pcapng_head(file);
	for (i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
		o = pcapng_epb(file, o, stamps[i]);
	ck_assert_uint_le(o, sizeof(file));
	path = testfiles_put("huge-ts.pcapng", (const char *)file, (long)o);
	c = capture_open_files(&path, 1, NULL, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	r = ring_new(1u << 20, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(capture_start(c, r, err, sizeof(err)), 0);
	capture_join(c);
	while ((rec = ring_peek(r)) != NULL) {
		ck_assert_int_lt(n, 3);
		ck_assert_int_eq(rec->ts_us, want[n]);
		ck_assert_uint_eq(rec->caplen, 42);
		n++;
		ring_release(r, rec);
	}
	ck_assert_int_eq(n, 3);
	capture_get_stats(c, &st);
	ck_assert_uint_eq(st.packets, 3);
	ck_assert_uint_eq(st.bad_ts, 4);
	ck_assert_int_eq(capture_error_count(c), 0);
	capture_free(c);
	ring_free(r);
}
END_TEST

Suite *
capture_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("stamps");

	tcase_add_checked_fixture(tc, testfiles_setup, testfiles_teardown);
	tcase_add_test(tc, test_pcapng_huge_stamps);
	suite_add_tcase(s, tc);
	return s;
}
