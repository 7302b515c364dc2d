/*
 * bigmem.h - zeroed arrays for the flow table's pools and buckets, on
 * transparent huge pages where the kernel gives them and the array is
 * big.
 *
 * A flow lookup lands on a random entry of a pool of tens of megabytes:
 * with 4 KiB pages nearly every one missed the TLB, and the page walk
 * held up the prefetch meant to hide the entry's miss (70 % of the
 * samples of flow_prefetch() sat on it).  2 MiB pages cover such a pool
 * with a few dozen TLB entries.  Memory is still touched only as
 * entries are first used, 2 MiB at a time (madvise(MADV_HUGEPAGE); the
 * kernel's "madvise" mode, Debian's default, honours it).  Arrays under
 * SW_HUGE_MIN bytes, and all under AddressSanitizer (so its checks
 * stay), come from calloc().
 */
#ifndef SW_BIGMEM_H
#define SW_BIGMEM_H

#include <stddef.h>

/* Defined where every array comes from calloc() (AddressSanitizer). */
#if defined(__SANITIZE_ADDRESS__)
#define SW_BIGMEM_CALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SW_BIGMEM_CALLOC 1
#endif
#endif

/* n zeroed elements of size bytes, or NULL (overflow, out of memory). */
void *big_calloc(size_t n, size_t size);
/* Free an array of big_calloc(n, size) (NULL: nothing). */
void big_free(void *p, size_t n, size_t size);

#endif /* SW_BIGMEM_H */
