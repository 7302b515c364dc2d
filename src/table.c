/*
 * table.c - pool, keyed buckets and LRU lists (see table.h).
 *
 * The central structure is struct table: one allocation of max + 1
 * entries of `stride` bytes (entry 0 is never used, so index 0 means
 * "none" in every link), and the bucket heads.  An entry is a struct
 * tent header, its key (key_max bytes, padded to 8) and its value.  Free
 * entries are chained through hnext; never-used ones are taken in order
 * after them, so a table touches only the memory its entries have used.
 */
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hash.h"

#define NIL		0u
#define TABLE_MAX	(1u << 28)	/* sanity cap on entries */

struct tent {
	uint32_t bucket;	/* the bucket it is chained in */
	uint32_t hnext;		/* bucket chain, or free list */
	uint32_t lprev, lnext;	/* LRU list (lprev toward the oldest) */
	uint32_t tag;		/* high 32 bits of the key's hash (the low
				 * ones chose the bucket: all alike in it) */
	uint16_t klen;
	uint8_t list;
	uint8_t used;
};

struct lru {
	uint32_t oldest, newest;
};

struct table {
	uint8_t *pool;
	uint32_t *buckets;
	uint32_t mask;
	uint8_t *filt; /* counting filter (table.h), or NULL */
	uint32_t filt_mask;
	uint32_t max;
	uint32_t free_head;	/* freed entries */
	uint32_t fresh;		/* entries fresh+1 .. max never used */
	size_t stride;
	size_t val_off;		/* value offset in an entry */
	size_t zero_len;	/* bytes zeroed on insert: header, key, and
				 * the value's first val_zero */
	uint16_t key_max;
	uint8_t nlists;
	struct lru lists[TABLE_LISTS_MAX];
	uint64_t k0, k1;
	struct table_stats st;
};

static size_t
round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static struct tent *
ent(const struct table *t, uint32_t i)
{
	return (struct tent *)(void *)(t->pool + (size_t)i * t->stride);
}

static uint32_t
idx_of(const struct table *t, const void *v)
{
	return (uint32_t)(((const uint8_t *)v - t->val_off - t->pool) /
	    t->stride);
}

static void *
val(const struct table *t, uint32_t i)
{
	return t->pool + (size_t)i * t->stride + t->val_off;
}

static uint8_t *
key_of(const struct table *t, uint32_t i)
{
	return t->pool + (size_t)i * t->stride + sizeof(struct tent);
}

struct table *
table_new(const struct table_config *cfg, char *errbuf)
{
	struct table *t;
	uint32_t nb;
	uint64_t s, f;
	size_t i, n;

	if (cfg->max == 0 || cfg->max > TABLE_MAX) {
		snprintf(errbuf, SW_ERRLEN, "%s: %u entries: not in 1..%u",
		    cfg->name, cfg->max, TABLE_MAX);
		return NULL;
	}
	if (cfg->nlists > TABLE_LISTS_MAX) {
		snprintf(errbuf, SW_ERRLEN, "%s: %u lists: at most %u",
		    cfg->name, cfg->nlists, TABLE_LISTS_MAX);
		return NULL;
	}
	for (nb = 1; nb < cfg->max; nb <<= 1)
		;
	/* the filter: a power of two per entry, times the buckets (a power
	 * of two at least max), at most 2^31 counters */
	f = 0;
	if (cfg->filter != 0) {
		for (f = 1; f < cfg->filter; f <<= 1)
			;
		f *= nb;
		if (f > (uint64_t)1 << 31) {
			snprintf(errbuf, SW_ERRLEN,
			    "%s: a filter of %llu counters: at most 2^31",
			    cfg->name, (unsigned long long)f);
			return NULL;
		}
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "%s: out of memory", cfg->name);
		return NULL;
	}
	t->key_max = cfg->key_max;
	t->val_off = round8(sizeof(struct tent) + cfg->key_max);
	t->stride = t->val_off + round8(cfg->val_size);
	t->zero_len = cfg->val_zero != 0 && cfg->val_zero < cfg->val_size ?
	    t->val_off + cfg->val_zero :
	    t->stride;
	t->max = cfg->max;
	t->mask = nb - 1;
	t->nlists = cfg->nlists ? cfg->nlists : 1;
	/* calloc: pages are touched only as entries are first used */
	if ((t->pool = calloc((size_t)cfg->max + 1, t->stride)) == NULL ||
	    (t->buckets = calloc(nb, sizeof(*t->buckets))) == NULL) {
		snprintf(errbuf, SW_ERRLEN,
		    "%s: cannot allocate %u entries of %zu bytes", cfg->name,
		    cfg->max, t->stride);
		table_free(t);
		return NULL;
	}
	if (f != 0) {
		if ((t->filt = calloc((size_t)f, 1)) == NULL) {
			snprintf(errbuf, SW_ERRLEN,
			    "%s: cannot allocate a filter of %llu bytes",
			    cfg->name, (unsigned long long)f);
			table_free(t);
			return NULL;
		}
		t->filt_mask = (uint32_t)(f - 1);
	}
	/* one seed, a key per table: its name is the domain separator */
	s = cfg->seed;
	n = strlen(cfg->name);
	for (i = 0; i < n; i++)
		s = s * 0x100000001b3ULL ^ (uint8_t)cfg->name[i];
	t->k0 = hash_splitmix64(&s);
	t->k1 = hash_splitmix64(&s);
	return t;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	free(t->pool);
	free(t->buckets);
	free(t->filt);
	free(t);
}

