package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"crm/domain"
)

// apiContract is openapi.json loaded, checked, and with a router over its
// operations. Every request of the API is checked against it before its
// handler runs (validated), and the tests check every answer against it
// (CheckAPIExchange), so that the document cannot drift from the code.
type apiContract struct {
	doc    *openapi3.T
	router routers.Router
}

// loadAPIContract builds the contract once per process: loading and
// checking the document takes milliseconds, checking a request against
// it microseconds. Errors: a document that does not parse, is not valid
// OpenAPI 3.0, or whose paths the router cannot take.
var loadAPIContract = sync.OnceValues(func() (*apiContract, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDocument)
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.json is not valid: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route openapi.json: %w", err)
	}
	return &apiContract{doc: doc, router: router}, nil
})

// apiRequestOptions checks a request without acting on it: the handlers
// authenticate the token (so the filter's security check is a no-op),
// defaults are not written into the request, and every fault is reported.
var apiRequestOptions = openapi3filter.Options{
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
	MultiError:          true,
}

// validated wraps fn, the handler of a documented operation: a request
// openapi.json forbids is refused before fn sees it (see checkRequest).
// apiEndpoint has authenticated the token by then, so a caller without
// one learns nothing of the document's rules but 401.
func (c *apiContract) validated(fn apiFunc) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, u *domain.User) error {
		if err := c.checkRequest(r); err != nil {
			return err
		}
		return fn(w, r, u)
	}
}

// checkRequest checks r against its operation in the document, leaving
// its body readable again. Errors, answered by apiFail:
// errUnsupportedMediaType or errUnsupportedCharset for a body that is not
// JSON in UTF-8, as the document has it; *http.MaxBytesError for a body
// over the limit; *apiInputError (400) for a body that is empty, not
// JSON or not an object, an unknown field, or a field or query parameter
// of the wrong type; domain.ValidationErrors (422) for a missing field or
// a value the document rules out. An id in the path that the document
// rules out is left to the handler, which answers 404: it names nothing.
func (c *apiContract) checkRequest(r *http.Request) error {
	route, params, err := c.router.FindRoute(r)
	if err != nil {
		return nil // only documented operations are validated; a test checks they are all the API has
	}
	opts := apiRequestOptions
	if body := route.Operation.RequestBody; body != nil && r.ContentLength != 0 {
		mediaErr := jsonMediaType(r)
		switch {
		case takesFiles(r) && body.Value.Content.Get("multipart/form-data") != nil:
			// Files are streamed and checked part by part by the handler
			// (readUploadForm); checking the body here would first read all
			// of it, up to every file at its limit, into memory.
			opts.ExcludeRequestBody = true
		case mediaErr != nil:
			return mediaErr
		case body.Value.Content.Get(r.Header.Get("Content-Type")) == nil:
			return errUnsupportedMediaType
		}
	}
	err = openapi3filter.ValidateRequest(r.Context(), &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route, Options: &opts,
	})
	if err == nil {
		return nil
	}
	var order []string // the body's fields, as the document lists them
	if body := route.Operation.RequestBody; body != nil {
		if media := body.Value.Content.Get("application/json"); media != nil && media.Schema != nil {
			order = media.Schema.Value.Required
		}
	}
	return requestRefusal(err, order)
}

// requestRefusal turns the faults ValidateRequest found into the error
// apiFail answers (see checkRequest), naming the fields at fault in order
// (those of order first, in its order).
func requestRefusal(err error, order []string) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return tooLarge
	}
	var bad apiInputError // 400
	var invalid domain.ValidationErrors
	for _, e := range requestErrors(err) {
		switch {
		case e.Parameter != nil && e.Parameter.In == openapi3.ParameterInPath:
			return nil // the handler answers 404
		case e.RequestBody != nil && errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
			bad.say("The body is empty; send a JSON object.")
		case e.Parameter != nil && !isSchemaError(e.Err):
			bad.say(fmt.Sprintf("Query parameter %q must be %s.", e.Parameter.Name, schemaKind(e.Parameter.Schema)),
				apiFieldError{Field: e.Parameter.Name, Code: "invalid_type"})
		case e.RequestBody != nil && !isSchemaError(e.Err): // it is not JSON
			input := &apiInputError{}
			if !errors.As(jsonInputError(e.Err), &input) || input.detail == "" {
				input.detail = "The body is not valid JSON."
			}
			bad.say(input.detail, input.fields...)
		case !isSchemaError(e.Err):
			bad.say("The request does not match the API's description.")
		default:
			for _, se := range schemaErrors(e.Err) {
				field := ""
				if e.Parameter != nil {
					field = e.Parameter.Name
				} else if p := se.JSONPointer(); len(p) > 0 {
					field = p[0]
				}
				if unknown := unknownFields(se); len(unknown) > 0 {
					for _, name := range unknown {
						bad.say(fmt.Sprintf("Field %q is not known here.", name), apiFieldError{Field: name, Code: "unknown"})
					}
				} else if detail, code, ok := shapeFault(se, field); ok {
					bad.say(detail, apiFieldError{Field: field, Code: code})
				} else {
					invalid = append(invalid, domain.ValidationError{Field: field, Code: valueFault(se)})
				}
			}
		}
	}
	rank := func(field string) int {
		if i := slices.Index(order, field); i >= 0 {
			return i
		}
		return len(order)
	}
	if bad.detail != "" {
		slices.SortStableFunc(bad.fields, func(a, b apiFieldError) int { return rank(a.Field) - rank(b.Field) })
		return &bad
	}
	if len(invalid) == 0 {
		return &apiInputError{detail: "The request does not match the API's description."}
	}
	slices.SortStableFunc(invalid, func(a, b domain.ValidationError) int { return rank(a.Field) - rank(b.Field) })
	return invalid
}

