package bench

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// node is any element of an SVG document.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns every element under n (n too) for which keep is true, in document order.
func (n *node) all(keep func(*node) bool) []*node {
	var out []*node
	if keep(n) {
		out = append(out, n)
	}
	for i := range n.Nodes {
		out = append(out, n.Nodes[i].all(keep)...)
	}
	return out
}

// texts returns the text of every <text> element under n whose class contains class
// ("" for any).
func (n *node) texts(class string) []string {
	var out []string
	for _, t := range n.all(func(m *node) bool {
		return m.XMLName.Local == "text" && strings.Contains(m.attr("class"), class)
	}) {
		out = append(out, t.Text)
	}
	return out
}

// parseSVG parses an SVG document, failing t if it is not well-formed XML.
func parseSVG(t *testing.T, b []byte) *node {
	t.Helper()
	var root node
	require.NoError(t, xml.Unmarshal(b, &root), "the chart is not well-formed XML:\n%s", b)
	return &root
}

func TestChartSVG(t *testing.T) {
	pt := func(v float64) Summary { return Summary{N: 3, Median: v, Lo: v * 0.9, Hi: v * 1.1} }
	c := &Chart{
		Title: "09_hashing · throughput against workers",
		Notes: []string{"The median of 3 rounds", "Go 1.26 & Python <3.12>"},
		Panels: []Panel{
			{Title: "The seed's program", Unit: "MB/s", XLabel: "workers", X: []int{1, 2}, Lines: []Line{
				{Label: "Python threads", Python: true, Points: []Summary{pt(200), pt(210)}, Speedup: "speed-up 1→2: 1.05×"},
				{Label: "Python processes", Python: true, Colour: 1, Points: []Summary{pt(190), pt(370)}},
				{Label: "Go SumRepeats, reference", Dashed: true, Points: []Summary{pt(1400), pt(2700)}},
				{Label: "Go <none>", Points: []Summary{{}, {}}}, // not measured: a legend entry and no line
			}},
			{Title: "16 inputs of 1 MiB", Unit: "items/s", XLabel: "workers", X: []int{1}, Lines: []Line{
				{Label: "Go HashAll, yours", Points: []Summary{pt(0.5)}},
			}},
		},
	}
	root := parseSVG(t, c.SVG())
	if root.XMLName.Local != "svg" || root.attr("viewBox") == "" {
		t.Fatalf("Chart.SVG() has root <%s> viewBox=%q, want <svg> with a viewBox", root.XMLName.Local, root.attr("viewBox"))
	}
	series := root.all(func(n *node) bool { return n.XMLName.Local == "g" && n.attr("class") == "series" })
	var labels []string
	for _, s := range series {
		labels = append(labels, s.attr("data-label"))
		lines := s.all(func(n *node) bool { return n.XMLName.Local == "polyline" })
		points := s.all(func(n *node) bool { return n.XMLName.Local == "circle" })
		measured := s.attr("data-label") != "Go <none>"
		wantLines := 0
		if measured && s.attr("data-label") != "Go HashAll, yours" {
			wantLines = 1 // two points or more make a line
		}
		if len(lines) != wantLines {
			t.Errorf("series %q has %d polylines, want %d", s.attr("data-label"), len(lines), wantLines)
		}
		if measured != (len(points) > 0) {
			t.Errorf("series %q has %d points; measured: %t", s.attr("data-label"), len(points), measured)
		}
	}
	if diff := cmp.Diff([]string{"Python threads", "Python processes", "Go SumRepeats, reference", "Go <none>", "Go HashAll, yours"}, labels); diff != "" {
		t.Errorf("Chart.SVG() series mismatch (-want +got):\n%s", diff)
	}
	for _, want := range []struct{ class, text string }{
		{"chart-title", "09_hashing · throughput against workers"},
		{"panel-title", "The seed's program"},
		{"panel-title", "16 inputs of 1 MiB"},
		{"x-label", "workers"},
		{"y-label", "MB/s (log scale)"},
		{"y-label", "items/s (log scale)"},
		{"speedup", "speed-up 1→2: 1.05×"},
		{"note", "Go 1.26 & Python <3.12>"},
		{"", "Python processes"}, // the legend
	} {
		if !slices.Contains(root.texts(want.class), want.text) {
			t.Errorf("Chart.SVG() has no text %q of class %q; it has %q", want.text, want.class, root.texts(want.class))
		}
	}
	// The y axis of the first panel spans the decades of its values: 100 to 10k.
	panels := root.all(func(n *node) bool { return n.XMLName.Local == "g" && n.attr("class") == "panel" })
	require.Len(t, panels, 2, "Chart.SVG() of two panels")
	ticks := panels[0].all(func(n *node) bool { return n.XMLName.Local == "g" && n.attr("class") == "y-ticks" })
	require.NotEmpty(t, ticks, "no y-ticks in the first panel")
	if got := ticks[0].texts(""); !slices.Contains(got, "100") || !slices.Contains(got, "10k") || slices.Contains(got, "20k") {
		t.Errorf("the first panel's y ticks are %q, want 100 up to 10k", got)
	}
}

