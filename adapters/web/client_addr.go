package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr returns the address of whoever sent r: the connection's peer,
// or, when the peer is one of Options.TrustedProxies, the address that
// proxy says it got the request from (X-Forwarded-For). Each proxy appends
// the address it was reached from, so the header is read from the right,
// skipping trusted proxies, to the first address that is not one; an entry
// that is not an address ends the reading at the proxy that wrote it.
// Anything left of that is what the client claims, and is ignored. The zero
// Addr means the peer's address could not be read.
func (h *Handler) clientAddr(r *http.Request) netip.Addr {
	addr := parseHostAddr(r.RemoteAddr)
	if !h.trustsProxy(addr) {
		return addr
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		hop := parseHostAddr(hops[i])
		if !hop.IsValid() {
			return addr
		}
		addr = hop
		if !h.trustsProxy(hop) {
			return hop
		}
	}
	return addr
}

// trustsProxy reports whether a is in Options.TrustedProxies.
func (h *Handler) trustsProxy(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range h.trustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedFor returns the entries of every X-Forwarded-For header, in
// order.
func forwardedFor(hd http.Header) []string {
	var hops []string
	for _, v := range hd.Values("X-Forwarded-For") {
		for hop := range strings.SplitSeq(v, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// parseHostAddr reads an address with or without a port ("203.0.113.9",
// "203.0.113.9:4711", "[2001:db8::1]:4711", "2001:db8::1"), IPv4 in IPv6
// as IPv4 and without a zone; the zero Addr if s is none of these.
func parseHostAddr(s string) netip.Addr {
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone("")
}

// addrKey is what throttling counts an address as: an IPv4 address on its
// own, an IPv6 address by its /64, the block one subscriber usually gets.
func addrKey(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
