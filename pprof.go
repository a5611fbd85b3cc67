//go:build pprof

package main

// Built with -tags pprof, crm also serves net/http/pprof on
// CRM_PPROF_ADDR (default 127.0.0.1:6060), for finding where a request's
// time goes:
//
//	go build -tags pprof -o /tmp/crm . && CRM_PPROF_ADDR=127.0.0.1:6060 /tmp/crm serve
//	go tool pprof -top 'http://127.0.0.1:6060/debug/pprof/profile?seconds=10'
//
// Release builds leave it out.

import (
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	addr := os.Getenv("CRM_PPROF_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	go func() { log.Println(http.ListenAndServe(addr, nil)) }()
}
