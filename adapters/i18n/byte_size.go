package i18n

import (
	"fmt"
	"strings"
)

// ByteSize words n bytes for people in lang: "10 MB", "300 KB", "12
// bytes" (units from the catalogue's size.* keys), for the pages and the
// bot alike.
func ByteSize(lang string, n int64) string {
	switch {
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " " + Message(lang, "size.mb")
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " " + Message(lang, "size.kb")
	}
	return Plural(lang, "size.bytes", int(n))
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
