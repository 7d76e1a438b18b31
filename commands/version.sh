#!/bin/sh
# The suite's version, defined here once: ./run.sh --version, the programs
# that stamp results lines ("suite", programs/programs.mk) and the dist
# tarball's VERSION all take it from this script.  A tree with a VERSION file
# (an unpacked release) says that; a git checkout says `git describe`.
HERE=$(cd "$(dirname "$0")/.." && pwd)
if [ -r "$HERE/VERSION" ]; then
	cat "$HERE/VERSION"
else
	git -C "$HERE" describe --always --dirty 2>/dev/null || echo unknown
fi
