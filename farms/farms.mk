# farms/: the suite in the forms kernel CI farms and container fleets run
# (issue 16).  Included at the end of the Makefile.
#   make kselftest-install INSTALL_PATH=DIR [ABI=...]
#        the seccomp-suite kselftest collection for one ABI, merged into the
#        kselftest install tree DIR (run_kselftest.sh -c seccomp-suite)
#   make kselftest-tar [ABI=...]
#        build/dist/kselftest-seccomp-suite-VERSION-DEBARCH.tar.gz: a
#        kselftest tree with every ABI the Debian architecture's kernels run
#        (amd64: x86_64, and i386 as extra tests)
#   make dist [ABI=...]
#        build/dist/seccomp-suite-VERSION-ABI.tar.gz: the suite for a fleet
#        host, run with its seccomp-suite entry point (farms/dist/)

FARMS_VERSION = $(SUITE_VERSION)
FARMS_DIST := $(BUILD)/dist
FARMS_PAYLOAD := $(OUT)/farms/payload

# The programs a host runs without a checkout (the probes are linked into
# the cases runner and probe-run).
FARMS_PROGRAMS := cases probe-run check scrun screport
FARMS_STRIP := $(if $(filter %gcc,$(CC)),$(CC:%gcc=%strip),strip)
# Docker's defaults, the paths lib/policy.h names: Debian 12's from the
# installed package, Debian 13's (docker-26-default) from `make moby26`.
FARMS_DOCKER_DEFAULT := $(shell sed -n 's|^\#define DOCKER_DEFAULT_PROFILE[[:space:]]*"\([^"]*\)".*|\1|p' lib/policy.h)
FARMS_DOCKER_26_DEFAULT := $(FIDELITY)/moby26$(shell sed -n 's|^[[:space:]]*SUITE_MOBY26_DIR "\([^"]*\)".*|\1|p' lib/policy.h)
FARMS_DOCKER_26_DEB = $(firstword $(wildcard $(FIDELITY)/moby26/debs/golang-github-docker-docker-dev_*.deb))
# Podman's default (the path lib/policy.c names) and containerd's, generated
# for the payload's architecture (tests/fidelity/containerd.mk).
FARMS_PODMAN_DEFAULT := $(shell sed -n 's|^\#define PODMAN_DEFAULT_PROFILE "\(.*\)"|\1|p' lib/policy.c)
FARMS_GOARCH_x86_64 := amd64
FARMS_GOARCH_i386 := amd64
FARMS_GOARCH_aarch64 := arm64
FARMS_GOARCH_arm := arm64
FARMS_GOARCH = $(or $(FARMS_GOARCH_$(ABI)),$(ABI))
FARMS_SETS = $(sort $(basename $(notdir $(wildcard cases/*.cases))))

# Seconds per set before run_kselftest.sh stops it (its default is 45): a
# set in a TCG guest takes minutes.
KSELFTEST_TIMEOUT ?= 900

FARMS_DEBARCH_x86_64 := amd64
FARMS_DEBARCH_i386 := amd64
FARMS_DEBARCH_aarch64 := arm64
FARMS_ABIS_amd64 := x86_64 i386
FARMS_ABIS_arm64 := aarch64
FARMS_DEBARCH = $(or $(FARMS_DEBARCH_$(ABI)),$(error ABI=$(ABI): no Debian architecture known (x86_64, i386, aarch64)))

# The payload is staged afresh each time (a tree, cheap to copy).
farms-payload: $(FARMS_PROGRAMS:%=$(OUT)/bin/%) $(FIDELITY)/moby26/VERSIONS
	$(MAKE) --no-print-directory $(CONTAINERD_PROFILES)/INDEX.$(FARMS_GOARCH)
	ABI=$(ABI) OUT=$(OUT) STRIP=$(FARMS_STRIP) PROGRAMS="$(FARMS_PROGRAMS)" VERSION=$(FARMS_VERSION) \
		DOCKER_DEFAULT=$(FARMS_DOCKER_DEFAULT) DOCKER_26_DEFAULT=$(FARMS_DOCKER_26_DEFAULT) \
		DOCKER_26_DEB=$(FARMS_DOCKER_26_DEB) PODMAN_DEFAULT=$(FARMS_PODMAN_DEFAULT) \
		CONTAINERD_INDEX=$(CONTAINERD_PROFILES)/INDEX.$(FARMS_GOARCH) sh farms/payload.sh $(FARMS_PAYLOAD)

kselftest-install: farms-payload $(KSELFTEST)/run_kselftest.sh
	@test -n "$(INSTALL_PATH)" || { echo "make kselftest-install: give INSTALL_PATH=DIR (a kselftest install tree, new or existing)" >&2; exit 2; }
	KSELFTEST_TIMEOUT=$(KSELFTEST_TIMEOUT) sh farms/kselftest/install.sh $(abspath $(INSTALL_PATH)) $(ABI) \
		$(FARMS_PAYLOAD) $(KSELFTEST) $(FARMS_SETS)

FARMS_KSELFTEST_TAR = $(FARMS_DIST)/kselftest-seccomp-suite-$(FARMS_VERSION)-$(FARMS_DEBARCH).tar.gz
kselftest-tar:
	rm -rf $(BUILD)/$(FARMS_DEBARCH)-kselftest
	for abi in $(FARMS_ABIS_$(FARMS_DEBARCH)); do \
		$(MAKE) --no-print-directory ABI=$$abi kselftest-install INSTALL_PATH=$(BUILD)/$(FARMS_DEBARCH)-kselftest || exit 1; \
	done
	@mkdir -p $(FARMS_DIST)
	tar -C $(BUILD)/$(FARMS_DEBARCH)-kselftest -czf $(FARMS_KSELFTEST_TAR).tmp . && mv $(FARMS_KSELFTEST_TAR).tmp $(FARMS_KSELFTEST_TAR)
	@echo $(FARMS_KSELFTEST_TAR)

FARMS_DIST_NAME = seccomp-suite-$(FARMS_VERSION)-$(ABI)
dist: farms-payload
	@mkdir -p $(FARMS_DIST)
	rm -rf $(FARMS_DIST)/$(FARMS_DIST_NAME)
	cp -R $(FARMS_PAYLOAD) $(FARMS_DIST)/$(FARMS_DIST_NAME)
	tar -C $(FARMS_DIST) --owner=0 --group=0 -czf $(FARMS_DIST)/$(FARMS_DIST_NAME).tar.gz.tmp $(FARMS_DIST_NAME) && \
		mv $(FARMS_DIST)/$(FARMS_DIST_NAME).tar.gz.tmp $(FARMS_DIST)/$(FARMS_DIST_NAME).tar.gz
	rm -rf $(FARMS_DIST)/$(FARMS_DIST_NAME)
	@echo $(FARMS_DIST)/$(FARMS_DIST_NAME).tar.gz

.PHONY: farms-payload kselftest-install kselftest-tar dist

# The fleet report (farms/screport.c): JSON without jq on the host.
$(OUT)/bin/screport: farms/screport.c lib/abi.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $< -ljson-c
