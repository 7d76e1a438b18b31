package main

// The differential check: every profile, for every capability set, is
// resolved by moby's own code (in this process) and by the suite's
// resolve-profile --batch (a child process), and the two are judged:
//
//   agree      both give the same linux.seccomp object (and the same
//              bounding set)
//   refused    dockerd refuses the profile and so does the suite
//   runc       dockerd passes the profile on, runc (specconv + InitSeccomp's
//              checks) refuses it, and the suite refuses it: what
//              `docker run` shows
//   deliberate a difference the suite makes on purpose (listed in
//              deliberate(), each with its reason; docs/design.md)
//   differ     anything else: a failure
//
// A resolution that dockerd hands on and runc then refuses, and that the
// suite resolves identically, is "agree": resolve-profile prints dockerd's
// object, and the native loader (profile_build) refuses it as runc does.

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Five capability sets: what a container gets by default, none, all, and
// two --cap-add/--cap-drop mixes.
var capSets = []string{
	"none",
	"docker-default",
	"docker-default,SYS_ADMIN",
	"all",
	"docker-default,SYS_PTRACE,NET_ADMIN,-CHOWN,-SETUID",
}

// Capability specs checked against moby's TweakCapabilities alone: the
// names each engine knows, refuses, or (moby 26) finds unavailable here.
var capSpecs = []string{
	"none", "docker-default", "all", "all,-CHOWN", "none,NET_RAW",
	"docker-default,SYS_ADMIN", "docker-default,sys_admin", "docker-default,CAP_SYS_ADMIN",
	"docker-default,AUDIT_READ", "docker-default,BPF", "docker-default,PERFMON",
	"docker-default,CHECKPOINT_RESTORE", "docker-default,-BPF", "all,-PERFMON",
	"docker-default,SYS_RESOURCE", "docker-default,NOPE", "docker-default,-CHOWN,-KILL",
}

type suiteResult struct {
	Caps       []string        `json:"caps"`
	Seccomp    json.RawMessage `json:"seccomp"`
	Error      string          `json:"error"`
	BuildError string          `json:"build_error"`
	BPF        string          `json:"bpf"`
}

// suiteRequest: a request, and whether to build the filter too.
type suiteRequest struct {
	request
	Build bool `json:"build,omitempty"`
}

type suite struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

func startSuite(bin string) (*suite, error) {
	cmd := exec.Command(bin, "--batch")
	cmd.Stderr = io.Discard
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	return &suite{cmd: cmd, in: in, out: sc}, nil
}

func (s *suite) ask(req suiteRequest) (suiteResult, error) {
	var res suiteResult
	line, _ := json.Marshal(req)
	if _, err := s.in.Write(append(line, '\n')); err != nil {
		return res, err
	}
	if !s.out.Scan() {
		return res, fmt.Errorf("resolve-profile --batch ended early: %v", s.out.Err())
	}
	return res, json.Unmarshal(s.out.Bytes(), &res)
}

func (s *suite) close() {
	s.in.Close()
	s.cmd.Wait()
}

