package main

// Hand-written profiles for the corners the issue names, each resolved
// for every capability set on 4.19 and 6.1 and judged like the random ones.
var cornerCases = []string{
	// A null after a value keeps the value: enforced as ERRNO.
	`{"defaultAction":"SCMP_ACT_ERRNO","defaultAction":null}`,
	// Neither defaultAction nor syscalls: dockerd runs it unconfined.
	`{}`,
	`{"defaultAction":"","syscalls":[]}`,
	// Keys matched by Unicode case folding: ſ (U+017F) for s, K (U+212A) for k.
	`{"defaultAction":"SCMP_ACT_ALLOW","ſyscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","excludes":{"minKernel":"5.4"}},
	  {"nameſ":["umount2"],"action":"SCMP_ACT_ERRNO","includes":{"min` + "\u212a" + `ernel":"5.4"}}]}`,
	`{"DEFAULTACTION":"SCMP_ACT_ALLOW","Syscalls":[{"NAMES":["mount"],"Action":"SCMP_ACT_ERRNO","ErrnoRet":13}]}`,
	`{"\u0064efaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"\u0061ction":"SCMP_ACT_KILL"}]}`,
	// minKernel "" is version 0.0: every kernel reaches it.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","excludes":{"minKernel":""}},
	  {"names":["umount2"],"action":"SCMP_ACT_ERRNO","includes":{"minKernel":""}}]}`,
	// ... and "" after a version keeps the version; null drops it.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","excludes":{"minKernel":"5.4","minKernel":""}},
	  {"names":["umount2"],"action":"SCMP_ACT_ERRNO","excludes":{"minKernel":"5.4","minKernel":null}}]}`,
	// errnoRet on any action is passed on.
	`{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW","errnoRet":5},
	  {"names":["mount"],"action":"SCMP_ACT_KILL_PROCESS","errnoRet":0},{"names":["ptrace"],"action":"SCMP_ACT_TRACE","errnoRet":4}]}`,
	// errnoRet 5000: dockerd passes it on (runc's libseccomp then refuses it).
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":5000}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":69536}]}`,
	// flags, listenerPath, defaultErrnoRet: moby 20.10 has no such fields.
	`{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"flags":["SECCOMP_FILTER_FLAG_LOG"],"listenerPath":"/run/a.sock","listenerMetadata":"m",
	  "syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","flags":7,"defaultErrnoRet":"x","listenerPath":1}`,
	// Rules that do not apply are not looked at (moby 20.10): name with names,
	// an empty name, argument index 6, an unknown operator, an unknown action.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
	  {"name":"mount","names":["umount2"],"action":"SCMP_ACT_ERRNO","includes":{"arches":["arm64"]}},
	  {"names":[""],"action":"SCMP_ACT_ERRNO","excludes":{"arches":["amd64"]}},
	  {"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}],"includes":{"minKernel":"99.0"}},
	  {"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_BOGUS"}],"excludes":{"caps":["CAP_CHOWN"]}},
	  {"names":["mount"],"action":"SCMP_ACT_BOGUS","includes":{"caps":["CAP_BPF"]}},
	  {"names":["chroot"],"action":"SCMP_ACT_ERRNO"}]}`,
	// ... and when they do apply, runc refuses them.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_BOGUS"}]}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"mount","names":["umount2"],"action":"SCMP_ACT_ERRNO"}]}`,
	// An unknown architecture in another architecture's archMap entry.
	`{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_NOPE","subArchitectures":["SCMP_ARCH_NOPE2"]},
	  {"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_NOPE"]},
	  {"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],
	  "syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}`,
	// The first entry for the daemon's architecture wins.
	`{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]},
	  {"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X32"]}],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}`,
	// A duplicated "includes" merges into the first; a duplicated "syscalls"
	// decodes into the same rules.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO",
	  "includes":{"caps":["CAP_SYS_ADMIN"]},"includes":{"arches":["amd64"]}}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":1},{"names":["chroot"],"action":"SCMP_ACT_KILL"}],
	  "syscalls":[{"action":"SCMP_ACT_TRAP"}]}`,
	// Three "syscalls": the third reuses the elements the second cut off.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a1"],"action":"SCMP_ACT_ERRNO"},{"names":["a2"],"action":"SCMP_ACT_ERRNO","errnoRet":7},
	  {"names":["a3"],"action":"SCMP_ACT_KILL"},{"names":["a4"],"action":"SCMP_ACT_KILL"},{"names":["a5"],"action":"SCMP_ACT_LOG"}],
	  "syscalls":[{"names":["b1"]}],
	  "syscalls":[{"action":"SCMP_ACT_TRAP"},{"names":["c2"]},{},{}]}`,
	// null elements of a []string keep the element already there.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount","chroot"],"action":"SCMP_ACT_ERRNO","names":[null,"umount2"]}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[null],"action":"SCMP_ACT_ERRNO"}]}`,
	// null after a list or an errnoRet drops it.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":3,"errnoRet":null}],"syscalls":null}`,
	`{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]},"includes":null}]}`,
	// A null rule or argument: dockerd dies on it (a nil pointer).
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[null]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[null]}]}`,
	// Go refuses what is not a uint: -0, 1.0, 1e2.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":-0}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":1.0,"value":0,"op":"SCMP_CMP_EQ"}]}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1e2,"op":"SCMP_CMP_EQ"}]}]}`,
	// A type error anywhere in a known field refuses the profile.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","comment":5}]}`,
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":"mount","action":"SCMP_ACT_ERRNO"}]}`,
	// Unknown keys are skipped whatever they hold.
	`{"defaultAction":"SCMP_ACT_ALLOW","x":[1,{"y":null}],"syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","z":true}]}`,
	// Capabilities compare as exact strings.
	`{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["cap_sys_admin"]}},
	  {"names":["bpf"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_BPF"]}},
	  {"names":["perf_event_open"],"action":"SCMP_ACT_ALLOW","excludes":{"caps":["CAP_PERFMON"]}}]}`,
	// Names newer than the linked libseccomp (2.5.4 knows up to
	// futex_requeue): runc skips them; the filters must be the same.
	`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount","futex_requeue","statmount","listmount",
	  "lsm_get_self_attr","lsm_set_self_attr","lsm_list_modules","mseal","setxattrat","getxattrat","listxattrat",
	  "removexattrat","open_tree_attr","file_getattr","file_setattr","uretprobe"],"action":"SCMP_ACT_ERRNO"}]}`,
	// A defaultAction runc refuses.
	`{"defaultAction":"SCMP_ACT_NOTIFY","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}`,
	`{"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}`,
}
