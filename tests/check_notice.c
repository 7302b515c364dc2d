/*
 * check_notice.c - notice format (Zeek field names, fixed order) and
 * suppression per (note, identifier) in network time, in a bounded table
 * that forgets the window that ended first.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logw.h"
#include "notice.h"
#include "beacon.h"
#include "correlate.h"
#include "flow.h"
#include "intel.h"

Suite *notice_suite(void);

static const uint8_t phone[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    192, 168, 1, 23 };
static const uint8_t c2[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    212, 129, 6, 180 };

/* A flow and the room for its addresses that a table entry has. */
struct test_flow {
	struct flow f;
	uint8_t addrs[32];
};

static void
make_flow(struct test_flow *tf)
{
	struct flow *f = &tf->f;

	memset(tf, 0, sizeof(*tf));
	f->proto = IPPROTO_NUM_TCP;
	f->family = 4;
	flow_set_addrs(f, phone, c2);
	f->orig_p = 49152;
	f->resp_p = 443;
	/* the bits flow_uid() writes as "CabcDEF123" */
	f->uid_hi = 13952107850ULL;
	f->uid_lo = 11657;
	f->has_orig_l2 = 1;
	memcpy(f->orig_l2, "\x02\x00\x00\x00\x00\x17", 6);
}

static void
make_item(struct intel_item *it)
{
	memset(it, 0, sizeof(*it));
	it->indicator = (char *)"212.129.6.180";
	it->type = INTEL_ADDR;
	it->zeek_type = (char *)"Intel::ADDR";
	it->source = (char *)"seed article";
	it->desc = (char *)"mSpy backend";
}

static void
make_notice(struct notice *n, const struct flow *f,
    const struct intel_item *it, int64_t ts)
{
	memset(n, 0, sizeof(*n));
	n->ts_us = ts;
	n->note = NOTE_C2_TRAFFIC;
	n->msg = "test message";
	n->sub = "212.129.6.180";
	n->identifier = "212.129.6.180-192.168.1.23";
	n->severity = 12;
	n->conn = f;
	n->src = phone;
	n->dst = c2;
	n->intel = it;
	n->intel_where = "Conn::IN_RESP";
}

START_TEST(test_format_fields_in_order)
{
	struct test_flow f;
	struct intel_item it;
	struct notice n;
	char buf[2048];
	size_t len;

	make_flow(&f);
	make_item(&it);
	make_notice(&n, &f.f, &it, 1700000000500000LL);
	len = notice_format(&n, 3600, 0, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	ck_assert_str_eq(buf,
	    "{\"ts\":1700000000.500000,\"uid\":\"CabcDEF123\","
	    "\"id.orig_h\":\"192.168.1.23\",\"id.orig_p\":49152,"
	    "\"id.resp_h\":\"212.129.6.180\",\"id.resp_p\":443,"
	    "\"community_id\":\"1:kqFJjl+SYH5Zwxf0O5/eC4Q6Ybg=\","
	    "\"proto\":\"tcp\",\"note\":\"Spyware::C2_Traffic\","
	    "\"msg\":\"test message\",\"sub\":\"212.129.6.180\","
	    "\"src\":\"192.168.1.23\",\"dst\":\"212.129.6.180\","
	    "\"p\":443,\"suppress_for\":3600.0,"
	    "\"actions\":[\"Notice::ACTION_LOG\"],\"severity\":12,"
	    "\"orig_l2_addr\":\"02:00:00:00:00:17\","
	    "\"intel\":{\"indicator\":\"212.129.6.180\","
	    "\"indicator_type\":\"Intel::ADDR\",\"where\":\"Conn::IN_RESP\","
	    "\"category\":\"stalkerware\",\"role\":\"C2\","
	    "\"source\":\"seed article\",\"description\":\"mSpy backend\"},"
	    "\"peer_descr\":\"stalkerwatch\"}");
}
END_TEST

START_TEST(test_format_too_small_buffer)
{
	struct test_flow f;
	struct intel_item it;
	struct notice n;
	char buf[64];

	make_flow(&f);
	make_item(&it);
	make_notice(&n, &f.f, &it, 1);
	ck_assert_uint_eq(notice_format(&n, 3600, 0, buf, sizeof(buf)), 0);
}
END_TEST

/* Read back every line of a log file as JSON objects. */
static int
read_lines(const char *path, cJSON **out, int max)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	int n = 0;

	ck_assert_ptr_nonnull(fp);
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		out[n] = cJSON_Parse(line);
		ck_assert_ptr_nonnull(out[n]);
		n++;
	}
	fclose(fp);
	return n;
}

