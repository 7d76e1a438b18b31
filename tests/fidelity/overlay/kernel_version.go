// This file is not built on its own: tests/fidelity/fidelity.mk adds it to
// moby's own package github.com/docker/docker/profiles/seccomp with
// `go build -overlay`, so that moby-resolve can set the kernel version
// moby caches (currentKernelVersion, filled once from uname(2) by
// getKernelVersion in kernel_linux.go) instead of always resolving for the
// running kernel.  The variables are moby's; nothing else is changed.

package seccomp

// SetKernelVersionForFidelity makes kernelGreaterEqualThan compare with
// kernel.major from now on.
func SetKernelVersionForFidelity(kernel, major uint64) {
	once.Do(func() {})
	currentKernelVersion = &KernelVersion{Kernel: kernel, Major: major}
	kernelVersionError = nil
}
