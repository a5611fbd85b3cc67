package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// sign returns the X-CRM-Signature of body sent at timestamp (unix seconds,
// as in X-CRM-Timestamp): "sha256=" and the hex HMAC-SHA256 of
// "<timestamp>.<body>" keyed with secret.
func sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
