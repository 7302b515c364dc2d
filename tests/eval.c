/*
 * eval.c - event-level evaluation of the beacon scorer against labelled
 * synthetic traffic, side by side with RITA v5's interval and size
 * sub-scores.
 *
 * Central data: struct ev_run, the events of one simulated device over one
 * capture (a time-sorted array of struct ev_rec, each naming a
 * destination and carrying its label), fed in time order through a
 * struct beacon_table exactly as the analyzer would, each touched tracker
 * scored by beacon_score_events() and by rita_score() over the same
 * history.  A destination "fires" the first time beacon_level() > 0 (ours)
 * or the RITA score (tsScore + dsScore) / 2 crosses a threshold; the
 * first-notice times are kept for a grid of RITA thresholds so RITA can be
 * read at the threshold that gives its false-notice rate on background
 * equal to ours.
 *
 * Families: beacons (period 30 s .. 1 h and "every 5 to 10 minutes",
 * jitter 0-50%, missed beats 0-20%, retries, sizes with variance, a new
 * connection per beat or bursts in one kept-alive connection, captures of
 * 30 min, 2 h, 24 h) each over a device's ordinary background; allowlisted
 * periodic services; ordinary background alone over many device-days.
 *
 * Usage: eval [-d DEVICE_DAYS] [-s SEEDS] [-m MIN_SCORE] [-g IDLE_GAP_S]
 *        [-p MIN_PERIOD_S]
 *        eval -t FILE.tsv   (score real event series: see eval_tsv)
 * EVAL_DEBUG=1 lists background false notices on stderr; EVAL_MISSES=1
 * prints each eligible beacon missed, with its intervals and sizes.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "rita.h"

#define EV_DAY		86400.0
#define EV_RITA_N	9
static const double ev_rita_thr[EV_RITA_N] = {
	0.80, 0.85, 0.90, 0.925, 0.95, 0.975, 0.99, 0.995, 1.0
};

enum ev_label {
	L_BACKGROUND,
	L_ALLOW,	/* allowlisted periodic service */
	L_BEACON
};

struct ev_rec {
	double t;		/* seconds from the capture start */
	uint32_t dest;		/* index into the run's destinations */
	uint32_t up, down;
};

struct ev_dest {
	char name[64];
	enum ev_label label;
	double first_t;		/* first event (after the gate) */
	double fire_t;		/* ours: first notice, or < 0 */
	double rita_t[EV_RITA_N];	/* RITA: first crossing per threshold */
	uint32_t events;	/* events after the gate */
	double max_score;	/* ours, for reporting */
	uint64_t fire_total;	/* tracker events at the first notice */
	struct beacon_score fire_sc;	/* and its score */
};

struct ev_run {
	struct ev_rec *rec;
	size_t n, cap;
	struct ev_dest *dest;
	size_t nd, dcap;
	uint64_t rng;
	double len;		/* capture length, seconds */
};

/* --- randomness ------------------------------------------------------------ */

static double
ev_u(struct ev_run *r)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return (double)(r->rng >> 11) * (1.0 / 9007199254740992.0);
}

static double
ev_exp(struct ev_run *r, double mean)
{
	return -log(1 - ev_u(r)) * mean;
}

static double
ev_norm(struct ev_run *r)
{
	return sqrt(-2 * log(1 - ev_u(r))) * cos(2 * M_PI * ev_u(r));
}

/* Lognormal with this median and sigma. */
static double
ev_lognorm(struct ev_run *r, double median, double sigma)
{
	return median * exp(sigma * ev_norm(r));
}

static uint32_t
ev_size(struct ev_run *r, double mean, double var)
{
	double v = mean * (1 + var * ev_norm(r));

	return v < 40 ? 40 : (uint32_t)v;
}

/* --- the run ---------------------------------------------------------------- */

static void *
ev_grow(void *p, size_t *cap, size_t elt)
{
	size_t nc = *cap ? *cap * 2 : 1024;

	p = realloc(p, nc * elt);
	if (p == NULL) {
		fprintf(stderr, "eval: out of memory\n");
		exit(1);
	}
	*cap = nc;
	return p;
}

static uint32_t
ev_dest_new(struct ev_run *r, const char *name, enum ev_label label)
{
	struct ev_dest *d;
	int i;

	if (r->nd == r->dcap)
		r->dest = ev_grow(r->dest, &r->dcap, sizeof(*r->dest));
	d = &r->dest[r->nd];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->label = label;
	d->fire_t = -1;
	d->first_t = -1;
	for (i = 0; i < EV_RITA_N; i++)
		d->rita_t[i] = -1;
	return (uint32_t)r->nd++;
}

static void
ev_add(struct ev_run *r, double t, uint32_t dest, uint32_t up,
    uint32_t down)
{
	if (t < 0 || t >= r->len)
		return;
	if (r->n == r->cap)
		r->rec = ev_grow(r->rec, &r->cap, sizeof(*r->rec));
	r->rec[r->n].t = t;
	r->rec[r->n].dest = dest;
	r->rec[r->n].up = up;
	r->rec[r->n].down = down;
	r->n++;
}

