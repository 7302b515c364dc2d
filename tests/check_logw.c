/*
 * check_logw.c - whole lines, append, reopen after move-and-create
 * rotation and after removal.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "logw.h"

Suite *logw_suite(void);

static size_t
file_text(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return 0;
	n = fread(buf, 1, cap - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return n;
}

START_TEST(test_append_and_rotate)
{
	char dir[] = "/tmp/sw-logw-XXXXXX", err[SW_ERRLEN];
	char path[300], moved[300];
	char text[256];
	struct logw *w;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notice.log", dir);
	snprintf(moved, sizeof(moved), "%s/notice.log.1", dir);
	w = logw_open(dir, "notice.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	ck_assert_int_eq(logw_write(w, "{\"a\":1}", 7), 0);
	ck_assert_int_eq(logw_check_rotation(w), 0);
	/* logrotate's default: rename, then the writer makes a new file */
	ck_assert_int_eq(rename(path, moved), 0);
	ck_assert_int_eq(logw_check_rotation(w), 1);
	ck_assert_int_eq(logw_write(w, "{\"b\":2}", 7), 0);
	file_text(moved, text, sizeof(text));
	ck_assert_str_eq(text, "{\"a\":1}\n");
	file_text(path, text, sizeof(text));
	ck_assert_str_eq(text, "{\"b\":2}\n");
	/* removed outright */
	unlink(path);
	ck_assert_int_eq(logw_check_rotation(w), 1);
	ck_assert_int_eq(logw_write(w, "{\"c\":3}", 7), 0);
	file_text(path, text, sizeof(text));
	ck_assert_str_eq(text, "{\"c\":3}\n");
	logw_close(w);
	unlink(path);
	unlink(moved);
	rmdir(dir);
}
END_TEST

/*
 * A buffered log on a disk that fills (RLIMIT_FSIZE stands in): the
 * batch that fails part way counts only the lines not written whole as
 * lost, and once there is room again the next line starts on a line of
 * its own instead of merging into the torn one.
 */
START_TEST(test_buffered_disk_full)
{
	char dir[] = "/tmp/sw-logw-XXXXXX", err[SW_ERRLEN], path[300];
	char line[64], *text;
	struct rlimit rl, small;
	struct logw *w;
	size_t n, i, whole = 0, start;
	int k, written = 0, failed = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/conn.log", dir);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	w = logw_open(dir, "conn.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(logw_set_buffer(w, 1000), 0);
	/* a file of at most 1500 bytes: the second batch is cut */
	small = rl;
	small.rlim_cur = 1500;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	for (k = 0; k < 100; k++) {
		snprintf(line, sizeof(line),
		    "{\"n\":%04d,\"pad\":\"xxxxxxxx\"}", k);
		if (logw_write(w, line, strlen(line)) != 0)
			failed++;
		written++;
	}
	(void)logw_flush(w);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(logw_write(w, "{\"after\":1}", 11), 0);
	ck_assert_int_eq(logw_flush(w), 0);
	ck_assert_int_eq(failed, 0); /* buffered: failures come at flush */
	text = malloc(1 << 16);
	ck_assert_ptr_nonnull(text);
	n = file_text(path, text, 1 << 16);
	ck_assert_uint_gt(n, 1000);
	/* every line but the torn one is whole JSON, and each whole line
	 * that made it is not counted lost */
	for (i = 0, start = 0; i < n; i++) {
		if (text[i] != '\n')
			continue;
		ck_assert_uint_gt(i, start); /* no empty line */
		if (text[start] == '{' && text[i - 1] == '}')
			whole++;
		start = i + 1;
	}
	ck_assert_int_eq(text[n - 1], '\n');
	ck_assert_ptr_nonnull(strstr(text, "\n{\"after\":1}\n"));
	ck_assert_uint_eq(logw_lost(w), (uint64_t)written + 1 - whole);
	logw_close(w);
	free(text);
	unlink(path);
	rmdir(dir);
	signal(SIGXFSZ, SIG_DFL);
}
END_TEST

START_TEST(test_open_errors)
{
	char err[SW_ERRLEN];

	ck_assert_ptr_null(logw_open("/nonexistent-dir-sw", "notice.log", err,
	    sizeof(err)));
	ck_assert(strstr(err, "/nonexistent-dir-sw/notice.log") != NULL);
	ck_assert(strstr(err, "cannot open") != NULL);
}
END_TEST

Suite *
logw_suite(void)
{
	Suite *s = suite_create("logw");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_append_and_rotate);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_buffered_disk_full);
	suite_add_tcase(s, tc);
	return s;
}
