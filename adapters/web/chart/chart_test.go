package chart_test

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/web/chart"
)

// bar is one drawn bar, read back from the SVG.
type bar struct {
	Class  string
	Height float64
	Title  string
}

// parse reads the SVG as XML (it must be well formed) and returns its
// title, its bars and its x-axis labels.
func parse(t *testing.T, svg string) (title string, bars []bar, labels []string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var stack []string
	var cur *bar
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "well-formed SVG")
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			attrs := map[string]string{}
			for _, a := range e.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if e.Name.Local == "rect" && strings.Contains(attrs["class"], "chart-bar ") {
				h, err := strconv.ParseFloat(attrs["height"], 64)
				require.NoError(t, err)
				bars = append(bars, bar{Class: attrs["class"], Height: h})
				cur = &bars[len(bars)-1]
			}
			if e.Name.Local == "text" && attrs["class"] == "chart-label" {
				labels = append(labels, "")
			}
		case xml.CharData:
			switch {
			case len(stack) == 2 && stack[1] == "title":
				title = string(e)
			case len(stack) == 3 && stack[2] == "title" && cur != nil:
				cur.Title = string(e)
			case len(stack) == 2 && stack[1] == "text" && len(labels) > 0 && labels[len(labels)-1] == "":
				labels[len(labels)-1] = string(e)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if e.Name.Local == "rect" {
				cur = nil
			}
		}
	}
	return title, bars, labels
}

func TestScaleIsANiceNumberAtOrAboveTheLargest(t *testing.T) {
	for largest, want := range map[int]int{0: 1, 1: 1, 2: 2, 3: 5, 5: 5, 6: 10, 10: 10, 11: 20, 199: 200, 201: 500, 4999: 5000} {
		assert.Equal(t, want, chart.Scale(largest), "largest %d", largest)
	}
}

func TestBarsScaleToTheLargestValue(t *testing.T) {
	svg := string(chart.Bars{
		Title:  "Opened & closed",
		Labels: []string{"Mar 1", "Mar 2"},
		Series: []chart.Series{{Name: "Opened", Class: "opened", Values: []int{10, 5}}, {Name: "Closed", Class: "closed", Values: []int{0, 2}}},
	}.SVG())

	title, bars, labels := parse(t, svg)

	assert.Equal(t, "Opened & closed", title, "the title is escaped and read back")
	assert.Contains(t, svg, `aria-label="Opened &amp; closed"`)
	require.Len(t, bars, 4)
	full := bars[0].Height
	assert.Greater(t, full, 100.0, "10 is the axis' top: the plot's full height")
	assert.InDelta(t, full/2, bars[2].Height, 0.01, "5 is half of it")
	assert.Zero(t, bars[1].Height, "0 draws no height")
	assert.InDelta(t, full/5, bars[3].Height, 0.01)
	assert.Equal(t, "Mar 1: Opened 10", bars[0].Title, "every bar says its figure")
	assert.Equal(t, "Mar 2: Closed 2", bars[3].Title)
	assert.Contains(t, bars[0].Class, "chart-bar-opened")
	assert.Equal(t, []string{"Mar 1", "Mar 2"}, labels)
	assert.NotContains(t, svg, "style=", "no inline style: the CSP forbids it")
	assert.NotContains(t, svg, "<script")
}

func TestBarsOfAnEmptyPeriodDrawNothingButTheAxes(t *testing.T) {
	svg := string(chart.Bars{Title: "Nothing", Labels: []string{"a", "b", "c"},
		Series: []chart.Series{{Name: "Opened", Class: "opened", Values: []int{0, 0, 0}}}}.SVG())

	_, bars, _ := parse(t, svg)

	require.Len(t, bars, 3)
	for _, b := range bars {
		assert.Zero(t, b.Height)
	}
	_, none, labels := parse(t, string(chart.Bars{Title: "No days"}.SVG()))
	assert.Empty(t, none)
	assert.Empty(t, labels)
}

func TestBarsOfOneDay(t *testing.T) {
	svg := string(chart.Bars{Title: "One day", Labels: []string{"Mar 1"},
		Series: []chart.Series{{Name: "Opened", Class: "opened", Values: []int{3}}}}.SVG())

	_, bars, labels := parse(t, svg)

	require.Len(t, bars, 1)
	assert.Greater(t, bars[0].Height, 0.0)
	assert.Equal(t, []string{"Mar 1"}, labels)
	assert.Contains(t, svg, `text-anchor="end">0</text>`, "the axis says where zero is")
	assert.Contains(t, svg, `text-anchor="end">5</text>`, "and its top")
}

func TestBarsWriteAtMostMaxLabels(t *testing.T) {
	days := make([]string, 366)
	values := make([]int, 366)
	for i := range days {
		days[i] = "d" + strconv.Itoa(i)
		values[i] = i
	}
	svg := string(chart.Bars{Title: "Year", Labels: days, MaxLabels: 12,
		Series: []chart.Series{{Name: "Opened", Class: "opened", Values: values}}}.SVG())

	_, bars, labels := parse(t, svg)

	assert.Len(t, bars, 366, "every day has its bar")
	assert.LessOrEqual(t, len(labels), 12)
	assert.Equal(t, "d0", labels[0])
}
