/*
 * check_intel.c - tests of the indicator sets: address and prefix parsing,
 * the longest-prefix match, the plain and Zeek Intel readers, their
 * "file:line: reason" messages, lenient loading and directory loading;
 * then the other formats (Echap CSV, hosts files, TinyCheck and MISP
 * JSON, list directives, Zeek meta columns), domain matching (dot
 * boundaries, exact entries, shared platforms, websites) and the whole
 * upstream indicator set (skipped when SW_SHARED, default ../shared, is
 * absent).
 *
 * Input files are written into a fresh mkdtemp() directory per test and
 * removed after it.
 */
#include <check.h>

#include <sys/stat.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intel.h"
#include "intel_load.h"
#include "testfiles.h"

Suite *intel_suite(void);

/* --- helpers ------------------------------------------------------------ */


static void
addr_of(const char *s, uint8_t a[16])
{
	uint8_t pl;
	int sub;
	const char *why;

	ck_assert_msg(intel_parse_cidr(s, a, &pl, &sub, &why) == 0, "%s", s);
}

static const struct intel_item *
match(const struct intel *in, const char *s)
{
	uint8_t a[16];

	addr_of(s, a);
	return intel_match_addr(in, a);
}

/* A set made of one file's text, finalized; fails the test on error. */
static struct intel *
set_of(const char *name, const char *text)
{
	struct intel *in = intel_new();
	char err[512];

	ck_assert_ptr_nonnull(in);
	ck_assert_msg(intel_load_file(in, testfiles_put(name, text, -1), NULL, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	return in;
}

/* --- parsing ------------------------------------------------------------ */

static const struct {
	const char *in;
	const char *net;	/* inet_pton(AF_INET6) form of the result */
	int prefix, sub;
} good_cidr[] = {
	{ "1.2.3.4", "::ffff:1.2.3.4", 128, 0 },
	{ "0.0.0.0", "::ffff:0.0.0.0", 128, 0 },
	{ "255.255.255.255", "::ffff:255.255.255.255", 128, 0 },
	{ "10.0.0.0/8", "::ffff:10.0.0.0", 104, 1 },
	{ "10.1.2.3/8", "::ffff:10.0.0.0", 104, 1 },
	{ "192.168.1.77/26", "::ffff:192.168.1.64", 122, 1 },
	{ "1.2.3.4/32", "::ffff:1.2.3.4", 128, 1 },
	{ "0.0.0.0/0", "::ffff:0.0.0.0", 96, 1 },
	{ "2001:db8::1", "2001:db8::1", 128, 0 },
	{ "2001:DB8::/32", "2001:db8::", 32, 1 },
	{ "2001:db8::ff/120", "2001:db8::", 120, 1 },
	{ "2001:db8:1234::/47", "2001:db8:1234::", 47, 1 },
	{ "::/0", "::", 0, 1 },
	{ "::ffff:1.2.3.4", "::ffff:1.2.3.4", 128, 0 },
	{ "::ffff:0:0/96", "::ffff:0.0.0.0", 96, 1 },
};

START_TEST(parse_good)
{
	uint8_t a[16], want[16], pl = 0;
	int sub = -1;
	const char *why = NULL;

	ck_assert_int_eq(intel_parse_cidr(good_cidr[_i].in, a, &pl, &sub,
	    &why), 0);
	ck_assert_int_eq(inet_pton(AF_INET6, good_cidr[_i].net, want), 1);
	ck_assert_msg(memcmp(a, want, 16) == 0, "%s", good_cidr[_i].in);
	ck_assert_int_eq(pl, good_cidr[_i].prefix);
	ck_assert_int_eq(sub, good_cidr[_i].sub);
}
END_TEST

static const struct {
	const char *in, *why;
} bad_cidr[] = {
	{ "300.1.2.3", "bad IPv4 address" },
	{ "010.1.2.3", "bad IPv4 address" },
	{ "1.2.3.04", "bad IPv4 address" },
	{ "1.2.3", "bad IPv4 address" },
	{ "1.2.3.4.5", "bad IPv4 address" },
	{ "+1.2.3.4", "bad IPv4 address" },
	{ "1.2.3.-4", "bad IPv4 address" },
	{ "1.2.3.4 ", "bad IPv4 address" },
	{ " 1.2.3.4", "bad IPv4 address" },
	{ "1..2.3", "bad IPv4 address" },
	{ "0x1.2.3.4", "bad IPv4 address" },
	{ "1234.1.1.1", "bad IPv4 address" },
	{ "", "bad IPv4 address" },
	{ "1.2.3.4/33", "prefix length out of range for IPv4" },
	{ "1.2.3.4/", "bad prefix length" },
	{ "1.2.3.4/08", "bad prefix length" },
	{ "1.2.3.4/-1", "bad prefix length" },
	{ "1.2.3.4/+8", "bad prefix length" },
	{ "1.2.3.4/1000", "bad prefix length" },
	{ "1.2.3.4/8/8", "bad prefix length" },
	{ "1.2.3.4/ 8", "bad prefix length" },
	{ "2001:db8::/129", "prefix length out of range for IPv6" },
	{ "2001:db8:::1", "bad IPv6 address" },
	{ "fe80::1%eth0", "bad IPv6 address" },
	{ "2001:db8::g", "bad IPv6 address" },
	{ "1:2:3:4:5:6:7:8:9", "bad IPv6 address" },
	{ "::ffff:1.2.3.4.5.6.7.8.9.10.11.12.13.14", "bad IPv6 address" },
};

START_TEST(parse_bad)
{
	uint8_t a[16], pl;
	int sub;
	const char *why = NULL;

	ck_assert_msg(intel_parse_cidr(bad_cidr[_i].in, a, &pl, &sub, &why) ==
	    -1, "accepted \"%s\"", bad_cidr[_i].in);
	ck_assert_str_eq(why, bad_cidr[_i].why);
}
END_TEST

/* --- longest-prefix match ----------------------------------------------- */

START_TEST(lpm_v4)
{
	struct intel *in = set_of("v4.txt",
	    "10.0.0.0/8 # eight\n"
	    "10.1.2.3 # host\n"
	    "10.1.2.0/24 # twentyfour\n"
	    "10.1.0.0/16 # sixteen\n"
	    "192.0.2.0/24\n");

	ck_assert_str_eq(match(in, "10.1.2.3")->desc, "host");
	ck_assert_int_eq(match(in, "10.1.2.3")->type, INTEL_ADDR);
	ck_assert_str_eq(match(in, "10.1.2.3")->indicator, "10.1.2.3");
	ck_assert_str_eq(match(in, "10.1.2.4")->desc, "twentyfour");
	ck_assert_str_eq(match(in, "10.1.2.4")->indicator, "10.1.2.0/24");
	ck_assert_int_eq(match(in, "10.1.2.4")->type, INTEL_SUBNET);
	ck_assert_str_eq(match(in, "10.1.200.1")->desc, "sixteen");
	ck_assert_str_eq(match(in, "10.255.255.255")->desc, "eight");
	ck_assert_ptr_null(match(in, "11.0.0.0"));
	ck_assert_ptr_null(match(in, "9.255.255.255"));
	ck_assert_ptr_nonnull(match(in, "192.0.2.255"));
	ck_assert_ptr_null(match(in, "192.0.3.0"));
	/* the same bits as IPv6 outside ::ffff:0:0/96 are not IPv4 */
	ck_assert_ptr_null(match(in, "::a01:203"));
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 4);
	intel_free(in);
}
END_TEST

START_TEST(lpm_v6)
{
	struct intel *in = set_of("v6.txt",
	    "2001:db8::/32 # short\n"
	    "2001:db8:1::/48 # mid\n"
	    "2001:db8:1::1 # host\n"
	    "64:ff9b::/96 # nat64\n");

	ck_assert_str_eq(match(in, "2001:db8:1::1")->desc, "host");
	ck_assert_str_eq(match(in, "2001:db8:1::2")->desc, "mid");
	ck_assert_str_eq(match(in, "2001:db8:1:ffff::1")->desc, "mid");
	ck_assert_str_eq(match(in, "2001:db8:2::1")->desc, "short");
	ck_assert_ptr_null(match(in, "2001:db9::1"));
	ck_assert_str_eq(match(in, "64:ff9b::102:304")->desc, "nat64");
	/* an IPv4 address is not in any of these prefixes */
	ck_assert_ptr_null(match(in, "1.2.3.4"));
	ck_assert_ptr_null(match(in, "0.0.0.0"));
	intel_free(in);

	/* ... but is in one that covers ::ffff:0:0/96 */
	in = set_of("v6b.txt", "2001:db8::/32\n::ffff:0:0/96 # all v4\n");
	ck_assert_str_eq(match(in, "1.2.3.4")->desc, "all v4");
	ck_assert_str_eq(match(in, "1.2.3.4")->indicator, "0.0.0.0/0");
	ck_assert_ptr_null(match(in, "2001:db9::"));
	intel_free(in);
	in = set_of("v6c.txt", "::/0 # everything\n");
	ck_assert_str_eq(match(in, "1.2.3.4")->desc, "everything");
	ck_assert_str_eq(match(in, "2001:db9::")->desc, "everything");
	intel_free(in);
}
END_TEST

START_TEST(lpm_empty_and_unfinalized)
{
	struct intel *in = intel_new();
	uint8_t a[16];
	char err[64];

	addr_of("1.2.3.4", a);
	ck_assert_ptr_null(intel_match_addr(in, a));
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_null(intel_match_addr(in, a));
	ck_assert_int_eq(intel_load_file(in, testfiles_put("a.txt", "1.2.3.4\n",
	    -1), NULL, err, sizeof(err)), 0);
	/* loaded but not yet indexed: no stale answers */
	ck_assert_ptr_null(intel_match_addr(in, a));
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(intel_match_addr(in, a));
	ck_assert_ptr_null(intel_match_addr(NULL, a));
	intel_free(in);
	intel_free(NULL);
}
END_TEST

START_TEST(duplicates_keep_first)
{
	struct intel *in = set_of("dup.txt",
	    "1.2.3.4 # first\n"
	    "10.0.0.0/8 # net first\n"
	    "1.2.3.4 # second\n"
	    "::ffff:1.2.3.4 # third\n"
	    "10.9.9.9/8 # net second\n"
	    "Example.COM # d1\n"
	    "example.com. # d2\n");

	ck_assert_str_eq(match(in, "1.2.3.4")->desc, "first");
	ck_assert_str_eq(match(in, "10.0.0.1")->desc, "net first");
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 1);
	intel_free(in);
}
END_TEST

