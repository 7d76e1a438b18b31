# The differential test of profile resolution (tests/fidelity.test.sh): the
# oracle moby-resolve, built offline against each engine's moby source
# (GO111MODULE=off, GOPATH over Debian's /usr/share/gocode; nothing
# vendored, no module proxy).  moby 26 comes from Debian 13 through
# tests/fidelity/fetch-moby26.sh (a private apt configuration under build/).
#   make moby26            Debian 13's moby source under build/fidelity/moby26
#                          (the bundled profile docker-26-default comes from it)
#   make fidelity-tools    both oracles and resolve-profile
#   make fidelity-test     the test alone

FIDELITY := $(BUILD)/fidelity
FIDELITY_GO := $(wildcard tests/fidelity/moby-resolve/*.go) tests/fidelity/overlay/kernel_version.go
FIDELITY_MOBY26 := $(CURDIR)/$(FIDELITY)/moby26/root/usr/share/gocode
FIDELITY_GOENV := GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=1 \
	GOCACHE=$(CURDIR)/$(FIDELITY)/gocache

# $(call fidelity_go,ENGINE,GOPATH,MOBY_VERSION,RUNC_VERSION): moby's
# seccomp package gets overlay/kernel_version.go added (go build -overlay),
# the rest is built as Debian ships it.
define fidelity_go
	@mkdir -p $(@D)
	printf '{"Replace":{"%s/src/github.com/docker/docker/profiles/seccomp/zz_fidelity_kernel.go":"%s"}}\n' \
		'$(firstword $(subst :, ,$(2)))' '$(CURDIR)/tests/fidelity/overlay/kernel_version.go' > $@.overlay.json
	$(FIDELITY_GOENV) GOPATH='$(2)' go build -overlay $@.overlay.json \
		-ldflags "-X main.engine=$(1) -X main.mobyVersion=$(3) -X main.runcVersion=$(4)" \
		-o $@ ./tests/fidelity/moby-resolve
endef

$(FIDELITY)/moby-resolve-docker-20.10: $(FIDELITY_GO)
	$(call fidelity_go,docker-20.10,/usr/share/gocode,$$(dpkg-query -W -f '$${Version}' golang-github-docker-docker-dev),$$(dpkg-query -W -f '$${Version}' golang-github-opencontainers-runc-dev))

$(FIDELITY)/moby26/VERSIONS: tests/fidelity/fetch-moby26.sh
	bash tests/fidelity/fetch-moby26.sh $(FIDELITY)/moby26

# docker-26-default's file (lib/policy.h, DOCKER_26_DEFAULT_PROFILE): the
# programs look for it here.  `make` fetches it; without the archive the
# build goes on and only that profile is missing.
CPPFLAGS += -DSUITE_MOBY26_DIR='"$(CURDIR)/$(FIDELITY)/moby26"'
moby26: $(FIDELITY)/moby26/VERSIONS
all: moby26-if-reachable
moby26-if-reachable:
	@$(MAKE) --no-print-directory $(FIDELITY)/moby26/VERSIONS >/dev/null 2>&1 || \
		echo "warning: Debian 13's moby could not be fetched: docker-26-default is missing (make moby26)" >&2

$(FIDELITY)/moby-resolve-docker-26: $(FIDELITY_GO) $(FIDELITY)/moby26/VERSIONS
	$(call fidelity_go,docker-26,$(FIDELITY_MOBY26):/usr/share/gocode,$$(awk '/docker-docker-dev/{print $$2}' $(FIDELITY)/moby26/VERSIONS),$$(awk '/runc-dev/{print $$2}' $(FIDELITY)/moby26/VERSIONS))

# Unit tests of the same (kselftest): built with `make`, run by tests/run.sh.
$(OUT)/tests/test_fidelity: tests/fidelity/test_fidelity.c $(LIB_OBJS) $(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -I$(KSELFTEST) -Wno-unused-parameter -o $@ $< $(LIB_OBJS) $(LIBS)
all: $(OUT)/tests/test_fidelity

fidelity-tools: $(FIDELITY)/moby-resolve-docker-20.10 $(FIDELITY)/moby-resolve-docker-26 $(OUT)/bin/resolve-profile

fidelity-test: fidelity-tools
	bash tests/fidelity.test.sh $(OUT)

.PHONY: fidelity-tools fidelity-test moby26 moby26-if-reachable
