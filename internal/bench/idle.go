package bench

import (
	"bufio"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Usage is a reading of the machine's CPU counters, for telling how much of the machine
// other programs took while the benchmarks ran.
type Usage struct {
	At    time.Time // when it was read
	Busy  float64   // CPU time every program has used since boot, in the counters' unit
	Total float64   // CPU time of every core since boot, busy or idle, in the same unit
	Cores int       // how many cores the counters count
	Self  float64   // CPU seconds used by this process and its children that have been waited for
}

// A Meter reads the CPU counters; ok is false where it cannot (systems without
// /proc/stat).
type Meter func() (u Usage, ok bool)

// idleCores returns how many cores of this machine's n were left idle by other programs
// between two readings: the cores busy between them, less what this process and its
// children used.
func idleCores(a, b Usage, n int) float64 {
	wall := b.At.Sub(a.At).Seconds()
	if wall <= 0 || b.Total <= a.Total || b.Cores <= 0 {
		return math.NaN()
	}
	busy := float64(b.Cores) * (b.Busy - a.Busy) / (b.Total - a.Total)
	others := max(0, busy-(b.Self-a.Self)/wall)
	return max(0, min(float64(n), float64(b.Cores)-others))
}

// machine is what bench found out about how busy the machine was.
type machine struct {
	cores  int       // the cores a benchmark can use: runtime.NumCPU
	known  bool      // whether the meter could read the counters
	before float64   // idle cores in a short probe before the rounds (NaN if not probed)
	during float64   // idle cores on average during the rounds (NaN if not measured)
	rounds []float64 // idle cores on average during each round
}

// idle returns the fewest idle cores found, before or during the rounds.
func (m machine) idle() float64 {
	switch {
	case math.IsNaN(m.before):
		return m.during
	case math.IsNaN(m.during):
		return m.before
	}
	return min(m.before, m.during)
}

// slack is how many cores' worth of other programs' work a target may meet and still be
// judged: less than a fifth of a core on average.
const slack = 0.2

// short says why a target that needs need cores cannot be judged a miss on this
// machine, or "" when it can.
func (m machine) short(need int) string {
	switch {
	case m.cores < need:
		return fmt.Sprintf("this machine has %d core%s, the target needs %d", m.cores, plural(m.cores), need)
	case m.known && !math.IsNaN(m.idle()) && m.idle() < float64(need)-slack:
		return fmt.Sprintf("%.1f idle cores, the target needs %d", m.idle(), need)
	}
	return ""
}

// describe says how many idle cores bench found, in a sentence for the report.
func (m machine) describe() string {
	if !m.known {
		return fmt.Sprintf("Idle cores: cannot tell on %s (no /proc/stat to read): a miss may be another program's doing, "+
			"so run again on a quiet machine before you believe one.", runtime.GOOS)
	}
	var s string
	switch {
	case math.IsNaN(m.before):
		s = fmt.Sprintf("Idle cores: %s of %d on average during the rounds", oneDecimal(m.during), m.cores)
	case math.IsNaN(m.during):
		s = fmt.Sprintf("Idle cores: %s of %d before the rounds", oneDecimal(m.before), m.cores)
	default:
		s = fmt.Sprintf("Idle cores: %s of %d before the rounds, %s on average during them", oneDecimal(m.before),
			m.cores, oneDecimal(m.during))
	}
	if m.idle() < float64(m.cores)-slack {
		s += " (other programs used the rest)"
	}
	return s + ". A target that needs more cores than were idle reads inconclusive, not misses."
}

func oneDecimal(v float64) string {
	if math.IsNaN(v) {
		return "?"
	}
	return fmt.Sprintf("%.1f", v)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// probe returns the idle cores of n during d, in which this process does nothing.
func probe(meter Meter, d time.Duration, n int, sleep func(time.Duration)) float64 {
	a, ok := meter()
	if !ok {
		return math.NaN()
	}
	sleep(d)
	b, ok := meter()
	if !ok {
		return math.NaN()
	}
	return idleCores(a, b, n)
}

// parseProcStat reads the first line of /proc/stat, "cpu user nice system idle iowait
// irq softirq steal ...", and counts the cpuN lines. Steal (time the hypervisor gave to
// other machines) counts as busy: it was not ours either.
func parseProcStat(sc *bufio.Scanner) (Usage, bool) {
	var u Usage
	seen := false
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 5 && f[0] == "cpu":
			var v [8]float64
			for i := range v {
				if i+1 < len(f) {
					n, err := strconv.ParseFloat(f[i+1], 64)
					if err != nil {
						return Usage{}, false
					}
					v[i] = n
				}
			}
			idle := v[3] + v[4]
			u.Busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
			u.Total = u.Busy + idle
			seen = true
		case len(f) > 0 && strings.HasPrefix(f[0], "cpu"):
			u.Cores++
		}
	}
	return u, seen && u.Cores > 0
}
