/*
 * check_logw.c - whole lines, append, reopen after move-and-create
 * rotation and after removal; a write that fails (a full disk, a removed
 * directory) leaves only whole lines and is told on stderr once; a path
 * that is not a regular file is refused without blocking.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
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

/*
 * Every line of text[0..n) is one JSON object, as a SIEM reads it, and
 * the text ends in a newline; returns the number of lines.
 */
static int
all_lines_parse(char *text, size_t n)
{
	size_t i, start = 0;
	cJSON *o;
	int lines = 0;

	for (i = 0; i < n; i++) {
		if (text[i] != '\n')
			continue;
		text[i] = '\0';
		o = cJSON_Parse(text + start);
		ck_assert_msg(cJSON_IsObject(o), "line %d: %s", lines + 1,
		    text + start);
		cJSON_Delete(o);
		text[i] = '\n';
		lines++;
		start = i + 1;
	}
	ck_assert_uint_eq(start, n); /* ends in a newline */
	return lines;
}

/* stderr into a file for the test's length; returns the saved stderr. */
static int
stderr_to(const char *path)
{
	int saved, fd;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	close(fd);
	return saved;
}

static void
stderr_back(int saved)
{
	fflush(stderr);
	ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
	close(saved);
}

static int
count_lines(const char *text)
{
	int n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
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
 * lost, leaves no part of a line in the file, and once there is room
 * again the next line starts on a line of its own.
 */
START_TEST(test_buffered_disk_full)
{
	char dir[] = "/tmp/sw-logw-XXXXXX", err[SW_ERRLEN], path[300];
	char epath[300], line[64], *text;
	struct rlimit rl, small;
	struct logw *w;
	size_t n, whole;
	int k, written = 0, failed = 0, saved;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/conn.log", dir);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	snprintf(epath, sizeof(epath), "%s/stderr", dir);
	w = logw_open(dir, "conn.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(logw_set_buffer(w, 1000), 0);
	saved = stderr_to(epath);
	/* a file of at most 1500 bytes: the second batch is cut */
	small = rl;
	small.rlim_cur = 1500;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	for (k = 0; k < 100; k++) {
		snprintf(line, sizeof(line), "{\"n\":%d,\"pad\":\"xxxxxxxx\"}",
		    k + 1000);
		if (logw_write(w, line, strlen(line)) != 0)
			failed++;
		written++;
	}
	(void)logw_flush(w);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(logw_write(w, "{\"after\":1}", 11), 0);
	ck_assert_int_eq(logw_flush(w), 0);
	stderr_back(saved);
	text = malloc(1 << 16);
	ck_assert_ptr_nonnull(text);
	file_text(epath, text, 1 << 16);
	ck_assert_int_eq(count_lines(text), 1);
	ck_assert_ptr_nonnull(strstr(text, "conn.log: write failed: "));
	ck_assert_int_eq(failed, 0); /* buffered: failures come at flush */
	n = file_text(path, text, 1 << 16);
	ck_assert_uint_gt(n, 1000);
	/* every line is whole (the part of the batch that went out past
	 * the last whole line was cut off again), and each whole line that
	 * made it is not counted lost */
	whole = (size_t)all_lines_parse(text, n);
	ck_assert_ptr_nonnull(strstr(text, "\n{\"after\":1}\n"));
	ck_assert_uint_eq(logw_lost(w), (uint64_t)written + 1 - whole);
	logw_close(w);
	free(text);
	unlink(path);
	unlink(epath);
	rmdir(dir);
	signal(SIGXFSZ, SIG_DFL);
}
END_TEST

/*
 * 60 lines of 34 bytes through w with files limited to 1000 bytes (a disk
 * that fills part way through a line; SIGXFSZ ignored by the caller),
 * then the limit of *rl back; returns the writes that failed.
 */
static int
write_past_limit(struct logw *w, const struct rlimit *rl)
{
	struct rlimit small = *rl;
	char line[64];
	int k, failed = 0;

	small.rlim_cur = 1000;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	for (k = 0; k < 60; k++) {
		snprintf(line, sizeof(line),
		    "{\"n\":%d,\"pad\":\"xxxxxxxxxxxx\"}", k + 1000);
		if (logw_write(w, line, strlen(line)) != 0)
			failed++;
	}
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, rl), 0);
	return failed;
}

/*
 * notice.log on a disk that fills (RLIMIT_FSIZE: the write that crosses
 * the limit is cut short, the next ones fail): the short line is cut off
 * again, so the file holds only whole lines; each lost line is counted;
 * stderr has one line for the cause, naming the file, not one a line;
 * the first line written once there is room is whole and says nothing
 * (the disk may only have taken a short line); after SW_LOG_CLEAR_S
 * without a loss, one line says the log writes again.
 */
