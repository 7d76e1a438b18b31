# The decision surface (issue 12): scsurface.  Included at the end of the
# Makefile.
SURFACE_OBJS := $(OBJ)/lib/scsurface.o $(OBJ)/lib/surface_static.o $(OBJ)/lib/surface_io.o \
	$(OBJ)/lib/surface_live.o $(OBJ)/lib/surface_check.o $(OBJ)/lib/surface_pid.o \
	$(OBJ)/lib/bpf_eval.o

all: $(OUT)/bin/scsurface

$(OUT)/bin/scsurface: $(SURFACE_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)
