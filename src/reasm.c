/*
 * reasm.c - bounded reassembly of the first bytes of a TCP stream.
 *
 * Central data structure: an array of struct reasm_slot, each with a base
 * sequence number, a sorted list of at most SW_REASM_MAX_RANGES disjoint,
 * non-adjacent byte ranges [lo, hi) received, and a pointer into one big
 * buffer of slots * slot_bytes bytes.  Free slots are chained through
 * `next` (a LIFO stack of ids); open slots are on one of two doubly
 * linked age lists (no handshake seen, handshake seen), stalest first, so
 * open, release and reclaim are O(1).  A table (table.h) counts the slots
 * each source address holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "table.h"

/* The age lists: a slot without a handshake is taken first. */
#define REASM_NOHS 0
#define REASM_HS   1

struct reasm_range {
	uint32_t lo, hi;	/* byte offsets from base, lo < hi */
};

struct reasm_slot {
	int64_t last_us; /* network time of its last new bytes */
	uint32_t base;
	uint32_t src;	     /* its source's entry in r->srcs */
	uint32_t gen;	     /* bumped at each open (REASM_GEN_BITS):
			      * old handles miss */
	uint16_t prev, next; /* age list links; next: free stack too */
	uint8_t used;
	uint8_t list; /* REASM_NOHS, REASM_HS */
	uint8_t nranges;
	struct reasm_range rg[SW_REASM_MAX_RANGES];
	uint8_t *buf;
};

/* A source address's entry in r->srcs. */
struct reasm_src {
	uint64_t held; /* slots it holds, 1..SW_REASM_PER_SOURCE */
};

struct reasm {
	uint32_t nslots;
	uint32_t slot_bytes;
	uint16_t free_head, free_tail;	/* free ids, a queue: 0 = none */
	uint16_t head[2], tail[2];	/* age lists: stalest at head */
	struct reasm_slot *slots;	/* [0] unused: id 0 means none */
	uint8_t *mem;
	struct table *srcs; /* source address -> struct reasm_src */
	struct reasm_stats st;
};

/*
 * A free slot goes to the back of the queue: reuse goes round every slot,
 * so one slot's generation wraps only after 2^REASM_GEN_BITS opens of
 * each (a stack would reuse one slot again and again, and a holder whose
 * slot was taken could see it come back with its old generation).
 */
static void
free_put(struct reasm *r, uint16_t id)
{
	r->slots[id].next = 0;
	if (r->free_tail != 0)
		r->slots[r->free_tail].next = id;
	else
		r->free_head = id;
	r->free_tail = id;
}

static uint16_t
free_get(struct reasm *r)
{
	uint16_t id = r->free_head;

	if (id != 0) {
		r->free_head = r->slots[id].next;
		if (r->free_head == 0)
			r->free_tail = 0;
	}
	return id;
}

