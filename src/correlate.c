/*
 * correlate.c - per-device evidence table (see correlate.h).
 *
 * struct correlate: a power-of-two array of struct corr_device, probed
 * linearly from a keyed hash of the address.  Devices on one shelter
 * network are few (dozens), so the table is small and a full scan to
 * replace the least recently updated entry, when full, is cheap and rare.
 */
#include "correlate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hash.h"

struct correlate {
	struct corr_device *slots;
	size_t mask;
	uint64_t k0, k1;
	struct corr_stats st;
};

struct correlate *
correlate_new(uint32_t max_devices, uint64_t seed, char *errbuf)
{
	struct correlate *c;
	size_t n = 16;

	if (max_devices == 0)
		max_devices = SW_CORR_MAX_DEVICES;
	while (n < max_devices && n < ((size_t)1 << 24))
		n <<= 1;
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->slots = calloc(n, sizeof(*c->slots))) == NULL) {
		free(c);
		snprintf(errbuf, SW_ERRLEN, "out of memory for %zu devices", n);
		return NULL;
	}
	c->mask = n - 1;
	c->k0 = hash_splitmix64(&seed);
	c->k1 = hash_splitmix64(&seed);
	return c;
}

void
correlate_free(struct correlate *c)
{
	if (c == NULL)
		return;
	free(c->slots);
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

/* The device's slot, a free one on its probe path, or NULL (full). */
static struct corr_device *
find(struct correlate *c, const uint8_t dev[16], int create)
{
	size_t i, start, n = c->mask + 1;
	struct corr_device *d, *oldest = NULL;

	start = (size_t)hash_siphash13(c->k0, c->k1, dev, 16) & c->mask;
	for (i = 0; i < n; i++) {
		d = &c->slots[(start + i) & c->mask];
		if (!d->used) {
			if (!create)
				return NULL;
			memset(d, 0, sizeof(*d));
			memcpy(d->addr, dev, 16);
			d->used = 1;
			c->st.devices++;
			return d;
		}
		if (memcmp(d->addr, dev, 16) == 0)
			return d;
	}
	if (!create)
		return NULL;
	/* full: the least recently updated device makes room (counted);
	 * probing still finds every other device, as no slot is emptied */
	for (i = 0; i < n; i++)
		if (oldest == NULL ||
		    c->slots[i].updated_us < oldest->updated_us)
			oldest = &c->slots[i];
	memset(oldest, 0, sizeof(*oldest));
	memcpy(oldest->addr, dev, 16);
	oldest->used = 1;
	c->st.replaced++;
	return oldest;
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
	struct corr_device *d = find(c, dev, 1);
	struct corr_evidence *e;
	unsigned before = d->kinds;

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
	struct corr_device *d = find(c, dev, 0);

	if (d != NULL)
		d->raised = 1;
}

const struct corr_stats *
correlate_get_stats(const struct correlate *c)
{
	return &c->st;
}
