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
#   make containerd-profiles   the profiles and build/containerd/INDEX

CONTAINERD_PROFILES := $(BUILD)/containerd
# The architectures generated (make CONTAINERD_GOARCHES=amd64: the host's
# alone, no emulator fetched; a name without its file is refused).
CONTAINERD_GOARCHES ?= amd64 arm64
CONTAINERD_GOENV := GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0 \
	GOPATH=/usr/share/gocode GOCACHE=$(CURDIR)/$(CONTAINERD_PROFILES)/gocache
CPPFLAGS += -DSUITE_CONTAINERD_DIR='"$(CURDIR)/$(CONTAINERD_PROFILES)"'

# INDEX: "MASK FILE CAPS" per generated profile, after the package's
# version; amd64 and arm64 (the foreign one under qemu-user-static's
# emulator, unpacked under build/containerd/qemu, not installed).
$(CONTAINERD_PROFILES)/INDEX: tests/fidelity/containerd-profile/main.go tests/fidelity/containerd-profiles.sh
	@mkdir -p $(@D)
	$(CONTAINERD_GOENV) CONTAINERD_GOARCHES='$(CONTAINERD_GOARCHES)' bash tests/fidelity/containerd-profiles.sh $(@D) > $@.tmp
	mv $@.tmp $@

containerd-profiles: $(CONTAINERD_PROFILES)/INDEX
all: containerd-profiles-if-available
containerd-profiles-if-available:
	@$(MAKE) --no-print-directory $(CONTAINERD_PROFILES)/INDEX >/dev/null 2>&1 || \
		echo "warning: containerd's profile could not be generated: containerd-default is missing (make containerd-profiles)" >&2

.PHONY: containerd-profiles containerd-profiles-if-available
