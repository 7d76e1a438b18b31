package main

// The generator: random Docker seccomp profiles exercising every field
// dockerd reads (and the ones only moby 26 reads), every action and
// operator, includes/excludes by capability, architecture and minKernel
// (including ""), archMap with sub-architectures and foreign entries,
// errnoRet on every action, flags, listenerPath, and Go's JSON decoding
// corners: duplicated keys (which merge), null after a value, keys matched
// by Unicode case folding ("ſyscalls", the Kelvin sign in "minKernel"),
// \u-escaped keys, unknown keys.  About one rule in ten carries something
// runc refuses (an unknown operator, argument index 6, an empty name, name
// together with names), mostly in rules that then do not apply.

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

type kv struct {
	k string
	v any
}
type obj []kv
type arr []any
type raw string // a JSON literal written as is: -1, 1.5, -0

type gen struct {
	r *rand.Rand
	// escapeKeys: write some keys' letters as \u escapes.
	escapeKeys bool
}

func (g *gen) p(prob float64) bool { return g.r.Float64() < prob }

func (g *gen) pick(v []string) string { return v[g.r.Intn(len(v))] }

// weighted: "NAME:WEIGHT" items.
func (g *gen) weighted(items ...string) string {
	total := 0.0
	ws := make([]float64, len(items))
	for i, it := range items {
		w, _ := strconv.ParseFloat(it[strings.LastIndex(it, ":")+1:], 64)
		ws[i] = w
		total += w
	}
	x := g.r.Float64() * total
	for i, it := range items {
		if x < ws[i] {
			return it[:strings.LastIndex(it, ":")]
		}
		x -= ws[i]
	}
	return items[0][:strings.LastIndex(items[0], ":")]
}

var (
	syscallPool = []string{"read", "write", "openat", "mount", "umount2", "ptrace", "bpf",
		"perf_event_open", "clone", "clone3", "unshare", "setns", "personality", "socket",
		"kexec_load", "reboot", "chroot", "futex_requeue", "statmount", "mseal",
		"socketcall", "nosuchcall", "getpid", "acct", "syslog"}
	capPool = []string{"CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_CHOWN", "CAP_NET_ADMIN", "CAP_BPF",
		"CAP_PERFMON", "CAP_CHECKPOINT_RESTORE", "CAP_SYS_RESOURCE", "CAP_AUDIT_READ",
		"CAP_SETUID", "CAP_SYS_BOOT", "cap_sys_admin", "SYS_ADMIN"}
	archFilterPool = []string{"amd64", "amd64", "x86", "arm64", "arm", "x32", "s390x", "AMD64", "bogus"}
	minKernelPool  = []string{"", "", "3.0", "4.8", "4.19", "5.4", "5.8", "5.9", "5.10", "6.1",
		"6.12", "6.18", "6.19", "7.0", "255.255"}
	scmpArches = []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64",
		"SCMP_ARCH_ARM", "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64"}
	flagPool = []string{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}
	opPool     = []string{"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}
	errnoPool  = []uint64{0, 1, 1, 1, 13, 13, 38, 38, 38, 95, 95, 4000, 4000, 4094, 4095, 5000, 65536 + 4000}
	valuePool  = []uint64{0, 1, 2, 8, 0x7E020000, 0xffffffff, 1 << 32, 18446744073709551615}
	kernelPool = []string{"4.19", "5.4", "5.8", "5.10", "6.1", "6.12", "6.18", "6.19"}
)

func (g *gen) action(forDefault bool) any {
	a := g.weighted("SCMP_ACT_ERRNO:4", "SCMP_ACT_ALLOW:3", "SCMP_ACT_KILL:1", "SCMP_ACT_KILL_THREAD:1",
		"SCMP_ACT_KILL_PROCESS:1", "SCMP_ACT_TRAP:1", "SCMP_ACT_LOG:1", "SCMP_ACT_TRACE:1",
		"SCMP_ACT_NOTIFY:0.4", "SCMP_ACT_BOGUS:0.1", ":0.1")
	if forDefault && a == "SCMP_ACT_NOTIFY" && g.p(0.7) {
		a = "SCMP_ACT_ERRNO"
	}
	return a
}

func (g *gen) errno() any {
	if g.p(0.005) {
		return raw(g.pick([]string{"-1", "1.5", "-0", `"1"`}))
	}
	return errnoPool[g.r.Intn(len(errnoPool))]
}

func (g *gen) strings(pool []string, max int) arr {
	n := g.r.Intn(max + 1)
	out := arr{}
	for i := 0; i < n; i++ {
		out = append(out, g.pick(pool))
	}
	return out
}

