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
//	go run ./cmd/workbook grade [-json FILE] [-junit FILE] [-timeout D] [DIR]
//	                                      grade every exercise, each in its own process; exit 0 only if all pass
//	go run ./cmd/workbook sums [-w]       check (or rewrite) workbook.sum, the checksums grade trusts
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
	case "run":
		return cmdRun(root, args)
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
	case "grade":
		return cmdGrade(root, args)
	case "sums":
		return cmdSums(root, args)
	case "bench":
		return cmdBench(root, args)
	case "watch":
		return cmdWatch(root, args)
	case "reset":
		return cmdReset(root, args)
	case "doctor":
		return cmdDoctor(root, args)
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
  run [EXERCISE]    run an exercise's tests under -race, explain a failure (default: the next one)
  list              every exercise and the command that runs it
  hint [EXERCISE]   the next hint for an exercise (default: the next one to do)
  verify            the checks of make check
  soak [-solutions N] [-mutants N]
                    repeat the solutions' tests and the mutants; print flake and kill rates
  readme [-w]       print (or write into README.md) the chapter table
  grade [-json FILE] [-junit FILE] [-timeout D] [DIR]
                    grade every exercise under DIR (default exercises/), each in its own process
  sums [-w]         check (or rewrite) workbook.sum, the checksums that grade trusts
  bench [EXERCISE or CHAPTER] [-benchtime 200ms] [-count 1] [-cpu 1,2]
                    the chapter's benchmarks on yours and the reference, beside the guide's targets
  watch             rerun the next exercise whenever its chapter changes; move on when it passes
  reset EXERCISE    restore the exercise's starting code, saving yours beside it as FILE.mine
  doctor            check Go, cgo and a C compiler, the race detector, cores and the module cache
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
