# Plots of seccomp_bench results.  bench/bench.sh runs it as
#   gnuplot -e "data='DIR/data'; out='DIR/NAME'; fmt='svg'" bench/plots.gp
# with one DIR/data/SERIES.dat per series: x, and the median overhead (ns
# over the same child's unfiltered getpid) with its 95% interval.
if (fmt eq 'png') set terminal pngcairo size 900,560 font 'DejaVu Sans,10'; else set terminal svg size 900,560 dynamic font 'DejaVu Sans,11'
set grid
set key top left box opaque
set ylabel 'ns added to getpid (median, 95% interval)'
set xzeroaxis lt -1

# 1: syscall-number rules in one filter.  A linear x axis: the default layout
# on the long path should be a straight line, the tree a log curve, the
# cacheable filters flat.
set output out.'-rules.'.fmt
set title "One filter of N syscall-number rules (getpid's rule checks an argument unless cacheable)"
set xlabel 'rules in the filter'
plot \
  data.'/rules-arg-default-long.dat' using 1:2:3:4 with yerrorlines lw 2 title 'default layout, getpid last', \
  data.'/rules-arg-default-short.dat' using 1:2:3:4 with yerrorlines title 'default layout, getpid first', \
  data.'/rules-arg-tree-long.dat' using 1:2:3:4 with yerrorlines lw 2 title 'binary tree', \
  data.'/rules-cacheable-default-long.dat' using 1:2:3:4 with yerrorlines title 'cacheable (bitmap), default layout', \
  data.'/rules-cacheable-tree-long.dat' using 1:2:3:4 with yerrorlines title 'cacheable (bitmap), binary tree'

# 2: argument rules on one syscall, up to the kernel's 4096 instructions.
set output out.'-argrules.'.fmt
set title 'getpid allowed for N values of its first argument (one filter)'
set xlabel 'argument values compared (rules)'
plot \
  data.'/argrules-long.dat' using 1:2:3:4 with yerrorlines lw 2 title 'matching value compared last', \
  data.'/argrules-short.dat' using 1:2:3:4 with yerrorlines title 'matching value compared first'

# 3: stacked filters.
set output out.'-stack.'.fmt
set title 'Stacked filters: each returns ALLOW'
set xlabel 'filters attached'
plot \
  data.'/stack-full.dat' using 1:2:3:4 with yerrorlines lw 2 title 'reads an argument (runs on every call)', \
  data.'/stack-cacheable.dat' using 1:2:3:4 with yerrorlines title 'reads the syscall number only (bitmap cache)'