static void
ev_run_init(struct ev_run *r, double len, uint64_t seed)
{
	memset(r, 0, sizeof(*r));
	r->len = len;
	r->rng = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (r->rng == 0)
		r->rng = 1;
}

static void
ev_run_free(struct ev_run *r)
{
	free(r->rec);
	free(r->dest);
}

/* --- generators: background -------------------------------------------------- */

/* A pool of web destinations with Zipf-like popularity. */
#define EV_SITES	3000

static uint32_t
ev_site(struct ev_run *r, uint32_t *map)
{
	/* Zipf(1) over EV_SITES by inversion of the harmonic CDF. */
	uint32_t k = (uint32_t)exp(ev_u(r) * log((double)EV_SITES));
	char name[64];

	if (k >= EV_SITES)
		k = EV_SITES - 1;
	if (map[k] == UINT32_MAX) {
		snprintf(name, sizeof(name), "site%u.example", k);
		map[k] = ev_dest_new(r, name, L_BACKGROUND);
	}
	return map[k];
}

/*
 * Ordinary traffic of one phone: browsing sessions over many destinations
 * with heavy-tailed gaps, messaging (human-driven bursts), streaming
 * (large, gated), app updates, periodic heavy syncs (gated), and app
 * telemetry when apps are used.  Activity follows waking hours.
 */
static void
ev_background(struct ev_run *r)
{
	uint32_t *map, msg[3], stream, upd, sync, cdn;
	double t, end, g;
	int i, j, k, visits, conns;

	map = malloc(EV_SITES * sizeof(*map));
	if (map == NULL)
		exit(1);
	memset(map, 0xff, EV_SITES * sizeof(*map));
	msg[0] = ev_dest_new(r, "chat.messenger.example", L_BACKGROUND);
	msg[1] = ev_dest_new(r, "media.messenger.example", L_BACKGROUND);
	msg[2] = ev_dest_new(r, "api.social.example", L_BACKGROUND);
	stream = ev_dest_new(r, "video.cdn.example", L_BACKGROUND);
	upd = ev_dest_new(r, "updates.appstore.example", L_BACKGROUND);
	sync = ev_dest_new(r, "photos-sync.cloud.example", L_BACKGROUND);
	cdn = ev_dest_new(r, "static.cdn.example", L_BACKGROUND);

	/* Browsing: sessions (about 8 a day), 5-40 page visits each with
	 * lognormal think times, 1-6 connections per visit. */
	for (t = ev_exp(r, EV_DAY / 8); t < r->len; t += ev_exp(r, EV_DAY / 8)) {
		visits = 5 + (int)(ev_u(r) * 36);
		g = t;
		for (i = 0; i < visits; i++) {
			uint32_t s = ev_site(r, map);

			conns = 1 + (int)(ev_u(r) * 6);
			for (j = 0; j < conns; j++)
				ev_add(r, g + j * ev_exp(r, 2), s,
				    ev_size(r, 900, 0.4),
				    (uint32_t)ev_lognorm(r, 9000, 1.2));
			ev_add(r, g + ev_exp(r, 1), cdn, ev_size(r, 700, 0.3),
			    (uint32_t)ev_lognorm(r, 6000, 1.0));
			g += ev_lognorm(r, 40, 1.3);
		}
	}
	/* Messaging: conversations (about 12 a day), 3-40 messages with
	 * lognormal gaps; small each way. */
	for (t = ev_exp(r, EV_DAY / 12); t < r->len;
	    t += ev_exp(r, EV_DAY / 12)) {
		k = 3 + (int)(ev_u(r) * 38);
		g = t;
		for (i = 0; i < k; i++) {
			j = ev_u(r) < 0.8 ? 0 : (ev_u(r) < 0.5 ? 1 : 2);
			ev_add(r, g, msg[j], ev_size(r, 500, 0.5),
			    ev_size(r, 700, 0.6));
			g += ev_lognorm(r, 25, 1.4);
		}
	}
	/* Streaming: 0-3 sessions a day of 20-120 min, 6 s chunks. */
	for (t = ev_exp(r, EV_DAY / 1.5); t < r->len;
	    t += ev_exp(r, EV_DAY / 1.5)) {
		end = t + 1200 + ev_u(r) * 6000;
		for (g = t; g < end; g += 6 + ev_u(r))
			ev_add(r, g, stream, ev_size(r, 600, 0.2),
			    ev_size(r, 1500000, 0.3));
	}
	/* App updates: a check (small) now and then, a download sometimes. */
	for (t = ev_lognorm(r, 4 * 3600, 1.0); t < r->len;
	    t += ev_lognorm(r, 4 * 3600, 1.0)) {
		ev_add(r, t, upd, ev_size(r, 1200, 0.2), ev_size(r, 6000, 0.3));
		if (ev_u(r) < 0.3)
			ev_add(r, t + 3, upd, ev_size(r, 1500, 0.2),
			    ev_size(r, 20e6, 0.5));
	}
	/* Periodic heavy sync: every 15 min +-10%, hundreds of KB up. */
	for (t = ev_u(r) * 900; t < r->len; t += 900 * (0.9 + 0.2 * ev_u(r)))
		ev_add(r, t, sync, ev_size(r, 300000, 0.5),
		    ev_size(r, 2000, 0.2));
	free(map);
}

