/*
 * timeline.h - when a device contacted each suspicious destination: the
 * points of the triage report's timeline picture.
 *
 * A bounded table keyed by (device id, destination): a C2 name or address
 * the device had connections to, or a destination it beaconed to.  Each
 * keeps the times of its last SW_TIMELINE_POINTS contacts (a ring), their
 * total, the server's last address (for where the data went) and, for a
 * beacon, its period and span as the beacon detector measured them.  The
 * least recently updated entry makes room when full (counted).  Only
 * destinations already suspicious get an entry: ordinary traffic never
 * costs one.  No allocation after timeline_new().
 */
#ifndef SW_TIMELINE_H
#define SW_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define TIMELINE_DEST 96 /* bytes of a destination, with NUL */

enum timeline_kind {
	TL_C2 = 1,
	TL_BEACON = 2
}; /* bits */

struct timeline_dest {
	uint32_t dev_id;
	char dest[TIMELINE_DEST];
	uint8_t kinds;	    /* TL_* seen */
	uint8_t server[16]; /* last server address (IPv4-mapped) */
	uint8_t has_server;
	uint32_t total;	  /* contacts ever */
	uint32_t n, head; /* points held, next slot of the ring */
	int64_t first_us, last_us;
	double period_s; /* beacon: the detector's period, 0: none */
	uint32_t beacon_events;
	uint64_t recent[4]; /* the last contacts' connections, to count
			     * a connection once however many names it
			     * showed (and parallel ones interleave) */
	int64_t ts[SW_TIMELINE_POINTS];
};

struct timeline;

struct timeline *timeline_new(uint32_t max, uint64_t seed, char *errbuf);
void timeline_free(struct timeline *t);

/* A contact (kind TL_C2: a connection, conn its nonzero identity) of
 * device dev_id with dest at ts_us; server may be NULL.  A connection
 * already counted for dest is not counted again. */
void timeline_contact(struct timeline *t, uint32_t dev_id, const char *dest,
    const uint8_t *server, uint64_t conn, int64_t ts_us);

/* A beacon the detector reported: its period, events and span. */
void timeline_beacon(struct timeline *t, uint32_t dev_id, const char *dest,
    const uint8_t *server, double period_s, uint32_t events, int64_t first_us,
    int64_t last_us);

/* The device's destinations with the most contacts, most first, into
 * out[0..max); returns how many. */
size_t timeline_of(struct timeline *t, uint32_t dev_id,
    const struct timeline_dest **out, size_t max);

/* The i-th held point of d, oldest first (i < d->n). */
int64_t timeline_point(const struct timeline_dest *d, uint32_t i);

uint64_t timeline_evicted(const struct timeline *t);

#endif /* SW_TIMELINE_H */
