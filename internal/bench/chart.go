package bench

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Chart is a figure of throughput against workers, a panel a program, written as SVG by
// hand (no dependency): lines, points with the spread of the rounds as error bars, a
// logarithmic throughput axis (Go and Python differ by hundreds of times), a legend.
type Chart struct {
	Title  string
	Notes  []string // lines under the panels: what was measured, on what, how
	Panels []Panel
}

// Panel is one program's throughput against workers.
type Panel struct {
	Title  string
	Unit   string // the throughput's unit, like "MB/s" or "items/s"
	XLabel string
	X      []int // the worker counts, in order
	Lines  []Line
}

// Line is one series of a panel.
type Line struct {
	Label   string
	Python  bool      // Python's: warm colours; Go's: cool ones
	Dashed  bool      // the reference's, or a baseline
	Colour  int       // index into the family's palette: a learner's line and the reference's share one
	Points  []Summary // one a worker count of the panel's X; N == 0: not measured there
	Speedup string    // the speed-up from the first worker count to the last, for the legend
}

var (
	pythonPalette = []string{"#d95f02", "#e7298a", "#a6761d", "#e6ab02"}
	goPalette     = []string{"#1f78b4", "#1b9e77", "#7570b3", "#666666"}
)

func (l Line) colour() string {
	p := goPalette
	if l.Python {
		p = pythonPalette
	}
	return p[l.Colour%len(p)]
}

// Chart geometry, in SVG user units.
const (
	chartWidth  = 800
	panelHeight = 340
	plotLeft    = 80
	plotRight   = 480
	plotTop     = 52
	plotBottom  = 280
	legendLeft  = 500
	noteHeight  = 18
)

