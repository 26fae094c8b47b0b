package bench

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// interpreter is the Python bench found, or why there is none.
type interpreter struct {
	path    string // "" when there is none
	version string // like "3.11.7"
	why     string // why there is none
}

// findPython returns the Python to run the peers with: want is a path or a name on PATH
// ("" means python3, then python if it is Python 3; "off" means none).
func findPython(ctx context.Context, want string) interpreter {
	if want == "off" {
		return interpreter{why: "not asked for (-python off)"}
	}
	names := []string{want}
	if want == "" {
		names = []string{"python3", "python"}
	}
	var tried []string
	for _, name := range names {
		p, err := exec.LookPath(name)
		if err != nil {
			tried = append(tried, name)
			continue
		}
		// The interpreter itself, not a launcher (pyenv's shims are shell scripts).
		out, err := runner.Command(ctx, ".", nil, 30*time.Second, p, "-B", "-I", "-c",
			"import platform, sys; print(platform.python_version() if sys.version_info >= (3, 8) else '', sys.executable)")
		v, exe, _ := strings.Cut(strings.TrimSpace(out), " ")
		if err != nil || v == "" || exe == "" || strings.Contains(exe, "\n") {
			tried = append(tried, fmt.Sprintf("%s (not Python 3.8 or later)", p))
			continue
		}
		return interpreter{path: exe, version: v}
	}
	return interpreter{why: fmt.Sprintf("no Python 3 found (tried %s): install it to see the seed's Python beside your Go",
		strings.Join(tried, ", "))}
}

// pythonArgs returns the arguments that run a chapter's Python peer: -B writes no
// __pycache__ into the workbook, -I keeps the user's site-packages and PYTHON*
// variables out of the measurement.
func pythonArgs(script string, o Options, cpus []string) []string {
	return []string{"-B", "-I", script, "-bench", o.Bench, "-benchtime", o.Benchtime, "-workers", strings.Join(cpus, ",")}
}

// pythonHeader returns the "python: ..." line a peer prints first, without its prefix.
func pythonHeader(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if h, ok := strings.CutPrefix(line, "python: "); ok {
			return strings.TrimSpace(h)
		}
	}
	return ""
}
