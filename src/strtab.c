/*
 * strtab.c - interned, reference-counted strings (see strtab.h).
 *
 * The central structure is a pool of struct strtab_slot (the string, its
 * length, its reference count and the next slot of its bucket chain or
 * of the free list), and an array of bucket heads; slot 0 is never used,
 * so 0 can mean "none" in handles and links.  A slot is in use while it
 * has references; freed slots are reused first, then the never-used ones
 * in order.
 */
#include "strtab.h"
#include "config.h"
#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct strtab_slot {
	uint32_t next;		/* bucket chain, or free list */
	uint32_t refs;		/* 0: free */
	uint64_t h;
	uint16_t len;
	char s[STRTAB_MAX_LEN + 1];
};

struct strtab {
	struct strtab_slot *slot;	/* [0] unused */
	uint32_t *bucket;		/* heads, 0 = empty */
	uint32_t nslots;		/* usable: 1 .. nslots */
	uint32_t mask;			/* buckets - 1 */
	uint32_t free_head;		/* slots freed, 0 = none */
	uint32_t fresh;			/* slots never used: fresh+1 .. */
	uint64_t k0, k1;
	struct strtab_stats st;
};

struct strtab *
strtab_new(uint32_t max_strings, uint64_t seed, char *errbuf)
{
	struct strtab *t;
	uint32_t nb = 1;

	if (max_strings == 0)
		max_strings = SW_STRTAB_MAX;
	if (max_strings > (1u << 26)) {
		snprintf(errbuf, SW_ERRLEN, "strtab: %u strings is too many",
		    max_strings);
		return NULL;
	}
	while (nb < max_strings)
		nb <<= 1;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->slot = calloc((size_t)max_strings + 1, sizeof(*t->slot))) ==
	    NULL || (t->bucket = calloc(nb, sizeof(*t->bucket))) == NULL) {
		snprintf(errbuf, SW_ERRLEN,
		    "strtab: out of memory for %u strings", max_strings);
		strtab_free(t);
		return NULL;
	}
	t->nslots = max_strings;
	t->mask = nb - 1;
	t->k0 = hash_splitmix64(&seed);
	t->k1 = hash_splitmix64(&seed);
	/* slots never used are taken in order, not listed: the pages of
	 * the pool are touched only as strings come */
	return t;
}

void
strtab_free(struct strtab *t)
{
	if (t == NULL)
		return;
	free(t->bucket);
	free(t->slot);
	free(t);
}

uint32_t
strtab_intern(struct strtab *t, const char *s, size_t len)
{
	struct strtab_slot *sl;
	uint64_t h;
	uint32_t id, b;

	if (t == NULL || len == 0 || len > STRTAB_MAX_LEN)
		return 0;
	h = hash_siphash13(t->k0, t->k1, s, len);
	b = (uint32_t)h & t->mask;
	for (id = t->bucket[b]; id != 0; id = sl->next) {
		sl = &t->slot[id];
		if (sl->h == h && sl->len == len && memcmp(sl->s, s, len) == 0) {
			sl->refs++;
			return id;
		}
	}
	if ((id = t->free_head) != 0)
		t->free_head = t->slot[id].next;
	else if (t->fresh < t->nslots)
		id = ++t->fresh;
	else {
		t->st.refused++;
		return 0;
	}
	sl = &t->slot[id];
	sl->h = h;
	sl->len = (uint16_t)len;
	memcpy(sl->s, s, len);
	sl->s[len] = '\0';
	sl->refs = 1;
	sl->next = t->bucket[b];
	t->bucket[b] = id;
	if (++t->st.entries > t->st.entries_max)
		t->st.entries_max = t->st.entries;
	return id;
}

void
strtab_release(struct strtab *t, uint32_t id)
{
	struct strtab_slot *sl;
	uint32_t *link;

	if (t == NULL || id == 0 || id > t->nslots)
		return;
	sl = &t->slot[id];
	if (sl->refs == 0 || --sl->refs > 0)
		return;
	for (link = &t->bucket[(uint32_t)sl->h & t->mask]; *link != 0;
	    link = &t->slot[*link].next)
		if (*link == id) {
			*link = sl->next;
			break;
		}
	sl->next = t->free_head;
	t->free_head = id;
	t->st.entries--;
}

const char *
strtab_get(const struct strtab *t, uint32_t id)
{
	if (t == NULL || id == 0 || id > t->nslots || t->slot[id].refs == 0)
		return "";
	return t->slot[id].s;
}

const struct strtab_stats *
strtab_get_stats(const struct strtab *t)
{
	return &t->st;
}
