/*
 * correlate.h - per-device evidence, graded, and the verdict.
 *
 * The network counterpart of the seed articles' meta rule ("if 100020,
 * 100021 and 100022 matched: level 15, survivor-risk, urgent"), made
 * stricter: evidence is graded, not counted by kind.  Strong: data
 * exchanged with a stalkerware C2 (both ends sent payload), repeated such
 * contact over time, an upload to a C2, beaconing to a C2.  Moderate: a
 * DNS lookup of a C2 name, beaconing to an unknown destination, a
 * stalkerware download site, a watchware app.  Weak: a packet to a C2
 * without an exchange (a SYN never answered, a stray FIN, a reset).
 *
 * Levels, over the evidence of one window of network time:
 *   very likely  two strong grades (names the app or apps);
 *   possible     one strong grade, or a moderate one;
 *   none         nothing, or weak signs only.
 * Watchware is never strong: those apps are usually installed openly.
 *
 * Each device (device.h: an address and its MAC, by id, so that a DHCP
 * address given to another phone starts clean) is an entry of a table
 * (table.h); when full, the least recently updated device is replaced
 * (counted).  No allocation after correlate_new().
 */
#ifndef SW_CORRELATE_H
#define SW_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "device.h"

enum corr_grade {
	/* strong */
	CORR_DATA,	/* data exchanged with a stalkerware C2 */
	CORR_REPEAT,	/* such exchanges repeated over time */
	CORR_UPLOAD,	/* SW_VERDICT_UPLOAD bytes or more sent to a C2 */
	CORR_BEACON_C2, /* periodic traffic to a C2 */
	/* moderate */
	CORR_LOOKUP,	   /* a DNS lookup of a C2 name */
	CORR_BEACON,	   /* periodic traffic to an unknown destination */
	CORR_DISTRIBUTION, /* a stalkerware download site */
	CORR_WATCHWARE,	   /* a watchware app's server */
	/* weak */
	CORR_WEAK, /* packets to a C2 without an exchange */
	CORR_GRADES
};

enum corr_level {
	CORR_NONE,
	CORR_POSSIBLE,
	CORR_VERY_LIKELY
};

#define CORR_TEXT 96 /* bytes per kept string, with NUL */
#define CORR_APP  32

struct corr_evidence {
	uint8_t grade; /* enum corr_grade */
	int64_t ts_us;
	char note[40];
	char uid[24];
	char sub[CORR_TEXT];
};

struct corr_device {
	struct device_info dev;		       /* as last known */
	int64_t grade_us[CORR_GRADES];	       /* last seen, network time */
	unsigned grades;		       /* bit per grade ever seen */
	int64_t contact_us[SW_VERDICT_REPEAT]; /* last data exchanges */
	uint8_t ncontact;
	uint8_t napps;
	char apps[SW_CORR_APPS][CORR_APP];
	uint8_t raised;	   /* a survivor-risk notice in this window */
	int64_t raised_us; /* when */
	uint8_t n;	   /* evidence held, <= SW_CORR_EVIDENCE */
	struct corr_evidence ev[SW_CORR_EVIDENCE]; /* oldest first */
};

struct corr_stats {
	uint64_t devices;  /* in use */
	uint64_t replaced; /* evicted when full */
	uint64_t earned_evicted; /* of them, devices with more than weak
				  * evidence (none with only weak left) */
	uint64_t verdicts; /* survivor-risk verdicts reached */
};

struct correlate;

/*
 * Room for max_devices devices (0: SW_CORR_MAX_DEVICES), allocated here;
 * window_s: the verdict's window (0: SW_VERDICT_WINDOW_S).  NULL with
 * errbuf (SW_ERRLEN bytes) on failure.
 */
struct correlate *correlate_new(uint32_t max_devices, uint32_t window_s,
    uint64_t seed, char *errbuf);
void correlate_free(struct correlate *c);

/*
 * One piece of evidence of grade g for the device (app: the app it
 * names, or NULL).  Returns the device when this makes it very likely
 * and no survivor-risk verdict was raised for it in the window (the
 * caller raises the notice, then calls correlate_mark_raised()), else
 * NULL; the record stays the table's, valid until the next
 * correlate_add().  Strings are copied (cut to fit).
 */
const struct corr_device *correlate_add(struct correlate *c,
    const struct device_info *dev, enum corr_grade g, const char *app,
    const char *note, const char *uid, const char *sub, int64_t ts_us);
void correlate_mark_raised(struct correlate *c, const struct device_info *dev,
    int64_t ts_us);

/* The device's level at now_us (its window's evidence). */
enum corr_level correlate_level(const struct correlate *c,
    const struct corr_device *d, int64_t now_us);
/* Whether grade g counts at now_us. */
int correlate_has(const struct correlate *c, const struct corr_device *d,
    enum corr_grade g, int64_t now_us);

/*
 * Every device with evidence, most urgent first (level, then the
 * strongest grade, then the latest evidence), into out[0..max); returns
 * how many.
 */
size_t correlate_list(struct correlate *c, int64_t now_us,
    const struct corr_device **out, size_t max);

/* Words for a grade ("data exchanged with a stalkerware C2"), and a
 * stable key ("c2_data"). */
const char *correlate_grade_words(enum corr_grade g);
const char *correlate_grade_key(enum corr_grade g);
/* "very likely", "possible", "nothing found" */
const char *correlate_level_words(enum corr_level l);

const struct corr_stats *correlate_get_stats(const struct correlate *c);

#endif /* SW_CORRELATE_H */
