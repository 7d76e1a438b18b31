# Fuzzing and sanitizers (issue 14).  Included at the end of the Makefile.
#   make fuzz          the libFuzzer targets, FUZZ_SECONDS each (default 20:
#                      a minute in all), seeded with every profile the
#                      repository holds; a crash fails the make and leaves
#                      its input in build/fuzz/crashes/ (keep it in
#                      tests/fuzz/regressions/, fix, commit both)
#   make fuzz-replay   every input of tests/fuzz/regressions/ through every
#                      target, once (the sanitized loader, lint and explain)
#   make sanitize      the C unit tests (tests/test_*.c) built with
#                      AddressSanitizer, LeakSanitizer and UBSan, dynamically
#                      linked, into build/sanitize/, and run
# Debian 12: clang-14 and libclang-rt-14-dev (the sanitizer and libFuzzer
# runtimes), ci/install-deps.sh.

FUZZ_CLANG ?= clang-14
FUZZ_SECONDS ?= 20
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_TARGETS := profile lint explain
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
SAN_DIR := $(BUILD)/sanitize

# The project's flags, less what only gcc knows, plus the sanitizers.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CLANG_CFLAGS = $(CPPFLAGS) $(filter-out -O2,$(CFLAGS)) -Wno-unknown-warning-option -O1

FUZZ_LIB_SRCS := $(LIB_SRCS) lib/bpf_eval.c lib/surface_check.c lib/surface_static.c
FUZZ_LIB_OBJS := $(FUZZ_LIB_SRCS:lib/%.c=$(FUZZ_DIR)/obj/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:lib/%.c=$(SAN_DIR)/obj/%.o)
SAN_TESTS := $(TEST_SRCS:tests/%.c=$(SAN_DIR)/tests/%)

# Library objects with coverage for libFuzzer.
$(FUZZ_DIR)/obj/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# The tools' sources with their main renamed, for the lint and explain targets.
$(FUZZ_DIR)/obj/%_main.o: programs/%.c lib/*.h
	@mkdir -p $(@D)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -Dmain=$*_main -c -o $@ $<

$(FUZZ_DIR)/fuzz_profile: tests/fuzz/fuzz_profile.c tests/fuzz/fuzz_common.h $(FUZZ_LIB_OBJS)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJS) $(LIBS)

$(FUZZ_DIR)/fuzz_lint: tests/fuzz/fuzz_lint.c tests/fuzz/fuzz_common.h $(FUZZ_DIR)/obj/sclint_main.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/obj/sclint_main.o $(FUZZ_LIB_OBJS) $(LIBS)

$(FUZZ_DIR)/fuzz_explain: tests/fuzz/fuzz_explain.c tests/fuzz/fuzz_common.h $(FUZZ_DIR)/obj/scexplain_main.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/obj/scexplain_main.o $(FUZZ_LIB_OBJS) $(LIBS)

# Seeds: every profile of the repository, Docker's and Podman's defaults,
# and the kept regressions (libFuzzer reads folders, recursively).
FUZZ_SEED_DIRS := tests/profiles profiles tests/fuzz/regressions $(FUZZ_DIR)/seeds
$(FUZZ_DIR)/seeds/.stamp:
	@mkdir -p $(@D)
	-cp $(DOCKER_DEFAULT_JSON) $(@D)/docker-default.json 2>/dev/null
	-cp /usr/share/containers/seccomp.json $(@D)/podman-default.json 2>/dev/null
	@touch $@
DOCKER_DEFAULT_JSON := /usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json

# libFuzzer: inputs up to 64 KiB (Docker's default is 30 KiB), 30 s per
# input (a libseccomp hang inside policy_compile ends after 1 s of CPU).
# FUZZ_SEED: libFuzzer's -seed (0: a fresh one each run); make check fixes it
# so that CI is repeatable, and a developer's `make fuzz` explores anew.
FUZZ_SEED ?= 0
FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -max_len=65536 -timeout=30 -rss_limit_mb=4096 \
	-dict=tests/fuzz/profile.dict -print_final_stats=1

fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.stamp
	@mkdir -p $(FUZZ_DIR)/crashes
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t; \
		echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
		$(FUZZ_DIR)/fuzz_$$t $(FUZZ_FLAGS) -artifact_prefix=$(FUZZ_DIR)/crashes/$$t- \
			$(FUZZ_DIR)/corpus/$$t $(FUZZ_SEED_DIRS) 2>$(FUZZ_DIR)/$$t.log \
		|| { tail -n 60 $(FUZZ_DIR)/$$t.log; \
		     echo "fuzz_$$t found a crash: $$(ls -t $(FUZZ_DIR)/crashes/$$t-* | head -n1); keep it in tests/fuzz/regressions/" >&2; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done ' $(FUZZ_DIR)/$$t.log || true; \
	done

fuzz-replay: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== fuzz_$$t: $$(ls tests/fuzz/regressions | wc -l) regression inputs"; \
		$(FUZZ_DIR)/fuzz_$$t -timeout=30 tests/fuzz/regressions/* >$(FUZZ_DIR)/$$t-replay.log 2>&1 \
		|| { tail -n 40 $(FUZZ_DIR)/$$t-replay.log; exit 1; }; \
	done

# The unit tests under the sanitizers.  The kselftest harness ends each
# test's child with _exit, which LeakSanitizer never sees: fork and _exit
# are wrapped (tests/fuzz/sanitize_support.c) so that a test's own child
# checks for leaks before it exits.
$(SAN_DIR)/obj/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(SAN_DIR)/obj/sanitize_support.o: tests/fuzz/sanitize_support.c
	@mkdir -p $(@D)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(SAN_DIR)/tests/%: tests/%.c $(SAN_LIB_OBJS) $(SAN_DIR)/obj/sanitize_support.o $(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(@D)
	$(FUZZ_CLANG) $(CLANG_CFLAGS) $(SAN_FLAGS) -I$(KSELFTEST) -Wno-unused-parameter -Wno-gnu-zero-variadic-macro-arguments \
		-Wl,--wrap=fork,--wrap=_exit -o $@ $< $(SAN_LIB_OBJS) $(SAN_DIR)/obj/sanitize_support.o $(LIBS) -lpthread

sanitize: $(SAN_TESTS)
	@failed=0; for t in $(SAN_TESTS); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
			$$t >$$t.log 2>&1; rc=$$?; \
		grep -E '^# Totals|^not ok|ERROR: (Address|Leak)Sanitizer|runtime error' $$t.log; \
		[ $$rc -eq 0 ] || { echo "$$t exited $$rc (log: $$t.log)"; failed=1; }; \
	done; exit $$failed

.PHONY: fuzz fuzz-replay sanitize