/* --- plain lists ---------------------------------------------------------- */

START_TEST(plain_details)
{
	/* BOM, CRLF, blanks, trailing white space, comments, a bare CR line */
	static const char text[] =
	    "\xef\xbb\xbf# a list\r\n"
	    "\r\n"
	    "   \t\r\n"
	    "  212.129.6.180 \t# mSpy backend  \r\n"
	    "C2.Example.NET.\r\n"
	    "under_score.example-host.org\t#\t\n"
	    "2001:db8::/64#not-a-comment-here\n"
	    "# 9.9.9.9\n"
	    "last.example";
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 1, .warn = testfiles_collect,
	    .warn_ctx = &w };
	const struct intel_item *it;
	char err[512];

	ck_assert_int_eq(intel_load_file(in, testfiles_put("list.txt", text,
	    sizeof(text) - 1), &o, err, sizeof(err)), 0);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	/* "2001:db8::/64#..." is one token: a bad prefix length */
	ck_assert_int_eq(w.n, 1);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 3);
	it = match(in, "212.129.6.180");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->desc, "mSpy backend");
	ck_assert_str_eq(it->source, "list.txt");
	ck_assert_str_eq(it->zeek_type, "Intel::ADDR");
	ck_assert_str_eq(it->indicator, "212.129.6.180");
	intel_free(in);
}
END_TEST

/* "CIDR port N": only connections to that server port; the same
 * network once per port; a port-less entry covers every port. */
START_TEST(plain_ports)
{
	static const char text[] =
	    "17.0.0.0/8 port 5223 # Apple push\n"
	    "17.0.0.0/8 port 443\n"
	    "17.0.0.0/8 port 5223\n" /* the same again: one entry */
	    "142.250.0.0/15 port 5228\n"
	    "142.250.7.0/24\n"
	    "2a00:1450::/32 port 5228\n";
	struct intel *in = set_of("known-good.txt", text);
	const struct intel_item *it;
	uint8_t a[16];

	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 5);
	addr_of("17.57.144.10", a);
	it = intel_match_addr_port(in, a, 5223);
	ck_assert_ptr_nonnull(it);
	ck_assert_uint_eq(it->port, 5223);
	ck_assert_str_eq(it->desc, "Apple push");
	ck_assert_str_eq(it->indicator, "17.0.0.0/8");
	ck_assert_uint_eq(intel_match_addr_port(in, a, 443)->port, 443);
	/* must not cover: another port, or no port known */
	ck_assert_ptr_null(intel_match_addr_port(in, a, 5228));
	ck_assert_ptr_null(intel_match_addr_port(in, a, 0));
	ck_assert_ptr_null(intel_match_addr(in, a));
	/* a longer port-less prefix covers every port; outside it, the
	 * port-limited /15 still decides */
	addr_of("142.250.7.9", a);
	ck_assert_uint_eq(intel_match_addr_port(in, a, 80)->port, 0);
	ck_assert_ptr_nonnull(intel_match_addr(in, a));
	addr_of("142.251.1.1", a);
	ck_assert_uint_eq(intel_match_addr_port(in, a, 5228)->port, 5228);
	ck_assert_ptr_null(intel_match_addr_port(in, a, 5229));
	addr_of("2a00:1450:4001::200e", a);
	ck_assert_ptr_nonnull(intel_match_addr_port(in, a, 5228));
	ck_assert_ptr_null(intel_match_addr_port(in, a, 443));
	intel_free(in);
	/* one network with and without a port, read in either order: the
	 * entry for every port answers every port */
	in = set_of("kg2.txt",
	    "10.9.0.0/16 port 443\n10.9.0.0/16 # all\n"
	    "10.9.0.0/16 port 80\n");
	addr_of("10.9.1.1", a);
	ck_assert_uint_eq(intel_match_addr_port(in, a, 443)->port, 0);
	ck_assert_uint_eq(intel_match_addr_port(in, a, 22)->port, 0);
	ck_assert_ptr_nonnull(intel_match_addr(in, a));
	intel_free(in);
}
END_TEST

START_TEST(plain_domains)
{
	char long_label[64], long_name[400], buf[600];
	struct intel *in;

	memset(long_label, 'a', 63);
	long_label[63] = '\0';
	/* 4 x 63 + 3 dots = 255: too long; 3 x 63 + 61 + 3 = 253: fits */
	snprintf(long_name, sizeof(long_name), "%s.%s.%s.%.61s", long_label,
	    long_label, long_label, long_label);
	ck_assert_uint_eq(strlen(long_name), 253);
	snprintf(buf, sizeof(buf), "%s.com\n%s\n", long_label, long_name);
	in = set_of("names.txt", buf);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 2);
	intel_free(in);
}
END_TEST

