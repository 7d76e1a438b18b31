# seccomp-suite: everything builds under build/<abi>/; probes are static.
#   make            probes, scrun, tests
#   make test       build, then run the tests (tests/run.sh)
#   make clean

ABI := $(shell uname -m)
BUILD := build
OUT := $(BUILD)/$(ABI)
OBJ := $(OUT)/obj

# Debian's linux-source-6.1 carries the kselftest harness; it is extracted
# at build time and never committed.
LINUX_SOURCE_TAR := /usr/src/linux-source-6.1.tar.xz
KSELFTEST := $(BUILD)/kselftest
# Every file the build takes from it (the harness for the runner and the
# unit tests, the kernel's seccomp benchmark, the kselftest runner scripts),
# under tools/testing/selftests/: one tar pass decompresses the tarball once.
KSELFTEST_MEMBERS := kselftest_harness.h kselftest.h seccomp/seccomp_benchmark.c \
	run_kselftest.sh kselftest/runner.sh kselftest/prefix.pl kselftest/module.sh
KSELFTEST_FILES := $(KSELFTEST_MEMBERS:%=$(KSELFTEST)/%)

# CPPFLAGS (-I, -D) apart from CFLAGS: a build that sets CFLAGS on the
# command line (make CFLAGS='-O1 -g -fsanitize=address') or compiles with
# other flags (fuzzing) keeps the include paths and the suite's paths.
# Messages and JSON paths are cut to fixed buffers on purpose, hence no
# -Wformat-truncation.
CPPFLAGS := -Ilib -DSUITE_PROFILES_DIR='"$(CURDIR)/profiles"' -DSUITE_CASES_DIR='"$(CURDIR)/cases"'
# gcc's -Wformat-truncation is off on purpose (the buffers above); clang has
# no such warning (-Wno-unknown-warning-option keeps it quiet about that).
CFLAGS := -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -O2 -g
ifeq ($(findstring clang,$(CC)),clang)
CFLAGS += -Wno-unknown-warning-option
endif
LIBS := -lseccomp -ljson-c

LIB_SRCS := lib/caps.c lib/profile.c lib/profile_resolve.c lib/profile_build.c \
	lib/policy.c lib/verdict.c lib/expect.c lib/profile_oci.c
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(OBJ)/lib/%.o)

# One program per PROBE / PROBE_VARIANT entry: probes/clone.c gives clone,
# clone.newns and clone.newuser.
PROBE_SRCS := $(wildcard probes/*.c)
LP := (
RP := )
PROBE_NAMES := $(shell sed -n -E \
	-e 's/^[[:space:]]*PROBE(_ABSENT)?\$(LP)([A-Za-z0-9_]+)[,$(RP)].*/\2/p' \
	-e 's/^[[:space:]]*PROBE_VARIANT(_ABSENT)?\$(LP)([A-Za-z0-9_]+),[[:space:]]*([A-Za-z0-9_]+).*/\2.\3/p' \
	$(PROBE_SRCS) /dev/null | sort -u)
PROBES := $(PROBE_NAMES:%=$(OUT)/probes/%)
PROBE_OBJS := $(PROBE_SRCS:probes/%.c=$(OBJ)/probes/%.o)
# The probe table and the lines it reports: every program that runs probes.
PROBE_TABLE_OBJS := $(OBJ)/lib/probe_table.o $(LIB_OBJS)

TEST_SRCS := $(wildcard tests/test_*.c)
TESTS := $(TEST_SRCS:tests/%.c=$(OUT)/tests/%)

include ci/cross.mk

all: $(PROBES) $(OUT)/bin/probe-run $(OUT)/bin/scrun $(OUT)/bin/cases $(TESTS) $(OUT)/probes.list

$(OBJ)/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The programs (programs/*.c): each a main over the library.
$(OBJ)/programs/%.o: programs/%.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(OBJ)/probes/%.o: probes/%.c lib/probe.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Which table entry a program is: a one-line object per program.
$(OBJ)/select/%.o:
	@mkdir -p $(@D)
	printf 'const char probe_selected[] = "%s";\n' '$*' | $(CC) $(CPPFLAGS) $(CFLAGS) -x c -c -o $@ -

.SECONDEXPANSION:
$(OUT)/probes/%: $(OBJ)/probes/$$(firstword $$(subst ., ,$$*)).o $(OBJ)/select/%.o \
		$(OBJ)/programs/probe_main.o $(PROBE_TABLE_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $^ $(LIBS)

# Every probe in one program: the profile compiled once per run.  Linking
# the probe objects together also proves that they share no global name.
$(OUT)/bin/probe-run: $(OBJ)/programs/probe_run.o $(PROBE_OBJS) $(PROBE_TABLE_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $^ $(LIBS)

$(OUT)/probes.list: $(PROBE_SRCS)
	@mkdir -p $(@D)
	printf '%s\n' $(PROBE_NAMES) > $@

$(OUT)/bin/scrun: $(OBJ)/programs/scrun.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $^ $(LIBS)

# The case runner: static, so that it runs in a bare guest as the probes
# do; the probes are linked in (no program is executed per case).
$(OUT)/bin/cases: cases/runner.c $(PROBE_OBJS) $(PROBE_TABLE_OBJS) $(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(KSELFTEST) $(CFLAGS) -Wno-unused-parameter -static -o $@ $< \
		$(PROBE_OBJS) $(PROBE_TABLE_OBJS) $(LIBS)

# All members in one pass (a grouped target: one run makes every file).
$(KSELFTEST_FILES) &:
	@test -r $(LINUX_SOURCE_TAR) || { echo "missing $(LINUX_SOURCE_TAR): apt-get install linux-source-6.1" >&2; exit 1; }
	@mkdir -p $(KSELFTEST)
	tar -xJf $(LINUX_SOURCE_TAR) -C $(KSELFTEST) --strip-components=4 \
		$(KSELFTEST_MEMBERS:%=linux-source-6.1/tools/testing/selftests/%)
	@touch $(KSELFTEST_FILES)

$(OUT)/tests/%: tests/%.c $(LIB_OBJS) $(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(KSELFTEST) $(CFLAGS) -Wno-unused-parameter -o $@ $< $(LIB_OBJS) $(LIBS) -lpthread

include programs/programs.mk
include backends/backends.mk

# The tests exercise every command: their packages first (the main job's
# ./run.sh installs only its own), then the build.
test:
	ci/install-deps.sh test
	$(MAKE) all
	$(MAKE) containerd-profiles
	bash tests/run.sh $(OUT)

# ./run.sh on a fresh Debian 12 (a debootstrap chroot under build/): the
# install, build and run times.  Minutes, the network, root: not in make test.
fresh-machine:
	bash bench/fresh-machine.sh $(FRESH_MACHINE_ARGS)

clean:
	rm -rf $(BUILD)

.PHONY: all test clean fresh-machine
.SECONDARY:

include bench/bench.mk
include matrix/matrix.mk
-include tests/fidelity/fidelity.mk
-include tests/fidelity/containerd.mk
-include farms/farms.mk
-include ci/check.mk
-include tests/fuzz/fuzz.mk
-include ci/libseccomp.mk