/*
 * A stress case beyond the families, reported on its own: one API
 * call with a near-constant size repeated at semi-regular human times (a
 * feed refreshed while an app is open): about 15 sessions a day of 3-30
 * calls, gaps of 10 s plus a lognormal around 50 s with sigma 0.9.  Such
 * gaps have less mass near zero than random arrivals, so the Poisson null
 * takes a run of them for a loose timer.
 */
static void
ev_feed(struct ev_run *r)
{
	uint32_t feed = ev_dest_new(r, "feed.social.example", L_BACKGROUND);
	double t, g;
	int i, k;

	for (t = ev_exp(r, EV_DAY / 15); t < r->len;
	    t += ev_exp(r, EV_DAY / 15)) {
		k = 3 + (int)(ev_u(r) * 28);
		g = t;
		for (i = 0; i < k; i++) {
			ev_add(r, g, feed, ev_size(r, 750, 0.03),
			    ev_size(r, 3000, 0.3));
			g += 10 + ev_lognorm(r, 50, 0.9);
		}
	}
}

/* Allowlisted periodic services (mobile push, NTP, captive portal
 * probes, OS update checks). */
static void
ev_allowlisted(struct ev_run *r)
{
	uint32_t d;
	double t, p;

	d = ev_dest_new(r, "mtalk.google.com", L_ALLOW);
	for (t = ev_u(r) * 1680; t < r->len; t += 1680 * (0.98 + 0.04 * ev_u(r)))
		ev_add(r, t, d, ev_size(r, 90, 0.1), ev_size(r, 60, 0.1));
	d = ev_dest_new(r, "courier.push.apple.com", L_ALLOW);
	for (t = ev_u(r) * 1800; t < r->len; t += 1800 * (0.8 + 0.4 * ev_u(r)))
		ev_add(r, t, d, ev_size(r, 120, 0.2), ev_size(r, 80, 0.2));
	d = ev_dest_new(r, "time.android.com", L_ALLOW);
	for (t = 0, p = 64; t < r->len; t += p, p = p < 1024 ? p * 2 : 1024)
		ev_add(r, t + ev_u(r), d, 48, 48);
	d = ev_dest_new(r, "connectivitycheck.gstatic.com", L_ALLOW);
	for (t = ev_exp(r, 3600); t < r->len; t += ev_exp(r, 3600))
		ev_add(r, t, d, ev_size(r, 550, 0.1), ev_size(r, 4300, 0.1));
	d = ev_dest_new(r, "android.clients.google.com", L_ALLOW);
	for (t = ev_u(r) * 21600; t < r->len;
	    t += 21600 * (0.7 + 0.6 * ev_u(r)))
		ev_add(r, t, d, ev_size(r, 800, 0.2), ev_size(r, 5000, 0.2));
	d = ev_dest_new(r, "g.whatsapp.net", L_ALLOW);
	for (t = ev_u(r) * 1200; t < r->len; t += 900 + 900 * ev_u(r))
		ev_add(r, t, d, ev_size(r, 300, 0.3), ev_size(r, 120, 0.3));
}

/* The names the sensor's known-good list must carry for the above
 * (suffix match: "this domain and its subdomains"). */
static const char *const ev_allow[] = {
	"mtalk.google.com", "push.apple.com", "time.android.com",
	"pool.ntp.org", "time.apple.com", "connectivitycheck.gstatic.com",
	"captive.apple.com", "android.clients.google.com", "mesu.apple.com",
	"whatsapp.net", NULL
};

static int
ev_allowed(const char *name)
{
	size_t ln = strlen(name), la;
	int i;

	for (i = 0; ev_allow[i] != NULL; i++) {
		la = strlen(ev_allow[i]);
		if (ln >= la && strcmp(name + ln - la, ev_allow[i]) == 0 &&
		    (ln == la || name[ln - la - 1] == '.'))
			return 1;
	}
	return 0;
}

/* --- generators: beacons ------------------------------------------------------ */

struct ev_beacon {
	double period;		/* seconds; lo of a uniform range when hi > 0 */
	double hi;		/* uniform interval U(period, hi) if > 0 */
	double jitter;		/* +-fraction around the period */
	double missed;		/* share of beats lost */
	double retry;		/* share of beats followed by a retry */
	int keepalive;		/* bursts in one connection, not new ones */
};

