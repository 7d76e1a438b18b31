# containerd-default (Kubernetes' RuntimeDefault): the OCI linux.seccomp
# object containerd builds in Go, generated at build time, offline, by
# containerd's own code (tests/fidelity/containerd-profile, compiled with
# Debian's golang-go against golang-github-containerd-containerd-dev's
# GOPATH sources: GO111MODULE=off, no module proxy, nothing vendored), once
# per capability set: containerd's default (Docker's 14), that plus
# CAP_SYS_ADMIN, and every capability the building process holds (the
# suite's `all`).  lib/policy.c reads
# build/containerd/containerd-default.GOARCH.MASK.json for a run's set.
#   make containerd-profiles   the profiles and build/containerd/INDEX

CONTAINERD_PROFILES := $(BUILD)/containerd
CONTAINERD_GOENV := GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0 \
	GOPATH=/usr/share/gocode GOCACHE=$(CURDIR)/$(CONTAINERD_PROFILES)/gocache
CPPFLAGS += -DSUITE_CONTAINERD_DIR='"$(CURDIR)/$(CONTAINERD_PROFILES)"'

$(CONTAINERD_PROFILES)/containerd-profile: tests/fidelity/containerd-profile/main.go
	@mkdir -p $(@D)
	$(CONTAINERD_GOENV) go build -o $@ ./tests/fidelity/containerd-profile

# INDEX: "MASK FILE CAPS" per generated set, after the package's version.
$(CONTAINERD_PROFILES)/INDEX: $(CONTAINERD_PROFILES)/containerd-profile
	{ dpkg-query -W -f '# $${Package} $${Version}\n' golang-github-containerd-containerd-dev && \
	  $< -out $(@D) && $< -out $(@D) -add CAP_SYS_ADMIN && $< -out $(@D) -all; } > $@.tmp
	mv $@.tmp $@

containerd-profiles: $(CONTAINERD_PROFILES)/INDEX
all: containerd-profiles-if-available
containerd-profiles-if-available:
	@$(MAKE) --no-print-directory $(CONTAINERD_PROFILES)/INDEX >/dev/null 2>&1 || \
		echo "warning: containerd's profile could not be generated: containerd-default is missing (make containerd-profiles)" >&2

.PHONY: containerd-profiles containerd-profiles-if-available
