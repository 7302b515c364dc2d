/*
 * check_beacon.c - unit tests of the beacon scorer and tracker table.
 *
 * Central data: two tables of synthetic interval series, one that must
 * reach a notice level (steady, jittered, missed beats, retries, 5-10
 * minute random timers) and one that must not (Poisson, heavy-tailed,
 * bursty, too few events, too fast, too slow), built from a fixed-seed
 * generator so every run scores the same numbers.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"

Suite *beacon_suite(void);

enum shape {
	SH_PERIODIC,	/* period * (1 + jitter * U(-1, 1)) */
	SH_UNIFORM,	/* U(lo, hi) seconds: "every 5 to 10 minutes" */
	SH_POISSON,	/* exponential, mean = period */
	SH_LOGNORMAL,	/* heavy-tailed: median = period, sigma 1.5 */
	SH_BURSTY	/* bursts of 2-6 events seconds apart, idle gaps */
};

struct series {
	const char *name;
	enum shape shape;
	double period, jitter;	/* seconds, fraction (UNIFORM: lo, hi) */
	int n;			/* events */
	double missed;		/* share of beats dropped */
	double retry;		/* share of beats followed by a retry */
	double size_var;	/* size jitter, fraction; < 0: lognormal
				 * sizes of that sigma, as ordinary traffic */
};