func TestThroughput(t *testing.T) {
	for _, tc := range []struct {
		metric   string
		v        float64
		want     float64
		wantUnit string
	}{
		{"MB/s", 250, 250, "MB/s"},
		{"req/s", 5000, 5000, "req/s"},
		{"ns/op", 2000, 500_000, "ops/s"},
		{"ns/item", 100, 1e7, "items/s"},
		{"s/op", 0.5, 2, "ops/s"},
	} {
		got, unit := throughput(tc.metric, tc.v)
		if math.Abs(got-tc.want) > 1e-9*tc.want || unit != tc.wantUnit {
			t.Errorf("throughput(%q, %v) = %v %s, want %v %s", tc.metric, tc.v, got, unit, tc.want, tc.wantUnit)
		}
	}
	for v, want := range map[float64]string{2.413: "2.41", 35_612: "35.6k", 1_204_000: "1.20M", 0.0421: "0.0421", 812: "812"} {
		if got := formatThroughput(v); got != want {
			t.Errorf("formatThroughput(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestIdleCores(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Usage{At: at, Busy: 1000, Total: 10_000, Cores: 2, Self: 10}
	for _, tc := range []struct {
		name string
		b    Usage
		want float64
	}{
		// 10 s on 2 cores = 2000 ticks of 100 Hz. Half of them busy, all of it ours.
		{"ours", Usage{At: at.Add(10 * time.Second), Busy: 2000, Total: 12_000, Cores: 2, Self: 20}, 2},
		// Half busy, none of it ours: others took one core.
		{"others", Usage{At: at.Add(10 * time.Second), Busy: 2000, Total: 12_000, Cores: 2, Self: 10}, 1},
		// Everything busy, a quarter of it ours.
		{"busy", Usage{At: at.Add(10 * time.Second), Busy: 3000, Total: 12_000, Cores: 2, Self: 15}, 0.5},
	} {
		if got := idleCores(a, tc.b, 2); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("idleCores(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := idleCores(a, a, 2); !math.IsNaN(got) {
		t.Errorf("idleCores(no time between the readings) = %v, want NaN", got)
	}
}

func TestParseProcStat(t *testing.T) {
	stat := "cpu  52595 0 13222 34889 190 0 91 560 0 0\ncpu0 26000 0 6600 17000 90 0 40 280 0 0\ncpu1 26595 0 6622 17889 100 0 51 280 0 0\nintr 1\n"
	u, ok := parseProcStat(bufio.NewScanner(bytes.NewBufferString(stat)))
	want := Usage{Busy: 52595 + 13222 + 91 + 560, Total: 52595 + 13222 + 91 + 560 + 34889 + 190, Cores: 2}
	if !ok || u != want {
		t.Errorf("parseProcStat() = %+v, %t, want %+v, true", u, ok, want)
	}
	if _, ok := parseProcStat(bufio.NewScanner(bytes.NewBufferString("intr 1\n"))); ok {
		t.Error("parseProcStat(no cpu line) = ok, want not ok")
	}
}

func TestMachine(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    machine
		need int
		want string
	}{
		{"quiet", machine{cores: 2, known: true, before: 2, during: 1.9}, 2, ""},
		{"busy", machine{cores: 2, known: true, before: 1.5, during: 1.7}, 2, "1.5 idle cores, the target needs 2"},
		{"one_core_enough", machine{cores: 2, known: true, before: 1.0, during: 1.1}, 1, ""},
		{"too_few", machine{cores: 1, known: true, before: 1, during: 1}, 2, "this machine has 1 core, the target needs 2"},
		{"unknown", machine{cores: 2, before: math.NaN(), during: math.NaN()}, 2, ""},
	} {
		if got := tc.m.short(tc.need); got != tc.want {
			t.Errorf("machine %s: short(%d) = %q, want %q", tc.name, tc.need, got, tc.want)
		}
	}
	if got := (machine{cores: 2}).describe(); !strings.Contains(got, "cannot tell") {
		t.Errorf("describe() of a machine whose counters cannot be read = %q, want it to say it cannot tell", got)
	}
	if got := (machine{cores: 2, known: true, before: 0.4, during: 1.2}).describe(); !strings.Contains(got, "0.4 of 2 before the rounds, 1.2 on average during them") {
		t.Errorf("describe() = %q, want the idle cores before and during the rounds", got)
	}
}