static void
ev_beacon_gen(struct ev_run *r, const struct ev_beacon *b, const char *name)
{
	uint32_t d = ev_dest_new(r, name, L_BEACON);
	double t, up, down;

	/* New connection: TLS handshake + a small POST; kept-alive: only
	 * the request and response records. */
	up = b->keepalive ? 450 : 1100;
	down = b->keepalive ? 200 : 4800;
	up *= 0.8 + 0.4 * ev_u(r);
	for (t = ev_u(r) * (b->hi > 0 ? b->hi : b->period); t < r->len;) {
		if (ev_u(r) >= b->missed) {
			ev_add(r, t, d, ev_size(r, up, 0.15),
			    ev_size(r, down, 0.15));
			if (ev_u(r) < b->retry)
				ev_add(r, t + 12 + 30 * ev_u(r), d,
				    ev_size(r, up, 0.15),
				    ev_size(r, down, 0.15));
		}
		if (b->hi > 0)
			t += b->period + (b->hi - b->period) * ev_u(r);
		else
			t += b->period * (1 + b->jitter * (2 * ev_u(r) - 1));
	}
}

/* --- scoring a run ------------------------------------------------------------ */

static int
ev_cmp_rec(const void *a, const void *b)
{
	const struct ev_rec *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/* Feed the run through a tracker table; fill each destination's times. */
static void
ev_score_run(struct ev_run *r, const struct beacon_config *cfg,
    int use_allowlist)
{
	struct beacon_table *tab;
	struct beacon_tracker *k;
	struct beacon_score sc;
	struct beacon_event e;
	struct rita_score rs;
	struct ev_dest *d;
	int64_t ts[SW_BEACON_HISTORY];
	uint32_t by[SW_BEACON_HISTORY];
	uint8_t dev[16];
	char errbuf[SW_ERRLEN];
	size_t i;
	int j;
	double rscore;

	qsort(r->rec, r->n, sizeof(*r->rec), ev_cmp_rec);
	tab = beacon_new(cfg, errbuf);
	if (tab == NULL) {
		fprintf(stderr, "eval: %s\n", errbuf);
		exit(1);
	}
	memset(dev, 0, sizeof(dev));
	dev[15] = 23;
	for (i = 0; i < r->n; i++) {
		d = &r->dest[r->rec[i].dest];
		if (use_allowlist && ev_allowed(d->name))
			continue;
		/* Start times in microseconds, as the analyzer reports them. */
		e.ts_us = (int64_t)(r->rec[i].t * 1e6) + 1700000000000000LL;
		e.up = r->rec[i].up;
		e.down = r->rec[i].down;
		k = beacon_observe(tab, dev, d->name, 1, &e, e.ts_us);
		if (k == NULL)
			continue;
		if (d->events++ == 0)
			d->first_t = r->rec[i].t;
		if (d->fire_t < 0 && k->n >= cfg->min_events) {
			beacon_score_tracker(k, cfg, &sc);
			if (sc.score > d->max_score)
				d->max_score = sc.score;
			if (beacon_level(&sc, cfg) > 0) {
				d->fire_t = r->rec[i].t;
				d->fire_total = k->total;
				d->fire_sc = sc;
			}
		}
		if (d->rita_t[EV_RITA_N - 1] < 0 && k->n >= cfg->min_events) {
			for (j = 0; j < k->n; j++) {
				ts[j] = k->ev[j].ts_us / 1000000;
				by[j] = k->ev[j].up;
			}
			rita_score(ts, by, k->n, &rs);
			rscore = rs.eligible ? (rs.ts + rs.ds) / 2 : 0;
			for (j = 0; j < EV_RITA_N; j++)
				if (d->rita_t[j] < 0 &&
				    rscore >= ev_rita_thr[j] - 1e-9)
					d->rita_t[j] = r->rec[i].t;
		}
	}
	beacon_free(tab);
}

/* --- tallies ------------------------------------------------------------------- */

struct ev_tally {
	const char *name;
	unsigned n, eligible;	/* eligible: >= min_events after the gate */
	unsigned hit, rita_hit[EV_RITA_N];
	unsigned fp, rita_fp[EV_RITA_N];	/* background fires in these runs */
	double ttfn[4096];	/* ours, seconds */
	unsigned nttfn;
	double rttfn_sum[EV_RITA_N];
};

static int
ev_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
ev_tally_run(struct ev_tally *ta, const struct ev_run *r, unsigned min_ev)
{
	const struct ev_dest *d;
	size_t i;
	int j;

	for (i = 0; i < r->nd; i++) {
		d = &r->dest[i];
		if (d->label == L_BEACON) {
			ta->n++;
			if (d->events < min_ev)
				continue;
			ta->eligible++;
			if (d->fire_t >= 0) {
				ta->hit++;
				if (ta->nttfn < 4096)
					ta->ttfn[ta->nttfn++] =
					    d->fire_t - d->first_t;
			}
			for (j = 0; j < EV_RITA_N; j++)
				if (d->rita_t[j] >= 0) {
					ta->rita_hit[j]++;
					ta->rttfn_sum[j] +=
					    d->rita_t[j] - d->first_t;
				}
		} else {
			if (d->fire_t >= 0 && getenv("EVAL_DEBUG") != NULL)
				fprintf(stderr, "false notice: %s at event "
				    "%llu of %u, %.1f h: %u beats, period %.0f s,"
				    " spread %.2f, missed %u, retries %u, up %.0f"
				    " (%.2f), evidence %.2f\n", d->name,
				    (unsigned long long)d->fire_total,
				    d->events, (d->fire_t - d->first_t) / 3600,
				    d->fire_sc.events, d->fire_sc.period_s,
				    d->fire_sc.interval_dispersion,
				    d->fire_sc.missed, d->fire_sc.retries,
				    d->fire_sc.up_median,
				    d->fire_sc.up_dispersion,
				    d->fire_sc.evidence);
			ta->fp += d->fire_t >= 0;
			for (j = 0; j < EV_RITA_N; j++)
				ta->rita_fp[j] += d->rita_t[j] >= 0;
		}
	}
}

static void
ev_dur(char *buf, size_t len, double s)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s < 3600)
		snprintf(buf, len, "%.0fm", s / 60);
	else
		snprintf(buf, len, "%.1fh", s / 3600);
}

