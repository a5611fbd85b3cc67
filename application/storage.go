package application

import "errors"

// ErrStorageUnavailable wraps a storage error that says the database cannot
// serve the request now, whatever the request: it is out of reach,
// read-only, full, or busy past its timeout. Storage adapters wrap such
// errors with it (errors.Is finds it; the cause stays in the chain for the
// log); the edges answer 503, "try again later", never 500.
var ErrStorageUnavailable = errors.New("storage unavailable")