// say adds a sentence to e's detail and the field it is about, if any.
func (e *apiInputError) say(sentence string, fields ...apiFieldError) {
	if !strings.Contains(e.detail, sentence) {
		e.detail = strings.TrimSpace(e.detail + " " + sentence)
	}
	for _, f := range fields {
		if f.Field != "" && !slices.Contains(e.fields, f) {
			e.fields = append(e.fields, f)
		}
	}
}

// shapeFault reports whether se is about a value of the wrong type (400).
// field is the top-level field at fault ("" for the body itself).
func shapeFault(se *openapi3.SchemaError, field string) (detail, code string, ok bool) {
	if se.SchemaField != "type" && se.SchemaField != "nullable" {
		return "", "", false
	}
	if field == "" {
		return "The body must be a JSON object.", "", true
	}
	return fmt.Sprintf("Field %q must be %s.", field, schemaKind(openapi3.NewSchemaRef("", se.Schema))), "invalid_type", true
}

// unknownFields returns the fields of the object se is about that its
// schema does not list, when se is the refusal of such fields
// (additionalProperties: false; 400).
func unknownFields(se *openapi3.SchemaError) []string {
	obj, ok := se.Value.(map[string]any)
	if se.SchemaField != "properties" || se.Schema == nil || !ok {
		return nil
	}
	if ap := se.Schema.AdditionalProperties; ap.Has == nil || *ap.Has || ap.Schema != nil {
		return nil
	}
	var unknown []string
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		if _, known := se.Schema.Properties[name]; !known {
			unknown = append(unknown, name)
		}
	}
	return unknown
}

// valueFault is the code of a value the document rules out (422), in the
// words the use cases use for the same faults.
func valueFault(se *openapi3.SchemaError) string {
	switch se.SchemaField {
	case "required":
		return domain.CodeRequired
	case "maxLength":
		return domain.CodeTooLong
	case "minLength":
		if se.Schema != nil && se.Schema.MinLength == 1 {
			return domain.CodeRequired // "" is no title, as "   " is none
		}
		return domain.CodeTooShort
	}
	return domain.CodeInvalid // enum, minimum, maximum, pattern, ...
}

// schemaKind names what s takes, the way a JSON reader would.
func schemaKind(s *openapi3.SchemaRef) string {
	if s == nil || s.Value == nil || s.Value.Type == nil {
		return "of another type"
	}
	kind := map[string]string{
		"string": "a string", "boolean": "true or false", "integer": "an integer",
		"number": "a number", "object": "an object", "array": "an array",
	}[s.Value.Type.Slice()[0]]
	if s.Value.Nullable {
		kind += " or null"
	}
	return kind
}

// requestErrors flattens what ValidateRequest returns with MultiError.
func requestErrors(err error) []*openapi3filter.RequestError {
	switch err := err.(type) {
	case openapi3.MultiError:
		var out []*openapi3filter.RequestError
		for _, e := range err {
			out = append(out, requestErrors(e)...)
		}
		return out
	case *openapi3filter.RequestError:
		return []*openapi3filter.RequestError{err}
	}
	return []*openapi3filter.RequestError{{Err: err}}
}

// schemaErrors flattens the schema errors of err.
func schemaErrors(err error) []*openapi3.SchemaError {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []*openapi3.SchemaError
		for _, e := range me {
			out = append(out, schemaErrors(e)...)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return []*openapi3.SchemaError{se}
	}
	return nil
}

func isSchemaError(err error) bool { return len(schemaErrors(err)) > 0 }