uint64_t
table_hash(const struct table *t, const void *key, size_t klen)
{
	return hash_siphash13(t->k0, t->k1, key, klen);
}

void *
table_find(struct table *t, const void *key, size_t klen, uint64_t hash)
{
	uint32_t i;
	struct tent *e;

	if (t->filt != NULL && t->filt[(hash >> 32) & t->filt_mask] == 0)
		return NULL;
	for (i = t->buckets[hash & t->mask]; i != NIL; i = e->hnext) {
		e = ent(t, i);
		if (e->tag == (uint32_t)(hash >> 32) && e->klen == klen &&
		    memcmp(key_of(t, i), key, klen) == 0)
			return val(t, i);
	}
	return NULL;
}

static void
lru_unlink(struct table *t, uint32_t i)
{
	struct tent *e = ent(t, i);
	struct lru *l = &t->lists[e->list];

	if (e->lprev != NIL)
		ent(t, e->lprev)->lnext = e->lnext;
	else
		l->oldest = e->lnext;
	if (e->lnext != NIL)
		ent(t, e->lnext)->lprev = e->lprev;
	else
		l->newest = e->lprev;
	e->lprev = e->lnext = NIL;
}

static void
lru_append(struct table *t, uint32_t i, unsigned list)
{
	struct tent *e = ent(t, i);
	struct lru *l = &t->lists[list];

	e->list = (uint8_t)list;
	e->lnext = NIL;
	e->lprev = l->newest;
	if (l->newest != NIL)
		ent(t, l->newest)->lnext = i;
	else
		l->oldest = i;
	l->newest = i;
}

int
table_full(const struct table *t)
{
	return t->free_head == NIL && t->fresh == t->max;
}

void *
table_insert(struct table *t, const void *key, size_t klen, uint64_t hash,
    int evict)
{
	struct tent *e;
	uint32_t i, b;

	/* not counted: refused means full (table.h), and a key too long
	 * is the caller's to count under its own name */
	if (klen > t->key_max)
		return NULL;
	if (table_full(t)) {
		if (!evict || t->lists[0].oldest == NIL) {
			t->st.refused++;
			return NULL;
		}
		table_remove(t, val(t, t->lists[0].oldest));
		t->st.evicted++;
		table_prefetch_oldest(t, 0, 0);
	}
	if (t->free_head != NIL) {
		i = t->free_head;
		t->free_head = ent(t, i)->hnext;
	} else
		i = ++t->fresh;
	e = ent(t, i);
	memset(e, 0, t->zero_len);
	e->tag = (uint32_t)(hash >> 32);
	if (t->filt != NULL && t->filt[e->tag & t->filt_mask] != UINT8_MAX)
		t->filt[e->tag & t->filt_mask]++;
	e->klen = (uint16_t)klen;
	e->used = 1;
	memcpy(key_of(t, i), key, klen);
	b = (uint32_t)(hash & t->mask);
	e->bucket = b;
	e->hnext = t->buckets[b];
	t->buckets[b] = i;
	lru_append(t, i, 0);
	t->st.inserted++;
	if (++t->st.entries > t->st.entries_max)
		t->st.entries_max = t->st.entries;
	return val(t, i);
}

