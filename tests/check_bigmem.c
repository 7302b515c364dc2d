/*
 * check_bigmem.c - unit tests for the big zeroed arrays (src/bigmem.c):
 * zeroed and writable end to end, a big one on a huge-page boundary (not
 * under AddressSanitizer, which keeps calloc()), a size that overflows
 * refused, NULL freed as nothing.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "bigmem.h"
#include "config.h"

Suite *bigmem_suite(void);

static void
check_array(size_t n, size_t size)
{
	uint8_t *p = big_calloc(n, size);
	size_t i, len = n * size;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < len; i += 4093)
		ck_assert_uint_eq(p[i], 0);
	ck_assert_uint_eq(p[len - 1], 0);
	memset(p, 0xa5, len);
	ck_assert_uint_eq(p[len - 1], 0xa5);
	big_free(p, n, size);
}

START_TEST(test_small_and_big)
{
	check_array(1, 1);
	check_array(1000, 272);
	check_array(SW_HUGE_MIN / 272 + 1, 272);
	check_array((SW_HUGE_MIN + 3 * SW_HUGE_PAGE / 2) / 8 + 5, 8);
}
END_TEST

START_TEST(test_big_is_aligned)
{
#ifndef SW_BIGMEM_CALLOC
	size_t n = SW_HUGE_MIN / 64 + 3;
	void *p = big_calloc(n, 64);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p % SW_HUGE_PAGE, 0);
	big_free(p, n, 64);
#endif
}
END_TEST

START_TEST(test_overflow_and_null)
{
	ck_assert_ptr_null(big_calloc(SIZE_MAX / 2, 3));
	ck_assert_ptr_null(big_calloc(SIZE_MAX, SIZE_MAX));
	big_free(NULL, 10, 10);
}
END_TEST

Suite *
bigmem_suite(void)
{
	Suite *s = suite_create("bigmem");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_small_and_big);
	tcase_add_test(tc, test_big_is_aligned);
	tcase_add_test(tc, test_overflow_and_null);
	suite_add_tcase(s, tc);
	return s;
}
