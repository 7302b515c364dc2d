/*
 * beacon.c - the rhythm of low-volume traffic from one device to one
 * destination: a scorer of event series and the table of trackers.
 *
 * Central data structure: struct beacon_table, a struct table (table.h)
 * allocated once, whose keys are (device, is-a-name byte, destination
 * text) and whose values are struct beacon_tracker, on one LRU list in
 * order of last update: the tracker updated longest ago is evicted (and
 * counted) when the pool runs out.
 *
 * The score (beacon_score_events) asks one question: how likely is it that
 * random arrivals - a Poisson process, the most regular thing ordinary
 * traffic does without a timer - would look at least this regular?  Its
 * answer, in bans (-log10 of that chance), is the evidence; the score is
 * the evidence over BEACON_FULL_BANS, capped at 1.
 *
 *  1. Events closer than idle_gap_s to the start of the current beat join
 *     it (a beacon that opens two connections per beat beats once).
 *  2. For each candidate period P (every beat interval divided by 1..4,
 *     within [min_period_s, max_period_s]) each interval d is explained as
 *     k = round(d / P) periods (k > 1: k - 1 missed beats); an interval
 *     under a quarter period right after a beat is a retry, set aside; k
 *     over 4 is an outlier.  P is refitted as sum(d) / sum(k) (the
 *     estimate when the jitter of a k-period gap grows with k) and the
 *     assignment redone, twice.
 *  3. The spread is s = sqrt(mean((d - kP)^2 / k)) / P, the coefficient
 *     of variation of one period; over BEACON_S_MAX it is no timer.  The
 *     null is not Poisson arrivals themselves but Poisson arrivals after
 *     step 1: every interval is idle_gap_s (g) plus an exponential, so
 *     the spread is measured above that floor, s' = s P / (P - g).
 *     Without this, human gaps of 15-50 s, which coalescing cuts off at
 *     10 s, look like 30 s timers.  For m intervals of the exponential
 *     part, the intervals over their sum are uniform on the simplex, so
 *     the chance that their coefficient of variation is under s' is
 *     exactly the volume of an (m-1)-ball of radius s'/sqrt(m) over the
 *     simplex's:
 *         p = pi^((m-1)/2) (s'/sqrt(m))^(m-1) (m-1)! / (Gamma((m+1)/2) sqrt(m))
 *     (while that ball fits inside the simplex, s' <= 1/sqrt(m-1); beyond,
 *     the large-deviation rate of beacon_rate() continues it).  s' is
 *     floored at BEACON_S_FLOOR: network delays make real timers this
 *     unsteady, and a perfect series should not score infinitely.
 *  4. Every liberty taken in step 2 multiplies p by the number of ways it
 *     could have been taken (a Bonferroni bound): C(m, missed-gaps) 3^gaps
 *     for the intervals read as 2..4 periods, C(beats, retries), and
 *     C(m, outliers) 10^outliers.  So a series needing many excuses needs
 *     more beats.  evidence = -log10 p over the best candidate.
 *  5. Near-constant sizes are independent evidence, in the same currency:
 *     -log10 of the chance that an ordinary destination, whose ln(bytes)
 *     spread by SW_BEACON_SIZE_SIGMA_UP / _DOWN, sends sizes this alike (the
 *     chi-square law of the sample variance of ln(bytes); one outlier
 *     allowed at a Bonferroni price of n), capped at BEACON_SIZE_MAX_BANS
 *     and at the timing evidence itself: identical API calls are common
 *     in ordinary traffic, a clock is not, so sizes corroborate a rhythm
 *     and never stand in for one.  Bytes up only: on a new TLS connection
 *     the bytes down are mostly the server's certificate chain, constant
 *     for every server (the end-to-end beacon-background scenario fired
 *     on chat with them), so SW_BEACON_SIZE_DOWN is 0.  The sigma is set from
 *     the eval's background, never from the beacons.
 *  6. A tracker is scored at every event of its life (beacon_score_tracker)
 *     and its window of SW_BEACON_HISTORY events slides: a busy destination
 *     seen for days has been tested over total / held disjoint windows,
 *     and log10 of that is taken off the evidence: a Bonferroni price
 *     that counts disjoint windows as the independent tests (windows
 *     overlapping them mostly repeat their answer), so an estimate, not a
 *     bound.  A beacon fires early, before this costs anything; days of
 *     chat or CDN traffic no longer find one lucky window.  total never
 *     decays: a pair with a long ordinary history that later carries a
 *     beacon pays log10(total / 32), 1 ban after 320 events, until its
 *     tracker is evicted.
 *
 * Uniform jitter of +-j around P gives s = j / sqrt(3): 0.058 at 10%,
 * 0.19 for "every 5 to 10 minutes", 0.29 at 50%, so the evidence per
 * interval is about 1.2, 0.7 and 0.5 bans: the events a notice needs
 * follow from the threshold (min_score * BEACON_FULL_BANS bans, 3.5 by
 * default).  Uploads of one report format (+-15%) add up to as much again,
 * so for 95% firing a 5 minute beacon needs 6 events at 0% and 10% jitter,
 * 7 at 25%, 9 at 50%, 7 for "every 5 to 10 minutes" (make eval; with
 * ordinary sizes 6, 6, 8, 14 and 9).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "config.h"
#include "table.h"

/* Defaults: include/config.h (each with its unit and reason). */

