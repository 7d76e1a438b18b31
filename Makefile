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

# Messages and JSON paths are cut to fixed buffers on purpose, hence no
# -Wformat-truncation.
CFLAGS := -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -O2 -g -Ilib \
	-DSUITE_PROFILES_DIR='"$(CURDIR)/profiles"' -DSUITE_CASES_DIR='"$(CURDIR)/cases"'
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

TEST_SRCS := $(wildcard tests/test_*.c)
TESTS := $(TEST_SRCS:tests/%.c=$(OUT)/tests/%)

include ci/cross.mk

all: $(PROBES) $(OUT)/bin/scrun $(OUT)/bin/cases $(TESTS) $(OUT)/probes.list

$(OBJ)/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(OBJ)/probes/%.o: probes/%.c lib/probe.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# Which table entry a program is: a one-line object per program.
$(OBJ)/select/%.o:
	@mkdir -p $(@D)
	printf 'const char probe_selected[] = "%s";\n' '$*' | $(CC) $(CFLAGS) -x c -c -o $@ -

.SECONDEXPANSION:
$(OUT)/probes/%: $(OBJ)/probes/$$(firstword $$(subst ., ,$$*)).o $(OBJ)/select/%.o \
		$(OBJ)/lib/probe_main.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

$(OUT)/probes.list: $(PROBE_SRCS)
	@mkdir -p $(@D)
	printf '%s\n' $(PROBE_NAMES) > $@

$(OUT)/bin/scrun: $(OBJ)/lib/scrun.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

# The case runner: static, so that it runs in a bare guest as the probes do.
$(OUT)/bin/cases: cases/runner.c $(LIB_OBJS) $(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(KSELFTEST) -Wno-unused-parameter -static -o $@ $< $(LIB_OBJS) $(LIBS)

$(KSELFTEST)/kselftest_harness.h:
	@test -r $(LINUX_SOURCE_TAR) || { echo "missing $(LINUX_SOURCE_TAR): apt-get install linux-source-6.1" >&2; exit 1; }
	@mkdir -p $(KSELFTEST)
	tar -xJf $(LINUX_SOURCE_TAR) -C $(KSELFTEST) --strip-components=4 \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest.h
	@touch $@

$(OUT)/tests/%: tests/%.c $(LIB_OBJS) $(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(KSELFTEST) -Wno-unused-parameter -o $@ $< $(LIB_OBJS) $(LIBS) -lpthread

include lib/profile_tools.mk
include ci/backends/backends.mk

test: all
	bash tests/run.sh $(OUT)

clean:
	rm -rf $(BUILD)

.PHONY: all test clean
.SECONDARY:

include lib/check.mk
include bench/bench.mk
include ci/matrix.mk
-include tests/fuzz/fuzz.mk
