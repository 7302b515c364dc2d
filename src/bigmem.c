/*
 * bigmem.c - zeroed big arrays on transparent huge pages (bigmem.h).
 *
 * An array of SW_HUGE_MIN bytes or more: an anonymous mapping, its start
 * and length on SW_HUGE_PAGE boundaries, advised MADV_HUGEPAGE; a smaller
 * one (and any under AddressSanitizer): calloc().  The caller gives the
 * same n and size back to big_free().
 */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "config.h"

static size_t
map_len(size_t n, size_t size)
{
	size_t len;

	if (size != 0 && n > SIZE_MAX / size)
		return 0;
	len = n * size;
	if (len == 0 || len > SIZE_MAX - SW_HUGE_PAGE)
		return 0;
	return (len + SW_HUGE_PAGE - 1) & ~(size_t)(SW_HUGE_PAGE - 1);
}

/* Whether an array of n * size bytes is one for huge pages: a small
 * one would make its first touch cost a whole huge page. */
static int
is_big(size_t n, size_t size)
{
#ifdef SW_BIGMEM_CALLOC
	(void)n;
	(void)size;
	return 0;
#else
	return size != 0 && n <= SIZE_MAX / size && n * size >= SW_HUGE_MIN;
#endif
}

void *
big_calloc(size_t n, size_t size)
{
	size_t len = map_len(n, size), head;
	uint8_t *p, *a;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL; /* refused here: a sanitizer's calloc aborts */
	if (!is_big(n, size))
		return calloc(n, size);
	if (len == 0)
		return NULL;
	/* a huge page must start on a huge-page boundary: map one more,
	 * keep the aligned part */
	p = mmap(NULL, len + SW_HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (uint8_t *)(((uintptr_t)p + SW_HUGE_PAGE - 1) &
	    ~(uintptr_t)(SW_HUGE_PAGE - 1));
	head = (size_t)(a - p);
	if (head > 0)
		(void)munmap(p, head);
	(void)munmap(a + len, SW_HUGE_PAGE - head);
	p = a;
#ifdef MADV_HUGEPAGE
	/* advice only: without huge pages the array still works */
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

void
big_free(void *p, size_t n, size_t size)
{
	if (p == NULL)
		return;
	if (!is_big(n, size))
		free(p);
	else
		(void)munmap(p, map_len(n, size));
}
