# Cross builds: `make ABI=i386`, `make ABI=aarch64` and `make ABI=arm`
# (armhf: ARM EABI, hard float, the compat ABI of arm64 kernels) build the
# static probes, scrun (and the cases runner) into build/<ABI>/ with
# Debian's cross compilers; the static libseccomp.a and libjson-c.a come
# from Debian's i386, arm64 and armhf packages installed through multiarch
# (ci/install-deps.sh), which the cross compilers find in
# /usr/lib/<triplet>/.  The kselftest unit tests are host-only: they run
# where they are built.
HOST_ABI := $(shell uname -m)
CROSS_CC_i386 := i686-linux-gnu-gcc
CROSS_CC_aarch64 := aarch64-linux-gnu-gcc
CROSS_CC_arm := arm-linux-gnueabihf-gcc
CROSS_CC_ppc64le := powerpc64le-linux-gnu-gcc
CROSS_CC_s390x := s390x-linux-gnu-gcc
CROSS_CC_x86_64 := x86_64-linux-gnu-gcc

ifneq ($(ABI),$(HOST_ABI))
ifeq ($(CROSS_CC_$(ABI)),)
$(error ABI=$(ABI): no cross compiler known (i386, aarch64, arm, ppc64le, s390x, x86_64))
endif
CC := $(CROSS_CC_$(ABI))
TESTS :=
endif
