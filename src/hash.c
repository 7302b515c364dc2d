/*
 * hash.c - SipHash-1-3 and splitmix64 (see hash.h for why).
 *
 * Little-endian word order, as the reference implementation; words are
 * loaded with memcpy, so the input needs no alignment.
 */
#include "hash.h"

#include <endian.h>
#include <string.h>

/* A little-endian 64-bit word from unaligned bytes (one load on x86). */
static inline uint64_t
load_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

/* one line per step of the round, as in the paper */
/* clang-format off */
#define SIPROUND							\
	do {								\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0;			\
		v0 = ROTL(v0, 32);					\
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2;			\
		v2 = ROTL(v2, 32);					\
	} while (0)
/* clang-format on */

/*
 * The message from bytes, or from words: w[i] is bytes 8i..8i+7 read as
 * a little-endian integer, its last one holding the len % 8 tail bytes
 * low (the rest zero).  A caller that builds its key in registers hands
 * the words over and spares the store of each byte and the load of each
 * word, which the CPU cannot forward from byte stores.
 */
static inline __attribute__((always_inline)) uint64_t
sip13(uint64_t k0, uint64_t k1, const uint8_t *in, const uint64_t *w,
    size_t len)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, j, whole = len & ~(size_t)7;

	for (i = 0; i < whole; i += 8) {
		m = in != NULL ? load_le64(in + i) : w[i / 8];
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	if (in != NULL) {
		for (j = 0; i + j < len; j++)
			b |= (uint64_t)in[i + j] << (8 * j);
	} else if (len > whole)
		b |= w[i / 8] & (((uint64_t)1 << (8 * (len - whole))) - 1);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
hash_siphash13(uint64_t k0, uint64_t k1, const void *in, size_t len)
{
	return sip13(k0, k1, in, NULL, len);
}

uint64_t
hash_siphash13_words(uint64_t k0, uint64_t k1, const uint64_t *w, size_t len)
{
	return sip13(k0, k1, NULL, w, len);
}

uint64_t
hash_splitmix64(uint64_t *s)
{
	uint64_t z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