/* Evidence, in bans, that makes a score of 1. */
#define BEACON_FULL_BANS	10.0
/* Largest gap read as k periods (3 missed beats in a row). */
#define BEACON_KMAX		4
/* An interval under this share of the period, right after a beat, is a
 * retry: 50% jitter never brings a beat closer than half a period. */
#define BEACON_RETRY_FRAC	0.25
/* Smallest period spread believed: a few hundred ms of handshake and
 * scheduling noise on a 30 s timer. */
#define BEACON_S_FLOOR		0.01
/* Largest period spread called a timer: +-50% uniform jitter is 0.29, and
 * a handful of intervals can estimate it up to about 0.4.  Processes with a
 * floor (polling with back-off, rate limits) are more regular than Poisson
 * arrivals but not this regular. */
#define BEACON_S_MAX		0.45
/* Extra cost of an outlier interval, bans, beyond its Bonferroni term. */
#define BEACON_OUTLIER_BANS	2.0
/*
 * Sizes (step 5): within one ordinary destination, the bytes of a
 * connection vary with the page, the message, the cookies; the spread of
 * ln(bytes) is the measure.  The null's standard deviations of ln(bytes)
 * per destination, SW_BEACON_SIZE_SIGMA_UP and _DOWN, and whether bytes
 * down count (SW_BEACON_SIZE_DOWN), are tunables: config.h, with the
 * measurements behind them.
 */
/* Smallest spread of ln(bytes) believed: padding, headers, counters. */
#define BEACON_SIZE_FLOOR	0.05
/* At most this many bans from sizes, and only on timing worth this much:
 * identical API calls are common in ordinary traffic, a rhythm is not. */
#define BEACON_SIZE_MAX_BANS	4.0
#define BEACON_SIZE_MIN_TIMING	1.0
/* Medians under this many bytes carry no size evidence: empty or failed
 * connections are constant for every destination. */
#define BEACON_SIZE_MIN_BYTES	40

#define LOG10E	0.43429448190325182765

void
beacon_config_default(struct beacon_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_trackers = SW_BEACON_MAX;
	cfg->min_events = SW_BEACON_MIN_EVENTS;
	cfg->min_score = SW_BEACON_MIN_SCORE;
	cfg->max_up = SW_BEACON_MAX_UP;
	cfg->max_down = SW_BEACON_MAX_DOWN;
	cfg->idle_gap_s = SW_BEACON_IDLE_GAP;
	cfg->min_period_s = SW_BEACON_MIN_PERIOD;
	cfg->fast_min_events = SW_BEACON_FAST_MIN_EVENTS;
	cfg->max_period_s = SW_BEACON_MAX_PERIOD;
	cfg->seed = 0;
}

/* --- the scorer ---------------------------------------------------------- */

/* One beat: coalesced events. */
struct beacon_beat {
	double t;		/* seconds from the first event */
	double up, down;
};

/* The result of fitting one candidate period. */
struct beacon_fit {
	double period, s, bans;
	uint32_t m, gaps, missed, retries, outliers;
};

/* log10 of the binomial coefficient C(n, k). */
static double
beacon_log10_choose(double n, double k)
{
	if (k <= 0 || k >= n)
		return 0;
	return (lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)) * LOG10E;
}

/*
 * Large-deviation rate of the coefficient of variation of exponential
 * samples: P(CV < s) ~ exp(-(m - 1) I(s)).  The minimizing law is a
 * Gaussian truncated at 0 (the exponential tilted by d and d^2); the table
 * holds I(s) + ln(s) at s = 0.05, 0.10, .. 1.00, computed by numerical
 * integration.  It is -0.4189 = -ln(2 pi) / 2 + 1/2 up to s = 0.3, where the
 * small-ball formula below is exact, and I(1) = 0.
 */
