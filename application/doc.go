// Package application holds the use cases of the request desk, one file
// each, and the ports (interfaces) they need, declared beside their users.
// It depends on the domain only; adapters implement the ports.
//
// Authorisation is decided here, from the acting user's role: the edges only
// translate the domain's errors into answers.
package application
