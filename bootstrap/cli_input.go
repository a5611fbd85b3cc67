package bootstrap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"crm/domain"
)

// checkTextArgs refuses arguments that are not text (domain.ValidText):
// they would reach the database malformed. The flags are named as the
// operator typed them; the other arguments by their position.
func checkTextArgs(username, tokenName string, rest []string) error {
	var errs domain.ValidationErrors
	for _, a := range []struct{ field, value string }{{"username", username}, {"name", tokenName}} {
		if !domain.ValidText(a.value) {
			errs = append(errs, domain.ValidationError{Field: a.field, Code: domain.CodeInvalidText})
		}
	}
	for i, a := range rest {
		if !domain.ValidText(a) {
			errs = append(errs, domain.ValidationError{Field: fmt.Sprintf("argument %d", i+1), Code: domain.CodeInvalidText})
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// usageError is a command line that does not make sense.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// readPassword reads one line from standard input, so that a password never
// appears in the process list or the shell history.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError{"no password on standard input (e.g. echo 'secret-pass' | crm user create …)"}
	}
	return line, nil
}
