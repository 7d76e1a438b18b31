/* stats.h: the statistics of the benchmark: medians with a distribution-free
 * 95% interval, and least-squares lines with 95% intervals on the slope. */
#ifndef SECCOMP_SUITE_BENCH_STATS_H
#define SECCOMP_SUITE_BENCH_STATS_H

#include <stddef.h>

struct median_ci {
	double median, lo, hi;
	double coverage; /* the interval's true coverage (>= 0.95 unless n < 6) */
};

/* Sorts v in place. */
struct median_ci median_ci95(double *v, size_t n);

/* Median of v (sorted in place). */
double median_of(double *v, size_t n);

struct line_fit {
	double slope, slope_lo, slope_hi; /* slope with its 95% interval */
	double intercept;
	double r2;
	size_t n;
};

/* y = intercept + slope * x over n points (n >= 3). */
struct line_fit fit_line(const double *x, const double *y, size_t n);

#endif