static void
ev_print_row(struct ev_tally *ta, int rj)
{
	char a[32], b[32];
	double rec, rrec, prec, rprec;
	double med = -1;

	if (ta->nttfn > 0) {
		qsort(ta->ttfn, ta->nttfn, sizeof(ta->ttfn[0]), ev_cmp_double);
		med = ta->ttfn[ta->nttfn / 2];
	}
	rec = ta->eligible ? (double)ta->hit / ta->eligible : 0;
	rrec = ta->eligible ? (double)ta->rita_hit[rj] / ta->eligible : 0;
	prec = ta->hit + ta->fp ? (double)ta->hit / (ta->hit + ta->fp) : 1;
	rprec = ta->rita_hit[rj] + ta->rita_fp[rj] ?
	    (double)ta->rita_hit[rj] / (ta->rita_hit[rj] + ta->rita_fp[rj]) :
	    1;
	ev_dur(a, sizeof(a), med);
	ev_dur(b, sizeof(b), ta->rita_hit[rj] ?
	    ta->rttfn_sum[rj] / ta->rita_hit[rj] : -1);
	printf("%-22s %5u %5u | %5.3f %6.3f %6s | %5.3f %6.3f %6s\n",
	    ta->name, ta->n, ta->eligible, prec, rec, a, rprec, rrec, b);
}

/* A beacon the scorer missed, for EVAL_MISSES=1: its parameters and
 * its events, so that the misses can be read one by one. */
static void
ev_print_miss(const struct ev_run *r, const struct ev_beacon *b, double cap)
{
	const struct ev_dest *d;
	size_t i, j;
	double last = -1;

	for (i = 0; i < r->nd; i++) {
		d = &r->dest[i];
		if (d->label != L_BEACON || d->fire_t >= 0)
			continue;
		printf("miss: P %.0f", b->period);
		if (b->hi > 0)
			printf("-%.0f", b->hi);
		printf(" jit %.2f miss %.2f ka %d cap %.0f n %u max %.3f:",
		    b->jitter, b->missed, b->keepalive, cap, d->events,
		    d->max_score);
		for (j = 0; j < r->n; j++)
			if (&r->dest[r->rec[j].dest] == d) {
				printf(" %.0f/%u", last < 0 ? 0 :
				    r->rec[j].t - last, r->rec[j].up);
				last = r->rec[j].t;
			}
		printf("\n");
	}
}

/*
 * Events a beacon needs: the smallest n at which 95% of 400 series of n
 * beats fire, for a timer of 300 s at each jitter and for "every 5 to 10
 * minutes", with uploads of one report format (+-15%) or with ordinary
 * sizes (lognormal, sigma 0.5).  Scored as one fresh tracker.
 */
static void
ev_events_needed(const struct beacon_config *cfg)
{
	static const double jits[] = { 0, 0.10, 0.25, 0.50, -1 };
	struct beacon_event e[SW_BEACON_HISTORY];
	struct beacon_score sc;
	struct ev_run r;
	unsigned ji, n, i, fired, need, nmax = SW_BEACON_HISTORY;
	int ordinary;
	double t;

	printf("events for 95%% of beacons to fire (300 s timer):\n");
	for (ordinary = 0; ordinary < 2; ordinary++) {
		printf("  %-24s", ordinary ? "ordinary sizes:" :
		    "one report format:");
		for (ji = 0; ji < sizeof(jits) / sizeof(jits[0]); ji++) {
			need = 0;
			for (n = cfg->min_events; n <= nmax && need == 0; n++) {
				fired = 0;
				for (i = 0; i < 400; i++) {
					unsigned j;

					ev_run_init(&r, 1, 1000003ULL * n + i);
					for (j = 0, t = 0; j < n; j++) {
						e[j].ts_us = (int64_t)(t * 1e6);
						e[j].up = ordinary ?
						    (uint32_t)ev_lognorm(&r,
						    1100, 0.5) :
						    ev_size(&r, 1100, 0.15);
						e[j].down = ev_size(&r, 4800,
						    0.15);
						t += jits[ji] < 0 ?
						    300 + 300 * ev_u(&r) :
						    300 * (1 + jits[ji] *
						    (2 * ev_u(&r) - 1));
					}
					beacon_score_events(e, n, cfg, &sc);
					fired += beacon_level(&sc, cfg) > 0;
				}
				if (fired * 100 >= 95 * 400)
					need = n;
			}
			if (jits[ji] < 0)
				printf(" 5-10 min %s", need ? "" : ">32");
			else
				printf(" %2.0f%% %s", jits[ji] * 100,
				    need ? "" : ">32");
			if (need)
				printf("%u", need);
			printf(ji + 1 < sizeof(jits) / sizeof(jits[0]) ?
			    "," : "\n");
		}
	}
}

