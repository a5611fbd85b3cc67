package apptest

import (
	"io"
	"net/http"
	"testing"

	"crm/adapters/web"
)

// CheckAPI fails tb when res, an answer read in full as body, or the
// request that got it departs from openapi.json (web.CheckAPIExchange):
// an undocumented status, header or field, a value of the wrong type, a
// request the document forbids that was not refused. Answers outside the
// JSON API pass unchecked. Every test client that may call the API runs
// its answers through it, so that the document cannot drift from the
// code.
func CheckAPI(tb testing.TB, res *http.Response, body []byte) {
	tb.Helper()
	req := res.Request
	var sent []byte
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			tb.Fatalf("read back the request body: %v", err)
		}
		sent, _ = io.ReadAll(rc)
	}
	if err := web.CheckAPIExchange(req, sent, res.StatusCode, res.Header, body); err != nil {
		tb.Errorf("%s %s departs from openapi.json: %v", req.Method, req.URL.Path, err)
	}
}
