package runner

// caps are the limits of a contained run: resident memory of all its processes, in
// bytes, and processes at once.
type caps struct {
	memory int64
	procs  int
}
