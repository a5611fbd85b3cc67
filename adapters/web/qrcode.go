package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// qrQuiet is the blank margin around a QR code, in modules, that readers
// need.
const qrQuiet = 4

// qrSVG draws content as a QR code in SVG, one square per dark module, to be
// put in the page as it is (no image request, nothing a CSP must allow).
// label is its accessible name.
func qrSVG(content, label string) (template.HTML, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("draw QR code: %w", err)
	}
	b := code.Bounds()
	n := b.Dx()
	size := n + 2*qrQuiet
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" shape-rendering="crispEdges">`,
		size, size, size*5, size*5, html.EscapeString(label))
	sb.WriteString(`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y := range n {
		for x := range n {
			if r, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA(); r == 0 {
				fmt.Fprintf(&sb, "M%d %dh1v1h-1z", x+qrQuiet, y+qrQuiet)
			}
		}
	}
	sb.WriteString(`"/></svg>`)
	return template.HTML(sb.String()), nil //nolint:gosec // built here from numbers and an escaped label
}
