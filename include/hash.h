/*
 * hash.h - the keyed hash every table uses to choose buckets, and the
 * seed expander that turns one seed into keys.
 *
 * Bucket choice must not be predictable from the traffic, or an attacker
 * could aim packets (or DNS answers) at one bucket and turn O(1) lookups
 * into list walks (p0f and the kernel do the same).  SipHash-1-3
 * (Aumasson & Bernstein; the reduced-round variant Rust and Python use
 * for their tables) keyed from getrandom() gives that; 1-3 instead of 2-4
 * halves the cost on the per-packet path (about 8% of analyzer time at
 * 2-4, measured with perf on make bench).
 */
#ifndef SW_HASH_H
#define SW_HASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-1-3 of in[0..len) under the 128-bit key (k0, k1). */
uint64_t hash_siphash13(uint64_t k0, uint64_t k1, const void *in, size_t len);
/* The same of a message given as little-endian words: w[i] holds bytes
 * 8i..8i+7, the last word the len % 8 tail bytes low.  Equal to
 * hash_siphash13() of those bytes. */
uint64_t hash_siphash13_words(uint64_t k0, uint64_t k1, const uint64_t *w,
    size_t len);

/* splitmix64: the next value of a 64-bit generator; expands one seed
 * into keys, and gives Zeek-like uids their random bits. */
uint64_t hash_splitmix64(uint64_t *state);

#endif /* SW_HASH_H */
