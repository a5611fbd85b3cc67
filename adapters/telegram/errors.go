package telegram

import (
	"errors"
	"time"

	"crm/application"
)

func asRetryAfter(err error) (time.Duration, bool) {
	var ra *application.RetryAfterError
	if errors.As(err, &ra) {
		return ra.After, true
	}
	return 0, false
}

// apiCode returns the Bot API error code inside err, 0 when there is none.
func apiCode(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}
