/*
 * correlate.c - per-device evidence and the verdict (see correlate.h).
 *
 * struct correlate: a table (table.h) keyed by the device's id (device.h)
 * whose values are struct corr_device.  Every update touches the device
 * to the recent end of the table's list, so the least recently updated
 * one is at the oldest end, and the table evicts it when a new device
 * comes to a full table: no scan, however many devices.  Each grade keeps
 * the time it was last seen, so the window costs nothing to apply.
 */
#include "correlate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define CORR_LISTS 3 /* weak, moderate, strong: see list_of() */

/* A device as correlate_list() orders it. */
struct ranked {
	const struct corr_device *d;
	int level, strongest;
	int64_t last;
};

struct correlate {
	struct table *devices;
	int64_t window_us;
	struct ranked *rank; /* correlate_list()'s, one per device */
	uint32_t max;
	struct corr_stats st;
};

static const struct {
	const char *key, *words;
} grade_names[CORR_GRADES] = {
	[CORR_DATA] = { "c2_data", "data exchanged with a stalkerware C2" },
	[CORR_REPEAT] = { "c2_repeated",
	    "repeated contact with a stalkerware C2 over time" },
	[CORR_UPLOAD] = { "c2_upload", "an upload to a stalkerware C2" },
	[CORR_BEACON_C2] = { "c2_beacon",
	    "periodic beaconing to a stalkerware C2" },
	[CORR_LOOKUP] = { "c2_lookup",
	    "a DNS lookup of a stalkerware C2 name" },
	[CORR_BEACON] = { "beacon",
	    "periodic beaconing to an unknown destination" },
	[CORR_DISTRIBUTION] = { "distribution", "a stalkerware download site" },
	[CORR_WATCHWARE] = { "watchware",
	    "a family-locator or parental-control app's server" },
	[CORR_WEAK] = { "c2_packet",
	    "packets to a stalkerware C2 without an exchange (weak)" },
};

const char *
correlate_grade_words(enum corr_grade g)
{
	return (unsigned)g < CORR_GRADES ? grade_names[g].words : "?";
}

const char *
correlate_grade_key(enum corr_grade g)
{
	return (unsigned)g < CORR_GRADES ? grade_names[g].key : "?";
}

const char *
correlate_level_words(enum corr_level l)
{
	return l == CORR_VERY_LIKELY ? "very likely" :
	    l == CORR_POSSIBLE	     ? "possible" :
				       "nothing found";
}

struct correlate *
correlate_new(uint32_t max_devices, uint32_t window_s, uint64_t seed,
    char *errbuf)
{
	struct table_config tc;
	struct correlate *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "correlate: out of memory");
		return NULL;
	}
	c->window_us = (int64_t)(window_s != 0 ? window_s :
						 SW_VERDICT_WINDOW_S) *
	    1000000;
	memset(&tc, 0, sizeof(tc));
	tc.name = "correlate";
	tc.max = max_devices != 0 ? max_devices : SW_CORR_MAX_DEVICES;
	tc.key_max = 4;
	tc.val_size = sizeof(struct corr_device);
	tc.nlists = CORR_LISTS;
	tc.seed = seed;
	c->max = tc.max;
	if ((c->rank = calloc(tc.max, sizeof(*c->rank))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "correlate: out of memory");
		free(c);
		return NULL;
	}
	if ((c->devices = table_new(&tc, errbuf)) == NULL) {
		free(c->rank);
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
	free(c->rank);
	free(c);
}

int
correlate_has(const struct correlate *c, const struct corr_device *d,
    enum corr_grade g, int64_t now_us)
{
	return (d->grades & (1u << g)) != 0 &&
	    now_us - d->grade_us[g] <= c->window_us;
}

enum corr_level
correlate_level(const struct correlate *c, const struct corr_device *d,
    int64_t now_us)
{
	unsigned strong = 0, moderate = 0, g;

	for (g = 0; g < CORR_GRADES; g++) {
		if (!correlate_has(c, d, (enum corr_grade)g, now_us))
			continue;
		if (g <= CORR_BEACON_C2)
			strong++;
		else if (g != CORR_WEAK)
			moderate++;
	}
	if (strong >= 2)
		return CORR_VERY_LIKELY;
	return strong + moderate > 0 ? CORR_POSSIBLE : CORR_NONE;
}

