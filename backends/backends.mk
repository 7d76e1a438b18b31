# The container-runtime backends (backends/): resolve-profile writes the
# OCI linux.seccomp object for runc and crun.  The container's rootfs holds
# build/<abi>/bin/probe-run alone (every probe in one static program).
BACKEND_TOOLS := $(OUT)/bin/resolve-profile

all: $(BACKEND_TOOLS)

$(OUT)/bin/resolve-profile: $(OBJ)/programs/resolve_profile.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)
