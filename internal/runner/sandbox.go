package runner

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Sandbox runs a test binary under bubblewrap (Linux), for grading code nobody trusts:
//
//   - as an unprivileged user with no capabilities (nobody, when the grader is root);
//   - it sees only the system's programs and libraries (/usr, /etc), the test binary, and
//     Read (the learner's own workspace), all read-only, and a /tmp of its own: never
//     the course's checkout, another learner's tree, the grader's output or files;
//   - a PID namespace of its own (it cannot see or signal the grader) and a network of
//     its own with only a loopback interface (the host's loopback services are out of
//     reach; its own servers work);
//   - it dies with the runner: bubblewrap's --die-with-parent, inside the tree that the
//     runner kills whole.
//
// The report file of TestMain (Spec.Report) lives in a directory of its own that only
// it may write, bound at the same path.
type Sandbox struct {
	Read []string // directories and files the tests may read, bound read-only at the same paths
}

// Nobody is the user a root grader runs sandboxes as.
const Nobody = 65534

// SandboxProblem says why this system cannot run a Sandbox, and how to make it able to;
// nil when it can.
func SandboxProblem() error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("there is no sandbox on %s: grading is not sandboxed here (bubblewrap is Linux only)", runtime.GOOS)
	}
	if _, err := exec.LookPath("bwrap"); err != nil {
		return errors.New("bubblewrap is not installed: apt-get install bubblewrap (Debian, Ubuntu), dnf install bubblewrap (Fedora)")
	}
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("setpriv"); err != nil {
			return errors.New("setpriv (util-linux) is not installed: a root grader needs it to run bubblewrap as nobody")
		}
	}
	return nil
}

// sandboxGuarantees are what a sandboxed run guarantees, for a report.
var sandboxGuarantees = []string{
	"bubblewrap: an unprivileged user with no capabilities",
	"bubblewrap: reads only the system's /usr and /etc, the test binary and the learner's own workspace, all read-only; writes only a /tmp of its own, removed afterwards",
	"bubblewrap: a PID namespace of its own, and a network of its own with only loopback",
}

// sandboxArgv returns the command line that runs bin with args in sb, in dir, with
// report (a directory, or "") writable; and the guarantees in force.
func sandboxArgv(sb *Sandbox, bin string, args []string, dir, report string) ([]string, error) {
	bwrap, err := exec.LookPath("bwrap")
	if err != nil {
		return nil, err
	}
	var argv []string
	root := os.Geteuid() == 0
	if root {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			return nil, err
		}
		argv = append(argv, setpriv, fmt.Sprintf("--reuid=%d", Nobody), fmt.Sprintf("--regid=%d", Nobody), "--clear-groups", "--")
	}
	argv = append(argv, bwrap, "--unshare-all", "--die-with-parent", "--cap-drop", "ALL",
		"--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
		"--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp")
	for _, d := range []string{"/bin", "/sbin", "/lib", "/lib32", "/lib64"} {
		if target, err := os.Readlink(d); err == nil {
			argv = append(argv, "--symlink", target, d)
		} else if info, err := os.Stat(d); err == nil && info.IsDir() {
			argv = append(argv, "--ro-bind", d, d)
		}
	}
	binds := append([]string{bin}, sb.Read...)
	for _, p := range binds {
		if root {
			if err := reachable(p); err != nil {
				return nil, err
			}
		}
		argv = append(argv, "--ro-bind", p, p)
	}
	if report != "" {
		if root {
			if err := os.Chmod(report, 0o733); err != nil { // nobody may create the report, not list the directory
				return nil, err
			}
			if err := reachable(report); err != nil {
				return nil, err
			}
		}
		argv = append(argv, "--bind", report, report)
	}
	argv = append(argv, "--chdir", dir, "--setenv", "TMPDIR", "/tmp", "--", bin)
	return append(argv, args...), nil
}

// reachable reports whether another user can reach p: every directory above it must be
// searchable by others (the sandbox's user binds it before it is sandboxed).
func reachable(p string) error {
	p, err := filepath.Abs(p)
	if err != nil {
		return err
	}
	for d := filepath.Dir(p); ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the sandbox's user cannot reach %s: %s is not searchable by others (grade with a TMPDIR that is, like /tmp)", p, d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// OpenToSandbox makes the directories a grader made for a sandboxed run reachable by the
// sandbox's user: dirs searchable (not listable) by others, and the trees under reads
// readable. It changes only what the grader itself created.
func OpenToSandbox(dirs, reads []string) error {
	for _, d := range dirs {
		if err := os.Chmod(d, 0o711); err != nil {
			return err
		}
	}
	for _, r := range reads {
		err := filepath.WalkDir(r, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil || info.Mode()&os.ModeSymlink != 0 {
				return err
			}
			mode := info.Mode().Perm() | 0o044 // readable by all
			if d.IsDir() || mode&0o100 != 0 {
				mode |= 0o011 // and searchable or runnable by all where the owner may
			}
			return os.Chmod(p, mode)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// sandboxNote is said in the output when a sandboxed run could not start.
func sandboxNote(err error) string {
	return "the sandbox could not start: " + strings.TrimSpace(err.Error())
}
