# bench/: the microbenchmark, and the kernel's own seccomp_benchmark built
# from Debian's linux-source at build time (never committed).  Included at
# the end of the Makefile.
BENCH_OUT := $(OUT)/bench
BENCH_SRCS := bench/seccomp_bench.c bench/bitmap_cache.c bench/stats.c bench/profile_paths.c bench/harmless.c
KERNEL_BENCH_SRC := $(KSELFTEST)/seccomp/seccomp_benchmark.c

all: $(BENCH_OUT)/seccomp_bench $(BENCH_OUT)/kernel_seccomp_benchmark $(BENCH_OUT)/spec_ctrl

# lib/bpf_eval (the user-space BPF interpreter of explain) gives path lengths.
$(BENCH_OUT)/seccomp_bench: $(BENCH_SRCS) bench/*.h lib/*.h $(LIB_OBJS) $(OBJ)/lib/bpf_eval.o
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ibench $(CFLAGS) -o $@ $(BENCH_SRCS) $(OBJ)/lib/bpf_eval.o $(LIB_OBJS) $(LIBS) -lpthread -lm

# It includes "../kselftest.h": both come from the Makefile's one pass over
# the kernel source tarball ($(KSELFTEST_FILES)).

# The kernel's code, built with the kernel's own flags for it (not ours:
# -Werror is for the suite's code).
$(BENCH_OUT)/kernel_seccomp_benchmark: $(KERNEL_BENCH_SRC) $(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wl,-no-as-needed -o $@ $<

# What loading a filter does to the task's speculation controls, with and
# without SPEC_ALLOW: static, so that it is a guest's whole initramfs
# (./run.sh bench --spec-allow-guest).
$(BENCH_OUT)/spec_ctrl: bench/spec_ctrl.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $<

bench: $(BENCH_OUT)/seccomp_bench $(BENCH_OUT)/kernel_seccomp_benchmark $(BENCH_OUT)/spec_ctrl

.PHONY: bench

# The suite's own speed (bench/suite-speed.sh): hyperfine over the main job,
# probe, one probe program, cases, surface; SUITE_SPEED_ARGS=--matrix adds a
# qemu guest.
suite-speed: all
	bash bench/suite-speed.sh $(SUITE_SPEED_ARGS)

.PHONY: suite-speed

# SPEC_ALLOW's mechanism in qemu guests of Debian's 6.1 kernel (about 20 s).
bench-spec-allow: bench
	bash bench/bench.sh --spec-allow-guest

# Every figure and plot of docs/bench.md, retaken in one command on a quiet
# machine (bench/figures.sh rewrites the page's marked blocks).
bench-figures: all
	bash bench/figures.sh $(BENCH_FIGURES_ARGS)

.PHONY: bench-spec-allow bench-figures
