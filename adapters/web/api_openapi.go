package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes the JSON API (OpenAPI 3.0.3). Requests are
// checked against it (api_validation.go); tests check that its paths are
// exactly the API routes registered, and every answer they receive.
//
//go:embed openapi.json
var openAPIDocument []byte

// serveOpenAPI answers GET /api/v1/openapi.json, without a token: the
// document is public, like the README.
func (h *Handler) serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(openAPIDocument)
}
