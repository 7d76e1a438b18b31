# matrix-init (matrix/init.c): PID 1 of a matrix guest, and the same plan
# interpreter for the host's cells (`matrix-init --plan FILE`).  matrix/matrix.sh
# builds it for the host's ABI and each guest architecture's (matrix/
# machines): `make ABI=aarch64 build/aarch64/bin/matrix-init`.  Not part of
# `all`: only the matrix runs it.
$(OUT)/bin/matrix-init: matrix/init.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -static -o $@ $<