/*
 * A triage capture of a "every 5 to 10 minutes" beacon, new connections,
 * alone on the device: the share of 1000 captures of each length that end
 * with a notice.
 */
static void
ev_triage(const struct beacon_config *cfg)
{
	static const unsigned mins[] = { 30, 45, 60, 75, 90 };
	struct ev_beacon b;
	struct ev_run r;
	unsigned mi, i, fired;

	memset(&b, 0, sizeof(b));
	b.period = 300;
	b.hi = 600;
	printf("a triage capture of a 5-10 min beacon ends with a notice:");
	for (mi = 0; mi < sizeof(mins) / sizeof(mins[0]); mi++) {
		fired = 0;
		for (i = 0; i < 1000; i++) {
			ev_run_init(&r, mins[mi] * 60.0,
			    7777777ULL * mins[mi] + i);
			ev_beacon_gen(&r, &b, "c2.unknown.example");
			ev_score_run(&r, cfg, 0);
			fired += r.dest[0].fire_t >= 0;
			ev_run_free(&r);
		}
		printf(" %u min %.2f%s", mins[mi], fired / 1000.0,
		    mi + 1 < sizeof(mins) / sizeof(mins[0]) ? "," : "\n");
	}
}

/* --- real event series from a TSV ----------------------------------------------- */

/*
 * One connection a line: stream, start (epoch s), duration, server port,
 * bytes up, bytes down, server name (may be empty) - what tests/eval.sh's
 * tshark one-liner writes.  Destinations are the name, else the port.
 */
static int
ev_tsv(const char *path, const struct beacon_config *cfg)
{
	struct beacon_table *tab;
	struct beacon_tracker *k;
	struct beacon_score sc;
	struct beacon_event e;
	char line[1024], dest[BEACON_DEST_MAX], name[256], errbuf[SW_ERRLEN];
	unsigned long port, up, down;
	double t0, dur;
	uint8_t dev[16];
	FILE *fp;
	int f, lvl;

	fp = fopen(path, "r");
	if (fp == NULL) {
		perror(path);
		return 1;
	}
	tab = beacon_new(cfg, errbuf);
	if (tab == NULL)
		return 1;
	memset(dev, 0, sizeof(dev));
	while (fgets(line, sizeof(line), fp) != NULL) {
		name[0] = '\0';
		f = sscanf(line, "%*s %lf %lf %lu %lu %lu %255s", &t0, &dur,
		    &port, &up, &down, name);
		if (f < 5)
			continue;
		if (name[0] != '\0')
			snprintf(dest, sizeof(dest), "%.*s",
			    (int)sizeof(dest) - 1, name);
		else
			snprintf(dest, sizeof(dest), "port %lu", port);
		e.ts_us = (int64_t)(t0 * 1e6);
		e.up = (uint32_t)up;
		e.down = (uint32_t)down;
		k = beacon_observe(tab, dev, dest, 1, &e, e.ts_us);
		if (k == NULL)
			continue;
		if (beacon_score_tracker(k, cfg, &sc) == 0)
			continue;
		lvl = beacon_level(&sc, cfg);
		printf("%-32s n=%-3u period=%7.1fs disp=%.3f missed=%u "
		    "up=%.0f down=%.0f evidence=%5.2f score=%.2f level=%d\n",
		    dest, sc.events, sc.period_s, sc.interval_dispersion,
		    sc.missed, sc.up_median, sc.down_median, sc.evidence,
		    sc.score, lvl);
	}
	printf("gated %llu of %llu events\n",
	    (unsigned long long)beacon_get_stats(tab)->gated,
	    (unsigned long long)beacon_get_stats(tab)->events);
	beacon_free(tab);
	fclose(fp);
	return 0;
}

/* --- main ------------------------------------------------------------------------- */

#define EV_NFAM 20

