package web

import "net/http"

// problemBusy answers a login or sign-up while every password-hashing slot
// and the line for them are taken (application.ErrBusy): 503 with
// Retry-After, so the person tries again in a moment rather than everyone
// waiting behind a flood.
var problemBusy = problem{http.StatusServiceUnavailable, "problem.busy"}

// busyRetryAfter is the Retry-After of problemBusy, in seconds: a hash takes
// tens of milliseconds, so the line has usually moved on a second later.
const busyRetryAfter = "1"

// setRetryAfter adds the Retry-After that p carries, if any.
func setRetryAfter(w http.ResponseWriter, p problem) {
	if p == problemBusy && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", busyRetryAfter)
	}
}
