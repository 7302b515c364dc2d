/*
 * testfiles.h - helpers of the indicator tests (check_intel.c,
 * check_intel_readers.c): a fresh mkdtemp() directory per test, files
 * written into it, and a collector of "file:line: reason" messages.
 */
#ifndef SW_TESTFILES_H
#define SW_TESTFILES_H

/* The current test's directory, set by testfiles_setup(). */
extern char testfiles_dir[256];

/* check fixtures: make the directory; remove it and what it holds. */
void testfiles_setup(void);
void testfiles_teardown(void);

/*
 * Write len bytes of data (strlen when len is -1) to testfiles_dir/name;
 * fails the test on error.  Returns the path, in a static buffer that the
 * next call reuses.
 */
const char *testfiles_put(const char *name, const char *data, long len);

/* What an intel load reported: the count, the first and the last. */
struct testfiles_warns {
	int n;
	char first[640];
	char last[640];
};

/* An intel_load_opts.warn callback; ctx is a struct testfiles_warns. */
void testfiles_collect(void *ctx, const char *msg);

#endif /* SW_TESTFILES_H */