void
table_remove(struct table *t, void *v)
{
	uint32_t i = idx_of(t, v), *pp;
	struct tent *e = ent(t, i);

	lru_unlink(t, i);
	if (t->filt != NULL && t->filt[e->tag & t->filt_mask] != UINT8_MAX)
		t->filt[e->tag & t->filt_mask]--;
	pp = &t->buckets[e->bucket];
	while (*pp != NIL && *pp != i)
		pp = &ent(t, *pp)->hnext;
	if (*pp == i)
		*pp = e->hnext;
	e->used = 0;
	e->hnext = t->free_head;
	t->free_head = i;
	t->st.entries--;
}

void
table_touch(struct table *t, void *v, unsigned list)
{
	uint32_t i = idx_of(t, v);

	if (list >= t->nlists)
		list = t->nlists - 1;
	lru_unlink(t, i);
	lru_append(t, i, list);
}

unsigned
table_list(const struct table *t, const void *v)
{
	return ent(t, idx_of(t, v))->list;
}

void *
table_oldest(const struct table *t, unsigned list)
{
	if (list >= t->nlists || t->lists[list].oldest == NIL)
		return NULL;
	return val(t, t->lists[list].oldest);
}

void *
table_newer(const struct table *t, const void *v)
{
	uint32_t n = ent(t, idx_of(t, v))->lnext;

	return n != NIL ? val(t, n) : NULL;
}

const void *
table_key(const struct table *t, const void *v, size_t *klen)
{
	uint32_t i = idx_of(t, v);

	if (klen != NULL)
		*klen = ent(t, i)->klen;
	return key_of(t, i);
}

uint32_t
table_index(const struct table *t, const void *v)
{
	return idx_of(t, v);
}

void *
table_at(const struct table *t, uint32_t idx)
{
	if (idx == NIL || idx > t->fresh || !ent(t, idx)->used)
		return NULL;
	return val(t, idx);
}

/* The header line and the lines of an entry's first val_bytes. */
SW_PREFETCH_FN void
prefetch_ent(const struct table *t, uint32_t i, size_t val_bytes)
{
	const uint8_t *e = (const uint8_t *)ent(t, i);
	size_t n;

	__builtin_prefetch(e, 1);
	for (n = 0; n < val_bytes; n += SW_CACHE_LINE)
		__builtin_prefetch(e + t->val_off + n, 1);
}

void
table_prefetch_oldest(const struct table *t, unsigned list, size_t val_bytes)
{
	const struct tent *e;
	uint32_t i;

	if (list >= t->nlists || (i = t->lists[list].oldest) == NIL)
		return;
	/* the oldest's header was just written (its lprev) */
	e = ent(t, i);
	__builtin_prefetch(&t->buckets[e->bucket], 1);
	prefetch_ent(t, i, val_bytes);
	if (e->lnext != NIL)
		prefetch_ent(t, e->lnext, val_bytes);
}

void
table_prefetch_key(const struct table *t, uint64_t hash)
{
	if (t->filt != NULL)
		__builtin_prefetch(&t->filt[(hash >> 32) & t->filt_mask]);
	else
		__builtin_prefetch(&t->buckets[hash & t->mask]);
}

void
table_prefetch_at(const struct table *t, uint32_t idx, size_t val_bytes)
{
	if (idx != NIL && idx <= t->fresh)
		prefetch_ent(t, idx, val_bytes);
}

const struct table_stats *
table_get_stats(const struct table *t)
{
	return &t->st;
}

size_t
table_mem(const struct table *t)
{
	return ((size_t)t->max + 1) * t->stride +
	    ((size_t)t->mask + 1) * sizeof(*t->buckets) +
	    (t->filt != NULL ? (size_t)t->filt_mask + 1 : 0);
}
