/*
 * check_strtab.c - tests of the interned server names: one handle per
 * string, references, the cap, reuse of freed slots, refusals.
 */
#include <check.h>

#include <stdio.h>
#include <string.h>

#include "strtab.h"

Suite *strtab_suite(void);

START_TEST(intern_share_release)
{
	char err[SW_ERRLEN];
	struct strtab *t = strtab_new(4, 1, err);
	uint32_t a, b, c;

	ck_assert_ptr_nonnull(t);
	a = strtab_intern(t, "a.thd.cc", 8);
	b = strtab_intern(t, "a.thd.cc", 8);
	c = strtab_intern(t, "b.thd.cc", 8);
	ck_assert_uint_ne(a, 0);
	ck_assert_uint_eq(a, b);
	ck_assert_uint_ne(a, c);
	ck_assert_str_eq(strtab_get(t, a), "a.thd.cc");
	ck_assert_uint_eq(strtab_get_stats(t)->entries, 2);
	/* the string stays while a reference does */
	strtab_release(t, a);
	ck_assert_str_eq(strtab_get(t, b), "a.thd.cc");
	strtab_release(t, b);
	ck_assert_str_eq(strtab_get(t, a), "");
	ck_assert_uint_eq(strtab_get_stats(t)->entries, 1);
	ck_assert_uint_eq(strtab_get_stats(t)->entries_max, 2);
	strtab_release(t, 0);		/* ignored */
	strtab_release(t, a);		/* already gone: ignored */
	ck_assert_str_eq(strtab_get(t, c), "b.thd.cc");
	ck_assert_str_eq(strtab_get(t, 0), "");
	strtab_free(t);
}
END_TEST

START_TEST(cap_and_reuse)
{
	char err[SW_ERRLEN], name[32];
	struct strtab *t = strtab_new(3, 7, err);
	uint32_t id[3], x;
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "n%d.example", i);
		id[i] = strtab_intern(t, name, strlen(name));
		ck_assert_uint_ne(id[i], 0);
	}
	/* full: a new string is refused and counted, a held one is not */
	ck_assert_uint_eq(strtab_intern(t, "new.example", 11), 0);
	ck_assert_uint_eq(strtab_get_stats(t)->refused, 1);
	ck_assert_uint_eq(strtab_intern(t, "n1.example", 10), id[1]);
	strtab_release(t, id[1]);
	strtab_release(t, id[1]);
	/* a freed slot is reused, and the other strings are still found */
	x = strtab_intern(t, "new.example", 11);
	ck_assert_uint_eq(x, id[1]);
	ck_assert_str_eq(strtab_get(t, x), "new.example");
	ck_assert_uint_eq(strtab_intern(t, "n0.example", 10), id[0]);
	ck_assert_uint_eq(strtab_intern(t, "n2.example", 10), id[2]);
	ck_assert_uint_eq(strtab_intern(t, "n1.example", 10), 0);
	strtab_free(t);
}
END_TEST

START_TEST(refusals)
{
	char err[SW_ERRLEN], big[300];
	struct strtab *t = strtab_new(0, 3, err);

	ck_assert_ptr_nonnull(t);
	memset(big, 'a', sizeof(big));
	ck_assert_uint_eq(strtab_intern(t, "", 0), 0);
	ck_assert_uint_eq(strtab_intern(t, big, STRTAB_MAX_LEN + 1), 0);
	ck_assert_uint_ne(strtab_intern(t, big, STRTAB_MAX_LEN), 0);
	ck_assert_uint_eq(strlen(strtab_get(t, 1)), STRTAB_MAX_LEN);
	/* many strings in few buckets: chains keep every one apart */
	strtab_free(t);
	ck_assert_ptr_null(strtab_new(1u << 27, 3, err));
	ck_assert_ptr_nonnull(strstr(err, "too many"));
	strtab_free(NULL);
}
END_TEST

START_TEST(many_release_all)
{
	char err[SW_ERRLEN], name[32];
	struct strtab *t = strtab_new(1000, 5, err);
	uint32_t id[1000];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "h%d.cdn.example", i);
		id[i] = strtab_intern(t, name, strlen(name));
		ck_assert_uint_ne(id[i], 0);
	}
	for (i = 0; i < 1000; i += 2)
		strtab_release(t, id[i]);
	ck_assert_uint_eq(strtab_get_stats(t)->entries, 500);
	for (i = 1; i < 1000; i += 2) {
		snprintf(name, sizeof(name), "h%d.cdn.example", i);
		ck_assert_str_eq(strtab_get(t, id[i]), name);
		ck_assert_uint_eq(strtab_intern(t, name, strlen(name)), id[i]);
	}
	strtab_free(t);
}
END_TEST

Suite *
strtab_suite(void)
{
	Suite *s = suite_create("strtab");
	TCase *tc = tcase_create("strtab");

	tcase_add_test(tc, intern_share_release);
	tcase_add_test(tc, cap_and_reuse);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, many_release_all);
	suite_add_tcase(s, tc);
	return s;
}
