# containerd-default (Kubernetes' RuntimeDefault): the OCI linux.seccomp
# object containerd builds in Go, generated at build time, offline, by
# containerd's own code (tests/fidelity/containerd-profile, compiled with
# Debian's golang-go against golang-github-containerd-containerd-dev's
# GOPATH sources: GO111MODULE=off, no module proxy, nothing vendored), once
# per architecture (amd64, arm64: tests/fidelity/containerd-profiles.sh) and
# capability set: containerd's default (Docker's 14), that plus
# CAP_SYS_ADMIN, and every capability the building process holds (the
# suite's `all`).  lib/policy.c reads
# build/containerd/containerd-default.GOARCH.MASK.json for a run's set.
#   make containerd-profiles   every architecture's profiles and build/containerd/INDEX

CONTAINERD_PROFILES := $(BUILD)/containerd
# The architectures `make containerd-profiles` generates; `make` (all)
# generates the host's alone (no emulator fetched, nothing run under qemu):
# the matrix asks for the foreign ones when an arm64 guest needs them.
CONTAINERD_GOARCHES ?= amd64 arm64
CONTAINERD_HOST_GOARCH := $(patsubst x86_64,amd64,$(patsubst aarch64,arm64,$(shell uname -m)))
CONTAINERD_GOENV := GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0 \
	GOPATH=/usr/share/gocode GOCACHE=$(CURDIR)/$(CONTAINERD_PROFILES)/gocache
CPPFLAGS += -DSUITE_CONTAINERD_DIR='"$(CURDIR)/$(CONTAINERD_PROFILES)"'

# INDEX.GOARCH: the package's version, then "MASK FILE CAPS" per profile of
# that architecture (a foreign one under qemu-user-static's emulator,
# unpacked under build/containerd/qemu, not installed); INDEX: all of them.
# Regenerated when containerd's own profile code changes (a new
# golang-github-containerd-containerd-dev); $(wildcard): without the
# package the rule still stands and its recipe says what is missing.
CONTAINERD_SECCOMP_SOURCE := $(wildcard /usr/share/gocode/src/github.com/containerd/containerd/contrib/seccomp/seccomp_default.go)
$(CONTAINERD_PROFILES)/INDEX.%: tests/fidelity/containerd-profile/main.go tests/fidelity/containerd-profiles.sh \
		$(CONTAINERD_SECCOMP_SOURCE)
	@mkdir -p $(@D)
	$(CONTAINERD_GOENV) CONTAINERD_GOARCHES='$*' bash tests/fidelity/containerd-profiles.sh $(@D) > $@.tmp
	mv $@.tmp $@

$(CONTAINERD_PROFILES)/INDEX: $(CONTAINERD_GOARCHES:%=$(CONTAINERD_PROFILES)/INDEX.%)
	cat $^ > $@

containerd-profiles: $(CONTAINERD_PROFILES)/INDEX
all: containerd-profiles-if-available
containerd-profiles-if-available:
	@$(MAKE) --no-print-directory $(CONTAINERD_PROFILES)/INDEX.$(CONTAINERD_HOST_GOARCH) >/dev/null 2>&1 || \
		echo "warning: containerd's profile could not be generated: containerd-default is missing (make containerd-profiles)" >&2

.PHONY: containerd-profiles containerd-profiles-if-available