func (g *gen) filter() obj {
	o := obj{}
	if g.p(0.5) {
		o = append(o, kv{"caps", g.strings(capPool, 2)})
	}
	if g.p(0.4) {
		o = append(o, kv{"arches", g.strings(archFilterPool, 2)})
	}
	if g.p(0.45) {
		mk := any(g.pick(minKernelPool))
		if g.p(0.005) {
			mk = g.pick([]string{"4.8.1", "4", "x.y", "0.0", "256.1"})
		}
		o = append(o, kv{"minKernel", mk})
	}
	return o
}

// never: includes/excludes under which no rule applies on amd64.
func (g *gen) never() kv {
	switch g.r.Intn(3) {
	case 0:
		return kv{"includes", obj{{"arches", arr{"arm64"}}}}
	case 1:
		return kv{"excludes", obj{{"minKernel", ""}}}
	}
	return kv{"includes", obj{{"minKernel", "200.0"}}}
}

func (g *gen) arg() obj {
	o := obj{}
	idx := any(uint64(g.r.Intn(6)))
	if g.p(0.04) {
		idx = uint64(6)
	}
	o = append(o, kv{"index", idx})
	o = append(o, kv{"value", valuePool[g.r.Intn(len(valuePool))]})
	if g.p(0.4) {
		o = append(o, kv{"valueTwo", valuePool[g.r.Intn(len(valuePool))]})
	}
	op := any(g.pick(opPool))
	if g.p(0.04) {
		op = g.pick([]string{"SCMP_CMP_BOGUS", ""})
	}
	if !g.p(0.02) {
		o = append(o, kv{"op", op})
	}
	return o
}

func (g *gen) rule() obj {
	o := obj{}
	poison := false
	switch x := g.r.Float64(); {
	case x < 0.15:
		o = append(o, kv{"name", g.pick(syscallPool)})
	case x < 0.88:
		o = append(o, kv{"names", g.strings(syscallPool, 3)})
	case x < 0.89:
		o = append(o, kv{"name", g.pick(syscallPool)}, kv{"names", arr{g.pick(syscallPool)}})
		poison = true
	case x < 0.92:
		o = append(o, kv{"names", arr{"", g.pick(syscallPool)}})
		poison = true
	}
	if !g.p(0.01) {
		o = append(o, kv{"action", g.action(false)})
	}
	if g.p(0.35) {
		o = append(o, kv{"errnoRet", g.errno()})
	}
	if g.p(0.35) {
		args := arr{}
		for n := 1 + g.r.Intn(3); n > 0; n-- {
			args = append(args, g.arg())
		}
		o = append(o, kv{"args", args})
	}
	if g.p(0.3) {
		o = append(o, kv{"comment", "generated"})
	}
	if g.p(0.4) {
		o = append(o, kv{"includes", g.filter()})
	}
	if g.p(0.4) {
		o = append(o, kv{"excludes", g.filter()})
	}
	if poison && g.p(0.7) {
		o = append(o, g.never())
	}
	if g.p(0.08) {
		// A second "includes" merges into the first.
		o = append(o, kv{"includes", g.filter()})
	}
	if g.p(0.05) {
		// null elements of a []string keep what the first array put there.
		o = append(o, kv{"names", arr{nil, g.pick(syscallPool)}})
	}
	return o
}

func (g *gen) profile() obj {
	o := obj{}
	if !g.p(0.015) {
		o = append(o, kv{"defaultAction", g.action(true)})
	}
	if g.p(0.3) {
		o = append(o, kv{"defaultErrnoRet", g.errno()})
	}
	switch x := g.r.Float64(); {
	case x < 0.35:
		o = append(o, kv{"architectures", g.strings(scmpArches[:5], 3)})
	case x < 0.75:
		m := arr{}
		for n := g.r.Intn(4); n > 0; n-- {
			a := g.pick(scmpArches)
			if g.p(0.1) {
				a = "SCMP_ARCH_NOPE"
			}
			subs := g.strings(scmpArches, 2)
			if g.p(0.05) {
				subs = append(subs, "SCMP_ARCH_NOPE")
			}
			m = append(m, obj{{"architecture", a}, {"subArchitectures", subs}})
		}
		o = append(o, kv{"archMap", m})
	case x < 0.76:
		o = append(o, kv{"architectures", arr{"SCMP_ARCH_X86_64"}},
			kv{"archMap", arr{obj{{"architecture", "SCMP_ARCH_X86_64"}, {"subArchitectures", arr{"SCMP_ARCH_X86"}}}}})
	case x < 0.77:
		o = append(o, kv{"architectures", arr{"SCMP_ARCH_NOPE"}})
	}
	if g.p(0.12) {
		o = append(o, kv{"flags", g.strings(flagPool, 2)})
	}
	if g.p(0.01) {
		o = append(o, kv{"flags", uint64(7)}) // a type error moby 20.10 never reads
	}
	if g.p(0.15) {
		o = append(o, kv{"listenerPath", "/run/seccomp-agent.sock"})
	}
	if g.p(0.1) {
		o = append(o, kv{"listenerMetadata", "fidelity"})
	}
	if !g.p(0.04) {
		rules := arr{}
		for n := g.r.Intn(11); n > 0; n-- {
			rules = append(rules, g.rule())
		}
		o = append(o, kv{"syscalls", rules})
	}
	if g.p(0.12) {
		// A second "syscalls": its elements merge into the first's.
		more := arr{}
		for n := g.r.Intn(4); n > 0; n-- {
			// Some fields of a rule: merged into the first array's rule,
			// or a rule of its own (without an action, now and then).
			var part obj
			for _, f := range g.rule() {
				if f.k == "action" && g.p(0.9) || g.p(0.5) {
					part = append(part, f)
				}
			}
			more = append(more, part)
		}
		o = append(o, kv{"syscalls", more})
	}
	if g.p(0.2) {
		o = append(o, kv{g.pick([]string{"comment", "x-unknown", "names"}), obj{{"a", uint64(1)}}})
	}
	o = g.nulls(o, 0.08)
	if g.p(0.3) {
		g.fold(o, 0.2)
	}
	g.escapeKeys = g.p(0.1)
	return o
}

