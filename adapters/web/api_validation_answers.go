package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// CheckAPIExchange reports how an exchange with the JSON API departs from
// openapi.json; nil when it does not, or when req is not for the API.
// sent is the body req carried. The tests of every package that calls the
// API pass it each answer they receive, so that the document cannot drift
// from the code. What it checks:
//
//   - the answer's status is one the operation lists, its documented
//     headers are there and well-formed, its Content-Type is documented
//     and its body matches the schema, with no field the schema does not
//     list, at any depth;
//   - a request the document forbids is refused (4xx);
//   - a path or method the document does not have is answered by a
//     problem (4xx or 5xx, application/problem+json).
func CheckAPIExchange(req *http.Request, sent []byte, status int, header http.Header, body []byte) error {
	if !isAPIRequest(req) {
		return nil
	}
	c, err := loadAPIContract()
	if err != nil {
		return err
	}
	r := req.Clone(req.Context())
	r.Body, r.GetBody, r.ContentLength = io.NopCloser(bytes.NewReader(sent)), nil, int64(len(sent))
	route, params, notThere := c.router.FindRoute(r)
	if notThere != nil {
		if err := c.checkProblem(status, header, body); err != nil {
			return fmt.Errorf("%v in openapi.json, and it was %w", notThere, err)
		}
		return nil
	}
	opts := apiRequestOptions
	opts.MultiError = false
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: &opts}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil && (status < 400 || status > 499) {
		return fmt.Errorf("openapi.json forbids the request (%v), yet it was answered %d", err, status)
	}
	err = openapi3filter.ValidateResponse(r.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		return fmt.Errorf("answer %d: %w", status, err)
	}
	if resp := route.Operation.Responses.Status(status); resp != nil && resp.Value != nil {
		ct := header.Get("Content-Type")
		if media := resp.Value.Content.Get(ct); media != nil && media.Schema != nil && strings.Contains(ct, "json") { // not a CSV
			return undocumentedFields(media.Schema, body)
		}
	}
	return nil
}

// checkProblem checks an answer outside the document's operations: only a
// problem may give it.
func (c *apiContract) checkProblem(status int, header http.Header, body []byte) error {
	if status < 400 {
		return fmt.Errorf("answered %d", status)
	}
	if ct := header.Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("answered %d as %q, not as a problem", status, ct)
	}
	problem := c.doc.Components.Schemas["Problem"]
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("answered %d with a problem that is not JSON: %w", status, err)
	}
	if err := problem.Value.VisitJSON(v, openapi3.VisitAsResponse()); err != nil {
		return fmt.Errorf("answered %d with a problem that does not match its schema: %w", status, err)
	}
	return undocumentedFields(problem, body)
}

// undocumentedFields returns an error naming the first field of body, a
// JSON answer, that schema does not list. A schema lets other fields in
// only when it says so (additionalProperties) or lists none (a free-form
// object): the document may not lag behind what the code sends.
func undocumentedFields(schema *openapi3.SchemaRef, body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return undocumentedIn(v, schema, "")
}

func undocumentedIn(v any, schema *openapi3.SchemaRef, at string) error {
	if schema == nil || schema.Value == nil {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		props, open := schemaProperties(schema.Value)
		if open {
			return nil
		}
		for _, name := range slices.Sorted(maps.Keys(v)) {
			prop, ok := props[name]
			if !ok {
				return errors.New("the answer has field " + at + "/" + name + ", which openapi.json does not list")
			}
			if err := undocumentedIn(v[name], prop, at+"/"+name); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range v {
			if err := undocumentedIn(e, schema.Value.Items, fmt.Sprintf("%s/%d", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// schemaProperties collects the properties s lists, itself and through
// allOf, oneOf and anyOf; open reports whether it lets others in.
func schemaProperties(s *openapi3.Schema) (props openapi3.Schemas, open bool) {
	props = openapi3.Schemas{}
	var walk func(*openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil {
			return
		}
		maps.Copy(props, s.Properties)
		if ap := s.AdditionalProperties; ap.Schema != nil || ap.Has != nil && *ap.Has {
			open = true
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, ref := range group {
				walk(ref.Value)
			}
		}
	}
	walk(s)
	return props, open || len(props) == 0
}
