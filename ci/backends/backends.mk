# The container-runtime backends (ci/backends/): resolve-profile writes the
# OCI linux.seccomp object for runc and crun; probe-all runs every probe in
# one container.  Both static: the container's rootfs holds nothing else.
BACKEND_TOOLS := $(OUT)/bin/resolve-profile $(OUT)/bin/probe-all

all: $(BACKEND_TOOLS)

$(OBJ)/ci/backends/%.o: ci/backends/%.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(OUT)/bin/resolve-profile: $(OBJ)/ci/backends/resolve_profile.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

$(OUT)/bin/probe-all: $(OBJ)/ci/backends/probe_all.o
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ -ljson-c