int
main(int argc, char **argv)
{
	static const double periods[][2] = {
		{ 30, 0 }, { 60, 0 }, { 300, 0 }, { 300, 600 }, { 900, 0 },
		{ 1800, 0 }, { 3600, 0 }
	};
	static const double jit[] = { 0, 0.10, 0.25, 0.50 };
	static const double miss[] = { 0, 0.10, 0.20 };
	static const double caps[] = { 1800, 7200, 86400 };
	static struct ev_tally fam[EV_NFAM], bg, al, alraw, tgt, feed;
	struct beacon_config cfg;
	struct ev_beacon b;
	struct ev_run r;
	unsigned days = 300, seeds = 3, pi, ji, mi, fi, ci, s, i;
	uint64_t seed = 1;
	int ch, rj, j, fams[6];
	double fa_ours, fa_rita, bdays = 0;

	beacon_config_default(&cfg);
	while ((ch = getopt(argc, argv, "d:g:p:s:t:m:")) != -1) {
		switch (ch) {
		case 'd':
			days = (unsigned)atoi(optarg);
			break;
		case 's':
			seeds = (unsigned)atoi(optarg);
			break;
		case 'm':
			cfg.min_score = atof(optarg);
			break;
		case 'g':
			cfg.idle_gap_s = (uint32_t)atoi(optarg);
			break;
		case 'p':
			cfg.min_period_s = (uint32_t)atoi(optarg);
			break;
		case 't':
			return ev_tsv(optarg, &cfg);
		default:
			fprintf(stderr, "usage: eval [-d device-days] "
			    "[-s seeds] [-m min-score] [-g idle-gap-s] "
			    "[-p min-period-s] [-t file.tsv]\n");
			return 2;
		}
	}

	/* 1. Ordinary background: devices of 10 days each. */
	bg.name = "background";
	for (i = 0; i < days; i += 10) {
		ev_run_init(&r, 10 * EV_DAY, seed++);
		ev_background(&r);
		ev_score_run(&r, &cfg, 1);
		ev_tally_run(&bg, &r, cfg.min_events);
		ev_run_free(&r);
	}
	/* 2. Allowlisted periodic services, with and without the list. */
	al.name = "allowlisted";
	alraw.name = "allowlisted, no list";
	for (i = 0; i < 100; i += 10) {
		ev_run_init(&r, 10 * EV_DAY, seed);
		ev_allowlisted(&r);
		ev_score_run(&r, &cfg, 1);
		ev_tally_run(&al, &r, cfg.min_events);
		ev_run_free(&r);
		ev_run_init(&r, 10 * EV_DAY, seed++);
		ev_allowlisted(&r);
		ev_score_run(&r, &cfg, 0);
		ev_tally_run(&alraw, &r, cfg.min_events);
		ev_run_free(&r);
	}
	/* 2b. The stress case, alone: 300 device-days. */
	feed.name = "stress: feed refresh";
	for (i = 0; i < 300; i += 10) {
		ev_run_init(&r, 10 * EV_DAY, 900000 + i);
		ev_feed(&r);
		ev_score_run(&r, &cfg, 1);
		ev_tally_run(&feed, &r, cfg.min_events);
		ev_run_free(&r);
	}
	fa_ours = 100.0 * bg.fp / days;
	/* RITA's threshold: the lowest with no more false notices than ours. */
	for (rj = 0; rj < EV_RITA_N - 1 && bg.rita_fp[rj] > bg.fp; rj++)
		;
	fa_rita = 100.0 * bg.rita_fp[rj] / days;

	/* 3. Beacons, each on a device with its background. */
	{
		static const char *names[EV_NFAM] = {
			"jitter 0%", "jitter 10%", "jitter 25%", "jitter 50%",
			"every 5-10 min", "period 30-60 s", "period 5-15 min",
			"period 30-60 min", "missed 0%", "missed 10%",
			"missed 20%", "new connection", "kept-alive",
			"capture 30 min", "capture 2 h", "capture 24 h",
			"retries 10%", NULL, NULL, NULL
		};
		for (i = 0; i < EV_NFAM; i++)
			fam[i].name = names[i];
	}
	tgt.name = "TARGET SET";
	for (pi = 0; pi < sizeof(periods) / sizeof(periods[0]); pi++)
	for (ji = 0; ji < 4; ji++)
	for (mi = 0; mi < 3; mi++)
	for (fi = 0; fi < 2; fi++)
	for (ci = 0; ci < 3; ci++)
	for (s = 0; s < seeds; s++) {
		struct ev_tally one;

		if (periods[pi][1] > 0 && ji > 0)
			continue;	/* the 5-10 min timer has its own */
		memset(&b, 0, sizeof(b));
		b.period = periods[pi][0];
		b.hi = periods[pi][1];
		b.jitter = jit[ji];
		b.missed = miss[mi];
		b.keepalive = (int)fi;
		b.retry = s == 0 ? 0.10 : 0;
		ev_run_init(&r, caps[ci], seed++);
		bdays += caps[ci] / EV_DAY;
		ev_background(&r);
		ev_beacon_gen(&r, &b, "c2.unknown.example");
		ev_score_run(&r, &cfg, 1);
		memset(&one, 0, sizeof(one));
		ev_tally_run(&one, &r, cfg.min_events);
		if (one.eligible > one.hit && getenv("EVAL_MISSES") != NULL)
			ev_print_miss(&r, &b, caps[ci]);
		ev_run_free(&r);
		/* Which rows this run counts in. */
		for (j = 0; j < 6; j++)
			fams[j] = -1;
		fams[0] = b.hi > 0 ? 4 : (int)ji;
		fams[1] = pi <= 1 ? 5 : (pi <= 4 && b.hi == 0 ? 6 :
		    (pi >= 5 ? 7 : -1));
		fams[2] = 8 + (int)mi;
		fams[3] = 11 + (int)fi;
		fams[4] = 13 + (int)ci;
		fams[5] = b.retry > 0 ? 16 : -1;
		for (j = 0; j < 6; j++) {
			struct ev_tally *ta;
			unsigned q;

			if (fams[j] < 0)
				continue;
			ta = &fam[fams[j]];
			ta->n += one.n;
			ta->eligible += one.eligible;
			ta->hit += one.hit;
			ta->fp += one.fp;
			for (q = 0; q < one.nttfn && ta->nttfn < 4096; q++)
				ta->ttfn[ta->nttfn++] = one.ttfn[q];
			for (q = 0; q < EV_RITA_N; q++) {
				ta->rita_hit[q] += one.rita_hit[q];
				ta->rita_fp[q] += one.rita_fp[q];
				ta->rttfn_sum[q] += one.rttfn_sum[q];
			}
		}
		/* The target: >= 6 events, jitter <= 50%, missed
		 * <= 20%, both forms: every eligible run. */
		tgt.n += one.n;
		tgt.eligible += one.eligible;
		tgt.hit += one.hit;
		tgt.fp += one.fp;
		for (j = 0; j < EV_RITA_N; j++) {
			tgt.rita_hit[j] += one.rita_hit[j];
			tgt.rita_fp[j] += one.rita_fp[j];
			tgt.rttfn_sum[j] += one.rttfn_sum[j];
		}
		for (j = 0; j < (int)one.nttfn && tgt.nttfn < 4096; j++)
			tgt.ttfn[tgt.nttfn++] = one.ttfn[j];
	}

	printf("beacon eval: min_events %u, min_score %.2f (%.1f bans), "
	    "gate up <= %u B, down <= %u B, periods %u..%u s\n",
	    cfg.min_events, cfg.min_score, cfg.min_score * 10, cfg.max_up,
	    cfg.max_down, cfg.min_period_s, cfg.max_period_s);
	printf("RITA v5 = (tsScore + dsScore) / 2 at threshold %.3f, the "
	    "lowest with no more background notices than ours\n\n",
	    ev_rita_thr[rj]);
	printf("%-22s %5s %5s | %-20s | %-20s\n", "", "", "", "   stalkerwatch",
	    "   RITA v5 ts+ds");
	printf("%-22s %5s %5s | %5s %6s %6s | %5s %6s %6s\n", "family",
	    "runs", ">=6ev", "prec", "recall", "TTFN", "prec", "recall",
	    "TTFN");
	for (i = 0; i < EV_NFAM && fam[i].name != NULL; i++)
		ev_print_row(&fam[i], rj);
	ev_print_row(&tgt, rj);
	printf("\n(TTFN: ours median, RITA mean; network time from the "
	    "first event to the notice)\n\n");
	printf("false notices per 100 device-days of background (%u "
	    "device-days):\n", days);
	printf("  stalkerwatch %.2f (%u)   RITA@%.3f %.2f (%u)\n", fa_ours,
	    bg.fp, ev_rita_thr[rj], fa_rita, bg.rita_fp[rj]);
	printf("  with the background of the beacon runs too (%.0f more "
	    "device-days, captures of 30 min to 24 h): %.2f (%u)\n", bdays,
	    100.0 * (bg.fp + tgt.fp) / (days + bdays), bg.fp + tgt.fp);
	printf("  RITA at other thresholds:");
	for (j = 0; j < EV_RITA_N; j++)
		printf(" %.3f:%.1f/rec %.2f", ev_rita_thr[j],
		    100.0 * bg.rita_fp[j] / days, tgt.eligible ?
		    (double)tgt.rita_hit[j] / tgt.eligible : 0);
	printf("\n");
	printf("stress beyond the issue's families (300 device-days of one "
	    "constant-size API call at semi-regular human times, gaps 10 s + "
	    "lognormal(50 s, 0.9)): %.2f false notices per 100 device-days "
	    "(RITA@%.3f %.2f)\n", 100.0 * feed.fp / 300, ev_rita_thr[rj],
	    100.0 * feed.rita_fp[rj] / 300);
	ev_events_needed(&cfg);
	ev_triage(&cfg);
	printf("allowlisted periodic services (100 device-days): %u notices "
	    "with the known-good list, %u without (RITA@%.3f: %u without)\n",
	    al.fp, alraw.fp, ev_rita_thr[rj], alraw.rita_fp[rj]);
	printf("targets: recall >= 0.95 on the target set: %s (%.3f); "
	    "<= 1 per 100 device-days: %s; 0 allowlisted: %s\n",
	    tgt.eligible && (double)tgt.hit / tgt.eligible >= 0.95 ? "MET" :
	    "NOT MET", tgt.eligible ? (double)tgt.hit / tgt.eligible : 0,
	    fa_ours <= 1 ? "MET" : "NOT MET", al.fp == 0 ? "MET" : "NOT MET");
	return 0;
}
