package domain

import (
	"strconv"
	"strings"
	"time"
)

// Default response targets: a first response within four hours and a
// resolution within three days, around the clock.
const (
	DefaultResponseTarget   = 4 * time.Hour
	DefaultResolutionTarget = 72 * time.Hour
	// MaxTarget bounds a target: a year is no promise anyone keeps.
	MaxTarget = 366 * 24 * time.Hour
)

// SLAPolicy is the response targets of one ticket type: how much working
// time (on Calendar) may pass before the first response and before the
// resolution.
type SLAPolicy struct {
	Type       TicketType
	Response   time.Duration
	Resolution time.Duration
	Calendar   Calendar
}

// DefaultSLAPolicy is the policy of a type nobody has set one for.
func DefaultSLAPolicy(t TicketType) SLAPolicy {
	return SLAPolicy{Type: t, Response: DefaultResponseTarget, Resolution: DefaultResolutionTarget, Calendar: AllWeek}
}

// NewSLAPolicy checks and returns a policy. Errors, as ValidationErrors:
// "response" and "resolution" not_positive (zero or negative) or too_long
// (past MaxTarget); "response" after_resolution when the first response
// would be due after the resolution.
func NewSLAPolicy(t TicketType, response, resolution time.Duration, cal Calendar) (SLAPolicy, error) {
	var errs ValidationErrors
	for _, f := range []struct {
		field string
		d     time.Duration
	}{{"response", response}, {"resolution", resolution}} {
		switch {
		case f.d <= 0:
			errs = append(errs, ValidationError{Field: f.field, Code: CodeNotPositive})
		case f.d > MaxTarget:
			errs = append(errs, ValidationError{Field: f.field, Code: CodeTooLong})
		}
	}
	if len(errs) == 0 && response > resolution {
		errs = append(errs, ValidationError{Field: "response", Code: CodeAfterResolution})
	}
	if len(errs) > 0 {
		return SLAPolicy{}, errs
	}
	return SLAPolicy{Type: t, Response: response, Resolution: resolution, Calendar: cal}, nil
}

// ParseTarget reads a target as people write it: "4h", "3d", "1d 4h",
// "90m", or a plain number of hours ("8"). Anything else, or a negative
// amount, is a ValidationError on field, invalid; zero parses (NewSLAPolicy
// refuses it with its own reason).
func ParseTarget(field, s string) (time.Duration, error) {
	bad := ValidationError{Field: field, Code: CodeInvalid}
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, ValidationError{Field: field, Code: CodeRequired}
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > int(MaxTarget/time.Hour)+1 {
			return 0, ValidationError{Field: field, Code: CodeNotPositive}
		}
		return time.Duration(n) * time.Hour, nil
	}
	var total time.Duration
	for _, part := range strings.Fields(s) {
		if len(part) < 2 {
			return 0, bad
		}
		n, err := strconv.Atoi(part[:len(part)-1])
		if err != nil || n < 0 || n > 100_000 {
			return 0, bad
		}
		switch part[len(part)-1] {
		case 'd':
			total += time.Duration(n) * 24 * time.Hour
		case 'h':
			total += time.Duration(n) * time.Hour
		case 'm':
			total += time.Duration(n) * time.Minute
		default:
			return 0, bad
		}
	}
	return total, nil
}

// FormatTarget writes d as ParseTarget reads it: "3d", "4h", "1d 4h 30m".
func FormatTarget(d time.Duration) string {
	var parts []string
	if days := d / (24 * time.Hour); days > 0 {
		parts = append(parts, strconv.Itoa(int(days))+"d")
		d -= days * 24 * time.Hour
	}
	if h := d / time.Hour; h > 0 {
		parts = append(parts, strconv.Itoa(int(h))+"h")
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 || len(parts) == 0 {
		parts = append(parts, strconv.Itoa(int(m))+"m")
	}
	return strings.Join(parts, " ")
}
