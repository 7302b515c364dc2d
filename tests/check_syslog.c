/*
 * check_syslog.c - the RFC 5424 message of a notice in RFC 6587
 * octet-counted framing: its length prefix counts the message exactly,
 * the priority is facility local0 with the notice's severity mapped, the
 * time is RFC 3339 UTC with microseconds, the MSGID the note's name; a
 * message that does not fit is refused whole.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "syslog_out.h"

Suite *syslog_suite(void);

START_TEST(test_format)
{
	const char *line = "{\"note\":\"Spyware::C2_Traffic\"}";
	char out[512], *sp;
	size_t n;

	n = syslog_format(out, sizeof(out), "shelter-1", "Spyware::C2_Traffic",
	    12, 1710234059183661LL, line, strlen(line));
	ck_assert_uint_gt(n, 0);
	out[n] = '\0';
	sp = strchr(out, ' ');
	ck_assert_ptr_nonnull(sp);
	/* the prefix counts every byte after the space */
	ck_assert_uint_eq(strtoul(out, NULL, 10), n - (size_t)(sp + 1 - out));
	/* local0 (16) * 8 + crit (2) */
	ck_assert(strncmp(sp + 1,
		      "<130>1 2024-03-12T09:00:59.183661Z "
		      "shelter-1 stalkerwatch ",
		      57) == 0);
	ck_assert_ptr_nonnull(strstr(out, " C2_Traffic - {\"note\""));
	ck_assert(n >= strlen(line) &&
	    memcmp(out + n - strlen(line), line, strlen(line)) == 0);
}
END_TEST

START_TEST(test_severities)
{
	char out[512];
	size_t n;

	n = syslog_format(out, sizeof(out), "h", "Spyware::Survivor_Risk", 15,
	    0, "{}", 2);
	out[n] = '\0';
	ck_assert_ptr_nonnull(strstr(out, " <129>1 ")); /* alert */
	n = syslog_format(out, sizeof(out), "h", "Spyware::Vendor_Website", 3,
	    0, "{}", 2);
	out[n] = '\0';
	ck_assert_ptr_nonnull(strstr(out, " <134>1 ")); /* info */
	/* a stamp before 1970 (kept down to 1901): floored, a positive
	 * fraction, never ".-500000" */
	n = syslog_format(out, sizeof(out), "h", "Spyware::C2_Traffic", 12,
	    -1500000, "{}", 2);
	out[n] = '\0';
	ck_assert_ptr_nonnull(strstr(out, " 1969-12-31T23:59:58.500000Z "));
}
END_TEST

START_TEST(test_too_long)
{
	char out[64];

	ck_assert_uint_eq(
	    syslog_format(out, sizeof(out), "h", "Spyware::C2_Traffic", 12, 0,
		"{\"a\":\"0123456789012345678901234567890123456789\"}", 47),
	    0);
}
END_TEST

/* A bad address is an error naming it; a sender to nowhere starts and
 * stops, counting what it could not send. */
START_TEST(test_new_and_drop)
{
	char err[256];
	struct syslog_out *s;
	struct syslog_stats st;

	ck_assert_ptr_null(syslog_out_new("collector.example:514", "h", err));
	ck_assert_ptr_nonnull(strstr(err, "numeric"));
	ck_assert_ptr_null(syslog_out_new("127.0.0.1", "h", err));
	ck_assert_ptr_null(syslog_out_new("127.0.0.1:", "h", err));
	s = syslog_out_new("127.0.0.1:9", "h", err);
	ck_assert_ptr_nonnull(s);
	syslog_out_notice(s, "Spyware::C2_Traffic", 12, 0, "{}", 2);
	syslog_out_stop(s);
	syslog_out_stats(s, &st);
	ck_assert_uint_eq(st.queued, 1);
	ck_assert_uint_eq(st.sent + st.dropped, 1);
	syslog_out_free(s);
}
END_TEST

Suite *
syslog_suite(void)
{
	Suite *s = suite_create("syslog");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_severities);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_new_and_drop);
	suite_add_tcase(s, tc);
	return s;
}