static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double
rng_u(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static double
rng_norm(uint64_t *s)
{
	return sqrt(-2 * log(1 - rng_u(s))) * cos(2 * M_PI * rng_u(s));
}

/* Fill ev with the series; returns the number of events written. */
static size_t
make_series(const struct series *sp, uint64_t seed, struct beacon_event *ev,
    size_t cap)
{
	uint64_t s = seed * 2654435761u + 12345;
	double t = 1000, d;
	size_t n = 0;
	int beat = 0;

	while (n < cap && beat < 400 && (int)n < sp->n) {
		switch (sp->shape) {
		case SH_PERIODIC:
			d = sp->period * (1 + sp->jitter * (2 * rng_u(&s) - 1));
			break;
		case SH_UNIFORM:
			d = sp->period + (sp->jitter - sp->period) * rng_u(&s);
			break;
		case SH_POISSON:
			d = -log(1 - rng_u(&s)) * sp->period;
			break;
		case SH_LOGNORMAL:
			/* Box-Muller: human gaps are lognormal-ish. */
			d = sp->period * exp(1.5 * sqrt(-2 * log(1 -
			    rng_u(&s))) * cos(2 * M_PI * rng_u(&s)));
			break;
		default:
			d = rng_u(&s) < 0.7 ? 1 + 4 * rng_u(&s) :
			    -log(1 - rng_u(&s)) * sp->period;
			break;
		}
		t += d;
		beat++;
		if (rng_u(&s) < sp->missed)
			continue;
		ev[n].ts_us = (int64_t)(t * 1e6);
		if (sp->size_var < 0) {
			/* Ordinary sizes: lognormal, sigma -size_var. */
			ev[n].up = (uint32_t)(600 * exp(-sp->size_var *
			    rng_norm(&s)));
			ev[n].down = (uint32_t)(4000 * exp(-sp->size_var *
			    rng_norm(&s)));
		} else {
			ev[n].up = (uint32_t)(600 * (1 + sp->size_var *
			    (2 * rng_u(&s) - 1)));
			ev[n].down = (uint32_t)(4000 * (1 + sp->size_var *
			    (2 * rng_u(&s) - 1)));
		}
		n++;
		if (n < cap && (int)n < sp->n && rng_u(&s) < sp->retry) {
			/* A retry 15-40 s after the beat. */
			ev[n] = ev[n - 1];
			ev[n].ts_us += (int64_t)((15 + 25 * rng_u(&s)) * 1e6);
			n++;
		}
	}
	return n;
}

static const struct series must_fire[] = {
	{ "steady 5 min", SH_PERIODIC, 300, 0, 6, 0, 0, 0.1 },
	{ "steady 30 s", SH_PERIODIC, 30, 0.02, 8, 0, 0, 0 },
	{ "steady 1 h", SH_PERIODIC, 3600, 0.01, 6, 0, 0, 0.2 },
	{ "10% jitter", SH_PERIODIC, 300, 0.10, 8, 0, 0, 0.2 },
	{ "25% jitter", SH_PERIODIC, 600, 0.25, 12, 0, 0, 0.2 },
	{ "50% jitter", SH_PERIODIC, 120, 0.50, 24, 0, 0, 0.2 },
	{ "5-10 min random", SH_UNIFORM, 300, 600, 14, 0, 0, 0.2 },
	{ "missed beats 20%", SH_PERIODIC, 300, 0.05, 14, 0.2, 0, 0.1 },
	{ "missed + 25% jitter", SH_PERIODIC, 300, 0.25, 20, 0.15, 0, 0.2 },
	{ "retries", SH_PERIODIC, 300, 0.05, 14, 0, 0.1, 0.1 },
	{ "sizes vary 60%", SH_PERIODIC, 300, 0.05, 10, 0, 0, 0.6 },
	/* Short captures: 6 beats, constant-format uploads (+-15%). */
	{ "6 beats, 10% jitter", SH_PERIODIC, 300, 0.10, 6, 0, 0, 0.15 },
	{ "10 beats, 25% jitter", SH_PERIODIC, 300, 0.25, 10, 0, 0, 0.15 },
	{ "15 beats, 50% jitter", SH_PERIODIC, 300, 0.50, 15, 0, 0, 0.15 },
	{ "12 beats, 5-10 min", SH_UNIFORM, 300, 600, 12, 0, 0, 0.15 },
	{ "6 beats, 25% jitter", SH_PERIODIC, 300, 0.25, 6, 0, 0, 0.15 },
	{ "8 beats, 25% jitter", SH_PERIODIC, 300, 0.25, 8, 0, 0, 0.15 },
	{ "8 beats, 50% jitter", SH_PERIODIC, 300, 0.50, 8, 0, 0, 0.15 },
	{ "10 beats, 50% jitter", SH_PERIODIC, 300, 0.50, 10, 0, 0, 0.15 },
	{ "12 beats, 50% jitter", SH_PERIODIC, 300, 0.50, 12, 0, 0, 0.15 },
	{ "8 beats, 5-10 min", SH_UNIFORM, 300, 600, 8, 0, 0, 0.15 },
	{ "7 beats of 30 s, 10% jitter", SH_PERIODIC, 30, 0.10, 7, 0, 0, 0.15 },
	{ "20 beats of 30 s, 50% jitter", SH_PERIODIC, 30, 0.50, 20, 0, 0,
	    0.15 },
	{ "50% jitter, ordinary sizes", SH_PERIODIC, 120, 0.50, 32, 0, 0,
	    -1.0 },
};

static const struct series must_not_fire[] = {
	{ "poisson", SH_POISSON, 300, 0, 32, 0, 0, 0.1 },
	{ "poisson short", SH_POISSON, 300, 0, 8, 0, 0, 0 },
	{ "lognormal", SH_LOGNORMAL, 120, 0, 32, 0, 0, 0.1 },
	{ "bursty messaging", SH_BURSTY, 900, 0, 32, 0, 0, 0.5 },
	{ "too few events", SH_PERIODIC, 300, 0, 5, 0, 0, 0 },
	{ "too fast (5 s)", SH_PERIODIC, 5, 0.01, 32, 0, 0, 0 },
	{ "too slow (4 h)", SH_PERIODIC, 14400, 0.01, 12, 0, 0, 0 },
	/* Constant sizes alone are no beacon: the same API call, at
	 * random or human times. */
	{ "poisson, constant sizes", SH_POISSON, 300, 0, 32, 0, 0, 0 },
	{ "lognormal, constant sizes", SH_LOGNORMAL, 120, 0, 32, 0, 0, 0 },
	{ "bursty, constant sizes", SH_BURSTY, 600, 0, 32, 0, 0, 0.05 },
	/* Human gaps above the 10 s coalescing: their floor makes them
	 * more regular than Poisson arrivals, and the null of coalesced
	 * arrivals (the floor plus an exponential) accounts for it. */
	{ "lognormal 30 s, constant sizes", SH_LOGNORMAL, 30, 0, 32, 0, 0,
	    0 },
	{ "lognormal 15 s, constant sizes", SH_LOGNORMAL, 15, 0, 32, 0, 0,
	    0.05 },
	/* Poisson arrivals a little above the floor: without it in the
	 * null, these fire. */
	{ "poisson 15 s, coalesced", SH_POISSON, 15, 0, 32, 0, 0, 0.05 },
	{ "poisson 25 s, coalesced", SH_POISSON, 25, 0, 32, 0, 0, 0.05 },
};

START_TEST(test_must_fire)
{
	const struct series *sp = &must_fire[_i];
	struct beacon_event ev[64];
	struct beacon_config cfg;
	struct beacon_score sc;
	size_t n;
	uint64_t seed;
	int fired = 0;

	beacon_config_default(&cfg);
	for (seed = 1; seed <= 20; seed++) {
		n = make_series(sp, seed, ev, 64);
		ck_assert_int_eq(beacon_score_events(ev, n, &cfg, &sc), 1);
		fired += beacon_level(&sc, &cfg) > 0;
	}
	/* 19 of 20 seeds: the recall target. */
	ck_assert_msg(fired >= 19, "%s: fired on %d of 20", sp->name, fired);
}
END_TEST

START_TEST(test_must_not_fire)
{
	const struct series *sp = &must_not_fire[_i];
	struct beacon_event ev[64];
	struct beacon_config cfg;
	struct beacon_score sc;
	size_t n;
	uint64_t seed;

	beacon_config_default(&cfg);
	for (seed = 1; seed <= 50; seed++) {
		n = make_series(sp, seed, ev, 64);
		beacon_score_events(ev, n, &cfg, &sc);
		ck_assert_msg(beacon_level(&sc, &cfg) == 0,
		    "%s seed %u: score %.3f evidence %.2f period %.0f",
		    sp->name, (unsigned)seed, sc.score, sc.evidence,
		    sc.period_s);
	}
}
END_TEST

/* The reported figures: period, dispersion, missed beats, sizes. */
START_TEST(test_figures)
{
	static const struct series sp = { "fig", SH_PERIODIC, 300, 0, 12,
	    0, 0, 0 };
	struct beacon_event ev[16], ev2[16];
	struct beacon_config cfg;
	struct beacon_score sc;
	size_t n, i, m = 0;

	beacon_config_default(&cfg);
	n = make_series(&sp, 7, ev, 16);
	ck_assert_int_eq((int)n, 12);
	ck_assert_int_eq(beacon_score_events(ev, n, &cfg, &sc), 1);
	ck_assert(fabs(sc.period_s - 300) < 0.01);
	ck_assert(sc.interval_dispersion < 0.001);
	ck_assert_int_eq((int)sc.missed, 0);
	ck_assert(fabs(sc.up_median - 600) < 1);
	ck_assert(fabs(sc.down_median - 4000) < 1);
	ck_assert_int_eq(beacon_level(&sc, &cfg), 3);
	/* Drop beats 4 and 8: two missed, same period. */
	for (i = 0; i < n; i++)
		if (i != 4 && i != 8)
			ev2[m++] = ev[i];
	ck_assert_int_eq(beacon_score_events(ev2, m, &cfg, &sc), 1);
	ck_assert(fabs(sc.period_s - 300) < 0.01);
	ck_assert_int_eq((int)sc.missed, 2);
	ck_assert(beacon_level(&sc, &cfg) > 0);
	/* Two connections per beat, a second apart, are one beat. */
	for (i = 0, m = 0; i < 8; i++) {
		ev2[m] = ev[i];
		ev2[m + 1] = ev[i];
		ev2[m + 1].ts_us += 1000000;
		m += 2;
	}
	ck_assert_int_eq(beacon_score_events(ev2, m, &cfg, &sc), 1);
	ck_assert_int_eq((int)sc.events, 8);
	ck_assert(fabs(sc.up_median - 1200) < 1);
	/* Under min_events: not scored. */
	ck_assert_int_eq(beacon_score_events(ev, 5, &cfg, &sc), 0);
	ck_assert_int_eq(beacon_score_events(ev, 0, &cfg, &sc), 0);
}
END_TEST

/* Evidence grows with events, so levels rise and never fall on a steady
 * beacon. */
START_TEST(test_levels_rise)
{
	static const struct series sp = { "rise", SH_PERIODIC, 300, 0.3, 32,
	    0, 0, 0.1 };
	struct beacon_event ev[32];
	struct beacon_config cfg;
	struct beacon_score sc;
	size_t n, k;
	int lvl, max = 0;

	beacon_config_default(&cfg);
	n = make_series(&sp, 3, ev, 32);
	for (k = 1; k <= n; k++) {
		beacon_score_events(ev, k, &cfg, &sc);
		lvl = beacon_level(&sc, &cfg);
		ck_assert_msg(lvl + 1 >= max, "level fell at %zu", k);
		if (lvl > max)
			max = lvl;
	}
	ck_assert_int_eq(max, 3);
}
END_TEST

/*
 * A tracker is scored at every event of its life, so a busy ordinary
 * destination is tested thousands of times and must never fire: days of
 * messaging (human gaps, lognormal around 25 s, coalesced at 10 s), and
 * days of one API call at random times (Poisson, a 5 minute mean, sizes
 * within 5%).  The first holds with either the null of coalesced arrivals
 * or the price of testing window after window; the second needs the price.
 */
static int
long_background(int api, int seed)
{
	struct beacon_config cfg;
	struct beacon_table *t;
	struct beacon_tracker *k;
	struct beacon_score sc;
	struct beacon_event e;
	char errbuf[SW_ERRLEN];
	uint8_t dev[16];
	uint64_t s;
	double ts;
	int i, fired = 0;

	beacon_config_default(&cfg);
	memset(dev, 0, sizeof(dev));
	t = beacon_new(&cfg, errbuf);
	ck_assert_ptr_nonnull(t);
	s = (uint64_t)seed * 7919 + (api ? 17 : 1);
	ts = 1e9;
	for (i = 0; i < 3000 && !fired; i++) {
		if (api) {
			ts += -log(1 - rng_u(&s)) * 300;
			e.up = (uint32_t)(600 * (0.95 + 0.1 * rng_u(&s)));
			e.down = (uint32_t)(900 * (0.95 + 0.1 * rng_u(&s)));
		} else {
			ts += 25 * exp(1.4 * rng_norm(&s));
			e.up = (uint32_t)(500 * (1.5 - rng_u(&s)));
			e.down = (uint32_t)(700 * (1 + 0.6 * rng_u(&s)));
		}
		e.ts_us = (int64_t)(ts * 1e6);
		k = beacon_observe(t, dev, "busy.example", 1, &e, e.ts_us);
		ck_assert_ptr_nonnull(k);
		fired = beacon_score_tracker(k, &cfg, &sc) &&
		    beacon_level(&sc, &cfg) > 0;
	}
	beacon_free(t);
	return fired;
}

/*
 * The fast scale on one tracker: `n` events every `period` s (jitter
 * +-jit), each exchanging up/down bytes, or a Poisson series of that
 * mean (poisson); the highest fast level reached.
 */
static int
fast_level(double period, double jit, int n, uint32_t up, uint32_t down,
    int poisson, uint64_t seed)
{
	struct beacon_config cfg, fast;
	struct beacon_table *t;
	struct beacon_tracker *k;
	struct beacon_score sc;
	struct beacon_event e;
	char errbuf[SW_ERRLEN];
	uint8_t dev[16];
	uint64_t s = seed * 104729 + 3;
	double ts = 1e9;
	int i, lv, best = 0;

	beacon_config_default(&cfg);
	beacon_fast_config(&cfg, &fast);
	memset(dev, 0, sizeof(dev));
	t = beacon_new(&cfg, errbuf);
	ck_assert_ptr_nonnull(t);
	for (i = 0; i < n; i++) {
		ts += poisson ? -log(1 - rng_u(&s)) * period :
				period * (1 + jit * (2 * rng_u(&s) - 1));
		e.ts_us = (int64_t)(ts * 1e6);
		e.up = up;
		e.down = down;
		k = beacon_observe(t, dev, "fast.example", 1, &e, e.ts_us);
		ck_assert_ptr_nonnull(k);
		if (beacon_score_fast(k, &fast, &sc) &&
		    (lv = beacon_level(&sc, &fast)) > best)
			best = lv;
	}
	beacon_free(t);
	return best;
}

/* Fast C2: must fire from 2 s to under 20 s with 20 beats or more; must
 * not with fewer, nor for retries that exchanged nothing, nor for random
 * arrivals of the same mean; nothing when the fast scale is off. */
START_TEST(test_fast_scale)
{
	struct beacon_config cfg, fast;
	struct beacon_tracker k;
	struct beacon_score sc;
	int seed, i;

	for (seed = 0; seed < 5; seed++) {
		ck_assert_int_gt(fast_level(2, 0.1, 25, 300, 200, 0, seed), 0);
		ck_assert_int_gt(fast_level(5, 0.0, 25, 300, 200, 0, seed), 0);
		ck_assert_int_gt(fast_level(15, 0.3, 30, 300, 200, 0, seed), 0);
		ck_assert_int_eq(fast_level(5, 0.0, 15, 300, 200, 0, seed), 0);
		ck_assert_int_eq(fast_level(5, 0.0, 30, 0, 0, 0, seed), 0);
		ck_assert_int_eq(fast_level(5, 0.0, 30, 300, 0, 0, seed), 0);
		ck_assert_int_eq(fast_level(5, 0, 32, 300, 200, 1, seed), 0);
	}
	beacon_config_default(&cfg);
	cfg.fast_min_events = 0;
	memset(&k, 0, sizeof(k));
	for (i = 0; i < 30; i++) {
		k.ev[i].ts_us = (int64_t)i * 5000000;
		k.ev[i].up = 300;
		k.ev[i].down = 200;
	}
	k.n = 30;
	k.total = 30;
	beacon_fast_config(&cfg, &fast);
	ck_assert_int_eq(beacon_score_fast(&k, &fast, &sc), 0);
	cfg.fast_min_events = 20;
	beacon_fast_config(&cfg, &fast);
	ck_assert_int_eq(beacon_score_fast(&k, &fast, &sc), 1);
	ck_assert(sc.period_s > 4.9 && sc.period_s < 5.1);
}
END_TEST

START_TEST(test_long_background)
{
	int seed, chat = 0, api = 0;

	for (seed = 1; seed <= 8; seed++) {
		chat += long_background(0, seed);
		api += long_background(1, seed);
	}
	ck_assert_msg(chat == 0, "messaging fired in %d of 8 devices", chat);
	ck_assert_msg(api == 0, "random API calls fired in %d of 8 devices",
	    api);
}
END_TEST

/* The price of testing a tracker window after window: log10 of the
 * windows seen, total / held. */
START_TEST(test_window_price)
{
	static const struct series sp = { "price", SH_PERIODIC, 300, 0.2, 32,
	    0, 0, 0.1 };
	struct beacon_config cfg;
	struct beacon_tracker *k;
	struct beacon_score a, b;
	size_t n;

	k = calloc(1, sizeof(*k));
	ck_assert_ptr_nonnull(k);
	beacon_config_default(&cfg);
	n = make_series(&sp, 5, k->ev, SW_BEACON_HISTORY);
	k->n = (uint16_t)n;
	k->total = n;
	ck_assert_int_eq(beacon_score_events(k->ev, n, &cfg, &a), 1);
	ck_assert_int_eq(beacon_score_tracker(k, &cfg, &b), 1);
	ck_assert(fabs(a.evidence - b.evidence) < 1e-9);
	k->total = 100 * n;
	ck_assert_int_eq(beacon_score_tracker(k, &cfg, &b), 1);
	ck_assert(a.evidence > 2);
	ck_assert_msg(fabs(a.evidence - 2 - b.evidence) < 1e-9,
	    "evidence %.3f after 100 windows, %.3f for one", b.evidence,
	    a.evidence);
	free(k);
}
END_TEST

/* The null against Monte Carlo: never over the true evidence by more than
 * 0.1 ban, never under it by more than half a ban. */
START_TEST(test_null)
{
	static const unsigned ms[] = { 5, 11, 31 };
	static const double ss[] = { 0.3, 0.45, 0.6, 0.8, 0.95 };
	uint64_t st = 99991;
	double x[32], sum, sq, mean, truth, code;
	unsigned a, b, j, hit;
	long i, nsim = 200000;

	for (a = 0; a < 3; a++)
		for (b = 0; b < 5; b++) {
			hit = 0;
			for (i = 0; i < nsim; i++) {
				sum = sq = 0;
				for (j = 0; j < ms[a]; j++) {
					x[j] = -log(1 - rng_u(&st));
					sum += x[j];
				}
				mean = sum / ms[a];
				for (j = 0; j < ms[a]; j++)
					sq += (x[j] - mean) * (x[j] - mean);
				hit += sqrt(sq / ms[a]) / mean < ss[b];
			}
			code = beacon_null_bans(ss[b], ms[a]);
			if (hit < 100) {
				/* too rare to measure: at least what is seen */
				ck_assert(code >= -log10(100.0 / nsim));
				continue;
			}
			truth = -log10((double)hit / nsim);
			ck_assert_msg(code <= truth + 0.1 && code >= truth - 0.5,
			    "m %u s %.2f: %.2f bans, Monte Carlo %.2f", ms[a],
			    ss[b], code, truth);
		}
}
END_TEST

static void
mkdev(uint8_t dev[16], unsigned v)
{
	memset(dev, 0, 16);
	dev[10] = dev[11] = 0xff;
	dev[12] = 10;
	dev[13] = (uint8_t)(v >> 16);
	dev[14] = (uint8_t)(v >> 8);
	dev[15] = (uint8_t)v;
}

START_TEST(test_table)
{
	struct beacon_config cfg;
	struct beacon_table *t;
	struct beacon_tracker *k, *k2;
	struct beacon_event e;
	char errbuf[SW_ERRLEN], name[32];
	uint8_t dev[16];
	unsigned i;

	beacon_config_default(&cfg);
	cfg.max_trackers = 4;
	cfg.seed = 42;
	t = beacon_new(&cfg, errbuf);
	ck_assert_ptr_nonnull(t);
	mkdev(dev, 1);
	e.up = 600;
	e.down = 4000;
	/* Out of order completion: history stays sorted. */
	e.ts_us = 2000000;
	k = beacon_observe(t, dev, "c2.example", 1, &e, e.ts_us);
	ck_assert_ptr_nonnull(k);
	e.ts_us = 1000000;
	k2 = beacon_observe(t, dev, "c2.example", 1, &e, 2000000);
	ck_assert_ptr_eq(k, k2);
	ck_assert_int_eq(k->n, 2);
	ck_assert(k->ev[0].ts_us == 1000000 && k->ev[1].ts_us == 2000000);
	/* Same name, address key: another tracker. */
	k2 = beacon_observe(t, dev, "c2.example", 0, &e, 2000000);
	ck_assert_ptr_ne(k, k2);
	/* The gate. */
	e.down = cfg.max_down + 1;
	ck_assert_ptr_null(beacon_observe(t, dev, "c2.example", 1, &e, 3));
	ck_assert_uint_eq(beacon_get_stats(t)->gated, 1);
	e.down = 4000;
	/* History is bounded, keeps the newest. */
	for (i = 0; i < 100; i++) {
		e.ts_us = 3000000 + (int64_t)i * 1000000;
		k = beacon_observe(t, dev, "c2.example", 1, &e, e.ts_us);
	}
	ck_assert_int_eq(k->n, SW_BEACON_HISTORY);
	ck_assert_uint_eq(k->total, 102);
	ck_assert(k->ev[SW_BEACON_HISTORY - 1].ts_us == 102000000);
	/* Room is made by value (beacon.c): the oldest unproven tracker
	 * (one event) goes first, however recent the earned ones are.
	 * Each name from a device of its own: no budget in play. */
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "d%u.example", i);
		mkdev(dev, 10 + i);
		ck_assert_ptr_nonnull(beacon_observe(t, dev, name, 1, &e,
		    200000000 + i));
	}
	ck_assert_uint_eq(beacon_get_stats(t)->trackers, 4);
	ck_assert_uint_eq(beacon_get_stats(t)->evicted, 4);
	ck_assert_uint_eq(beacon_get_stats(t)->earned_evicted, 0);
	/* left: c2.example (earned), d3, d4, d5; d3 earns its place */
	mkdev(dev, 13);
	k = beacon_observe(t, dev, "d3.example", 1, &e, 200000010);
	ck_assert_uint_eq(k->total, 2);
	ck_assert_int_eq(k->earned, 1);
	for (i = 6; i < 9; i++) {
		snprintf(name, sizeof(name), "d%u.example", i);
		mkdev(dev, 10 + i);
		ck_assert_ptr_nonnull(beacon_observe(t, dev, name, 1, &e,
		    200000010 + i));
	}
	ck_assert_uint_eq(beacon_get_stats(t)->evicted, 7);
	/* the earned ones outlived three newer destinations */
	mkdev(dev, 13);
	k = beacon_observe(t, dev, "d3.example", 1, &e, 200000020);
	ck_assert_uint_eq(k->total, 3);
	mkdev(dev, 1);
	k = beacon_observe(t, dev, "c2.example", 1, &e, 200000021);
	ck_assert_uint_eq(k->total, 103);
	ck_assert_uint_eq(beacon_get_stats(t)->evicted, 7);
	/* earned ones hold at most three quarters of the table (3 of 4):
	 * the fourth to earn takes the place of the one updated longest
	 * ago, d3 */
	for (i = 7; i < 9; i++) {
		snprintf(name, sizeof(name), "d%u.example", i);
		mkdev(dev, 10 + i);
		k = beacon_observe(t, dev, name, 1, &e, 200000030 + i);
		ck_assert_int_eq(k->earned, 1);
	}
	ck_assert_uint_eq(beacon_get_stats(t)->earned_evicted, 1);
	ck_assert_uint_eq(beacon_get_stats(t)->trackers, 3);
	mkdev(dev, 19);
	ck_assert_ptr_nonnull(beacon_observe(t, dev, "d9.example", 1, &e,
	    200000040));
	ck_assert_uint_eq(beacon_get_stats(t)->trackers, 4);
	mkdev(dev, 13);
	k = beacon_observe(t, dev, "d3.example", 1, &e, 200000041);
	ck_assert_uint_eq(k->total, 1); /* it was d3, updated longest ago */
	ck_assert_uint_eq(beacon_get_stats(t)->trackers, 4);
	ck_assert_uint_eq(beacon_get_stats(t)->budget_evicted, 0);
	/* A long name is cut, not overrun. */
	memset(name, 'a', sizeof(name));
	name[31] = '\0';
	ck_assert_ptr_nonnull(beacon_observe(t, dev, name, 1, &e, 3e8));
	beacon_free(t);
	beacon_free(NULL);
	cfg.max_trackers = 0;
	ck_assert_ptr_null(beacon_new(&cfg, errbuf));
	ck_assert(strstr(errbuf, "beacon") != NULL);
}
END_TEST