/* --- Zeek Intel ----------------------------------------------------------- */

START_TEST(zeek_reordered)
{
	static const char text[] =
	    "#fields\tmeta.desc\tindicator_type\tmeta.url\tindicator\t"
	    "meta.source\tmeta.do_notice\n"
	    "# a comment row\n"
	    "backend\tIntel::ADDR\t-\t212.83.137.160\tPowerOn\tT\n"
	    "-\tIntel::SUBNET\t-\t198.51.100.7/24\t-\tF\n"
	    "c2\tIntel::DOMAIN\t-\tMlite.Example.COM\tEchap\tT\n"
	    "u\tIntel::URL\t-\texample.com/x\tsrc\tT\n"
	    "h\tIntel::FILE_HASH\t-\tabc123\tsrc\tT\n"
	    "v6\tIntel::ADDR\t-\t2001:DB8::1\tsrc\tT\n"
	    "(empty)\tIntel::ADDR\t-\t192.0.2.1\t(empty)\tT\n";
	struct intel *in = set_of("feed.intel", text);
	const struct intel_item *it;

	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 3);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_OTHER), 2);
	it = match(in, "212.83.137.160");
	ck_assert_str_eq(it->desc, "backend");
	ck_assert_str_eq(it->source, "PowerOn");
	ck_assert_str_eq(it->zeek_type, "Intel::ADDR");
	it = match(in, "198.51.100.200");
	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_null(it->desc);
	ck_assert_str_eq(it->source, "feed.intel");
	ck_assert_str_eq(it->indicator, "198.51.100.0/24");
	it = match(in, "2001:db8::1");
	ck_assert_str_eq(it->indicator, "2001:db8::1");
	it = match(in, "192.0.2.1");
	ck_assert_ptr_null(it->desc);
	ck_assert_str_eq(it->source, "feed.intel");
	intel_free(in);
}
END_TEST

START_TEST(bundled_iocs)
{
	struct intel *in = intel_new();
	const struct intel_item *it;
	char err[512];

	if (access("iocs/mspy-c2-addr.intel", R_OK) != 0) {
		intel_free(in);
		return;		/* not run from the source tree */
	}
	ck_assert_msg(intel_load_dir(in, "iocs", NULL, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	it = match(in, "212.129.6.180");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->desc, "mSpy backend server (historical)");
	ck_assert_ptr_nonnull(strstr(it->source, "PowerOn"));
	ck_assert_ptr_nonnull(match(in, "212.83.137.160"));
	ck_assert_ptr_null(match(in, "212.83.137.161"));
	intel_free(in);
}
END_TEST

/* --- errors ----------------------------------------------------------------- */

#define ZH "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n"

static const struct {
	const char *text;
	const char *msg;	/* after "<testfiles_dir>/bad.txt" */
} bad_files[] = {
	{ "1.2.3.4\n300.1.2.3\n", ":2: bad IPv4 address \"300.1.2.3\"" },
	{ "# x\n\n1.2.3.0/33\n", ":3: prefix length 33 out of range for IPv4" },
	{ "2001:db8::/129 # x\n",
	    ":1: prefix length 129 out of range for IPv6" },
	{ "1.2.3.0/08\n", ":1: bad prefix length \"08\"" },
	{ "2001:db8:::1\n", ":1: bad IPv6 address \"2001:db8:::1\"" },
	{ "010.0.0.1\n", ":1: bad IPv4 address \"010.0.0.1\"" },
	{ "1.2.3.4 5.6.7.8\n",
	    ":1: unexpected text after indicator: \"5.6.7.8\"" },
	{ "17.0.0.0/8 port 0\n",
	    ":1: port \"0\": not a port number (1 to 65535)" },
	{ "17.0.0.0/8 port 65536 # x\n",
	    ":1: port \"65536\": not a port number (1 to 65535)" },
	{ "17.0.0.0/8 port 52x3\n",
	    ":1: port \"52x3\": not a port number (1 to 65535)" },
	{ "17.0.0.0/8 port\n",
	    ":1: unexpected text after indicator: \"port\"" },
	{ "17.0.0.0/8 port 5223 5224\n",
	    ":1: unexpected text after indicator: \"5224\"" },
	{ "push.example port 5223\n",
	    ":1: a port limits an address or a range, not \"push.example\"" },
	{ "ex!mple.com\n", ":1: bad character in domain \"ex!mple.com\"" },
	{ "a..com\n", ":1: empty label in domain \"a..com\"" },
	{ "x\n\"quoted\"\x01\n",
	    ":2: bad character in domain \"\\x22quoted\\x22\\x01\"" },
	{ "ok.example\nbad\0nul\n", ":2: NUL byte in line" },
	{ ZH "1.2.3.4\tIntel::ADDR\tsrc\n",
	    ":2: expected 4 TAB-separated fields, got 3" },
	{ ZH "1.2.3.4\tIntel::ADDR\tsrc\tdesc\textra\n",
	    ":2: expected 4 TAB-separated fields, got 5" },
	{ "#fields\tindicator\tmeta.source\n1.2.3.4\tx\n",
	    ":1: #fields header has no \"indicator_type\" field" },
	{ "#fields\tindicator_type\tmeta.source\n",
	    ":1: #fields header has no \"indicator\" field" },
	{ "#fields indicator indicator_type\n",
	    ":1: #fields header must be TAB-separated" },
	{ ZH "1.2.3.0/24\tIntel::ADDR\t-\t-\n",
	    ":2: Intel::ADDR \"1.2.3.0/24\" is a prefix, not an address" },
	{ ZH "1.2.3.4\tIntel::SUBNET\t-\t-\n",
	    ":2: Intel::SUBNET \"1.2.3.4\" has no prefix length" },
	{ ZH "1.2.3.4\tIntel::DOMAIN\t-\t-\n",
	    ":2: Intel::DOMAIN \"1.2.3.4\" is an address" },
	{ ZH "1.2.3.4\tFOO\t-\t-\n", ":2: bad indicator type \"FOO\"" },
	{ ZH "-\tIntel::ADDR\t-\t-\n", ":2: indicator is unset" },
	{ ZH "300.1.2.3\tIntel::ADDR\t-\t-\n",
	    ":2: bad IPv4 address \"300.1.2.3\"" },
	{ ZH "#fields\tindicator\tindicator\tindicator_type\n",
	    ":2: field \"indicator\" named twice in #fields header" },
	/* Zeek meta columns of ours */
	{ "#fields\tindicator\tindicator_type\tmeta.subdomains\n"
	  "a.example\tIntel::DOMAIN\tyes\n",
	    ":2: bad meta.subdomains \"yes\" (T or F)" },
	{ "#fields\tindicator\tindicator_type\tmeta.category\n"
	  "a.example\tIntel::DOMAIN\tads\n",
	    ":2: bad meta.category \"ads\" (stalkerware, watchware, c2, website "
	    "or distribution)" },
	/* list directives */
	{ "# category: ads\na.example\n",
	    ":1: bad category \"ads\" (stalkerware, watchware, c2, website or "
	    "distribution)" },
	{ "a.example\n# match: some\n",
	    ":2: bad match \"some\" (exact or subdomains)" },
	/* Echap CSV */
	{ "type,indicator,app\ndomain,ok.example,X\ndomain,b@d.example,X\n",
	    ":3: bad character in domain \"b@d.example\"" },
	{ "type,indicator,app\ndomain,ok.example\n",
	    ":2: expected 3 comma-separated fields, got 2" },
	{ "type,indicator,app\nipv4,1.2.3.400,X\n",
	    ":2: bad IPv4 address \"1.2.3.400\"" },
	{ "type,indicator,app\ndomain,\"ok.example,X\n",
	    ":2: unterminated quote" },
	{ "type,indicator,app\ndomain,,X\n", ":2: empty indicator" },
	/* hosts files */
	{ "# blocklist\n0.0.0.0 ok.example\n0.0.0.0\n",
	    ":3: hosts line without a name" },
	{ "0.0.0.0 ok.example\n999.0.0.1 x.example\n",
	    ":2: bad address \"999.0.0.1\" in hosts line" },
	{ "127.0.0.1 ok.example\n127.0.0.1 a.example 1.2.3.4\n",
	    ":2: hosts name \"1.2.3.4\" is an address" },
	{ "0.0.0.0 ok.example\n0.0.0.0 a..example\n",
	    ":2: empty label in domain \"a..example\"" },
	/* TinyCheck JSON */
	{ "{\"iocs\": [\n {\"type\": \"domain\", \"value\": \"ok.example\"},\n"
	  " {\"type\": \"domain\", \"value\": \"a b.example\"}\n]}\n",
	    ":3: iocs[1]: bad character in domain \"a b.example\"" },
	{ "{\"iocs\": [{\"type\": \"domain\"}]}",
	    ":1: iocs[0]: not an object with \"type\" and \"value\" strings" },
	{ "{\"iocs\": [\n{\"type\": \"ip4addr\", \"value\": \"1.2.3\"}]}",
	    ":2: iocs[0]: bad IPv4 address \"1.2.3\"" },
	/* JSON in general */
	{ "{\"iocs\": [\n\n{\"type\": }]}", ":3: JSON syntax error" },
	{ "{\"iocs\": []} x", ":1: text after the JSON document" },
	{ "{\"a\": 1}\n",
	    ":1: JSON is none of TinyCheck IOCs ({\"iocs\": [...]}), a MISP "
	    "event or a STIX 2.1 bundle" },
	/* MISP */
	{ "{\"Event\": {\"info\": \"x\", \"Attribute\": [\n"
	  "{\"type\": \"ip-dst\", \"value\": \"10.0.0.0/33\"}]}}",
	    ":2: Event.Attribute[0]: prefix length 33 out of range for IPv4" },
	{ "{\"Object\": [{\"Attribute\": [{\"type\": \"sha1\", \"value\": "
	  "\"x\"},\n{\"type\": \"domain\", \"value\": \"-bad!\"}]}]}",
	    ":2: Object[0].Attribute[1]: bad character in domain \"-bad!\"" },
	{ "{\"response\": [{\"Event\": {\"Attribute\": [{\"type\": "
	  "\"url\", \"value\": \"https:///x\"}]}}]}",
	    ":1: response[0].Event.Attribute[0]: no host in url" },
	{ "{\"Event\": {\"Attribute\": [{\"type\": \"ip-dst|port\", "
	  "\"value\": \"1.2.3.4\"}]}}",
	    ":1: Event.Attribute[0]: ip-dst|port value without '|'" },
};

START_TEST(error_messages)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 0, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char err[512], want[1024];
	size_t len = strlen(bad_files[_i].text);

	/* the NUL case: its text runs past the first NUL */
	if (strstr(bad_files[_i].msg, "NUL") != NULL)
		len = sizeof("ok.example\nbad\0nul\n") - 1;
	ck_assert_int_eq(intel_load_file(in, testfiles_put("bad.txt",
	    bad_files[_i].text, (long)len), &o, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/bad.txt%s", testfiles_dir, bad_files[_i].msg);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(w.first, want);
	ck_assert_ptr_null(strchr(err, '\n'));
	/* the file failed as a whole: nothing of it stays */
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR) +
	    intel_count(in, INTEL_SUBNET) + intel_count(in, INTEL_DOMAIN) +
	    intel_count(in, INTEL_OTHER), 0);
	intel_free(in);
}
END_TEST

