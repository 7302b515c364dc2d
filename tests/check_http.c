/*
 * check_http.c - tests of the HTTP/1.x request Host reader: methods and
 * versions, Host in any case and with whitespace, ports and IPv6 literals,
 * absent Host, binary garbage, truncation at every offset.
 */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

Suite *http_suite(void);

static enum http_status
parse(const char *s, struct http_request *req)
{
	return http_parse_host((const uint8_t *)s, strlen(s), req);
}

START_TEST(test_get_post)
{
	struct http_request q;

	ck_assert_int_eq(parse("GET /a?b=c HTTP/1.1\r\nUser-Agent: x\r\n"
	    "Host: mspy.example.com\r\n\r\n", &q), HTTP_OK);
	ck_assert_str_eq(q.host, "mspy.example.com");
	ck_assert_str_eq(q.method, "GET");
	ck_assert_uint_eq(q.version_minor, 1);
	ck_assert_uint_eq(q.port, 0);
	ck_assert_int_eq(parse("POST /api HTTP/1.0\r\nhOsT:\tA.Example:8080 "
	    "\r\nContent-Length: 3\r\n\r\nabc", &q), HTTP_OK);
	ck_assert_str_eq(q.host, "A.Example");	/* case kept */
	ck_assert_uint_eq(q.port, 8080);
	ck_assert_str_eq(q.method, "POST");
	ck_assert_uint_eq(q.version_minor, 0);
	/* bare LF line ends, first Host wins, the body is not looked at */
	ck_assert_int_eq(parse("PUT /x HTTP/1.1\nHOST: one\nHost: two\n\n",
	    &q), HTTP_OK);
	ck_assert_str_eq(q.host, "one");
	ck_assert_int_eq(parse("CONNECT h.test:443 HTTP/1.1\r\nHost: "
	    "h.test:443\r\n\r\n", &q), HTTP_OK);
	ck_assert_str_eq(q.host, "h.test");
	ck_assert_uint_eq(q.port, 443);
}
END_TEST

START_TEST(test_ipv6_and_bad_values)
{
	struct http_request q;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080"
	    "\r\n\r\n", &q), HTTP_OK);
	ck_assert_str_eq(q.host, "2001:db8::1");
	ck_assert_uint_eq(q.port, 8080);
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n", &q),
	    HTTP_OK);
	ck_assert_str_eq(q.host, "::1");
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: 2001:db8::2\r\n\r\n",
	    &q), HTTP_OK);
	ck_assert_str_eq(q.host, "2001:db8::2");
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: 10.1.2.3:80\r\n\r\n",
	    &q), HTTP_OK);
	ck_assert_str_eq(q.host, "10.1.2.3");
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n", &q),
	    HTTP_MALFORMED);
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", &q),
	    HTTP_MALFORMED);
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", &q),
	    HTTP_MALFORMED);
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", &q),
	    HTTP_MALFORMED);
	/* whitespace before the colon is not a Host field (RFC 9112 5.1) */
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost : a\r\n\r\n", &q),
	    HTTP_NO_HOST);
	/* nor is X-Forwarded-Host or Hostname */
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nX-Host: a\r\nHostname: b"
	    "\r\n\r\n", &q), HTTP_NO_HOST);
}
END_TEST

START_TEST(test_no_host_and_garbage)
{
	static const uint8_t bin[] = { 'G', 'E', 'T', ' ', 0x00, 0x01, ' ',
	    'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n' };
	struct http_request q;
	uint8_t rnd[512];
	size_t i;

	ck_assert_int_eq(parse("GET / HTTP/1.0\r\n\r\nHost: late\r\n", &q),
	    HTTP_NO_HOST);
	ck_assert_int_eq(parse("GET / HTTP/2.0\r\nHost: a\r\n\r\n", &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(parse("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(parse("get / HTTP/1.1\r\nHost: a\r\n\r\n", &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(parse("GETS / HTTP/1.1\r\nHost: a\r\n\r\n", &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(parse("HTTP/1.1 200 OK\r\nHost: a\r\n\r\n", &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(parse("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(parse("SSH-2.0-OpenSSH_9.6\r\n", &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(http_parse_host(bin, sizeof(bin), &q),
	    HTTP_NOT_HTTP);
	ck_assert_int_eq(http_parse_host(bin, 0, &q), HTTP_NOT_HTTP);
	/* pseudo-random bytes never pass, nor crash */
	srand(1);
	for (i = 0; i < sizeof(rnd); i++)
		rnd[i] = (uint8_t)rand();
	for (i = 0; i < sizeof(rnd); i++)
		ck_assert_int_eq(http_parse_host(rnd + i, sizeof(rnd) - i, &q),
		    HTTP_NOT_HTTP);
}
END_TEST

START_TEST(test_truncate_every_offset)
{
	static const char req[] = "GET /index.html HTTP/1.1\r\n"
	    "Accept: */*\r\nHost: www.example.org:8080\r\nX: y\r\n\r\n";
	const size_t host_end = strstr(req, "\r\nX:") - req + 2;
	struct http_request q;
	enum http_status st;
	uint8_t *c;
	size_t i, n = strlen(req);

	for (i = 0; i <= n; i++) {
		c = malloc(i > 0 ? i : 1);
		ck_assert_ptr_nonnull(c);
		memcpy(c, req, i);
		st = http_parse_host(c, i, &q);
		free(c);
		if (i == 0)
			ck_assert_int_eq(st, HTTP_NOT_HTTP);
		else if (i < host_end)
			ck_assert_msg(st == HTTP_NEED_MORE, "len %zu: %d", i,
			    (int)st);
		else {
			ck_assert_int_eq(st, HTTP_OK);
			ck_assert_str_eq(q.host, "www.example.org");
		}
	}
}
END_TEST

START_TEST(test_scan_limit)
{
	static uint8_t big[SW_HTTP_SCAN_MAX + 200];
	struct http_request q;
	size_t n;

	n = (size_t)snprintf((char *)big, sizeof(big), "GET / HTTP/1.1\r\n");
	while (n < SW_HTTP_SCAN_MAX - 2) {
		memcpy(big + n, "X: 0123456789\r\n", 15);
		n += 15;
	}
	memcpy(big + n, "Host: far\r\n\r\n", 13);
	n += 13;
	ck_assert_int_eq(http_parse_host(big, n, &q), HTTP_NO_HOST);
	ck_assert_int_eq(http_parse_host(big, SW_HTTP_SCAN_MAX - 100, &q),
	    HTTP_NEED_MORE);
}
END_TEST

Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_get_post);
	tcase_add_test(tc, test_ipv6_and_bad_values);
	tcase_add_test(tc, test_no_host_and_garbage);
	tcase_add_test(tc, test_truncate_every_offset);
	tcase_add_test(tc, test_scan_limit);
	suite_add_tcase(s, tc);
	return s;
}
