/*
 * check_jbuf.c - the JSON line writer: escaping, numbers, overflow.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <string.h>

#include "jbuf.h"

Suite *jbuf_suite(void);

START_TEST(test_basic_object)
{
	char buf[256];
	struct jbuf j;
	uint8_t a4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168,
	    1, 23 };
	uint8_t mac[6] = { 0x02, 0x1a, 0x11, 0xaa, 0xbb, 0x0c };

	jbuf_init(&j, buf, sizeof(buf));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", 1700000000123456LL);
	jbuf_str(&j, "s", "a\"b\\c\n");
	jbuf_u64(&j, "n", 42);
	jbuf_addr(&j, "ip", a4);
	jbuf_mac(&j, "mac", mac);
	jbuf_key_array(&j, "arr");
	jbuf_elem_str(&j, "x");
	jbuf_elem_str(&j, "y");
	jbuf_array_close(&j);
	jbuf_key_open(&j, "o");
	jbuf_bool(&j, "t", 1);
	jbuf_close(&j);
	jbuf_close(&j);
	ck_assert_int_eq(j.overflow, 0);
	ck_assert_str_eq(buf, "{\"ts\":1700000000.123456,\"s\":\"a\\\"b\\\\c\\n\","
	    "\"n\":42,\"ip\":\"192.168.1.23\",\"mac\":\"02:1a:11:aa:bb:0c\","
	    "\"arr\":[\"x\",\"y\"],\"o\":{\"t\":true}}");
}
END_TEST

START_TEST(test_ipv6_and_interval)
{
	char buf[128];
	struct jbuf j;
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0x0b, 0xad };

	jbuf_init(&j, buf, sizeof(buf));
	jbuf_open(&j);
	jbuf_addr(&j, "a", a6);
	jbuf_interval(&j, "d", 1500);
	jbuf_dbl(&j, "x", 0.0 / 0.0, 3);
	jbuf_close(&j);
	ck_assert_str_eq(buf,
	    "{\"a\":\"2001:db8::bad\",\"d\":0.001500,\"x\":null}");
}
END_TEST

/* Whatever bytes go in, the line parses as JSON and round-trips text. */
START_TEST(test_escaping_is_valid_json)
{
	char in[256], buf[2048];
	struct jbuf j;
	cJSON *root, *v;
	int i;

	for (i = 0; i < 255; i++)
		in[i] = (char)(i + 1);
	in[255] = '\0';
	jbuf_init(&j, buf, sizeof(buf));
	jbuf_open(&j);
	jbuf_str(&j, "k", in);
	jbuf_str(&j, "utf8", "caf\xc3\xa9 \xe2\x82\xac");
	jbuf_close(&j);
	ck_assert_int_eq(j.overflow, 0);
	root = cJSON_Parse(buf);
	ck_assert_ptr_nonnull(root);
	v = cJSON_GetObjectItemCaseSensitive(root, "utf8");
	ck_assert_str_eq(v->valuestring, "caf\xc3\xa9 \xe2\x82\xac");
	v = cJSON_GetObjectItemCaseSensitive(root, "k");
	ck_assert(cJSON_IsString(v));
	/* printable ASCII survives unchanged */
	ck_assert(strstr(v->valuestring, "ABCDEFGHIJ") != NULL);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_overflow_is_sticky)
{
	char buf[16];
	struct jbuf j;

	jbuf_init(&j, buf, sizeof(buf));
	jbuf_open(&j);
	jbuf_str(&j, "key", "a value that does not fit");
	ck_assert_int_eq(j.overflow, 1);
	jbuf_u64(&j, "n", 1);
	ck_assert_int_eq(j.overflow, 1);
	ck_assert_uint_lt(j.len, sizeof(buf));
	ck_assert_int_eq(buf[j.len], '\0');
}
END_TEST

Suite *
jbuf_suite(void)
{
	Suite *s = suite_create("jbuf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_basic_object);
	tcase_add_test(tc, test_ipv6_and_interval);
	tcase_add_test(tc, test_escaping_is_valid_json);
	tcase_add_test(tc, test_overflow_is_sticky);
	suite_add_tcase(s, tc);
	return s;
}