// SVG renders the chart.
func (c *Chart) SVG() []byte {
	var b bytes.Buffer
	height := 40 + len(c.Panels)*panelHeight + len(c.Notes)*noteHeight + 10
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		chartWidth, height, chartWidth, height)
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(c.Title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", chartWidth, height)
	fmt.Fprintf(&b, `<text class="chart-title" x="%d" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", plotLeft-60, esc(c.Title))
	for i, p := range c.Panels {
		fmt.Fprintf(&b, `<g class="panel" transform="translate(0,%d)">`+"\n", 40+i*panelHeight)
		p.svg(&b)
		b.WriteString("</g>\n")
	}
	y := 40 + len(c.Panels)*panelHeight
	for _, n := range c.Notes {
		y += noteHeight
		fmt.Fprintf(&b, `<text class="note" x="%d" y="%d" fill="#444">%s</text>`+"\n", plotLeft-60, y-6, esc(n))
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// yRange returns the decades the panel's axis spans: 10^lo to 10^hi.
func (p *Panel) yRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, l := range p.Lines {
		for _, s := range l.Points {
			for _, v := range []float64{s.Lo, s.Hi, s.Median} {
				if s.N > 0 && v > 0 && !math.IsInf(v, 0) {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
		}
	}
	if math.IsInf(lo, 1) {
		return 0, 1, false
	}
	lo, hi = math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi, true
}

func (p *Panel) svg(b *bytes.Buffer) {
	fmt.Fprintf(b, `<text class="panel-title" x="%d" y="22" font-size="13" font-weight="bold">%s</text>`+"\n", plotLeft-60, esc(p.Title))
	lo, hi, ok := p.yRange()
	yOf := func(v float64) float64 {
		return plotBottom - (math.Log10(v)-lo)/(hi-lo)*(plotBottom-plotTop)
	}
	xOf := func(i int) float64 {
		if len(p.X) == 1 {
			return (plotLeft + plotRight) / 2
		}
		return plotLeft + 20 + float64(i)*(plotRight-plotLeft-40)/float64(len(p.X)-1)
	}
	// Axes, grid and labels.
	fmt.Fprintf(b, `<g class="axes" stroke="#999" fill="none"><rect x="%d" y="%d" width="%d" height="%d"/></g>`+"\n",
		plotLeft, plotTop, plotRight-plotLeft, plotBottom-plotTop)
	b.WriteString(`<g class="y-ticks">` + "\n")
	for d := lo; d <= hi; d++ {
		steps := []float64{1}
		if hi-lo <= 3 {
			steps = []float64{1, 2, 5}
		}
		for _, m := range steps {
			v := m * math.Pow(10, d)
			if math.Log10(v) > hi+1e-9 {
				break
			}
			y := yOf(v)
			colour := "#eee"
			if m == 1 {
				colour = "#ccc"
			}
			fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s"/>`, plotLeft, plotRight, y, y, colour)
			fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end" fill="#444">%s</text>`+"\n", plotLeft-6, y+4, esc(formatTick(v)))
		}
	}
	b.WriteString("</g>\n")
	b.WriteString(`<g class="x-ticks">` + "\n")
	for i, x := range p.X {
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#444">%d</text>`+"\n", xOf(i), plotBottom+16, x)
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(b, `<text class="axis-label x-label" x="%d" y="%d" text-anchor="middle">%s</text>`+"\n",
		(plotLeft+plotRight)/2, plotBottom+36, esc(p.XLabel))
	fmt.Fprintf(b, `<text class="axis-label y-label" transform="translate(%d,%d) rotate(-90)" text-anchor="middle">%s</text>`+"\n",
		plotLeft-58, (plotTop+plotBottom)/2, esc(p.Unit+" (log scale)"))
	if !ok {
		fmt.Fprintf(b, `<text class="empty" x="%d" y="%d" text-anchor="middle" fill="#999">nothing measured</text>`+"\n",
			(plotLeft+plotRight)/2, (plotTop+plotBottom)/2)
	}
	// The lines.
	for _, l := range p.Lines {
		dash := ""
		if l.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(b, `<g class="series" data-label="%s" data-python="%t" stroke="%s" fill="%s">`+"\n",
			esc(l.Label), l.Python, l.colour(), l.colour())
		fmt.Fprintf(b, "<title>%s</title>\n", esc(l.Label))
		var pts []string
		for i, s := range l.Points {
			if !ok || s.N == 0 || s.Median <= 0 || i >= len(p.X) {
				continue
			}
			x := xOf(i)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, yOf(s.Median)))
			if s.Lo > 0 && s.Hi > s.Lo {
				fmt.Fprintf(b, `<line class="spread" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke-width="1.5"/>`+"\n", x, x, yOf(s.Lo), yOf(s.Hi))
			}
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5"><title>%s at %d: %s %s</title></circle>`+"\n",
				x, yOf(s.Median), esc(l.Label), p.X[i], esc(formatThroughput(s.Median)), esc(p.Unit))
		}
		if len(pts) > 1 {
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), dash)
		}
		b.WriteString("</g>\n")
	}
	// The legend.
	b.WriteString(`<g class="legend">` + "\n")
	for i, l := range p.Lines {
		y := plotTop + 8 + i*34
		dash := ""
		if l.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`, legendLeft, legendLeft+24, y, y, l.colour(), dash)
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", legendLeft+30, y+4, esc(l.Label))
		if l.Speedup != "" {
			fmt.Fprintf(b, `<text class="speedup" x="%d" y="%d" fill="#666">%s</text>`+"\n", legendLeft+30, y+18, esc(l.Speedup))
		}
	}
	b.WriteString("</g>\n")
}

// esc escapes text for SVG.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// throughput turns a metric into what is done per second, the higher the better: MB/s,
// req/s and other rates stay as they are; ns/op, ns/item and s/op become ops/s, items/s.
func throughput(metric string, v float64) (float64, string) {
	switch {
	case strings.HasSuffix(metric, "/s"):
		return v, metric
	case metric == "s/op":
		return 1 / v, "ops/s"
	case strings.HasPrefix(metric, "ns/"):
		return 1e9 / v, strings.TrimPrefix(metric, "ns/") + "s/s"
	}
	return v, metric
}

// formatTick formats a value of the form m·10ⁿ (m 1, 2 or 5) for an axis: 1, 20, 500,
// 1k, 2M, 0.05.
func formatTick(v float64) string {
	suffix := ""
	switch {
	case v >= 1e9:
		v, suffix = v/1e9, "G"
	case v >= 1e6:
		v, suffix = v/1e6, "M"
	case v >= 1e3:
		v, suffix = v/1e3, "k"
	}
	return strconv.FormatFloat(v, 'g', 3, 64) + suffix
}

// formatThroughput formats a rate with three significant digits and an SI prefix: 2.41,
// 35.6k, 1.20M.
func formatThroughput(v float64) string {
	a := math.Abs(v)
	suffix := ""
	switch {
	case a >= 1e9:
		v, suffix = v/1e9, "G"
	case a >= 1e6:
		v, suffix = v/1e6, "M"
	case a >= 1e3:
		v, suffix = v/1e3, "k"
	}
	prec := 0
	switch a := math.Abs(v); {
	case a == 0:
	case a < 10:
		prec = 2
	case a < 100:
		prec = 1
	}
	if a < 1 && a > 0 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', prec, 64) + suffix
}
