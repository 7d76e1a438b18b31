# The plot of ./run.sh bench --profile: what the profile adds to each
# syscall it lets through, sorted.  bench/bench.sh runs it as
#   gnuplot -e "data='DIR/data/profile.dat'; out='DIR/plot-profile'; fmt='png'; name='P'; caption='...'" bench/profile_plots.gp
# data: one line per syscall of the surface, cheapest first:
#   rank  modelled-own  modelled-tree  cacheable(0/1)  measured  lo  hi  label  label-y
# (measured, lo, hi, label-y: NaN where not timed; label "-" where none).
if (!exists("caption")) caption = ''
if (fmt eq 'png') set terminal pngcairo size 1100,640 font 'DejaVu Sans,10'; else set terminal svg size 1100,640 dynamic font 'DejaVu Sans,11'
set output out.'.'.fmt
set termoption noenhanced
set datafile missing 'NaN'
set grid ytics
set key outside top center horizontal Left reverse maxcols 2 width 1
set bmargin 5
set label 99 caption at screen 0.01, 0.02 left font ',8' tc rgb '#555555'
set style fill solid 0.6 noborder
set boxwidth 0.8 relative

stats data using 1 nooutput
n = STATS_max
stats data using 2 nooutput
ymax = STATS_max
stats data using 3 nooutput
ymax = STATS_max > ymax ? STATS_max : ymax
# measured medians and the labels above them (not the intervals) widen it
stats data using 9 nooutput
ymax = STATS_records > 0 && STATS_max > ymax ? STATS_max : ymax
set yrange [0 : ymax * 1.08 + 1]
set xrange [0.3 : n + 0.7]
set xtics out nomirror
if (n <= 30) set xtics 1
set title sprintf("What %s adds to each of the %d syscalls it lets through, cheapest first", name, n)
set xlabel 'syscalls the profile lets through, sorted by modelled cost (timed ones labelled)'
set ylabel 'ns added per call'

plot \
  data using 1:($4 == 1 ? $2 : NaN) with boxes lc rgb '#2ca02c' title 'cacheable: the bitmap skips the filter (modelled: its entry cost)', \
  data using 1:($4 == 0 ? $2 : NaN) with boxes lc rgb '#d62728' title 'the filter runs (modelled from its path length)', \
  data using 1:3 with points pt 7 ps 0.45 lc rgb '#1f77b4' title 'the same in the binary-tree layout (modelled)', \
  data using 1:5:6:7 with yerrorbars pt 5 ps 0.8 lw 1.5 lc rgb 'black' title 'timed: median, 95% interval (clipped)', \
  data using 1:5:(0):($9 - $5) with vectors nohead dt 3 lc rgb '#777777' notitle, \
  data using ($1 <= 0.7 * n ? $1 : NaN):9:8 with labels left offset 0.3,0 font ',9' notitle, \
  data using ($1 > 0.7 * n ? $1 : NaN):9:8 with labels right offset -0.3,0 font ',9' notitle
