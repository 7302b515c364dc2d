/*
 * names.c - the bounded (device, address) -> DNS name cache.
 *
 * The central structure is struct names_cache: a pool of struct names_ent
 * preallocated at names_new(), a power-of-two bucket array of 32-bit
 * indices into the pool (chains through ent->hnext), a free list (also
 * through hnext), and one doubly linked list of live entries in insertion
 * order (lprev/lnext), whose head is the next to evict at the cap and the
 * likeliest to have expired.  Indices instead of pointers keep an entry at
 * 312 bytes.  Nothing is allocated after names_new().
 */
#include "hash.h"
#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_NIL	UINT32_MAX
#define NAMES_POOL_MAX	(1u << 30)	/* sanity cap on max_entries */

struct names_ent {
	uint8_t dev[16];
	uint8_t addr[16];
	int64_t expire_us;
	uint32_t hnext;		/* bucket chain, or free list */
	uint32_t lprev, lnext;	/* insertion order (live entries) */
	char names[NAMES_NAME_BUF];	/* "qname\0" ["cname\0"] */
};

struct names_cache {
	struct names_ent *pool;
	uint32_t *buckets;
	uint32_t mask;
	uint32_t max;
	uint32_t free_head;
	uint32_t lhead, ltail;
	int64_t ttl_min_us, ttl_max_us;
	uint64_t k0, k1;
	size_t mem;
	struct names_stats st;
};

void
names_config_default(struct names_config *cfg)
{
	cfg->max_entries = SW_NAMES_MAX;
	cfg->ttl_min_s = SW_NAMES_TTL_MIN;
	cfg->ttl_max_s = SW_NAMES_TTL_MAX;
	cfg->seed = 0;
}

/* --- keyed hash ------------------------------------------------------------ */

/* The bucket of a (device, address) key: SipHash-1-3 (hash.h). */
static uint32_t
names_hash(const struct names_cache *c, const uint8_t dev[16],
    const uint8_t addr[16])
{
	uint8_t key[32];

	memcpy(key, dev, 16);
	memcpy(key + 16, addr, 16);
	return (uint32_t)hash_siphash13(c->k0, c->k1, key, sizeof(key));
}

/* --- creation -------------------------------------------------------------- */

struct names_cache *
names_new(const struct names_config *cfg, char *errbuf)
{
	struct names_cache *c;
	uint64_t s;
	uint32_t max, nb, i;

	max = cfg->max_entries ? cfg->max_entries : SW_NAMES_MAX;
	if (max > NAMES_POOL_MAX) {
		snprintf(errbuf, SW_ERRLEN,
		    "name cache: %u entries is more than %u", max,
		    NAMES_POOL_MAX);
		return NULL;
	}
	for (nb = 1; nb < max; nb <<= 1)
		;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->pool = calloc(max, sizeof(*c->pool))) == NULL ||
	    (c->buckets = calloc(nb, sizeof(*c->buckets))) == NULL) {
		snprintf(errbuf, SW_ERRLEN,
		    "name cache: cannot allocate %u entries", max);
		names_free(c);
		return NULL;
	}
	c->mem = (size_t)max * sizeof(*c->pool) +
	    (size_t)nb * sizeof(*c->buckets);
	c->max = max;
	c->mask = nb - 1;
	for (i = 0; i < nb; i++)
		c->buckets[i] = NAMES_NIL;
	for (i = 0; i < max; i++)
		c->pool[i].hnext = i + 1 < max ? i + 1 : NAMES_NIL;
	c->free_head = 0;
	c->lhead = c->ltail = NAMES_NIL;
	c->ttl_min_us = (int64_t)(cfg->ttl_min_s ? cfg->ttl_min_s :
	    SW_NAMES_TTL_MIN) * 1000000;
	c->ttl_max_us = (int64_t)(cfg->ttl_max_s ? cfg->ttl_max_s :
	    SW_NAMES_TTL_MAX) * 1000000;
	if (c->ttl_max_us < c->ttl_min_us)
		c->ttl_max_us = c->ttl_min_us;
	s = cfg->seed;
	c->k0 = hash_splitmix64(&s);
	c->k1 = hash_splitmix64(&s);
	return c;
}

void
names_free(struct names_cache *c)
{
	if (c == NULL)
		return;
	free(c->pool);
	free(c->buckets);
	free(c);
}

/* --- lists ----------------------------------------------------------------- */

static void
names_list_unlink(struct names_cache *c, uint32_t i)
{
	struct names_ent *e = &c->pool[i];

	if (e->lprev != NAMES_NIL)
		c->pool[e->lprev].lnext = e->lnext;
	else
		c->lhead = e->lnext;
	if (e->lnext != NAMES_NIL)
		c->pool[e->lnext].lprev = e->lprev;
	else
		c->ltail = e->lprev;
}

static void
names_list_append(struct names_cache *c, uint32_t i)
{
	struct names_ent *e = &c->pool[i];

	e->lnext = NAMES_NIL;
	e->lprev = c->ltail;
	if (c->ltail != NAMES_NIL)
		c->pool[c->ltail].lnext = i;
	else
		c->lhead = i;
	c->ltail = i;
}

