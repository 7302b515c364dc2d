/*
 * reasm.c - bounded reassembly of the first bytes of a TCP stream.
 *
 * Central data structure: an array of struct reasm_slot, each with a base
 * sequence number, a sorted list of at most SW_REASM_MAX_RANGES disjoint,
 * non-adjacent byte ranges [lo, hi) received, and a pointer into one big
 * buffer of slots * slot_bytes bytes.  Free slots are chained through
 * `next_free` (a LIFO stack of ids), so open and release are O(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"

struct reasm_range {
	uint32_t lo, hi;	/* byte offsets from base, lo < hi */
};

struct reasm_slot {
	uint32_t base;
	uint16_t next_free;	/* free list link, 0 = end */
	uint8_t used;
	uint8_t nranges;
	struct reasm_range rg[SW_REASM_MAX_RANGES];
	uint8_t *buf;
};

struct reasm {
	uint32_t nslots;
	uint32_t slot_bytes;
	uint16_t free_head;	/* first free id, 0 = none */
	struct reasm_slot *slots;	/* [0] unused: id 0 means none */
	uint8_t *mem;
	struct reasm_stats st;
};

struct reasm *
reasm_new(uint32_t slots, uint32_t slot_bytes, char *errbuf)
{
	struct reasm *r;
	uint32_t i;

	if (slots == 0)
		slots = SW_REASM_SLOTS;
	if (slot_bytes == 0)
		slot_bytes = SW_REASM_SLOT_BYTES;
	if (slots > REASM_MAX_SLOTS || slot_bytes > REASM_MAX_BYTES) {
		snprintf(errbuf, SW_ERRLEN,
		    "reassembly pool: %u slots of %u bytes exceeds %u slots "
		    "of %u bytes",
		    slots, slot_bytes, REASM_MAX_SLOTS, REASM_MAX_BYTES);
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto nomem;
	r->nslots = slots;
	r->slot_bytes = slot_bytes;
	/* slots + 1 <= 65536 and slot_bytes <= 2^20: no overflow in size_t
	 * of at least 64 bits; checked anyway for 32-bit size_t */
	if ((size_t)slots > SIZE_MAX / slot_bytes)
		goto nomem;
	r->slots = calloc((size_t)slots + 1, sizeof(*r->slots));
	/* malloc, not calloc: only the pages a slot really uses get touched */
	r->mem = malloc((size_t)slots * slot_bytes);
	if (r->slots == NULL || r->mem == NULL)
		goto nomem;
	/* free stack in id order: 1 on top */
	for (i = slots; i >= 1; i--) {
		r->slots[i].buf = r->mem + (size_t)(i - 1) * slot_bytes;
		r->slots[i].next_free = r->free_head;
		r->free_head = (uint16_t)i;
	}
	return r;
nomem:
	snprintf(errbuf, SW_ERRLEN,
	    "reassembly pool: out of memory for %u slots of %u bytes", slots,
	    slot_bytes);
	reasm_free(r);
	return NULL;
}

void
reasm_free(struct reasm *r)
{
	if (r == NULL)
		return;
	free(r->mem);
	free(r->slots);
	free(r);
}

uint16_t
reasm_open(struct reasm *r, uint32_t base)
{
	struct reasm_slot *s;
	uint16_t id;

	if ((id = r->free_head) == 0) {
		r->st.exhausted++;
		return 0;
	}
	s = &r->slots[id];
	r->free_head = s->next_free;
	s->next_free = 0;
	s->used = 1;
	s->base = base;
	s->nranges = 0;
	r->st.opened++;
	if (++r->st.in_use > r->st.in_use_max)
		r->st.in_use_max = r->st.in_use;
	return id;
}

static struct reasm_slot *
reasm_slot(const struct reasm *r, uint16_t id)
{
	if (id == 0 || id > r->nslots || !r->slots[id].used)
		return NULL;
	return &r->slots[id];
}

/*
 * Merge [lo, hi) into the slot's range list, copying only the bytes not
 * yet held (first copy wins, as most TCP stacks and Zeek's default
 * reassembler keep the original bytes).  Returns new bytes stored, or
 * (size_t)-1 when the list would overflow.
 */
static size_t
reasm_merge(struct reasm_slot *s, uint32_t lo, uint32_t hi,
    const uint8_t *src)
{
	struct reasm_range nr[SW_REASM_MAX_RANGES + 1];
	uint32_t cur, a, b;
	size_t added = 0;
	unsigned i, n = 0;
	int placed = 0;

	/* bytes in [lo, hi) not covered by any range: copy them */
	cur = lo;
	for (i = 0; i < s->nranges && cur < hi; i++) {
		if (s->rg[i].hi <= cur)
			continue;
		if (s->rg[i].lo >= hi)
			break;
		if (s->rg[i].lo > cur) {
			a = cur;
			b = s->rg[i].lo;
			memcpy(s->buf + a, src + (a - lo), b - a);
			added += b - a;
		}
		cur = s->rg[i].hi;
	}
	if (cur < hi) {
		memcpy(s->buf + cur, src + (cur - lo), hi - cur);
		added += hi - cur;
	}
	if (added == 0)
		return 0;

	/* rebuild the list: ranges touching [lo, hi) fold into it */
	for (i = 0; i < s->nranges; i++) {
		if (s->rg[i].hi < lo) {
			nr[n++] = s->rg[i];
		} else if (s->rg[i].lo > hi) {
			if (!placed) {
				nr[n].lo = lo;
				nr[n++].hi = hi;
				placed = 1;
			}
			nr[n++] = s->rg[i];
		} else {
			if (s->rg[i].lo < lo)
				lo = s->rg[i].lo;
			if (s->rg[i].hi > hi)
				hi = s->rg[i].hi;
		}
	}
	if (!placed) {
		nr[n].lo = lo;
		nr[n++].hi = hi;
	}
	if (n > SW_REASM_MAX_RANGES)
		return (size_t)-1;
	memcpy(s->rg, nr, n * sizeof(nr[0]));
	s->nranges = (uint8_t)n;
	return added;
}

size_t
reasm_add(struct reasm *r, uint16_t id, uint32_t seq, const uint8_t *data,
    size_t len)
{
	struct reasm_slot *s;
	uint32_t off, lo, hi, skip;
	size_t got;

	if ((s = reasm_slot(r, id)) == NULL || len == 0)
		return 0;
	/* modulo 2^32: wrap-around needs nothing more */
	off = seq - s->base;
	if (off >= 0x80000000u) {
		/* starts before base: keep the part from base on, if any */
		skip = (uint32_t)(0u - off);
		if (len <= skip)
			return 0;
		data += skip;
		len -= skip;
		off = 0;
	}
	if (off >= r->slot_bytes) {
		r->st.overflow += len;
		return 0;
	}
	lo = off;
	if (len > r->slot_bytes - off) {
		r->st.overflow += len - (r->slot_bytes - off);
		hi = r->slot_bytes;
	} else {
		hi = off + (uint32_t)len;
	}
	got = reasm_merge(s, lo, hi, data);
	if (got == (size_t)-1) {
		/* the copy already happened into bytes no range claims: harmless,
		 * they are rewritten when a range finally covers them */
		r->st.too_many_ranges++;
		return 0;
	}
	return got;
}

void
reasm_contiguous(const struct reasm *r, uint16_t id, const uint8_t **ptr,
    size_t *len)
{
	const struct reasm_slot *s = reasm_slot(r, id);

	*ptr = NULL;
	*len = 0;
	if (s == NULL)
		return;
	*ptr = s->buf;
	if (s->nranges > 0 && s->rg[0].lo == 0)
		*len = s->rg[0].hi;
}

size_t
reasm_slot_bytes(const struct reasm *r)
{
	return r->slot_bytes;
}

void
reasm_release(struct reasm *r, uint16_t id)
{
	struct reasm_slot *s;

	if (r == NULL || (s = reasm_slot(r, id)) == NULL)
		return;
	s->used = 0;
	s->nranges = 0;
	s->next_free = r->free_head;
	r->free_head = id;
	r->st.in_use--;
}

const struct reasm_stats *
reasm_stats(const struct reasm *r)
{
	return &r->st;
}
