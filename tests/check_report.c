/*
 * check_report.c - the triage report: strings from the wire are escaped
 * (a DHCP host name or a server name crafted as markup stays text), the
 * page fetches nothing, the file is whole (written, then renamed), and a
 * write that cannot happen is an error naming the file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer.h"
#include "correlate.h"
#include "report.h"
#include "timeline.h"

Suite *report_suite(void);

START_TEST(test_escape)
{
	char out[64];

	report_escape(out, sizeof(out), "<img src=x onerror='a()'>&\"");
	ck_assert_str_eq(out,
	    "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;");
	/* a control byte becomes U+FFFD, never raw */
	report_escape(out, sizeof(out), "a\nb\x1b");
	ck_assert_str_eq(out,
	    "a\xef\xbf\xbd"
	    "b\xef\xbf\xbd");
	/* cut to fit, never inside an entity, always terminated */
	report_escape(out, 9, "ab<cd");
	ck_assert_str_eq(out, "ab&lt;cd");
	report_escape(out, 8, "ab<cd");
	ck_assert_str_eq(out, "ab&lt;c");
	report_escape(out, 6, "ab<cd");
	ck_assert_str_eq(out, "ab");
	report_escape(out, 1, "x");
	ck_assert_str_eq(out, "");
	report_escape(out, sizeof(out), NULL);
	ck_assert_str_eq(out, "");
}
END_TEST

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

START_TEST(test_hostile_names_stay_text)
{
	char err[SW_ERRLEN], dir[] = "/tmp/sw-report-XXXXXX", path[128];
	struct analyzer_counters ctr;
	struct correlate *c = correlate_new(0, 0, 1, err);
	struct timeline *tl = timeline_new(0, 1, err);
	const struct corr_device *d, *devs[1];
	struct report_input in;
	struct device_info dv;
	const char *unseen[1] = { "<b>cut</b>" };
	char *html;

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(tl);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&dv, 0, sizeof(dv));
	dv.addr[10] = dv.addr[11] = 0xff;
	dv.addr[12] = 192;
	dv.addr[13] = 168;
	dv.addr[15] = 23;
	dv.id = 1;
	dv.has_mac = 1;
	dv.mac[0] = 0x8c;
	snprintf(dv.hostname, sizeof(dv.hostname), "<script>alert(1)</script>");
	snprintf(dv.vendor, sizeof(dv.vendor), "<img src=http://x/>");
	ck_assert_ptr_null(correlate_add(c, &dv, CORR_DATA, "mSpy<i>",
	    "Spyware::C2_Traffic", "C1", "<a href=//evil>", 1000000));
	d = correlate_add(c, &dv, CORR_BEACON_C2, "mSpy<i>",
	    "Spyware::Suspicious_Beaconing", "C2", "api.thd.cc", 2000000);
	ck_assert_ptr_nonnull(d);
	timeline_contact(tl, 1, "<svg onload=x>", dv.addr, 7, 1500000);
	memset(&ctr, 0, sizeof(ctr));
	ctr.packets = 10;
	ctr.first_ts_us = 1000000;
	ctr.last_ts_us = 3000000;
	memset(&in, 0, sizeof(in));
	in.ctr = &ctr;
	in.unseen[0] = unseen[0];
	in.nunseen = 1;
	in.corr = c;
	devs[0] = d;
	in.devs = devs;
	in.ndevs = 1;
	in.now_us = 3000000;
	in.tl = tl;
	in.written = 1700000000;
	snprintf(path, sizeof(path), "%s/r.html", dir);
	ck_assert_int_eq(report_write(path, &in, err), 0);
	html = slurp(path);
	/* the wire's markup is text */
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_null(strstr(html, "<a "));
	ck_assert_ptr_null(strstr(html, "<svg onload"));
	ck_assert_ptr_null(strstr(html, "<b>cut"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)"));
	ck_assert_ptr_nonnull(strstr(html, "mSpy&lt;i&gt;"));
	/* nothing fetched: a policy forbids it, no source anywhere */
	ck_assert_ptr_nonnull(strstr(html, "default-src 'none'"));
	ck_assert_ptr_null(strstr(html, "src=\""));
	ck_assert_ptr_null(strstr(html, "<link"));
	ck_assert_ptr_null(strstr(html, "https://"));
	ck_assert_ptr_nonnull(strstr(html, "very likely"));
	ck_assert_ptr_nonnull(strstr(html, "</html>"));
	free(html);
	/* written whole: no temporary file is left */
	snprintf(path, sizeof(path), "%s/r.html.tmp", dir);
	ck_assert_int_ne(access(path, F_OK), 0);
	/* a directory that does not exist: an error naming the file */
	snprintf(path, sizeof(path), "%s/none/r.html", dir);
	ck_assert_int_eq(report_write(path, &in, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "none/r.html.tmp"));
	snprintf(path, sizeof(path), "%s/r.html", dir);
	unlink(path);
	rmdir(dir);
	timeline_free(tl);
	correlate_free(c);
}
END_TEST

