/* bpf_eval.h: run a seccomp BPF program on one seccomp_data, in user space.
 *
 * explain uses it to say what the compiled filter returns for a call
 * without making the call.  It follows the kernel's seccomp dialect of
 * classic BPF (seccomp_check_filter in kernel/seccomp.c): 32-bit loads of
 * struct seccomp_data at absolute offsets, the ALU and jump instructions,
 * scratch memory, RET.  Whether it agrees with the kernel is a test
 * (tests/explain.test.sh compares it with every probe's real verdict).
 */
#ifndef SECCOMP_SUITE_BPF_EVAL_H
#define SECCOMP_SUITE_BPF_EVAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_eval_result {
	uint32_t ret;	   /* SECCOMP_RET_* | data */
	unsigned executed; /* instructions run, the RET included */
};

/* 0, or -1 with a reason in err (a malformed program: an out-of-range load
 * or jump, an unknown instruction, no RET reached). */
int bpf_eval(const struct sock_fprog *prog, const struct seccomp_data *data, struct bpf_eval_result *out, char *err,
	     size_t err_size);

/* Every path of a program, for the surface (scsurface).
 *
 * struct seccomp_data is 16 little-endian 32-bit words: word 0 is nr, 1 arch,
 * 2 and 3 the instruction pointer (low, high), 4 + 2*i and 5 + 2*i the low
 * and high halves of args[i].  bpf_explore fixes nr and arch (a call's
 * number and ABI) and leaves the other words free: where the program
 * compares a free word (possibly ANDed with a mask) with a constant, both
 * outcomes are followed, and each path that ends in a RET is reported with
 * the comparisons it made and one value of every free word that follows it
 * (its witness), checked by running bpf_eval on the witness.
 *
 * It follows what filters do with arguments (libseccomp's and runc's: load,
 * AND with a constant, compare with a constant).  Any other computation on a
 * free word is refused with a reason, never approximated. */
#define BPF_WORDS 16
#define BPF_WORD_NR 0
#define BPF_WORD_ARCH 1
#define BPF_WORD_IP 2
#define BPF_WORD_ARG(i, high) (4 + 2 * (i) + ((high) ? 1 : 0))
#define BPF_PATH_TESTS 64

struct bpf_test {
	uint8_t word;  /* BPF_WORD_IP .. BPF_WORD_ARG(5, 1) */
	uint8_t op;    /* BPF_JEQ, BPF_JGT, BPF_JGE or BPF_JSET */
	bool taken;    /* the comparison held on this path */
	uint32_t mask; /* the word was ANDed with mask first (0xffffffff: not) */
	uint32_t k;
};

/* Does a word with value v follow test t? */
bool bpf_test_holds(const struct bpf_test *t, uint32_t v);

/* A value for every free word that follows all n tests (words not tested
 * are 0), or false when none was found.  The search tries the constants the
 * tests name, their neighbours and the bounds they imply; "none found" is
 * reported by callers as unsolved, never taken as proof that a path cannot
 * be followed. */
bool bpf_tests_solve(const struct bpf_test *tests, unsigned n, uint32_t words[BPF_WORDS]);

struct bpf_path {
	uint32_t ret; /* what the RET returns */
	unsigned n_tests;
	struct bpf_test tests[BPF_PATH_TESTS]; /* in the order the program made them */
	uint32_t witness[BPF_WORDS];	       /* words 0, 1 as fixed; the others solved */
};

/* Called once per path; a non-zero return stops the exploration and is
 * returned by bpf_explore. */
typedef int (*bpf_path_fn)(void *data, const struct bpf_path *path);

/* The paths of prog for fixed->nr and fixed->arch, starting from the tests
 * in given[0..n_given) (the conditions a caller already holds, such as the
 * path followed through an earlier filter of a stack).  *unsolved counts the
 * branches the program can take for which no witness was found.  Returns
 * the number of paths reported, fn's non-zero return, or -1 with a reason
 * in err (a computation it does not follow, a malformed program, more than
 * max_paths paths, a witness on which bpf_eval disagrees). */
int bpf_explore(const struct sock_fprog *prog, const struct seccomp_data *fixed, const struct bpf_test *given,
		unsigned n_given, unsigned max_paths, bpf_path_fn fn, void *data, unsigned *unsolved, char *err,
		size_t err_size);

/* "SCMP_ACT_ERRNO(38)", "SCMP_ACT_ALLOW", ... for a return value. */
void bpf_describe_ret(uint32_t ret, char *buf, size_t size);

#endif
