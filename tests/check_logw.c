/*
 * check_logw.c - whole lines, append, reopen after move-and-create
 * rotation and after removal.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	suite_add_tcase(s, tc);
	return s;
}