START_TEST(test_suppression_window)
{
	char dir[] = "/tmp/sw-notice-XXXXXX", err[SW_ERRLEN], path[300];
	struct logw *w;
	struct notice_ctx *nc;
	struct test_flow f;
	struct intel_item it;
	struct notice n;
	cJSON *lines[8];
	int i, count;
	const int64_t s = 1000000;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	w = logw_open(dir, "notice.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	nc = notice_ctx_new(w, 3600, 0, 1, err, sizeof(err));
	make_flow(&f);
	make_item(&it);
	/* t=0 written; t=600,1200 suppressed; t=3600 written with 2 */
	make_notice(&n, &f.f, &it, 1000 * s);
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	n.ts_us = 1600 * s;
	ck_assert_int_eq(notice_raise(nc, &n), 0);
	n.ts_us = 2200 * s;
	ck_assert_int_eq(notice_raise(nc, &n), 0);
	/* another identifier is not suppressed by the first */
	n.identifier = "212.129.6.180-192.168.1.99";
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	n.identifier = "212.129.6.180-192.168.1.23";
	n.ts_us = 4600 * s;
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	/* no identifier: never suppressed */
	n.identifier = NULL;
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	ck_assert_uint_eq(notice_get_stats(nc)->suppressed, 2);
	ck_assert_uint_eq(notice_get_stats(nc)->written, 5);
	notice_ctx_free(nc);
	logw_close(w);

	snprintf(path, sizeof(path), "%s/notice.log", dir);
	count = read_lines(path, lines, 8);
	ck_assert_int_eq(count, 5);
	ck_assert_ptr_null(cJSON_GetObjectItem(lines[0], "suppressed"));
	ck_assert_int_eq(cJSON_GetObjectItem(lines[2], "suppressed")->valueint,
	    2);
	for (i = 0; i < count; i++)
		cJSON_Delete(lines[i]);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_suppression_disabled)
{
	char dir[] = "/tmp/sw-notice-XXXXXX", err[SW_ERRLEN], path[300];
	struct logw *w;
	struct notice_ctx *nc;
	struct test_flow f;
	struct intel_item it;
	struct notice n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	w = logw_open(dir, "notice.log", err, sizeof(err));
	nc = notice_ctx_new(w, 0, 0, 1, err, sizeof(err));
	make_flow(&f);
	make_item(&it);
	make_notice(&n, &f.f, &it, 1);
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	notice_ctx_free(nc);
	logw_close(w);
	snprintf(path, sizeof(path), "%s/notice.log", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A notice.log in a directory of its own, and its removal. */
struct tlog {
	char dir[32];
	char path[300];
	struct logw *w;
};

static void
tlog_open(struct tlog *t)
{
	char err[SW_ERRLEN];

	snprintf(t->dir, sizeof(t->dir), "/tmp/sw-notice-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	t->w = logw_open(t->dir, "notice.log", err, sizeof(err));
	ck_assert_ptr_nonnull(t->w);
	snprintf(t->path, sizeof(t->path), "%s/notice.log", t->dir);
}

static void
tlog_close(struct tlog *t)
{
	logw_close(t->w);
	unlink(t->path);
	rmdir(t->dir);
}

/* A notice with only the fields suppression reads (and a short line). */
static int
raise_id(struct notice_ctx *nc, const char *note, const char *ident,
    int64_t ts_s)
{
	struct notice n;

	memset(&n, 0, sizeof(n));
	n.ts_us = ts_s * 1000000;
	n.note = note;
	n.msg = "m";
	n.identifier = ident;
	return notice_raise(nc, &n);
}

/*
 * A full table drops the entry whose window ended first, which is the one
 * renewed longest ago; a renewal keeps an entry, a suppressed repeat does
 * not renew it.
 */
START_TEST(test_suppression_full_table)
{
	char err[SW_ERRLEN];
	struct notice_ctx *nc;
	struct tlog t;
	const char *c2_note = NOTE_C2_TRAFFIC;

	tlog_open(&t);
	nc = notice_ctx_new(t.w, 100, 3, 2, err, sizeof(err));
	ck_assert_ptr_nonnull(nc);
	ck_assert_int_eq(raise_id(nc, c2_note, "A", 0), 1);   /* until 100 */
	ck_assert_int_eq(raise_id(nc, c2_note, "B", 10), 1);  /* until 110 */
	ck_assert_int_eq(raise_id(nc, c2_note, "C", 20), 1);  /* until 120 */
	ck_assert_int_eq(raise_id(nc, c2_note, "A", 150), 1); /* renewed: 250 */
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, 0);
	ck_assert_int_eq(raise_id(nc, c2_note, "D", 160), 1); /* B goes */
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, 1);
	ck_assert_int_eq(raise_id(nc, c2_note, "A", 170), 0); /* kept */
	ck_assert_int_eq(raise_id(nc, c2_note, "C", 170), 1); /* renewed: 270 */
	ck_assert_int_eq(raise_id(nc, c2_note, "E", 180), 1); /* A goes, 250 */
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, 2);
	/* A was evicted with its window: written again */
	ck_assert_int_eq(raise_id(nc, c2_note, "A", 190), 1); /* D goes, 260 */
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, 3);
	ck_assert_int_eq(raise_id(nc, c2_note, "C", 200), 0);
	ck_assert_int_eq(raise_id(nc, c2_note, "E", 200), 0);
	ck_assert_int_eq(raise_id(nc, c2_note, "A", 200), 0);
	ck_assert_int_eq(raise_id(nc, c2_note, "B", 200), 1); /* C goes, 270 */
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, 4);
	ck_assert_uint_eq(notice_get_stats(nc)->suppressed, 4);
	ck_assert_uint_eq(notice_get_stats(nc)->written, 9);
	notice_ctx_free(nc);
	tlog_close(&t);
}
END_TEST

