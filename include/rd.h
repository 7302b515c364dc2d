/*
 * rd.h - the one bounded reader for untrusted bytes.
 *
 * Every byte that comes off the wire (or out of a capture file) is read
 * through a struct rd cursor.  A read past the end never touches memory: it
 * returns 0 and sets the sticky `err` flag, so a decoder can read a whole
 * header and check `err` once (as tcpdump's GET_ macros and ND_TTEST do).
 * Never cast packet bytes to structs or read through wider pointers: the
 * buffer has no alignment guarantee and the bytes are big-endian on the wire.
 *
 * All functions are static inline: they sit on the per-packet path.
 */
#ifndef SW_RD_H
#define SW_RD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *base;
	size_t len;	/* bytes readable from base */
	size_t off;	/* next byte to read */
	int err;	/* sticky: set by any read past len */
};

static inline void
rd_init(struct rd *r, const uint8_t *base, size_t len)
{
	r->base = base;
	r->len = len;
	r->off = 0;
	r->err = 0;
}

/* Bytes left to read (0 once err is set). */
static inline size_t
rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

/* Nonzero when n more bytes can be read. */
static inline int
rd_has(const struct rd *r, size_t n)
{
	return !r->err && n <= r->len - r->off;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	if (!rd_has(r, 1)) {
		r->err = 1;
		return 0;
	}
	return r->base[r->off++];
}

static inline uint16_t
rd_be16(struct rd *r)
{
	const uint8_t *p;

	if (!rd_has(r, 2)) {
		r->err = 1;
		return 0;
	}
	p = r->base + r->off;
	r->off += 2;
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd_be32(struct rd *r)
{
	const uint8_t *p;

	if (!rd_has(r, 4)) {
		r->err = 1;
		return 0;
	}
	p = r->base + r->off;
	r->off += 4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Little-endian 32-bit read (BSD loopback headers are host order). */
static inline uint32_t
rd_le32(struct rd *r)
{
	const uint8_t *p;

	if (!rd_has(r, 4)) {
		r->err = 1;
		return 0;
	}
	p = r->base + r->off;
	r->off += 4;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

/* Copy n bytes into dst; on overrun dst is zeroed and err set. */
static inline void
rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (!rd_has(r, n)) {
		r->err = 1;
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, r->base + r->off, n);
	r->off += n;
}

/* Pointer to the next n bytes without copying, or NULL (err set). */
static inline const uint8_t *
rd_ptr(struct rd *r, size_t n)
{
	const uint8_t *p;

	if (!rd_has(r, n)) {
		r->err = 1;
		return NULL;
	}
	p = r->base + r->off;
	r->off += n;
	return p;
}

static inline void
rd_skip(struct rd *r, size_t n)
{
	if (!rd_has(r, n)) {
		r->err = 1;
		return;
	}
	r->off += n;
}

/*
 * A sub-reader over the next n bytes; the parent advances past them.  When
 * fewer than n bytes remain, the sub-reader is empty with err set and the
 * parent's err is set too.
 */
static inline struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd s;

	if (!rd_has(r, n)) {
		r->err = 1;
		rd_init(&s, NULL, 0);
		s.err = 1;
		return s;
	}
	rd_init(&s, r->base + r->off, n);
	r->off += n;
	return s;
}

#endif /* SW_RD_H */
