/*
 * correlate.h - per-device evidence, and the survivor-risk verdict.
 *
 * The network counterpart of the seed articles' meta rule ("if 100020,
 * 100021 and 100022 matched: level 15, survivor-risk, urgent"): a device
 * that shows two or more kinds of evidence (traffic to a C2 address, a C2
 * name, periodic beaconing, a stalkerware download site) is far likelier
 * infected than one that shows a single kind, which a researcher's
 * browsing or a shared address can explain.  Each device (IPv4-mapped or
 * IPv6 address) keeps the kinds seen and the last few (note, uid,
 * subject) that showed them, in a table (table.h) keyed by the address;
 * when it is full, the least recently updated device is replaced
 * (counted).  No allocation after correlate_new().
 */
#ifndef SW_CORRELATE_H
#define SW_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define CORR_C2_ADDR	0x1	/* a C2 address or subnet indicator */
#define CORR_C2_NAME	0x2	/* a C2 domain indicator */
#define CORR_BEACON	0x4	/* low-volume periodic traffic */
#define CORR_DISTRIBUTION 0x8	/* a stalkerware app's download site */

#define CORR_TEXT	96	/* bytes per kept string, with NUL */

struct corr_evidence {
	unsigned kind;
	int64_t ts_us;
	char note[40];
	char uid[24];
	char sub[CORR_TEXT];
};

struct corr_device {
	uint8_t addr[16];
	uint8_t raised;		/* survivor-risk notice written */
	unsigned kinds;		/* CORR_* seen */
	int64_t updated_us;
	uint8_t n;		/* evidence held, <= SW_CORR_EVIDENCE */
	struct corr_evidence ev[SW_CORR_EVIDENCE];	/* oldest first */
};

struct corr_stats {
	uint64_t devices;	/* in use */
	uint64_t replaced;	/* evicted when full */
	uint64_t verdicts;	/* devices that reached two kinds */
};

struct correlate;

/*
 * Room for max_devices devices (0: SW_CORR_MAX_DEVICES), allocated here.
 * NULL with errbuf (SW_ERRLEN bytes) on failure.
 */
struct correlate *correlate_new(uint32_t max_devices, uint64_t seed,
    char *errbuf);
void correlate_free(struct correlate *c);

/*
 * Record one piece of evidence for a device, which makes it the most
 * recently updated one; a new device replaces the least recently updated
 * one when the table is full (counted in replaced).  Returns the device
 * when this evidence makes it show two or more kinds and no verdict was
 * raised for it yet (the caller raises the notice, then calls
 * correlate_mark_raised()), else NULL; the record stays the table's,
 * valid until the next correlate_add().  Strings are copied (cut to fit).
 */
const struct corr_device *correlate_add(struct correlate *c,
    const uint8_t dev[16], unsigned kind, const char *note, const char *uid,
    const char *sub, int64_t ts_us);
void correlate_mark_raised(struct correlate *c, const uint8_t dev[16]);

/* Number of kinds in a CORR_* mask. */
unsigned correlate_nkinds(unsigned kinds);

const struct corr_stats *correlate_get_stats(const struct correlate *c);

#endif /* SW_CORRELATE_H */
