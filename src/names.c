/*
 * names.c - the bounded (device, address) -> DNS name cache.
 *
 * The central structure is struct names_cache: a struct table (table.h)
 * keyed by the 32 bytes of (device, address), whose values are struct
 * names_val (the expiry and the names), and whose one LRU list is kept in
 * insertion order (an overwrite moves its entry to the young end): the
 * oldest entry is the next to evict at the cap and the likeliest to have
 * expired.  Nothing is allocated after names_new().
 */
#include "names.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_KEY 32 /* device, then answered address */

struct names_val {
	int64_t expire_us;
	char names[NAMES_NAME_BUF];	/* "qname\0" ["cname\0"] */
};

struct names_cache {
	struct table *tab;
	int64_t ttl_min_us, ttl_max_us;
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

/* --- creation -------------------------------------------------------------- */

struct names_cache *
names_new(const struct names_config *cfg, char *errbuf)
{
	struct table_config tc = { 0 };
	struct names_cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "name cache: out of memory");
		return NULL;
	}
	/* the table's errors start with its name: "name cache: ..." */
	tc.name = "name cache";
	tc.max = cfg->max_entries ? cfg->max_entries : SW_NAMES_MAX;
	tc.key_max = NAMES_KEY;
	tc.val_size = sizeof(struct names_val);
	tc.seed = cfg->seed;
	tc.filter = SW_TABLE_FILTER; /* most lookups miss */
	tc.nlists = 2;		     /* ordinary names, then kept ones */
	if ((c->tab = table_new(&tc, errbuf)) == NULL) {
		free(c);
		return NULL;
	}
	c->ttl_min_us = (int64_t)(cfg->ttl_min_s ? cfg->ttl_min_s :
	    SW_NAMES_TTL_MIN) * 1000000;
	c->ttl_max_us = (int64_t)(cfg->ttl_max_s ? cfg->ttl_max_s :
	    SW_NAMES_TTL_MAX) * 1000000;
	if (c->ttl_max_us < c->ttl_min_us)
		c->ttl_max_us = c->ttl_min_us;
	return c;
}

void
names_free(struct names_cache *c)
{
	if (c == NULL)
		return;
	table_free(c->tab);
	free(c);
}

/* --- entries ------------------------------------------------------------- */

/* The table's key of (device, address). */
static void
names_key(uint8_t key[NAMES_KEY], const uint8_t dev[16], const uint8_t addr[16])
{
	memcpy(key, dev, 16);
	memcpy(key + 16, addr, 16);
}

/* Take v out of the cache. */
static void
names_release(struct names_cache *c, struct names_val *v)
{
	table_remove(c->tab, v);
	c->st.entries--;
}

/* --- insert and lookup ----------------------------------------------------- */

/* Copy the names into e->names: qname always (cut if need be), cname if
 * both fit whole. */
static void
names_store(struct names_cache *c, struct names_val *e, const char *qname,
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
	struct names_val *e;
	uint8_t key[NAMES_KEY];
	int64_t ttl_us;
	uint64_t h;
	uint32_t n;

	if (qname == NULL || qname[0] == '\0')
		return;
	/* Reclaim a few expired entries at the old end: bounded work. */
	n = 0;
	while (n < SW_NAMES_REAP && (e = table_oldest(c->tab, 0)) != NULL &&
	    e->expire_us <= now_us) {
		names_release(c, e);
		c->st.expired++;
		n++;
	}
	if ((e = table_oldest(c->tab, 1)) != NULL && e->expire_us <= now_us) {
		names_release(c, e);
		c->st.expired++;
	}
	ttl_us = (int64_t)ttl_s * 1000000;
	if (ttl_us < c->ttl_min_us)
		ttl_us = c->ttl_min_us;
	if (ttl_us > c->ttl_max_us)
		ttl_us = c->ttl_max_us;

	names_key(key, device, addr);
	h = table_hash(c->tab, key, sizeof(key));
	if ((e = table_find(c->tab, key, sizeof(key), h)) != NULL) {
		/* An overwrite counts as an insertion: to the young end
		 * of its list. */
		c->st.overwrites++;
		table_touch(c->tab, e, table_list(c->tab, e));
	} else {
		if (table_full(c->tab)) {
			/* At the cap: the least recently inserted goes,
			 * an ordinary one before a kept one, counted by
			 * whether it had expired. */
			if ((e = table_oldest(c->tab, 0)) == NULL)
				e = table_oldest(c->tab, 1);
			if (e->expire_us <= now_us)
				c->st.expired++;
			else
				c->st.evicted++;
			names_release(c, e);
		}
		/* Room was made and the key fits: never NULL. */
		if ((e = table_insert(c->tab, key, sizeof(key), h, 0)) == NULL)
			return;
		c->st.entries++;
	}
	e->expire_us = now_us + ttl_us;
	names_store(c, e, qname, cname);
	c->st.inserts++;
}

uint64_t
names_hash(const struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16])
{
	uint8_t key[NAMES_KEY];

	names_key(key, device, addr);
	return table_hash(c->tab, key, sizeof(key));
}

void
names_prefetch(const struct names_cache *c, uint64_t hash)
{
	table_prefetch_key(c->tab, hash);
}

const char *
names_lookup(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16], int64_t now_us, const char **cname)
{
	return names_lookup_hashed(c, device, addr, names_hash(c, device, addr),
	    now_us, cname);
}

const char *
names_lookup_hashed(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16], uint64_t hash, int64_t now_us, const char **cname)
{
	struct names_val *e;
	uint8_t key[NAMES_KEY];
	size_t ql;

	if (cname != NULL)
		*cname = NULL;
	names_key(key, device, addr);
	e = table_find(c->tab, key, sizeof(key), hash);
	if (e == NULL) {
		c->st.misses++;
		return NULL;
	}
	if (e->expire_us <= now_us) {
		names_release(c, e);
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

void
names_keep(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16])
{
	struct names_val *e;
	uint8_t key[NAMES_KEY];

	names_key(key, device, addr);
	e = table_find(c->tab, key, sizeof(key),
	    table_hash(c->tab, key, sizeof(key)));
	if (e != NULL)
		table_touch(c->tab, e, 1);
}

const struct names_stats *
names_stats(const struct names_cache *c)
{
	return &c->st;
}

size_t
names_memory(const struct names_cache *c)
{
	return table_mem(c->tab);
}
