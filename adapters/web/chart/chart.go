// Package chart draws the reports' charts as inline SVG on the server: no
// chart library and no script in the browser, nothing but elements and
// attributes (the pages' Content-Security-Policy forbids inline styles;
// colours come from classes in the site's style sheet). Each chart has a
// <title> and an aria label, and every bar its own <title> with its
// figure; the pages show the same numbers in a table beside the chart.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Series is one kind of bar: its name (for the legend and each bar's
// title), its CSS class suffix ("chart-bar-<Class>"), and one value per
// label.
type Series struct {
	Name   string
	Class  string
	Values []int
}

// Bars is a chart of vertical bars, one group per label, one bar per
// series in each group.
type Bars struct {
	Title  string   // what the chart shows, for its <title> and aria label
	Labels []string // one per group, under the x axis
	Series []Series
	// MaxLabels is how many labels the x axis writes at most (evenly
	// spaced; every bar keeps its own title); 0 writes every one.
	MaxLabels int
}

// The drawing's size in user units; the style sheet scales it to the page.
const (
	width   = 720
	height  = 260
	left    = 44 // room for the y axis' figures
	right   = 8
	top     = 28 // room for the legend
	bottom  = 28 // room for the labels
	plotW   = width - left - right
	plotH   = height - top - bottom
	barGap  = 0.2 // share of a group's width left between groups
	legendW = 140
)

// Scale returns the top of the y axis for values up to largest: the smallest
// 1, 2 or 5 times a power of ten at or above max, and 1 for nothing.
func Scale(largest int) int {
	if largest <= 1 {
		return 1
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p >= largest {
				return m * p
			}
		}
	}
}

// SVG draws the chart. Bars are scaled so that the axis' top (Scale of the
// largest value) is the plot's full height.
func (b Bars) SVG() template.HTML {
	largest := 0
	for _, s := range b.Series {
		for _, v := range s.Values {
			largest = max(largest, v)
		}
	}
	axisTop := Scale(largest)
	var w strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&w, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		width, height, esc(b.Title))
	fmt.Fprintf(&w, `<title>%s</title>`, esc(b.Title))
	// Grid lines and figures of the y axis: zero, half (when it is a
	// whole number) and the top.
	ticks := []int{0, axisTop}
	if axisTop%2 == 0 {
		ticks = []int{0, axisTop / 2, axisTop}
	}
	for _, v := range ticks {
		y := yOf(v, axisTop)
		fmt.Fprintf(&w, `<line class="chart-grid" x1="%d" y1="%s" x2="%d" y2="%s"/>`, left, num(y), width-right, num(y))
		fmt.Fprintf(&w, `<text class="chart-axis" x="%d" y="%s" text-anchor="end">%d</text>`, left-6, num(y+4), v)
	}
	// The legend, above the plot.
	for i, s := range b.Series {
		x := left + i*legendW
		fmt.Fprintf(&w, `<rect class="chart-bar-%s" x="%d" y="8" width="12" height="12"/>`, esc(s.Class), x)
		fmt.Fprintf(&w, `<text class="chart-legend" x="%d" y="18">%s</text>`, x+16, esc(s.Name))
	}
	n := len(b.Labels)
	if n > 0 && len(b.Series) > 0 {
		group := float64(plotW) / float64(n)
		bar := group * (1 - barGap) / float64(len(b.Series))
		every := 1
		if b.MaxLabels > 0 && n > b.MaxLabels {
			every = (n + b.MaxLabels - 1) / b.MaxLabels
		}
		for i, label := range b.Labels {
			x0 := float64(left) + group*float64(i) + group*barGap/2
			for j, s := range b.Series {
				v := 0
				if i < len(s.Values) {
					v = s.Values[i]
				}
				y := yOf(v, axisTop)
				fmt.Fprintf(&w, `<rect class="chart-bar chart-bar-%s" x="%s" y="%s" width="%s" height="%s"><title>%s: %s %d</title></rect>`,
					esc(s.Class), num(x0+bar*float64(j)), num(y), num(bar), num(float64(top0)-y), esc(label), esc(s.Name), v)
			}
			if i%every == 0 {
				fmt.Fprintf(&w, `<text class="chart-label" x="%s" y="%d" text-anchor="middle">%s</text>`,
					num(x0+group*(1-barGap)/2), height-bottom+16, esc(label))
			}
		}
	}
	fmt.Fprintf(&w, `<line class="chart-axis-line" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, top0, width-right, top0)
	w.WriteString(`</svg>`)
	return template.HTML(w.String()) //nolint:gosec // every text in it is escaped above
}

// top0 is the y of the x axis: the plot's bottom.
const top0 = height - bottom

// yOf is the y of value v on an axis whose top is axisTop.
func yOf(v, axisTop int) float64 { return float64(top0) - float64(plotH)*float64(v)/float64(axisTop) }

// num writes a coordinate with at most two decimals.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}
