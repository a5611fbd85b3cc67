package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"crm/application"
	"crm/domain"
)

// The JSON API lives under apiPrefix. Its requests carry a bearer token
// (Authorization: Bearer <token>, from `crm token create`), never a cookie,
// so they are exempt from cross-origin protection: a form on another site
// cannot set that header. Every error is a problem+json document
// (api_problems.go); openapi.json describes the whole API.
const apiPrefix = "/api/v1/"

// isAPIRequest reports whether r is for the JSON API, whose errors are
// answered as problem+json rather than as pages.
func isAPIRequest(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, apiPrefix) }

// apiRoute is one endpoint of the JSON API.
type apiRoute struct {
	pattern string
	access  access // loggedIn or staff: who may get past the door
	handle  apiFunc
}

// apiFunc serves one API request on behalf of u. An error it returns is
// answered by apiFail.
type apiFunc func(w http.ResponseWriter, r *http.Request, u *domain.User) error

// errNoBearer: the request carries no bearer token.
var errNoBearer = errors.New("no bearer token")

// errUnsupportedMediaType: a body that is not JSON.
var errUnsupportedMediaType = errors.New("unsupported media type")

// errUnsupportedCharset: a JSON body declared in a charset other than
// UTF-8, the only one JSON has (RFC 8259).
var errUnsupportedCharset = errors.New("unsupported charset")

// apiEndpoint wraps an apiFunc: it finds the token's user, applies the
// route's coarse access gate (the use cases decide the rest) and answers a
// returned error.
func (h *Handler) apiEndpoint(need access, fn apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		u, err := h.bearerUser(r)
		if err != nil {
			h.apiFail(w, r, err)
			return
		}
		if need == staff && !u.IsStaff() || need == admin && !u.IsAdmin() {
			h.apiFail(w, r, domain.ErrForbidden)
			return
		}
		if err := fn(w, r, u); err != nil {
			h.apiFail(w, r, err)
		}
	})
}

// bearerUser resolves the request's bearer token to its user, fresh from
// storage. A session cookie counts for nothing here. Errors: errNoBearer,
// domain.ErrInvalidAPIToken, or a storage error.
func (h *Handler) bearerUser(r *http.Request) (*domain.User, error) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, errNoBearer
	}
	return h.app.AuthenticateToken.Handle(r.Context(), application.AuthenticateToken{Token: token})
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return nil
}

// encodeJSON encodes v on one line, leaving <, > and & as they are: the
// answers are never HTML (and carry nosniff), so escaping them would only
// make titles harder to read.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// apiInputError is a request the API cannot read: a body that is not JSON
// of the expected shape, or a query parameter of the wrong type. It is
// answered with 400; fields name the culprits when they are known.
type apiInputError struct {
	detail string
	fields []apiFieldError
}

func (e *apiInputError) Error() string { return "bad request: " + e.detail }

// decodeJSON reads the request body, a JSON object, into dst. Errors:
// errUnsupportedMediaType when the Content-Type is not JSON,
// errUnsupportedCharset when it declares a charset other than UTF-8,
// *apiInputError for a body that is empty, not JSON, not an object, has a
// field of the wrong type or one dst does not know, or carries more than
// one value; *http.MaxBytesError for a body over the limit;
// domain.ValidationErrors (CodeInvalidText) naming each field whose value
// holds bytes that are not UTF-8 or a control character other than
// newline and tab (encoding/json would quietly turn the first into U+FFFD
// and let "\u0000" through).
func decodeJSON(r *http.Request, dst any) error {
	if err := jsonMediaType(r); err != nil {
		return err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonInputError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonInputError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return jsonInputError(err)
		}
		return &apiInputError{detail: "The body holds more than one JSON value."}
	}
	return jsonTextErrors(body)
}

// jsonMediaType checks that r's body is declared as JSON in UTF-8. Errors:
// errUnsupportedMediaType, errUnsupportedCharset.
func jsonMediaType(r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return errUnsupportedMediaType
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return errUnsupportedCharset
	}
	return nil
}