START_TEST(test_disk_full_told_once)
{
	char dir[] = "/tmp/sw-logw-XXXXXX", err[SW_ERRLEN], path[300];
	char epath[300], text[8192], want[400];
	struct rlimit rl;
	struct logw *w;
	int failed, saved;
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notice.log", dir);
	snprintf(epath, sizeof(epath), "%s/stderr", dir);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	w = logw_open(dir, "notice.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	saved = stderr_to(epath);
	failed = write_past_limit(w, &rl);
	ck_assert_int_eq(logw_write(w, "{\"after\":1}", 11), 0);
	ck_assert_int_gt(failed, 0);
	ck_assert_uint_eq(logw_lost(w), (uint64_t)failed);
	file_text(epath, text, sizeof(text));
	snprintf(want, sizeof(want),
	    "stalkerwatch: %s: write failed: %s "
	    "(notices are being lost)\n",
	    path, strerror(EFBIG));
	ck_assert_str_eq(text, want);
	/* once no line was lost for a while: said once */
	sleep(SW_LOG_CLEAR_S + 1);
	ck_assert_int_eq(logw_write(w, "{\"later\":1}", 11), 0);
	ck_assert_int_eq(logw_write(w, "{\"later\":2}", 11), 0);
	stderr_back(saved);
	file_text(epath, text, sizeof(text));
	ck_assert_int_eq(count_lines(text), 2);
	snprintf(want, sizeof(want),
	    "stalkerwatch: %s: writes succeed "
	    "again (%d notices lost)\n",
	    path, failed);
	ck_assert_ptr_nonnull(strstr(text, want));
	n = file_text(path, text, sizeof(text));
	ck_assert_int_eq(all_lines_parse(text, n) + failed, 60 + 3);
	logw_close(w);
	unlink(path);
	unlink(epath);
	rmdir(dir);
	signal(SIGXFSZ, SIG_DFL);
}
END_TEST

/*
 * Standard output redirected by a shell (">": no O_APPEND) and a full
 * disk: the part of a line that got out is cut off and the offset goes
 * back with it, so the next line follows the last whole one, with no
 * hole of NUL bytes.
 */
START_TEST(test_stdout_untear)
{
	char dir[] = "/tmp/sw-logw-XXXXXX", err[SW_ERRLEN], path[300];
	char epath[300], text[8192];
	struct rlimit rl;
	struct logw *w;
	int fd, out, saved, failed;
	size_t n, i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	snprintf(epath, sizeof(epath), "%s/stderr", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	out = dup(STDOUT_FILENO);
	ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
	close(fd);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	w = logw_open("-", "notice.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	saved = stderr_to(epath);
	failed = write_past_limit(w, &rl);
	ck_assert_int_eq(logw_write(w, "{\"after\":1}", 11), 0);
	stderr_back(saved);
	logw_close(w);
	ck_assert_int_ge(dup2(out, STDOUT_FILENO), 0);
	close(out);
	ck_assert_int_gt(failed, 0);
	n = file_text(path, text, sizeof(text));
	for (i = 0; i < n; i++)
		ck_assert_msg(text[i] != '\0', "a NUL byte at %zu", i);
	ck_assert_int_eq(all_lines_parse(text, n) + failed, 60 + 1);
	unlink(path);
	unlink(epath);
	rmdir(dir);
	signal(SIGXFSZ, SIG_DFL);
}
END_TEST

/*
 * The log directory removed under a running sensor: the reopen fails,
 * each line is lost and counted, the cause is told once; when the
 * directory is back, so is the log.
 */
START_TEST(test_removed_dir)
{
	char dir[] = "/tmp/sw-logw-XXXXXX", err[SW_ERRLEN], path[300];
	char epath[] = "/tmp/sw-logw-err-XXXXXX", text[1024], want[400];
	struct logw *w;
	int saved, efd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(efd = mkstemp(epath), 0);
	close(efd);
	snprintf(path, sizeof(path), "%s/conn.log", dir);
	w = logw_open(dir, "conn.log", err, sizeof(err));
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	saved = stderr_to(epath);
	ck_assert_int_eq(logw_check_rotation(w), -1);
	ck_assert_int_eq(logw_write(w, "{\"a\":1}", 7), -1);
	ck_assert_int_eq(logw_check_rotation(w), -1);
	ck_assert_int_eq(logw_write(w, "{\"b\":2}", 7), -1);
	stderr_back(saved);
	ck_assert_uint_eq(logw_lost(w), 2);
	file_text(epath, text, sizeof(text));
	snprintf(want, sizeof(want),
	    "stalkerwatch: %s: cannot open for "
	    "writing: %s (records are being lost)\n",
	    path, strerror(ENOENT));
	ck_assert_str_eq(text, want);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(logw_check_rotation(w), 1);
	ck_assert_int_eq(logw_write(w, "{\"c\":3}", 7), 0);
	file_text(path, text, sizeof(text));
	ck_assert_str_eq(text, "{\"c\":3}\n");
	logw_close(w);
	unlink(path);
	unlink(epath);
	rmdir(dir);
}
END_TEST

/*
 * A FIFO under the log's name, with or without a reader, or a device:
 * refused at once, with the reason (a blocking open would hang here until
 * the test's timeout).
 */
START_TEST(test_not_regular)
{
	char dir[] = "/tmp/sw-logw-XXXXXX", err[SW_ERRLEN], path[300];
	int rfd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notice.log", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_null(logw_open(dir, "notice.log", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rfd, 0);
	err[0] = '\0';
	ck_assert_ptr_null(logw_open(dir, "notice.log", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	close(rfd);
	unlink(path);
	ck_assert_int_eq(symlink("/dev/null", path), 0);
	ck_assert_ptr_null(logw_open(dir, "notice.log", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	unlink(path);
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
	tcase_add_test(tc, test_buffered_disk_full);
	tcase_add_test(tc, test_disk_full_told_once);
	tcase_add_test(tc, test_stdout_untear);
	tcase_add_test(tc, test_removed_dir);
	tcase_add_test(tc, test_not_regular);
	/* the disk-full test waits SW_LOG_CLEAR_S */
	tcase_set_timeout(tc, SW_LOG_CLEAR_S + 20);
	suite_add_tcase(s, tc);
	return s;
}
