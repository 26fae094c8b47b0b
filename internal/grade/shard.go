package grade

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// ReadRoster reads a roster: one entry a line (an `owner/repository`, or a learner's
// tree), blank lines and lines starting with # skipped, surrounding space trimmed.
func ReadRoster(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// ParseShard parses "I/N" (0 <= I < N): the I-th of N shards.
func ParseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("-shard %q is not I/N with 0 <= I < N, like 0/4", s)
	}
	return i, n, nil
}

// Shard returns the I-th of n slices of items: every n-th item from the i-th, so that the
// shards differ by at most one item and an item's shard depends only on its place.
func Shard[T any](items []T, i, n int) []T {
	var out []T
	for j := i; j < len(items); j += n {
		out = append(out, items[j])
	}
	return out
}

// Plan is how many shards a class needs so that each finishes within a target time.
type Plan struct {
	Learners   int           // the roster's size
	PerLearner time.Duration // one learner's grade on one runner, measured (README, "Grading in CI")
	Setup      time.Duration // a shard's fixed cost: checkout, setup-go, bubblewrap, the first build of the standard library
	Target     time.Duration // the wall time wanted for one shard
	MaxShards  int           // the engine's limit on parallel jobs (GitHub: 256 a matrix; a free plan runs 20 at once)
}

// Shards returns the fewest shards (1 to MaxShards) whose slices are graded within
// Target: ceil(Learners × PerLearner / (Target − Setup)).
func (p Plan) Shards() int {
	if p.Learners <= 0 {
		return 1
	}
	room := p.Target - p.Setup
	if room < p.PerLearner {
		room = p.PerLearner // at least one learner a shard
	}
	n := int(math.Ceil(float64(p.Learners) * float64(p.PerLearner) / float64(room)))
	return max(1, min(n, p.MaxShards, p.Learners))
}

// Wall is the projected wall time of a class on n shards: the setup and the largest
// slice, one learner after another.
func (p Plan) Wall(n int) time.Duration {
	per := (p.Learners + n - 1) / max(n, 1)
	return p.Setup + time.Duration(per)*p.PerLearner
}

// Matrix renders the shard indices as a JSON list, for a job matrix: [0,1,2].
func Matrix(n int) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strconv.Itoa(i))
	}
	return b.String() + "]"
}
