package web

import (
	"sync"
	"time"
)

// Throttling of logins. Wrong passwords are counted for LoginFailureWindow
// per client address, per username and address, per username from every
// address, and per known browser. What they do:
//
//   - LoginPairFailureLimit wrong passwords for one username from one
//     address: that address may not try that username again until the
//     window ends (429 with Retry-After);
//   - LoginAddressFailureLimit wrong passwords from one address, whatever
//     the usernames: that address may not log in until the window ends;
//   - LoginFailureLimit wrong passwords for one username, from all
//     addresses together (its budget): further attempts for it are slowed
//     to one per LoginSlowInterval, all such clients together;
//   - none of this refuses a browser that has logged in to that account
//     before (the device cookie), unless it has itself sent
//     LoginDeviceFailureLimit wrong passwords; nor does the spent budget
//     refuse an address with no failures at all.
//
// So a stranger cannot lock the owner out: the owner's own browser, or any
// network the stranger has not guessed from, still gets to the password
// check. Separately, each address may make LoginAttemptsPerMinute login and
// sign-up attempts, wrong or right (Options.LoginAttemptsPerMinute), so that
// one client cannot keep the password hashing busy for everyone.
const (
	LoginFailureWindow       = 15 * time.Minute
	LoginFailureLimit        = 10
	LoginSlowInterval        = time.Minute
	LoginPairFailureLimit    = 5
	LoginAddressFailureLimit = 30
	LoginDeviceFailureLimit  = 10
	// DefaultLoginAttemptsPerMinute is Options.LoginAttemptsPerMinute's
	// default.
	DefaultLoginAttemptsPerMinute = 30
	// LoginChecksPerAddress is how many password checks of one address
	// may run or wait at once. Its attempts are admitted before any of
	// them has failed, so without it a burst from one address filled the
	// hashing queue and every other login answered 503 until the
	// failures were counted.
	LoginChecksPerAddress = 2
)

// loginGuard decides which login attempts reach the password check, and
// learns from how they end. It lives in the process: each replica counts on
// its own.
type loginGuard struct {
	attempts *attemptLimiter // login and sign-up attempts per address
	byAddr   *throttle       // wrong passwords per address
	byPair   *throttle       // per username and address
	byUser   *throttle       // per username, every address: the budget
	byDevice *throttle       // per known browser
	slowed   *attemptLimiter // attempts per username once its budget is spent

	mu       sync.Mutex
	checking map[string]int // password checks under way, per address
}

func newLoginGuard(attemptsPerMinute int, now func() time.Time) *loginGuard {
	return &loginGuard{
		attempts: newAttemptLimiter(time.Minute/time.Duration(attemptsPerMinute), attemptsPerMinute, now),
		byAddr:   newThrottle(LoginFailureWindow, now),
		byPair:   newThrottle(LoginFailureWindow, now),
		byUser:   newThrottle(LoginFailureWindow, now),
		byDevice: newThrottle(LoginFailureWindow, now),
		slowed:   newAttemptLimiter(LoginSlowInterval, 1, now),
		checking: map[string]int{},
	}
}

// check takes one of addr's LoginChecksPerAddress places for a password
// check and returns what gives it back; false when none is free.
func (g *loginGuard) check(addr string) (done func(), ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.checking[addr] >= LoginChecksPerAddress {
		return nil, false
	}
	g.checking[addr]++
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.checking[addr]--; g.checking[addr] == 0 {
			delete(g.checking, addr)
		}
	}, true
}

// loginAttempt is who tries to log in as whom.
type loginAttempt struct {
	user   string // domain.UsernameKey of the username typed
	addr   string // addrKey of the client's address
	device string // the id of a browser that has logged in to user before, or ""
}

func (a loginAttempt) pair() string { return a.user + "\x00" + a.addr }

// refusal says why an attempt was refused, for the log.
type refusal string

const (
	refusedRate    refusal = "too many attempts from the address"
	refusedAddress refusal = "too many wrong passwords from the address"
	refusedPair    refusal = "too many wrong passwords for the username from the address"
	refusedBudget  refusal = "too many wrong passwords for the username"
	refusedBusy    refusal = "too many logins at once from the address"
)

// attempt uses one of addr's login and sign-up attempts; when none is left
// it returns false and how long until one is.
func (g *loginGuard) attempt(addr string) (bool, time.Duration) {
	return g.attempts.take(addr)
}

// admit reports whether a may check its password; when not, why and how
// long until it may try again.
func (g *loginGuard) admit(a loginAttempt) (ok bool, why refusal, retry time.Duration) {
	if a.device != "" {
		if n, _ := g.byDevice.count(a.device); n < LoginDeviceFailureLimit {
			return true, "", 0
		}
	}
	addrFailures, left := g.byAddr.count(a.addr)
	if addrFailures >= LoginAddressFailureLimit {
		return false, refusedAddress, left
	}
	if n, left := g.byPair.count(a.pair()); n >= LoginPairFailureLimit {
		return false, refusedPair, left
	}
	if n, _ := g.byUser.count(a.user); n >= LoginFailureLimit && addrFailures > 0 {
		if ok, wait := g.slowed.take(a.user); !ok {
			return false, refusedBudget, wait
		}
	}
	return true, "", 0
}

// failed counts a wrong password.
func (g *loginGuard) failed(a loginAttempt) {
	g.byAddr.add(a.addr)
	g.byPair.add(a.pair())
	g.byUser.add(a.user)
	if a.device != "" {
		g.byDevice.add(a.device)
	}
}

// succeeded forgets the wrong passwords of a's address for a's username,
// and of a's browser. The username's budget and the address's count stay:
// the owner getting in says nothing about the others trying.
func (g *loginGuard) succeeded(a loginAttempt) {
	g.byPair.reset(a.pair())
	if a.device != "" {
		g.byDevice.reset(a.device)
	}
}
