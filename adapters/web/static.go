package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the stylesheet and the favicon. URLs carry a hash of
// the content (?v=…), so browsers may keep them for a year.
type staticFiles struct {
	fsys    fs.FS
	version map[string]string // file name → content hash
	content map[string][]byte
}

func newStaticFiles() (*staticFiles, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	s := &staticFiles{fsys: sub, version: map[string]string{}, content: map[string][]byte{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.version[p] = hex.EncodeToString(sum[:6])
		s.content[p] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	for _, need := range []string{"style.css", "favicon.svg"} {
		if _, ok := s.content[need]; !ok {
			return nil, fmt.Errorf("static file %s is missing", need)
		}
	}
	return s, nil
}

// url returns the address of the static file name. It panics for a file
// that does not exist, which the template tests catch.
func (s *staticFiles) url(name string) string {
	v, ok := s.version[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + v
}

// serveStatic answers GET /static/{file...}.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, ok := h.static.content[name]
	if !ok {
		h.fail(w, r, &visitor{Lang: h.language(r, nil)}, errNotFound)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	if r.URL.Query().Get("v") == h.static.version[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Header().Set("ETag", `"`+h.static.version[name]+`"`)
	if r.Header.Get("If-None-Match") == `"`+h.static.version[name]+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(b)
}
