# The programs over the library (programs/*.c), apart from the probe
# programs, probe-run, scrun and the cases runner (Makefile) and
# resolve-profile (backends/backends.mk).  All static: they run in bare
# guests and containers as the probes do.

# Profile tools: record, lint, explain.
PROFILE_TOOLS := $(OUT)/bin/screcord $(OUT)/bin/sclint $(OUT)/bin/scexplain

all: $(PROFILE_TOOLS)

$(OUT)/bin/scexplain: $(OBJ)/programs/scexplain.o $(OBJ)/lib/bpf_eval.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

$(OUT)/bin/sclint: $(OBJ)/programs/sclint.o $(OBJ)/lib/surface_check.o $(OBJ)/lib/surface_static.o $(OBJ)/lib/bpf_eval.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

$(OUT)/bin/screcord: $(OBJ)/programs/screcord.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

# check: the host's seccomp support (./run.sh check).  Static, so that the
# same program reads a container's Seccomp fields in the probes' image.
all: $(OUT)/bin/check

$(OUT)/bin/check: $(OBJ)/programs/check.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS) -lpthread

# The decision surface: scsurface.
SURFACE_OBJS := $(OBJ)/programs/scsurface.o $(OBJ)/lib/surface_static.o $(OBJ)/lib/surface_io.o \
	$(OBJ)/lib/surface_live.o $(OBJ)/lib/surface_check.o $(OBJ)/lib/surface_pid.o \
	$(OBJ)/lib/bpf_eval.o

all: $(OUT)/bin/scsurface

$(OUT)/bin/scsurface: $(SURFACE_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

# The suite's version on every results line ("suite"): commands/version.sh
# is its one owner; the header is rewritten only when the version changes,
# so only the programs that stamp results lines are rebuilt.
SUITE_VERSION := $(shell commands/version.sh)
SUITE_VERSION_H := $(OUT)/gen/suite_version.h

$(SUITE_VERSION_H): FORCE
	@mkdir -p $(@D)
	@printf '#define SUITE_VERSION "%s"\n' '$(SUITE_VERSION)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

$(OBJ)/programs/probe_run.o $(OUT)/bin/cases: $(SUITE_VERSION_H)
$(OBJ)/programs/probe_run.o $(OUT)/bin/cases: CPPFLAGS += -I$(OUT)/gen

FORCE:
.PHONY: FORCE
