# Profile tools (issue 8): record, lint, explain.  Included from the Makefile.
PROFILE_TOOLS := $(OUT)/bin/screcord $(OUT)/bin/sclint $(OUT)/bin/scexplain

all: $(PROFILE_TOOLS)

$(OUT)/bin/scexplain: $(OBJ)/lib/scexplain.o $(OBJ)/lib/bpf_eval.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

$(OUT)/bin/sclint: $(OBJ)/lib/sclint.o $(OBJ)/lib/surface_check.o $(OBJ)/lib/surface_static.o $(OBJ)/lib/bpf_eval.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)

$(OUT)/bin/screcord: $(OBJ)/lib/screcord.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LIBS)