START_TEST(long_line)
{
	char *text = malloc(6000);
	char err[512], want[600];
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 1, .warn = testfiles_collect,
	    .warn_ctx = &w };

	memset(text, 'a', 5000);
	memcpy(text, "1.2.3.4\n", 8);
	memcpy(text + 4105, "\n5.6.7.8\n", 10);	/* line 2: 4097 bytes */
	ck_assert_int_eq(intel_load_file(in, testfiles_put("long.txt", text, -1),
	    &o, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/long.txt:2: line longer than 4096 "
	    "bytes", testfiles_dir);
	ck_assert_str_eq(w.first, want);
	ck_assert_int_eq(w.n, 1);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 2);
	/* exactly 4096 bytes is allowed (and here a bad name) */
	memset(text, 'a', 4096);
	memcpy(text + 4096, ".com\n", 6);
	ck_assert_int_eq(intel_load_file(in, testfiles_put("l2.txt", text + 4,
	    -1), &o, err, sizeof(err)), 0);
	ck_assert_ptr_null(strstr(w.last, "longer than 4096"));
	free(text);
	intel_free(in);
}
END_TEST

START_TEST(strict_reports_every_line)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 0, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char err[512], want[600];

	ck_assert_int_eq(intel_load_file(in, testfiles_put("good.txt",
	    "9.9.9.9\n", -1), &o, err, sizeof(err)), 0);
	ck_assert_int_eq(intel_load_file(in, testfiles_put("two.txt",
	    "1.1.1.1\n1.2.3.999\nfine.example\nbad..example\n", -1), &o, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(w.n, 2);
	snprintf(want, sizeof(want), "%s/two.txt:2: bad IPv4 address "
	    "\"1.2.3.999\"", testfiles_dir);
	ck_assert_str_eq(err, want);
	snprintf(want, sizeof(want), "%s/two.txt:4: empty label in domain "
	    "\"bad..example\"", testfiles_dir);
	ck_assert_str_eq(w.last, want);
	/* the earlier file stays, the failed one is gone */
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 0);
	intel_free(in);
}
END_TEST

START_TEST(lenient_skips)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 1, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char err[512];

	ck_assert_int_eq(intel_load_file(in, testfiles_put("mix.intel", ZH
	    "1.1.1.1\tIntel::ADDR\t-\t-\n"
	    "1.1.1.1\tIntel::BOGUS-TYPE\t-\t-\n"
	    "short\tline\n"
	    "10.0.0.0/8\tIntel::SUBNET\t-\t-\n", -1), &o, err, sizeof(err)),
	    0);
	ck_assert_int_eq(w.n, 2);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 1);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(match(in, "10.2.3.4"));
	intel_free(in);
}
END_TEST

START_TEST(errbuf_terminated)
{
	struct intel *in = intel_new();
	char err[8];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(intel_load_file(in, testfiles_put("b.txt", "300.0.0.1\n",
	    -1), NULL, err, sizeof(err)), -1);
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
	ck_assert_int_eq(intel_load_file(in, "/nonexistent/x.txt", NULL, err,
	    sizeof(err)), -1);
	ck_assert_uint_lt(strlen(err), sizeof(err));
	ck_assert_int_eq(intel_load_file(in, "/nonexistent/x.txt", NULL, NULL,
	    0), -1);
	intel_free(in);
}
END_TEST

