// moby-resolve: dockerd's own resolution of seccomp profiles, the oracle of
// the differential test tests/fidelity.test.sh.
//
// Built offline (GO111MODULE=off, GOPATH over Debian's /usr/share/gocode,
// nothing vendored) against the moby source of one engine: Debian 12's
// golang-github-docker-docker-dev (moby 20.10.24) or Debian 13's (26.1.5,
// unpacked by fetch-moby26.sh).  It calls moby's own code:
// profiles/seccomp.LoadProfile (JSON decoding, setupSeccomp), with the kernel
// version set through moby's cache (overlay/kernel_version.go), and
// oci/caps.TweakCapabilities for the bounding set `docker run` computes.
// What runc then does with the result is runc's own specconv.SetupSeccomp
// plus the checks of runc's InitSeccomp (runc.go).
//
//	moby-resolve engine                       the engine this binary links
//	moby-resolve serve                        requests on stdin, one JSON a line
//	moby-resolve gen -seed S -n N -dir D      N random profiles into D
//	moby-resolve check -resolve-profile BIN [-seed S] [-n N] [-dir D]
//	                                          the differential test, TAP lines
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/docker/docker/oci/caps"
	"github.com/docker/docker/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Set with -ldflags -X by fidelity.mk.
var (
	engine      = "unknown"
	mobyVersion = "unknown"
	runcVersion = "unknown"
)

// request: one resolution, as moby-resolve serve reads it and as the check
// hands it to resolve-profile --batch.
type request struct {
	File   string `json:"file"`
	Caps   string `json:"caps"`
	Kernel string `json:"kernel,omitempty"` // "6.1"; "": the running kernel
	Engine string `json:"engine,omitempty"`
}

// result: what dockerd (and runc after it) make of a request.
type result struct {
	Caps      []string            `json:"caps,omitempty"`
	CapsError string              `json:"caps_error,omitempty"`
	Seccomp   *specs.LinuxSeccomp `json:"seccomp"`
	Error     string              `json:"error,omitempty"`
	RuncError string              `json:"runc_error,omitempty"`
	BPF       string              `json:"bpf,omitempty"` // runc's filter before its ENOSYS patch, hex
}

// dockerCaps: the bounding set `docker run` gives for a suite capability
// spec ("docker-default,SYS_ADMIN,-CHOWN", "all", "none,NET_RAW"): the first
// item is the base, the others --cap-add / --cap-drop.
func dockerCaps(spec string) ([]string, error) {
	items := strings.Split(spec, ",")
	var adds, drops []string
	switch items[0] {
	case "docker-default":
	case "all":
		adds = append(adds, "ALL")
	case "none":
		drops = append(drops, "ALL")
	default:
		return nil, fmt.Errorf("capability spec %q: the first item must be docker-default, all or none", spec)
	}
	for _, it := range items[1:] {
		if strings.HasPrefix(it, "-") {
			drops = append(drops, it[1:])
		} else {
			adds = append(adds, it)
		}
	}
	set, err := caps.TweakCapabilities(caps.DefaultCapabilities(), adds, drops, false)
	if err != nil {
		return nil, err
	}
	return sortedUnique(set), nil
}

func sortedUnique(v []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range v {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func parseKernel(s string) (uint64, uint64, error) {
	var k, m uint64
	if _, err := fmt.Sscanf(s, "%d.%d", &k, &m); err != nil {
		return 0, 0, fmt.Errorf("kernel %q: %v", s, err)
	}
	return k, m, nil
}

// resolve: LoadProfile as dockerd calls it for `docker run --security-opt
// seccomp=FILE --cap-add ...` on a kernel.  A panic in moby's code (a null
// syscall or argument element) is dockerd refusing the request.
func resolve(text string, req request) (res result) {
	if c, err := dockerCaps(req.Caps); err != nil {
		res.CapsError = err.Error()
		res.Caps = nil
		return res
	} else {
		res.Caps = c
	}
	if req.Kernel != "" {
		k, m, err := parseKernel(req.Kernel)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		seccomp.SetKernelVersionForFidelity(k, m)
	}
	spec := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: res.Caps}}}
	defer func() {
		if r := recover(); r != nil {
			res.Seccomp = nil
			res.Error = fmt.Sprintf("dockerd panics: %v", r)
		}
	}()
	sc, err := seccomp.LoadProfile(text, spec)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.Seccomp = sc
	if bpf, err := runcFilter(sc); err != nil {
		res.RuncError = err.Error()
	} else {
		res.BPF = bpf
	}
	return res
}

func serve() error {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			return err
		}
		text, err := os.ReadFile(req.File)
		if err != nil {
			return err
		}
		if err := out.Encode(resolve(string(text), req)); err != nil {
			return err
		}
	}
	return in.Err()
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: moby-resolve engine|serve|gen|check ...")
		os.Exit(64)
	}
	var err error
	switch os.Args[1] {
	case "engine":
		fmt.Printf("%s moby %s runc %s\n", engine, mobyVersion, runcVersion)
	case "serve":
		err = serve()
	case "gen":
		err = genMain(os.Args[2:])
	case "check":
		err = checkMain(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "moby-resolve: %v\n", err)
		os.Exit(1)
	}
}