// nulls: some keys get a null after them, in the same object.
func (g *gen) nulls(o obj, prob float64) obj {
	for i := 0; i < len(o); i++ {
		switch v := o[i].v.(type) {
		case obj:
			o[i].v = g.nulls(v, prob)
		case arr:
			for j := range v {
				if e, ok := v[j].(obj); ok {
					v[j] = g.nulls(e, prob)
				}
			}
		}
	}
	if len(o) > 0 && g.p(prob*float64(len(o))) {
		k := o[g.r.Intn(len(o))].k
		o = append(o, kv{k, nil})
	}
	return o
}

// fold: keys written in another case, or with ſ for s and the Kelvin sign
// for k, which Go's encoding/json matches to the field.
func (g *gen) fold(o obj, prob float64) {
	for i := range o {
		if g.p(prob) {
			var b strings.Builder
			for _, c := range o[i].k {
				switch {
				case (c == 's' || c == 'S') && g.p(0.5):
					b.WriteRune('ſ')
				case (c == 'k' || c == 'K') && g.p(0.7):
					b.WriteRune('\u212a')
				case c >= 'a' && c <= 'z' && g.p(0.2):
					b.WriteRune(c - 32)
				case c >= 'A' && c <= 'Z' && g.p(0.2):
					b.WriteRune(c + 32)
				default:
					b.WriteRune(c)
				}
			}
			o[i].k = b.String()
		}
		switch v := o[i].v.(type) {
		case obj:
			g.fold(v, prob)
		case arr:
			for _, e := range v {
				if eo, ok := e.(obj); ok {
					g.fold(eo, prob)
				}
			}
		}
	}
}

func (g *gen) write(b *strings.Builder, v any, indent string) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(strconv.Quote(x))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case raw:
		b.WriteString(string(x))
	case arr:
		b.WriteString("[")
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			g.write(b, e, indent)
		}
		b.WriteString("]")
	case obj:
		b.WriteString("{")
		for i, e := range x {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + "\t")
			g.writeKey(b, e.k)
			b.WriteString(": ")
			g.write(b, e.v, indent+"\t")
		}
		b.WriteString("\n" + indent + "}")
	default:
		panic(fmt.Sprintf("gen: cannot write %T", v))
	}
}

func (g *gen) writeKey(b *strings.Builder, k string) {
	if !g.escapeKeys || !g.p(0.3) {
		b.WriteString(strconv.Quote(k))
		return
	}
	b.WriteString(`"`)
	for _, c := range k {
		if c < utf8.RuneSelf && g.p(0.5) || c >= utf8.RuneSelf {
			fmt.Fprintf(b, `\u%04x`, c)
		} else {
			b.WriteRune(c)
		}
	}
	b.WriteString(`"`)
}

// generated: one profile and the kernel it is resolved for.
type generated struct {
	text   string
	kernel string
}

func generate(seed int64, n int) []generated {
	g := &gen{r: rand.New(rand.NewSource(seed))}
	out := make([]generated, n)
	for i := range out {
		var b strings.Builder
		o := g.profile()
		g.write(&b, o, "")
		b.WriteString("\n")
		out[i] = generated{text: b.String(), kernel: g.pick(kernelPool)}
	}
	return out
}

func genMain(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	seed := fs.Int64("seed", 1, "random seed")
	n := fs.Int("n", 10, "how many profiles")
	dir := fs.String("dir", ".", "where to write NNNN.json")
	fs.Parse(args)
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	for i, p := range generate(*seed, *n) {
		if err := os.WriteFile(filepath.Join(*dir, fmt.Sprintf("%04d.json", i)), []byte(p.text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
