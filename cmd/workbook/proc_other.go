//go:build !unix

package main

import "os/exec"

// ownGroup leaves cmd as it is: without process groups, only the test binary itself is
// killed at the limit.
func ownGroup(cmd *exec.Cmd) {}
