package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// MaxOutput is how much of a process's output is kept: its first and last halves.
const MaxOutput = 256 << 10

// MaxTestOutput is how much of one test's own output is kept: its first and last halves.
const MaxTestOutput = 64 << 10

// Capped is an io.Writer that keeps the first and the last halves of a byte budget, so
// that any amount of output takes bounded memory. It is safe for concurrent use.
type Capped struct {
	mu      sync.Mutex
	max     int
	head    bytes.Buffer
	tail    []byte
	dropped int
}

// NewCapped returns a Capped that keeps at most max bytes.
func NewCapped(max int) *Capped { return &Capped{max: max} }

func (c *Capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	if room := c.max/2 - c.head.Len(); room > 0 {
		k := min(room, len(p))
		c.head.Write(p[:k])
		p = p[k:]
	}
	c.tail = append(c.tail, p...)
	if extra := len(c.tail) - c.max/2; extra > 0 {
		c.dropped += extra
		c.tail = append(c.tail[:0], c.tail[extra:]...)
	}
	return n, nil
}

// String returns what was kept, with a line saying how much was cut from the middle.
func (c *Capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped == 0 {
		return c.head.String() + string(c.tail)
	}
	return fmt.Sprintf("%s\n... [%d bytes of output cut] ...\n%s", c.head.String(), c.dropped, c.tail)
}

// event is one line of test2json's output.
type event struct {
	Action  string  `json:"Action"`
	Package string  `json:"Package"`
	Test    string  `json:"Test"`
	Elapsed float64 `json:"Elapsed"`
	Output  string  `json:"Output"`
}

// sink is an io.Writer that decodes test2json's events as they come: the verdict and the
// output of every test, and all output. Lines of any length take bounded memory.
type sink struct {
	mu    sync.Mutex
	line  []byte
	long  bool // the current line is too long and is being skipped
	tests map[string]*Test
	outs  map[string]*Capped
	all   *Capped
}

func newSink() *sink {
	return &sink{tests: map[string]*Test{}, outs: map[string]*Capped{}, all: NewCapped(MaxOutput)}
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if !s.long {
			s.line = append(s.line, chunk...)
			if len(s.line) > MaxTestOutput {
				s.all.Write([]byte("[a line of more than 64 KiB of test2json output was skipped]\n"))
				s.line, s.long = s.line[:0], true
			}
		}
		if i < 0 {
			break
		}
		if !s.long {
			s.event(s.line)
		}
		s.line, s.long, p = s.line[:0], false, p[i+1:]
	}
	return n, nil
}

// flush decodes an unterminated last line.
func (s *sink) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.line) > 0 && !s.long {
		s.event(s.line)
	}
	s.line = s.line[:0]
}

func (s *sink) test(name string) *Test {
	t, ok := s.tests[name]
	if !ok {
		t = &Test{Name: name, Status: TestNotRun}
		s.tests[name] = t
		s.outs[name] = NewCapped(MaxTestOutput)
	}
	return t
}

func (s *sink) event(line []byte) {
	var ev event
	if err := json.Unmarshal(line, &ev); err != nil || ev.Action == "" {
		s.all.Write(append(line, '\n')) // not an event: keep it as output
		return
	}
	switch ev.Action {
	case "output":
		s.all.Write([]byte(ev.Output))
		if ev.Test == "" {
			return
		}
		// A subtest's output is its own and its parents'.
		name := ev.Test
		for {
			s.test(name)
			s.outs[name].Write([]byte(ev.Output))
			i := strings.LastIndexByte(name, '/')
			if i < 0 {
				break
			}
			name = name[:i]
		}
	case "run":
		if ev.Test != "" {
			s.test(ev.Test)
		}
	case "pass", "fail", "skip":
		if ev.Test != "" {
			t := s.test(ev.Test)
			t.Status, t.Elapsed = TestStatus(ev.Action), time.Duration(ev.Elapsed*float64(time.Second))
		}
	}
}

func (s *sink) results() map[string]*Test {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, t := range s.tests {
		t.Output = s.outs[name].String()
	}
	return s.tests
}

// Excerpt returns the last n lines of out, each after indent, with a line "..." first
// when lines were left out.
func Excerpt(out string, n int, indent string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return indent + strings.Join(lines, "\n"+indent)
}
