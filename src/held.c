/*
 * held.c - server names that outlive a connection entry (held.h).
 */
#include "held.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "strtab.h"
#include "table.h"

#define HELD_KEY 35 /* device, server, port (big-endian), transport */

struct held_val {
	int64_t last_us; /* learned or used */
	uint32_t name_id;
	uint8_t src;
};

struct held_names {
	struct table *tab;
	struct strtab *names;
	int64_t hold_us;
	struct held_stats st;
};

struct held_names *
held_new(uint32_t max, uint32_t hold_s, struct strtab *names, uint64_t seed,
    char *errbuf)
{
	struct table_config tc = { 0 };
	struct held_names *h;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "held names: out of memory");
		return NULL;
	}
	tc.name = "held names";
	tc.max = max ? max : SW_HELD_MAX;
	tc.key_max = HELD_KEY;
	tc.val_size = sizeof(struct held_val);
	tc.seed = seed;
	tc.filter = SW_TABLE_FILTER; /* most lookups miss */
	if ((h->tab = table_new(&tc, errbuf)) == NULL) {
		free(h);
		return NULL;
	}
	h->names = names;
	h->hold_us = (int64_t)(hold_s ? hold_s : SW_NAME_HOLD_S) * 1000000;
	return h;
}

void
held_free(struct held_names *h)
{
	struct held_val *v, *next;

	if (h == NULL)
		return;
	for (v = table_oldest(h->tab, 0); v != NULL; v = next) {
		next = table_newer(h->tab, v);
		strtab_release(h->names, v->name_id);
	}
	table_free(h->tab);
	free(h);
}

static void
held_key(uint8_t k[HELD_KEY], const uint8_t dev[16], const uint8_t srv[16],
    uint16_t port, uint8_t proto)
{
	memcpy(k, dev, 16);
	memcpy(k + 16, srv, 16);
	k[32] = (uint8_t)(port >> 8);
	k[33] = (uint8_t)port;
	k[34] = proto;
}

static void
held_drop(struct held_names *h, struct held_val *v)
{
	strtab_release(h->names, v->name_id);
	table_remove(h->tab, v);
	h->st.entries = table_get_stats(h->tab)->entries;
}

void
held_put(struct held_names *h, const uint8_t dev[16], const uint8_t srv[16],
    uint16_t port, uint8_t proto, uint32_t name_id, uint8_t src, int64_t now_us)
{
	uint8_t k[HELD_KEY];
	struct held_val *v;
	uint64_t hash;
	uint32_t id;

	if (h == NULL || name_id == 0)
		return;
	held_key(k, dev, srv, port, proto);
	hash = table_hash(h->tab, k, sizeof(k));
	if ((v = table_find(h->tab, k, sizeof(k), hash)) != NULL) {
		if (v->name_id != name_id) {
			if ((id = strtab_ref(h->names, name_id)) == 0)
				return;
			strtab_release(h->names, v->name_id);
			v->name_id = id;
		}
	} else {
		if ((id = strtab_ref(h->names, name_id)) == 0)
			return;
		if (table_full(h->tab) &&
		    (v = table_oldest(h->tab, 0)) != NULL) {
			h->st.evicted++;
			held_drop(h, v);
		}
		if ((v = table_insert(h->tab, k, sizeof(k), hash, 0)) == NULL) {
			strtab_release(h->names, id);
			return;
		}
		v->name_id = id;
	}
	v->src = src;
	v->last_us = now_us;
	table_touch(h->tab, v, 0);
	h->st.learned++;
	h->st.entries = table_get_stats(h->tab)->entries;
}

uint64_t
held_hash(const struct held_names *h, const uint8_t dev[16],
    const uint8_t srv[16], uint16_t port, uint8_t proto)
{
	uint8_t k[HELD_KEY];

	if (h == NULL)
		return 0;
	held_key(k, dev, srv, port, proto);
	return table_hash(h->tab, k, sizeof(k));
}

void
held_prefetch(const struct held_names *h, uint64_t hash)
{
	if (h != NULL)
		table_prefetch_key(h->tab, hash);
}

uint32_t
held_get(struct held_names *h, const uint8_t dev[16], const uint8_t srv[16],
    uint16_t port, uint8_t proto, int64_t now_us)
{
	return held_get_hashed(h, dev, srv, port, proto,
	    held_hash(h, dev, srv, port, proto), now_us);
}

uint32_t
held_get_hashed(struct held_names *h, const uint8_t dev[16],
    const uint8_t srv[16], uint16_t port, uint8_t proto, uint64_t hash,
    int64_t now_us)
{
	uint8_t k[HELD_KEY];
	struct held_val *v;

	if (h == NULL)
		return 0;
	held_key(k, dev, srv, port, proto);
	v = table_find(h->tab, k, sizeof(k), hash);
	if (v == NULL)
		return 0;
	if (now_us - v->last_us > h->hold_us) {
		h->st.expired++;
		held_drop(h, v);
		return 0;
	}
	v->last_us = now_us > v->last_us ? now_us : v->last_us;
	table_touch(h->tab, v, 0);
	h->st.hits++;
	return v->name_id;
}

const struct held_stats *
held_get_stats(const struct held_names *h)
{
	return &h->st;
}

size_t
held_mem(const struct held_names *h)
{
	return table_mem(h->tab) + sizeof(*h);
}
