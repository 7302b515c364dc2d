/*
 * strtab.c - interned, reference-counted strings (see strtab.h).
 *
 * The central structure is a struct table (table.h) whose keys are the
 * strings and whose values are their reference counts; a handle is the
 * entry's table index, so 0 means "none".  The table's key area is one
 * byte longer than the longest string and zeroed on insert, so every
 * string reads back NUL-terminated.  An entry lives while it has
 * references; the table reuses freed entries first, then the never-used
 * ones in order.  Nothing is evicted: a full table refuses.
 */
#include "strtab.h"
#include "config.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>

struct strtab_ent {
	uint32_t refs; /* > 0 while the entry is in the table */
};

struct strtab {
	struct table *tab;
	struct strtab_stats st; /* copied from the table's counters */
};

struct strtab *
strtab_new(uint32_t max_strings, uint64_t seed, char *errbuf)
{
	struct table_config cfg = { 0 };
	struct strtab *t;

	if (max_strings == 0)
		max_strings = SW_STRTAB_MAX;
	if (max_strings > (1u << 26)) {
		snprintf(errbuf, SW_ERRLEN, "strtab: %u strings is too many",
		    max_strings);
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(errbuf, SW_ERRLEN,
		    "strtab: out of memory for %u strings", max_strings);
		return NULL;
	}
	cfg.name = "strtab";
	cfg.max = max_strings;
	/* the NUL: a string of STRTAB_MAX_LEN still has a zero after it */
	cfg.key_max = STRTAB_MAX_LEN + 1;
	cfg.val_size = sizeof(struct strtab_ent);
	cfg.seed = seed;
	if ((t->tab = table_new(&cfg, errbuf)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
strtab_free(struct strtab *t)
{
	if (t == NULL)
		return;
	table_free(t->tab);
	free(t);
}

static void
strtab_sync_stats(struct strtab *t)
{
	const struct table_stats *ts = table_get_stats(t->tab);

	t->st.entries = ts->entries;
	t->st.entries_max = ts->entries_max;
	/* lengths are checked before the table sees them: only "full" */
	t->st.refused = ts->refused;
}

uint32_t
strtab_intern(struct strtab *t, const char *s, size_t len)
{
	struct strtab_ent *e;
	uint64_t h;

	if (t == NULL || len == 0 || len > STRTAB_MAX_LEN)
		return 0;
	h = table_hash(t->tab, s, len);
	if ((e = table_find(t->tab, s, len, h)) != NULL) {
		e->refs++;
		return table_index(t->tab, e);
	}
	e = table_insert(t->tab, s, len, h, 0);
	strtab_sync_stats(t);
	if (e == NULL)
		return 0;
	e->refs = 1;
	return table_index(t->tab, e);
}

uint32_t
strtab_ref(struct strtab *t, uint32_t id)
{
	struct strtab_ent *e;

	if (t == NULL || (e = table_at(t->tab, id)) == NULL)
		return 0;
	e->refs++;
	return id;
}

void
strtab_release(struct strtab *t, uint32_t id)
{
	struct strtab_ent *e;

	/* table_at() is NULL for 0, out of range and free entries */
	if (t == NULL || (e = table_at(t->tab, id)) == NULL)
		return;
	if (--e->refs > 0)
		return;
	table_remove(t->tab, e);
	strtab_sync_stats(t);
}

const char *
strtab_get(const struct strtab *t, uint32_t id)
{
	const void *e;

	if (t == NULL || (e = table_at(t->tab, id)) == NULL)
		return "";
	return table_key(t->tab, e, NULL);
}

const struct strtab_stats *
strtab_get_stats(const struct strtab *t)
{
	return &t->st;
}
