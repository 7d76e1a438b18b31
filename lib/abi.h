/* abi.h: the ABI this program was built for, in the names each tool uses. */
#ifndef SECCOMP_SUITE_ABI_H
#define SECCOMP_SUITE_ABI_H

#include <seccomp.h>

#if defined(__x86_64__) && defined(__ILP32__)
#define ABI_NAME "x32"
#define ABI_SCMP_ARCH SCMP_ARCH_X32
#elif defined(__x86_64__)
#define ABI_NAME "x86_64"
#define ABI_SCMP_ARCH SCMP_ARCH_X86_64
#elif defined(__i386__)
#define ABI_NAME "i386"
#define ABI_SCMP_ARCH SCMP_ARCH_X86
#elif defined(__aarch64__)
#define ABI_NAME "aarch64"
#define ABI_SCMP_ARCH SCMP_ARCH_AARCH64
#elif defined(__arm__)
#define ABI_NAME "arm"
#define ABI_SCMP_ARCH SCMP_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define ABI_NAME "riscv64"
#define ABI_SCMP_ARCH SCMP_ARCH_RISCV64
#elif defined(__s390x__)
#define ABI_NAME "s390x"
#define ABI_SCMP_ARCH SCMP_ARCH_S390X
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ABI_NAME "ppc64le"
#define ABI_SCMP_ARCH SCMP_ARCH_PPC64LE
#else
#error "seccomp-suite: unsupported ABI"
#endif

#endif
