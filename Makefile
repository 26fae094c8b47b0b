# The Go Concurrency Workbook. `make` shows your progress and the next exercise.
TREE ?= solutions

.PHONY: status check soak bench wine
status:
	@go run ./cmd/workbook status

# What CI runs: every check of CONTRIBUTING.md, ending with the line `N passed, N failed`.
check:
	@go run ./cmd/workbook dev verify

# Solutions 100 times under -race at -cpu 1,2,4,8 and every mutant 10 times at -cpu 1,2,8:
# flake rates with their 95% upper bound, and kill rates.
soak:
	@go run ./cmd/workbook dev soak

# The benchmarks without -race on 1 and 2 CPUs (make bench TREE=exercises for yours), one
# -cpu value a run: with a list, a b.Loop benchmark's first figure is measured at the
# list's last value (golang/go#49980).
bench:
	go test -run '^$$' -bench . -cpu 1 ./$(TREE)/...
	go test -run '^$$' -bench . -cpu 2 ./$(TREE)/...

# A maintainer's look at Windows without a Windows machine: internal/runner's Job Objects
# and chapter 12's tests as Windows binaries under Debian's wine (testdata/wine/run says
# what it needs).
wine:
	@testdata/wine/run