// normalize: nil and empty lists are the same object to the runtime.
func normalize(sc *specs.LinuxSeccomp) string {
	if sc == nil {
		return "null"
	}
	c := *sc
	if c.Architectures == nil {
		c.Architectures = []specs.Arch{}
	}
	if c.Flags == nil {
		c.Flags = []specs.LinuxSeccompFlag{}
	}
	c.Syscalls = []specs.LinuxSyscall{}
	for _, r := range sc.Syscalls {
		if r.Names == nil {
			r.Names = []string{}
		}
		if r.Args == nil {
			r.Args = []specs.LinuxSeccompArg{}
		}
		c.Syscalls = append(c.Syscalls, r)
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// deliberate: the differences the suite makes on purpose, each with the
// reason docs/design.md gives.  "" when m/s is not one of them.
func deliberate(m result, s suiteResult) string {
	if m.Error == "" && m.Seccomp == nil && s.Error != "" && strings.Contains(s.Error, "unconfined") {
		// Fail closed (DESIGN interface 4): a profile with neither
		// defaultAction nor syscalls is no filter at all to dockerd; the
		// suite refuses it and asks for --profile unconfined.
		return "disabled profile refused"
	}
	if m.Error == "" && m.Seccomp != nil && m.Seccomp.DefaultAction == "" && len(m.Seccomp.Syscalls) == 0 &&
		s.Error != "" {
		// The same, one step later: no defaultAction, and none of the
		// rules applies here.  dockerd hands runc an empty object and
		// runc (specconv.SetupSeccomp) loads no filter at all; the suite
		// refuses the profile (it needs a defaultAction with rules).
		return "no defaultAction and no rule applies: runc loads no filter"
	}
	return ""
}

// judge: one of agree, refused, runc, deliberate, differ, and why.
func judge(m result, s suiteResult) (string, string) {
	if m.CapsError != "" {
		if s.Error != "" {
			return "refused", ""
		}
		return "differ", "dockerd refuses the capability set (" + m.CapsError + "), the suite accepts it"
	}
	if s.Error == "" && !reflect.DeepEqual(m.Caps, sortedUnique(s.Caps)) {
		return "differ", fmt.Sprintf("bounding set: dockerd %v, suite %v", m.Caps, sortedUnique(s.Caps))
	}
	if why := deliberate(m, s); why != "" {
		return "deliberate", why
	}
	if m.Error != "" {
		if s.Error != "" {
			return "refused", ""
		}
		return "differ", "dockerd refuses (" + m.Error + "), the suite resolves"
	}
	if s.Error != "" {
		if m.RuncError != "" {
			return "runc", ""
		}
		return "differ", "dockerd and runc accept, the suite refuses: " + s.Error
	}
	var got *specs.LinuxSeccomp
	if len(s.Seccomp) > 0 && string(s.Seccomp) != "null" {
		got = &specs.LinuxSeccomp{}
		if err := json.Unmarshal(s.Seccomp, got); err != nil {
			return "differ", "the suite's object does not decode: " + err.Error()
		}
	}
	want, have := normalize(m.Seccomp), normalize(got)
	if want != have {
		return "differ", "dockerd " + want + "\n#   suite   " + have
	}
	// The same object: then the native loader must refuse it exactly
	// when runc does (`docker run` fails), and build it otherwise.
	if m.RuncError != "" && s.BuildError == "" {
		return "differ", "runc refuses the object (" + m.RuncError + "), the suite's loader builds it"
	}
	if m.RuncError == "" && s.BuildError != "" && got != nil {
		return "differ", "runc accepts the object, the suite's loader refuses it: " + s.BuildError
	}
	if m.RuncError != "" {
		return "agree-runc", ""
	}
	// Both build it: the same instructions, as libseccomp exports them
	// (runc then prepends its ENOSYS stub, which the suite does not).
	if got != nil && m.BPF != s.BPF {
		return "differ", fmt.Sprintf("the filters differ: runc's %d bytes, the suite's %d", len(m.BPF)/2, len(s.BPF)/2)
	}
	return "agree", ""
}

type tally struct {
	counts map[string]int
	fails  []string
	total  int
}

func (t *tally) add(verdict, why, label string) {
	if t.counts == nil {
		t.counts = map[string]int{}
	}
	t.counts[verdict]++
	t.total++
	if verdict == "differ" {
		t.fails = append(t.fails, label+": "+why)
	}
	if verdict == "deliberate" {
		t.counts["deliberate: "+why]++
	}
}

func (t *tally) agreed() int { return t.total - t.counts["differ"] }

func (t *tally) summary() string {
	var parts []string
	for _, k := range []string{"agree", "agree-runc", "refused", "runc", "deliberate"} {
		if t.counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", t.counts[k], k))
		}
	}
	return fmt.Sprintf("%d/%d agree (%s)", t.agreed(), t.total, strings.Join(parts, ", "))
}

func (t *tally) tap(desc string) bool {
	ok := len(t.fails) == 0
	if ok {
		fmt.Printf("ok - %s: %s\n", desc, t.summary())
	} else {
		fmt.Printf("not ok - %s: %s\n", desc, t.summary())
	}
	for i, f := range t.fails {
		if i == 8 {
			fmt.Printf("#   ... %d more\n", len(t.fails)-i)
			break
		}
		fmt.Printf("#   %s\n", f)
	}
	var keys []string
	for k := range t.counts {
		if strings.HasPrefix(k, "deliberate: ") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("#   %s: %d\n", k, t.counts[k])
	}
	return ok
}

type checker struct {
	suite *suite
	dir   string
}

// kernelFor: the kernel a request is resolved for.  moby 26 computes `all`
// from the running process's capabilities (containerd's cap.Current), not
// from the kernel it is told about; on a kernel before 5.9 the suite's
// `all` (what that kernel has) is smaller, so `all` is only asked for with
// kernels from 5.9 on, where the two mean the same set.
func kernelFor(caps, kernel string) string {
	if engine == "docker-26" && strings.HasPrefix(caps, "all") {
		var k, m int
		fmt.Sscanf(kernel, "%d.%d", &k, &m)
		if k < 5 || k == 5 && m < 9 {
			return "5.10"
		}
	}
	return kernel
}

func (c *checker) one(t *tally, file, text, caps, kernel string) error {
	req := request{File: file, Caps: caps, Kernel: kernelFor(caps, kernel), Engine: engine}
	m := resolve(text, req)
	s, err := c.suite.ask(suiteRequest{request: req, Build: true})
	if err != nil {
		return err
	}
	verdict, why := judge(m, s)
	t.add(verdict, why, fmt.Sprintf("%s --caps %s --kernel %s", file, caps, req.Kernel))
	return nil
}

func (c *checker) seed(seed int64, n int) (*tally, error) {
	t := &tally{}
	dir := filepath.Join(c.dir, fmt.Sprintf("seed-%d", seed))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, p := range generate(seed, n) {
		file := filepath.Join(dir, fmt.Sprintf("%04d.json", i))
		if err := os.WriteFile(file, []byte(p.text), 0o644); err != nil {
			return nil, err
		}
		for _, caps := range capSets {
			if err := c.one(t, file, p.text, caps, p.kernel); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

func (c *checker) corners() (*tally, error) {
	t := &tally{}
	dir := filepath.Join(c.dir, "corners")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, text := range cornerCases {
		file := filepath.Join(dir, fmt.Sprintf("%02d.json", i))
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			return nil, err
		}
		for _, caps := range capSets {
			for _, k := range []string{"4.19", "6.1"} {
				if err := c.one(t, file, text, caps, k); err != nil {
					return nil, err
				}
			}
		}
	}
	return t, nil
}

// caps: the bounding set of each spec, dockerd's against the suite's, for
// the running kernel (moby 26 reads the running process's capabilities).
func (c *checker) caps() (*tally, error) {
	t := &tally{}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return nil, err
	}
	file := filepath.Join(c.dir, "caps.json")
	text := `{"defaultAction":"SCMP_ACT_ALLOW"}`
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		return nil, err
	}
	for _, spec := range capSpecs {
		req := request{File: file, Caps: spec, Engine: engine}
		m := resolve(text, req)
		s, err := c.suite.ask(suiteRequest{request: req, Build: true})
		if err != nil {
			return nil, err
		}
		verdict, why := judge(m, s)
		t.add(verdict, why, "--caps "+spec)
	}
	return t, nil
}

func checkMain(args []string) error {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	bin := fs.String("resolve-profile", "", "the suite's resolve-profile")
	fixed := fs.Int64("seed", 1, "the fixed seed")
	fresh := fs.Int64("fresh-seed", 0, "the second seed (0: from the clock)")
	n := fs.Int("n", 300, "profiles per seed")
	dir := fs.String("dir", "", "where the profiles are written (kept for a rerun)")
	fs.Parse(args)
	if *bin == "" || *dir == "" {
		return fmt.Errorf("check: -resolve-profile and -dir are required")
	}
	if *fresh == 0 {
		*fresh = time.Now().UnixNano() % 1000000007
	}
	s, err := startSuite(*bin)
	if err != nil {
		return err
	}
	defer s.close()
	c := &checker{suite: s, dir: *dir}
	os.Remove(filepath.Join(*dir, "differences.txt"))
	fmt.Printf("# %s: moby %s, runc %s; seeds %d (fixed) and %d (fresh): rerun with -fresh-seed %d\n",
		engine, mobyVersion, runcVersion, *fixed, *fresh, *fresh)
	all := &tally{}
	steps := []struct {
		desc string
		run  func() (*tally, error)
	}{
		{"capability sets as docker run computes them", c.caps},
		{"hand-written JSON and resolution corner cases", c.corners},
		{fmt.Sprintf("%d random profiles x %d capability sets, seed %d (fixed)", *n, len(capSets), *fixed),
			func() (*tally, error) { return c.seed(*fixed, *n) }},
		{fmt.Sprintf("%d random profiles x %d capability sets, seed %d (fresh)", *n, len(capSets), *fresh),
			func() (*tally, error) { return c.seed(*fresh, *n) }},
	}
	for _, st := range steps {
		t, err := st.run()
		if err != nil {
			fmt.Printf("not ok - %s: %s: %v\n", engine, st.desc, err)
			continue
		}
		t.tap(engine + ": " + st.desc)
		if len(t.fails) > 0 {
			f, err := os.OpenFile(filepath.Join(*dir, "differences.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			if err == nil {
				fmt.Fprintln(f, strings.Join(t.fails, "\n"))
				f.Close()
			}
		}
		if st.desc[0] >= '0' && st.desc[0] <= '9' {
			all.total += t.total
			for k, v := range t.counts {
				if all.counts == nil {
					all.counts = map[string]int{}
				}
				all.counts[k] += v
			}
		}
	}
	fmt.Printf("# %s: random profiles: %s; seeds %d and %d\n", engine, all.summary(), *fixed, *fresh)
	return nil
}