/* A table of 16 trackers (seed 42) in cfg, and devices a and b. */
static struct beacon_table *
table16(struct beacon_config *cfg, uint8_t a[16], uint8_t b[16])
{
	char errbuf[SW_ERRLEN];
	struct beacon_table *t;

	beacon_config_default(cfg);
	cfg->max_trackers = 16;
	cfg->seed = 42;
	t = beacon_new(cfg, errbuf);
	ck_assert_ptr_nonnull(t);
	mkdev(a, 1);
	mkdev(b, 2);
	return t;
}

/* One device past its budget of unproven trackers (a quarter of the
 * table here) takes its own oldest, never another device's. */
START_TEST(test_budget)
{
	struct beacon_config cfg;
	struct beacon_table *t;
	struct beacon_tracker *k;
	struct beacon_event e = { 0, 600, 4000 };
	char name[32];
	uint8_t a[16], b[16];
	unsigned i;

	t = table16(&cfg, a, b);
	ck_assert_ptr_nonnull(beacon_observe(t, b, "b.example", 1, &e, 1));
	/* a scan from a: 100 new destinations */
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "a%u.example", i);
		ck_assert_ptr_nonnull(beacon_observe(t, a, name, 1, &e, 2 + i));
	}
	ck_assert_uint_eq(beacon_get_stats(t)->budget_evicted, 96);
	ck_assert_uint_eq(beacon_get_stats(t)->evicted, 0);
	ck_assert_uint_eq(beacon_get_stats(t)->trackers, 5);
	/* b's one tracker is still there; a keeps its newest four */
	k = beacon_observe(t, b, "b.example", 1, &e, 200);
	ck_assert_uint_eq(k->total, 2);
	k = beacon_observe(t, a, "a96.example", 1, &e, 201);
	ck_assert_uint_eq(k->total, 2);
	/* earned, a96 left a's budget: a fourth unproven one (x) takes
	 * nothing; a fifth (y) takes a97, the oldest of a's unproven */
	ck_assert_ptr_nonnull(beacon_observe(t, a, "x.example", 1, &e, 202));
	ck_assert_uint_eq(beacon_get_stats(t)->budget_evicted, 96);
	ck_assert_ptr_nonnull(beacon_observe(t, a, "y.example", 1, &e, 203));
	ck_assert_uint_eq(beacon_get_stats(t)->budget_evicted, 97);
	k = beacon_observe(t, a, "a97.example", 1, &e, 204);
	ck_assert_uint_eq(k->total, 1); /* it had gone: a new tracker */
	beacon_free(t);
}
END_TEST