/* The timeline counts a connection once, and keeps its latest points. */
START_TEST(test_timeline)
{
	char err[SW_ERRLEN];
	struct timeline *tl = timeline_new(4, 1, err);
	const struct timeline_dest *out[4];
	uint8_t srv[16] = { 0 };
	unsigned i;

	ck_assert_ptr_nonnull(tl);
	timeline_contact(tl, 1, "a.example", srv, 5, 10);
	timeline_contact(tl, 1, "a.example", srv, 5, 11); /* same conn */
	for (i = 0; i < SW_TIMELINE_POINTS + 3; i++)
		timeline_contact(tl, 1, "b.example", srv, 100 + i, 1000 + i);
	timeline_contact(tl, 2, "a.example", srv, 9, 20);
	ck_assert_uint_eq(timeline_of(tl, 1, out, 4), 2);
	ck_assert_str_eq(out[0]->dest, "b.example");
	ck_assert_uint_eq(out[0]->total, SW_TIMELINE_POINTS + 3);
	ck_assert_uint_eq(out[0]->n, SW_TIMELINE_POINTS);
	ck_assert_int_eq(timeline_point(out[0], 0), 1003);
	ck_assert_int_eq(timeline_point(out[0], SW_TIMELINE_POINTS - 1),
	    1000 + SW_TIMELINE_POINTS + 2);
	ck_assert_uint_eq(out[1]->total, 1);
	timeline_beacon(tl, 1, "c.example", srv, 300.0, 12, 50, 3600);
	ck_assert_uint_eq(timeline_of(tl, 1, out, 4), 3);
	ck_assert_uint_eq(timeline_of(tl, 3, out, 4), 0);
	/* the top by contacts, not the first met: c has 1 */
	ck_assert_uint_eq(timeline_of(tl, 1, out, 1), 1);
	ck_assert_str_eq(out[0]->dest, "b.example");
	/* parallel connections interleaving count once each */
	timeline_contact(tl, 1, "a.example", srv, 6, 12);
	timeline_contact(tl, 1, "a.example", srv, 7, 13);
	timeline_contact(tl, 1, "a.example", srv, 6, 14);
	timeline_contact(tl, 1, "a.example", srv, 7, 15);
	ck_assert_uint_eq(timeline_of(tl, 1, out, 4), 3);
	ck_assert_str_eq(out[1]->dest, "a.example");
	ck_assert_uint_eq(out[1]->total, 3);
	/* full: the least recently updated pair makes room */
	timeline_contact(tl, 4, "d.example", srv, 1, 30);
	ck_assert_uint_eq(timeline_evicted(tl), 1);
	timeline_free(tl);
}
END_TEST

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_hostile_names_stay_text);
	tcase_add_test(tc, test_timeline);
	suite_add_tcase(s, tc);
	return s;
}
