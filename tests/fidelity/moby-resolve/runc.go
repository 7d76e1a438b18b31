package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/opencontainers/runc/libcontainer/configs"
	"github.com/opencontainers/runc/libcontainer/specconv"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

// runcRefuses: does runc refuse the linux.seccomp object dockerd hands it,
// before any filter is loaded?  specconv.SetupSeccomp is runc's own code
// (the runc of the engine's Debian release: 1.1.5 with 20.10, 1.1.15 with
// 26).  The checks InitSeccomp makes after it live in a cgo package that
// loads the filter into the caller, so they are restated here from runc
// 1.1.x libcontainer/seccomp/seccomp_linux.go (InitSeccomp, getAction,
// matchCall, in their order) and run against the linked libseccomp on a
// filter that is built and released, never loaded.
func runcRefuses(sc *specs.LinuxSeccomp) error {
	_, err := runcFilter(sc)
	return err
}

// runcFilter: the filter runc would load, as libseccomp exports it before
// runc's ENOSYS patch (patchbpf), in hex; "" when runc loads none.
func runcFilter(sc *specs.LinuxSeccomp) (string, error) {
	cfg, err := specconv.SetupSeccomp(sc)
	if err != nil || cfg == nil {
		return "", err
	}
	defAct, err := runcAction(cfg.DefaultAction, cfg.DefaultErrnoRet)
	if err != nil {
		return "", errors.New("error initializing seccomp - invalid default action")
	}
	for _, call := range cfg.Syscalls {
		if call.Action == configs.Notify && call.Name == "write" {
			return "", errors.New("SCMP_ACT_NOTIFY cannot be used for the write syscall")
		}
	}
	if defAct == libseccomp.ActNotify {
		return "", errors.New("SCMP_ACT_NOTIFY cannot be used as default action")
	}
	filter, err := libseccomp.NewFilter(defAct)
	if err != nil {
		return "", fmt.Errorf("error creating filter: %w", err)
	}
	defer filter.Release()
	for _, arch := range cfg.Architectures {
		a, err := libseccomp.GetArchFromString(arch)
		if err != nil {
			return "", fmt.Errorf("error validating Seccomp architecture: %w", err)
		}
		if err := filter.AddArch(a); err != nil {
			return "", fmt.Errorf("error adding architecture to seccomp filter: %w", err)
		}
	}
	if err := filter.SetNoNewPrivsBit(false); err != nil {
		return "", fmt.Errorf("error setting no new privileges: %w", err)
	}
	for _, call := range cfg.Syscalls {
		if err := runcMatchCall(filter, call, defAct); err != nil {
			return "", err
		}
	}
	return exportBPF(filter)
}

func exportBPF(filter *libseccomp.ScmpFilter) (string, error) {
	f, err := os.CreateTemp("", "moby-resolve-bpf")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := filter.ExportBPF(f); err != nil {
		return "", err
	}
	b, err := os.ReadFile(f.Name())
	return hex.EncodeToString(b), err
}

// runc's getAction: ERRNO and TRACE take errnoRet as an int16.
func runcAction(act configs.Action, errnoRet *uint) (libseccomp.ScmpAction, error) {
	switch act {
	case configs.Kill, configs.KillThread:
		return libseccomp.ActKillThread, nil
	case configs.Errno:
		if errnoRet != nil {
			return libseccomp.ActErrno.SetReturnCode(int16(*errnoRet)), nil
		}
		return libseccomp.ActErrno.SetReturnCode(int16(unix.EPERM)), nil
	case configs.Trap:
		return libseccomp.ActTrap, nil
	case configs.Allow:
		return libseccomp.ActAllow, nil
	case configs.Trace:
		if errnoRet != nil {
			return libseccomp.ActTrace.SetReturnCode(int16(*errnoRet)), nil
		}
		return libseccomp.ActTrace.SetReturnCode(int16(unix.EPERM)), nil
	case configs.Log:
		return libseccomp.ActLog, nil
	case configs.Notify:
		return libseccomp.ActNotify, nil
	case configs.KillProcess:
		return libseccomp.ActKillProcess, nil
	}
	return libseccomp.ActInvalid, errors.New("invalid action, cannot use in rule")
}

var runcOperators = map[configs.Operator]libseccomp.ScmpCompareOp{
	configs.EqualTo:              libseccomp.CompareEqual,
	configs.NotEqualTo:           libseccomp.CompareNotEqual,
	configs.GreaterThan:          libseccomp.CompareGreater,
	configs.GreaterThanOrEqualTo: libseccomp.CompareGreaterEqual,
	configs.LessThan:             libseccomp.CompareLess,
	configs.LessThanOrEqualTo:    libseccomp.CompareLessOrEqual,
	configs.MaskEqualTo:          libseccomp.CompareMaskedEqual,
}

// runc's matchCall: an empty name is an error; a rule equal to the default
// action, or naming a syscall libseccomp does not know, is skipped before
// its conditions are looked at.
func runcMatchCall(filter *libseccomp.ScmpFilter, call *configs.Syscall, defAct libseccomp.ScmpAction) error {
	if len(call.Name) == 0 {
		return errors.New("empty string is not a valid syscall")
	}
	callAct, err := runcAction(call.Action, call.ErrnoRet)
	if err != nil {
		return fmt.Errorf("action in seccomp profile is invalid: %w", err)
	}
	if callAct == defAct {
		return nil
	}
	nr, err := libseccomp.GetSyscallFromName(call.Name)
	if err != nil {
		return nil
	}
	if len(call.Args) == 0 {
		if err := filter.AddRule(nr, callAct); err != nil {
			return fmt.Errorf("error adding seccomp filter rule for syscall %s: %w", call.Name, err)
		}
		return nil
	}
	argCounts := make([]uint, 6)
	conds := []libseccomp.ScmpCondition{}
	for _, a := range call.Args {
		op, ok := runcOperators[a.Op]
		if !ok {
			return fmt.Errorf("error creating seccomp syscall condition for syscall %s: invalid operator, cannot use in rule", call.Name)
		}
		c, err := libseccomp.MakeCondition(a.Index, op, a.Value, a.ValueTwo)
		if err != nil {
			return fmt.Errorf("error creating seccomp syscall condition for syscall %s: %w", call.Name, err)
		}
		argCounts[a.Index]++
		conds = append(conds, c)
	}
	multiple := false
	for _, n := range argCounts {
		if n > 1 {
			multiple = true
		}
	}
	if multiple {
		for _, c := range conds {
			if err := filter.AddRuleConditional(nr, callAct, []libseccomp.ScmpCondition{c}); err != nil {
				return fmt.Errorf("error adding seccomp rule for syscall %s: %w", call.Name, err)
			}
		}
		return nil
	}
	if err := filter.AddRuleConditional(nr, callAct, conds); err != nil {
		return fmt.Errorf("error adding seccomp rule for syscall %s: %w", call.Name, err)
	}
	return nil
}
