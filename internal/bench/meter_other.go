//go:build !linux

package bench

// ProcStat reports that this system has no /proc/stat to read.
func ProcStat() (Usage, bool) { return Usage{}, false }

// loadAverage returns "": this system has no /proc/loadavg.
func loadAverage() string { return "" }
