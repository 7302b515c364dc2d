/*
 * rita.c - RITA v5 tsScore and dsScore for the evaluation (see rita.h and
 * /work/shared/reference/beacon-scoring.md section 3.1).
 *
 * Central data: sorted copies of the intervals and sizes; quartiles as
 * montanaflynn/stats Quartile computes them (Q1 and Q3 are the medians of
 * the lower and upper halves, the middle value left out of both when the
 * count is odd).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rita.h"

static int
rita_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
rita_median(const double *v, size_t n)
{
	if (n == 0)
		return 0;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Bowley skewness score over sorted v. */
static double
rita_skew_score(const double *v, size_t n)
{
	size_t c1, c2;
	double q1, q2, q3, skew = 0;

	if (n % 2 == 0)
		c1 = c2 = n / 2;
	else {
		c1 = (n - 1) / 2;
		c2 = c1 + 1;
	}
	q1 = rita_median(v, c1);
	q2 = rita_median(v, n);
	q3 = rita_median(v + c2, n - c2);
	if (q3 - q1 >= 10 && q2 != q1 && q2 != q3)
		skew = (q1 + q3 - 2 * q2) / (q3 - q1);
	return 1 - fabs(skew);
}

/* MAD score over sorted v; def when the median is under 1. */
static double
rita_mad_score(const double *v, size_t n, double def)
{
	double m, mad, *d, r;
	size_t i;

	m = rita_median(v, n);
	if (m < 1)
		return def;
	d = malloc(n * sizeof(*d));
	if (d == NULL)
		return 0;
	for (i = 0; i < n; i++)
		d[i] = fabs(v[i] - m);
	qsort(d, n, sizeof(*d), rita_cmp);
	mad = rita_median(d, n);
	free(d);
	r = (m - mad) / m;
	return (r < 0 || isnan(r)) ? 0 : r;
}

static double
rita_clamp3(double x)
{
	if (x < 0)
		x = 0;
	if (x > 1)
		x = 1;
	return round(x * 1000) / 1000;
}

void
rita_score(const int64_t *ts_s, const uint32_t *bytes, size_t n,
    struct rita_score *out)
{
	double *iv, *sz;
	size_t i, ni = 0, uniq = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	iv = malloc(n * sizeof(*iv));
	sz = malloc(n * sizeof(*sz));
	if (iv == NULL || sz == NULL) {
		free(iv);
		free(sz);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i == 0 || ts_s[i] != ts_s[i - 1])
			uniq++;
		sz[i] = bytes[i];
		/* Zero intervals are dropped for scoring. */
		if (i > 0 && ts_s[i] != ts_s[i - 1])
			iv[ni++] = (double)(ts_s[i] - ts_s[i - 1]);
	}
	if (uniq >= 4 && ni >= 3) {
		out->eligible = 1;
		qsort(iv, ni, sizeof(*iv), rita_cmp);
		out->ts = rita_clamp3((rita_skew_score(iv, ni) +
		    rita_mad_score(iv, ni, 1)) / 2);
		qsort(sz, n, sizeof(*sz), rita_cmp);
		out->ds = rita_clamp3((rita_skew_score(sz, n) +
		    rita_mad_score(sz, n, 0)) / 2);
	}
	free(iv);
	free(sz);
}
