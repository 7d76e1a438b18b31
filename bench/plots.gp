# Plots of seccomp_bench results.  bench/bench.sh runs it as
#   gnuplot -e "data='DIR/data'; out='DIR/plot'; fmt='svg'; caption='...'" bench/plots.gp
# with one DIR/data/SERIES.dat per series: x, and the median overhead (ns
# over the same child's unfiltered getpid) with its 95% interval.
#
# Rule counts, argument values and filter counts double from one point to
# the next: log2 x axes.  The y range comes from the medians (a noisy
# interval must not flatten the signal); intervals are shaded bands, clipped
# to the range.  Legends sit above the plot, outside the data; the caption
# names the machine, kernel, date and load.
if (!exists("caption")) caption = ''
if (fmt eq 'png') set terminal pngcairo size 960,640 font 'DejaVu Sans,10'; else set terminal svg size 960,640 dynamic font 'DejaVu Sans,11'
set termoption noenhanced
set grid
set key outside top center horizontal Left reverse maxcols 2 width 1
set ylabel 'ns added to getpid (median over rounds; band: 95% interval)'
set xzeroaxis lt -1
set logscale x 2
set format x '%g'
set style fill transparent solid 0.18 noborder
set bmargin 5
set label 99 caption at screen 0.01, 0.02 left font ',8' tc rgb '#555555'

c1 = '#1f77b4'; c2 = '#ff7f0e'; c3 = '#2ca02c'; c4 = '#9467bd'; c5 = '#8c564b'

# Before each plot: the y range from the medians (column 2) of its files,
# with a margin, from 0 (or below the lowest median when one is negative).

# 1: syscall-number rules in one filter.  The default layout on the long
# path grows by rules (a straight line on a linear axis, a curve here), the
# tree by doublings (a straight line here), cacheable filters are flat.
files = data.'/rules-arg-default-long.dat '.data.'/rules-arg-default-short.dat '.data.'/rules-arg-tree-long.dat '.data.'/rules-cacheable-default-long.dat '.data.'/rules-cacheable-tree-long.dat'
ylo = 0; yhi = 0
set autoscale y	# stats skips points outside the current range: the previous plot's
do for [f in files] { stats f using 2 nooutput; ylo = (STATS_min < ylo ? STATS_min : ylo); yhi = (STATS_max > yhi ? STATS_max : yhi) }
pad = (yhi - ylo) * 0.12 + 1
set yrange [(ylo < 0 ? ylo - pad : 0) : yhi + pad]
set output out.'-rules.'.fmt
set title "One filter of N syscall-number rules (getpid's rule checks an argument unless cacheable)"
set xlabel 'rules in the filter (log2)'
plot \
  data.'/rules-arg-default-long.dat' using 1:3:4 with filledcurves lc rgb c1 notitle, \
  data.'/rules-arg-default-long.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb c1 title 'default layout, getpid last', \
  data.'/rules-arg-default-short.dat' using 1:3:4 with filledcurves lc rgb c2 notitle, \
  data.'/rules-arg-default-short.dat' using 1:2 with linespoints pt 5 lc rgb c2 title 'default layout, getpid first', \
  data.'/rules-arg-tree-long.dat' using 1:3:4 with filledcurves lc rgb c3 notitle, \
  data.'/rules-arg-tree-long.dat' using 1:2 with linespoints lw 2 pt 9 lc rgb c3 title 'binary tree', \
  data.'/rules-cacheable-default-long.dat' using 1:3:4 with filledcurves lc rgb c4 notitle, \
  data.'/rules-cacheable-default-long.dat' using 1:2 with linespoints pt 11 lc rgb c4 title 'cacheable (bitmap), default layout', \
  data.'/rules-cacheable-tree-long.dat' using 1:3:4 with filledcurves lc rgb c5 notitle, \
  data.'/rules-cacheable-tree-long.dat' using 1:2 with linespoints pt 13 lc rgb c5 title 'cacheable (bitmap), binary tree'

# 2: argument rules on one syscall, up to the kernel's 4096 instructions.
files = data.'/argrules-long.dat '.data.'/argrules-short.dat'
ylo = 0; yhi = 0
set autoscale y	# stats skips points outside the current range: the previous plot's
do for [f in files] { stats f using 2 nooutput; ylo = (STATS_min < ylo ? STATS_min : ylo); yhi = (STATS_max > yhi ? STATS_max : yhi) }
pad = (yhi - ylo) * 0.12 + 1
set yrange [(ylo < 0 ? ylo - pad : 0) : yhi + pad]
set output out.'-argrules.'.fmt
set title 'getpid allowed for N values of its first argument (one filter)'
set xlabel 'argument values compared (log2)'
plot \
  data.'/argrules-long.dat' using 1:3:4 with filledcurves lc rgb c1 notitle, \
  data.'/argrules-long.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb c1 title 'matching value compared last', \
  data.'/argrules-short.dat' using 1:3:4 with filledcurves lc rgb c2 notitle, \
  data.'/argrules-short.dat' using 1:2 with linespoints pt 5 lc rgb c2 title 'matching value compared first'

# 3: stacked filters.
files = data.'/stack-full.dat '.data.'/stack-cacheable.dat'
ylo = 0; yhi = 0
set autoscale y	# stats skips points outside the current range: the previous plot's
do for [f in files] { stats f using 2 nooutput; ylo = (STATS_min < ylo ? STATS_min : ylo); yhi = (STATS_max > yhi ? STATS_max : yhi) }
pad = (yhi - ylo) * 0.12 + 1
set yrange [(ylo < 0 ? ylo - pad : 0) : yhi + pad]
set output out.'-stack.'.fmt
set title 'Stacked filters: each returns ALLOW'
set xlabel 'filters attached (log2)'
plot \
  data.'/stack-full.dat' using 1:3:4 with filledcurves lc rgb c1 notitle, \
  data.'/stack-full.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb c1 title 'reads an argument (runs on every call)', \
  data.'/stack-cacheable.dat' using 1:3:4 with filledcurves lc rgb c2 notitle, \
  data.'/stack-cacheable.dat' using 1:2 with linespoints pt 5 lc rgb c2 title 'reads the syscall number only (bitmap cache)'
