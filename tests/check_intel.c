/*
 * check_intel.c - tests of the indicator sets: address and prefix parsing,
 * the longest-prefix match, the plain and Zeek Intel readers, their
 * "file:line: reason" messages, lenient loading and directory loading.
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

Suite *intel_suite(void);

/* --- helpers ------------------------------------------------------------ */

static char tmpdir[256];

static void
tmp_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_intel.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
tmp_teardown(void)
{
	DIR *d;
	struct dirent *e;
	char p[512];

	if ((d = opendir(tmpdir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
		if (unlink(p) != 0)
			rmdir(p);
	}
	closedir(d);
	rmdir(tmpdir);
}

/* Write len bytes (or strlen when len is -1) to tmpdir/name. */
static const char *
put_file(const char *name, const char *data, long len)
{
	static char path[512];
	FILE *f;
	size_t n = len < 0 ? strlen(data) : (size_t)len;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

struct warns {
	int n;
	char first[512];
	char last[512];
};

static void
collect(void *ctx, const char *msg)
{
	struct warns *w = ctx;

	if (w->n++ == 0)
		snprintf(w->first, sizeof(w->first), "%s", msg);
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

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
	ck_assert_msg(intel_load_file(in, put_file(name, text, -1), NULL, err,
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
	ck_assert_int_eq(intel_load_file(in, put_file("a.txt", "1.2.3.4\n",
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
	struct warns w = { 0 };
	struct intel_load_opts o = { 1, collect, &w };
	const struct intel_item *it;
	char err[512];

	ck_assert_int_eq(intel_load_file(in, put_file("list.txt", text,
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
	const char *msg;	/* after "<tmpdir>/bad.txt" */
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
};

START_TEST(error_messages)
{
	struct intel *in = intel_new();
	struct warns w = { 0 };
	struct intel_load_opts o = { 0, collect, &w };
	char err[512], want[1024];
	size_t len = strlen(bad_files[_i].text);

	/* the NUL case: its text runs past the first NUL */
	if (strstr(bad_files[_i].msg, "NUL") != NULL)
		len = sizeof("ok.example\nbad\0nul\n") - 1;
	ck_assert_int_eq(intel_load_file(in, put_file("bad.txt",
	    bad_files[_i].text, (long)len), &o, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/bad.txt%s", tmpdir, bad_files[_i].msg);
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
	struct warns w = { 0 };
	struct intel_load_opts o = { 1, collect, &w };

	memset(text, 'a', 5000);
	memcpy(text, "1.2.3.4\n", 8);
	memcpy(text + 4105, "\n5.6.7.8\n", 10);	/* line 2: 4097 bytes */
	ck_assert_int_eq(intel_load_file(in, put_file("long.txt", text, -1),
	    &o, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/long.txt:2: line longer than 4096 "
	    "bytes", tmpdir);
	ck_assert_str_eq(w.first, want);
	ck_assert_int_eq(w.n, 1);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 2);
	/* exactly 4096 bytes is allowed (and here a bad name) */
	memset(text, 'a', 4096);
	memcpy(text + 4096, ".com\n", 6);
	ck_assert_int_eq(intel_load_file(in, put_file("l2.txt", text + 4,
	    -1), &o, err, sizeof(err)), 0);
	ck_assert_ptr_null(strstr(w.last, "longer than 4096"));
	free(text);
	intel_free(in);
}
END_TEST

START_TEST(strict_reports_every_line)
{
	struct intel *in = intel_new();
	struct warns w = { 0 };
	struct intel_load_opts o = { 0, collect, &w };
	char err[512], want[600];

	ck_assert_int_eq(intel_load_file(in, put_file("good.txt",
	    "9.9.9.9\n", -1), &o, err, sizeof(err)), 0);
	ck_assert_int_eq(intel_load_file(in, put_file("two.txt",
	    "1.1.1.1\n1.2.3.999\nfine.example\nbad..example\n", -1), &o, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(w.n, 2);
	snprintf(want, sizeof(want), "%s/two.txt:2: bad IPv4 address "
	    "\"1.2.3.999\"", tmpdir);
	ck_assert_str_eq(err, want);
	snprintf(want, sizeof(want), "%s/two.txt:4: empty label in domain "
	    "\"bad..example\"", tmpdir);
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
	struct warns w = { 0 };
	struct intel_load_opts o = { 1, collect, &w };
	char err[512];

	ck_assert_int_eq(intel_load_file(in, put_file("mix.intel", ZH
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
	ck_assert_int_eq(intel_load_file(in, put_file("b.txt", "300.0.0.1\n",
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
	    tmpdir);
	snprintf(path, sizeof(path), "%s/none.txt", tmpdir);
	ck_assert_int_eq(intel_load_file(in, path, NULL, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(intel_load_dir(in, want, NULL, err, sizeof(err)), -1);
	ck_assert_int_eq(intel_load_file(in, tmpdir, NULL, err, sizeof(err)),
	    -1);
	intel_free(in);
}
END_TEST

/* --- directories ---------------------------------------------------------- */

START_TEST(load_dir)
{
	struct intel *in = intel_new();
	char err[512], sub[600];

	put_file("b.intel", ZH "1.2.3.4\tIntel::ADDR\tfeed-b\t-\n", -1);
	put_file("a.txt", "1.2.3.4 # from a\n5.5.5.5\n", -1);
	put_file("c.dat", "c.example\n", -1);
	put_file("d.csv", "6.6.6.6\n", -1);
	put_file("known-good.txt", "8.8.8.8\n", -1);
	put_file("known-good-extra.txt", "8.8.4.4\n", -1);
	put_file("README.txt", "this is not a list\n", -1);
	put_file("README.md", "# nor this\n", -1);
	put_file("notes.json", "{}\n", -1);
	put_file(".hidden.txt", "7.7.7.7\n", -1);
	snprintf(sub, sizeof(sub), "%s/sub.txt", tmpdir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_msg(intel_load_dir(in, tmpdir, NULL, err, sizeof(err)) == 0,
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
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 1);
	intel_free(in);
}
END_TEST

START_TEST(load_dir_bad_file)
{
	struct intel *in = intel_new();
	char err[512], want[600];

	put_file("a.txt", "1.1.1.1\n", -1);
	put_file("b.txt", "1.1.1\n", -1);
	ck_assert_int_eq(intel_load_dir(in, tmpdir, NULL, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s/b.txt:1: bad IPv4 address \"1.1.1\"",
	    tmpdir);
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

Suite *
intel_suite(void)
{
	Suite *s = suite_create("intel");
	TCase *tc = tcase_create("intel");

	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_loop_test(tc, parse_good, 0,
	    (int)(sizeof(good_cidr) / sizeof(good_cidr[0])));
	tcase_add_loop_test(tc, parse_bad, 0,
	    (int)(sizeof(bad_cidr) / sizeof(bad_cidr[0])));
	tcase_add_test(tc, lpm_v4);
	tcase_add_test(tc, lpm_v6);
	tcase_add_test(tc, lpm_empty_and_unfinalized);
	tcase_add_test(tc, duplicates_keep_first);
	tcase_add_test(tc, plain_details);
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
	suite_add_tcase(s, tc);
	return s;
}