static const double beacon_rate_tab[20] = {
	-0.4189, -0.4189, -0.4188, -0.4189, -0.4189, -0.4179, -0.4159,
	-0.4109, -0.4021, -0.3882, -0.3677, -0.3422, -0.3119, -0.2761,
	-0.2363, -0.1930, -0.1472, -0.0991, -0.0499, 0.0000
};

static double
beacon_rate(double s)
{
	double x, j;
	int i;

	if (s >= 1)
		return 0;
	x = s / 0.05;
	if (x <= 1)
		j = beacon_rate_tab[0];
	else {
		i = (int)x;
		j = beacon_rate_tab[i - 1] + (x - i) *
		    (beacon_rate_tab[i < 20 ? i : 19] - beacon_rate_tab[i - 1]);
	}
	return j - log(s);
}

/*
 * log10 of the chance that m intervals of a Poisson process have a
 * coefficient of variation under s (file comment, step 3): exact while
 * the ball fits in the simplex, continued by the large-deviation rate.
 */
static double
beacon_log10_null(double s, uint32_t m)
{
	double k, r, lp, sb;

	if (m < 2)
		return 0;
	k = (double)m - 1;
	sb = 1 / sqrt(k);
	if (s > sb) {
		/*
		 * The rate has no prefactor, so far from the ball the
		 * continuation overstates the evidence (by a third at s = 0.8
		 * against Monte Carlo); (1 - s) / 0.45 from s = 0.55 brings it
		 * under the true value everywhere but within 0.07 bans of it
		 * up to s = 0.6 (tests/check_beacon.c, test_null).
		 */
		if (s >= 1)
			return 0;
		lp = beacon_log10_null(sb, m) -
		    k * (beacon_rate(s) - beacon_rate(sb)) * LOG10E;
		if (s > 0.55)
			lp *= (1 - s) / 0.45;
		return lp < 0 ? lp : 0;
	}
	r = s / sqrt((double)m);
	lp = k / 2 * log(M_PI) + k * log(r) - lgamma(k / 2 + 1) +
	    lgamma((double)m) - 0.5 * log((double)m);
	lp *= LOG10E;
	return lp < 0 ? lp : 0;
}

double
beacon_null_bans(double s, unsigned m)
{
	return -beacon_log10_null(s, m);
}

/* Assign each interval to k periods of p; accumulate into *f. */
static void
beacon_assign(const struct beacon_beat *b, size_t nb, double p, int kmax,
    struct beacon_fit *f, double *sumd, double *sumk, double *sse)
{
	double last, d, k;
	size_t j;

	memset(f, 0, sizeof(*f));
	*sumd = *sumk = *sse = 0;
	last = b[0].t;
	for (j = 1; j < nb; j++) {
		d = b[j].t - last;
		if (d < BEACON_RETRY_FRAC * p) {
			/* The schedule runs from the beat, not the retry. */
			f->retries++;
			continue;
		}
		last = b[j].t;
		k = floor(d / p + 0.5);
		if (k < 1 || kmax == 1)
			k = 1;
		if (k > kmax) {
			f->outliers++;
			continue;
		}
		f->m++;
		if (k > 1) {
			f->gaps++;
			f->missed += (uint32_t)k - 1;
		}
		*sumd += d;
		*sumk += k;
		*sse += (d - k * p) * (d - k * p) / k;
	}
}

/* Fit candidate period p0; 0 when it leaves the allowed range. */
static int
beacon_fit(const struct beacon_beat *b, size_t nb, double p0, int kmax,
    double pmin, double pmax, double gap, struct beacon_fit *f)
{
	double p = p0, sumd, sumk, sse, s, lp;
	int it;

	for (it = 0; it < 3; it++) {
		beacon_assign(b, nb, p, kmax, f, &sumd, &sumk, &sse);
		if (f->m < 2 || sumk <= 0)
			return 0;
		if (it < 2)
			p = sumd / sumk;
		if (p < pmin || p > pmax)
			return 0;
	}
	/* Refuse explanations that are mostly excuses. */
	if (f->retries * 4 > nb || f->outliers * 10 > nb + 9 ||
	    f->gaps * 2 > f->m)
		return 0;
	s = sqrt(sse / f->m) / p;
	f->period = p;
	f->s = s;
	if (s > BEACON_S_MAX)
		return 0;
	/* The null's intervals are the gap plus an exponential (step 3):
	 * the spread is measured above that floor. */
	if (p <= gap)
		return 0;
	s *= p / (p - gap);
	if (s < BEACON_S_FLOOR)
		s = BEACON_S_FLOOR;
	lp = beacon_log10_null(s, f->m);
	lp += beacon_log10_choose(f->m, f->gaps) + f->gaps * log10(3.0);
	lp += beacon_log10_choose((double)nb, f->retries);
	lp += beacon_log10_choose((double)(f->m + f->outliers), f->outliers) +
	    f->outliers * BEACON_OUTLIER_BANS;
	f->bans = lp < 0 ? -lp : 0;
	return 1;
}