START_TEST(unreadable)
{
	struct intel *in = intel_new();
	char err[512], want[600], path[512];

	snprintf(want, sizeof(want), "%s/none.txt: No such file or directory",
	    testfiles_dir);
	snprintf(path, sizeof(path), "%s/none.txt", testfiles_dir);
	ck_assert_int_eq(intel_load_file(in, path, NULL, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(intel_load_dir(in, want, NULL, err, sizeof(err)), -1);
	ck_assert_int_eq(intel_load_file(in, testfiles_dir, NULL, err, sizeof(err)),
	    -1);
	intel_free(in);
}
END_TEST

/* --- directories ---------------------------------------------------------- */

START_TEST(load_dir)
{
	struct intel *in = intel_new();
	char err[512], sub[600];

	testfiles_put("b.intel", ZH "1.2.3.4\tIntel::ADDR\tfeed-b\t-\n", -1);
	testfiles_put("a.txt", "1.2.3.4 # from a\n5.5.5.5\n", -1);
	testfiles_put("c.dat", "c.example\n", -1);
	testfiles_put("d.csv", "6.6.6.6\n", -1);
	testfiles_put("known-good.txt", "8.8.8.8\n", -1);
	testfiles_put("known-good-extra.txt", "8.8.4.4\n", -1);
	testfiles_put("README.txt", "this is not a list\n", -1);
	testfiles_put("README.md", "# nor this\n", -1);
	testfiles_put("notes.md", "{}\n", -1);
	testfiles_put("t.json", "{\"iocs\": [{\"type\": \"domain\", \"value\": "
	    "\"t.example\"}]}", -1);
	testfiles_put("hosts", "0.0.0.0 h.example\n", -1);
	testfiles_put("x-hosts", "0.0.0.0 xh.example\n", -1);
	testfiles_put("ioc.yaml", "- name: x\n", -1);
	testfiles_put(".hidden.txt", "7.7.7.7\n", -1);
	snprintf(sub, sizeof(sub), "%s/sub.txt", testfiles_dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_msg(intel_load_dir(in, testfiles_dir, NULL, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	/* a.txt is read before b.intel: its 1.2.3.4 is kept */
	ck_assert_str_eq(match(in, "1.2.3.4")->source, "a.txt");
	ck_assert_str_eq(match(in, "1.2.3.4")->desc, "from a");
	ck_assert_ptr_nonnull(match(in, "6.6.6.6"));
	ck_assert_ptr_null(match(in, "8.8.8.8"));
	ck_assert_ptr_null(match(in, "8.8.4.4"));
	ck_assert_ptr_null(match(in, "7.7.7.7"));
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 3);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 4);
	ck_assert_ptr_nonnull(intel_match_domain(in, "t.example"));
	ck_assert_ptr_nonnull(intel_match_domain(in, "h.example"));
	ck_assert_ptr_nonnull(intel_match_domain(in, "xh.example"));
	intel_free(in);
}
END_TEST

START_TEST(load_dir_bad_file)
{
	struct intel *in = intel_new();
	char err[512], want[600];

	testfiles_put("a.txt", "1.1.1.1\n", -1);
	testfiles_put("b.txt", "1.1.1\n", -1);
	ck_assert_int_eq(intel_load_dir(in, testfiles_dir, NULL, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s/b.txt:1: bad IPv4 address \"1.1.1\"",
	    testfiles_dir);
	ck_assert_str_eq(err, want);
	intel_free(in);
}
END_TEST

/* --- shared data ---------------------------------------------------------- */

START_TEST(echap_hosts)
{
	const char *shared = getenv("SW_SHARED");
	char path[512], line[1024], err[512];
	struct intel *in;
	size_t lines = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/iocs-upstream/echap-hosts",
	    shared != NULL ? shared : "../shared");
	if ((f = fopen(path, "r")) == NULL)
		return;		/* no shared data here: skip */
	while (fgets(line, sizeof(line), f) != NULL)
		if (line[strspn(line, " \t\r\n")] != '\0')
			lines++;
	fclose(f);
	in = intel_new();
	ck_assert_msg(intel_load_file(in, path, NULL, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_uint_gt(lines, 0);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), lines);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR) +
	    intel_count(in, INTEL_SUBNET) + intel_count(in, INTEL_OTHER), 0);
	intel_free(in);
}
END_TEST

/* --- other formats -------------------------------------------------------- */

static const struct intel_item *
dom(const struct intel *in, const char *name)
{
	return intel_match_domain(in, name);
}

START_TEST(echap_csv)
{
	struct intel *in = set_of("network.csv",
	    "type,indicator,app\r\n"
	    "domain,c2.example,TheTruthSpy\r\n"
	    "domain,\"q.example\",\"App, with comma\"\r\n"
	    "ipv4,192.0.2.9,mSpy\r\n"
	    "domain,198.51.100.1,Typed\r\n"
	    "domain,https://github.com/x/y,Buhsam\r\n"
	    "sha256,abcdef,Other\r\n"
	    "domain,noapp.example,\r\n");
	const struct intel_item *it;

	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 3);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 2);
	ck_assert_uint_eq(intel_count(in, INTEL_OTHER), 1);
	it = dom(in, "sub.c2.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "TheTruthSpy");
	ck_assert_str_eq(it->source, "network.csv");
	ck_assert_int_eq(it->subdomains, 1);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_str_eq(dom(in, "q.example")->app, "App, with comma");
	ck_assert_ptr_null(dom(in, "noapp.example")->app);
	ck_assert_str_eq(match(in, "192.0.2.9")->app, "mSpy");
	ck_assert_str_eq(match(in, "198.51.100.1")->zeek_type, "Intel::ADDR");
	/* the URL is kept, not turned into github.com */
	ck_assert_ptr_null(dom(in, "github.com"));
	intel_free(in);
}
END_TEST

START_TEST(hosts_file)
{
	struct intel *in = set_of("blocklist",
	    "# a hosts file\n"
	    "127.0.0.1 localhost\n"
	    "::1 localhost ip6-localhost ip6-loopback\n"
	    "0.0.0.0 a.example b.example # two names\n"
	    "127.0.0.1\tC.Example.\n"
	    "# app: mSpy\n"
	    "# match: exact\n"
	    "0.0.0.0 d.example\n");

	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 4);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 0);
	ck_assert_ptr_null(dom(in, "localhost"));
	ck_assert_ptr_nonnull(dom(in, "x.a.example"));
	ck_assert_ptr_nonnull(dom(in, "b.example"));
	ck_assert_str_eq(dom(in, "c.example")->indicator, "c.example");
	ck_assert_ptr_null(dom(in, "c.example")->app);
	ck_assert_str_eq(dom(in, "d.example")->app, "mSpy");
	ck_assert_ptr_null(dom(in, "x.d.example"));
	intel_free(in);
}
END_TEST

START_TEST(tinycheck_json)
{
	struct intel *in = set_of("iocs.json",
	    "{\"iocs\": [\n"
	    " {\"type\": \"domain\", \"tag\": \"stalkerware\", \"tlp\": \"white\","
	    " \"value\": \"T.example\"},\n"
	    " {\"type\": \"ip4addr\", \"tag\": \"stalkerware\", \"value\": "
	    "\"192.0.2.1\"},\n"
	    " {\"type\": \"ip6addr\", \"tag\": \"x\", \"value\": \"2001:db8::1\"},\n"
	    " {\"type\": \"cidr\", \"tag\": \"x\", \"value\": \"198.51.100.0/24\"},\n"
	    " {\"type\": \"freedns\", \"tag\": \"x\", \"value\": \"duckdns.org\"},\n"
	    " {\"type\": \"sha1cert\", \"tag\": \"x\", \"value\": \"abcd\"},\n"
	    " {\"type\": \"domain\", \"tag\": \"x\", \"value\": \"https://g.example/r\"}\n"
	    "]}\n");
	const struct intel_item *it;

	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 2);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_OTHER), 1);
	it = dom(in, "a.t.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->desc, "stalkerware");
	ck_assert_str_eq(it->source, "iocs.json");
	ck_assert_ptr_null(it->app);
	ck_assert_ptr_null(dom(in, "duckdns.org"));
	ck_assert_ptr_nonnull(match(in, "198.51.100.7"));
	intel_free(in);
}
END_TEST

