# The suite built a second time against Debian 13's libseccomp 2.6.0 (the
# verdicts depend on the library that compiles the filter: docs/libseccomp.md).
#   make libseccomp-2.6   fetch trixie's libseccomp source package through a
#                         private apt configuration (ci/libseccomp-fetch.sh),
#                         build it (static library and headers, never
#                         installed on the system) into
#                         build/libseccomp-2.6/<ABI>/, then the suite against
#                         it into build/<ABI>-libseccomp2.6/
#   make libseccomp-2.6-lib   the library alone
#   make libseccomp-test  tests/libseccomp.test.sh (both builds)
# `make ABI=i386 libseccomp-2.6` cross-builds both with ci/cross.mk's compiler.
# The default build (build/<ABI>/) keeps Debian 12's libseccomp-dev (2.5.4).
#
# Building the library needs gperf (its configure refuses to run without
# it, although the release tarball ships the generated syscall table); it
# runs on the build machine, hence GPERF=gperf for a cross build.

LIBSECCOMP_26 := $(BUILD)/libseccomp-2.6
LIBSECCOMP_26_STAMP := $(LIBSECCOMP_26)/fetch/VERSION
LIBSECCOMP_26_PREFIX := $(CURDIR)/$(LIBSECCOMP_26)/$(ABI)
LIBSECCOMP_26_A := $(LIBSECCOMP_26_PREFIX)/lib/libseccomp.a
LIBSECCOMP_26_OUT := $(BUILD)/$(ABI)-libseccomp2.6
LIBSECCOMP_HOST_i386 := i686-linux-gnu
LIBSECCOMP_HOST_aarch64 := aarch64-linux-gnu
LIBSECCOMP_HOST_x86_64 := x86_64-linux-gnu

$(LIBSECCOMP_26_STAMP): ci/libseccomp-fetch.sh
	bash ci/libseccomp-fetch.sh $(LIBSECCOMP_26)/fetch

# libseccomp's own automake build, out of tree, with its own default flags
# (-O2 -g); the suite's command-line variables (MAKEFLAGS) are not passed
# down into it.
$(LIBSECCOMP_26_A): $(LIBSECCOMP_26_STAMP)
	@command -v gperf >/dev/null || { echo "libseccomp 2.6: its configure needs gperf: apt-get install gperf" >&2; exit 1; }
	rm -rf $(LIBSECCOMP_26_PREFIX)
	mkdir -p $(LIBSECCOMP_26_PREFIX)/obj
	cd $(LIBSECCOMP_26_PREFIX)/obj && env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES \
		$(CURDIR)/$(LIBSECCOMP_26)/fetch/src/configure -q CC=$(CC) GPERF=gperf \
		$(if $(filter-out $(HOST_ABI),$(ABI)),--host=$(LIBSECCOMP_HOST_$(ABI))) \
		--prefix=$(LIBSECCOMP_26_PREFIX) --disable-shared --enable-static --disable-python \
		>../configure.log && \
	env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES make -s -j2 install >../make.log
	@echo "libseccomp 2.6: $$(cat $(LIBSECCOMP_26_STAMP) | cut -d' ' -f2) built into $(LIBSECCOMP_26_PREFIX)"

libseccomp-2.6-lib: $(LIBSECCOMP_26_A)

libseccomp-2.6: $(LIBSECCOMP_26_A)
	$(MAKE) --no-print-directory LIBSECCOMP=2.6 OUT=$(LIBSECCOMP_26_OUT) all

libseccomp-test: libseccomp-2.6
	bash tests/libseccomp.test.sh $(OUT) $(LIBSECCOMP_26_OUT)

# Inside that second make: the headers and the static library of 2.6 come
# before the system's (an -I before the system's include directories, an -L
# before its library directories; every program is linked -static).
ifeq ($(LIBSECCOMP),2.6)
ifneq ($(origin OUT),command line)
$(error LIBSECCOMP=2.6 builds into its own directory: use `make libseccomp-2.6` (build/$(ABI)-libseccomp2.6))
endif
ifeq ($(wildcard $(LIBSECCOMP_26_A)),)
$(error LIBSECCOMP=2.6: $(LIBSECCOMP_26_A) is missing: use `make libseccomp-2.6`)
endif
CPPFLAGS := -I$(LIBSECCOMP_26_PREFIX)/include $(CPPFLAGS)
LIBS := -L$(LIBSECCOMP_26_PREFIX)/lib $(LIBS)
else ifneq ($(filter-out 2.5,$(LIBSECCOMP)),)
$(error LIBSECCOMP=$(LIBSECCOMP): 2.5 (the default build, Debian 12's libseccomp-dev) or 2.6)
endif

.PHONY: libseccomp-2.6 libseccomp-2.6-lib libseccomp-test
