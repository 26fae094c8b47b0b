//go:build !windows

package processes

// sysProcess is Windows' (see proc_windows_test.go); this system never calls it.
func sysProcess(pid int) (opened bool, exitCode uint32, created string) { return false, 0, "" }

// sysSelfStart is Windows'; here the start time comes from /proc, where there is one.
func sysSelfStart() string { return "" }
