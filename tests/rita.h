/*
 * rita.h - RITA v5's interval and size sub-scores (activecm/rita
 * analysis/beacons.go), re-implemented from their published formulas for
 * the evaluation only: the sensor never uses them.
 *
 * Central structure: none; two pure functions over a series of connection
 * start times (whole seconds, as RITA's toUnixTimestamp) and originator
 * bytes.
 */
#ifndef SW_RITA_H
#define SW_RITA_H

#include <stddef.h>
#include <stdint.h>

struct rita_score {
	double ts;	/* tsScore: (Bowley skew score + MAD score) / 2 */
	double ds;	/* dsScore: the same over sizes */
	int eligible;	/* >= 4 unique timestamps, >= 3 nonzero intervals */
};

/* Score n connections (ts_s sorted, seconds; bytes up).  n <= 86400. */
void rita_score(const int64_t *ts_s, const uint32_t *bytes, size_t n,
    struct rita_score *out);

#endif /* SW_RITA_H */