START_TEST(misp_json)
{
	static const char event[] =
	    "{\"Event\": {\"info\": \"Stalkerware indicators\",\n"
	    " \"Attribute\": [\n"
	    "  {\"type\": \"link\", \"value\": \"https://x.example\", "
	    "\"to_ids\": false},\n"
	    "  {\"type\": \"domain\", \"value\": \"quiet.example\", "
	    "\"to_ids\": false},\n"
	    "  {\"type\": \"ip-dst\", \"value\": \"192.0.2.7\", "
	    "\"comment\": \"FlexiSpy\"},\n"
	    "  {\"type\": \"ip-src|port\", \"value\": \"192.0.2.8|443\"},\n"
	    "  {\"type\": \"domain|ip\", \"value\": \"di.example|192.0.2.9\"},\n"
	    "  {\"type\": \"url\", \"value\": "
	    "\"https://user@U.example:8443/p?q\"},\n"
	    "  {\"type\": \"hostname|port\", \"value\": \"hp.example|80\"},\n"
	    "  {\"type\": \"domain\", \"value\": \"gone.example\", "
	    "\"deleted\": true}\n"
	    " ],\n"
	    " \"Object\": [{\"name\": \"android-app\", \"Attribute\": [\n"
	    "  {\"object_relation\": \"sha256\", \"type\": \"sha256\", "
	    "\"value\": \"00\"},\n"
	    "  {\"object_relation\": \"domain\", \"type\": \"domain\", "
	    "\"value\": \"c2.example\"},\n"
	    "  {\"object_relation\": \"name\", \"type\": \"text\", "
	    "\"value\": \"TheTruthSpy\"}]},\n"
	    "  {\"comment\": \"Other app\", \"Attribute\": [\n"
	    "  {\"type\": \"hostname\", \"value\": \"h.example\"}]}]}}\n";
	struct intel *in = set_of("misp.json", event);
	const struct intel_item *it;

	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 5);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 3);
	ck_assert_ptr_null(dom(in, "quiet.example"));
	ck_assert_ptr_null(dom(in, "gone.example"));
	ck_assert_ptr_null(dom(in, "x.example"));
	it = dom(in, "a.c2.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "TheTruthSpy");
	ck_assert_str_eq(it->desc, "Stalkerware indicators");
	ck_assert_str_eq(dom(in, "h.example")->app, "Other app");
	ck_assert_str_eq(match(in, "192.0.2.7")->app, "FlexiSpy");
	ck_assert_ptr_nonnull(match(in, "192.0.2.8"));
	ck_assert_ptr_nonnull(match(in, "192.0.2.9"));
	ck_assert_ptr_nonnull(dom(in, "di.example"));
	ck_assert_ptr_nonnull(dom(in, "hp.example"));
	/* a URL names one host: exact */
	ck_assert_ptr_nonnull(dom(in, "u.example"));
	ck_assert_ptr_null(dom(in, "x.u.example"));
	intel_free(in);
	/* the other shapes MISP writes */
	in = set_of("bare.json", "{\"info\": \"i\", \"Attribute\": [{\"type\": "
	    "\"domain\", \"value\": \"bare.example\"}]}");
	ck_assert_ptr_nonnull(dom(in, "bare.example"));
	intel_free(in);
	in = set_of("resp.json", "{\"response\": [{\"Event\": {\"Attribute\": "
	    "[{\"type\": \"domain\", \"value\": \"r1.example\"}]}}, {\"Event\": "
	    "{\"Object\": [{\"Attribute\": [{\"type\": \"domain\", \"value\": "
	    "\"r2.example\"}]}]}}]}");
	ck_assert_ptr_nonnull(dom(in, "r1.example"));
	ck_assert_ptr_nonnull(dom(in, "r2.example"));
	intel_free(in);
}
END_TEST