// jsonTextErrors returns a ValidationError on each top-level field of the
// JSON object body whose value is not text as domain.ValidText has it:
// raw bytes that are not UTF-8, or a string (at any depth) with a control
// character. nil when every field is text.
func jsonTextErrors(body []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil // the decoder has said what is wrong with the shape
	}
	var errs domain.ValidationErrors
	for _, name := range slices.Sorted(maps.Keys(top)) {
		raw := top[name]
		var v any
		if !utf8.Valid(raw) || json.Unmarshal(raw, &v) != nil || !jsonIsText(v) {
			errs = append(errs, domain.ValidationError{Field: name, Code: domain.CodeInvalidText})
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// jsonIsText reports whether every string in a decoded JSON value, keys
// included, is domain.ValidText.
func jsonIsText(v any) bool {
	switch v := v.(type) {
	case string:
		return domain.ValidText(v)
	case []any:
		for _, e := range v {
			if !jsonIsText(e) {
				return false
			}
		}
	case map[string]any:
		for k, e := range v {
			if !domain.ValidText(k) || !jsonIsText(e) {
				return false
			}
		}
	}
	return true
}

// jsonInputError explains a decoding error, keeping *http.MaxBytesError
// as it is for the 413 answer.
func jsonInputError(err error) error {
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF):
		return &apiInputError{detail: "The body is empty; send a JSON object."}
	case errors.As(err, &syntax):
		return &apiInputError{detail: fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &apiInputError{detail: "The body is not valid JSON (it ends too soon)."}
	case errors.As(err, &typ):
		if typ.Field == "" {
			return &apiInputError{detail: "The body must be a JSON object."}
		}
		return &apiInputError{
			detail: fmt.Sprintf("Field %q must be %s, not %s.", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value),
			fields: []apiFieldError{{Field: typ.Field, Code: "invalid_type"}},
		}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return &apiInputError{
			detail: fmt.Sprintf("Field %q is not known here.", name),
			fields: []apiFieldError{{Field: name, Code: "unknown"}},
		}
	}
	return &apiInputError{detail: "The body could not be read as the expected JSON object."}
}

// jsonKind names a Go kind the way a JSON reader would.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	}
	return "of another type"
}

// renameFields returns err with the fields of its validation errors named
// as the API names them (the use cases say "assignee", the API
// "assignee_id"); any other error is returned as it is.
func renameFields(err error, names map[string]string) error {
	verrs, ok := domain.AsValidation(err)
	if !ok {
		return err
	}
	out := make(domain.ValidationErrors, len(verrs))
	for i, e := range verrs {
		if n, ok := names[e.Field]; ok {
			e.Field = n
		}
		out[i] = e
	}
	return out
}

// queryPage reads ?before= and ?limit= for a list: before 0 (or absent)
// means from the newest; limit defaults to application.DefaultPageSize and
// is capped at application.MaxPageSize. A value that is not an integer is
// an *apiInputError; one out of range a ValidationError.
func queryPage(r *http.Request) (application.Page, error) {
	q := r.URL.Query()
	var p application.Page
	var bad []apiFieldError
	var invalid domain.ValidationErrors
	if s := q.Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil:
			bad = append(bad, apiFieldError{Field: "before", Code: "invalid_type"})
		case n < 0:
			invalid = append(invalid, domain.ValidationError{Field: "before", Code: domain.CodeInvalid})
		}
		p.Before = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			bad = append(bad, apiFieldError{Field: "limit", Code: "invalid_type"})
		case n < 1:
			invalid = append(invalid, domain.ValidationError{Field: "limit", Code: domain.CodeInvalid})
		}
		p.Limit = n
	}
	if len(bad) > 0 {
		return p, &apiInputError{detail: "A query parameter is not an integer.", fields: bad}
	}
	if len(invalid) > 0 {
		return p, invalid
	}
	return p.Normalized(), nil
}
