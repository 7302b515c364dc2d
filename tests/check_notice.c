/*
 * check_notice.c - notice format (Zeek field names, fixed order) and
 * suppression per (note, identifier) in network time.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logw.h"
#include "notice.h"

Suite *notice_suite(void);

static const uint8_t phone[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    192, 168, 1, 23 };
static const uint8_t c2[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    212, 129, 6, 180 };

static void
make_flow(struct flow *f)
{
	memset(f, 0, sizeof(*f));
	f->proto = IPPROTO_NUM_TCP;
	f->family = 4;
	memcpy(f->orig_h, phone, 16);
	memcpy(f->resp_h, c2, 16);
	f->orig_p = 49152;
	f->resp_p = 443;
	snprintf(f->uid, sizeof(f->uid), "CabcDEF123");
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
	struct flow f;
	struct intel_item it;
	struct notice n;
	char buf[2048];
	size_t len;

	make_flow(&f);
	make_item(&it);
	make_notice(&n, &f, &it, 1700000000500000LL);
	len = notice_format(&n, 3600, 0, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	ck_assert_str_eq(buf,
	    "{\"ts\":1700000000.500000,\"uid\":\"CabcDEF123\","
	    "\"id.orig_h\":\"192.168.1.23\",\"id.orig_p\":49152,"
	    "\"id.resp_h\":\"212.129.6.180\",\"id.resp_p\":443,"
	    "\"proto\":\"tcp\",\"note\":\"Spyware::C2_Traffic\","
	    "\"msg\":\"test message\",\"sub\":\"212.129.6.180\","
	    "\"src\":\"192.168.1.23\",\"dst\":\"212.129.6.180\","
	    "\"p\":\"443/tcp\",\"suppress_for\":3600.0,"
	    "\"actions\":[\"Notice::ACTION_LOG\"],\"severity\":12,"
	    "\"orig_l2_addr\":\"02:00:00:00:00:17\","
	    "\"intel\":{\"indicator\":\"212.129.6.180\","
	    "\"indicator_type\":\"Intel::ADDR\",\"where\":\"Conn::IN_RESP\","
	    "\"category\":\"stalkerware\",\"role\":\"C2\","
	    "\"source\":\"seed article\",\"description\":\"mSpy backend\"}}");
}
END_TEST

START_TEST(test_format_too_small_buffer)
{
	struct flow f;
	struct intel_item it;
	struct notice n;
	char buf[64];

	make_flow(&f);
	make_item(&it);
	make_notice(&n, &f, &it, 1);
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
	struct flow f;
	struct intel_item it;
	struct notice n;
	cJSON *lines[8];
	int i, count;
	const int64_t s = 1000000;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	w = logw_open(dir, "notice.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	nc = notice_ctx_new(w, 3600, err, sizeof(err));
	make_flow(&f);
	make_item(&it);
	/* t=0 written; t=600,1200 suppressed; t=3600 written with 2 */
	make_notice(&n, &f, &it, 1000 * s);
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
	struct flow f;
	struct intel_item it;
	struct notice n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	w = logw_open(dir, "notice.log", err, sizeof(err));
	nc = notice_ctx_new(w, 0, err, sizeof(err));
	make_flow(&f);
	make_item(&it);
	make_notice(&n, &f, &it, 1);
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	ck_assert_int_eq(notice_raise(nc, &n), 1);
	notice_ctx_free(nc);
	logw_close(w);
	snprintf(path, sizeof(path), "%s/notice.log", dir);
	unlink(path);
	rmdir(dir);
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
	suite_add_tcase(s, tc);
	return s;
}