/*
 * Devices are kept by value: the table's list 0 holds those with weak
 * evidence only, list 1 those with moderate evidence, list 2 those with
 * strong; room is made from the lowest list first.  A thousand spoofed
 * devices with a stray packet each cannot push out a victim whose phone
 * exchanged data with a C2.
 */
static unsigned
list_of(const struct correlate *c, const struct corr_device *d, int64_t now_us)
{
	unsigned g, l = 0;

	for (g = 0; g < CORR_GRADES; g++) {
		if (!correlate_has(c, d, (enum corr_grade)g, now_us))
			continue;
		if (g <= CORR_BEACON_C2)
			return 2; /* a strong grade in the window */
		if (g != CORR_WEAK)
			l = 1;
	}
	return l;
}

/*
 * The device's record, made the most recently updated one of its list;
 * a new one (zeroed) when it has none, in place of the least recently
 * updated device of the lowest list when the table is full.
 */
static struct corr_device *
update(struct correlate *c, const struct device_info *dev, int64_t now_us)
{
	struct corr_device *d;
	unsigned l;
	int earned;
	uint64_t h;

	h = table_hash(c->devices, &dev->id, 4);
	if ((d = table_find(c->devices, &dev->id, 4, h)) != NULL) {
		table_touch(c->devices, d, list_of(c, d, now_us));
		/* names learned since; never an older copy (a connection's,
		 * graded at its end) over a newer record */
		if (dev->last_us >= d->dev.last_us)
			d->dev = *dev;
		return d;
	}
	if (table_full(c->devices)) {
		/* a device up a list whose evidence has all left the
		 * window has earned nothing any more: it goes first */
		d = NULL;
		for (l = CORR_LISTS - 1; l > 0 && d == NULL; l--) {
			d = table_oldest(c->devices, l);
			if (d != NULL && list_of(c, d, now_us) != 0)
				d = NULL;
		}
		earned = 0;
		if (d == NULL) {
			for (l = 0; l < CORR_LISTS &&
			     (d = table_oldest(c->devices, l)) == NULL;
			     l++)
				;
			if (d == NULL)
				return NULL;
			earned = l > 0;
		}
		table_remove(c->devices, d);
		c->st.replaced++;
		if (earned)
			c->st.earned_evicted++;
	}
	if ((d = table_insert(c->devices, &dev->id, 4, h, 0)) == NULL)
		return NULL;
	d->dev = *dev;
	c->st.devices = table_get_stats(c->devices)->entries;
	return d;
}

/* Keep the evidence: every grade seen at least once, and the latest
 * ones (the oldest entry of a grade listed twice makes room). */
static void
keep(struct corr_device *d, enum corr_grade g, const char *note,
    const char *uid, const char *sub, int64_t ts_us)
{
	struct corr_evidence *e;
	unsigned i, j, seen[CORR_GRADES] = { 0 };

	if (d->n == SW_CORR_EVIDENCE) {
		for (i = 0; i < d->n; i++)
			seen[d->ev[i].grade]++;
		for (i = 0; i < d->n && seen[d->ev[i].grade] < 2; i++)
			;
		if (i == d->n) {
			if (seen[g] > 0)
				return; /* nothing new to show */
			i = 0;
		}
		for (j = i; j + 1 < d->n; j++)
			d->ev[j] = d->ev[j + 1];
		d->n--;
	}
	e = &d->ev[d->n++];
	e->grade = (uint8_t)g;
	e->ts_us = ts_us;
	snprintf(e->note, sizeof(e->note), "%s", note != NULL ? note : "");
	snprintf(e->uid, sizeof(e->uid), "%s", uid != NULL ? uid : "");
	snprintf(e->sub, sizeof(e->sub), "%s", sub != NULL ? sub : "");
}

static void
grade(struct corr_device *d, enum corr_grade g, int64_t ts_us)
{
	d->grades |= 1u << g;
	if (ts_us > d->grade_us[g])
		d->grade_us[g] = ts_us;
}

