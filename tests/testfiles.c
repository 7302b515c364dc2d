/*
 * testfiles.c - helpers of the indicator tests: a temporary directory per
 * test, files in it, and a collector of load messages (testfiles.h).
 */
#include "testfiles.h"

#include <check.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char testfiles_dir[256];

void
testfiles_setup(void)
{
	snprintf(testfiles_dir, sizeof(testfiles_dir),
	    "/tmp/check_intel.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(testfiles_dir));
}

void
testfiles_teardown(void)
{
	DIR *d;
	struct dirent *e;
	char p[512];

	if ((d = opendir(testfiles_dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", testfiles_dir, e->d_name);
		if (unlink(p) != 0)
			rmdir(p);
	}
	closedir(d);
	rmdir(testfiles_dir);
}

const char *
testfiles_put(const char *name, const char *data, long len)
{
	static char path[512];
	FILE *f;
	size_t n = len < 0 ? strlen(data) : (size_t)len;

	snprintf(path, sizeof(path), "%s/%s", testfiles_dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

void
testfiles_collect(void *ctx, const char *msg)
{
	struct testfiles_warns *w = ctx;

	if (w->n++ == 0)
		snprintf(w->first, sizeof(w->first), "%s", msg);
	snprintf(w->last, sizeof(w->last), "%s", msg);
}
