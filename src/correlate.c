/*
 * correlate.c - per-device evidence table (see correlate.h).
 *
 * struct correlate: a table (table.h) keyed by the 16-byte address whose
 * values are struct corr_device.  Every update touches the device to the
 * recent end of the table's list, so the least recently updated one is at
 * the oldest end, and the table evicts it when a new device comes to a
 * full table: no scan, however many devices.
 */
#include "correlate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "table.h"

struct correlate {
	struct table *devices;
	struct corr_stats st;
};

struct correlate *
correlate_new(uint32_t max_devices, uint64_t seed, char *errbuf)
{
	struct table_config tc;
	struct correlate *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "correlate: out of memory");
		return NULL;
	}
	memset(&tc, 0, sizeof(tc));
	tc.name = "correlate";
	tc.max = max_devices != 0 ? max_devices : SW_CORR_MAX_DEVICES;
	tc.key_max = 16;
	tc.val_size = sizeof(struct corr_device);
	tc.nlists = 1;
	tc.seed = seed;
	if ((c->devices = table_new(&tc, errbuf)) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
correlate_free(struct correlate *c)
{
	if (c == NULL)
		return;
	table_free(c->devices);
	free(c);
}

unsigned
correlate_nkinds(unsigned kinds)
{
	unsigned n = 0;

	for (; kinds != 0; kinds &= kinds - 1)
		n++;
	return n;
}

/*
 * The device's record, made the most recently updated one; a new one
 * (zeroed) when it has none, in place of the least recently updated
 * device when the table is full.  NULL only if the table refuses, which a
 * table that evicts does not.
 */
static struct corr_device *
update(struct correlate *c, const uint8_t dev[16])
{
	const struct table_stats *ts;
	struct corr_device *d;
	uint64_t h;

	h = table_hash(c->devices, dev, 16);
	if ((d = table_find(c->devices, dev, 16, h)) != NULL) {
		table_touch(c->devices, d, 0);
		return d;
	}
	if ((d = table_insert(c->devices, dev, 16, h, 1)) == NULL)
		return NULL;
	memcpy(d->addr, dev, 16);
	ts = table_get_stats(c->devices);
	c->st.devices = ts->entries;
	c->st.replaced = ts->evicted;
	return d;
}

static void
copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = src != NULL ? strlen(src) : 0;

	if (n >= cap)
		n = cap - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

const struct corr_device *
correlate_add(struct correlate *c, const uint8_t dev[16], unsigned kind,
    const char *note, const char *uid, const char *sub, int64_t ts_us)
{
	struct corr_device *d;
	struct corr_evidence *e;
	unsigned before;

	if ((d = update(c, dev)) == NULL)
		return NULL;
	before = d->kinds;
	d->updated_us = ts_us;
	d->kinds |= kind;
	/* keep the first evidence of each kind, then the latest ones */
	if (d->n == SW_CORR_EVIDENCE) {
		if ((before & kind) != 0)
			return NULL;	/* nothing new to show */
		memmove(&d->ev[0], &d->ev[1],
		    (SW_CORR_EVIDENCE - 1) * sizeof(d->ev[0]));
		d->n--;
	}
	e = &d->ev[d->n++];
	e->kind = kind;
	e->ts_us = ts_us;
	copy_cut(e->note, sizeof(e->note), note);
	copy_cut(e->uid, sizeof(e->uid), uid);
	copy_cut(e->sub, sizeof(e->sub), sub);
	if (!d->raised && correlate_nkinds(d->kinds) >= 2 &&
	    correlate_nkinds(before) < 2) {
		c->st.verdicts++;
		return d;
	}
	return NULL;
}

void
correlate_mark_raised(struct correlate *c, const uint8_t dev[16])
{
	struct corr_device *d;

	/* not an update: the verdict does not keep a device any longer */
	d = table_find(c->devices, dev, 16, table_hash(c->devices, dev, 16));
	if (d != NULL)
		d->raised = 1;
}

const struct corr_stats *
correlate_get_stats(const struct correlate *c)
{
	return &c->st;
}