const struct corr_device *
correlate_add(struct correlate *c, const struct device_info *dev,
    enum corr_grade g, const char *app, const char *note, const char *uid,
    const char *sub, int64_t ts_us)
{
	struct corr_device *d;
	unsigned i;

	if ((unsigned)g >= CORR_GRADES || (d = update(c, dev, ts_us)) == NULL)
		return NULL;
	grade(d, g, ts_us);
	keep(d, g, note, uid, sub, ts_us);
	if (app != NULL && app[0] != '\0' && g != CORR_WATCHWARE &&
	    g != CORR_BEACON) {
		for (i = 0; i < d->napps && strcmp(d->apps[i], app) != 0; i++)
			;
		if (i == d->napps && d->napps < SW_CORR_APPS)
			snprintf(d->apps[d->napps++], CORR_APP, "%s",
			    app != NULL ? app : "");
	}
	if (g == CORR_DATA) { /* once a connection: an upload is data too */
		int64_t span;

		/* the last SW_VERDICT_REPEAT exchanges, oldest first */
		if (d->ncontact == SW_VERDICT_REPEAT) {
			memmove(&d->contact_us[0], &d->contact_us[1],
			    (SW_VERDICT_REPEAT - 1) * sizeof(int64_t));
			d->ncontact--;
		}
		d->contact_us[d->ncontact++] = ts_us;
		span = ts_us - d->contact_us[0];
		if (d->ncontact == SW_VERDICT_REPEAT && span <= c->window_us &&
		    span >= (int64_t)SW_VERDICT_REPEAT_SPAN_S * 1000000) {
			if (!correlate_has(c, d, CORR_REPEAT, ts_us))
				keep(d, CORR_REPEAT, note, uid, sub, ts_us);
			grade(d, CORR_REPEAT, ts_us);
		}
	}
	/* its grades may have moved it up a list */
	table_touch(c->devices, d, list_of(c, d, ts_us));
	if (d->raised && ts_us - d->raised_us > c->window_us)
		d->raised = 0; /* a new window */
	if (!d->raised && correlate_level(c, d, ts_us) == CORR_VERY_LIKELY) {
		c->st.verdicts++;
		return d;
	}
	return NULL;
}

void
correlate_mark_raised(struct correlate *c, const struct device_info *dev,
    int64_t ts_us)
{
	struct corr_device *d;

	/* not an update: the verdict does not keep a device any longer */
	d = table_find(c->devices, &dev->id, 4,
	    table_hash(c->devices, &dev->id, 4));
	if (d != NULL) {
		d->raised = 1;
		d->raised_us = ts_us;
	}
}

/* Every device, list by list. */
static const struct corr_device *
first_device(const struct correlate *c)
{
	const struct corr_device *d = NULL;
	unsigned l;

	for (l = 0; l < CORR_LISTS && d == NULL; l++)
		d = table_oldest(c->devices, l);
	return d;
}

static const struct corr_device *
next_device(const struct correlate *c, const struct corr_device *d)
{
	const struct corr_device *n = table_newer(c->devices, d);
	unsigned l;

	if (n != NULL)
		return n;
	for (l = table_list(c->devices, d) + 1; l < CORR_LISTS && n == NULL;
	     l++)
		n = table_oldest(c->devices, l);
	return n;
}

static int
ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	if (a->strongest != b->strongest)
		return a->strongest < b->strongest ? -1 : 1;
	if (a->last != b->last)
		return a->last > b->last ? -1 : 1;
	return a->d->dev.id < b->d->dev.id ? -1 : a->d->dev.id > b->d->dev.id;
}

size_t
correlate_list(struct correlate *c, int64_t now_us,
    const struct corr_device **out, size_t max)
{
	struct ranked *r = c->rank;
	const struct corr_device *d;
	size_t n = 0, i;
	unsigned g;

	if (max > c->max)
		max = c->max;
	for (d = first_device(c); d != NULL && n < max; d = next_device(c, d)) {
		r[n].d = d;
		r[n].level = (int)correlate_level(c, d, now_us);
		r[n].strongest = CORR_GRADES;
		for (g = 0; g < CORR_GRADES; g++)
			if (correlate_has(c, d, (enum corr_grade)g, now_us)) {
				r[n].strongest = (int)g;
				break;
			}
		r[n].last = d->n > 0 ? d->ev[d->n - 1].ts_us : 0;
		n++;
	}
	qsort(r, n, sizeof(*r), ranked_cmp);
	for (i = 0; i < n; i++)
		out[i] = r[i].d;
	return n;
}

const struct corr_stats *
correlate_get_stats(const struct correlate *c)
{
	return &c->st;
}
