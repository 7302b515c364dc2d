/*
 * timeline.c - contacts of devices with suspicious destinations
 * (timeline.h).
 *
 * struct timeline: a table (table.h) keyed by the device id and the
 * destination's text, whose values are struct timeline_dest; every update
 * touches the entry, so the least recently updated one is what a full
 * table replaces.  timeline_of() walks the table's list: it is asked for
 * the report, not per packet.
 */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define KEY_LEN (4 + TIMELINE_DEST)

struct timeline {
	struct table *t;
};

struct timeline *
timeline_new(uint32_t max, uint64_t seed, char *errbuf)
{
	struct table_config tc;
	struct timeline *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "timeline: out of memory");
		return NULL;
	}
	memset(&tc, 0, sizeof(tc));
	tc.name = "timeline";
	tc.max = max != 0 ? max : SW_TIMELINE_MAX;
	tc.key_max = KEY_LEN;
	tc.val_size = sizeof(struct timeline_dest);
	tc.nlists = 1;
	tc.seed = seed;
	if ((t->t = table_new(&tc, errbuf)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
timeline_free(struct timeline *t)
{
	if (t == NULL)
		return;
	table_free(t->t);
	free(t);
}

static struct timeline_dest *
entry(struct timeline *t, uint32_t dev_id, const char *dest)
{
	unsigned char key[KEY_LEN];
	struct timeline_dest *d;
	size_t n = strlen(dest), klen;
	uint64_t h;

	if (n >= TIMELINE_DEST)
		n = TIMELINE_DEST - 1;
	memset(key, 0, sizeof(key));
	memcpy(key, &dev_id, 4);
	memcpy(key + 4, dest, n);
	klen = 4 + n;
	h = table_hash(t->t, key, klen);
	if ((d = table_find(t->t, key, klen, h)) != NULL) {
		table_touch(t->t, d, 0);
		return d;
	}
	if ((d = table_insert(t->t, key, klen, h, 1)) == NULL)
		return NULL;
	d->dev_id = dev_id;
	memcpy(d->dest, dest, n);
	d->dest[n] = '\0';
	return d;
}

static void
server_of(struct timeline_dest *d, const uint8_t *server)
{
	if (server == NULL)
		return;
	memcpy(d->server, server, 16);
	d->has_server = 1;
}

void
timeline_contact(struct timeline *t, uint32_t dev_id, const char *dest,
    const uint8_t *server, uint64_t conn, int64_t ts_us)
{
	struct timeline_dest *d;
	unsigned i;

	if (t == NULL || dest == NULL || (d = entry(t, dev_id, dest)) == NULL)
		return;
	if (conn != 0) {
		for (i = 0; i < 4; i++)
			if (d->recent[i] == conn)
				return;
		d->recent[d->total % 4] = conn;
	}
	d->kinds |= TL_C2;
	server_of(d, server);
	if (d->total == 0 || ts_us < d->first_us)
		d->first_us = ts_us;
	if (ts_us > d->last_us)
		d->last_us = ts_us;
	d->total++;
	d->ts[d->head] = ts_us;
	d->head = (d->head + 1) % SW_TIMELINE_POINTS;
	if (d->n < SW_TIMELINE_POINTS)
		d->n++;
}

void
timeline_beacon(struct timeline *t, uint32_t dev_id, const char *dest,
    const uint8_t *server, double period_s, uint32_t events, int64_t first_us,
    int64_t last_us)
{
	struct timeline_dest *d;

	if (t == NULL || dest == NULL || (d = entry(t, dev_id, dest)) == NULL)
		return;
	d->kinds |= TL_BEACON;
	server_of(d, server);
	d->period_s = period_s;
	d->beacon_events = events;
	if (d->total == 0 || first_us < d->first_us)
		d->first_us = first_us;
	if (last_us > d->last_us)
		d->last_us = last_us;
}

int64_t
timeline_point(const struct timeline_dest *d, uint32_t i)
{
	uint32_t start = d->n < SW_TIMELINE_POINTS ? 0 : d->head;

	return d->ts[(start + i) % SW_TIMELINE_POINTS];
}

static int
most_first(const void *pa, const void *pb)
{
	const struct timeline_dest *a = *(const struct timeline_dest *const *)
					    pa;
	const struct timeline_dest *b = *(const struct timeline_dest *const *)
					    pb;

	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return strcmp(a->dest, b->dest);
}

size_t
timeline_of(struct timeline *t, uint32_t dev_id,
    const struct timeline_dest **out, size_t max)
{
	const struct timeline_dest *d;
	size_t n = 0, i;

	if (t == NULL || max == 0)
		return 0;
	/* the top max by contacts, over all the device's entries */
	for (d = table_oldest(t->t, 0); d != NULL; d = table_newer(t->t, d)) {
		if (d->dev_id != dev_id)
			continue;
		if (n == max && most_first(&d, &out[n - 1]) >= 0)
			continue;
		i = n < max ? n++ : n - 1;
		while (i > 0 && most_first(&d, &out[i - 1]) < 0) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = d;
	}
	return n;
}

uint64_t
timeline_evicted(const struct timeline *t)
{
	return t != NULL ? table_get_stats(t->t)->evicted : 0;
}
