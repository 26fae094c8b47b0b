# The Go Concurrency Workbook. `make` shows your progress and the next exercise.
TREE ?= solutions

.PHONY: status check soak bench
status:
	@go run ./cmd/workbook status

# What CI runs: every check of DESIGN.md, ending with the line `N passed, N failed`.
check:
	@go run ./cmd/workbook verify

# Solutions 20 times under -race, every mutant 10 times: flake and kill rates.
soak:
	@go run ./cmd/workbook soak -solutions 20 -mutants 10

# The benchmarks without -race on 1 and 2 CPUs (make bench TREE=exercises for yours).
bench:
	go test -run '^$$' -bench . -cpu 1,2 ./$(TREE)/...
