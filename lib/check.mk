# check: the host's seccomp support (./run.sh check).  Static, so that the
# same program reads a container's Seccomp fields in the probes' image.
all: $(OUT)/bin/check

$(OUT)/bin/check: $(OBJ)/lib/check.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS) -lpthread