START_TEST(list_directives)
{
	struct intel *in = set_of("mixed.txt",
	    "# Note: an ordinary comment\n"
	    "plain.example\n"
	    "# app: mSpy\n"
	    "# source: Echap\n"
	    "# match: exact\n"
	    "exact.example # the C2\n"
	    "# category: website\n"
	    "# match: subdomains\n"
	    "site.example\n"
	    "# app: -\n"
	    "# source:\n"
	    "# category: c2\n"
	    "last.example\n");
	const struct intel_item *it;

	it = dom(in, "x.plain.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_null(it->app);
	ck_assert_str_eq(it->source, "mixed.txt");
	it = dom(in, "exact.example");
	ck_assert_str_eq(it->app, "mSpy");
	ck_assert_str_eq(it->source, "Echap");
	ck_assert_str_eq(it->desc, "the C2");
	ck_assert_int_eq(it->subdomains, 0);
	ck_assert_ptr_null(dom(in, "x.exact.example"));
	it = dom(in, "www.site.example");
	ck_assert_int_eq(it->role, INTEL_ROLE_WEBSITE);
	ck_assert_str_eq(it->app, "mSpy");
	it = dom(in, "last.example");
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_ptr_null(it->app);
	ck_assert_str_eq(it->source, "mixed.txt");
	ck_assert_uint_eq(intel_count_role(in, INTEL_CAT_STALKERWARE, INTEL_ROLE_WEBSITE), 1);
	intel_free(in);
}
END_TEST

START_TEST(zeek_meta_columns)
{
	struct intel *in = set_of("ours.intel",
	    "#separator \\x09\n"
	    "#fields\tindicator\tindicator_type\tmeta.source\tmeta.app\t"
	    "meta.subdomains\tmeta.category\n"
	    "exact.example\tIntel::DOMAIN\tE\tmSpy\t-\t-\n"
	    "zone.example\tIntel::DOMAIN\tE\tmSpy\tT\tc2\n"
	    "off.example\tIntel::DOMAIN\tE\t-\tF\twebsite\n");
	const struct intel_item *it;

	/* Zeek's Intel::DOMAIN is exact unless meta.subdomains says T */
	ck_assert_ptr_nonnull(dom(in, "exact.example"));
	ck_assert_ptr_null(dom(in, "a.exact.example"));
	it = dom(in, "a.zone.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "mSpy");
	it = dom(in, "off.example");
	ck_assert_int_eq(it->role, INTEL_ROLE_WEBSITE);
	ck_assert_ptr_null(it->app);
	intel_free(in);
}
END_TEST

/* --- domain matching -------------------------------------------------------- */

START_TEST(domain_dot_boundary)
{
	struct intel *in = set_of("d.txt", "thd.cc\nexact.example\n"
	    "# match: exact\nonly.example\ncom\n");
	char longname[300];

	ck_assert_str_eq(dom(in, "thd.cc")->indicator, "thd.cc");
	ck_assert_str_eq(dom(in, "a.thd.cc")->indicator, "thd.cc");
	ck_assert_str_eq(dom(in, "x.y.thd.cc")->indicator, "thd.cc");
	ck_assert_ptr_null(dom(in, "evilthd.cc"));
	ck_assert_ptr_null(dom(in, "thd.cc.evil.com"));
	ck_assert_ptr_null(dom(in, "hd.cc"));
	ck_assert_ptr_null(dom(in, "cc"));
	ck_assert_ptr_null(dom(in, ".cc"));
	/* case and one trailing dot */
	ck_assert_ptr_nonnull(dom(in, "A.THD.CC."));
	ck_assert_ptr_null(dom(in, "a.thd.cc.."));
	ck_assert_ptr_null(dom(in, ""));
	ck_assert_ptr_null(dom(in, "."));
	ck_assert_ptr_nonnull(dom(in, "a..thd.cc"));
	/* exact entries */
	ck_assert_ptr_nonnull(dom(in, "only.example"));
	ck_assert_ptr_null(dom(in, "www.only.example"));
	/* a single label never covers names under it */
	ck_assert_ptr_nonnull(dom(in, "com"));
	ck_assert_ptr_null(dom(in, "example.com"));
	/* 253 bytes (254 with the root dot) is the longest name */
	memset(longname, 'a', sizeof(longname));
	memcpy(longname + 246, ".thd.cc", 8);
	ck_assert_uint_eq(strlen(longname), 253);
	ck_assert_ptr_nonnull(dom(in, longname));
	memcpy(longname + 246, ".thd.cc.", 9);
	ck_assert_ptr_nonnull(dom(in, longname));
	memset(longname, 'a', sizeof(longname));
	memcpy(longname + 247, ".thd.cc", 8);
	ck_assert_ptr_null(dom(in, longname));
	ck_assert_ptr_null(intel_match_domain(NULL, "thd.cc"));
	ck_assert_ptr_null(intel_match_domain(in, NULL));
	intel_free(in);
}
END_TEST

START_TEST(domain_longest_wins)
{
	struct intel *in = set_of("l.txt",
	    "# category: website\nvendor.example\n"
	    "# category: c2\napi.vendor.example # api\n"
	    "deep.api.vendor.example # deep\n");

	ck_assert_int_eq(dom(in, "www.vendor.example")->role,
	    INTEL_ROLE_WEBSITE);
	ck_assert_str_eq(dom(in, "x.api.vendor.example")->desc, "api");
	ck_assert_str_eq(dom(in, "deep.api.vendor.example")->desc, "deep");
	ck_assert_str_eq(dom(in, "z.deep.api.vendor.example")->desc, "deep");
	intel_free(in);
}
END_TEST

START_TEST(domain_unfinalized)
{
	struct intel *in = intel_new();
	char err[512];

	ck_assert_ptr_null(dom(in, "a.example"));
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_null(dom(in, "a.example"));
	ck_assert_int_eq(intel_load_file(in, testfiles_put("a.txt", "a.example\n",
	    -1), NULL, err, sizeof(err)), 0);
	ck_assert_ptr_null(dom(in, "a.example"));
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(dom(in, "a.example"));
	/* a load after finalize needs another finalize */
	ck_assert_int_eq(intel_load_file(in, testfiles_put("b.txt", "b.example\n",
	    -1), NULL, err, sizeof(err)), 0);
	ck_assert_ptr_null(dom(in, "a.example"));
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(dom(in, "a.example"));
	ck_assert_ptr_nonnull(dom(in, "b.example"));
	intel_free(in);
}
END_TEST

START_TEST(shared_platforms)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 0, .warn = testfiles_collect,
	    .warn_ctx = &w };
	const struct intel_item *it;
	char err[512];

	testfiles_put("c2.txt",
	    "mtechn.zendesk.com\n"
	    "zendesk.com\n"
	    "project-1.firebaseio.com\n"
	    "a.b.appspot.com\n"
	    "vendor.example\n", -1);
	testfiles_put("shared-platforms.txt",
	    "# reasons\nzendesk.com\t# help desks\nfirebaseio.com\n"
	    "appspot.com\n", -1);
	testfiles_put("more.lst", "example\n", -1);
	ck_assert_msg(intel_load_dir(in, testfiles_dir, &o, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_load_platforms(in, testfiles_put("more.lst",
	    "b.appspot.com\n", -1), &o, err, sizeof(err)), 0);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_int_eq(w.n, 0);
	ck_assert_uint_eq(intel_count_platforms(in), 4);
	/* the bare platform is dropped, and counted */
	ck_assert_uint_eq(intel_count_ignored(in), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 4);
	ck_assert_ptr_null(dom(in, "zendesk.com"));
	it = dom(in, "mtechn.zendesk.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->subdomains, 0);
	ck_assert_int_eq(it->platform, 1);
	ck_assert_ptr_null(dom(in, "other.zendesk.com"));
	ck_assert_ptr_null(dom(in, "sub.mtechn.zendesk.com"));
	ck_assert_ptr_nonnull(dom(in, "project-1.firebaseio.com"));
	ck_assert_ptr_null(dom(in, "x.project-1.firebaseio.com"));
	ck_assert_ptr_nonnull(dom(in, "a.b.appspot.com"));
	ck_assert_ptr_null(dom(in, "c.a.b.appspot.com"));
	it = dom(in, "www.vendor.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->platform, 0);
	intel_free(in);
	/* an address is no platform */
	in = intel_new();
	ck_assert_int_eq(intel_load_file(in, testfiles_put("shared-platforms-x.txt",
	    "ok.example\n1.2.3.4\n", -1), NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "shared-platforms-x.txt:2: shared "
	    "platform \"1.2.3.4\" is not a domain name"));
	ck_assert_uint_eq(intel_count_platforms(in), 0);
	intel_free(in);
}
END_TEST

START_TEST(website_overrides_c2)
{
	struct intel *in = intel_new();
	const struct intel_item *it;
	char err[512];

	/* the C2 list is read first: the website entry still wins */
	ck_assert_int_eq(intel_load_file(in, testfiles_put("a-c2.txt",
	    "# app: mSpy\n# role: c2\nwww.mspy.example\nmy.mspy.example\n", -1),
	    NULL, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(intel_load_file(in, testfiles_put("b-web.txt",
	    "# category: website\nmspy.example\nwww.mspy.example\n", -1), NULL,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	it = dom(in, "www.mspy.example");
	ck_assert_int_eq(it->role, INTEL_ROLE_WEBSITE);
	ck_assert_str_eq(it->source, "b-web.txt");
	/* a website is its exact name and www. form, nothing under it */
	ck_assert_ptr_null(intel_match_domain(in, "cart.mspy.example"));
	/* a C2 host under a website domain stays C2 */
	ck_assert_int_eq(dom(in, "my.mspy.example")->role, INTEL_ROLE_C2);
	ck_assert_int_eq(dom(in, "a.my.mspy.example")->role, INTEL_ROLE_C2);
	/* www.mspy.example is kept in both roles: the website answers for
	 * the name itself, the C2 entry for names under it */
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 4);
	ck_assert_int_eq(dom(in, "x.www.mspy.example")->role, INTEL_ROLE_C2);
	intel_free(in);
}
END_TEST

/* --- the bundled and upstream sets ----------------------------------------- */

static const char *
shared_dir(void)
{
	const char *s = getenv("SW_SHARED");

	return s != NULL ? s : "../shared";
}

/* Every mSpy C2 name of the upstream notes matches through iocs/. */
START_TEST(bundled_mspy_domains)
{
	struct intel *in;
	const struct intel_item *it;
	char path[512], line[4096], err[512], *tab;
	size_t c2 = 0, web = 0;
	FILE *f;

	/* the tests run from the source tree, where iocs/ always is */
	ck_assert_int_eq(access("iocs/ioc.yaml", R_OK), 0);
	in = intel_new();
	ck_assert_msg(intel_load_dir(in, "iocs", NULL, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	/* the seed article's two mSpy addresses, named so */
	ck_assert_str_eq(match(in, "212.129.6.180")->app,
	    "mSpy");
	ck_assert_str_eq(match(in, "212.83.137.160")->app,
	    "mSpy");
	ck_assert_uint_eq(intel_count_ignored(in), 1);	/* appjiagu.com */
	ck_assert_uint_gt(intel_count_platforms(in), 20);
	it = dom(in, "a.thd.cc");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "mSpy");
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_ptr_nonnull(strstr(it->source, "CC-BY 4.0"));
	ck_assert_int_eq(dom(in, "mspy.com")->role, INTEL_ROLE_WEBSITE);
	ck_assert_int_eq(dom(in, "www.mspy.com")->role, INTEL_ROLE_WEBSITE);
	ck_assert_ptr_null(dom(in, "sub.mtechn.zendesk.com"));
	snprintf(path, sizeof(path), "%s/iocs-upstream/"
	    "mspy-network-indicators.tsv", shared_dir());
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "bundled_mspy_domains: %s absent, the upstream "
		    "notes are not compared\n", path);
		intel_free(in);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "c2.domains") == NULL ||
		    (tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		it = dom(in, line);
		ck_assert_msg(it != NULL, "%s does not match", line);
		ck_assert_str_eq(it->indicator, line);
		ck_assert_str_eq(it->app, "mSpy");
		if (it->role == INTEL_ROLE_C2)
			c2++;
		else
			web++;
	}
	fclose(f);
	/* mspyonline.com, www.mspy.com and www.mspyonline.com are also
	 * websites upstream */
	ck_assert_uint_eq(c2, 50);
	ck_assert_uint_eq(web, 3);
	intel_free(in);
}
END_TEST

static const struct {
	const char *file;
	size_t domains, addrs, other;
} upstream[] = {
	{ "echap-network.csv", 957, 66, 2 },
	{ "echap-indicators-for-tinycheck.json", 1452, 66, 2 },
	{ "echap-hosts", 925, 0, 0 },
	{ "echap-misp_event.json", 991, 0, 0 },
	{ "echap-hosts_full", 989, 0, 0 },
	{ "echap-quad9_blocklist.txt", 957, 1, 2 },
};

/* Each upstream file loads strictly, with its known counts. */
START_TEST(upstream_files)
{
	struct intel *in;
	char path[512], err[512];

	snprintf(path, sizeof(path), "%s/iocs-upstream/%s", shared_dir(),
	    upstream[_i].file);
	if (access(path, R_OK) != 0)
		return;		/* no shared data here: skip */
	in = intel_new();
	ck_assert_msg(intel_load_file(in, path, NULL, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), upstream[_i].domains);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), upstream[_i].addrs);
	ck_assert_uint_eq(intel_count(in, INTEL_OTHER), upstream[_i].other);
	ck_assert_ptr_nonnull(dom(in, "x.thd.cc"));
	ck_assert_ptr_null(dom(in, "evilthd.cc"));
	intel_free(in);
}
END_TEST

/* The whole upstream set and the bundled iocs/ together. */
START_TEST(upstream_all)
{
	struct intel *in;
	const struct intel_item *it;
	char path[512], err[512];
	size_t i;

	snprintf(path, sizeof(path), "%s/iocs-upstream/echap-hosts",
	    shared_dir());
	if (access(path, R_OK) != 0 || access("iocs/shared-platforms.txt",
	    R_OK) != 0)
		return;
	in = intel_new();
	ck_assert_msg(intel_load_dir(in, "iocs", NULL, err, sizeof(err)) == 0,
	    "%s", err);
	for (i = 0; i < sizeof(upstream) / sizeof(upstream[0]); i++) {
		snprintf(path, sizeof(path), "%s/iocs-upstream/%s",
		    shared_dir(), upstream[i].file);
		ck_assert_msg(intel_load_file(in, path, NULL, err,
		    sizeof(err)) == 0, "%s", err);
	}
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	/* the generated files add nothing Echap's ioc.yaml does not have,
	 * but TinyCheck's and MISP's names whose role they do not say */
	ck_assert_uint_eq(intel_count_of(in, INTEL_CAT_STALKERWARE,
	    INTEL_ROLE_C2, INTEL_ADDR), 70);
	ck_assert_uint_eq(intel_count(in, INTEL_OTHER), 2);
	/* bare platforms upstream: appjiagu.com, ... */
	ck_assert_uint_gt(intel_count_ignored(in), 0);
	ck_assert_uint_ge(intel_count_apps(in, INTEL_CAT_STALKERWARE), 130);
	/* TinyCheck lists vendor websites as indicators too: they do not
	 * make the names under a listed website C2 */
	ck_assert_int_eq(dom(in, "mspy.com")->role, INTEL_ROLE_WEBSITE);
	ck_assert_ptr_null(intel_match_domain(in, "x.mspy.com"));
	ck_assert_ptr_null(dom(in, "appjiagu.com"));
	ck_assert_ptr_nonnull(dom(in, "b.appjiagu.com"));
	ck_assert_ptr_null(dom(in, "x.appjiagu.com"));
	/* vendor site and C2 of one vendor */
	ck_assert_int_eq(dom(in, "copy9.com")->role, INTEL_ROLE_WEBSITE);
	it = dom(in, "media-sync-a.copy9.com");
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_str_eq(it->app, "TheTruthSpy");
	ck_assert_int_eq(dom(in, "1ca43.appspot.com")->platform, 1);
	ck_assert_ptr_null(dom(in, "x.1ca43.appspot.com"));
	ck_assert_int_eq(dom(in, "a.thd.cc")->role, INTEL_ROLE_C2);
	intel_free(in);
}
END_TEST

Suite *
intel_suite(void)
{
	Suite *s = suite_create("intel");
	TCase *tc = tcase_create("intel");

	tcase_add_checked_fixture(tc, testfiles_setup,
	    testfiles_teardown);
	tcase_add_loop_test(tc, parse_good, 0,
	    (int)(sizeof(good_cidr) / sizeof(good_cidr[0])));
	tcase_add_loop_test(tc, parse_bad, 0,
	    (int)(sizeof(bad_cidr) / sizeof(bad_cidr[0])));
	tcase_add_test(tc, lpm_v4);
	tcase_add_test(tc, lpm_v6);
	tcase_add_test(tc, lpm_empty_and_unfinalized);
	tcase_add_test(tc, duplicates_keep_first);
	tcase_add_test(tc, plain_details);
	tcase_add_test(tc, plain_ports);
	tcase_add_test(tc, plain_domains);
	tcase_add_test(tc, zeek_reordered);
	tcase_add_test(tc, bundled_iocs);
	tcase_add_loop_test(tc, error_messages, 0,
	    (int)(sizeof(bad_files) / sizeof(bad_files[0])));
	tcase_add_test(tc, long_line);
	tcase_add_test(tc, strict_reports_every_line);
	tcase_add_test(tc, lenient_skips);
	tcase_add_test(tc, errbuf_terminated);
	tcase_add_test(tc, unreadable);
	tcase_add_test(tc, load_dir);
	tcase_add_test(tc, load_dir_bad_file);
	tcase_add_test(tc, echap_hosts);
	tcase_add_test(tc, echap_csv);
	tcase_add_test(tc, hosts_file);
	tcase_add_test(tc, tinycheck_json);
	tcase_add_test(tc, misp_json);
	tcase_add_test(tc, list_directives);
	tcase_add_test(tc, zeek_meta_columns);
	tcase_add_test(tc, domain_dot_boundary);
	tcase_add_test(tc, domain_longest_wins);
	tcase_add_test(tc, domain_unfinalized);
	tcase_add_test(tc, shared_platforms);
	tcase_add_test(tc, website_overrides_c2);
	tcase_add_test(tc, bundled_mspy_domains);
	tcase_add_loop_test(tc, upstream_files, 0,
	    (int)(sizeof(upstream) / sizeof(upstream[0])));
	tcase_add_test(tc, upstream_all);
	suite_add_tcase(s, tc);
	return s;
}
