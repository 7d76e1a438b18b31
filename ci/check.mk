# make check: the project's own hygiene (issue 18), beside `make test`.
#   shellcheck  every shell script, warnings and up (three style classes of
#               the tests' own idioms excepted)
#   cppcheck    the C sources, warnings and up
#   format      every C file as .clang-format says (clang-format --dry-run)
#   clang       the whole build again with clang into build/clang-<abi>
#   sanitize    the unit tests under ASan, LSan and UBSan (tests/fuzz/fuzz.mk)
#   fuzz        the libFuzzer targets over the loader, lint and explain,
#               FUZZ_SECONDS each (20), seed 1 (repeatable), after replaying
#               the kept regressions
# The packages: ci/install-deps.sh check.
SHELL_SOURCES = $(shell git ls-files '*.sh' run.sh .ci/run 2>/dev/null)
C_SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
CPPCHECK_DIRS := lib programs probes cases bench farms matrix ci

check-shell:
	shellcheck -S warning -e SC2010,SC2011,SC2164 $(SHELL_SOURCES)

check-cppcheck:
	cppcheck -q --error-exitcode=1 --enable=warning --inline-suppr -Ilib -Ibench \
		--suppress=missingIncludeSystem --suppress=unknownMacro:programs/check.c $(CPPCHECK_DIRS)

check-format:
	clang-format --dry-run --Werror $(C_SOURCES)

check-clang:
	$(MAKE) --no-print-directory CC=clang OUT=$(BUILD)/clang-$(ABI) all

check: check-shell check-cppcheck check-format check-clang
	$(MAKE) --no-print-directory sanitize
	$(MAKE) --no-print-directory fuzz FUZZ_SEED=1-replay
	$(MAKE) --no-print-directory fuzz FUZZ_SEED=1

.PHONY: check check-shell check-cppcheck check-format check-clang
