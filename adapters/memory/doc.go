// Package memory implements the application's storage ports in memory: fast
// fakes for unit tests that behave like the SQL adapters (same errors, same
// rollback on a failing Update, same microsecond timestamps), and pass the
// same contract suite.
package memory