/* Take entry i out of its bucket and the order list; back to the pool. */
static void
names_release(struct names_cache *c, uint32_t i)
{
	struct names_ent *e = &c->pool[i];
	uint32_t *pp;

	pp = &c->buckets[names_hash(c, e->dev, e->addr) & c->mask];
	while (*pp != i && *pp != NAMES_NIL)
		pp = &c->pool[*pp].hnext;
	if (*pp == i)
		*pp = e->hnext;
	names_list_unlink(c, i);
	e->hnext = c->free_head;
	c->free_head = i;
	c->st.entries--;
}

static uint32_t
names_find(const struct names_cache *c, uint32_t h, const uint8_t dev[16],
    const uint8_t addr[16])
{
	uint32_t i;

	for (i = c->buckets[h & c->mask]; i != NAMES_NIL;
	    i = c->pool[i].hnext)
		if (memcmp(c->pool[i].dev, dev, 16) == 0 &&
		    memcmp(c->pool[i].addr, addr, 16) == 0)
			return i;
	return NAMES_NIL;
}

/* --- insert and lookup ----------------------------------------------------- */

/* Copy the names into e->names: qname always (cut if need be), cname if
 * both fit whole. */
static void
names_store(struct names_cache *c, struct names_ent *e, const char *qname,
    const char *cname)
{
	size_t ql, cl;

	ql = strlen(qname);
	if (ql > NAMES_NAME_BUF - 1) {
		/* Cut before a UTF-8 continuation byte: whole characters. */
		ql = NAMES_NAME_BUF - 1;
		while (ql > 0 && ((unsigned char)qname[ql] & 0xc0) == 0x80)
			ql--;
		c->st.names_cut++;
	}
	memcpy(e->names, qname, ql);
	e->names[ql] = '\0';
	if (cname == NULL || (cl = strlen(cname)) == 0 ||
	    ql + 1 + cl + 1 > NAMES_NAME_BUF) {
		/* An empty second string marks "no CNAME target". */
		if (ql + 1 < NAMES_NAME_BUF)
			e->names[ql + 1] = '\0';
		return;
	}
	memcpy(e->names + ql + 1, cname, cl);
	e->names[ql + 1 + cl] = '\0';
}

void
names_insert(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16], const char *qname, const char *cname,
    uint32_t ttl_s, int64_t now_us)
{
	struct names_ent *e;
	int64_t ttl_us;
	uint32_t h, i, n;

	if (qname == NULL || qname[0] == '\0')
		return;
	/* Reclaim a few expired entries at the old end: bounded work. */
	n = 0;
	while (n < SW_NAMES_REAP && c->lhead != NAMES_NIL &&
	    c->pool[c->lhead].expire_us <= now_us) {
		names_release(c, c->lhead);
		c->st.expired++;
		n++;
	}
	ttl_us = (int64_t)ttl_s * 1000000;
	if (ttl_us < c->ttl_min_us)
		ttl_us = c->ttl_min_us;
	if (ttl_us > c->ttl_max_us)
		ttl_us = c->ttl_max_us;

	h = names_hash(c, device, addr);
	if ((i = names_find(c, h, device, addr)) != NAMES_NIL) {
		c->st.overwrites++;
		names_list_unlink(c, i);
	} else {
		if (c->free_head == NAMES_NIL) {
			/* At the cap: the least recently inserted goes. */
			if (c->pool[c->lhead].expire_us <= now_us)
				c->st.expired++;
			else
				c->st.evicted++;
			names_release(c, c->lhead);
		}
		i = c->free_head;
		c->free_head = c->pool[i].hnext;
		e = &c->pool[i];
		memcpy(e->dev, device, 16);
		memcpy(e->addr, addr, 16);
		e->hnext = c->buckets[h & c->mask];
		c->buckets[h & c->mask] = i;
		c->st.entries++;
	}
	e = &c->pool[i];
	e->expire_us = now_us + ttl_us;
	names_store(c, e, qname, cname);
	names_list_append(c, i);
	c->st.inserts++;
}

const char *
names_lookup(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16], int64_t now_us, const char **cname)
{
	struct names_ent *e;
	uint32_t i;
	size_t ql;

	if (cname != NULL)
		*cname = NULL;
	i = names_find(c, names_hash(c, device, addr), device, addr);
	if (i == NAMES_NIL) {
		c->st.misses++;
		return NULL;
	}
	e = &c->pool[i];
	if (e->expire_us <= now_us) {
		names_release(c, i);
		c->st.expired++;
		c->st.misses++;
		return NULL;
	}
	c->st.hits++;
	ql = strlen(e->names);
	if (cname != NULL && ql + 1 < NAMES_NAME_BUF &&
	    e->names[ql + 1] != '\0')
		*cname = e->names + ql + 1;
	return e->names;
}

const struct names_stats *
names_stats(const struct names_cache *c)
{
	return &c->st;
}

size_t
names_memory(const struct names_cache *c)
{
	return c->mem;
}