struct reasm *
reasm_new(uint32_t slots, uint32_t slot_bytes, uint64_t seed, char *errbuf)
{
	struct table_config tc = { 0 };
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
	/* a source holds at least one slot: never more sources than slots */
	tc.name = "reassembly sources";
	tc.max = slots;
	tc.key_max = 16;
	tc.val_size = sizeof(struct reasm_src);
	tc.seed = seed;
	if ((r->srcs = table_new(&tc, errbuf)) == NULL) {
		reasm_free(r);
		return NULL;
	}
	/* the free queue in id order: 1 first */
	for (i = 1; i <= slots; i++) {
		r->slots[i].buf = r->mem + (size_t)(i - 1) * slot_bytes;
		free_put(r, (uint16_t)i);
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
	table_free(r->srcs);
	free(r->mem);
	free(r->slots);
	free(r);
}

static void
list_unlink(struct reasm *r, struct reasm_slot *s)
{
	if (s->prev != 0)
		r->slots[s->prev].next = s->next;
	else
		r->head[s->list] = s->next;
	if (s->next != 0)
		r->slots[s->next].prev = s->prev;
	else
		r->tail[s->list] = s->prev;
	s->prev = s->next = 0;
}

/* Slot id becomes the freshest of its list. */
static void
list_append(struct reasm *r, struct reasm_slot *s, uint16_t id)
{
	s->next = 0;
	s->prev = r->tail[s->list];
	if (s->prev != 0)
		r->slots[s->prev].next = id;
	else
		r->head[s->list] = id;
	r->tail[s->list] = id;
}

/* Take open slot s off its list and its source; not yet free. */
static void
slot_drop(struct reasm *r, struct reasm_slot *s)
{
	struct reasm_src *src = table_at(r->srcs, s->src);

	list_unlink(r, s);
	if (src != NULL && --src->held == 0)
		table_remove(r->srcs, src);
	s->used = 0;
	s->nranges = 0;
	r->st.in_use--;
}

/* The slot a new stream may take from its holder at now_us, or 0: the
 * stalest without a handshake, else the stalest idle one. */
static uint16_t
reclaimable(const struct reasm *r, int64_t now_us)
{
	uint16_t id;

	if ((id = r->head[REASM_NOHS]) != 0)
		return id;
	id = r->head[REASM_HS];
	if (id != 0 &&
	    now_us - r->slots[id].last_us >= (int64_t)SW_REASM_IDLE_S * 1000000)
		return id;
	return 0;
}

struct reasm_ref
reasm_open(struct reasm *r, uint32_t base, const struct reasm_owner *owner,
    int64_t now_us)
{
	static const uint8_t none[16];
	struct reasm_ref ref = { 0, 0, 0 };
	struct reasm_slot *s;
	struct reasm_src *src;
	const uint8_t *addr = owner != NULL ? owner->src : none;
	uint64_t hash = table_hash(r->srcs, addr, 16);
	uint16_t id;

	src = table_find(r->srcs, addr, 16, hash);
	if (src != NULL && src->held >= SW_REASM_PER_SOURCE) {
		r->st.source_limited++;
		return ref;
	}
	if ((id = free_get(r)) != 0) {
		s = &r->slots[id];
	} else if ((id = reclaimable(r, now_us)) != 0) {
		s = &r->slots[id];
		slot_drop(r, s);
		r->st.reclaimed++;
		/* the slot may have been the source's last */
		src = table_find(r->srcs, addr, 16, hash);
	} else {
		r->st.exhausted++;
		return ref;
	}
	/* never full: fewer sources hold slots than there are slots */
	if (src == NULL &&
	    (src = table_insert(r->srcs, addr, 16, hash, 0)) == NULL) {
		free_put(r, id);
		r->st.exhausted++;
		return ref;
	}
	src->held++;
	s->src = table_index(r->srcs, src);
	s->used = 1;
	s->gen = (s->gen + 1) & REASM_GEN_MASK;
	s->base = base;
	s->nranges = 0;
	s->last_us = now_us;
	s->list = owner == NULL || owner->handshake ? REASM_HS : REASM_NOHS;
	list_append(r, s, id);
	r->st.opened++;
	if (++r->st.in_use > r->st.in_use_max)
		r->st.in_use_max = r->st.in_use;
	ref.id = id;
	ref.gen_hi = (uint16_t)(s->gen >> 16);
	ref.gen_lo = (uint16_t)s->gen;
	return ref;
}

static struct reasm_slot *
reasm_slot(const struct reasm *r, struct reasm_ref ref)
{
	if (ref.id == 0 || ref.id > r->nslots || !r->slots[ref.id].used ||
	    r->slots[ref.id].gen != reasm_ref_gen(ref))
		return NULL;
	return &r->slots[ref.id];
}

int
reasm_held(const struct reasm *r, struct reasm_ref ref)
{
	return r != NULL && reasm_slot(r, ref) != NULL;
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
reasm_add(struct reasm *r, struct reasm_ref ref, uint32_t seq,
    const uint8_t *data, size_t len, int64_t now_us)
{
	struct reasm_slot *s;
	uint32_t off, lo, hi, skip;
	size_t got;

	if ((s = reasm_slot(r, ref)) == NULL || len == 0)
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
	if (got > 0) {
		/* only new bytes keep a slot: a retransmission does not */
		s->last_us = now_us;
		list_unlink(r, s);
		list_append(r, s, ref.id);
	}
	return got;
}

void
reasm_contiguous(const struct reasm *r, struct reasm_ref ref,
    const uint8_t **ptr, size_t *len)
{
	const struct reasm_slot *s = reasm_slot(r, ref);

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
reasm_release(struct reasm *r, struct reasm_ref ref)
{
	struct reasm_slot *s;

	if (r == NULL || (s = reasm_slot(r, ref)) == NULL)
		return;
	slot_drop(r, s);
	free_put(r, (uint16_t)ref.id);
}

const struct reasm_stats *
reasm_stats(const struct reasm *r)
{
	return &r->st;
}