/* Trackers too old to be a beat any more make room first and are no
 * pressure: a phone browsing for days stays under its budget. */
START_TEST(test_stale)
{
	struct beacon_config cfg;
	struct beacon_table *t;
	struct beacon_tracker *k;
	struct beacon_event e = { 0, 600, 4000 };
	char errbuf[SW_ERRLEN], name[32];
	int64_t hour = 3600 * (int64_t)1000000, now;
	uint8_t a[16], b[16];
	unsigned i;

	t = table16(&cfg, a, b);
	/* one new destination an hour for 100 hours: always the device's
	 * stale oldest that goes, never counted as over its budget */
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "n%u.example", i);
		now = (int64_t)i * hour;
		e.ts_us = now;
		ck_assert_ptr_nonnull(beacon_observe(t, a, name, 1, &e, now));
	}
	ck_assert_uint_eq(beacon_get_stats(t)->budget_evicted, 0);
	ck_assert_uint_gt(beacon_get_stats(t)->expired, 90);
	beacon_free(t);

	/* a full table: an earned tracker silent for three periods goes
	 * before a fresh one-event tracker */
	t = beacon_new(&cfg, errbuf);
	ck_assert_ptr_nonnull(t);
	e.ts_us = 0;
	ck_assert_ptr_nonnull(beacon_observe(t, b, "old.example", 1, &e, 0));
	e.ts_us = 300 * (int64_t)1000000;
	k = beacon_observe(t, b, "old.example", 1, &e, e.ts_us);
	ck_assert_int_eq(k->earned, 1);
	now = 30 * hour;
	for (i = 0; i < 15; i++) {
		snprintf(name, sizeof(name), "f%u.example", i);
		mkdev(a, 100 + i);
		e.ts_us = now + i;
		ck_assert_ptr_nonnull(beacon_observe(t, a, name, 1, &e,
		    now + i));
	}
	ck_assert_uint_eq(beacon_get_stats(t)->trackers, 16);
	mkdev(a, 200);
	ck_assert_ptr_nonnull(beacon_observe(t, a, "new.example", 1, &e,
	    now + 20));
	ck_assert_uint_eq(beacon_get_stats(t)->expired, 1);
	ck_assert_uint_eq(beacon_get_stats(t)->earned_evicted, 0);
	ck_assert_uint_eq(beacon_get_stats(t)->evicted, 0);
	k = beacon_observe(t, b, "old.example", 1, &e, now + 21);
	ck_assert_uint_eq(k->total, 1); /* it had gone */
	beacon_free(t);
}
END_TEST

Suite *
beacon_suite(void)
{
	Suite *s = suite_create("beacon");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_must_fire, 0,
	    (int)(sizeof(must_fire) / sizeof(must_fire[0])));
	tcase_add_loop_test(tc, test_must_not_fire, 0,
	    (int)(sizeof(must_not_fire) / sizeof(must_not_fire[0])));
	tcase_add_test(tc, test_figures);
	tcase_add_test(tc, test_long_background);
	tcase_add_test(tc, test_window_price);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_levels_rise);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_budget);
	tcase_add_test(tc, test_stale);
	tcase_add_test(tc, test_fast_scale);
	suite_add_tcase(s, tc);
	return s;
}
