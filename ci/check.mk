# make check: the project's own hygiene (issue 18), beside `make test`.
#   shellcheck  every shell script, warnings and up (three style classes of
#               the tests' own idioms excepted)
#   cppcheck    the C sources, warnings and up
#   clang       the whole build again with clang into build/clang-<abi>
#   sanitize    the unit tests under ASan+UBSan (tests' fragment), when defined
# The packages: ci/install-deps.sh check.
SHELL_SOURCES = $(shell git ls-files '*.sh' run.sh .ci/run 2>/dev/null)
CPPCHECK_DIRS := lib probes cases bench farms ci

check-shell:
	shellcheck -S warning -e SC2010,SC2011,SC2164 $(SHELL_SOURCES)

check-cppcheck:
	cppcheck -q --error-exitcode=1 --enable=warning --inline-suppr -Ilib -Ibench \
		--suppress=missingIncludeSystem --suppress=unknownMacro:lib/check.c $(CPPCHECK_DIRS)

check-clang:
	$(MAKE) --no-print-directory CC=clang OUT=$(BUILD)/clang-$(ABI) all

check: check-shell check-cppcheck check-clang $(if $(filter sanitize,$(.DEFAULT_GOAL) $(MAKECMDGOALS)),,$(if $(SANITIZE_TARGET),$(SANITIZE_TARGET),))

.PHONY: check check-shell check-cppcheck check-clang
