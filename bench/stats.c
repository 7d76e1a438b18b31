/* stats.c: see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double median_of(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* P(j <= B <= n-j) for B ~ Binomial(n, 1/2): the coverage of the interval
 * between the j-th smallest and the j-th largest sample (1-based). */
static double order_coverage(size_t n, size_t j)
{
	double total = 0;
	for (size_t k = 0; k <= n; k++) {
		double c = exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) - n * log(2.0));
		if (k >= j && k <= n - j)
			total += c;
	}
	return total;
}

struct median_ci median_ci95(double *v, size_t n)
{
	struct median_ci r = { NAN, NAN, NAN, 0 };
	size_t j;

	if (n == 0)
		return r;
	r.median = median_of(v, n);
	/* The widest order statistics first, then narrower while the coverage
	 * stays at 95%. */
	j = 1;
	r.lo = v[0], r.hi = v[n - 1], r.coverage = order_coverage(n, 1);
	while (j + 1 <= n / 2 && order_coverage(n, j + 1) >= 0.95) {
		j++;
		r.lo = v[j - 1], r.hi = v[n - j], r.coverage = order_coverage(n, j);
	}
	return r;
}

/* Two-sided 95% quantile of Student's t with df degrees of freedom. */
static double t95(size_t df)
{
	static const double table[] = { 0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
					2.201, 2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080,
					2.074, 2.069,  2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042 };
	if (df < sizeof(table) / sizeof(table[0]))
		return table[df];
	return df < 60 ? 2.000 : df < 120 ? 1.980 : 1.960;
}

struct line_fit fit_line(const double *x, const double *y, size_t n)
{
	struct line_fit f = { NAN, NAN, NAN, NAN, NAN, n };
	double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0, sse = 0;

	if (n < 3)
		return f;
	for (size_t i = 0; i < n; i++)
		mx += x[i], my += y[i];
	mx /= n, my /= n;
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx == 0)
		return f;
	f.slope = sxy / sxx;
	f.intercept = my - f.slope * mx;
	for (size_t i = 0; i < n; i++) {
		double e = y[i] - (f.intercept + f.slope * x[i]);
		sse += e * e;
	}
	double se = sqrt(sse / (n - 2) / sxx);
	f.slope_lo = f.slope - t95(n - 2) * se;
	f.slope_hi = f.slope + t95(n - 2) * se;
	f.r2 = syy > 0 ? 1 - sse / syy : 1;
	return f;
}
