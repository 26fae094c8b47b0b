// Command workbook runs the Go Concurrency Workbook: it shows your progress and the next
// exercise, gives hints, and checks the workbook itself.
//
// Usage:
//
//	go run ./cmd/workbook [status]        progress and the next exercise, with the command to run it
//	go run ./cmd/workbook list            every exercise and the command that runs it
//	go run ./cmd/workbook hint [EXERCISE] the next hint for an exercise (default: the next one to do)
//	go run ./cmd/workbook verify          the checks of `make check`
//	go run ./cmd/workbook soak [-solutions N] [-mutants N]
//	                                      repeat the solutions and the mutants, print flake and kill rates
//	go run ./cmd/workbook readme [-w]     print (or write into README.md) the chapter table
//
// It reads workbook.json and runs `go test`; it never re-implements testing.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	root, err := findRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook:", err)
		return 2
	}
	cmd := "status"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "status":
		return cmdStatus(root, args)
	case "list":
		return cmdList(root, args)
	case "hint":
		return cmdHint(root, args)
	case "verify":
		return cmdVerify(root, args)
	case "soak":
		return cmdSoak(root, args)
	case "readme":
		return cmdReadme(root, args)
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return 0
	default:
		fmt.Fprintf(os.Stderr, "workbook: no command %q\n\n%s", cmd, usage)
		return 2
	}
}

const usage = `usage: go run ./cmd/workbook [command]

  status            progress and the next exercise, with the command to run it (default)
  list              every exercise and the command that runs it
  hint [EXERCISE]   the next hint for an exercise (default: the next one to do)
  verify            the checks of make check
  soak [-solutions N] [-mutants N]
                    repeat the solutions' tests and the mutants; print flake and kill rates
  readme [-w]       print (or write into README.md) the chapter table
`

// findRoot returns the nearest directory at or above the working directory that holds
// the manifest.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, manifest.File)); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no " + manifest.File + " here or above: run this inside the workbook's directory")
		}
		dir = parent
	}
}