static int
beacon_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median and MAD / median of v (n >= 1; v is reordered). */
static void
beacon_robust(double *v, size_t n, double *med, double *disp)
{
	double m;
	size_t i;

	qsort(v, n, sizeof(*v), beacon_cmp_double);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	for (i = 0; i < n; i++)
		v[i] = fabs(v[i] - m);
	qsort(v, n, sizeof(*v), beacon_cmp_double);
	*med = m;
	if (m <= 0)
		*disp = 0;
	else
		*disp = (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / m;
}

/*
 * log10 of the regularized lower incomplete gamma function P(a, x), by its
 * series: x^a e^-x / Gamma(a + 1) * sum x^k / ((a + 1) .. (a + k)).  Only
 * small chances matter here, where the series converges in a few terms.
 */
static double
beacon_log10_gammap(double a, double x)
{
	double term = 1, sum = 1, lp;
	int k;

	if (x <= 0)
		return -300;
	for (k = 1; k < 500 && term > sum * 1e-12; k++) {
		term *= x / (a + k);
		sum += term;
	}
	lp = (a * log(x) - x - lgamma(a + 1) + log(sum)) * LOG10E;
	return lp < 0 ? lp : 0;
}

/* log10 of the chance that m draws from N(mu, sigma0^2) have a sum of
 * squared deviations from their mean at most ss: chi-square, m - 1 df. */
static double
beacon_log10_spread(double ss, size_t m, double sigma0)
{
	if (m < 3)
		return 0;
	return beacon_log10_gammap(((double)m - 1) / 2,
	    ss / (sigma0 * sigma0) / 2);
}

/*
 * Size evidence, bans, for n sizes: the chance that an ordinary
 * destination, whose ln(bytes) spread by sigma0, would send n sizes this
 * alike (chi-square law of the sample variance).  One outlier (a beat that
 * carried a second request, a retry with a handshake) is allowed: the
 * sizes without the one farthest from the mean, at the price of n (which
 * one) - a union bound, so still a true bound on the chance.
 */
static double
beacon_size_evidence(const double *bytes, size_t n, double sigma0)
{
	double l[SW_BEACON_HISTORY];
	double mean = 0, ss = 0, far = -1, floor2, lp, lp1;
	size_t i, fi = 0;

	if (n < 3 || n > SW_BEACON_HISTORY)
		return 0;
	for (i = 0; i < n; i++) {
		l[i] = log(bytes[i] + 1);
		mean += l[i];
	}
	mean /= (double)n;
	for (i = 0; i < n; i++) {
		ss += (l[i] - mean) * (l[i] - mean);
		if (fabs(l[i] - mean) > far) {
			far = fabs(l[i] - mean);
			fi = i;
		}
	}
	floor2 = BEACON_SIZE_FLOOR * BEACON_SIZE_FLOOR;
	if (ss < floor2 * (double)(n - 1))
		ss = floor2 * (double)(n - 1);
	lp = beacon_log10_spread(ss, n, sigma0);
	if (n >= 6) {
		double m1 = 0, ss1 = 0;

		for (i = 0; i < n; i++)
			if (i != fi)
				m1 += l[i];
		m1 /= (double)(n - 1);
		for (i = 0; i < n; i++)
			if (i != fi)
				ss1 += (l[i] - m1) * (l[i] - m1);
		if (ss1 < floor2 * (double)(n - 2))
			ss1 = floor2 * (double)(n - 2);
		lp1 = beacon_log10_spread(ss1, n - 1, sigma0) +
		    log10((double)n);
		if (lp1 < lp)
			lp = lp1;
	}
	return lp < 0 ? -lp : 0;
}

/* The evidence, and the score it makes. */
static void
beacon_set_evidence(struct beacon_score *out, double bans)
{
	out->evidence = bans;
	out->score = bans < BEACON_FULL_BANS ? bans / BEACON_FULL_BANS : 1;
}

int
beacon_score_events(const struct beacon_event *ev, size_t n,
    const struct beacon_config *cfg, struct beacon_score *out)
{
	struct beacon_beat b[SW_BEACON_HISTORY];
	struct beacon_fit best, f;
	double v[SW_BEACON_HISTORY], up[SW_BEACON_HISTORY];
	double down[SW_BEACON_HISTORY];
	double gap, p, bans;
	size_t nb, i, j;
	uint32_t kk;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return 0;
	/* Only the most recent history counts, as in a tracker. */
	if (n > SW_BEACON_HISTORY) {
		ev += n - SW_BEACON_HISTORY;
		n = SW_BEACON_HISTORY;
	}
	out->first_us = ev[0].ts_us;
	out->last_us = ev[n - 1].ts_us;

	/* Step 1: beats. */
	gap = cfg->idle_gap_s;
	nb = 0;
	for (i = 0; i < n; i++) {
		double t = (double)(ev[i].ts_us - ev[0].ts_us) / 1e6;

		if (nb > 0 && t - b[nb - 1].t < gap) {
			b[nb - 1].up += ev[i].up;
			b[nb - 1].down += ev[i].down;
			continue;
		}
		b[nb].t = t;
		b[nb].up = ev[i].up;
		b[nb].down = ev[i].down;
		nb++;
	}
	out->events = (uint32_t)nb;
	if (nb < 4 || nb < cfg->min_events)
		return 0;

	/* Steps 2-4: the best candidate period. */
	memset(&best, 0, sizeof(best));
	for (i = 1; i < nb; i++) {
		double d = b[i].t - b[i - 1].t;

		for (kk = 1; kk <= BEACON_KMAX; kk++) {
			p = d / kk;
			if (p < cfg->min_period_s || p > cfg->max_period_s)
				continue;
			if (beacon_fit(b, nb, p, BEACON_KMAX, cfg->min_period_s,
			    cfg->max_period_s, gap, &f) && (best.m == 0 ||
			    f.bans > best.bans))
				best = f;
		}
	}
	/*
	 * And every interval one period: with 50% jitter a beat 1.5 periods
	 * late sits on the boundary between "late" and "one missed", and
	 * reading it as missed drags the period down.
	 */
	p = b[nb - 1].t / (double)(nb - 1);
	if (p >= cfg->min_period_s && p <= cfg->max_period_s &&
	    beacon_fit(b, nb, p, 1, cfg->min_period_s, cfg->max_period_s,
	    gap, &f) && (best.m == 0 || f.bans > best.bans))
		best = f;

	/* Step 5: sizes. */
	for (j = 0; j < nb; j++)
		up[j] = v[j] = b[j].up;
	beacon_robust(v, nb, &out->up_median, &out->up_dispersion);
	for (j = 0; j < nb; j++)
		down[j] = v[j] = b[j].down;
	beacon_robust(v, nb, &out->down_median, &out->down_dispersion);

	if (best.m == 0)
		return 1;	/* scored: no period fits */
	bans = best.bans;
	/* Sizes only add to timing that is already telling. */
	if (bans >= BEACON_SIZE_MIN_TIMING) {
		double sb = 0;

		if (out->up_median >= BEACON_SIZE_MIN_BYTES)
			sb += beacon_size_evidence(up, nb,
			    SW_BEACON_SIZE_SIGMA_UP);
		if (SW_BEACON_SIZE_DOWN &&
		    out->down_median >= BEACON_SIZE_MIN_BYTES)
			sb += beacon_size_evidence(down, nb,
			    SW_BEACON_SIZE_SIGMA_DOWN);
		if (sb > BEACON_SIZE_MAX_BANS)
			sb = BEACON_SIZE_MAX_BANS;
		/* No more than the timing gave (step 5): 8 random arrivals
		 * with one upload size would fire otherwise (check_beacon.c,
		 * "poisson short"). */
		if (sb > bans)
			sb = bans;
		bans += sb;
	}
	out->period_s = best.period;
	out->interval_dispersion = best.s;
	out->missed = best.missed;
	out->retries = best.retries;
	beacon_set_evidence(out, bans);
	return 1;
}

/* The price of the windows a tracker has already been tested on (step
 * 6), off out's evidence. */
static void
window_price(const struct beacon_tracker *k, struct beacon_score *out)
{
	double pen;

	if (k->total > k->n && out->evidence > 0) {
		pen = log10((double)k->total / k->n);
		beacon_set_evidence(out, out->evidence > pen ?
		    out->evidence - pen : 0);
	}
}

int
beacon_score_tracker(const struct beacon_tracker *k,
    const struct beacon_config *cfg, struct beacon_score *out)
{
	if (!beacon_score_events(k->ev, k->n, cfg, out))
		return 0;
	window_price(k, out);
	return 1;
}

void
beacon_fast_config(const struct beacon_config *cfg, struct beacon_config *fast)
{
	*fast = *cfg;
	fast->idle_gap_s = SW_BEACON_FAST_GAP;
	fast->min_period_s = SW_BEACON_FAST_MIN_PERIOD;
	fast->max_period_s = cfg->min_period_s;
	fast->min_events = cfg->fast_min_events;
}

int
beacon_score_fast(const struct beacon_tracker *k,
    const struct beacon_config *fast, struct beacon_score *out)
{
	struct beacon_event ev[SW_BEACON_HISTORY];
	size_t i, n = 0;

	if (fast->min_events == 0 ||
	    fast->max_period_s <= SW_BEACON_FAST_MIN_PERIOD + 1)
		return 0;
	for (i = 0; i < k->n; i++)
		if (k->ev[i].up > 0 && k->ev[i].down > 0)
			ev[n++] = k->ev[i];
	if (!beacon_score_events(ev, n, fast, out))
		return 0;
	window_price(k, out);
	return 1;
}

int
beacon_level(const struct beacon_score *s, const struct beacon_config *cfg)
{
	double mid;

	if (s->events < cfg->min_events || s->score < cfg->min_score ||
	    s->score <= 0)
		return 0;
	if (s->score >= 1 && s->events >= 2 * cfg->min_events)
		return 3;
	mid = (cfg->min_score + 1) / 2;
	return s->score >= mid ? 2 : 1;
}

/* --- the table ------------------------------------------------------------ */

/* The key: device, whether dest is a name, dest without its NUL. */
#define BEACON_KEY_MAX (16 + 1 + BEACON_DEST_MAX - 1)

/* A device's unproven trackers: how many, and their chain. */
struct beacon_dev {
	uint32_t count;
	uint32_t oldest, newest; /* tracker handles */
};

/*
 * Trackers are kept by value: list 0 of the table holds the unproven
 * ones (one event: any new destination), list 1 the earned ones (two or
 * more); room is made from list 0 first, so a flood of new destinations
 * (a port scan, a P2P client, spoofed traffic) takes only trackers that
 * have earned nothing.  And one device may hold at most `budget`
 * unproven trackers: past it, its own oldest goes, not another
 * device's.  The devices table chains each device's unproven trackers
 * through the trackers' dprev/dnext handles: O(1) a tracker.
 */
struct beacon_table {
	struct beacon_config cfg;
	struct table *tab;
	struct table *devs; /* key: the device's 16 bytes */
	uint32_t budget;
	uint32_t earned, earned_max; /* on list 1, and its cap */
	struct beacon_stats stats;
};

int
beacon_config_check(const struct beacon_config *cfg, char *errbuf)
{
	if (cfg->max_trackers == 0) {
		snprintf(errbuf, SW_ERRLEN,
		    "--beacon-trackers must be at least 1");
		return -1;
	}
	if (cfg->min_score < 0 || cfg->min_score > 1) {
		snprintf(errbuf, SW_ERRLEN,
		    "beacon: minimum score %g not in 0..1", cfg->min_score);
		return -1;
	}
	if (cfg->min_period_s > cfg->max_period_s) {
		snprintf(errbuf, SW_ERRLEN,
		    "--beacon-min-period is over --beacon-max-period");
		return -1;
	}
	/* Events closer than the idle gap join one beat (step 1): no
	 * shorter period can be seen, and the null's floor is the gap. */
	if (cfg->min_period_s <= cfg->idle_gap_s) {
		snprintf(errbuf, SW_ERRLEN,
		    "--beacon-min-period must be over "
		    "--beacon-idle-gap (events closer than the gap are one "
		    "beat)");
		return -1;
	}
	return 0;
}

struct beacon_table *
beacon_new(const struct beacon_config *cfg, char *errbuf)
{
	struct table_config tc = { 0 };
	struct beacon_table *t;

	if (beacon_config_check(cfg, errbuf) != 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		snprintf(errbuf, SW_ERRLEN, "beacon: out of memory");
		return NULL;
	}
	t->cfg = *cfg;
	/* the table's errors start with its name */
	tc.name = "beacon trackers";
	tc.max = cfg->max_trackers;
	tc.key_max = BEACON_KEY_MAX;
	tc.val_size = sizeof(struct beacon_tracker);
	/* a new tracker needs its counts zeroed, not its 32-event history
	 * (read only below n): at a full table every event evicts one */
	tc.val_zero = offsetof(struct beacon_tracker, ev);
	tc.seed = cfg->seed;
	tc.filter = SW_TABLE_FILTER; /* most lookups miss */
	tc.nlists = 2;
	if ((t->tab = table_new(&tc, errbuf)) == NULL) {
		free(t);
		return NULL;
	}
	memset(&tc, 0, sizeof(tc));
	tc.name = "beacon devices";
	tc.max = cfg->max_trackers;
	tc.key_max = 16;
	tc.val_size = sizeof(struct beacon_dev);
	tc.seed = cfg->seed;
	if ((t->devs = table_new(&tc, errbuf)) == NULL) {
		table_free(t->tab);
		free(t);
		return NULL;
	}
	t->budget = cfg->max_trackers / 4;
	if (t->budget > SW_BEACON_DEVICE_BUDGET)
		t->budget = SW_BEACON_DEVICE_BUDGET;
	if (t->budget < 1)
		t->budget = 1;
	t->earned_max = cfg->max_trackers - cfg->max_trackers / 4;
	if (t->earned_max < 1)
		t->earned_max = 1;
	return t;
}

void
beacon_free(struct beacon_table *t)
{
	if (t == NULL)
		return;
	table_free(t->tab);
	table_free(t->devs);
	free(t);
}

const struct beacon_stats *
beacon_get_stats(const struct beacon_table *t)
{
	return &t->stats;
}

/* Insert e into k's history, kept sorted; the oldest falls off when full. */
static void
beacon_insert(struct beacon_tracker *k, const struct beacon_event *e)
{
	size_t i;

	if (k->n == SW_BEACON_HISTORY) {
		if (e->ts_us < k->ev[0].ts_us)
			return;	/* older than all we keep */
		memmove(&k->ev[0], &k->ev[1],
		    (SW_BEACON_HISTORY - 1) * sizeof(k->ev[0]));
		k->n--;
	}
	i = k->n;
	while (i > 0 && k->ev[i - 1].ts_us > e->ts_us) {
		k->ev[i] = k->ev[i - 1];
		i--;
	}
	k->ev[i] = *e;
	k->n++;
}

static struct beacon_dev *
dev_find(struct beacon_table *t, const uint8_t device[16])
{
	return table_find(t->devs, device, 16, table_hash(t->devs, device, 16));
}

/* Take unproven k out of its device's chain (the device goes with its
 * last one). */
static void
dev_unlink(struct beacon_table *t, struct beacon_tracker *k)
{
	struct beacon_tracker *o;
	struct beacon_dev *d;

	d = dev_find(t, table_key(t->tab, k, NULL));
	if (d == NULL)
		return;
	if (k->dprev != 0 && (o = table_at(t->tab, k->dprev)) != NULL)
		o->dnext = k->dnext;
	else
		d->oldest = k->dnext;
	if (k->dnext != 0 && (o = table_at(t->tab, k->dnext)) != NULL)
		o->dprev = k->dprev;
	else
		d->newest = k->dprev;
	k->dprev = k->dnext = 0;
	if (--d->count == 0)
		table_remove(t->devs, d);
}

static void
tracker_remove(struct beacon_table *t, struct beacon_tracker *k)
{
	if (!k->earned)
		dev_unlink(t, k);
	else
		t->earned--;
	table_remove(t->tab, k);
}

/*
 * A full table evicts its oldest unproven tracker for each new one:
 * ask now for what the next two evictions touch (their entries, the
 * oldest's bucket, and its device chain's next tracker, which it
 * unlinks), so that those misses overlap the events between.  The
 * oldest's chain links were asked for at the eviction before.
 */
static void
prefetch_victims(const struct beacon_table *t)
{
	const size_t links = offsetof(struct beacon_tracker, total);
	const struct beacon_tracker *k;

	table_prefetch_oldest(t->tab, 0, links);
	if ((k = table_oldest(t->tab, 0)) != NULL && !k->earned)
		table_prefetch_at(t->tab, k->dnext, links);
}

/*
 * Room for a new tracker of `device` at now_us.  A tracker whose last
 * event is too old to be a beat of any period still in range (one event:
 * max_period_s; two or more: SW_BEACON_STALE_PERIODS periods, a beacon
 * missing beats) has earned nothing any more and goes first, uncounted
 * as pressure (expired).  Then: the device's own oldest unproven one at
 * its budget; the table full, the oldest unproven one of all, else the
 * oldest earned one.  O(1): the oldest ends of the lists and the chain.
 */
static void
make_room(struct beacon_table *t, const uint8_t device[16], uint64_t dh,
    int64_t now_us)
{
	int64_t stale1 = (int64_t)t->cfg.max_period_s * 1000000;
	int64_t stale2 = stale1 * SW_BEACON_STALE_PERIODS;
	struct beacon_tracker *k;
	struct beacon_dev *d = table_find(t->devs, device, 16, dh);

	if (d != NULL && d->count >= t->budget &&
	    (k = table_at(t->tab, d->oldest)) != NULL) {
		if (now_us - k->updated_us >= stale1)
			t->stats.expired++;
		else
			t->stats.budget_evicted++;
		tracker_remove(t, k);
		return;
	}
	if (!table_full(t->tab))
		return;
	if ((k = table_oldest(t->tab, 1)) != NULL &&
	    now_us - k->updated_us >= stale2) {
		t->stats.expired++;
		tracker_remove(t, k);
		return;
	}
	if ((k = table_oldest(t->tab, 0)) == NULL) {
		k = table_oldest(t->tab, 1);
		t->stats.earned_evicted++;
	}
	tracker_remove(t, k);
	t->stats.evicted++;
	prefetch_victims(t);
}

/* Chain new tracker k as its device's newest unproven one (dh: the
 * device's hash in t->devs, as make_room() had it). */
static void
dev_link(struct beacon_table *t, const uint8_t device[16], uint64_t dh,
    struct beacon_tracker *k)
{
	struct beacon_tracker *o;
	struct beacon_dev *d;
	uint32_t idx = table_index(t->tab, k);

	if ((d = table_find(t->devs, device, 16, dh)) == NULL &&
	    (d = table_insert(t->devs, device, 16, dh, 0)) == NULL)
		return; /* never: a device per unproven tracker at most */
	k->dprev = d->newest;
	k->dnext = 0;
	if (d->newest != 0 && (o = table_at(t->tab, d->newest)) != NULL)
		o->dnext = idx;
	else
		d->oldest = idx;
	d->newest = idx;
	d->count++;
}

struct beacon_tracker *
beacon_observe(struct beacon_table *t, const uint8_t device[16],
    const char *dest, int dest_is_name, const struct beacon_event *e,
    int64_t now_us)
{
	struct beacon_tracker *k;
	uint8_t key[BEACON_KEY_MAX];
	uint64_t h;
	size_t dlen, klen;

	t->stats.events++;
	if (e->up > t->cfg.max_up || e->down > t->cfg.max_down) {
		t->stats.gated++;
		return NULL;
	}
	/* A longer destination is cut to BEACON_DEST_MAX - 1 bytes. */
	dlen = strnlen(dest, BEACON_DEST_MAX - 1);
	memcpy(key, device, 16);
	key[16] = dest_is_name != 0;
	memcpy(key + 17, dest, dlen);
	klen = 17 + dlen;
	h = table_hash(t->tab, key, klen);
	if ((k = table_find(t->tab, key, klen, h)) != NULL) {
		if (!k->earned) {
			/* a second event: earned, out of the device's
			 * budget; the earned at their share of the table,
			 * the one updated longest ago goes, so that new
			 * destinations always have room */
			struct beacon_tracker *o;

			if (t->earned >= t->earned_max &&
			    (o = table_oldest(t->tab, 1)) != NULL) {
				tracker_remove(t, o);
				t->stats.earned_evicted++;
			}
			dev_unlink(t, k);
			k->earned = 1;
			t->earned++;
		}
		table_touch(t->tab, k, 1);
	} else {
		/* the device's entry is looked up twice (its budget, then
		 * its chain) and hashed once */
		uint64_t dh = table_hash(t->devs, device, 16);

		make_room(t, device, dh, now_us);
		/* The key fits and room was made: never NULL. */
		if ((k = table_insert(t->tab, key, klen, h, 0)) == NULL)
			return NULL;
		dev_link(t, device, dh, k);
	}
	beacon_insert(k, e);
	k->total++;
	k->updated_us = now_us;
	t->stats.trackers = table_get_stats(t->tab)->entries;
	return k;
}