/*
 * Many distinct identifiers through a small table: past the 64th, each
 * evicts exactly one, the oldest (not timed: the counts and the survivors
 * show each eviction took the right entry).
 */
START_TEST(test_suppression_many_identifiers)
{
	char err[SW_ERRLEN], id[32];
	struct notice_ctx *nc;
	struct tlog t;
	int i, n = 200000;

	tlog_open(&t);
	nc = notice_ctx_new(t.w, 3600, 64, 3, err, sizeof(err));
	ck_assert_ptr_nonnull(nc);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "id-%d", i);
		ck_assert_int_eq(raise_id(nc, NOTE_BEACONING, id, i / 1000), 1);
	}
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, n - 64);
	for (i = n - 64; i < n; i++) {
		snprintf(id, sizeof(id), "id-%d", i);
		ck_assert_int_eq(raise_id(nc, NOTE_BEACONING, id, n / 1000), 0);
	}
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, n - 64);
	snprintf(id, sizeof(id), "id-%d", n - 65);
	ck_assert_int_eq(raise_id(nc, NOTE_BEACONING, id, n / 1000), 1);
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, n - 63);
	ck_assert_uint_eq(notice_get_stats(nc)->suppressed, 64);
	ck_assert_uint_eq(notice_get_stats(nc)->written, n + 1);
	notice_ctx_free(nc);
	tlog_close(&t);
}
END_TEST

/*
 * Keys of SW_SUPPRESS_KEY_MAX bytes or more are kept as their first bytes
 * and a hash of the whole: identifiers that differ only past the kept
 * bytes, or only in length around the limit, stay apart; each is still
 * suppressed on its repeat.  So do pairs whose note alone is too long.
 */
START_TEST(test_suppression_long_keys)
{
	char err[SW_ERRLEN], id[4][SW_SUPPRESS_KEY_MAX + 2000];
	char note[SW_SUPPRESS_KEY_MAX + 100];
	const char *c2_note = NOTE_C2_TRAFFIC;
	size_t whole = SW_SUPPRESS_KEY_MAX - 1 - strlen(c2_note) - 1;
	struct notice_ctx *nc;
	struct tlog t;
	int i, pass;

	/* the longest whole key, one byte more, and two long ones that
	 * differ in their last byte */
	for (i = 0; i < 4; i++)
		memset(id[i], 'x', sizeof(id[i]));
	id[0][whole] = '\0';
	id[1][whole + 1] = '\0';
	id[2][sizeof(id[2]) - 1] = '\0';
	id[3][sizeof(id[3]) - 2] = 'y';
	id[3][sizeof(id[3]) - 1] = '\0';
	memset(note, 'N', sizeof(note) - 1);
	note[sizeof(note) - 1] = '\0';

	tlog_open(&t);
	nc = notice_ctx_new(t.w, 3600, 0, 4, err, sizeof(err));
	ck_assert_ptr_nonnull(nc);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < 4; i++)
			ck_assert_int_eq(raise_id(nc, c2_note, id[i], pass),
			    !pass);
		ck_assert_int_eq(raise_id(nc, note, "a", pass), !pass);
		ck_assert_int_eq(raise_id(nc, note, "b", pass), !pass);
		/* the same note cut one byte short is another note */
		note[sizeof(note) - 2] = '\0';
		ck_assert_int_eq(raise_id(nc, note, "a", pass), !pass);
		note[sizeof(note) - 2] = 'N';
	}
	ck_assert_uint_eq(notice_get_stats(nc)->written, 7);
	ck_assert_uint_eq(notice_get_stats(nc)->suppressed, 7);
	ck_assert_uint_eq(notice_get_stats(nc)->table_evictions, 0);
	notice_ctx_free(nc);
	tlog_close(&t);
}
END_TEST

Suite *
notice_suite(void)
{
	Suite *s = suite_create("notice");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_format_fields_in_order);
	tcase_add_test(tc, test_format_too_small_buffer);
	tcase_add_test(tc, test_suppression_window);
	tcase_add_test(tc, test_suppression_disabled);
	tcase_add_test(tc, test_suppression_full_table);
	tcase_add_test(tc, test_suppression_many_identifiers);
	tcase_add_test(tc, test_suppression_long_keys);
	/* 200000 notices written: 2 s under ASan, near check's 4 s default
	 * on a busy machine */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
