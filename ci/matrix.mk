# The init of a matrix guest (ci/matrix.sh builds it for x86_64 and
# aarch64: `make ABI=aarch64 build/aarch64/bin/matrix-init`).  Not part of
# `all`: it is useful only inside a qemu guest.
$(OUT)/bin/matrix-init: ci/matrix/init.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -static -o $@ $<
